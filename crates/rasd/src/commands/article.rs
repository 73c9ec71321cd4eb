//! `rasd article`: Show one article of the archive.

use crate::{Globals, Outcome};

/// Show one article of the archive.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Inputs.
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    anyhow::bail!("`rasd article` is not built yet")
}
