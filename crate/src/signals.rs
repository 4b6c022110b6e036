//! Finding the signals of a post: one Aho-Corasick pass for every word list, and the
//! regular expressions of a signal run only when a rule asks for that signal.

use crate::schema::{SignalDef, UserList};
use crate::text::{is_word_char, Prepared, Span};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex_automata::meta::Regex;
use std::cell::OnceCell;
use std::sync::OnceLock;

/// A word list compiled into one automaton; each pattern remembers its signal.
pub struct WordIndex {
    automaton: Option<AhoCorasick>,
    /// Per pattern: (signal index, whether the last word may run on, first/last char is a
    /// word character so boundaries apply).
    owners: Vec<WordOwner>,
}

#[derive(Clone, Copy)]
struct WordOwner {
    signal: usize,
    prefix: bool,
    bound_left: bool,
    bound_right: bool,
}

impl WordIndex {
    /// `entries` are (signal index, word) pairs; a trailing `*` marks a prefix.
    pub fn build<'w>(entries: impl IntoIterator<Item = (usize, &'w str)>) -> Result<WordIndex, String> {
        let mut patterns = Vec::new();
        let mut owners = Vec::new();
        for (signal, word) in entries {
            let (body, prefix) = match word.strip_suffix('*') {
                Some(b) => (b, true),
                None => (word, false),
            };
            if body.is_empty() {
                continue;
            }
            let first = body.chars().next();
            let last = body.chars().last();
            patterns.push(body.to_ascii_lowercase());
            owners.push(WordOwner {
                signal,
                prefix,
                bound_left: first.is_some_and(is_word_char),
                bound_right: last.is_some_and(is_word_char),
            });
        }
        Ok(WordIndex { automaton: automaton(&patterns)?, owners })
    }

    /// Adds every whole-word hit to `hits[signal]`; `text` is the post in ASCII lower case.
    fn scan(&self, text: &str, hits: &mut [Vec<Span>]) {
        let Some(ac) = &self.automaton else { return };
        for m in ac.find_overlapping_iter(text) {
            let owner = self.owners[m.pattern().as_usize()];
            let (start, mut end) = (m.start(), m.end());
            if start == end {
                continue;
            }
            if owner.bound_left && text[..start].chars().next_back().is_some_and(is_word_char) {
                continue;
            }
            if owner.prefix {
                end += text[end..].find(|c: char| !is_word_char(c)).unwrap_or(text.len() - end);
            } else if owner.bound_right && text[end..].chars().next().is_some_and(is_word_char) {
                continue;
            }
            hits[owner.signal].push(start..end);
        }
    }
}

/// One automaton over `patterns` (in ASCII lower case), reporting every match (overlapping
/// ones too, so that a short word inside a longer phrase still counts); `None` when empty.
/// It runs over the post in ASCII lower case rather than ignoring case itself: that would
/// double the automaton's transitions, and building it is most of the engine's start-up.
fn automaton(patterns: &[String]) -> Result<Option<AhoCorasick>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .build(patterns)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// One regular expression of a signal, compiled the first time a post needs it.
struct Pattern {
    source: String,
    /// Whether the prefilter decides if this pattern can match at all.
    prefiltered: bool,
    /// The regex and whether it has a `hit` group. `None` if it fails to compile: the build
    /// validated every pattern, so that would be a build defect, skipped rather than fatal.
    compiled: OnceLock<Option<(Regex, bool)>>,
}

impl Pattern {
    fn compiled(&self) -> Option<&(Regex, bool)> {
        self.compiled
            .get_or_init(|| {
                let re = compile(&self.source)?;
                let has_hit = re.group_info().to_index(regex_automata::PatternID::ZERO, "hit").is_some();
                Some((re, has_hit))
            })
            .as_ref()
    }
}

/// A signal's regular expressions. Each is compiled only when a post could match it, and
/// kept for the life of the engine: compiling every pattern up front made start-up, which
/// happens each time the browser restarts the extension's service worker, take most of a
/// second.
pub struct SignalPatterns {
    pub user_list: Option<UserList>,
    patterns: Vec<Pattern>,
    /// Index of this signal's first pattern among all patterns of the engine.
    first: usize,
}

impl SignalPatterns {
    /// `first` is the number of patterns of the signals before this one.
    pub fn new(def: &SignalDef, first: usize) -> SignalPatterns {
        let patterns = def
            .patterns
            .iter()
            .enumerate()
            .map(|(i, source)| Pattern {
                source: source.clone(),
                prefiltered: def.prefilters.get(i).is_some_and(|groups| !groups.is_empty()),
                compiled: OnceLock::new(),
            })
            .collect();
        SignalPatterns { user_list: def.user_list, patterns, first }
    }

    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// Compiles up to `budget` of this signal's patterns that are not compiled yet, taking
    /// each off `budget`.
    pub fn warm(&self, budget: &mut usize) {
        for pattern in &self.patterns {
            if *budget == 0 {
                return;
            }
            if pattern.compiled.get().is_none() {
                pattern.compiled();
                *budget -= 1;
            }
        }
    }

