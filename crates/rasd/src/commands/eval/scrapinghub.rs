//! `rasd eval scrapinghub`: Score extraction on the ScrapingHub benchmark (shingle F1).

use crate::{Globals, Outcome};

/// Score extraction on the ScrapingHub benchmark (shingle F1).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Inputs.
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    anyhow::bail!("`rasd eval scrapinghub` is not built yet")
}
