//! Feature extraction for the tagger: a sentence's tokens in, hashed
//! feature buckets per token out.
//!
//! Each feature is a template id mixed with a value hash, reduced to a
//! bucket in `0..2^bits`. Templates: the word (raw, matching key,
//! proclitic-stripped, Light10 stem), its character prefixes and suffixes,
//! shape and length, the same for neighbours at ±1 and ±2, word pairs,
//! word-cluster tree paths and flat cluster ids of the word and its
//! neighbours, gazetteer hits (whole-name spans and single words), trigger words
//! (titles, organization and place heads, speech verbs), stop words, the
//! training lexicon's counts and names ([`crate::lexicon`]), and, for a
//! word seen again in the same window of sentences, the contexts of its
//! other occurrences ([`extract_window`]).

use crate::clusters::{prefix, WordClusters, MAX_FLAT};
use crate::gazetteer::{self, Gazetteer, MAX_NAME_WORDS};
use crate::lexicon::{self, Lexicon};
use crate::tags::{EntityType, Span};
use rasd_text::{normalize, stem, stopwords};
use std::collections::HashMap;
use xxhash_rust::xxh3::xxh3_64;

/// What one token contributes to its own and its neighbours' features.
#[derive(Debug, Clone, Copy)]
struct TokenInfo {
    raw: u64,
    key: u64,
    stripped: u64,
    stem: u64,
    prefixes: [u64; 3],
    suffixes: [u64; 3],
    clitics: u64,
    shape: u8,
    length: u8,
    gaz_words: u8,
    /// Gazetteer span tag: 0 none, else 1 + 2·type (+1 when inside).
    gaz_span: u8,
    trigger: u8,
    stopword: bool,
    /// Path in the word-cluster tree, 0 when the word is unknown.
    cluster: u16,
    /// Flat cluster ids (k-means at several k), 0 when unknown.
    flat: [u16; MAX_FLAT],
    /// The training lexicon's summaries of the word ([`lexicon::summary`],
    /// [`lexicon::entity_summary`]).
    lex: u8,
    lex_entity: u8,
    /// Training-lexicon name span tag, as `gaz_span`.
    lex_span: u8,
    lex_words: u8,
}

const BOUNDARY: TokenInfo = TokenInfo {
    raw: 1,
    key: 1,
    stripped: 1,
    stem: 1,
    prefixes: [1; 3],
    suffixes: [1; 3],
    clitics: 1,
    shape: 255,
    length: 0,
    gaz_words: 0,
    gaz_span: 0,
    trigger: 0,
    stopword: false,
    cluster: 1,
    flat: [u16::MAX; MAX_FLAT],
    lex: 255,
    lex_entity: 255,
    lex_span: 0,
    lex_words: 0,
};

