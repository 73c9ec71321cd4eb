//! Word clusters learned without labels: a word's matching key in, its
//! path in a binary cluster tree out (Brown-cluster style bit strings).
//!
//! The tree is built by `examples/build_clusters.rs` from the SaudiNewsNet
//! corpus (recursive 2-means over distributional word vectors); the model
//! ships only 32-bit hashes of the words with their paths, no text. A path
//! is a heap index: a leading 1 bit, then one bit per branch taken, so its
//! prefixes of any length name the coarser clusters that hold the word.
//!
//! The table may also carry flat clusterings of the same words (up to
//! [`MAX_FLAT`]: k-means at k = 64, 256, 1024 and 4096 over dense SVD
//! embeddings of the same distributional vectors, also built by
//! `build_clusters`), one id per clustering, looked up with the path.

use rasd_text::stem;
use xxhash_rust::xxh3::xxh3_64;

/// Deepest tree a path can describe (a `u16` with its leading 1 bit).
pub const MAX_DEPTH: u32 = 15;
/// Most words a cluster table may hold (bounds hostile model files).
pub const MAX_WORDS: usize = 1 << 20;

/// Most flat clusterings a table may carry.
pub const MAX_FLAT: usize = 4;

/// Hashed word → cluster path table, with optional flat clusterings of the
/// same words (k-means over dense embeddings at several k: one id per
/// clustering, 1-based, 0 for none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordClusters {
    /// Sorted by hash: the table as the model file stores it.
    entries: Vec<(u32, u16)>,
    /// How many flat clusterings `flat` holds (the rest of each row is 0).
    flat_levels: usize,
    /// Flat cluster ids, sorted by hash, as the model file stores them.
    flat: Vec<(u32, [u16; MAX_FLAT])>,
    /// Both tables in one open-addressing table (linear probing, at most
    /// half full, an all-zero slot is free): one cache miss per lookup
    /// where a binary search over the sorted pairs took a dozen, and the
    /// tagger looks up every token.
    slots: Vec<Slot>,
}

/// What the table knows of a word: its tree path and flat cluster ids
/// (0 where unknown).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordCluster {
    pub path: u16,
    pub flat: [u16; MAX_FLAT],
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Slot {
    hash: u32,
    word: WordCluster,
}

impl Slot {
    fn is_free(&self) -> bool {
        self.word == WordCluster::default()
    }
}

/// The 32-bit table hash of a matching key.
pub fn word_hash(key: &str) -> u32 {
    xxh3_64(key.as_bytes()) as u32
}

/// The first `bits` branches of `path` (the whole path when it is shorter);
/// 0 stays 0 (unknown word).
pub fn prefix(path: u16, bits: u32) -> u16 {
    if path == 0 {
        return 0;
    }
    let depth = 15 - path.leading_zeros();
    if depth > bits {
        path >> (depth - bits)
    } else {
        path
    }
}

