//! The hashed features the learned scorers read: word unigrams and bigrams, the character
//! 3–5-grams of each word, and a few shapes that carry tone (a word in capitals, "!!", an
//! emoji). Training (`cargo xtask train`) reads its features through this module too, so a
//! model always sees at run time exactly what it was trained on.
//!
//! Every feature belongs to one token of the post, so a score can be traced back to the words
//! that carried it: a bigram belongs to its second word, a shape to the word it is in or
//! follows.

use crate::text::Prepared;
use std::ops::Range;

/// Words longer than this (in bytes) give no character n-grams past this point: a pasted
/// link or a run of digits would otherwise swamp a sentence.
const MAX_GRAM_WORD: usize = 24;

/// The kinds of feature, hashed in with each one so that a word and a character n-gram with
/// the same letters never share a weight.
#[derive(Clone, Copy)]
#[repr(u8)]
enum Kind {
    Word = 1,
    Bigram = 2,
    Chars = 3,
    Shape = 4,
    Symbol = 5,
}

/// FNV-1a over the kind and the bytes: cheap, and the same on every platform.
fn hash(kind: Kind, parts: &[&[u8]]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    let mut eat = |b: u8| {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    };
    eat(kind as u8);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            eat(0xff);
        }
        part.iter().copied().for_each(&mut eat);
    }
    h
}

/// Words that name a group of people by sexuality, gender identity, religion, race, ethnicity,
/// nationality or migration, sorted. The features read each as one shared word ("a group"),
/// without its letters: public toxicity data are full of slurs next to these names, and a
/// scorer that learnt their own letters rated "gay and transgender patients deserve the same
/// care" as hostile. What is said about a group, not which group, has to carry the rating.
const GROUP_NAMES: &[&str] = &[
    "aboriginal",
    "aboriginals",
    "aborigines",
    "african",
    "africans",
    "arab",
    "arabs",
    "asian",
    "asians",
    "asylum",
    "bisexual",
    "bisexuals",
    "buddhist",
    "buddhists",
    "catholic",
    "catholics",
    "chinese",
    "christian",
    "christians",
    "gay",
    "gays",
    "hindu",
    "hindus",
    "hispanic",
    "hispanics",
    "immigrant",
    "immigrants",
    "indian",
    "indians",
    "indigenous",
    "islam",
    "islamic",
    "jew",
    "jewish",
    "jews",
    "latina",
    "latino",
    "latinos",
    "latinx",
    "lesbian",
    "lesbians",
    "lgbt",
    "lgbtq",
    "lgbtqi",
    "lgbtqia",
    "maori",
    "mexican",
    "mexicans",
    "migrant",
    "migrants",
    "muslim",
    "muslims",
    "nonbinary",
    "queer",
    "refugee",
    "refugees",
    "sikh",
    "sikhs",
    "trans",
    "transgender",
    "transgenders",
];

/// A word as the features see it: ASCII lower case, digits as `0` (so that "45" and "72" are
/// one shape), handles as a bare `@` (who is addressed matters, not the handle), hashtags
/// without their `#`, and a group's name as a bare `*` (see [`GROUP_NAMES`]).
fn normalise(word: &str, out: &mut Vec<u8>) {
    out.clear();
    if word.starts_with('@') {
        out.push(b'@');
        return;
    }
    let word = word.strip_prefix('#').unwrap_or(word);
    if GROUP_NAMES.binary_search(&word).is_ok() {
        out.push(b'*');
        return;
    }
    out.extend(word.bytes().map(|b| if b.is_ascii_digit() { b'0' } else { b }));
}

/// Calls `each(token, hash)` for every feature of the post, tokens numbered as in
/// [`Prepared::tokens`], in token order. `sentences` are the post's, as
/// [`Prepared::sentences`] gives them: bigrams do not cross from one to the next.
pub fn for_each(prepared: &Prepared, sentences: &[Range<usize>], mut each: impl FnMut(usize, u32)) {
    let lower = prepared.lower();
    let folded = prepared.folded().as_bytes();
    let tokens = prepared.tokens();
    let mut word = Vec::with_capacity(32);
    let mut previous: Vec<u8> = Vec::with_capacity(32);
    let mut grams = Vec::with_capacity(MAX_GRAM_WORD + 2);
    let starts = sentences.iter().flat_map(|range| range.clone().map(move |t| (t, t == range.start)));
    for (t, new_sentence) in starts {
        let span = &tokens[t];
        normalise(&lower[span.clone()], &mut word);
        // A group's name says nothing by itself; only the words around it do (in bigrams).
        if word != b"*" {
            each(t, hash(Kind::Word, &[&word]));
        }
        if !new_sentence {
            each(t, hash(Kind::Bigram, &[&previous, &word]));
        }
        if word.len() > 1 {
            grams.clear();
            grams.push(b'<');
            grams.extend_from_slice(&word[..word.len().min(MAX_GRAM_WORD)]);
            grams.push(b'>');
            char_grams(&grams, |h| each(t, h));
        }
        let letters = &folded[span.clone()];
        if letters.iter().filter(|b| b.is_ascii_alphabetic()).count() >= 2
            && !letters.iter().any(u8::is_ascii_lowercase)
        {
            each(t, hash(Kind::Shape, &[b"caps"]));
        }
        // What follows the word, up to the next one: runs of "!" or "?", a starred-out
        // word ("f***"), emoji and other symbols.
        let gap_end = tokens.get(t + 1).map_or(folded.len(), |n| n.start);
        gap_features(&prepared.folded()[span.end..gap_end], |h| each(t, h));
        std::mem::swap(&mut previous, &mut word);
    }
}

