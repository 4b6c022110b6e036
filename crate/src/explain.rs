//! `second-opinion explain RULE`: one rule in one place, for whoever has to understand or
//! change it: its card, how it detects (each signal it uses, with the signal's doc and the
//! lines of `rules/*.toml` that define them), and its examples, run on the spot by the same
//! code as the test suite (`crate::rule_examples`).

use crate::engine::{self, RuleInfo};
use crate::rule_examples::{self, Outcome};
use crate::schema::{Detect, ImageKind, Near, SignalRole, Validator};
use crate::sources::{Location, Sources};
use std::fmt;

/// Everything `explain` shows about a rule.
#[derive(Debug, Clone)]
pub struct Explanation {
    pub info: RuleInfo,
    /// The line of its `id` (absent only if the build recorded none).
    pub defined: Option<Location>,
    pub detects: Detects,
    /// The signals it names, in the order its `detect` lists them.
    pub signals: Vec<SignalUse>,
    /// Its examples as they behave now (none for an image rule).
    pub examples: Vec<Outcome>,
}

/// The kind of detection, with the settings that are not signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detects {
    Match { validate: Option<Validator> },
    Combination { threshold: u32, details_with_required: bool },
    Image(ImageKind),
}

/// One signal as a rule uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalUse {
    /// What it does in the rule: "anchor", "near (up to 3 words before)".
    pub role: String,
    pub name: String,
    pub defined: Option<Location>,
    pub doc: String,
}

/// Why there is nothing to explain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExplainError {
    /// No rule has this id; `close` are the ids that look like it, closest first.
    UnknownRule { id: String, close: Vec<String> },
    /// The embedded packs could not be read (a build defect, never user input).
    Internal(String),
}

impl fmt::Display for ExplainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExplainError::UnknownRule { id, close } => match close.as_slice() {
                [] => write!(f, "unknown rule {id:?} (`second-opinion rules` lists them all)"),
                [one] => write!(f, "unknown rule {id:?}; did you mean {one}?"),
                many => write!(f, "unknown rule {id:?}; did you mean one of: {}?", many.join(", ")),
            },
            ExplainError::Internal(e) => write!(f, "internal error loading rule packs: {e}"),
        }
    }
}

impl std::error::Error for ExplainError {}

/// Explains the rule `id`, running its examples.
pub fn explain(id: &str) -> Result<Explanation, ExplainError> {
    let engine = engine::engine().map_err(|e| ExplainError::Internal(e.to_string()))?;
    let Some(&index) = engine.rule_index.get(id) else {
        let close = close_matches(id, engine.rules.iter().map(|r| r.info.id.as_str()));
        return Err(ExplainError::UnknownRule { id: id.to_owned(), close });
    };
    let info = engine.rules[index].info.clone();
    let sources: Sources = serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/sources.json")))
        .map_err(|e| ExplainError::Internal(format!("sources.json: {e}")))?;
    let pack = engine::embedded_pack().map_err(ExplainError::Internal)?;
    let (detects, signals, examples) = match pack.rule.iter().find(|r| r.id == id) {
        Some(rule) => {
            let detects = match &rule.detect {
                Detect::Match(m) => Detects::Match { validate: m.validate },
                Detect::Combination(c) => {
                    Detects::Combination { threshold: c.threshold, details_with_required: c.details_with_required }
                }
            };
            let signals = rule
                .detect
                .signal_uses()
                .into_iter()
                .map(|(role, name)| {
                    let source = sources.signals.get(name);
                    SignalUse {
                        role: describe(role),
                        name: name.to_owned(),
                        defined: source.map(|s| s.at.clone()),
                        doc: source.map(|s| s.doc.clone()).unwrap_or_default(),
                    }
                })
                .collect();
            let examples = rule_examples::all().remove(id).unwrap_or_default();
            let outcomes = rule_examples::run(id, &examples).map_err(|e| ExplainError::Internal(e.to_string()))?;
            (detects, signals, outcomes)
        }
        None => {
            let image_rule = pack.image_rule.iter().find(|r| r.id == id);
            let kind = image_rule.map(|r| r.detects).ok_or_else(|| ExplainError::Internal(format!("no rule {id}")))?;
            (Detects::Image(kind), Vec::new(), Vec::new())
        }
    };
    Ok(Explanation { info, defined: sources.rules.get(id).cloned(), detects, signals, examples })
}

