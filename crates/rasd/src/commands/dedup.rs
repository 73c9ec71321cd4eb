//! `rasd dedup`: group exact and near-duplicate articles of JSON Lines
//! files, without a store. Glue around `rasd_dedup`: read, sign in
//! parallel, group, print one line per article.

use crate::output::{self, Format};
use crate::{Globals, Outcome};
use anyhow::Context;
use rasd_dedup::{group_signed, signature, DedupConfig, Relation, Signed};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};

/// Group exact and near-duplicate articles of a JSONL file, without a store.
///
/// Each input line is an article `{"id","title","body","published","source"}`
/// (SaudiNewsNet's `content` and `url` are read as `body` and `id`). Prints
/// `{"id","group","canonical",…}` per article, in input order; `group` is the
/// id of the group's canonical article (the earliest published; ties go to
/// the smallest exact hash, then the first in input order).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// JSONL files (`.gz` read transparently); `-` reads stdin.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format: `json` prints one line per article; `text` lists the
    /// duplicate groups.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// The dedup settings a command line can change.
#[derive(Debug, Clone, clap::Args)]
pub struct ConfigArgs {
    /// Exact Jaccard similarity of the 5-word shingle sets at which two
    /// articles are near-duplicates.
    #[arg(long, default_value_t = rasd_dedup::config::default_threshold())]
    pub threshold: f64,
    /// LSH bands.
    #[arg(long, default_value_t = rasd_dedup::config::default_bands())]
    pub bands: usize,
    /// MinHash rows per LSH band.
    #[arg(long, default_value_t = rasd_dedup::config::default_rows())]
    pub rows: usize,
    /// Minimum exact Jaccard of every group member with the group's
    /// canonical article (0: plain connected components).
    #[arg(long, default_value_t = rasd_dedup::config::default_anchor_threshold())]
    pub anchor_threshold: f64,
}

impl ConfigArgs {
    /// The validated library configuration.
    pub fn build(&self) -> anyhow::Result<DedupConfig> {
        let cfg = DedupConfig {
            threshold: self.threshold,
            bands: self.bands,
            rows: self.rows,
            anchor_threshold: self.anchor_threshold,
            ..DedupConfig::default()
        };
        cfg.validate().context("invalid dedup settings")?;
        Ok(cfg)
    }
}

/// One input line, with the field names of rasd and of SaudiNewsNet.
#[derive(Debug, Deserialize)]
struct InputLine {
    id: Option<String>,
    url: Option<String>,
    body: Option<String>,
    content: Option<String>,
    published: Option<String>,
    source: Option<String>,
}

/// What output needs of an article besides its signature.
#[derive(Debug)]
pub struct ArticleMeta {
    pub id: String,
    pub source: Option<String>,
    /// The body, kept only when the caller asked for it.
    pub body: Option<String>,
}

/// What reading gave: the articles and their signatures (same order), and
/// how many lines failed (each already reported on stderr).
pub struct ReadArticles {
    pub articles: Vec<ArticleMeta>,
    pub signed: Vec<Signed>,
    pub failed: usize,
}

/// Longest input line accepted (64 MiB): bounds memory on hostile input.
const MAX_LINE: usize = 64 << 20;
/// Lines parsed and signed in parallel at a time.
const CHUNK: usize = 2048;

/// Reads and signs the articles of every path, in parallel chunks; bad
/// lines are reported on stderr as `rasd: <file>:<line>: <error>` and
/// skipped. `keep_body` keeps each body beside its signature.
pub fn read_articles(
    paths: &[PathBuf],
    cfg: &DedupConfig,
    progress: bool,
    keep_body: bool,
) -> anyhow::Result<ReadArticles> {
    let bar = output::progress(progress, None, "signing");
    let mut out = ReadArticles {
        articles: Vec::new(),
        signed: Vec::new(),
        failed: 0,
    };
    for path in paths {
        let name = path.display().to_string();
        let mut reader = open_input(path).with_context(|| format!("cannot open {name}"))?;
        let mut line_no = 0usize;
        loop {
            let mut chunk: Vec<(usize, Vec<u8>)> = Vec::with_capacity(CHUNK);
            while chunk.len() < CHUNK {
                let mut line = Vec::new();
                let n = (&mut reader)
                    .take(MAX_LINE as u64 + 1)
                    .read_until(b'\n', &mut line)
                    .with_context(|| format!("cannot read {name}"))?;
                if n == 0 {
                    break;
                }
                line_no += 1;
                if line.len() > MAX_LINE && line.last() != Some(&b'\n') {
                    // Skip the rest of an over-long line.
                    let mut rest = Vec::new();
                    reader
                        .read_until(b'\n', &mut rest)
                        .with_context(|| format!("cannot read {name}"))?;
                    eprintln!("rasd: {name}:{line_no}: line longer than {MAX_LINE} bytes");
                    out.failed += 1;
                    continue;
                }
                if !line.iter().all(u8::is_ascii_whitespace) {
                    chunk.push((line_no, line));
                }
            }
            if chunk.is_empty() {
                break;
            }
            let signed: Vec<Result<(ArticleMeta, Signed), String>> = chunk
                .par_iter()
                .map(|(no, line)| {
                    sign_line(line, cfg, keep_body).map_err(|e| format!("{name}:{no}: {e}"))
                })
                .collect();
            for (result, (no, _)) in signed.into_iter().zip(&chunk) {
                match result {
                    Ok((mut article, signed)) => {
                        if article.id.is_empty() {
                            article.id = format!("{name}:{no}");
                        }
                        out.articles.push(article);
                        out.signed.push(signed);
                    }
                    Err(e) => {
                        eprintln!("rasd: {e}");
                        out.failed += 1;
                    }
                }
            }
            bar.inc(chunk.len() as u64);
        }
    }
    bar.finish_and_clear();
    anyhow::ensure!(
        u32::try_from(out.articles.len()).is_ok(),
        "too many articles for one run ({})",
        out.articles.len()
    );
    Ok(out)
}

