//! The on-disk index: open or create it, write articles, run searches.
//!
//! In: [`IndexDoc`]s and [`SearchRequest`]s. Out: a tantivy index in one
//! directory and [`SearchResults`]. Writes go through one writer (tantivy
//! holds a lock file, so a second writer on the same directory fails with
//! an error, not corruption); readers see a commit after
//! [`SearchIndex::commit`] or [`SearchIndex::reload`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tantivy::collector::{Count, TopDocs};
use tantivy::columnar::StrColumn;
use tantivy::query::{EnableScoring, Query};
use tantivy::schema::document::{DeserializeError, DocumentDeserialize, DocumentDeserializer};
use tantivy::schema::{Field, TantivyDocument, Value};
use tantivy::{
    DocAddress, DocSet, Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, Searcher,
    Term, TERMINATED,
};

use crate::analyzer::{self, exact_analyzer, stemmed_analyzer};
use crate::facets::FacetCollector;
use crate::query::{compile, Analyzers};
use crate::schema::{self, day_number, Analyzer, Fields};
use crate::snippet::{Snippets, SNIPPET_SCAN_BYTES};
use crate::{Facets, Hit, IndexDoc, SearchError, SearchRequest, SearchResults, StoriesOf};

/// Most hits one page returns.
pub const MAX_LIMIT: usize = 1_000;
/// Deepest page start accepted.
pub const MAX_OFFSET: usize = 10_000;
/// With `collapse`, this many article hits per requested story are read.
const COLLAPSE_DEPTH: usize = 5;
/// Body text beyond this many bytes is not indexed (nor kept for snippets).
pub const MAX_BODY_BYTES: usize = 1 << 20;
/// Matches are counted one by one up to this many; past it the total is
/// this bound and `total_exact` is false (unless the request asks for an
/// exact count, or for facets, which visit every match anyway). Like
/// Elasticsearch's `track_total_hits`: counting every match of a common
/// word costs more than finding the page, and nobody pages that far.
pub const TOTAL_COUNT_BOUND: u64 = 10_000;
/// Stored documents are compressed in blocks of about this many bytes, and
/// a hit decompresses its whole block. tantivy's default (16 KiB) holds
/// about six of our documents (a title and a body lead of at most 2 KiB),
/// so loading a page of hits spent most of its time decompressing
/// neighbours; 4 KiB blocks make the store 14% bigger (37.0 against
/// 32.5 MB for the 31k SaudiNewsNet articles).
const DOCSTORE_BLOCK_BYTES: usize = 4_096;

/// How to open an index.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// The analyzer of a new index (an existing one keeps its own).
    pub analyzer: Analyzer,
    /// Memory the writer may buffer before flushing a segment, all threads together.
    pub writer_heap_bytes: usize,
    /// Indexing threads.
    pub writer_threads: usize,
}

impl Default for IndexOptions {
    fn default() -> IndexOptions {
        IndexOptions {
            analyzer: Analyzer::Arabic,
            writer_heap_bytes: 100_000_000,
            writer_threads: 1,
        }
    }
}

/// A tantivy index of articles with the Arabic analyzer.
pub struct SearchIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    writer: Option<IndexWriter>,
    fields: Fields,
}

impl SearchIndex {
    /// Opens the index in `dir` (creating it when `create`), for reading and
    /// (when `create`) writing.
    pub fn open(dir: &Path, create: bool) -> Result<SearchIndex, SearchError> {
        SearchIndex::open_with(dir, create, &IndexOptions::default())
    }

