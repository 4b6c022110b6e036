//! Reads the rule packs in `../rules/`, validates them, and embeds them: the rules and
//! patterns as JSON, the word lists and the patterns' prefilter literals as tries in
//! `lists.bin` (see `src/lists.rs`), so the engine reads them back instead of building them.
//!
//! A malformed pack (bad TOML, unknown field, missing signal, invalid regex, too few
//! examples) fails the build here with a message naming the file and rule, so the engine
//! never meets a broken pack at run time.

#[path = "src/lists.rs"]
#[allow(dead_code)]
mod lists;
#[path = "src/model/mod.rs"]
#[allow(dead_code)]
mod model;
#[path = "src/schema.rs"]
#[allow(dead_code)]
mod schema;
#[path = "src/text.rs"]
#[allow(dead_code)]
mod text;
#[path = "src/trie.rs"]
#[allow(dead_code)]
mod trie;

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, Hir, HirKind, Look};
use schema::{Detect, Example, Pack, RuleDef};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every rule needs at least this many texts that must flag and that must pass.
const MIN_EXAMPLES: usize = 3;

/// The shortest literal worth requiring at the end or in the middle of a pattern's matches.
/// Shorter ones ("7", "42": most patterns end in digits) are in nearly every post that
/// matters and would be found at almost every byte of a long number, costing more than
/// they save.
const MIN_LITERAL: usize = 3;

fn main() {
    let rules_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules");
    println!("cargo:rerun-if-changed={}", rules_dir.display());
    if let Err(e) = run(&rules_dir) {
        eprintln!("rule pack error: {e}");
        std::process::exit(1);
    }
}

fn run(dir: &Path) -> Result<(), String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("no rule packs in {}", dir.display()));
    }
    let mut merged = Pack::default();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let name = file.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(file).map_err(|e| format!("{name}: {e}"))?;
        let mut pack: Pack = toml::from_str(&text).map_err(|e| format!("{name}: {e}"))?;
        for signal in &mut pack.signal {
            for pattern in &mut signal.patterns {
                let expanded =
                    expand_lexicons(pattern, dir).map_err(|e| format!("{name}: signal {}: {e}", signal.name))?;
                *pattern = ascii_classes(&expanded);
            }
            for lexicon in std::mem::take(&mut signal.words_file) {
                let words =
                    read_lexicon(&dir.join(&lexicon)).map_err(|e| format!("{name}: signal {}: {e}", signal.name))?;
                signal.words.extend(words);
            }
        }
        merged.signal.extend(pack.signal);
        merged.rule.extend(pack.rule);
        merged.image_rule.extend(pack.image_rule);
    }
    validate(&merged)?;
    // For each pattern, groups of literals (ASCII lower case) a post must contain one of,
    // group by group, to match: the literals every match starts with, those it ends with,
    // and those of the most telling part in between, where such finite sets are known.
    let prefilters: Vec<lists::PatternFilter> = merged
        .signal
        .iter()
        .flat_map(|s| &s.patterns)
        .map(|p| {
            let Ok(hir) = regex_syntax::parse(p) else {
                return lists::PatternFilter { groups: Vec::new(), digit_run: 0 };
            };
            let group = |literals, starts, at_word_start| lists::LiteralGroup { literals, starts, at_word_start };
            let parts = concat_parts(&hir);
            let first = edge_literals(&hir, ExtractKind::Prefix);
            let last = edge_literals(&hir, ExtractKind::Suffix).filter(|words| telling(words));
            let inner = inner_literals(parts)
                .filter(|(_, inner)| Some(inner) != first.as_ref() && Some(inner) != last.as_ref());
            // Where matches start is worth knowing only when the literals are telling: "1"
            // or "a" would be found, and recorded, at almost every byte.
            let longest = hir.properties().maximum_len().and_then(|len| u32::try_from(len).ok());
            let first = first.map(|literals| {
                let starts = telling(&literals).then_some(lists::Starts { longest });
                let at_word_start = parts.first().is_some_and(is_word_boundary)
                    && literals.iter().all(|l| text::is_ascii_word_byte(l.as_bytes()[0]));
                group(literals, starts, at_word_start)
            });
            let inner = inner.map(|(at, literals)| group(literals, None, at > 0 && ends_in_non_word(&parts[at - 1])));
            let groups = first.into_iter().chain(last.map(|l| group(l, None, false))).chain(inner).collect();
            lists::PatternFilter { groups, digit_run: digit_run(&hir) }
        })
        .collect();
    let words = lists::WordIndex::build(
        merged.signal.iter().enumerate().flat_map(|(i, s)| s.words.iter().map(move |w| (i, w.as_str()))),
    );
    let mut lists_bin = Vec::new();
    words.to_bytes(&mut lists_bin);
    lists::Prefilter::build(&prefilters).to_bytes(&mut lists_bin);

    let examples: BTreeMap<&str, &schema::Examples> =
        merged.rule.iter().map(|r| (r.id.as_str(), &r.examples)).collect();
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| e.to_string())?);
    let json = serde_json::to_string(&merged).map_err(|e| e.to_string())?;
    std::fs::write(out.join("packs.json"), json).map_err(|e| e.to_string())?;
    std::fs::write(out.join("lists.bin"), lists_bin).map_err(|e| e.to_string())?;
    let json = serde_json::to_string(&examples).map_err(|e| e.to_string())?;
    std::fs::write(out.join("examples.json"), json).map_err(|e| e.to_string())?;
    std::fs::write(out.join("models.bin"), embed_models(&merged, &dir.join("models"))?).map_err(|e| e.to_string())?;
    Ok(())
}

