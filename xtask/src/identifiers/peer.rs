//! `cargo xtask eval --peer`: the example strings of Microsoft Presidio's recognizer tests
//! (`../shared/peer/presidio-recognizers/cases.jsonl`), a peer's idea of what an identifier
//! detector must find and must leave alone.
//!
//! Presidio's strings are mostly bare values ("M1 1AA"), while several of the engine's rules
//! need a patient context before a number counts, so each case is checked as written and again
//! after a neutral patient sentence. Which of Presidio's entities a doctor's post can identify a
//! patient by is decided once, in [`IN_SCOPE`] and [`OUT_OF_SCOPE`]; only the first count
//! towards the summary, the others are shown for what they are.

use super::{byte_range, describe, identifier_findings, overlapped, share};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;

const CASES: &str = "peer/presidio-recognizers/cases.jsonl";

/// A sentence that names no one: put before a bare value, it gives the context a post would.
/// "Patient seen in clinic today. " (and Presidio's README's "Patient seen in ED today. ") would
/// read better, but the patient-story scorer warns on either by itself, which would leave the
/// prefixed negatives nothing to be clean of.
const PREFIX: &str = "Saw a patient in clinic today. ";

/// The entities a doctor's post can identify a patient by, each with the reason.
const IN_SCOPE: &[(&str, &str)] = &[
    ("PHONE_NUMBER", "reaches the patient or their family directly"),
    ("EMAIL_ADDRESS", "reaches and usually names the patient or their family"),
    ("DATE_TIME", "a birth, admission or event date narrows a case to a few people (HIPAA Safe Harbor lists dates)"),
    ("PERSON", "a name is the plainest identifier (Presidio's are names alone, not said to be patients')"),
    ("UK_NHS", "the number the NHS files one patient under"),
    ("AU_MEDICARE", "the card number on an Australian patient's records"),
    ("US_SSN", "a US patient's registration number on many records"),
    ("US_MBI", "the number on a US Medicare patient's card"),
    ("UK_POSTCODE", "a full UK postcode covers a handful of households: beside a case it can point to one"),
];

/// Presidio's other entities, each with the reason it is not a patient identifier in a post.
const OUT_OF_SCOPE: &[(&str, &str)] = &[
    ("MEDICAL_LICENSE", "a clinician's licence number identifies the clinician, not the patient"),
    (
        "US_NPI",
        "identifies a clinician and is public (NPPES); the us-npi rule flags one beside the word NPI, \
         for what it says about a case, which Presidio's bare numbers do not test",
    ),
    ("IP_ADDRESS", "a device's address, not something a clinician writes about a patient"),
    ("URL", "posts share links; a link does not identify a patient"),
    (
        "CREDIT_CARD",
        "a card number in a post is a fraud risk to its holder, not a detail of a patient's care \
         (the guide's §02); the engine does not look for them",
    ),
    ("UK_PASSPORT", OTHER_ID),
    ("US_PASSPORT", OTHER_ID),
    ("UK_DRIVING_LICENCE", OTHER_ID),
    ("US_DRIVER_LICENSE", OTHER_ID),
    ("UK_NINO", OTHER_ID),
    ("US_ITIN", OTHER_ID),
    ("AU_TFN", OTHER_ID),
    ("CA_SIN", OTHER_ID),
    ("AU_ABN", BUSINESS),
    ("AU_ACN", BUSINESS),
];

const OTHER_ID: &str =
    "a national, tax or travel identifier, rarely in a clinician's post; the engine does not look for them";
const BUSINESS: &str = "a business number identifies a company, not a person";

#[derive(Deserialize)]
struct Case {
    id: String,
    entity: String,
    group: String,
    text: String,
    expected_count: usize,
    /// Code-point offsets into `text`.
    expected_spans: Vec<[usize; 2]>,
}

/// The two ways each case is checked: its text as written, and after [`PREFIX`].
const VARIANTS: [(&str, &str); 2] = [("as written", ""), ("with prefix", PREFIX)];

/// One entity's counts, per variant.
#[derive(Default)]
struct Row {
    positives: usize,
    negatives: usize,
    /// Positives with at least one identifier finding.
    hit: [usize; 2],
    /// Positives with every expected span overlapped by an identifier finding.
    overlapped: [usize; 2],
    /// Negatives with no identifier finding.
    clean: [usize; 2],
}

