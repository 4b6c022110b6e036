//! Check-digit algorithms for national health and identity numbers.
//!
//! A random string of digits passes a single check digit about one time in ten, so rules pair
//! these with a format or context word; the check stops us underlining order numbers and
//! DOIs that merely have the right length. Facts (weights, ranges) follow the published
//! specifications summarised in the project's research notes.

use crate::schema::Validator;

/// Runs `validator` over the letters and digits of `text` (separators are ignored).
pub fn validate(validator: Validator, text: &str) -> bool {
    let compact: Vec<u8> = text.bytes().filter(u8::is_ascii_alphanumeric).map(|b| b.to_ascii_uppercase()).collect();
    match validator {
        Validator::AuMedicare => au_medicare(&compact),
        Validator::AuIhi => au_ihi(&compact),
        Validator::NzNhi => nz_nhi(&compact),
        Validator::UkNhs => uk_nhs(&compact),
        Validator::UsSsn => us_ssn(&compact),
        Validator::UsNpi => us_npi(&compact),
        Validator::CaBcPhn => ca_bc_phn(&compact),
        Validator::CaOhip => ca_ohip(&compact),
    }
}

fn digits(s: &[u8]) -> Option<Vec<u32>> {
    s.iter().map(|&b| (b as char).to_digit(10)).collect()
}

/// Luhn (ISO/IEC 7812-1) over all digits, check digit last.
pub fn luhn(d: &[u32]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 {
                    y - 9
                } else {
                    y
                }
            } else {
                x
            }
        })
        .sum();
    !d.is_empty() && sum % 10 == 0
}

/// Australian Medicare card: 10 digits (or 11 with the individual reference number). The
/// first is 2–6, the ninth is Σ d1..d8 × (1,3,7,9,1,3,7,9) mod 10, the issue number 1–9.
pub fn au_medicare(s: &[u8]) -> bool {
    let Some(d) = digits(s) else { return false };
    if !(d.len() == 10 || d.len() == 11) || !(2..=6).contains(&d[0]) {
        return false;
    }
    const W: [u32; 8] = [1, 3, 7, 9, 1, 3, 7, 9];
    let check = d.iter().zip(W).map(|(x, w)| x * w).sum::<u32>() % 10;
    check == d[8] && d[9] != 0 && (d.len() == 10 || d[10] != 0)
}

/// Australian Individual Healthcare Identifier: 16 digits starting 800360, Luhn-valid.
pub fn au_ihi(s: &[u8]) -> bool {
    s.len() == 16 && s.starts_with(b"800360") && digits(s).is_some_and(|d| luhn(&d))
}

const NHI_LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";

fn nhi_value(b: u8) -> Option<u32> {
    if b.is_ascii_digit() {
        Some(u32::from(b - b'0'))
    } else {
        NHI_LETTERS.iter().position(|&l| l == b).map(|p| p as u32 + 1)
    }
}

/// New Zealand NHI. Old format AAANNNC (mod 11, numeric check); new format AAANNAX
/// (mod 23, letter check), letters without I and O.
pub fn nz_nhi(s: &[u8]) -> bool {
    if s.len() != 7 || !s[..3].iter().all(|b| NHI_LETTERS.contains(b)) {
        return false;
    }
    let Some(v) = s.iter().map(|&b| nhi_value(b)).collect::<Option<Vec<u32>>>() else {
        return false;
    };
    let sum: u32 = v[..6].iter().zip((2..=7).rev()).map(|(x, w)| x * w).sum();
    let digits_at = |r: std::ops::Range<usize>| s[r].iter().all(u8::is_ascii_digit);
    if digits_at(3..7) {
        let r = sum % 11;
        r != 0 && v[6] == (11 - r) % 10
    } else if digits_at(3..5) && !s[5].is_ascii_digit() && !s[6].is_ascii_digit() {
        v[6] == 23 - sum % 23
    } else {
        false
    }
}

/// UK NHS number: 10 digits, Σ d1..d9 × (10..2), check = 11 − (Σ mod 11), 11 → 0, 10 invalid.
pub fn uk_nhs(s: &[u8]) -> bool {
    let Some(d) = digits(s) else { return false };
    if d.len() != 10 {
        return false;
    }
    let sum: u32 = d[..9].iter().zip((2..=10).rev()).map(|(x, w)| x * w).sum();
    match 11 - sum % 11 {
        11 => d[9] == 0,
        10 => false,
        c => d[9] == c,
    }
}

