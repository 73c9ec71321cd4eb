//! Gazetteers as hashed membership sets: names in, lookups out.
//!
//! A name is stored only as 64-bit hashes of its matching key (whole name,
//! and whole name with the first word's proclitics stripped) and of each
//! of its words with proclitics stripped; the shipped model therefore holds
//! no gazetteer text. Lookups return a bit set over [`EntityType`]s.

use crate::tags::EntityType;
use rasd_text::{normalize, stem};
use xxhash_rust::xxh3::xxh3_64;

/// Longest name, in words, that [`Gazetteer::name_types`] is asked about.
pub const MAX_NAME_WORDS: usize = 5;

/// A bit set over entity types: bit `i` is `EntityType::ALL[i]`.
pub type TypeSet = u8;

/// Hashed name and word sets, one pair per entity type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gazetteer {
    /// Sorted hashes of whole names, per type.
    pub(crate) names: [Vec<u64>; 4],
    /// Sorted hashes of single words of names, per type.
    pub(crate) words: [Vec<u64>; 4],
}

/// Hash of a name given as matching-key words, first word as given.
pub(crate) fn hash_words<'a>(words: impl IntoIterator<Item = &'a str>) -> u64 {
    let mut buf = String::new();
    for (i, w) in words.into_iter().enumerate() {
        if i > 0 {
            buf.push(' ');
        }
        buf.push_str(w);
    }
    xxh3_64(buf.as_bytes())
}

impl Gazetteer {
    /// Adds one name (any spelling: it is normalized here).
    pub fn add(&mut self, ty: EntityType, name: &str) {
        let key = normalize::matching_key(name);
        let words: Vec<&str> = key.split_whitespace().collect();
        if words.is_empty() || words.len() > MAX_NAME_WORDS {
            return;
        }
        let t = ty as usize;
        self.names[t].push(hash_words(words.iter().copied()));
        let first = stem::strip_proclitics(words[0]);
        self.names[t].push(hash_words(
            std::iter::once(first).chain(words[1..].iter().copied()),
        ));
        for w in &words {
            let w = stem::strip_proclitics(w);
            if w.chars().count() >= 2 {
                self.words[t].push(xxh3_64(w.as_bytes()));
            }
        }
    }

    /// Adds every name of a gazetteer file's text (one name per line; the
    /// `====` and `****` group header lines of ANERgazet are skipped).
    pub fn add_lines(&mut self, ty: EntityType, text: &str) {
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with("====") || line.starts_with("****") {
                continue;
            }
            self.add(ty, line);
        }
    }

    /// Sorts and deduplicates the sets; call once after the last `add`.
    pub fn finish(&mut self) {
        for set in self.names.iter_mut().chain(self.words.iter_mut()) {
            set.sort_unstable();
            set.dedup();
        }
    }

    /// Types whose name list holds the name hashed as `hash` (see [`hash_words`]).
    pub(crate) fn name_types(&self, hash: u64) -> TypeSet {
        types_of(&self.names, hash)
    }

    /// Types with a name containing the word (matching key, proclitics stripped).
    pub fn word_types(&self, stripped_word: &str) -> TypeSet {
        types_of(&self.words, xxh3_64(stripped_word.as_bytes()))
    }

    /// Types with a name equal to `name` (any spelling; the first word may
    /// carry proclitics).
    pub fn lookup(&self, name: &str) -> TypeSet {
        let key = normalize::matching_key(name);
        let words: Vec<&str> = key.split_whitespace().collect();
        let Some((first, rest)) = words.split_first() else {
            return 0;
        };
        self.name_types(hash_words(words.iter().copied()))
            | self.name_types(hash_words(
                std::iter::once(stem::strip_proclitics(first)).chain(rest.iter().copied()),
            ))
    }
}

fn types_of(sets: &[Vec<u64>; 4], hash: u64) -> TypeSet {
    let mut out = 0;
    for (i, set) in sets.iter().enumerate() {
        if set.binary_search(&hash).is_ok() {
            out |= 1 << i;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_names_with_clitics_and_spelling_variants() {
        let mut g = Gazetteer::default();
        g.add_lines(EntityType::Location, "====\nآسيا\n****\nالعراق\nبغداد\n");
        g.add(EntityType::Person, "مصطفى الكاظمي");
        g.finish();
        let loc = 1 << EntityType::Location as u8;
        let per = 1 << EntityType::Person as u8;
        assert_eq!(g.lookup("العراق"), loc);
        assert_eq!(g.lookup("بالعراق"), loc);
        assert_eq!(g.lookup("مصطفي الكاظمي"), per);
        assert_eq!(g.lookup("===="), 0);
        assert_eq!(g.word_types("كاظمي"), per);
        assert_eq!(g.lookup(""), 0);
    }
}
