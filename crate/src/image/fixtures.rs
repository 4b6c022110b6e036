//! Test images written byte by byte: each format's structure with the metadata a test asks
//! for. The picture data is a placeholder of the right shape (the reader never decodes it),
//! except PNG's, which is a real one-pixel image.

use super::png::write_chunk as chunk;

/// The metadata to put in a fixture.
#[derive(Default, Clone)]
pub struct Meta {
    /// Latitude and longitude in degrees (negative: south or west).
    pub gps: Option<(f64, f64)>,
    pub make_model: Option<(&'static str, &'static str)>,
    pub date: Option<&'static str>,
    pub serial: Option<&'static str>,
    pub artist: Option<&'static str>,
    pub description: Option<&'static str>,
    pub orientation: Option<u16>,
    /// An XMP packet's dc:description.
    pub xmp_caption: Option<&'static str>,
}

impl Meta {
    pub fn phone() -> Meta {
        Meta {
            gps: Some((-36.8485, 174.7633)),
            make_model: Some(("Apple", "iPhone 15 Pro")),
            date: Some("2024:05:01 14:32:10"),
            serial: Some("F2LXK0QJ0D"),
            orientation: Some(6),
            ..Meta::default()
        }
    }
}

/// A TIFF directory entry: tag, type, count, value bytes (big-endian).
type Entry = (u16, u16, u32, Vec<u8>);

fn ascii(tag: u16, text: &str) -> Entry {
    let mut v = text.as_bytes().to_vec();
    v.push(0);
    (tag, 2, v.len() as u32, v)
}

fn short(tag: u16, value: u16) -> Entry {
    (tag, 3, 1, value.to_be_bytes().to_vec())
}

fn dms(tag: u16, degrees: f64) -> Entry {
    let d = degrees.abs();
    let (deg, min) = (d.trunc(), (d.fract() * 60.0));
    let sec = (min.fract() * 60.0 * 1000.0).round();
    let mut v = Vec::new();
    for (n, den) in [(deg as u32, 1u32), (min.trunc() as u32, 1), (sec as u32, 1000)] {
        v.extend_from_slice(&n.to_be_bytes());
        v.extend_from_slice(&den.to_be_bytes());
    }
    (tag, 5, 3, v)
}

/// A big-endian TIFF: IFD0, then the Exif and GPS directories, then the long values.
pub fn tiff(meta: &Meta) -> Vec<u8> {
    let mut main = Vec::new();
    let mut exif = Vec::new();
    let mut gps = Vec::new();
    if let Some(d) = meta.description {
        main.push(ascii(0x010E, d));
    }
    if let Some((make, model)) = meta.make_model {
        main.push(ascii(0x010F, make));
        main.push(ascii(0x0110, model));
    }
    if let Some(o) = meta.orientation {
        main.push(short(0x0112, o));
    }
    if let Some(a) = meta.artist {
        main.push(ascii(0x013B, a));
    }
    if let Some(d) = meta.date {
        exif.push(ascii(0x9003, d));
    }
    if let Some(s) = meta.serial {
        exif.push(ascii(0xA431, s));
    }
    if let Some((lat, lon)) = meta.gps {
        gps.push(ascii(1, if lat < 0.0 { "S" } else { "N" }));
        gps.push(dms(2, lat));
        gps.push(ascii(3, if lon < 0.0 { "W" } else { "E" }));
        gps.push(dms(4, lon));
    }
    let size = |n: usize| 2 + 12 * n + 4;
    let main_len = main.len() + usize::from(!exif.is_empty()) + usize::from(!gps.is_empty());
    let exif_at = 8 + size(main_len);
    let gps_at = exif_at + if exif.is_empty() { 0 } else { size(exif.len()) };
    let data_at = gps_at + if gps.is_empty() { 0 } else { size(gps.len()) };
    if !exif.is_empty() {
        main.push((0x8769, 4, 1, (exif_at as u32).to_be_bytes().to_vec()));
    }
    if !gps.is_empty() {
        main.push((0x8825, 4, 1, (gps_at as u32).to_be_bytes().to_vec()));
    }
    let mut out = b"MM\0*\0\0\0\x08".to_vec();
    let mut data = Vec::new();
    for ifd in [&main, &exif, &gps] {
        if ifd.is_empty() && !std::ptr::eq(ifd, &main) {
            continue;
        }
        out.extend_from_slice(&(ifd.len() as u16).to_be_bytes());
        for (tag, kind, count, value) in ifd {
            out.extend_from_slice(&tag.to_be_bytes());
            out.extend_from_slice(&kind.to_be_bytes());
            out.extend_from_slice(&count.to_be_bytes());
            if value.len() <= 4 {
                let mut inline = value.clone();
                inline.resize(4, 0);
                out.extend_from_slice(&inline);
            } else {
                out.extend_from_slice(&((data_at + data.len()) as u32).to_be_bytes());
                data.extend_from_slice(value);
                if data.len() % 2 == 1 {
                    data.push(0);
                }
            }
        }
        out.extend_from_slice(&0u32.to_be_bytes());
    }
    assert_eq!(out.len(), data_at);
    out.extend_from_slice(&data);
    out
}

