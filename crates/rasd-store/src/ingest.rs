//! Writing articles: one transaction per batch, version tracking and
//! duplicate grouping at ingest, and the rebuild of derived tables.
//!
//! In: [`IngestItem`]s and a [`DuplicateDetector`]. Out: one
//! [`IngestOutcome`] per item, in order. Fingerprints are computed in
//! parallel before the write transaction; the transaction itself is serial
//! so each article sees every article stored before it, this batch included.

use crate::archive::Archive;
use crate::db::{params, Db, DbResult, Param};
use crate::error::StoreError;
use crate::identity::{body_key_hash, bytes_hash, ArticleKey};
use rasd_model::Article;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Candidates verified per new article at most: a band key shared by very
/// many articles (boilerplate) must not make one insert cost thousands of checks.
const MAX_CANDIDATES: usize = 256;

/// What a duplicate detector keeps of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// Hash of the body's matching key: equal means an exact duplicate.
    pub exact: [u8; 16],
    /// The MinHash sketch (kept so band keys can be recomputed).
    pub minhash: Vec<u32>,
    /// Sorted shingle hashes, for the exact similarity check.
    pub shingles: Vec<u32>,
    /// LSH band keys: articles sharing one are candidates.
    pub bands: Vec<u64>,
}

/// Computes fingerprints and verifies candidate pairs (the store only finds
/// candidates and keeps groups; [`MinHashDetector`] is what archives use).
pub trait DuplicateDetector: Sync {
    /// The article's fingerprint, or `None` when it must never group (an empty body).
    fn fingerprint(&self, article: &Article) -> Option<Fingerprint>;
    /// The verified similarity when `new` duplicates an article with `stored_shingles`.
    fn verify(&self, new: &Fingerprint, stored_shingles: &[u32]) -> Option<f64>;
}

/// A detector that groups exact copies only (of the body's matching key).
#[derive(Debug, Clone, Copy, Default)]
pub struct ExactOnly;

impl DuplicateDetector for ExactOnly {
    fn fingerprint(&self, article: &Article) -> Option<Fingerprint> {
        if article.body.trim().is_empty() {
            return None;
        }
        let hash = u128::from_str_radix(&body_key_hash(&article.body), 16).unwrap_or_default();
        Some(Fingerprint {
            exact: hash.to_le_bytes(),
            minhash: Vec::new(),
            shingles: Vec::new(),
            bands: Vec::new(),
        })
    }

    fn verify(&self, _: &Fingerprint, _: &[u32]) -> Option<f64> {
        None
    }
}

/// `rasd-dedup`'s MinHash signatures, band keys and verified Jaccard: the
/// detector every archive is built with (`rasd ingest`, `rasd reindex` and
/// the Spark bulk load must agree on it, so it lives here, once).
#[derive(Debug, Clone, Default)]
pub struct MinHashDetector(pub rasd_dedup::DedupConfig);

impl DuplicateDetector for MinHashDetector {
    fn fingerprint(&self, article: &Article) -> Option<Fingerprint> {
        let signature = rasd_dedup::signature(&article.body, &self.0);
        let exact = signature.exact?;
        let bands = rasd_dedup::band_keys(&signature, &self.0);
        Some(Fingerprint {
            exact: exact.to_le_bytes(),
            minhash: signature.minhash,
            shingles: signature.shingles,
            bands,
        })
    }

    fn verify(&self, new: &Fingerprint, stored_shingles: &[u32]) -> Option<f64> {
        rasd_dedup::similarity::jaccard_at_least(&new.shingles, stored_shingles, self.0.threshold)
    }
}

/// The page an article came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PageInfo {
    /// Where it was read (`path`, `path#record`, `-`).
    pub origin: String,
    pub url: Option<String>,
    pub site: Option<String>,
    pub fetched: Option<String>,
    /// xxh3-128 of the page's content (see [`crate::bytes_hash`]).
    pub content_hash: String,
}

/// One article to store, with its page and position on it.
#[derive(Debug, Clone)]
pub struct IngestItem {
    pub key: ArticleKey,
    pub page: PageInfo,
    pub article: Article,
}

