//! The browser tests: Chromium loads the shipped `dist/chrome` (driven by Playwright) and
//! Firefox ESR the shipped `.xpi` (driven by geckodriver); both type posts into real editors on
//! pages served as the real social sites (tests/e2e/).

use crate::setup::{self, root, run, step};
use std::process::Command;

/// Lints dist/firefox with `web-ext lint` (any error or warning fails), then runs tests/e2e
/// with node's test runner, one browser at a time. Expects `dist/` to be built.
pub fn run_tests() -> Result<(), String> {
    setup::ensure_apt(&["chromium", "firefox-esr"])?;
    let geckodriver = setup::ensure_cargo_tool("geckodriver", "geckodriver", None)?;
    let dir = root().join("tests").join("e2e");
    setup::ensure_npm(&dir)?;
    step("web-ext lint on dist/firefox (no errors, no warnings)");
    run(Command::new(dir.join("node_modules/.bin/web-ext"))
        .args([
            "lint",
            "--source-dir",
            "../../dist/firefox",
            "--warnings-as-errors",
            "--no-input",
            "--no-config-discovery",
        ])
        .env("NO_UPDATE_NOTIFIER", "1")
        .current_dir(&dir))?;
    step("Browser tests (Chromium with dist/chrome, Firefox with the .xpi)");
    run(Command::new("node")
        .args([
            "--test",
            "--test-concurrency=1",
            "--test-reporter=spec",
            "text-map.test.mjs",
            "extension.test.mjs",
            "editors.test.mjs",
            "image.test.mjs",
            "security.test.mjs",
            "firefox.test.mjs",
            "image-firefox.test.mjs",
        ])
        .env("GECKODRIVER", geckodriver)
        .current_dir(&dir))
}
