//! `rasd ingest`: Ingest pages and articles into the archive.

use crate::{Globals, Outcome};

/// Ingest pages and articles into the archive.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Inputs.
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    anyhow::bail!("`rasd ingest` is not built yet")
}
