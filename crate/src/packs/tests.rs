//! The pack compiler on small rules folders written for each case, and on the project's own.

use super::{compile, Compiled};
use crate::lists::{Prefilter, WordIndex};
use crate::schema::{Examples, ImageKind, Pack};
use crate::sources::{Location, SignalSource, Sources};
use crate::trie::Reader;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A pack with two signals (one reading a lexicon, as words and in a pattern) and a rule
/// with its examples.
const PACK: &str = r#"
[[signal]]
name = "greeting"
doc = "A greeting."
words = ["hello", "good morn*"]
words_file = ["lexicons/greetings.txt"]

[[signal]]
name = "number"
doc = "Four digits, after a lexicon's greeting or on their own."
patterns = ['(?i)\b{lexicon:greetings}\s\d{4}', '\b\d{4}\b']

[[rule]]
id = "greeting-number"
category = "identifier"
severity = "warning"
section = 2
title = "Greeting with a number"
description = "A number after a greeting."
message = "It may be a patient's."
tip = "Leave it out."
instead = "Hello!"
detect = { kind = "match", anchor = "number", near = [{ signal = "greeting", before = 3 }] }

[rule.examples]
flag = ["hello 1234", "hello there 5678", { text = "good morning 4321", span = "4321" }]
pass = ["1234", "hello", "hello 12"]
"#;

const LEXICON: &str = "# greetings in the lexicon\nhowdy\n\nhiya\n";

/// One image rule for every kind of detail, as a set of packs must have.
fn image_pack() -> String {
    ImageKind::ALL
        .iter()
        .map(|kind| {
            let kind = serde_json::to_value(kind).unwrap();
            let kind = kind.as_str().unwrap();
            format!(
                "[[image_rule]]\nid = \"image-{kind}\"\ndetects = \"{kind}\"\ncategory = \"identifier\"\n\
                 severity = \"warning\"\nsection = 2\ntitle = \"T\"\ndescription = \"D\"\nmessage = \"M\"\n\
                 tip = \"T\"\ninstead = \"I\"\n\n"
            )
        })
        .collect()
}

/// A model file of the smallest hash size, its weights `weight` each.
fn model_file(weight: u8) -> Vec<u8> {
    let mut bytes = b"SOM1".to_vec();
    bytes.extend([10, 0, 0, 0]);
    bytes.extend(0.5f32.to_le_bytes());
    bytes.extend((-1.0f32).to_le_bytes());
    bytes.extend(std::iter::repeat_n(weight, 1 << 10));
    bytes
}

/// A rules folder in the temporary directory, removed when dropped.
struct Rules(PathBuf);

impl Rules {
    /// `packs/10-test.toml` holding `pack`, the image rules and the greetings lexicon beside
    /// it, and `extra` files (path in the folder, contents).
    fn new(name: &str, pack: &str, extra: &[(&str, &[u8])]) -> Rules {
        let dir = std::env::temp_dir().join(format!("second-opinion-packs-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let files = [
            ("10-test.toml", pack.as_bytes()),
            ("40-image.toml", image_pack().as_bytes()),
            ("lexicons/greetings.txt", LEXICON.as_bytes()),
        ]
        .map(|(path, body)| (path, body.to_vec()));
        for (path, body) in files.into_iter().chain(extra.iter().map(|&(p, b)| (p, b.to_vec()))) {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, body).unwrap();
        }
        Rules(dir)
    }

    fn compile(&self) -> Result<Compiled, String> {
        compile(&self.0)
    }

    /// The compiler's error, which it must give.
    fn error(&self) -> String {
        match self.compile() {
            Ok(_) => panic!("{} compiled", self.0.display()),
            Err(e) => e,
        }
    }
}

