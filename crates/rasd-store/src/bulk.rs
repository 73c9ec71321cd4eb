//! Bulk loading: the rows `rasd ingest` would write, computed without a
//! database, so a batch job (the Spark backfill) can `COPY` them in.
//!
//! In: articles in storage order (or a set of whole duplicate components of
//! them) and a [`DuplicateDetector`]. Out: [`BulkRow`]s (identity, hashes,
//! signature blobs and band keys as `store_one` writes them) and
//! [`DuplicateRow`]s (the `duplicates` table after every article of the set
//! went through the store's own group assignment, replayed in memory).
//!
//! Invariant: for a set of whole components (closed under exact copies and
//! verified pairs), [`replay_duplicates`] gives the rows the store writes
//! for the same articles ingested one by one in storage order. One
//! difference is known: the store verifies at most 256 LSH candidates per
//! article, counted over the whole archive; the replay counts them within
//! the set, so a band key shared by hundreds of unrelated articles can
//! make the store miss a pair the replay finds.
//!
//! The `Archive` side ([`Archive::bulk_pending_memberships`],
//! [`Archive::articles_without_facts`]) finds what a bulk load left for the
//! binary to derive.

use crate::archive::Archive;
use crate::db::params;
use crate::error::StoreError;
use crate::ingest::{canonical_key, u32s_to_blob, DuplicateDetector, Fingerprint, IngestItem};
use crate::stories::Membership;
use rasd_model::Article;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Candidates verified per article at most, as the store's ingest.
const MAX_CANDIDATES: usize = 256;

/// One article's rows in `pages`, `articles`, `signatures` and `lsh_bands`.
#[derive(Debug, Clone)]
pub struct BulkRow {
    /// The item as `rasd ingest` builds it from a clean (JSONL) article.
    pub item: IngestItem,
    /// xxh3-128 of the body's matching key (`articles.body_key_hash`).
    pub body_key_hash: String,
    /// The fingerprint, `None` for a body that never groups.
    pub fingerprint: Option<Fingerprint>,
}

impl BulkRow {
    /// The rows of `article`, read from a JSONL line (position 0, its own page).
    pub fn new(article: Article, detector: &dyn DuplicateDetector) -> BulkRow {
        let fingerprint = detector.fingerprint(&article);
        let body_key_hash = crate::identity::body_key_hash(&article.body);
        BulkRow {
            item: IngestItem::from_article(article, 0),
            body_key_hash,
            fingerprint,
        }
    }
}

/// `signatures.minhash` / `signatures.shingles`: little-endian u32s.
pub fn signature_blob(values: &[u32]) -> Vec<u8> {
    u32s_to_blob(values)
}

/// One article of a replayed set.
#[derive(Debug, Clone, Copy)]
pub struct ReplayMember<'a> {
    /// The public article id (`ArticleKey::id`).
    pub id: &'a str,
    pub published: Option<&'a str>,
    pub fingerprint: Option<&'a Fingerprint>,
}

/// One row of the `duplicates` table.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateRow {
    /// The group's canonical article id once the whole set is stored.
    pub group_id: String,
    /// `new`, `exact` or `near`.
    pub kind: &'static str,
    /// The similarity to the copy it matched (none for `new`).
    pub similarity: Option<f64>,
}

