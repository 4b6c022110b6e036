//! The user's settings: what to check and the words only they know (their hospital, their
//! colleagues, the companies they have ties to).

use crate::schema::{Category, Region};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Most entries a user list may hold, and the longest entry: enough for any real list, and
/// small enough that a pasted novel cannot slow every keystroke.
pub const MAX_LIST_ENTRIES: usize = 500;
pub const MAX_ENTRY_CHARS: usize = 200;

/// Settings for a [`crate::Checker`]. Every field is optional in JSON or TOML; unknown
/// fields are rejected so that a typo is reported instead of silently ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Whole categories on or off.
    pub categories: Categories,
    /// Rules switched on or off by id, overriding their defaults.
    pub rules: BTreeMap<String, bool>,
    /// Countries whose identifier formats are checked.
    pub regions: Vec<Region>,
    /// Words that identify people or places in the user's work: their hospital, ward,
    /// colleagues' or regular patients' names.
    pub watch_words: Vec<String>,
    /// Companies, products or organisations the user has ties to.
    pub affiliations: Vec<String>,
    /// Phrases the user writes to declare an interest, in addition to the built-in ones.
    pub disclosure_phrases: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            categories: Categories::default(),
            rules: BTreeMap::new(),
            regions: Region::ALL.to_vec(),
            watch_words: Vec::new(),
            affiliations: Vec::new(),
            disclosure_phrases: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Categories {
    pub identifier: bool,
    pub tone: bool,
    pub conflict: bool,
}

impl Default for Categories {
    fn default() -> Self {
        Categories { identifier: true, tone: true, conflict: true }
    }
}

impl Categories {
    pub fn enabled(&self, c: Category) -> bool {
        match c {
            Category::Identifier => self.identifier,
            Category::Tone => self.tone,
            Category::Conflict => self.conflict,
        }
    }
}

/// Why settings were refused; the message names the field at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// The text is not valid JSON/TOML or a field has the wrong type.
    Parse { path: String, message: String },
    /// A rule id in `rules` that no pack defines.
    UnknownRule(String),
    /// A list entry that is empty or too long, or a list that is too long.
    BadEntry { field: String, reason: String },
    /// The embedded rule packs could not be loaded (a build defect, never user input).
    Internal(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Parse { path, message } if path.is_empty() || path == "." || path == "?" => {
                write!(f, "invalid settings: {message}")
            }
            ConfigError::Parse { path, message } => write!(f, "invalid settings at `{path}`: {message}"),
            ConfigError::UnknownRule(id) => write!(f, "invalid settings at `rules`: unknown rule id {id:?}"),
            ConfigError::BadEntry { field, reason } => write!(f, "invalid settings at `{field}`: {reason}"),
            ConfigError::Internal(m) => write!(f, "internal error loading rule packs: {m}"),
        }
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// These settings with every rule that rests on a learned scorer switched off: the checker
    /// as it was before the learned layer, for measuring what the layer adds.
    pub fn without_learned_rules(mut self) -> Result<Config, ConfigError> {
        for rule in crate::engine::engine()?.rules.iter().filter(|r| r.info.learned) {
            self.rules.insert(rule.info.id.clone(), false);
        }
        Ok(self)
    }

    /// Parses JSON settings, reporting the path of the first bad field.
    pub fn from_json(text: &str) -> Result<Config, ConfigError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let config: Config = serde_path_to_error::deserialize(de)
            .map_err(|e| ConfigError::Parse { path: e.path().to_string(), message: e.inner().to_string() })?;
        config.check_lists()?;
        Ok(config)
    }

    /// Parses TOML settings (the CLI's `--config` accepts either format).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let de = toml::Deserializer::new(text);
        let config: Config = serde_path_to_error::deserialize(de).map_err(|e| ConfigError::Parse {
            path: e.path().to_string(),
            // The full message carries the line and column of a syntax error.
            message: e
                .inner()
                .to_string()
                .lines()
                .filter(|l| !l.contains('|') && !l.trim().is_empty())
                .map(str::trim)
                .collect::<Vec<_>>()
                .join("; "),
        })?;
        config.check_lists()?;
        Ok(config)
    }

    /// Rejects empty, over-long or too many list entries.
    pub(crate) fn check_lists(&self) -> Result<(), ConfigError> {
        for (field, list) in [
            ("watch_words", &self.watch_words),
            ("affiliations", &self.affiliations),
            ("disclosure_phrases", &self.disclosure_phrases),
        ] {
            if list.len() > MAX_LIST_ENTRIES {
                return Err(ConfigError::BadEntry {
                    field: field.into(),
                    reason: format!("{} entries; at most {MAX_LIST_ENTRIES} are allowed", list.len()),
                });
            }
            for (i, entry) in list.iter().enumerate() {
                let chars = entry.trim().chars().count();
                let folded = crate::text::Prepared::new(entry.trim()).folded().trim_end_matches('*').trim().to_owned();
                let reason = if chars == 0 || folded.is_empty() {
                    "entry is empty (or only invisible characters)".to_owned()
                } else if chars > MAX_ENTRY_CHARS {
                    format!("entry is {chars} characters long; at most {MAX_ENTRY_CHARS} are allowed")
                } else {
                    continue;
                };
                return Err(ConfigError::BadEntry { field: format!("{field}[{i}]"), reason });
            }
        }
        Ok(())
    }
}
