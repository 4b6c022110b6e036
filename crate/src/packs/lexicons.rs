//! Lexicons: long word lists kept in `rules/lexicons/`, one entry a line, that a signal takes
//! as words (`words_file`) or a pattern takes as an alternation (`{lexicon:NAME}`).

use super::Inputs;
use std::path::Path;

/// The entries of a lexicon file: one per line, blank lines and `#` comments skipped.
pub fn read(path: &Path, inputs: &mut Inputs) -> Result<Vec<String>, String> {
    let body = inputs.read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(body.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from).collect())
}

/// Replaces each `{lexicon:NAME}` in a pattern with an alternation of the entries of
/// `lexicons/NAME.txt`, so one word list can serve both whole-word matching and a regular
/// expression that needs those words in context ("the same tosser").
pub fn expand(pattern: &str, dir: &Path, inputs: &mut Inputs) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(at) = rest.find("{lexicon:") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "{lexicon:".len()..];
        let end = after.find('}').ok_or("unclosed {lexicon:...}")?;
        let name = &after[..end];
        let words: Vec<String> = read(&dir.join("lexicons").join(format!("{name}.txt")), inputs)?
            .iter()
            .map(|w| match w.strip_suffix('*') {
                Some(stem) => format!("{}\\w*", regex::escape(stem)),
                None => regex::escape(w),
            })
            .collect();
        if words.is_empty() {
            return Err(format!("lexicon {name} is empty"));
        }
        out.push_str(&format!("(?:{})", words.join("|")));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}
