//! What every handler shares: the data directory, a pool of read-only
//! archive connections (SQLite connections are not `Sync`, so each blocking
//! task borrows one), the search index (re-opened and reloaded in the
//! background so a concurrent `rasd ingest` shows up), the write token, the
//! page sink and the metrics.

use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::search_cache::{self, SearchCache};
use rasd_search::{SearchBackend, SearchIndex};
use rasd_store::{Archive, OpenOptions, StoreError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

/// Idle reader connections kept for reuse; more may be open while busy.
const MAX_IDLE_READERS: usize = 32;

/// Where POSTed pages go: the binary runs its ingest pipeline behind this
/// (the server crate cannot depend on the binary).
pub trait PageSink: Send + Sync {
    /// Stores the pages in `jsonl` (JSON Lines of `{"url", "html" | "text",
    /// "fetched"}` pages or clean articles); returns the ingest summary.
    fn ingest(&self, jsonl: &[u8]) -> Result<serde_json::Value, SinkError>;
}

/// Why a sink refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    /// The pages could not be read (answered 400).
    #[error("{0}")]
    BadInput(String),
    /// The pipeline failed (answered 500, detail logged).
    #[error("{0}")]
    Failed(String),
}

/// How the server is set up.
#[derive(Clone)]
pub struct ServerConfig {
    /// The archive's data directory (the search index is in its `search/`).
    pub data_dir: PathBuf,
    /// The token `POST /api/pages` requires; `None` makes the server read-only.
    pub token: Option<String>,
    /// Where POSTed pages go; `None` makes the server read-only.
    pub sink: Option<Arc<dyn PageSink>>,
    /// How often the search index is checked for another process's commits.
    pub reload_every: Duration,
}

impl std::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("data_dir", &self.data_dir)
            .field("token", &self.token.as_ref().map(|_| "<set>"))
            .field("sink", &self.sink.is_some())
            .field("reload_every", &self.reload_every)
            .finish()
    }
}

/// The state handlers share (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    pub(crate) shared: Arc<Shared>,
}

pub(crate) struct Shared {
    pub data_dir: PathBuf,
    /// The PostgreSQL archive's URL, when the archive is not `data_dir`'s.
    store: Option<String>,
    readers: Mutex<Vec<Archive>>,
    search: RwLock<Option<Arc<dyn SearchBackend>>>,
    pub token: Option<String>,
    pub sink: Option<Arc<dyn PageSink>>,
    /// One write at a time: ingest runs hold the archive's write lock.
    pub write_lock: tokio::sync::Mutex<()>,
    pub metrics: Metrics,
    pub reload_every: Duration,
    /// Recent `/api/search` answers, keyed by request and index generation.
    pub search_cache: SearchCache,
}

impl AppState {
    /// Checks that the archive opens, and opens the search index when built.
    pub fn new(config: ServerConfig) -> Result<AppState, StoreError> {
        AppState::with_store(config, None)
    }

    /// Like [`AppState::new`], reading the archive from the PostgreSQL
    /// database at `store` when given (the data directory then holds only
    /// the local search index).
    pub fn with_store(config: ServerConfig, store: Option<String>) -> Result<AppState, StoreError> {
        let first = open_reader(&config.data_dir, store.as_deref())?;
        let search = open_search(&config.data_dir);
        Ok(AppState {
            shared: Arc::new(Shared {
                data_dir: config.data_dir,
                store,
                readers: Mutex::new(vec![first]),
                search: RwLock::new(search),
                token: config.token.filter(|t| !t.is_empty()),
                sink: config.sink,
                write_lock: tokio::sync::Mutex::new(()),
                metrics: Metrics::new(),
                reload_every: config.reload_every,
                search_cache: SearchCache::new(
                    search_cache::DEFAULT_ENTRIES,
                    search_cache::DEFAULT_BYTES,
                ),
            }),
        })
    }

