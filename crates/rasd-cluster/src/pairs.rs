//! Pairwise similarity: two articles in, a graded similarity out.
//!
//! A pair is described by [`PAIR_FEATURES`] symmetric numbers
//! ([`pair_vector`]): the whole-text token and stem cosines of the
//! clustering model (TF-IDF with the SaudiNewsNet background IDF of
//! `model/idf.tsv`: a pair is too small a corpus to learn IDF from), the
//! stem cosine of the two leads (title and first [`LEAD_WORDS`] words: the
//! texts are often truncated, and the lead says what the story is), the
//! Jaccard overlap of the numbers the texts cite (counts, dates, sums are
//! what two reports of one event share), and a character 3–5-gram cosine
//! over content words, which catches inflected and differently spelled
//! forms. The score is a linear map of them clamped to [0, 1] — graded, not
//! a join probability — fitted by ridge regression to graded same-story
//! judgments by `examples/fit_pairs.rs`, which reports its leave-one-out
//! Pearson. A pair where either side is not an article (page chrome such as
//! a donation banner, or under [`MIN_CONTENT_WORDS`] content words) cannot
//! be judged from its text: it gets the fitted uninformative score, the
//! mean similarity of the training pairs.

use crate::input::ArticleIn;
use crate::sparse::SparseVec;
use crate::vectorize::{word_forms, Doc, Space, Vectorizer};
use rasd_text::normalize;
use rasd_text::tokenize::{self, TokenKind};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Bias, token cosine, stem cosine, lead stem cosine, number Jaccard,
/// character n-gram cosine.
pub const PAIR_FEATURES: usize = 6;
/// Names of the features, in [`pair_vector`] order (for reports).
pub const FEATURE_NAMES: [&str; PAIR_FEATURES] =
    ["bias", "tokens", "stems", "lead_stems", "numbers", "chars"];
const BUILTIN_PAIR_WEIGHTS: &str = include_str!("../model/pairs.json");
const CHAR_SEED: u64 = 0x63686172;
/// Content words read for character n-grams (bounds the cost per article).
const MAX_CHAR_WORDS: usize = 1200;
/// Body bytes read for character n-grams: a pair is scored once, so it
/// reads more of the body than the clusterer's per-article lead
/// ([`crate::vectorize::MAX_BODY_BYTES`]).
const MAX_PAIR_BODY_BYTES: usize = 6000;
/// Words (title first, then body) that make an article's lead.
pub const LEAD_WORDS: usize = 100;
/// Distinct numbers kept per article (bounds the Jaccard's cost).
const MAX_NUMBERS: usize = 256;
/// Fewer content words than this and a side says too little to compare
/// (two: a bare title of a few words is still a story to match).
pub const MIN_CONTENT_WORDS: usize = 2;
/// Bytes at the start of a text searched for page-chrome phrases: chrome
/// scraped instead of an article starts with it, while a real article may
/// end with a rights line (the texts keep their last words).
const CHROME_HEAD_BYTES: usize = 400;
/// Phrases of site furniture — donation and membership appeals, rights,
/// login, error pages — that open a scraped page when the scraper missed
/// the article. Matched on matching keys.
const CHROME_PHRASES: [&str; 14] = [
    "تبرع للموقع",
    "التبرع للموقع",
    "ادعمنا",
    "ادعمونا",
    "جميع الحقوق محفوظة",
    "كل الحقوق محفوظة",
    "تسجيل الدخول",
    "سجل الدخول",
    "الصفحة غير موجودة",
    "الصفحة المطلوبة غير موجودة",
    "page not found",
    "all rights reserved",
    "enable javascript",
    "access denied",
];

/// The score of one pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairScore {
    /// Graded similarity in [0, 1] (1: the same story told alike).
    pub score: f32,
    pub same_story: bool,
}

/// The pairwise model's weights, as written to `model/pairs.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairWeights {
    /// Linear weights of [`pair_vector`]'s features (bias first).
    pub weights: Vec<f32>,
    /// Score at or above which a pair is called the same story.
    pub threshold: f32,
    /// The score of a pair that cannot be judged from its text.
    #[serde(default = "default_uninformative")]
    pub uninformative: f32,
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

