//! A small cache of `/api/search` answers.
//!
//! In: a search request's canonical key (normalized query, filters, page)
//! and the index generation it ran against. Out: the serialized JSON answer
//! when the same request already ran on the same generation. Bounded in
//! entries and in bytes (least recently used out first); a new generation
//! (a commit picked up by a reload) empties it, so a hit is never staler
//! than the index. A monitor's readers repeat the same few searches, which
//! is what this is for; every miss runs the real search.

use axum::body::Bytes;
use lru::LruCache;
use rasd_search::SearchRequest;
use std::num::NonZeroUsize;
use std::sync::Mutex;

/// Entries kept by default.
pub const DEFAULT_ENTRIES: usize = 1_024;
/// Bytes of answers kept by default, all entries together.
pub const DEFAULT_BYTES: usize = 32 << 20;
/// Answers larger than this are not kept (one would evict many small ones).
const MAX_ENTRY_BYTES: usize = 1 << 20;

/// The cache; empty inside when disabled (zero entries).
pub struct SearchCache {
    inner: Mutex<Option<Inner>>,
}

struct Inner {
    generation: u64,
    entries: LruCache<String, Bytes>,
    bytes: usize,
    max_bytes: usize,
}

/// The canonical key of a request: the query with its spaces collapsed,
/// then every filter and the page, unit-separated.
pub fn key(request: &SearchRequest) -> String {
    let query: Vec<&str> = request.query.split_whitespace().collect();
    format!(
        "{}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
        query.join(" "),
        request.since,
        request.until,
        request.source,
        request.lang,
        request.entity,
        request.limit,
        request.offset,
        request.collapse,
        request.facets,
        request.without_snippets,
        request.exact_total,
    )
}

fn inner(entries: usize, max_bytes: usize) -> Option<Inner> {
    NonZeroUsize::new(entries).map(|n| Inner {
        generation: 0,
        entries: LruCache::new(n),
        bytes: 0,
        max_bytes,
    })
}

impl SearchCache {
    /// A cache of at most `entries` answers and `max_bytes` bytes; 0 entries disables it.
    pub fn new(entries: usize, max_bytes: usize) -> SearchCache {
        SearchCache {
            inner: Mutex::new(inner(entries, max_bytes)),
        }
    }

    /// Empties the cache and sets new bounds (0 entries disables it).
    pub fn resize(&self, entries: usize, max_bytes: usize) {
        *self.lock() = inner(entries, max_bytes);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Inner>> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The answer kept for `key` at `generation`, if any.
    pub fn get(&self, generation: u64, key: &str) -> Option<Bytes> {
        let mut guard = self.lock();
        let inner = guard.as_mut()?;
        inner.sync(generation);
        inner.entries.get(key).cloned()
    }

    /// Keeps `answer` for `key` at `generation`.
    pub fn put(&self, generation: u64, key: String, answer: Bytes) {
        let mut guard = self.lock();
        let Some(inner) = guard.as_mut() else { return };
        if answer.len() > MAX_ENTRY_BYTES.min(inner.max_bytes) {
            return;
        }
        inner.sync(generation);
        let added = answer.len();
        // `push` hands back the value it replaced or the entry it evicted.
        if let Some((_, old)) = inner.entries.push(key, answer) {
            inner.bytes -= old.len();
        }
        inner.bytes += added;
        while inner.bytes > inner.max_bytes {
            match inner.entries.pop_lru() {
                Some((_, old)) => inner.bytes -= old.len(),
                None => break,
            }
        }
    }

    /// Answers kept now.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().as_ref().map_or(0, |inner| inner.entries.len())
    }
}

impl Inner {
    /// Forgets everything when the index moved to another generation.
    fn sync(&mut self, generation: u64) {
        if generation != self.generation {
            self.entries.clear();
            self.bytes = 0;
            self.generation = generation;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(q: &str) -> SearchRequest {
        SearchRequest {
            query: q.into(),
            limit: 20,
            ..SearchRequest::default()
        }
    }

    #[test]
    fn same_request_same_generation_hits_and_a_new_generation_empties_it() {
        let cache = SearchCache::new(8, 1 << 20);
        let k = key(&request("انسحاب  القوات "));
        assert_eq!(k, key(&request("انسحاب القوات")));
        assert_ne!(k, key(&request("القوات انسحاب")));
        let mut filtered = request("انسحاب القوات");
        filtered.source = Some("سبق".into());
        assert_ne!(k, key(&filtered));
        cache.put(1, k.clone(), Bytes::from_static(b"{\"total\":3}"));
        assert_eq!(cache.get(1, &k).as_deref(), Some(&b"{\"total\":3}"[..]));
        assert_eq!(
            cache.get(2, &k),
            None,
            "a reload to a new generation invalidates"
        );
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn bounded_in_entries_and_bytes() {
        let cache = SearchCache::new(3, 100);
        for i in 0..5 {
            cache.put(1, format!("q{i}"), Bytes::from(vec![b'x'; 10]));
        }
        assert_eq!(cache.len(), 3);
        assert!(cache.get(1, "q0").is_none() && cache.get(1, "q4").is_some());
        cache.put(1, "big".into(), Bytes::from(vec![b'x'; 95]));
        assert!(
            cache.len() <= 2,
            "bytes bound evicts the least recently used"
        );
        cache.put(1, "huge".into(), Bytes::from(vec![b'x'; 101]));
        assert!(cache.get(1, "huge").is_none());
        cache.resize(0, 100);
        cache.put(1, "q".into(), Bytes::from_static(b"{}"));
        assert!(cache.get(1, "q").is_none(), "zero entries disables it");
    }
}
