//! Finding the signals of a post: one pass of each word list (see `lists`), and the
//! regular expressions of a signal run only when a rule asks for that signal.

use crate::lists::{Prefilter, WordIndex};
use crate::schema::{SignalDef, UserList};
use crate::text::{Prepared, Span};
use regex_automata::meta::Regex;
use std::cell::OnceCell;
use std::sync::OnceLock;

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
    pub fn new(def: &SignalDef, first: usize, prefilter: &Prefilter) -> SignalPatterns {
        let patterns = def
            .patterns
            .iter()
            .enumerate()
            .map(|(i, source)| Pattern {
                source: source.clone(),
                prefiltered: prefilter.filtered(first + i),
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
