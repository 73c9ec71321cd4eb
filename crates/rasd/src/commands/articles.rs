//! `rasd articles`: List articles in the archive.

use crate::{Globals, Outcome};

/// List articles in the archive.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Inputs.
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    anyhow::bail!("`rasd articles` is not built yet")
}
