//! Training: gold sentences and a gazetteer in, a [`Model`] out.
//!
//! An averaged structured perceptron (Collins 2002) over the hashed
//! features of [`crate::features`], decoded with the same valid-BIO
//! Viterbi search the tagger uses. Averaging uses the usual trick of
//! accumulating `c · update` so each update costs O(1). Deterministic: the
//! sentence order of each epoch comes from `seed`. Sentences are read in
//! windows of [`DOCUMENT_WINDOW`] consecutive sentences, as the tagger
//! reads a text, and each sees a training lexicon ([`crate::lexicon`])
//! built from the other parts of the training data only.

use crate::clusters::WordClusters;
use crate::conll::Sentence;
use crate::features::{self, SentenceFeatures};
use crate::gazetteer::Gazetteer;
use crate::lexicon::Lexicon;
use crate::model::{viterbi, Model, DOCUMENT_WINDOW, TRANSITION_ROWS};
use crate::tags::Tag;

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    /// Hash width: `2^bits` feature buckets.
    pub bits: u32,
    /// Passes over the data.
    pub epochs: usize,
    /// Seed of the per-epoch shuffle.
    pub seed: u64,
    /// Quantized weights with a magnitude at most this are dropped (smaller model).
    pub prune: i16,
    /// Parts the training sentences are cut into for the training-lexicon
    /// features: each sentence sees the lexicon of the other parts only
    /// (0: no lexicon).
    pub lexicon_folds: usize,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            bits: 20,
            epochs: 16,
            seed: 0x5EED,
            prune: 0,
            lexicon_folds: 5,
        }
    }
}

struct Weights {
    w: Vec<f32>,
    acc: Vec<f32>,
    trans: [[f32; Tag::COUNT]; TRANSITION_ROWS],
    trans_acc: [[f32; Tag::COUNT]; TRANSITION_ROWS],
    step: f32,
}

impl Weights {
    fn emissions(&self, feats: &SentenceFeatures) -> Vec<[f32; Tag::COUNT]> {
        (0..feats.len())
            .map(|i| {
                let mut s = [0f32; Tag::COUNT];
                for &b in feats.token(i) {
                    let row = &self.w[b as usize * Tag::COUNT..][..Tag::COUNT];
                    for (x, w) in s.iter_mut().zip(row) {
                        *x += w;
                    }
                }
                s
            })
            .collect()
    }

    fn bump(&mut self, feats: &[u32], tag: Tag, delta: f32) {
        for &b in feats {
            let i = b as usize * Tag::COUNT + tag.index();
            self.w[i] += delta;
            self.acc[i] += self.step * delta;
        }
    }

    fn bump_transition(&mut self, prev: Option<Tag>, tag: Tag, delta: f32) {
        let row = prev.map_or(Tag::COUNT, Tag::index);
        self.trans[row][tag.index()] += delta;
        self.trans_acc[row][tag.index()] += self.step * delta;
    }

    fn update(&mut self, feats: &SentenceFeatures, gold: &[Tag], pred: &[Tag]) {
        for i in 0..gold.len() {
            let (prev_gold, prev_pred) = if i == 0 {
                (None, None)
            } else {
                (Some(gold[i - 1]), Some(pred[i - 1]))
            };
            if gold[i] != pred[i] {
                self.bump(feats.token(i), gold[i], 1.0);
                self.bump(feats.token(i), pred[i], -1.0);
            }
            if (prev_gold, gold[i]) != (prev_pred, pred[i]) {
                self.bump_transition(prev_gold, gold[i], 1.0);
                self.bump_transition(prev_pred, pred[i], -1.0);
            }
        }
    }

    /// The averaged weights, quantized to 16 bits.
    fn snapshot(
        &self,
        bits: u32,
        prune: i16,
        lexicon: (&Gazetteer, &WordClusters, &Lexicon),
    ) -> Model {
        let step = self.step.max(1.0);
        let avg = |w: f32, acc: f32| w - acc / step;
        let max = self
            .w
            .iter()
            .zip(&self.acc)
            .map(|(&w, &a)| avg(w, a).abs())
            .fold(0f32, f32::max)
            .max(f32::MIN_POSITIVE);
        let scale = max / f32::from(i16::MAX);
        let weights = self
            .w
            .iter()
            .zip(&self.acc)
            .map(|(&w, &a)| {
                let q = (avg(w, a) / scale).round() as i16;
                if q.abs() <= prune {
                    0
                } else {
                    q
                }
            })
            .collect();
        let mut transitions = [[0f32; Tag::COUNT]; TRANSITION_ROWS];
        for (r, row) in transitions.iter_mut().enumerate() {
            for (t, v) in row.iter_mut().enumerate() {
                *v = avg(self.trans[r][t], self.trans_acc[r][t]);
            }
        }
        Model {
            bits,
            scale,
            weights,
            transitions,
            gazetteer: lexicon.0.clone(),
            clusters: lexicon.1.clone(),
            lexicon: lexicon.2.clone(),
        }
    }
}

/// A xorshift64* generator for the epoch shuffle: a few lines keep training
/// reproducible across platforms without a dependency.
struct Shuffle(u64);

