//! The browser tests: Chromium loads the shipped `dist/chrome` and a Playwright script types
//! posts into real editors on pages served as the real social sites (tests/e2e/).

use crate::setup::{self, root, run, step};
use std::process::Command;

/// Runs tests/e2e with node's test runner. Expects `dist/chrome` to be built.
pub fn run_tests() -> Result<(), String> {
    setup::ensure_apt(&["chromium"])?;
    let dir = root().join("tests").join("e2e");
    setup::ensure_npm(&dir)?;
    step("Browser tests (Chromium with dist/chrome)");
    run(Command::new("node").args(["--test", "--test-reporter=spec", "extension.test.mjs"]).current_dir(&dir))
}
