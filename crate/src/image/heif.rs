//! HEIF (HEIC photos from phones, and AVIF): an ISO base media file of nested boxes. The
//! metadata are *items* like the picture itself: the `meta` box lists them in `iinf` (an "Exif"
//! item, and a "mime" item of type application/rdf+xml for XMP) and says where their bytes are
//! in `iloc` (in the file, or in the `meta` box's own `idat`).
//!
//! The clean copy keeps the file's layout: rewriting boxes would move the picture's data and
//! every offset pointing at it. Instead, the EXIF and XMP items are overwritten in place with
//! empty ones of the same length (an EXIF block with no entries; XMP blanks), so nothing else
//! changes by a single byte. Orientation in HEIF is an item property (`irot`/`imir`), not EXIF,
//! so it is untouched.

use super::{bytes, tiff, xmp, Found, MAX_PARTS};
use std::ops::Range;

/// Brands (in `ftyp`) of files built on the HEIF item structure.
const BRANDS: &[&[u8; 4]] = &[b"mif1", b"msf1", b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"avif", b"avis"];
const XMP_MIME: &str = "application/rdf+xml";
/// More items than any picture has: a bound on the work a crafted `iloc` can cause.
const MAX_ITEMS: usize = 4096;
/// Metadata items larger than this are not read.
const MAX_PAYLOAD: usize = 4 * 1024 * 1024;

struct Boxed {
    kind: [u8; 4],
    body: Range<usize>,
}

/// The boxes directly inside `range`.
fn boxes(data: &[u8], range: Range<usize>) -> Result<Vec<Boxed>, String> {
    let mut out = Vec::new();
    let mut at = range.start;
    while at < range.end {
        if out.len() >= MAX_PARTS {
            return Err("it has too many boxes".into());
        }
        let size = bytes::u32_be(data, at).ok_or("a box header is cut short")?;
        let kind: [u8; 4] =
            bytes::slice(data, at + 4, 4).ok_or("a box header is cut short")?.try_into().unwrap_or_default();
        let (header, size) = match size {
            0 => (8, (range.end - at) as u64),
            1 => (16, bytes::u64_be(data, at + 8).ok_or("a box header is cut short")?),
            n => (8, u64::from(n)),
        };
        let end =
            usize::try_from(size).ok().and_then(|s| at.checked_add(s)).filter(|&e| e <= range.end && e >= at + header);
        let end = end.ok_or_else(|| format!("a '{}' box runs past its container", String::from_utf8_lossy(&kind)))?;
        out.push(Boxed { kind, body: at + header..end });
        at = end;
    }
    Ok(out)
}

pub fn is_heif(data: &[u8]) -> bool {
    if data.get(4..8) != Some(b"ftyp") {
        return false;
    }
    let size = bytes::u32_be(data, 0).map_or(0, |s| s as usize).min(data.len());
    // Major brand at 8, minor version at 12, compatible brands from 16.
    let major = data.get(8..12).into_iter();
    let compatible = data.get(16..size).unwrap_or_default().chunks_exact(4);
    major.chain(compatible).any(|b| BRANDS.iter().any(|brand| b == brand.as_slice()))
}

#[derive(Debug, PartialEq, Eq)]
enum Kind {
    Exif,
    Xmp,
}

/// The metadata items and where their bytes are.
struct Items {
    found: Vec<(Kind, Vec<Range<usize>>)>,
}

