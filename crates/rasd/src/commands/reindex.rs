//! `rasd reindex`: rebuild the derived tables (dedup signatures, LSH bands,
//! duplicate groups) from the stored articles, in one transaction; then the
//! stories and topics, replayed in publication order batch by batch.

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
    // Stories are rebuilt after the groups they follow.
    let stories = crate::derive::stories::rebuild(&mut archive, 1000)?;
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
            writeln!(out, "rebuilt the search index: {search} articles")?
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}
