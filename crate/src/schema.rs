//! The shape of a rule pack (`rules/*.toml`).
//!
//! This file is compiled twice: by `build.rs`, whose pack compiler (`crate::packs`) reads and
//! validates the TOML packs and embeds them as JSON, and by the library, which loads that JSON
//! at start-up. Sharing one
//! definition means a pack that builds is a pack the engine can read.

use serde::{Deserialize, Serialize};

/// The three kinds of risk the guide describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Something that may identify a patient (guide §02).
    Identifier,
    /// Angry, hostile, derogatory or defamatory tone (guide §01, §04, §06).
    Tone,
    /// Promotion without a declared interest, or advertising breaches (guide §05, §07).
    Conflict,
}

impl Category {
    pub const ALL: [Category; 3] = [Category::Identifier, Category::Tone, Category::Conflict];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Identifier => "identifier",
            Category::Tone => "tone",
            Category::Conflict => "conflict",
        }
    }
}

/// How much a finding matters; ordered so that `max` picks the more serious one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Serious,
}

impl Severity {
    /// One step up, saturating at `Serious` (used by boosting signals such as shouting).
    pub fn raised(self) -> Severity {
        match self {
            Severity::Info => Severity::Warning,
            _ => Severity::Serious,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Serious => "serious",
        }
    }
}

/// Countries whose identifier formats a rule knows. Users outside a region can switch it off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Region {
    AU,
    NZ,
    UK,
    US,
    CA,
}

impl Region {
    pub const ALL: [Region; 5] = [Region::AU, Region::NZ, Region::UK, Region::US, Region::CA];
}

/// A list the user keeps in their settings, which a signal can draw its words from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserList {
    WatchWords,
    Affiliations,
    DisclosurePhrases,
}

/// Check-digit algorithms an anchor's text must pass before it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Validator {
    AuMedicare,
    AuIhi,
    NzNhi,
    UkNhs,
    UsSsn,
    UsNpi,
    CaBcPhn,
    CaOhip,
}

/// One rule pack file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    #[serde(default)]
    pub signal: Vec<SignalDef>,
    #[serde(default)]
    pub rule: Vec<RuleDef>,
    #[serde(default)]
    pub image_rule: Vec<ImageRuleDef>,
}

/// A named thing to look for in a post: words and phrases, regular expressions, or a list
/// from the user's settings. Rules combine signals; a signal never warns by itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalDef {
    pub name: String,
    /// What the signal stands for, for people reading the pack (the build requires it; the
    /// embedded JSON omits it, as the engine never reads it).
    #[serde(default, skip_serializing)]
    pub doc: String,
    /// Whole-word phrases, matched without regard to ASCII case. A trailing `*` lets the last
    /// word run on ("incompeten*" matches "incompetent" and "incompetence"). The build lays
    /// every signal's words out as one trie (see `lists`), so the embedded JSON omits them.
    #[serde(default, skip_serializing)]
    pub words: Vec<String>,
    /// Lexicon files (relative to `rules/`) whose lines are added to `words` by the build.
    #[serde(default, skip_serializing)]
    pub words_file: Vec<String>,
    /// Regular expressions (Rust `regex` syntax). A group named `hit` narrows the span.
    #[serde(default)]
    pub patterns: Vec<String>,
    /// Adds the user's own list (e.g. watch-words) to this signal.
    #[serde(default)]
    pub user_list: Option<UserList>,
    /// Makes this a model signal: the sentences a learned scorer rates at or above a
    /// threshold, each narrowed to the phrase that carried its score (see `crate::model`).
    /// A model signal has no words or patterns.
    #[serde(default)]
    pub model: Option<ModelDef>,
}

/// Which learned scorer a model signal reads, and from what score on.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelDef {
    /// The scorer's name: its weights are `rules/models/NAME.bin`.
    pub scorer: String,
    /// The lowest probability (0–1) that counts.
    pub threshold: f32,
}