fn items(data: &[u8]) -> Result<Items, String> {
    let top = boxes(data, 0..data.len())?;
    let meta = top.iter().find(|b| &b.kind == b"meta").ok_or("no 'meta' box")?;
    // `meta` is a full box: version and flags come first.
    let children = boxes(data, meta.body.start + 4..meta.body.end)?;
    let child = |kind: &[u8; 4]| children.iter().find(|b| &b.kind == kind);
    let mut wanted: Vec<(u32, Kind)> = Vec::new();
    if let Some(iinf) = child(b"iinf") {
        let version = *data.get(iinf.body.start).ok_or("'iinf' cut short")?;
        let first = iinf.body.start + if version == 0 { 6 } else { 8 };
        for infe in boxes(data, first.min(iinf.body.end)..iinf.body.end)?.iter().filter(|b| &b.kind == b"infe") {
            if let Some(item) = item_info(&data[infe.body.clone()]) {
                wanted.push(item);
            }
        }
    }
    if wanted.is_empty() {
        return Ok(Items { found: Vec::new() });
    }
    let iloc = child(b"iloc").ok_or("metadata items without an 'iloc' box")?;
    let idat = child(b"idat").map(|b| b.body.clone());
    // Item data lives in an `mdat` box or in `idat`. An extent anywhere else (over the
    // `ftyp` or `meta` boxes, say) is a damaged or crafted file: blanking it would wreck the
    // file's structure instead of removing metadata.
    let data_boxes: Vec<Range<usize>> =
        top.iter().filter(|b| &b.kind == b"mdat").map(|b| b.body.clone()).chain(idat.clone()).collect();
    let in_data_box = |r: &Range<usize>| data_boxes.iter().any(|d| d.start <= r.start && r.end <= d.end);
    let mut found = Vec::new();
    for (id, extents) in locations(data, iloc.body.clone(), idat)? {
        if let Some(pos) = wanted.iter().position(|(w, _)| *w == id) {
            let (_, kind) = wanted.swap_remove(pos);
            let extents = extents.map_err(|e| format!("a metadata item is {e}"))?;
            if !extents.iter().all(in_data_box) {
                return Err("a metadata item lies outside the file's data boxes".into());
            }
            found.push((kind, extents));
        }
    }
    Ok(Items { found })
}

/// An `infe` box (version 2 or 3) describing an EXIF or XMP item: its id and kind.
fn item_info(body: &[u8]) -> Option<(u32, Kind)> {
    let version = *body.first()?;
    let (id, at) = match version {
        2 => (u32::from(bytes::u16_be(body, 4)?), 6),
        3 => (bytes::u32_be(body, 4)?, 8),
        _ => return None,
    };
    let item_type = bytes::slice(body, at + 2, 4)?;
    let (_, name_len) = bytes::c_string(body.get(at + 6..)?);
    match item_type {
        b"Exif" => Some((id, Kind::Exif)),
        b"mime" => {
            let (content_type, _) = bytes::c_string(body.get(at + 6 + name_len..)?);
            (content_type == XMP_MIME).then_some((id, Kind::Xmp))
        }
        _ => None,
    }
}

/// An item id and its extents as ranges of the file, or why they cannot be located.
type Located = (u32, Result<Vec<Range<usize>>, String>);

