//! Entity-level scoring, as conlleval does it: gold and predicted tag
//! sequences in, per-type and micro-averaged precision, recall and F1 out.
//! An entity counts as found only when both its span and its type match.

use crate::tags::{spans, EntityType, Tag};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// True positives, false positives and false negatives of one type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn add(&mut self, other: &Counts) {
        self.true_positives += other.true_positives;
        self.false_positives += other.false_positives;
        self.false_negatives += other.false_negatives;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Running entity-level score over sentences.
#[derive(Debug, Clone, Default)]
pub struct Score {
    per_type: BTreeMap<EntityType, Counts>,
    tokens: usize,
    tokens_correct: usize,
}

impl Score {
    /// Adds one sentence (the two sequences must have equal length; extra
    /// tags on either side are ignored).
    pub fn add(&mut self, gold: &[Tag], predicted: &[Tag]) {
        let n = gold.len().min(predicted.len());
        let (gold, predicted) = (&gold[..n], &predicted[..n]);
        self.tokens += n;
        self.tokens_correct += gold.iter().zip(predicted).filter(|(a, b)| a == b).count();
        let gold_spans: HashSet<_> = spans(gold).into_iter().collect();
        let predicted_spans: HashSet<_> = spans(predicted).into_iter().collect();
        for span in &gold_spans {
            let c = self.per_type.entry(span.ty).or_default();
            if predicted_spans.contains(span) {
                c.true_positives += 1;
            } else {
                c.false_negatives += 1;
            }
        }
        for span in predicted_spans.difference(&gold_spans) {
            self.per_type.entry(span.ty).or_default().false_positives += 1;
        }
    }

    /// Counts summed over all types (micro average).
    pub fn overall(&self) -> Counts {
        let mut all = Counts::default();
        for c in self.per_type.values() {
            all.add(c);
        }
        all
    }

    /// Counts of one type.
    pub fn of_type(&self, ty: EntityType) -> Counts {
        self.per_type.get(&ty).copied().unwrap_or_default()
    }

    /// Share of tokens whose tag was right.
    pub fn token_accuracy(&self) -> f64 {
        ratio(self.tokens_correct, self.tokens)
    }

    /// How many tokens were scored.
    pub fn tokens(&self) -> usize {
        self.tokens
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(s: &str) -> Vec<Tag> {
        s.split_whitespace()
            .map(|t| Tag::parse(t).unwrap())
            .collect()
    }

    #[test]
    fn exact_span_and_type_only() {
        let mut score = Score::default();
        // جو بايدن في بغداد مع الكاظمي
        let gold = tags("B-PERS I-PERS O B-LOC O B-PERS");
        let pred = tags("B-PERS O O B-LOC O B-ORG");
        score.add(&gold, &pred);
        let all = score.overall();
        assert_eq!(
            (all.true_positives, all.false_positives, all.false_negatives),
            (1, 2, 2)
        );
        assert!((all.precision() - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(score.of_type(EntityType::Location).f1(), 1.0);
        assert_eq!(score.of_type(EntityType::Person).true_positives, 0);
        assert_eq!(score.of_type(EntityType::Misc).f1(), 0.0);
        assert!((score.token_accuracy() - 4.0 / 6.0).abs() < 1e-9);
    }

    #[test]
    fn perfect_prediction_scores_one() {
        let mut score = Score::default();
        let gold = tags("O B-ORG I-ORG I-ORG O");
        score.add(&gold, &gold);
        assert_eq!(score.overall().f1(), 1.0);
    }
}
