//! `rasd facts`: Entities, quotes and figures of each article.

use crate::{Globals, Outcome};

/// Entities, quotes and figures of each article.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Inputs.
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    anyhow::bail!("`rasd facts` is not built yet")
}
