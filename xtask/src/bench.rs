//! `cargo xtask bench`: the shipped WebAssembly engine under Node and in headless Chromium,
//! and the extension at work in Chromium, as one table.
//!
//! Builds `dist/` first, so the figures are the extension's as it ships. The posts are the
//! ones the criterion benchmark (`cargo bench -p second-opinion`) checks natively, from the
//! same generator. Not part of `cargo xtask test`: speed is reported, never asserted.

#[path = "../../crate/benches/texts.rs"]
mod texts;

use crate::dist::{self, Browser};
use crate::setup::{self, root, step};
use serde_json::{json, Value};
use std::process::Command;
use texts::{Kind, SIZES};

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(extra) = args.first() {
        return Err(format!("bench takes no arguments (got {extra:?})"));
    }
    dist::build()?;
    let wasm = Browser::Chrome.dir().join("pkg/second_opinion_bg.wasm");
    let (raw, gzipped) = dist::size(&wasm)?;

    let out = setup::target_dir().join("bench");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let texts: Vec<Value> = Kind::ALL
        .iter()
        .flat_map(|&kind| {
            SIZES
                .iter()
                .map(move |&chars| json!({"kind": kind.name(), "chars": chars, "text": texts::text(kind, chars)}))
        })
        .collect();
    let texts_file = out.join("texts.json");
    std::fs::write(&texts_file, Value::Array(texts).to_string()).map_err(|e| e.to_string())?;

    let bench = root().join("tests").join("bench");
    step("Engine under Node");
    let node = json_of(Command::new("node").arg(bench.join("node.mjs")).arg(&texts_file))?;
    step("Engine and extension in headless Chromium");
    setup::ensure_apt(&["chromium"])?;
    setup::ensure_npm(&root().join("tests").join("e2e"))?;
    let browser = json_of(Command::new("node").arg(bench.join("browser.mjs")).arg(&texts_file))?;

    println!("{}", table(raw, gzipped, &node, &browser));
    // Other work on the machine shows in every figure, so say how busy it was.
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!(
            "\nload average (1, 5, 15 min) at the end: {}",
            load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
        );
    }
    Ok(())
}

/// Runs a benchmark script and parses the JSON it prints last.
fn json_of(cmd: &mut Command) -> Result<Value, String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    if !out.status.success() {
        return Err(format!("{cmd:?} failed ({})", out.status));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(last).map_err(|e| format!("{cmd:?} printed no JSON result ({e}): {stdout}"))
}

/// The results as a Markdown table, ready for docs/performance.md.
fn table(raw: usize, gzipped: usize, node: &Value, chromium: &Value) -> String {
    let ms = |v: &Value| v.as_f64().map_or("–".to_owned(), format_ms);
    let engine = &chromium["engine"];
    let mut rows = vec![
        "| measurement | Node | Chromium |".to_owned(),
        "|---|---|---|".to_owned(),
        format!("| `.wasm` size | {raw} B raw | {gzipped} B gzipped |"),
        format!("| load (compile + instantiate) | {} | {} |", ms(&node["load"]), ms(&engine["load"])),
        format!("| `new Engine` | {} | {} |", ms(&node["create"]), ms(&engine["create"])),
        format!("| first check after start (280 chars) | {} | {} |", ms(&node["first"]), ms(&engine["first"])),
    ];
    let empty = Vec::new();
    let node_sizes = node["sizes"].as_array().unwrap_or(&empty);
    for size in engine["sizes"].as_array().unwrap_or(&empty) {
        let same = node_sizes.iter().find(|n| n["kind"] == size["kind"] && n["chars"] == size["chars"]);
        let cell =
            |s: Option<&Value>| s.map_or("–".to_owned(), |s| format!("{} / {}", ms(&s["median"]), ms(&s["p99"])));
        rows.push(format!(
            "| check {} {} chars (median / p99) | {} | {} |",
            size["kind"].as_str().unwrap_or_default(),
            size["chars"],
            cell(same),
            cell(Some(size)),
        ));
    }
    for (key, label) in [
        ("typing", "typing a 2,000-char post"),
        ("restart", "same, service worker stopped before the last words"),
        ("focused", "same, service worker stopped before the box got focus"),
    ] {
        let t = &chromium[key];
        rows.push(format!("| {label}: last keystroke → underline drawn | | {} |", ms(&t["toUnderline"])));
        rows.push(format!(
            "| {label}: script / all main-thread work per keystroke | | {} / {} |",
            ms(&t["scriptPerKey"]),
            ms(&t["taskPerKey"])
        ));
    }
    rows.join("\n")
}

/// Milliseconds with three significant figures (µs below 1 ms).
fn format_ms(ms: f64) -> String {
    if ms < 1.0 {
        format!("{:.1} µs", ms * 1000.0)
    } else if ms < 100.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{ms:.0} ms")
    }
}
