//! What each embedded pattern costs to compile, natively: the 20 slowest and the 20 largest.
//!
//! `cargo run --release -p second-opinion --example pattern_cost`
//!
//! Patterns are compiled as the engine compiles them (`signals::compile`: regex-automata's
//! meta regex without its own literal prefilter), best of three, with the size of the
//! compiled regex (its NFAs; the lazy DFA's cache grows later, while searching).

use regex_automata::meta::Regex;
use std::time::Instant;

const PACKS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/packs.json"));

fn main() {
    let pack: serde_json::Value = serde_json::from_str(PACKS_JSON).expect("packs.json");
    let mut rows = Vec::new();
    for signal in pack["signal"].as_array().into_iter().flatten() {
        let name = signal["name"].as_str().unwrap_or_default();
        for (i, source) in signal["patterns"].as_array().into_iter().flatten().enumerate() {
            let source = source.as_str().unwrap_or_default();
            let mut best = f64::MAX;
            let mut bytes = 0;
            for _ in 0..3 {
                let start = Instant::now();
                let re = Regex::builder()
                    .configure(Regex::config().auto_prefilter(false))
                    .build(source)
                    .expect("the build validated every pattern");
                best = best.min(start.elapsed().as_secs_f64() * 1e3);
                bytes = re.memory_usage();
            }
            rows.push((best, bytes, format!("{name} #{i} ({} chars of source)", source.len())));
        }
    }
    let total: f64 = rows.iter().map(|r| r.0).sum();
    println!("{} patterns, {total:.1} ms to compile them all", rows.len());
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("\nslowest to compile (ms, bytes, pattern):");
    for (ms, bytes, name) in rows.iter().take(20) {
        println!("{ms:7.2} {bytes:9} {name}");
    }
    println!("the 20 slowest: {:.1} ms", rows.iter().take(20).map(|r| r.0).sum::<f64>());
    rows.sort_by_key(|row| std::cmp::Reverse(row.1));
    println!("\nlargest compiled (ms, bytes, pattern):");
    for (ms, bytes, name) in rows.iter().take(20) {
        println!("{ms:7.2} {bytes:9} {name}");
    }
}
