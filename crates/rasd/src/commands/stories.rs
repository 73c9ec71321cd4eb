//! `rasd stories`: list the archive's stories (newest activity first),
//! filtered by day, outlet, size and topic.

use crate::commands::articles::parse_day;
use crate::data_dir::DataArgs;
use crate::output::{self, Format};
use crate::{Globals, Outcome};
use rasd_store::{Story, StoryQuery};
use std::io::Write;

/// List stories (most recently active first) with headline, size and outlets.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,

    /// Only stories active on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DAY", value_parser = parse_day)]
    pub since: Option<String>,

    /// Only stories begun on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DAY", value_parser = parse_day)]
    pub until: Option<String>,

    /// Only stories with an article from this outlet (its exact `source` name).
    #[arg(long, value_name = "SOURCE")]
    pub source: Option<String>,

    /// Only stories with at least this many articles.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_size: u64,

    /// Only stories of this topic.
    #[arg(long, value_name = "ID")]
    pub topic: Option<i64>,

    #[command(flatten)]
    pub paging: crate::paging::Paging,

    /// Output format: text (one line per story) or json (one story per line, with its articles).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub fn run(args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    let archive = args.data.open_reader()?;
    let stories = archive.stories(&StoryQuery {
        since: args.since,
        until: args.until,
        source: args.source,
        min_size: args.min_size,
        topic: args.topic,
        limit: Some(args.paging.limit),
        offset: args.paging.offset,
    })?;
    output::write_rows(args.format, &stories, write_line)?;
    Ok(Outcome::Success)
}

/// The day part of a date-time, or `-`.
pub(crate) fn day(published: Option<&str>) -> &str {
    published.map_or("-", |p| p.get(..10).unwrap_or(p))
}

/// `ID  first-day  N articles  outlet, outlet, …  headline`.
fn write_line(out: &mut dyn Write, s: &Story) -> std::io::Result<()> {
    const SHOWN: usize = 4;
    let mut outlets: Vec<&str> = s
        .sources
        .iter()
        .take(SHOWN)
        .map(|o| {
            if o.source.is_empty() {
                "?"
            } else {
                o.source.as_str()
            }
        })
        .collect();
    let more = s.sources.len().saturating_sub(SHOWN);
    let more = if more > 0 {
        format!(" +{more}")
    } else {
        String::new()
    };
    if outlets.is_empty() {
        outlets.push("-");
    }
    writeln!(
        out,
        "{}  {}  {:>4} art.  {}{more}  {}",
        s.id,
        day(s.first_published.as_deref()),
        s.size,
        outlets.join(", "),
        s.headline.as_deref().unwrap_or("(untitled)"),
    )
}
