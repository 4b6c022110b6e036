//! Where each rule and signal is defined in `rules/*.toml`, with each signal's doc string: what
//! the pack compiler records (`sources.json`) for `second-opinion explain`, which points a
//! reader from a rule to the lines that make it. The engine itself never reads it.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sources {
    /// Every signal, by name.
    pub signals: BTreeMap<String, SignalSource>,
    /// Every rule, text or image, by id.
    pub rules: BTreeMap<String, Location>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignalSource {
    pub at: Location,
    /// What the signal stands for, as its pack says.
    pub doc: String,
}

/// A line of a pack: the one with the signal's `name` or the rule's `id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// The pack's file name in `rules/`.
    pub file: String,
    /// 1-based.
    pub line: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rules/{}:{}", self.file, self.line)
    }
}
