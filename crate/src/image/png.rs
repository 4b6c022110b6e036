//! PNG: an 8-byte signature, then chunks (32-bit length, 4-letter type, data, CRC) up to IEND.
//!
//! Metadata chunks: tEXt (Latin-1 keyword and text), iTXt (UTF-8, possibly compressed; XMP is
//! stored as iTXt "XML:com.adobe.xmp"), zTXt (always compressed), eXIf (EXIF) and tIME (when
//! the image was last changed). Compressed text is not inflated — that would need a
//! decompressor in the extension for a rare case — and is reported as present but unread.

use super::{bytes, kept_orientation, orientation_only_exif, tiff, xmp, Found, MAX_PARTS};
use crate::schema::ImageKind;
use bytes::Chunk;

pub const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The chunks up to IEND. On damage, the chunks read so far and why it stopped.
fn chunks(data: &[u8]) -> (Vec<Chunk>, Option<String>) {
    let mut out = Vec::new();
    let mut at = SIGNATURE.len();
    loop {
        if out.len() >= MAX_PARTS {
            return (out, Some("it has too many chunks".into()));
        }
        let (Some(len), Some(kind)) = (bytes::u32_be(data, at), bytes::slice(data, at + 4, 4)) else {
            return (out, Some("it ends before the IEND chunk".into()));
        };
        let len = len as usize;
        let Some(end) = (at + 12).checked_add(len).filter(|&e| e <= data.len()) else {
            return (out, Some(format!("a chunk runs past the end of the file (offset {at})")));
        };
        let kind: [u8; 4] = kind.try_into().unwrap_or_default();
        out.push(Chunk { kind, whole: at..end, data: at + 8..end - 4 });
        if &kind == b"IEND" {
            return (out, None);
        }
        at = end;
    }
}

fn is_metadata(kind: &[u8; 4]) -> bool {
    matches!(kind, b"tEXt" | b"zTXt" | b"iTXt" | b"eXIf" | b"tIME")
}

pub fn read(data: &[u8], found: &mut Found) -> Result<(), String> {
    let (chunks, damage) = chunks(data);
    for chunk in &chunks {
        let body = &data[chunk.data.clone()];
        match &chunk.kind {
            b"tEXt" => {
                let (keyword, rest) = bytes::c_string(body);
                let text: String = body[rest..].iter().map(|&b| char::from(b)).collect(); // Latin-1
                found.add(text_kind(&keyword), format!("PNG text \"{keyword}\""), &text);
            }
            b"iTXt" => read_itxt(body, found),
            b"zTXt" => {
                let (keyword, _) = bytes::c_string(body);
                found.note(format!("The picture holds compressed text (\"{keyword}\") that was not read; the copy without metadata leaves it out."));
            }
            b"eXIf" => {
                if let Err(why) = tiff::read(body, "EXIF", found) {
                    found.note(format!("Part of the metadata could not be read: {why}."));
                }
            }
            b"tIME" if body.len() == 7 => {
                let year = bytes::u16_be(body, 0).unwrap_or_default();
                let t = format!("{year:04}-{:02}-{:02} {:02}:{:02}:{:02}", body[2], body[3], body[4], body[5], body[6]);
                found.add(ImageKind::CaptureTime, "PNG tIME (last changed)".into(), &t);
            }
            _ => {}
        }
    }
    damage.map_or(Ok(()), Err)
}

/// PNG's registered keywords that name a person; the rest are free text.
fn text_kind(keyword: &str) -> ImageKind {
    match keyword {
        "Author" | "Copyright" => ImageKind::Person,
        "Creation Time" => ImageKind::CaptureTime,
        _ => ImageKind::Text,
    }
}

/// keyword NUL, compression flag, method, language NUL, translated keyword NUL, text.
fn read_itxt(body: &[u8], found: &mut Found) {
    let (keyword, at) = bytes::c_string(body);
    let compressed = body.get(at).copied().unwrap_or(0) != 0;
    let rest = body.get(at + 2..).unwrap_or_default();
    let (_, lang_end) = bytes::c_string(rest);
    let rest = &rest[lang_end..];
    let (_, translated_end) = bytes::c_string(rest);
    let text = &rest[translated_end..];
    if compressed {
        found.note(format!("The picture holds compressed text (\"{keyword}\") that was not read; the copy without metadata leaves it out."));
    } else if keyword == "XML:com.adobe.xmp" {
        xmp::read(text, found);
    } else {
        found.add(text_kind(&keyword), format!("PNG text \"{keyword}\""), &String::from_utf8_lossy(text));
    }
}

pub fn strip(data: &[u8]) -> Result<Vec<u8>, String> {
    let (chunks, damage) = chunks(data);
    if let Some(why) = damage {
        return Err(why);
    }
    let mut orientation =
        chunks.iter().find(|c| &c.kind == b"eXIf").and_then(|c| kept_orientation(&data[c.data.clone()]));
    let mut out = Vec::with_capacity(data.len());
    out.extend_from_slice(SIGNATURE);
    for chunk in &chunks {
        if is_metadata(&chunk.kind) {
            continue;
        }
        if &chunk.kind == b"IDAT" || &chunk.kind == b"IEND" {
            // eXIf must come before the image data.
            if let Some(o) = orientation.take() {
                write_chunk(&mut out, b"eXIf", &orientation_only_exif(o));
            }
        }
        out.extend_from_slice(&data[chunk.whole.clone()]);
    }
    Ok(out)
}

pub(super) fn write_chunk(out: &mut Vec<u8>, kind: &[u8; 4], body: &[u8]) {
    out.extend_from_slice(&(body.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(body);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// The CRC-32 PNG uses (ISO 3309, reflected, polynomial 0xEDB88320), bit by bit: it only runs
/// over the one small chunk the stripper writes.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}
