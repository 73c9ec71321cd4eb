//! `rasd reindex`: rebuild the derived tables (dedup signatures, LSH bands,
//! duplicate groups) from the stored articles, in one transaction; then the
//! stories and topics, replayed in publication order batch by batch; then
//! the facts, deleted and computed again by this rasd's recognizer and
//! linker (an upgrade that changes them leaves the stored ones stale, which
//! `rasd stats` and `rasd ingest` report); then the search index.
//!
//! With `--derived-only`, after a bulk load (`python -m
//! rasd_spark.load_postgres`): only what the load could not compute is
//! derived, by the same stages as `rasd ingest` (the story digests and
//! topic counts of the loaded stories, the facts of articles that have
//! none, the search index); signatures, groups and story memberships stay
//! as loaded, so no article is placed again.

use crate::data_dir::DataArgs;
use crate::output::{self, Format};
use crate::{Globals, Outcome};
use anyhow::Context;
use std::io::Write;

/// Rebuild signatures, LSH bands, duplicate groups, stories, facts and the
/// search index from the stored articles.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,

    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,

    /// Keep groups and story memberships; derive only what a bulk load left
    /// (story headlines, summaries and counts, topic labels, facts, the search index).
    #[arg(long)]
    pub derived_only: bool,
}

/// Memberships (or articles) per transaction of `--derived-only`.
const DERIVE_BATCH: usize = 1000;

/// What `--derived-only` did.
#[derive(Debug, Default, serde::Serialize)]
struct DerivedOnly {
    /// Loaded memberships written again with their story's digest.
    memberships: u64,
    stories_updated: u64,
    topics_updated: u64,
    facts: crate::derive::facts::FactsSummary,
    search_indexed: u64,
    seconds: f64,
}

/// The stages of `rasd ingest` over what a bulk load stored.
fn derive_loaded(archive: &mut rasd_store::Archive) -> anyhow::Result<DerivedOnly> {
    let started = std::time::Instant::now();
    // The live clusterer must not run meanwhile: it would read half-written stories.
    let Some(_lock) = archive.try_clusterer_lock()? else {
        anyhow::bail!(
            "another process runs the clusterer on {}",
            archive.location()
        );
    };
    let mut done = DerivedOnly::default();
    let config = rasd_cluster::summary::SummaryConfig::default();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    loop {
        // A story's first batch writes its size, so its later members
        // are not read again: each story is summarized once, from all its members.
        let members = archive.bulk_pending_memberships(DERIVE_BATCH)?;
        if members.is_empty() {
            break;
        }
        done.memberships += members.len() as u64;
        let batch = rasd_store::StoryBatch {
            members,
            merges: Vec::new(),
        };
        let counts = archive.apply_story_batch(&batch, now, &mut |m| {
            crate::derive::stories::digest(m, &config)
        })?;
        done.stories_updated += counts.stories_updated;
        done.topics_updated += counts.topics_updated;
    }
    done.facts = crate::derive::facts::derive_missing(archive)?;
    let (mut index, rebuilt) = crate::derive::search::open_or_rebuild(archive)?;
    done.search_indexed = if rebuilt > 0 {
        rebuilt
    } else {
        crate::derive::search::rebuild(archive, &mut index)?
    };
    index.close()?;
    done.seconds = started.elapsed().as_secs_f64();
    Ok(done)
}

pub fn run(args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    let mut archive = args.data.open_writer(None)?;
    if args.derived_only {
        let done = derive_loaded(&mut archive)?;
        let mut out = output::stdout();
        match args.format {
            Format::Json => output::write_json_line(&mut out, &serde_json::to_value(&done)?)?,
            Format::Text => writeln!(
                out,
                "derived: {} stories summarized, {} topics, facts of {} articles ({} entities), {} articles indexed in {:.1} s",
                done.stories_updated,
                done.topics_updated,
                done.facts.articles,
                done.facts.entities,
                done.search_indexed,
                done.seconds
            )?,
        }
        out.flush()?;
        return Ok(Outcome::Success);
    }
    let summary = archive.reindex(&super::ingest::detector())?;
    // Stories are rebuilt after the groups they follow.
    let stories = crate::derive::stories::rebuild(&mut archive, 1000)?;
    // Facts with this rasd's recognizer and linker: an upgrade that changed
    // them leaves the stored ones stale (`rasd stats` tells).
    let facts = {
        let _lock = archive.try_clusterer_lock()?.with_context(|| {
            format!(
                "another process runs the clusterer on {}",
                archive.location()
            )
        })?;
        crate::derive::facts::recompute_all(&mut archive)?
    };
    // The search index last: it indexes the facts' entities too.
    let search = {
        let (mut index, rebuilt) = crate::derive::search::open_or_rebuild(&archive)?;
        let count = if rebuilt > 0 {
            rebuilt
        } else {
            crate::derive::search::rebuild(&archive, &mut index)?
        };
        index.close()?;
        count
    };
    let mut out = output::stdout();
    match args.format {
        Format::Json => {
            let mut json = serde_json::to_value(&summary)?;
            json["stories"] = serde_json::to_value(&stories)?;
            json["facts"] = serde_json::to_value(&facts)?;
            json["search_indexed"] = serde_json::to_value(search)?;
            output::write_json_line(&mut out, &json)?
        }
        Format::Text => {
            writeln!(
                out,
                "reindexed {} articles ({} fingerprinted, {} band keys), {} duplicate groups",
                summary.articles, summary.fingerprinted, summary.band_keys, summary.groups
            )?;
            writeln!(
                out,
                "rebuilt stories: {} articles, {} stories opened, {} merged",
                stories.articles, stories.stories_opened, stories.stories_merged
            )?;
            writeln!(
                out,
                "recomputed facts: {} articles, {} entities, {} quotes, {} figures (facts version {})",
                facts.articles, facts.entities, facts.quotes, facts.figures, facts.version
            )?;
            writeln!(out, "rebuilt the search index: {search} articles")?
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}
