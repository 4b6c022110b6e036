//! Photos being attached: what their metadata says about where, when, with what and by whom
//! they were taken, and a copy with that metadata removed.
//!
//! Guide §02 warns that a patient or a place can be identified "from information that remains
//! ... in the metadata of an image". This module reads the metadata blocks of JPEG, PNG, WebP
//! and HEIC/HEIF/AVIF files (EXIF, XMP, IPTC, comments and text chunks) with small, bounds-checked
//! parsers of its own: every offset is checked, every loop advances or is capped, and a file
//! larger than [`MAX_IMAGE_BYTES`] is not read at all. A damaged file gives a "could not read"
//! note, never a panic or a hang (`crate/fuzz` runs the reader and the stripper on random input).
//!
//! The details found become findings of the image rules (`rules/40-image.toml`); captions,
//! comments, keywords and the file name also go through the text rules, so a record number in a
//! caption is reported like one in a post, naming the field it was found in.

mod heif;
mod iptc;
mod jpeg;
mod png;
mod tiff;
mod webp;
mod xmp;

use crate::schema::{Category, ImageKind, Severity};
use crate::Checker;
use serde::Serialize;
use std::fmt;

/// Larger files are not read: no phone photo comes near it, and the extension sends the file
/// to its background as base64 through the browser's messaging, which is capped at 64 MiB.
pub const MAX_IMAGE_BYTES: usize = 32 * 1024 * 1024;

/// A metadata text field longer than this is cut before it is checked or shown.
const MAX_FIELD_CHARS: usize = 2000;

/// At most this many details are kept from one file: a crafted file cannot flood the report.
const MAX_ITEMS: usize = 200;

/// Most segments, chunks or boxes one file may have: real files have a few hundred at most
/// (PNG's image data chunks are the most numerous); a crafted file of empty ones stops here
/// instead of filling memory with their list.
pub(crate) const MAX_PARTS: usize = 200_000;

/// The image formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Jpeg,
    Png,
    Webp,
    Heif,
}

impl Format {
    /// Recognises a format by its first bytes (the file name and type are not trusted).
    pub fn sniff(data: &[u8]) -> Option<Format> {
        if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Format::Jpeg)
        } else if data.starts_with(png::SIGNATURE) {
            Some(Format::Png)
        } else if data.len() >= 12 && &data[..4] == b"RIFF" && &data[8..12] == b"WEBP" {
            Some(Format::Webp)
        } else if heif::is_heif(data) {
            Some(Format::Heif)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::Webp => "WebP",
            Format::Heif => "HEIF",
        }
    }
}

/// Why an image could not be read or cleaned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageError {
    TooLarge {
        bytes: usize,
    },
    NotAnImage,
    /// The file is damaged or cut short; the text says where.
    Malformed(String),
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageError::TooLarge { bytes } => {
                let tenths = bytes / (1_048_576 / 10);
                write!(
                    f,
                    "the file is {}.{} MB; files over {} MB are not checked",
                    tenths / 10,
                    tenths % 10,
                    MAX_IMAGE_BYTES / 1_048_576
                )
            }
            ImageError::NotAnImage => write!(f, "not a JPEG, PNG, WebP or HEIC/HEIF image"),
            ImageError::Malformed(why) => write!(f, "the file is damaged: {why}"),
        }
    }
}

impl std::error::Error for ImageError {}

/// What reading the file gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageStatus {
    /// Every metadata block was read.
    Read,
    /// The file is damaged; what could be read before the damage is reported.
    Partial,
    /// Nothing could be read (not an image, or damaged from the start).
    Unreadable,
    /// Larger than [`MAX_IMAGE_BYTES`]; not read.
    Skipped,
}

/// One warning about an image: the rule, the field of the file it came from and what it says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageFinding {
    pub rule: String,
    pub title: String,
    pub category: Category,
    pub severity: Severity,
    /// Where in the file, e.g. "EXIF GPS", "XMP dc:description", "file name".
    pub field: String,
    /// What was found there, as text (coordinates, a date, the flagged words of a caption).
    pub text: String,
    pub section: String,
    pub section_title: String,
    pub message: String,
    pub tip: String,
    pub instead: String,
}

/// The result of checking an image.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageReport {
    pub format: Option<Format>,
    pub status: ImageStatus,
    pub findings: Vec<ImageFinding>,
    /// Plain-language notes that are not findings: why the file could not be read, parts not
    /// read (compressed text), what the clean copy will keep.
    pub notes: Vec<String>,
}

/// One detail read from the metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item {
    pub kind: ImageKind,
    pub field: String,
    pub value: String,
}

/// What the format readers collect.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub items: Vec<Item>,
    pub notes: Vec<String>,
    /// The EXIF orientation (1–8), which the clean copy keeps because it changes how the
    /// picture is shown.
    pub orientation: Option<u16>,
}

