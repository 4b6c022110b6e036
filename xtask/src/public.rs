//! `cargo xtask eval --public`: the engine on public test sets in `../shared/data/`, read where
//! they are (never copied here):
//! - OLID level A test tweets (offensive or not): how well tone findings agree, as macro-F1;
//! - the identity-term templates of bias-madlibs: the share of harmless sentences naming a
//!   group ("respect trans", "hug mexican") that get a tone warning, which must stay near zero.
//!
//! The synthetic clinicians' queries are scored by `cargo xtask eval --clinical`
//! (`identifiers::clinical`), all of them and the half training leaves out.

use second_opinion::{Category, Checker, Config};
use std::path::Path;

pub fn run() -> Result<(), String> {
    let data = crate::setup::root().join("../shared/data");
    let checker = Checker::new(Config::default()).map_err(|e| e.to_string())?;
    let warns = |text: &str, c: Category| checker.check(text).iter().any(|f| f.category == c);
    olid(&data, &warns)?;
    madlibs(&data, &warns)?;
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

/// Texts of two kinds, and how many of each drew a warning.
#[derive(Default)]
struct Tally {
    of: [usize; 2],
    warned: [usize; 2],
}

impl Tally {
    fn add(&mut self, second_kind: bool, warned: bool) {
        let k = usize::from(second_kind);
        self.of[k] += 1;
        self.warned[k] += usize::from(warned);
    }

    /// "W of N" and the share in per cent, for the first or second kind.
    fn describe(&self, second_kind: bool, decimals: usize) -> String {
        let k = usize::from(second_kind);
        let share = 100.0 * self.warned[k] as f64 / self.of[k].max(1) as f64;
        format!("{} of {} ({share:.decimals$} %)", self.warned[k], self.of[k])
    }
}

fn madlibs(data: &Path, warns: &impl Fn(&str, Category) -> bool) -> Result<(), String> {
    let mut tally = Tally::default();
    for line in read(&data.join("bias-madlibs/bias_madlibs_77k.csv"))?.lines().skip(1) {
        // "text",LABEL,template: the texts are quoted and hold no quotes of their own.
        let Some((text, rest)) = line.strip_prefix('"').and_then(|l| l.split_once("\",")) else { continue };
        tally.add(!rest.starts_with("NOT_BAD"), warns(text, Category::Tone));
    }
    println!(
        "bias-madlibs: tone warnings on {} harmless sentences naming a group, on {} hostile ones",
        tally.describe(false, 2),
        tally.describe(true, 1)
    );
    Ok(())
}
