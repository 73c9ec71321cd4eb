//! `rasd eval ner`: Score NER on CoNLL data (entity-level micro F1).

use crate::{Globals, Outcome};

/// Score NER on CoNLL data (entity-level micro F1).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Inputs.
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    anyhow::bail!("`rasd eval ner` is not built yet")
}
