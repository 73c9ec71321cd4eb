//! One module per subcommand. Each exposes `Args` (clap) and
//! `run(args, globals) -> anyhow::Result<Outcome>`; none holds pipeline logic.

pub mod article;
pub mod articles;
pub mod cluster;
pub mod dedup;
pub mod entities;
pub mod entity;
pub mod eval;
pub mod export;
pub mod extract;
pub mod facts;
pub mod ingest;
pub mod ner;
pub mod quotes;
pub mod reindex;
pub mod search;
pub mod serve;
pub mod similar;
pub mod stats;
pub mod stories;
pub mod story;
pub mod topic;
pub mod topics;
