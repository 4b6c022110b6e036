//! The pack compiler: reads the rule packs in `rules/`, validates them, and lays them out as
//! the files the engine embeds: the rules and patterns as JSON (`packs.json`), the word lists
//! and the patterns' prefilter literals as tries (`lists.bin`, see `crate::lists`), every
//! rule's examples (`examples.json`), the learned scorers the packs name, side by side
//! (`models.bin`, see `crate::model::interleave`), and where each rule and signal is defined
//! (`sources.json`, see `crate::sources`).
//!
//! A malformed pack (bad TOML, unknown field, missing signal, invalid regex, too few
//! examples, a damaged model file) is an error naming the file and rule, so the engine never
//! meets a broken pack at run time.
//!
//! `build.rs` runs the compiler, and a build script cannot depend on the crate it builds. The
//! usual way out, a small crate that both the build script and the engine depend on, does not
//! fit here: the compiler writes the engine's own formats, each written and read by one engine
//! module (`trie`, `lists`, `model`, on top of `text` and `schema`), so such a crate would have
//! to take those modules, most of the engine, with it, or split each format's writer from its
//! reader. So the compiler is a module of the library, and `build.rs` compiles it, with the
//! modules it shares with the engine, from the same source files. The library compiles it for
//! its unit tests only: it never compiles packs at run time, and the compiler's regex crates,
//! linked into the native command, would give its patterns Unicode tables the WebAssembly
//! engine lacks (see `Cargo.toml`), so that `cargo xtask eval` would no longer measure
//! exactly the engine the extension runs.

mod ascii;
mod lexicons;
mod locate;
mod prefilter;
mod validate;

#[cfg(test)]
mod tests;

use crate::lists;
use crate::schema::{self, Pack};
use crate::sources::Sources;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What the engine embeds, as the compiler made it.
pub struct Compiled {
    /// The packs merged, without what the engine never reads (docs, examples, word lists).
    pub packs_json: String,
    /// The word lists' trie, then the patterns' prefilter.
    pub lists_bin: Vec<u8>,
    /// Every text rule's examples, by rule id.
    pub examples_json: String,
    /// The learned scorers' weights, interleaved.
    pub models_bin: Vec<u8>,
    /// Where each rule and signal is defined, with the signals' docs.
    pub sources_json: String,
    /// Every file the compiler read, so the build can run again when one changes.
    pub inputs: Vec<PathBuf>,
}

impl Compiled {
    /// The files to write, under the names the engine embeds them by.
    pub fn files(&self) -> [(&'static str, &[u8]); 5] {
        [
            ("packs.json", self.packs_json.as_bytes()),
            ("lists.bin", &self.lists_bin),
            ("examples.json", self.examples_json.as_bytes()),
            ("models.bin", &self.models_bin),
            ("sources.json", self.sources_json.as_bytes()),
        ]
    }
}

/// The files read so far, in the order they were read.
#[derive(Default)]
struct Inputs(Vec<PathBuf>);

impl Inputs {
    fn read(&mut self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.0.push(path.to_owned());
        std::fs::read(path)
    }

    fn read_to_string(&mut self, path: &Path) -> std::io::Result<String> {
        self.0.push(path.to_owned());
        std::fs::read_to_string(path)
    }
}

/// Compiles the packs in `dir` (every `*.toml` there, in name order, with the lexicons and
/// models beside them).
pub fn compile(dir: &Path) -> Result<Compiled, String> {
    let mut inputs = Inputs::default();
    let (merged, sources) = read_packs(dir, &mut inputs)?;
    validate::validate(&merged)?;
    let filters: Vec<lists::PatternFilter> =
        merged.signal.iter().flat_map(|s| &s.patterns).map(|p| prefilter::pattern_filter(p)).collect();
    let words = lists::WordIndex::build(
        merged.signal.iter().enumerate().flat_map(|(i, s)| s.words.iter().map(move |w| (i, w.as_str()))),
    );
    let mut lists_bin = Vec::new();
    words.to_bytes(&mut lists_bin);
    lists::Prefilter::build(&filters).to_bytes(&mut lists_bin);
    let examples: BTreeMap<&str, &schema::Examples> =
        merged.rule.iter().map(|r| (r.id.as_str(), &r.examples)).collect();
    Ok(Compiled {
        packs_json: serde_json::to_string(&merged).map_err(|e| e.to_string())?,
        lists_bin,
        examples_json: serde_json::to_string(&examples).map_err(|e| e.to_string())?,
        models_bin: embed_models(&merged, &dir.join("models"), &mut inputs)?,
        sources_json: serde_json::to_string(&sources).map_err(|e| e.to_string())?,
        inputs: inputs.0,
    })
}

/// Reads and merges the packs, their patterns' lexicon references expanded and classes made
/// ASCII, and their lexicon files' words added to their signals' words; with where each of
/// their signals and rules is defined.
fn read_packs(dir: &Path, inputs: &mut Inputs) -> Result<(Pack, Sources), String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("no rule packs in {}", dir.display()));
    }
    let mut merged = Pack::default();
    let mut sources = Sources::default();
    for file in &files {
        let name = file.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let text = inputs.read_to_string(file).map_err(|e| format!("{name}: {e}"))?;
        let mut pack: Pack = toml::from_str(&text).map_err(|e| format!("{name}: {e}"))?;
        locate::record(&name, &text, &mut sources)?;
        for signal in &mut pack.signal {
            let at = |e: String| format!("{name}: signal {}: {e}", signal.name);
            for pattern in &mut signal.patterns {
                *pattern = ascii::classes(&lexicons::expand(pattern, dir, inputs).map_err(at)?);
            }
            for lexicon in std::mem::take(&mut signal.words_file) {
                signal.words.extend(lexicons::read(&dir.join(&lexicon), inputs).map_err(at)?);
            }
        }
        merged.signal.extend(pack.signal);
        merged.rule.extend(pack.rule);
        merged.image_rule.extend(pack.image_rule);
    }
    Ok((merged, sources))
}

/// The model files the packs' model signals name, checked and laid side by side in name
/// order (`model::interleave`); the engine borrows the table from these bytes.
fn embed_models(pack: &Pack, dir: &Path, inputs: &mut Inputs) -> Result<Vec<u8>, String> {
    let names: BTreeSet<&str> =
        pack.signal.iter().filter_map(|s| s.model.as_ref()).map(|m| m.scorer.as_str()).collect();
    let files = names
        .into_iter()
        .map(|name| {
            let path = dir.join(format!("{name}.bin"));
            inputs.read(&path).map(|bytes| (name, bytes)).map_err(|e| format!("model {name}: {}: {e}", path.display()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let borrowed: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    crate::model::interleave(&borrowed).map_err(|e| format!("{}: {e}", dir.display()))
}