pub fn run(args: &[String]) -> Result<(), String> {
    let details = args.iter().any(|a| a == "--details");
    let cases = super::read_shared(CASES)?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(n, line)| serde_json::from_str(line).map_err(|e| format!("{CASES}:{}: {e}", n + 1)))
        .collect::<Result<Vec<Case>, String>>()?;
    let checker = super::checker(args)?;
    let prefix_alone = identifier_findings(&checker, PREFIX);
    if !prefix_alone.is_empty() {
        return Err(format!("the neutral prefix {PREFIX:?} warns by itself: {}", describe(&prefix_alone)));
    }

    let mut rows: BTreeMap<(String, String), Row> = BTreeMap::new();
    for case in &cases {
        let in_scope = scope(&case.entity)
            .ok_or_else(|| format!("{}: entity {} is in neither IN_SCOPE nor OUT_OF_SCOPE", case.id, case.entity))?;
        let row = rows.entry((case.group.clone(), case.entity.clone())).or_default();
        let positive = case.expected_count > 0;
        if positive {
            row.positives += 1;
        } else {
            row.negatives += 1;
        }
        let spans = case
            .expected_spans
            .iter()
            .map(|&[start, end]| byte_range(&case.text, start..end))
            .collect::<Option<Vec<Range<usize>>>>()
            .ok_or_else(|| format!("{}: a span runs past the end of {:?}", case.id, case.text))?;
        for (v, (variant, prefix)) in VARIANTS.iter().enumerate() {
            let text = format!("{prefix}{}", case.text);
            let findings = identifier_findings(&checker, &text);
            // The prefix is ASCII, so shifting by its length in bytes is shifting by its length
            // in code points. As the prefix alone draws no finding (checked above), a finding on
            // a prefixed negative is one the value drew.
            let all = !findings.is_empty()
                && spans.iter().all(|s| overlapped(&findings, &(s.start + prefix.len()..s.end + prefix.len())));
            if positive {
                row.hit[v] += usize::from(!findings.is_empty());
                row.overlapped[v] += usize::from(all);
            } else {
                row.clean[v] += usize::from(findings.is_empty());
            }
            let what = if positive { (!all).then_some("MISSED") } else { (!findings.is_empty()).then_some("WARNED") };
            if let Some(what) = what.filter(|_| details && in_scope) {
                println!("{what} {} [{variant}] {:?}\n       fired: {}", case.id, case.text, describe(&findings));
            }
        }
    }

    println!("Presidio recognizer tests ({} cases): identifier findings, as written / with {PREFIX:?}", cases.len());
    println!(
        "{:<8} {:<18} {:<5} {:>4} {:>11} {:>11} {:>4} {:>7} {:>7}",
        "group", "entity", "scope", "pos", "hit/all", "hit/all+p", "neg", "clean", "clean+p"
    );
    let pair = |a: usize, b: usize| format!("{a}/{b}");
    for ((group, entity), row) in &rows {
        println!(
            "{group:<8} {entity:<18} {:<5} {:>4} {:>11} {:>11} {:>4} {:>7} {:>7}",
            if scope(entity) == Some(true) { "in" } else { "out" },
            row.positives,
            pair(row.hit[0], row.overlapped[0]),
            pair(row.hit[1], row.overlapped[1]),
            row.negatives,
            row.clean[0],
            row.clean[1]
        );
    }
    println!("(hit/all: positives with any identifier finding / with every expected span overlapped; +p: with prefix)");
    let in_scope: Vec<&Row> = rows.iter().filter(|((_, e), _)| scope(e) == Some(true)).map(|(_, r)| r).collect();
    let positives: usize = in_scope.iter().map(|r| r.positives).sum();
    let negatives: usize = in_scope.iter().map(|r| r.negatives).sum();
    for (v, (variant, _)) in VARIANTS.iter().enumerate() {
        let overlapped: usize = in_scope.iter().map(|r| r.overlapped[v]).sum();
        let clean: usize = in_scope.iter().map(|r| r.clean[v]).sum();
        println!("in scope, {variant}: positives hit with every span overlapped {}", share(overlapped, positives));
        println!("in scope, {variant}: negatives clean {}", share(clean, negatives));
    }
    Ok(())
}

/// Whether an entity is in scope, or `None` when the lists do not say.
fn scope(entity: &str) -> Option<bool> {
    let listed = |list: &[(&str, &str)]| list.iter().any(|&(e, _)| e == entity);
    if listed(IN_SCOPE) {
        Some(true)
    } else if listed(OUT_OF_SCOPE) {
        Some(false)
    } else {
        None
    }
}