fn default_uninformative() -> f32 {
    0.45
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
            weights: vec![0.0, 0.25, 0.25, 0.5, 0.25, 0.5],
            threshold: 0.5,
            uninformative: default_uninformative(),
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
        let numbers = [&w.threshold, &w.story_days, &w.uninformative];
        if !w.weights.iter().chain(numbers).all(|x| x.is_finite()) || w.story_days <= 0.0 {
            return Err(PairWeightsError::NotFinite);
        }
        Ok(w)
    }

    /// The graded similarity of a pair's features: the linear score,
    /// clamped to [0, 1].
    pub fn similarity(&self, x: &[f32; PAIR_FEATURES]) -> f32 {
        let s: f32 = self.weights.iter().zip(x).map(|(w, v)| w * v).sum();
        if s.is_finite() {
            s.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

/// One article ready for pairing.
#[derive(Debug, Clone, Default)]
pub struct PairDoc {
    pub doc: Doc,
    /// The title and the first [`LEAD_WORDS`] words as vectors.
    pub lead: Doc,
    pub chars: SparseVec,
    /// Hashes of the distinct numbers cited, sorted.
    pub numbers: Vec<u64>,
    /// Whether the text is something to compare: an article of at least
    /// [`MIN_CONTENT_WORDS`] content words, not page chrome.
    pub informative: bool,
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

/// The first [`LEAD_WORDS`] whitespace-separated words of the title and
/// body, as an untitled article (so that a title split off or not reads
/// the same).
pub fn lead(article: &ArticleIn) -> ArticleIn {
    let title = article.title.as_deref().unwrap_or("");
    let body = article.body.as_deref().unwrap_or("");
    let words: Vec<&str> = title
        .split_whitespace()
        .chain(body.split_whitespace())
        .take(LEAD_WORDS)
        .collect();
    ArticleIn {
        body: Some(words.join(" ")),
        published: article.published.clone(),
        lang: article.lang.clone(),
        ..ArticleIn::default()
    }
}

/// Sorted hashes of the distinct numbers in the title and body (digits
/// folded to ASCII by the matching key, so `٢٠٢٠` and `2020` meet).
pub fn numbers(article: &ArticleIn) -> Vec<u64> {
    let mut out = Vec::new();
    for part in [article.title.as_deref(), article.body.as_deref()] {
        let key = normalize::matching_key(part.unwrap_or(""));
        out.extend(
            tokenize::tokens(&key)
                .filter(|t| t.kind == TokenKind::Number)
                .map(|t| xxh3_64_with_seed(t.text.as_bytes(), CHAR_SEED)),
        );
    }
    out.sort_unstable();
    out.dedup();
    out.truncate(MAX_NUMBERS);
    out
}

/// Whether the start of the article is site furniture (see
/// [`CHROME_PHRASES`]) rather than news.
pub fn is_page_chrome(article: &ArticleIn) -> bool {
    static PHRASES: OnceLock<Vec<String>> = OnceLock::new();
    let phrases = PHRASES.get_or_init(|| {
        CHROME_PHRASES
            .iter()
            .map(|p| normalize::matching_key(p).to_lowercase())
            .collect()
    });
    let title = article.title.as_deref().unwrap_or("");
    let body = article.body.as_deref().unwrap_or("");
    let head = format!(
        "{title} {}",
        &body[..floor_char_boundary(body, CHROME_HEAD_BYTES)]
    );
    let key = normalize::matching_key(&head).to_lowercase();
    phrases.iter().any(|p| key.contains(p.as_str()))
}

/// |A ∩ B| / |A ∪ B| of two sorted, deduplicated lists (0 when both are empty).
fn jaccard(a: &[u64], b: &[u64]) -> f32 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    if union == 0 {
        0.0
    } else {
        both as f32 / union as f32
    }
}

/// The symmetric features of a pair, in [`FEATURE_NAMES`] order.
pub fn pair_vector(a: &PairDoc, b: &PairDoc) -> [f32; PAIR_FEATURES] {
    let cos = |s: Space| a.doc.space(s).cosine(b.doc.space(s));
    [
        1.0,
        cos(Space::AllTokens),
        cos(Space::AllStems),
        a.lead
            .space(Space::AllStems)
            .cosine(b.lead.space(Space::AllStems)),
        jaccard(&a.numbers, &b.numbers),
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

    pub fn weights(&self) -> &PairWeights {
        &self.weights
    }

    /// One article as the pairwise model sees it.
    pub fn prepare(&self, article: &ArticleIn) -> PairDoc {
        let doc = self.vectorizer.doc_frozen(article);
        let content_words = doc.space(Space::AllTokens).len();
        PairDoc {
            lead: self.vectorizer.doc_frozen(&lead(article)),
            chars: char_ngrams(article),
            numbers: numbers(article),
            informative: content_words >= MIN_CONTENT_WORDS && !is_page_chrome(article),
            doc,
        }
    }

    /// The graded similarity of `a` and `b` (symmetric).
    ///
    /// ```
    /// use rasd_cluster::{input::ArticleIn, pairs::PairScorer};
    /// let art = |t: &str| ArticleIn { title: Some(t.into()), ..ArticleIn::default() };
    /// let scorer = PairScorer::default();
    /// let same = scorer.score(
    ///     &art("الكاظمي يلتقي بايدن في واشنطن لبحث مستقبل القوات الأمريكية في العراق"),
    ///     &art("بايدن يستقبل الكاظمي في واشنطن ويبحثان مستقبل القوات الأمريكية بالعراق"),
    /// );
    /// let other = scorer.score(
    ///     &art("الكاظمي يلتقي بايدن في واشنطن لبحث مستقبل القوات الأمريكية في العراق"),
    ///     &art("أرسنال يتوج بالدرع الخيرية بعد فوزه على تشيلسي في ملعب ويمبلي"),
    /// );
    /// assert!(same.score > other.score);
    /// ```
    pub fn score(&self, a: &ArticleIn, b: &ArticleIn) -> PairScore {
        self.score_prepared(&self.prepare(a), &self.prepare(b))
    }

    /// [`PairScorer::score`] on prepared articles.
    pub fn score_prepared(&self, a: &PairDoc, b: &PairDoc) -> PairScore {
        let mut score = if a.informative && b.informative {
            self.weights.similarity(&pair_vector(a, b))
        } else {
            self.weights.uninformative.clamp(0.0, 1.0)
        };
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
    fn scraped_page_chrome_is_not_judged() {
        let chrome = ArticleIn {
            title: Some("الحوار المتمدن | التبرع للموقع - ادعمونا".into()),
            body: Some(
                "الموقع الرئيسي للمؤسسة يسارية علمانية ديمقراطية من أجل مجتمع مدني حديث".into(),
            ),
            ..ArticleIn::default()
        };
        let news = ArticleIn {
            title: Some("إيطاليا: ارتفاع وفيات كورونا إلى 107 أشخاص".into()),
            body: Some("أعلنت السلطات الإيطالية ارتفاع عدد الوفيات بفيروس كورونا إلى 107 أشخاص وإصابة أكثر من ثلاثة آلاف".into()),
            ..ArticleIn::default()
        };
        assert!(is_page_chrome(&chrome) && !is_page_chrome(&news));
        let scorer = PairScorer::default();
        assert!(!scorer.prepare(&chrome).informative && scorer.prepare(&news).informative);
        let s = scorer.score(&chrome, &news);
        assert_eq!(s.score, scorer.weights().uninformative.clamp(0.0, 1.0));
        // A rights line at the end of a real article is not chrome.
        let signed = ArticleIn {
            body: Some(format!(
                "{} {} جميع الحقوق محفوظة",
                news.body.as_deref().unwrap(),
                "و".repeat(400)
            )),
            ..news.clone()
        };
        assert!(!is_page_chrome(&signed));
    }

    #[test]
    fn bare_titles_are_judged() {
        let scorer = PairScorer::default();
        let art = |t: &str| ArticleIn {
            title: Some(t.into()),
            ..ArticleIn::default()
        };
        let (a, b) = (
            art("بايدن يستقبل الكاظمي"),
            art("الكاظمي يلتقي بايدن في واشنطن"),
        );
        assert!(scorer.prepare(&a).informative && scorer.prepare(&b).informative);
        assert!(!scorer.prepare(&art("عاجل")).informative);
        let same = scorer.score(&a, &b).score;
        let other = scorer.score(&a, &art("أرسنال يتوج بالدرع الخيرية")).score;
        assert!(same > other + 0.3, "{same} {other}");
    }

    #[test]
    fn numbers_meet_across_digit_scripts() {
        let art = |t: &str| ArticleIn {
            body: Some(t.into()),
            ..ArticleIn::default()
        };
        let a = numbers(&art("صرف 2.7 مليار ريال لـ 1359 مستفيدا في 2020"));
        let b = numbers(&art("صرف ٢٫٧ مليار ريال في عام ٢٠٢٠"));
        assert_eq!(a.len(), 3);
        assert!((jaccard(&a, &b) - 2.0 / 3.0).abs() < 1e-6, "{a:?} {b:?}");
        assert_eq!(jaccard(&[], &[]), 0.0);
    }

    #[test]
    fn lead_keeps_the_first_words_of_title_then_body() {
        let long = "كلمة ".repeat(500);
        let a = ArticleIn {
            title: Some("عنوان الخبر".into()),
            body: Some(long),
            ..ArticleIn::default()
        };
        let l = lead(&a);
        let body = l.body.unwrap();
        assert!(body.starts_with("عنوان الخبر كلمة"));
        assert_eq!(body.split_whitespace().count(), LEAD_WORDS);
        assert!(l.title.is_none());
    }

    #[test]
    fn scores_are_graded_not_saturated() {
        let scorer = PairScorer::default();
        let base = ArticleIn {
            title: Some("وزارة الإسكان تبدأ التسجيل الإلكتروني لحجز 1359 شقة بالعاصمة الإدارية".into()),
            body: Some("أعلنت وزارة الإسكان بدء التسجيل الإلكتروني لحجز 1359 شقة في مشروع جنة بالعاصمة الإدارية الجديدة على أن يستمر التسجيل حتى نهاية الشهر ويسدد المتقدم مقدم الحجز عبر مكاتب البريد".into()),
            ..ArticleIn::default()
        };
        let retold = ArticleIn {
            title: Some("اليوم آخر موعد للتسجيل إلكترونيا لحجز شقق العاصمة الإدارية".into()),
            body: Some("ينتهي اليوم التسجيل الإلكتروني لحجز الوحدات السكنية بمشروع جنة في العاصمة الإدارية الذي طرحته الوزارة الشهر الماضي".into()),
            ..ArticleIn::default()
        };
        let related = ArticleIn {
            title: Some("وزارة الإسكان تطرح أراضي جديدة للمصريين بالخارج".into()),
            body: Some("طرحت وزارة الإسكان قطع أراض سكنية جديدة للمصريين العاملين بالخارج في عدد من المدن الجديدة ويبدأ الحجز عبر الموقع الإلكتروني للوزارة الأسبوع المقبل".into()),
            ..ArticleIn::default()
        };
        let (same, near, far) = (
            scorer.score(&base, &base).score,
            scorer.score(&base, &retold).score,
            scorer.score(&base, &related).score,
        );
        assert!(same > near && near > far, "{same} {near} {far}");
        assert!(near < 0.99 && far > 0.0, "{same} {near} {far}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Any two texts score in [0, 1], the same both ways round.
        #[test]
        fn scores_are_symmetric_and_bounded(
            ta in "[ا-ي0-9 ٠-٩a-z|]{0,60}", ba in "[ا-ي0-9 ٠-٩a-z.،]{0,300}",
            tb in "[ا-ي0-9 ٠-٩a-z|]{0,60}", bb in "[ا-ي0-9 ٠-٩a-z.،]{0,300}",
        ) {
            let scorer = PairScorer::default();
            let art = |t: &str, b: &str| ArticleIn {
                title: Some(t.into()),
                body: Some(b.into()),
                ..ArticleIn::default()
            };
            let (a, b) = (art(&ta, &ba), art(&tb, &bb));
            let (ab, ba) = (scorer.score(&a, &b), scorer.score(&b, &a));
            proptest::prop_assert!((0.0..=1.0).contains(&ab.score));
            proptest::prop_assert_eq!(ab, ba);
        }
    }

    #[test]
    fn empty_pairs_score_in_range() {
        let s = PairScorer::default().score(&ArticleIn::default(), &ArticleIn::default());
        assert!((0.0..=1.0).contains(&s.score));
    }
}
