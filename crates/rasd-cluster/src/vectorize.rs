//! Articles in, TF-IDF sub-vectors out ([`Doc`]), with document frequencies
//! kept online ([`Vectorizer`]).
//!
//! Following Miranda et al. (EMNLP 2018), an article is seven sparse vectors
//! ([`Space`]): title, body and both, each as proclitic-stripped tokens and as
//! Light10 stems, plus an entity proxy (rare tokens, until NER exists). Words
//! are compared on [`rasd_text::normalize::matching_key`] with stop words
//! removed. Weights are `(1 + ln tf) · idf`, each space scaled to unit length.
//! IDF starts from a prior table learned on SaudiNewsNet (`model/idf.tsv`) and
//! is updated by every article the vectorizer sees.

use crate::input::ArticleIn;
use crate::sparse::SparseVec;
use rasd_text::{normalize, stem, stopwords, tokenize};
use std::collections::HashMap;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// The sub-vectors of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Space {
    TitleTokens,
    TitleStems,
    BodyTokens,
    BodyStems,
    AllTokens,
    AllStems,
    Entities,
}

pub const SPACES: usize = 7;

impl Space {
    pub const ALL: [Space; SPACES] = [
        Space::TitleTokens,
        Space::TitleStems,
        Space::BodyTokens,
        Space::BodyStems,
        Space::AllTokens,
        Space::AllStems,
        Space::Entities,
    ];
}

/// Only the start of a body is read: the lead says what the story is, and it
/// bounds the cost per article.
pub const MAX_BODY_BYTES: usize = 6000;
/// Words kept from the title (a title-sized bound for junk titles).
const MAX_TITLE_WORDS: usize = 60;
/// Distinct terms the online document frequencies may hold.
const MAX_VOCABULARY: usize = 4_000_000;
/// Tokens rarer than this share of documents count as entity-like.
const ENTITY_MAX_DF_SHARE: f64 = 0.003;

/// One article as vectors, ready for scoring.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub spaces: [SparseVec; SPACES],
    /// Days since 1970-01-01, when the article has a usable date.
    pub days: Option<f64>,
    pub lang: String,
    pub has_title: bool,
    pub has_body: bool,
    /// Hash of the body's words, for exact-duplicate joins (long bodies only).
    pub body_fingerprint: Option<u64>,
}

impl Doc {
    pub fn space(&self, space: Space) -> &SparseVec {
        &self.spaces[space as usize]
    }
}

/// Document frequencies (prior + online) and the article → [`Doc`] step.
#[derive(Debug, Clone)]
pub struct Vectorizer {
    prior_docs: f64,
    prior: HashMap<u32, u32>,
    docs: f64,
    df: HashMap<u32, u32>,
}

const TOKEN_SEED: u64 = 0x746f6b;
const STEM_SEED: u64 = 0x7374656d;

fn token_id(token: &str) -> u32 {
    xxh3_64_with_seed(token.as_bytes(), TOKEN_SEED) as u32
}

fn stem_id(stem: &str) -> u32 {
    xxh3_64_with_seed(stem.as_bytes(), STEM_SEED) as u32
}

/// A word as the vectors see it: its token and stem ids.
#[derive(Clone, Copy)]
struct Term {
    token: u32,
    stem: u32,
}

/// The (token, stem) forms of the content words of a matching key: stop
/// words and one-letter words dropped, proclitics stripped for the token,
/// Light10 for the stem. Public so the IDF prior is built from the same forms.
pub fn word_forms(key: &str) -> impl Iterator<Item = (&str, &str)> {
    tokenize::words(key)
        .filter(|w| w.chars().nth(1).is_some() && !stopwords::is_stopword(w))
        .map(|w| (stem::strip_proclitics(w), stem::light10(w)))
}

fn terms(key: &str, max_words: usize) -> Vec<Term> {
    word_forms(key)
        .take(max_words)
        .map(|(token, stem)| Term {
            token: token_id(token),
            stem: stem_id(stem),
        })
        .collect()
}

fn article_terms(article: &ArticleIn) -> (Vec<Term>, Vec<Term>) {
    let title = article.title.as_deref().unwrap_or("");
    let body = prefix_at_char(article.body.as_deref().unwrap_or(""), MAX_BODY_BYTES);
    (
        terms(&normalize::matching_key(title), MAX_TITLE_WORDS),
        terms(&normalize::matching_key(body), usize::MAX),
    )
}