/// Parses and signs one line; an empty `id` means the line named none.
fn sign_line(
    line: &[u8],
    cfg: &DedupConfig,
    keep_body: bool,
) -> Result<(ArticleMeta, Signed), String> {
    let input: InputLine = serde_json::from_slice(line).map_err(|e| format!("bad JSON: {e}"))?;
    let body = input
        .body
        .or(input.content)
        .ok_or("the article has neither `body` nor `content`")?;
    let sig = signature(&body, cfg);
    let signed = Signed {
        signature: sig,
        published: input.published,
    };
    let meta = ArticleMeta {
        id: input.id.or(input.url).unwrap_or_default(),
        source: input.source,
        body: keep_body.then_some(body),
    };
    Ok((meta, signed))
}

/// A buffered reader over a file or stdin (`-`), gunzipped when it starts
/// with the gzip magic bytes.
pub fn open_input(path: &Path) -> std::io::Result<Box<dyn BufRead + Send>> {
    let raw: Box<dyn Read + Send> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(path)?)
    };
    let mut buffered = std::io::BufReader::with_capacity(1 << 16, raw);
    if buffered.fill_buf()?.starts_with(&[0x1f, 0x8b]) {
        let gz = flate2::bufread::MultiGzDecoder::new(buffered);
        Ok(Box::new(std::io::BufReader::with_capacity(1 << 16, gz)))
    } else {
        Ok(Box::new(buffered))
    }
}

/// One output line.
#[derive(Debug, Serialize)]
struct OutputLine<'a> {
    id: &'a str,
    /// The canonical article's id.
    group: &'a str,
    canonical: bool,
    relation: Relation,
    /// Articles in the group.
    size: usize,
    /// Exact Jaccard with the canonical (copies only).
    #[serde(skip_serializing_if = "Option::is_none")]
    jaccard: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<&'a str>,
}

pub fn run(args: Args, globals: Globals) -> anyhow::Result<Outcome> {
    let cfg = args.config.build()?;
    let read = read_articles(&args.paths, &cfg, globals.progress, false)?;
    let groups = group_signed(&read.signed, &cfg);
    let (articles, signed) = (&read.articles, &read.signed);
    let mut out = output::stdout();
    match args.format {
        Format::Json => {
            for (i, (article, g)) in articles.iter().zip(&groups).enumerate() {
                let line = OutputLine {
                    id: &article.id,
                    group: &articles[g.canonical].id,
                    canonical: g.relation == Relation::Canonical,
                    relation: g.relation,
                    size: g.size,
                    jaccard: (g.relation != Relation::Canonical)
                        .then(|| (g.jaccard * 1e4).round() / 1e4),
                    source: article.source.as_deref(),
                    published: signed[i].published.as_deref(),
                };
                output::write_json_line(&mut out, &line)?;
            }
        }
        Format::Text => write_text(&mut out, articles, signed, &groups)?,
    }
    out.flush()?;
    Ok(if read.failed > 0 {
        Outcome::PartialFailure
    } else {
        Outcome::Success
    })
}

/// The duplicate groups, largest first, then a summary line.
fn write_text(
    out: &mut impl Write,
    articles: &[ArticleMeta],
    signed: &[Signed],
    groups: &[rasd_dedup::GroupAssignment],
) -> std::io::Result<()> {
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); articles.len()];
    for (i, g) in groups.iter().enumerate() {
        members[g.canonical].push(i);
    }
    let mut order: Vec<usize> = (0..articles.len())
        .filter(|&i| members[i].len() > 1)
        .collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(members[i].len()), i));
    let describe = |i: usize| {
        let a = &articles[i];
        let mut s = a.id.clone();
        if let Some(src) = &a.source {
            s.push_str(&format!("  [{src}]"));
        }
        if let Some(p) = &signed[i].published {
            s.push_str(&format!("  {p}"));
        }
        s
    };
    for &c in &order {
        writeln!(out, "group of {}: {}", members[c].len(), describe(c))?;
        for &m in members[c].iter().filter(|&&m| m != c) {
            let g = &groups[m];
            match g.relation {
                Relation::Exact => writeln!(out, "  exact          {}", describe(m))?,
                _ => writeln!(out, "  near J={:.3}  {}", g.jaccard, describe(m))?,
            }
        }
    }
    let copies: usize = order.iter().map(|&c| members[c].len() - 1).sum();
    writeln!(
        out,
        "{} articles, {} duplicate groups, {} copies",
        articles.len(),
        order.len(),
        copies
    )
}