/// The model files the packs' model signals name, checked and laid side by side in name
/// order (`model::interleave`); the engine borrows the table from these bytes.
fn embed_models(pack: &Pack, dir: &Path) -> Result<Vec<u8>, String> {
    let names: BTreeSet<&str> =
        pack.signal.iter().filter_map(|s| s.model.as_ref()).map(|m| m.scorer.as_str()).collect();
    let files = names
        .into_iter()
        .map(|name| {
            let path = dir.join(format!("{name}.bin"));
            std::fs::read(&path)
                .map(|bytes| (name, bytes))
                .map_err(|e| format!("model {name}: {}: {e}", path.display()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let borrowed: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    model::interleave(&borrowed).map_err(|e| format!("{}: {e}", dir.display()))
}

/// Rewrites `\w`, `\d`, `\s`, `\b` (and `\W`, `\S`, `\D` outside classes) as their
/// ASCII forms. Posts are folded to ASCII digits and spaces before matching, and letters outside ASCII are spelled out in the packs
/// where they matter (Ō, ā); Unicode-wide classes would only make every pattern several
/// times slower to compile, which the extension pays each time its service worker restarts.
fn ascii_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut depth = 0usize;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push(c);
                    break;
                };
                let inside = depth > 0;
                match (next, inside) {
                    ('w', false) => out.push_str("[[:word:]]"),
                    ('w', true) => out.push_str("[:word:]"),
                    ('d', false) => out.push_str("[0-9]"),
                    ('d', true) => out.push_str("0-9"),
                    ('s', false) => out.push_str("[[:space:]]"),
                    ('s', true) => out.push_str("[:space:]"),
                    ('b', false) => out.push_str("(?-u:\\b)"),
                    ('W', false) => out.push_str("[^[:word:]]"),
                    ('S', false) => out.push_str("[^[:space:]]"),
                    ('D', false) => out.push_str("[^0-9]"),
                    _ => {
                        out.push(c);
                        out.push(next);
                    }
                }
            }
            '[' => {
                depth += 1;
                out.push(c);
            }
            ']' if depth > 0 => {
                depth -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
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

/// The entries of a lexicon file: one per line, blank lines and `#` comments skipped.
fn read_lexicon(path: &Path) -> Result<Vec<String>, String> {
    println!("cargo:rerun-if-changed={}", path.display());
    let body = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(body.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from).collect())
}

/// Replaces each `{lexicon:NAME}` in a pattern with an alternation of the entries of
/// `lexicons/NAME.txt`, so one word list can serve both whole-word matching and a regular
/// expression that needs those words in context ("the same tosser").
fn expand_lexicons(pattern: &str, dir: &Path) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(at) = rest.find("{lexicon:") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "{lexicon:".len()..];
        let end = after.find('}').ok_or("unclosed {lexicon:...}")?;
        let name = &after[..end];
        let words: Vec<String> = read_lexicon(&dir.join("lexicons").join(format!("{name}.txt")))?
            .iter()
            .map(|w| match w.strip_suffix('*') {
                Some(stem) => format!("{}\\w*", regex::escape(stem)),
                None => regex::escape(w),
            })
            .collect();
        if words.is_empty() {
            return Err(format!("lexicon {name} is empty"));
        }
        out.push_str(&format!("(?:{})", words.join("|")));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn validate(pack: &Pack) -> Result<(), String> {
    let mut signals = BTreeSet::new();
    for s in &pack.signal {
        let at = format!("signal {}", s.name);
        if !is_kebab(&s.name) {
            return Err(format!("{at}: name must be kebab-case"));
        }
        if !signals.insert(s.name.as_str()) {
            return Err(format!("{at}: defined twice"));
        }
        if s.doc.trim().is_empty() {
            return Err(format!("{at}: doc is missing or empty"));
        }
        if let Some(m) = &s.model {
            if !s.words.is_empty() || !s.patterns.is_empty() || s.user_list.is_some() {
                return Err(format!("{at}: a model signal has no words, patterns or user list"));
            }
            if !(m.threshold > 0.0 && m.threshold < 1.0) {
                return Err(format!("{at}: model threshold {} is not between 0 and 1", m.threshold));
            }
            if !is_kebab(&m.scorer) {
                return Err(format!("{at}: model scorer name must be kebab-case"));
            }
        } else if s.words.is_empty() && s.patterns.is_empty() && s.user_list.is_none() {
            return Err(format!("{at}: has no words, patterns, user list or model"));
        }
        for w in &s.words {
            let body = w.strip_suffix('*').unwrap_or(w);
            if body.trim().is_empty() || body != body.trim() {
                return Err(format!("{at}: bad word {w:?}"));
            }
        }
        for p in &s.patterns {
            // A doubled backslash matches a literal backslash, which no post pattern wants:
            // it is what `'\\b'` in a TOML literal string silently produces.
            if p.contains("\\\\") {
                return Err(format!(
                    "{at}: pattern {p:?} has a doubled backslash; in '...' strings write \\b, not \\\\b"
                ));
            }
            regex::Regex::new(p).map_err(|e| format!("{at}: pattern {p:?}: {e}"))?;
        }
    }
    let mut ids = BTreeSet::new();
    for r in &pack.rule {
        let at = format!("rule {}", r.id);
        check_card(&at, r.card(), &mut ids)?;
        for name in referenced_signals(r) {
            if !signals.contains(name) {
                return Err(format!("{at}: unknown signal {name:?}"));
            }
        }
        if r.examples.flag.len() < MIN_EXAMPLES || r.examples.pass.len() < MIN_EXAMPLES {
            return Err(format!("{at}: needs at least {MIN_EXAMPLES} flag and {MIN_EXAMPLES} pass examples"));
        }
        for ex in &r.examples.flag {
            if let Example::Detailed(d) = ex {
                if let Some(span) = &d.span {
                    if !d.text.contains(span.as_str()) {
                        return Err(format!("{at}: example span {span:?} is not in its text"));
                    }
                }
            }
        }
        if let Detect::Combination(c) = &r.detect {
            if c.parts.is_empty() || c.threshold == 0 {
                return Err(format!("{at}: a combination needs parts and a threshold"));
            }
        }
    }
    validate_image_rules(pack, &mut ids)
}

/// Image rules share the text rules' id space (settings switch both by id), and every kind of
/// detail the image reader finds has exactly one rule to report it.
fn validate_image_rules<'a>(pack: &'a Pack, ids: &mut BTreeSet<&'a str>) -> Result<(), String> {
    let mut kinds = BTreeSet::new();
    for r in &pack.image_rule {
        let at = format!("image rule {}", r.id);
        check_card(&at, r.card(), ids)?;
        if !kinds.insert(r.detects) {
            return Err(format!("{at}: another image rule already detects {:?}", r.detects));
        }
    }
    if let Some(missing) = schema::ImageKind::ALL.iter().find(|k| !kinds.contains(k)) {
        return Err(format!("no image rule detects {missing:?}"));
    }
    Ok(())
}

