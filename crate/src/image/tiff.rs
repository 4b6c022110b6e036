//! EXIF: a TIFF structure of image file directories (IFDs) — the main one, the Exif one and
//! the GPS one, each a list of 12-byte entries pointing to their values.
//!
//! Offsets in a crafted file can point anywhere, including back at a directory already read:
//! every offset is range-checked, each directory is read once (a visited list), and the number
//! of directories and of entries per directory is capped.

use super::{bytes, format_degrees, Found, PER_DEGREE};
use crate::schema::ImageKind;

pub const ORIENTATION: u16 = 0x0112;
const EXIF_IFD: u16 = 0x8769;
const GPS_IFD: u16 = 0x8825;

/// A file has at most a handful of directories (main, thumbnail, Exif, GPS, interoperability).
const MAX_IFDS: usize = 16;
const MAX_ENTRIES: u16 = 1000;
/// Values longer than this are not metadata anyone reads (maker notes, thumbnails): skipped.
const MAX_VALUE_BYTES: usize = 64 * 1024;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dir {
    Main,
    Exif,
    Gps,
}

/// A TIFF header's byte order and first directory.
struct Tiff<'a> {
    data: &'a [u8],
    big: bool,
}

impl<'a> Tiff<'a> {
    fn new(data: &'a [u8]) -> Result<(Tiff<'a>, u32), String> {
        let big = match data.get(..4) {
            Some(b"MM\0*") => true,
            Some(b"II*\0") => false,
            _ => return Err("EXIF block without a TIFF header".into()),
        };
        let t = Tiff { data, big };
        let first = t.u32(4).ok_or("EXIF block cut short")?;
        Ok((t, first))
    }

    fn u16(&self, at: usize) -> Option<u16> {
        let b: [u8; 2] = bytes::slice(self.data, at, 2)?.try_into().ok()?;
        Some(if self.big { u16::from_be_bytes(b) } else { u16::from_le_bytes(b) })
    }

    fn u32(&self, at: usize) -> Option<u32> {
        let b: [u8; 4] = bytes::slice(self.data, at, 4)?.try_into().ok()?;
        Some(if self.big { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
    }
}

/// One directory entry with its value's bytes (already range-checked).
struct Entry<'a> {
    tag: u16,
    kind: u16,
    count: u32,
    value: &'a [u8],
}

/// Bytes per value of each TIFF field type.
fn type_size(kind: u16) -> Option<usize> {
    Some(match kind {
        1 | 2 | 6 | 7 => 1,
        3 | 8 => 2,
        4 | 9 | 11 | 13 => 4,
        5 | 10 | 12 => 8,
        _ => return None,
    })
}

/// Walks every directory, calling `visit` with each readable entry. (`dyn`: one copy of the
/// walker in the WebAssembly, not one per caller.)
fn walk<'a>(data: &'a [u8], visit: &mut dyn FnMut(Dir, &Tiff<'a>, &Entry<'a>)) -> Result<(), String> {
    let (t, first) = Tiff::new(data)?;
    let mut queue = vec![(first, Dir::Main, true)];
    let mut visited: Vec<u32> = Vec::new();
    while let Some((offset, dir, follow_next)) = queue.pop() {
        if offset == 0 || visited.contains(&offset) {
            continue;
        }
        if visited.len() >= MAX_IFDS {
            return Err("too many EXIF directories".into());
        }
        visited.push(offset);
        let at = offset as usize;
        let count = t.u16(at).ok_or("EXIF directory offset out of range")?;
        if count > MAX_ENTRIES {
            return Err("EXIF directory with too many entries".into());
        }
        for i in 0..usize::from(count) {
            let e = at + 2 + 12 * i;
            let (Some(tag), Some(kind), Some(n)) = (t.u16(e), t.u16(e + 2), t.u32(e + 4)) else {
                return Err("EXIF directory cut short".into());
            };
            let Some(len) = type_size(kind).and_then(|s| s.checked_mul(n as usize)) else { continue };
            if len > MAX_VALUE_BYTES {
                continue;
            }
            let value = if len <= 4 {
                bytes::slice(data, e + 8, len)
            } else {
                t.u32(e + 8).and_then(|o| bytes::slice(data, o as usize, len))
            };
            let Some(value) = value else { continue }; // a value out of range is skipped, not fatal
            let entry = Entry { tag, kind, count: n, value };
            match (dir, tag) {
                (Dir::Main, EXIF_IFD) => queue.extend(t.u32(e + 8).map(|o| (o, Dir::Exif, false))),
                (Dir::Main, GPS_IFD) => queue.extend(t.u32(e + 8).map(|o| (o, Dir::Gps, false))),
                _ => visit(dir, &t, &entry),
            }
        }
        if follow_next {
            // The next directory in the main chain describes the thumbnail: read like the main one.
            if let Some(next) = t.u32(at + 2 + 12 * usize::from(count)) {
                queue.push((next, Dir::Main, true));
            }
        }
    }
    Ok(())
}

