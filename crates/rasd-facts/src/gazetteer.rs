//! Gazetteers as hashed membership sets: names in, lookups out.
//!
//! A name is stored only as 64-bit hashes of its matching key (whole name,
//! and whole name with the first word's proclitics stripped) and of each
//! of its words with proclitics stripped; the shipped model therefore holds
//! no gazetteer text. Lookups return a bit set over [`EntityType`]s.

use crate::conll::Sentence;
use crate::tags::EntityType;
use rasd_text::{normalize, stem};
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use xxhash_rust::xxh3::xxh3_64;

/// Longest name, in words, that [`Gazetteer::name_types`] is asked about.
pub const MAX_NAME_WORDS: usize = 5;

/// A bit set over entity types: bit `i` is `EntityType::ALL[i]`.
pub type TypeSet = u8;

/// Hashed name and word sets, one pair per entity type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gazetteer {
    /// Sorted hashes of whole names, per type (as the model file stores them).
    pub(crate) names: [Vec<u64>; 4],
    /// Sorted hashes of single words of names, per type.
    pub(crate) words: [Vec<u64>; 4],
    /// Every name hash with its type set, built by [`Gazetteer::finish`]:
    /// the tagger asks about every token and span, and four binary searches
    /// over sets of tens of thousands of hashes were a fifth of its time.
    name_index: FxHashMap<u64, TypeSet>,
    /// Every word hash with its type set, as `name_index`.
    word_index: FxHashMap<u64, TypeSet>,
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

    /// Adds every name of a gazetteer file's text ([`list_names`]).
    pub fn add_lines(&mut self, ty: EntityType, text: &str) {
        for name in list_names(text) {
            self.add(ty, name);
        }
    }

    /// Sorts and deduplicates the sets and indexes them; call once after
    /// the last `add` (before, lookups find nothing).
    pub fn finish(&mut self) {
        for set in self.names.iter_mut().chain(self.words.iter_mut()) {
            set.sort_unstable();
            set.dedup();
        }
        self.name_index = index(&self.names);
        self.word_index = index(&self.words);
    }

    /// Types whose name list holds the name hashed as `hash` (see [`hash_words`]).
    pub(crate) fn name_types(&self, hash: u64) -> TypeSet {
        self.name_index.get(&hash).copied().unwrap_or(0)
    }

    /// Types with a name containing the word (matching key, proclitics stripped).
    pub fn word_types(&self, stripped_word: &str) -> TypeSet {
        self.word_index
            .get(&xxh3_64(stripped_word.as_bytes()))
            .copied()
            .unwrap_or(0)
    }

    /// Types with a name equal to `name` as written, proclitics and all
    /// (any spelling): «وهران» is a city, «وروسيا» is no name of its own.
    pub fn lookup_exact(&self, name: &str) -> TypeSet {
        let key = normalize::matching_key(name);
        if key.is_empty() {
            return 0;
        }
        self.name_types(hash_words(key.split_whitespace()))
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

/// The names of a gazetteer file's text: one per line, trimmed; blank
/// lines and the `====` and `****` group header lines of ANERgazet skipped.
pub fn list_names(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("====") && !l.starts_with("****"))
}

