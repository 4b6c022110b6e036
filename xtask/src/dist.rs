//! `cargo xtask dist`: the browser extension, built from `extension/` and the engine.
//!
//! The engine is compiled to WebAssembly with cargo and wrapped by `wasm-bindgen --target web`
//! (no wasm-pack, no wasm-opt: Debian's binaryen corrupts wasm-bindgen's output, and removing
//! the name section gives most of the size gain anyway). The TypeScript is type-checked with
//! `tsc` and bundled with esbuild. One manifest source becomes a manifest per browser.
//!
//! Writes `dist/chrome/` and `dist/firefox/` (unpacked, loadable) and
//! `dist/second-opinion-chrome.zip` and `dist/second-opinion-firefox.xpi`.

use crate::setup::{self, root, run, step};
use serde_json::{json, Value};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Clone, Copy)]
pub enum Browser {
    Chrome,
    Firefox,
}

impl Browser {
    const ALL: [Browser; 2] = [Browser::Chrome, Browser::Firefox];

    fn name(self) -> &'static str {
        match self {
            Browser::Chrome => "chrome",
            Browser::Firefox => "firefox",
        }
    }

    fn package(self) -> &'static str {
        match self {
            Browser::Chrome => "second-opinion-chrome.zip",
            Browser::Firefox => "second-opinion-firefox.xpi",
        }
    }

    /// The unpacked extension for this browser.
    pub fn dir(self) -> PathBuf {
        root().join("dist").join(self.name())
    }
}

pub fn run_task(args: &[String]) -> Result<(), String> {
    if let Some(extra) = args.first() {
        return Err(format!("dist takes no arguments (got {extra:?})"));
    }
    build()
}

/// Builds both browsers' extensions and packages.
pub fn build() -> Result<(), String> {
    let extension = root().join("extension");
    let bundles = staging().join("js");

    let pkg = engine()?;
    type_check(&extension)?;

    step("Bundling the extension (esbuild)");
    reset_dir(&bundles)?;
    bundle(&extension, &bundles)?;

    let manifest: Value = serde_json::from_str(&read(&extension.join("manifest.json"))?)
        .map_err(|e| format!("extension/manifest.json: {e}"))?;
    for browser in Browser::ALL {
        step(&format!("dist/{}", browser.name()));
        let dir = browser.dir();
        reset_dir(&dir)?;
        copy_dir(&extension.join("static"), &dir)?;
        copy_dir(&bundles, &dir)?;
        fs::create_dir_all(dir.join("pkg")).map_err(|e| e.to_string())?;
        for file in ["second_opinion.js", "second_opinion_bg.wasm"] {
            copy(&pkg.join(file), &dir.join("pkg").join(file))?;
        }
        let text = serde_json::to_string_pretty(&manifest_for(browser, &manifest)?).map_err(|e| e.to_string())?;
        write(&dir.join("manifest.json"), text.as_bytes())?;
        let package = root().join("dist").join(browser.package());
        zip_dir(&dir, &package)?;
        eprintln!("wrote {} and {}", dir.display(), package.display());
    }
    report_size(&pkg.join("second_opinion_bg.wasm"))
}

/// Where the build stages the engine's glue (`pkg/`, which tsconfig.json's rootDirs names)
/// and the bundles (`js/`).
fn staging() -> PathBuf {
    root().join("target").join("extension")
}

/// The engine compiled to WebAssembly and wrapped by wasm-bindgen in target/extension/pkg/
/// (returned), and extension/'s npm packages installed: what `tsc` needs.
pub fn engine() -> Result<PathBuf, String> {
    let pkg = staging().join("pkg");
    setup::ensure_wasm_target()?;
    let version = setup::locked_version("wasm-bindgen")?;
    let bindgen = setup::ensure_cargo_tool("wasm-bindgen-cli", "wasm-bindgen", Some(&version))?;
    setup::ensure_npm(&root().join("extension"))?;

    step("Engine → WebAssembly");
    run(setup::cargo().args([
        "build",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "second-opinion",
        "--lib",
    ]))?;
    let wasm = setup::target_dir().join("wasm32-unknown-unknown/release/second_opinion.wasm");
    reset_dir(&pkg)?;
    run(Command::new(bindgen)
        .args(["--target", "web", "--remove-name-section", "--out-name", "second_opinion", "--out-dir"])
        .args([&pkg, &wasm]))?;
    Ok(pkg)
}