/// Declares a kind of rule: the fields of its card, which every rule has, then its own, and
/// `card()`, a borrowed view of the card. The card's fields are listed once, here, rather than
/// in a shared struct, because serde's `flatten` does not combine with the
/// `deny_unknown_fields` that turns a misspelt key in a pack into a build error.
macro_rules! rule_kind {
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$field_meta:meta])* pub $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// Stable kebab-case id, used in settings and output (text and image rules share
            /// one id space, as settings switch both by id).
            pub id: String,
            pub category: Category,
            pub severity: Severity,
            /// Guide section number (1–7).
            pub section: u8,
            /// Short name shown as the card's heading.
            pub title: String,
            /// What the rule flags, for the options page and `second-opinion rules`.
            pub description: String,
            /// Why it matters, in plain words; shown on the card.
            pub message: String,
            /// What to do about it.
            pub tip: String,
            /// A safer way to say the same thing.
            pub instead: String,
            #[serde(default = "yes")]
            pub default_enabled: bool,
            $($(#[$field_meta])* pub $field: $ty,)*
        }

        impl $name {
            pub fn card(&self) -> Card<'_> {
                Card {
                    id: &self.id,
                    category: self.category,
                    severity: self.severity,
                    section: self.section,
                    title: &self.title,
                    description: &self.description,
                    message: &self.message,
                    tip: &self.tip,
                    instead: &self.instead,
                    default_enabled: self.default_enabled,
                }
            }
        }
    };
}

/// What a rule of either kind shows the user (see `rule_kind!` for each field).
#[derive(Debug, Clone, Copy)]
pub struct Card<'a> {
    pub id: &'a str,
    pub category: Category,
    pub severity: Severity,
    pub section: u8,
    pub title: &'a str,
    pub description: &'a str,
    pub message: &'a str,
    pub tip: &'a str,
    pub instead: &'a str,
    pub default_enabled: bool,
}

rule_kind! {
    /// A rule: what it flags, why, and how it is detected.
    pub struct RuleDef {
        /// Set for identifier formats that belong to one country.
        #[serde(default)]
        pub region: Option<Region>,
        pub detect: Detect,
        /// Texts that must and must not trigger the rule; run by the test suite.
        #[serde(default, skip_serializing)]
        pub examples: Examples,
    }
}

fn yes() -> bool {
    true
}

/// What an image rule reports: one kind of detail that a photo's metadata can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImageKind {
    /// GPS coordinates or a named place (city, sublocation).
    Location,
    /// When the photo was taken or last changed.
    CaptureTime,
    /// The camera or phone maker, model and lens.
    Device,
    /// A serial number or unique id of the camera, lens or picture.
    DeviceSerial,
    /// Names of people: the artist, owner, copyright holder, people shown.
    Person,
    /// Free text: a caption, title, comment or keywords (also run through the text rules).
    Text,
}

impl ImageKind {
    pub const ALL: [ImageKind; 6] = [
        ImageKind::Location,
        ImageKind::CaptureTime,
        ImageKind::Device,
        ImageKind::DeviceSerial,
        ImageKind::Person,
        ImageKind::Text,
    ];
}

rule_kind! {
    /// A rule about a photo's metadata: which kind of detail it reports and what to tell the user.
    /// The details are found by the image reader (`crate::image`); the rule is the words and the
    /// switch.
    pub struct ImageRuleDef {
        pub detects: ImageKind,
    }
}

/// How a rule decides.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Detect {
    /// Every match of the anchor signal that passes the conditions is a finding.
    Match(MatchDetect),
    /// Several weak signals in one clinical story, scored together.
    Combination(CombinationDetect),
}

