//! `rasd eval similar`: Score rasd similar on SemEval-2022 pairs (Pearson, accuracy).
//!
//! Replicates `../shared/eval/semeval2022-ar/score_similar.py`: Pearson of
//! `score` against `(4 − overall) / 3`, and accuracy of `same_story` against
//! `overall ≤ 2`; a pair with no prediction scores 0 / false.

use crate::commands::similar::score_files;
use crate::{Globals, Outcome};
use anyhow::Context;
use std::collections::HashMap;
use std::path::PathBuf;

/// Score rasd similar on SemEval-2022 pairs (Pearson, accuracy).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The pairs (`pairs.jsonl`).
    #[arg(long)]
    pub input: PathBuf,
    /// The judgments (`gold.tsv`: id, overall, …).
    #[arg(long)]
    pub gold: PathBuf,
}

pub fn run(args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    let gold_text = std::fs::read_to_string(&args.gold)
        .with_context(|| format!("{}: cannot read", args.gold.display()))?;
    let mut lines = gold_text.lines();
    let head: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let col = |name: &str| head.iter().position(|h| *h == name);
    let (id_col, overall_col) = (
        col("id").context("gold.tsv has no `id` column")?,
        col("overall").context("gold.tsv has no `overall` column")?,
    );
    let mut gold: Vec<(String, f64)> = Vec::new();
    for (i, line) in lines.enumerate() {
        let cells: Vec<&str> = line.split('\t').collect();
        let (Some(id), Some(overall)) = (cells.get(id_col), cells.get(overall_col)) else {
            continue;
        };
        let overall: f64 = overall.trim().parse().with_context(|| {
            format!(
                "{}: line {}: bad overall {overall:?}",
                args.gold.display(),
                i + 2
            )
        })?;
        gold.push((id.to_string(), overall));
    }
    let mut pred: HashMap<String, (f64, bool)> = HashMap::new();
    let failed = score_files(std::slice::from_ref(&args.input), |s| {
        pred.insert(s.id, (s.score as f64, s.same_story));
        Ok(())
    })?;
    let (mut xs, mut ys, mut correct) = (Vec::new(), Vec::new(), 0usize);
    for (id, overall) in &gold {
        let (score, same) = pred.get(id).copied().unwrap_or((0.0, false));
        xs.push(score);
        ys.push((4.0 - overall) / 3.0);
        correct += usize::from(same == (*overall <= 2.0));
    }
    let n = gold.len();
    let pearson = rasd_cluster::metrics::pearson(&xs, &ys);
    let acc = if n > 0 {
        correct as f64 / n as f64
    } else {
        0.0
    };
    let missing = gold.iter().filter(|(id, _)| !pred.contains_key(id)).count();
    println!(
        "{}",
        serde_json::json!({"n": n, "pearson": pearson, "same_acc": acc, "missing": missing})
    );
    println!("similar_pearson={pearson:.4} same_acc={acc:.4} n={n}");
    Ok(if failed {
        Outcome::PartialFailure
    } else {
        Outcome::Success
    })
}
