//! `cargo xtask eval --physionet`: PhysioNet's deid nursing notes
//! (`../shared/data/eval-only/physionet-deid/`), for evaluation only: the data are GPL and
//! nothing of them may be copied into the project.
//!
//! `id.text` holds the notes, each between `START_OF_RECORD=patient||||note||||` and
//! `||||END_OF_RECORD`; `id.phi` lists, under a `Patient N<TAB>Note M` line, one
//! `start<TAB>start<TAB>end` line per span, in characters from the first character after the
//! START line. The file gives no PHI types, so each span is sorted by the shape of its text.
//!
//! Read what `id.phi` is before trusting the figures: deid's README calls `id.phi` the spans
//! *its program found*, and this one reads like that (pain scores, doses and misspelt ordinary
//! words are among its spans; the gold `id.deid` is not in the folder), so overlap here is
//! agreement with deid 1.1, whose README reports 0.967 recall and 0.748 precision against the
//! gold standard.

use super::{byte_range, identifier_findings, overlapped, share};
use std::collections::BTreeMap;
use std::ops::Range;

const DIR: &str = "data/eval-only/physionet-deid";

/// One note and its reference spans (in bytes of `body`).
struct Note {
    body: String,
    spans: Vec<Range<usize>>,
}

/// The shape of a span's text, standing in for the PHI type the file does not give.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Shape {
    Date,
    Phone,
    Number,
    Words,
    Other,
}

impl Shape {
    fn describe(self) -> &'static str {
        match self {
            Shape::Date => "date (3/14, 12/01/99, June 3rd)",
            Shape::Phone => "phone-like (7 or more digits)",
            Shape::Number => "number (year, age, code)",
            Shape::Words => "words (name or place)",
            Shape::Other => "other (ward, street, mixed)",
        }
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Sorts a span by its text; the notes are often all capitals or all lower case, so case says
/// nothing and every run of letters counts as a name or a place.
fn shape(text: &str) -> Shape {
    let t = text.trim_matches(|c: char| c.is_whitespace() || c == '\'').to_lowercase();
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let only = |allowed: &str| t.chars().all(|c| c.is_ascii_digit() || allowed.contains(c));
    let month =
        t.split(|c: char| !c.is_ascii_alphabetic()).any(|w| w.len() >= 3 && MONTHS.iter().any(|m| m.starts_with(w)));
    if digits >= 7 && only(" ()-.+") {
        Shape::Phone
    } else if digits > 0 && (only("/-.") && t.contains(['/', '-', '.']) || month) {
        Shape::Date
    } else if digits > 0 && only("") {
        Shape::Number
    } else if t.starts_with(|c: char| c.is_alphabetic()) && t.chars().all(|c| c.is_alphabetic() || " .'-".contains(c)) {
        Shape::Words
    } else {
        Shape::Other
    }
}

/// Reads the notes and their spans, keyed by (patient, note).
fn notes() -> Result<BTreeMap<(u32, u32), Note>, String> {
    let text = super::read_shared(&format!("{DIR}/id.text"))?;
    let mut notes = BTreeMap::new();
    for record in text.split("START_OF_RECORD=").skip(1) {
        let bad = || format!("{DIR}/id.text: a record starting {:?}", record.chars().take(40).collect::<String>());
        let (header, rest) = record.split_once('\n').ok_or_else(bad)?;
        let key = key(header.trim_end_matches("||||").split_once("||||").ok_or_else(bad)?).ok_or_else(bad)?;
        let body = rest.split_once("||||END_OF_RECORD").ok_or_else(bad)?.0.to_owned();
        notes.insert(key, Note { body, spans: Vec::new() });
    }
    let phi = super::read_shared(&format!("{DIR}/id.phi"))?;
    let mut current = None;
    for (n, line) in phi.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let bad = || format!("{DIR}/id.phi:{}: {line:?}", n + 1);
        if let Some(rest) = line.strip_prefix("Patient ") {
            let key = rest.split_once("\tNote ").and_then(key).ok_or_else(bad)?;
            current = Some(notes.get_mut(&key).ok_or_else(|| format!("{}: no such note in id.text", bad()))?);
            continue;
        }
        let offsets: Vec<usize> = line.split('\t').map(str::parse).collect::<Result<_, _>>().map_err(|_| bad())?;
        let (&[start, _, end], Some(note)) = (offsets.as_slice(), current.as_mut()) else { return Err(bad()) };
        let span = byte_range(&note.body, start..end).ok_or_else(|| format!("{}: past the note's end", bad()))?;
        note.spans.push(span);
    }
    Ok(notes)
}

