//! `rasd similar`: Score pairs of articles: same story or not.
//!
//! Reads `{"id","a":{title,body,published},"b":{…}}` lines and writes
//! `{"id","score","same_story"}` per pair: the pairwise model
//! ([`rasd_cluster::pairs::PairScorer`]), `score` a graded similarity in
//! [0, 1] (how alike the two reports are, not a join probability) and
//! `same_story` that score at or above the model's cross-validated threshold.

use crate::json_lines;
use crate::output::{self, Format};
use crate::{Globals, Outcome};
use rasd_cluster::input::parse_pair;
use rasd_cluster::pairs::PairScorer;
use std::io::Write;
use std::path::PathBuf;

/// Score pairs of articles: same story or not.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// JSONL files of pairs (`.gz` allowed; `-` reads stdin).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(serde::Serialize)]
pub(crate) struct Scored {
    pub id: String,
    pub score: f32,
    pub same_story: bool,
}

/// Scores every pair of `paths`; bad lines are reported and skipped.
pub(crate) fn score_files(
    paths: &[PathBuf],
    mut emit: impl FnMut(Scored) -> anyhow::Result<()>,
) -> anyhow::Result<bool> {
    let scorer = PairScorer::default();
    json_lines::for_each_line(paths, |path, number, line| {
        let pair = match parse_pair(line, number) {
            Ok(pair) => pair,
            Err(err) => return Ok(Err(err)),
        };
        let s = scorer.score(&pair.a, &pair.b);
        let id = pair
            .id
            .unwrap_or_else(|| format!("{}:{number}", path.display()));
        emit(Scored {
            id,
            score: s.score,
            same_story: s.same_story,
        })?;
        Ok(Ok(()))
    })
}

pub fn run(args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    let mut out = output::stdout();
    let failed = score_files(&args.paths, |s| {
        match args.format {
            Format::Json => output::write_json_line(&mut out, &s)?,
            Format::Text => writeln!(out, "{}\t{:.4}\t{}", s.id, s.score, s.same_story)?,
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(if failed {
        Outcome::PartialFailure
    } else {
        Outcome::Success
    })
}