    /// [`SearchIndex::open`] with explicit options.
    pub fn open_with(
        dir: &Path,
        create: bool,
        options: &IndexOptions,
    ) -> Result<SearchIndex, SearchError> {
        let fail = |message: String| SearchError::Index {
            path: dir.to_path_buf(),
            message,
        };
        let exists = dir.join("meta.json").is_file();
        let index = if exists {
            Index::open_in_dir(dir).map_err(|e| fail(e.to_string()))?
        } else if create {
            std::fs::create_dir_all(dir).map_err(|e| fail(e.to_string()))?;
            let settings = IndexSettings {
                docstore_blocksize: DOCSTORE_BLOCK_BYTES,
                ..IndexSettings::default()
            };
            Index::builder()
                .schema(schema::build(options.analyzer))
                .settings(settings)
                .create_in_dir(dir)
                .map_err(|e| fail(e.to_string()))?
        } else {
            return Err(fail("no search index here".into()));
        };
        let fields = Fields::of(&index.schema())
            .ok_or_else(|| fail("not a rasd search index (fields missing)".into()))?;
        index
            .tokenizers()
            .register(analyzer::EXACT, exact_analyzer());
        index
            .tokenizers()
            .register(analyzer::STEMMED, stemmed_analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e: tantivy::TantivyError| fail(e.to_string()))?;
        let writer = if create {
            let threads = options.writer_threads.clamp(1, 8);
            // tantivy wants at least 15 MB per thread.
            let heap = options.writer_heap_bytes.max(threads * 20_000_000);
            Some(
                index
                    .writer_with_num_threads(threads, heap)
                    .map_err(|e| fail(format!("cannot open the writer: {e}")))?,
            )
        } else {
            None
        };
        Ok(SearchIndex {
            dir: dir.to_path_buf(),
            index,
            reader,
            writer,
            fields,
        })
    }

    fn fail(&self, message: impl std::fmt::Display) -> SearchError {
        SearchError::Index {
            path: self.dir.clone(),
            message: message.to_string(),
        }
    }

    fn writer(&mut self) -> Result<&IndexWriter, SearchError> {
        match &self.writer {
            Some(w) => Ok(w),
            None => Err(self.fail("opened read-only")),
        }
    }

    /// Adds or replaces documents (by id), not yet visible.
    pub fn upsert(&mut self, docs: &[IndexDoc]) -> Result<(), SearchError> {
        let f = self.fields.clone();
        let writer = self.writer()?;
        let mut failure = None;
        for doc in docs {
            writer.delete_term(Term::from_field_text(f.id, &doc.id));
            if let Err(e) = writer.add_document(tantivy_doc(&f, doc)) {
                failure = Some(format!("article {}: {e}", doc.id));
                break;
            }
        }
        match failure {
            Some(message) => Err(self.fail(message)),
            None => Ok(()),
        }
    }

    /// Removes documents by article id.
    pub fn delete(&mut self, ids: &[String]) -> Result<(), SearchError> {
        let id = self.fields.id;
        let writer = self.writer()?;
        for i in ids {
            writer.delete_term(Term::from_field_text(id, i));
        }
        Ok(())
    }

    /// Removes every document (before a rebuild).
    pub fn clear(&mut self) -> Result<(), SearchError> {
        let result = self.writer()?.delete_all_documents();
        result.map(|_| ()).map_err(|e| self.fail(e))
    }

    /// Makes changes durable and visible to readers.
    pub fn commit(&mut self) -> Result<(), SearchError> {
        let result = match &mut self.writer {
            Some(w) => w.commit().map(|_| ()),
            None => return Err(self.fail("opened read-only")),
        };
        result.map_err(|e| self.fail(e))?;
        self.reload()
    }

    /// Waits for background segment merges and releases the writer lock.
    pub fn close(mut self) -> Result<(), SearchError> {
        match self.writer.take() {
            Some(w) => w.wait_merging_threads().map_err(|e| self.fail(e)),
            None => Ok(()),
        }
    }

    /// Picks up commits made by another process (a running server after `rasd ingest`).
    pub fn reload(&self) -> Result<(), SearchError> {
        self.reader.reload().map_err(|e| self.fail(e))
    }

    /// Changes whenever the committed segments (or their deletions) the
    /// readers see change; a reload that found nothing keeps it.
    pub fn generation(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let searcher = self.reader.searcher();
        // SipHash with fixed keys: the same segments give the same number.
        let mut hasher = std::hash::DefaultHasher::new();
        for (segment, deletes) in searcher.generation().segments() {
            segment.uuid_string().hash(&mut hasher);
            deletes.hash(&mut hasher);
        }
        hasher.finish()
    }

