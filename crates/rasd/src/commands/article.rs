//! `rasd article ID`: one stored article with its duplicate group
//! (canonical and every copy with outlet and date), its versions and its
//! facts (entities, quotes, figures).

use crate::data_dir::DataArgs;
use crate::output::{self, Format};
use crate::{Globals, Outcome};
use rasd_store::{ArticleDetail, ArticleFactsRow};
use std::io::Write;

/// Show one article with its duplicate group and versions (exit 1 when no such id).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,

    /// The article's id (as `rasd articles` prints it).
    #[arg(value_name = "ID")]
    pub id: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub fn run(args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    let archive = args.data.open_reader()?;
    let Some(detail) = archive.article(args.id.trim())? else {
        eprintln!("rasd: article {}: not found", args.id);
        return Ok(Outcome::PartialFailure);
    };
    let facts = archive.article_facts(&detail.article.id)?;
    let mut out = output::stdout();
    match args.format {
        Format::Json => {
            let mut value = serde_json::to_value(&detail)?;
            if let Some(map) = value.as_object_mut() {
                map.insert("facts".into(), serde_json::to_value(&facts)?);
            }
            output::write_json_line(&mut out, &value)?
        }
        Format::Text => {
            write_text(&mut out, &detail)?;
            if let Some(facts) = &facts {
                write_facts(&mut out, facts)?;
            }
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}

/// Entities, quotes and figures, one per line, after the article.
fn write_facts(out: &mut impl Write, f: &ArticleFactsRow) -> std::io::Result<()> {
    if f.entities.is_empty() && f.quotes.is_empty() && f.figures.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "facts:")?;
    for m in &f.entities {
        writeln!(
            out,
            "  entity\t{}\t{}\t{} [{}]",
            m.kind, m.text, m.name, m.entity
        )?;
    }
    for q in &f.quotes {
        let who = q.speaker_name.as_deref().unwrap_or(&q.speaker);
        writeln!(out, "  quote\t{who}\t{}", q.text)?;
    }
    for g in &f.figures {
        writeln!(
            out,
            "  figure\t{}\t{}\t{}",
            g.value,
            g.unit.as_deref().unwrap_or("-"),
            g.text
        )?;
    }
    Ok(())
}

fn write_text(out: &mut impl Write, d: &ArticleDetail) -> std::io::Result<()> {
    let a = &d.article;
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    writeln!(out, "{}", a.title.as_deref().unwrap_or("(untitled)"))?;
    writeln!(out, "id:        {}", a.id)?;
    writeln!(out, "published: {}", or_dash(&a.published))?;
    writeln!(out, "source:    {}", or_dash(&a.source))?;
    writeln!(out, "lang:      {}", or_dash(&a.lang))?;
    writeln!(out, "url:       {}", or_dash(&a.url))?;
    writeln!(out, "path:      {}", or_dash(&a.path))?;
    let state = if d.superseded { " (superseded)" } else { "" };
    writeln!(out, "version:   {}{state}", a.version)?;
    writeln!(out)?;
    writeln!(out, "{}", a.body)?;
    if let Some(group) = d.group.as_ref().filter(|g| g.members.len() > 1) {
        writeln!(out)?;
        writeln!(
            out,
            "duplicate group {} ({} articles):",
            group.canonical,
            group.members.len()
        )?;
        for m in &group.members {
            let role = if m.canonical {
                "canonical"
            } else {
                m.kind.as_str()
            };
            let similarity = m
                .similarity
                .filter(|_| !m.canonical)
                .map_or(String::new(), |s| format!(" {s:.2}"));
            writeln!(
                out,
                "  {}  {}  {}  {role}{similarity}",
                m.id,
                m.published.as_deref().unwrap_or("-"),
                m.source.as_deref().unwrap_or("-"),
            )?;
        }
    }
    if d.versions.len() > 1 {
        writeln!(out)?;
        writeln!(out, "versions:")?;
        for v in &d.versions {
            writeln!(out, "  {}  v{}", v.id, v.version)?;
        }
    }
    Ok(())
}
