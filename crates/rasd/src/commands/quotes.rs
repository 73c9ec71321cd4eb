//! `rasd quotes`: quotes with their speakers, newest first, filtered by
//! speaker (entity id or name), story or article.

use crate::data_dir::DataArgs;
use crate::output::{self, Format};
use crate::{Globals, Outcome};
use rasd_store::{Quote, QuoteQuery};
use std::io::Write;

/// List quotes with their speakers, newest first.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,

    /// Only quotes of this speaker: an entity id, or text matched against
    /// speaker names and their aliases.
    #[arg(long, value_name = "NAME|ID")]
    pub speaker: Option<String>,

    /// Only quotes from this story's articles.
    #[arg(long, value_name = "ID")]
    pub story: Option<i64>,

    /// Only quotes from this article.
    #[arg(long, value_name = "ID")]
    pub article: Option<String>,

    #[command(flatten)]
    pub paging: crate::paging::Paging,

    /// Output format: text (one line per quote) or json (one object per line).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub fn run(args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    let archive = args.data.open_reader()?;
    let quotes = archive.quotes(&QuoteQuery {
        speaker: args.speaker,
        story: args.story,
        article: args.article,
        limit: Some(args.paging.limit),
        offset: args.paging.offset,
    })?;
    output::write_rows(args.format, &quotes, write_line)?;
    Ok(Outcome::Success)
}

/// `DAY  SOURCE  SPEAKER: «TEXT»  [ARTICLE]`.
pub fn write_line(out: &mut dyn Write, q: &Quote) -> std::io::Result<()> {
    writeln!(
        out,
        "{}  {}  {}: «{}»  [{}]",
        q.published
            .as_deref()
            .map_or("-", |p| p.get(..10).unwrap_or(p)),
        q.source.as_deref().unwrap_or("-"),
        // A quote whose speaker the text does not name nearby.
        match q.speaker_name.as_deref().unwrap_or(&q.speaker) {
            "" => "?",
            who => who,
        },
        q.text,
        q.article,
    )
}