impl IngestItem {
    /// An article extracted from `page` at `position` (0 = the page's main article).
    pub fn from_page(page: &rasd_model::Page, mut article: Article, position: u32) -> IngestItem {
        if article.url.is_none() {
            article.url.clone_from(&page.url);
        }
        if article.path.is_none() {
            article.path = Some(page.origin.clone());
        }
        let key = ArticleKey::new(&article, position);
        IngestItem {
            key,
            page: PageInfo {
                origin: page.origin.clone(),
                url: page.url.clone(),
                site: page.site.clone(),
                fetched: page.fetched.clone(),
                content_hash: bytes_hash(page.content.as_bytes()),
            },
            article,
        }
    }

    /// A clean article read as it is (JSONL), its own page.
    pub fn from_article(article: Article, position: u32) -> IngestItem {
        let key = ArticleKey::new(&article, position);
        IngestItem {
            page: PageInfo {
                origin: article.path.clone().unwrap_or_default(),
                url: article.url.clone(),
                site: None,
                fetched: None,
                content_hash: key.content_hash.clone(),
            },
            key,
            article,
        }
    }
}

/// How the article's text relates to what was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status", content = "version")]
pub enum Stored {
    /// First version of a new article.
    New,
    /// A changed version of an article already stored (version number).
    NewVersion(u32),
    /// Already stored: nothing written.
    Unchanged,
}

/// The copy a new article was found to duplicate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DuplicateMatch {
    /// The matched article's id.
    pub of: String,
    /// 1.0 for an exact copy, else the detector's verified similarity.
    pub similarity: f64,
    pub exact: bool,
}

/// What happened to one [`IngestItem`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IngestOutcome {
    pub id: String,
    pub stored: Stored,
    /// The duplicate group (canonical id) the article joined, when stored.
    pub group: Option<String>,
    pub duplicate: Option<DuplicateMatch>,
}

impl IngestOutcome {
    /// Whether anything was written for the item.
    pub fn is_stored(&self) -> bool {
        self.stored != Stored::Unchanged
    }
}

/// Counts of an [`Archive::reindex`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReindexSummary {
    pub articles: u64,
    pub fingerprinted: u64,
    pub band_keys: u64,
    pub groups: u64,
}

/// The ordering key of a group's canonical: earliest published, undated last, then id.
pub(crate) fn canonical_key<'a>(
    published: Option<&'a str>,
    id: &'a str,
) -> (bool, &'a str, &'a str) {
    (published.is_none(), published.unwrap_or(""), id)
}

