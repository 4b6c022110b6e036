//! Finding the signals of a post: one Aho-Corasick pass for every word list, and the
//! regular expressions of a signal run only when a rule asks for that signal.

use crate::schema::{SignalDef, UserList};
use crate::text::{Prepared, Span};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
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
            let first = body.chars().next();
            let last = body.chars().last();
            patterns.push(body.to_owned());
            owners.push(WordOwner {
                signal,
                prefix,
                bound_left: first.is_some_and(is_word_char),
                bound_right: last.is_some_and(is_word_char),
            });
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&patterns)
                    .map_err(|e| e.to_string())?,
            )
        };
        Ok(WordIndex { automaton, owners })
    }

    /// Adds every whole-word hit to `hits[signal]`.
    fn scan(&self, text: &str, hits: &mut [Vec<Span>]) {
        let Some(ac) = &self.automaton else { return };
        for m in ac.find_overlapping_iter(text) {
            let owner = self.owners[m.pattern().as_usize()];
            let (start, mut end) = (m.start(), m.end());
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

pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A signal's regular expressions, compiled the first time a post needs them and kept for
/// the life of the engine. Compiling every pattern up front made start-up, which happens
/// each time the browser restarts the extension's service worker, take most of a second.
pub struct SignalPatterns {
    pub user_list: Option<UserList>,
    sources: Vec<String>,
    regexes: OnceLock<Vec<(Regex, bool)>>,
}

impl SignalPatterns {
    pub fn new(def: &SignalDef) -> SignalPatterns {
        SignalPatterns { user_list: def.user_list, sources: def.patterns.clone(), regexes: OnceLock::new() }
    }

    /// The compiled patterns. The build validated every one, so a failure here would be a
    /// build defect; such a pattern is skipped rather than taking the engine down.
    fn regexes(&self) -> &[(Regex, bool)] {
        self.regexes.get_or_init(|| {
            self.sources
                .iter()
                .filter_map(|p| Regex::new(p).ok())
                .map(|re| {
                    let has_hit = re.capture_names().any(|n| n == Some("hit"));
                    (re, has_hit)
                })
                .collect()
        })
    }

    fn find(&self, text: &str, out: &mut Vec<Span>) {
        if self.sources.is_empty() {
            return;
        }
        for (re, has_hit) in self.regexes() {
            if *has_hit {
                for caps in re.captures_iter(text) {
                    if let Some(m) = caps.name("hit").filter(|m| !m.is_empty()) {
                        out.push(m.range());
                    }
                }
            } else {
                out.extend(re.find_iter(text).filter(|m| !m.is_empty()).map(|m| m.range()));
            }
        }
    }
}

/// The signals of one post, computed on demand and kept for the rest of the check.
pub struct Scan<'a> {
    prepared: &'a Prepared<'a>,
    patterns: &'a [SignalPatterns],
    word_hits: Vec<Vec<Span>>,
    merged: Vec<OnceCell<Vec<Span>>>,
}

impl<'a> Scan<'a> {
    pub fn new(prepared: &'a Prepared<'a>, patterns: &'a [SignalPatterns], indexes: &[&WordIndex]) -> Scan<'a> {
        let mut word_hits = vec![Vec::new(); patterns.len()];
        for index in indexes {
            index.scan(prepared.folded(), &mut word_hits);
        }
        let merged = (0..patterns.len()).map(|_| OnceCell::new()).collect();
        Scan { prepared, patterns, word_hits, merged }
    }

    pub fn prepared(&self) -> &Prepared<'a> {
        self.prepared
    }

    /// Every span of signal `idx`, sorted by start, duplicates removed.
    pub fn spans(&self, idx: usize) -> &[Span] {
        self.merged[idx].get_or_init(|| {
            let mut spans = self.word_hits[idx].clone();
            self.patterns[idx].find(self.prepared.folded(), &mut spans);
            spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
            spans.dedup();
            spans
        })
    }

    pub fn present(&self, idx: usize) -> bool {
        !self.spans(idx).is_empty()
    }
}
