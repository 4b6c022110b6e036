//! Properties that must hold for any text: findings lie on character boundaries inside the
//! text, UTF-16 offsets agree with byte offsets, findings are sorted, and checking is
//! deterministic.

use proptest::prelude::*;
use second_opinion::{Checker, Config};
use std::sync::OnceLock;

fn checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(|| {
        // User lists with awkward entries: accents, digits, a run-on '*', an invisible joiner.
        let config = Config {
            watch_words: vec!["Ōtara".into(), "ward 7".into(), "Hemi*".into(), "J\u{200D}o".into()],
            affiliations: vec!["Acme 😀".into()],
            ..Config::default()
        };
        Checker::new(config).unwrap()
    })
}

/// Text built from fragments that trigger rules, mixed with awkward Unicode.
fn post() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just("MRN 4829137".to_owned()),
        Just("Mr Robert Haines".to_owned()),
        Just("84F".to_owned()),
        Just("you're an idiot".to_owned()),
        Just("use code GLOW20 #gifted".to_owned()),
        Just("0412 345 678".to_owned()),
        Just("Ōtara".to_owned()),
        Just("😀👩‍⚕️".to_owned()),
        Just("\u{200B}\u{202E}\u{FEFF}".to_owned()),
        Just("２１２３ ４５６７０ １".to_owned()),
        Just("e\u{301}".to_owned()),
        Just("\r\n".to_owned()),
        Just("Jose\u{301} ٤٨٢٩١٣٧ 𝟒".to_owned()),
        Just("e.g. Hemi's Acme 😀 ward 7".to_owned()),
        "\\PC{0,12}",
    ];
    prop::collection::vec(fragment, 0..12).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn findings_are_well_formed(text in post()) {
        let findings = checker().check(&text);
        let mut last = (0, 0);
        for f in &findings {
            prop_assert!(f.byte_start < f.byte_end && f.byte_end <= text.len());
            prop_assert!(text.is_char_boundary(f.byte_start) && text.is_char_boundary(f.byte_end));
            prop_assert_eq!(&text[f.byte_start..f.byte_end], f.text.as_str());
            prop_assert_eq!(f.start, text[..f.byte_start].encode_utf16().count());
            prop_assert_eq!(f.end, text[..f.byte_end].encode_utf16().count());
            prop_assert!((f.byte_start, f.byte_end) >= last, "sorted");
            last = (f.byte_start, f.byte_end);
        }
        prop_assert_eq!(findings, checker().check(&text));
    }
}

#[test]
fn invisible_characters_do_not_hide_a_record_number() {
    let text = "MRN 48\u{200B}29\u{2060}137";
    let f = checker().check(text);
    assert!(f.iter().any(|f| f.rule == "medical-record-number" && f.text == "48\u{200B}29\u{2060}137"), "{f:?}");
}

#[test]
fn fullwidth_digits_are_read_as_digits() {
    let f = checker().check("Medicare ２１２３ ４５６７０ １");
    assert!(f.iter().any(|f| f.rule == "au-medicare-number"), "{f:?}");
}