    /// Merges every segment into one and waits for it: after a bulk build,
    /// a query then walks one posting list per term instead of one per segment.
    pub fn merge_segments(&mut self) -> Result<(), SearchError> {
        let ids = self
            .index
            .searchable_segment_ids()
            .map_err(|e| self.fail(e))?;
        if ids.len() > 1 {
            let writer = match &mut self.writer {
                Some(w) => w,
                None => return Err(self.fail("opened read-only")),
            };
            let merged = writer.merge(&ids).wait();
            merged.map_err(|e| self.fail(e))?;
        }
        self.reload()
    }

    /// Segments the readers see.
    pub fn num_segments(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Bytes the index takes on disk.
    pub fn size_on_disk(&self) -> u64 {
        std::fs::read_dir(&self.dir)
            .map(|entries| {
                entries
                    .flatten()
                    .filter_map(|e| e.metadata().ok())
                    .filter(|m| m.is_file())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    }

    /// Runs a query. `stories_of` gives the stories of article ids (the
    /// caller reads the store): each hit's story, and the collapse into
    /// stories when `request.collapse` is set.
    pub fn search(
        &self,
        request: &SearchRequest,
        stories_of: &StoriesOf,
    ) -> Result<SearchResults, SearchError> {
        let f = &self.fields;
        let tokenizer = |field: Field| {
            self.index
                .tokenizer_for_field(field)
                .map_err(|e| self.fail(e))
        };
        let mut analyzers = Analyzers {
            exact: tokenizer(f.body_exact)?,
            stemmed: tokenizer(f.body_stem)?,
        };
        let compiled = compile(request, f, &mut analyzers)?;
        let wants_facets = request.facets.then_some(FacetCollector);
        if !compiled.matchable {
            return Ok(SearchResults {
                total: 0,
                total_exact: true,
                hits: Vec::new(),
                facets: wants_facets.map(|_| Facets::default()),
            });
        }
        let limit = request.limit.clamp(1, MAX_LIMIT);
        let offset = request.offset.min(MAX_OFFSET);
        let searcher = self.reader.searcher();
        let query = compiled.query.as_ref();
        // The page alone, with nothing else in the collector: TopDocs then
        // drives the query's pruning path (block-WAND over a disjunction of
        // terms), which skips the blocks that cannot reach the page.
        let top = if request.collapse {
            TopDocs::with_limit((offset + limit) * COLLAPSE_DEPTH).order_by_score()
        } else {
            TopDocs::with_limit(limit)
                .and_offset(offset)
                .order_by_score()
        };
        let top = searcher.search(query, &top).map_err(|e| self.fail(e))?;
        // The total and the facets need every match but no score.
        let ((total, total_exact), facets) = match wants_facets {
            Some(facets) => {
                let (n, f) = searcher
                    .search(query, &(Count, facets))
                    .map_err(|e| self.fail(e))?;
                ((n as u64, true), Some(f))
            }
            None if request.exact_total => {
                let n = query.count(&searcher).map_err(|e| self.fail(e))?;
                ((n as u64, true), None)
            }
            None => (self.count_up_to(&searcher, query, TOTAL_COUNT_BOUND)?, None),
        };
        let snippets = (!request.without_snippets)
            .then(|| Snippets::new(&compiled.exact_terms, &compiled.stem_terms));
        let load = |addr: DocAddress| -> Result<StoredText, SearchError> {
            searcher.doc(addr).map_err(|e| self.fail(e))
        };
        let hits = if request.collapse {
            let addresses: Vec<DocAddress> = top.iter().map(|&(_, addr)| addr).collect();
            let ids = self.ids_of(&searcher, &addresses)?;
            let stories = stories_of(&ids);
            let candidates = top
                .into_iter()
                .zip(stories)
                .map(|((score, addr), story)| (score, addr, story))
                .collect();
            let mut hits = Vec::new();
            for (score, addr, story, also) in
                collapse(candidates).into_iter().skip(offset).take(limit)
            {
                let mut hit = self.hit(load(addr)?, score, snippets.as_ref());
                hit.story = story;
                hit.also_in_story = also;
                hits.push(hit);
            }
            hits
        } else {
            let mut hits = Vec::with_capacity(top.len());
            for (score, addr) in top {
                hits.push(self.hit(load(addr)?, score, snippets.as_ref()));
            }
            // The whole page's stories in one call: one store query, not one per hit.
            let ids: Vec<String> = hits.iter().map(|h| h.id.clone()).collect();
            for (hit, story) in hits.iter_mut().zip(stories_of(&ids)) {
                hit.story = story;
            }
            hits
        };
        Ok(SearchResults {
            total,
            total_exact,
            hits,
            facets,
        })
    }

    /// The matches of `query`, counted up to `bound`: `(n, true)` when there
    /// are `n <= bound`, `(bound, false)` when there are more.
    fn count_up_to(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        bound: u64,
    ) -> Result<(u64, bool), SearchError> {
        let weight = query
            .weight(EnableScoring::disabled_from_searcher(searcher))
            .map_err(|e| self.fail(e))?;
        let mut n = 0u64;
        for segment in searcher.segment_readers() {
            let alive = segment.alive_bitset();
            let mut matches = weight.scorer(segment, 1.0).map_err(|e| self.fail(e))?;
            let mut doc = matches.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    if n == bound {
                        return Ok((bound, false));
                    }
                    n += 1;
                }
                doc = matches.advance();
            }
        }
        Ok((n, true))
    }

    /// The article ids of `addresses`, from the `id` fast field (no stored
    /// document is decompressed); indexes built before it was fast fall back
    /// to the stored field.
    fn ids_of(
        &self,
        searcher: &Searcher,
        addresses: &[DocAddress],
    ) -> Result<Vec<String>, SearchError> {
        let mut columns: HashMap<u32, Option<StrColumn>> = HashMap::new();
        let mut ids = Vec::with_capacity(addresses.len());
        for &addr in addresses {
            let column = match columns.entry(addr.segment_ord) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let fast = searcher.segment_reader(addr.segment_ord).fast_fields();
                    e.insert(fast.str("id").ok().flatten())
                }
            };
            let mut id = String::new();
            let found = column.as_ref().is_some_and(|c| {
                c.term_ords(addr.doc_id)
                    .next()
                    .is_some_and(|ord| c.ord_to_str(ord, &mut id).unwrap_or(false))
            });
            if !found {
                let doc: TantivyDocument = searcher.doc(addr).map_err(|e| self.fail(e))?;
                id = text(&doc, self.fields.id).unwrap_or_default();
            }
            ids.push(id);
        }
        Ok(ids)
    }

    fn hit(&self, mut doc: StoredText, score: f32, snippets: Option<&Snippets>) -> Hit {
        let f = &self.fields;
        let (snippet, highlights) = match snippets {
            Some(snippets) => snippets.of(doc.get(f.body).unwrap_or("")),
            None => (String::new(), Vec::new()),
        };
        Hit {
            story: None,
            id: doc.take(f.id).unwrap_or_default(),
            url: doc.take(f.url),
            path: doc.take(f.path),
            title: doc.take(f.title),
            source: doc.take(f.source),
            published: doc.take(f.published),
            score,
            snippet,
            highlights,
            also_in_story: 0,
        }
    }
}