/// US Social Security number: no check digit, but area 000, 666 and 900–999, group 00 and
/// serial 0000 are never issued, nor the numbers published in advertising.
pub fn us_ssn(s: &[u8]) -> bool {
    if s.len() != 9 || !s.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let (area, group, serial) = (&s[..3], &s[3..5], &s[5..]);
    area != b"000"
        && area != b"666"
        && area[0] != b'9'
        && group != b"00"
        && serial != b"0000"
        && !matches!(s, b"078051120" | b"219099999" | b"457555462")
}

/// US National Provider Identifier: 10 digits starting 1 or 2, Luhn over "80840" + NPI.
pub fn us_npi(s: &[u8]) -> bool {
    let Some(d) = digits(s) else { return false };
    if d.len() != 10 || !(1..=2).contains(&d[0]) {
        return false;
    }
    let mut full = vec![8, 0, 8, 4, 0];
    full.extend(d);
    luhn(&full)
}

/// British Columbia Personal Health Number: 10 digits starting 9; weights 2,4,8,5,10,9,7,3
/// on digits 2–9 (each product mod 11); check = (11 − Σ mod 11) mod 11.
pub fn ca_bc_phn(s: &[u8]) -> bool {
    let Some(d) = digits(s) else { return false };
    if d.len() != 10 || d[0] != 9 {
        return false;
    }
    const W: [u32; 8] = [2, 4, 8, 5, 10, 9, 7, 3];
    let sum: u32 = d[1..9].iter().zip(W).map(|(x, w)| (x * w) % 11).sum();
    (11 - sum % 11) % 11 == d[9]
}

/// Ontario health number: 10 digits, Luhn-valid, optionally followed by a two-letter
/// version code.
pub fn ca_ohip(s: &[u8]) -> bool {
    let (num, version) = s.split_at(s.len().min(10));
    num.len() == 10
        && version.len() <= 2
        && version.iter().all(u8::is_ascii_uppercase)
        && digits(num).is_some_and(|d| luhn(&d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(v: Validator, good: &[&str], bad: &[&str]) {
        for g in good {
            assert!(validate(v, g), "{v:?} should accept {g}");
        }
        for b in bad {
            assert!(!validate(v, b), "{v:?} should reject {b}");
        }
    }

    // Valid and invalid examples from the research notes (shared/research/checksums.py),
    // which cross-checked them against independent implementations.
    #[test]
    fn medicare() {
        check(
            Validator::AuMedicare,
            &["6140 52309 3", "2123 45670 1", "2123456701 2"],
            &["2123 45671 1", "7123 45670 1", "2123 45670 0", "212345670"],
        );
    }

    #[test]
    fn ihi() {
        check(
            Validator::AuIhi,
            &["8003608333428779", "8003 6000 0000 0015"],
            &["8003608333428778", "8003708333428779"],
        );
    }

    #[test]
    fn nhi() {
        check(
            Validator::NzNhi,
            &["ZAC5361", "JBX3656", "ZBN77VL", "ZZZ00AC", "zac5361"],
            &["ZZZ0044", "JBX3650", "ZZZ00AX", "ZHW58CZ", "IAC5361"],
        );
    }

    #[test]
    fn nhs() {
        check(Validator::UkNhs, &["943 476 5870", "999 000 0018"], &["943 476 5871", "999 000 0010"]);
    }

    #[test]
    fn npi() {
        check(Validator::UsNpi, &["1234567893", "1558598797"], &["1234567890", "3234567893"]);
    }

    #[test]
    fn ssn() {
        check(
            Validator::UsSsn,
            &["536-90-4399", "123-45-6789"],
            &["666-00-0000", "900-12-3456", "078-05-1120", "123-00-6789"],
        );
    }

    #[test]
    fn bc_phn() {
        check(Validator::CaBcPhn, &["9698 658 215", "9000 000 018"], &["9698 648 215", "5736 504 210"]);
    }

    #[test]
    fn ohip() {
        check(Validator::CaOhip, &["1234567897", "1234 567 897 AB"], &["1234567890", "12345678"]);
    }
}
