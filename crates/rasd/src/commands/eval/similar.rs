//! `rasd eval similar`: Score rasd similar on SemEval-2022 pairs (Pearson, accuracy).

use crate::{Globals, Outcome};

/// Score rasd similar on SemEval-2022 pairs (Pearson, accuracy).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Inputs.
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    anyhow::bail!("`rasd eval similar` is not built yet")
}