pub fn has_exif(meta: &Meta) -> bool {
    meta.gps.is_some()
        || meta.make_model.is_some()
        || meta.date.is_some()
        || meta.serial.is_some()
        || meta.artist.is_some()
        || meta.description.is_some()
        || meta.orientation.is_some()
}

pub fn xmp_packet(caption: &str) -> Vec<u8> {
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:photoshop=\"http://ns.adobe.com/photoshop/1.0/\" photoshop:City=\"Auckland\"><dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{caption}</rdf:li></rdf:Alt></dc:description></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>"
    )
    .into_bytes()
}

fn segment(out: &mut Vec<u8>, marker: u8, payload: &[u8]) {
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(payload);
}

/// The JPEG segments that describe the picture, and its scan (with a stuffed 0xFF00 and a
/// restart marker, which the reader must step over).
pub fn jpeg_image_segments(out: &mut Vec<u8>) {
    let mut dqt = vec![0u8];
    dqt.extend((1..=64).map(|i| i as u8));
    segment(out, 0xDB, &dqt);
    segment(out, 0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]);
    let mut dht = vec![0x00, 1];
    dht.extend_from_slice(&[0; 15]);
    dht.push(0);
    segment(out, 0xC4, &dht);
    segment(out, 0xDA, &[1, 1, 0x00, 0, 63, 0]);
    out.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]);
}

