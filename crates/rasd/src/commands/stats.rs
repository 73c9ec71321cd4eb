//! `rasd stats`: counts of the archive by outlet, language and day, the
//! duplicate ratio, pages, runs and errors.

use crate::data_dir::DataArgs;
use crate::output::{self, Format};
use crate::{Globals, Outcome};
use rasd_store::{Count, Stats};
use std::io::Write;

/// Counts by source, language and day; duplicate ratio; pages, runs and errors.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

pub fn run(args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    let archive = args.data.open_reader()?;
    let stats = archive.stats()?;
    let facts = FactsState::of(&archive)?;
    let mut out = output::stdout();
    match args.format {
        Format::Json => {
            let mut json = serde_json::to_value(&stats)?;
            json["facts"] = serde_json::to_value(&facts)?;
            output::write_json_line(&mut out, &json)?
        }
        Format::Text => write_text(&mut out, &stats, &facts)?,
    }
    out.flush()?;
    Ok(Outcome::Success)
}

/// Whether the stored facts are this rasd's.
#[derive(Debug, serde::Serialize)]
struct FactsState {
    /// This rasd's facts version.
    version: String,
    /// The stored facts' version when it is another one.
    stale_version: Option<String>,
}

impl FactsState {
    fn of(archive: &rasd_store::Archive) -> anyhow::Result<FactsState> {
        Ok(FactsState {
            version: rasd_facts::facts_version_label(rasd_facts::facts_version()),
            stale_version: crate::derive::facts::stale_facts(archive)?,
        })
    }
}

fn write_text(out: &mut impl Write, s: &Stats, facts: &FactsState) -> std::io::Result<()> {
    writeln!(out, "articles:          {}", s.articles)?;
    writeln!(out, "versions stored:   {}", s.versions)?;
    writeln!(out, "pages:             {}", s.pages)?;
    writeln!(out, "duplicate groups:  {}", s.duplicate_groups)?;
    writeln!(out, "in shared groups:  {}", s.articles_in_duplicate_groups)?;
    writeln!(out, "duplicate ratio:   {:.4}", s.duplicate_ratio)?;
    writeln!(
        out,
        "ingest runs:       {} ({} unfinished)",
        s.ingest_runs, s.unfinished_runs
    )?;
    writeln!(out, "ingest errors:     {}", s.errors)?;
    let state = match &facts.stale_version {
        Some(stored) => format!(
            "stale: computed by facts version {stored}, this rasd is {}; `rasd reindex` recomputes them",
            facts.version
        ),
        None => format!("current (facts version {})", facts.version),
    };
    writeln!(out, "facts:             {state}")?;
    for (title, counts) in [
        ("by source", &s.by_source),
        ("by language", &s.by_lang),
        ("by day", &s.by_day),
    ] {
        writeln!(out, "{title}:")?;
        write_counts(out, counts)?;
    }
    Ok(())
}

fn write_counts(out: &mut impl Write, counts: &[Count]) -> std::io::Result<()> {
    for c in counts {
        writeln!(
            out,
            "  {:>8}  {}",
            c.articles,
            c.key.as_deref().unwrap_or("(unknown)")
        )?;
    }
    Ok(())
}
