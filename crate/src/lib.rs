//! Second Opinion's engine: reads a social-media post as a doctor types it and reports what
//! may breach professional standards — patient identifiers, a hostile tone, promotion without
//! a declared interest — each finding citing the AMA/NZMA social media guide.
//!
//! The rules are data (`rules/*.toml`, validated and embedded at build time); this crate
//! supplies the mechanisms they combine. Nothing here touches a browser or the network: the
//! same engine runs in `cargo test`, the `second-opinion` command and, through [`wasm`], in
//! the browser extension.
//!
//! ```
//! use second_opinion::{Checker, Config};
//! let checker = Checker::new(Config::default()).unwrap();
//! let findings = checker.check("Saw Mr Robert Haines (MRN 4829137) in ED");
//! assert!(findings.iter().any(|f| f.rule == "medical-record-number"));
//! ```

mod checker;
pub mod checksum;
mod config;
mod engine;
#[cfg(not(target_arch = "wasm32"))]
pub mod explain;
pub mod image;
mod lists;
pub mod model;
#[cfg(test)]
mod packs;
#[cfg(not(target_arch = "wasm32"))]
pub mod rule_examples;
pub mod schema;
pub mod sections;
mod signals;
#[cfg(not(target_arch = "wasm32"))]
mod sources;
pub mod text;
mod trie;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use checker::{Checker, Finding, MAX_FINDINGS};
pub use config::{Categories, Config, ConfigError, MAX_ENTRY_CHARS, MAX_LIST_ENTRIES};
pub use engine::{AppliesTo, RuleInfo};
pub use image::{strip_metadata, ImageError, ImageFinding, ImageReport, MAX_IMAGE_BYTES};
pub use schema::{Category, ImageKind, Region, Severity};
