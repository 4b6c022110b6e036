//! The rule packs, compiled once per process and shared by every `Checker`.
//!
//! Compiling regular expressions is the expensive part of start-up, so it happens here once;
//! changing settings only flips switches and rebuilds the user's own word lists.

use crate::config::ConfigError;
use crate::lists::{Prefilter, WordIndex};
use crate::model::Scorers;
use crate::schema::{
    Card, Category, Detect, ImageKind, ImageRuleDef, Pack, Region, RuleDef, Severity, UserList, Validator,
};
use crate::sections;
use crate::signals::SignalPatterns;
use crate::trie::Reader;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// The packs as built from `rules/` by `build.rs`, without their word lists...
const PACKS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/packs.json"));
/// ...which are here, laid out as tries: the words, then the patterns' prefilter.
const LISTS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lists.bin"));
/// The learned scorers the model signals name, as `build.rs` lays them out.
const MODELS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/models.bin"));

pub struct Engine {
    pub signals: Vec<SignalPatterns>,
    /// The learned scorers, in name order; model signals refer to them by index.
    pub scorers: Scorers,
    pub prefilter: Prefilter,
    pub words: WordIndex,
    pub rules: Vec<Rule>,
    pub rule_index: HashMap<String, usize>,
}

/// What the user interface needs to list, explain and toggle a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    pub id: String,
    pub title: String,
    pub category: Category,
    pub severity: Severity,
    /// Guide section as printed in the guide ("02").
    pub section: String,
    pub section_title: String,
    pub description: String,
    pub message: String,
    pub tip: String,
    pub instead: String,
    pub default_enabled: bool,
    pub region: Option<Region>,
    /// What the rule reads: the text of a post, or the metadata of an image being attached.
    pub applies_to: AppliesTo,
    /// Whether the rule rests on a learned scorer, so that its findings are a judgement of the
    /// wording rather than a match on listed words or a format.
    pub learned: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AppliesTo {
    Text,
    Image,
}

pub struct Rule {
    pub info: RuleInfo,
    pub detect: Detector,
}

pub enum Detector {
    Match(MatchRule),
    Combination(CombinationRule),
    /// Reports one kind of image metadata (see `crate::image`); never runs on text.
    Image(ImageKind),
}

pub struct MatchRule {
    pub anchor: usize,
    pub validate: Option<Validator>,
    pub near: Vec<NearRule>,
    pub near_any: Vec<NearRule>,
    pub unless_near: Vec<NearRule>,
    pub post_has: Vec<usize>,
    pub post_has_any: Vec<usize>,
    pub post_lacks: Vec<usize>,
    pub boost: Vec<usize>,
}

pub struct NearRule {
    pub signal: usize,
    pub before: usize,
    pub after: usize,
    pub same_sentence: bool,
}

pub struct CombinationRule {
    pub requires: Vec<usize>,
    pub details_with_required: bool,
    pub post_lacks: Vec<usize>,
    pub threshold: u32,
    pub parts: Vec<PartRule>,
}

pub struct PartRule {
    pub signal: usize,
    /// The kind of detail, named in the message.
    pub kind: String,
    pub weight: u32,
    /// Signals that cancel an overlapping match of this part.
    pub unless: Vec<usize>,
}

/// The packs as the build embedded them: without word lists, docs or examples.
pub fn embedded_pack() -> Result<Pack, String> {
    serde_json::from_str(PACKS_JSON).map_err(|e| e.to_string())
}

/// The shared engine, compiled on first use.
pub fn engine() -> Result<Arc<Engine>, ConfigError> {
    static ENGINE: OnceLock<Result<Arc<Engine>, String>> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::compile().map(Arc::new)).clone().map_err(ConfigError::Internal)
}

impl Engine {
    /// Compiles the embedded packs. The shared [`engine`] does this once per process; the
    /// start-up benchmark does it again each time through [`crate::Checker::with_own_engine`].
    pub fn compile() -> Result<Engine, String> {
        let pack = embedded_pack()?;
        let mut lists = Reader::new(LISTS);
        let words = WordIndex::from_bytes(&mut lists, pack.signal.len())?;
        let patterns = pack.signal.iter().map(|s| s.patterns.len()).sum();
        let prefilter = Prefilter::from_bytes(&mut lists, patterns)?;
        if !lists.is_at_end() {
            return Err("the embedded word lists have trailing bytes".into());
        }
        let scorers = Scorers::from_bytes(MODELS)?;
        let mut first = 0;
        let signals: Vec<SignalPatterns> = pack
            .signal
            .iter()
            .map(|def| {
                let model = match &def.model {
                    Some(m) => Some((
                        scorers
                            .position(&m.scorer)
                            .ok_or_else(|| format!("signal {}: no model {}", def.name, m.scorer))?,
                        m.threshold,
                    )),
                    None => None,
                };
                let signal = SignalPatterns::new(def, first, &prefilter, model);
                first += signal.len();
                Ok(signal)
            })
            .collect::<Result<_, String>>()?;
        let names: HashMap<&str, usize> = pack.signal.iter().enumerate().map(|(i, s)| (s.name.as_str(), i)).collect();
        let learned: Vec<bool> = signals.iter().map(|s| s.model.is_some()).collect();
        let mut rules = pack.rule.iter().map(|r| compile_rule(r, &names, &learned)).collect::<Result<Vec<_>, _>>()?;
        rules.extend(pack.image_rule.iter().map(image_rule));
        let rule_index = rules.iter().enumerate().map(|(i, r)| (r.info.id.clone(), i)).collect();
        Ok(Engine { signals, scorers, prefilter, words, rules, rule_index })
    }

