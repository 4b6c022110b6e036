//! The post as the detectors see it, and the way back to the post as the user typed it.
//!
//! Detectors match against a *folded* copy: invisible characters (zero-width, bidi controls,
//! soft hyphens) are dropped and look-alike forms (fullwidth digits, curly quotes, odd
//! spaces and dashes) become plain ASCII, so "2123 ⁠45670 1" or "２１２３…" cannot slip past a
//! pattern. Every folded byte remembers which original character it came from, so findings
//! are reported over the original text.

use std::ops::Range;

/// A byte span in the folded text.
pub type Span = Range<usize>;

/// The folded text plus the word and sentence structure the detectors use for "near".
pub struct Prepared<'a> {
    original: &'a str,
    folded: String,
    /// The folded text in ASCII lower case (same length and offsets), for the word lists.
    lower: String,
    /// For each folded byte, the original byte offset of the character it came from.
    /// Empty when folding changed nothing (the common case), meaning offsets are equal.
    origin: Vec<u32>,
    /// Word tokens, as folded byte spans, in order.
    tokens: Vec<Span>,
    /// Folded byte offsets where a sentence ends.
    breaks: Vec<usize>,
}

impl<'a> Prepared<'a> {
    pub fn new(original: &'a str) -> Prepared<'a> {
        let (folded, origin) = fold(original);
        let tokens = tokenize(&folded);
        let breaks = sentence_breaks(&folded, &tokens);
        let lower = folded.to_ascii_lowercase();
        Prepared { original, folded, lower, origin, tokens, breaks }
    }

    pub fn folded(&self) -> &str {
        &self.folded
    }

    pub fn lower(&self) -> &str {
        &self.lower
    }

    /// Word tokens, as folded byte spans, in order.
    pub fn tokens(&self) -> &[Span] {
        &self.tokens
    }

    /// Folded byte offsets where a sentence ends, ascending.
    pub fn breaks(&self) -> &[usize] {
        &self.breaks
    }

    /// The post's sentences as ranges of [`Prepared::tokens`]: a sentence break between two
    /// tokens starts a new one; sentences without a token are left out.
    pub fn sentences(&self) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut first = 0;
        let mut b = 0;
        for (t, span) in self.tokens.iter().enumerate() {
            let mut broke = false;
            while b < self.breaks.len() && self.breaks[b] < span.start {
                b += 1;
                broke = true;
            }
            if broke && t > first {
                out.push(first..t);
                first = t;
            }
        }
        if first < self.tokens.len() {
            out.push(first..self.tokens.len());
        }
        out
    }

    /// Maps a folded span back to the original text, covering whole original characters.
    pub fn original_span(&self, span: &Span) -> Span {
        if self.origin.is_empty() {
            return span.clone();
        }
        let start = self.origin.get(span.start).map_or(self.original.len(), |&o| o as usize);
        let mut end = if span.end == 0 {
            start
        } else {
            // The original character that produced the last folded byte ends the span...
            let last = self.origin[span.end - 1] as usize;
            last + self.original[last..].chars().next().map_or(0, char::len_utf8)
        };
        // ...together with any dropped marks that follow it (a combining accent, a variation
        // selector), so an underline never splits what the reader sees as one character.
        for c in self.original[end..].chars() {
            if fold_char(c).is_some() {
                break;
            }
            end += c.len_utf8();
        }
        start..end.max(start)
    }

    /// The byte range spanned by the window of `before` words before and `after` words
    /// after `span` (the span itself when both are zero).
    pub fn window(&self, span: &Span, before: usize, after: usize) -> Span {
        // Index of the first token ending after the span starts, and one past the last
        // token starting before it ends.
        let first = self.tokens.partition_point(|t| t.end <= span.start);
        let past = self.tokens.partition_point(|t| t.start < span.end);
        let start = if before == 0 || first == 0 {
            if before == 0 {
                span.start
            } else {
                0
            }
        } else {
            self.tokens[first.saturating_sub(before)].start.min(span.start)
        };
        let end = if after == 0 {
            span.end
        } else {
            let idx = past + after - 1;
            if idx >= self.tokens.len() {
                self.folded.len()
            } else {
                self.tokens[idx].end.max(span.end)
            }
        };
        start..end
    }

