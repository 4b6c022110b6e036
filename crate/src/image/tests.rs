use super::fixtures::{self, Meta};
use super::*;
use crate::Config;

fn checker() -> Checker {
    Checker::new(Config::default()).unwrap()
}

fn rules_of(report: &ImageReport) -> Vec<&str> {
    report.findings.iter().map(|f| f.rule.as_str()).collect()
}

fn finding<'a>(report: &'a ImageReport, rule: &str) -> &'a ImageFinding {
    report.findings.iter().find(|f| f.rule == rule).unwrap_or_else(|| panic!("no {rule} in {report:#?}"))
}

const CAPTION: &str = "Mr Robert Haines MRN 4829137 after debridement";

/// Every metadata-bearing fixture, in each format.
fn all_formats(meta: &Meta) -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("jpeg", fixtures::jpeg(meta, Some(CAPTION), Some("ward 7 bed 3"))),
        ("png", fixtures::png(meta, Some(("Comment", CAPTION)))),
        ("webp", fixtures::webp(meta)),
        ("heif", fixtures::heif(meta).0),
    ]
}

#[test]
fn a_phone_photo_reports_place_time_device_and_serial_in_every_format() {
    for (name, data) in all_formats(&Meta::phone()) {
        let report = checker().check_image(&data, "IMG_0001.jpg");
        assert_eq!(report.status, ImageStatus::Read, "{name}: {report:#?}");
        let place = finding(&report, "image-location");
        assert_eq!(place.text, "36.84850° S, 174.76330° E", "{name}");
        assert_eq!(place.field, "EXIF GPS");
        assert_eq!(place.section, "02");
        assert_eq!(place.severity, Severity::Serious);
        assert_eq!(finding(&report, "image-capture-time").text, "2024-05-01 14:32:10", "{name}");
        assert_eq!(finding(&report, "image-device").text, "Apple iPhone 15 Pro", "{name}");
        assert_eq!(finding(&report, "image-device-serial").text, "F2LXK0QJ0D", "{name}");
    }
}

#[test]
fn formats_are_recognised_by_content() {
    let meta = Meta::default();
    assert_eq!(Format::sniff(&fixtures::jpeg(&meta, None, None)), Some(Format::Jpeg));
    assert_eq!(Format::sniff(&fixtures::png(&meta, None)), Some(Format::Png));
    assert_eq!(Format::sniff(&fixtures::webp(&meta)), Some(Format::Webp));
    assert_eq!(Format::sniff(&fixtures::heif(&meta).0), Some(Format::Heif));
    assert_eq!(Format::sniff(b"GIF89a"), None);
}

#[test]
fn a_photo_without_metadata_reports_nothing() {
    let meta = Meta::default();
    for data in
        [fixtures::jpeg(&meta, None, None), fixtures::png(&meta, None), fixtures::webp(&meta), fixtures::heif(&meta).0]
    {
        let report = checker().check_image(&data, "photo.jpg");
        assert_eq!(report.status, ImageStatus::Read);
        assert!(report.findings.is_empty(), "{report:#?}");
    }
}

#[test]
fn a_record_number_in_a_caption_is_found_by_the_text_rules_naming_the_field() {
    let meta = Meta { description: Some(CAPTION), xmp_caption: Some(CAPTION), ..Meta::default() };
    let report = checker().check_image(&fixtures::jpeg(&meta, Some(CAPTION), Some(CAPTION)), "x.jpg");
    let mrn = finding(&report, "medical-record-number");
    assert_eq!(mrn.text, "4829137");
    // The same words in four places are one finding naming each field.
    assert_eq!(mrn.field, "EXIF ImageDescription, XMP dc:description, IPTC Caption-Abstract, JPEG comment");
    assert!(rules_of(&report).contains(&"patient-name-with-title"), "{report:#?}");
    // A caption the text rules flagged is not reported a second time as "a caption".
    assert!(!rules_of(&report).contains(&"image-text-field"), "{report:#?}");
    // The XMP place name is a location.
    assert_eq!(finding(&report, "image-location").text, "Auckland");
}

