//! Patterns made ASCII-only before the engine compiles them.

/// Rewrites `\w`, `\d`, `\s`, `\b` (and `\W`, `\S`, `\D` outside classes) as their
/// ASCII forms. Posts are folded to ASCII digits and spaces before matching, and letters
/// outside ASCII are spelled out in the packs where they matter (Ō, ā); Unicode-wide classes
/// would only make every pattern several times slower to compile, which the extension pays
/// each time its service worker restarts.
pub fn classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut depth = 0usize;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push(c);
                    break;
                };
                let inside = depth > 0;
                match (next, inside) {
                    ('w', false) => out.push_str("[[:word:]]"),
                    ('w', true) => out.push_str("[:word:]"),
                    ('d', false) => out.push_str("[0-9]"),
                    ('d', true) => out.push_str("0-9"),
                    ('s', false) => out.push_str("[[:space:]]"),
                    ('s', true) => out.push_str("[:space:]"),
                    ('b', false) => out.push_str("(?-u:\\b)"),
                    ('W', false) => out.push_str("[^[:word:]]"),
                    ('S', false) => out.push_str("[^[:space:]]"),
                    ('D', false) => out.push_str("[^0-9]"),
                    _ => {
                        out.push(c);
                        out.push(next);
                    }
                }
            }
            '[' => {
                depth += 1;
                out.push(c);
            }
            ']' if depth > 0 => {
                depth -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}