    /// Whether a sentence ends between two spans (false when they overlap).
    pub fn sentence_break_between(&self, a: &Span, b: &Span) -> bool {
        let (gap_start, gap_end) = if a.end <= b.start {
            (a.end, b.start)
        } else if b.end <= a.start {
            (b.end, a.start)
        } else {
            return false;
        };
        let i = self.breaks.partition_point(|&p| p < gap_start);
        i < self.breaks.len() && self.breaks[i] < gap_end
    }
}

/// Builds the folded text and, when anything changed, the origin table.
fn fold(original: &str) -> (String, Vec<u32>) {
    let plain = |c: char| {
        fold_char(c) == Some(c) && (c.is_ascii() || (latin_lookalike(c).is_none() && digit_lookalike(c).is_none()))
    };
    // ASCII folds to itself, and most posts are ASCII: `is_ascii` answers for them at a few
    // bytes a step.
    if (original.is_ascii() || original.chars().all(plain)) && !may_need_context(original.as_bytes()) {
        return (original.to_owned(), Vec::new());
    }
    // Posts are far below 4 GiB; the CLI refuses larger input before it gets here.
    let mut chars: Vec<(char, u32)> = original
        .char_indices()
        .filter_map(|(at, c)| fold_char(c).map(|f| (f, u32::try_from(at).unwrap_or(u32::MAX))))
        .collect();
    fold_in_context(&mut chars);
    let mut folded = String::with_capacity(original.len());
    let mut origin = Vec::with_capacity(original.len());
    for (f, at) in chars {
        folded.push(f);
        origin.resize(folded.len(), at);
    }
    if folded == original {
        origin.clear();
    }
    (folded, origin)
}

/// Separators a digit-by-digit spaced number may use ("0 4 1 2…", "4.8.2.9…").
const DIGIT_SEPARATORS: [char; 4] = [' ', '.', '-', '_'];

/// At least this many single digits, one separator apart, are read as one number.
const MIN_SPACED_DIGITS: usize = 5;

/// Whether plain ASCII text could need [`fold_in_context`]: a letter that looks like a digit
/// beside a digit, or three single-separated digits. A cheap test that keeps ordinary posts on
/// the fast path.
fn may_need_context(bytes: &[u8]) -> bool {
    let sep = |b: u8| DIGIT_SEPARATORS.contains(&char::from(b));
    bytes.windows(2).any(|w| {
        (w[0].is_ascii_digit() && matches!(w[1], b'O' | b'o' | b'I' | b'l'))
            || (w[1].is_ascii_digit() && matches!(w[0], b'O' | b'o' | b'I' | b'l'))
    }) || bytes
        .windows(5)
        .any(|w| w[0].is_ascii_digit() && sep(w[1]) && w[2].is_ascii_digit() && sep(w[3]) && w[4].is_ascii_digit())
}

/// Folds that depend on the neighbouring characters, each aimed at a way of hiding an
/// identifier from a pattern while a reader still sees it:
///
/// - a word mixing Latin letters with Cyrillic or Greek look-alikes ("Мr", "Rоbert" with a
///   Cyrillic М or о) is read in Latin letters; words wholly in another script are left alone;
/// - a number with a letter O or l/I in place of a digit ("O412 345 678", "482913l") is read
///   as digits when digits are the majority of the word;
/// - five or more single digits one separator apart ("0 4 1 2 3 4 5 6 7 8") are read as one
///   number (the separators are dropped, so the span still covers them).
fn fold_in_context(chars: &mut Vec<(char, u32)>) {
    let mut start = 0;
    while start < chars.len() {
        if !chars[start].0.is_alphanumeric() {
            start += 1;
            continue;
        }
        let end = chars[start..].iter().position(|(c, _)| !c.is_alphanumeric()).map_or(chars.len(), |n| start + n);
        let word = &mut chars[start..end];
        let digits = word.iter().filter(|(c, _)| c.is_ascii_digit()).count();
        let digit_like = word.iter().filter(|(c, _)| digit_lookalike(*c).is_some()).count();
        if digits >= 2 && digit_like >= 1 && digit_like <= digits && digits + digit_like == word.len() {
            for (c, _) in word.iter_mut() {
                *c = digit_lookalike(*c).unwrap_or(*c);
            }
        } else if word.iter().any(|(c, _)| c.is_ascii_alphabetic()) {
            for (c, _) in word.iter_mut() {
                *c = latin_lookalike(*c).unwrap_or(*c);
            }
        }
        start = end;
    }
    join_spaced_digits(chars);
}

