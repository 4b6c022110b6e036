//! Fuzzes `Checker::check` with arbitrary text under arbitrary settings.
//!
//! Input layout: the bytes before the last NUL are the post (invalid UTF-8 replaced, so every
//! valid UTF-8 text is reachable), the bytes after it choose the settings. An input without a
//! NUL is a post checked with the default settings, so plain-text seeds work as they are.
//!
//! Checked on every input: no panic; every finding lies on character boundaries inside the
//! text and quotes it; UTF-16 offsets agree with byte offsets; findings are sorted and within
//! the cap; checking the same text again gives the same findings.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use second_opinion::{Categories, Checker, Config, Region, MAX_FINDINGS};
use std::sync::OnceLock;

/// Settings drawn from fuzz bytes: category and rule switches, regions, and user lists of
/// arbitrary strings (which may be refused, which is a result too).
#[derive(Arbitrary, Debug)]
struct Settings {
    categories: (bool, bool, bool),
    /// Rule switches, as indices into the rule list (an index past the end names an unknown rule).
    rules: Vec<(u8, bool)>,
    regions: u8,
    watch_words: Vec<String>,
    affiliations: Vec<String>,
    disclosure_phrases: Vec<String>,
}

fn rule_ids() -> &'static [String] {
    static IDS: OnceLock<Vec<String>> = OnceLock::new();
    IDS.get_or_init(|| Checker::new(Config::default()).unwrap().rules().into_iter().map(|r| r.id).collect())
}

fn default_checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(|| Checker::new(Config::default()).unwrap())
}

impl Settings {
    fn config(self) -> Config {
        let ids = rule_ids();
        let (identifier, tone, conflict) = self.categories;
        Config {
            categories: Categories { identifier, tone, conflict },
            rules: self
                .rules
                .into_iter()
                .map(|(i, on)| (ids.get(usize::from(i)).cloned().unwrap_or_else(|| format!("no-such-rule-{i}")), on))
                .collect(),
            regions: Region::ALL
                .into_iter()
                .enumerate()
                .filter(|(i, _)| self.regions & (1 << i) != 0)
                .map(|(_, r)| r)
                .collect(),
            watch_words: self.watch_words,
            affiliations: self.affiliations,
            disclosure_phrases: self.disclosure_phrases,
        }
    }
}

fn check_properties(checker: &Checker, text: &str) {
    let findings = checker.check(text);
    assert!(findings.len() <= MAX_FINDINGS);
    let mut last = (0, 0);
    for f in &findings {
        assert!(f.byte_start < f.byte_end && f.byte_end <= text.len(), "{f:?}");
        assert!(text.is_char_boundary(f.byte_start) && text.is_char_boundary(f.byte_end), "{f:?}");
        assert_eq!(&text[f.byte_start..f.byte_end], f.text);
        assert_eq!(f.start, text[..f.byte_start].encode_utf16().count(), "{f:?}");
        assert_eq!(f.end, text[..f.byte_end].encode_utf16().count(), "{f:?}");
        assert!((f.byte_start, f.byte_end) >= last, "findings out of order: {findings:?}");
        last = (f.byte_start, f.byte_end);
    }
    assert_eq!(findings, checker.check(text), "same text, different findings");
}

fuzz_target!(|data: &[u8]| {
    let (text, settings) = match data.iter().rposition(|&b| b == 0) {
        Some(nul) => (&data[..nul], Some(&data[nul + 1..])),
        None => (data, None),
    };
    let text = String::from_utf8_lossy(text);
    match settings {
        None => check_properties(default_checker(), &text),
        Some(bytes) => {
            let Ok(settings) = Settings::arbitrary_take_rest(Unstructured::new(bytes)) else { return };
            // Refused settings (an empty or over-long entry, an unknown rule) are fine; a panic is not.
            if let Ok(checker) = Checker::new(settings.config()) {
                check_properties(&checker, &text);
            }
        }
    }
});
