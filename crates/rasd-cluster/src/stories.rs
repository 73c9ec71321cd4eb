//! Online story clustering: articles in publication order in, an
//! [`Assignment`] (story, topic, flags) per article out.
//!
//! Per article ([`StoryClusterer::add`]):
//! 1. vectorize it, updating the online IDF ([`crate::vectorize`]);
//! 2. a date in the future of `now` (or none at all) makes it dateless:
//!    it is clustered by content alone and flagged;
//! 3. a duplicate group or an identical body already seen joins that story;
//! 4. otherwise candidate stories come from an inverted index over the key
//!    terms of *active* stories; the ranker orders them, the acceptor decides
//!    join vs new story ([`crate::model`]);
//! 5. after a join, a candidate story that has become near-identical to the
//!    joined one is merged into it (Santos et al. 2022);
//! 6. a new story is linked to a topic ([`crate::topics`]).
//!
//! Stories idle for more than `retire_days` of stream time leave the active
//! pool, the pool is capped, posting lists and centroids are capped: the cost
//! per article does not grow with the archive.

use crate::input::ArticleIn;
use crate::model::{pair_features_indexed, PairFeatures, StoryView, Weights};
use crate::topics::{TopicConfig, TopicLinker};
use crate::vectorize::{Doc, DocIndex, Space, Vectorizer};
use rustc_hash::FxHashMap as HashMap;
use std::collections::VecDeque;
use xxhash_rust::xxh3::xxh3_128;

/// Bounds and windows of the clusterer.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterConfig {
    /// Stories with no new member for this many stream days retire.
    pub retire_days: f64,
    /// Most stories kept active (the oldest go first beyond it).
    pub max_active: usize,
    /// Candidate stories looked up per article (by shared key terms).
    pub candidates: usize,
    /// Of those, how many (the closest by whole-text stem cosine) get full
    /// features and go to the ranker. Twelve and four: sixteen and six
    /// scored the same on the labeled slice among the whole corpus (mean
    /// B-cubed of the four `rasd eval cluster` variants within 0.001) for
    /// about 1.12× the CPU time; the best story is nearly always among the
    /// closest few.
    pub scored_candidates: usize,
    /// Key terms per article used to look up and index stories.
    pub index_terms: usize,
    /// Stories kept per key term (the newest).
    pub posting_cap: usize,
    /// Terms kept per story centroid and space.
    pub centroid_cap: usize,
    /// Body-token cosine at or above which an article joins regardless of
    /// the model (near-identical copies).
    pub duplicate_cosine: f32,
    /// A report days before or after a story's newest member, with a title
    /// this close to the story's titles (Light10 stem cosine) and whole
    /// text and entity-like terms this close on average, joins it even when
    /// the acceptor, trained on same-day stories, would open a new one:
    /// the preview of a visit and the visit are one story.
    pub follow_up_title_cosine: f32,
    pub follow_up_text_cosine: f32,
    /// How far (in days) from the story's newest member a follow-up may be.
    pub follow_up_days: f32,
    /// Tolerance for dates after `now`, in days (time zones, clock skew).
    pub future_slack_days: f64,
    pub topics: TopicConfig,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            retire_days: 10.0,
            max_active: 50_000,
            candidates: 12,
            scored_candidates: 4,
            index_terms: 12,
            posting_cap: 64,
            centroid_cap: 256,
            duplicate_cosine: 0.9,
            follow_up_title_cosine: 0.4,
            follow_up_text_cosine: 0.25,
            follow_up_days: 4.0,
            future_slack_days: 1.0,
            topics: TopicConfig::default(),
        }
    }
}

/// Story ids up to which the postings sweep builds a table of live ids
/// (restored archives may use any ids; beyond this it probes the maps).
const MAX_DENSE_SWEEP_IDS: u64 = 1 << 22;

/// Where one article went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assignment {
    /// The story at arrival time; see [`StoryClusterer::resolve`] for merges.
    pub story: u64,
    pub topic: u64,
    /// It opened a new story.
    pub opened: bool,
    /// It had no usable date (none, unparsable, or in the future).
    pub dateless: bool,
    /// Its date lay after `now`.
    pub future_date: bool,
    /// The acceptor's probability for the best candidate (0 when none).
    pub confidence: f32,
}

#[derive(Debug, Clone)]
struct Story {
    view: StoryView,
    lang: LangKey,
    last_active: f64,
    keyterms: Vec<u32>,
}

