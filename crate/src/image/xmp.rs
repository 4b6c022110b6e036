//! XMP: an RDF/XML packet. It is scanned as text for the properties that matter, in both of the
//! forms RDF allows (`exif:GPSLatitude="…"` attributes and `<dc:description>…</dc:description>`
//! elements, whose `rdf:li` items are joined). No XML parser: nothing is built from the packet
//! but short strings, and every search moves forward.

use super::{format_degrees, Found, PER_DEGREE};
use crate::schema::ImageKind;

/// Packets larger than this are read only this far.
const MAX_PACKET: usize = 1024 * 1024;
/// Occurrences of one property read at most.
const MAX_OCCURRENCES: usize = 16;

/// Properties read, with the kind of detail each one is.
const PROPERTIES: &[(&str, ImageKind)] = &[
    ("photoshop:City", ImageKind::Location),
    ("photoshop:State", ImageKind::Location),
    ("photoshop:Country", ImageKind::Location),
    ("Iptc4xmpCore:Location", ImageKind::Location),
    ("Iptc4xmpExt:Sublocation", ImageKind::Location),
    ("Iptc4xmpExt:City", ImageKind::Location),
    ("exif:DateTimeOriginal", ImageKind::CaptureTime),
    ("xmp:CreateDate", ImageKind::CaptureTime),
    ("photoshop:DateCreated", ImageKind::CaptureTime),
    ("tiff:Make", ImageKind::Device),
    ("tiff:Model", ImageKind::Device),
    ("aux:Lens", ImageKind::Device),
    ("exifEX:LensModel", ImageKind::Device),
    ("aux:SerialNumber", ImageKind::DeviceSerial),
    ("exifEX:BodySerialNumber", ImageKind::DeviceSerial),
    ("aux:LensSerialNumber", ImageKind::DeviceSerial),
    ("exifEX:LensSerialNumber", ImageKind::DeviceSerial),
    ("dc:creator", ImageKind::Person),
    ("dc:rights", ImageKind::Person),
    ("xmpRights:Owner", ImageKind::Person),
    ("exifEX:CameraOwnerName", ImageKind::Person),
    ("photoshop:Credit", ImageKind::Person),
    ("photoshop:CaptionWriter", ImageKind::Person),
    ("Iptc4xmpExt:PersonInImage", ImageKind::Person),
    ("dc:description", ImageKind::Text),
    ("dc:title", ImageKind::Text),
    ("dc:subject", ImageKind::Text),
    ("photoshop:Headline", ImageKind::Text),
    ("exif:UserComment", ImageKind::Text),
];

pub fn read(packet: &[u8], found: &mut Found) {
    let text = String::from_utf8_lossy(&packet[..packet.len().min(MAX_PACKET)]);
    for &(name, kind) in PROPERTIES {
        for value in values(&text, name) {
            found.add(kind, format!("XMP {name}"), &value);
        }
    }
    let (lat, lon) = (first(&text, "exif:GPSLatitude"), first(&text, "exif:GPSLongitude"));
    match (lat.as_deref().and_then(coordinate), lon.as_deref().and_then(coordinate)) {
        (Some(lat), Some(lon)) => found.add(ImageKind::Location, "XMP exif:GPS".into(), &format!("{lat}, {lon}")),
        _ => {
            for (name, value) in [("exif:GPSLatitude", lat), ("exif:GPSLongitude", lon)] {
                if let Some(v) = value {
                    found.add(ImageKind::Location, format!("XMP {name}"), &v);
                }
            }
        }
    }
}

fn first(text: &str, name: &str) -> Option<String> {
    values(text, name).into_iter().next()
}

/// XMP writes a coordinate as "DDD,MM.mmN" or "DDD,MM,SSN": "36,50.91S" → "36.84850° S".
fn coordinate(value: &str) -> Option<String> {
    let value = value.trim();
    let hemisphere = value.chars().last().filter(|c| "NSEW".contains(*c))?;
    let numbers: Vec<u64> = value[..value.len() - 1].split(',').map(decimal).collect::<Option<_>>()?;
    let degrees = match numbers[..] {
        [d, m] => d + m / 60,
        [d, m, s] => d + m / 60 + s / 3600,
        _ => return None,
    };
    format_degrees(degrees, hemisphere)
}

/// "50.91" in [`PER_DEGREE`] units (at most three whole digits, eight decimals).
fn decimal(text: &str) -> Option<u64> {
    let (whole, fraction) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || whole.len() > 3 || !(fraction.is_empty() || digits(fraction)) {
        return None;
    }
    let mut value = whole.parse::<u64>().ok()? * PER_DEGREE;
    let mut unit = PER_DEGREE / 10;
    for b in fraction.bytes().take(8) {
        value += u64::from(b - b'0') * unit;
        unit /= 10;
    }
    Some(value)
}

/// Every value of property `name`, as attribute or element.
fn values(text: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    while out.len() < MAX_OCCURRENCES {
        let Some(at) = text[from..].find(name).map(|i| from + i) else { break };
        let after = at + name.len();
        from = after;
        let before = text[..at].chars().next_back();
        let rest = &text[after..];
        if before.is_some_and(char::is_whitespace) {
            // Attribute: name="value" or name='value'.
            let trimmed = rest.trim_start();
            if let Some(eq) = trimmed.strip_prefix('=') {
                let eq = eq.trim_start();
                if let Some(quote) = eq.chars().next().filter(|c| *c == '"' || *c == '\'') {
                    if let Some(end) = eq[1..].find(quote) {
                        out.push(decode(&eq[1..1 + end]));
                    }
                }
            }
        } else if before == Some('<') && rest.starts_with(['>', ' ', '\t', '\r', '\n']) {
            // Element: <name ...>content</name>, content possibly a list of rdf:li items.
            let Some(open_end) = rest.find('>') else { break };
            if rest[..open_end].ends_with('/') {
                continue;
            }
            let body_start = after + open_end + 1;
            let close = format!("</{name}>");
            let Some(len) = text[body_start..].find(&close) else { break };
            let body = &text[body_start..body_start + len];
            let items = inner_texts(body);
            if !items.is_empty() {
                out.push(items.join("; "));
            }
            from = body_start + len + close.len();
        }
    }
    out
}

/// The text between the tags of an element's content, each piece decoded.
fn inner_texts(body: &str) -> Vec<String> {
    body.split('<')
        .map(|piece| piece.split_once('>').map_or(piece, |(_, text)| text))
        .map(|t| decode(t.trim()))
        .filter(|t| !t.is_empty())
        .collect()
}

/// XML's five named entities and numeric character references.
fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
