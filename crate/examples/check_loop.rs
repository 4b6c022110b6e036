//! Checks one benchmark text N times, for counting instructions with callgrind, which gives
//! figures the machine's load does not move (the before/after table in docs/performance.md):
//!
//! ```sh
//! cargo build --profile bench -p second-opinion --example check_loop
//! valgrind --tool=callgrind target/release/examples/check_loop realistic 280 200
//! valgrind --tool=callgrind target/release/examples/check_loop realistic 280 1
//! ```
//!
//! The difference of the two totals over 199 is the cost of one warm check; the second run
//! alone shows what start-up costs (`Checker::new` inclusive). A fourth argument,
//! `rules-only`, switches the learned rules off, for what the learned layer costs.

#[path = "../benches/texts.rs"]
#[allow(dead_code)] // the benchmark's size list and names are not needed here
mod texts;

use second_opinion::{Checker, Config};
use texts::Kind;

fn main() {
    let mut args = std::env::args().skip(1);
    let kind = match args.next().as_deref() {
        Some("clean") => Kind::Clean,
        Some("digits") => Kind::Digits,
        Some("capitals") => Kind::Capitals,
        Some("emoji") => Kind::Emoji,
        Some("realistic") | None => Kind::Realistic,
        Some(other) => {
            eprintln!("unknown kind {other:?}: clean, realistic, digits, capitals or emoji");
            std::process::exit(2);
        }
    };
    let number = |arg: Option<String>, default: usize| {
        arg.map_or(Ok(default), |a| a.parse()).unwrap_or_else(|e| {
            eprintln!("not a number: {e}");
            std::process::exit(2);
        })
    };
    let chars = number(args.next(), 280);
    let times = number(args.next(), 1).max(1);
    let text = texts::text(kind, chars);
    let mut config = Config::default();
    if args.next().as_deref() == Some("rules-only") {
        config = config.without_learned_rules().expect("the default settings are valid");
    }
    let started = std::time::Instant::now();
    let checker = Checker::new(config).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2);
    });
    eprintln!("Checker::new: {:?}", started.elapsed());
    let started = std::time::Instant::now();
    let findings: usize = (0..times).map(|_| checker.check(&text).len()).sum();
    eprintln!("{} findings per check, {:?} per check", findings / times, started.elapsed() / times as u32);
}
