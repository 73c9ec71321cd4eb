//! The `--data DIR` and `--store URL` flags every archive command shares,
//! and opening the archive they name: `--data`, else `$RASD_DATA`, else the
//! platform's data directory + `rasd` (e.g. `~/.local/share/rasd`); with
//! `--store postgres://…` (or `$RASD_STORE`) the archive is that PostgreSQL
//! database and the data directory holds only this process's local state
//! (the search index, rebuilt from the store).

use anyhow::Context;
use rasd_store::{Archive, OpenOptions};
use std::path::PathBuf;
use std::time::Duration;

/// Where the archive lives and how long to wait for its lock.
#[derive(Debug, Clone, clap::Args)]
pub struct DataArgs {
    /// The archive's data directory [default: $RASD_DATA, else the platform data directory/rasd].
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,

    /// Seconds to wait for another process holding the archive's write lock.
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub lock_timeout: f64,

    /// Keep the archive in PostgreSQL (`postgres://USER[:PASSWORD]@HOST:PORT/DB`)
    /// instead of DIR/archive.db, so several processes share it [env: RASD_STORE].
    #[arg(long, value_name = "URL")]
    pub store: Option<String>,
}

impl DataArgs {
    /// The data directory these flags name.
    pub fn dir(&self) -> anyhow::Result<PathBuf> {
        if let Some(dir) = &self.data {
            return Ok(dir.clone());
        }
        if let Some(dir) = std::env::var_os("RASD_DATA").filter(|d| !d.is_empty()) {
            return Ok(PathBuf::from(dir));
        }
        dirs::data_dir()
            .map(|d| d.join("rasd"))
            .context("no --data given, RASD_DATA unset and no platform data directory")
    }

    /// The PostgreSQL URL these flags name: `--store`, else `$RASD_STORE`.
    pub fn store_url(&self) -> anyhow::Result<Option<String>> {
        let url = self.store.clone().or_else(|| {
            std::env::var("RASD_STORE")
                .ok()
                .filter(|url| !url.is_empty())
        });
        if let Some(url) = &url {
            anyhow::ensure!(
                url.starts_with("postgres://") || url.starts_with("postgresql://"),
                "--store must be a postgres:// URL"
            );
        }
        Ok(url)
    }

    /// The open options these flags set on `options`.
    pub fn options(&self, mut options: OpenOptions) -> anyhow::Result<OpenOptions> {
        anyhow::ensure!(
            self.lock_timeout.is_finite() && (0.0..=86_400.0).contains(&self.lock_timeout),
            "--lock-timeout must be between 0 and 86400 seconds"
        );
        options.lock_timeout = Duration::from_secs_f64(self.lock_timeout);
        options.postgres = self.store_url()?;
        Ok(options)
    }

    /// Opens the archive for reading; it must exist.
    pub fn open_reader(&self) -> anyhow::Result<Archive> {
        Ok(Archive::open(
            &self.dir()?,
            &self.options(OpenOptions::reader())?,
        )?)
    }

    /// Opens (creating when missing) the archive for writing, capped at
    /// `max_size_bytes` when given.
    pub fn open_writer(&self, max_size_bytes: Option<u64>) -> anyhow::Result<Archive> {
        let mut options = self.options(OpenOptions::writer())?;
        options.max_size_bytes = max_size_bytes;
        Ok(Archive::open(&self.dir()?, &options)?)
    }
}