/// Keeps the best article of each story (articles without a story stand
/// alone), in score order, with how many more of the story matched.
fn collapse<D>(candidates: Vec<(f32, D, Option<i64>)>) -> Vec<(f32, D, Option<i64>, u64)> {
    let mut out: Vec<(f32, D, Option<i64>, u64)> = Vec::new();
    let mut slot: HashMap<i64, usize> = HashMap::new();
    for (score, doc, story) in candidates {
        match story {
            Some(s) if slot.contains_key(&s) => out[slot[&s]].3 += 1,
            _ => {
                if let Some(s) = story {
                    slot.insert(s, out.len());
                }
                out.push((score, doc, story, 0));
            }
        }
    }
    out
}

/// The stored fields of one hit, read straight into strings: tantivy's
/// own document type copies every value twice more (into its arena, then
/// out again), which showed in the profile of a page of hits. Every
/// stored field of the schema is text.
struct StoredText(Vec<(Field, String)>);

impl DocumentDeserialize for StoredText {
    fn deserialize<'de, D>(mut deserializer: D) -> Result<Self, DeserializeError>
    where
        D: DocumentDeserializer<'de>,
    {
        let mut fields = Vec::with_capacity(deserializer.size_hint().min(16));
        while let Some(field) = deserializer.next_field::<String>()? {
            fields.push(field);
        }
        Ok(StoredText(fields))
    }
}

