//! Checking a post: run every enabled rule over its signals, keep the strongest finding
//! where findings of one category overlap, and report spans over the original text.

use crate::checksum;
use crate::config::{Config, ConfigError};
use crate::engine::{engine, CombinationRule, Detector, Engine, MatchRule, NearRule, RuleInfo};
use crate::lists::WordIndex;
use crate::schema::{Category, Severity, UserList};
use crate::signals::Scan;
use crate::text::{utf16_offsets, Prepared, Span};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// At most this many findings are reported for one text, the first by position: enough for
/// any post, and a bound on the work and memory a pasted book can cause.
pub const MAX_FINDINGS: usize = 1000;

/// A combination underlines at most this many of its details.
const MAX_COMBINATION_SPANS: usize = 12;

/// One warning: which rule, where, and what to tell the user.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub title: String,
    pub category: Category,
    pub severity: Severity,
    /// Start and end in UTF-16 code units (what JavaScript strings index by).
    pub start: usize,
    pub end: usize,
    /// Start and end in bytes of the UTF-8 text.
    pub byte_start: usize,
    pub byte_end: usize,
    /// The flagged text, as typed.
    pub text: String,
    /// Guide section as printed in the guide ("02").
    pub section: String,
    pub section_title: String,
    pub message: String,
    pub tip: String,
    pub instead: String,
    /// For a rule that reads a learned scorer: the probability (0–1) it gave the wording.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
}

/// A checker for one set of settings. Cheap to create after the first one: the rule packs
/// are compiled once per process.
pub struct Checker {
    engine: Arc<Engine>,
    config: Config,
    enabled: Vec<bool>,
    user_words: WordIndex,
}

/// A finding before overlaps are resolved and offsets converted.
struct Raw {
    rule: usize,
    category: Category,
    span: Span,
    severity: Severity,
    detail: Option<String>,
    score: Option<f32>,
}

impl Checker {
    pub fn new(config: Config) -> Result<Checker, ConfigError> {
        Checker::with_engine(config, engine()?)
    }

    /// A checker with an engine of its own, compiled now: what the first [`Checker::new`]
    /// of a process (or of a restarted service worker) costs, for the start-up benchmark.
    #[doc(hidden)]
    pub fn with_own_engine(config: Config) -> Result<Checker, ConfigError> {
        Checker::with_engine(config, Arc::new(Engine::compile().map_err(ConfigError::Internal)?))
    }