#[test]
fn a_harmless_caption_is_reported_as_text_in_the_photo() {
    let meta = Meta { description: Some("Sunset over the harbour"), ..Meta::default() };
    let report = checker().check_image(&fixtures::png(&meta, None), "x.png");
    let text = finding(&report, "image-text-field");
    assert_eq!(text.text, "Sunset over the harbour");
    assert_eq!(text.severity, Severity::Info);
}

#[test]
fn the_file_name_goes_through_the_text_rules() {
    let report = checker().check_image(&fixtures::jpeg(&Meta::default(), None, None), "MRN 4829137 wound day 3.jpg");
    let mrn = finding(&report, "medical-record-number");
    assert_eq!(mrn.field, "file name");
    assert_eq!(mrn.text, "4829137");
}

#[test]
fn png_text_chunks_and_names_are_read() {
    let meta = Meta { artist: Some("Dr Jane Citizen"), date: Some("2024:05:01 14:32:10"), ..Meta::default() };
    let report = checker().check_image(&fixtures::png(&meta, Some(("Author", "Ana Tui"))), "x.png");
    let people: Vec<&str> =
        report.findings.iter().filter(|f| f.rule == "image-person-name").map(|f| f.text.as_str()).collect();
    assert!(people.contains(&"Dr Jane Citizen") && people.contains(&"Ana Tui"), "{report:#?}");
    let time = finding(&report, "image-capture-time");
    assert_eq!(time.field, "EXIF DateTimeOriginal, PNG tIME (last changed)", "{report:#?}");
}

#[test]
fn rules_and_categories_switched_off_report_nothing() {
    let data = fixtures::jpeg(&Meta::phone(), None, None);
    let config = Config { rules: [("image-location".to_owned(), false)].into(), ..Config::default() };
    let report = Checker::new(config).unwrap().check_image(&data, "x.jpg");
    assert!(!rules_of(&report).contains(&"image-location"));
    assert!(rules_of(&report).contains(&"image-device"));
    let off = Config { categories: crate::Categories { identifier: false, ..Default::default() }, ..Config::default() };
    assert!(Checker::new(off).unwrap().check_image(&data, "MRN 4829137.jpg").findings.is_empty());
}

/// The bytes that make up the picture, which the clean copy must keep unchanged.
fn picture_bytes(format: Format, data: &[u8]) -> Vec<u8> {
    match format {
        Format::Jpeg => jpeg::parts(data)
            .0
            .into_iter()
            .filter_map(|p| match p {
                jpeg::Part::Segment { marker, whole, .. } if !(0xE0..=0xEF).contains(&marker) && marker != 0xFE => {
                    Some(data[whole].to_vec())
                }
                jpeg::Part::Scan(r) => Some(data[r].to_vec()),
                _ => None,
            })
            .flatten()
            .collect(),
        Format::Png | Format::Webp => {
            let image: &[&[u8]] = if format == Format::Png { &[b"IHDR", b"IDAT"] } else { &[b"VP8L"] };
            let mut out = Vec::new();
            let mut at = if format == Format::Png { 8 } else { 12 };
            while at + 8 <= data.len() {
                let kind = &data[at + 4..at + 8];
                let (len, header, trailer) = if format == Format::Png {
                    (u32::from_be_bytes(data[at..at + 4].try_into().unwrap()) as usize, 8, 4)
                } else {
                    let l = u32::from_le_bytes(data[at + 4..at + 8].try_into().unwrap()) as usize;
                    (l, 8, l & 1)
                };
                let kind = if format == Format::Png { kind } else { &data[at..at + 4] };
                if image.contains(&kind) {
                    out.extend_from_slice(&data[at..at + header + len + trailer]);
                }
                at += header + len + trailer;
            }
            out
        }
        Format::Heif => unreachable!("compared byte for byte outside the metadata items"),
    }
}

