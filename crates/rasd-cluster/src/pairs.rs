//! Pairwise similarity: two articles in, a same-story probability out.
//!
//! A pair is described by [`PAIR_FEATURES`] symmetric numbers
//! ([`pair_vector`]): the seven sub-vector cosines of the clustering model
//! (title, body and whole text × tokens and stems, and entities) plus a
//! character 3–5-gram cosine over content words, which catches the inflected
//! and differently spelled forms that word vectors miss (reports of one story
//! by different outlets rarely share whole sentences). A logistic model over
//! them, fitted by `examples/fit_pairs.rs` on pairs from the hand-labeled
//! SaudiNewsNet slice with both classes weighted equally, gives the score:
//! the probability of the same story for a pair with even prior odds. It is
//! calibrated apart from the clusterer's ranker, which is trained to rank
//! candidate stories on near-wire copies and is far too strict for pairs of
//! independently written reports. IDF comes from the prior table only (a pair
//! is too small a corpus to learn one from).

use crate::input::ArticleIn;
use crate::model::sigmoid;
use crate::sparse::SparseVec;
use crate::vectorize::{word_forms, Doc, Space, Vectorizer};
use rasd_text::normalize;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Bias, 7 sub-vector cosines, the character n-gram cosine.
pub const PAIR_FEATURES: usize = 9;
const BUILTIN_PAIR_WEIGHTS: &str = include_str!("../model/pairs.json");
const CHAR_SEED: u64 = 0x63686172;
/// Content words read for character n-grams (bounds the cost per article).
const MAX_CHAR_WORDS: usize = 1200;
/// Body bytes read for character n-grams: a pair is scored once, so it
/// reads more of the body than the clusterer's per-article lead
/// ([`crate::vectorize::MAX_BODY_BYTES`]); the model was fitted this way.
const MAX_PAIR_BODY_BYTES: usize = 6000;

/// The score of one pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairScore {
    /// Probability of the same story, in [0, 1].
    pub score: f32,
    pub same_story: bool,
}

/// The pairwise model's weights, as written to `model/pairs.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairWeights {
    pub weights: Vec<f32>,
    /// Score at or above which a pair is called the same story.
    pub threshold: f32,
    /// When both articles carry dates more than this many days apart, the
    /// score decays as a Gaussian of the excess (σ = this many days): one
    /// story is one event, reported within days. Words alone cannot tell a
    /// follow-up years later from the same report.
    #[serde(default = "default_story_days")]
    pub story_days: f32,
    /// Where the weights came from and how they scored (free text).
    #[serde(default)]
    pub note: String,
}

fn default_story_days() -> f32 {
    3.0
}

