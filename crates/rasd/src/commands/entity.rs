//! `rasd entity ID`: one entity with its aliases, the stories it appears
//! in and the quotes it is the speaker of.

use crate::data_dir::DataArgs;
use crate::output::{self, Format};
use crate::{Globals, Outcome};
use rasd_store::EntityDetail;
use std::io::Write;

/// Show one entity with its stories and quotes.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,

    /// The entity's id (as `rasd entities` prints it).
    #[arg(value_name = "ID")]
    pub id: i64,

    /// Output format: text, or json (one object).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub fn run(args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    let archive = args.data.open_reader()?;
    let Some(detail) = archive.entity(args.id)? else {
        anyhow::bail!("entity {}: not found (see `rasd entities`)", args.id);
    };
    let mut out = output::stdout();
    match args.format {
        Format::Json => output::write_json_line(&mut out, &detail)?,
        Format::Text => write_text(&mut out, &detail)?,
    }
    out.flush()?;
    Ok(Outcome::Success)
}

fn write_text(out: &mut impl Write, d: &EntityDetail) -> std::io::Result<()> {
    let e = &d.entity;
    writeln!(out, "{}", e.name)?;
    writeln!(out, "id:       {}", e.id)?;
    writeln!(out, "type:     {}", e.kind)?;
    writeln!(
        out,
        "mentions: {} in {} articles, {} stories",
        e.mentions, e.articles, e.stories
    )?;
    if !e.aliases.is_empty() {
        writeln!(out, "aliases:  {}", e.aliases.join("، "))?;
    }
    if !d.stories.is_empty() {
        writeln!(out)?;
        writeln!(out, "stories:")?;
        for s in &d.stories {
            writeln!(
                out,
                "  {}  {}  {} articles, {} mentions  {}",
                s.id,
                s.first_published
                    .as_deref()
                    .map_or("-", |p| p.get(..10).unwrap_or(p)),
                s.size,
                s.mentions,
                s.headline.as_deref().unwrap_or("(untitled)"),
            )?;
        }
    }
    if !d.quotes.is_empty() {
        writeln!(out)?;
        writeln!(out, "quotes:")?;
        for q in &d.quotes {
            crate::commands::quotes::write_line(out, q)?;
        }
    }
    Ok(())
}
