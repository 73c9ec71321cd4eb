//! The training lexicon: gold sentences in, what they say about words and
//! names out — per word, how often it was tagged outside any entity and
//! with each type, and the entity names themselves as a [`Gazetteer`].
//!
//! The tagger reads it as features («this word was a person 9 times in 10
//! in the training data»). Built from the very sentences a model trains
//! on, those features would always be right and the model would learn to
//! trust them blindly; [`crate::train`] therefore builds the lexicon of
//! each training sentence from the other parts of the training data only
//! (out of fold), and ships the lexicon of all of it with the model. Like
//! the gazetteer, it holds hashes, not words.

use crate::conll::Sentence;
use crate::gazetteer::Gazetteer;
use crate::tags::spans;
use rasd_text::{normalize, stem};
use xxhash_rust::xxh3::xxh3_64;

/// Most words a lexicon may hold (bounds hostile model files).
pub const MAX_LEXICON_WORDS: usize = 1 << 20;

/// Tag counts of a word: index 0 is outside any entity, `1 + type` an entity type.
pub type WordCounts = [u16; 5];

/// Word tag counts and entity names of some gold sentences.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lexicon {
    /// Entity names of the sentences, by type.
    pub(crate) names: Gazetteer,
    /// (32-bit hash of the proclitic-stripped matching key, counts), sorted by hash.
    pub(crate) words: Vec<(u32, WordCounts)>,
}

/// The lexicon's 32-bit hash of a proclitic-stripped matching key.
pub(crate) fn word_hash(stripped_key: &str) -> u32 {
    xxh3_64(stripped_key.as_bytes()) as u32
}

impl Lexicon {
    /// The lexicon of gold sentences (sentences without tags add nothing).
    pub fn from_sentences<'a>(sentences: impl IntoIterator<Item = &'a Sentence>) -> Lexicon {
        let mut names = Gazetteer::default();
        let mut words: Vec<(u32, WordCounts)> = Vec::new();
        for s in sentences {
            if s.tags.len() != s.tokens.len() {
                continue;
            }
            for (token, tag) in s.tokens.iter().zip(&s.tags) {
                let key = normalize::matching_key(token);
                let class = tag.entity_type().map_or(0, |t| 1 + t as usize);
                let mut counts = [0u16; 5];
                counts[class] = 1;
                words.push((word_hash(stem::strip_proclitics(&key)), counts));
            }
            for span in spans(&s.tags) {
                names.add(span.ty, &s.tokens[span.start..span.end].join(" "));
            }
        }
        names.finish();
        Lexicon {
            names,
            words: merge_counts(words),
        }
    }

    /// A lexicon from stored parts (the model file); counts of a repeated
    /// hash are added up.
    pub(crate) fn from_parts(names: Gazetteer, words: Vec<(u32, WordCounts)>) -> Lexicon {
        Lexicon {
            names,
            words: merge_counts(words),
        }
    }

    /// Tag counts of a word given as its proclitic-stripped matching key.
    pub fn counts(&self, stripped_key: &str) -> Option<WordCounts> {
        let hash = word_hash(stripped_key);
        self.words
            .binary_search_by_key(&hash, |&(h, _)| h)
            .ok()
            .map(|i| self.words[i].1)
    }

    /// How many words it holds.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether it holds no word.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

fn merge_counts(mut words: Vec<(u32, WordCounts)>) -> Vec<(u32, WordCounts)> {
    words.sort_unstable_by_key(|&(h, _)| h);
    let mut out: Vec<(u32, WordCounts)> = Vec::with_capacity(words.len() / 2);
    for (hash, counts) in words {
        match out.last_mut() {
            Some((h, c)) if *h == hash => {
                for (a, b) in c.iter_mut().zip(counts) {
                    *a = a.saturating_add(b);
                }
            }
            _ => out.push((hash, counts)),
        }
    }
    out.truncate(MAX_LEXICON_WORDS);
    out
}