impl Shuffle {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// Trains on gold sentences (sentences without tags are skipped). After
/// each epoch, `on_epoch(epoch, &averaged_model)` is called, e.g. to score
/// a dev set; the model after the last epoch is returned.
pub fn train(
    sentences: &[Sentence],
    gazetteer: &Gazetteer,
    clusters: &WordClusters,
    config: &TrainConfig,
    mut on_epoch: impl FnMut(usize, &Model),
) -> Model {
    let gold: Vec<&Sentence> = sentences
        .iter()
        .filter(|s| !s.tokens.is_empty() && s.tags.len() == s.tokens.len())
        .collect();
    let n = gold.len();
    let folds = config.lexicon_folds.clamp(1, n.max(1));
    let mut data: Vec<(SentenceFeatures, &[Tag])> = Vec::with_capacity(n);
    for k in 0..folds {
        let (from, to) = (k * n / folds, (k + 1) * n / folds);
        let lexicon = if config.lexicon_folds == 0 {
            Lexicon::default()
        } else {
            Lexicon::from_sentences(gold[..from].iter().chain(&gold[to..]).copied())
        };
        let sources = features::Sources {
            gazetteer,
            clusters,
            lexicon: &lexicon,
            bits: config.bits,
        };
        // Consecutive sentences in windows, as the tagger reads a text.
        for window in gold[from..to].chunks(DOCUMENT_WINDOW) {
            let tokens: Vec<&[String]> = window.iter().map(|s| s.tokens.as_slice()).collect();
            let feats = features::extract_window(&tokens, sources);
            data.extend(
                feats
                    .into_iter()
                    .zip(window.iter().map(|s| s.tags.as_slice())),
            );
        }
    }
    let lexicon = if config.lexicon_folds == 0 {
        Lexicon::default()
    } else {
        Lexicon::from_sentences(gold.iter().copied())
    };
    let mut weights = Weights {
        w: vec![0.0; (1usize << config.bits) * Tag::COUNT],
        acc: vec![0.0; (1usize << config.bits) * Tag::COUNT],
        trans: [[0.0; Tag::COUNT]; TRANSITION_ROWS],
        trans_acc: [[0.0; Tag::COUNT]; TRANSITION_ROWS],
        step: 1.0,
    };
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = Shuffle(config.seed | 1);
    let mut model = weights.snapshot(config.bits, config.prune, (gazetteer, clusters, &lexicon));
    for epoch in 1..=config.epochs {
        rng.shuffle(&mut order);
        for &k in &order {
            let (feats, gold) = &data[k];
            let pred = viterbi(&weights.emissions(feats), &weights.trans);
            if pred != *gold {
                weights.update(feats, gold, &pred);
            }
            weights.step += 1.0;
        }
        model = weights.snapshot(config.bits, config.prune, (gazetteer, clusters, &lexicon));
        on_epoch(epoch, &model);
    }
    model
}

/// The mean of models trained alike (same hash width, gazetteer and
/// clusters) with different seeds: one model, as fast as each, that
/// scores better than each (their errors differ). `None` when `models` is
/// empty or they differ in shape.
pub fn average(models: &[Model]) -> Option<Model> {
    let first = models.first()?;
    if models
        .iter()
        .any(|m| m.bits != first.bits || m.weights.len() != first.weights.len())
    {
        return None;
    }
    let k = models.len() as f32;
    let mean: Vec<f32> = (0..first.weights.len())
        .map(|i| {
            models
                .iter()
                .map(|m| f32::from(m.weights[i]) * m.scale)
                .sum::<f32>()
                / k
        })
        .collect();
    let max = mean
        .iter()
        .fold(0f32, |a, &w| a.max(w.abs()))
        .max(f32::MIN_POSITIVE);
    let scale = max / f32::from(i16::MAX);
    let mut transitions = [[0f32; Tag::COUNT]; TRANSITION_ROWS];
    for (r, row) in transitions.iter_mut().enumerate() {
        for (t, v) in row.iter_mut().enumerate() {
            *v = models.iter().map(|m| m.transitions[r][t]).sum::<f32>() / k;
        }
    }
    Some(Model {
        bits: first.bits,
        scale,
        weights: mean.iter().map(|&w| (w / scale).round() as i16).collect(),
        transitions,
        gazetteer: first.gazetteer.clone(),
        clusters: first.clusters.clone(),
        lexicon: first.lexicon.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conll;

    #[test]
    fn learns_a_tiny_corpus() {
        let text = "قال O\nالرئيس O\nجو B-PERS\nبايدن I-PERS\nفي O\nواشنطن B-LOC\n\n\
                    وصل O\nالكاظمي B-PERS\nإلى O\nبغداد B-LOC\n\n\
                    أعلن O\nالبنتاغون B-ORG\nاليوم O\n\n";
        let sentences = conll::parse(text, true).unwrap();
        let config = TrainConfig {
            bits: 12,
            epochs: 8,
            ..TrainConfig::default()
        };
        let mut epochs = 0;
        let clusters = WordClusters::default();
        let model = train(
            &sentences,
            &Gazetteer::default(),
            &clusters,
            &config,
            |_, _| epochs += 1,
        );
        assert_eq!(epochs, 8);
        for s in &sentences {
            assert_eq!(model.tag(&s.tokens), s.tags);
        }
        // Round trip through the file format keeps the predictions.
        let back = Model::decode(&model.encode()).unwrap();
        assert_eq!(back.tag(&sentences[0].tokens), sentences[0].tags);

        // The mean of models trained with other seeds tags alike.
        let other = train(
            &sentences,
            &Gazetteer::default(),
            &clusters,
            &TrainConfig {
                seed: 7,
                ..config.clone()
            },
            |_, _| {},
        );
        let mean = average(&[model.clone(), other]).unwrap();
        for s in &sentences {
            assert_eq!(mean.tag(&s.tokens), s.tags);
        }
        assert_eq!(
            average(std::slice::from_ref(&model))
                .unwrap()
                .tag(&sentences[1].tokens),
            sentences[1].tags
        );
        assert!(average(&[]).is_none());
        let wider = train(
            &sentences,
            &Gazetteer::default(),
            &clusters,
            &TrainConfig { bits: 13, ..config },
            |_, _| {},
        );
        assert!(average(&[model, wider]).is_none());
    }
}
