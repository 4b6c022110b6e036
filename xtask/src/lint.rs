//! `cargo xtask lint`: the lint lane, in order: rustfmt (the workspace and the separate fuzz
//! crate), clippy with every warning an error (the lints are set in the root Cargo.toml's
//! `[workspace.lints]`), `tsc --noEmit` on the extension, and ESLint on the extension's
//! sources (extension/eslint.config.mjs, where the security rules are: no code and no HTML
//! from strings), failing on any problem.

use crate::dist;
use crate::setup::{self, root, run, step};

pub fn run_task(args: &[String]) -> Result<(), String> {
    if let Some(extra) = args.first() {
        return Err(format!("lint takes no arguments (got {extra:?})"));
    }
    lint()
}

pub fn lint() -> Result<(), String> {
    setup::ensure_rustup_component("rustfmt")?;
    setup::ensure_rustup_component("clippy")?;
    step("rustfmt (cargo fmt --check), the workspace and crate/fuzz");
    run(setup::cargo().args(["fmt", "--all", "--check"]))?;
    run(setup::cargo().args(["fmt", "--all", "--check", "--manifest-path", "crate/fuzz/Cargo.toml"]))?;
    step("clippy (cargo clippy --workspace --all-targets -- -D warnings)");
    run(setup::cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    // tsc type-checks the background against the glue that wasm-bindgen writes for the engine.
    dist::engine()?;
    let extension = root().join("extension");
    dist::type_check(&extension)?;
    step("ESLint on extension/ (no problem allowed)");
    run(dist::node_tool(&extension, "eslint").args(["--max-warnings=0", "."]))
}
