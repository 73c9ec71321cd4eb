//! `rasd eval dedup`: Score dedup against exact 5-word-shingle Jaccard (precision, recall).

use crate::{Globals, Outcome};

/// Score dedup against exact 5-word-shingle Jaccard (precision, recall).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Inputs.
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    anyhow::bail!("`rasd eval dedup` is not built yet")
}