/// The orientation tag of the main directory, if readable.
pub fn orientation(data: &[u8]) -> Option<u16> {
    let mut found = None;
    let _ = walk(data, &mut |dir, t, e| {
        if dir == Dir::Main && e.tag == ORIENTATION && found.is_none() {
            found = number(t, e, 0).map(|v| v as u16);
        }
    });
    found
}

/// Reads the details that matter from an EXIF block into `found`, fields named with `source`.
pub fn read(data: &[u8], source: &str, found: &mut Found) -> Result<(), String> {
    let mut device: [Option<String>; 4] = Default::default(); // make, model, lens make, lens model
    let mut gps = Gps::default();
    let mut orientation = None;
    let result = walk(data, &mut |dir, t, e| match (dir, e.tag) {
        (Dir::Main, ORIENTATION) => orientation = orientation.or(number(t, e, 0).map(|v| v as u16)),
        (Dir::Main, 0x010F) => device[0] = device[0].take().or(Some(ascii(e.value))),
        (Dir::Main, 0x0110) => device[1] = device[1].take().or(Some(ascii(e.value))),
        (Dir::Exif, 0xA433) => device[2] = device[2].take().or(Some(ascii(e.value))),
        (Dir::Exif, 0xA434) => device[3] = device[3].take().or(Some(ascii(e.value))),
        (Dir::Gps, 1) => gps.lat_ref = Some(ascii(e.value)),
        (Dir::Gps, 2) => gps.lat = degrees(t, e),
        (Dir::Gps, 3) => gps.lon_ref = Some(ascii(e.value)),
        (Dir::Gps, 4) => gps.lon = degrees(t, e),
        _ => {
            if let Some(&(_, _, kind, name, how)) = TAGS.iter().find(|(d, tag, ..)| *d == dir && *tag == e.tag) {
                let value = match how {
                    Decode::Ascii => ascii(e.value),
                    Decode::Date => date(&ascii(e.value)),
                    Decode::Utf16 => utf16le(e.value),
                    Decode::Comment => user_comment(e.value, t.big),
                };
                found.add(kind, format!("{source} {name}"), &value);
            }
        }
    });
    found.orientation = found.orientation.or(orientation);
    if let Some(place) = gps.describe() {
        found.add(ImageKind::Location, format!("{source} GPS"), &place);
    }
    if let Some(d) = describe_device(&device) {
        found.add(ImageKind::Device, format!("{source} Make/Model"), &d);
    }
    result
}

/// How a tag's value is text.
#[derive(Clone, Copy)]
enum Decode {
    Ascii,
    /// ASCII "2024:05:01 14:32:10", shown as "2024-05-01 14:32:10".
    Date,
    /// Windows' XP* tags: UTF-16LE whatever the file's byte order.
    Utf16,
    /// UserComment: a character-code prefix, then the text.
    Comment,
}

/// The tags reported one by one: directory, tag, kind of detail, the name shown, decoding.
/// (Device names and GPS coordinates are put together from several tags in `read`.)
const TAGS: &[(Dir, u16, ImageKind, &str, Decode)] = &[
    (Dir::Main, 0x010E, ImageKind::Text, "ImageDescription", Decode::Ascii),
    (Dir::Main, 0x0132, ImageKind::CaptureTime, "DateTime", Decode::Date),
    (Dir::Main, 0x013B, ImageKind::Person, "Artist", Decode::Ascii),
    (Dir::Main, 0x8298, ImageKind::Person, "Copyright", Decode::Ascii),
    (Dir::Main, 0x9C9B, ImageKind::Text, "XPTitle", Decode::Utf16),
    (Dir::Main, 0x9C9C, ImageKind::Text, "XPComment", Decode::Utf16),
    (Dir::Main, 0x9C9D, ImageKind::Person, "XPAuthor", Decode::Utf16),
    (Dir::Main, 0x9C9E, ImageKind::Text, "XPKeywords", Decode::Utf16),
    (Dir::Main, 0x9C9F, ImageKind::Text, "XPSubject", Decode::Utf16),
    (Dir::Exif, 0x9003, ImageKind::CaptureTime, "DateTimeOriginal", Decode::Date),
    (Dir::Exif, 0x9004, ImageKind::CaptureTime, "DateTimeDigitized", Decode::Date),
    (Dir::Exif, 0x9286, ImageKind::Text, "UserComment", Decode::Comment),
    (Dir::Exif, 0xA420, ImageKind::DeviceSerial, "ImageUniqueID", Decode::Ascii),
    (Dir::Exif, 0xA430, ImageKind::Person, "CameraOwnerName", Decode::Ascii),
    (Dir::Exif, 0xA431, ImageKind::DeviceSerial, "BodySerialNumber", Decode::Ascii),
    (Dir::Exif, 0xA435, ImageKind::DeviceSerial, "LensSerialNumber", Decode::Ascii),
    (Dir::Gps, 29, ImageKind::CaptureTime, "GPSDateStamp", Decode::Date),
];