impl WordClusters {
    /// A table from `(hash, path)` pairs; invalid paths (0) are dropped and
    /// the first pair of a repeated hash wins.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (u32, u16)>) -> WordClusters {
        let mut entries: Vec<(u32, u16)> = pairs
            .into_iter()
            .filter(|&(_, p)| p != 0)
            .take(MAX_WORDS)
            .collect();
        entries.sort_by_key(|&(h, _)| h);
        entries.dedup_by_key(|&mut (h, _)| h);
        let mut table = WordClusters {
            entries,
            ..WordClusters::default()
        };
        table.index();
        table
    }

    /// The table with `levels` flat clusterings (at most [`MAX_FLAT`]):
    /// `(hash, ids)` rows, ids 1-based; ids past `levels` are cleared, rows
    /// with no id are dropped and the first row of a repeated hash wins.
    pub fn with_flat(
        mut self,
        levels: usize,
        rows: impl IntoIterator<Item = (u32, [u16; MAX_FLAT])>,
    ) -> WordClusters {
        let levels = levels.min(MAX_FLAT);
        let mut flat: Vec<(u32, [u16; MAX_FLAT])> = rows
            .into_iter()
            .map(|(h, mut ids)| {
                ids[levels..].fill(0);
                (h, ids)
            })
            .filter(|(_, ids)| ids.iter().any(|&id| id != 0))
            .take(MAX_WORDS)
            .collect();
        flat.sort_by_key(|&(h, _)| h);
        flat.dedup_by_key(|&mut (h, _)| h);
        self.flat_levels = if flat.is_empty() { 0 } else { levels };
        self.flat = flat;
        self.index();
        self
    }

    /// Builds the open-addressing table from the sorted tables.
    fn index(&mut self) {
        let mut words: Vec<(u32, WordCluster)> = self
            .entries
            .iter()
            .map(|&(hash, path)| {
                let word = WordCluster {
                    path,
                    ..WordCluster::default()
                };
                (hash, word)
            })
            .collect();
        // Both lists are sorted: merge the flat ids in.
        let mut at = 0;
        for &(hash, flat) in &self.flat {
            while at < words.len() && words[at].0 < hash {
                at += 1;
            }
            if at < words.len() && words[at].0 == hash {
                words[at].1.flat = flat;
            } else {
                let word = WordCluster {
                    flat,
                    ..WordCluster::default()
                };
                words.insert(at, (hash, word));
            }
        }
        let mut slots = vec![Slot::default(); (words.len() * 2).next_power_of_two()];
        let mask = slots.len() - 1;
        for (hash, word) in words {
            let mut i = hash as usize & mask;
            while !slots[i].is_free() {
                i = (i + 1) & mask;
            }
            slots[i] = Slot { hash, word };
        }
        self.slots = slots;
    }

    /// The `(hash, path)` pairs, sorted by hash.
    pub fn pairs(&self) -> &[(u32, u16)] {
        &self.entries
    }

    /// How many flat clusterings the table carries.
    pub fn flat_levels(&self) -> usize {
        self.flat_levels
    }

    /// The `(hash, flat ids)` rows, sorted by hash.
    pub fn flat_rows(&self) -> &[(u32, [u16; MAX_FLAT])] {
        &self.flat
    }

    /// How many words the table holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The path of a matching key ([`WordClusters::lookup`]), else 0.
    pub fn path(&self, key: &str) -> u16 {
        self.lookup(key).path
    }

    /// What the table knows of a matching key, else of its
    /// proclitic-stripped form, else of the word less one or two
    /// one-letter proclitics (و ف ب ل ك, which [`stem::strip_proclitics`]
    /// leaves on words without ال: «لسلتيك», «وبفيغنر»), else nothing.
    pub fn lookup(&self, key: &str) -> WordCluster {
        if let Some(found) = self.word_of_hash(word_hash(key)) {
            return found;
        }
        let stripped = stem::strip_proclitics(key);
        if stripped.len() != key.len() {
            if let Some(found) = self.word_of_hash(word_hash(stripped)) {
                return found;
            }
        }
        let mut rest = key;
        for _ in 0..2 {
            let Some(next) = rest.strip_prefix(['و', 'ف', 'ب', 'ل', 'ك']) else {
                break;
            };
            if next.chars().count() < 3 {
                break;
            }
            rest = next;
            if let Some(found) = self.word_of_hash(word_hash(rest)) {
                return found;
            }
        }
        WordCluster::default()
    }

    fn word_of_hash(&self, hash: u32) -> Option<WordCluster> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let slot = &self.slots[i];
            if slot.is_free() {
                return None;
            }
            if slot.hash == hash {
                return Some(slot.word);
            }
            i = (i + 1) & mask;
        }
    }

    #[cfg(test)]
    fn path_of_hash(&self, hash: u32) -> u16 {
        self.word_of_hash(hash).map_or(0, |w| w.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rasd_text::normalize::matching_key;

    #[test]
    fn finds_words_and_their_stripped_forms() {
        let table = WordClusters::from_pairs([
            (word_hash(&matching_key("بغداد")), 0b1_0110),
            (word_hash(&matching_key("القاهرة")), 0b1_0111),
        ]);
        assert_eq!(table.len(), 2);
        assert_eq!(table.path(&matching_key("بغداد")), 0b1_0110);
        assert_eq!(table.path(&matching_key("وبغداد")), 0b1_0110);
        assert_eq!(table.path(&matching_key("ولبغداد")), 0b1_0110);
        assert_eq!(table.path(&matching_key("دمشق")), 0);
        assert_eq!(table.path(&matching_key("لداد")), 0);
    }

    #[test]
    fn flat_ids_are_found_with_the_path() {
        let key = |w: &str| word_hash(&matching_key(w));
        let table =
            WordClusters::from_pairs([(key("بغداد"), 0b1_0110), (key("القاهرة"), 0b1_0111)])
                .with_flat(
                    2,
                    [
                        (key("بغداد"), [3, 7, 9, 9]),
                        (key("دمشق"), [3, 8, 0, 0]),
                        (key("عمان"), [0, 0, 0, 0]),
                    ],
                );
        assert_eq!(table.flat_levels(), 2);
        // Ids past the levels are cleared, rows without ids dropped.
        assert_eq!(table.flat_rows().len(), 2);
        assert_eq!(
            table.lookup(&matching_key("وبغداد")),
            WordCluster {
                path: 0b1_0110,
                flat: [3, 7, 0, 0]
            }
        );
        // A word may have flat ids and no path, or a path and no flat ids.
        assert_eq!(table.lookup(&matching_key("لدمشق")).flat, [3, 8, 0, 0]);
        assert_eq!(table.path(&matching_key("دمشق")), 0);
        assert_eq!(table.lookup(&matching_key("القاهرة")).flat, [0; MAX_FLAT]);
        assert_eq!(table.lookup(&matching_key("عمان")), WordCluster::default());
        assert_eq!(table.len(), 2);
        // No flat rows, no flat levels.
        assert_eq!(table.clone().with_flat(3, []).flat_levels(), 0);
    }

    proptest::proptest! {
        #[test]
        fn every_stored_flat_row_is_found(
            pairs in proptest::collection::vec((proptest::prelude::any::<u32>(), 1u16..), 0..100),
            rows in proptest::collection::vec((proptest::prelude::any::<u32>(), [1u16.., 1u16.., 1u16.., 1u16..]), 0..100),
        ) {
            let table = WordClusters::from_pairs(pairs.clone()).with_flat(MAX_FLAT, rows.clone());
            for (hash, _) in &pairs {
                let first = pairs.iter().find(|(h, _)| h == hash).map(|&(_, p)| p);
                proptest::prop_assert_eq!(Some(table.path_of_hash(*hash)), first);
            }
            for (hash, _) in &rows {
                let first = rows.iter().find(|(h, _)| h == hash).map(|&(_, ids)| ids);
                proptest::prop_assert_eq!(table.word_of_hash(*hash).map(|w| w.flat), first);
            }
        }
    }

    proptest::proptest! {

        #[test]
        fn every_stored_hash_is_found(pairs in proptest::collection::vec((proptest::prelude::any::<u32>(), 1u16..), 0..300)) {
            let table = WordClusters::from_pairs(pairs.clone());
            for (hash, _) in &pairs {
                let first = pairs.iter().find(|(h, _)| h == hash).map(|&(_, p)| p);
                proptest::prop_assert_eq!(Some(table.path_of_hash(*hash)), first);
            }
            proptest::prop_assert_eq!(table.len(), pairs.iter().map(|(h, _)| h).collect::<std::collections::BTreeSet<_>>().len());
        }
    }

    #[test]
    fn prefixes_name_coarser_clusters() {
        assert_eq!(prefix(0b1_0110, 2), 0b1_01);
        assert_eq!(prefix(0b1_0110, 4), 0b1_0110);
        assert_eq!(prefix(0b1_0110, 9), 0b1_0110);
        assert_eq!(prefix(0, 3), 0);
        assert_eq!(prefix(u16::MAX, MAX_DEPTH), u16::MAX);
    }
}
