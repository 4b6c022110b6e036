//! The image metadata reader and the clean-copy writer on arbitrary bytes: neither may panic
//! or hang, and a clean copy, read again, must hold no metadata and clean to itself.

#![no_main]

use libfuzzer_sys::fuzz_target;
use second_opinion::{strip_metadata, Checker, Config};
use std::sync::OnceLock;

fn checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(|| Checker::new(Config::default()).expect("default settings"))
}

fuzz_target!(|data: &[u8]| {
    let _ = checker().check_image(data, "");
    if let Ok(clean) = strip_metadata(data) {
        let again = checker().check_image(&clean, "");
        assert!(again.findings.is_empty(), "the clean copy still has metadata: {again:?}");
        assert_eq!(strip_metadata(&clean).as_ref(), Ok(&clean), "cleaning the clean copy changed it");
    }
});
