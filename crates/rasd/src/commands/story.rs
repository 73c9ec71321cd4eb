//! `rasd story ID`: one story with its headline, summary, outlets (who
//! broke it, who followed) and articles; in JSON also its facts.

use crate::data_dir::DataArgs;
use crate::output::{self, Format};
use crate::{Globals, Outcome};
use rasd_store::Story;
use std::io::Write;

/// Show one story: headline, summary, outlets by first publication, articles.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,

    /// The story's id (as `rasd stories` lists it).
    pub id: i64,

    /// Output format: text or json (the story with its `facts`).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub fn run(args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    let archive = args.data.open_reader()?;
    let Some(story) = archive.story(args.id)? else {
        anyhow::bail!("no story {} in {}", args.id, archive.dir().display());
    };
    let mut out = output::stdout();
    match args.format {
        Format::Json => {
            let mut json = serde_json::to_value(&story)?;
            json["facts"] = serde_json::to_value(archive.story_facts(story.id)?)?;
            output::write_json_line(&mut out, &json)?;
        }
        Format::Text => write_text(&mut out, &story)?,
    }
    out.flush()?;
    Ok(Outcome::Success)
}

fn write_text(out: &mut impl Write, s: &Story) -> std::io::Result<()> {
    use super::stories::day;
    writeln!(
        out,
        "story {}: {}",
        s.id,
        s.headline.as_deref().unwrap_or("(untitled)")
    )?;
    writeln!(
        out,
        "{} articles, {} … {}{}",
        s.size,
        day(s.first_published.as_deref()),
        day(s.last_published.as_deref()),
        s.topic.map(|t| format!(", topic {t}")).unwrap_or_default()
    )?;
    if !s.summary.is_empty() {
        writeln!(out, "\n{}", s.summary)?;
    }
    writeln!(out, "\noutlets (first publication):")?;
    for o in &s.sources {
        writeln!(
            out,
            "  {}  {}  ({} art.)",
            o.first_published.as_deref().unwrap_or("-"),
            if o.source.is_empty() { "?" } else { &o.source },
            o.articles
        )?;
    }
    writeln!(out, "\narticles:")?;
    for a in &s.articles {
        writeln!(
            out,
            "  {}  {}  {}  {}",
            a.id,
            day(a.published.as_deref()),
            a.source.as_deref().unwrap_or("-"),
            a.title.as_deref().unwrap_or("(untitled)")
        )?;
    }
    Ok(())
}
