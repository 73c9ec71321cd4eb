//! `rasd serve`: the HTTP API and the Arabic web page over an archive
//! (`rasd-server`), optionally after ingesting inputs first, so that one
//! command brings up a demo: `rasd serve --data DIR --ingest examples/pages`.
//! Prints the URL on stdout once listening. `POST /api/pages` is on only
//! when `RASD_TOKEN` is set; the pages go through `rasd ingest` in a child
//! process, the same pipeline as the command line.
//!
//! With `--store postgres://…` the archive is shared: several servers (and
//! ingest workers) use one database. Each server's search index stays local
//! (in `--data DIR`): rebuilt from the store at start, then brought up to
//! date every `--reload-every` seconds with the articles stored since.

use crate::commands::ingest;
use crate::data_dir::DataArgs;
use crate::output::Format;
use crate::{Globals, Outcome};
use anyhow::Context;
use rasd_server::{AppState, PageSink, ServerConfig, SinkError};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Serve the JSON API and the web page (read-only unless RASD_TOKEN is set).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,

    /// Address to listen on (loopback by default; port 0 picks a free one).
    #[arg(long, value_name = "HOST:PORT", default_value = rasd_server::DEFAULT_ADDR)]
    pub addr: SocketAddr,

    /// Ingest these files or folders into the archive before serving.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub ingest: Vec<PathBuf>,

    /// Seconds between checks for search-index commits by other processes.
    #[arg(long, value_name = "SECONDS", default_value_t = 2.0)]
    pub reload_every: f64,

    /// `/api/search` answers kept for repeated searches on an unchanged
    /// index (0 turns the cache off).
    #[arg(long, value_name = "ENTRIES", default_value_t = rasd_server::SEARCH_CACHE_ENTRIES)]
    pub search_cache: usize,
}

pub fn run(args: Args, globals: Globals) -> anyhow::Result<Outcome> {
    anyhow::ensure!(
        args.reload_every.is_finite() && (0.05..=3600.0).contains(&args.reload_every),
        "--reload-every must be between 0.05 and 3600 seconds"
    );
    let mut outcome = Outcome::Success;
    if !args.ingest.is_empty() {
        outcome = ingest::run(
            ingest::Args {
                data: args.data.clone(),
                paths: args.ingest.clone(),
                format: Format::Text,
                batch: 1000,
                max_size_mib: None,
            },
            globals,
        )?;
    }
    let data_dir = args.data.dir()?;
    // An empty server is fine (pages may be POSTed): create the archive, or
    // bring an older one up to date, when a reader cannot open it.
    if args.data.open_reader().is_err() {
        drop(args.data.open_writer(None)?);
    }
    let token = std::env::var("RASD_TOKEN").ok().filter(|t| !t.is_empty());
    let sink: Option<Arc<dyn PageSink>> = match &token {
        Some(_) => Some(Arc::new(IngestSink {
            exe: std::env::current_exe().context("locating the rasd binary")?,
            data: args.data.clone(),
            data_dir: data_dir.clone(),
            counter: AtomicU64::new(0),
        })),
        None => None,
    };
    let writable = token.is_some();
    let store = args.data.store_url()?;
    if store.is_some() {
        let watermark = rebuild_local_search(&args.data)?;
        let data = args.data.clone();
        let every = Duration::from_secs_f64(args.reload_every);
        std::thread::spawn(move || follow_store(&data, watermark, every));
    }
    // Named before the async runtime starts: the PostgreSQL client is
    // synchronous and must not run on the runtime's threads.
    let location = match &store {
        Some(_) => args.data.open_reader()?.location(),
        None => data_dir.display().to_string(),
    };
    let state = AppState::with_store(
        ServerConfig {
            data_dir: data_dir.clone(),
            token,
            sink,
            reload_every: Duration::from_secs_f64(args.reload_every),
        },
        store,
    )?;
    state.set_search_cache(args.search_cache, rasd_server::SEARCH_CACHE_BYTES);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("listening on {}", args.addr))?;
        let local = listener.local_addr()?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "rasd: serving {location} at http://{local}/")?;
        if !writable {
            writeln!(
                out,
                "rasd: read-only (set RASD_TOKEN to accept POST /api/pages)"
            )?;
        }
        out.flush()?;
        drop(out);
        tracing::info!("listening on {local}");
        rasd_server::serve(listener, state)
            .await
            .context("serving HTTP")
    })?;
    Ok(outcome)
}

