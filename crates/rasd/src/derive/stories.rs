//! The stories stage of ingest: the ids of a committed batch's articles in,
//! their stories and topics (memberships, merges, headlines, summaries) in
//! the archive out.
//!
//! The live [`StoryClusterer`] (its shipped model, `StoryClusterer::default()`)
//! is restored when ingest starts: the members of the stories still active at
//! the archive's latest story activity (the last `retire_days` of stream
//! time, at most [`MAX_RESTORE_ARTICLES`] articles) are replayed into their
//! stored stories, so a later run continues the same stories. Each batch is
//! placed in publication order (dateless last); members of one duplicate
//! group land in one story by construction (the group goes in with them).
//!
//! A touched story is summarized at most once per batch, and not at all when
//! the members its digest reads (the earliest [`DIGEST_MEMBERS`]) are the
//! ones it was last summarized from: a big story that only gained later
//! members keeps its digest ([`DigestMemo`]).

use rasd_cluster::input::ArticleIn;
use rasd_cluster::summary::{summarize, SummaryArticle, SummaryConfig};
use rasd_cluster::{Assignment, ClusterConfig, StoryClusterer};
use rasd_store::{
    Archive, Membership, StoryBatch, StoryDigest, StoryInput, StoryMerge, DIGEST_MEMBERS,
};
use serde::Serialize;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::time::Instant;

/// Stored articles replayed at most to restore the clusterer: enough for
/// the active window of a busy archive, bounded for a huge one.
pub const MAX_RESTORE_ARTICLES: usize = 5000;
/// Digests remembered across batches (a bound on memory: past it the memo
/// starts afresh, which only costs re-summarizing).
const MAX_MEMO_DIGESTS: usize = 20_000;

/// The digests last computed, by the exact member list they were computed
/// from (a hash of the members' sequence numbers in digest order): the same
/// members give the same digest, so it is reused instead of recomputed.
#[derive(Default)]
struct DigestMemo {
    by_members: HashMap<u64, StoryDigest>,
    reused: u64,
}

impl DigestMemo {
    fn digest(&mut self, members: &[StoryInput], config: &SummaryConfig) -> StoryDigest {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        for m in members {
            m.seq.hash(&mut hasher);
        }
        let key = hasher.finish();
        if let Some(known) = self.by_members.get(&key) {
            self.reused += 1;
            return known.clone();
        }
        let fresh = digest(members, config);
        if self.by_members.len() >= MAX_MEMO_DIGESTS {
            self.by_members.clear();
        }
        self.by_members.insert(key, fresh.clone());
        fresh
    }
}

/// The stories stage's state between batches.
pub struct StoryStage {
    clusterer: StoryClusterer,
    /// Stories placed or restored in this run and not merged away, with the
    /// stream day they were last seen: each batch checks them for merges.
    live: HashMap<u64, f64>,
    /// The latest publication day seen (stream time).
    clock: f64,
    retire_days: f64,
    summary_config: SummaryConfig,
    memo: DigestMemo,
    summary: StorySummary,
}

/// What the stories stage did in one run.
#[derive(Debug, Default, Serialize)]
pub struct StorySummary {
    /// Stored articles replayed to restore the clusterer.
    pub restored_articles: u64,
    pub restored_stories: u64,
    /// Articles placed in stories.
    pub articles: u64,
    pub stories_opened: u64,
    pub stories_merged: u64,
    /// Articles placed without a usable date (by content alone).
    pub dateless: u64,
    /// Story rows rewritten (size, dates, headline, summary), summed over batches.
    pub stories_updated: u64,
    /// Of those, rows whose digest was reused because the members it reads
    /// had not changed.
    pub digests_reused: u64,
    pub seconds: f64,
}

/// A stored article as the clusterer reads it.
fn article_in(input: &StoryInput) -> ArticleIn {
    let mut article = ArticleIn {
        id: Some(input.id.clone()),
        url: None,
        title: input.title.clone(),
        body: Some(input.body.clone()),
        published: input.published.clone(),
        source: input.source.clone(),
        lang: input.lang.clone(),
        group: input.group.clone(),
    };
    article.bound();
    article
}

/// Headline and summary of a story's (earliest) members.
pub fn digest(members: &[StoryInput], config: &SummaryConfig) -> StoryDigest {
    let articles: Vec<SummaryArticle<'_>> = members
        .iter()
        .take(DIGEST_MEMBERS)
        .map(|m| SummaryArticle {
            title: m.title.as_deref(),
            body: &m.body,
            source: m.source.as_deref(),
        })
        .collect();
    let summary = summarize(&articles, config);
    StoryDigest {
        headline: summary.headline,
        sentences: summary.sentences.into_iter().map(|s| s.text).collect(),
    }
}

