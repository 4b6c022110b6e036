//! A byte trie that finds every occurrence of every entry in a text, overlapping ones
//! included, by walking from each position.
//!
//! Why not an Aho-Corasick automaton: the packs' word lists and prefilter literals (about
//! 9,000 entries) are fixed when the extension is built, but an automaton has to be built
//! again each time the browser restarts the extension's service worker, and building two of
//! them was three quarters of the engine's start-up. A trie can be built by `build.rs` and
//! shipped as bytes ([`Trie::to_bytes`], read back by [`Trie::from_bytes`] in well under a
//! millisecond). Walking it from every position costs at most the longest entry's length per
//! byte of text, so a check stays linear; in practice most walks stop after a byte or two.
//! The user's own lists, known only at run time, are built by the same [`TrieBuilder`].

use std::collections::BTreeMap;

/// A trie in breadth-first order: node 0 is the root, and each node's children are
/// consecutive nodes, sorted by byte, so a node needs only the index of its first child.
pub struct Trie {
    /// The byte leading into each node (the root's is unused).
    bytes: Vec<u8>,
    nodes: Vec<Node>,
    /// The values of the entries ending at each node, node after node.
    values: Vec<u32>,
    /// For each node with many children (the root, and nodes near it, whose children are
    /// looked up most often), its child for each byte, 0 for none (the root is no node's
    /// child); other nodes search their few children.
    tables: Vec<[u32; 256]>,
}

/// What a walk reads at each step, kept together so that a step touches one place.
#[derive(Clone, Copy, Default)]
struct Node {
    first_child: u32,
    children: u32,
    first_value: u32,
    values: u32,
    /// 1 + the node's index in `tables`, or 0.
    table: u32,
}

/// Nodes with more children than this get a table (about a hundred nodes of the packs' tries).
const TABLE_FROM: u32 = 12;

impl Trie {
    /// Calls `found(start, end, value)` for every occurrence of every entry in `text` that
    /// starts where `may_start` allows, with each byte of the text passed through `map`
    /// first, in order of `start`.
    pub fn find_all(
        &self,
        text: &[u8],
        map: impl Fn(u8) -> u8,
        may_start: impl Fn(usize) -> bool,
        mut found: impl FnMut(usize, usize, u32),
    ) {
        let root = &self.tables[0];
        for (start, &first) in text.iter().enumerate() {
            let mut node = root[usize::from(map(first))] as usize;
            if node == 0 || !may_start(start) {
                continue;
            }
            let mut end = start + 1;
            loop {
                let here = self.nodes[node];
                if here.values != 0 {
                    let values = here.first_value as usize..(here.first_value + here.values) as usize;
                    for &value in &self.values[values] {
                        found(start, end, value);
                    }
                }
                let Some(&byte) = text.get(end) else { break };
                node = self.child(here, map(byte));
                if node == 0 {
                    break;
                }
                end += 1;
            }
        }
    }

    /// The child of a node along `byte`, or 0.
    fn child(&self, node: Node, byte: u8) -> usize {
        if node.table != 0 {
            return self.tables[node.table as usize - 1][usize::from(byte)] as usize;
        }
        let first = node.first_child as usize;
        let kids = &self.bytes[first..first + node.children as usize];
        // Sorted and few: a scan that stops at the first larger byte.
        for (i, &kid) in kids.iter().enumerate() {
            if kid >= byte {
                return if kid == byte { first + i } else { 0 };
            }
        }
        0
    }

