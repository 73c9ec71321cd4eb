//! SCAFFOLD (lead, session 2): the search stage of ingest; being written.

use rasd_store::Archive;
use serde::Serialize;

/// The search stage's state between batches.
pub struct SearchStage {}

/// What the search stage did in one run.
#[derive(Debug, Default, Serialize)]
pub struct SearchSummary {}

impl SearchStage {
    pub fn open(archive: &Archive) -> anyhow::Result<SearchStage> {
        let _ = archive;
        Ok(SearchStage {})
    }

    pub fn after_batch(&mut self, archive: &mut Archive, stored: &[String]) -> anyhow::Result<()> {
        let _ = (archive, stored);
        Ok(())
    }

    pub fn finish(self, archive: &mut Archive) -> anyhow::Result<SearchSummary> {
        let _ = archive;
        Ok(SearchSummary {})
    }
}