/// Drops the separators inside runs of [`MIN_SPACED_DIGITS`] or more lone digits.
fn join_spaced_digits(chars: &mut Vec<(char, u32)>) {
    let is_alnum = |i: usize, chars: &[(char, u32)]| chars.get(i).is_some_and(|(c, _)| c.is_alphanumeric());
    let lone_digit = |i: usize, chars: &[(char, u32)]| {
        chars[i].0.is_ascii_digit() && !(i > 0 && is_alnum(i - 1, chars)) && !is_alnum(i + 1, chars)
    };
    let mut drop = vec![false; chars.len()];
    let mut any = false;
    let mut i = 0;
    while i < chars.len() {
        if !lone_digit(i, chars) {
            i += 1;
            continue;
        }
        let mut last = i;
        let mut count = 1;
        while last + 2 < chars.len() && DIGIT_SEPARATORS.contains(&chars[last + 1].0) && lone_digit(last + 2, chars) {
            last += 2;
            count += 1;
        }
        if count >= MIN_SPACED_DIGITS {
            (i + 1..last).step_by(2).for_each(|sep| drop[sep] = true);
            any = true;
        }
        i = last + 1;
    }
    if any {
        let mut index = 0;
        chars.retain(|_| {
            index += 1;
            !drop[index - 1]
        });
    }
}

/// The digit a letter stands for when typed in place of one (O for 0, l or I for 1).
fn digit_lookalike(c: char) -> Option<char> {
    match c {
        'O' | 'o' | '\u{041E}' | '\u{043E}' | '\u{039F}' | '\u{03BF}' => Some('0'),
        'l' | 'I' | '\u{0406}' | '\u{0456}' | '\u{0399}' | '\u{04CF}' => Some('1'),
        '\u{0417}' => Some('3'),
        _ => None,
    }
}

/// The Latin letter a Cyrillic or Greek letter is drawn like, for the letters that look the
/// same in common fonts.
fn latin_lookalike(c: char) -> Option<char> {
    let latin = match c {
        // Cyrillic capitals А В Е К М Н О Р С Т Х У Ѕ І Ј Ԛ Ԝ.
        '\u{0410}' => 'A',
        '\u{0412}' => 'B',
        '\u{0415}' => 'E',
        '\u{041A}' => 'K',
        '\u{041C}' => 'M',
        '\u{041D}' => 'H',
        '\u{041E}' => 'O',
        '\u{0420}' => 'P',
        '\u{0421}' => 'C',
        '\u{0422}' => 'T',
        '\u{0425}' => 'X',
        '\u{0423}' => 'Y',
        '\u{0405}' => 'S',
        '\u{0406}' => 'I',
        '\u{0408}' => 'J',
        '\u{051A}' => 'Q',
        '\u{051C}' => 'W',
        // Cyrillic small а е о р с у х ѕ і ј һ ԁ ӏ ԛ ԝ.
        '\u{0430}' => 'a',
        '\u{0435}' => 'e',
        '\u{043E}' => 'o',
        '\u{0440}' => 'p',
        '\u{0441}' => 'c',
        '\u{0443}' => 'y',
        '\u{0445}' => 'x',
        '\u{0455}' => 's',
        '\u{0456}' => 'i',
        '\u{0458}' => 'j',
        '\u{04BB}' => 'h',
        '\u{0501}' => 'd',
        '\u{04CF}' => 'l',
        '\u{051B}' => 'q',
        '\u{051D}' => 'w',
        // Greek capitals Α Β Ε Ζ Η Ι Κ Μ Ν Ο Ρ Τ Υ Χ and small ο ν.
        '\u{0391}' => 'A',
        '\u{0392}' => 'B',
        '\u{0395}' => 'E',
        '\u{0396}' => 'Z',
        '\u{0397}' => 'H',
        '\u{0399}' => 'I',
        '\u{039A}' => 'K',
        '\u{039C}' => 'M',
        '\u{039D}' => 'N',
        '\u{039F}' => 'O',
        '\u{03A1}' => 'P',
        '\u{03A4}' => 'T',
        '\u{03A5}' => 'Y',
        '\u{03A7}' => 'X',
        '\u{03BF}' => 'o',
        '\u{03BD}' => 'v',
        _ => return None,
    };
    Some(latin)
}

