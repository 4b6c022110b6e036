//! Compiles the rule packs in `../rules/` into the files the engine embeds, with the pack
//! compiler (`src/packs/`, whose doc says what it writes and why it is part of the library).
//! A build script cannot depend on the crate it builds, so the compiler, and the engine
//! modules whose formats it writes, are compiled here from the library's own source files.
//!
//! A malformed pack fails the build with the compiler's message, naming the file and rule.

#[path = "src/lists.rs"]
#[allow(dead_code)]
mod lists;
#[path = "src/model/mod.rs"]
#[allow(dead_code)]
mod model;
#[path = "src/packs/mod.rs"]
mod packs;
#[path = "src/schema.rs"]
#[allow(dead_code)]
mod schema;
#[path = "src/sources.rs"]
mod sources;
#[path = "src/text.rs"]
#[allow(dead_code)]
mod text;
#[path = "src/trie.rs"]
#[allow(dead_code)]
mod trie;

use std::path::{Path, PathBuf};

fn main() {
    let rules_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules");
    println!("cargo:rerun-if-changed={}", rules_dir.display());
    if let Err(e) = run(&rules_dir) {
        eprintln!("rule pack error: {e}");
        std::process::exit(1);
    }
}

fn run(rules_dir: &Path) -> Result<(), String> {
    let compiled = packs::compile(rules_dir)?;
    for input in &compiled.inputs {
        println!("cargo:rerun-if-changed={}", input.display());
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| e.to_string())?);
    for (name, bytes) in compiled.files() {
        std::fs::write(out.join(name), bytes).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}
