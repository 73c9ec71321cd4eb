//! `--limit` / `--offset`, shared by every command that lists rows of the archive.

/// Which page of a listing to print.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Paging {
    /// At most this many rows.
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub limit: u64,

    /// Skip this many rows first (for paging).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: u64,
}