/// Replays the store's group assignment over `members`, given in storage
/// order: returns each member's `duplicates` row as the store holds it
/// after the last one is stored.
pub fn replay_duplicates(
    members: &[ReplayMember<'_>],
    detector: &dyn DuplicateDetector,
) -> Vec<DuplicateRow> {
    let n = members.len();
    let mut exact_first: HashMap<[u8; 16], usize> = HashMap::new();
    let mut by_band: HashMap<u64, Vec<usize>> = HashMap::new();
    // Group canonical (member index) of each member, and each group's members.
    let mut group_of: Vec<usize> = (0..n).collect();
    let mut group_members: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut rows: Vec<(&'static str, Option<f64>)> = Vec::with_capacity(n);
    let key = |i: usize| canonical_key(members[i].published, members[i].id);
    for (i, member) in members.iter().enumerate() {
        let mut matched: BTreeMap<usize, f64> = BTreeMap::new();
        let mut exact = false;
        if let Some(fp) = member.fingerprint {
            if let Some(&copy) = exact_first.get(&fp.exact) {
                matched.insert(copy, 1.0);
                exact = true;
            } else if !fp.bands.is_empty() {
                let mut candidates = Vec::new();
                let mut seen = HashSet::new();
                'bands: for band in &fp.bands {
                    for &other in by_band.get(band).into_iter().flatten() {
                        if seen.insert(other) {
                            candidates.push(other);
                            if candidates.len() >= MAX_CANDIDATES {
                                break 'bands;
                            }
                        }
                    }
                }
                for other in candidates {
                    let stored = members[other].fingerprint.map(|f| f.shingles.as_slice());
                    if let Some(similarity) = stored.and_then(|s| detector.verify(fp, s)) {
                        matched.insert(other, similarity);
                    }
                }
            }
            exact_first.entry(fp.exact).or_insert(i);
            for band in &fp.bands {
                let list = by_band.entry(*band).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        let mut best: Option<(usize, f64)> = None;
        let mut groups: Vec<usize> = Vec::new();
        for (&other, &similarity) in &matched {
            if best.is_none_or(|(_, s)| similarity > s) {
                best = Some((other, similarity));
            }
            if !groups.contains(&group_of[other]) {
                groups.push(group_of[other]);
            }
        }
        let mut winner = i;
        for &canonical in &groups {
            if key(canonical) < key(winner) {
                winner = canonical;
            }
        }
        let mut joined = vec![i];
        for canonical in groups {
            joined.extend(
                group_members
                    .remove(&canonical)
                    .unwrap_or_else(|| vec![canonical]),
            );
        }
        if let Some(own) = group_members.remove(&winner) {
            joined.extend(own.into_iter().filter(|m| *m != i));
        }
        joined.sort_unstable();
        joined.dedup();
        for &m in &joined {
            group_of[m] = winner;
        }
        group_members.insert(winner, joined);
        rows.push(match best {
            None => ("new", None),
            Some((_, s)) if exact => ("exact", Some(s)),
            Some((_, s)) => ("near", Some(s)),
        });
    }
    rows.into_iter()
        .enumerate()
        .map(|(i, (kind, similarity))| DuplicateRow {
            group_id: members[group_of[i]].id.to_string(),
            kind,
            similarity,
        })
        .collect()
}

impl Archive {
    /// Up to `limit` memberships of stories a bulk load wrote without their
    /// digest (`headline IS NULL` and size 0), in storage order of the
    /// articles: written again through [`Archive::apply_story_batch`], they
    /// get the size, dates, headline, summary and topic counts the live
    /// stage writes.
    pub fn bulk_pending_memberships(&self, limit: usize) -> Result<Vec<Membership>, StoreError> {
        self.db
            .query_map(
                "SELECT m.article, m.story, coalesce(s.topic, 0), m.confidence, m.dateless
                 FROM story_members m JOIN stories s ON s.id = m.story
                 WHERE s.size = 0 AND s.merged_into IS NULL
                 ORDER BY m.article LIMIT ?1",
                params![limit as i64],
                |r| {
                    Ok(Membership {
                        article: r.get(0)?,
                        story: r.get(1)?,
                        topic: r.get(2)?,
                        confidence: r.get::<Option<f64>>(3)?.unwrap_or(1.0) as f32,
                        dateless: r.get::<i64>(4)? != 0,
                    })
                },
            )
            .map_err(|e| self.db_error(e))
    }

    /// Up to `limit` ids of current articles stored after `after` (a
    /// storage position) that have no mention, quote or figure, in storage
    /// order, with the last position read: what the facts stage has not
    /// seen after a bulk load (an article with no facts at all is read again).
    pub fn articles_without_facts(
        &self,
        after: i64,
        limit: usize,
    ) -> Result<(Vec<String>, i64), StoreError> {
        let rows: Vec<(i64, String)> = self
            .db
            .query_map(
                "SELECT a.seq, a.id FROM articles a
                 WHERE a.seq > ?1 AND a.superseded = 0
                   AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.article = a.seq)
                   AND NOT EXISTS (SELECT 1 FROM quotes q WHERE q.article = a.seq)
                   AND NOT EXISTS (SELECT 1 FROM figures f WHERE f.article = a.seq)
                 ORDER BY a.seq LIMIT ?2",
                params![after, limit as i64],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.db_error(e))?;
        let last = rows.last().map_or(after, |(seq, _)| *seq);
        Ok((rows.into_iter().map(|(_, id)| id).collect(), last))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::tests::Trigrams;
    use crate::{ArticleQuery, ExactOnly, OpenOptions};

    const WIRE: &str = "أعلنت وزارة الداخلية اليوم القبض على خلية إرهابية في المنطقة الشرقية \
        تضم عشرة أشخاص كانوا يخططون لتنفيذ عمليات تستهدف منشآت حكومية ومساجد";

    fn article(url: &str, published: Option<&str>, body: &str) -> Article {
        Article {
            url: Some(url.into()),
            path: Some("news.jsonl#1".into()),
            title: Some("القبض على خلية".into()),
            body: body.into(),
            published: published.map(str::to_string),
            source: Some("واس".into()),
            lang: Some("ar".into()),
            ..Article::default()
        }
    }

    #[test]
    fn the_replay_writes_what_ingest_writes() {
        let articles = vec![
            article("https://sabq.org/1", Some("2015-07-23"), WIRE),
            article(
                "https://x.sa/2",
                Some("2015-07-21"),
                "خبر عن الطقس الحار في جدة اليوم",
            ),
            article(
                "https://spa.gov.sa/3",
                Some("2015-07-22"),
                &format!("{WIRE} وأكد المتحدث"),
            ),
            article(
                "https://okaz.com.sa/4",
                None,
                &WIRE.replace("اليوم", "اليـــوم"),
            ),
            article("https://b.sa/5", None, "  "),
        ];
        let rows: Vec<BulkRow> = articles
            .iter()
            .map(|a| BulkRow::new(a.clone(), &Trigrams))
            .collect();
        let members: Vec<ReplayMember<'_>> = rows
            .iter()
            .map(|r| ReplayMember {
                id: &r.item.key.id,
                published: r.item.article.published.as_deref(),
                fingerprint: r.fingerprint.as_ref(),
            })
            .collect();
        let replayed = replay_duplicates(&members, &Trigrams);

        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(dir.path(), &OpenOptions::writer()).unwrap();
        let items = articles
            .into_iter()
            .map(|a| IngestItem::from_article(a, 0))
            .collect();
        archive.ingest_batch(items, 0, &Trigrams).unwrap();
        // id, group, kind, similarity, shingles blob
        type Written = (String, String, String, Option<f64>, Vec<u8>);
        let stored: Vec<Written> = archive
            .db
            .query_map(
                "SELECT a.id, d.group_id, d.kind, d.similarity, coalesce(s.shingles, x'')
                 FROM articles a JOIN duplicates d ON d.article = a.seq
                 LEFT JOIN signatures s ON s.article = a.seq ORDER BY a.seq",
                params![],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap();
        assert_eq!(stored.len(), rows.len());
        for ((row, dup), (id, group, kind, similarity, shingles)) in
            rows.iter().zip(&replayed).zip(&stored)
        {
            assert_eq!(&row.item.key.id, id);
            assert_eq!(
                (&dup.group_id, dup.kind, dup.similarity),
                (group, kind.as_str(), *similarity)
            );
            let blob = row
                .fingerprint
                .as_ref()
                .map(|f| signature_blob(&f.shingles));
            assert_eq!(blob.unwrap_or_default(), *shingles);
        }
        assert_eq!(replayed[2].kind, "near");
        assert_eq!(replayed[3].kind, "exact");
        // The near copy published first became every member's canonical.
        assert_eq!(replayed[0].group_id, rows[2].item.key.id);
        assert_eq!(archive.articles(&ArticleQuery::default()).unwrap().len(), 5);
    }

    #[test]
    fn a_bulk_loaded_archive_lists_what_is_left_to_derive() {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(dir.path(), &OpenOptions::writer()).unwrap();
        let items = vec![
            IngestItem::from_article(article("https://a.sa/1", Some("2015-07-21"), WIRE), 0),
            IngestItem::from_article(article("https://a.sa/2", Some("2015-07-22"), "نص آخر"), 0),
        ];
        let ids: Vec<String> = items.iter().map(|i| i.key.id.clone()).collect();
        archive.ingest_batch(items, 0, &ExactOnly).unwrap();
        let (pending, last) = archive.articles_without_facts(0, 10).unwrap();
        assert_eq!((pending, last), (ids.clone(), 2));
        assert!(archive.articles_without_facts(2, 10).unwrap().0.is_empty());
        archive
            .db
            .execute_batch(
                "INSERT INTO topics (id) VALUES (7);
                 INSERT INTO stories (id, topic, updated) VALUES (3, 7, 0);
                 INSERT INTO story_members (article, story, confidence, dateless) VALUES (2, 3, 0.5, 1);",
            )
            .unwrap();
        let members = archive.bulk_pending_memberships(10).unwrap();
        assert_eq!(members.len(), 1);
        assert_eq!(
            (members[0].article, members[0].story, members[0].topic),
            (2, 3, 7)
        );
        assert!(members[0].dateless && members[0].confidence == 0.5);
    }
}
