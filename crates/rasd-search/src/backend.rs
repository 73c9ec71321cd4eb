//! The search engine behind rasd, as a trait.
//!
//! In: [`IndexDoc`]s to index or delete and [`SearchRequest`]s; out:
//! [`SearchResults`] (hits, snippets, facets, story collapse) and a
//! [`SearchBackend::generation`] that changes whenever what a search sees
//! changes. The server and `rasd search` hold a `dyn SearchBackend`, so an
//! engine other than the local tantivy [`SearchIndex`] (a distributed one
//! shared by several API servers) can be added without touching them.

use crate::{IndexDoc, SearchError, SearchIndex, SearchRequest, SearchResults, StoriesOf};

/// A full-text engine over the archive's articles.
///
/// Reads take `&self` and may run on many threads at once; writes take
/// `&mut self` and become visible at [`SearchBackend::commit`] (in this
/// process) or at the next [`SearchBackend::reload`] (in another).
pub trait SearchBackend: Send + Sync {
    /// Runs a query; `stories_of` gives the hits' stories, and the
    /// collapse when `request.collapse` asks for one hit per story. Facets come with the
    /// results when `request.facets` is set.
    fn search(
        &self,
        request: &SearchRequest,
        stories_of: &StoriesOf,
    ) -> Result<SearchResults, SearchError>;

    /// Adds or replaces documents (by id), visible after the next commit.
    fn upsert(&mut self, docs: &[IndexDoc]) -> Result<(), SearchError>;

    /// Removes documents by article id, visible after the next commit.
    fn delete(&mut self, ids: &[String]) -> Result<(), SearchError>;

    /// Makes the writes durable and visible.
    fn commit(&mut self) -> Result<(), SearchError>;

    /// Picks up commits made elsewhere.
    fn reload(&self) -> Result<(), SearchError>;

    /// Changes whenever the searchable content changes (a commit or a
    /// reload that found one); equal generations give equal results, so it
    /// keys caches of results.
    fn generation(&self) -> u64;

    /// Documents a search can find.
    fn num_docs(&self) -> u64;
}

impl SearchBackend for SearchIndex {
    fn search(
        &self,
        request: &SearchRequest,
        stories_of: &StoriesOf,
    ) -> Result<SearchResults, SearchError> {
        SearchIndex::search(self, request, stories_of)
    }

    fn upsert(&mut self, docs: &[IndexDoc]) -> Result<(), SearchError> {
        SearchIndex::upsert(self, docs)
    }

    fn delete(&mut self, ids: &[String]) -> Result<(), SearchError> {
        SearchIndex::delete(self, ids)
    }

    fn commit(&mut self) -> Result<(), SearchError> {
        SearchIndex::commit(self)
    }

    fn reload(&self) -> Result<(), SearchError> {
        SearchIndex::reload(self)
    }

    fn generation(&self) -> u64 {
        SearchIndex::generation(self)
    }

    fn num_docs(&self) -> u64 {
        SearchIndex::num_docs(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, body: &str) -> IndexDoc {
        IndexDoc {
            id: id.into(),
            title: Some("خبر".into()),
            body: body.into(),
            ..IndexDoc::default()
        }
    }

    #[test]
    fn a_trait_object_indexes_searches_and_moves_its_generation() {
        let dir = tempfile::tempdir().unwrap();
        let mut backend: Box<dyn SearchBackend> =
            Box::new(SearchIndex::open(dir.path(), true).unwrap());
        let empty = backend.generation();
        backend
            .upsert(&[
                article("a", "هطلت أمطار غزيرة على جدة"),
                article("b", "افتتح مؤتمر للسلام في الرياض"),
            ])
            .unwrap();
        backend.commit().unwrap();
        let first = backend.generation();
        assert_ne!(first, empty);
        let request = SearchRequest {
            query: "والأمطار".into(),
            limit: 10,
            ..SearchRequest::default()
        };
        let found = backend.search(&request, &crate::no_stories).unwrap();
        assert_eq!(found.total, 1);
        assert_eq!(found.hits[0].id, "a");
        // A reload that finds nothing new keeps the generation.
        backend.reload().unwrap();
        assert_eq!(backend.generation(), first);
        backend.delete(&["a".to_string()]).unwrap();
        backend.commit().unwrap();
        assert_ne!(backend.generation(), first);
        assert_eq!(
            backend.search(&request, &crate::no_stories).unwrap().total,
            0
        );
        assert_eq!(backend.num_docs(), 1);
    }
}