#[test]
fn the_clean_copy_has_no_metadata_and_the_same_picture() {
    let meta = Meta {
        description: Some(CAPTION),
        artist: Some("Dr Jane Citizen"),
        xmp_caption: Some(CAPTION),
        ..Meta::phone()
    };
    for (name, data) in all_formats(&meta) {
        let format = Format::sniff(&data).unwrap();
        let clean = strip_metadata(&data).unwrap_or_else(|e| panic!("{name}: {e}"));
        let report = checker().check_image(&clean, "");
        assert_eq!(report.status, ImageStatus::Read, "{name}");
        assert!(report.findings.is_empty(), "{name}: {report:#?}");
        let (_, found, damage) = read_metadata(&clean).unwrap();
        assert!(found.items.is_empty() && damage.is_none(), "{name}: {found:?}");
        if format == Format::Heif {
            let (original, ranges) = fixtures::heif(&meta);
            assert_eq!(clean.len(), original.len());
            let outside = |d: &[u8]| -> Vec<u8> {
                d.iter()
                    .enumerate()
                    .filter(|(i, _)| !ranges[1..].iter().any(|r| r.contains(i)))
                    .map(|(_, b)| *b)
                    .collect()
            };
            assert_eq!(outside(&clean), outside(&original), "heif: only the metadata items change");
            assert_eq!(clean[ranges[0].clone()], original[ranges[0].clone()], "heif: the picture item is untouched");
        } else {
            let before = picture_bytes(format, &data);
            assert!(!before.is_empty());
            assert_eq!(picture_bytes(format, &clean), before, "{name}: picture bytes differ");
        }
        // Stripping twice changes nothing more.
        assert_eq!(strip_metadata(&clean).unwrap(), clean, "{name}");
    }
}

#[test]
fn the_clean_copy_keeps_orientation_colour_profile_and_jfif() {
    let data = fixtures::jpeg(&Meta::phone(), None, None);
    let clean = strip_metadata(&data).unwrap();
    let (parts, _) = jpeg::parts(&clean);
    let app: Vec<u8> = parts
        .iter()
        .filter_map(|p| match p {
            jpeg::Part::Segment { marker, .. } if (0xE0..=0xEF).contains(marker) => Some(*marker),
            _ => None,
        })
        .collect();
    assert_eq!(app, [0xE0, 0xE1, 0xE2], "JFIF, the orientation-only EXIF, ICC");
    let mut found = Found::default();
    jpeg::read(&clean, &mut found).unwrap();
    assert_eq!(found.orientation, Some(6));
    assert!(found.items.is_empty());
    // PNG: the orientation-only eXIf chunk comes before IDAT with a valid CRC.
    let png = strip_metadata(&fixtures::png(&Meta::phone(), None)).unwrap();
    let at = png.windows(4).position(|w| w == b"eXIf").unwrap();
    assert!(at < png.windows(4).position(|w| w == b"IDAT").unwrap());
    let len = u32::from_be_bytes(png[at - 4..at].try_into().unwrap()) as usize;
    let crc = u32::from_be_bytes(png[at + 4 + len..at + 8 + len].try_into().unwrap());
    assert_eq!(crc, png::crc32(&png[at..at + 4 + len]));
    // WebP: the EXIF flag stays set for the orientation block, the XMP flag is cleared, and
    // the RIFF size matches the file.
    let meta = Meta { xmp_caption: Some("x"), ..Meta::phone() };
    let webp = strip_metadata(&fixtures::webp(&meta)).unwrap();
    assert_eq!(webp[20] & 0x0C, 0x08);
    assert_eq!(u32::from_le_bytes(webp[4..8].try_into().unwrap()) as usize, webp.len() - 8);
    let no_orientation = Meta { orientation: None, xmp_caption: Some("x"), ..Meta::phone() };
    let webp = strip_metadata(&fixtures::webp(&no_orientation)).unwrap();
    assert_eq!(webp[20] & 0x0C, 0);
}

#[test]
fn trailing_data_is_noted_and_left_out_of_the_copy() {
    let mut data = fixtures::jpeg(&Meta::default(), None, None);
    let end = data.len();
    data.extend_from_slice(&fixtures::jpeg(&Meta::phone(), None, None));
    let report = checker().check_image(&data, "x.jpg");
    assert!(report.notes.iter().any(|n| n.contains("after the end of the picture")), "{report:#?}");
    assert_eq!(strip_metadata(&data).unwrap().len(), end);
}