impl Explanation {
    /// Whether every example behaved (true for a rule without examples).
    pub fn examples_behave(&self) -> bool {
        self.examples.iter().all(|o| o.failure.is_none())
    }
}

/// A signal's role in words, with the window or part it belongs to.
fn describe(role: SignalRole) -> String {
    let window = |n: &Near| {
        let place = match (n.before, n.after) {
            (0, 0) => "overlapping the anchor".to_owned(),
            (before, 0) => format!("up to {before} words before"),
            (0, after) => format!("up to {after} words after"),
            (before, after) => format!("up to {before} words before or {after} after"),
        };
        if n.same_sentence {
            format!("{place}, same sentence")
        } else {
            place
        }
    };
    match role {
        SignalRole::Anchor => "anchor".to_owned(),
        SignalRole::Near(n) => format!("near ({})", window(n)),
        SignalRole::NearAny(n) => format!("near any of ({})", window(n)),
        SignalRole::UnlessNear(n) => format!("unless near ({})", window(n)),
        SignalRole::PostHas => "post has".to_owned(),
        SignalRole::PostHasAny => "post has any of".to_owned(),
        SignalRole::PostLacks => "post lacks".to_owned(),
        SignalRole::Boost => "boost (one step more severe)".to_owned(),
        SignalRole::Requires => "requires".to_owned(),
        SignalRole::Part(p) => format!("part: {} (weight {})", p.kind, p.weight),
        SignalRole::PartUnless(p) => format!("unless, for part {}", p.kind),
    }
}

/// The width `explain` wraps its prose to.
const WIDTH: usize = 100;

/// Writes `text` in words, wrapped to [`WIDTH`]; the first line after `first`, the others
/// indented by `indent` spaces.
fn wrapped(f: &mut fmt::Formatter<'_>, first: &str, indent: usize, text: &str) -> fmt::Result {
    let mut column = first.chars().count();
    f.write_str(first)?;
    for (i, word) in text.split_whitespace().enumerate() {
        let len = word.chars().count();
        if i > 0 && column + 1 + len > WIDTH {
            write!(f, "\n{:indent$}", "")?;
            column = indent;
        } else if i > 0 {
            f.write_str(" ")?;
            column += 1;
        }
        f.write_str(word)?;
        column += len;
    }
    writeln!(f)
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let info = &self.info;
        writeln!(f, "{}: {}", info.id, info.title)?;
        let yes_no = |b: bool| if b { "yes" } else { "no" };
        let region = info.region.map_or_else(|| "any".to_owned(), |r| format!("{r:?}"));
        let defined = self.defined.as_ref().map_or_else(|| "(not recorded)".to_owned(), ToString::to_string);
        let guide = format!("§{} {}", info.section, info.section_title);
        let facts = [
            ("category", info.category.as_str()),
            ("severity", info.severity.as_str()),
            ("guide", &guide),
            ("region", &region),
            ("learned", yes_no(info.learned)),
            ("on by default", yes_no(info.default_enabled)),
            ("defined", &defined),
        ];
        for (label, value) in facts {
            writeln!(f, "  {label:<14} {value}")?;
        }
        writeln!(f)?;
        for (label, text) in [
            ("description", &info.description),
            ("message", &info.message),
            ("tip", &info.tip),
            ("instead", &info.instead),
        ] {
            wrapped(f, &format!("  {label:<14} "), 17, text)?;
        }
        writeln!(f)?;
        let detects = match self.detects {
            Detects::Match { validate: None } => "match: each match of the anchor that meets the conditions".to_owned(),
            Detects::Match { validate: Some(v) } => format!(
                "match: each match of the anchor that meets the conditions and whose letters and digits pass the \
                 {} check",
                serde_name(v)
            ),
            Detects::Combination { threshold, details_with_required } => format!(
                "combination: the required signals, with kinds of detail weighing {threshold} or more{}",
                if details_with_required { ", each in a sentence with a required signal" } else { "" }
            ),
            Detects::Image(kind) => {
                format!("image metadata: {}, found by the image reader rather than by signals", serde_name(kind))
            }
        };
        wrapped(f, "detects: ", 4, &detects)?;
        for signal in &self.signals {
            let defined = signal.defined.as_ref().map_or_else(|| "(not recorded)".to_owned(), ToString::to_string);
            writeln!(f, "  {}: {}  {defined}", signal.role, signal.name)?;
            wrapped(f, "      ", 6, &signal.doc)?;
        }
        if matches!(self.detects, Detects::Image(_)) {
            return Ok(());
        }
        writeln!(f)?;
        let behaved = self.examples.iter().filter(|o| o.failure.is_none()).count();
        writeln!(f, "examples: {behaved} of {} behave", self.examples.len())?;
        for outcome in &self.examples {
            let mark = if outcome.failure.is_none() { '✓' } else { '✗' };
            writeln!(f, "  {mark} {} {:?}", outcome.expect.as_str(), outcome.text)?;
            if let Some(why) = &outcome.failure {
                writeln!(f, "      {why}")?;
            }
        }
        Ok(())
    }
}

