//! `rasd ner`: Tag named entities in CoNLL input.

use crate::{Globals, Outcome};

/// Tag named entities in CoNLL input.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Inputs.
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    anyhow::bail!("`rasd ner` is not built yet")
}
