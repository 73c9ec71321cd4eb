//! `rasd extract`: Extract clean articles from pages: text dumps, HTML, archives, JSONL.

use crate::{Globals, Outcome};

/// Extract clean articles from pages: text dumps, HTML, archives, JSONL.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Inputs.
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    anyhow::bail!("`rasd extract` is not built yet")
}
