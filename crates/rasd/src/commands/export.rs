//! `rasd export`: every stored article, one per line (JSON Lines), with its
//! duplicate group.

use crate::data_dir::DataArgs;
use crate::output;
use crate::{Globals, Outcome};
use anyhow::Context;
use rasd_store::{ArticleQuery, StoredArticle};
use serde::Serialize;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ExportFormat {
    /// One JSON object per line.
    #[default]
    Jsonl,
}

/// Export stored articles: id, url, path, title, body, published, source, lang, duplicate_group.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: ExportFormat,

    /// Write here instead of stdout (replaced atomically when complete).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also export superseded versions of changed articles.
    #[arg(long)]
    pub all_versions: bool,
}

/// One exported line.
#[derive(Debug, Serialize)]
struct ExportRow<'a> {
    id: &'a str,
    url: Option<&'a str>,
    path: Option<&'a str>,
    title: Option<&'a str>,
    body: &'a str,
    published: Option<&'a str>,
    source: Option<&'a str>,
    lang: Option<&'a str>,
    version: u32,
    duplicate_group: Option<&'a str>,
}

impl<'a> From<&'a StoredArticle> for ExportRow<'a> {
    fn from(a: &'a StoredArticle) -> Self {
        ExportRow {
            id: &a.id,
            url: a.url.as_deref(),
            path: a.path.as_deref(),
            title: a.title.as_deref(),
            body: &a.body,
            published: a.published.as_deref(),
            source: a.source.as_deref(),
            lang: a.lang.as_deref(),
            version: a.version,
            duplicate_group: a.duplicate_group.as_deref(),
        }
    }
}

pub fn run(args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    let archive = args.data.open_reader()?;
    let query = ArticleQuery {
        all_versions: args.all_versions,
        ..ArticleQuery::default()
    };
    let write_all = |mut out: &mut dyn Write| -> anyhow::Result<()> {
        archive.for_each_article(&query, |a| -> anyhow::Result<()> {
            output::write_json_line(&mut out, &ExportRow::from(&a))?;
            Ok(())
        })?;
        out.flush()?;
        Ok(())
    };
    match &args.output {
        None => write_all(&mut output::stdout())?,
        Some(path) => {
            // Written beside the target and renamed, so a reader never sees half a file.
            let partial = path.with_extension("partial");
            let file = std::fs::File::create(&partial)
                .with_context(|| format!("creating {}", partial.display()))?;
            let mut out = BufWriter::with_capacity(1 << 16, file);
            write_all(&mut out).with_context(|| format!("writing {}", partial.display()))?;
            out.into_inner()
                .map_err(|e| e.into_error())
                .and_then(|f| f.sync_all())
                .with_context(|| format!("writing {}", partial.display()))?;
            std::fs::rename(&partial, path)
                .with_context(|| format!("renaming to {}", path.display()))?;
        }
    }
    Ok(Outcome::Success)
}
