//! `cargo xtask eval --clinical`: the synthetic clinicians' queries
//! (`../shared/data/synthetic-clinical-queries/synthetic_dataset.txt`) tag by tag: for each
//! tagged patient detail, whether an identifier finding overlaps where its value is written.
//!
//! Training reads the even-numbered queries, so every figure is given for all of them and for
//! the odd half apart, so that a figure helped by training can be told from one that was not.

use super::{describe, identifier_findings, overlapped, share};
use second_opinion::Finding;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;

const DATASET: &str = "data/synthetic-clinical-queries/synthetic_dataset.txt";

/// The set's PHI types, grouped for the summary by what a post would give away; a type not
/// listed here is summarised as "other".
const GROUPS: &[(&str, &[&str])] = &[
    ("name", &["NAME"]),
    ("date", &["DATE"]),
    // The set's locations are mostly hospitals and clinics ("Methodist Hospital").
    ("location", &["GEOGRAPHIC_LOCATION"]),
    (
        "record number",
        &[
            "MEDICAL_RECORD_NUMBER",
            "HEALTH_PLAN_BENEFICIARY_NUMBER",
            "ACCOUNT_NUMBER",
            "UNIQUE_IDENTIFIER",
            "CERTIFICATE_LICENSE_NUMBER",
            "SOCIAL_SECURITY_NUMBER",
        ],
    ),
    ("contact", &["PHONE_NUMBER", "FAX_NUMBER", "EMAIL_ADDRESS", "IP_ADDRESS"]),
];

/// Which queries, by their index in the file, a half holds.
type Keep = fn(usize) -> bool;

/// The two halves reported: every query, and the ones training leaves out.
const HALVES: [(&str, Keep); 2] = [("all", |_| true), ("odd half (left out of training)", |index| index % 2 == 1)];

#[derive(Deserialize)]
struct Tag {
    identifier_type: String,
    value: String,
}