    /// Adds the spans of every pattern that `possible` (indexed like the engine's patterns)
    /// allows.
    fn find(&self, text: &str, possible: &[bool], out: &mut Vec<Span>) {
        for (i, pattern) in self.patterns.iter().enumerate() {
            if pattern.prefiltered && !possible[self.first + i] {
                continue;
            }
            let Some((re, has_hit)) = pattern.compiled() else { continue };
            if *has_hit {
                for caps in re.captures_iter(text) {
                    if let Some(m) = caps.get_group_by_name("hit").filter(|m| !m.is_empty()) {
                        out.push(m.range());
                    }
                }
            } else {
                out.extend(re.find_iter(text).filter(|m| !m.is_empty()).map(|m| m.range()));
            }
        }
    }
}

/// Compiles one pattern with the `regex` crate's semantics (leftmost-first, UTF-8), but
/// without the literal prefilter the regex engine would extract for itself. Extracting
/// literals, building their searchers and the reverse-inner-literal strategy were about half
/// of each pattern's compilation (callgrind, first check after start: 210 M instructions
/// with, 98 M without); the engine's own [`Prefilter`] already skips the patterns a post
/// cannot match, and the warm checks of long posts that remain cost 10–20 % more.
fn compile(source: &str) -> Option<Regex> {
    Regex::builder().configure(Regex::config().auto_prefilter(false)).build(source).ok()
}

/// One pass over a post that rules out every pattern whose required first or last words are
/// absent.
pub struct Prefilter {
    automaton: Option<AhoCorasick>,
    /// For each literal, the group it belongs to.
    owners: Vec<usize>,
    /// For each group of literals, the pattern it belongs to.
    groups: Vec<usize>,
    patterns: usize,
}

impl Prefilter {
    pub fn build(defs: &[SignalDef]) -> Result<Prefilter, String> {
        let mut literals = Vec::new();
        let mut owners = Vec::new();
        let mut groups = Vec::new();
        let mut index = 0;
        for def in defs {
            for i in 0..def.patterns.len() {
                for words in def.prefilters.get(i).into_iter().flatten() {
                    literals.extend(words.iter().cloned());
                    owners.extend(std::iter::repeat_n(groups.len(), words.len()));
                    groups.push(index);
                }
                index += 1;
            }
        }
        Ok(Prefilter { automaton: automaton(&literals)?, owners, groups, patterns: index })
    }

    /// For every pattern, whether the post (in ASCII lower case) contains a literal of each of
    /// its groups.
    fn possible(&self, text: &str) -> Vec<bool> {
        let mut found = vec![false; self.groups.len()];
        if let Some(ac) = &self.automaton {
            for m in ac.find_overlapping_iter(text) {
                found[self.owners[m.pattern().as_usize()]] = true;
            }
        }
        let mut possible = vec![true; self.patterns];
        for (&pattern, found) in self.groups.iter().zip(found) {
            possible[pattern] &= found;
        }
        possible
    }
}

/// The signals of one post, computed on demand and kept for the rest of the check.
pub struct Scan<'a> {
    prepared: &'a Prepared<'a>,
    patterns: &'a [SignalPatterns],
    possible: Vec<bool>,
    word_hits: Vec<Vec<Span>>,
    /// Per signal: its spans, and the length of the longest (for window searches).
    merged: Vec<OnceCell<(Vec<Span>, usize)>>,
}

impl<'a> Scan<'a> {
    pub fn new(
        prepared: &'a Prepared<'a>,
        patterns: &'a [SignalPatterns],
        prefilter: &Prefilter,
        indexes: &[&WordIndex],
    ) -> Scan<'a> {
        let mut word_hits = vec![Vec::new(); patterns.len()];
        for index in indexes {
            index.scan(prepared.lower(), &mut word_hits);
        }
        let possible = prefilter.possible(prepared.lower());
        let merged = (0..patterns.len()).map(|_| OnceCell::new()).collect();
        Scan { prepared, patterns, possible, word_hits, merged }
    }

    pub fn prepared(&self) -> &Prepared<'a> {
        self.prepared
    }

    /// Every span of signal `idx`, sorted by start, duplicates removed.
    pub fn spans(&self, idx: usize) -> &[Span] {
        &self.computed(idx).0
    }

    /// The length in bytes of the longest span of signal `idx`.
    pub fn longest(&self, idx: usize) -> usize {
        self.computed(idx).1
    }

    fn computed(&self, idx: usize) -> &(Vec<Span>, usize) {
        self.merged[idx].get_or_init(|| {
            let mut spans = self.word_hits[idx].clone();
            self.patterns[idx].find(self.prepared.folded(), &self.possible, &mut spans);
            spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
            spans.dedup();
            let longest = spans.iter().map(|s| s.end - s.start).max().unwrap_or(0);
            (spans, longest)
        })
    }

    pub fn present(&self, idx: usize) -> bool {
        !self.spans(idx).is_empty()
    }
}
