//! `rasd articles`: list stored articles, filtered by outlet and date.

use crate::data_dir::DataArgs;
use crate::output::{self, Format};
use crate::{Globals, Outcome};
use rasd_store::{ArticleQuery, StoredArticle};
use std::io::Write;

/// List stored articles (newest first), filtered by outlet and publication day.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,

    /// Only articles from this outlet (its exact `source` name).
    #[arg(long, value_name = "SOURCE")]
    pub source: Option<String>,

    /// Only articles published on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DAY", value_parser = parse_day)]
    pub since: Option<String>,

    /// Only articles published on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DAY", value_parser = parse_day)]
    pub until: Option<String>,

    #[command(flatten)]
    pub paging: crate::paging::Paging,

    /// Also list superseded versions of changed articles.
    #[arg(long)]
    pub all_versions: bool,

    /// Output format: text (one line per article) or json (one object per line, with the body).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// A `YYYY-MM-DD` day, checked for shape and range.
pub fn parse_day(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    let month: u32 = text.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(0);
    let day: u32 = text.get(8..10).and_then(|d| d.parse().ok()).unwrap_or(0);
    if shaped && (1..=12).contains(&month) && (1..=31).contains(&day) {
        Ok(text.to_string())
    } else {
        Err(format!("expected a day as YYYY-MM-DD, got {text:?}"))
    }
}

pub fn run(args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    let archive = args.data.open_reader()?;
    let query = ArticleQuery {
        source: args.source,
        since: args.since,
        until: args.until,
        limit: Some(args.paging.limit),
        offset: args.paging.offset,
        all_versions: args.all_versions,
    };
    let mut out = output::stdout();
    archive.for_each_article(&query, |article| -> anyhow::Result<()> {
        match args.format {
            Format::Json => output::write_json_line(&mut out, &article)?,
            Format::Text => write_line(&mut out, &article)?,
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(Outcome::Success)
}

fn write_line(out: &mut impl Write, a: &StoredArticle) -> std::io::Result<()> {
    let copy = match &a.duplicate_group {
        Some(group) if *group != a.id => format!("  [copy of {group}]"),
        _ => String::new(),
    };
    writeln!(
        out,
        "{}  {}  {}  {}{copy}",
        a.id,
        a.published
            .as_deref()
            .map_or("-", |p| p.get(..10).unwrap_or(p)),
        a.source.as_deref().unwrap_or("-"),
        a.title.as_deref().unwrap_or("(untitled)"),
    )
}

#[cfg(test)]
mod tests {
    use super::parse_day;

    #[test]
    fn days_are_checked() {
        assert!(parse_day("2015-07-21").is_ok());
        assert!(parse_day("2015-13-01").is_err());
        assert!(parse_day("٢٠١٥-٠٧-٢١").is_err());
        assert!(parse_day("2015-7-21").is_err());
    }
}
