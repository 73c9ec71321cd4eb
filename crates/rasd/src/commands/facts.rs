//! `rasd facts`: entities (linked across the articles of the run), quotes
//! with speakers, and figures of each article.
//!
//! Pages are read and extracted as `rasd extract` does; the facts are
//! printed once every article is read, so entity names reflect the whole
//! run (a «الكاظمي» read first shows as «مصطفى الكاظمي» once the full name
//! appears anywhere).

use crate::commands::extract::{extract_inputs, ExtractRun};
use crate::output::{self, Format};
use crate::{Globals, Outcome};
use rasd_facts::article::{article_facts, ArticleFacts};
use rasd_facts::link::Linker;
use rasd_facts::Model;
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;

/// Entities, quotes and figures of each article.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files, folders (read recursively), `-` for stdin; as `rasd extract` reads them.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,

    /// Output format: readable text, or one JSON object per article.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(args: Args, globals: Globals) -> anyhow::Result<Outcome> {
    let model = Model::embedded();
    let mut linker = Linker::with_gazetteer(model.gazetteer().clone());
    let mut found: Vec<(Option<String>, Option<String>, ArticleFacts)> = Vec::new();
    let run = ExtractRun {
        paths: args.paths,
        templates: true,
        window: 2_000,
        progress: globals.progress,
    };
    let all_ok = extract_inputs(
        &run,
        |article| {
            let facts = article_facts(model, &mut linker, article.title.as_deref(), &article.body);
            found.push((article.path.clone(), article.title.clone(), facts));
            Ok(())
        },
        |message| eprintln!("rasd: {message}"),
    )?;
    let mut out = output::stdout();
    for (path, title, facts) in &found {
        let shown = facts.render(&linker);
        match args.format {
            Format::Json => output::write_json_line(
                &mut out,
                &json!({
                    "path": path,
                    "title": title,
                    "entities": shown.entities,
                    "quotes": shown.quotes,
                    "figures": shown.figures,
                }),
            )?,
            Format::Text => {
                writeln!(out, "== {}", path.as_deref().unwrap_or("-"))?;
                if let Some(title) = title {
                    writeln!(out, "title: {title}")?;
                }
                for e in &shown.entities {
                    writeln!(out, "entity\t{}\t{}\t{}", e.ty.label(), e.text, e.entity)?;
                }
                for q in &shown.quotes {
                    let who = q.speaker_entity.as_deref().unwrap_or(&q.speaker);
                    writeln!(out, "quote\t{who}\t{}", q.text)?;
                }
                for f in &shown.figures {
                    writeln!(out, "figure\t{}\t{}\t{}", f.value, f.unit, f.text)?;
                }
                writeln!(out)?;
            }
        }
    }
    out.flush()?;
    Ok(if all_ok {
        Outcome::Success
    } else {
        Outcome::PartialFailure
    })
}