pub(crate) fn u32s_to_blob(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn blob_to_u32s(blob: &[u8]) -> Vec<u32> {
    blob.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// A batch whose fingerprints and body keys are computed, ready for
/// [`Archive::commit_batch`]. Preparing only reads the archive, so it can run
/// on a reader connection (another thread) while the writer commits the
/// previous batch.
#[derive(Debug)]
pub struct PreparedBatch {
    items: Vec<IngestItem>,
    /// Per item: `None` when the article was already stored at preparation,
    /// else its fingerprint and body key hash.
    prepared: Vec<Option<(Option<Fingerprint>, String)>>,
}

impl PreparedBatch {
    /// Articles in the batch.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the batch holds no article.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl Archive {
    /// Stores a batch of articles in one transaction and groups each new one
    /// with its duplicates. Already stored articles are `Unchanged`.
    pub fn ingest_batch(
        &mut self,
        items: Vec<IngestItem>,
        now: i64,
        detector: &dyn DuplicateDetector,
    ) -> Result<Vec<IngestOutcome>, StoreError> {
        let prepared = self.prepare_batch(items, detector)?;
        self.commit_batch(prepared, now, detector)
    }

    /// Computes, in parallel, the fingerprints of the batch's articles not
    /// stored yet. Reads only: any connection to the archive (a reader
    /// included) may prepare a batch that the writer then commits.
    pub fn prepare_batch(
        &self,
        items: Vec<IngestItem>,
        detector: &dyn DuplicateDetector,
    ) -> Result<PreparedBatch, StoreError> {
        let known = self.known_ids(items.iter().map(|i| i.key.id.as_str()))?;
        let prepared = items
            .par_iter()
            .map(|item| {
                (!known.contains(&item.key.id)).then(|| {
                    (
                        detector.fingerprint(&item.article),
                        body_key_hash(&item.article.body),
                    )
                })
            })
            .collect();
        Ok(PreparedBatch { items, prepared })
    }

    /// Stores a prepared batch in one transaction (all or nothing), in order,
    /// so each article sees every article stored before it, this batch included.
    pub fn commit_batch(
        &mut self,
        batch: PreparedBatch,
        now: i64,
        detector: &dyn DuplicateDetector,
    ) -> Result<Vec<IngestOutcome>, StoreError> {
        self.write_transaction(|tx| {
            let mut outcomes = Vec::with_capacity(batch.items.len());
            let mut seen_in_batch = HashSet::new();
            for (item, prepared) in batch.items.iter().zip(&batch.prepared) {
                // Checked again inside the transaction: another writer may have
                // stored it since, and a batch may hold the same article twice.
                let exists: bool = seen_in_batch.contains(&item.key.id)
                    || tx.exists("SELECT 1 FROM articles WHERE id = ?1", params![item.key.id])?;
                if exists {
                    outcomes.push(IngestOutcome {
                        id: item.key.id.clone(),
                        stored: Stored::Unchanged,
                        group: None,
                        duplicate: None,
                    });
                    continue;
                }
                seen_in_batch.insert(item.key.id.clone());
                // Prepared as stored yet missing now happens when another
                // worker's batch was rolled back, or a batch prepared elsewhere.
                let computed;
                let (fingerprint, body_key) = match prepared {
                    Some((fingerprint, body_key)) => (fingerprint.as_ref(), body_key.as_str()),
                    None => {
                        computed = (
                            detector.fingerprint(&item.article),
                            body_key_hash(&item.article.body),
                        );
                        (computed.0.as_ref(), computed.1.as_str())
                    }
                };
                outcomes.push(store_one(tx, item, fingerprint, body_key, now, detector)?);
            }
            Ok(outcomes)
        })
    }

    /// Which of `ids` are stored already.
    fn known_ids<'a>(
        &self,
        ids: impl Iterator<Item = &'a str>,
    ) -> Result<HashSet<String>, StoreError> {
        let mut known = HashSet::new();
        for id in ids {
            if self
                .db
                .exists("SELECT 1 FROM articles WHERE id = ?1", params![id])
                .map_err(|e| self.db_error(e))?
            {
                known.insert(id.to_string());
            }
        }
        Ok(known)
    }

    /// Rebuilds signatures, LSH bands and duplicate groups from the stored
    /// articles, in storage order, in one transaction (all or nothing).
    pub fn reindex(
        &mut self,
        detector: &dyn DuplicateDetector,
    ) -> Result<ReindexSummary, StoreError> {
        const CHUNK: usize = 1000;
        self.write_transaction(|tx| {
            tx.execute_batch(
                "DELETE FROM lsh_bands; DELETE FROM signatures; DELETE FROM duplicates;",
            )?;
            let mut summary = ReindexSummary::default();
            let mut after = 0i64;
            loop {
                let rows: Vec<(i64, StoredRow)> = tx.query_map(
                    "SELECT seq, id, page_key, position, version, title, body, published, source, lang
                     FROM articles WHERE seq > ?1 ORDER BY seq LIMIT ?2",
                    params![after, CHUNK as i64],
                    |r| {
                        Ok((
                            r.get(0)?,
                            StoredRow {
                                id: r.get(1)?,
                                page_key: r.get(2)?,
                                position: r.get(3)?,
                                version: r.get(4)?,
                                article: Article {
                                    title: r.get(5)?,
                                    body: r.get(6)?,
                                    published: r.get(7)?,
                                    source: r.get(8)?,
                                    lang: r.get(9)?,
                                    ..Article::default()
                                },
                            },
                        ))
                    },
                )?;
                let Some((last, _)) = rows.last() else { break };
                after = *last;
                let fingerprints: Vec<Option<Fingerprint>> = rows
                    .par_iter()
                    .map(|(_, row)| detector.fingerprint(&row.article))
                    .collect();
                for ((seq, row), fingerprint) in rows.iter().zip(&fingerprints) {
                    summary.articles += 1;
                    if row.version > 1 {
                        retire_previous(tx, &row.page_key, row.position, row.version)?;
                    }
                    if let Some(fp) = fingerprint {
                        summary.fingerprinted += 1;
                        summary.band_keys += fp.bands.len() as u64;
                    }
                    assign_group(
                        tx,
                        *seq,
                        &row.id,
                        row.article.published.as_deref(),
                        fingerprint.as_ref(),
                        detector,
                    )?;
                }
            }
            summary.groups = tx.query_row(
                "SELECT count(DISTINCT group_id) FROM duplicates",
                params![],
                |r| r.get::<i64>(0),
            )? as u64;
            Ok(summary)
        })
    }
}

struct StoredRow {
    id: String,
    page_key: String,
    position: u32,
    version: u32,
    article: Article,
}

/// Writes one new article (page row, version bookkeeping, group).
fn store_one(
    tx: &Db,
    item: &IngestItem,
    fingerprint: Option<&Fingerprint>,
    body_key: &str,
    now: i64,
    detector: &dyn DuplicateDetector,
) -> DbResult<IngestOutcome> {
    let page = &item.page;
    tx.execute(
        "INSERT INTO pages (page_key, content_hash, origin, url, site, fetched, first_seen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
        params![
            item.key.page_key,
            page.content_hash,
            page.origin,
            page.url,
            page.site,
            page.fetched,
            now
        ],
    )?;
    let page_id: i64 = tx.query_row(
        "SELECT id FROM pages WHERE page_key = ?1 AND content_hash = ?2",
        params![item.key.page_key, page.content_hash],
        |r| r.get(0),
    )?;
    let previous: Option<u32> = tx.query_row(
        "SELECT max(version) FROM articles WHERE page_key = ?1 AND position = ?2",
        params![item.key.page_key, item.key.position],
        |r| r.get(0),
    )?;
    let version = previous.map_or(1, |v| v + 1);
    let a = &item.article;
    let seq = tx.insert_returning(
        "INSERT INTO articles (id, page_id, page_key, position, version, content_hash, body_key_hash,
                               title, body, published, source, lang, url, path, created)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            item.key.id,
            page_id,
            item.key.page_key,
            item.key.position,
            version,
            item.key.content_hash,
            body_key,
            a.title,
            a.body,
            a.published,
            a.source,
            a.lang,
            a.url,
            a.path,
            now
        ],
        "seq",
    )?;
    if version > 1 {
        retire_previous(tx, &item.key.page_key, item.key.position, version)?;
    }
    let (group, duplicate) = assign_group(
        tx,
        seq,
        &item.key.id,
        a.published.as_deref(),
        fingerprint,
        detector,
    )?;
    Ok(IngestOutcome {
        id: item.key.id.clone(),
        stored: if version > 1 {
            Stored::NewVersion(version)
        } else {
            Stored::New
        },
        group: Some(group),
        duplicate,
    })
}

