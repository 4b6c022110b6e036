//! The prefilter's literals for each pattern: what a post must contain for the pattern to be
//! worth running, and where its matches can start (see `crate::lists::Prefilter`).

use crate::lists::{LiteralGroup, PatternFilter, Starts};
use crate::text;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// The shortest literal worth requiring at the end or in the middle of a pattern's matches.
/// Shorter ones ("7", "42": most patterns end in digits) are in nearly every post that
/// matters and would be found at almost every byte of a long number, costing more than
/// they save.
const MIN_LITERAL: usize = 3;

/// For a pattern, groups of literals (ASCII lower case) a post must contain one of, group by
/// group, to match: the literals every match starts with, those it ends with, and those of the
/// most telling part in between, where such finite sets are known.
pub fn pattern_filter(pattern: &str) -> PatternFilter {
    let Ok(hir) = regex_syntax::parse(pattern) else {
        return PatternFilter { groups: Vec::new(), digit_run: 0 };
    };
    let group = |literals, starts, at_word_start| LiteralGroup { literals, starts, at_word_start };
    let parts = concat_parts(&hir);
    let first = edge_literals(&hir, ExtractKind::Prefix);
    let last = edge_literals(&hir, ExtractKind::Suffix).filter(|words| telling(words));
    let inner =
        inner_literals(parts).filter(|(_, inner)| Some(inner) != first.as_ref() && Some(inner) != last.as_ref());
    // Where matches start is worth knowing only when the literals are telling: "1" or "a"
    // would be found, and recorded, at almost every byte.
    let longest = hir.properties().maximum_len().and_then(|len| u32::try_from(len).ok());
    let first = first.map(|literals| {
        let starts = telling(&literals).then_some(Starts { longest });
        let at_word_start = parts.first().is_some_and(is_word_boundary)
            && literals.iter().all(|l| text::is_ascii_word_byte(l.as_bytes()[0]));
        group(literals, starts, at_word_start)
    });
    let inner = inner.map(|(at, literals)| group(literals, None, at > 0 && ends_in_non_word(&parts[at - 1])));
    let groups = first.into_iter().chain(last.map(|l| group(l, None, false))).chain(inner).collect();
    PatternFilter { groups, digit_run: digit_run(&hir) }
}

/// Whether a group of literals is worth requiring: none shorter than [`MIN_LITERAL`].
fn telling(words: &[String]) -> bool {
    words.iter().all(|w| w.len() >= MIN_LITERAL)
}

/// The literals that begin the most telling required part of a pattern: of the parts a
/// pattern is a sequence of (looking inside a capture group), each part every match must
/// contain has literals every match of that part starts with; the group whose shortest
/// literal is longest is kept. The edges alone often say little: a pattern starting with
/// "the|this|that" and ending in a name runs on almost every post, while the "kid|guy|man"
/// in its middle is rarer.
/// Returns the part's index with its literals.
fn inner_literals(parts: &[Hir]) -> Option<(usize, Vec<String>)> {
    parts
        .iter()
        .enumerate()
        .filter(|(_, part)| part.properties().minimum_len().is_some_and(|len| len > 0))
        .filter_map(|(at, part)| Some((at, edge_literals(part, ExtractKind::Prefix)?)))
        .filter(|(_, words)| telling(words))
        .max_by_key(|(_, words)| (words.iter().map(String::len).min(), std::cmp::Reverse(words.len())))
}

/// The parts a pattern is a sequence of, looking inside capture groups; the pattern itself
/// when it is not a sequence.
fn concat_parts(hir: &Hir) -> &[Hir] {
    let mut node = hir;
    while let HirKind::Capture(capture) = node.kind() {
        node = &capture.sub;
    }
    match node.kind() {
        HirKind::Concat(parts) => parts,
        _ => std::slice::from_ref(node),
    }
}

/// The most ASCII digits in a row that every match of `hir` holds: consecutive parts of a
/// sequence that match only digits (`[0-9]{3}`, `[1-9]`) add up; anything else, even an
/// optional separator, ends a run.
fn digit_run(hir: &Hir) -> u32 {
    let (mut longest, mut run) = (0, 0);
    for part in concat_parts(hir) {
        run = match digits_only(part) {
            Some(least) => run + least,
            None => 0,
        };
        longest = longest.max(run);
    }
    longest
}

