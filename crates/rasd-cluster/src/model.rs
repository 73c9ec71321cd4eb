//! The learned part: pair features in, same-story probabilities out.
//!
//! A candidate (article, story) pair is described by [`FEATURES`] numbers
//! ([`pair_features`]): the seven sub-vector cosines, three Gaussian
//! time-proximity terms (to the story's newest, mean and oldest member) and a
//! bounded story-size term. Two logistic models use them, as in Miranda et
//! al. (2018): the **ranker** orders candidate stories (`rasd similar` has
//! its own pairwise model, [`crate::pairs`]), the **acceptor** decides join vs new story from
//! the best candidate's ranker score, its margin over the runner-up, the
//! story size and whether the article is a headline alone. Each has one
//! weight set for dated pairs and one for pairs where a date is missing. Weights live in `model/weights.json`, written by
//! `examples/tune.rs`.

use crate::sparse::SparseVec;
use crate::vectorize::{Doc, DocIndex, Space, SPACES};
use serde::{Deserialize, Serialize};

/// The IDF prior (see [`crate::vectorize::Vectorizer::with_prior`]).
pub const PRIOR_IDF: &str = include_str!("../model/idf.tsv");
const BUILTIN_WEIGHTS: &str = include_str!("../model/weights.json");

/// Bias, 7 cosines, 3 time terms, size.
pub const FEATURES: usize = 12;
/// Bias, ranker logit, margin over the runner-up, size, and for an article
/// with a title and no body a bias and logit of its own: headlines share
/// fewer words than articles, so the same logit means more.
pub const ACCEPT_FEATURES: usize = 6;
/// Story sizes above this look alike to the model (a flood of near-identical
/// items must not make its story ever more attractive).
pub const SIZE_CAP: u32 = 64;
/// The margin given when there is no runner-up.
pub const MAX_MARGIN: f32 = 8.0;

/// What the scorers know of a story (or of a single article seen as one).
#[derive(Debug, Clone, Default)]
pub struct StoryView {
    pub centroid: [SparseVec; SPACES],
    pub norms: [f32; SPACES],
    pub size: u32,
    pub dated: u32,
    pub sum_days: f64,
    pub min_days: f64,
    pub max_days: f64,
    pub has_title: bool,
    pub has_body: bool,
}

impl StoryView {
    pub fn from_doc(doc: &Doc) -> StoryView {
        let mut view = StoryView {
            min_days: f64::INFINITY,
            max_days: f64::NEG_INFINITY,
            ..StoryView::default()
        };
        view.add(doc, usize::MAX);
        view
    }

    /// Adds a member, keeping each centroid to `cap` terms.
    pub fn add(&mut self, doc: &Doc, cap: usize) {
        for (i, v) in doc.spaces.iter().enumerate() {
            self.centroid[i].add_capped(v, cap);
            self.norms[i] = self.centroid[i].norm();
        }
        self.absorb_times(doc.days, 1);
        self.has_title |= doc.has_title;
        self.has_body |= doc.has_body;
    }

    /// Adds another story's members (a merge).
    pub fn merge(&mut self, other: &StoryView, cap: usize) {
        for i in 0..SPACES {
            self.centroid[i].add_capped(&other.centroid[i], cap);
            self.norms[i] = self.centroid[i].norm();
        }
        self.size += other.size;
        self.dated += other.dated;
        self.sum_days += other.sum_days;
        self.min_days = self.min_days.min(other.min_days);
        self.max_days = self.max_days.max(other.max_days);
        self.has_title |= other.has_title;
        self.has_body |= other.has_body;
    }

    fn absorb_times(&mut self, days: Option<f64>, n: u32) {
        self.size += n;
        if let Some(d) = days {
            self.dated += n;
            self.sum_days += d;
            self.min_days = self.min_days.min(d);
            self.max_days = self.max_days.max(d);
        }
    }

    pub fn mean_days(&self) -> Option<f64> {
        (self.dated > 0).then(|| self.sum_days / self.dated as f64)
    }