/// A candidate story for an article, with the pair's features.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    pub story: u64,
    pub features: PairFeatures,
}

/// An article ready to place: its vectors and date flags.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub doc: Doc,
    pub future_date: bool,
    group: Option<String>,
}

/// The online story clusterer (see the module docs).
#[derive(Debug, Clone)]
pub struct StoryClusterer {
    config: ClusterConfig,
    weights: Weights,
    vectorizer: Vectorizer,
    active: HashMap<u64, Story>,
    postings: HashMap<u32, VecDeque<u64>>,
    fingerprints: HashMap<u64, u64>,
    groups: HashMap<String, u64>,
    merged_into: HashMap<u64, u64>,
    topic_of: HashMap<u64, u64>,
    topics: TopicLinker,
    clock: f64,
    next_id: u64,
    since_sweep: usize,
    scratch: CandidateScratch,
}

/// Buffers of the candidate lookup, reused across articles.
#[derive(Debug, Clone, Default)]
struct CandidateScratch {
    /// Story → summed weight of the key terms it shares with the article.
    hits: HashMap<u64, f32>,
    /// `(story, score)`, best first.
    ranked: Vec<(u64, f32)>,
    /// The article's vectors indexed for its dot products with stories.
    index: DocIndex,
}

/// A language code as one integer, so the candidate loop compares stories'
/// languages without a string compare (it was a visible share of the
/// profile). Codes up to 15 bytes are packed with their length, which is
/// exact; longer ones (hostile input only: [`crate::vectorize`] keeps 8
/// characters) are hashed to 120 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LangKey(u128);

impl LangKey {
    fn of(lang: &str) -> LangKey {
        let bytes = lang.as_bytes();
        let mut packed = [0u8; 16];
        if bytes.len() < 16 {
            packed[..bytes.len()].copy_from_slice(bytes);
            packed[15] = bytes.len() as u8;
        } else {
            packed[..15].copy_from_slice(&xxh3_128(bytes).to_le_bytes()[..15]);
            packed[15] = u8::MAX;
        }
        LangKey(u128::from_le_bytes(packed))
    }
}

impl Default for StoryClusterer {
    fn default() -> Self {
        StoryClusterer::new(
            ClusterConfig::default(),
            Weights::builtin(),
            Vectorizer::default(),
        )
    }
}

impl StoryClusterer {
    pub fn new(config: ClusterConfig, weights: Weights, vectorizer: Vectorizer) -> StoryClusterer {
        StoryClusterer {
            topics: TopicLinker::new(config.topics.clone()),
            config,
            weights,
            vectorizer,
            active: HashMap::default(),
            postings: HashMap::default(),
            fingerprints: HashMap::default(),
            groups: HashMap::default(),
            merged_into: HashMap::default(),
            topic_of: HashMap::default(),
            clock: f64::NEG_INFINITY,
            next_id: 0,
            since_sweep: 0,
            scratch: CandidateScratch::default(),
        }
    }

    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// Stories currently in the active pool.
    pub fn active_stories(&self) -> usize {
        self.active.len()
    }

    /// Topics currently in the topic linker's active pool.
    pub fn active_topics(&self) -> usize {
        self.topics.active_topics()
    }

    /// Places a batch of articles (in publication order); `now` is the
    /// current time in days since 1970-01-01, for spotting future dates.
    pub fn add_batch(&mut self, articles: &[ArticleIn], now: Option<f64>) -> Vec<Assignment> {
        articles.iter().map(|a| self.add(a, now)).collect()
    }

