//! `rasd export`: every stored article with its duplicate group, as JSON
//! Lines (one object per line) or as a Parquet file (one row per article,
//! written in row groups of [`PARQUET_ROW_GROUP`] articles so memory stays
//! bounded whatever the archive's size).

use crate::data_dir::DataArgs;
use crate::output;
use crate::{Globals, Outcome};
use anyhow::Context;
use rasd_store::{ArticleQuery, StoredArticle};
use serde::Serialize;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{StringBuilder, UInt32Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

/// Articles per Parquet row group by default (and per in-memory Arrow
/// batch): a few thousand news articles are a few tens of MiB at most.
pub const PARQUET_ROW_GROUP: usize = 4096;

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ExportFormat {
    /// One JSON object per line.
    #[default]
    Jsonl,
    /// Apache Parquet (Snappy); needs --output.
    Parquet,
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

    /// Articles per Parquet row group (bounds the memory the export holds).
    #[arg(long, value_name = "N", default_value_t = PARQUET_ROW_GROUP, value_parser = parse_row_group)]
    pub row_group_size: usize,
}

fn parse_row_group(value: &str) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(n) if (1..=1_000_000).contains(&n) => Ok(n),
        _ => Err("expected a number of articles from 1 to 1000000".into()),
    }
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
    match (args.format, &args.output) {
        (ExportFormat::Jsonl, None) => write_jsonl(&archive, &query, &mut output::stdout())?,
        (ExportFormat::Jsonl, Some(path)) => {
            write_atomically(path, |out| write_jsonl(&archive, &query, out))?
        }
        (ExportFormat::Parquet, None) => {
            anyhow::bail!("--format parquet writes a file: give it with --output FILE")
        }
        (ExportFormat::Parquet, Some(path)) => write_atomically(path, |out| {
            write_parquet(&archive, &query, args.row_group_size, out)
        })?,
    }
    Ok(Outcome::Success)
}

fn write_jsonl(
    archive: &rasd_store::Archive,
    query: &ArticleQuery,
    mut out: &mut dyn Write,
) -> anyhow::Result<()> {
    archive.for_each_article(query, |a| -> anyhow::Result<()> {
        output::write_json_line(&mut out, &ExportRow::from(&a))?;
        Ok(())
    })?;
    out.flush()?;
    Ok(())
}

/// Writes `path` through a `.partial` file beside it, synced and renamed
/// when complete, so a reader never sees half a file and a failed export
/// leaves any earlier file in place.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<std::fs::File>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let partial = path.with_extension("partial");
    let file = std::fs::File::create(&partial)
        .with_context(|| format!("creating {}", partial.display()))?;
    let mut out = BufWriter::with_capacity(1 << 16, file);
    let written = write(&mut out)
        .and_then(|()| {
            out.into_inner()
                .map_err(|e| e.into_error())
                .and_then(|f| f.sync_all())
                .map_err(anyhow::Error::from)
        })
        .with_context(|| format!("writing {}", partial.display()));
    if let Err(err) = written {
        // Best effort: the error above is the one worth reporting.
        let _ = std::fs::remove_file(&partial);
        return Err(err);
    }
    std::fs::rename(&partial, path).with_context(|| format!("renaming to {}", path.display()))
}

/// The Parquet schema: the JSON Lines fields, in the same order and names.
fn parquet_schema() -> Arc<Schema> {
    let text = |name: &str, nullable: bool| Field::new(name, DataType::Utf8, nullable);
    Arc::new(Schema::new(vec![
        text("id", false),
        text("url", true),
        text("path", true),
        text("title", true),
        text("body", false),
        text("published", true),
        text("source", true),
        text("lang", true),
        Field::new("version", DataType::UInt32, false),
        text("duplicate_group", true),
    ]))
}

/// Column builders for one row group.
#[derive(Default)]
struct ParquetColumns {
    id: StringBuilder,
    url: StringBuilder,
    path: StringBuilder,
    title: StringBuilder,
    body: StringBuilder,
    published: StringBuilder,
    source: StringBuilder,
    lang: StringBuilder,
    version: UInt32Builder,
    duplicate_group: StringBuilder,
    rows: usize,
}

impl ParquetColumns {
    fn push(&mut self, a: &StoredArticle) {
        self.id.append_value(&a.id);
        self.url.append_option(a.url.as_deref());
        self.path.append_option(a.path.as_deref());
        self.title.append_option(a.title.as_deref());
        self.body.append_value(&a.body);
        self.published.append_option(a.published.as_deref());
        self.source.append_option(a.source.as_deref());
        self.lang.append_option(a.lang.as_deref());
        self.version.append_value(a.version);
        self.duplicate_group
            .append_option(a.duplicate_group.as_deref());
        self.rows += 1;
    }

    /// The rows pushed so far as one batch; the builders start over empty.
    fn finish(&mut self, schema: &Arc<Schema>) -> anyhow::Result<RecordBatch> {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.id.finish()),
            Arc::new(self.url.finish()),
            Arc::new(self.path.finish()),
            Arc::new(self.title.finish()),
            Arc::new(self.body.finish()),
            Arc::new(self.published.finish()),
            Arc::new(self.source.finish()),
            Arc::new(self.lang.finish()),
            Arc::new(self.version.finish()),
            Arc::new(self.duplicate_group.finish()),
        ];
        self.rows = 0;
        Ok(RecordBatch::try_new(schema.clone(), columns)?)
    }
}

fn write_parquet<W: Write + Send>(
    archive: &rasd_store::Archive,
    query: &ArticleQuery,
    row_group: usize,
    out: W,
) -> anyhow::Result<()> {
    let schema = parquet_schema();
    let properties = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_size(row_group)
        .set_created_by(format!("rasd {}", env!("CARGO_PKG_VERSION")))
        .build();
    let mut writer = ArrowWriter::try_new(out, schema.clone(), Some(properties))?;
    let mut columns = ParquetColumns::default();
    archive.for_each_article(query, |a| -> anyhow::Result<()> {
        columns.push(&a);
        if columns.rows >= row_group {
            writer.write(&columns.finish(&schema)?)?;
            // Flushing closes the row group, so the writer buffers at most one.
            writer.flush()?;
        }
        Ok(())
    })?;
    if columns.rows > 0 {
        writer.write(&columns.finish(&schema)?)?;
    }
    writer.close()?;
    Ok(())
}