#[test]
fn every_cut_short_file_gives_a_note_never_a_panic() {
    let meta = Meta { description: Some(CAPTION), xmp_caption: Some(CAPTION), ..Meta::phone() };
    for (name, data) in all_formats(&meta) {
        for len in 0..data.len() {
            let cut = &data[..len];
            let report = checker().check_image(cut, "");
            if report.status != ImageStatus::Read {
                assert!(!report.notes.is_empty(), "{name} cut at {len}: {report:#?}");
            }
            let _ = strip_metadata(cut);
        }
    }
    let cut = &fixtures::jpeg(&Meta::phone(), None, None)[..300];
    let report = checker().check_image(cut, "");
    assert_eq!(report.status, ImageStatus::Partial, "{report:#?}");
    assert!(
        report.notes[0].contains("ends inside the image data") || report.notes[0].contains("damaged"),
        "{report:#?}"
    );
    assert!(matches!(strip_metadata(cut), Err(ImageError::Malformed(_))));
}

/// An EXIF block whose directories point at themselves and at each other, and whose values
/// point past the end.
fn looping_exif() -> Vec<u8> {
    let mut t = b"MM\0*\0\0\0\x08".to_vec();
    t.extend_from_slice(&4u16.to_be_bytes());
    // Exif IFD pointer back to IFD0, GPS pointer to IFD0, a string far past the end, and an
    // entry with a count so large its size overflows.
    for (tag, kind, count, value) in
        [(0x8769u16, 4u16, 1u32, 8u32), (0x8825, 4, 1, 8), (0x010E, 2, 100, 0xFFFF_FF00), (0x013B, 5, u32::MAX, 8)]
    {
        t.extend_from_slice(&tag.to_be_bytes());
        t.extend_from_slice(&kind.to_be_bytes());
        t.extend_from_slice(&count.to_be_bytes());
        t.extend_from_slice(&value.to_be_bytes());
    }
    t.extend_from_slice(&8u32.to_be_bytes()); // next IFD: itself
    t
}

#[test]
fn malformed_exif_with_loops_and_wild_offsets_is_read_safely() {
    let mut data = vec![0xFF, 0xD8];
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend(looping_exif());
    data.extend_from_slice(&[0xFF, 0xE1]);
    data.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    data.extend(payload);
    fixtures::jpeg_image_segments(&mut data);
    data.extend_from_slice(&[0xFF, 0xD9]);
    let report = checker().check_image(&data, "");
    assert_eq!(report.status, ImageStatus::Read);
    assert!(report.findings.is_empty(), "{report:#?}");
    let clean = strip_metadata(&data).unwrap();
    assert!(!clean.windows(4).any(|w| w == b"Exif"));

    // A directory offset out of range and a directory claiming 60,000 entries.
    for bad in [b"MM\0*\xFF\xFF\xFF\x00".to_vec(), b"MM\0*\0\0\0\x08\xEA\x60".to_vec(), b"XX\0*".to_vec()] {
        let mut found = Found::default();
        assert!(tiff::read(&bad, "EXIF", &mut found).is_err());
    }
}

#[test]
fn files_that_are_not_images_or_too_large_get_a_clear_note() {
    let report = checker().check_image(b"%PDF-1.7 not a picture", "scan.pdf");
    assert_eq!(report.status, ImageStatus::Unreadable);
    assert_eq!(report.notes, ["Could not read this image: not a JPEG, PNG, WebP or HEIC/HEIF image."]);
    assert_eq!(strip_metadata(b"hello"), Err(ImageError::NotAnImage));

    let mut huge = fixtures::jpeg(&Meta::phone(), None, None);
    huge.resize(MAX_IMAGE_BYTES + 1, 0);
    let report = checker().check_image(&huge, "big.jpg");
    assert_eq!(report.status, ImageStatus::Skipped);
    assert!(report.findings.is_empty());
    assert!(
        report.notes[0].starts_with("Not checked: the file is 32.0 MB; files over 32 MB are not checked"),
        "{:?}",
        report.notes
    );
    assert!(matches!(strip_metadata(&huge), Err(ImageError::TooLarge { .. })));
}

