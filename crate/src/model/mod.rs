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

/// The learned scorers, their weights side by side: slot `i` of the table holds every
/// scorer's weight for hash slot `i`, so a feature costs one lookup (one cache line) however
/// many scorers read it. `build.rs` lays the shipped model files out this way ([`interleave`]);
/// the table is borrowed from the embedded bytes, never copied.
pub struct Scorers {
    names: Vec<String>,
    scales: Vec<f32>,
    biases: Vec<f32>,
    mask: u32,
    table: &'static [u8],
}

/// The interleaved layout's header: the number of scorers, their shared hash bits, two zero
/// bytes; then per scorer its name's length (one byte), the name, its scale and bias (`f32`).
const LAYOUT_HEADER: usize = 4;

impl Scorers {
    /// Reads the layout [`interleave`] writes; an error names what is wrong.
    pub fn from_bytes(bytes: &'static [u8]) -> Result<Scorers, String> {
        let cut = || "the embedded models are cut short".to_owned();
        let Some(&[count, bits, 0, 0]) = bytes.get(..LAYOUT_HEADER) else {
            return Err(if bytes.is_empty() {
                "no embedded models".into()
            } else {
                "the embedded models have no valid header".into()
            });
        };
        if count == 0 && bytes.len() == LAYOUT_HEADER {
            return Ok(Scorers { names: Vec::new(), scales: Vec::new(), biases: Vec::new(), mask: 0, table: &[] });
        }
        if !(MIN_BITS..=MAX_BITS).contains(&bits) {
            return Err(format!("the embedded models have an unsupported hash size ({bits} bits)"));
        }
        let mut rest = &bytes[LAYOUT_HEADER..];
        let (mut names, mut scales, mut biases) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..count {
            let (&len, after) = rest.split_first().ok_or_else(cut)?;
            let (name, after) = after.split_at_checked(len.into()).ok_or_else(cut)?;
            let (numbers, after) = after.split_at_checked(8).ok_or_else(cut)?;
            names.push(std::str::from_utf8(name).map_err(|_| "an embedded model's name is not UTF-8")?.to_owned());
            scales.push(f32_at(numbers, 0));
            biases.push(f32_at(numbers, 4));
            rest = after;
        }
        if rest.len() != (usize::from(count)) << bits {
            return Err(format!(
                "the embedded models' table has {} bytes where {count} scorers of {bits} bits need {}",
                rest.len(),
                usize::from(count) << bits
            ));
        }
        Ok(Scorers { names, scales, biases, mask: (1u32 << bits) - 1, table: rest })
    }

    /// The index of the scorer called `name`.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Every scorer's weight (in units of its scale) for one feature's hash.
    fn weights(&self, hash: u32) -> &[u8] {
        let at = (hash & self.mask) as usize * self.names.len();
        &self.table[at..at + self.names.len()]
    }
}

