//! `rasd eval …`: scores rasd's stages on labeled data (`../shared/eval/`).

use crate::{Globals, Outcome};

pub mod cluster;
pub mod dedup;
pub mod extract;
pub mod ner;
pub mod scrapinghub;
pub mod search;
pub mod similar;

/// Score a stage against labeled data.
#[derive(Debug, clap::Subcommand)]
pub enum EvalCommand {
    /// Extraction against a gold.jsonl: body word-F1, title, date, wrong dates.
    Extract(extract::Args),
    /// HTML extraction on the ScrapingHub benchmark (shingle F1).
    Scrapinghub(scrapinghub::Args),
    /// Story clustering against labels: B-cubed precision, recall, F1.
    Cluster(cluster::Args),
    /// Dedup against exact 5-word-shingle Jaccard: precision and recall.
    Dedup(dedup::Args),
    /// `rasd similar` on SemEval-2022 pairs: Pearson and accuracy.
    Similar(similar::Args),
    /// NER on CoNLL data: entity-level micro F1.
    Ner(ner::Args),
    /// Search relevance on SaudiNewsNet: nDCG@10, Arabic analyzer vs tantivy's default tokenizer.
    Search(search::Args),
}

pub fn run(cmd: EvalCommand, globals: Globals) -> anyhow::Result<Outcome> {
    match cmd {
        EvalCommand::Extract(args) => extract::run(args, globals),
        EvalCommand::Scrapinghub(args) => scrapinghub::run(args, globals),
        EvalCommand::Cluster(args) => cluster::run(args, globals),
        EvalCommand::Dedup(args) => dedup::run(args, globals),
        EvalCommand::Similar(args) => similar::run(args, globals),
        EvalCommand::Ner(args) => ner::run(args, globals),
        EvalCommand::Search(args) => search::run(args, globals),
    }
}