/// Sorts by publication time, dateless last, ties by article id: the same
/// articles give the same stories whatever order they were read in.
fn publication_order(inputs: &mut [StoryInput]) {
    let days = |i: &StoryInput| {
        i.published
            .as_deref()
            .and_then(rasd_cluster::time::parse_days)
    };
    inputs.sort_by(|a, b| {
        let by_time = match (days(a), days(b)) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        by_time.then_with(|| a.id.cmp(&b.id))
    });
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

impl StoryStage {
    /// A clusterer restored from the archive's still active stories.
    pub fn open(archive: &Archive) -> anyhow::Result<StoryStage> {
        let started = Instant::now();
        let retire_days = ClusterConfig::default().retire_days;
        let mut stage = StoryStage {
            clusterer: StoryClusterer::default(),
            live: HashMap::new(),
            clock: f64::NEG_INFINITY,
            retire_days,
            summary_config: SummaryConfig::default(),
            memo: DigestMemo::default(),
            summary: StorySummary::default(),
        };
        let (next_story, next_topic) = archive.next_story_ids()?;
        stage
            .clusterer
            .reserve_ids(next_story.max(0) as u64, next_topic.max(0) as u64);
        let now = crate::commands::cluster::today_days();
        for member in archive.story_restore_set(retire_days, MAX_RESTORE_ARTICLES)? {
            let article = article_in(&member.article);
            let prepared = stage.clusterer.prepare(&article, now);
            let (story, topic) = (member.story.max(0) as u64, member.topic.max(0) as u64);
            stage.clusterer.restore(&prepared, story, topic);
            stage.see(story, prepared.doc.days);
            stage.summary.restored_articles += 1;
        }
        stage.summary.restored_stories = stage.live.len() as u64;
        stage.summary.seconds += started.elapsed().as_secs_f64();
        Ok(stage)
    }

    /// Notes that `story` got an article (dated `days`) at the stream's clock.
    fn see(&mut self, story: u64, days: Option<f64>) {
        if let Some(days) = days {
            self.clock = self.clock.max(days);
        }
        let at = days.unwrap_or(self.clock);
        let last = self.live.entry(story).or_insert(at);
        *last = last.max(at);
    }

    /// Places the batch's stored articles and writes their stories (one transaction).
    pub fn after_batch(&mut self, archive: &mut Archive, stored: &[String]) -> anyhow::Result<()> {
        let started = Instant::now();
        let mut inputs = archive.story_inputs(stored)?;
        publication_order(&mut inputs);
        let now = crate::commands::cluster::today_days();
        let mut placed = Vec::with_capacity(inputs.len());
        // Duplicate group → story, for the copies placed in this batch.
        let mut group_stories: HashMap<String, u64> = HashMap::new();
        for input in &inputs {
            let article = article_in(input);
            let assignment = self.place(archive, &article, &group_stories, now)?;
            if let Some(group) = &input.group {
                group_stories.insert(group.clone(), assignment.story);
            }
            let days = article
                .published
                .as_deref()
                .and_then(rasd_cluster::time::parse_days)
                .filter(|_| !assignment.dateless);
            self.see(assignment.story, days);
            self.summary.articles += 1;
            self.summary.stories_opened += u64::from(assignment.opened);
            self.summary.dateless += u64::from(assignment.dateless);
            placed.push((input.seq, assignment));
        }
        let mut batch = StoryBatch::default();
        let mut gone = Vec::new();
        for &story in self.live.keys() {
            let into = self.clusterer.resolve(story);
            if into != story {
                gone.push(story);
                batch.merges.push(StoryMerge {
                    gone: story as i64,
                    into: into as i64,
                    topic: self.clusterer.topic(into).unwrap_or(0) as i64,
                });
            }
        }
        batch.merges.sort_by_key(|m| m.gone);
        self.summary.stories_merged += gone.len() as u64;
        for story in gone {
            self.live.remove(&story);
        }
        // Stories idle well past the retirement window can no longer merge.
        let horizon = self.clock - 2.0 * self.retire_days;
        self.live
            .retain(|_, last| !(last.is_finite() && *last < horizon));
        for (seq, assignment) in placed {
            let story = self.clusterer.resolve(assignment.story);
            batch.members.push(Membership {
                article: seq,
                story: story as i64,
                topic: self.clusterer.topic(story).unwrap_or(assignment.topic) as i64,
                confidence: assignment.confidence,
                dateless: assignment.dateless,
            });
        }
        let (config, memo) = (&self.summary_config, &mut self.memo);
        let counts = archive.apply_story_batch(&batch, unix_now(), &mut |members| {
            memo.digest(members, config)
        })?;
        self.summary.stories_updated += counts.stories_updated;
        self.summary.digests_reused = self.memo.reused;
        self.summary.seconds += started.elapsed().as_secs_f64();
        Ok(())
    }

    /// Places one article: a copy of an article already in a story joins
    /// that story by construction (even when the group's canonical changed
    /// or the story left the active pool); any other goes to the clusterer.
    fn place(
        &mut self,
        archive: &Archive,
        article: &ArticleIn,
        group_stories: &HashMap<String, u64>,
        now: Option<f64>,
    ) -> anyhow::Result<Assignment> {
        let Some(group) = &article.group else {
            return Ok(self.clusterer.add(article, now));
        };
        let known = match group_stories.get(group) {
            Some(&story) => {
                let story = self.clusterer.resolve(story);
                self.clusterer.topic(story).map(|topic| (story, topic))
            }
            None => archive
                .group_story(group)?
                .map(|(story, topic)| (story.max(0) as u64, topic.max(0) as u64)),
        };
        let Some((story, topic)) = known else {
            return Ok(self.clusterer.add(article, now));
        };
        let prepared = self.clusterer.prepare(article, now);
        self.clusterer.restore(&prepared, story, topic);
        let story = self.clusterer.resolve(story);
        Ok(Assignment {
            story,
            topic: self.clusterer.topic(story).unwrap_or(topic),
            opened: false,
            dateless: prepared.doc.days.is_none(),
            future_date: prepared.future_date,
            confidence: 1.0,
        })
    }

    /// Says what the stage did (everything is written batch by batch).
    pub fn finish(self, archive: &mut Archive) -> anyhow::Result<StorySummary> {
        let _ = archive;
        Ok(self.summary)
    }
}

/// Rebuilds every story and topic from the stored articles, replayed in
/// publication order in batches (for `rasd reindex`). Returns what was placed.
pub fn rebuild(archive: &mut Archive, batch_size: usize) -> anyhow::Result<StorySummary> {
    archive.clear_stories()?;
    let mut ids: Vec<String> = Vec::new();
    archive.for_each_story_input(|input| -> anyhow::Result<()> {
        ids.push(input.id);
        Ok(())
    })?;
    let mut stage = StoryStage::open(archive)?;
    for chunk in ids.chunks(batch_size.max(1)) {
        stage.after_batch(archive, chunk)?;
    }
    stage.finish(archive)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rasd_store::{ExactOnly, IngestItem, OpenOptions};

    fn article(url: &str, title: &str, body: &str, published: &str, source: &str) -> IngestItem {
        IngestItem::from_article(
            rasd_model::Article {
                url: Some(url.into()),
                title: Some(title.into()),
                body: body.into(),
                published: Some(published.into()),
                source: Some(source.into()),
                lang: Some("ar".into()),
                ..rasd_model::Article::default()
            },
            0,
        )
    }

    const CELL: &str = "أعلنت وزارة الداخلية الكويتية ضبط خلية إرهابية في منطقة العبدلي بحوزتها كميات كبيرة من الأسلحة والذخائر. وقالت الوزارة إن التحقيقات جارية مع المتهمين.";
    const CELL2: &str = "ضبطت السلطات الكويتية خلية إرهابية في العبدلي بحوزتها أسلحة وذخائر ومتفجرات. والتحقيقات جارية مع المتهمين بحسب وزارة الداخلية.";
    const FOOTBALL: &str = "فاز أرسنال على تشيلسي بهدف تشامبرلين في ملعب ويمبلي وتوج بلقب الدرع الخيرية للمرة الرابعة عشرة في تاريخه.";

    #[test]
    fn a_digest_is_reused_only_for_the_same_members() {
        let input = |seq: i64, body: &str| StoryInput {
            seq,
            id: format!("a{seq}"),
            title: Some("ضبط خلية إرهابية في الكويت".into()),
            body: body.into(),
            published: Some("2015-08-13".into()),
            source: Some("spa".into()),
            lang: Some("ar".into()),
            group: None,
        };
        let config = SummaryConfig::default();
        let mut memo = DigestMemo::default();
        let two = [input(1, CELL), input(2, CELL2)];
        let first = memo.digest(&two, &config);
        assert_eq!(first, digest(&two, &config));
        assert!(first.headline.is_some());
        assert_eq!(memo.digest(&two, &config), first);
        assert_eq!(memo.reused, 1);
        let three = [input(1, CELL), input(2, CELL2), input(3, FOOTBALL)];
        assert_eq!(memo.digest(&three, &config), digest(&three, &config));
        assert_eq!(memo.reused, 1, "new members are summarized afresh");
    }

    /// A Kuwaiti-cell story and an unrelated football story, eleven days apart.
    fn cell_and_football() -> Vec<IngestItem> {
        vec![
            article(
                "u1",
                "الكويت تضبط خلية إرهابية بحوزتها أسلحة",
                CELL,
                "2015-08-13",
                "kuna",
            ),
            article(
                "u2",
                "أرسنال يتوج بالدرع الخيرية",
                FOOTBALL,
                "2015-08-02",
                "sabq",
            ),
        ]
    }

    fn ingest(archive: &mut Archive, stage: &mut StoryStage, items: Vec<IngestItem>) {
        let outcomes = archive.ingest_batch(items, 0, &ExactOnly).unwrap();
        let ids: Vec<String> = outcomes
            .iter()
            .filter(|o| o.is_stored())
            .map(|o| o.id.clone())
            .collect();
        stage.after_batch(archive, &ids).unwrap();
    }

    #[test]
    fn a_second_run_continues_the_stories_of_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(dir.path(), &OpenOptions::writer()).unwrap();
        let mut stage = StoryStage::open(&archive).unwrap();
        ingest(&mut archive, &mut stage, cell_and_football());
        drop(stage);
        let mut second = StoryStage::open(&archive).unwrap();
        assert_eq!(
            second.summary.restored_articles, 1,
            "the cell story is active; the football one, 11 days older, retired"
        );
        ingest(
            &mut archive,
            &mut second,
            vec![article(
                "u3",
                "ضبط خلية إرهابية في العبدلي",
                CELL2,
                "2015-08-14",
                "okaz",
            )],
        );
        let first = archive
            .story_of(
                &archive
                    .articles(&Default::default())
                    .unwrap()
                    .iter()
                    .find(|a| a.url.as_deref() == Some("u1"))
                    .unwrap()
                    .id,
            )
            .unwrap();
        let third = archive
            .story_of(
                &archive
                    .articles(&Default::default())
                    .unwrap()
                    .iter()
                    .find(|a| a.url.as_deref() == Some("u3"))
                    .unwrap()
                    .id,
            )
            .unwrap();
        assert_eq!(first, third, "u3 joined u1's story across runs");
        let story = archive.story(first.unwrap()).unwrap().unwrap();
        assert_eq!(story.size, 2);
        assert_eq!(story.sources[0].source, "kuna", "kuna broke it");
        assert!(story.headline.is_some() && !story.summary.is_empty());
        let football = archive.stories(&Default::default()).unwrap();
        assert_eq!(football.len(), 2, "{football:?}");
        assert!(football.iter().all(|s| s.id >= 0));
        let ids: std::collections::HashSet<i64> = football.iter().map(|s| s.id).collect();
        assert_eq!(ids.len(), 2, "story ids stay unique across runs");
    }

    #[test]
    fn a_copy_joins_its_original_story_even_when_it_becomes_the_canonical() {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(dir.path(), &OpenOptions::writer()).unwrap();
        let mut stage = StoryStage::open(&archive).unwrap();
        ingest(
            &mut archive,
            &mut stage,
            vec![
                article("u1", "الكويت تضبط خلية", CELL, "2015-08-13", "kuna"),
                article(
                    "u0",
                    "أرسنال يتوج بالدرع الخيرية",
                    FOOTBALL,
                    "2015-09-30",
                    "sabq",
                ),
            ],
        );
        drop(stage);
        // An earlier-dated copy with another title arrives in a later run,
        // after u1's story left the active window (not restored): the
        // group's canonical moves to it, yet it lands in u1's story.
        let mut later = StoryStage::open(&archive).unwrap();
        ingest(
            &mut archive,
            &mut later,
            vec![
                article(
                    "u2",
                    "أرسنال يتوج بالدرع الخيرية",
                    CELL,
                    "2015-08-12 06:00",
                    "okaz",
                ),
                article("u3", "عنوان ثالث", CELL, "2015-08-12 18:00", "sabq"),
            ],
        );
        assert_eq!(
            later.summary.restored_articles, 1,
            "only the football story"
        );
        let stories = archive.stories(&Default::default()).unwrap();
        assert_eq!(stories.len(), 2, "{stories:?}");
        let cell = stories.iter().find(|s| s.size == 3).expect("u1, u2, u3");
        assert_eq!(cell.sources[0].source, "okaz");
    }

    #[test]
    fn rebuild_gives_the_same_partition() {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(dir.path(), &OpenOptions::writer()).unwrap();
        let mut stage = StoryStage::open(&archive).unwrap();
        ingest(
            &mut archive,
            &mut stage,
            [
                cell_and_football(),
                vec![article(
                    "u3",
                    "ضبط خلية إرهابية في العبدلي",
                    CELL2,
                    "2015-08-14",
                    "okaz",
                )],
            ]
            .concat(),
        );
        let sizes = |archive: &Archive| {
            let mut s: Vec<u64> = archive
                .stories(&Default::default())
                .unwrap()
                .iter()
                .map(|s| s.size)
                .collect();
            s.sort_unstable();
            s
        };
        assert_eq!(sizes(&archive), [1, 2]);
        let summary = rebuild(&mut archive, 2).unwrap();
        assert_eq!(summary.articles, 3);
        assert_eq!(sizes(&archive), [1, 2]);
    }
}