/// Every item of an `iloc` box.
fn locations(data: &[u8], iloc: Range<usize>, idat: Option<Range<usize>>) -> Result<Vec<Located>, String> {
    let body = &data[iloc.clone()];
    let cut = || "'iloc' cut short".to_owned();
    let version = *body.first().ok_or_else(cut)?;
    let sizes = bytes::u16_be(body, 4).ok_or_else(cut)?;
    let (offset_size, length_size, base_size) = (sizes >> 12, (sizes >> 8) & 15, (sizes >> 4) & 15);
    let index_size = if version >= 1 { sizes & 15 } else { 0 };
    let (count, mut at) = if version < 2 {
        (u32::from(bytes::u16_be(body, 6).ok_or_else(cut)?), 8)
    } else {
        (bytes::u32_be(body, 6).ok_or_else(cut)?, 10)
    };
    let read = |at: &mut usize, size: u16| -> Result<u64, String> {
        let v = match size {
            0 => 0,
            2 => u64::from(bytes::u16_be(body, *at).ok_or_else(cut)?),
            4 => u64::from(bytes::u32_be(body, *at).ok_or_else(cut)?),
            8 => bytes::u64_be(body, *at).ok_or_else(cut)?,
            _ => return Err("'iloc' with an invalid field size".into()),
        };
        *at += usize::from(size);
        Ok(v)
    };
    let mut out = Vec::new();
    for _ in 0..(count as usize).min(MAX_ITEMS) {
        let id = read(&mut at, if version < 2 { 2 } else { 4 })? as u32;
        let method = if version >= 1 { read(&mut at, 2)? & 15 } else { 0 };
        read(&mut at, 2)?; // data reference index
        let base = read(&mut at, base_size)?;
        let extent_count = read(&mut at, 2)?;
        let (origin, limit) = match (method, &idat) {
            (0, _) => (0, data.len()),
            (1, Some(idat)) => (idat.start, idat.end),
            _ => (0, 0),
        };
        let mut extents = Ok(Vec::new());
        for _ in 0..extent_count {
            if index_size > 0 {
                read(&mut at, index_size)?;
            }
            let offset = read(&mut at, offset_size)?;
            let length = read(&mut at, length_size)?;
            if limit == 0 {
                extents = Err("stored in a way this reader does not follow".to_owned());
                continue;
            }
            let start =
                base.checked_add(offset).and_then(|o| usize::try_from(o).ok()).and_then(|o| o.checked_add(origin));
            let range = start.and_then(|s| {
                let end =
                    if length == 0 { Some(limit) } else { usize::try_from(length).ok().and_then(|l| s.checked_add(l)) };
                end.filter(|&e| e <= limit && s <= e).map(|e| s..e)
            });
            match (range, &mut extents) {
                (Some(r), Ok(list)) => list.push(r),
                (None, _) => extents = Err("its location is outside the file".to_owned()),
                _ => {}
            }
        }
        out.push((id, extents));
    }
    Ok(out)
}

/// The bytes of an item, its extents joined (at most [`MAX_PAYLOAD`]).
fn payload(data: &[u8], extents: &[Range<usize>]) -> Vec<u8> {
    let mut out = Vec::new();
    for r in extents {
        let room = MAX_PAYLOAD.saturating_sub(out.len());
        out.extend_from_slice(&data[r.start..r.end.min(r.start + room)]);
    }
    out
}

pub fn read(data: &[u8], found: &mut Found) -> Result<(), String> {
    for (kind, extents) in items(data)?.found {
        let bytes = payload(data, &extents);
        match kind {
            Kind::Exif => {
                // A 32-bit offset from after itself to the TIFF header (usually past "Exif\0\0").
                let tiff = bytes::u32_be(&bytes, 0).and_then(|skip| bytes.get(4usize.checked_add(skip as usize)?..));
                let result =
                    tiff.ok_or_else(|| "EXIF item cut short".to_owned()).and_then(|t| tiff::read(t, "EXIF", found));
                if let Err(why) = result {
                    found.note(format!("Part of the metadata could not be read: {why}."));
                }
            }
            Kind::Xmp => xmp::read(&bytes, found),
        }
    }
    Ok(())
}

/// An EXIF item with no entries: offset 0, then a TIFF header whose one directory is empty.
const EMPTY_EXIF: &[u8] = b"\0\0\0\0MM\0*\0\0\0\x08\0\0\0\0\0\0";

pub fn strip(data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = data.to_vec();
    for (kind, extents) in items(data)?.found {
        let total: usize = extents.iter().map(ExactSizeIterator::len).sum();
        let mut fill = match kind {
            Kind::Exif if total >= EMPTY_EXIF.len() => EMPTY_EXIF.to_vec(),
            Kind::Exif => Vec::new(),
            Kind::Xmp => Vec::new(),
        };
        let pad = if kind == Kind::Xmp { b' ' } else { 0 };
        fill.resize(total, pad);
        let mut from = 0;
        for r in &extents {
            out[r.clone()].copy_from_slice(&fill[from..from + r.len()]);
            from += r.len();
        }
    }
    Ok(out)
}