fn key((patient, note): (&str, &str)) -> Option<(u32, u32)> {
    Some((patient.trim().parse().ok()?, note.trim().parse().ok()?))
}

pub fn run(args: &[String]) -> Result<(), String> {
    let notes = notes()?;
    let checker = super::checker(args)?;
    let mut shapes: BTreeMap<Shape, (usize, usize)> = BTreeMap::new();
    let (mut findings_total, mut notes_with_stray) = (0usize, 0usize);
    // Findings overlapping no reference span, by rule: which rules the rough false-alarm
    // figure is made of.
    let mut stray: BTreeMap<String, usize> = BTreeMap::new();
    for note in notes.values() {
        let findings = identifier_findings(&checker, &note.body);
        for span in &note.spans {
            let counts = shapes.entry(shape(&note.body[span.clone()])).or_default();
            counts.0 += 1;
            counts.1 += usize::from(overlapped(&findings, span));
        }
        let mut unmatched = false;
        for f in findings.iter().filter(|f| !note.spans.iter().any(|s| f.byte_start < s.end && s.start < f.byte_end)) {
            *stray.entry(f.rule.clone()).or_default() += 1;
            unmatched = true;
        }
        findings_total += findings.len();
        notes_with_stray += usize::from(unmatched);
    }

    let spans: usize = shapes.values().map(|c| c.0).sum();
    let hit: usize = shapes.values().map(|c| c.1).sum();
    println!(
        "PhysioNet deid nursing notes ({} notes, {spans} reference spans from id.phi, types inferred from each span's text)",
        notes.len()
    );
    println!("{:<32} {:>6} {:>22}", "shape", "spans", "overlapped");
    for (s, &(of, overlapped)) in &shapes {
        println!("{:<32} {of:>6} {:>22}", s.describe(), share(overlapped, of));
    }
    println!("overall span recall: {}", share(hit, spans));
    println!(
        "identifier findings overlapping no reference span: {} of the findings, {:.2} per note; notes with one or more {}",
        share(stray.values().sum(), findings_total),
        stray.values().sum::<usize>() as f64 / notes.len().max(1) as f64,
        share(notes_with_stray, notes.len())
    );
    let mut by_rule: Vec<(&String, &usize)> = stray.iter().collect();
    by_rule.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let by_rule: Vec<String> = by_rule.iter().map(|(rule, n)| format!("{rule} {n}")).collect();
    println!("  by rule: {}", by_rule.join(", "));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{shape, Shape};

    #[test]
    fn spans_are_sorted_by_their_text() {
        for (text, want) in [
            ("3/14", Shape::Date),
            ("12-01-99", Shape::Date),
            ("june 3rd, 1990", Shape::Date),
            ("Sept 9", Shape::Date),
            ("555-010-2000", Shape::Phone),
            ("(555) 010 2000", Shape::Phone),
            ("1987", Shape::Number),
            ("ST ELSEWHERE HOSPITAL", Shape::Words),
            (" O'Brien's", Shape::Words),
            ("Ward 5", Shape::Other),
            ("marked", Shape::Words),
        ] {
            assert!(shape(text) == want, "{text:?}");
        }
    }
}