    /// Every value of every entry.
    pub fn values(&self) -> impl Iterator<Item = u32> + '_ {
        self.values.iter().copied()
    }

    /// The trie as bytes: for each node in order, its byte, its number of children and its
    /// values, the numbers as LEB128 varints.
    pub fn to_bytes(&self, out: &mut Vec<u8>) {
        put_varint(out, self.bytes.len() as u32);
        for (&byte, node) in self.bytes.iter().zip(&self.nodes) {
            out.push(byte);
            put_varint(out, node.children);
            put_varint(out, node.values);
            for &v in &self.values[node.first_value as usize..(node.first_value + node.values) as usize] {
                put_varint(out, v);
            }
        }
    }

    /// Reads what [`Trie::to_bytes`] wrote, checking that every child index lies after its
    /// parent and inside the trie, so a damaged blob is an error, never a panic or a loop.
    pub fn from_bytes(input: &mut Reader) -> Result<Trie, String> {
        let count = input.varint()? as usize;
        if count == 0 {
            return Err("a trie needs a root".into());
        }
        let mut trie = Trie {
            bytes: Vec::with_capacity(count),
            nodes: Vec::with_capacity(count),
            values: Vec::new(),
            tables: Vec::new(),
        };
        let mut next_child = 1u32;
        for _ in 0..count {
            trie.bytes.push(input.byte()?);
            let children = input.varint()?;
            let values = input.varint()?;
            trie.nodes.push(Node {
                first_child: next_child,
                children,
                first_value: trie.values.len() as u32,
                values,
                table: 0,
            });
            for _ in 0..values {
                trie.values.push(input.varint()?);
            }
            next_child = next_child.checked_add(children).ok_or("child count overflows")?;
            // Children always lie after the root, so this bound is all a walk needs: every
            // index it follows is then inside the trie.
            if next_child as usize > count {
                return Err("a child index lies outside the trie".into());
            }
        }
        trie.index_busy_nodes()?;
        Ok(trie)
    }

    /// Gives the root and every node with many children a table; the root's is the first,
    /// so a walk's first step is a single lookup.
    fn index_busy_nodes(&mut self) -> Result<(), String> {
        for node in 0..self.nodes.len() {
            let Node { first_child, children, .. } = self.nodes[node];
            if node != 0 && children <= TABLE_FROM {
                continue;
            }
            let mut table = [0u32; 256];
            for child in first_child..first_child + children {
                let slot = &mut table[usize::from(self.bytes[child as usize])];
                if *slot != 0 {
                    return Err("two children of a node share a byte".into());
                }
                *slot = child;
            }
            self.tables.push(table);
            self.nodes[node].table = self.tables.len() as u32;
        }
        Ok(())
    }
}

/// Collects entries, then lays them out as a [`Trie`].
#[derive(Default)]
pub struct TrieBuilder {
    nodes: Vec<BuildNode>,
}

#[derive(Default)]
struct BuildNode {
    children: BTreeMap<u8, usize>,
    values: Vec<u32>,
}

impl TrieBuilder {
    /// Adds an entry; an entry may be added more than once with different values. Empty
    /// entries are ignored (they would occur everywhere).
    pub fn insert(&mut self, key: &[u8], value: u32) {
        if key.is_empty() {
            return;
        }
        if self.nodes.is_empty() {
            self.nodes.push(BuildNode::default());
        }
        let mut node = 0;
        for &byte in key {
            node = match self.nodes[node].children.get(&byte) {
                Some(&child) => child,
                None => {
                    let child = self.nodes.len();
                    self.nodes.push(BuildNode::default());
                    self.nodes[node].children.insert(byte, child);
                    child
                }
            };
        }
        self.nodes[node].values.push(value);
    }

    /// Numbers the nodes breadth first, which makes each node's children consecutive.
    pub fn build(mut self) -> Trie {
        if self.nodes.is_empty() {
            self.nodes.push(BuildNode::default());
        }
        let mut order = vec![(0usize, 0u8)];
        let mut trie = Trie {
            bytes: Vec::with_capacity(self.nodes.len()),
            nodes: Vec::with_capacity(self.nodes.len()),
            values: Vec::new(),
            tables: Vec::new(),
        };
        let mut at = 0;
        while let Some(&(old, byte)) = order.get(at) {
            at += 1;
            let first_child = order.len() as u32;
            order.extend(self.nodes[old].children.iter().map(|(&b, &child)| (child, b)));
            let values = &mut self.nodes[old].values;
            trie.bytes.push(byte);
            trie.nodes.push(Node {
                first_child,
                children: order.len() as u32 - first_child,
                first_value: trie.values.len() as u32,
                values: values.len() as u32,
                table: 0,
            });
            trie.values.append(values);
        }
        trie.index_busy_nodes().expect("a map's keys are distinct");
        trie
    }
}