fn prefix_at_char(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

impl Default for Vectorizer {
    fn default() -> Self {
        Vectorizer::with_prior(crate::model::PRIOR_IDF)
    }
}

impl Vectorizer {
    /// A vectorizer whose IDF starts from a prior table: a `#docs<TAB>N` line,
    /// then `t|s<TAB>term<TAB>df` lines (t = token, s = Light10 stem).
    /// Malformed lines are skipped: the prior only sharpens the start.
    pub fn with_prior(table: &str) -> Vectorizer {
        let mut prior_docs = 0.0;
        let mut prior = HashMap::new();
        for line in table.lines() {
            let mut cols = line.split('\t');
            match (cols.next(), cols.next(), cols.next()) {
                (Some("#docs"), Some(n), None) => prior_docs = n.parse().unwrap_or(0.0),
                (Some("t"), Some(term), Some(df)) => {
                    if let Ok(df) = df.parse() {
                        prior.insert(token_id(term), df);
                    }
                }
                (Some("s"), Some(term), Some(df)) => {
                    if let Ok(df) = df.parse() {
                        prior.insert(stem_id(term), df);
                    }
                }
                _ => {}
            }
        }
        Vectorizer {
            prior_docs,
            prior,
            docs: 0.0,
            df: HashMap::new(),
        }
    }

    /// A vectorizer with no prior (IDF from the stream alone).
    pub fn empty() -> Vectorizer {
        Vectorizer::with_prior("")
    }

    /// Documents counted so far, prior included.
    pub fn documents(&self) -> f64 {
        self.prior_docs + self.docs
    }

    fn df_of(&self, id: u32) -> f64 {
        (self.prior.get(&id).copied().unwrap_or(0) + self.df.get(&id).copied().unwrap_or(0)) as f64
    }

    fn idf(&self, id: u32) -> f32 {
        (((1.0 + self.documents()) / (1.0 + self.df_of(id))).ln() + 1.0) as f32
    }

    /// Vectors for `article`; with `learn`, its words first update the
    /// document frequencies (the online IDF of a stream).
    pub fn doc(&mut self, article: &ArticleIn, learn: bool) -> Doc {
        let (title_terms, body_terms) = article_terms(article);
        if learn {
            self.learn(&title_terms, &body_terms);
        }
        self.build(article, &title_terms, &body_terms)
    }

    /// Vectors for `article` under the current IDF, learning nothing.
    pub fn doc_frozen(&self, article: &ArticleIn) -> Doc {
        let (title_terms, body_terms) = article_terms(article);
        self.build(article, &title_terms, &body_terms)
    }

    fn build(&self, article: &ArticleIn, title_terms: &[Term], body_terms: &[Term]) -> Doc {
        let title = article.title.as_deref().unwrap_or("");
        let body = prefix_at_char(article.body.as_deref().unwrap_or(""), MAX_BODY_BYTES);
        let mut doc = Doc {
            days: article
                .published
                .as_deref()
                .and_then(crate::time::parse_days),
            lang: language(article, title, body),
            has_title: !title_terms.is_empty(),
            has_body: !body_terms.is_empty(),
            body_fingerprint: fingerprint(body_terms),
            ..Doc::default()
        };
        let weigh = |counts: HashMap<u32, u32>| -> SparseVec {
            let pairs = counts
                .into_iter()
                .map(|(id, tf)| (id, (1.0 + (tf as f32).ln()) * self.idf(id)))
                .collect();
            let mut v = SparseVec::from_unsorted(pairs);
            v.normalize();
            v
        };
        let count = |parts: &[&[Term]], pick: fn(&Term) -> u32| {
            let mut counts: HashMap<u32, u32> = HashMap::new();
            for part in parts {
                for t in part.iter() {
                    *counts.entry(pick(t)).or_insert(0) += 1;
                }
            }
            counts
        };
        let tok = |t: &Term| t.token;
        let stm = |t: &Term| t.stem;
        let all_tokens = count(&[title_terms, body_terms], tok);
        let max_df = ENTITY_MAX_DF_SHARE * self.documents().max(1.0);
        let entities: HashMap<u32, u32> = all_tokens
            .iter()
            .filter(|(id, _)| self.df_of(**id) <= max_df)
            .map(|(id, tf)| (*id, *tf))
            .collect();
        doc.spaces = [
            weigh(count(&[title_terms], tok)),
            weigh(count(&[title_terms], stm)),
            weigh(count(&[body_terms], tok)),
            weigh(count(&[body_terms], stm)),
            weigh(all_tokens),
            weigh(count(&[title_terms, body_terms], stm)),
            weigh(entities),
        ];
        doc
    }

    fn learn(&mut self, title: &[Term], body: &[Term]) {
        let mut seen: Vec<u32> = title
            .iter()
            .chain(body)
            .flat_map(|t| [t.token, t.stem])
            .collect();
        seen.sort_unstable();
        seen.dedup();
        self.docs += 1.0;
        for id in seen {
            if self.df.len() < MAX_VOCABULARY || self.df.contains_key(&id) {
                *self.df.entry(id).or_insert(0) += 1;
            }
        }
    }
}

fn fingerprint(body: &[Term]) -> Option<u64> {
    if body.len() < 20 {
        return None;
    }
    let bytes: Vec<u8> = body.iter().flat_map(|t| t.token.to_le_bytes()).collect();
    Some(xxh3_64_with_seed(&bytes, 0))
}

/// The article's language: its `lang` field, else Arabic when most letters
/// are Arabic, else whatlang's guess (ISO 639-1 where common).
fn language(article: &ArticleIn, title: &str, body: &str) -> String {
    if let Some(lang) = article.lang.as_deref().filter(|l| !l.trim().is_empty()) {
        return lang.trim().to_ascii_lowercase().chars().take(8).collect();
    }
    let sample = format!("{title} {}", prefix_at_char(body, 600));
    if rasd_text::arabic_ratio(&sample) >= 0.5 {
        return "ar".to_string();
    }
    match whatlang::detect_lang(&sample) {
        Some(lang) => iso_639_1(lang.code()).to_string(),
        None => "und".to_string(),
    }
}

fn iso_639_1(code: &str) -> &str {
    match code {
        "ara" => "ar",
        "eng" => "en",
        "fra" => "fr",
        "deu" => "de",
        "spa" => "es",
        "rus" => "ru",
        "tur" => "tr",
        "pes" => "fa",
        "urd" => "ur",
        "heb" => "he",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(title: &str, body: &str) -> ArticleIn {
        ArticleIn {
            title: Some(title.into()),
            body: Some(body.into()),
            published: Some("2021-07-26".into()),
            ..ArticleIn::default()
        }
    }

    #[test]
    fn clitic_forms_meet_and_stop_words_go() {
        let mut v = Vectorizer::empty();
        let a = v.doc(&article("القوات الأمريكية في العراق", ""), true);
        let b = v.doc(&article("وللقوات الأمريكيّة من العراق", ""), true);
        assert!(
            a.space(Space::TitleStems)
                .cosine(b.space(Space::TitleStems))
                > 0.99
        );
        assert_eq!(a.space(Space::TitleTokens).len(), 3, "في is a stop word");
        assert!(!a.has_body && a.has_title);
        assert_eq!(a.lang, "ar");
        assert_eq!(a.days, Some(18834.0));
    }

    #[test]
    fn idf_learns_online() {
        let mut v = Vectorizer::empty();
        for _ in 0..50 {
            v.doc(&article("السعودية", "خبر"), true);
        }
        let d = v.doc(&article("السعودية الكاظمي", ""), false);
        let t = d.space(Space::TitleTokens).entries();
        let common = t.iter().find(|e| e.0 == token_id("سعوديه")).unwrap().1;
        let rare = t.iter().find(|e| e.0 == token_id("كاظمي")).unwrap().1;
        assert!(rare > 2.0 * common, "{rare} vs {common}");
    }

    #[test]
    fn junk_input_gives_empty_vectors() {
        let mut v = Vectorizer::default();
        let d = v.doc(&article("\u{0}\u{1}!!!", "<<<>>> ... ؟؟"), true);
        assert!(d.spaces.iter().all(SparseVec::is_empty));
        assert!(!d.has_title && !d.has_body);
    }

    #[test]
    fn english_is_detected() {
        let mut v = Vectorizer::empty();
        let d = v.doc(
            &ArticleIn {
                title: Some("Biden meets Iraqi prime minister at the White House".into()),
                ..ArticleIn::default()
            },
            false,
        );
        assert_eq!(d.lang, "en");
    }
}
