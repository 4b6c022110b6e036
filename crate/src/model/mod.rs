//! The learned layer: scorers that judge what a sentence means (hostile, promotional, a
//! patient's story) where no word list could name every wording.
//!
//! Each scorer is a linear model over hashed features (see [`features`]), trained by
//! `cargo xtask train` and shipped as data beside the rule packs (`rules/models/`, with its
//! model card). Rules reach it through a *model signal*, which holds the sentences a scorer
//! rates at or above the signal's threshold, each narrowed to the phrase that carried the
//! score; like any signal it warns only through a rule.
//!
//! A model file is read in place from the embedded bytes: nothing is parsed into objects at
//! start-up, so the extension's engine start does not grow with the weights.
//!
//! File format (little-endian): the magic `SOM1`; the number of hash bits `b` (one byte,
//! 10–24) and three zero bytes; the weight scale and the bias (two `f32`); then `2^b` weights,
//! one signed byte each. A feature's weight is its byte times the scale; a unit of text with
//! features `f₁…fₙ` (repeats counted) scores `σ(bias + Σ wᵢ / √n)`.

pub mod features;

use crate::text::{Prepared, Span};

const MAGIC: &[u8; 4] = b"SOM1";
const HEADER: usize = 16;
const MIN_BITS: u8 = 10;
const MAX_BITS: u8 = 24;

/// One trained scorer, borrowing its weights from the embedded bytes.
pub struct Scorer {
    pub name: String,
    mask: u32,
    scale: f32,
    bias: f32,
    weights: &'static [u8],
}

impl Scorer {
    /// Reads a model file's header and borrows its weights; an error names what is wrong.
    pub fn from_bytes(name: &str, bytes: &'static [u8]) -> Result<Scorer, String> {
        let (bits, scale, bias) = header(bytes).map_err(|e| format!("model {name}: {e}"))?;
        Ok(Scorer { name: name.to_owned(), mask: (1u32 << bits) - 1, scale, bias, weights: &bytes[HEADER..] })
    }

    fn weight(&self, hash: u32) -> f32 {
        f32::from(self.weights[(hash & self.mask) as usize] as i8)
    }
}

/// Checks a model file and returns its hash bits, scale and bias. The build runs this on
/// every shipped model, so a damaged file fails the build rather than the engine.
pub fn header(bytes: &[u8]) -> Result<(u8, f32, f32), String> {
    if bytes.len() < HEADER || &bytes[..4] != MAGIC {
        return Err("not a Second Opinion model file (no SOM1 header)".into());
    }
    let bits = bytes[4];
    if !(MIN_BITS..=MAX_BITS).contains(&bits) || bytes[5..8] != [0, 0, 0] {
        return Err(format!("unsupported hash size ({bits} bits)"));
    }
    let f = |at: usize| f32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let (scale, bias) = (f(8), f(12));
    if !scale.is_finite() || !bias.is_finite() || scale <= 0.0 {
        return Err("scale or bias is not a finite number".into());
    }
    let expected = HEADER + (1usize << bits);
    if bytes.len() != expected {
        return Err(format!("{} bytes where {bits} hash bits need {expected}", bytes.len()));
    }
    Ok((bits, scale, bias))
}

/// A unit of the post a scorer rated: a sentence, or the whole post.
#[derive(Debug, Clone, PartialEq)]
pub struct Rated {
    /// The phrase that carried the score (folded bytes): the run of words whose weights add
    /// up to the most.
    pub phrase: Span,
    /// The unit's probability, 0–1.
    pub score: f32,
    /// Whether the unit is the whole post rather than one sentence of it.
    pub whole_post: bool,
}

/// What every scorer makes of one post.
pub struct Ratings {
    /// Per scorer, every sentence (in order) and then the whole post.
    pub units: Vec<Vec<Rated>>,
}

/// Scores a post with every scorer: the features are hashed once, each looked up in every
/// scorer's table.
pub fn rate(scorers: &[Scorer], prepared: &Prepared) -> Ratings {
    let tokens = prepared.tokens();
    let mut counts = vec![0u32; tokens.len()];
    let mut sums = vec![vec![0f32; tokens.len()]; scorers.len()];
    let sentences = prepared.sentences();
    features::for_each(prepared, &sentences, |t, h| {
        counts[t] += 1;
        for (s, scorer) in scorers.iter().enumerate() {
            sums[s][t] += scorer.weight(h);
        }
    });
    let units = scorers
        .iter()
        .zip(&sums)
        .map(|(scorer, sum)| {
            let mut rated: Vec<Rated> = sentences
                .iter()
                .filter_map(|range| rate_unit(scorer, tokens, &counts, sum, range.clone(), false))
                .collect();
            if sentences.len() > 1 {
                rated.extend(rate_unit(scorer, tokens, &counts, sum, 0..tokens.len(), true));
            }
            rated
        })
        .collect();
    Ratings { units }
}

fn rate_unit(
    scorer: &Scorer,
    tokens: &[Span],
    counts: &[u32],
    sums: &[f32],
    range: std::ops::Range<usize>,
    whole_post: bool,
) -> Option<Rated> {
    let n: u32 = counts[range.clone()].iter().sum();
    if n == 0 {
        return None;
    }
    let total: f32 = sums[range.clone()].iter().sum();
    let z = scorer.bias + scorer.scale * total / (n as f32).sqrt();
    let score = 1.0 / (1.0 + (-z).exp());
    let (a, b) = best_run(&sums[range.clone()]);
    let phrase = tokens[range.start + a].start..tokens[range.start + b].end;
    Some(Rated { phrase, score, whole_post })
}

