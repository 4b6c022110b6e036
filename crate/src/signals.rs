//! Finding the signals of a post: one pass of each word list (see `lists`), and the
//! regular expressions of a signal run only when a rule asks for that signal.

use crate::lists::{Candidates, Prefilter, WordIndex};
use crate::model::{self, Rated, Ratings, Scorers};
use crate::schema::{SignalDef, UserList};
use crate::text::{Prepared, Span};
use regex_automata::meta::Regex;
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input, Match};
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
    /// For a model signal: the scorer (an index into the engine's) and its threshold.
    pub model: Option<(usize, f32)>,
    patterns: Vec<Pattern>,
    /// Index of this signal's first pattern among all patterns of the engine.
    first: usize,
}

impl SignalPatterns {
    /// `first` is the number of patterns of the signals before this one.
    pub fn new(def: &SignalDef, first: usize, prefilter: &Prefilter, model: Option<(usize, f32)>) -> SignalPatterns {
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
        SignalPatterns { user_list: def.user_list, model, patterns, first }
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

    /// Adds the spans of every pattern that the prefilter's `candidates` allow.
    fn find(&self, text: &str, candidates: &Candidates, out: &mut Vec<Span>) {
        for (i, pattern) in self.patterns.iter().enumerate() {
            let index = self.first + i;
            if pattern.prefiltered && !candidates.possible[index] {
                continue;
            }
            let Some((re, has_hit)) = pattern.compiled() else { continue };
            match &candidates.starts[index] {
                Some((starts, Some(longest))) if starts.len() * (longest + ATTEMPT_COST) <= text.len() => {
                    find_at(re, *has_hit, text, starts, out);
                }
                Some((starts, _)) => find_from(re, *has_hit, text, starts, out),
                None => find_everywhere(re, *has_hit, text, out),
            }
        }
    }
}

/// The spans `find_iter` (or the `hit` groups of `captures_iter`) would give, for a pattern
/// whose every match starts at one of `starts`: each search begins at the first start not
/// inside the last match, rather than where the last match ended, as no match begins in
/// between. It reads no more of the post than `find_iter` does, and skips what lies before
/// the first start and between a match and the next start.
fn find_from(re: &Regex, has_hit: bool, text: &str, starts: &[usize], out: &mut Vec<Span>) {
    let mut caps = has_hit.then(|| re.create_captures());
    let mut next = 0;
    while let Some(&from) = starts.get(next) {
        let whole = search(re, &mut caps, &Input::new(text).range(from..), out);
        // Every match holds a literal, so it ends after it starts and the search moves on.
        let Some(m) = whole else { break };
        next += starts[next..].partition_point(|&s| s < m.end().max(from + 1));
    }
}

/// One search: adds the span of the match found (or of its `hit` group, when `caps` is
/// given) unless empty, and returns the whole match.
fn search(re: &Regex, caps: &mut Option<Captures>, input: &Input, out: &mut Vec<Span>) -> Option<Match> {
    let (whole, reported) = match caps {
        Some(caps) => {
            re.search_captures(input, caps);
            (caps.get_match(), caps.get_group_by_name("hit").map(|m| m.range()))
        }
        None => {
            let whole = re.search(input);
            (whole, whole.map(|m| m.range()))
        }
    };
    out.extend(reported.filter(|m| !m.is_empty()));
    whole
}

/// The spans of a pattern's matches (or of their `hit` groups), searching the whole post.
fn find_everywhere(re: &Regex, has_hit: bool, text: &str, out: &mut Vec<Span>) {
    if has_hit {
        for caps in re.captures_iter(text) {
            if let Some(m) = caps.get_group_by_name("hit").filter(|m| !m.is_empty()) {
                out.push(m.range());
            }
        }
    } else {
        out.extend(re.find_iter(text).filter(|m| !m.is_empty()).map(|m| m.range()));
    }
}

/// What one anchored attempt costs beyond the bytes it reads, in bytes of an unanchored search
/// (a rough figure: the attempt's set-up).
const ATTEMPT_COST: usize = 64;

/// The spans `find_iter` (or the `hit` groups of `captures_iter`) would give, for a pattern
/// whose every match starts at one of `starts`: the pattern is tried anchored at each start
/// in turn, skipping those inside the last match, which is what the unanchored search does
/// (the leftmost match starts at the first start where one exists, and the search resumes
/// where it ended). On long posts this is most of the saving: a pattern that begins with
/// "the" is tried a few hundred times for a few bytes each instead of along the whole post.
/// `find` uses it only when the attempts, each reading at most the longest match, cost no
/// more than one search along the whole post, so a check stays linear.
fn find_at(re: &Regex, has_hit: bool, text: &str, starts: &[usize], out: &mut Vec<Span>) {
    let mut caps = has_hit.then(|| re.create_captures());
    let mut resume = 0;
    for &start in starts {
        if start < resume {
            continue;
        }
        let whole = search(re, &mut caps, &Input::new(text).range(start..).anchored(Anchored::Yes), out);
        if let Some(m) = whole {
            resume = m.end();
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

/// One signal's matches in a post, sorted by [`span_order`] without repeats.
struct Computed {
    spans: Vec<Span>,
    /// The length of the longest span, for window searches.
    longest: usize,
    /// For a model signal, each span's score (same order); empty for other signals.
    scores: Vec<f32>,
}

/// Spans by start, the longer first where two start together.
fn span_order(a: &Span, b: &Span) -> std::cmp::Ordering {
    a.start.cmp(&b.start).then(b.end.cmp(&a.end))
}

/// The signals of one post, computed on demand and kept for the rest of the check.
pub struct Scan<'a> {
    prepared: &'a Prepared<'a>,
    patterns: &'a [SignalPatterns],
    scorers: &'a Scorers,
    /// What the learned scorers make of the post, rated the first time a model signal is asked for.
    ratings: OnceCell<Ratings>,
    candidates: Candidates,
    word_hits: Vec<Vec<Span>>,
    /// Per signal, computed the first time a rule asks for it.
    merged: Vec<OnceCell<Computed>>,
}

impl<'a> Scan<'a> {
    pub fn new(
        prepared: &'a Prepared<'a>,
        patterns: &'a [SignalPatterns],
        prefilter: &Prefilter,
        indexes: &[&WordIndex],
        scorers: &'a Scorers,
    ) -> Scan<'a> {
        let mut word_hits = vec![Vec::new(); patterns.len()];
        for index in indexes {
            index.scan(prepared.lower(), &mut word_hits);
        }
        let candidates = prefilter.candidates(prepared.lower());
        let merged = (0..patterns.len()).map(|_| OnceCell::new()).collect();
        Scan { prepared, patterns, scorers, ratings: OnceCell::new(), candidates, word_hits, merged }
    }

    pub fn prepared(&self) -> &Prepared<'a> {
        self.prepared
    }

    /// Every span of signal `idx`, sorted by start, duplicates removed.
    pub fn spans(&self, idx: usize) -> &[Span] {
        &self.computed(idx).spans
    }

    /// The length in bytes of the longest span of signal `idx`.
    pub fn longest(&self, idx: usize) -> usize {
        self.computed(idx).longest
    }

    fn computed(&self, idx: usize) -> &Computed {
        self.merged[idx].get_or_init(|| {
            let (spans, scores) = match self.patterns[idx].model {
                // A model signal has no words or patterns (the build checks): only its phrases,
                // each with the highest score a unit gave it.
                Some((scorer, threshold)) => {
                    let mut rated: Vec<(Span, f32)> =
                        self.rated_at_least(scorer, threshold).map(|r| (r.phrase.clone(), r.score)).collect();
                    rated.sort_by(|a, b| span_order(&a.0, &b.0).then(b.1.total_cmp(&a.1)));
                    rated.dedup_by(|later, kept| later.0 == kept.0);
                    rated.into_iter().unzip()
                }
                None => {
                    let mut spans = self.word_hits[idx].clone();
                    self.patterns[idx].find(self.prepared.folded(), &self.candidates, &mut spans);
                    spans.sort_by(span_order);
                    spans.dedup();
                    (spans, Vec::new())
                }
            };
            let longest = spans.iter().map(|s| s.end - s.start).max().unwrap_or(0);
            Computed { spans, longest, scores }
        })
    }

    pub fn present(&self, idx: usize) -> bool {
        !self.spans(idx).is_empty()
    }

    /// The units of the post a scorer rates at or above `threshold`: each such sentence, or
    /// the whole post when it reaches the threshold and none of its sentences does alone.
    fn rated_at_least(&self, scorer: usize, threshold: f32) -> impl Iterator<Item = &Rated> {
        let units = &self.ratings.get_or_init(|| model::rate(self.scorers, self.prepared)).units[scorer];
        let sentence_reaches = units.iter().any(|u| !u.whole_post && u.score >= threshold);
        units.iter().filter(move |u| u.score >= threshold && (!u.whole_post || !sentence_reaches))
    }

    /// The score behind a span of signal `idx`, when it is a model signal's.
    /// Found by binary search, so a long paste's findings cost no pass over its sentences each.
    pub fn score(&self, idx: usize, span: &Span) -> Option<f32> {
        let computed = self.computed(idx);
        let at = computed.spans.binary_search_by(|s| span_order(s, span)).ok()?;
        computed.scores.get(at).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Searching from where a pattern's first literals occur, or trying it anchored there,
    /// finds exactly what a search along the whole post finds, for every pattern the
    /// prefilter gives starts for, on every rule example and on long texts where matches
    /// crowd together (whichever way `find` would choose).
    #[test]
    fn searches_from_first_literals_find_what_a_whole_search_finds() {
        let engine = crate::engine::engine().unwrap();
        let mut texts: Vec<String> = crate::rule_examples::all()
            .into_values()
            .flat_map(|e| e.flag.into_iter().chain(e.pass))
            .map(|e| e.text().to_owned())
            .collect();
        texts.push(texts.join(" "));
        texts.push(texts.join(""));
        let mut compared = 0;
        for text in &texts {
            let prepared = Prepared::new(text);
            let candidates = engine.prefilter.candidates(prepared.lower());
            for signal in &engine.signals {
                for (i, pattern) in signal.patterns.iter().enumerate() {
                    let Some((starts, longest)) = &candidates.starts[signal.first + i] else { continue };
                    let Some((re, has_hit)) = pattern.compiled() else { continue };
                    let (mut from, mut whole) = (Vec::new(), Vec::new());
                    find_from(re, *has_hit, prepared.folded(), starts, &mut from);
                    find_everywhere(re, *has_hit, prepared.folded(), &mut whole);
                    assert_eq!(from, whole, "pattern {} on {text:?}", pattern.source);
                    if longest.is_some() {
                        let mut anchored = Vec::new();
                        find_at(re, *has_hit, prepared.folded(), starts, &mut anchored);
                        assert_eq!(anchored, whole, "pattern {} on {text:?}", pattern.source);
                    }
                    compared += whole.len();
                }
            }
        }
        assert!(compared > 200, "only {compared} matches compared");
    }
}
