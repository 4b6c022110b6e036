//! `cargo xtask eval`: how well the engine agrees with the labelled corpus.
//!
//! A post counts as flagged in a category when the engine reports at least one finding of
//! that category. Precision, recall and F1 are per category over posts; "span recall" is the
//! share of labelled snippets that some finding of the right category overlaps; the false
//! alarm rate is the share of clean posts (no labels at all) with any finding.

use second_opinion::{Category, Checker, Config, Finding};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The aims the project holds itself to (issue 2); `--check` fails below them.
const MIN_PRECISION: f64 = 0.90;
const MIN_RECALL: f64 = 0.85;
const MAX_FALSE_ALARMS: f64 = 0.03;

#[derive(Deserialize)]
struct Post {
    id: String,
    text: String,
    #[serde(default, deserialize_with = "labels")]
    labels: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    kind: String,
}

/// Labels as the project's corpus writes them (a category and its snippets) or as the real
/// posts in `../shared/corpus/` do (a list of categories, no snippets: each counts as labelled
/// with the whole text, so span recall there means any finding of the category).
fn labels<'de, D: serde::Deserializer<'de>>(d: D) -> Result<BTreeMap<String, Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Labels {
        Snippets(BTreeMap<String, Vec<String>>),
        Categories(Vec<String>),
    }
    Ok(match Labels::deserialize(d)? {
        Labels::Snippets(map) => map,
        Labels::Categories(list) => list.into_iter().map(|c| (c, vec![String::new()])).collect(),
    })
}

#[derive(Default)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
    spans: usize,
    spans_hit: usize,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// Which labelled posts to score.
#[derive(Clone)]
enum Set {
    /// `dev*.jsonl`: what the rules are tuned against; `--check` holds these to the aims.
    Dev,
    /// `probe.jsonl`, when there is one: written after the rules to see how they cope with new
    /// wording; it becomes a dev file once the rules have been improved against it.
    Probe,
    /// `holdout.jsonl`: never tuned against.
    Holdout,
    /// `tests/corpus/NAME.jsonl`, named with `--set NAME` (a probe written after the learned
    /// layer was trained, say).
    Named(String),
    /// `../shared/corpus/real-dev.jsonl`: real posts quoted in public pages, for measuring and
    /// choosing thresholds only (never copied here, never trained on).
    Real,
}

/// The files of a set.
fn corpus_files(set: Set) -> Result<Vec<std::path::PathBuf>, String> {
    let dir = crate::setup::root().join("tests/corpus");
    match set {
        Set::Holdout => return Ok(vec![dir.join("holdout.jsonl")]),
        Set::Probe => return Ok(vec![dir.join("probe.jsonl")]),
        Set::Real => return Ok(vec![crate::setup::root().join("../shared/corpus/real-dev.jsonl")]),
        Set::Named(name) => return Ok(vec![dir.join(format!("{name}.jsonl"))]),
        Set::Dev => {}
    }
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            name.starts_with("dev") && name.ends_with(".jsonl")
        })
        .collect();
    files.sort();
    Ok(files)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let check = args.iter().any(|a| a == "--check");
    let details = args.iter().any(|a| a == "--details");
    let named = args.iter().position(|a| a == "--set").and_then(|i| args.get(i + 1));
    let set = if let Some(name) = named {
        Set::Named(name.clone())
    } else if args.iter().any(|a| a == "--real") {
        Set::Real
    } else if args.iter().any(|a| a == "--holdout") {
        Set::Holdout
    } else if args.iter().any(|a| a == "--probe") {
        Set::Probe
    } else {
        Set::Dev
    };
    let files = corpus_files(set)?;
    let mut posts: Vec<Post> = Vec::new();
    for path in &files {
        let body = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        for (n, line) in body.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            posts.push(serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?);
        }
    }
    let file = files
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(" + ");
    let mut config = Config::default();
    if args.iter().any(|a| a == "--rules-only") {
        config = config.without_learned_rules().map_err(|e| e.to_string())?;
    }
    let checker = Checker::new(config).map_err(|e| e.to_string())?;

    let mut counts: BTreeMap<Category, Counts> = Category::ALL.iter().map(|&c| (c, Counts::default())).collect();
    let (mut clean, mut false_alarms) = (0usize, 0usize);
    for post in &posts {
        let findings = checker.check(&post.text);
        let labelled = |c: Category| post.labels.get(c.as_str()).filter(|v| !v.is_empty());
        for c in Category::ALL {
            let got: Vec<&Finding> = findings.iter().filter(|f| f.category == c).collect();
            let want = labelled(c);
            let n = counts.get_mut(&c).expect("every category has counts");
            match (want.is_some(), !got.is_empty()) {
                (true, true) => n.tp += 1,
                (false, true) => n.fp += 1,
                (true, false) => n.fn_ += 1,
                (false, false) => {}
            }
            for snippet in want.into_iter().flatten() {
                n.spans += 1;
                let hit = post
                    .text
                    .match_indices(snippet.as_str())
                    .any(|(at, s)| got.iter().any(|f| f.byte_start < at + s.len() && at < f.byte_end));
                n.spans_hit += usize::from(hit);
            }
            if details && want.is_some() == got.is_empty() {
                let what = if want.is_some() { "MISSED" } else { "FALSE " };
                let flagged: Vec<String> = got.iter().map(|f| format!("{}={:?}", f.rule, f.text)).collect();
                println!(
                    "{what} {:<10} {} [{}] {:?}\n       {}",
                    c.as_str(),
                    post.id,
                    post.kind,
                    post.text,
                    flagged.join(", ")
                );
            }
        }
        if post.labels.values().all(Vec::is_empty) {
            clean += 1;
            false_alarms += usize::from(!findings.is_empty());
        }
    }

    println!("corpus {file} ({} posts, {clean} clean)", posts.len());
    println!("{:<11} {:>9} {:>7} {:>7} {:>12}  (tp/fp/fn)", "category", "precision", "recall", "F1", "span recall");
    let mut failures = Vec::new();
    for (c, n) in &counts {
        let p = ratio(n.tp, n.tp + n.fp);
        let r = ratio(n.tp, n.tp + n.fn_);
        let f1 = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
        println!(
            "{:<11} {:>9.3} {:>7.3} {:>7.3} {:>12.3}  ({}/{}/{})",
            c.as_str(),
            p,
            r,
            f1,
            ratio(n.spans_hit, n.spans),
            n.tp,
            n.fp,
            n.fn_
        );
        if p < MIN_PRECISION {
            failures.push(format!("{} precision {p:.3} < {MIN_PRECISION}", c.as_str()));
        }
        if r < MIN_RECALL {
            failures.push(format!("{} recall {r:.3} < {MIN_RECALL}", c.as_str()));
        }
    }
    let fa = ratio(false_alarms, clean);
    println!("false alarms on clean posts: {false_alarms}/{clean} = {:.1} %", fa * 100.0);
    if fa > MAX_FALSE_ALARMS {
        failures.push(format!("false-alarm rate {:.1} % > {:.0} %", fa * 100.0, MAX_FALSE_ALARMS * 100.0));
    }
    if check && !failures.is_empty() {
        return Err(format!("corpus below the project's aims: {}", failures.join("; ")));
    }
    Ok(())
}
