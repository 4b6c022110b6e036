//! `cargo xtask train`: rebuilds the learned scorers' weights (`rules/models/*.bin`) from the
//! public data sets in `../shared/data/` and the project's own written posts.
//!
//! Three steps, each deterministic:
//! 1. `xtask/train/prepare.py` reads every source into one list of labelled texts;
//! 2. this task splits each text into the units the engine scores (sentences, then the post)
//!    and hashes their features with the engine's own code (`second_opinion::model`), so
//!    training sees exactly what a check sees;
//! 3. `xtask/train/fit.py` fits one logistic model per scorer, quantises it to the model file
//!    format and writes the files and a report.
//!
//! Python runs in a virtual environment under `target/train/venv` with the versions pinned in
//! `xtask/train/requirements.txt`. Training is not part of `cargo xtask test`; the tests check
//! that the shipped weights load and that every rule's examples pass.

use crate::setup::{self, root, run, step};
use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn run_task(args: &[String]) -> Result<(), String> {
    let data = args
        .iter()
        .position(|a| a == "--data")
        .and_then(|i| args.get(i + 1))
        .map_or_else(|| root().join("../shared/data"), PathBuf::from);
    if !data.is_dir() {
        return Err(format!(
            "{}: the public data sets are not there (pass --data DIR; docs/models.md says where each comes from)",
            data.display()
        ));
    }
    let work = setup::target_dir().join("train");
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let python = ensure_venv(&work)?;
    let scripts = root().join("xtask/train");

    step("Reading the training data");
    let texts = work.join("texts.jsonl");
    let eval_texts = work.join("eval.jsonl");
    run(Command::new(&python)
        .arg(scripts.join("prepare.py"))
        .arg("--data")
        .arg(&data)
        .arg("--posts")
        .arg(scripts.join("posts"))
        .arg("--corpus")
        .arg(root().join("tests/corpus"))
        .arg("--out")
        .arg(&texts)
        .arg("--real")
        .arg(root().join("../shared/corpus/real-dev.jsonl"))
        .arg("--eval-out")
        .arg(&eval_texts))?;

    step("Hashing features with the engine's code");
    let units = work.join("units.bin");
    featurize(&texts, &units)?;
    let eval_units = work.join("eval-units.bin");
    featurize(&eval_texts, &eval_units)?;

    step("Fitting the scorers");
    run(Command::new(&python)
        .arg(scripts.join("fit.py"))
        .arg("--texts")
        .arg(&texts)
        .arg("--units")
        .arg(&units)
        .arg("--models")
        .arg(root().join("rules/models"))
        .arg("--eval-texts")
        .arg(&eval_texts)
        .arg("--eval-units")
        .arg(&eval_units)
        .arg("--report")
        .arg(work.join("report.json")))?;
    Ok(())
}

/// The virtual environment's Python, created and filled from the pinned requirements when
/// missing or when the requirements changed.
fn ensure_venv(work: &Path) -> Result<PathBuf, String> {
    let venv = work.join("venv");
    let python = venv.join("bin/python");
    let requirements = root().join("xtask/train/requirements.txt");
    let wanted = std::fs::read_to_string(&requirements).map_err(|e| format!("{}: {e}", requirements.display()))?;
    let stamp = venv.join("requirements.installed");
    if python.exists() && std::fs::read_to_string(&stamp).is_ok_and(|s| s == wanted) {
        return Ok(python);
    }
    step("Creating the training environment (target/train/venv)");
    run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    run(Command::new(&python).args(["-m", "pip", "install", "--quiet", "-r"]).arg(&requirements))?;
    std::fs::write(&stamp, wanted).map_err(|e| format!("{}: {e}", stamp.display()))?;
    Ok(python)
}

/// Writes, for each line `{"text": ...}` of `texts`, the units the engine scores: the unit
/// count, then per unit its start and end (bytes of the text) and its feature hashes (count,
/// then each), all as little-endian `u32`.
fn featurize(texts: &Path, out: &Path) -> Result<(), String> {
    #[derive(serde::Deserialize)]
    struct Line {
        text: String,
    }
    let input = std::fs::File::open(texts).map_err(|e| format!("{}: {e}", texts.display()))?;
    let file = std::fs::File::create(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut w = BufWriter::new(file);
    let put = |w: &mut BufWriter<std::fs::File>, v: usize| {
        let v = u32::try_from(v).map_err(|_| "a value does not fit in 32 bits".to_owned())?;
        w.write_all(&v.to_le_bytes()).map_err(|e| e.to_string())
    };
    let mut count = 0;
    for (n, line) in std::io::BufReader::new(input).lines().enumerate() {
        let line = line.map_err(|e| format!("{}: {e}", texts.display()))?;
        let parsed: Line = serde_json::from_str(&line).map_err(|e| format!("{}:{}: {e}", texts.display(), n + 1))?;
        let units = second_opinion::model::training_units(&parsed.text);
        put(&mut w, units.len())?;
        for unit in units {
            put(&mut w, unit.start)?;
            put(&mut w, unit.end)?;
            put(&mut w, unit.hashes.len())?;
            for h in unit.hashes {
                w.write_all(&h.to_le_bytes()).map_err(|e| e.to_string())?;
            }
        }
        count += 1;
    }
    w.flush().map_err(|e| e.to_string())?;
    eprintln!("{count} texts hashed into {}", out.display());
    Ok(())
}
