//! The project's task runner (`cargo xtask <task>`), so that building and testing need
//! nothing but cargo on a fresh machine: each task installs what it is missing.

mod bench;
mod dist;
mod e2e;
mod eval;
mod fuzz;
mod identifiers;
mod lint;
mod public;
mod setup;
mod train;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  test    every test: the lint lane, Rust unit and rule-example tests, the labelled corpus, a
          short fuzzing run, the extension build and the browser tests (installs what is missing)
  lint    the lint lane: cargo fmt --check (also crate/fuzz), cargo clippy with warnings as
          errors, tsc --noEmit and ESLint (with its security rules) on the extension
  eval    precision, recall and F1 per category on tests/corpus/dev*.jsonl; --probe, --holdout
          or --set NAME for tests/corpus/NAME.jsonl, --real for the real posts in
          ../shared/corpus; --details lists misses, --check enforces the aims, --rules-only
          switches the learned rules off; --public scores
          OLID's test set and the identity-term templates in ../shared/data. Identifier spans (see docs/identifiers.md): --peer checks
          Presidio's recognizer test strings as written and after a patient sentence, per
          entity; --clinical the clinical queries' PHI tags, all and the half training leaves
          out; --physionet PhysioNet's deid nursing notes against id.phi (evaluation only);
          --details lists what --peer and --clinical missed and warned on, --rules-only
          applies to all three
  fuzz    the short fuzzing run of `test` alone (each crate/fuzz target for under a minute)
  train   rebuilds the learned scorers (rules/models/*.bin) from ../shared/data and
          xtask/train/posts (a pinned Python in target/train/venv; not part of `test`)
  dist    the browser extension: dist/chrome/, dist/firefox/ and their .zip/.xpi packages
  bench   speed and size of the shipped engine under Node and in Chromium, and of the
          extension while typing (builds dist/ first; `cargo bench` has the native figures)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(),
        Some("lint") => lint::run_task(&args[1..]),
        Some("eval") if args.iter().any(|a| a == "--public") => public::run(),
        Some("eval") if args.iter().any(|a| a == "--peer") => identifiers::peer::run(&args[1..]),
        Some("eval") if args.iter().any(|a| a == "--clinical") => identifiers::clinical::run(&args[1..]),
        Some("eval") if args.iter().any(|a| a == "--physionet") => identifiers::physionet::run(&args[1..]),
        Some("eval") => eval::run(&args[1..]),
        Some("dist") => dist::run_task(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("fuzz") => fuzz::run_short(),
        Some("train") => train::run_task(&args[1..]),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The README's test command.
fn test() -> Result<(), String> {
    lint::lint()?;
    setup::step("Rust tests");
    setup::run(setup::cargo().args(["test", "--workspace", "--quiet"]))?;
    setup::step("Labelled corpus");
    eval::run(&["--check".to_owned()])?;
    fuzz::run_short()?;
    dist::build()?;
    e2e::run_tests()?;
    Ok(())
}