    /// Places one article.
    pub fn add(&mut self, article: &ArticleIn, now: Option<f64>) -> Assignment {
        let prepared = self.prepare(article, now);
        let forced = self.forced_story(&prepared);
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.index.build(&prepared.doc);
        let candidates = self.candidates_in(&prepared.doc, &mut scratch);
        let mut ranked: Vec<(f32, &Candidate)> = candidates
            .iter()
            .map(|c| (self.weights.rank_logit(&c.features), c))
            .collect();
        ranked.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.story.cmp(&b.1.story)));
        let mut confidence = 0.0;
        let mut choice = forced;
        if let Some((logit, best)) = ranked.first() {
            let size = self.active[&best.story].view.size;
            let title_only = prepared.doc.has_title && !prepared.doc.has_body;
            let x = Weights::accept_features(*logit, ranked.get(1).map(|r| r.0), size, title_only);
            confidence = self.weights.accept_probability(best.features.dated, &x);
            let duplicate =
                prepared.doc.has_body && best.features.values[3] >= self.config.duplicate_cosine;
            let follow_up = prepared.doc.has_title && self.is_follow_up(&best.features);
            if choice.is_none() && (confidence >= 0.5 || duplicate || follow_up) {
                choice = Some(best.story);
            }
        }
        let others: Vec<u64> = ranked.iter().map(|r| r.1.story).collect();
        let (story, opened) = match choice {
            Some(story) => {
                self.join(&prepared, story);
                self.merge_near_identical(story, &others);
                (story, false)
            }
            None => (self.open_indexed(&prepared, Some(&scratch.index)), true),
        };
        self.scratch = scratch;
        Assignment {
            story,
            topic: self.topic_of[&story],
            opened,
            dateless: prepared.doc.days.is_none(),
            future_date: prepared.future_date,
            confidence,
        }
    }

    /// Whether a candidate the acceptor turned down is a close follow-up
    /// (see [`ClusterConfig::follow_up_title_cosine`]).
    fn is_follow_up(&self, f: &PairFeatures) -> bool {
        let sigma = self.weights.sigma_days;
        let days = self.config.follow_up_days;
        // values[8] is the Gaussian of the gap to the story's newest member.
        let near = f.dated && f.values[8] >= (-(days * days) / (2.0 * sigma * sigma)).exp();
        let text = (f.values[6] + f.values[7]) / 2.0;
        near && f.values[2] >= self.config.follow_up_title_cosine
            && text >= self.config.follow_up_text_cosine
    }

    /// The story an article's story ended up in after later merges.
    pub fn resolve(&self, mut story: u64) -> u64 {
        // Merge chains are short (each merge points at a live story), but
        // bound the walk anyway.
        for _ in 0..64 {
            match self.merged_into.get(&story) {
                Some(next) => story = *next,
                None => break,
            }
        }
        story
    }

    /// The topic of a story (after merges).
    pub fn topic(&self, story: u64) -> Option<u64> {
        self.topic_of.get(&self.resolve(story)).copied()
    }

    /// Step 1–2: vectors (learning the IDF) and date checks.
    pub fn prepare(&mut self, article: &ArticleIn, now: Option<f64>) -> Prepared {
        let mut doc = self.vectorizer.doc(article, true);
        let mut future_date = false;
        if let (Some(days), Some(now)) = (doc.days, now) {
            if days > now + self.config.future_slack_days {
                doc.days = None;
                future_date = true;
            }
        }
        if let Some(days) = doc.days {
            self.clock = self.clock.max(days);
        }
        Prepared {
            doc,
            future_date,
            group: article.group.clone(),
        }
    }

    /// Step 3: the story a duplicate group or an identical body fixes.
    pub fn forced_story(&self, prepared: &Prepared) -> Option<u64> {
        let by_group = prepared.group.as_ref().and_then(|g| self.groups.get(g));
        let by_body = prepared
            .doc
            .body_fingerprint
            .and_then(|f| self.fingerprints.get(&f));
        by_group
            .or(by_body)
            .map(|s| self.resolve(*s))
            .filter(|s| self.active.contains_key(s))
    }

    /// Step 4: candidate stories with their features.
    pub fn candidates(&self, doc: &Doc) -> Vec<Candidate> {
        let mut scratch = CandidateScratch::default();
        scratch.index.build(doc);
        self.candidates_in(doc, &mut scratch)
    }

    /// [`Self::candidates`] with the buffers given, `doc` indexed in them.
    fn candidates_in(&self, doc: &Doc, scratch: &mut CandidateScratch) -> Vec<Candidate> {
        let CandidateScratch {
            hits,
            ranked,
            index,
        } = scratch;
        hits.clear();
        let key = doc.space(Space::AllStems);
        for (term, weight) in key.top_entries_by_term(self.config.index_terms) {
            if let Some(list) = self.postings.get(&term) {
                for id in list {
                    *hits.entry(self.resolve(*id)).or_insert(0.0) += weight;
                }
            }
        }
        // The language is checked once per story rather than once per
        // posting: a story has many postings.
        let lang = LangKey::of(&doc.lang);
        ranked.clear();
        ranked.extend(
            hits.drain()
                .filter(|(id, _)| self.active.get(id).is_some_and(|s| s.lang == lang)),
        );
        // A total order (ids are distinct), so the map's order does not matter.
        let best_first = |a: &(u64, f32), b: &(u64, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        ranked.sort_unstable_by(best_first);
        ranked.truncate(self.config.candidates);
        // Full features cost seven sparse dot products; the whole-text stem
        // cosine alone (one) picks the few candidates worth them, and is
        // handed on so it is not computed twice.
        let mut stem_cosine_known = false;
        if ranked.len() > self.config.scored_candidates {
            let i = Space::AllStems as usize;
            for (story, score) in ranked.iter_mut() {
                let view = &self.active[story].view;
                *score = if view.norms[i] > 0.0 {
                    index.dot(doc, Space::AllStems, &view.centroid[i]) / view.norms[i]
                } else {
                    0.0
                };
            }
            ranked.sort_unstable_by(best_first);
            ranked.truncate(self.config.scored_candidates);
            stem_cosine_known = true;
        }
        let sigma = self.weights.sigma_days;
        ranked
            .iter()
            .map(|&(story, score)| {
                let view = &self.active[&story].view;
                let known = stem_cosine_known.then_some(score);
                Candidate {
                    story,
                    features: pair_features_indexed(doc, index, view, sigma, known),
                }
            })
            .collect()
    }

    /// Adds an article to an active story.
    pub fn join(&mut self, prepared: &Prepared, story: u64) {
        let clock = self.clock;
        let topic = self.topic_of.get(&story).copied();
        let Some(s) = self.active.get_mut(&story) else {
            return;
        };
        s.view.add(&prepared.doc, self.config.centroid_cap);
        if clock.is_finite() {
            s.last_active = s.last_active.max(clock);
        }
        self.index(story, &prepared.doc, &prepared.group);
        if let Some(topic) = topic {
            self.topics.update(topic, &prepared.doc, clock);
        }
    }

    /// Opens a new story for an article and links it to a topic.
    pub fn open(&mut self, prepared: &Prepared) -> u64 {
        self.open_indexed(prepared, None)
    }

    /// [`Self::open`] with the article's vectors indexed, when they are.
    fn open_indexed(&mut self, prepared: &Prepared, index: Option<&DocIndex>) -> u64 {
        self.maybe_sweep();
        let id = self.next_id;
        self.next_id += 1;
        let topic = self.topics.assign_indexed(
            &prepared.doc,
            index,
            self.clock,
            self.weights.topic_threshold,
        );
        self.topic_of.insert(id, topic);
        self.active.insert(
            id,
            Story {
                view: StoryView::from_doc(&prepared.doc),
                lang: LangKey::of(&prepared.doc.lang),
                last_active: prepared.doc.days.unwrap_or(self.clock),
                keyterms: Vec::new(),
            },
        );
        self.index(id, &prepared.doc, &prepared.group);
        id
    }

    fn index(&mut self, story: u64, doc: &Doc, group: &Option<String>) {
        if let Some(f) = doc.body_fingerprint {
            self.fingerprints.insert(f, story);
        }
        if let Some(g) = group {
            self.groups.insert(g.clone(), story);
        }
        let Some(s) = self.active.get_mut(&story) else {
            return;
        };
        for term in doc
            .space(Space::AllStems)
            .top_terms(self.config.index_terms)
        {
            if s.keyterms.len() >= 4 * self.config.index_terms || s.keyterms.contains(&term) {
                continue;
            }
            s.keyterms.push(term);
            let list = self.postings.entry(term).or_default();
            list.push_back(story);
            while list.len() > self.config.posting_cap {
                list.pop_front();
            }
        }
    }

    /// Step 5: merges into `story` any candidate that has become its near twin.
    fn merge_near_identical(&mut self, story: u64, others: &[u64]) {
        let threshold = self.weights.merge_threshold;
        for &other in others.iter().filter(|o| **o != story) {
            let (Some(a), Some(b)) = (self.active.get(&story), self.active.get(&other)) else {
                continue;
            };
            let i = Space::AllStems as usize;
            let cos = a.view.centroid[i].cosine(&b.view.centroid[i]);
            let close_in_time = match (a.view.mean_days(), b.view.mean_days()) {
                (Some(x), Some(y)) => (x - y).abs() <= 2.0 * self.weights.sigma_days as f64,
                _ => true,
            };
            if cos >= threshold && close_in_time && a.lang == b.lang {
                let Some(gone) = self.active.remove(&other) else {
                    continue;
                };
                self.merged_into.insert(other, story);
                let cap = self.config.centroid_cap;
                if let Some(s) = self.active.get_mut(&story) {
                    s.view.merge(&gone.view, cap);
                    s.last_active = s.last_active.max(gone.last_active);
                }
            }
        }
    }

    /// Puts a stored article back into its stored story (restoring the
    /// clusterer from an archive): joins `story` when it is active, else
    /// opens it under that id in `topic`. Later new stories and topics get
    /// ids above every restored one and above `reserve_ids`' bounds.
    pub fn restore(&mut self, prepared: &Prepared, story: u64, topic: u64) {
        let story = self.resolve(story);
        if self.active.contains_key(&story) {
            self.join(prepared, story);
        } else {
            self.topic_of.insert(story, topic);
            self.topics.restore(topic, &prepared.doc, self.clock);
            self.active.insert(
                story,
                Story {
                    view: StoryView::from_doc(&prepared.doc),
                    lang: LangKey::of(&prepared.doc.lang),
                    last_active: prepared.doc.days.unwrap_or(self.clock),
                    keyterms: Vec::new(),
                },
            );
            self.index(story, &prepared.doc, &prepared.group);
        }
        self.reserve_ids(story + 1, topic + 1);
    }

    /// Makes new story ids start at `stories` or above, new topic ids at
    /// `topics` or above (ids an archive already holds stay unique).
    pub fn reserve_ids(&mut self, stories: u64, topics: u64) {
        self.next_id = self.next_id.max(stories);
        self.topics.reserve_ids(topics);
    }

    /// Retires idle stories and bounds the pool, every so often.
    fn maybe_sweep(&mut self) {
        self.since_sweep += 1;
        if self.since_sweep < 512 && self.active.len() < self.config.max_active {
            return;
        }
        self.since_sweep = 0;
        if self.clock.is_finite() {
            let horizon = self.clock - self.config.retire_days;
            self.active
                .retain(|_, s| !(s.last_active.is_finite() && s.last_active < horizon));
        }
        crate::time::evict_oldest(&mut self.active, self.config.max_active, |s| s.last_active);
        let active = &self.active;
        let merged = &self.merged_into;
        // A story's postings stay while it, or the story it was merged
        // into, is active. Ids are mostly dense from 0, so that is first
        // worked out per id into a table: the sweep reads one byte per
        // posting instead of probing two maps (it was a tenth of the time).
        let mut dense = Vec::new();
        if self.next_id <= MAX_DENSE_SWEEP_IDS {
            dense = vec![false; self.next_id as usize];
            for id in active.keys() {
                if let Some(live) = dense.get_mut(*id as usize) {
                    *live = true;
                }
            }
            for (id, into) in merged {
                if let Some(live) = dense.get_mut(*id as usize) {
                    *live = active.contains_key(into);
                }
            }
        }
        let live = |id: &u64| match dense.get(*id as usize) {
            Some(live) => *live,
            None => active.contains_key(merged.get(id).unwrap_or(id)),
        };
        self.postings.retain(|_, list| {
            list.retain(live);
            !list.is_empty()
        });
        self.fingerprints.retain(|_, s| live(s));
        self.groups.retain(|_, s| live(s));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(title: &str, body: &str, date: Option<&str>) -> ArticleIn {
        ArticleIn {
            title: Some(title.into()),
            body: Some(body.into()),
            published: date.map(Into::into),
            ..ArticleIn::default()
        }
    }

    const KUWAIT: &str = "أعلنت وزارة الداخلية الكويتية ضبط خلية إرهابية في منطقة العبدلي وبحوزتها كميات كبيرة من الأسلحة والذخائر والمتفجرات، وقالت الوزارة إن التحقيقات جارية مع المتهمين";

    #[test]
    fn same_story_joins_and_other_story_opens() {
        let mut c = StoryClusterer::default();
        let a = c.add(
            &art(
                "الكويت تضبط خلية إرهابية بحوزتها أسلحة",
                KUWAIT,
                Some("2015-08-13"),
            ),
            None,
        );
        let b = c.add(
            &art(
                "ضبط خلية إرهابية في العبدلي بالكويت",
                "ضبطت السلطات الكويتية خلية إرهابية في العبدلي بحوزتها أسلحة وذخائر ومتفجرات، والتحقيقات جارية مع المتهمين بحسب وزارة الداخلية",
                Some("2015-08-13"),
            ),
            None,
        );
        let c3 = c.add(
            &art(
                "أرسنال يهزم تشيلسي ويتوج بالدرع الخيرية",
                "فاز أرسنال على تشيلسي بهدف تشامبرلين في ملعب ويمبلي وتوج بلقب الدرع الخيرية",
                Some("2015-08-02"),
            ),
            None,
        );
        assert!(a.opened && !b.opened && c3.opened);
        assert_eq!(c.resolve(a.story), c.resolve(b.story));
        assert_ne!(a.story, c3.story);
    }

    #[test]
    fn identical_bodies_and_groups_join_by_construction() {
        let mut c = StoryClusterer::default();
        let a = c.add(&art("عنوان أول", KUWAIT, Some("2015-08-13")), None);
        let b = c.add(
            &art("عنوان مختلف تماما عن الأول", KUWAIT, Some("2015-08-13")),
            None,
        );
        assert_eq!(a.story, b.story);
        let mut g1 = art(
            "مهرجان العسل في الباحة",
            "نحالون يعرضون العسل",
            Some("2015-08-01"),
        );
        g1.group = Some("g7".into());
        let mut g2 = art(
            "الذهب يسجل أكبر خسارة شهرية",
            "تراجع الذهب",
            Some("2015-08-01"),
        );
        g2.group = Some("g7".into());
        let x = c.add(&g1, None);
        let y = c.add(&g2, None);
        assert_eq!(x.story, y.story);
    }

    #[test]
    fn languages_stay_apart_and_their_codes_meet() {
        let labeled = |lang: Option<&str>| ArticleIn {
            lang: lang.map(Into::into),
            ..art(
                "الكويت تضبط خلية إرهابية بحوزتها أسلحة",
                KUWAIT,
                Some("2015-08-13"),
            )
        };
        let mut c = StoryClusterer::default();
        let unlabeled = c.add(&labeled(None), None);
        let iso3 = c.add(&labeled(Some("ara")), None);
        let regional = c.add(&labeled(Some("ar-KW")), None);
        assert_eq!(c.resolve(iso3.story), c.resolve(unlabeled.story));
        assert_eq!(c.resolve(regional.story), c.resolve(unlabeled.story));
        // Nearly the same words under another language's label are another
        // language's story: a mislabeled feed does not leak into Arabic.
        // (An identical body is the same text, and joins by construction.)
        let reworded = |lang: &str| ArticleIn {
            body: Some(format!("{KUWAIT} وذلك في بيان رسمي")),
            ..labeled(Some(lang))
        };
        let english = c.add(&reworded("en"), None);
        assert!(english.opened);
        assert_ne!(c.resolve(english.story), c.resolve(unlabeled.story));
        let english_too = c.add(&reworded("eng"), None);
        assert_eq!(c.resolve(english_too.story), c.resolve(english.story));
    }

    #[test]
    fn far_apart_in_time_means_separate_stories() {
        let mut c = StoryClusterer::default();
        let a = c.add(
            &art(
                "الكويت تضبط خلية إرهابية بحوزتها أسلحة",
                KUWAIT,
                Some("2015-08-13"),
            ),
            None,
        );
        let b = c.add(
            &art(
                "الكويت تضبط خلية إرهابية بحوزتها أسلحة",
                "",
                Some("2017-03-01"),
            ),
            None,
        );
        assert_ne!(a.story, b.story);
        assert_eq!(a.topic, b.topic, "but the same topic");
    }

    #[test]
    fn a_preview_days_before_joins_the_event_a_later_rerun_does_not() {
        let preview = art(
            "الكاظمي إلى واشنطن.. محادثات تبحث الوجود العسكري الأمريكي",
            "يتوجه رئيس الوزراء العراقي مصطفى الكاظمي إلى واشنطن الأسبوع المقبل، حيث تتواصل المحادثات حول مهمة الجنود الأمريكيين المنتشرين على الأراضي العراقية",
            Some("2021-07-23"),
        );
        let visit = |date: &str| {
            art(
                "بايدن والكاظمي في واشنطن: الوجود العسكري الأمريكي في العراق محور اللقاء",
                "استقبل الرئيس الأمريكي جو بايدن رئيس الوزراء العراقي مصطفى الكاظمي في البيت الأبيض، وأعلن نهاية المهام القتالية للقوات الأمريكية في العراق بنهاية العام",
                Some(date),
            )
        };
        let mut c = StoryClusterer::default();
        let a = c.add(&preview, None);
        let b = c.add(&visit("2021-07-26"), None);
        assert_eq!(c.resolve(a.story), c.resolve(b.story), "{b:?}");
        let mut strict = StoryClusterer::new(
            ClusterConfig {
                follow_up_title_cosine: f32::INFINITY,
                ..ClusterConfig::default()
            },
            Weights::builtin(),
            Vectorizer::default(),
        );
        strict.add(&preview, None);
        assert!(
            strict.add(&visit("2021-07-26"), None).opened,
            "the acceptor alone keeps them apart"
        );
        let mut c = StoryClusterer::default();
        let a = c.add(&preview, None);
        let late = c.add(&visit("2021-08-09"), None);
        assert_ne!(c.resolve(a.story), c.resolve(late.story), "{late:?}");
    }

    #[test]
    fn future_and_missing_dates_are_flagged() {
        let mut c = StoryClusterer::default();
        let now = crate::time::parse_days("2015-08-13");
        let a = c.add(&art("خبر", KUWAIT, Some("2099-01-01")), now);
        assert!(a.future_date && a.dateless);
        let b = c.add(&art("خبر", "نص آخر تماما عن موضوع مختلف", None), now);
        assert!(b.dateless && !b.future_date);
    }

    #[test]
    fn a_flood_of_near_identical_items_stays_bounded() {
        let mut c = StoryClusterer::default();
        let mut stories = std::collections::HashSet::new();
        for i in 0..3000 {
            let body = format!("{KUWAIT} رقم {i}");
            let a = c.add(
                &art("الكويت تضبط خلية إرهابية", &body, Some("2015-08-13")),
                None,
            );
            stories.insert(c.resolve(a.story));
        }
        assert!(stories.len() <= 3, "{}", stories.len());
        let s = &c.active[&c.resolve(0)];
        assert!(s
            .view
            .centroid
            .iter()
            .all(|v| v.len() <= 2 * c.config.centroid_cap));
        assert!(s.keyterms.len() <= 4 * c.config.index_terms);
    }

    #[test]
    fn restored_stories_with_large_ids_survive_the_sweep() {
        let mut c = StoryClusterer::default();
        let kuwait = art(
            "الكويت تضبط خلية إرهابية بحوزتها أسلحة",
            KUWAIT,
            Some("2015-08-13"),
        );
        let prepared = c.prepare(&kuwait, None);
        let restored = 1u64 << 40;
        c.restore(&prepared, restored, 7);
        for i in 0..600 {
            c.add(
                &art(
                    &format!("خبر رقم {i} كلمة{i}"),
                    &format!("نص{i} فريد{i}"),
                    Some("2015-08-13"),
                ),
                None,
            );
        }
        let again = c.add(
            &art(
                "ضبط خلية إرهابية في العبدلي بالكويت",
                "ضبطت السلطات الكويتية خلية إرهابية في العبدلي بحوزتها أسلحة وذخائر ومتفجرات، والتحقيقات جارية مع المتهمين بحسب وزارة الداخلية",
                Some("2015-08-13"),
            ),
            None,
        );
        assert_eq!(c.resolve(again.story), restored, "{again:?}");
    }

    #[test]
    fn idle_stories_retire() {
        let mut c = StoryClusterer::new(
            ClusterConfig {
                retire_days: 5.0,
                ..ClusterConfig::default()
            },
            Weights::builtin(),
            Vectorizer::default(),
        );
        c.add(
            &art("الكويت تضبط خلية إرهابية", KUWAIT, Some("2015-01-01")),
            None,
        );
        for day in 0..600 {
            let date = format!("2015-{:02}-{:02}", 2 + day / 150, 1 + (day % 28));
            c.add(
                &art(
                    &format!("خبر رقم {day} كلمة{day}"),
                    &format!("نص{day} فريد{day}"),
                    Some(&date),
                ),
                None,
            );
        }
        assert!(!c.active.contains_key(&0), "the January story retired");
    }
}