fn referenced_signals(r: &RuleDef) -> Vec<&str> {
    match &r.detect {
        Detect::Match(m) => {
            let mut v = vec![m.anchor.as_str()];
            for n in m.near.iter().chain(&m.near_any).chain(&m.unless_near) {
                v.push(&n.signal);
            }
            for s in m.post_has.iter().chain(&m.post_has_any).chain(&m.post_lacks).chain(&m.boost) {
                v.push(s);
            }
            v
        }
        Detect::Combination(c) => c
            .requires
            .iter()
            .chain(&c.post_lacks)
            .map(String::as_str)
            .chain(c.parts.iter().map(|p| p.signal.as_str()))
            .chain(c.parts.iter().flat_map(|p| p.unless.iter().map(String::as_str)))
            .collect(),
    }
}

/// What every rule, text or image, shows the user: a unique kebab-case id (text and image rules
/// share one id space, as settings switch both by id), a guide section that exists, and no empty
/// title, description, message, tip or "instead".
fn check_card<'a>(at: &str, card: schema::Card<'a>, ids: &mut BTreeSet<&'a str>) -> Result<(), String> {
    if !is_kebab(card.id) {
        return Err(format!("{at}: id must be kebab-case"));
    }
    if !ids.insert(card.id) {
        return Err(format!("{at}: defined twice"));
    }
    if !(1..=7).contains(&card.section) {
        return Err(format!("{at}: guide section must be 1-7"));
    }
    let texts = [card.title, card.description, card.message, card.tip, card.instead];
    for (field, value) in ["title", "description", "message", "tip", "instead"].into_iter().zip(texts) {
        if value.trim().is_empty() {
            return Err(format!("{at}: {field} is empty"));
        }
    }
    Ok(())
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}