/// `tsc --noEmit` on extension/, with the glue written by `engine`. TypeScript 7 is installed
/// as `typescript-7` (the `typescript` package is TypeScript 6, whose JavaScript API
/// typescript-eslint needs), and both provide a `tsc` command, so it is called by its path.
pub fn type_check(extension: &Path) -> Result<(), String> {
    step("Type-checking the extension (tsc --noEmit)");
    let mut tsc = Command::new(extension.join("node_modules/typescript-7/bin/tsc"));
    run(tsc.args(["--noEmit", "-p", "."]).current_dir(extension))
}

/// A command from the folder's node_modules/.bin (installed by `npm ci`).
pub fn node_tool(dir: &Path, name: &str) -> Command {
    let mut c = Command::new(dir.join("node_modules/.bin").join(name));
    c.current_dir(dir);
    c
}

/// Pages and the background are ES modules (the background imports the wasm-bindgen glue,
/// left as a separate file beside it); the content script is a classic script.
fn bundle(extension: &Path, out: &Path) -> Result<(), String> {
    let common = ["--bundle", "--target=chrome120,firefox140", "--charset=utf8", "--log-level=warning"];
    let out_dir = format!("--outdir={}", out.display());
    run(node_tool(extension, "esbuild")
        .args(["background=src/background/index.ts", "popup=src/pages/popup.ts", "options=src/pages/options.ts"])
        .args(common)
        .args(["--format=esm", "--external:./pkg/*", &out_dir]))?;
    run(node_tool(extension, "esbuild")
        .args(["content=src/content/index.ts"])
        .args(common)
        .args(["--format=iife", &out_dir]))
}

/// The manifest for one browser, from the single source in extension/manifest.json.
/// Host permissions are the content script's sites, so the list is written once.
fn manifest_for(browser: Browser, source: &Value) -> Result<Value, String> {
    let mut manifest = source.clone();
    let object = manifest.as_object_mut().ok_or("extension/manifest.json is not an object")?;
    let sites: Vec<Value> = object["content_scripts"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|script| script["matches"].as_array().cloned().unwrap_or_default())
        .collect();
    object.insert("host_permissions".into(), Value::Array(sites));
    let worker = object["background"]["service_worker"].clone();
    let kind = object["background"]["type"].clone();
    match browser {
        Browser::Chrome => {
            object.remove("browser_specific_settings");
        }
        Browser::Firefox => {
            object.insert("background".into(), json!({ "scripts": [worker], "type": kind }));
        }
    }
    Ok(manifest)
}

/// Zips a folder with its files at the root of the archive, in name order and with a fixed
/// date, so the same build gives the same bytes.
fn zip_dir(dir: &Path, archive: &Path) -> Result<(), String> {
    let file = fs::File::create(archive).map_err(|e| format!("{}: {e}", archive.display()))?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o644);
    for path in files_under(dir)? {
        let name = path.strip_prefix(dir).map_err(|e| e.to_string())?.to_string_lossy().replace('\\', "/");
        zip.start_file(name, options).map_err(|e| e.to_string())?;
        zip.write_all(&fs::read(&path).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    }
    zip.finish().map_err(|e| format!("{}: {e}", archive.display()))?;
    Ok(())
}

fn report_size(wasm: &Path) -> Result<(), String> {
    let (raw, gzipped) = size(wasm)?;
    eprintln!("\nsecond_opinion_bg.wasm: {raw} bytes raw, {gzipped} bytes gzipped");
    Ok(())
}

/// A file's size in bytes, raw and gzipped at the best compression.
pub fn size(file: &Path) -> Result<(usize, usize), String> {
    let bytes = fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&bytes).map_err(|e| e.to_string())?;
    let gzipped = gz.finish().map_err(|e| e.to_string())?.len();
    Ok((bytes.len(), gzipped))
}

/// Every file under `dir`, sorted by path.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).map_err(|e| format!("{}: {e}", current.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    for path in files_under(from)? {
        let target = to.join(path.strip_prefix(from).map_err(|e| e.to_string())?);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        copy(&path, &target)?;
    }
    Ok(())
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    fs::copy(from, to).map(drop).map_err(|e| format!("copying {} to {}: {e}", from.display(), to.display()))
}

fn reset_dir(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}