/// What one character becomes in the folded text; `None` drops it.
fn fold_char(c: char) -> Option<char> {
    match c {
        // Zero-width characters, joiners, soft hyphen, word joiner, BOM, bidi controls.
        '\u{200B}'..='\u{200F}' | '\u{00AD}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' => None,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' => None,
        // Combining marks (accents typed separately, strike-through, keycaps), variation
        // selectors, tags and blank look-alikes: invisible in a number or word.
        '\u{0300}'..='\u{036F}' | '\u{20D0}'..='\u{20FF}' | '\u{FE00}'..='\u{FE0F}' => None,
        '\u{E0000}'..='\u{E0FFF}' | '\u{180E}' | '\u{2800}' | '\u{115F}' | '\u{1160}' | '\u{3164}' => None,
        // Decimal digits of other scripts and the mathematical alphabets.
        '\u{0660}'..='\u{0669}' => char::from_u32('0' as u32 + (c as u32 - 0x0660)),
        '\u{06F0}'..='\u{06F9}' => char::from_u32('0' as u32 + (c as u32 - 0x06F0)),
        '\u{0966}'..='\u{096F}' => char::from_u32('0' as u32 + (c as u32 - 0x0966)),
        '\u{1D7CE}'..='\u{1D7FF}' => char::from_u32('0' as u32 + (c as u32 - 0x1D7CE) % 10),
        // Bold, italic, script, sans-serif… letters ("𝗠𝗥𝗡"), which "fancy text" tools post.
        '\u{1D400}'..='\u{1D6A3}' => {
            let n = (c as u32 - 0x1D400) % 52;
            char::from_u32(if n < 26 { 'A' as u32 + n } else { 'a' as u32 + n - 26 })
        }
        // Fullwidth ASCII forms.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        // Spaces of every width.
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => Some(' '),
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' => Some('"'),
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' => Some('-'),
        _ => Some(c),
    }
}

/// Letters, digits and `_`: what counts as part of a word for tokens and whole-word matching.
#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        is_ascii_word_byte(c as u8)
    } else {
        c.is_alphanumeric()
    }
}

/// An ASCII letter, digit or `_`: a word byte for the patterns' `\b`, which the build makes
/// ASCII-only (see `packs::ascii`), and for where the word lists may start.
#[inline]
pub fn is_ascii_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// Splits into words: runs of letters, digits and `_`, with inner apostrophes ("don't") and
/// a leading `@` or `#` (handles and hashtags) kept.
fn tokenize(text: &str) -> Vec<Span> {
    let mut tokens = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_is_word = chars.peek().is_some_and(|&(_, n)| is_word_char(n));
        match start {
            None if is_word_char(c) || ((c == '@' || c == '#') && next_is_word) => start = Some(i),
            Some(s) if !(is_word_char(c) || (c == '\'' && next_is_word)) => {
                tokens.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        tokens.push(s..text.len());
    }
    tokens
}

/// Short words after which a full stop does not end a sentence ("Dr. Smith", "e.g. this").
const ABBREVIATIONS: &[&str] = &[
    "dr", "mr", "mrs", "ms", "mx", "prof", "st", "vs", "eg", "ie", "approx", "no", "fig", "etc", "jr", "sr", "assoc",
    "dept", "pt",
];

/// Offsets at which sentences end: newlines, and `.`, `!`, `?` before a space or the end,
/// except after abbreviations and initials.
fn sentence_breaks(text: &str, tokens: &[Span]) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut breaks = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        let ends = match b {
            b'\n' | b'\r' => true,
            // "!" and "?" end a sentence before a space or the end, not inside "?q=" or "Yahoo!s".
            b'!' | b'?' => bytes
                .get(i + 1)
                .is_none_or(|n| n.is_ascii_whitespace() || matches!(n, b'!' | b'?' | b'"' | b'\'' | b')')),
            b'.' => {
                let followed_by_space = bytes.get(i + 1).is_none_or(u8::is_ascii_whitespace);
                followed_by_space && !after_abbreviation(text, tokens, i)
            }
            _ => false,
        };
        if ends {
            breaks.push(i);
        }
    }
    breaks
}

