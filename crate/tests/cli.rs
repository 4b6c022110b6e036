//! The `second-opinion` command as a user runs it: output formats, exit codes, errors.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_second-opinion"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // The command may exit before reading its input (a bad --config), closing the pipe.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn findings_exit_1_with_line_column_rule_and_section() {
    let o = run(&["check", "-"], b"First line\nSaw Mr Robert Haines, MRN 4829137, in ED");
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("<stdin>:2:27: serious [medical-record-number]"), "{out}");
    assert!(out.contains("Guide §02"), "{out}");
}

#[test]
fn clean_post_exits_0() {
    let o = run(&["check"], b"Flu vaccines are free for over-65s this winter.");
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("nothing found"));
}

#[test]
fn json_format_is_an_array_of_findings() {
    let o = run(&["check", "--format", "json"], "😀 MRN 4829137".as_bytes());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = &v[0];
    assert_eq!(f["rule"], "medical-record-number");
    assert_eq!(f["text"], "4829137");
    // The emoji is two UTF-16 code units and four bytes.
    assert_eq!(f["start"], 7);
    assert_eq!(f["byte_start"], 9);
}

#[test]
fn jsonl_writes_one_line_per_input_with_utf16_offsets() {
    let input =
        "{\"id\": 1, \"text\": \"Clean post about sunscreen.\"}\n\n{\"id\": \"b\", \"text\": \"👩‍⚕️ pt UR 1234567\"}\n";
    let o = run(&["check", "--jsonl"], input.as_bytes());
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], 1);
    assert_eq!(lines[0]["findings"].as_array().unwrap().len(), 0);
    let f = &lines[1]["findings"][0];
    assert_eq!(lines[1]["id"], "b");
    let text = "👩‍⚕️ pt UR 1234567";
    let start = text.find("1234567").unwrap();
    assert_eq!(f["start"], text[..start].encode_utf16().count());
    assert_eq!(f["end"], f["start"].as_u64().unwrap() + 7);
    for key in ["rule", "category", "severity", "start", "end", "text", "section", "message"] {
        assert!(f.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn jsonl_bad_line_is_reported_and_the_rest_still_checked() {
    let input = "not json\n{\"id\": 2, \"text\": \"MRN 4829137\"}\n";
    let o = run(&["check", "--jsonl"], input.as_bytes());
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(out.contains("\"line\":1"), "{out}");
    assert!(out.contains("medical-record-number"), "{out}");
}

#[test]
fn bad_config_exits_2_naming_the_field() {
    let dir = std::env::temp_dir().join(format!("so-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cfg = dir.join("bad.json");
    std::fs::write(&cfg, r#"{"categories": {"tone": "yes"}}"#).unwrap();
    let o = run(&["check", "--config", cfg.to_str().unwrap()], b"hello");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("categories.tone"), "{err}");

    let toml = dir.join("ok.toml");
    std::fs::write(&toml, "[rules]\nmedical-record-number = false\n").unwrap();
    let o = run(&["check", "--config", toml.to_str().unwrap()], b"MRN 4829137");
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn non_utf8_input_is_a_clear_error() {
    let o = run(&["check"], &[b'o', b'k', 0xff, 0xfe]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not UTF-8"));
}

#[test]
fn rules_lists_every_rule_with_its_section() {
    let o = run(&["rules", "--format", "json"], b"");
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rules = v.as_array().unwrap();
    assert!(rules.len() > 20);
    assert!(rules.iter().all(|r| r["section"].as_str().is_some_and(|s| s.len() == 2)));
    let o = run(&["rules"], b"");
    assert!(stdout(&o).contains("medical-record-number"));
}

/// The card, each signal with its doc and where it is defined, and every example run.
#[test]
fn explain_prints_the_card_the_signals_and_the_examples() {
    let o = run(&["explain", "uk-nhs-number"], b"");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "uk-nhs-number: NHS number", "{out}");
    for line in [
        "  category       identifier",
        "  severity       serious",
        "  region         UK",
        "  learned        no",
        "  on by default  yes",
    ] {
        assert!(lines.contains(&line), "no {line:?} in\n{out}");
    }
    let defined = lines.iter().find(|l| l.starts_with("  defined ")).unwrap_or(&"");
    assert!(defined.trim_end().ends_with(|c: char| c.is_ascii_digit()), "{out}");
    assert!(defined.contains("rules/10-identifiers.toml:"), "{out}");
    for field in ["description", "message", "tip", "instead"] {
        assert!(lines.iter().any(|l| l.starts_with(&format!("  {field} "))), "no {field} in\n{out}");
    }
    assert!(out.contains("detects: match: "), "{out}");
    assert!(out.contains("uk_nhs check"), "{out}");
    let anchor = lines.iter().position(|l| l.starts_with("  anchor: nhs-number  rules/10-identifiers.toml:")).unwrap();
    assert!(lines[anchor + 1].starts_with("      ") && lines[anchor + 1].len() > 10, "the doc, in\n{out}");
    assert!(out.contains("unless near (up to 4 words before, same sentence): phone-word  rules/"), "{out}");
    assert!(out.contains("examples: 6 of 6 behave"), "{out}");
    assert!(out.contains("  ✓ flag \"NHS number 9434765870 keeps failing the PDS trace\""), "{out}");
    assert!(out.contains("  ✓ pass \"Invoice 9434765870 paid\""), "{out}");
    assert!(!out.contains('✗'), "{out}");
}

#[test]
fn explain_an_unknown_rule_exits_2_with_close_ids() {
    let o = run(&["explain", "uk-nhs-numbr"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.starts_with("second-opinion: unknown rule \"uk-nhs-numbr\"; did you mean "), "{err}");
    assert!(err.contains("uk-nhs-number"), "{err}");

    let o = run(&["explain"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("explain needs a rule id"));
}

#[test]
fn unknown_option_exits_2() {
    let o = run(&["check", "--colour"], b"");
    assert_eq!(o.status.code(), Some(2));
}

/// A fixture photo written by the image module's tests (`write_fuzz_seeds`): EXIF with GPS,
/// time, device, serial, artist and a caption holding a record number, XMP and IPTC too.
fn seed(name: &str) -> String {
    format!("{}/fuzz/seeds/image/seed-{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn check_image_reports_metadata_as_json_and_exits_1() {
    for format in ["jpeg", "png", "webp", "heif"] {
        let o = run(&["check-image", "--format", "json", &seed(format)], b"");
        assert_eq!(o.status.code(), Some(1), "{format}");
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["format"], format);
        assert_eq!(v["status"], "read");
        let findings = v["findings"].as_array().unwrap();
        let rule = |id: &str| findings.iter().find(|f| f["rule"] == id).unwrap_or_else(|| panic!("{format}: no {id}"));
        assert_eq!(rule("image-location")["text"], "36.84850° S, 174.76330° E");
        assert_eq!(rule("image-location")["section"], "02");
        assert_eq!(rule("medical-record-number")["text"], "4829137");
        assert!(rule("medical-record-number")["field"].as_str().unwrap().contains("EXIF ImageDescription"));
        // Most serious first.
        assert_eq!(findings[0]["severity"], "serious");
    }
}

#[test]
fn check_image_text_output_names_field_and_section() {
    let o = run(&["check-image", &seed("jpeg")], b"");
    let out = stdout(&o);
    assert!(out.contains("serious [image-location] Photo records where it was taken (Guide §02"), "{out}");
    assert!(out.contains("EXIF GPS: \"36.84850° S, 174.76330° E\""), "{out}");
}

#[test]
fn strip_image_writes_a_copy_that_checks_clean() {
    let out = std::env::temp_dir().join(format!("second-opinion-clean-{}.png", std::process::id()));
    let o = run(&["strip-image", &seed("png"), out.to_str().unwrap()], b"");
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["check-image", out.to_str().unwrap()], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("nothing found"));
    std::fs::remove_file(out).unwrap();
}

#[test]
fn check_image_on_a_bad_file_notes_it_and_exits_2() {
    let o = run(&["check-image", "-"], b"GIF89a not supported");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("Could not read this image: not a JPEG, PNG, WebP or HEIC/HEIF image."),
        "{}",
        stdout(&o)
    );
    let o = run(&["strip-image", "-", "/nonexistent/out.jpg"], b"\xFF\xD8\xFF\xE1\x00");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no copy written: the file is damaged"));
}