impl Drop for Rules {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `PACK` with `from` replaced by `to` (which must be there).
fn changed(from: &str, to: &str) -> String {
    assert!(PACK.contains(from), "{from:?} is not in the pack");
    PACK.replacen(from, to, 1)
}

#[test]
fn a_pack_compiles_to_what_the_engine_reads() {
    let rules = Rules::new("output", PACK, &[]);
    let compiled = rules.compile().unwrap();

    // The rules and patterns, patterns made ASCII and their lexicons expanded; no docs or
    // words, which the engine never reads from the JSON.
    let pack: Pack = serde_json::from_str(&compiled.packs_json).unwrap();
    assert_eq!(pack.signal.len(), 2);
    assert_eq!(pack.rule[0].id, "greeting-number");
    assert_eq!(pack.image_rule.len(), ImageKind::ALL.len());
    assert_eq!(
        pack.signal[1].patterns,
        ["(?i)(?-u:\\b)(?:howdy|hiya)[[:space:]][0-9]{4}", "(?-u:\\b)[0-9]{4}(?-u:\\b)"]
    );
    assert!(!compiled.packs_json.contains("A greeting."), "{}", compiled.packs_json);
    assert!(pack.signal.iter().all(|s| s.words.is_empty() && s.words_file.is_empty()));

    // The words, the pack's and the lexicon's, then the prefilter: a post without four digits
    // in a row can match neither pattern.
    let mut reader = Reader::new(&compiled.lists_bin);
    let words = WordIndex::from_bytes(&mut reader, 2).unwrap();
    let prefilter = Prefilter::from_bytes(&mut reader, 2).unwrap();
    assert!(reader.is_at_end());
    let mut hits = vec![Vec::new(); 2];
    words.scan("hello, good morning and hiya", &mut hits);
    hits[0].sort_by_key(|span| span.start);
    assert_eq!(hits[0], [0..5, 7..19, 24..28]);
    assert_eq!(prefilter.candidates("hiya 1234").possible, [true, true]);
    assert_eq!(prefilter.candidates("hiya 12").possible, [false, false]);

    let examples: BTreeMap<String, Examples> = serde_json::from_str(&compiled.examples_json).unwrap();
    let ex = &examples["greeting-number"];
    assert_eq!((ex.flag.len(), ex.pass.len()), (3, 3));
    assert_eq!(ex.flag[2].text(), "good morning 4321");

    assert_eq!(compiled.models_bin, [0, 0, 0, 0], "no model signals, no models");
    let sources: Sources = serde_json::from_str(&compiled.sources_json).unwrap();
    let at = |file: &str, line| Location { file: file.into(), line };
    assert_eq!(sources.signals["greeting"], SignalSource { at: at("10-test.toml", 3), doc: "A greeting.".into() });
    assert_eq!(sources.signals["number"].at, at("10-test.toml", 9));
    assert_eq!(sources.rules["greeting-number"], at("10-test.toml", 14));
    assert_eq!(sources.rules["image-location"], at("40-image.toml", 2));
    assert_eq!(sources.rules.len(), 1 + ImageKind::ALL.len());
    let read: Vec<&Path> = compiled.inputs.iter().map(|p| p.strip_prefix(&rules.0).unwrap()).collect();
    for file in ["10-test.toml", "40-image.toml", "lexicons/greetings.txt"] {
        assert!(read.contains(&Path::new(file)), "{file} not among {read:?}");
    }
}

#[test]
fn model_signals_embed_their_scorers_side_by_side() {
    let pack = format!(
        "{PACK}\n[[signal]]\nname = \"scored\"\ndoc = \"Rated highly.\"\nmodel = {{ scorer = \"tiny\", threshold = 0.5 }}\n"
    );
    let rules = Rules::new("model", &pack, &[("models/tiny.bin", &model_file(3))]);
    let models = rules.compile().unwrap().models_bin;
    let mut header = vec![1, 10, 0, 0, 4];
    header.extend(b"tiny");
    header.extend(0.5f32.to_le_bytes());
    header.extend((-1.0f32).to_le_bytes());
    assert_eq!(models[..header.len()], header);
    assert_eq!(models.len(), header.len() + (1 << 10));
    assert!(models[header.len()..].iter().all(|&w| w == 3));
}

/// The project's own packs compile, here, to the very bytes the build embedded.
#[test]
fn the_projects_packs_compile_to_the_embedded_files() {
    let compiled = compile(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules")).unwrap();
    let embedded: [(&str, &[u8]); 5] = [
        ("packs.json", include_bytes!(concat!(env!("OUT_DIR"), "/packs.json"))),
        ("lists.bin", include_bytes!(concat!(env!("OUT_DIR"), "/lists.bin"))),
        ("examples.json", include_bytes!(concat!(env!("OUT_DIR"), "/examples.json"))),
        ("models.bin", include_bytes!(concat!(env!("OUT_DIR"), "/models.bin"))),
        ("sources.json", include_bytes!(concat!(env!("OUT_DIR"), "/sources.json"))),
    ];
    for ((name, bytes), (embedded_name, embedded)) in compiled.files().into_iter().zip(embedded) {
        assert_eq!(name, embedded_name);
        assert!(bytes == embedded, "{name} differs from the embedded file");
    }
}

#[test]
fn a_rule_with_too_few_examples_is_refused() {
    let rules = Rules::new("few-examples", &changed(r#", "hello 12"]"#, "]"), &[]);
    assert_eq!(rules.error(), "rule greeting-number: needs at least 3 flag and 3 pass examples");
}

#[test]
fn a_rule_without_examples_is_refused() {
    let pack = PACK.split("[rule.examples]").next().unwrap();
    let rules = Rules::new("no-examples", pack, &[]);
    assert_eq!(rules.error(), "rule greeting-number: needs at least 3 flag and 3 pass examples");
}

#[test]
fn an_example_span_must_be_in_its_text() {
    let rules = Rules::new("span", &changed(r#"span = "4321""#, r#"span = "1234""#), &[]);
    assert_eq!(rules.error(), r#"rule greeting-number: example span "1234" is not in its text"#);
}

#[test]
fn an_unknown_signal_is_refused() {
    let rules = Rules::new("unknown-signal", &changed(r#"signal = "greeting""#, r#"signal = "greting""#), &[]);
    assert_eq!(rules.error(), r#"rule greeting-number: unknown signal "greting""#);
}

#[test]
fn a_bad_regex_is_refused_naming_the_signal_and_pattern() {
    let rules = Rules::new("bad-regex", &changed(r"'\b\d{4}\b'", r"'\b(\d{4}\b'"), &[]);
    let error = rules.error();
    assert!(error.starts_with(r#"signal number: pattern "(?-u:\\b)([0-9]{4}(?-u:\\b)": "#), "{error}");
    assert!(error.contains("unclosed group"), "{error}");
}

#[test]
fn a_doubled_backslash_is_refused() {
    let rules = Rules::new("backslash", &changed(r"'\b\d{4}\b'", r"'\\b\d{4}'"), &[]);
    assert!(rules.error().contains("has a doubled backslash"), "{}", rules.error());
}

#[test]
fn a_missing_lexicon_names_the_file_and_signal() {
    let rules = Rules::new("lexicon", &changed("{lexicon:greetings}", "{lexicon:salutations}"), &[]);
    let error = rules.error();
    assert!(error.starts_with("10-test.toml: signal number: "), "{error}");
    assert!(error.contains("salutations.txt"), "{error}");
}

#[test]
fn ids_and_names_defined_twice_are_refused() {
    let rule = &PACK[PACK.find("[[rule]]").unwrap()..];
    let rules = Rules::new("duplicate-rule", &format!("{PACK}\n{rule}"), &[]);
    assert_eq!(rules.error(), "rule greeting-number: defined twice");

    let rules = Rules::new("duplicate-signal", &changed(r#"name = "number""#, r#"name = "greeting""#), &[]);
    assert_eq!(rules.error(), "signal greeting: defined twice");

    // Text and image rules share one id space: settings switch both by id.
    let rules =
        Rules::new("duplicate-image-rule", &changed(r#"id = "greeting-number""#, r#"id = "image-device""#), &[]);
    assert_eq!(rules.error(), "image rule image-device: defined twice");
}

#[test]
fn a_misspelt_field_names_the_file() {
    let rules = Rules::new("field", &changed("tip =", "tips ="), &[]);
    let error = rules.error();
    assert!(error.starts_with("10-test.toml: "), "{error}");
    assert!(error.contains("unknown field `tips`"), "{error}");
}

#[test]
fn damaged_or_missing_model_files_are_refused() {
    let pack = format!(
        "{PACK}\n[[signal]]\nname = \"scored\"\ndoc = \"Rated highly.\"\nmodel = {{ scorer = \"tiny\", threshold = 0.5 }}\n"
    );
    let mut short = model_file(1);
    short.truncate(600);
    let cases: [(&str, &[u8], &str); 3] = [
        ("model-header", b"not a model", "model tiny: not a Second Opinion model file (no SOM1 header)"),
        ("model-short", &short, "model tiny: 600 bytes where 10 hash bits need 1040"),
        ("model-missing", b"", "models/tiny.bin: "),
    ];
    for (name, bytes, expected) in cases {
        let extra: &[(&str, &[u8])] = if name == "model-missing" { &[] } else { &[("models/tiny.bin", bytes)] };
        let rules = Rules::new(name, &pack, extra);
        let error = rules.error();
        assert!(error.contains(expected), "{name}: {error}");
    }
}

/// A signal's line is where TOML puts its name, however the pack writes it, and not a line
/// of its doc that looks like one.
#[test]
fn locations_follow_the_toml_not_the_layout() {
    let odd = "[[signal]]\ndoc = \"\"\"\nNot here:\nname = \"decoy\"\n\"\"\"\n\"name\" = 'oddly-written'\nwords = [\"odd\"]\n\n";
    let pack = changed("[[rule]]", &format!("{odd}[[rule]]"));
    let rules = Rules::new("locations", &pack, &[]);
    let sources: Sources = serde_json::from_str(&rules.compile().unwrap().sources_json).unwrap();
    let line = pack.lines().position(|l| l.starts_with("\"name\"")).unwrap() + 1;
    assert_eq!(sources.signals["oddly-written"].at, Location { file: "10-test.toml".into(), line });
    assert_eq!(sources.signals["oddly-written"].doc, "Not here:\nname = \"decoy\"\n");
    assert!(!sources.signals.contains_key("decoy"));
}
