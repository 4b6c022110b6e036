//! The posts the benchmarks check, generated deterministically so that every run (criterion
//! natively, `cargo xtask bench` through the WebAssembly module) measures the same text.
//!
//! Shared by `crate/benches/check.rs` and `xtask/src/bench.rs` (included by path).

/// Post lengths in characters: a tweet, a long post, an article, a pasted chapter, a book.
pub const SIZES: [usize; 5] = [280, 2_000, 10_000, 100_000, 1_000_000];

/// Kinds of text: realistic posts, and inputs chosen to stress one part of the engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Clean clinical prose with nothing to find: most posts.
    Clean,
    /// Clean clinical prose mixed with sentences that carry findings of every category.
    Realistic,
    /// Long runs of digits (record and health numbers, phone and date patterns).
    Digits,
    /// Capitalised words back to back (name patterns).
    Capitals,
    /// Emoji with joiners and variation selectors (folding and UTF-16 offsets).
    Emoji,
}

impl Kind {
    pub const ALL: [Kind; 5] = [Kind::Clean, Kind::Realistic, Kind::Digits, Kind::Capitals, Kind::Emoji];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Clean => "clean",
            Kind::Realistic => "realistic",
            Kind::Digits => "digits",
            Kind::Capitals => "capitals",
            Kind::Emoji => "emoji",
        }
    }
}

const CLEAN: &[&str] = &[
    "Flu vaccines are free for over-65s this winter.",
    "Great teaching session on sepsis recognition with the junior doctors today.",
    "Reminder that hand hygiene is the cheapest intervention we have.",
    "Our department is recruiting two registrars; applications close Friday.",
    "Interesting paper on early mobilisation after hip fracture surgery in this month's journal.",
    "If you have chest pain that does not settle, call an ambulance rather than driving yourself.",
    "Proud of the nursing team for another busy weekend handled with calm and kindness.",
    "Thinking about how we explain uncertainty to families without sounding evasive.",
    "The new guideline on asthma inhaler technique is worth ten minutes of anyone's time.",
    "Night shifts are easier with good handover notes and a decent coffee.",
];

const FINDINGS: &[&str] = &[
    "Saw Mr Robert Haines, MRN 4829137, in ED.",
    "Honestly @DrSmith you're an absolute idiot.",
    "Loving GlowLab serum, use code GLOW20 for 20% off!",
    "84F in bed 12 on Ward 7 with a rare presentation this morning.",
    "Her NHS number 943 476 5919 was on the referral.",
    "Call her daughter on 0412 345 678 after the round.",
];

const CAPITALS: &[&str] =
    &["Robert", "Haines", "Mary", "Smith", "Ward", "Jones", "Auckland", "City", "Hospital", "Tuesday"];
const EMOJI: &[&str] = &["😀", "🏥", "👩‍⚕️", "❤️", "👍🏽", "🩺"];

/// A text of `kind` with exactly `chars` characters.
pub fn text(kind: Kind, chars: usize) -> String {
    let mut rng = Rng(0x5EC0_4D0F_1A10_0001 ^ chars as u64);
    let mut out = String::new();
    let mut count = 0;
    while count < chars {
        let piece: String = match kind {
            Kind::Clean => format!("{}{}", CLEAN[rng.below(CLEAN.len())], if rng.below(8) == 0 { "\n\n" } else { " " }),
            Kind::Realistic => {
                // About one sentence in four carries a finding; a paragraph break now and then.
                let sentence =
                    if rng.below(4) == 0 { FINDINGS[rng.below(FINDINGS.len())] } else { CLEAN[rng.below(CLEAN.len())] };
                let gap = if rng.below(8) == 0 { "\n\n" } else { " " };
                format!("{sentence}{gap}")
            }
            // Runs from 4 to 4,000 digits, some with the spaces health numbers are written with.
            Kind::Digits => {
                let len = 4 + rng.below(4_000);
                let mut run: String = (0..len).map(|i| char::from(b'0' + ((i * 7 + len) % 10) as u8)).collect();
                if rng.below(2) == 0 {
                    run = run
                        .as_bytes()
                        .chunks(3)
                        .map(|c| std::str::from_utf8(c).unwrap_or_default())
                        .collect::<Vec<_>>()
                        .join(" ");
                }
                format!("{run} ")
            }
            Kind::Capitals => format!("{} ", CAPITALS[rng.below(CAPITALS.len())]),
            Kind::Emoji => format!("{}{}", EMOJI[rng.below(EMOJI.len())], if rng.below(3) == 0 { " " } else { "" }),
        };
        count += piece.chars().count();
        out.push_str(&piece);
    }
    out.chars().take(chars).collect()
}

/// xorshift64*: small, deterministic, good enough to vary the text.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }
}