/// The hashes of every 3-, 4- and 5-gram of `chars`, as [`hash`] gives them. FNV reads its
/// bytes in order, so a gram's hash is its shorter prefix's hash with one more byte eaten:
/// one pass per starting point instead of hashing each gram from its first byte.
fn char_grams(chars: &[u8], mut each: impl FnMut(u32)) {
    let seed = hash(Kind::Chars, &[]);
    for start in 0..chars.len().saturating_sub(2) {
        let mut h = seed;
        for (len, &b) in chars[start..chars.len().min(start + 5)].iter().enumerate() {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
            if len >= 2 {
                each(h);
            }
        }
    }
}

fn gap_features(gap: &str, mut each: impl FnMut(u32)) {
    let bang = gap.bytes().filter(|&b| b == b'!').count();
    let question = gap.bytes().filter(|&b| b == b'?').count();
    if bang > 0 {
        each(hash(Kind::Shape, &[if bang > 1 { b"!!" } else { b"!" }]));
    }
    if question > 1 || (question > 0 && bang > 0) {
        each(hash(Kind::Shape, &[b"??"]));
    }
    if gap.starts_with("**") {
        each(hash(Kind::Shape, &[b"starred"]));
    }
    let mut buf = [0u8; 4];
    for c in gap.chars().filter(|c| !c.is_ascii() && !c.is_whitespace()) {
        each(hash(Kind::Symbol, &[c.encode_utf8(&mut buf).as_bytes()]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(text: &str) -> Vec<(usize, u32)> {
        let prepared = Prepared::new(text);
        let mut out = Vec::new();
        for_each(&prepared, &prepared.sentences(), |t, h| out.push((t, h)));
        out
    }

    /// Digits are one shape and handles one word, so "a 45yo" and "a 72yo" or two @handles
    /// read the same; case does not matter except for the capitals shape.
    #[test]
    fn numbers_handles_and_case_are_normalised() {
        assert_eq!(features("a 45yo @drsmith"), features("a 72yo @nurse_k"));
        assert_eq!(features("Idiot doctor"), features("idiot Doctor"));
        assert_ne!(features("idiot doctor"), features("IDIOT doctor"));
    }

    /// Groups' names are one word to the scorers, so no group's own letters carry weight.
    #[test]
    fn group_names_are_one_word() {
        assert!(GROUP_NAMES.windows(2).all(|w| w[0] < w[1]), "GROUP_NAMES must stay sorted");
        assert_eq!(features("care for gay patients"), features("care for Muslim patients"));
        assert_eq!(features("#trans"), features("refugees"));
    }

    /// The rolling n-gram hashes are the hashes of the grams themselves.
    #[test]
    fn char_grams_hash_each_gram() {
        let chars = b"<idiot>";
        let mut rolled = Vec::new();
        char_grams(chars, |h| rolled.push(h));
        let mut direct: Vec<u32> = (3..=5).flat_map(|n| chars.windows(n).map(|g| hash(Kind::Chars, &[g]))).collect();
        rolled.sort_unstable();
        direct.sort_unstable();
        assert_eq!(rolled, direct);
    }

    /// A bigram never joins the last word of one sentence to the first of the next.
    #[test]
    fn bigrams_stop_at_sentence_breaks() {
        let joined = features("you idiot");
        let split = features("you. Idiot");
        assert_eq!(joined.len(), split.len() + 1);
    }

    /// Every feature names a token of the post, in order.
    #[test]
    fn features_belong_to_tokens_in_order() {
        let text = "WHY would you do that?!! 🙄 f*** off, Dr Jones";
        let prepared = Prepared::new(text);
        let got = features(text);
        assert!(got.windows(2).all(|w| w[0].0 <= w[1].0));
        assert_eq!(got.last().map(|f| f.0), Some(prepared.tokens().len() - 1));
    }
}
