//! `rasd reindex`: Rebuild derived indexes from the store.

use crate::{Globals, Outcome};

/// Rebuild derived indexes from the store.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Inputs.
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    anyhow::bail!("`rasd reindex` is not built yet")
}
