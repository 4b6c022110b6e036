//! `cargo xtask eval --peer | --clinical | --physionet`: how the identifier findings line up
//! with other people's labelled spans, read where they are in `../shared/` (never copied here).
//!
//! Each set labels spans of text, not whole posts, so the question asked of every set is the
//! same: is a labelled span overlapped by some finding of the identifier category? The sets'
//! offsets count code points (or ASCII characters); findings carry byte offsets, so every
//! labelled span is turned into bytes before it is compared.

pub mod clinical;
pub mod peer;
pub mod physionet;

use second_opinion::{Category, Checker, Config, Finding};
use std::ops::Range;

/// The checker every measure uses: the shipped rules with every region on, without the
/// learned rules under `--rules-only` (as `cargo xtask eval` has it), to tell what the rules of
/// words and formats find from what the scorers add.
fn checker(args: &[String]) -> Result<Checker, String> {
    let mut config = Config::default();
    if args.iter().any(|a| a == "--rules-only") {
        config = config.without_learned_rules().map_err(|e| e.to_string())?;
    }
    Checker::new(config).map_err(|e| e.to_string())
}

/// The identifier findings of a text; the other categories are not what these sets label.
fn identifier_findings(checker: &Checker, text: &str) -> Vec<Finding> {
    checker.check(text).into_iter().filter(|f| f.category == Category::Identifier).collect()
}

/// Whether some finding overlaps a byte range of the text it was found in.
fn overlapped(findings: &[Finding], bytes: &Range<usize>) -> bool {
    findings.iter().any(|f| f.byte_start < bytes.end && bytes.start < f.byte_end)
}

/// The byte range of code points `chars` in `text`, or `None` when the range runs past the end
/// (a label that does not fit its text is reported, not silently clamped).
fn byte_range(text: &str, chars: Range<usize>) -> Option<Range<usize>> {
    let mut offsets = text.char_indices().map(|(at, _)| at).chain([text.len()]);
    let start = offsets.nth(chars.start)?;
    let end = if chars.end == chars.start { start } else { offsets.nth(chars.end - chars.start - 1)? };
    Some(start..end)
}

/// "rule=\"text\"" for each finding, for the `--details` listings.
fn describe(findings: &[Finding]) -> String {
    findings.iter().map(|f| format!("{}={:?}", f.rule, f.text)).collect::<Vec<_>>().join(", ")
}

/// "a/b (p %)", the way every summary line states a share.
fn share(a: usize, b: usize) -> String {
    format!("{a}/{b} ({:.1} %)", 100.0 * a as f64 / b.max(1) as f64)
}

/// A file under `../shared/`, with its path in the error when it cannot be read.
fn read_shared(relative: &str) -> Result<String, String> {
    let path = crate::setup::root().join("../shared").join(relative);
    std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::byte_range;

    #[test]
    fn code_points_become_bytes() {
        let text = "Mé 1€x";
        assert_eq!(byte_range(text, 0..2), Some(0..3));
        assert_eq!(byte_range(text, 3..5), Some(4..8));
        assert_eq!(byte_range(text, 5..6), Some(8..9));
        assert_eq!(byte_range(text, 6..6), Some(9..9));
        assert_eq!(byte_range(text, 5..7), None);
    }
}
