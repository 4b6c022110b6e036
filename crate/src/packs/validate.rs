//! The checks a pack must pass, beyond being well-formed TOML of the schema's shape: names
//! and ids unique and kebab-case, every signal a rule names defined, patterns valid, enough
//! examples, cards complete, and one image rule for every kind of image detail.

use crate::schema::{self, Detect, Example, Pack};
use std::collections::BTreeSet;

/// Every rule needs at least this many texts that must flag and that must pass.
pub const MIN_EXAMPLES: usize = 3;

pub fn validate(pack: &Pack) -> Result<(), String> {
    let mut signals = BTreeSet::new();
    for s in &pack.signal {
        let at = format!("signal {}", s.name);
        if !is_kebab(&s.name) {
            return Err(format!("{at}: name must be kebab-case"));
        }
        if !signals.insert(s.name.as_str()) {
            return Err(format!("{at}: defined twice"));
        }
        if s.doc.trim().is_empty() {
            return Err(format!("{at}: doc is missing or empty"));
        }
        if let Some(m) = &s.model {
            if !s.words.is_empty() || !s.patterns.is_empty() || s.user_list.is_some() {
                return Err(format!("{at}: a model signal has no words, patterns or user list"));
            }
            if !(m.threshold > 0.0 && m.threshold < 1.0) {
                return Err(format!("{at}: model threshold {} is not between 0 and 1", m.threshold));
            }
            if !is_kebab(&m.scorer) {
                return Err(format!("{at}: model scorer name must be kebab-case"));
            }
        } else if s.words.is_empty() && s.patterns.is_empty() && s.user_list.is_none() {
            return Err(format!("{at}: has no words, patterns, user list or model"));
        }
        for w in &s.words {
            let body = w.strip_suffix('*').unwrap_or(w);
            if body.trim().is_empty() || body != body.trim() {
                return Err(format!("{at}: bad word {w:?}"));
            }
        }
        for p in &s.patterns {
            // A doubled backslash matches a literal backslash, which no post pattern wants:
            // it is what `'\\b'` in a TOML literal string silently produces.
            if p.contains("\\\\") {
                return Err(format!(
                    "{at}: pattern {p:?} has a doubled backslash; in '...' strings write \\b, not \\\\b"
                ));
            }
            regex::Regex::new(p).map_err(|e| format!("{at}: pattern {p:?}: {e}"))?;
        }
    }
    let mut ids = BTreeSet::new();
    for r in &pack.rule {
        let at = format!("rule {}", r.id);
        check_card(&at, r.card(), &mut ids)?;
        for (_, name) in r.detect.signal_uses() {
            if !signals.contains(name) {
                return Err(format!("{at}: unknown signal {name:?}"));
            }
        }
        if r.examples.flag.len() < MIN_EXAMPLES || r.examples.pass.len() < MIN_EXAMPLES {
            return Err(format!("{at}: needs at least {MIN_EXAMPLES} flag and {MIN_EXAMPLES} pass examples"));
        }
        for ex in &r.examples.flag {
            if let Example::Detailed(d) = ex {
                if let Some(span) = &d.span {
                    if !d.text.contains(span.as_str()) {
                        return Err(format!("{at}: example span {span:?} is not in its text"));
                    }
                }
            }
        }
        if let Detect::Combination(c) = &r.detect {
            if c.parts.is_empty() || c.threshold == 0 {
                return Err(format!("{at}: a combination needs parts and a threshold"));
            }
        }
    }
    validate_image_rules(pack, &mut ids)
}

/// Image rules share the text rules' id space (settings switch both by id), and every kind of
/// detail the image reader finds has exactly one rule to report it.
fn validate_image_rules<'a>(pack: &'a Pack, ids: &mut BTreeSet<&'a str>) -> Result<(), String> {
    let mut kinds = BTreeSet::new();
    for r in &pack.image_rule {
        let at = format!("image rule {}", r.id);
        check_card(&at, r.card(), ids)?;
        if !kinds.insert(r.detects) {
            return Err(format!("{at}: another image rule already detects {:?}", r.detects));
        }
    }
    if let Some(missing) = schema::ImageKind::ALL.iter().find(|k| !kinds.contains(k)) {
        return Err(format!("no image rule detects {missing:?}"));
    }
    Ok(())
}

/// What every rule, text or image, shows the user: a unique kebab-case id (text and image rules
/// share one id space, as settings switch both by id), a guide section that exists, and no empty
/// title, description, message, tip or "instead".
fn check_card<'a>(at: &str, card: schema::Card<'a>, ids: &mut BTreeSet<&'a str>) -> Result<(), String> {
    if !is_kebab(card.id) {
        return Err(format!("{at}: id must be kebab-case"));
    }
    if !ids.insert(card.id) {
        return Err(format!("{at}: defined twice"));
    }
    if !(1..=7).contains(&card.section) {
        return Err(format!("{at}: guide section must be 1-7"));
    }
    let texts = [card.title, card.description, card.message, card.tip, card.instead];
    for (field, value) in ["title", "description", "message", "tip", "instead"].into_iter().zip(texts) {
        if value.trim().is_empty() {
            return Err(format!("{at}: {field} is empty"));
        }
    }
    Ok(())
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}