/// A JPEG with JFIF, an ICC profile and the metadata asked for; `iptc_caption` adds an APP13
/// Photoshop block, `comment` a COM segment.
pub fn jpeg(meta: &Meta, iptc_caption: Option<&str>, comment: Option<&str>) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    segment(&mut out, 0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    if has_exif(meta) {
        let mut p = b"Exif\0\0".to_vec();
        p.extend(tiff(meta));
        segment(&mut out, 0xE1, &p);
    }
    if let Some(c) = meta.xmp_caption {
        let mut p = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
        p.extend(xmp_packet(c));
        segment(&mut out, 0xE1, &p);
    }
    segment(&mut out, 0xE2, b"ICC_PROFILE\0\x01\x01fake-profile");
    if let Some(c) = iptc_caption {
        let mut iim = vec![0x1C, 2, 120];
        iim.extend_from_slice(&(c.len() as u16).to_be_bytes());
        iim.extend_from_slice(c.as_bytes());
        let mut p = b"Photoshop 3.0\08BIM\x04\x04\0\0".to_vec();
        p.extend_from_slice(&(iim.len() as u32).to_be_bytes());
        p.extend_from_slice(&iim);
        if iim.len() % 2 == 1 {
            p.push(0);
        }
        segment(&mut out, 0xED, &p);
    }
    if let Some(c) = comment {
        segment(&mut out, 0xFE, c.as_bytes());
    }
    jpeg_image_segments(&mut out);
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// A one-pixel grey PNG (a real, decodable one) with text, EXIF, XMP and tIME as asked.
pub fn png(meta: &Meta, text: Option<(&str, &str)>) -> Vec<u8> {
    let mut out = super::png::SIGNATURE.to_vec();
    chunk(&mut out, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
    chunk(&mut out, b"gAMA", &45455u32.to_be_bytes());
    if has_exif(meta) {
        chunk(&mut out, b"eXIf", &tiff(meta));
    }
    if let Some((keyword, value)) = text {
        let mut body = keyword.as_bytes().to_vec();
        body.push(0);
        body.extend_from_slice(value.as_bytes());
        chunk(&mut out, b"tEXt", &body);
    }
    if let Some(c) = meta.xmp_caption {
        let mut body = b"XML:com.adobe.xmp\0\0\0\0\0".to_vec();
        body.extend(xmp_packet(c));
        chunk(&mut out, b"iTXt", &body);
    }
    if meta.date.is_some() {
        chunk(&mut out, b"tIME", &[0x07, 0xE8, 5, 1, 14, 32, 10]);
    }
    // zlib: one stored block holding the scanline (filter 0, grey 0x80), then Adler-32.
    let raw = [0u8, 0x80];
    let mut idat = vec![0x78, 0x01, 0x01, 0x02, 0x00, 0xFD, 0xFF];
    idat.extend_from_slice(&raw);
    let (mut a, mut b) = (1u32, 0u32);
    for &x in &raw {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    idat.extend_from_slice(&((b << 16) | a).to_be_bytes());
    chunk(&mut out, b"IDAT", &idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn riff_chunk(out: &mut Vec<u8>, kind: &[u8; 4], body: &[u8]) {
    out.extend_from_slice(kind);
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(body);
    if body.len() % 2 == 1 {
        out.push(0);
    }
}

/// An extended-format WebP (VP8X) with a lossless image chunk and EXIF/XMP as asked.
pub fn webp(meta: &Meta) -> Vec<u8> {
    let mut flags = 0u8;
    if has_exif(meta) {
        flags |= 0x08;
    }
    if meta.xmp_caption.is_some() {
        flags |= 0x04;
    }
    let mut body = Vec::new();
    riff_chunk(&mut body, b"VP8X", &[flags, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    riff_chunk(&mut body, b"VP8L", &[0x2F, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xFE, 0x07, 0]);
    if has_exif(meta) {
        riff_chunk(&mut body, b"EXIF", &tiff(meta));
    }
    if let Some(c) = meta.xmp_caption {
        riff_chunk(&mut body, b"XMP ", &xmp_packet(c));
    }
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&((body.len() + 4) as u32).to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend(body);
    out
}

fn iso_box(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut out = ((body.len() + 8) as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(body);
    out
}

fn infe(id: u16, kind: &[u8; 4], content_type: Option<&str>) -> Vec<u8> {
    let mut b = vec![2, 0, 0, 0];
    b.extend_from_slice(&id.to_be_bytes());
    b.extend_from_slice(&[0, 0]);
    b.extend_from_slice(kind);
    b.push(0); // empty item name
    if let Some(t) = content_type {
        b.extend_from_slice(t.as_bytes());
        b.push(0);
    }
    iso_box(b"infe", &b)
}

/// A HEIC file: `ftyp`, a `meta` box listing the picture, an EXIF item and an XMP item (as
/// asked), and `mdat` holding their bytes. Returns the file and the byte ranges of the picture
/// item and of the metadata items.
pub fn heif(meta: &Meta) -> (Vec<u8>, Vec<std::ops::Range<usize>>) {
    let picture = b"\0\0\0\x10fake-hevc-data!".to_vec();
    let mut items: Vec<(u16, Vec<u8>, Vec<u8>)> = vec![(1, infe(1, b"hvc1", None), picture)];
    if has_exif(meta) {
        let mut p = 6u32.to_be_bytes().to_vec();
        p.extend_from_slice(b"Exif\0\0");
        p.extend(tiff(meta));
        items.push((2, infe(2, b"Exif", None), p));
    }
    if let Some(c) = meta.xmp_caption {
        items.push((3, infe(3, b"mime", Some("application/rdf+xml")), xmp_packet(c)));
    }
    let ftyp = iso_box(b"ftyp", b"heic\0\0\0\0mif1heic");
    let build_meta = |mdat_data: usize| {
        let mut iinf = vec![0, 0, 0, 0];
        iinf.extend_from_slice(&(items.len() as u16).to_be_bytes());
        for (_, e, _) in &items {
            iinf.extend_from_slice(e);
        }
        // iloc version 1: 4-byte offsets and lengths, no base offset, no index.
        let mut iloc = vec![1, 0, 0, 0, 0x44, 0x00];
        iloc.extend_from_slice(&(items.len() as u16).to_be_bytes());
        let mut at = mdat_data;
        for (id, _, payload) in &items {
            iloc.extend_from_slice(&id.to_be_bytes());
            iloc.extend_from_slice(&[0, 0, 0, 0, 0, 1]); // method 0, data ref 0, one extent
            iloc.extend_from_slice(&(at as u32).to_be_bytes());
            iloc.extend_from_slice(&(payload.len() as u32).to_be_bytes());
            at += payload.len();
        }
        let mut body = vec![0, 0, 0, 0];
        body.extend(iso_box(b"hdlr", b"\0\0\0\0\0\0\0\0pict\0\0\0\0\0\0\0\0\0\0\0\0\0"));
        body.extend(iso_box(b"pitm", b"\0\0\0\0\0\x01"));
        body.extend(iso_box(b"iinf", &iinf));
        body.extend(iso_box(b"iloc", &iloc));
        iso_box(b"meta", &body)
    };
    let meta_len = build_meta(0).len();
    let mdat_data = ftyp.len() + meta_len + 8;
    let mut out = ftyp;
    out.extend(build_meta(mdat_data));
    let payloads: Vec<u8> = items.iter().flat_map(|(_, _, p)| p.clone()).collect();
    out.extend(iso_box(b"mdat", &payloads));
    let mut ranges = Vec::new();
    let mut at = mdat_data;
    for (_, _, p) in &items {
        ranges.push(at..at + p.len());
        at += p.len();
    }
    (out, ranges)
}
