//! Where a pack's signals and rules are defined: the pack read a second time, for its names
//! and ids only, with the spans the TOML parser keeps for them. A scan for `name = "..."`
//! lines would miss other ways TOML can write the same key (quoted keys, single quotes,
//! inline tables) and could be fooled by a multi-line string.

use crate::sources::{Location, SignalSource, Sources};
use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
struct Located {
    #[serde(default)]
    signal: Vec<Named>,
    #[serde(default)]
    rule: Vec<Identified>,
    #[serde(default)]
    image_rule: Vec<Identified>,
}

#[derive(Deserialize)]
struct Named {
    name: Spanned<String>,
    #[serde(default)]
    doc: String,
}

#[derive(Deserialize)]
struct Identified {
    id: Spanned<String>,
}

/// Adds the signals and rules of the pack `file`, whose text is `text`, to `sources`.
pub fn record(file: &str, text: &str, sources: &mut Sources) -> Result<(), String> {
    let located: Located = toml::from_str(text).map_err(|e| format!("{file}: {e}"))?;
    let at = |span: std::ops::Range<usize>| Location {
        file: file.to_owned(),
        line: text[..span.start].matches('\n').count() + 1,
    };
    for signal in located.signal {
        let source = SignalSource { at: at(signal.name.span()), doc: signal.doc };
        sources.signals.insert(signal.name.into_inner(), source);
    }
    for rule in located.rule.into_iter().chain(located.image_rule) {
        sources.rules.insert(rule.id.get_ref().clone(), at(rule.id.span()));
    }
    Ok(())
}
