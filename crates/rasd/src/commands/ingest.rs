//! `rasd ingest`: read inputs (files, folders, archives, JSONL, stdin),
//! extract articles from pages, and store them in the archive with their
//! duplicate groups, one transaction per batch.

use crate::data_dir::DataArgs;
use crate::output::{self, Format};
use crate::{Globals, Outcome};
use anyhow::Context;
use rasd_model::{Article, Page};
use rasd_sources::{open_inputs, InputOptions, Record};
use rasd_store::{Archive, IngestItem, IngestOutcome, MinHashDetector, PreparedBatch, Stored};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc::SyncSender;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Ingest pages and articles into the archive (idempotent; duplicates grouped).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,

    /// Files, folders, archives (.warc, .gz) or JSON Lines to read; `-` for stdin.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,

    /// Records per batch: each batch is extracted in parallel and stored in one transaction.
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub batch: u64,

    /// Refuse to grow the archive beyond this many MiB (stops with a clear "full" error).
    #[arg(long, value_name = "MIB")]
    pub max_size_mib: Option<u64>,
}

/// The dedup settings the archive is built with (`rasd-dedup`'s defaults).
pub fn detector() -> MinHashDetector {
    MinHashDetector::default()
}

/// What one ingest run did.
#[derive(Debug, Default, Serialize)]
struct Summary {
    records: u64,
    pages: u64,
    articles_read: u64,
    new: u64,
    unchanged: u64,
    new_versions: u64,
    exact_duplicates: u64,
    near_duplicates: u64,
    skipped: BTreeMap<String, u64>,
    errors: ErrorCounts,
    /// Whether this process ran the stories and facts stages (PostgreSQL:
    /// one process per database does; the others only store articles).
    clusterer: bool,
    /// Stories, facts and the search index kept in step with the new articles.
    derived: crate::derive::DerivedSummary,
    seconds: f64,
}

#[derive(Debug, Default, Serialize)]
struct ErrorCounts {
    total: u64,
    by_kind: BTreeMap<String, u64>,
}

impl Summary {
    fn error(&mut self, kind: &str, origin: &str, message: &dyn std::fmt::Display) {
        eprintln!("rasd: {origin}: {message}");
        self.errors.total += 1;
        *self.errors.by_kind.entry(kind.to_string()).or_default() += 1;
    }

    /// Adds the reading side's counts (records, pages, errors, skips).
    fn merge_read(&mut self, read: Summary) {
        self.records += read.records;
        self.pages += read.pages;
        self.articles_read += read.articles_read;
        self.skipped.extend(read.skipped);
        self.errors.total += read.errors.total;
        for (kind, n) in read.errors.by_kind {
            *self.errors.by_kind.entry(kind).or_default() += n;
        }
    }

    fn count(&mut self, outcome: &IngestOutcome) {
        match outcome.stored {
            Stored::New => self.new += 1,
            Stored::NewVersion(_) => self.new_versions += 1,
            Stored::Unchanged => self.unchanged += 1,
        }
        match &outcome.duplicate {
            Some(d) if d.exact => self.exact_duplicates += 1,
            Some(_) => self.near_duplicates += 1,
            None => {}
        }
    }
}

/// Prepared batches waiting for the writer at most: reading, extraction and
/// fingerprinting of the next batch overlap the store's write of this one,
/// and memory stays bounded to a few batches.
const BATCHES_IN_FLIGHT: usize = 2;

/// What the reading side sends the writer: a batch, or the reading side's
/// own counts once the inputs are exhausted.
enum Stage {
    Batch(PreparedBatch),
    Done(Box<Summary>),
}