/// Why a pair weights file was refused.
#[derive(Debug, thiserror::Error)]
pub enum PairWeightsError {
    #[error("pair weights: not valid JSON of the expected shape: {0}")]
    Json(#[from] serde_json::Error),
    #[error("pair weights: {0} weights, expected {PAIR_FEATURES}")]
    Length(usize),
    #[error("pair weights: a weight or the threshold is not a finite number")]
    NotFinite,
}

impl Default for PairWeights {
    /// Hand-set weights: the fallback and the starting point of fitting.
    fn default() -> Self {
        PairWeights {
            weights: vec![-4.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 4.0],
            threshold: 0.5,
            story_days: default_story_days(),
            note: "hand-set".into(),
        }
    }
}

impl PairWeights {
    /// The weights shipped in `model/pairs.json` (hand-set ones if that file
    /// does not parse, which a unit test rules out).
    pub fn builtin() -> PairWeights {
        PairWeights::from_json(BUILTIN_PAIR_WEIGHTS).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Result<PairWeights, PairWeightsError> {
        let w: PairWeights = serde_json::from_str(text)?;
        if w.weights.len() != PAIR_FEATURES {
            return Err(PairWeightsError::Length(w.weights.len()));
        }
        let numbers = [&w.threshold, &w.story_days];
        if !w.weights.iter().chain(numbers).all(|x| x.is_finite()) || w.story_days <= 0.0 {
            return Err(PairWeightsError::NotFinite);
        }
        Ok(w)
    }

    /// The same-story probability of a pair's features.
    pub fn probability(&self, x: &[f32; PAIR_FEATURES]) -> f32 {
        let logit: f32 = self.weights.iter().zip(x).map(|(w, v)| w * v).sum();
        let p = sigmoid(logit);
        if p.is_finite() {
            p.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

/// One article ready for pairing: its word vectors and character n-grams.
#[derive(Debug, Clone, Default)]
pub struct PairDoc {
    pub doc: Doc,
    pub chars: SparseVec,
}

/// Hashed character 3–5-grams of the content words of `article` (title and
/// body start), weighted `1 + ln tf` and scaled to unit length. Words are
/// padded with a space so that n-grams at word edges differ from inner ones.
pub fn char_ngrams(article: &ArticleIn) -> SparseVec {
    let title = article.title.as_deref().unwrap_or("");
    let body = article.body.as_deref().unwrap_or("");
    let body = &body[..floor_char_boundary(body, MAX_PAIR_BODY_BYTES)];
    let mut grams: Vec<(u32, f32)> = Vec::new();
    let mut chars: Vec<char> = Vec::new();
    for part in [title, body] {
        let key = normalize::matching_key(part);
        for (token, _) in word_forms(&key).take(MAX_CHAR_WORDS) {
            chars.clear();
            chars.push(' ');
            chars.extend(token.chars());
            chars.push(' ');
            let mut buf = [0u8; 4 * 5];
            for n in 3..=5 {
                for window in chars.windows(n) {
                    let mut len = 0;
                    for c in window {
                        len += c.encode_utf8(&mut buf[len..]).len();
                    }
                    grams.push((xxh3_64_with_seed(&buf[..len], CHAR_SEED) as u32, 1.0));
                }
            }
        }
    }
    let counts = SparseVec::from_unsorted(grams);
    let mut v = SparseVec::from_unsorted(
        counts
            .entries()
            .iter()
            .map(|(id, tf)| (*id, 1.0 + tf.ln()))
            .collect(),
    );
    v.normalize();
    v
}

fn floor_char_boundary(text: &str, max: usize) -> usize {
    if text.len() <= max {
        return text.len();
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    cut
}

/// The symmetric features of a pair. Where either side lacks a title (or a
/// body), the title (or body) cosines take the whole-text ones, so one weight
/// set serves titles-only and body-only pairs.
pub fn pair_vector(a: &PairDoc, b: &PairDoc) -> [f32; PAIR_FEATURES] {
    let cos = |s: Space| a.doc.space(s).cosine(b.doc.space(s));
    let (all_tok, all_stem) = (cos(Space::AllTokens), cos(Space::AllStems));
    let titled = a.doc.has_title && b.doc.has_title;
    let bodied = a.doc.has_body && b.doc.has_body;
    let pick = |ok: bool, s: Space, fallback: f32| if ok { cos(s) } else { fallback };
    [
        1.0,
        pick(titled, Space::TitleTokens, all_tok),
        pick(titled, Space::TitleStems, all_stem),
        pick(bodied, Space::BodyTokens, all_tok),
        pick(bodied, Space::BodyStems, all_stem),
        all_tok,
        all_stem,
        cos(Space::Entities),
        a.chars.cosine(&b.chars),
    ]
}

/// Scores article pairs with the pairwise model.
#[derive(Debug, Clone)]
pub struct PairScorer {
    vectorizer: Vectorizer,
    weights: PairWeights,
}

impl Default for PairScorer {
    fn default() -> Self {
        PairScorer::new(Vectorizer::default(), PairWeights::builtin())
    }
}

impl PairScorer {
    pub fn new(vectorizer: Vectorizer, weights: PairWeights) -> PairScorer {
        PairScorer {
            vectorizer,
            weights,
        }
    }

    /// One article as the pairwise model sees it.
    pub fn prepare(&self, article: &ArticleIn) -> PairDoc {
        PairDoc {
            doc: self.vectorizer.doc_frozen(article),
            chars: char_ngrams(article),
        }
    }

    /// The same-story probability of `a` and `b` (symmetric).
    ///
    /// ```
    /// use rasd_cluster::{input::ArticleIn, pairs::PairScorer};
    /// let art = |t: &str| ArticleIn { title: Some(t.into()), ..ArticleIn::default() };
    /// let scorer = PairScorer::default();
    /// let same = scorer.score(&art("الكاظمي يلتقي بايدن في واشنطن"), &art("بايدن يستقبل الكاظمي في واشنطن"));
    /// let other = scorer.score(&art("الكاظمي يلتقي بايدن في واشنطن"), &art("أرسنال يتوج بالدرع الخيرية"));
    /// assert!(same.score > other.score);
    /// ```
    pub fn score(&self, a: &ArticleIn, b: &ArticleIn) -> PairScore {
        self.score_prepared(&self.prepare(a), &self.prepare(b))
    }

    /// [`PairScorer::score`] on prepared articles.
    pub fn score_prepared(&self, a: &PairDoc, b: &PairDoc) -> PairScore {
        let mut score = self.weights.probability(&pair_vector(a, b));
        if let (Some(x), Some(y)) = (a.doc.days, b.doc.days) {
            let sigma = f64::from(self.weights.story_days);
            let excess = ((x - y).abs() - sigma).max(0.0) / sigma;
            score *= (-(excess * excess) / 2.0).exp() as f32;
        }
        PairScore {
            score,
            same_story: score >= self.weights.threshold,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_pair_weights_parse() {
        assert!(PairWeights::from_json(BUILTIN_PAIR_WEIGHTS).is_ok());
        assert!(matches!(
            PairWeights::from_json(r#"{"weights":[1.0],"threshold":0.5}"#),
            Err(PairWeightsError::Length(1))
        ));
    }

    #[test]
    fn distant_dates_lower_the_score() {
        let scorer = PairScorer::default();
        let art = |date: &str| ArticleIn {
            title: Some("الكاظمي يلتقي بايدن في البيت الأبيض".into()),
            body: Some(
                "بحث رئيس الوزراء العراقي مع الرئيس الأمريكي وجود القوات الأمريكية في العراق".into(),
            ),
            published: Some(date.into()),
            ..ArticleIn::default()
        };
        let near = scorer.score(&art("2021-07-26"), &art("2021-07-27"));
        let far = scorer.score(&art("2021-07-26"), &art("2024-02-11"));
        assert!(near.same_story && near.score > 0.5, "{near:?}");
        assert!(!far.same_story && far.score < 0.01, "{far:?}");
    }

    #[test]
    fn char_ngrams_match_inflected_forms() {
        let art = |t: &str| ArticleIn {
            title: Some(t.into()),
            ..ArticleIn::default()
        };
        let a = char_ngrams(&art("الأمريكية العراقية"));
        let b = char_ngrams(&art("أمريكي عراقي"));
        let c = char_ngrams(&art("مهرجان العسل"));
        assert!(
            a.cosine(&b) > 0.2 && a.cosine(&c) < 0.05,
            "{} {}",
            a.cosine(&b),
            a.cosine(&c)
        );
        assert!(char_ngrams(&ArticleIn::default()).is_empty());
    }

    #[test]
    fn identical_pairs_score_high_and_unrelated_low() {
        let scorer = PairScorer::default();
        let a = ArticleIn {
            title: Some("خادم الحرمين الشريفين يصل إلى المملكة المغربية".into()),
            body: Some("وصل خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز إلى مدينة طنجة في المملكة المغربية لقضاء إجازة خاصة".into()),
            ..ArticleIn::default()
        };
        let b = ArticleIn {
            title: Some("ارتفاع طفيف للأسهم السعودية خلال شهر يوليو".into()),
            body: Some("أغلق مؤشر السوق المالية السعودية تعاملات شهر يوليو على ارتفاع طفيف".into()),
            ..ArticleIn::default()
        };
        let same = scorer.score(&a, &a);
        let other = scorer.score(&a, &b);
        assert!(same.same_story && same.score > 0.8, "{same:?}");
        assert!(!other.same_story && other.score < 0.3, "{other:?}");
        assert_eq!(scorer.score(&a, &b), scorer.score(&b, &a));
    }

    #[test]
    fn empty_pairs_score_in_range() {
        let s = PairScorer::default().score(&ArticleIn::default(), &ArticleIn::default());
        assert!((0.0..=1.0).contains(&s.score));
    }
}