/// The name a pack writes a value by (`uk_nhs`, `capture-time`).
fn serde_name(value: impl serde::Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// The ids that look like `id`, closest first, at most five: those a few edits away, and
/// those that contain it.
fn close_matches<'a>(id: &str, ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let limit = (id.chars().count() / 3).max(2);
    let mut close: Vec<(usize, &str)> = ids
        .map(|candidate| (edit_distance(id, candidate), candidate))
        .filter(|&(distance, candidate)| distance <= limit || (id.len() >= 3 && candidate.contains(id)))
        .collect();
    close.sort_unstable();
    close.into_iter().take(5).map(|(_, candidate)| candidate.to_owned()).collect()
}

/// The fewest characters to insert, delete or replace to turn `a` into `b` (Levenshtein).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    // The distances from the part of `a` done so far to each prefix of `b`.
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("uk-nhs-numbr", "uk-nhs-number"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn close_matches_are_near_misses_and_ids_containing_the_query() {
        let ids = ["uk-nhs-number", "us-ssn", "us-npi", "nz-nhi", "threat"];
        assert_eq!(close_matches("uk-nhs-numbr", ids.into_iter()), ["uk-nhs-number"]);
        assert_eq!(close_matches("us-sn", ids.into_iter()), ["us-ssn"]);
        assert_eq!(close_matches("nhs", ids.into_iter()), ["uk-nhs-number"]);
        assert!(close_matches("zzzzzzzz", ids.into_iter()).is_empty());
    }

    /// A text rule is explained with its card, its signals where they are defined, and its
    /// examples run; an image rule with the kind of detail it reports.
    #[test]
    fn rules_are_explained_from_the_embedded_packs() {
        let e = explain("uk-nhs-number").unwrap();
        assert_eq!(e.info.id, "uk-nhs-number");
        assert_eq!(e.detects, Detects::Match { validate: Some(Validator::UkNhs) });
        assert_eq!(e.defined.as_ref().map(|l| l.file.as_str()), Some("10-identifiers.toml"));
        assert_eq!(e.signals[0].role, "anchor");
        assert!(e.signals.iter().all(|s| s.defined.is_some() && !s.doc.is_empty()), "{:?}", e.signals);
        assert!(e.examples.len() >= 6 && e.examples_behave());

        let image = explain("image-location").unwrap();
        assert_eq!(image.detects, Detects::Image(ImageKind::Location));
        assert!(image.signals.is_empty() && image.examples.is_empty());
        assert!(image.to_string().contains("detects: image metadata: location,"), "{image}");
    }

    /// An example that misbehaves is marked, with why under it.
    #[test]
    fn a_failed_example_is_marked_with_why() {
        let mut e = explain("uk-nhs-number").unwrap();
        e.examples.push(Outcome {
            expect: crate::rule_examples::Expect::Pass,
            text: "NHS no 9434765870".into(),
            failure: Some("should pass \"NHS no 9434765870\" (flagged \"9434765870\")".into()),
        });
        assert!(!e.examples_behave());
        let text = e.to_string();
        assert!(text.contains("examples: 6 of 7 behave\n"), "{text}");
        let failed =
            "  ✗ pass \"NHS no 9434765870\"\n      should pass \"NHS no 9434765870\" (flagged \"9434765870\")\n";
        assert!(text.ends_with(failed), "{text}");
    }

    #[test]
    fn an_unknown_rule_names_close_ids() {
        let error = explain("uk-nhs-numbr").unwrap_err();
        let ExplainError::UnknownRule { close, .. } = &error else { panic!("{error}") };
        assert_eq!(close.first().map(String::as_str), Some("uk-nhs-number"), "{error}");
        assert!(error.to_string().starts_with("unknown rule \"uk-nhs-numbr\"; did you mean "), "{error}");
        let error = explain("nhs").unwrap_err();
        assert_eq!(error.to_string(), "unknown rule \"nhs\"; did you mean uk-nhs-number?");
    }
}