/// Appends `value` as an unsigned LEB128 varint.
pub fn put_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Reads bytes and varints from a blob, with an error at its end instead of a panic.
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes }
    }

    // Errors are static text: a `String` would make every result of these small, hot
    // functions (called a hundred thousand times at start-up) a large value.
    #[inline]
    pub fn byte(&mut self) -> Result<u8, &'static str> {
        let (&first, rest) = self.bytes.split_first().ok_or("the blob ends early")?;
        self.bytes = rest;
        Ok(first)
    }

    #[inline]
    pub fn varint(&mut self) -> Result<u32, &'static str> {
        match self.bytes.first() {
            Some(&byte) if byte < 0x80 => {
                self.bytes = &self.bytes[1..];
                return Ok(u32::from(byte));
            }
            _ => {}
        }
        let mut value = 0u32;
        for shift in (0..32).step_by(7) {
            let byte = self.byte()?;
            let bits = u32::from(byte & 0x7f);
            // The fifth byte may carry only the top four bits of a u32.
            if shift == 28 && bits > 0x0f {
                break;
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a varint overflows")
    }

    pub fn is_at_end(&self) -> bool {
        self.bytes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn occurrences(trie: &Trie, text: &str) -> Vec<(usize, usize, u32)> {
        let mut out = Vec::new();
        trie.find_all(text.as_bytes(), |b| b, |_| true, |s, e, v| out.push((s, e, v)));
        out
    }

    /// Every occurrence, overlapping and nested ones included, as a naive search finds them.
    #[test]
    fn finds_what_a_naive_search_finds() {
        let entries = ["he", "she", "hers", "his", "s", "he", "a b", "héllo"];
        let mut builder = TrieBuilder::default();
        for (i, e) in entries.iter().enumerate() {
            builder.insert(e.as_bytes(), i as u32);
        }
        let trie = builder.build();
        for text in ["ushers", "", "hishe she", "a ba b", "héllo héll", "sss"] {
            let mut naive = Vec::new();
            for start in 0..text.len() {
                for (i, e) in entries.iter().enumerate() {
                    if text.as_bytes()[start..].starts_with(e.as_bytes()) {
                        naive.push((start, start + e.len(), i as u32));
                    }
                }
            }
            let mut found = occurrences(&trie, text);
            found.sort_unstable();
            naive.sort_unstable();
            assert_eq!(found, naive, "{text:?}");
        }
    }

    #[test]
    fn round_trips_through_bytes() {
        let mut builder = TrieBuilder::default();
        for (i, e) in ["idiot", "idiots", "@", "über", "x"].iter().enumerate() {
            builder.insert(e.as_bytes(), i as u32 * 1000);
        }
        let trie = builder.build();
        let mut bytes = Vec::new();
        trie.to_bytes(&mut bytes);
        let mut reader = Reader::new(&bytes);
        let back = Trie::from_bytes(&mut reader).unwrap();
        assert!(reader.is_at_end());
        let text = "you idiots @ über x";
        assert_eq!(occurrences(&back, text), occurrences(&trie, text));
        assert_eq!(occurrences(&back, text).len(), 5);
    }

    /// Any damage to the blob is an error: truncation, or a child count pointing past the end.
    #[test]
    fn damaged_blobs_are_errors() {
        let mut builder = TrieBuilder::default();
        builder.insert(b"abc", 1);
        builder.insert(b"abd", 2);
        let mut bytes = Vec::new();
        builder.build().to_bytes(&mut bytes);
        for len in 0..bytes.len() {
            assert!(Trie::from_bytes(&mut Reader::new(&bytes[..len])).is_err(), "truncated to {len}");
        }
        let mut lying = bytes.clone();
        lying[2] = 9; // the root claims nine children
        assert!(Trie::from_bytes(&mut Reader::new(&lying)).is_err());
        assert!(Reader::new(&[0xff; 6]).varint().is_err());
    }

    #[test]
    fn an_empty_builder_finds_nothing() {
        let trie = TrieBuilder::default().build();
        assert!(occurrences(&trie, "anything").is_empty());
    }
}
