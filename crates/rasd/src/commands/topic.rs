//! `rasd topic ID`: one topic with its timeline of stories by date.

use crate::data_dir::DataArgs;
use crate::output::{self, Format};
use crate::{Globals, Outcome};
use std::io::Write;

/// Show one topic: its label, counts and timeline of stories by date.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,

    /// The topic's id (as `rasd topics` lists it).
    pub id: i64,

    /// Output format: text or json (the topic with its `timeline`).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub fn run(args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    let archive = args.data.open_reader()?;
    let Some(detail) = archive.topic(args.id)? else {
        anyhow::bail!("no topic {} in {}", args.id, archive.dir().display());
    };
    let mut out = output::stdout();
    match args.format {
        Format::Json => output::write_json_line(&mut out, &detail)?,
        Format::Text => {
            let t = &detail.topic;
            writeln!(
                out,
                "topic {}: {}",
                t.id,
                t.label.as_deref().unwrap_or("(unlabelled)")
            )?;
            writeln!(out, "{} stories, {} articles", t.stories, t.articles)?;
            for e in &detail.timeline {
                writeln!(
                    out,
                    "  {}  story {}  {:>4} art.  {}  [{}]",
                    e.date.as_deref().unwrap_or("-"),
                    e.story,
                    e.size,
                    e.headline.as_deref().unwrap_or("(untitled)"),
                    e.sources.join(", ")
                )?;
            }
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}
