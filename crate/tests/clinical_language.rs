//! Clinical vocabulary and everyday health talk must never be mistaken for hostility or a
//! breach: a warning that cries wolf on a health-education post is as bad as a missed name.

use second_opinion::{Category, Checker, Config};

fn findings_of(text: &str, category: Category) -> Vec<String> {
    let checker = Checker::new(Config::default()).unwrap();
    checker
        .check(text)
        .into_iter()
        .filter(|f| f.category == category)
        .map(|f| format!("{}={:?}", f.rule, f.text))
        .collect()
}

#[test]
fn clinical_words_never_read_as_hostile() {
    let posts = [
        "Rectal exam is still part of the workup for a GI bleed.",
        "Penile fracture is a urological emergency: don't wait.",
        "Persistent vomiting in a toddler: check for dehydration and think intussusception.",
        "Suicide is the leading cause of death in young men. Ask directly, it saves lives.",
        "Cancer screening saves lives. Book your bowel screening kit.",
        "Sadly the patient died despite everything we did.",
        "The tumour was aggressive and had invaded the bowel wall.",
        "Faeces, urine and vomit: the glamour of nursing.",
        "Killed by sepsis: 11 million deaths a year worldwide.",
        "The patient was lying flat when the pain started.",
        "Stab wounds to the chest go straight to theatre.",
        "Overdose deaths are preventable: carry naloxone.",
        "Lazy eye (amblyopia) needs treating before age 7.",
        "Her lazy eye was treated with patching and she is doing well.",
        "If you are feeling hopeless, please talk to someone you trust or call a crisis line.",
        "He was sloppy with his inhaler technique until we showed him a spacer.",
        "Dense consolidation in the right lower lobe.",
        "Penis, vagina, anus: use anatomical words with kids.",
        "Gay and transgender patients deserve the same care. Black women die in childbirth at higher rates.",
    ];
    for post in posts {
        assert_eq!(findings_of(post, Category::Tone), Vec::<String>::new(), "{post}");
    }
}

#[test]
fn narrated_frustration_is_not_hostility() {
    let posts = [
        "I'm furious about the funding cuts to mental health services.",
        "Brutal night shift. Absolutely shattered. Going to bed.",
        "That was a fucking awful shift and I need a cry.",
        "I felt like an idiot when I couldn't find the vein.",
        "So angry that our ED is ramping again. Staff deserve better.",
    ];
    for post in posts {
        assert_eq!(findings_of(post, Category::Tone), Vec::<String>::new(), "{post}");
    }
}

#[test]
fn health_education_with_numbers_is_clean() {
    let posts = [
        "Amoxicillin 500 mg three times daily for 5 days is enough for most chest infections.",
        "Adults over 45 should have a heart health check every 2 years.",
        "BP target under 130/80 for most people with diabetes.",
        "2/3 of patients with AF have no symptoms.",
        "1 in 8 women will be diagnosed with breast cancer in their lifetime.",
        "Children under 5 with a fever over 38 degrees for more than 48 hours should be seen.",
        "If you are in crisis call 13 11 14 (Lifeline) or 000 in an emergency.",
        "In NZ call 111 or free text 1737 any time.",
        "INR target 2-3 for most patients on warfarin.",
    ];
    let checker = Checker::new(Config::default()).unwrap();
    for post in posts {
        let found: Vec<String> = checker.check(post).into_iter().map(|f| format!("{}={:?}", f.rule, f.text)).collect();
        assert_eq!(found, Vec::<String>::new(), "{post}");
    }
}

#[test]
fn shouting_raises_severity_but_never_warns_alone() {
    let checker = Checker::new(Config::default()).unwrap();
    for calm_but_loud in [
        "WE NEED MORE NURSES ON NIGHTS!!!",
        "SO PROUD OF MY TEAM TONIGHT!!! 🎉",
        "THIS IS NOT OKAY. FUND OUR HOSPITALS!!",
    ] {
        assert_eq!(findings_of(calm_but_loud, Category::Tone), Vec::<String>::new(), "{calm_but_loud}");
    }
    let severity =
        |text: &str| checker.check(text).into_iter().find(|f| f.rule == "insult-aimed-at-someone").map(|f| f.severity);
    let quiet = severity("@bob you're an idiot").expect("an aimed insult warns");
    let loud = severity("@bob you're an idiot!!! YOU ARE SO WRONG").expect("an aimed insult warns");
    assert!(loud > quiet, "shouting raises {quiet:?} to {loud:?}");
}
