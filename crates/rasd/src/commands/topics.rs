//! `rasd topics`: list the archive's topics (threads of stories), most
//! recently active first.

use crate::data_dir::DataArgs;
use crate::output::{self, Format};
use crate::{Globals, Outcome};
use rasd_store::TopicQuery;

/// List topics (most recently active first) with their label and counts.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,

    /// Only topics with at least this many stories.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_stories: u64,

    #[command(flatten)]
    pub paging: crate::paging::Paging,

    /// Output format: text (one line per topic) or json (one topic per line).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub fn run(args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    use super::stories::day;
    let archive = args.data.open_reader()?;
    let topics = archive.topics(&TopicQuery {
        min_stories: args.min_stories,
        limit: Some(args.paging.limit),
        offset: args.paging.offset,
    })?;
    output::write_rows(args.format, &topics, |out, t| {
        writeln!(
            out,
            "{}  {} … {}  {:>3} stories  {:>4} art.  {}",
            t.id,
            day(t.first_published.as_deref()),
            day(t.last_published.as_deref()),
            t.stories,
            t.articles,
            t.label.as_deref().unwrap_or("(unlabelled)")
        )
    })?;
    Ok(Outcome::Success)
}
