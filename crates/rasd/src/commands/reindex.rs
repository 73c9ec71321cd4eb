//! `rasd reindex`: rebuild the derived tables (dedup signatures, LSH bands,
//! duplicate groups) from the stored articles, in one transaction.

use crate::data_dir::DataArgs;
use crate::output::{self, Format};
use crate::{Globals, Outcome};
use std::io::Write;

/// Rebuild signatures, LSH bands and duplicate groups from the stored articles.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,

    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub fn run(args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    let mut archive = args.data.open_writer(None)?;
    let summary = archive.reindex(&super::ingest::detector())?;
    let mut out = output::stdout();
    match args.format {
        Format::Json => output::write_json_line(&mut out, &summary)?,
        Format::Text => writeln!(
            out,
            "reindexed {} articles ({} fingerprinted, {} band keys), {} duplicate groups",
            summary.articles, summary.fingerprinted, summary.band_keys, summary.groups
        )?,
    }
    out.flush()?;
    Ok(Outcome::Success)
}
