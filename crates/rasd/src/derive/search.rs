//! The search stage of ingest: keeps `<data>/search/` in step with the store.
//!
//! In: the ids a committed batch stored. Out: those articles (with their
//! entities) upserted into the index, the versions they supersede removed,
//! one commit per batch. When the index is missing but the archive already
//! holds articles, it is first rebuilt from the store ([`rebuild`]).

use std::path::PathBuf;

use anyhow::Context;
use rasd_search::{IndexDoc, SearchIndex, INDEX_DIR};
use rasd_store::{Archive, ArticleQuery, StoredArticle};
use serde::Serialize;

/// Articles read from the store per upsert while rebuilding.
const REBUILD_BATCH: usize = 1_000;

/// The search stage's state between batches.
pub struct SearchStage {
    index: SearchIndex,
    summary: SearchSummary,
}

/// What the search stage did in one run.
#[derive(Debug, Default, Serialize)]
pub struct SearchSummary {
    /// Articles indexed (new articles and new versions).
    pub indexed: u64,
    /// Superseded versions removed from the index.
    pub removed: u64,
    /// Articles indexed from the store because the index was missing.
    pub rebuilt: u64,
    /// Documents in the index at the end.
    pub documents: u64,
}

/// Where the index of the archive in `data_dir` lives.
pub fn index_dir(data_dir: &std::path::Path) -> PathBuf {
    data_dir.join(INDEX_DIR)
}

/// Whether the archive in `data_dir` has a search index.
pub fn index_exists(data_dir: &std::path::Path) -> bool {
    index_dir(data_dir).join("meta.json").is_file()
}

/// What the index holds of one stored article.
fn index_doc(archive: &Archive, article: StoredArticle) -> anyhow::Result<IndexDoc> {
    let entities = archive
        .entity_ids_of(&article.id)
        .with_context(|| format!("entities of article {}", article.id))?;
    Ok(IndexDoc {
        id: article.id,
        url: article.url,
        path: article.path,
        title: article.title,
        body: article.body,
        source: article.source,
        published: article.published,
        lang: article.lang,
        entities,
    })
}

/// Replaces the index's content with every current article of the store;
/// returns how many were indexed.
pub fn rebuild(archive: &Archive, index: &mut SearchIndex) -> anyhow::Result<u64> {
    index.clear()?;
    let mut batch = Vec::with_capacity(REBUILD_BATCH);
    let mut count = 0u64;
    archive.for_each_article(&ArticleQuery::default(), |article| {
        batch.push(index_doc(archive, article)?);
        if batch.len() == REBUILD_BATCH {
            index.upsert(&batch)?;
            count += batch.len() as u64;
            batch.clear();
        }
        anyhow::Ok(())
    })?;
    index.upsert(&batch)?;
    count += batch.len() as u64;
    index.commit()?;
    Ok(count)
}

/// Opens the index of `archive` for writing, rebuilding it from the store
/// when it is missing; returns it and how many articles a rebuild indexed.
pub fn open_or_rebuild(archive: &Archive) -> anyhow::Result<(SearchIndex, u64)> {
    let existed = index_exists(archive.dir());
    let mut index = SearchIndex::open(&index_dir(archive.dir()), true)?;
    let rebuilt = if existed {
        0
    } else {
        rebuild(archive, &mut index)?
    };
    Ok((index, rebuilt))
}

impl SearchStage {
    pub fn open(archive: &Archive) -> anyhow::Result<SearchStage> {
        let (index, rebuilt) = open_or_rebuild(archive)?;
        Ok(SearchStage {
            index,
            summary: SearchSummary {
                rebuilt,
                ..SearchSummary::default()
            },
        })
    }

    pub fn after_batch(&mut self, archive: &mut Archive, stored: &[String]) -> anyhow::Result<()> {
        let mut docs = Vec::with_capacity(stored.len());
        let mut superseded = Vec::new();
        for id in stored {
            let Some(detail) = archive.article(id)? else {
                continue;
            };
            superseded.extend(
                detail
                    .versions
                    .iter()
                    .filter(|v| v.superseded && v.id != *id)
                    .map(|v| v.id.clone()),
            );
            if !detail.superseded {
                docs.push(index_doc(archive, detail.article)?);
            }
        }
        self.index.delete(&superseded)?;
        self.index.upsert(&docs)?;
        self.index.commit()?;
        self.summary.indexed += docs.len() as u64;
        self.summary.removed += superseded.len() as u64;
        Ok(())
    }

    pub fn finish(self, archive: &mut Archive) -> anyhow::Result<SearchSummary> {
        let _ = archive;
        let mut summary = self.summary;
        summary.documents = self.index.num_docs();
        self.index.close()?;
        Ok(summary)
    }
}