/// Marks the version before `version` superseded and takes it out of
/// duplicate detection (its group row stays as history).
fn retire_previous(tx: &Db, page_key: &str, position: u32, version: u32) -> DbResult<()> {
    let previous: Option<i64> = tx.query_opt(
        "SELECT seq FROM articles WHERE page_key = ?1 AND position = ?2 AND version = ?3",
        params![page_key, position, version - 1],
        |r| r.get(0),
    )?;
    if let Some(seq) = previous {
        tx.execute(
            "UPDATE articles SET superseded = 1 WHERE seq = ?1",
            params![seq],
        )?;
        tx.execute("DELETE FROM lsh_bands WHERE article = ?1", params![seq])?;
        tx.execute("DELETE FROM signatures WHERE article = ?1", params![seq])?;
    }
    Ok(())
}

/// Finds the article's duplicates among the stored live articles, stores
/// its fingerprint, and puts it in a group (merging the groups it links and
/// moving the canonical when it is earlier). Returns (group id, match).
fn assign_group(
    tx: &Db,
    seq: i64,
    id: &str,
    published: Option<&str>,
    fingerprint: Option<&Fingerprint>,
    detector: &dyn DuplicateDetector,
) -> DbResult<(String, Option<DuplicateMatch>)> {
    // matched article seq → similarity
    let mut matched: BTreeMap<i64, f64> = BTreeMap::new();
    let mut exact = false;
    if let Some(fp) = fingerprint {
        let copy: Option<i64> = tx.query_opt(
            "SELECT article FROM signatures WHERE exact = ?1 ORDER BY article LIMIT 1",
            params![&fp.exact[..]],
            |r| r.get(0),
        )?;
        if let Some(copy) = copy {
            matched.insert(copy, 1.0);
            exact = true;
        } else if !fp.bands.is_empty() {
            let mut candidates = Vec::new();
            let mut seen = HashSet::new();
            // One query for every band (a round trip each on PostgreSQL);
            // the candidates are then taken band by band, each band's
            // articles in order, as a query per band would give them.
            let keys: Vec<Param<'_>> = fp.bands.iter().map(|&b| Param::Int(b as i64)).collect();
            let mut by_band: HashMap<i64, Vec<i64>> = HashMap::new();
            for (band, article) in tx.query_list(
                "SELECT band_key, article FROM lsh_bands WHERE band_key IN ({list})",
                &keys,
                |r| Ok((r.get::<i64>(0)?, r.get::<i64>(1)?)),
            )? {
                by_band.entry(band).or_default().push(article);
            }
            for articles in by_band.values_mut() {
                articles.sort_unstable();
                articles.dedup();
            }
            'bands: for band in &fp.bands {
                let rows = by_band.get(&(*band as i64)).map_or(&[][..], Vec::as_slice);
                for &other in rows {
                    if seen.insert(other) {
                        candidates.push(other);
                        if candidates.len() >= MAX_CANDIDATES {
                            break 'bands;
                        }
                    }
                }
            }
            candidates.sort_unstable();
            for other in candidates {
                let blob: Option<Vec<u8>> = tx.query_opt(
                    "SELECT shingles FROM signatures WHERE article = ?1",
                    params![other],
                    |r| r.get(0),
                )?;
                if let Some(similarity) = blob.and_then(|b| detector.verify(fp, &blob_to_u32s(&b)))
                {
                    matched.insert(other, similarity);
                }
            }
        }
        tx.execute(
            "INSERT INTO signatures (article, exact, minhash, shingles) VALUES (?1, ?2, ?3, ?4)",
            params![
                seq,
                &fp.exact[..],
                u32s_to_blob(&fp.minhash),
                u32s_to_blob(&fp.shingles)
            ],
        )?;
        let rows: Vec<Param<'_>> = fp
            .bands
            .iter()
            .flat_map(|&key| [Param::Int(key as i64), Param::Int(seq)])
            .collect();
        tx.insert_rows("INSERT INTO lsh_bands (band_key, article)", "", 2, &rows)?;
    }

    // The groups the matches belong to, with each group's canonical.
    let mut groups: BTreeMap<String, (Option<String>, String)> = BTreeMap::new();
    let mut best: Option<(i64, f64)> = None;
    for (&other, &similarity) in &matched {
        if best.is_none_or(|(_, s)| similarity > s) {
            best = Some((other, similarity));
        }
        let group: String = tx.query_row(
            "SELECT group_id FROM duplicates WHERE article = ?1",
            params![other],
            |r| r.get(0),
        )?;
        if !groups.contains_key(&group) {
            let canonical_published: Option<String> = tx
                .query_opt(
                    "SELECT published FROM articles WHERE id = ?1",
                    params![group],
                    |r| r.get::<Option<String>>(0),
                )?
                .flatten();
            groups.insert(group.clone(), (canonical_published, group));
        }
    }
    let mut winner = id.to_string();
    let mut winner_published = published.map(str::to_string);
    for (published, canonical) in groups.values() {
        if canonical_key(published.as_deref(), canonical)
            < canonical_key(winner_published.as_deref(), &winner)
        {
            winner.clone_from(canonical);
            winner_published.clone_from(published);
        }
    }
    for group in groups.keys() {
        if *group != winner {
            tx.execute(
                "UPDATE duplicates SET group_id = ?1 WHERE group_id = ?2",
                params![winner, group],
            )?;
        }
    }
    let duplicate = match best {
        Some((other, similarity)) => Some(DuplicateMatch {
            of: tx.query_row(
                "SELECT id FROM articles WHERE seq = ?1",
                params![other],
                |r| r.get(0),
            )?,
            similarity,
            exact,
        }),
        None => None,
    };
    let kind = match &duplicate {
        None => "new",
        Some(d) if d.exact => "exact",
        Some(_) => "near",
    };
    tx.execute(
        "INSERT INTO duplicates (article, group_id, kind, similarity) VALUES (?1, ?2, ?3, ?4)",
        params![seq, winner, kind, duplicate.as_ref().map(|d| d.similarity)],
    )?;
    Ok((winner, duplicate))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::{ArchiveTestExt, ArticleQuery, OpenOptions};
    use proptest::prelude::*;
    use xxhash_rust::xxh3::xxh3_64;

    /// Word-trigram Jaccard with bottom-4 band keys: small and exact enough
    /// to exercise the store's candidate search and group bookkeeping (the
    /// bulk loader's tests use it too).
    pub(crate) struct Trigrams;

    impl DuplicateDetector for Trigrams {
        fn fingerprint(&self, article: &Article) -> Option<Fingerprint> {
            let exact = ExactOnly.fingerprint(article)?;
            let key = rasd_text::normalize::matching_key(&article.body);
            let words: Vec<&str> = key.split_whitespace().collect();
            let mut shingles: Vec<u32> = words
                .windows(3.min(words.len()).max(1))
                .map(|w| xxh3_64(w.join(" ").as_bytes()) as u32)
                .collect();
            shingles.sort_unstable();
            shingles.dedup();
            let bands = shingles.iter().take(4).map(|&s| u64::from(s)).collect();
            Some(Fingerprint {
                shingles,
                bands,
                ..exact
            })
        }

        fn verify(&self, new: &Fingerprint, stored: &[u32]) -> Option<f64> {
            let a: HashSet<_> = new.shingles.iter().collect();
            let b: HashSet<_> = stored.iter().collect();
            let j = a.intersection(&b).count() as f64 / a.union(&b).count().max(1) as f64;
            (j >= 0.6).then_some(j)
        }
    }

    const WIRE: &str = "أعلنت وزارة الداخلية اليوم القبض على خلية إرهابية في المنطقة الشرقية \
        تضم عشرة أشخاص كانوا يخططون لتنفيذ عمليات تستهدف منشآت حكومية ومساجد \
        وأوضح المتحدث الأمني أن التحقيقات مستمرة مع الموقوفين";

    fn article(url: &str, source: &str, published: Option<&str>, body: &str) -> Article {
        Article {
            url: Some(url.into()),
            title: Some("القبض على خلية إرهابية".into()),
            body: body.into(),
            published: published.map(str::to_string),
            source: Some(source.into()),
            lang: Some("ar".into()),
            ..Article::default()
        }
    }

    fn items(articles: &[Article]) -> Vec<IngestItem> {
        articles
            .iter()
            .map(|a| IngestItem::from_article(a.clone(), 0))
            .collect()
    }

    fn open() -> (tempfile::TempDir, Archive) {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(dir.path(), &OpenOptions::writer()).unwrap();
        (dir, archive)
    }

    #[test]
    fn exact_and_near_copies_join_the_earliest_articles_group() {
        let (_dir, mut archive) = open();
        let original = article("https://spa.gov.sa/1", "واس", Some("2015-07-21"), WIRE);
        let exact = article(
            "https://sabq.org/9",
            "سبق",
            Some("2015-07-22"),
            &WIRE.replace("اليوم", "اليـــوم"),
        );
        let near = article(
            "https://okaz.com.sa/4",
            "عكاظ",
            Some("2015-07-22"),
            &format!("{WIRE} وأكد أن الأجهزة الأمنية"),
        );
        let other = article(
            "https://x.sa/2",
            "الرياض",
            Some("2015-07-21"),
            "خبر آخر مختلف تماما عن الطقس في جدة",
        );
        let out = archive
            .ingest_batch(items(&[original.clone(), exact, near, other]), 0, &Trigrams)
            .unwrap();
        let first = out[0].id.clone();
        assert_eq!(out[0].group.as_deref(), Some(first.as_str()));
        assert!(out[1].duplicate.as_ref().unwrap().exact);
        assert_eq!(out[1].group.as_deref(), Some(first.as_str()));
        let near_match = out[2].duplicate.as_ref().unwrap();
        assert!(
            !near_match.exact && near_match.similarity >= 0.6,
            "{near_match:?}"
        );
        assert_eq!(out[2].group.as_deref(), Some(first.as_str()));
        assert_eq!(out[3].group.as_deref(), Some(out[3].id.as_str()));
        let group = archive.group(&first).unwrap();
        assert_eq!(group.members.len(), 3);
        assert!(group.members[0].canonical);
    }

    #[test]
    fn batches_prepared_on_a_reader_commit_like_ingest_batch() {
        let (dir, mut archive) = open();
        let reader = Archive::open(dir.path(), &OpenOptions::reader()).unwrap();
        let original = article("https://spa.gov.sa/1", "واس", Some("2015-07-21"), WIRE);
        let copy = article("https://sabq.org/9", "سبق", Some("2015-07-22"), WIRE);
        // The next batch is prepared before the writer commits the first one,
        // as the ingest pipeline does: its copy is still grouped, and the
        // article prepared as new but stored meanwhile comes out unchanged.
        let first = reader
            .prepare_batch(items(std::slice::from_ref(&original)), &Trigrams)
            .unwrap();
        let second = reader
            .prepare_batch(items(&[original, copy]), &Trigrams)
            .unwrap();
        assert_eq!((first.len(), second.len()), (1, 2));
        let out = archive.commit_batch(first, 0, &Trigrams).unwrap();
        assert_eq!(out[0].stored, Stored::New);
        let again = archive.commit_batch(second, 0, &Trigrams).unwrap();
        assert_eq!(again[0].stored, Stored::Unchanged);
        assert_eq!(again[1].stored, Stored::New);
        assert!(again[1].duplicate.as_ref().is_some_and(|d| d.exact));
        assert_eq!(again[1].group, Some(out[0].id.clone()));
        // Prepared after the commit, the stored article is skipped up front.
        let known = reader
            .prepare_batch(
                items(&[article(
                    "https://spa.gov.sa/1",
                    "واس",
                    Some("2015-07-21"),
                    WIRE,
                )]),
                &Trigrams,
            )
            .unwrap();
        assert!(known.prepared[0].is_none());
        assert_eq!(archive.foreign_key_violations(), 0);
    }

    #[test]
    fn an_earlier_copy_arriving_later_becomes_the_canonical() {
        let (_dir, mut archive) = open();
        let late = article("https://sabq.org/9", "سبق", Some("2015-07-22"), WIRE);
        let later = article("https://okaz.com.sa/4", "عكاظ", Some("2015-07-23"), WIRE);
        let out = archive
            .ingest_batch(items(&[late, later]), 0, &Trigrams)
            .unwrap();
        assert_eq!(out[1].group, Some(out[0].id.clone()));
        let early = article("https://spa.gov.sa/1", "واس", Some("2015-07-21"), WIRE);
        let out2 = archive.ingest_batch(items(&[early]), 0, &Trigrams).unwrap();
        let canonical = out2[0].id.clone();
        assert_eq!(out2[0].group.as_deref(), Some(canonical.as_str()));
        for a in archive.articles(&ArticleQuery::default()).unwrap() {
            assert_eq!(
                a.duplicate_group.as_deref(),
                Some(canonical.as_str()),
                "{}",
                a.id
            );
        }
        let detail = archive.article(&out[0].id).unwrap().unwrap();
        let group = detail.group.unwrap();
        assert_eq!(group.canonical, canonical);
        assert_eq!(group.members.len(), 3);
        assert_eq!(group.members[0].source.as_deref(), Some("واس"));
    }

    #[test]
    fn empty_bodies_never_group() {
        let (_dir, mut archive) = open();
        let a = article("https://a.sa/1", "أ", None, "  ");
        let b = article("https://b.sa/1", "ب", None, "");
        let out = archive.ingest_batch(items(&[a, b]), 0, &Trigrams).unwrap();
        assert_ne!(out[0].group, out[1].group);
        assert!(out.iter().all(|o| o.duplicate.is_none()));
    }

    #[test]
    fn a_changed_page_adds_a_version_and_keeps_the_old_one() {
        let (_dir, mut archive) = open();
        let v1 = article("https://sabq.org/9", "سبق", Some("2015-07-22"), WIRE);
        let mut v2 = v1.clone();
        v2.title = Some("تحديث: القبض على خلية إرهابية".into());
        let out1 = archive
            .ingest_batch(items(std::slice::from_ref(&v1)), 0, &Trigrams)
            .unwrap();
        let out2 = archive
            .ingest_batch(items(&[v2, v1]), 1, &Trigrams)
            .unwrap();
        assert_eq!(out2[0].stored, Stored::NewVersion(2));
        assert_eq!(out2[1].stored, Stored::Unchanged);
        let current = archive.articles(&ArticleQuery::default()).unwrap();
        assert_eq!(current.len(), 1);
        assert_eq!(current[0].version, 2);
        let all = ArticleQuery {
            all_versions: true,
            ..ArticleQuery::default()
        };
        assert_eq!(archive.articles(&all).unwrap().len(), 2);
        let detail = archive.article(&out1[0].id).unwrap().unwrap();
        assert!(detail.superseded);
        assert_eq!(detail.versions.len(), 2);
        let stats = archive.stats().unwrap();
        assert_eq!((stats.articles, stats.versions), (1, 2));
    }

    #[test]
    fn reindex_rebuilds_the_same_groups() {
        let (_dir, mut archive) = open();
        let batch = [
            article("https://sabq.org/9", "سبق", Some("2015-07-22"), WIRE),
            article("https://spa.gov.sa/1", "واس", Some("2015-07-21"), WIRE),
            article(
                "https://x.sa/2",
                "الرياض",
                None,
                "خبر عن الطقس الحار في مدينة جدة اليوم",
            ),
        ];
        archive.ingest_batch(items(&batch), 0, &Trigrams).unwrap();
        let before = archive.articles(&ArticleQuery::default()).unwrap();
        let summary = archive.reindex(&Trigrams).unwrap();
        assert_eq!((summary.articles, summary.groups), (3, 2));
        assert_eq!(archive.articles(&ArticleQuery::default()).unwrap(), before);
        archive.integrity_check().unwrap();
        assert_eq!(archive.foreign_key_violations(), 0);
    }

    #[test]
    fn listing_filters_by_source_and_day() {
        let (_dir, mut archive) = open();
        let batch = [
            article(
                "https://sabq.org/1",
                "سبق",
                Some("2015-07-21T10:00:00+03:00"),
                "خبر أول عن الرياض",
            ),
            article(
                "https://sabq.org/2",
                "سبق",
                Some("2015-07-23"),
                "خبر ثان عن جدة",
            ),
            article(
                "https://okaz.com.sa/3",
                "عكاظ",
                Some("2015-07-22"),
                "خبر ثالث عن مكة",
            ),
        ];
        archive.ingest_batch(items(&batch), 0, &Trigrams).unwrap();
        let q = ArticleQuery {
            source: Some("سبق".into()),
            since: Some("2015-07-21".into()),
            until: Some("2015-07-22".into()),
            ..ArticleQuery::default()
        };
        let found = archive.articles(&q).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].url.as_deref(), Some("https://sabq.org/1"));
        let paged = ArticleQuery {
            limit: Some(1),
            offset: 1,
            ..ArticleQuery::default()
        };
        assert_eq!(
            archive.articles(&paged).unwrap()[0].source.as_deref(),
            Some("عكاظ")
        );
        let stats = archive.stats().unwrap();
        assert_eq!(stats.by_source[0].key.as_deref(), Some("سبق"));
        assert_eq!(stats.by_day.len(), 3);
    }

    #[test]
    fn a_size_cap_fails_the_batch_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let mut options = OpenOptions::writer();
        options.max_size_bytes = Some(200 * 1024);
        let mut archive = Archive::open(dir.path(), &options).unwrap();
        let small = article("https://a.sa/0", "أ", None, WIRE);
        archive.ingest_batch(items(&[small]), 0, &Trigrams).unwrap();
        let big: Vec<Article> = (0..200)
            .map(|i| {
                article(
                    &format!("https://a.sa/{i}x"),
                    "أ",
                    None,
                    &format!("{i} {}", WIRE.repeat(20)),
                )
            })
            .collect();
        let err = archive.ingest_batch(items(&big), 0, &Trigrams).unwrap_err();
        assert!(matches!(err, StoreError::Full { .. }), "{err}");
        assert_eq!(
            archive.stats().unwrap().articles,
            1,
            "the failed batch left nothing"
        );
        archive.integrity_check().unwrap();
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Whatever the arrival order, every article's group is its
        /// component's earliest member, and re-ingesting adds nothing.
        #[test]
        fn groups_do_not_depend_on_arrival_order(order in Just((0..6usize).collect::<Vec<_>>()).prop_shuffle()) {
            let dates = ["2015-07-25", "2015-07-21", "2015-07-23", "2015-07-22", "2015-07-24", "2015-07-26"];
            let all: Vec<Article> = (0..6)
                .map(|i| {
                    let body = if i % 2 == 0 { WIRE.to_string() } else { format!("{WIRE} مع إضافة") };
                    article(&format!("https://n{i}.sa/"), "م", Some(dates[i]), &body)
                })
                .collect();
            let (_dir, mut archive) = open();
            let shuffled: Vec<Article> = order.iter().map(|&i| all[i].clone()).collect();
            archive.ingest_batch(items(&shuffled), 0, &Trigrams).unwrap();
            let again = archive.ingest_batch(items(&shuffled), 0, &Trigrams).unwrap();
            prop_assert!(again.iter().all(|o| !o.is_stored()));
            let canonical = ArticleKey::new(&all[1], 0).id;
            for a in archive.articles(&ArticleQuery::default()).unwrap() {
                prop_assert_eq!(a.duplicate_group.as_deref(), Some(canonical.as_str()));
            }
        }
    }
}