pub fn run(args: Args, globals: Globals) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let max_size = args.max_size_mib.map(|m| m.saturating_mul(1024 * 1024));
    let mut archive = args.data.open_writer(max_size)?;
    let inputs: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
    let run = archive.begin_run(unix_now(), &inputs)?;
    // The stories and facts stages run in one process per database: another
    // ingest on the same PostgreSQL database only stores articles, and the
    // clusterer's process places them after its own batches.
    let mut clusterer = archive.try_clusterer_lock()?;
    let mut derived = match &clusterer {
        Some(_) => Some(crate::derive::Derived::open(&archive)?),
        None => {
            eprintln!(
                "rasd: another process runs the clusterer on {}; this one stores articles only",
                archive.location()
            );
            None
        }
    };
    if let Some(stored) = derived.as_ref().and_then(|d| d.stale_facts()) {
        eprintln!(
            "rasd: the facts in {} were computed by another rasd (facts version {stored}, this one {}); \
             new articles get this one's, and `rasd reindex` recomputes them all",
            archive.location(),
            rasd_facts::facts_version_label(rasd_facts::facts_version())
        );
    }
    let detector = detector();
    let bar = output::progress(globals.progress, None, "ingest");
    let (send, receive) = std::sync::mpsc::sync_channel::<anyhow::Result<Stage>>(BATCHES_IN_FLIGHT);
    let mut summary = std::thread::scope(|scope| -> anyhow::Result<Summary> {
        let (args, detector, bar) = (&args, &detector, &bar);
        // Moved in, so the channel closes when the reading side ends.
        let reading = scope.spawn(move || {
            // A reader connection: preparing a batch looks up which articles
            // are stored already while the writer holds its transaction (WAL).
            let prepared = args
                .data
                .open_reader()
                .and_then(|reader| read_batches(&reader, args, detector, bar, &send));
            if let Err(err) = prepared {
                // The writer stopped first when the channel is closed.
                let _ = send.send(Err(err));
            }
        });
        let mut summary = Summary::default();
        let stored = (|| -> anyhow::Result<()> {
            for stage in receive.iter() {
                match stage? {
                    Stage::Batch(batch) => {
                        let outcomes = archive
                            .commit_batch(batch, unix_now(), detector)
                            .with_context(|| {
                                format!("storing a batch in {}", archive.location())
                            })?;
                        for outcome in &outcomes {
                            summary.count(outcome);
                        }
                        let stored: Vec<String> = outcomes
                            .iter()
                            .filter(|o| o.is_stored())
                            .map(|o| o.id.clone())
                            .collect();
                        if clusterer.as_mut().is_some_and(|lock| !lock.held()) {
                            // The lock went with a lost connection and another process took it.
                            eprintln!(
                                "rasd: lost the clusterer on {} to another process; storing articles only",
                                archive.location()
                            );
                            clusterer = None;
                            derived = None;
                        }
                        if let Some(derived) = derived.as_mut() {
                            derived.after_batch(&mut archive, &stored)?;
                        }
                        bar.set_message(format!("{} new", summary.new + summary.new_versions));
                    }
                    Stage::Done(read) => summary.merge_read(*read),
                }
            }
            Ok(())
        })();
        // Closing the channel stops the reading side at its next batch.
        drop(receive);
        if reading.join().is_err() {
            anyhow::bail!("the reading thread panicked");
        }
        stored.map(|()| summary)
    })?;
    bar.finish_and_clear();
    if derived.is_none() && archive.is_postgres() {
        // The clusterer's process may have finished meanwhile: the last
        // worker out places what is left (waiting up to --lock-timeout).
        let deadline = Instant::now() + std::time::Duration::from_secs_f64(args.data.lock_timeout);
        loop {
            clusterer = archive.try_clusterer_lock()?;
            if clusterer.is_some() || Instant::now() >= deadline {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        if clusterer.is_some() {
            derived = Some(crate::derive::Derived::open(&archive)?);
        } else {
            eprintln!(
                "rasd: the clusterer's process on {} places this run's articles",
                archive.location()
            );
        }
    }
    summary.clusterer = clusterer.is_some();
    if let Some(derived) = derived {
        summary.derived = derived.finish(&mut archive)?;
    }
    drop(clusterer);
    summary.seconds = started.elapsed().as_secs_f64();
    let json = serde_json::to_value(&summary).context("serializing the summary")?;
    archive.finish_run(run, unix_now(), &json)?;
    let mut out = output::stdout();
    match args.format {
        Format::Json => output::write_json_line(&mut out, &json)?,
        Format::Text => write_text(&mut out, &summary, &archive.location())?,
    }
    out.flush()?;
    Ok(if summary.errors.total > 0 {
        Outcome::PartialFailure
    } else {
        Outcome::Success
    })
}

/// The reading side: inputs → batches of articles (pages extracted in
/// parallel) → prepared batches sent to the writer, then its counts.
/// Returns early, without error, when the writer has stopped.
fn read_batches(
    reader: &Archive,
    args: &Args,
    detector: &MinHashDetector,
    bar: &indicatif::ProgressBar,
    send: &SyncSender<anyhow::Result<Stage>>,
) -> anyhow::Result<()> {
    let mut summary = Summary::default();
    let mut records = open_inputs(&args.paths, &InputOptions::default());
    let batch_size = args.batch as usize;
    let mut batch: Vec<Record> = Vec::with_capacity(batch_size);
    loop {
        let next = records.next();
        let end = next.is_none();
        match next {
            Some(Ok(record)) => batch.push(record),
            Some(Err(err)) => summary.error(err.kind.as_str(), &err.origin, &err.message),
            None => {}
        }
        if batch.len() >= batch_size || (end && !batch.is_empty()) {
            let records = std::mem::take(&mut batch);
            bar.inc(records.len() as u64);
            let items = batch_items(records, &mut summary);
            let prepared = reader
                .prepare_batch(items, detector)
                .with_context(|| format!("reading {}", reader.location()))?;
            if send.send(Ok(Stage::Batch(prepared))).is_err() {
                return Ok(());
            }
        }
        if end {
            break;
        }
    }
    for (reason, n) in &records.stats().skipped {
        summary.skipped.insert(reason.as_str().to_string(), *n);
    }
    // Err only when the writer has stopped, and then nobody needs the counts.
    let _ = send.send(Ok(Stage::Done(Box::new(summary))));
    Ok(())
}

/// A batch's records → the articles to store: clean articles as they are,
/// pages extracted (in parallel).
fn batch_items(records: Vec<Record>, summary: &mut Summary) -> Vec<IngestItem> {
    summary.records += records.len() as u64;
    let mut items = Vec::with_capacity(records.len());
    let mut pages = Vec::new();
    for record in records {
        match record {
            Record::Article(article) => items.push(IngestItem::from_article(article, 0)),
            Record::Page(page) => pages.push(page),
        }
    }
    summary.pages += pages.len() as u64;
    for (page, extracted) in extract_pages(pages) {
        match extracted {
            Ok(articles) => items.extend(
                articles
                    .into_iter()
                    .enumerate()
                    .map(|(i, a)| IngestItem::from_page(&page, a, i as u32)),
            ),
            Err(message) => summary.error("extract", &page.origin, &message),
        }
    }
    summary.articles_read += items.len() as u64;
    items
}

/// Pages → articles, in parallel, each site's template learned from the
/// batch first (as `rasd extract` does per window).
fn extract_pages(pages: Vec<Page>) -> Vec<(Page, Result<Vec<Article>, String>)> {
    let refs: Vec<&Page> = pages.iter().collect();
    let extracted = rasd_extract::batch::extract_pages(&refs, true);
    pages
        .into_iter()
        .zip(extracted)
        .map(|(page, result)| (page, result.map_err(|e| e.to_string())))
        .collect()
}

fn write_text(out: &mut impl Write, s: &Summary, location: &str) -> std::io::Result<()> {
    writeln!(out, "archive: {location}")?;
    writeln!(
        out,
        "read {} records ({} pages), {} articles in {:.1} s",
        s.records, s.pages, s.articles_read, s.seconds
    )?;
    writeln!(
        out,
        "stored {} new, {} new versions; {} unchanged",
        s.new, s.new_versions, s.unchanged
    )?;
    writeln!(
        out,
        "duplicates: {} exact, {} near",
        s.exact_duplicates, s.near_duplicates
    )?;
    for (reason, n) in &s.skipped {
        writeln!(out, "skipped ({reason}): {n}")?;
    }
    write!(out, "errors: {}", s.errors.total)?;
    for (kind, n) in &s.errors.by_kind {
        write!(out, ", {kind} {n}")?;
    }
    writeln!(out)
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