/// POSTed pages → a JSON Lines file in the data directory → `rasd ingest`
/// in a child process (its own write transaction, its own crash domain).
struct IngestSink {
    exe: PathBuf,
    data: DataArgs,
    data_dir: PathBuf,
    counter: AtomicU64,
}

impl IngestSink {
    /// The child ingest's data directory: the server's own, or with a
    /// PostgreSQL store a subdirectory, since this server's search index
    /// writer (which picks the new articles up from the store) holds the
    /// server's index.
    fn ingest_dir(&self) -> PathBuf {
        match self.data.store_url() {
            Ok(Some(_)) => self.data_dir.join("ingest"),
            _ => self.data_dir.clone(),
        }
    }
}

impl PageSink for IngestSink {
    fn ingest(&self, jsonl: &[u8]) -> Result<serde_json::Value, SinkError> {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let file = self
            .data_dir
            .join(format!(".incoming-{}-{n}.jsonl", std::process::id()));
        std::fs::write(&file, jsonl)
            .map_err(|e| SinkError::Failed(format!("{}: {e}", file.display())))?;
        let output = std::process::Command::new(&self.exe)
            .arg("--no-progress")
            .arg("ingest")
            .arg("--data")
            .arg(self.ingest_dir())
            .arg("--lock-timeout")
            .arg(self.data.lock_timeout.to_string())
            .args(
                self.data
                    .store_url()
                    .ok()
                    .flatten()
                    .map(|url| ["--store".to_string(), url])
                    .into_iter()
                    .flatten(),
            )
            .arg("--format")
            .arg("json")
            .arg(&file)
            .output();
        let _ = std::fs::remove_file(&file);
        let output = output.map_err(|e| SinkError::Failed(format!("running rasd ingest: {e}")))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let summary = stdout
            .lines()
            .rev()
            .find_map(|line| serde_json::from_str::<serde_json::Value>(line).ok());
        match (output.status.code(), summary) {
            (Some(0 | 1), Some(summary)) => Ok(summary),
            _ => Err(SinkError::Failed(format!(
                "rasd ingest failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ))),
        }
    }
}

/// Articles a search-index update reads at most per round.
const FOLLOW_BATCH: usize = 1000;

/// Rebuilds this server's local search index from the shared store;
/// returns the storage position it covers.
fn rebuild_local_search(data: &DataArgs) -> anyhow::Result<i64> {
    let archive = data.open_reader()?;
    let watermark = archive.last_stored_position()?;
    let dir = crate::derive::search::index_dir(archive.dir());
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("clearing {}", dir.display()))?;
    }
    std::fs::create_dir_all(archive.dir())
        .with_context(|| format!("creating {}", archive.dir().display()))?;
    let stage = crate::derive::search::SearchStage::open(&archive)?;
    let mut archive = archive;
    stage.finish(&mut archive)?;
    Ok(watermark)
}

/// Indexes, every `every`, the articles other processes stored since
/// `watermark`; errors (a restarting database) are logged and retried.
fn follow_store(data: &DataArgs, mut watermark: i64, every: Duration) {
    let mut stage: Option<(rasd_store::Archive, crate::derive::search::SearchStage)> = None;
    loop {
        std::thread::sleep(every);
        let round = (|| -> anyhow::Result<()> {
            if stage.is_none() {
                let archive = data.open_reader()?;
                let search = crate::derive::search::SearchStage::open(&archive)?;
                stage = Some((archive, search));
            }
            let Some((archive, search)) = stage.as_mut() else {
                return Ok(());
            };
            loop {
                let new = archive.articles_stored_after(watermark, FOLLOW_BATCH)?;
                let Some(&(last, _)) = new.last() else {
                    return Ok(());
                };
                let ids: Vec<String> = new.into_iter().map(|(_, id)| id).collect();
                search.after_batch(archive, &ids)?;
                watermark = last;
            }
        })();
        if let Err(err) = round {
            tracing::warn!("updating the search index from the store: {err:#}");
        }
    }
}
