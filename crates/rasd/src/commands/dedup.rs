//! `rasd dedup`: Group exact and near-duplicate articles of a JSONL file, without a store.

use crate::{Globals, Outcome};

/// Group exact and near-duplicate articles of a JSONL file, without a store.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Inputs.
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    anyhow::bail!("`rasd dedup` is not built yet")
}
