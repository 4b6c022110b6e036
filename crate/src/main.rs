//! `second-opinion`: the engine on the command line.
//!
//! ```text
//! second-opinion check [FILE|-] [--format text|json] [--jsonl] [--config FILE]
//! second-opinion rules [--format text|json]
//! second-opinion explain RULE
//! second-opinion check-image FILE [--format text|json] [--config FILE]
//! second-opinion strip-image FILE OUT
//! ```
//! Exit status: 0 nothing found, 1 findings, 2 error.

use second_opinion::image::ImageStatus;
use second_opinion::{strip_metadata, Checker, Config, Finding, ImageReport};
use serde::Serialize;
use std::io::{BufRead, Read, Write};
use std::process::ExitCode;

const USAGE: &str = "\
usage: second-opinion check [FILE|-] [--format text|json] [--jsonl] [--config FILE]
       second-opinion rules [--format text|json]
       second-opinion explain RULE
       second-opinion check-image FILE [--format text|json] [--config FILE]
       second-opinion strip-image FILE OUT

check   reads a post from FILE (or standard input) and prints warnings.
        --format json   the findings as a JSON array
        --jsonl         input is JSON lines {\"id\": ..., \"text\": ...}; writes one
                        {\"id\": ..., \"findings\": [...]} line per input (offsets in UTF-16)
        --config FILE   settings as JSON or TOML (categories, rules, regions,
                        watch_words, affiliations, disclosure_phrases)
rules   lists every rule with its guide section.
explain prints RULE's card, how it detects (each signal it uses, with its doc and the
        file and line of rules/*.toml defining it), and runs its examples, marking each
        one that behaves ✓ and each that does not ✗. Exit status 1 when an example does
        not behave, 2 for an unknown rule (close ids are suggested).
check-image
        reads a JPEG, PNG, WebP or HEIC/HEIF photo and warns about what its metadata
        gives away (place, time, device, names, captions; the file name is checked too).
        Exit status 2 when the file could not be read or is over the size limit.
strip-image
        writes OUT: a copy of FILE without metadata, the picture data unchanged.

exit status: 0 nothing found, 1 findings, 2 error";

#[derive(Default)]
struct Args {
    command: String,
    input: Option<String>,
    json: bool,
    jsonl: bool,
    config: Option<String>,
    output: Option<String>,
}

fn main() -> ExitCode {
    match run() {
        Ok(found) => ExitCode::from(u8::from(found)),
        Err(e) => {
            eprintln!("second-opinion: {e}");
            ExitCode::from(2)
        }
    }
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args::default();
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            "-V" | "--version" => {
                println!("second-opinion {}", env!("CARGO_PKG_VERSION"));
                std::process::exit(0);
            }
            "--format" => match it.next().as_deref() {
                Some("json") => args.json = true,
                Some("text") => args.json = false,
                other => return Err(format!("--format takes text or json, not {other:?}\n{USAGE}")),
            },
            "--jsonl" => args.jsonl = true,
            "--config" => args.config = Some(it.next().ok_or("--config needs a file")?),
            s if s.starts_with('-') && s != "-" => return Err(format!("unknown option {s}\n{USAGE}")),
            s if args.command.is_empty() => args.command = s.to_owned(),
            s if args.input.is_none()
                && matches!(args.command.as_str(), "check" | "check-image" | "strip-image" | "explain") =>
            {
                args.input = Some(s.to_owned());
            }
            s if args.output.is_none() && args.command == "strip-image" => args.output = Some(s.to_owned()),
            s => return Err(format!("unexpected argument {s:?}\n{USAGE}")),
        }
    }
    Ok(args)
}

/// Returns whether anything was found.
fn run() -> Result<bool, String> {
    let args = parse_args()?;
    let config = match &args.config {
        Some(path) => load_config(path)?,
        None => Config::default(),
    };
    let checker = Checker::new(config).map_err(|e| e.to_string())?;
    match args.command.as_str() {
        "check" if args.jsonl => check_jsonl(&checker, args.input.as_deref()),
        "check" => check_one(&checker, args.input.as_deref(), args.json),
        "rules" => list_rules(&checker, args.json).map(|()| false),
        "explain" => explain(args.input.as_deref()),
        "check-image" if args.jsonl => Err("check-image takes one file, not --jsonl".into()),
        "check-image" => check_image(&checker, args.input.as_deref(), args.json),
        "strip-image" => strip_image(args.input.as_deref(), args.output.as_deref()).map(|()| false),
        "" => Err(format!("no command given\n{USAGE}")),
        other => Err(format!("unknown command {other:?}\n{USAGE}")),
    }
}

fn load_config(path: &str) -> Result<Config, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let lower = path.to_ascii_lowercase();
    let parsed = if lower.ends_with(".toml") {
        Config::from_toml(&text)
    } else if lower.ends_with(".json") || text.trim_start().starts_with('{') {
        Config::from_json(&text)
    } else {
        Config::from_toml(&text)
    };
    parsed.map_err(|e| format!("{path}: {e}"))
}

fn read_input(path: Option<&str>) -> Result<(String, String), String> {
    let (name, bytes) = match path {
        None | Some("-") => {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).map_err(|e| format!("standard input: {e}"))?;
            ("<stdin>".to_owned(), buf)
        }
        Some(p) => (p.to_owned(), std::fs::read(p).map_err(|e| format!("{p}: {e}"))?),
    };
    if u32::try_from(bytes.len()).is_err() {
        return Err(format!("{name}: larger than 4 GiB; split it into smaller files"));
    }
    let text = String::from_utf8(bytes)
        .map_err(|e| format!("{name}: not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to()))?;
    Ok((name, text))
}

fn check_one(checker: &Checker, path: Option<&str>, json: bool) -> Result<bool, String> {
    let (name, text) = read_input(path)?;
    let findings = checker.check(&text);
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &findings).map_err(|e| e.to_string())?;
        writeln!(out).map_err(|e| e.to_string())?;
    } else {
        for f in &findings {
            let (line, col) = line_col(&text, f.byte_start);
            writeln!(
                out,
                "{name}:{line}:{col}: {} [{}] {} (Guide §{} {})\n    \"{}\": {}\n    Tip: {}",
                f.severity.as_str(),
                f.rule,
                f.title,
                f.section,
                f.section_title,
                f.text,
                f.message,
                f.tip
            )
            .map_err(|e| e.to_string())?;
        }
        if findings.is_empty() {
            writeln!(out, "{name}: nothing found").map_err(|e| e.to_string())?;
        }
    }
    Ok(!findings.is_empty())
}

fn read_bytes(path: Option<&str>) -> Result<(String, Vec<u8>), String> {
    match path {
        None => Err(format!("no image file given\n{USAGE}")),
        Some("-") => {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).map_err(|e| format!("standard input: {e}"))?;
            Ok(("<stdin>".to_owned(), buf))
        }
        Some(p) => Ok((p.to_owned(), std::fs::read(p).map_err(|e| format!("{p}: {e}"))?)),
    }
}

/// Findings exit 1; a file that could not be read (or was too large) exits 2 after its note.
fn check_image(checker: &Checker, path: Option<&str>, json: bool) -> Result<bool, String> {
    let (name, bytes) = read_bytes(path)?;
    // Only the file's own name, as a browser gives it, not the folders it sits in.
    let file_name = std::path::Path::new(&name).file_name().map(|n| n.to_string_lossy().into_owned());
    let report = checker.check_image(&bytes, file_name.as_deref().filter(|_| name != "<stdin>").unwrap_or(""));
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &report).map_err(|e| e.to_string())?;
        writeln!(out).map_err(|e| e.to_string())?;
    } else {
        write_image_report(&mut out, &name, &report).map_err(|e| e.to_string())?;
    }
    match report.status {
        _ if !report.findings.is_empty() => Ok(true),
        ImageStatus::Unreadable | ImageStatus::Skipped => Err(format!("{name}: not checked (see the note)")),
        _ => Ok(false),
    }
}

fn write_image_report(out: &mut impl Write, name: &str, report: &ImageReport) -> std::io::Result<()> {
    if let Some(format) = report.format {
        writeln!(out, "{name}: {} image", format.name())?;
    }
    for f in &report.findings {
        writeln!(
            out,
            "{name}: {} [{}] {} (Guide §{} {})\n    {}: \"{}\": {}\n    Tip: {}",
            f.severity.as_str(),
            f.rule,
            f.title,
            f.section,
            f.section_title,
            f.field,
            f.text,
            f.message,
            f.tip
        )?;
    }
    for note in &report.notes {
        writeln!(out, "{name}: note: {note}")?;
    }
    if report.findings.is_empty() && report.status == ImageStatus::Read {
        writeln!(out, "{name}: nothing found")?;
    }
    Ok(())
}

fn strip_image(path: Option<&str>, output: Option<&str>) -> Result<(), String> {
    let output = output.ok_or_else(|| format!("strip-image needs a file to write\n{USAGE}"))?;
    let (name, bytes) = read_bytes(path)?;
    let clean = strip_metadata(&bytes).map_err(|e| format!("{name}: no copy written: {e}"))?;
    std::fs::write(output, clean).map_err(|e| format!("{output}: {e}"))
}

/// 1-based line and column (in characters) of a byte offset; "\n", "\r\n" and "\r" each end a line.
fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let before = &text[..byte];
    let line = before.matches('\n').count() + before.matches('\r').count() - before.matches("\r\n").count() + 1;
    let col = before.rsplit(['\n', '\r']).next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// The fields the JSON-lines format promises, offsets in UTF-16 code units.
#[derive(Serialize)]
struct LineFinding<'a> {
    rule: &'a str,
    category: &'a str,
    severity: &'a str,
    start: usize,
    end: usize,
    text: &'a str,
    section: &'a str,
    message: &'a str,
}

impl<'a> From<&'a Finding> for LineFinding<'a> {
    fn from(f: &'a Finding) -> Self {
        LineFinding {
            rule: &f.rule,
            category: f.category.as_str(),
            severity: f.severity.as_str(),
            start: f.start,
            end: f.end,
            text: &f.text,
            section: &f.section,
            message: &f.message,
        }
    }
}

/// One output line of `--jsonl`: the input's id, then its findings.
#[derive(Serialize)]
struct LineOut<'a> {
    id: &'a serde_json::Value,
    findings: Vec<LineFinding<'a>>,
}

/// One output line per input line. A bad line gets an `error` line and the run goes on, so
/// one stray line does not lose the rest; the exit status is then 2.
fn check_jsonl(checker: &Checker, path: Option<&str>) -> Result<bool, String> {
    let reader: Box<dyn BufRead> = match path {
        None | Some("-") => Box::new(std::io::stdin().lock()),
        Some(p) => Box::new(std::io::BufReader::new(std::fs::File::open(p).map_err(|e| format!("{p}: {e}"))?)),
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let (mut found, mut errors) = (false, 0usize);
    for (n, line) in reader.split(b'\n').enumerate() {
        let line = line.map_err(|e| e.to_string())?;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let record = match parse_record(&line) {
            Ok(r) => r,
            Err(e) => {
                errors += 1;
                let err = serde_json::json!({"line": n + 1, "error": e});
                writeln!(out, "{err}").map_err(|e| e.to_string())?;
                continue;
            }
        };
        let findings = checker.check(&record.1);
        found |= !findings.is_empty();
        let line = LineOut { id: &record.0, findings: findings.iter().map(LineFinding::from).collect() };
        let json = serde_json::to_string(&line).map_err(|e| e.to_string())?;
        writeln!(out, "{json}").map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())?;
    if errors > 0 {
        return Err(format!("{errors} input line(s) could not be read; see the error lines in the output"));
    }
    Ok(found)
}

fn parse_record(line: &[u8]) -> Result<(serde_json::Value, String), String> {
    let value: serde_json::Value = serde_json::from_slice(line).map_err(|e| format!("not JSON: {e}"))?;
    let id = value.get("id").cloned().ok_or("missing \"id\"")?;
    let text = value.get("text").and_then(|t| t.as_str()).ok_or("missing string \"text\"")?;
    Ok((id, text.to_owned()))
}

fn list_rules(checker: &Checker, json: bool) -> Result<(), String> {
    let rules = checker.rules();
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &rules).map_err(|e| e.to_string())?;
        return writeln!(out).map_err(|e| e.to_string());
    }
    for r in &rules {
        let region = r.region.map(|g| format!(" [{g:?}]")).unwrap_or_default();
        let state = if checker.is_enabled(&r.id) { "on " } else { "off" };
        writeln!(
            out,
            "{state} {:<34} {:<10} {:<8} Guide §{}{region}\n    {}",
            r.id,
            r.category.as_str(),
            r.severity.as_str(),
            r.section,
            r.description
        )
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Prints the rule's explanation; true when one of its examples does not behave.
fn explain(id: Option<&str>) -> Result<bool, String> {
    let id = id.ok_or_else(|| format!("explain needs a rule id\n{USAGE}"))?;
    let explanation = second_opinion::explain::explain(id).map_err(|e| e.to_string())?;
    let mut out = std::io::stdout().lock();
    write!(out, "{explanation}").map_err(|e| e.to_string())?;
    Ok(!explanation.examples_behave())
}
