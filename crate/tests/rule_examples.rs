//! Every rule's examples from `rules/*.toml` (see `second_opinion::rule_examples`): one test
//! per rule, named `rule::ID`, so that `cargo test -p second-opinion -- ID` runs one rule's
//! examples alone; and a check on the examples as a whole. libtest's harness knows only
//! `#[test]` functions written in the source, hence this one (`libtest-mimic`), which takes
//! the same filters and options.

use libtest_mimic::{Arguments, Failed, Trial};
use second_opinion::rule_examples::{self, Outcome};
use second_opinion::schema::Examples;
use second_opinion::{AppliesTo, Checker, Config};
use std::collections::BTreeSet;

fn main() {
    let args = Arguments::from_args();
    let mut trials = vec![Trial::test("every_text_rule_has_examples", every_text_rule_has_examples)];
    trials.extend(
        rule_examples::all()
            .into_iter()
            .map(|(id, examples)| Trial::test(format!("rule::{id}"), move || rule_behaves(&id, &examples))),
    );
    libtest_mimic::run(&args, trials).exit();
}

/// Each `flag` example gives a finding of the rule (covering its `span`), each `pass` example
/// none; the failure lists every example that did not behave, and why.
fn rule_behaves(id: &str, examples: &Examples) -> Result<(), Failed> {
    let outcomes = rule_examples::run(id, examples)?;
    let failures: Vec<String> =
        outcomes.iter().filter_map(|o: &Outcome| o.failure.as_ref()).map(|why| format!("{id}: {why}")).collect();
    if failures.is_empty() {
        return Ok(());
    }
    Err(format!("{} of {} example(s) failed:\n{}", failures.len(), outcomes.len(), failures.join("\n")).into())
}

/// The examples are those of the text rules, every one of them: a rule without examples
/// would have no test.
fn every_text_rule_has_examples() -> Result<(), Failed> {
    let rules = Checker::new(Config::default())?.rules();
    let text_rules: BTreeSet<String> =
        rules.into_iter().filter(|r| r.applies_to == AppliesTo::Text).map(|r| r.id).collect();
    let with_examples: BTreeSet<String> = rule_examples::all().into_keys().collect();
    let without: Vec<_> = text_rules.difference(&with_examples).collect();
    let unknown: Vec<_> = with_examples.difference(&text_rules).collect();
    if without.is_empty() && unknown.is_empty() {
        return Ok(());
    }
    Err(format!("text rules without examples: {without:?}; examples of no text rule: {unknown:?}").into())
}
