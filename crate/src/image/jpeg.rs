//! JPEG: a sequence of marker segments (0xFF, a marker byte, a 16-bit length, the payload),
//! with entropy-coded image data after each start-of-scan segment.
//!
//! Metadata lives in application segments: APP1 holds EXIF ("Exif\0\0") or XMP (Adobe's
//! namespace URI), APP13 holds Photoshop resources with IPTC, COM is a free-text comment.

use super::{bytes, iptc, kept_orientation, orientation_only_exif, tiff, xmp, Found, MAX_PARTS};
use crate::schema::ImageKind;
use std::ops::Range;

const EXIF: &[u8] = b"Exif\0\0";
const XMP: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
const XMP_EXTENDED: &[u8] = b"http://ns.adobe.com/xmp/extension/\0";
const ICC: &[u8] = b"ICC_PROFILE\0";

const SOS: u8 = 0xDA;
const EOI: u8 = 0xD9;
const APP0: u8 = 0xE0;
const APP1: u8 = 0xE1;
const APP2: u8 = 0xE2;
const APP13: u8 = 0xED;
const APP14: u8 = 0xEE;
const COM: u8 = 0xFE;

/// A piece of the file, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// A marker segment: its marker byte, its whole extent and its payload.
    Segment { marker: u8, whole: Range<usize>, payload: Range<usize> },
    /// A marker without a payload (SOI, RSTn, EOI).
    Marker { marker: u8, whole: Range<usize> },
    /// Entropy-coded image data after a start-of-scan segment.
    Scan(Range<usize>),
    /// Bytes after the end-of-image marker.
    Trailer(Range<usize>),
}

/// Splits a JPEG into its parts. On damage, returns the parts read so far and why it stopped.
pub fn parts(data: &[u8]) -> (Vec<Part>, Option<String>) {
    let mut parts = vec![Part::Marker { marker: 0xD8, whole: 0..2 }];
    let mut at = 2;
    loop {
        if at >= data.len() {
            return (parts, Some("it ends before the end-of-image marker".into()));
        }
        if parts.len() >= MAX_PARTS {
            return (parts, Some("it has too many segments".into()));
        }
        if data[at] != 0xFF {
            return (parts, Some(format!("no marker where one was expected (offset {at})")));
        }
        let start = at;
        while data.get(at) == Some(&0xFF) {
            at += 1; // fill bytes
        }
        let Some(&marker) = data.get(at) else {
            return (parts, Some("it ends inside a marker".into()));
        };
        at += 1;
        if marker == EOI {
            parts.push(Part::Marker { marker, whole: start..at });
            if at < data.len() {
                parts.push(Part::Trailer(at..data.len()));
            }
            return (parts, None);
        }
        if matches!(marker, 0x01 | 0xD0..=0xD8) {
            parts.push(Part::Marker { marker, whole: start..at });
            continue;
        }
        let Some(len) = bytes::u16_be(data, at).map(usize::from).filter(|&l| l >= 2) else {
            return (parts, Some(format!("a segment length is missing or wrong (offset {at})")));
        };
        let end = at + len;
        if end > data.len() {
            return (parts, Some(format!("a segment runs past the end of the file (offset {start})")));
        }
        parts.push(Part::Segment { marker, whole: start..end, payload: at + 2..end });
        at = end;
        if marker == SOS {
            // Image data runs to the next marker that is not a stuffed 0xFF00 or a restart marker.
            let scan_start = at;
            let mut i = at;
            loop {
                match data.get(i..i + 2) {
                    None => return (parts, Some("it ends inside the image data".into())),
                    Some([0xFF, next]) if *next != 0 && !(0xD0..=0xD7).contains(next) => break,
                    _ => i += 1,
                }
            }
            parts.push(Part::Scan(scan_start..i));
            at = i;
        }
    }
}

pub fn read(data: &[u8], found: &mut Found) -> Result<(), String> {
    let (parts, damage) = parts(data);
    for part in &parts {
        match part {
            Part::Segment { marker, payload, .. } => read_segment(*marker, &data[payload.clone()], found),
            Part::Trailer(range) => found.note(format!(
                "{} bytes after the end of the picture (often a second picture or a motion-photo video) were not checked; the copy without metadata leaves them out.",
                range.len()
            )),
            _ => {}
        }
    }
    damage.map_or(Ok(()), Err)
}

fn read_segment(marker: u8, payload: &[u8], found: &mut Found) {
    let result = match marker {
        APP1 if payload.starts_with(EXIF) => tiff::read(&payload[EXIF.len()..], "EXIF", found),
        APP1 if payload.starts_with(XMP) => {
            xmp::read(&payload[XMP.len()..], found);
            Ok(())
        }
        APP1 if payload.starts_with(XMP_EXTENDED) => {
            // A GUID (32 bytes), the full length and this part's offset (4 bytes each), then XML.
            xmp::read(payload.get(XMP_EXTENDED.len() + 40..).unwrap_or_default(), found);
            Ok(())
        }
        APP13 if payload.starts_with(iptc::PHOTOSHOP) => iptc::read_photoshop(&payload[iptc::PHOTOSHOP.len()..], found),
        COM => {
            found.add(ImageKind::Text, "JPEG comment".into(), &String::from_utf8_lossy(payload));
            Ok(())
        }
        _ => Ok(()),
    };
    if let Err(why) = result {
        found.note(format!("Part of the metadata could not be read: {why}."));
    }
}

/// Whether a segment is kept in the clean copy: everything but metadata. Of the application
/// segments only those that change how the picture looks stay: JFIF (APP0), the ICC colour
/// profile (APP2) and Adobe's colour transform flag (APP14).
fn keep(marker: u8, payload: &[u8]) -> bool {
    match marker {
        APP0 => payload.starts_with(b"JFIF\0") || payload.starts_with(b"JFXX\0"),
        APP2 => payload.starts_with(ICC),
        APP14 => payload.starts_with(b"Adobe"),
        0xE3..=0xEF | APP1 | COM => false,
        _ => true,
    }
}

pub fn strip(data: &[u8]) -> Result<Vec<u8>, String> {
    let (parts, damage) = parts(data);
    if let Some(why) = damage {
        return Err(why);
    }
    let orientation = parts.iter().find_map(|p| match p {
        Part::Segment { marker: APP1, payload, .. } if data[payload.clone()].starts_with(EXIF) => {
            kept_orientation(&data[payload.start + EXIF.len()..payload.end])
        }
        _ => None,
    });
    let mut out = Vec::with_capacity(data.len());
    let mut orientation_written = false;
    for part in &parts {
        match part {
            Part::Marker { whole, .. } | Part::Scan(whole) => out.extend_from_slice(&data[whole.clone()]),
            Part::Segment { marker, whole, payload } => {
                if keep(*marker, &data[payload.clone()]) {
                    // The orientation block goes after SOI and any JFIF segment, before the rest.
                    if !orientation_written && *marker != APP0 {
                        write_orientation(&mut out, orientation);
                        orientation_written = true;
                    }
                    out.extend_from_slice(&data[whole.clone()]);
                }
            }
            Part::Trailer(_) => {}
        }
    }
    Ok(out)
}

fn write_orientation(out: &mut Vec<u8>, orientation: Option<u16>) {
    if let Some(o) = orientation {
        let tiff = orientation_only_exif(o);
        out.extend_from_slice(&[0xFF, APP1]);
        out.extend_from_slice(&((2 + EXIF.len() + tiff.len()) as u16).to_be_bytes());
        out.extend_from_slice(EXIF);
        out.extend_from_slice(&tiff);
    }
}