/// The lexicon's summary of a word for the tagger: 0 when unseen, else
/// `1 + class·16 + share·4 + seen`, where `class` is the most frequent
/// class (0 outside, `1 + type`), `share` its share in quarters (0–3)
/// and `seen` how often the word was seen (1, 2–3, 4–15, more: 0–3).
pub(crate) fn summary(counts: Option<WordCounts>) -> u8 {
    let Some(counts) = counts else {
        return 0;
    };
    let total: u32 = counts.iter().map(|&c| u32::from(c)).sum();
    if total == 0 {
        return 0;
    }
    let (class, &best) = counts
        .iter()
        .enumerate()
        .max_by_key(|&(i, c)| (*c, std::cmp::Reverse(i)))
        .unwrap_or((0, &0));
    let share = ((u32::from(best) * 4 - 1) / total).min(3) as u8;
    let seen = match total {
        1 => 0,
        2..=3 => 1,
        4..=15 => 2,
        _ => 3,
    };
    1 + class as u8 * 16 + share * 4 + seen
}

/// The entity share of a word: 0 unseen, else `1 + type·5 + share` where
/// `type` is its most frequent entity type and `share` the fraction of its
/// occurrences tagged with that type in fifths (0–4); 21 when never an entity.
pub(crate) fn entity_summary(counts: Option<WordCounts>) -> u8 {
    let Some(counts) = counts else {
        return 0;
    };
    let total: u32 = counts.iter().map(|&c| u32::from(c)).sum();
    let (ty, &best) = counts[1..]
        .iter()
        .enumerate()
        .max_by_key(|&(i, c)| (*c, std::cmp::Reverse(i)))
        .unwrap_or((0, &0));
    if best == 0 || total == 0 {
        return 21;
    }
    let share = (u32::from(best) * 5 / total).min(4) as u8;
    1 + ty as u8 * 5 + share
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conll;
    use crate::tags::EntityType;

    fn gold() -> Vec<Sentence> {
        let text = "قال O\nالرئيس O\nجو B-PERS\nبايدن I-PERS\nفي O\nواشنطن B-LOC\n\n\
                    وصل O\nبايدن B-PERS\nإلى O\nبغداد B-LOC\n\n";
        conll::parse(text, true).unwrap()
    }

    #[test]
    fn counts_words_and_lists_names() {
        let lexicon = Lexicon::from_sentences(&gold());
        assert_eq!(lexicon.counts("بايدن"), Some([0, 2, 0, 0, 0]));
        assert_eq!(lexicon.counts("قال"), Some([1, 0, 0, 0, 0]));
        // Proclitics are stripped: «وبغداد» is the word «بغداد».
        assert_eq!(
            lexicon.counts(stem::strip_proclitics("وبغداد")),
            Some([0, 0, 1, 0, 0])
        );
        assert_eq!(lexicon.counts("موسكو"), None);
        let loc = 1 << EntityType::Location as u8;
        assert_eq!(lexicon.names.lookup("جو بايدن"), 1);
        assert_eq!(lexicon.names.lookup("وواشنطن"), loc);
        assert_eq!(
            Lexicon::from_parts(lexicon.names.clone(), lexicon.words.clone()),
            lexicon
        );
    }

    #[test]
    fn summaries() {
        assert_eq!(summary(None), 0);
        // Always a person, seen twice: class 2 (1 + Person), full share.
        assert_eq!(summary(Some([0, 2, 0, 0, 0])), 1 + 16 + 3 * 4 + 1);
        assert_eq!(summary(Some([3, 1, 0, 0, 0])), 1 + 2 * 4 + 2);
        assert_eq!(entity_summary(Some([3, 1, 0, 0, 0])), 1 + 1);
        assert_eq!(entity_summary(Some([5, 0, 0, 0, 0])), 21);
        assert_eq!(entity_summary(Some([0, 0, 4, 0, 0])), 1 + 5 + 4);
        assert_eq!(entity_summary(None), 0);
    }
}
