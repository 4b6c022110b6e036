//! WebP: a RIFF file ("RIFF", size, "WEBP") of chunks (4-letter type, 32-bit little-endian
//! size, data padded to an even length). In the extended format a VP8X chunk's flags say
//! whether EXIF and XMP chunks follow; removing them means clearing those flags and fixing the
//! RIFF size.

use super::{bytes, kept_orientation, orientation_only_exif, tiff, xmp, Found, MAX_PARTS};
use bytes::Chunk;

const EXIF_FLAG: u8 = 0x08;
const XMP_FLAG: u8 = 0x04;

/// The chunks inside the RIFF container. On damage, those read so far and why it stopped.
fn chunks(data: &[u8]) -> (Vec<Chunk>, Option<String>) {
    let mut out = Vec::new();
    let riff_end = bytes::u32_le(data, 4).map_or(0, |s| (s as usize).saturating_add(8));
    let (end, mut damage) = if riff_end > data.len() {
        (data.len(), Some("it is shorter than its header says".to_owned()))
    } else {
        (riff_end, None)
    };
    let mut at = 12;
    while at < end {
        if out.len() >= MAX_PARTS {
            damage = Some("it has too many chunks".into());
            break;
        }
        let (Some(kind), Some(size)) = (bytes::slice(data, at, 4), bytes::u32_le(data, at + 4)) else {
            damage = Some(format!("a chunk header is cut short (offset {at})"));
            break;
        };
        let size = size as usize;
        let Some(data_end) = (at + 8).checked_add(size).filter(|&e| e <= end) else {
            damage = Some(format!("a chunk runs past the end of the file (offset {at})"));
            break;
        };
        let padded = (data_end + (size & 1)).min(end);
        out.push(Chunk { kind: kind.try_into().unwrap_or_default(), whole: at..padded, data: at + 8..data_end });
        at = padded;
    }
    (out, damage)
}

/// Some writers put "Exif\0\0" before the TIFF header, as in JPEG.
fn tiff_of(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"Exif\0\0".as_slice()).unwrap_or(body)
}

pub fn read(data: &[u8], found: &mut Found) -> Result<(), String> {
    let (chunks, damage) = chunks(data);
    for chunk in &chunks {
        let body = &data[chunk.data.clone()];
        match &chunk.kind {
            b"EXIF" => {
                if let Err(why) = tiff::read(tiff_of(body), "EXIF", found) {
                    found.note(format!("Part of the metadata could not be read: {why}."));
                }
            }
            b"XMP " => xmp::read(body, found),
            _ => {}
        }
    }
    damage.map_or(Ok(()), Err)
}

pub fn strip(data: &[u8]) -> Result<Vec<u8>, String> {
    let (chunks, damage) = chunks(data);
    if let Some(why) = damage {
        return Err(why);
    }
    let orientation =
        chunks.iter().find(|c| &c.kind == b"EXIF").and_then(|c| kept_orientation(tiff_of(&data[c.data.clone()])));
    let extended = chunks.first().is_some_and(|c| &c.kind == b"VP8X");
    let mut out = Vec::with_capacity(data.len());
    out.extend_from_slice(&data[..12]);
    for chunk in &chunks {
        match &chunk.kind {
            b"EXIF" | b"XMP " => {}
            b"VP8X" => {
                let start = out.len();
                out.extend_from_slice(&data[chunk.whole.clone()]);
                if let Some(flags) = out.get_mut(start + 8) {
                    *flags &= !(EXIF_FLAG | XMP_FLAG);
                    if orientation.is_some() {
                        *flags |= EXIF_FLAG;
                    }
                }
            }
            _ => out.extend_from_slice(&data[chunk.whole.clone()]),
        }
    }
    // The extended format puts EXIF after the image data; the simple format has no place for it.
    if let Some(o) = orientation.filter(|_| extended) {
        let tiff = orientation_only_exif(o);
        out.extend_from_slice(b"EXIF");
        out.extend_from_slice(&(tiff.len() as u32).to_le_bytes());
        out.extend_from_slice(&tiff);
        if tiff.len() % 2 == 1 {
            out.push(0);
        }
    }
    let riff_size = u32::try_from(out.len() - 8).map_err(|_| "file too large")?;
    out[4..8].copy_from_slice(&riff_size.to_le_bytes());
    Ok(out)
}
