//! `rasd stats`: Counts by source, language and day; duplicate ratio.

use crate::{Globals, Outcome};

/// Counts by source, language and day; duplicate ratio.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Inputs.
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    anyhow::bail!("`rasd stats` is not built yet")
}