fn f32_at(bytes: &[u8], at: usize) -> f32 {
    f32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// Lays model files (each checked by [`header`]) side by side in the layout
/// [`Scorers::from_bytes`] reads. They must share their hash bits, as one table serves all.
pub fn interleave(files: &[(&str, &[u8])]) -> Result<Vec<u8>, String> {
    let count = u8::try_from(files.len()).map_err(|_| "more than 255 models".to_owned())?;
    let mut bits = None;
    let mut out = vec![count, 0, 0, 0];
    for (name, bytes) in files {
        let (b, scale, bias) = header(bytes).map_err(|e| format!("model {name}: {e}"))?;
        if bits.is_some_and(|first| first != b) {
            return Err(format!(
                "model {name} has {b} hash bits where the others have {}; they share one table",
                bits.unwrap_or(b)
            ));
        }
        bits = Some(b);
        out.push(u8::try_from(name.len()).map_err(|_| format!("model name {name:?} is too long"))?);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&scale.to_le_bytes());
        out.extend_from_slice(&bias.to_le_bytes());
    }
    let Some(bits) = bits else { return Ok(out) };
    out[1] = bits;
    let slots = 1usize << bits;
    out.reserve(slots * files.len());
    for slot in 0..slots {
        out.extend(files.iter().map(|(_, bytes)| bytes[HEADER + slot]));
    }
    Ok(out)
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
    let (scale, bias) = (f32_at(bytes, 8), f32_at(bytes, 12));
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

/// Scores a post with every scorer: the features are hashed once, each looked up once in
/// the shared table. Weights are added up as integers per token and scaled per unit.
pub fn rate(scorers: &Scorers, prepared: &Prepared) -> Ratings {
    let tokens = prepared.tokens();
    let k = scorers.len();
    let mut counts = vec![0u32; tokens.len()];
    let mut sums = vec![0i32; tokens.len() * k];
    let sentences = prepared.sentences();
    features::for_each(prepared, &sentences, |t, h| {
        counts[t] += 1;
        for (sum, &w) in sums[t * k..(t + 1) * k].iter_mut().zip(scorers.weights(h)) {
            *sum += i32::from(w as i8);
        }
    });
    let units = (0..k)
        .map(|s| {
            let per_token: Vec<i32> = sums.iter().skip(s).step_by(k).copied().collect();
            let unit = |range: std::ops::Range<usize>, whole_post: bool| {
                rate_unit(scorers.scales[s], scorers.biases[s], tokens, &counts, &per_token, range, whole_post)
            };
            let mut rated: Vec<Rated> = sentences.iter().filter_map(|range| unit(range.clone(), false)).collect();
            if sentences.len() > 1 {
                rated.extend(unit(0..tokens.len(), true));
            }
            rated
        })
        .collect();
    Ratings { units }
}

fn rate_unit(
    scale: f32,
    bias: f32,
    tokens: &[Span],
    counts: &[u32],
    sums: &[i32],
    range: std::ops::Range<usize>,
    whole_post: bool,
) -> Option<Rated> {
    let n: u32 = counts[range.clone()].iter().sum();
    if n == 0 {
        return None;
    }
    let total: i64 = sums[range.clone()].iter().map(|&v| i64::from(v)).sum();
    let z = bias + scale * total as f32 / (n as f32).sqrt();
    let score = 1.0 / (1.0 + (-z).exp());
    let (a, b) = best_run(&sums[range.clone()]);
    let phrase = tokens[range.start + a].start..tokens[range.start + b].end;
    Some(Rated { phrase, score, whole_post })
}

/// The first and last index of the contiguous run with the largest sum (a single best item
/// when every item is negative).
fn best_run(values: &[i32]) -> (usize, usize) {
    let (mut best, mut best_at) = (i64::MIN, (0, 0));
    let (mut run, mut run_start) = (0i64, 0);
    for (i, &v) in values.iter().enumerate() {
        let v = i64::from(v);
        if run <= 0 {
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
        leak(bytes)
    }

    fn leak(bytes: Vec<u8>) -> &'static [u8] {
        Box::leak(bytes.into_boxed_slice())
    }

    /// Scorers laid side by side read back each with its own weights, scale and bias; files
    /// of different hash sizes cannot share a table, and a damaged layout is refused.
    #[test]
    fn interleaved_scorers_keep_their_own_weights() {
        let a = model_file(10, 0.5, 1.0, |i| (i % 7) as i8);
        let b = model_file(10, 0.25, -1.0, |i| -((i % 5) as i8));
        let laid = leak(interleave(&[("a", a), ("b", b)]).unwrap());
        let scorers = Scorers::from_bytes(laid).unwrap();
        assert_eq!((scorers.position("b"), scorers.len()), (Some(1), 2));
        assert_eq!((scorers.scales[1], scorers.biases[0]), (0.25, 1.0));
        for slot in [0u32, 6, 1023, 1024 + 12] {
            let w = scorers.weights(slot);
            assert_eq!((w[0] as i8, w[1] as i8), ((slot % 1024 % 7) as i8, -((slot % 1024 % 5) as i8)));
        }
        let small = model_file(11, 0.5, 1.0, |_| 0);
        assert!(interleave(&[("a", a), ("c", small)]).unwrap_err().contains("share one table"));
        let refused = |bytes: &'static [u8]| Scorers::from_bytes(bytes).err().unwrap_or_default();
        assert!(refused(&laid[..laid.len() - 1]).contains("need"));
        assert!(refused(&laid[..6]).contains("cut short"));
        assert!(!refused(&[]).is_empty());
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
        let scorers = Scorers::from_bytes(leak(interleave(&[("test", file)]).unwrap())).unwrap();
        let ratings = rate(&scorers, &prepared);
        let units = &ratings.units[0];
        assert_eq!(units.len(), 3, "two sentences and the post");
        assert!(units[0].score < 0.2, "{units:?}");
        assert!(units[1].score > 0.9, "{units:?}");
        assert!(units[2].whole_post && units[2].score > units[0].score);
        assert_eq!(&text[units[1].phrase.clone()], "idiot");
    }

    #[test]
    fn best_run_finds_the_largest_sum() {
        assert_eq!(best_run(&[-2, 4, -1, 6, -8, 2]), (1, 3));
        assert_eq!(best_run(&[-3, -1, -2]), (1, 1));
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
