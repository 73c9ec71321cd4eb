//! `rasd eval extract`: Score extraction against a gold.jsonl (body word-F1, title, date, wrong dates).

use crate::{Globals, Outcome};

/// Score extraction against a gold.jsonl (body word-F1, title, date, wrong dates).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Inputs.
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    anyhow::bail!("`rasd eval extract` is not built yet")
}
