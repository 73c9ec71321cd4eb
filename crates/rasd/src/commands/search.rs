//! `rasd search`: full-text search of the archive with the Arabic analyzer.
//!
//! Reads `<data>/search/` (built from the store first, with a note on
//! stderr, when the archive has none yet) and prints one hit per line. A
//! malformed query is the command's failure (exit 2, with the reason).

use crate::commands::articles::parse_day;
use crate::data_dir::DataArgs;
use crate::derive::search::{index_dir, index_exists, open_or_rebuild};
use crate::output::{self, Format};
use crate::{Globals, Outcome};
use rasd_search::{Hit, SearchBackend, SearchIndex, SearchRequest};
use std::io::Write;

/// Most hits one call prints.
const MAX_LIMIT: usize = 1_000;

/// Search the archive: words, "quoted phrases", -excluded words.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,

    /// Only articles published on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DAY", value_parser = parse_day)]
    pub since: Option<String>,

    /// Only articles published on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DAY", value_parser = parse_day)]
    pub until: Option<String>,

    /// Only articles from this outlet (its exact `source` name).
    #[arg(long, value_name = "SOURCE")]
    pub source: Option<String>,

    /// Only articles in this language (e.g. `ar`).
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,

    /// Only articles mentioning this entity (its id, see `rasd entities`).
    #[arg(long, value_name = "ID")]
    pub entity: Option<i64>,

    /// At most this many hits.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,

    /// Skip this many hits first (for paging).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: usize,

    /// One hit per story: its best article, with how many more matched.
    #[arg(long)]
    pub stories: bool,

    /// Also print the facets (sources, days, entities) of all matches, last.
    #[arg(long)]
    pub facets: bool,

    /// Output format: text, or json (one hit per line).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,

    /// The query.
    #[arg(required = true, num_args = 1.., value_name = "QUERY")]
    pub query: Vec<String>,
}

pub fn run(args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    anyhow::ensure!(
        (1..=MAX_LIMIT).contains(&args.limit),
        "--limit must be between 1 and {MAX_LIMIT}"
    );
    let archive = args.data.open_reader()?;
    let dir = archive.dir().to_path_buf();
    // Through the trait, as the server does: another engine can stand in.
    let index: Box<dyn SearchBackend> = if index_exists(&dir) {
        Box::new(SearchIndex::open(&index_dir(&dir), false)?)
    } else {
        eprintln!(
            "rasd: note: {} has no search index yet; building it from the store",
            dir.display()
        );
        let (index, rebuilt) = open_or_rebuild(&archive)?;
        eprintln!("rasd: note: indexed {rebuilt} articles");
        Box::new(index)
    };
    let request = SearchRequest {
        query: args.query.join(" "),
        since: args.since,
        until: args.until,
        source: args.source,
        lang: args.lang,
        entity: args.entity,
        limit: args.limit,
        offset: args.offset,
        collapse: args.stories,
        facets: args.facets,
        without_snippets: false,
        // One query from the command line: count every match.
        exact_total: true,
    };
    let stories_of = |ids: &[String]| archive.stories_of_or_none(ids);
    let results = index.search(&request, &stories_of)?;
    let mut out = output::stdout();
    for hit in &results.hits {
        match args.format {
            Format::Json => output::write_json_line(&mut out, hit)?,
            Format::Text => write_hit(&mut out, hit, args.stories)?,
        }
    }
    if let Some(facets) = &results.facets {
        match args.format {
            Format::Json => output::write_json_line(
                &mut out,
                &serde_json::json!({"total": results.total, "facets": facets}),
            )?,
            Format::Text => {
                writeln!(out, "{} matching articles", results.total)?;
                for (name, counts) in [
                    ("sources", &facets.sources),
                    ("days", &facets.days),
                    ("entities", &facets.entities),
                ] {
                    let list: Vec<String> = counts
                        .iter()
                        .map(|c| format!("{} ({})", c.key, c.count))
                        .collect();
                    writeln!(out, "{name}: {}", list.join(", "))?;
                }
            }
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}

/// `score  day  source  title` then the snippet with matches in [brackets].
fn write_hit(out: &mut impl Write, hit: &Hit, stories: bool) -> std::io::Result<()> {
    let day = hit
        .published
        .as_deref()
        .map_or("-", |p| p.get(..10).unwrap_or(p));
    let place = hit
        .path
        .as_deref()
        .or(hit.url.as_deref())
        .unwrap_or(&hit.id);
    write!(
        out,
        "{:.2}  {day}  {}  {}  {place}",
        hit.score,
        hit.source.as_deref().unwrap_or("-"),
        hit.title.as_deref().unwrap_or("-"),
    )?;
    if stories && hit.also_in_story > 0 {
        write!(out, "  (+{} in story)", hit.also_in_story)?;
    }
    let mut snippet = String::with_capacity(hit.snippet.len() + 8);
    let mut last = 0;
    for &(start, end) in &hit.highlights {
        let (Some(before), Some(word)) =
            (hit.snippet.get(last..start), hit.snippet.get(start..end))
        else {
            continue;
        };
        snippet.push_str(before);
        snippet.push('[');
        snippet.push_str(word);
        snippet.push(']');
        last = end;
    }
    snippet.push_str(hit.snippet.get(last..).unwrap_or(""));
    writeln!(out, "\n    {}", snippet.replace('\n', " "))
}
