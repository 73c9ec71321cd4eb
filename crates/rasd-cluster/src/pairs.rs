//! Pairwise similarity: two articles in, a same-story probability out.
//!
//! The clustering model seen on a pair: article `b` is taken as a one-member
//! story and the ranker scores `a` against it, so `rasd similar` and
//! `rasd cluster` agree. IDF comes from the prior table only (a pair is too
//! small a corpus to learn one from).

use crate::input::ArticleIn;
use crate::model::{pair_features, sigmoid, StoryView, Weights};
use crate::vectorize::Vectorizer;

/// The score of one pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairScore {
    /// Probability of the same story, in [0, 1].
    pub score: f32,
    pub same_story: bool,
}

/// Scores article pairs with the clustering model.
#[derive(Debug, Clone)]
pub struct PairScorer {
    vectorizer: Vectorizer,
    weights: Weights,
}

impl Default for PairScorer {
    fn default() -> Self {
        PairScorer::new(Vectorizer::default(), Weights::builtin())
    }
}

impl PairScorer {
    pub fn new(vectorizer: Vectorizer, weights: Weights) -> PairScorer {
        PairScorer {
            vectorizer,
            weights,
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
        let (da, db) = (self.vectorizer.doc_frozen(a), self.vectorizer.doc_frozen(b));
        let forward = pair_features(&da, &StoryView::from_doc(&db), self.weights.sigma_days);
        let backward = pair_features(&db, &StoryView::from_doc(&da), self.weights.sigma_days);
        let score = (sigmoid(self.weights.rank_logit(&forward))
            + sigmoid(self.weights.rank_logit(&backward)))
            / 2.0;
        let score = if score.is_finite() {
            score.clamp(0.0, 1.0)
        } else {
            0.0
        };
        PairScore {
            score,
            same_story: score >= 0.5,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