/// When `part` matches only ASCII digits: how many at least.
fn digits_only(part: &Hir) -> Option<u32> {
    match part.kind() {
        HirKind::Class(Class::Unicode(class)) => {
            class.ranges().iter().all(|r| r.start().is_ascii_digit() && r.end().is_ascii_digit()).then_some(1)
        }
        HirKind::Class(Class::Bytes(class)) => {
            class.ranges().iter().all(|r| r.start().is_ascii_digit() && r.end().is_ascii_digit()).then_some(1)
        }
        HirKind::Literal(literal) => literal.0.iter().all(u8::is_ascii_digit).then_some(literal.0.len() as u32),
        HirKind::Repetition(rep) => digits_only(&rep.sub).map(|least| least * rep.min),
        HirKind::Capture(capture) => digits_only(&capture.sub),
        _ => None,
    }
}

/// Whether `part` is an ASCII word boundary (`(?-u:\b)`, as the build writes `\b`): before a
/// literal starting with an ASCII letter, digit or `_`, the byte before a match is then not
/// one, so the literal needs looking for only where a word starts (see
/// `lists::LiteralGroup::at_word_start`).
fn is_word_boundary(part: &Hir) -> bool {
    matches!(part.kind(), HirKind::Look(Look::WordAscii))
}

/// Whether every match of `part` ends in a character that is not an ASCII letter, digit or
/// `_` (a space, say): whatever follows it then starts where the byte before is not one.
fn ends_in_non_word(part: &Hir) -> bool {
    const WORD: [(u32, u32); 4] = [(0x30, 0x39), (0x41, 0x5a), (0x5f, 0x5f), (0x61, 0x7a)];
    let clear = |start: u32, end: u32| WORD.iter().all(|&(lo, hi)| end < lo || start > hi);
    match part.kind() {
        HirKind::Class(Class::Unicode(class)) => class.ranges().iter().all(|r| clear(r.start().into(), r.end().into())),
        HirKind::Class(Class::Bytes(class)) => class.ranges().iter().all(|r| clear(r.start().into(), r.end().into())),
        HirKind::Literal(literal) => literal.0.last().is_some_and(|&b| clear(b.into(), b.into())),
        HirKind::Repetition(rep) if rep.min > 0 => ends_in_non_word(&rep.sub),
        HirKind::Capture(capture) => ends_in_non_word(&capture.sub),
        _ => false,
    }
}

/// The most literals a group may have (after lowering their case).
const MAX_GROUP: usize = 160;

/// The literals every match of `hir` starts with (or, for `ExtractKind::Suffix`, ends
/// with), lowercased, when there are a manageable number of them; `None` when a match can
/// start (end) almost anywhere.
///
/// A case-insensitive pattern has every case variant of its words as literals ("the",
/// "The", "tHe"...), which lowering their case folds back together: so the extractor may
/// first go up to ten times the limit, and only if that many do not fold into the limit does
/// it try again within the limit, where it gives shorter literals.
fn edge_literals(hir: &Hir, kind: ExtractKind) -> Option<Vec<String>> {
    let suffix = matches!(kind, ExtractKind::Suffix);
    edge_literals_within(hir, suffix, 10 * MAX_GROUP)
        .filter(|words| words.len() <= MAX_GROUP)
        .or_else(|| edge_literals_within(hir, suffix, MAX_GROUP))
}

fn edge_literals_within(hir: &Hir, suffix: bool, limit: usize) -> Option<Vec<String>> {
    let mut extractor = Extractor::new();
    let kind = if suffix { ExtractKind::Suffix } else { ExtractKind::Prefix };
    extractor.kind(kind).limit_class(16).limit_total(limit);
    let seq = extractor.extract(hir);
    let literals = seq.literals()?;
    // A literal cut short by the extractor may split a character: keep its whole characters
    // (still a prefix, or suffix, of every match). Only ASCII is lowercased, as the post is.
    let mut words: Vec<String> = literals
        .iter()
        .map(|l| {
            let bytes = l.as_bytes();
            let whole = if suffix {
                (0..=bytes.len()).find_map(|i| std::str::from_utf8(&bytes[i..]).ok()).unwrap_or_default()
            } else {
                match std::str::from_utf8(bytes) {
                    Ok(s) => s,
                    Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
                }
            };
            whole.to_ascii_lowercase()
        })
        .collect();
    if words.is_empty() || words.iter().any(String::is_empty) {
        return None;
    }
    words.sort();
    words.dedup();
    Some(words)
}