impl StoredText {
    fn get(&self, field: Field) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, v)| v.as_str())
    }

    /// The field's first value, moved out.
    fn take(&mut self, field: Field) -> Option<String> {
        let at = self.0.iter().position(|(f, _)| *f == field)?;
        Some(self.0.swap_remove(at).1)
    }
}

fn text(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// `text` cut to at most `max` bytes on a character boundary.
fn capped(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn tantivy_doc(f: &Fields, doc: &IndexDoc) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    d.add_text(f.id, &doc.id);
    let optional = [
        (f.url, &doc.url),
        (f.path, &doc.path),
        (f.source, &doc.source),
        (f.published, &doc.published),
        (f.lang, &doc.lang),
    ];
    for (field, value) in optional {
        if let Some(v) = value {
            d.add_text(field, v);
        }
    }
    if let Some(title) = &doc.title {
        d.add_text(f.title, title);
        d.add_text(f.title_exact, title);
        d.add_text(f.title_stem, title);
    }
    let body = capped(&doc.body, MAX_BODY_BYTES);
    // Only snippets read the stored body, and they look at its lead alone:
    // storing the rest would only make every hit's document bigger to load.
    d.add_text(f.body, capped(body, SNIPPET_SCAN_BYTES));
    d.add_text(f.body_exact, body);
    d.add_text(f.body_stem, body);
    if let Some(day) = doc.published.as_deref().and_then(day_number) {
        d.add_u64(f.day, day);
    }
    for &entity in &doc.entities {
        d.add_i64(f.entities, entity);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, title: &str, body: &str, day: &str, source: &str) -> IndexDoc {
        IndexDoc {
            id: id.into(),
            title: Some(title.into()),
            body: body.into(),
            published: Some(day.into()),
            source: Some(source.into()),
            lang: Some("ar".into()),
            ..IndexDoc::default()
        }
    }

    fn fixture() -> (tempfile::TempDir, SearchIndex) {
        let dir = tempfile::tempdir().unwrap();
        let mut index = SearchIndex::open(dir.path(), true).unwrap();
        let mut a = doc(
            "a",
            "انسحاب القوات الأمريكية",
            "أعلنت وزارة الدفاع انسحاب القوات الأمريكية من القاعدة الجوية، وقال المتحدث إن 2500 جندي سيغادرون.",
            "2021-08-30",
            "واس",
        );
        a.entities = vec![7];
        let b = doc(
            "b",
            "مؤتمر للسلام في الرياض",
            "افتُتح في الرياض مؤتمرٌ دولي للسلام بمشاركة وزراء الخارجية العرب.",
            "2021-09-02",
            "الشرق الأوسط",
        );
        let c = doc(
            "c",
            "القوات تصل إلى المدينة",
            "وصلت قوات حفظ السلام إلى المدينة صباح اليوم.",
            "2021-09-05",
            "الرياض",
        );
        index.upsert(&[a, b, c]).unwrap();
        index.commit().unwrap();
        (dir, index)
    }

    fn ids(index: &SearchIndex, request: &SearchRequest) -> Vec<String> {
        let found = index.search(request, &crate::no_stories).unwrap();
        found.hits.into_iter().map(|h| h.id).collect()
    }

    fn query(q: &str) -> SearchRequest {
        SearchRequest {
            query: q.into(),
            limit: 10,
            ..SearchRequest::default()
        }
    }

    #[test]
    fn surface_forms_find_the_article() {
        let (_dir, index) = fixture();
        for q in ["وللقوات", "قوات", "القُوّات", "القـــوات"] {
            let mut found = ids(&index, &query(q));
            found.sort();
            assert_eq!(found, ["a", "c"], "{q}");
        }
        assert_eq!(ids(&index, &query("٢٥٠٠")), ["a"]);
        assert_eq!(ids(&index, &query("مؤتمر")), ["b"]);
        assert_eq!(ids(&index, &query("موتمر")), ["b"]);
        assert!(ids(&index, &query("طائرات")).is_empty());
    }

    #[test]
    fn phrases_need_adjacent_words_and_exclusions_remove() {
        let (_dir, index) = fixture();
        assert_eq!(ids(&index, &query("\"القوات الأمريكية\"")), ["a"]);
        assert!(ids(&index, &query("\"الأمريكية القوات\"")).is_empty());
        assert_eq!(ids(&index, &query("القوات -الأمريكية")), ["c"]);
        assert!(ids(&index, &query("-القوات")).is_empty());
    }

    #[test]
    fn filters_restrict_by_day_source_and_entity() {
        let (_dir, index) = fixture();
        let mut r = query("القوات");
        r.since = Some("2021-09-01".into());
        assert_eq!(ids(&index, &r), ["c"]);
        let mut r = query("القوات");
        r.until = Some("2021-08-30".into());
        assert_eq!(ids(&index, &r), ["a"]);
        let mut r = query("القوات");
        r.source = Some("الرياض".into());
        assert_eq!(ids(&index, &r), ["c"]);
        let mut r = query("القوات");
        r.entity = Some(7);
        assert_eq!(ids(&index, &r), ["a"]);
        let mut r = query("القوات");
        r.since = Some("yesterday".into());
        assert!(matches!(
            index.search(&r, &crate::no_stories),
            Err(SearchError::Query(_))
        ));
    }

    #[test]
    fn upsert_replaces_and_delete_removes() {
        let (_dir, mut index) = fixture();
        index
            .upsert(&[doc(
                "a",
                "خبر معدل",
                "نص جديد عن الطائرات",
                "2021-08-31",
                "واس",
            )])
            .unwrap();
        index.delete(&["b".to_string()]).unwrap();
        index.commit().unwrap();
        assert_eq!(index.num_docs(), 2);
        assert_eq!(ids(&index, &query("الطائرات")), ["a"]);
        assert_eq!(ids(&index, &query("القوات")), ["c"]);
        assert!(ids(&index, &query("مؤتمر")).is_empty());
    }

    #[test]
    fn collapse_keeps_one_hit_per_story_and_facets_count() {
        let (_dir, index) = fixture();
        let mut r = query("القوات السلام");
        r.collapse = true;
        r.facets = true;
        let stories_of = |ids: &[String]| {
            ids.iter()
                .map(|id| matches!(id.as_str(), "a" | "c").then_some(1))
                .collect()
        };
        let found = index.search(&r, &stories_of).unwrap();
        assert_eq!(found.total, 3);
        assert_eq!(found.hits.len(), 2);
        let story_hit = found.hits.iter().find(|h| h.story == Some(1)).unwrap();
        assert_eq!(story_hit.also_in_story, 1);
        let facets = found.facets.unwrap();
        assert_eq!(facets.sources.len(), 3);
        assert_eq!(facets.days.first().unwrap().key, "2021-08-30");
        assert_eq!(facets.entities[0].key, "7");
    }

    #[test]
    fn snippets_can_be_left_out_and_merging_keeps_every_hit() {
        let (_dir, mut index) = fixture();
        index
            .upsert(&[doc(
                "d",
                "قوات إضافية",
                "وصلت القوات الإضافية إلى الحدود.",
                "2021-09-06",
                "واس",
            )])
            .unwrap();
        index.commit().unwrap();
        assert!(index.num_segments() >= 2);
        let mut r = query("القوات");
        let with = index.search(&r, &crate::no_stories).unwrap();
        assert!(with.hits.iter().all(|h| !h.snippet.is_empty()));
        r.without_snippets = true;
        let without = index.search(&r, &crate::no_stories).unwrap();
        assert!(without
            .hits
            .iter()
            .all(|h| h.snippet.is_empty() && h.highlights.is_empty()));
        let mut before: Vec<String> = without.hits.into_iter().map(|h| h.id).collect();
        let generation = index.generation();
        index.merge_segments().unwrap();
        assert_eq!(index.num_segments(), 1);
        assert_ne!(index.generation(), generation);
        let merged = index.search(&r, &crate::no_stories).unwrap();
        assert_eq!(merged.total, 3);
        let mut after: Vec<String> = merged.hits.into_iter().map(|h| h.id).collect();
        after.sort();
        before.sort();
        assert_eq!(after, before);
    }

    #[test]
    fn paging_and_the_total_agree_with_one_big_page() {
        let (_dir, index) = fixture();
        let mut r = query("القوات السلام");
        let all = ids(&index, &r);
        assert_eq!(all.len(), 3);
        r.limit = 1;
        let mut paged = Vec::new();
        for offset in 0..3 {
            r.offset = offset;
            let found = index.search(&r, &crate::no_stories).unwrap();
            assert_eq!(found.total, 3);
            paged.extend(found.hits.into_iter().map(|h| h.id));
        }
        assert_eq!(paged, all);
    }

    #[test]
    fn the_total_is_counted_up_to_the_bound_unless_asked_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let mut index = SearchIndex::open(dir.path(), true).unwrap();
        let docs: Vec<IndexDoc> = (0..12)
            .map(|i| IndexDoc {
                id: format!("n{i}"),
                title: Some(format!("خبر رقم {i}")),
                body: "وصلت القوات إلى المدينة".into(),
                ..IndexDoc::default()
            })
            .collect();
        index.upsert(&docs[..6]).unwrap();
        index.commit().unwrap();
        index.upsert(&docs[6..]).unwrap();
        index.delete(&["n0".to_string(), "n7".to_string()]).unwrap();
        index.commit().unwrap();
        assert!(index.num_segments() >= 2);
        let f = &index.fields;
        let mut analyzers = Analyzers {
            exact: index.index.tokenizer_for_field(f.body_exact).unwrap(),
            stemmed: index.index.tokenizer_for_field(f.body_stem).unwrap(),
        };
        let searcher = index.reader.searcher();
        let mut count = |q: &str, bound: u64| {
            let compiled = compile(&query(q), f, &mut analyzers).unwrap();
            index
                .count_up_to(&searcher, compiled.query.as_ref(), bound)
                .unwrap()
        };
        // Deleted articles are not counted, across segments.
        assert_eq!(count("وللقوات", 100), (10, true));
        assert_eq!(count("وللقوات", 10), (10, true));
        assert_eq!(count("وللقوات", 9), (9, false));
        assert_eq!(count("وللقوات", 0), (0, false));
        assert_eq!(count("\"رقم 3\"", 5), (1, true));
        // Below TOTAL_COUNT_BOUND the search's total is exact and says so.
        let mut r = query("القوات");
        r.without_snippets = true;
        let found = index.search(&r, &crate::no_stories).unwrap();
        assert_eq!((found.total, found.total_exact), (10, true));
        r.exact_total = true;
        assert_eq!(index.search(&r, &crate::no_stories).unwrap().total, 10);
    }

    #[test]
    fn hostile_queries_are_errors_or_empty_never_panics() {
        let (_dir, index) = fixture();
        for q in [
            "\"",
            "",
            "((((",
            "في من على",
            "*:*",
            "title:القوات",
            "\u{0}\u{FFFF}",
        ] {
            match index.search(&query(q), &crate::no_stories) {
                Ok(found) => assert!(found.hits.len() <= 3),
                Err(e) => assert!(matches!(e, SearchError::Query(_)), "{q:?}: {e}"),
            }
        }
        let long = "كلمة ".repeat(40);
        assert!(matches!(
            index.search(&query(&long), &crate::no_stories),
            Err(SearchError::Query(_))
        ));
    }

    #[test]
    fn read_only_index_refuses_writes_and_missing_index_is_an_error() {
        let (dir, mut writer) = fixture();
        writer.commit().unwrap();
        let mut reader = SearchIndex::open(dir.path(), false).unwrap();
        assert_eq!(reader.num_docs(), 3);
        assert!(reader.upsert(&[IndexDoc::default()]).is_err());
        let empty = tempfile::tempdir().unwrap();
        assert!(SearchIndex::open(&empty.path().join("none"), false).is_err());
    }
}
