//! SCAFFOLD (lead, session 2): the stories stage of ingest; being written.

use rasd_store::Archive;
use serde::Serialize;

/// The stories stage's state between batches.
pub struct StoryStage {}

/// What the stories stage did in one run.
#[derive(Debug, Default, Serialize)]
pub struct StorySummary {}

impl StoryStage {
    pub fn open(archive: &Archive) -> anyhow::Result<StoryStage> {
        let _ = archive;
        Ok(StoryStage {})
    }

    pub fn after_batch(&mut self, archive: &mut Archive, stored: &[String]) -> anyhow::Result<()> {
        let _ = (archive, stored);
        Ok(())
    }

    pub fn finish(self, archive: &mut Archive) -> anyhow::Result<StorySummary> {
        let _ = archive;
        Ok(StorySummary {})
    }
}
