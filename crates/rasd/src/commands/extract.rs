//! `rasd extract`: clean articles from pages (text dumps, HTML, archives, JSONL).
//!
//! Records come from `rasd_sources::open_inputs` in windows of at most
//! `--window` records (bounded memory on archives). In each window, pages
//! are grouped by site, each site with enough pages learns its template,
//! and pages are extracted in parallel; articles are written in input order.

use crate::output::{self, Format};
use crate::{Globals, Outcome};
use rasd_model::{Article, Page};
use rasd_sources::{open_inputs, InputOptions, Record};
use std::io::Write;
use std::path::PathBuf;

/// Extract clean articles from pages: text dumps, HTML, archives, JSONL.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files, folders (read recursively), `-` for stdin; `.gz`, WARC, WET
    /// and JSON Lines are read transparently.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,

    /// Output format: readable text, or one JSON object per article.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Learn each site's template (recurring lines) from its pages first.
    #[arg(long, value_enum, default_value_t = Switch::On)]
    pub site_templates: Switch,

    /// Records held in memory at once; templates are learned per window.
    #[arg(long, default_value_t = 2_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub window: u32,
}

/// An on/off flag value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Switch {
    On,
    Off,
}

/// How extraction over inputs is run.
#[derive(Debug, Clone)]
pub struct ExtractRun {
    pub paths: Vec<PathBuf>,
    pub templates: bool,
    pub window: usize,
    pub progress: bool,
}

/// Extracts every input, calling `emit` with each article (in input order)
/// and `fail` with each failed input's message (`<origin>: <reason>`).
/// Returns whether every input went through.
pub fn extract_inputs(
    run: &ExtractRun,
    mut emit: impl FnMut(&Article) -> anyhow::Result<()>,
    mut fail: impl FnMut(&str),
) -> anyhow::Result<bool> {
    let bar = output::progress(run.progress, None, "extract");
    let mut inputs = open_inputs(&run.paths, &InputOptions::default());
    let mut all_ok = true;
    loop {
        let window: Vec<_> = inputs.by_ref().take(run.window).collect();
        if window.is_empty() {
            break;
        }
        bar.inc(window.len() as u64);
        let pages: Vec<&Page> = window
            .iter()
            .filter_map(|record| match record {
                Ok(Record::Page(page)) => Some(page),
                _ => None,
            })
            .collect();
        let mut extracted = rasd_extract::batch::extract_pages(&pages, run.templates).into_iter();
        let results: Vec<Result<Vec<Article>, String>> = window
            .into_iter()
            .map(|record| match record {
                Err(err) => Err(err.to_string()),
                Ok(Record::Article(article)) => Ok(vec![article]),
                Ok(Record::Page(_)) => extracted
                    .next()
                    .expect("one extraction result per page")
                    .map_err(|e| e.to_string()),
            })
            .collect();
        for result in results {
            match result {
                Ok(articles) => {
                    for article in &articles {
                        emit(article)?;
                    }
                }
                Err(message) => {
                    all_ok = false;
                    fail(&message);
                }
            }
        }
    }
    bar.finish_and_clear();
    Ok(all_ok)
}

pub fn run(args: Args, globals: Globals) -> anyhow::Result<Outcome> {
    let run = ExtractRun {
        paths: args.paths,
        templates: args.site_templates == Switch::On,
        window: args.window as usize,
        progress: globals.progress,
    };
    let mut out = output::stdout();
    let format = args.format;
    let all_ok = extract_inputs(
        &run,
        |article| {
            match format {
                Format::Json => output::write_json_line(&mut out, article)?,
                Format::Text => write_text(&mut out, article)?,
            }
            Ok(())
        },
        |message| eprintln!("rasd: {message}"),
    )?;
    out.flush()?;
    Ok(if all_ok {
        Outcome::Success
    } else {
        Outcome::PartialFailure
    })
}

/// One article as a readable block.
fn write_text(out: &mut impl Write, a: &Article) -> std::io::Result<()> {
    let none = "-";
    writeln!(out, "== {}", a.path.as_deref().unwrap_or(none))?;
    if let Some(url) = &a.url {
        writeln!(out, "url:       {url}")?;
    }
    writeln!(out, "title:     {}", a.title.as_deref().unwrap_or(none))?;
    writeln!(out, "published: {}", a.published.as_deref().unwrap_or(none))?;
    writeln!(out, "source:    {}", a.source.as_deref().unwrap_or(none))?;
    writeln!(out, "lang:      {}", a.lang.as_deref().unwrap_or(none))?;
    writeln!(out)?;
    writeln!(out, "{}", a.body)?;
    writeln!(out)
}