/// What a signal does in a rule, with the settings of that use.
#[derive(Debug, Clone, Copy)]
pub enum SignalRole<'a> {
    Anchor,
    Near(&'a Near),
    NearAny(&'a Near),
    UnlessNear(&'a Near),
    PostHas,
    PostHasAny,
    PostLacks,
    Boost,
    /// A signal a combination requires.
    Requires,
    Part(&'a Part),
    /// A signal whose matches cancel the part's overlapping ones.
    PartUnless(&'a Part),
}

impl Detect {
    /// Every signal the rule names, with what it does there: the anchor or required signals
    /// first, then the conditions in the order the schema lists them. The build checks that
    /// each exists; `second-opinion explain` lists them.
    pub fn signal_uses(&self) -> Vec<(SignalRole<'_>, &str)> {
        match self {
            Detect::Match(m) => std::iter::once((SignalRole::Anchor, m.anchor.as_str()))
                .chain(m.near.iter().map(|n| (SignalRole::Near(n), n.signal.as_str())))
                .chain(m.near_any.iter().map(|n| (SignalRole::NearAny(n), n.signal.as_str())))
                .chain(m.unless_near.iter().map(|n| (SignalRole::UnlessNear(n), n.signal.as_str())))
                .chain(named(SignalRole::PostHas, &m.post_has))
                .chain(named(SignalRole::PostHasAny, &m.post_has_any))
                .chain(named(SignalRole::PostLacks, &m.post_lacks))
                .chain(named(SignalRole::Boost, &m.boost))
                .collect(),
            Detect::Combination(c) => named(SignalRole::Requires, &c.requires)
                .chain(named(SignalRole::PostLacks, &c.post_lacks))
                .chain(c.parts.iter().map(|p| (SignalRole::Part(p), p.signal.as_str())))
                .chain(
                    c.parts.iter().flat_map(|p| p.unless.iter().map(move |u| (SignalRole::PartUnless(p), u.as_str()))),
                )
                .collect(),
        }
    }
}

/// Each of `names` in one role.
fn named<'a>(role: SignalRole<'a>, names: &'a [String]) -> impl Iterator<Item = (SignalRole<'a>, &'a str)> {
    names.iter().map(move |n| (role, n.as_str()))
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchDetect {
    /// The signal whose matches are underlined.
    pub anchor: String,
    /// A check-digit algorithm the anchor's letters and digits must satisfy.
    #[serde(default)]
    pub validate: Option<Validator>,
    /// Every one of these must be near the anchor.
    #[serde(default)]
    pub near: Vec<Near>,
    /// At least one of these must be near the anchor (ignored when empty).
    #[serde(default)]
    pub near_any: Vec<Near>,
    /// None of these may be near the anchor.
    #[serde(default)]
    pub unless_near: Vec<Near>,
    /// Each of these signals must occur somewhere in the post.
    #[serde(default)]
    pub post_has: Vec<String>,
    /// At least one of these must occur somewhere in the post (ignored when empty).
    #[serde(default)]
    pub post_has_any: Vec<String>,
    /// None of these may occur anywhere in the post (e.g. a disclosure).
    #[serde(default)]
    pub post_lacks: Vec<String>,
    /// Any of these anywhere in the post raises the severity one step.
    #[serde(default)]
    pub boost: Vec<String>,
}

/// "Signal S within `before` words before or `after` words after the anchor". With both at
/// zero, S must overlap the anchor itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Near {
    pub signal: String,
    #[serde(default)]
    pub before: u16,
    #[serde(default)]
    pub after: u16,
    /// Whether a sentence break between the two cancels the match.
    #[serde(default = "yes")]
    pub same_sentence: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CombinationDetect {
    /// Signals that must all be present for the story to count (e.g. a specific patient).
    pub requires: Vec<String>,
    /// Signals whose presence anywhere cancels the rule (e.g. an exam question).
    #[serde(default)]
    pub post_lacks: Vec<String>,
    /// Minimum total weight of distinct kinds of detail.
    pub threshold: u32,
    /// Whether a detail counts only in a sentence that holds (or overlaps) a match of a
    /// required signal: for a story the learned scorer found in one sentence, the details of
    /// another sentence about something else are not the story's.
    #[serde(default)]
    pub details_with_required: bool,
    pub parts: Vec<Part>,
}

/// One kind of detail in a combination; the strongest match of each kind counts once.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    pub signal: String,
    /// The word used in the message ("age", "place", ...).
    pub kind: String,
    #[serde(default = "one")]
    pub weight: u32,
    /// Matches that overlap any of these signals do not count (e.g. "in ED" is not a place).
    #[serde(default)]
    pub unless: Vec<String>,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default)]
    pub flag: Vec<Example>,
    #[serde(default)]
    pub pass: Vec<Example>,
}

/// An example post, optionally with the user settings it needs and the text the underline
/// must cover.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Example {
    Text(String),
    Detailed(DetailedExample),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetailedExample {
    pub text: String,
    /// Text a finding of this rule must cover (flag examples only).
    #[serde(default)]
    pub span: Option<String>,
    #[serde(default)]
    pub watch_words: Vec<String>,
    #[serde(default)]
    pub affiliations: Vec<String>,
    #[serde(default)]
    pub disclosure_phrases: Vec<String>,
}

impl Example {
    pub fn text(&self) -> &str {
        match self {
            Example::Text(t) => t,
            Example::Detailed(d) => &d.text,
        }
    }
}