/// What the annotated sentences say of a listed name: the names they tag
/// with another type take that type, the names they mostly leave untagged
/// or split are dropped, and unseen names stay as listed.
///
/// Hand-written lists follow no annotation guideline, and the training
/// data has one: ANERcorp leaves «الجيش الإسرائيلي» and «الحكومة
/// اللبنانية» untagged and calls «اليونيفيل» MISC. A gazetteer hit that
/// the labels contradict teaches the tagger to distrust every hit, so a
/// list entered as is cost F1 (organizations −1.6 points in
/// cross-validation). An occurrence votes for type T when all its tokens
/// are tagged T (B- or I-: a surname inside a full name agrees), for
/// "none" when all are O, and against the name otherwise; a name keeps the
/// type of a strict majority of its votes or is dropped.
pub fn agree_with_annotations(
    names: &[(EntityType, String)],
    sentences: &[Sentence],
) -> Vec<(EntityType, String)> {
    // Token keys per sentence, and where each proclitic-stripped key occurs.
    let keys: Vec<Vec<String>> = sentences
        .iter()
        .map(|s| {
            s.tokens
                .iter()
                .map(|t| normalize::matching_key(t))
                .collect()
        })
        .collect();
    let mut at: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for (si, sentence_keys) in keys.iter().enumerate() {
        for (ti, key) in sentence_keys.iter().enumerate() {
            at.entry(stem::strip_proclitics(key))
                .or_default()
                .push((si, ti));
        }
    }
    let mut out = Vec::with_capacity(names.len());
    for (ty, name) in names {
        let key = normalize::matching_key(name);
        let words: Vec<&str> = key.split_whitespace().collect();
        let Some((first, rest)) = words.split_first() else {
            continue;
        };
        // Votes: one per entity type, then "untagged", then "split".
        let mut votes = [0usize; 6];
        for &(si, ti) in at.get(stem::strip_proclitics(first)).into_iter().flatten() {
            let end = ti + words.len();
            // Untagged sentences (no gold column) cast no votes.
            if end > keys[si].len()
                || sentences[si].tags.len() != keys[si].len()
                || keys[si][ti + 1..end].iter().ne(rest.iter())
            {
                continue;
            }
            let types: Vec<Option<EntityType>> = sentences[si].tags[ti..end]
                .iter()
                .map(|t| t.entity_type())
                .collect();
            let vote = match types[0] {
                Some(t) if types.iter().all(|&x| x == Some(t)) => t as usize,
                None if types.iter().all(Option::is_none) => 4,
                _ => 5,
            };
            votes[vote] += 1;
        }
        let total: usize = votes.iter().sum();
        if total == 0 {
            out.push((*ty, name.clone()));
            continue;
        }
        if let Some(&agreed) = EntityType::ALL
            .iter()
            .find(|&&t| votes[t as usize] * 2 > total)
        {
            out.push((agreed, name.clone()));
        }
    }
    out
}

fn index(sets: &[Vec<u64>; 4]) -> FxHashMap<u64, TypeSet> {
    let mut out = FxHashMap::default();
    out.reserve(sets.iter().map(Vec::len).sum());
    for (i, set) in sets.iter().enumerate() {
        for &hash in set {
            *out.entry(hash).or_insert(0) |= 1 << i;
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
        assert_eq!(g.lookup_exact("العراق"), loc);
        assert_eq!(g.lookup_exact("بالعراق"), 0);
        assert_eq!(g.lookup_exact(""), 0);
    }

    fn sentence(tagged: &str) -> Sentence {
        let (tokens, tags) = tagged
            .split_whitespace()
            .map(|pair| {
                let (token, tag) = pair.split_once('/').unwrap();
                (token.to_owned(), crate::tags::Tag::parse(tag).unwrap())
            })
            .unzip();
        Sentence { tokens, tags }
    }

    fn owned(names: &[(EntityType, &str)]) -> Vec<(EntityType, String)> {
        names.iter().map(|&(t, n)| (t, n.to_owned())).collect()
    }

    #[test]
    fn annotations_retype_drop_or_keep_listed_names() {
        let sentences = [
            sentence("قال/O الجيش/O الإسرائيلي/O إن/O جورج/B-PERS بوش/I-PERS وصل/O"),
            sentence("وقوات/O اليونيفيل/B-MISC في/O لبنان/B-LOC مع/O الجيش/O الاسرائيلي/O"),
            sentence("زار/O بوش/B-PERS بغداد/B-LOC ومنظمة/B-ORG الصحة/I-ORG العالمية/O"),
        ];
        let names = owned(&[
            (EntityType::Organization, "الجيش الإسرائيلي"),
            (EntityType::Organization, "اليونيفيل"),
            (EntityType::Person, "بوش"),
            (EntityType::Organization, "منظمة الصحة العالمية"),
            (EntityType::Person, "ساركوزي"),
        ]);
        let agreed = agree_with_annotations(&names, &sentences);
        let expected = owned(&[
            // Tagged MISC once (after the proclitic و is stripped): retyped.
            (EntityType::Misc, "اليونيفيل"),
            // Alone and inside «جورج بوش»: both votes agree.
            (EntityType::Person, "بوش"),
            // Never seen: kept as listed.
            (EntityType::Person, "ساركوزي"),
        ]);
        // Untagged twice (hamza spelling aside): dropped; split by the
        // annotation (its last word untagged): dropped.
        assert_eq!(agreed, expected);
        // Sentences without gold tags say nothing: every name stays.
        let untagged: Vec<Sentence> = sentences
            .iter()
            .map(|s| Sentence {
                tokens: s.tokens.clone(),
                tags: Vec::new(),
            })
            .collect();
        assert_eq!(agree_with_annotations(&names, &untagged), names);
    }
}
