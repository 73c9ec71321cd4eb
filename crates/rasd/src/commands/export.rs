//! `rasd export`: Export the archive's articles as JSON Lines or Parquet.

use crate::{Globals, Outcome};

/// Export the archive's articles as JSON Lines or Parquet.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Inputs.
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    anyhow::bail!("`rasd export` is not built yet")
}
