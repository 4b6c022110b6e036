//! The sections of the AMA/NZMA guide "A guide to social media & medical professionalism"
//! that rules cite. Titles are the guide's own headings, shortened.

/// The heading of guide section `n` (1–7), or an empty string for an unknown section.
pub fn title(n: u8) -> &'static str {
    match n {
        1 => "You're always a doctor",
        2 => "Confidentiality matters, and identifiers are everywhere",
        3 => "Consider who you friend or share information with",
        4 => "Maintaining your professional reputation online",
        5 => "You are responsible for your advertising",
        6 => "Managing negative patient comments online",
        7 => "Using social media for advocacy",
        _ => "",
    }
}

/// The section number as the guide prints it ("02").
pub fn number(n: u8) -> String {
    format!("{n:02}")
}