    fn cosine(&self, doc: &Doc, index: Option<&DocIndex>, space: Space) -> f32 {
        let i = space as usize;
        if self.norms[i] > 0.0 {
            let dot = match index {
                Some(index) => index.dot(doc, space, &self.centroid[i]),
                None => doc.spaces[i].dot(&self.centroid[i]),
            };
            (dot / self.norms[i]).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

/// The features of one (article, story) pair, and whether both carry dates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairFeatures {
    pub values: [f32; FEATURES],
    pub dated: bool,
}

/// Features of `doc` against `story`; `sigma_days` scales the time terms.
///
/// Where the title (or body) is missing on either side, the title (or body)
/// cosines take the value of the whole-text cosines, so one weight set serves
/// titles-only input too.
pub fn pair_features(doc: &Doc, story: &StoryView, sigma_days: f32) -> PairFeatures {
    let all_stem = story.cosine(doc, None, Space::AllStems);
    features_of(doc, None, story, sigma_days, all_stem)
}

/// [`pair_features`] with `doc` indexed (the same numbers, faster), and
/// the whole-text stem score `dot / centroid norm` (0 for an empty
/// centroid, unclamped) when the caller already has it.
pub fn pair_features_indexed(
    doc: &Doc,
    index: &DocIndex,
    story: &StoryView,
    sigma_days: f32,
    stem_score: Option<f32>,
) -> PairFeatures {
    let all_stem = match stem_score {
        Some(score) => score.clamp(0.0, 1.0),
        None => story.cosine(doc, Some(index), Space::AllStems),
    };
    features_of(doc, Some(index), story, sigma_days, all_stem)
}

fn features_of(
    doc: &Doc,
    index: Option<&DocIndex>,
    story: &StoryView,
    sigma_days: f32,
    all_stem: f32,
) -> PairFeatures {
    let cos = |s| story.cosine(doc, index, s);
    let all_tok = cos(Space::AllTokens);
    let titled = doc.has_title && story.has_title;
    let bodied = doc.has_body && story.has_body;
    let mut values = [0.0; FEATURES];
    values[0] = 1.0;
    values[1] = if titled {
        cos(Space::TitleTokens)
    } else {
        all_tok
    };
    values[2] = if titled {
        cos(Space::TitleStems)
    } else {
        all_stem
    };
    values[3] = if bodied {
        cos(Space::BodyTokens)
    } else {
        all_tok
    };
    values[4] = if bodied {
        cos(Space::BodyStems)
    } else {
        all_stem
    };
    values[5] = all_tok;
    values[6] = all_stem;
    values[7] = cos(Space::Entities);
    let dated = match (doc.days, story.mean_days()) {
        (Some(t), Some(mean)) => {
            let gauss = |d: f64| (-(d * d) / (2.0 * (sigma_days as f64).powi(2))).exp() as f32;
            values[8] = gauss(t - story.max_days);
            values[9] = gauss(t - mean);
            values[10] = gauss(t - story.min_days);
            true
        }
        _ => false,
    };
    values[11] = size_feature(story.size);
    PairFeatures { values, dated }
}

pub fn size_feature(size: u32) -> f32 {
    ((1 + size.min(SIZE_CAP)) as f32).ln() / ((1 + SIZE_CAP) as f32).ln()
}

pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

fn dot(w: &[f32], x: &[f32]) -> f32 {
    w.iter().zip(x).map(|(a, b)| a * b).sum()
}

/// The model's weights and thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    pub ranker_dated: Vec<f32>,
    pub ranker_dateless: Vec<f32>,
    pub acceptor_dated: Vec<f32>,
    pub acceptor_dateless: Vec<f32>,
    /// σ of the Gaussian time terms, in days.
    pub sigma_days: f32,
    /// AllStems cosine between two stories above which they merge.
    pub merge_threshold: f32,
    /// Whole-text token cosine between a new story and a topic above which it joins.
    pub topic_threshold: f32,
    /// Where the weights came from and how they scored (free text).
    #[serde(default)]
    pub note: String,
}

/// Why a weights file was refused.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("weights: not valid JSON of the expected shape: {0}")]
    Json(#[from] serde_json::Error),
    #[error("weights: {0} has {1} numbers, expected {2}")]
    Length(&'static str, usize, usize),
    #[error("weights: a weight or threshold is not a finite number")]
    NotFinite,
}

impl Default for Weights {
    /// Hand-set weights: the starting point of tuning and the fallback.
    fn default() -> Self {
        let ranker = vec![-6.0, 1.0, 1.0, 1.0, 1.0, 2.0, 3.0, 1.0, 1.0, 1.0, 0.5, 0.3];
        Weights {
            ranker_dated: ranker.clone(),
            ranker_dateless: ranker,
            acceptor_dated: vec![0.0, 1.0, 0.0, 0.0, 0.0, 0.0],
            acceptor_dateless: vec![0.0, 1.0, 0.0, 0.0, 0.0, 0.0],
            sigma_days: 3.0,
            merge_threshold: 0.85,
            // Set by hand (tune.rs does not fit it): the lowest value that
            // threads the 2021–2024 seed reports on US troops in Iraq into
            // one topic while topics on the first 4,000 SaudiNewsNet articles
            // stay small (largest 60 articles, vs 42 at 0.2).
            topic_threshold: 0.12,
            note: "hand-set".into(),
        }
    }
}

impl Weights {
    /// The weights shipped in `model/weights.json` (hand-set ones if that
    /// file does not parse, which a unit test rules out).
    pub fn builtin() -> Weights {
        Weights::from_json(BUILTIN_WEIGHTS).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Result<Weights, ModelError> {
        let w: Weights = serde_json::from_str(text)?;
        for (name, v, n) in [
            ("ranker_dated", &w.ranker_dated, FEATURES),
            ("ranker_dateless", &w.ranker_dateless, FEATURES),
            ("acceptor_dated", &w.acceptor_dated, ACCEPT_FEATURES),
            ("acceptor_dateless", &w.acceptor_dateless, ACCEPT_FEATURES),
        ] {
            if v.len() != n {
                return Err(ModelError::Length(name, v.len(), n));
            }
        }
        let all = w
            .ranker_dated
            .iter()
            .chain(&w.ranker_dateless)
            .chain(&w.acceptor_dated)
            .chain(&w.acceptor_dateless)
            .chain([&w.sigma_days, &w.merge_threshold, &w.topic_threshold]);
        if all.into_iter().any(|x| !x.is_finite()) || w.sigma_days <= 0.0 {
            return Err(ModelError::NotFinite);
        }
        Ok(w)
    }

    /// The ranker's logit for a pair.
    pub fn rank_logit(&self, f: &PairFeatures) -> f32 {
        let w = if f.dated {
            &self.ranker_dated
        } else {
            &self.ranker_dateless
        };
        dot(w, &f.values)
    }

    /// The acceptor's features for the best candidate.
    pub fn accept_features(
        best_logit: f32,
        runner_up: Option<f32>,
        size: u32,
        title_only: bool,
    ) -> [f32; ACCEPT_FEATURES] {
        let margin = runner_up.map_or(MAX_MARGIN, |r| (best_logit - r).min(MAX_MARGIN));
        let title_only = f32::from(u8::from(title_only));
        [
            1.0,
            best_logit,
            margin,
            size_feature(size),
            title_only,
            title_only * best_logit,
        ]
    }

    /// Probability that the article belongs to the best candidate story.
    pub fn accept_probability(&self, dated: bool, x: &[f32; ACCEPT_FEATURES]) -> f32 {
        let w = if dated {
            &self.acceptor_dated
        } else {
            &self.acceptor_dateless
        };
        sigmoid(dot(w, x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::ArticleIn;
    use crate::vectorize::Vectorizer;

    #[test]
    fn builtin_weights_parse() {
        assert!(Weights::from_json(BUILTIN_WEIGHTS).is_ok());
    }

    #[test]
    fn bad_weights_are_refused() {
        assert!(matches!(Weights::from_json("{"), Err(ModelError::Json(_))));
        let mut w = serde_json::to_value(Weights::default()).unwrap();
        w["ranker_dated"] = serde_json::json!([1.0]);
        assert!(matches!(
            Weights::from_json(&w.to_string()),
            Err(ModelError::Length("ranker_dated", 1, FEATURES))
        ));
    }

    #[test]
    fn time_terms_fall_with_distance() {
        let mut v = Vectorizer::empty();
        let doc = |v: &mut Vectorizer, date: &str| {
            v.doc(
                &ArticleIn {
                    title: Some("بايدن يستقبل الكاظمي في البيت الأبيض".into()),
                    published: Some(date.into()),
                    ..ArticleIn::default()
                },
                false,
            )
        };
        let story = StoryView::from_doc(&doc(&mut v, "2021-07-26"));
        let near = pair_features(&doc(&mut v, "2021-07-27"), &story, 3.0);
        let far = pair_features(&doc(&mut v, "2023-08-08"), &story, 3.0);
        assert!(near.dated && far.dated);
        assert!(near.values[8] > 0.9 && far.values[8] < 1e-6);
        assert!(near.values[1] > 0.99, "same title");
        let dateless = pair_features(&v.doc(&ArticleIn::default(), false), &story, 3.0);
        assert!(!dateless.dated);
    }

    #[test]
    fn size_feature_is_bounded() {
        assert_eq!(size_feature(SIZE_CAP), 1.0);
        assert_eq!(size_feature(10_000), 1.0);
        assert!(size_feature(1) < size_feature(2));
    }
}
