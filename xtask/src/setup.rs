//! Running commands and installing what a task needs when it is missing.

use std::path::PathBuf;
use std::process::Command;

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().map(PathBuf::from).unwrap_or_default()
}

/// The cargo that is running us, so a toolchain chosen by rustup is kept.
pub fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

/// Prints a visible heading for a step of a task.
pub fn step(name: &str) {
    eprintln!("\n==> {name}");
}

/// Runs a command, failing with its command line when it does not succeed.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("{cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed ({status})"))
    }
}

/// Runs a command and returns its standard output, or None when it cannot run or fails.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Cargo's target directory, where `cargo build` writes (respects CARGO_TARGET_DIR).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

/// Adds the WebAssembly target through rustup when the toolchain lacks it.
pub fn ensure_wasm_target() -> Result<(), String> {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    step("Installing the wasm32-unknown-unknown target");
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// Adds a rustup component (rustfmt, clippy) when the toolchain lacks it; without rustup,
/// the toolchain is left as it is.
pub fn ensure_rustup_component(component: &str) -> Result<(), String> {
    let Some(installed) = output(Command::new("rustup").args(["component", "list", "--installed"])) else {
        return Ok(());
    };
    if installed.lines().any(|l| l.trim() == component || l.starts_with(&format!("{component}-"))) {
        return Ok(());
    }
    step(&format!("Installing the {component} component"));
    run(Command::new("rustup").args(["component", "add", component]))
}

/// The version of a package as resolved in Cargo.lock (the crate pins wasm-bindgen exactly,
/// and the command-line tool must be the same version).
pub fn locked_version(package: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == format!("name = \"{package}\"") {
            if let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(version.trim_end_matches('"').to_owned());
            }
        }
    }
    Err(format!("{package} is not in Cargo.lock"))
}

/// A command installed by `cargo install package` when missing, found on PATH or in cargo's
/// bin folder; with `version`, only that version will do (`binary --version` must name it).
/// `--locked` is tried first; it fails when the registry lacks a locked dependency's version,
/// and then the newest compatible dependencies are used instead.
pub fn ensure_cargo_tool(package: &str, binary: &str, version: Option<&str>) -> Result<PathBuf, String> {
    let in_cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|home| home.join("bin").join(binary));
    let candidates = [Some(PathBuf::from(binary)), in_cargo_home];
    let usable = |c: &PathBuf| {
        output(Command::new(c).arg("--version"))
            .and_then(|v| v.split_whitespace().nth(1).map(str::to_owned))
            .is_some_and(|found| version.is_none_or(|wanted| found == wanted))
    };
    if let Some(tool) = candidates.iter().flatten().find(|c| usable(c)) {
        return Ok(tool.clone());
    }
    step(&format!("Installing {package} {}", version.unwrap_or("(latest)")));
    let install = |locked: bool| {
        let mut c = cargo();
        c.args(["install", package, "--force"]);
        if let Some(v) = version {
            c.args(["--version", v]);
        }
        if locked {
            c.arg("--locked");
        }
        run(&mut c)
    };
    install(true).or_else(|_| install(false))?;
    candidates
        .iter()
        .flatten()
        .find(|c| usable(c))
        .cloned()
        .ok_or_else(|| format!("{binary} is not usable after installing {package}"))
}

/// Installs Debian packages that are missing (the machines run Debian as root).
pub fn ensure_apt(packages: &[&str]) -> Result<(), String> {
    let installed = |p: &&str| {
        output(Command::new("dpkg-query").args(["-W", "-f=${Status}", p]))
            .is_some_and(|s| s.contains("install ok installed"))
    };
    let missing: Vec<&str> = packages.iter().filter(|p| !installed(p)).copied().collect();
    if missing.is_empty() {
        return Ok(());
    }
    step(&format!("Installing {}", missing.join(", ")));
    run(Command::new("apt-get").arg("update"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "--no-install-recommends"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// Installs a folder's npm packages from its lock file when node_modules is missing or older.
pub fn ensure_npm(dir: &std::path::Path) -> Result<(), String> {
    if output(Command::new("npm").arg("--version")).is_none() {
        ensure_apt(&["nodejs", "npm"])?;
    }
    let modified = |p: PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let installed = modified(dir.join("node_modules/.package-lock.json"));
    let wanted = modified(dir.join("package-lock.json"));
    if installed.is_some() && installed >= wanted {
        return Ok(());
    }
    step(&format!("Installing npm packages in {}", dir.display()));
    let npm = |command: &str| run(Command::new("npm").args([command, "--no-audit", "--no-fund"]).current_dir(dir));
    npm("ci").or_else(|_| npm("install"))
}
