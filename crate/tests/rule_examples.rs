//! Runs every rule's examples from `rules/*.toml`: each `flag` text must produce a finding
//! of that rule (covering `span` when given), each `pass` text must produce none.

use second_opinion::schema::Example;
use second_opinion::{AppliesTo, Checker, Config};

/// A checker running only `rule`, so that each rule is tested on its own (in normal use a
/// stronger finding of another rule may cover the same words).
fn checker_for(rule: &str, all: &[String], example: &Example) -> Checker {
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
    Checker::new(config).expect("example settings are valid")
}

#[test]
fn every_rule_example_behaves() {
    let examples = second_opinion::rule_examples();
    let rules = Checker::new(Config::default()).unwrap().rules();
    let ids: Vec<String> = rules.iter().map(|r| r.id.clone()).collect();
    let text_rules = rules.iter().filter(|r| r.applies_to == AppliesTo::Text).count();
    assert_eq!(examples.len(), text_rules, "every text rule has examples");
    let mut failures = Vec::new();
    for (id, ex) in &examples {
        for e in &ex.flag {
            let findings = checker_for(id, &ids, e).check(e.text());
            let mine: Vec<_> = findings.iter().filter(|f| &f.rule == id).collect();
            if mine.is_empty() {
                let got: Vec<_> = findings.iter().map(|f| format!("{}={:?}", f.rule, f.text)).collect();
                failures.push(format!("{id}: should flag {:?} (got {got:?})", e.text()));
            } else if let Example::Detailed(d) = e {
                if let Some(span) = &d.span {
                    let at = d.text.find(span.as_str()).unwrap();
                    let covered = mine.iter().any(|f| f.byte_start <= at && at + span.len() <= f.byte_end);
                    if !covered {
                        let got: Vec<_> = mine.iter().map(|f| &f.text).collect();
                        failures.push(format!("{id}: should cover {span:?} in {:?} (covered {got:?})", d.text));
                    }
                }
            }
        }
        for e in &ex.pass {
            let findings = checker_for(id, &ids, e).check(e.text());
            if let Some(f) = findings.iter().find(|f| &f.rule == id) {
                failures.push(format!("{id}: should pass {:?} (flagged {:?})", e.text(), f.text));
            }
        }
    }
    assert!(failures.is_empty(), "{} example(s) failed:\n{}", failures.len(), failures.join("\n"));
}