    /// Runs `read` on a pooled archive connection in a blocking task.
    pub async fn read<T, F>(&self, read: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Archive) -> Result<T, ApiError> + Send + 'static,
    {
        let shared = Arc::clone(&self.shared);
        tokio::task::spawn_blocking(move || {
            let archive = shared.take_reader()?;
            let result = read(&archive);
            shared.give_back(archive);
            result
        })
        .await
        .map_err(|e| ApiError::Internal(format!("a reading task failed: {e}")))?
    }

    /// Runs `search` with the index and a pooled archive connection (for
    /// `stories_of`); 503 while no index has been built.
    pub async fn search<T, F>(&self, search: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn SearchBackend, &Archive) -> Result<T, ApiError> + Send + 'static,
    {
        let index = self.shared.search_index().ok_or_else(|| {
            ApiError::Unavailable(
                "the search index is not built yet (run `rasd ingest` on this data directory)"
                    .into(),
            )
        })?;
        self.read(move |archive| search(index.as_ref(), archive))
            .await
    }

    /// Bounds the `/api/search` answer cache (0 entries disables it).
    pub fn set_search_cache(&self, entries: usize, max_bytes: usize) {
        self.shared.search_cache.resize(entries, max_bytes);
    }

    /// Whether a search index is open.
    pub fn has_search(&self) -> bool {
        self.shared.search_index().is_some()
    }

    /// Re-opens or reloads the search index; called periodically.
    pub fn refresh_search(&self) {
        let current = self.shared.search_index();
        match current {
            Some(index) => {
                if let Err(err) = index.reload() {
                    tracing::warn!("reloading the search index: {err}");
                }
            }
            None => {
                if let Some(index) = open_search(&self.shared.data_dir) {
                    tracing::info!("search index opened");
                    *self
                        .shared
                        .search
                        .write()
                        .unwrap_or_else(|p| p.into_inner()) = Some(index);
                }
            }
        }
    }

    /// Keeps the search index in step with other processes until the runtime stops.
    pub fn spawn_search_refresh(&self) {
        let state = self.clone();
        let every = self.shared.reload_every;
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                let state = state.clone();
                let _ = tokio::task::spawn_blocking(move || state.refresh_search()).await;
            }
        });
    }

    pub fn data_dir(&self) -> &Path {
        &self.shared.data_dir
    }
}

impl Drop for Shared {
    /// The pooled archive connections are closed on a plain thread: the
    /// last `AppState` is often dropped on a runtime worker when the server
    /// shuts down, and the synchronous PostgreSQL client blocks on its own
    /// runtime when it closes, which tokio forbids on a worker (it panicked).
    fn drop(&mut self) {
        let readers = std::mem::take(self.readers.get_mut().unwrap_or_else(|p| p.into_inner()));
        if readers.is_empty() {
            return;
        }
        let closing = std::thread::spawn(move || drop(readers));
        if closing.join().is_err() {
            tracing::warn!("closing the archive connections failed");
        }
    }
}

impl Shared {
    fn take_reader(&self) -> Result<Archive, ApiError> {
        let pooled = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        match pooled {
            Some(archive) => Ok(archive),
            None => Ok(open_reader(&self.data_dir, self.store.as_deref())?),
        }
    }

    fn give_back(&self, archive: Archive) {
        let mut readers = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        if readers.len() < MAX_IDLE_READERS {
            readers.push(archive);
        }
    }

    fn search_index(&self) -> Option<Arc<dyn SearchBackend>> {
        self.search
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

fn open_reader(dir: &Path, store: Option<&str>) -> Result<Archive, StoreError> {
    let mut options = OpenOptions::reader();
    options.postgres = store.map(str::to_string);
    // A reader waits briefly for a writer's checkpoint; requests must not hang.
    options.lock_timeout = Duration::from_secs(2);
    Archive::open(dir, &options)
}

fn open_search(data_dir: &Path) -> Option<Arc<dyn SearchBackend>> {
    let dir = data_dir.join(rasd_search::INDEX_DIR);
    if !dir.is_dir() {
        return None;
    }
    match SearchIndex::open(&dir, false) {
        Ok(index) => Some(Arc::new(index)),
        Err(err) => {
            tracing::warn!("opening the search index: {err}");
            None
        }
    }
}
