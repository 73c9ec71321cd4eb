//! SCAFFOLD (lead, session 2): the facts stage of ingest; being written.

use rasd_store::Archive;
use serde::Serialize;

/// The facts stage's state between batches.
pub struct FactsStage {}

/// What the facts stage did in one run.
#[derive(Debug, Default, Serialize)]
pub struct FactsSummary {}

impl FactsStage {
    pub fn open(archive: &Archive) -> anyhow::Result<FactsStage> {
        let _ = archive;
        Ok(FactsStage {})
    }

    pub fn after_batch(&mut self, archive: &mut Archive, stored: &[String]) -> anyhow::Result<()> {
        let _ = (archive, stored);
        Ok(())
    }

    pub fn finish(self, archive: &mut Archive) -> anyhow::Result<FactsSummary> {
        let _ = archive;
        Ok(FactsSummary {})
    }
}
