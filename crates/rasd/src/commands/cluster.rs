//! `rasd cluster`: Group articles of a JSONL file into stories and topics, without a store.

use crate::{Globals, Outcome};

/// Group articles of a JSONL file into stories and topics, without a store.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Inputs.
    pub paths: Vec<std::path::PathBuf>,
}

pub fn run(_args: Args, _globals: Globals) -> anyhow::Result<Outcome> {
    anyhow::bail!("`rasd cluster` is not built yet")
}
