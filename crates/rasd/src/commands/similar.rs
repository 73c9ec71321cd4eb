//! `rasd similar`: Score pairs of articles: same story or not.

use crate::{Globals, Outcome};

/// Score pairs of articles: same story or not.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Inputs.
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    anyhow::bail!("`rasd similar` is not built yet")
}