fn mix(a: u64, b: u64) -> u64 {
    // splitmix64's finalizer: cheap and well spread.
    let mut z = a.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Shape classes: Arabic word, number, Latin (lower, Capitalized, UPPER),
/// punctuation, mixed.
fn shape(token: &str) -> u8 {
    let mut arabic = false;
    let mut digit = false;
    let mut latin_upper = 0usize;
    let mut latin_lower = 0usize;
    let mut other = false;
    for c in token.chars() {
        if rasd_text::is_arabic_letter(c) || normalize::is_arabic_mark(c) {
            arabic = true;
        } else if c.is_numeric() {
            digit = true;
        } else if c.is_uppercase() {
            latin_upper += 1;
        } else if c.is_lowercase() {
            latin_lower += 1;
        } else {
            other = true;
        }
    }
    let first_upper = token.chars().next().is_some_and(char::is_uppercase);
    match (arabic, digit, latin_upper + latin_lower > 0, other) {
        (true, false, false, false) => 0,
        (false, true, false, _) => 1,
        (false, false, true, false) if latin_upper == 0 => 2,
        (false, false, true, false) if latin_lower == 0 => 4,
        (false, false, true, false) if first_upper => 3,
        (false, false, false, true) => 5,
        (true, _, _, true) => 6,
        _ => 7,
    }
}

/// Trigger classes, looked up on the matching key and its proclitic-stripped
/// form: 1 a title before a person, 2 an organization head word, 3 a place
/// head word, 4 a speech verb (a speaker follows).
fn trigger(key: &str, stripped: &str) -> u8 {
    fn class(w: &str) -> u8 {
        match w {
            "رئيس" | "وزير" | "سيد" | "سيده" | "شيخ" | "لواء" | "عميد" | "عقيد" | "فريق"
            | "دكتور" | "د" | "مستشار" | "ملك" | "امير" | "اميره" | "نائب" | "زعيم" | "متحدث"
            | "ناطق" | "امين" | "بابا" | "جنرال" | "استاذ" | "مدرب" | "لاعب" | "كاتب" | "فنان"
            | "فنانه" | "مرشح" | "سفير" | "قاضي" | "مبعوث" | "حاج" | "قائد" | "مدير" | "رئيسه"
            | "وزيره" | "مساعد" | "الرئيس" | "الوزير" | "السيد" | "الشيخ" | "اللواء"
            | "الدكتور" | "الملك" | "الامير" | "النائب" | "الزعيم" | "المتحدث" | "الناطق"
            | "الجنرال" | "الرئيسه" | "العميد" | "العقيد" | "المستشار" | "السفير" | "المبعوث"
            | "القائد" | "المدرب" | "اللاعب" | "المرشح" | "ولي" | "رئيسا" | "وزيرا" => {
                1
            }
            "جامعه" | "وزاره" | "حزب" | "شركه" | "وكاله" | "مجلس" | "منظمه" | "حركه" | "جمعيه"
            | "اتحاد" | "بنك" | "صحيفه" | "هيئه" | "مؤسسه" | "جبهه" | "نادي" | "منتخب"
            | "محكمه" | "مركز" | "معهد" | "اكاديميه" | "لجنه" | "برلمان" | "كتله" | "تنظيم"
            | "جيش" | "مصرف" | "صندوق" | "الجامعه" | "الوزاره" | "الحزب" | "الشركه" | "الوكاله"
            | "المجلس" | "المنظمه" | "الحركه" | "الاتحاد" | "البنك" | "الصحيفه" | "الهيئه"
            | "المؤسسه" | "الجبهه" | "النادي" | "المنتخب" | "المحكمه" | "المركز" | "المعهد"
            | "اللجنه" | "البرلمان" | "التنظيم" | "الجيش" | "قناه" | "القناه" => {
                2
            }
            "مدينه" | "عاصمه" | "دوله" | "بلده" | "محافظه" | "منطقه" | "جزيره" | "نهر" | "قريه"
            | "جمهوريه" | "مملكه" | "ولايه" | "اقليم" | "بحر" | "جبل" | "شارع" | "حي" | "مطار"
            | "ميناء" | "قضاء" | "ناحيه" | "المدينه" | "العاصمه" | "المحافظه" | "المنطقه"
            | "جزر" | "ولايات" | "بلاد" => 3,
            "قال" | "اضاف" | "اكد" | "اوضح" | "اشار" | "صرح" | "اعلن" | "ذكر" | "قالت"
            | "اضافت" | "اكدت" | "اوضحت" | "اشارت" | "صرحت" | "اعلنت" | "ذكرت" | "يقول"
            | "تقول" | "بحسب" | "وفق" | "حسب" | "وقال" | "واضاف" | "واكد" | "واوضح" | "واشار"
            | "وقالت" => 4,
            _ => 0,
        }
    }
    match class(key) {
        0 => class(stripped),
        c => c,
    }
}

fn char_slices(key: &str) -> ([u64; 3], [u64; 3]) {
    let chars: Vec<(usize, char)> = key.char_indices().collect();
    let n = chars.len();
    let mut prefixes = [0u64; 3];
    let mut suffixes = [0u64; 3];
    for k in 1..=3 {
        if n > k {
            let end = chars[k].0;
            prefixes[k - 1] = xxh3_64(&key.as_bytes()[..end]);
            let start = chars[n - k].0;
            suffixes[k - 1] = xxh3_64(&key.as_bytes()[start..]);
        }
    }
    (prefixes, suffixes)
}

/// Hashed features of a sentence, flattened: token `i`'s buckets are
/// `buckets[offsets[i]..offsets[i + 1]]`.
#[derive(Debug, Default, Clone)]
pub struct SentenceFeatures {
    pub buckets: Vec<u32>,
    pub offsets: Vec<usize>,
    /// Gazetteer names found in the sentence: token ranges with their type.
    pub names: Vec<Span>,
}

impl SentenceFeatures {
    /// The buckets of token `i`.
    pub fn token(&self, i: usize) -> &[u32] {
        &self.buckets[self.offsets[i]..self.offsets[i + 1]]
    }

    /// How many tokens.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Whether there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Gazetteer span tags of tokens: 0 none, else 1 + 2·type (+1 when inside).
fn span_tags(names: &[Span], len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    for name in names {
        for (k, tag) in out[name.start..name.end].iter_mut().enumerate() {
            *tag = 1 + 2 * name.ty as u8 + u8::from(k > 0);
        }
    }
    out
}

/// Finds gazetteer names, longest match first, left to right; `word_types`
/// holds each token's [`Gazetteer::word_types`].
fn find_names(keys: &[String], gazetteer: &Gazetteer, word_types: &[u8]) -> Vec<Span> {
    // Every word of a listed name is in the gazetteer's word sets (as its
    // proclitic-stripped form), so a name can only run over such words and
    // start at one that is, or strips to, such a word: most tokens skip the
    // name lookups. Short or spaced keys are let through, as the word sets
    // skip them.
    let listed = |k: &str, types: u8| types != 0 || k.chars().nth(1).is_none() || k.contains(' ');
    let may_go_on: Vec<bool> = keys
        .iter()
        .zip(word_types)
        .map(|(k, &types)| listed(k, types))
        .collect();
    let may_start = |i: usize| {
        let key = keys[i].as_str();
        let stripped = stem::strip_proclitics(key);
        may_go_on[i]
            || (stripped.len() != key.len()
                && (gazetteer.word_types(key) != 0
                    || gazetteer.word_types(stem::strip_proclitics(stripped)) != 0))
    };
    let mut names = Vec::new();
    let mut i = 0;
    while i < keys.len() {
        let mut matched = 0;
        let longest = if may_start(i) {
            1 + may_go_on[i + 1..].iter().take_while(|&&m| m).count()
        } else {
            0
        };
        for n in (1..=MAX_NAME_WORDS.min(longest)).rev() {
            let words = &keys[i..i + n];
            let first = stem::strip_proclitics(&words[0]);
            let rest = words[1..].iter().map(String::as_str);
            let mut types = gazetteer.name_types(gazetteer::hash_words(
                std::iter::once(first).chain(rest.clone()),
            ));
            if first != words[0] {
                types |= gazetteer.name_types(gazetteer::hash_words(
                    std::iter::once(words[0].as_str()).chain(rest),
                ));
            }
            if types == 0 {
                continue;
            }
            // Prefer person, then location, organization, misc when a name is listed twice.
            let ty = types.trailing_zeros() as u8;
            names.push(Span {
                start: i,
                end: i + n,
                ty: EntityType::ALL[usize::from(ty)],
            });
            matched = n;
            break;
        }
        i += matched.max(1);
    }
    names
}

/// What the features are read from: the gazetteer, the word clusters and
/// the training lexicon, and the hash width (`2^bits` buckets).
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    pub gazetteer: &'a Gazetteer,
    pub clusters: &'a WordClusters,
    pub lexicon: &'a Lexicon,
    pub bits: u32,
}

/// Extracts hashed features of one sentence (a window of one sentence:
/// see [`extract_window`]).
pub fn extract(tokens: &[String], sources: Sources<'_>) -> SentenceFeatures {
    extract_window(std::slice::from_ref(&tokens), sources)
        .pop()
        .unwrap_or_default()
}

/// Most other occurrences of a word whose contexts a token takes in.
const MAX_OTHER_OCCURRENCES: usize = 8;

/// Extracts hashed features of consecutive sentences of one text. Besides
/// each token's own features, a word that occurs again in the window takes
/// in the contexts of its other occurrences (the words beside them, titles
/// before them, their gazetteer and lexicon hits): news names a person
/// once with a title and later bare, and the bare mention is read in the
/// light of the first.
pub fn extract_window<T: AsRef<[String]>>(
    sentences: &[T],
    sources: Sources<'_>,
) -> Vec<SentenceFeatures> {
    let analysed: Vec<(Vec<TokenInfo>, Vec<Span>)> = sentences
        .iter()
        .map(|s| analyse(s.as_ref(), sources))
        .collect();
    // Where each word worth aggregating occurs: (sentence, token).
    let mut places: HashMap<u64, Vec<(u32, u32)>> = HashMap::new();
    for (s, (infos, _)) in analysed.iter().enumerate() {
        for (i, info) in infos.iter().enumerate() {
            if aggregated(info) {
                places
                    .entry(info.stripped)
                    .or_default()
                    .push((s as u32, i as u32));
            }
        }
    }
    let info_at = |s: usize, i: isize| -> &TokenInfo {
        let infos = &analysed[s].0;
        if i < 0 || i as usize >= infos.len() {
            &BOUNDARY
        } else {
            &infos[i as usize]
        }
    };
    let mut out = Vec::with_capacity(analysed.len());
    for (s, (infos, names)) in analysed.iter().enumerate() {
        let extra: Vec<Vec<u64>> = infos
            .iter()
            .enumerate()
            .map(|(i, info)| {
                let Some(at) = places
                    .get(&info.stripped)
                    .filter(|p| p.len() > 1 && aggregated(info))
                else {
                    return Vec::new();
                };
                let mut feats = vec![mix(70, (at.len() - 1).min(4) as u64)];
                let others = at
                    .iter()
                    .filter(|&&(s2, i2)| (s2 as usize, i2 as usize) != (s, i))
                    .take(MAX_OTHER_OCCURRENCES);
                for &(s2, i2) in others {
                    let (s2, i2) = (s2 as usize, i2 as isize);
                    let (p2, p1, o, n1) = (
                        info_at(s2, i2 - 2),
                        info_at(s2, i2 - 1),
                        info_at(s2, i2),
                        info_at(s2, i2 + 1),
                    );
                    feats.extend([
                        mix(71, p1.stripped),
                        mix(72, n1.stripped),
                        mix(73, small(p2.trigger, p1.trigger, 0)),
                        mix(74, small(o.gaz_span, o.lex_span, 0)),
                        mix(75, small(p1.lex_entity, n1.lex_entity, 0)),
                    ]);
                }
                feats.sort_unstable();
                feats.dedup();
                feats
            })
            .collect();
        out.push(emit(
            infos,
            names.clone(),
            &extra,
            sources.bits,
            sources.clusters.flat_levels(),
        ));
    }
    out
}

/// Whether a token's word takes in the contexts of its other occurrences:
/// words of three letters or more that are not stop words, numbers or punctuation.
fn aggregated(info: &TokenInfo) -> bool {
    !info.stopword && info.length >= 3 && matches!(info.shape, 0 | 2 | 3 | 4)
}

fn small(a: u8, b: u8, c: u8) -> u64 {
    u64::from(a) | u64::from(b) << 8 | u64::from(c) << 16
}

/// A sentence's token infos and gazetteer names.
fn analyse(tokens: &[String], sources: Sources<'_>) -> (Vec<TokenInfo>, Vec<Span>) {
    let Sources {
        gazetteer,
        clusters,
        lexicon,
        ..
    } = sources;
    let keys: Vec<String> = tokens.iter().map(|t| normalize::matching_key(t)).collect();
    let mut infos: Vec<TokenInfo> = tokens
        .iter()
        .zip(&keys)
        .map(|(raw, key)| {
            let stripped = stem::strip_proclitics(key);
            let stemmed = stem::light10(key);
            let (prefixes, suffixes) = char_slices(key);
            let clitics = &key[..key.len() - stripped.len().min(key.len())];
            let length = key.chars().count().min(12) as u8;
            let counts = lexicon.counts(stripped);
            let found = clusters.lookup(key);
            TokenInfo {
                raw: xxh3_64(raw.as_bytes()),
                key: xxh3_64(key.as_bytes()),
                stripped: xxh3_64(stripped.as_bytes()),
                stem: xxh3_64(stemmed.as_bytes()),
                prefixes,
                suffixes,
                clitics: xxh3_64(clitics.as_bytes()),
                shape: shape(raw),
                length,
                gaz_words: gazetteer.word_types(stripped),
                gaz_span: 0,
                trigger: trigger(key, stripped),
                stopword: stopwords::is_stopword(key),
                cluster: found.path,
                flat: found.flat,
                lex: lexicon::summary(counts),
                lex_entity: lexicon::entity_summary(counts),
                lex_span: 0,
                lex_words: lexicon.names.word_types(stripped),
            }
        })
        .collect();
    let gaz_words: Vec<u8> = infos.iter().map(|i| i.gaz_words).collect();
    let names = find_names(&keys, gazetteer, &gaz_words);
    let lex_words: Vec<u8> = infos.iter().map(|i| i.lex_words).collect();
    let lex_names = find_names(&keys, &lexicon.names, &lex_words);
    let spans = span_tags(&names, infos.len()).into_iter();
    for ((info, gaz), lex) in infos
        .iter_mut()
        .zip(spans)
        .zip(span_tags(&lex_names, keys.len()))
    {
        info.gaz_span = gaz;
        info.lex_span = lex;
    }
    (infos, names)
}

/// Hashed features of a sentence from its token infos, with `extra`
/// hashes per token (window features).
fn emit(
    infos: &[TokenInfo],
    names: Vec<Span>,
    extra: &[Vec<u64>],
    bits: u32,
    flat_levels: usize,
) -> SentenceFeatures {
    let at = |i: isize| -> &TokenInfo {
        if i < 0 || i as usize >= infos.len() {
            &BOUNDARY
        } else {
            &infos[i as usize]
        }
    };
    let shift = 64 - bits;
    let mut out = SentenceFeatures {
        buckets: Vec::with_capacity(infos.len() * 64),
        offsets: Vec::with_capacity(infos.len() + 1),
        names,
    };
    for i in 0..infos.len() as isize {
        out.offsets.push(out.buckets.len());
        let (p2, p1, w, n1, n2) = (at(i - 2), at(i - 1), at(i), at(i + 1), at(i + 2));
        let feats = [
            mix(0, 0),
            mix(1, w.raw),
            mix(2, w.key),
            mix(3, w.stripped),
            mix(4, w.stem),
            mix(5, w.prefixes[0]),
            mix(6, w.prefixes[1]),
            mix(7, w.prefixes[2]),
            mix(8, w.suffixes[0]),
            mix(9, w.suffixes[1]),
            mix(10, w.suffixes[2]),
            mix(11, w.clitics),
            mix(12, small(w.shape, w.length, 0)),
            mix(13, small(p1.shape, w.shape, n1.shape)),
            mix(14, p1.key),
            mix(15, n1.key),
            mix(16, p2.key),
            mix(17, n2.key),
            mix(18, p1.stripped),
            mix(19, n1.stripped),
            mix(20, p1.stem),
            mix(21, n1.stem),
            mix(22, mix(p1.key, w.stripped)),
            mix(23, mix(w.stripped, n1.key)),
            mix(24, mix(p1.stripped, n1.stripped)),
            mix(25, u64::from(w.gaz_words)),
            mix(26, small(p1.gaz_words, w.gaz_words, n1.gaz_words)),
            mix(27, u64::from(w.gaz_span)),
            mix(28, small(p1.gaz_span, w.gaz_span, n1.gaz_span)),
            mix(29, small(p2.trigger, p1.trigger, 0)),
            mix(30, u64::from(w.trigger)),
            mix(31, small(n1.trigger, w.gaz_words, 0)),
            mix(
                32,
                small(
                    u8::from(w.stopword),
                    u8::from(p1.stopword),
                    u8::from(n1.stopword),
                ),
            ),
            mix(33, mix(p1.stripped, w.gaz_words.into())),
            mix(34, mix(w.stem, p1.gaz_span.into())),
            mix(35, small(w.shape, n1.shape, n2.shape)),
            mix(36, mix(p2.stripped, p1.stripped)),
            mix(37, mix(n1.stripped, n2.stripped)),
            mix(38, u64::from(prefix(w.cluster, 4))),
            mix(39, u64::from(prefix(w.cluster, 6))),
            mix(40, u64::from(prefix(w.cluster, 8))),
            mix(41, u64::from(prefix(w.cluster, 10))),
            mix(42, u64::from(w.cluster)),
            mix(43, u64::from(prefix(p1.cluster, 6))),
            mix(44, u64::from(p1.cluster)),
            mix(45, u64::from(prefix(n1.cluster, 6))),
            mix(46, u64::from(n1.cluster)),
            mix(47, u64::from(prefix(p2.cluster, 6))),
            mix(48, u64::from(prefix(n2.cluster, 6))),
            mix(
                49,
                mix(prefix(p1.cluster, 8).into(), prefix(w.cluster, 8).into()),
            ),
            mix(50, u64::from(w.lex)),
            mix(51, u64::from(w.lex_entity)),
            mix(52, small(p1.lex_entity, w.lex_entity, n1.lex_entity)),
            mix(53, u64::from(w.lex_span)),
            mix(54, small(p1.lex_span, w.lex_span, n1.lex_span)),
            mix(55, small(w.lex_words, w.gaz_words, w.lex_span)),
        ];
        out.buckets
            .extend(feats.iter().map(|&h| (h >> shift) as u32));
        // Flat clusters of the word and its neighbours, one template per
        // clustering (56.., 60.., 64..).
        for l in 0..flat_levels {
            let l64 = l as u64;
            out.buckets.extend(
                [
                    mix(56 + l64, w.flat[l].into()),
                    mix(60 + l64, p1.flat[l].into()),
                    mix(64 + l64, n1.flat[l].into()),
                ]
                .map(|h| (h >> shift) as u32),
            );
        }
        if let Some(more) = extra.get(i as usize) {
            out.buckets
                .extend(more.iter().map(|&h| (h >> shift) as u32));
        }
    }
    out.offsets.push(out.buckets.len());
    out
}

/// The gazetteer types of a word, for callers outside the tagger.
pub fn word_gazetteer_types(gazetteer: &Gazetteer, word: &str) -> Vec<EntityType> {
    let key = normalize::matching_key(word);
    let set = gazetteer.word_types(stem::strip_proclitics(&key));
    EntityType::ALL
        .into_iter()
        .filter(|ty| set & (1 << *ty as u8) != 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources<'a>(g: &'a Gazetteer, k: &'a WordClusters) -> Sources<'a> {
        static LEXICON: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
        Sources {
            gazetteer: g,
            clusters: k,
            lexicon: LEXICON.get_or_init(Lexicon::default),
            bits: 18,
        }
    }

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn same_word_same_features_and_buckets_in_range() {
        let g = Gazetteer::default();
        let k = WordClusters::default();
        let a = extract(&words("قال الرئيس جو بايدن"), sources(&g, &k));
        assert_eq!(a.len(), 4);
        assert!(a.buckets.iter().all(|&b| b < 1 << 18));
        let b = extract(&words("قال الرئيس جو بايدن"), sources(&g, &k));
        assert_eq!(a.buckets, b.buckets);
        // A change two words away changes some of بايدن's features, not all.
        let c = extract(&words("قال الوزير جو بايدن"), sources(&g, &k));
        let shared = a
            .token(3)
            .iter()
            .zip(c.token(3))
            .filter(|(x, y)| x == y)
            .count();
        assert!(shared > 10 && shared < a.token(3).len(), "{shared}");
    }

    #[test]
    fn clusters_feed_features() {
        let g = Gazetteer::default();
        let key = |w: &str| crate::clusters::word_hash(&normalize::matching_key(w));
        let k =
            WordClusters::from_pairs([(key("دمشق"), 0b1_0110_1101), (key("عمان"), 0b1_0110_1100)]);
        let a = extract(&words("وصل إلى دمشق"), sources(&g, &k));
        let b = extract(&words("وصل إلى عمان"), sources(&g, &k));
        let none = extract(
            &words("وصل إلى عمان"),
            sources(&g, &WordClusters::default()),
        );
        // Sibling clusters share the coarse prefix features, not the leaf.
        let shared = |x: &[u32], y: &[u32]| x.iter().zip(y).filter(|(p, q)| p == q).count();
        assert!(shared(a.token(2), b.token(2)) > shared(a.token(2), none.token(2)));
        assert!(shared(a.token(2), b.token(2)) < a.token(2).len());
    }

    #[test]
    fn flat_clusters_feed_features() {
        let g = Gazetteer::default();
        let key = |w: &str| crate::clusters::word_hash(&normalize::matching_key(w));
        let paths = WordClusters::from_pairs([(key("دمشق"), 0b1_0110), (key("عمان"), 0b1_0110)]);
        let flat = paths.clone().with_flat(
            2,
            [(key("دمشق"), [5, 9, 0, 0]), (key("عمان"), [5, 8, 0, 0])],
        );
        let a = extract(&words("وصل إلى دمشق أمس"), sources(&g, &flat));
        let b = extract(&words("وصل إلى عمان أمس"), sources(&g, &flat));
        let plain = extract(&words("وصل إلى دمشق أمس"), sources(&g, &paths));
        // Three templates (word, previous, next) per clustering.
        for i in 0..4 {
            assert_eq!(a.token(i).len(), plain.token(i).len() + 6);
            assert_eq!(a.token(i)[..plain.token(i).len()], *plain.token(i));
        }
        // The same coarse id gives the same feature, another fine id another.
        let extra = |f: &SentenceFeatures, i: usize| f.token(i)[plain.token(i).len()..].to_vec();
        let (fa, fb) = (extra(&a, 2), extra(&b, 2));
        assert_eq!(fa[0], fb[0]);
        assert_ne!(fa[3], fb[3]);
        // The neighbours see it: «أمس» after دمشق and after عمان.
        let (na, nb) = (extra(&a, 3), extra(&b, 3));
        assert_eq!(na[1], nb[1]);
        assert_ne!(na[4], nb[4]);
    }

    #[test]
    fn gazetteer_spans_feed_features() {
        let mut g = Gazetteer::default();
        g.add(EntityType::Person, "مصطفى الكاظمي");
        g.finish();
        let s = words("التقى مصطفى الكاظمي");
        let keys: Vec<String> = s.iter().map(|t| normalize::matching_key(t)).collect();
        let types: Vec<u8> = keys
            .iter()
            .map(|k| g.word_types(stem::strip_proclitics(k)))
            .collect();
        let names = find_names(&keys, &g, &types);
        assert_eq!(
            names,
            [Span {
                start: 1,
                end: 3,
                ty: EntityType::Person
            }]
        );
        assert_eq!(span_tags(&names, 3), [0, 1, 2]);
    }

    #[test]
    fn a_word_seen_again_in_the_window_takes_in_its_other_contexts() {
        let (g, k) = (Gazetteer::default(), WordClusters::default());
        let first = words("قال الرئيس نيكولا ساركوزي إن");
        let later = words("وأضاف ساركوزي أمس");
        let alone = extract(&later, sources(&g, &k));
        let window = extract_window(&[first.clone(), later.clone()], sources(&g, &k));
        assert_eq!(window.len(), 2);
        // «ساركوزي» in the second sentence gains features from the first.
        assert!(window[1].token(1).len() > alone.token(1).len());
        // Words seen once, and stop words, are as they were alone.
        assert_eq!(window[1].token(2), alone.token(2));
        // Another sentence order gives the same features to the same token.
        let swapped = extract_window(&[later, first], sources(&g, &k));
        assert_eq!(swapped[0].token(1), window[1].token(1));
    }

    #[test]
    fn shapes() {
        assert_eq!(shape("بغداد"), 0);
        assert_eq!(shape("٢٠٢١"), 1);
        assert_eq!(shape("Biden"), 3);
        assert_eq!(shape("ISIS"), 4);
        assert_eq!(shape("،"), 5);
        assert_eq!(trigger("الرئيس", "رئيس"), 1);
        assert_eq!(trigger("وزير", "زير"), 1);
    }
}
