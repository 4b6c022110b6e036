//! Word lists and prefilter literals as tries.
//!
//! The packs' lists are laid out by the pack compiler (`crate::packs`, which `build.rs` runs)
//! and embedded as bytes, so starting the engine only reads them back; the user's own lists
//! (watch-words, affiliations) are built at run time by the same [`WordIndex::build`]. The
//! writers (`to_bytes`, [`Prefilter::build`]) are used by the build and by this crate's tests
//! only.

use crate::text::{is_ascii_word_byte, is_word_char, Span};
use crate::trie::{put_varint, Reader, Trie, TrieBuilder};

/// Whole-word phrases, each belonging to a signal.
pub struct WordIndex {
    trie: Trie,
    /// Indexed by the trie's values.
    owners: Vec<WordOwner>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct WordOwner {
    signal: u32,
    /// The last word may run on (`incompeten*`).
    prefix: bool,
    /// The entry starts (ends) with a word character, so it must not continue a word.
    bound_left: bool,
    bound_right: bool,
}

impl WordIndex {
    /// `entries` are (signal index, word) pairs; a trailing `*` marks a prefix. Words are
    /// matched in ASCII lower case, against the post in ASCII lower case.
    pub fn build<'w>(entries: impl IntoIterator<Item = (usize, &'w str)>) -> WordIndex {
        let mut builder = TrieBuilder::default();
        let mut owners = Vec::new();
        for (signal, word) in entries {
            let (body, prefix) = match word.strip_suffix('*') {
                Some(b) => (b, true),
                None => (word, false),
            };
            let (Some(first), Some(last)) = (body.chars().next(), body.chars().last()) else { continue };
            builder.insert(body.to_ascii_lowercase().as_bytes(), owners.len() as u32);
            owners.push(WordOwner {
                signal: signal as u32,
                prefix,
                bound_left: is_word_char(first),
                bound_right: is_word_char(last),
            });
        }
        WordIndex { trie: builder.build(), owners }
    }

    /// Adds every whole-word hit to `hits[signal]`; `text` is the post in ASCII lower case.
    pub fn scan(&self, text: &str, hits: &mut [Vec<Span>]) {
        let bytes = text.as_bytes();
        // Inside an ASCII word, an entry starting here starts with a word character and
        // continues a word, so it would be refused below: do not walk from there at all.
        let may_start =
            |start: usize| start == 0 || !(is_ascii_word_byte(bytes[start]) && is_ascii_word_byte(bytes[start - 1]));
        self.trie.find_all(
            bytes,
            |b| b,
            may_start,
            |start, mut end, value| {
                let owner = self.owners[value as usize];
                if owner.bound_left && text[..start].chars().next_back().is_some_and(is_word_char) {
                    return;
                }
                if owner.prefix {
                    end += text[end..].find(|c: char| !is_word_char(c)).unwrap_or(text.len() - end);
                } else if owner.bound_right && text[end..].chars().next().is_some_and(is_word_char) {
                    return;
                }
                if let Some(hits) = hits.get_mut(owner.signal as usize) {
                    hits.push(start..end);
                }
            },
        );
    }

    /// The index as bytes: the trie, then each owner's signal and flags.
    #[cfg_attr(not(test), allow(dead_code))] // the pack compiler writes the packs' words with it
    pub fn to_bytes(&self, out: &mut Vec<u8>) {
        self.trie.to_bytes(out);
        put_varint(out, self.owners.len() as u32);
        for o in &self.owners {
            put_varint(out, o.signal);
            out.push(u8::from(o.prefix) | u8::from(o.bound_left) << 1 | u8::from(o.bound_right) << 2);
        }
    }

    /// Reads what [`WordIndex::to_bytes`] wrote, for an engine of `signals` signals.
    pub fn from_bytes(input: &mut Reader, signals: usize) -> Result<WordIndex, String> {
        let trie = Trie::from_bytes(input)?;
        let count = input.varint()?;
        let owners = (0..count)
            .map(|_| {
                let signal = input.varint()?;
                let flags = input.byte()?;
                if signal as usize >= signals || flags > 0b111 {
                    return Err(format!("a word's owner ({signal}, {flags:#b}) is out of range"));
                }
                Ok(WordOwner {
                    signal,
                    prefix: flags & 1 != 0,
                    bound_left: flags & 2 != 0,
                    bound_right: flags & 4 != 0,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        if trie.values().any(|v| v >= count) {
            return Err("a word has no owner".into());
        }
        Ok(WordIndex { trie, owners })
    }
}

/// One pass over a post that rules out every pattern whose required words are absent: each
/// pattern has groups of literals (computed by the build from the pattern), and a post
/// lacking every literal of one of its groups cannot match it. When one group holds the
/// literals every match starts with, the pass also says where they occur, so the pattern is
/// tried there only instead of along the whole post.
pub struct Prefilter {
    /// The literals that can matter anywhere...
    anywhere: Trie,
    /// ...and those that matter only where the byte before is not an ASCII letter, digit or
    /// `_`: most patterns start with `\b`, so most walks are spared.
    at_word_start: Trie,
    /// For each group of literals (the trie's values), the pattern it belongs to.
    groups: Vec<u32>,
    /// For each group: whether every match of its pattern starts with one of its literals.
    starts: Vec<Option<Starts>>,
    /// For each pattern, the digits in a row every match holds (0 for none): most posts
    /// have no long number, and a dozen identifier patterns need one.
    digit_runs: Vec<u32>,
    /// For each pattern, whether it has any group or digit run (a pattern with neither
    /// always runs).
    filtered: Vec<bool>,
}

/// What the prefilter may require of a post for one pattern, as the build finds it.
pub struct PatternFilter {
    pub groups: Vec<LiteralGroup>,
    /// The length of a run of ASCII digits every match holds.
    pub digit_run: u32,
}

/// A group of literals of a pattern, as the build finds it.
pub struct LiteralGroup {
    /// In ASCII lower case.
    pub literals: Vec<String>,
    /// Whether every match of the pattern starts with one of them.
    pub starts: Option<Starts>,
    /// Whether, in every match, the byte before where one of them occurs (if any) is not
    /// an ASCII letter, digit or `_`: a pattern starting with `\b` and a word, or a part
    /// after a space. The prefilter then looks for them only there.
    pub at_word_start: bool,
}

/// What a group of first literals tells about its pattern's matches.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Starts {
    /// The longest match in bytes, if there is a limit. Trying a pattern anchored at each
    /// place a literal occurs costs at most the number of places times this length, so it
    /// can be kept from costing more than a search along the whole post (see
    /// `signals::find_at`); without a limit, a pattern like `[0-9]+x` tried at every digit of
    /// a long number would cost its square, and is searched for from each place instead.
    pub longest: Option<u32>,
}

/// What the prefilter found in a post.
pub struct Candidates {
    /// Per pattern: whether the post may match it.
    pub possible: Vec<bool>,
    /// Per pattern whose matches all start with one of a group's literals: where those
    /// literals occur, ascending, each once, and the pattern's longest match if limited.
    /// `None` for the other patterns.
    pub starts: Vec<Option<(Vec<usize>, Option<usize>)>>,
}

/// Which of `patterns` patterns the prefilter can rule out: those with a literal group or a
/// digit run.
fn filtered(patterns: usize, groups: &[u32], digit_runs: &[u32]) -> Vec<bool> {
    let mut filtered: Vec<bool> = digit_runs.iter().map(|&run| run > 0).collect();
    filtered.resize(patterns, false);
    for &p in groups {
        filtered[p as usize] = true;
    }
    filtered
}

/// The most ASCII digits in a row in `bytes`.
fn longest_digit_run(bytes: &[u8]) -> usize {
    let (mut longest, mut run) = (0, 0);
    for &b in bytes {
        run = if b.is_ascii_digit() { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// Literals are matched with every ASCII space character read as a plain space: the regex
/// class `\s` expands into six literals per space otherwise. A post holding a literal holds
/// it with spaces read this way too, so the prefilter still never rules out a pattern that
/// could match.
fn plain_space(byte: u8) -> u8 {
    if matches!(byte, b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
        b' '
    } else {
        byte
    }
}

impl Prefilter {
    /// `patterns[i]` are pattern `i`'s groups of literals. Within a group whose literals
    /// only need to be present, a literal containing another is dropped: the shorter one is
    /// present whenever the longer is, so the group's answer is unchanged. (A group that
    /// gives where matches start, or is looked for at word starts only, drops a literal only
    /// when it starts with another: that one occurs at the same place.)
    #[cfg_attr(not(test), allow(dead_code))] // the pack compiler computes the packs' prefilter with it
    pub fn build(patterns: &[PatternFilter]) -> Prefilter {
        let (mut anywhere, mut at_word_start) = (TrieBuilder::default(), TrieBuilder::default());
        let (mut groups, mut starts) = (Vec::new(), Vec::new());
        for (pattern, filter) in patterns.iter().enumerate() {
            // At most one group per pattern gives the starts.
            let mut starts_given = false;
            for group in &filter.groups {
                let gives_starts = group.starts.is_some() && !starts_given;
                starts_given |= gives_starts;
                let mut literals: Vec<Vec<u8>> =
                    group.literals.iter().map(|l| l.bytes().map(plain_space).collect()).collect();
                literals.sort_by_key(Vec::len);
                literals.dedup();
                let mut kept: Vec<Vec<u8>> = Vec::new();
                for literal in literals {
                    // Where a literal occurs matters to a group giving starts, and to one
                    // looked for only at word starts: "01/" at a word start holds "1/", but
                    // not at a word start. Those keep a literal unless it starts with another.
                    let redundant = kept.iter().any(|k| {
                        if gives_starts || group.at_word_start {
                            literal.starts_with(k)
                        } else {
                            literal.windows(k.len()).any(|w| w == k.as_slice())
                        }
                    });
                    if !redundant {
                        kept.push(literal);
                    }
                }
                let builder = if group.at_word_start { &mut at_word_start } else { &mut anywhere };
                for literal in &kept {
                    builder.insert(literal, groups.len() as u32);
                }
                groups.push(pattern as u32);
                starts.push(group.starts.filter(|_| gives_starts));
            }
        }
        let digit_runs: Vec<u32> = patterns.iter().map(|p| p.digit_run).collect();
        let filtered = filtered(patterns.len(), &groups, &digit_runs);
        Prefilter {
            anywhere: anywhere.build(),
            at_word_start: at_word_start.build(),
            groups,
            starts,
            digit_runs,
            filtered,
        }
    }

    /// Whether pattern `i` can be ruled out by this prefilter at all.
    pub fn filtered(&self, pattern: usize) -> bool {
        self.filtered.get(pattern).copied().unwrap_or(false)
    }

    /// For every pattern, whether the post (in ASCII lower case) contains a literal of each of
    /// its groups, and where its matches may start.
    pub fn candidates(&self, text: &str) -> Candidates {
        let mut found = vec![false; self.groups.len()];
        let mut starts: Vec<Option<(Vec<usize>, Option<usize>)>> = vec![None; self.filtered.len()];
        for (group, &pattern) in self.groups.iter().enumerate() {
            if let Some(Starts { longest }) = self.starts[group] {
                starts[pattern as usize] = Some((Vec::new(), longest.map(|l| l as usize)));
            }
        }
        let mut record = |start: usize, _end: usize, group: u32| {
            let group = group as usize;
            found[group] = true;
            if self.starts[group].is_some() {
                if let Some((list, _)) = &mut starts[self.groups[group] as usize] {
                    // A group's literals are all in one trie, walked by ascending start, so
                    // a repeat can only be the last entry.
                    if list.last() != Some(&start) {
                        list.push(start);
                    }
                }
            }
        };
        let bytes = text.as_bytes();
        let word_start = |at: usize| at == 0 || !is_ascii_word_byte(bytes[at - 1]);
        self.at_word_start.find_all(bytes, plain_space, word_start, &mut record);
        self.anywhere.find_all(bytes, plain_space, |_| true, &mut record);
        let digits = longest_digit_run(bytes);
        let mut possible: Vec<bool> = self.digit_runs.iter().map(|&run| run as usize <= digits).collect();
        for (&pattern, found) in self.groups.iter().zip(found) {
            possible[pattern as usize] &= found;
        }
        Candidates { possible, starts }
    }

    #[cfg_attr(not(test), allow(dead_code))] // the pack compiler writes the packs' prefilter with it
    pub fn to_bytes(&self, out: &mut Vec<u8>) {
        self.anywhere.to_bytes(out);
        self.at_word_start.to_bytes(out);
        put_varint(out, self.filtered.len() as u32);
        put_varint(out, self.groups.len() as u32);
        // Per group: its pattern, then 0 (no starts), 1 (starts, matches of any length) or
        // 2 + the longest match.
        for (&pattern, &starts) in self.groups.iter().zip(&self.starts) {
            put_varint(out, pattern);
            put_varint(out, starts.map_or(0, |s| s.longest.map_or(1, |l| l.saturating_add(2))));
        }
        for &run in &self.digit_runs {
            put_varint(out, run);
        }
    }

    /// Reads what [`Prefilter::to_bytes`] wrote, for an engine of `patterns` patterns.
    pub fn from_bytes(input: &mut Reader, patterns: usize) -> Result<Prefilter, String> {
        let anywhere = Trie::from_bytes(input)?;
        let at_word_start = Trie::from_bytes(input)?;
        if input.varint()? as usize != patterns {
            return Err(format!("the prefilter was built for another number of patterns than {patterns}"));
        }
        let count = input.varint()?;
        let (groups, starts): (Vec<u32>, Vec<Option<Starts>>) = (0..count)
            .map(|_| {
                let pattern = input.varint()?;
                let starts = match input.varint()? {
                    0 => None,
                    1 => Some(Starts { longest: None }),
                    n => Some(Starts { longest: Some(n - 2) }),
                };
                Ok((pattern, starts))
            })
            .collect::<Result<Vec<_>, String>>()?
            .into_iter()
            .unzip();
        if groups.iter().any(|&p| p as usize >= patterns) {
            return Err("a literal group names no pattern".into());
        }
        if anywhere.values().chain(at_word_start.values()).any(|v| v >= count) {
            return Err("a literal belongs to no group".into());
        }
        let digit_runs = (0..patterns).map(|_| input.varint()).collect::<Result<Vec<_>, _>>()?;
        let filtered = filtered(patterns, &groups, &digit_runs);
        Ok(Prefilter { anywhere, at_word_start, groups, starts, digit_runs, filtered })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each signal's hits as (start, end), sorted.
    fn hits(index: &WordIndex, text: &str, signals: usize) -> Vec<Vec<(usize, usize)>> {
        let mut hits = vec![Vec::new(); signals];
        index.scan(text, &mut hits);
        hits.iter()
            .map(|h: &Vec<Span>| {
                let mut pairs: Vec<(usize, usize)> = h.iter().map(|s| (s.start, s.end)).collect();
                pairs.sort_unstable();
                pairs
            })
            .collect()
    }

    /// Whole words only, prefixes run on, phrases keep their spaces, non-word edges match
    /// anywhere, and a word in two signals counts for both.
    #[test]
    fn word_boundaries_prefixes_and_owners() {
        let index =
            WordIndex::build([(0, "Idiot"), (1, "incompeten*"), (1, "new smile"), (2, "#ad"), (0, "ad"), (2, "idiot")]);
        assert_eq!(hits(&index, "idiots idiot", 3), [vec![(7, 12)], vec![], vec![(7, 12)]]);
        assert_eq!(hits(&index, "so incompetence!", 3)[1], [(3, 15)]);
        assert_eq!(hits(&index, "a new smile, new  smile", 3)[1], [(2, 11)]);
        assert_eq!(hits(&index, "x#ad ad", 3), [vec![(2, 4), (5, 7)], vec![], vec![(1, 4)]]);
    }

    #[test]
    fn words_round_trip_and_check_their_owners() {
        let index = WordIndex::build([(0, "one"), (3, "two*")]);
        let mut bytes = Vec::new();
        index.to_bytes(&mut bytes);
        let back = WordIndex::from_bytes(&mut Reader::new(&bytes), 4).unwrap();
        assert_eq!(hits(&back, "one twofold", 4), hits(&index, "one twofold", 4));
        assert!(WordIndex::from_bytes(&mut Reader::new(&bytes), 3).is_err(), "signal 3 of 3");
    }

    fn group(literals: &[&str], starts: Option<Option<u32>>) -> LiteralGroup {
        let starts = starts.map(|longest| Starts { longest });
        LiteralGroup { literals: literals.iter().map(ToString::to_string).collect(), starts, at_word_start: false }
    }

    /// A group is satisfied by any of its literals, whatever space characters the post uses;
    /// a pattern needs every one of its groups; a pattern with no group always runs; a group
    /// of first literals says where they occur, once each.
    #[test]
    fn prefilter_groups_and_starts() {
        let groups = [
            vec![group(&["mrn", "urn"], Some(Some(20)))],
            vec![group(&["you are"], Some(None)), group(&["idiot", "idiots", "an idiot"], None)],
            vec![],
            vec![group(&["the", "these", "other"], Some(Some(9)))],
        ];
        let prefilter = Prefilter::build(&groups.map(|groups| PatternFilter { groups, digit_run: 0 }));
        assert!(prefilter.filtered(0) && prefilter.filtered(1) && !prefilter.filtered(2));
        let found = prefilter.candidates("urn 123 mrn");
        assert_eq!(found.possible, [true, false, true, false]);
        assert_eq!(found.starts, [Some((vec![0, 8], Some(20))), Some((vec![], None)), None, Some((vec![], Some(9)))]);
        let found = prefilter.candidates("you\tare an idiot; these others");
        assert_eq!(found.possible, [false, true, true, true]);
        assert_eq!(found.starts[1], Some((vec![0], None)));
        assert_eq!(found.starts[3], Some((vec![18, 24, 25], Some(9))), "these, other and its the");
        assert_eq!(prefilter.candidates("you are fine").possible, [false, false, true, false]);
        let mut bytes = Vec::new();
        prefilter.to_bytes(&mut bytes);
        let back = Prefilter::from_bytes(&mut Reader::new(&bytes), 4).unwrap();
        let again = back.candidates("you\nare idiots, mrn the");
        assert_eq!(again.possible, [true, true, true, true]);
        assert_eq!(again.starts, [Some((vec![16], Some(20))), Some((vec![0], None)), None, Some((vec![20], Some(9)))]);
        assert!(Prefilter::from_bytes(&mut Reader::new(&bytes), 5).is_err());
    }

    /// Literals that matter only where a word starts are not looked for inside words.
    #[test]
    fn word_start_literals() {
        let mut the = group(&["the"], Some(Some(9)));
        the.at_word_start = true;
        let the = [vec![the], vec![group(&["the"], Some(Some(9)))]];
        let prefilter = Prefilter::build(&the.map(|groups| PatternFilter { groups, digit_run: 0 }));
        let found = prefilter.candidates("bathe the é_the -the");
        assert_eq!(
            found.starts[0],
            Some((vec![6, 18], Some(9))),
            "after a space and after a dash, not after a letter or _"
        );
        assert_eq!(found.starts[1], Some((vec![2, 6, 13, 18], Some(9))));
        assert_eq!(prefilter.candidates("bathe").possible, [false, true]);
        // "1/" is inside "01/", but not where a word starts: both are kept.
        let mut date = group(&["01/", "1/"], None);
        date.at_word_start = true;
        let prefilter = Prefilter::build(&[PatternFilter { groups: vec![date], digit_run: 0 }]);
        assert_eq!(prefilter.candidates("on 01/01/1932").possible, [true]);
    }

    /// A pattern needing a run of digits is ruled out by a post without one that long, and
    /// the run survives the trip through bytes.
    #[test]
    fn digit_runs() {
        let prefilter = Prefilter::build(&[
            PatternFilter { groups: vec![], digit_run: 4 },
            PatternFilter { groups: vec![group(&["mrn"], None)], digit_run: 7 },
            PatternFilter { groups: vec![], digit_run: 0 },
        ]);
        assert!(prefilter.filtered(0) && prefilter.filtered(1) && !prefilter.filtered(2));
        assert_eq!(prefilter.candidates("over-65s, 123 4567").possible, [true, false, true]);
        assert_eq!(prefilter.candidates("mrn 482 9137").possible, [true, false, true]);
        let mut bytes = Vec::new();
        prefilter.to_bytes(&mut bytes);
        let back = Prefilter::from_bytes(&mut Reader::new(&bytes), 3).unwrap();
        assert_eq!(back.candidates("mrn 4829137").possible, [true, true, true]);
        assert_eq!(longest_digit_run(b"a1b22c333"), 3);
    }
}