fn after_abbreviation(text: &str, tokens: &[Span], dot: usize) -> bool {
    let idx = tokens.partition_point(|t| t.end <= dot);
    if idx == 0 {
        return false;
    }
    let prev = &tokens[idx - 1];
    if prev.end != dot {
        return false;
    }
    let word = &text[prev.clone()];
    // An initial ("J. Smith") or the last letter of a dotted abbreviation ("e.g.", "i.e.").
    let single = word.chars().count() == 1;
    let dotted = text[..prev.start].ends_with('.');
    (single && (word.chars().all(char::is_uppercase) || dotted))
        || ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// Converts sorted byte offsets into UTF-16 code-unit offsets in one pass over the text.
/// `offsets` must be ascending and lie on character boundaries of `text`.
pub fn utf16_offsets(text: &str, offsets: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(offsets.len());
    let mut units = 0usize;
    let mut chars = text.char_indices().peekable();
    for &target in offsets {
        while let Some(&(i, c)) = chars.peek() {
            if i >= target {
                break;
            }
            units += c.len_utf16();
            chars.next();
        }
        out.push(units);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_invisible_characters_and_maps_back() {
        let text = "MRN 12\u{200B}34567 ok";
        let p = Prepared::new(text);
        assert_eq!(p.folded(), "MRN 1234567 ok");
        let start = p.folded().find("1234567").unwrap();
        let span = p.original_span(&(start..start + 7));
        assert_eq!(&text[span], "12\u{200B}34567");
    }

    #[test]
    fn fullwidth_digits_fold_to_ascii() {
        let text = "bed １２";
        let p = Prepared::new(text);
        assert_eq!(p.folded(), "bed 12");
        assert_eq!(&text[p.original_span(&(4..6))], "１２");
    }

    #[test]
    fn other_digits_and_marks_fold_and_spans_keep_whole_characters() {
        let text = "MRN ٤٨2\u{0336}9 Jose\u{301} 𝟒";
        let p = Prepared::new(text);
        assert_eq!(p.folded(), "MRN 4829 Jose 4");
        let jose = p.folded().find("Jose").unwrap();
        assert_eq!(&text[p.original_span(&(jose..jose + 4))], "Jose\u{301}");
    }

    #[test]
    fn dotted_abbreviations_do_not_end_sentences() {
        let p = Prepared::new("Use e.g. this one. Then stop.");
        let use_ = 0..3;
        let this = 9..13;
        let then = 19..23;
        assert!(!p.sentence_break_between(&use_, &this));
        assert!(p.sentence_break_between(&this, &then));
    }

    #[test]
    fn tokens_keep_handles_and_apostrophes() {
        let t = tokenize("@drsmith you're #MedTwitter 84F.");
        let words: Vec<&str> = t.iter().map(|s| &"@drsmith you're #MedTwitter 84F."[s.clone()]).collect();
        assert_eq!(words, ["@drsmith", "you're", "#MedTwitter", "84F"]);
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let p = Prepared::new("Dr. Smith is here. You are not.");
        let smith = 4..9;
        let here = 13..17;
        let you = 19..22;
        assert!(!p.sentence_break_between(&smith, &here));
        assert!(p.sentence_break_between(&here, &you));
    }

    #[test]
    fn windows_count_words() {
        let text = "one two three four five";
        let p = Prepared::new(text);
        let three = 8..13;
        assert_eq!(&text[p.window(&three, 1, 1)], "two three four");
        assert_eq!(&text[p.window(&three, 0, 0)], "three");
        assert_eq!(&text[p.window(&three, 9, 9)], text);
    }

    #[test]
    fn utf16_counts_surrogate_pairs() {
        let text = "a😀b€c";
        let offs = [0, 1, 5, 6, 9, 10];
        assert_eq!(utf16_offsets(text, &offs), vec![0, 1, 3, 4, 5, 6]);
    }
}