    fn with_engine(config: Config, engine: Arc<Engine>) -> Result<Checker, ConfigError> {
        config.check_lists()?;
        if let Some(unknown) = config.rules.keys().find(|id| !engine.rule_index.contains_key(*id)) {
            return Err(ConfigError::UnknownRule(unknown.clone()));
        }
        let enabled = engine
            .rules
            .iter()
            .map(|r| {
                let info = &r.info;
                config.categories.enabled(info.category)
                    && info.region.is_none_or(|reg| config.regions.contains(&reg))
                    && config.rules.get(&info.id).copied().unwrap_or(info.default_enabled)
            })
            .collect();
        let mut entries = Vec::new();
        for (list, words) in [
            (UserList::WatchWords, &config.watch_words),
            (UserList::Affiliations, &config.affiliations),
            (UserList::DisclosurePhrases, &config.disclosure_phrases),
        ] {
            let folded: Vec<String> = words.iter().map(|w| Prepared::new(w.trim()).folded().to_owned()).collect();
            for signal in engine.user_signals(list) {
                entries.extend(folded.iter().map(|w| (signal, w.clone())));
            }
        }
        let user_words = WordIndex::build(entries.iter().map(|(s, w)| (*s, w.as_str())));
        Ok(Checker { engine, config, enabled, user_words })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Metadata for every rule, in pack order, for listing and toggling in a UI.
    pub fn rules(&self) -> Vec<RuleInfo> {
        self.engine.rules.iter().map(|r| r.info.clone()).collect()
    }

    /// Whether a rule runs under these settings.
    pub fn is_enabled(&self, rule_id: &str) -> bool {
        self.engine.rule_index.get(rule_id).is_some_and(|&i| self.enabled[i])
    }

    /// The image rule that reports `kind`, when it runs under these settings.
    pub(crate) fn image_rule(&self, kind: crate::schema::ImageKind) -> Option<&RuleInfo> {
        self.engine
            .rules
            .iter()
            .zip(&self.enabled)
            .find(|(r, _)| matches!(r.detect, Detector::Image(k) if k == kind))
            .and_then(|(r, &on)| on.then_some(&r.info))
    }

    /// Compiles up to `count` more of the engine's patterns ahead of need; true when all are
    /// compiled. See [`Engine::warm`].
    pub fn warm(&self, count: usize) -> bool {
        self.engine.warm(count)
    }

    /// Checks a post and returns its findings, sorted by position.
    pub fn check(&self, text: &str) -> Vec<Finding> {
        let prepared = Prepared::new(text);
        let engine = &*self.engine;
        let scan = Scan::new(
            &prepared,
            &engine.signals,
            &engine.prefilter,
            &[&engine.words, &self.user_words],
            &engine.scorers,
        );
        let mut raw = Vec::new();
        for (i, rule) in self.engine.rules.iter().enumerate() {
            if !self.enabled[i] {
                continue;
            }
            match &rule.detect {
                Detector::Match(m) => match_rule(i, rule.info.category, rule.info.severity, m, &scan, &mut raw),
                Detector::Combination(c) => {
                    combination_rule(i, rule.info.category, rule.info.severity, c, &scan, &mut raw);
                }
                Detector::Image(_) => {}
            }
        }
        self.finish(&prepared, text, resolve_overlaps(raw))
    }

    /// Maps spans back to the original text and fills in the rule's words.
    fn finish(&self, prepared: &Prepared, text: &str, raw: Vec<Raw>) -> Vec<Finding> {
        let spans: Vec<Span> = raw.iter().map(|r| prepared.original_span(&r.span)).collect();
        let mut bounds: Vec<usize> = spans.iter().flat_map(|s| [s.start, s.end]).collect();
        bounds.sort_unstable();
        bounds.dedup();
        let units = utf16_offsets(text, &bounds);
        let utf16 = |b: usize| units[bounds.partition_point(|&x| x < b)];
        raw.into_iter()
            .zip(spans)
            .map(|(r, span)| {
                let info = &self.engine.rules[r.rule].info;
                let message = match r.detail {
                    Some(d) => format!("{} {d}", info.message),
                    None => info.message.clone(),
                };
                Finding {
                    rule: info.id.clone(),
                    title: info.title.clone(),
                    category: info.category,
                    severity: r.severity,
                    start: utf16(span.start),
                    end: utf16(span.end),
                    byte_start: span.start,
                    byte_end: span.end,
                    text: text[span].to_owned(),
                    section: info.section.clone(),
                    section_title: info.section_title.clone(),
                    message,
                    tip: info.tip.clone(),
                    instead: info.instead.clone(),
                    score: r.score,
                }
            })
            .collect()
    }
}

/// Whether some match of `near.signal` lies in the window around `anchor`. With a window of
/// words, a match inside the anchor itself does not count: "shouldn't be allowed" is not
/// negated by its own "shouldn't".
fn near_holds(scan: &Scan, anchor: &Span, near: &NearRule) -> bool {
    let prepared = scan.prepared();
    let window = prepared.window(anchor, near.before, near.after);
    let overlap_only = near.before == 0 && near.after == 0;
    let spans = scan.spans(near.signal);
    let longest = scan.longest(near.signal);
    let from = spans.partition_point(|s| s.start + longest < window.start);
    spans[from..]
        .iter()
        .take_while(|s| s.start < window.end)
        .filter(|s| s.end > window.start)
        .filter(|s| overlap_only || !(anchor.start <= s.start && s.end <= anchor.end))
        .any(|s| !(near.same_sentence && prepared.sentence_break_between(anchor, s)))
}

fn match_rule(rule: usize, category: Category, base: Severity, m: &MatchRule, scan: &Scan, out: &mut Vec<Raw>) {
    let anchors = scan.spans(m.anchor);
    if anchors.is_empty() {
        return;
    }
    let post_ok = m.post_has.iter().all(|&s| scan.present(s))
        && (m.post_has_any.is_empty() || m.post_has_any.iter().any(|&s| scan.present(s)))
        && !m.post_lacks.iter().any(|&s| scan.present(s));
    if !post_ok {
        return;
    }
    let severity = if m.boost.iter().any(|&s| scan.present(s)) { base.raised() } else { base };
    let folded = scan.prepared().folded();
    for span in anchors {
        if m.validate.is_some_and(|v| !checksum::validate(v, &folded[span.clone()])) {
            continue;
        }
        if !m.near.iter().all(|n| near_holds(scan, span, n))
            || !(m.near_any.is_empty() || m.near_any.iter().any(|n| near_holds(scan, span, n)))
            || m.unless_near.iter().any(|n| near_holds(scan, span, n))
        {
            continue;
        }
        if !span.is_empty() {
            let score = scan.score(m.anchor, span);
            out.push(Raw { rule, category, span: span.clone(), severity, detail: None, score });
        }
    }
}

fn combination_rule(
    rule: usize,
    category: Category,
    severity: Severity,
    c: &CombinationRule,
    scan: &Scan,
    out: &mut Vec<Raw>,
) {
    if !c.requires.iter().all(|&s| scan.present(s)) || c.post_lacks.iter().any(|&s| scan.present(s)) {
        return;
    }
    let story_sentences = if c.details_with_required { Some(sentences_of(scan, &c.requires)) } else { None };
    // The strongest weight seen for each kind of detail, in the order kinds are listed.
    let mut kinds: Vec<(&str, u32)> = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    for part in &c.parts {
        let found: Vec<&Span> = scan
            .spans(part.signal)
            .iter()
            .filter(|s| !part.unless.iter().any(|&u| overlaps_any(scan.spans(u), scan.longest(u), s)))
            .filter(|s| story_sentences.as_ref().is_none_or(|set| in_sentences(scan, set, s)))
            .collect();
        if found.is_empty() {
            continue;
        }
        match kinds.iter_mut().find(|(k, _)| *k == part.kind) {
            Some(entry) => entry.1 = entry.1.max(part.weight),
            None => kinds.push((&part.kind, part.weight)),
        }
        spans.extend(found.into_iter().cloned());
    }
    if kinds.iter().map(|(_, w)| w).sum::<u32>() < c.threshold {
        return;
    }
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut kept: Vec<Span> = Vec::new();
    for s in spans {
        if kept.last().is_none_or(|k| s.start >= k.end) {
            kept.push(s);
        }
    }
    let names: Vec<&str> = kinds.iter().map(|(k, _)| *k).collect();
    let detail = format!("Together this post gives {}.", join_words(&names));
    // A story told with a learned scorer's help carries that scorer's score.
    let score = c
        .requires
        .iter()
        .flat_map(|&s| scan.spans(s).iter().filter_map(move |span| scan.score(s, span)))
        .reduce(f32::max);
    for span in kept.into_iter().take(MAX_COMBINATION_SPANS) {
        out.push(Raw { rule, category, span, severity, detail: Some(detail.clone()), score });
    }
}

/// The sentences, numbered from 0, that a span of the folded text lies in (at least one).
fn sentences_spanned(scan: &Scan, span: &Span) -> std::ops::RangeInclusive<usize> {
    let sentence_at = |at: usize| scan.prepared().breaks().partition_point(|&b| b < at);
    sentence_at(span.start)..=sentence_at(span.end.max(span.start + 1) - 1)
}

/// The sentences (sorted, without repeats) that the matches of the `signals` lie in.
fn sentences_of(scan: &Scan, signals: &[usize]) -> Vec<usize> {
    let mut out: Vec<usize> =
        signals.iter().flat_map(|&s| scan.spans(s)).flat_map(|span| sentences_spanned(scan, span)).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether `span` lies, at least in part, in one of the sentences `set` (sorted).
fn in_sentences(scan: &Scan, set: &[usize], span: &Span) -> bool {
    let spanned = sentences_spanned(scan, span);
    set.get(set.partition_point(|x| x < spanned.start())).is_some_and(|x| x <= spanned.end())
}

/// Whether any of `spans` (sorted by start, none longer than `longest`) overlaps `span`.
fn overlaps_any(spans: &[Span], longest: usize, span: &Span) -> bool {
    let from = spans.partition_point(|s| s.start + longest < span.start);
    spans[from..].iter().take_while(|s| s.start < span.end).any(|s| s.end > span.start)
}

/// "a", "a and b", "a, b and c".
fn join_words(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Within a category, overlapping findings are one problem: keep the most severe, then one
/// from a rule of words or formats over a learned scorer's judgement (its card says more
/// exactly what is wrong), then the longest, then the rule listed first. Findings of
/// different categories may overlap.
fn resolve_overlaps(mut raw: Vec<Raw>) -> Vec<Raw> {
    raw.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.score.is_some().cmp(&b.score.is_some()))
            .then((b.span.end - b.span.start).cmp(&(a.span.end - a.span.start)))
            .then(a.rule.cmp(&b.rule))
            .then(a.span.start.cmp(&b.span.start))
    });
    // Kept spans per category, disjoint, keyed by start: only the nearest one starting
    // before a candidate's end can overlap it.
    let mut taken: [BTreeMap<usize, usize>; Category::ALL.len()] = Default::default();
    let mut kept: Vec<Raw> = Vec::with_capacity(raw.len());
    for r in raw {
        let spans = &mut taken[r.category as usize];
        let clash = spans.range(..r.span.end).next_back().is_some_and(|(_, &end)| end > r.span.start);
        if !clash {
            spans.insert(r.span.start, r.span.end);
            kept.push(r);
        }
    }
    kept.sort_by_key(|r| (r.span.start, r.span.end, r.rule));
    kept.truncate(MAX_FINDINGS);
    kept
}
