//! Fuzzes settings parsing: arbitrary bytes as JSON and as TOML settings.
//!
//! Checked on every input: no panic; a refusal has a message; accepted settings build a
//! checker or are refused with a message (never a panic), and survive a JSON round trip
//! unchanged (what the extension stores is what it reads back).
#![no_main]

use libfuzzer_sys::fuzz_target;
use second_opinion::{Checker, Config};

fn accepted(config: Config) {
    match Checker::new(config.clone()) {
        Ok(checker) => assert_eq!(checker.config(), &config),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    let json = serde_json::to_string(&config).unwrap();
    assert_eq!(Config::from_json(&json).unwrap(), config, "JSON round trip changed the settings: {json}");
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for parsed in [Config::from_json(&text), Config::from_toml(&text)] {
        match parsed {
            Ok(config) => accepted(config),
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
});