    /// Compiles up to `count` patterns that no post has needed yet; true when none are left.
    /// The extension calls this in small batches while the user has not typed yet, so the
    /// first check after a service-worker restart finds its patterns compiled, and a check
    /// arriving meanwhile waits for one batch at most.
    pub fn warm(&self, count: usize) -> bool {
        let mut budget = count;
        for signal in &self.signals {
            signal.warm(&mut budget);
        }
        budget > 0
    }

    /// Signals that draw on a given user list.
    pub fn user_signals(&self, list: UserList) -> impl Iterator<Item = usize> + '_ {
        self.signals.iter().enumerate().filter(move |(_, s)| s.user_list == Some(list)).map(|(i, _)| i)
    }
}

/// `learned` says, per signal, whether it is a model signal.
fn compile_rule(def: &RuleDef, names: &HashMap<&str, usize>, learned: &[bool]) -> Result<Rule, String> {
    let sig = |n: &str| names.get(n).copied().ok_or_else(|| format!("rule {}: unknown signal {n}", def.id));
    let sigs = |list: &[String]| list.iter().map(|n| sig(n)).collect::<Result<Vec<_>, _>>();
    let nears = |list: &[crate::schema::Near]| {
        list.iter()
            .map(|n| {
                Ok(NearRule {
                    signal: sig(&n.signal)?,
                    before: n.before.into(),
                    after: n.after.into(),
                    same_sentence: n.same_sentence,
                })
            })
            .collect::<Result<Vec<_>, String>>()
    };
    let detect = match &def.detect {
        Detect::Match(m) => Detector::Match(MatchRule {
            anchor: sig(&m.anchor)?,
            validate: m.validate,
            near: nears(&m.near)?,
            near_any: nears(&m.near_any)?,
            unless_near: nears(&m.unless_near)?,
            post_has: sigs(&m.post_has)?,
            post_has_any: sigs(&m.post_has_any)?,
            post_lacks: sigs(&m.post_lacks)?,
            boost: sigs(&m.boost)?,
        }),
        Detect::Combination(c) => Detector::Combination(CombinationRule {
            requires: sigs(&c.requires)?,
            details_with_required: c.details_with_required,
            post_lacks: sigs(&c.post_lacks)?,
            threshold: c.threshold,
            parts: c
                .parts
                .iter()
                .map(|p| {
                    Ok(PartRule {
                        signal: sig(&p.signal)?,
                        kind: p.kind.clone(),
                        weight: p.weight,
                        unless: sigs(&p.unless)?,
                    })
                })
                .collect::<Result<_, String>>()?,
        }),
    };
    let anchors: Vec<usize> = match &detect {
        Detector::Match(m) => vec![m.anchor],
        Detector::Combination(c) => c.requires.clone(),
        Detector::Image(_) => Vec::new(),
    };
    let info = RuleInfo::new(def.card(), def.region, AppliesTo::Text, anchors.iter().any(|&s| learned[s]));
    Ok(Rule { info, detect })
}

fn image_rule(def: &ImageRuleDef) -> Rule {
    Rule { info: RuleInfo::new(def.card(), None, AppliesTo::Image, false), detect: Detector::Image(def.detects) }
}

impl RuleInfo {
    fn new(card: Card, region: Option<Region>, applies_to: AppliesTo, learned: bool) -> RuleInfo {
        RuleInfo {
            id: card.id.to_owned(),
            title: card.title.to_owned(),
            category: card.category,
            severity: card.severity,
            section: sections::number(card.section),
            section_title: sections::title(card.section).to_owned(),
            description: card.description.to_owned(),
            message: card.message.to_owned(),
            tip: card.tip.to_owned(),
            instead: card.instead.to_owned(),
            default_enabled: card.default_enabled,
            region,
            applies_to,
            learned,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Warming ends, in batches, with every pattern compiled: no pattern is skipped or
    /// compiled twice.
    #[test]
    fn warming_compiles_each_pattern_once_in_batches() {
        let engine = Engine::compile().unwrap();
        let total: usize = engine.signals.iter().map(SignalPatterns::len).sum();
        let mut batches = 0;
        while !engine.warm(50) {
            batches += 1;
        }
        assert_eq!(batches, total / 50, "{total} patterns");
        assert!(engine.warm(1), "nothing left to compile");
    }

    /// The build validates patterns with its own copy of the regex crate; this checks them
    /// with the engine's, whose features differ, so a pattern can never be skipped silently.
    #[test]
    fn every_pattern_compiles_with_the_engines_regex_features() {
        let pack: Pack = serde_json::from_str(PACKS_JSON).unwrap();
        let broken: Vec<String> = pack
            .signal
            .iter()
            .flat_map(|s| s.patterns.iter().map(move |p| (s.name.clone(), p)))
            .filter_map(|(name, p)| regex_automata::meta::Regex::new(p).err().map(|e| format!("{name}: {e}")))
            .collect();
        assert!(broken.is_empty(), "{}", broken.join("\n"));
    }
}
