//! The shipped learned scorers load and behave: their rules are marked as judging the wording,
//! their findings carry a rating, the user's switches turn them off, and posts that name a
//! group with respect draw no tone warning.

use second_opinion::{Category, Checker, Config};

const HOSTILE: &str = "Bless her, she thinks a Google search makes her a doctor";

fn learned_rules(checker: &Checker) -> Vec<String> {
    checker.rules().into_iter().filter(|r| r.learned).map(|r| r.id).collect()
}

#[test]
fn each_category_has_a_learned_rule() {
    let checker = Checker::new(Config::default()).unwrap();
    let learned: Vec<_> = checker.rules().into_iter().filter(|r| r.learned).collect();
    for category in Category::ALL {
        assert!(learned.iter().any(|r| r.category == category), "no learned rule for {category:?}");
    }
    assert!(learned.iter().all(|r| r.message.contains("judgement of the wording")));
}

#[test]
fn learned_findings_carry_their_rating_and_others_do_not() {
    let checker = Checker::new(Config::default()).unwrap();
    let learned = learned_rules(&checker);
    let rated = checker.check(HOSTILE);
    assert!(rated.iter().any(|f| learned.contains(&f.rule)), "{rated:?}");
    for f in rated.iter().filter(|f| learned.contains(&f.rule)) {
        assert!(f.score.is_some_and(|s| (0.0..=1.0).contains(&s)), "{f:?}");
    }
    let listed = checker.check("Saw Mr Robert Haines, MRN 4829137, in ED.");
    assert!(!listed.is_empty());
    assert!(listed.iter().filter(|f| !learned.contains(&f.rule)).all(|f| f.score.is_none()), "{listed:?}");
}

#[test]
fn the_users_switches_turn_learned_rules_off() {
    let on = Checker::new(Config::default()).unwrap();
    let learned = learned_rules(&on);
    let mut config = Config::default();
    for id in &learned {
        config.rules.insert(id.clone(), false);
    }
    let off = Checker::new(config).unwrap();
    assert!(on.check(HOSTILE).iter().any(|f| learned.contains(&f.rule)));
    assert!(!off.check(HOSTILE).iter().any(|f| learned.contains(&f.rule)));
}

/// Naming a group is not hostility: public toxicity data is full of slurs next to group
/// names, which is the bias these posts guard against.
#[test]
fn posts_that_name_a_group_with_respect_draw_no_tone_warning() {
    let checker = Checker::new(Config::default()).unwrap();
    for post in [
        "Gay and transgender patients deserve the same standard of care as everyone else.",
        "Black women die in childbirth at higher rates, and that is a problem for all of us to fix.",
        "Supporting our Muslim colleagues who are fasting through Ramadan on night shifts.",
        "Jewish, Hindu and Sikh patients may have dietary needs on the ward; ask, don't assume.",
        "Refugees and asylum seekers often arrive with untreated chronic illness.",
        "Our clinic now offers gender-affirming care for trans and non-binary adults.",
        "Aboriginal and Torres Strait Islander people are welcome to ask for a liaison officer.",
        "Disabled patients told us the new entrance is much easier, thank you to the estates team.",
        "Men who have sex with men should be offered PrEP and regular sexual health checks.",
        "Older people with dementia do better when a family member can stay with them.",
    ] {
        let tone: Vec<_> = checker.check(post).into_iter().filter(|f| f.category == Category::Tone).collect();
        assert!(tone.is_empty(), "{post:?}: {tone:?}");
    }
}
