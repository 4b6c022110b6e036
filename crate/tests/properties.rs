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

/// Any text, weighted towards what folding rewrites: separators between digits, look-alike
/// letters, invisible characters and marks.
fn awkward_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[0-9]{1,4}",
        "[ .\\-_]",
        Just("O".to_owned()),
        Just("l".to_owned()),
        Just("\u{041C}\u{043E}\u{0417}".to_owned()),
        Just("\u{200B}\u{0301}\u{FE0F}\u{20E3}".to_owned()),
        Just("𝗠𝟰".to_owned()),
        Just("\r\n".to_owned()),
        "[a-zA-Z]{1,3}",
        "\\PC{0,3}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    /// Every span of the folded text maps back to whole characters of the original, in order.
    #[test]
    fn folded_spans_map_to_character_boundaries_in_order(text in awkward_text(), cuts in prop::collection::vec(any::<prop::sample::Index>(), 4)) {
        use second_opinion::text::Prepared;
        let prepared = Prepared::new(&text);
        let folded = prepared.folded();
        let mut bounds: Vec<usize> = cuts.iter().map(|i| i.index(folded.len() + 1)).collect();
        bounds.sort_unstable();
        for b in &mut bounds {
            while !folded.is_char_boundary(*b) {
                *b -= 1;
            }
        }
        let (a, b) = (prepared.original_span(&(bounds[0]..bounds[1])), prepared.original_span(&(bounds[2]..bounds[3])));
        for span in [&a, &b] {
            prop_assert!(span.start <= span.end && span.end <= text.len(), "{span:?} in {text:?}");
            prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        }
        prop_assert!(a.start <= b.start, "{a:?} after {b:?} in {text:?}");
    }

    /// UTF-16 offsets agree with JavaScript's counting at every character boundary.
    #[test]
    fn utf16_offsets_match_encode_utf16(text in "\\PC{0,40}") {
        let bounds: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        let units = second_opinion::text::utf16_offsets(&text, &bounds);
        for (b, u) in bounds.iter().zip(units) {
            prop_assert_eq!(u, text[..*b].encode_utf16().count());
        }
    }
}

mod check_digits {
    use proptest::prelude::*;
    use second_opinion::checksum::{au_ihi, au_medicare, ca_bc_phn, ca_ohip, luhn, uk_nhs, us_npi};

    fn with_digit(digits: &[u8], at: usize, d: u8) -> Vec<u8> {
        let mut v = digits.to_vec();
        v[at] = b'0' + d;
        v
    }

    /// How many of the ten digits at `at` make the number valid.
    fn completions(valid: fn(&[u8]) -> bool, digits: &[u8], at: usize) -> usize {
        (0..10).filter(|&d| valid(&with_digit(digits, at, d))).count()
    }

    /// A valid number stops being valid when any one of its first `covered` digits changes
    /// (the point of a check digit).
    fn single_changes_are_caught(
        valid: fn(&[u8]) -> bool,
        digits: &[u8],
        at: usize,
        covered: usize,
    ) -> Result<(), TestCaseError> {
        let Some(check) = (0..10).find(|&d| valid(&with_digit(digits, at, d))) else { return Ok(()) };
        let number = with_digit(digits, at, check);
        for i in 0..covered {
            for d in 0..10u8 {
                if b'0' + d != number[i] {
                    let changed = with_digit(&number, i, d);
                    prop_assert!(
                        !valid(&changed),
                        "{} and {} both valid",
                        String::from_utf8_lossy(&number),
                        String::from_utf8_lossy(&changed)
                    );
                }
            }
        }
        Ok(())
    }

    fn digits(len: usize) -> impl Strategy<Value = Vec<u8>> {
        prop::collection::vec(b'0'..=b'9', len)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn luhn_has_exactly_one_check_digit(payload in prop::collection::vec(0u32..10, 1..20)) {
            let valid = (0..10).filter(|&c| luhn(&[payload.as_slice(), &[c]].concat())).count();
            prop_assert_eq!(valid, 1);
        }

        #[test]
        fn medicare_check_digit(mut d in digits(10), first in 2u8..=6, issue in 1u8..=9) {
            d[0] = b'0' + first;
            d[9] = b'0' + issue;
            prop_assert_eq!(completions(au_medicare, &d, 8), 1);
            // The issue number after the check digit is not covered by it.
            single_changes_are_caught(au_medicare, &d, 8, 9)?;
        }

        #[test]
        fn nhs_check_digit(d in digits(10)) {
            // Payloads whose check would be 10 are never issued: no digit completes them.
            prop_assert!(completions(uk_nhs, &d, 9) <= 1);
            single_changes_are_caught(uk_nhs, &d, 9, 10)?;
        }

        #[test]
        fn ihi_check_digit(rest in digits(10)) {
            let d = [b"800360".as_slice(), &rest].concat();
            prop_assert_eq!(completions(au_ihi, &d, 15), 1);
            single_changes_are_caught(au_ihi, &d, 15, 16)?;
        }

        #[test]
        fn npi_check_digit(mut d in digits(10), first in 1u8..=2) {
            d[0] = b'0' + first;
            prop_assert_eq!(completions(us_npi, &d, 9), 1);
            single_changes_are_caught(us_npi, &d, 9, 10)?;
        }

        #[test]
        fn bc_phn_check_digit(mut d in digits(10)) {
            d[0] = b'9';
            prop_assert!(completions(ca_bc_phn, &d, 9) <= 1);
        }

        #[test]
        fn ohip_check_digit(d in digits(10)) {
            prop_assert_eq!(completions(ca_ohip, &d, 9), 1);
            single_changes_are_caught(ca_ohip, &d, 9, 10)?;
        }

        /// Separators and case never change the verdict: the validators read letters and digits.
        #[test]
        fn separators_are_ignored(d in digits(10), seps in prop::collection::vec(prop::sample::select(vec![" ", "-", ".", "/"]), 10)) {
            use second_opinion::checksum::validate;
            use second_opinion::schema::Validator;
            let plain = String::from_utf8(d.clone()).unwrap();
            let spaced: String = plain.chars().zip(&seps).flat_map(|(c, s)| [c.to_string(), (*s).to_owned()]).collect();
            for v in [Validator::AuMedicare, Validator::UkNhs, Validator::UsNpi, Validator::CaBcPhn, Validator::CaOhip] {
                prop_assert_eq!(validate(v, &plain), validate(v, &spaced));
            }
        }
    }
}