/// "Apple iPhone 15 Pro (lens: iPhone 15 Pro back camera)", without repeating the maker.
fn describe_device([make, model, lens_make, lens_model]: &[Option<String>; 4]) -> Option<String> {
    let clean = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    let (make, model, lens) = (clean(make), clean(model), clean(lens_model).or(clean(lens_make)));
    let repeats = |model: &str, make: &str| model.get(..make.len()).is_some_and(|m| m.eq_ignore_ascii_case(make));
    let body = match (make, model) {
        (Some(make), Some(model)) if repeats(&model, &make) => Some(model),
        (Some(make), Some(model)) => Some(format!("{make} {model}")),
        (one, other) => one.or(other),
    };
    match (body, lens) {
        (Some(b), Some(l)) => Some(format!("{b} (lens: {l})")),
        (b, l) => b.or(l.map(|l| format!("lens: {l}"))),
    }
}

/// Coordinates in [`PER_DEGREE`] units, and their N/S and E/W letters.
#[derive(Default)]
struct Gps {
    lat: Option<u64>,
    lat_ref: Option<String>,
    lon: Option<u64>,
    lon_ref: Option<String>,
}

impl Gps {
    /// "36.84850° S, 174.76330° E" when both coordinates are readable.
    fn describe(&self) -> Option<String> {
        let (lat, lon) = (self.lat?, self.lon?);
        let hemisphere = |r: &Option<String>, positive: char, negative: char| match r.as_deref().map(str::trim) {
            Some(s) if s.eq_ignore_ascii_case(&negative.to_string()) => negative,
            _ => positive,
        };
        let lat = format_degrees(lat, hemisphere(&self.lat_ref, 'N', 'S'))?;
        let lon = format_degrees(lon, hemisphere(&self.lon_ref, 'E', 'W'))?;
        Some(format!("{lat}, {lon}"))
    }
}

/// Degrees (in [`PER_DEGREE`] units) from three rationals: degrees, minutes, seconds.
fn degrees(t: &Tiff, e: &Entry) -> Option<u64> {
    if e.kind != 5 || e.count < 3 {
        return None;
    }
    // Each rational n/d, divided by `per` (1, 60 or 3600), in PER_DEGREE units.
    let part = |i: usize, per: u64| -> Option<u64> {
        let sub = Tiff { data: e.value.get(i * 8..i * 8 + 8)?, big: t.big };
        let (n, d) = (u64::from(sub.u32(0)?), u64::from(sub.u32(4)?));
        (d != 0).then(|| n * PER_DEGREE / (d * per))
    };
    Some(part(0, 1)? + part(1, 60).unwrap_or(0) + part(2, 3600).unwrap_or(0))
}

/// The `i`th value of a SHORT or LONG entry.
fn number(t: &Tiff, e: &Entry, i: usize) -> Option<u32> {
    let sub = Tiff { data: e.value, big: t.big };
    match e.kind {
        3 => sub.u16(i * 2).map(u32::from),
        4 => sub.u32(i * 4),
        _ => None,
    }
}

/// An ASCII field: up to the first NUL, bad bytes replaced.
fn ascii(value: &[u8]) -> String {
    bytes::c_string(value).0
}

/// "2024:05:01 14:32:10" → "2024-05-01 14:32:10".
fn date(text: &str) -> String {
    let b = text.as_bytes();
    if b.len() >= 10 && b[4] == b':' && b[7] == b':' {
        format!("{}-{}-{}", &text[..4], &text[5..7], &text[8..])
    } else {
        text.to_owned()
    }
}

/// Windows' XP* tags: UTF-16LE whatever the file's byte order.
fn utf16le(value: &[u8]) -> String {
    let units: Vec<u16> =
        value.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).take_while(|&u| u != 0).collect();
    String::from_utf16_lossy(&units)
}

/// UserComment: an 8-byte character code, then the text.
fn user_comment(value: &[u8], big: bool) -> String {
    let (code, text) = value.split_at(value.len().min(8));
    if code == b"UNICODE\0" {
        let units: Vec<u16> = text
            .chunks_exact(2)
            .map(|c| if big { u16::from_be_bytes([c[0], c[1]]) } else { u16::from_le_bytes([c[0], c[1]]) })
            .take_while(|&u| u != 0)
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        ascii(text)
    }
}