#[test]
fn heif_items_stored_in_idat_or_out_of_range_are_handled() {
    // An EXIF item whose extent points past the end of the file.
    let (mut data, ranges) = fixtures::heif(&Meta::phone());
    let exif_start = (ranges[1].start as u32).to_be_bytes();
    let at = data.windows(4).rposition(|w| w == exif_start).unwrap();
    data[at..at + 4].copy_from_slice(&u32::MAX.to_be_bytes());
    let report = checker().check_image(&data, "");
    assert_eq!(report.status, ImageStatus::Unreadable, "{report:#?}");
    assert!(report.notes[0].contains("outside the file"), "{report:#?}");
    assert!(strip_metadata(&data).is_err());
}

/// An item pointing into the file's own structure (here the `ftyp` box, as a fuzzed file
/// did) is refused: blanking it would wreck the file, and the copy would no longer be an image.
#[test]
fn heif_items_outside_the_data_boxes_are_refused() {
    let (mut data, ranges) = fixtures::heif(&Meta::phone());
    let exif_start = (ranges[1].start as u32).to_be_bytes();
    let at = data.windows(4).rposition(|w| w == exif_start).unwrap();
    data[at..at + 4].copy_from_slice(&0u32.to_be_bytes());
    let report = checker().check_image(&data, "");
    assert_eq!(report.status, ImageStatus::Unreadable, "{report:#?}");
    assert!(report.notes[0].contains("outside the file's data boxes"), "{report:#?}");
    assert!(strip_metadata(&data).is_err());
    let fuzzed = include_bytes!("../../fuzz/seeds/image/regression-heif-item-over-ftyp");
    assert!(strip_metadata(fuzzed).is_err());
}

/// Writes the fixtures as seeds for the fuzz target (`crate/fuzz/seeds/image`).
#[test]
#[ignore = "run by hand to refresh the fuzzing seeds"]
fn write_fuzz_seeds() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/image");
    std::fs::create_dir_all(&dir).unwrap();
    let meta = Meta { description: Some(CAPTION), artist: Some("A B"), xmp_caption: Some(CAPTION), ..Meta::phone() };
    for (name, data) in all_formats(&meta) {
        std::fs::write(dir.join(format!("seed-{name}")), data).unwrap();
    }
    std::fs::write(dir.join("seed-exif-loop"), looping_exif()).unwrap();
}

#[test]
fn a_file_of_countless_empty_segments_stops_at_the_cap() {
    let mut data = vec![0xFF, 0xD8];
    for _ in 0..=MAX_PARTS {
        data.extend_from_slice(&[0xFF, 0xFE, 0, 2]);
    }
    let report = checker().check_image(&data, "");
    assert_eq!(report.status, ImageStatus::Unreadable);
    assert!(report.notes[0].contains("too many segments"), "{:?}", report.notes);
    assert!(strip_metadata(&data).is_err());
}

#[test]
fn xmp_coordinates_and_attribute_values_are_read() {
    let packet = br#"<rdf:Description exif:GPSLatitude="36,50.91S" exif:GPSLongitude='174,45.798E' tiff:Model="Pixel &amp; Co"><dc:creator><rdf:Seq><rdf:li>Ana Tui</rdf:li><rdf:li>Dr Jane Citizen</rdf:li></rdf:Seq></dc:creator></rdf:Description>"#;
    let mut found = Found::default();
    xmp::read(packet, &mut found);
    let value = |kind| found.items.iter().find(|i| i.kind == kind).map(|i| i.value.as_str());
    assert_eq!(value(ImageKind::Location), Some("36.84850° S, 174.76330° E"));
    assert_eq!(value(ImageKind::Device), Some("Pixel & Co"));
    assert_eq!(value(ImageKind::Person), Some("Ana Tui; Dr Jane Citizen"));
}
