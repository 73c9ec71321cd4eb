//! Word clusters learned without labels: a word's matching key in, its
//! path in a binary cluster tree out (Brown-cluster style bit strings).
//!
//! The tree is built by `examples/build_clusters.rs` from the SaudiNewsNet
//! corpus (recursive 2-means over distributional word vectors); the model
//! ships only 32-bit hashes of the words with their paths, no text. A path
//! is a heap index: a leading 1 bit, then one bit per branch taken, so its
//! prefixes of any length name the coarser clusters that hold the word.

use rasd_text::stem;
use xxhash_rust::xxh3::xxh3_64;

/// Deepest tree a path can describe (a `u16` with its leading 1 bit).
pub const MAX_DEPTH: u32 = 15;
/// Most words a cluster table may hold (bounds hostile model files).
pub const MAX_WORDS: usize = 1 << 20;

/// Hashed word → cluster path table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordClusters {
    /// Sorted by hash: the table as the model file stores it.
    entries: Vec<(u32, u16)>,
    /// The same pairs in an open-addressing table (linear probing, at most
    /// half full, path 0 marks a free slot): one cache miss per lookup
    /// where a binary search over the sorted pairs took a dozen, and the
    /// tagger looks up every token.
    slots: Vec<(u32, u16)>,
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
        let mut slots = vec![(0u32, 0u16); (entries.len() * 2).next_power_of_two()];
        let mask = slots.len() - 1;
        for &(hash, path) in &entries {
            let mut i = hash as usize & mask;
            while slots[i].1 != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = (hash, path);
        }
        WordClusters { entries, slots }
    }

    /// The `(hash, path)` pairs, sorted by hash.
    pub fn pairs(&self) -> &[(u32, u16)] {
        &self.entries
    }

    /// How many words the table holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The path of a matching key, else of its proclitic-stripped form,
    /// else of the word less one or two one-letter proclitics (و ف ب ل ك,
    /// which [`stem::strip_proclitics`] leaves on words without ال:
    /// «لسلتيك», «وبفيغنر»), else 0.
    pub fn path(&self, key: &str) -> u16 {
        let found = self.path_of_hash(word_hash(key));
        if found != 0 {
            return found;
        }
        let stripped = stem::strip_proclitics(key);
        if stripped.len() != key.len() {
            let found = self.path_of_hash(word_hash(stripped));
            if found != 0 {
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
            let found = self.path_of_hash(word_hash(rest));
            if found != 0 {
                return found;
            }
        }
        0
    }

    fn path_of_hash(&self, hash: u32) -> u16 {
        if self.slots.is_empty() {
            return 0;
        }
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            match self.slots[i] {
                (_, 0) => return 0,
                (h, path) if h == hash => return path,
                _ => i = (i + 1) & mask,
            }
        }
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
