//! A short fuzzing run of every target in `crate/fuzz/` (cargo-fuzz and libFuzzer), starting
//! from the committed corpus of interesting inputs.
//!
//! cargo-fuzz needs nightly-only compiler flags; on a stable toolchain `RUSTC_BOOTSTRAP=1`
//! allows them. The targets are built without a sanitizer (the engine has no unsafe code) and
//! with debug assertions, so an arithmetic overflow is a crash too. New inputs found by the
//! short run go to `target/fuzz-corpus/`, never into the committed corpus.

use crate::setup::{self, root, run, step};
use std::process::Command;

/// The fuzz targets, each run for this many seconds (about a minute in all) from its committed
/// inputs under `crate/fuzz/` (the image target starts from the fixture images the engine's
/// tests write, see `write_fuzz_seeds`).
pub const TARGETS: [(&str, u32, &str); 3] =
    [("check", 35, "corpus/check"), ("settings", 15, "corpus/settings"), ("image", 15, "seeds/image")];

pub fn run_short() -> Result<(), String> {
    setup::ensure_cargo_tool("cargo-fuzz", "cargo-fuzz", None)?;
    let crate_dir = root().join("crate");
    step("Building the fuzz targets (cargo fuzz build)");
    run(fuzz_command(&crate_dir).arg("build").args(BUILD_FLAGS)).map_err(|e| {
        format!(
            "{e}\nThe fuzz targets could not be built; cargo-fuzz needs a C++ compiler (Debian: g++) for libFuzzer."
        )
    })?;
    for (target, seconds, inputs) in TARGETS {
        step(&format!("Fuzzing `{target}` for {seconds} s from crate/fuzz/{inputs}"));
        let scratch = setup::target_dir().join("fuzz-corpus").join(target);
        std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
        run(fuzz_command(&crate_dir)
            .args(["run", target])
            .args(BUILD_FLAGS)
            .arg(&scratch)
            .arg(crate_dir.join("fuzz").join(inputs))
            .args(["--", &format!("-max_total_time={seconds}"), "-print_final_stats=1"]))?;
    }
    Ok(())
}

/// No sanitizer, optimised, debug assertions on: the same build as the long runs in docs/testing.md.
const BUILD_FLAGS: [&str; 4] = ["--sanitizer", "none", "--release", "--debug-assertions"];

/// `cargo fuzz` in `crate/` (cargo finds the tool in its bin folder even when it is not on PATH).
fn fuzz_command(crate_dir: &std::path::Path) -> Command {
    let mut c = setup::cargo();
    c.arg("fuzz").current_dir(crate_dir).env("RUSTC_BOOTSTRAP", "1");
    c
}
