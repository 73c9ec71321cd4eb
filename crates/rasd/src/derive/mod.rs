//! What `rasd ingest` derives from the articles it has just stored, batch by
//! batch, in pipeline order: stories and topics ([`stories`]), then facts
//! ([`facts`]), then the search index ([`search`], which indexes the facts'
//! entities).
//!
//! In: the ids of the articles a committed batch stored (new articles and new
//! versions). Out: the derived tables and the index, in step with the store.
//! Each stage keeps what it needs between batches (the live clusterer, the
//! entity linker, the index writer) and is restored from the archive when
//! ingest starts, so a later run continues where the last one stopped.

pub mod facts;
pub mod search;
pub mod stories;

use rasd_store::Archive;
use serde::Serialize;
use std::collections::HashSet;

/// Articles stored by other processes that one batch picks up at most
/// (PostgreSQL: workers that do not run the clusterer store articles the
/// clusterer's process places after its own batches).
const CATCH_UP_BATCH: usize = 2000;

/// The derived stages of one ingest run.
pub struct Derived {
    stories: stories::StoryStage,
    facts: facts::FactsStage,
    search: search::SearchStage,
}

/// What the derived stages did in one run.
#[derive(Debug, Default, Serialize)]
pub struct DerivedSummary {
    pub stories: stories::StorySummary,
    pub facts: facts::FactsSummary,
    pub search: search::SearchSummary,
}

impl Derived {
    /// Restores every stage from the archive.
    pub fn open(archive: &Archive) -> anyhow::Result<Derived> {
        Ok(Derived {
            stories: stories::StoryStage::open(archive)?,
            facts: facts::FactsStage::open(archive)?,
            search: search::SearchStage::open(archive)?,
        })
    }

    /// The stored facts' version when another rasd computed them.
    pub fn stale_facts(&self) -> Option<&str> {
        self.facts.stale_version()
    }

    /// Brings every stage in step with the articles `stored` by the last batch.
    pub fn after_batch(&mut self, archive: &mut Archive, stored: &[String]) -> anyhow::Result<()> {
        let mut stored = stored.to_vec();
        if archive.is_postgres() {
            let own: HashSet<String> = stored.iter().cloned().collect();
            let others = archive.unclustered_article_ids(CATCH_UP_BATCH + own.len())?;
            stored.extend(others.into_iter().filter(|id| !own.contains(id)));
        }
        if stored.is_empty() {
            return Ok(());
        }
        let stored = &stored[..];
        // Recognition (the facts stage's text-only half, on every core)
        // runs while the stories stage, mostly one thread, places the same
        // batch: neither reads what the other writes.
        let facts_inputs = archive.facts_inputs(stored)?;
        let model = self.facts.model();
        let (placed, found) = std::thread::scope(|scope| {
            let finding = scope.spawn(|| facts::Found::find(model, &facts_inputs));
            let placed = self.stories.after_batch(archive, stored);
            (placed, finding.join())
        });
        placed?;
        let found = found.map_err(|_| anyhow::anyhow!("the facts recognition thread panicked"))?;
        self.facts.store(archive, &facts_inputs, found)?;
        self.search.after_batch(archive, stored)?;
        Ok(())
    }

    /// Flushes what each stage holds and says what it did.
    pub fn finish(mut self, archive: &mut Archive) -> anyhow::Result<DerivedSummary> {
        // Whatever other workers stored and no batch of ours picked up yet;
        // stops when a round places nothing (never loops on a stuck article).
        let mut left = if archive.is_postgres() {
            archive.unclustered_article_ids(1)?
        } else {
            Vec::new()
        };
        while !left.is_empty() {
            self.after_batch(archive, &[])?;
            let now_left = archive.unclustered_article_ids(1)?;
            if now_left == left {
                break;
            }
            left = now_left;
        }
        Ok(DerivedSummary {
            stories: self.stories.finish(archive)?,
            facts: self.facts.finish(archive)?,
            search: self.search.finish(archive)?,
        })
    }
}
