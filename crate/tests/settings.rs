//! Settings: every switch works, and bad settings are refused with the field named.

use second_opinion::{Category, Checker, Config, ConfigError, Region};

const POST: &str = "Saw Mr Robert Haines (MRN 4829137) today. @troll you're an idiot.";

fn categories(config: Config, text: &str) -> Vec<Category> {
    let mut c: Vec<Category> = Checker::new(config).unwrap().check(text).iter().map(|f| f.category).collect();
    c.dedup();
    c
}

#[test]
fn categories_switch_off() {
    assert_eq!(categories(Config::default(), POST), [Category::Identifier, Category::Tone]);
    let config = Config::from_json(r#"{"categories": {"identifier": false}}"#).unwrap();
    assert_eq!(categories(config, POST), [Category::Tone]);
}

#[test]
fn single_rules_switch_off_and_on() {
    let config = Config::from_json(r#"{"rules": {"medical-record-number": false}}"#).unwrap();
    let checker = Checker::new(config).unwrap();
    assert!(!checker.is_enabled("medical-record-number"));
    assert!(checker.check("MRN 4829137").iter().all(|f| f.rule != "medical-record-number"));
}

#[test]
fn regions_limit_national_identifiers() {
    let text = "NHS number 943 476 5870 on the letter";
    let uk_only = Config { regions: vec![Region::UK], ..Config::default() };
    assert!(Checker::new(uk_only).unwrap().check(text).iter().any(|f| f.rule == "uk-nhs-number"));
    let au_only = Config { regions: vec![Region::AU], ..Config::default() };
    assert!(Checker::new(au_only).unwrap().check(text).iter().all(|f| f.rule != "uk-nhs-number"));
}

#[test]
fn watch_words_are_matched_case_insensitively_as_whole_words() {
    let config = Config { watch_words: vec!["Middlemore".into()], ..Config::default() };
    let checker = Checker::new(config).unwrap();
    let found = checker.check("Long night at MIDDLEMORE, again");
    assert_eq!(found.iter().filter(|f| f.rule == "watch-word").count(), 1);
    assert!(checker.check("Middlemoreish").iter().all(|f| f.rule != "watch-word"));
}

#[test]
fn unknown_rule_is_an_error() {
    let config = Config::from_json(r#"{"rules": {"no-such-rule": true}}"#).unwrap();
    let err = Checker::new(config).err().unwrap();
    assert_eq!(err, ConfigError::UnknownRule("no-such-rule".into()));
    assert!(err.to_string().contains("no-such-rule"));
}

#[test]
fn errors_name_the_field() {
    let cases = [
        (r#"{"categories": {"tone": "yes"}}"#, "categories.tone"),
        (r#"{"regions": ["AU", "FR"]}"#, "regions[1]"),
        (r#"{"watch_words": ["ok", ""]}"#, "watch_words[1]"),
        (r#"{"watch_words": ["\u200B"]}"#, "watch_words[0]"),
        (r#"{"affiliations": ["*"]}"#, "affiliations[0]"),
        (r#"{"colour": true}"#, "colour"),
        (r#"{"rules": {"watch-word": 1}}"#, "rules.watch-word"),
    ];
    for (json, field) in cases {
        let err = Config::from_json(json).map(|_| ()).unwrap_err().to_string();
        assert!(err.contains(field), "{json}: {err}");
    }
}

#[test]
fn over_long_lists_are_refused() {
    let many: Vec<String> = (0..501).map(|i| format!("word{i}")).collect();
    let config = Config { affiliations: many, ..Config::default() };
    let err = Checker::new(config).err().unwrap().to_string();
    assert!(err.contains("affiliations"), "{err}");
    let long = Config { watch_words: vec!["x".repeat(201)], ..Config::default() };
    assert!(Checker::new(long).is_err());
}

#[test]
fn toml_settings_are_accepted() {
    let config = Config::from_toml("watch_words = [\"Ward 7\"]\n[categories]\ntone = false\n").unwrap();
    assert_eq!(config.watch_words, ["Ward 7"]);
    assert!(!config.categories.tone);
    let err = Config::from_toml("[categories]\ntone = 3\n").unwrap_err().to_string();
    assert!(err.contains("categories.tone"), "{err}");
}

#[test]
fn every_rule_has_metadata_the_ui_needs() {
    let rules = Checker::new(Config::default()).unwrap().rules();
    for r in &rules {
        assert!(!r.title.is_empty() && !r.message.is_empty() && !r.tip.is_empty() && !r.instead.is_empty(), "{}", r.id);
        assert!(!r.section_title.is_empty(), "{}", r.id);
    }
    for category in Category::ALL {
        assert!(rules.iter().any(|r| r.category == category), "no rule for {category:?}");
    }
}
