//! IPTC IIM records, as JPEG files carry them inside a Photoshop "image resource" block (APP13,
//! resource 0x0404). Each dataset is 0x1C, record, dataset number, a 16-bit length and the
//! value; only the application record (2) holds captions, names and places.

use super::{bytes, Found};
use crate::schema::ImageKind;

/// The APP13 payload's signature.
pub const PHOTOSHOP: &[u8] = b"Photoshop 3.0\0";

/// Reads the IPTC datasets of a Photoshop resource block (the APP13 payload after its signature).
pub fn read_photoshop(resources: &[u8], found: &mut Found) -> Result<(), String> {
    let mut at = 0;
    while at + 12 <= resources.len() {
        let sig = &resources[at..at + 4];
        if !matches!(sig, b"8BIM" | b"MeSa" | b"PHUT" | b"AgHg" | b"DCSR") {
            return Err("Photoshop block with a bad resource signature".into());
        }
        let id = bytes::u16_be(resources, at + 4).ok_or("Photoshop block cut short")?;
        let name_len = usize::from(*resources.get(at + 6).ok_or("Photoshop block cut short")?);
        // The name is a Pascal string padded to an even length, counting its length byte.
        let size_at = at + 6 + ((name_len + 2) & !1);
        let size = bytes::u32_be(resources, size_at).ok_or("Photoshop block cut short")? as usize;
        let data = bytes::slice(resources, size_at + 4, size).ok_or("Photoshop resource runs past its block")?;
        if id == 0x0404 {
            read_iim(data, found);
        }
        at = size_at + 4 + size + (size & 1);
    }
    Ok(())
}

/// Reads IIM datasets until the data ends or stops making sense.
fn read_iim(data: &[u8], found: &mut Found) {
    let mut at = 0;
    while at + 5 <= data.len() && data[at] == 0x1C {
        let (record, dataset) = (data[at + 1], data[at + 2]);
        let Some(len) = bytes::u16_be(data, at + 3) else { return };
        if len & 0x8000 != 0 {
            return; // extended lengths are only used for binary previews
        }
        let Some(value) = bytes::slice(data, at + 5, usize::from(len)) else { return };
        if record == 2 {
            if let Some((kind, name)) = dataset_kind(dataset) {
                found.add(kind, format!("IPTC {name}"), &String::from_utf8_lossy(value));
            }
        }
        at += 5 + usize::from(len);
    }
}

fn dataset_kind(dataset: u8) -> Option<(ImageKind, &'static str)> {
    Some(match dataset {
        5 => (ImageKind::Text, "ObjectName"),
        25 => (ImageKind::Text, "Keywords"),
        55 => (ImageKind::CaptureTime, "DateCreated"),
        80 => (ImageKind::Person, "By-line"),
        90 => (ImageKind::Location, "City"),
        92 => (ImageKind::Location, "Sublocation"),
        95 => (ImageKind::Location, "Province-State"),
        101 => (ImageKind::Location, "Country"),
        105 => (ImageKind::Text, "Headline"),
        110 => (ImageKind::Person, "Credit"),
        116 => (ImageKind::Person, "CopyrightNotice"),
        120 => (ImageKind::Text, "Caption-Abstract"),
        122 => (ImageKind::Person, "Writer-Editor"),
        _ => return None,
    })
}