/// One query as checked: its text, its identifier findings, and for each tag whether its
/// value was found in the text and was overlapped.
struct Scored {
    text: String,
    findings: Vec<Finding>,
    tags: Vec<(Tag, Match)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Match {
    Overlapped,
    Missed,
    /// The tag's value is not written in its query (not even ignoring case).
    Absent,
}

/// Tags and how many were overlapped.
#[derive(Default, Clone, Copy)]
struct Count {
    tags: usize,
    overlapped: usize,
}

impl Count {
    fn add(&mut self, m: Match) {
        self.tags += 1;
        self.overlapped += usize::from(m == Match::Overlapped);
    }
}

pub fn run(args: &[String]) -> Result<(), String> {
    let details = args.iter().any(|a| a == "--details");
    let checker = super::checker(args)?;
    let mut queries = Vec::new();
    for (index, block) in super::read_shared(DATASET)?.split("===QUERY===").skip(1).enumerate() {
        let (text, tags) = block
            .split_once("===PHI_TAGS===")
            .ok_or_else(|| format!("{DATASET}: query {index} has no ===PHI_TAGS=== line"))?;
        let text = text.trim().to_owned();
        let findings = identifier_findings(&checker, &text);
        let mut scored_tags = Vec::new();
        for line in tags.lines().filter(|l| !l.trim().is_empty()) {
            let tag: Tag = serde_json::from_str(line).map_err(|e| format!("{DATASET}: query {index}: {e}"))?;
            let at = occurrences(&text, &tag.value);
            let m = if at.is_empty() {
                Match::Absent
            } else if at.iter().any(|r| overlapped(&findings, r)) {
                Match::Overlapped
            } else {
                Match::Missed
            };
            scored_tags.push((tag, m));
        }
        queries.push(Scored { text, findings, tags: scored_tags });
    }

    let tagged = queries.iter().filter(|q| !q.tags.is_empty()).count();
    println!(
        "synthetic clinical queries ({} queries, {tagged} with PHI tags, {} without): tags whose value an \
         identifier finding overlaps",
        queries.len(),
        queries.len() - tagged
    );
    let per_type: Vec<BTreeMap<&str, Count>> = HALVES
        .iter()
        .map(|(_, keep)| {
            let mut counts = BTreeMap::new();
            for (_, q) in queries.iter().enumerate().filter(|(i, _)| keep(*i)) {
                for (tag, m) in &q.tags {
                    counts.entry(tag.identifier_type.as_str()).or_insert_with(Count::default).add(*m);
                }
            }
            counts
        })
        .collect();
    println!("{:<32} {:>22} {:>22}", "PHI type", HALVES[0].0, "odd half");
    for (phi_type, all) in &per_type[0] {
        let odd = per_type[1].get(phi_type).copied().unwrap_or_default();
        println!("{phi_type:<32} {:>22} {:>22}", share(all.overlapped, all.tags), share(odd.overlapped, odd.tags));
    }

    for ((half, keep), counts) in HALVES.iter().zip(&per_type) {
        let kept: Vec<&Scored> = queries.iter().enumerate().filter(|(i, _)| keep(*i)).map(|(_, q)| q).collect();
        let warned = |with_tags: bool| {
            let of = kept.iter().filter(|q| q.tags.is_empty() != with_tags);
            (of.clone().filter(|q| !q.findings.is_empty()).count(), of.count())
        };
        let ((w_tagged, n_tagged), (w_free, n_free)) = (warned(true), warned(false));
        println!("{half}: PHI-tagged queries warned (identifier) {}", share(w_tagged, n_tagged));
        println!("{half}: PHI-free queries warned (identifier) {}", share(w_free, n_free));
        let mut groups: BTreeMap<&str, Count> = BTreeMap::new();
        for (phi_type, count) in counts {
            let group = groups.entry(group(phi_type)).or_default();
            group.tags += count.tags;
            group.overlapped += count.overlapped;
        }
        let line: Vec<String> = GROUPS
            .iter()
            .map(|(name, _)| *name)
            .chain(["other"])
            .filter_map(|name| groups.get(name).map(|c| format!("{name} {}", share(c.overlapped, c.tags))))
            .collect();
        println!("{half}: tags overlapped: {}", line.join("; "));
    }
    let members: Vec<String> = GROUPS.iter().map(|(name, types)| format!("{name} = {}", types.join(" + "))).collect();
    println!("groups: {}", members.join("; "));
    let absent = queries.iter().flat_map(|q| &q.tags).filter(|(_, m)| *m == Match::Absent).count();
    if absent > 0 {
        println!("({absent} tags' values are not written in their query and count as missed)");
    }

    if details {
        for (index, q) in queries.iter().enumerate() {
            if q.tags.is_empty() && !q.findings.is_empty() {
                println!("WARNED #{index} {:?}\n       fired: {}", q.text, describe(&q.findings));
            }
            for (tag, m) in &q.tags {
                let what = match m {
                    Match::Overlapped => continue,
                    Match::Missed => "MISSED",
                    Match::Absent => "ABSENT",
                };
                println!(
                    "{what} #{index} {} {:?} in {:?}\n       fired: {}",
                    tag.identifier_type,
                    tag.value,
                    q.text,
                    describe(&q.findings)
                );
            }
        }
    }
    Ok(())
}

/// The summary group a PHI type belongs to.
fn group(phi_type: &str) -> &'static str {
    GROUPS.iter().find(|(_, types)| types.contains(&phi_type)).map_or("other", |(name, _)| name)
}

/// Byte ranges where `needle` is written in `haystack`, ignoring case and the difference
/// between a curly and a straight apostrophe (one tag writes "Children's" for a query's
/// "Children’s").
fn occurrences(haystack: &str, needle: &str) -> Vec<Range<usize>> {
    let fold = |c: char| if c == '\u{2019}' { '\'' } else { c.to_lowercase().next().unwrap_or(c) };
    let hay: Vec<(usize, char)> = haystack.char_indices().map(|(at, c)| (at, fold(c))).collect();
    let want: Vec<char> = needle.chars().map(fold).collect();
    if want.is_empty() {
        return Vec::new();
    }
    hay.windows(want.len())
        .enumerate()
        .filter(|(_, w)| w.iter().map(|&(_, c)| c).eq(want.iter().copied()))
        .map(|(i, w)| w[0].0..hay.get(i + want.len()).map_or(haystack.len(), |&(at, _)| at))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::occurrences;

    #[test]
    fn values_are_found_ignoring_case_and_apostrophes() {
        let query = "Seen at Children’s Clinic, then children's clinic again";
        assert_eq!(occurrences(query, "Children's Clinic"), vec![8..27, 34..51]);
        assert_eq!(occurrences(query, "nowhere"), Vec::<std::ops::Range<usize>>::new());
    }
}