impl Found {
    pub fn add(&mut self, kind: ImageKind, field: String, value: &str) {
        let value = clean_text(value);
        if value.is_empty() || self.items.len() >= MAX_ITEMS {
            return;
        }
        if !self.items.iter().any(|i| i.kind == kind && i.field == field && i.value == value) {
            self.items.push(Item { kind, field, value });
        }
    }

    pub fn note(&mut self, note: String) {
        if self.notes.len() < 20 && !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }
}

/// Trims, drops control characters and cuts to [`MAX_FIELD_CHARS`].
fn clean_text(value: &str) -> String {
    let text: String = value.chars().map(|c| if c.is_control() { ' ' } else { c }).take(MAX_FIELD_CHARS).collect();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads every metadata block of a file. `Err` means the container itself could not be walked
/// to its end; what was found before that is still in `found`.
pub(crate) fn read_metadata(data: &[u8]) -> Result<(Format, Found, Option<String>), ImageError> {
    if data.len() > MAX_IMAGE_BYTES {
        return Err(ImageError::TooLarge { bytes: data.len() });
    }
    let format = Format::sniff(data).ok_or(ImageError::NotAnImage)?;
    let mut found = Found::default();
    let result = match format {
        Format::Jpeg => jpeg::read(data, &mut found),
        Format::Png => png::read(data, &mut found),
        Format::Webp => webp::read(data, &mut found),
        Format::Heif => heif::read(data, &mut found),
    };
    Ok((format, found, result.err()))
}

/// A copy of the image with its metadata removed and its image data byte for byte the same.
///
/// Removed: EXIF, XMP, IPTC/Photoshop blocks, comments and text chunks, PNG times, and data
/// after the end of the image (such as a second picture or a motion-photo video). Kept: the
/// image data and what changes how it is drawn (JPEG's JFIF and Adobe markers, ICC colour
/// profiles, PNG colour chunks). A non-default EXIF orientation is written back as a
/// one-tag EXIF block, so the picture is not shown on its side. HEIF files keep their layout:
/// the EXIF and XMP items are overwritten in place with empty ones of the same size, so every
/// offset in the file stays valid.
pub fn strip_metadata(data: &[u8]) -> Result<Vec<u8>, ImageError> {
    if data.len() > MAX_IMAGE_BYTES {
        return Err(ImageError::TooLarge { bytes: data.len() });
    }
    let format = Format::sniff(data).ok_or(ImageError::NotAnImage)?;
    let result = match format {
        Format::Jpeg => jpeg::strip(data),
        Format::Png => png::strip(data),
        Format::Webp => webp::strip(data),
        Format::Heif => heif::strip(data),
    };
    result.map_err(ImageError::Malformed)
}

impl Checker {
    /// Checks an image being attached: its metadata under the image rules, and its text fields
    /// and file name under the text rules. Settings apply as for posts (rules and categories
    /// switched off report nothing).
    pub fn check_image(&self, data: &[u8], file_name: &str) -> ImageReport {
        let mut report =
            ImageReport { format: None, status: ImageStatus::Read, findings: Vec::new(), notes: Vec::new() };
        let mut found = Found::default();
        match read_metadata(data) {
            Ok((format, f, damage)) => {
                report.format = Some(format);
                found = f;
                if let Some(why) = damage {
                    let read_any = !found.items.is_empty();
                    report.status = if read_any { ImageStatus::Partial } else { ImageStatus::Unreadable };
                    report.notes.push(if read_any {
                        format!("The file is damaged ({why}); only part of it could be read.")
                    } else {
                        format!("Could not read this image: the file is damaged ({why}).")
                    });
                }
            }
            Err(e @ ImageError::TooLarge { .. }) => {
                report.status = ImageStatus::Skipped;
                report.notes.push(format!("Not checked: {e}."));
            }
            Err(e) => {
                report.status = ImageStatus::Unreadable;
                report.notes.push(format!("Could not read this image: {e}."));
            }
        }
        report.notes.append(&mut found.notes);
        let name = clean_text(file_name);
        if !name.is_empty() {
            self.add_text_findings(&mut report, "file name", &name);
        }
        for item in &found.items {
            if item.kind == ImageKind::Text && self.add_text_findings(&mut report, &item.field, &item.value) {
                continue; // the text rules' findings say more than "there is a caption"
            }
            if let Some(rule) = self.image_rule(item.kind) {
                push_merged(&mut report.findings, finding(rule, &item.field, &item.value));
            }
        }
        // Most serious first (the sort is stable: otherwise in the order the file holds them).
        report.findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
        report
    }

    /// Adds the text rules' findings for one field; returns whether there were any.
    fn add_text_findings(&self, report: &mut ImageReport, field: &str, text: &str) -> bool {
        let findings = self.check(text);
        let any = !findings.is_empty();
        for f in findings {
            push_merged(
                &mut report.findings,
                ImageFinding {
                    rule: f.rule,
                    title: f.title,
                    category: f.category,
                    severity: f.severity,
                    field: field.to_owned(),
                    text: f.text,
                    section: f.section,
                    section_title: f.section_title,
                    message: f.message,
                    tip: f.tip,
                    instead: f.instead,
                },
            );
        }
        any
    }
}

fn finding(rule: &crate::RuleInfo, field: &str, text: &str) -> ImageFinding {
    ImageFinding {
        rule: rule.id.clone(),
        title: rule.title.clone(),
        category: rule.category,
        severity: rule.severity,
        field: field.to_owned(),
        text: text.to_owned(),
        section: rule.section.clone(),
        section_title: rule.section_title.clone(),
        message: rule.message.clone(),
        tip: rule.tip.clone(),
        instead: rule.instead.clone(),
    }
}

/// The same words found by the same rule in several fields (EXIF and XMP often repeat each
/// other) are one finding naming every field.
fn push_merged(findings: &mut Vec<ImageFinding>, new: ImageFinding) {
    let room = findings.len() < MAX_ITEMS;
    match findings.iter_mut().find(|f| f.rule == new.rule && f.text == new.text) {
        Some(f) if !f.field.split(", ").any(|x| x == new.field) => {
            f.field = format!("{}, {}", f.field, new.field);
        }
        Some(_) => {}
        None if room => findings.push(new),
        None => {}
    }
}

/// Bounds-checked reads shared by the format readers: `None` past the end, never a panic.
pub(crate) mod bytes {
    use std::ops::Range;

    /// A tagged chunk of a PNG or RIFF (WebP) file: its four-letter kind, the whole chunk with
    /// header (and CRC or padding), and its payload, as ranges of the file.
    pub struct Chunk {
        pub kind: [u8; 4],
        pub whole: Range<usize>,
        pub data: Range<usize>,
    }

    pub fn u16_be(d: &[u8], at: usize) -> Option<u16> {
        Some(u16::from_be_bytes(d.get(at..at.checked_add(2)?)?.try_into().ok()?))
    }
    pub fn u32_be(d: &[u8], at: usize) -> Option<u32> {
        Some(u32::from_be_bytes(d.get(at..at.checked_add(4)?)?.try_into().ok()?))
    }
    pub fn u64_be(d: &[u8], at: usize) -> Option<u64> {
        Some(u64::from_be_bytes(d.get(at..at.checked_add(8)?)?.try_into().ok()?))
    }
    pub fn u32_le(d: &[u8], at: usize) -> Option<u32> {
        Some(u32::from_le_bytes(d.get(at..at.checked_add(4)?)?.try_into().ok()?))
    }
    /// `len` bytes at `at`.
    pub fn slice(d: &[u8], at: usize, len: usize) -> Option<&[u8]> {
        d.get(at..at.checked_add(len)?)
    }
    /// Text up to the first NUL (or the end), decoded as UTF-8 with bad bytes replaced.
    pub fn c_string(d: &[u8]) -> (String, usize) {
        let end = d.iter().position(|&b| b == 0).unwrap_or(d.len());
        (String::from_utf8_lossy(&d[..end]).into_owned(), (end + 1).min(d.len()))
    }
}

/// Coordinates are computed in hundred-millionths of a degree, in integers: floating-point
/// parsing and formatting would add more code to the WebAssembly than this whole module.
pub(crate) const PER_DEGREE: u64 = 100_000_000;

/// "36.84850° S": degrees (in [`PER_DEGREE`] units) rounded to five decimals, with the
/// hemisphere. `None` past 180°.
pub(crate) fn format_degrees(value: u64, hemisphere: char) -> Option<String> {
    if value > 180 * PER_DEGREE {
        return None;
    }
    let rounded = (value + 500) / 1000;
    Some(format!("{}.{:05}° {hemisphere}", rounded / 100_000, rounded % 100_000))
}

/// The minimal EXIF block (a TIFF header and one entry) that keeps a picture's orientation in
/// the clean copy: nothing else.
pub(crate) fn orientation_only_exif(orientation: u16) -> Vec<u8> {
    let mut t = Vec::with_capacity(26);
    t.extend_from_slice(b"MM\0*");
    t.extend_from_slice(&8u32.to_be_bytes());
    t.extend_from_slice(&1u16.to_be_bytes());
    t.extend_from_slice(&tiff::ORIENTATION.to_be_bytes());
    t.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    t.extend_from_slice(&1u32.to_be_bytes());
    t.extend_from_slice(&orientation.to_be_bytes());
    t.extend_from_slice(&[0, 0]);
    t.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    t
}

/// The orientation worth keeping: 2–8 (1 is the default and needs no block).
pub(crate) fn kept_orientation(exif: &[u8]) -> Option<u16> {
    tiff::orientation(exif).filter(|o| (2..=8).contains(o))
}

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod tests;