/// The first and last index of the contiguous run with the largest sum (a single best item
/// when every item is negative).
fn best_run(values: &[f32]) -> (usize, usize) {
    let (mut best, mut best_at) = (f32::NEG_INFINITY, (0, 0));
    let (mut run, mut run_start) = (0f32, 0);
    for (i, &v) in values.iter().enumerate() {
        if run <= 0.0 {
            run = v;
            run_start = i;
        } else {
            run += v;
        }
        if run > best {
            best = run;
            best_at = (run_start, i);
        }
    }
    best_at
}

/// One unit of text as training sees it: where it lies in the post (bytes of the text as
/// given) and the hashes of its features, repeats included.
#[doc(hidden)]
pub struct TrainingUnit {
    pub start: usize,
    pub end: usize,
    pub hashes: Vec<u32>,
}

/// The units a post is scored in — each sentence, then the whole post when it has more than
/// one — with their features, for `cargo xtask train`.
#[doc(hidden)]
pub fn training_units(text: &str) -> Vec<TrainingUnit> {
    let prepared = Prepared::new(text);
    let tokens = prepared.tokens();
    let mut per_token: Vec<Vec<u32>> = vec![Vec::new(); tokens.len()];
    let sentences = prepared.sentences();
    features::for_each(&prepared, &sentences, |t, h| per_token[t].push(h));
    let unit = |range: std::ops::Range<usize>| {
        let span = prepared.original_span(&(tokens[range.start].start..tokens[range.end - 1].end));
        TrainingUnit { start: span.start, end: span.end, hashes: per_token[range].concat() }
    };
    let mut units: Vec<TrainingUnit> = sentences.iter().cloned().map(unit).collect();
    if sentences.len() > 1 {
        units.push(unit(0..tokens.len()));
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model_file(bits: u8, scale: f32, bias: f32, fill: impl Fn(usize) -> i8) -> &'static [u8] {
        let mut bytes = MAGIC.to_vec();
        bytes.extend([bits, 0, 0, 0]);
        bytes.extend(scale.to_le_bytes());
        bytes.extend(bias.to_le_bytes());
        bytes.extend((0..1usize << bits).map(|i| fill(i) as u8));
        Box::leak(bytes.into_boxed_slice())
    }

    #[test]
    fn damaged_model_files_are_refused_with_a_reason() {
        let good = model_file(10, 0.1, -1.0, |_| 0);
        assert!(header(good).is_ok());
        assert!(header(&good[..good.len() - 1]).unwrap_err().contains("bytes where"));
        assert!(header(b"GIF89a").unwrap_err().contains("SOM1"));
        let mut bad_bits = good.to_vec();
        bad_bits[4] = 40;
        assert!(header(&bad_bits).unwrap_err().contains("40 bits"));
        let mut nan = good.to_vec();
        nan[8..12].copy_from_slice(&f32::NAN.to_le_bytes());
        assert!(header(&nan).is_err());
    }

    /// A sentence's score follows its features' weights, and its phrase is the run of words
    /// that carried it; the whole post is rated too when it has several sentences.
    #[test]
    fn sentences_are_rated_and_narrowed_to_their_phrase() {
        // Weight +100 for the word "idiot" (hashed as features does), 0 elsewhere.
        let text = "Lovely day at clinic. You are an idiot and a menace.";
        let prepared = Prepared::new(text);
        let idiot_token = prepared.tokens().iter().position(|t| &text[t.clone()] == "idiot").unwrap();
        let mut idiot_hashes = Vec::new();
        features::for_each(&prepared, &prepared.sentences(), |t, h| {
            if t == idiot_token {
                idiot_hashes.push(h & 0xffff);
            }
        });
        let file = model_file(16, 0.05, -2.0, |i| if idiot_hashes.contains(&(i as u32)) { 100 } else { 0 });
        let scorer = Scorer::from_bytes("test", file).unwrap();
        let ratings = rate(std::slice::from_ref(&scorer), &prepared);
        let units = &ratings.units[0];
        assert_eq!(units.len(), 3, "two sentences and the post");
        assert!(units[0].score < 0.2, "{units:?}");
        assert!(units[1].score > 0.9, "{units:?}");
        assert!(units[2].whole_post && units[2].score > units[0].score);
        assert_eq!(&text[units[1].phrase.clone()], "idiot");
    }

    #[test]
    fn best_run_finds_the_largest_sum() {
        assert_eq!(best_run(&[-1.0, 2.0, -0.5, 3.0, -4.0, 1.0]), (1, 3));
        assert_eq!(best_run(&[-3.0, -1.0, -2.0]), (1, 1));
    }

    /// Training sees the same units as scoring: one per sentence, then the post, with their
    /// places in the text as given (here after a multi-byte character).
    #[test]
    fn training_units_are_sentences_then_the_post() {
        let text = "Café visit. Second one here!";
        let units = training_units(text);
        assert_eq!(units.len(), 3);
        assert_eq!(&text[units[0].start..units[0].end], "Café visit");
        assert_eq!(&text[units[1].start..units[1].end], "Second one here");
        assert_eq!((units[2].start, units[2].end), (0, text.len() - 1));
        assert_eq!(units[2].hashes, [units[0].hashes.clone(), units[1].hashes.clone()].concat());
    }
}
