//! `cargo xtask eval --public`: the engine on public test sets in `../shared/data/`, read where
//! they are (never copied here):
//! - OLID level A test tweets (offensive or not): how well tone findings agree, as macro-F1;
//! - the identity-term templates of bias-madlibs: the share of harmless sentences naming a
//!   group ("respect trans", "hug mexican") that get a tone warning, which must stay near zero;
//! - the synthetic clinicians' queries training leaves out (every other one): the share with
//!   tagged patient details that get an identifier warning, and of those without any.

use second_opinion::{Category, Checker, Config};
use std::path::Path;

pub fn run() -> Result<(), String> {
    let data = crate::setup::root().join("../shared/data");
    let checker = Checker::new(Config::default()).map_err(|e| e.to_string())?;
    let warns = |text: &str, c: Category| checker.check(text).iter().any(|f| f.category == c);
    olid(&data, &warns)?;
    madlibs(&data, &warns)?;
    clinical_queries(&data, &warns)?;
    Ok(())
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn olid(data: &Path, warns: &impl Fn(&str, Category) -> bool) -> Result<(), String> {
    let gold: std::collections::HashMap<String, bool> = read(&data.join("olid/labels-levela.csv"))?
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(','))
        .map(|(id, label)| (id.to_owned(), label.trim() == "OFF"))
        .collect();
    let (mut tp, mut fp, mut fn_, mut tn) = (0usize, 0usize, 0usize, 0usize);
    for line in read(&data.join("olid/testset-levela.tsv"))?.lines().skip(1) {
        let Some((id, tweet)) = line.split_once('\t') else { continue };
        let Some(&off) = gold.get(id) else { continue };
        match (off, warns(tweet, Category::Tone)) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (true, false) => fn_ += 1,
            (false, false) => tn += 1,
        }
    }
    let f1 = |tp: usize, fp: usize, fn_: usize| 2.0 * tp as f64 / (2 * tp + fp + fn_).max(1) as f64;
    let macro_f1 = (f1(tp, fp, fn_) + f1(tn, fn_, fp)) / 2.0;
    println!(
        "OLID level A test ({} tweets): tone warnings on {tp} of {} offensive, {fp} of {} not; macro-F1 {macro_f1:.3}",
        tp + fp + fn_ + tn,
        tp + fn_,
        fp + tn
    );
    Ok(())
}

fn madlibs(data: &Path, warns: &impl Fn(&str, Category) -> bool) -> Result<(), String> {
    let (mut harmless, mut harmless_warned, mut hostile, mut hostile_warned) = (0usize, 0usize, 0usize, 0usize);
    for line in read(&data.join("bias-madlibs/bias_madlibs_77k.csv"))?.lines().skip(1) {
        // "text",LABEL,template: the texts are quoted and hold no quotes of their own.
        let Some((text, rest)) = line.strip_prefix('"').and_then(|l| l.split_once("\",")) else { continue };
        let warned = warns(text, Category::Tone);
        if rest.starts_with("NOT_BAD") {
            harmless += 1;
            harmless_warned += usize::from(warned);
        } else {
            hostile += 1;
            hostile_warned += usize::from(warned);
        }
    }
    println!(
        "bias-madlibs: tone warnings on {harmless_warned} of {harmless} harmless sentences naming a group ({:.2} %), on {hostile_warned} of {hostile} hostile ones ({:.1} %)",
        100.0 * harmless_warned as f64 / harmless.max(1) as f64,
        100.0 * hostile_warned as f64 / hostile.max(1) as f64
    );
    Ok(())
}

fn clinical_queries(data: &Path, warns: &impl Fn(&str, Category) -> bool) -> Result<(), String> {
    let body = read(&data.join("synthetic-clinical-queries/synthetic_dataset.txt"))?;
    let (mut tagged, mut tagged_warned, mut free, mut free_warned) = (0usize, 0usize, 0usize, 0usize);
    // Training reads the even-numbered queries; these are the others.
    for block in body.split("===QUERY===").skip(1).skip(1).step_by(2) {
        let (query, tags) = block.split_once("===PHI_TAGS===").unwrap_or((block, ""));
        let warned = warns(query.trim(), Category::Identifier);
        if tags.trim().is_empty() {
            free += 1;
            free_warned += usize::from(warned);
        } else {
            tagged += 1;
            tagged_warned += usize::from(warned);
        }
    }
    println!(
        "clinical queries left out of training: identifier warnings on {tagged_warned} of {tagged} with patient details ({:.1} %), on {free_warned} of {free} without ({:.1} %)",
        100.0 * tagged_warned as f64 / tagged.max(1) as f64,
        100.0 * free_warned as f64 / free.max(1) as f64
    );
    Ok(())
}
