//! Running a rule's examples from `rules/*.toml`: each `flag` text must produce a finding of
//! that rule (covering `span` when given), each `pass` text must produce none. The test suite
//! runs every rule's (`tests/rule_examples.rs`, one test per rule), `second-opinion explain`
//! one rule's, both through [`run`], so that the two can never judge an example differently.

use crate::config::ConfigError;
use crate::schema::{Example, Examples};
use crate::{Checker, Config};
use std::collections::BTreeMap;

/// Every text rule's examples (image rules have none), by rule id, as embedded by the build.
pub fn all() -> BTreeMap<String, Examples> {
    serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/examples.json"))).unwrap_or_default()
}

/// What an example is there to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// The rule must flag it.
    Flag,
    /// The rule must leave it alone.
    Pass,
}

impl Expect {
    pub fn as_str(self) -> &'static str {
        match self {
            Expect::Flag => "flag",
            Expect::Pass => "pass",
        }
    }
}

/// How one example behaved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub expect: Expect,
    pub text: String,
    /// Why the example failed, naming what the rule found instead; `None` when it behaved.
    pub failure: Option<String>,
}

/// Runs `rule`'s examples, flag examples first, each through a checker running only that rule
/// (in normal use a stronger finding of another rule may cover the same words) with the
/// settings the example asks for. An error only when the engine itself cannot be loaded.
pub fn run(rule: &str, examples: &Examples) -> Result<Vec<Outcome>, ConfigError> {
    let ids: Vec<String> = Checker::new(Config::default())?.rules().into_iter().map(|r| r.id).collect();
    let flags = examples.flag.iter().map(|e| (Expect::Flag, e));
    let passes = examples.pass.iter().map(|e| (Expect::Pass, e));
    Ok(flags
        .chain(passes)
        .map(|(expect, example)| Outcome {
            expect,
            text: example.text().to_owned(),
            failure: judge(rule, &ids, expect, example).err(),
        })
        .collect())
}

/// Whether `example` behaves for `rule`; if not, why.
fn judge(rule: &str, ids: &[String], expect: Expect, example: &Example) -> Result<(), String> {
    let checker = checker_for(rule, ids, example).map_err(|e| format!("its settings are refused: {e}"))?;
    let findings = checker.check(example.text());
    let mine: Vec<_> = findings.iter().filter(|f| f.rule == rule).collect();
    match expect {
        Expect::Flag if mine.is_empty() => {
            let got: Vec<_> = findings.iter().map(|f| format!("{}={:?}", f.rule, f.text)).collect();
            Err(format!("should flag {:?} (got {got:?})", example.text()))
        }
        Expect::Flag => {
            let Example::Detailed(d) = example else { return Ok(()) };
            let Some(span) = &d.span else { return Ok(()) };
            let Some(at) = d.text.find(span.as_str()) else {
                return Err(format!("its span {span:?} is not in its text {:?}", d.text));
            };
            if mine.iter().any(|f| f.byte_start <= at && at + span.len() <= f.byte_end) {
                return Ok(());
            }
            let got: Vec<_> = mine.iter().map(|f| &f.text).collect();
            Err(format!("should cover {span:?} in {:?} (covered {got:?})", d.text))
        }
        Expect::Pass => match mine.first() {
            Some(f) => Err(format!("should pass {:?} (flagged {:?})", example.text(), f.text)),
            None => Ok(()),
        },
    }
}

/// A checker running only `rule` of `all`, with the example's settings.
fn checker_for(rule: &str, all: &[String], example: &Example) -> Result<Checker, ConfigError> {
    let rules = all.iter().map(|id| (id.clone(), id == rule)).collect();
    let config = match example {
        Example::Detailed(d) => Config {
            rules,
            watch_words: d.watch_words.clone(),
            affiliations: d.affiliations.clone(),
            disclosure_phrases: d.disclosure_phrases.clone(),
            ..Config::default()
        },
        Example::Text(_) => Config { rules, ..Config::default() },
    };
    Checker::new(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::DetailedExample;

    fn detailed(text: &str, span: &str) -> Example {
        Example::Detailed(DetailedExample {
            text: text.into(),
            span: Some(span.into()),
            watch_words: Vec::new(),
            affiliations: Vec::new(),
            disclosure_phrases: Vec::new(),
        })
    }

    /// Examples that misbehave say how: what was found instead, or what was not covered.
    #[test]
    fn failures_say_what_the_rule_found_instead() {
        let examples = Examples {
            flag: vec![
                Example::Text("MRN 4829137".into()),
                Example::Text("Flu vaccines are free".into()),
                detailed("MRN 4829137 seen", "seen"),
            ],
            pass: vec![Example::Text("Saw her, MRN 4829137".into())],
        };
        let outcomes = run("medical-record-number", &examples).unwrap();
        let expects: Vec<Expect> = outcomes.iter().map(|o| o.expect).collect();
        assert_eq!(expects, [Expect::Flag, Expect::Flag, Expect::Flag, Expect::Pass]);
        let failures: Vec<Option<&str>> = outcomes.iter().map(|o| o.failure.as_deref()).collect();
        assert_eq!(
            failures,
            [
                None,
                Some(r#"should flag "Flu vaccines are free" (got [])"#),
                Some(r#"should cover "seen" in "MRN 4829137 seen" (covered ["4829137"])"#),
                Some(r#"should pass "Saw her, MRN 4829137" (flagged "4829137")"#),
            ]
        );
    }

    /// Settings an example asks for are refused like a user's would be, and say so.
    #[test]
    fn refused_example_settings_fail_the_example() {
        let mut example = detailed("MRN 4829137", "4829137");
        if let Example::Detailed(d) = &mut example {
            d.watch_words = vec![" ".into()];
        }
        let outcomes = run("medical-record-number", &Examples { flag: vec![example], pass: Vec::new() }).unwrap();
        let failure = outcomes[0].failure.as_deref().unwrap_or_default();
        assert!(failure.starts_with("its settings are refused: invalid settings at `watch_words[0]`"), "{failure}");
    }
}
