//! The facts stage of ingest: the articles a batch stored in, their entity
//! mentions (linked to the archive's canonical entities), quotes and
//! figures out, written to the archive in one transaction per batch.
//!
//! Recognition (NER, quotes, figures) runs on every core; linking runs
//! after it, article by article in input order, so entity ids do not
//! depend on thread timing. The linker is restored from the archive when
//! ingest starts, so a later run links «بايدن» to the «جو بايدن» stored by
//! an earlier one and entity ids stay stable.

use rasd_facts::article::{find_facts, link_facts, FoundFacts};
use rasd_facts::link::{KnownEntity, Linker};
use rasd_facts::{facts_version, facts_version_label, EntityType, Model};
use rasd_store::{
    Archive, FactsBatch, FactsInput, FigureWrite, MentionWrite, NewAliasRow, NewEntity, QuoteWrite,
    RenamedEntity, StoredFactsVersion,
};
use rayon::prelude::*;
use serde::Serialize;
use std::time::Instant;

/// The facts stage's state between batches.
pub struct FactsStage {
    model: &'static Model,
    linker: Linker,
    /// The archive id of each linker entity, by linker id.
    ids: Vec<i64>,
    next_id: i64,
    /// The archive had no facts: the first batch records this rasd's
    /// facts version with its facts.
    record_version: bool,
    summary: FactsSummary,
}

/// Whether the stored facts are this rasd's: `None` when they are (or when
/// there are none), else the stored version as people read it.
pub fn stale_facts(archive: &Archive) -> anyhow::Result<Option<String>> {
    Ok(match archive.stored_facts_version()? {
        StoredFactsVersion::Empty => None,
        StoredFactsVersion::Version(v) if v == facts_version() => None,
        StoredFactsVersion::Version(v) => Some(facts_version_label(v)),
        StoredFactsVersion::Unknown => Some("unknown (before rasd recorded it)".to_owned()),
    })
}

/// The text-only half of the stage for one batch: what recognition found
/// in each input article, in input order. It reads no archive and no
/// linker, so it may run while the stories stage works on the same batch.
pub struct Found {
    facts: Vec<FoundFacts>,
    seconds: f64,
}

impl Found {
    /// Recognizes entities, quotes and figures in `inputs`, on every core.
    pub fn find(model: &Model, inputs: &[FactsInput]) -> Found {
        let started = Instant::now();
        let facts = inputs
            .par_iter()
            .map(|a| find_facts(model, a.title.as_deref(), &a.body))
            .collect();
        Found {
            facts,
            seconds: started.elapsed().as_secs_f64(),
        }
    }
}

/// What the facts stage did in one run.
#[derive(Debug, Default, Serialize)]
pub struct FactsSummary {
    pub articles: u64,
    pub mentions: u64,
    pub quotes: u64,
    pub figures: u64,
    /// Entities this run created.
    pub new_entities: u64,
    /// Entities in the archive after the run.
    pub entities: u64,
    pub seconds: f64,
    /// This rasd's facts version (`RULES.MODELHASH`).
    pub version: String,
    /// The version of the facts stored before the run when it is another
    /// (`rasd reindex` recomputes them); new articles get this rasd's facts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale_version: Option<String>,
}

impl FactsStage {
    /// Loads the NER model and restores the linker from the archive's entities.
    pub fn open(archive: &Archive) -> anyhow::Result<FactsStage> {
        let model = Model::embedded();
        let stored = archive.linker_entities()?;
        let ids: Vec<i64> = stored.iter().map(|e| e.id).collect();
        let known = stored.into_iter().map(|e| KnownEntity {
            // A type this build does not know is kept as MISC rather than dropped,
            // so ids stay aligned.
            ty: EntityType::from_label(&e.kind).unwrap_or(EntityType::Misc),
            name: e.name,
            key: e.key,
            aliases: e.aliases,
        });
        let linker = Linker::restore(Some(model.gazetteer().clone()), known);
        Ok(FactsStage {
            model,
            linker,
            next_id: archive.next_entity_id()?,
            record_version: archive.stored_facts_version()? == StoredFactsVersion::Empty,
            summary: FactsSummary {
                entities: ids.len() as u64,
                version: facts_version_label(facts_version()),
                stale_version: stale_facts(archive)?,
                ..FactsSummary::default()
            },
            ids,
        })
    }

    /// Finds, links and stores the facts of the articles `stored` names.
    pub fn after_batch(&mut self, archive: &mut Archive, stored: &[String]) -> anyhow::Result<()> {
        let inputs = archive.facts_inputs(stored)?;
        let found = Found::find(self.model, &inputs);
        self.store(archive, &inputs, found)
    }

    /// The model recognition runs with (for [`Found::find`] on another thread).
    pub fn model(&self) -> &'static Model {
        self.model
    }

    /// Links what [`Found::find`] found in `inputs`, in input order, and
    /// writes it to the archive in one transaction.
    pub fn store(
        &mut self,
        archive: &mut Archive,
        inputs: &[FactsInput],
        found: Found,
    ) -> anyhow::Result<()> {
        let started = Instant::now();
        let Found {
            facts: found,
            seconds,
        } = found;
        let mut batch = FactsBatch::default();
        for (article, found) in inputs.iter().zip(found) {
            let facts = link_facts(found, &mut self.linker);
            // Entities linking created get the next archive ids, in order.
            while self.ids.len() < self.linker.entities().len() {
                self.ids.push(self.next_id);
                self.next_id += 1;
            }
            batch.articles.push(article.seq);
            for (mention, entity) in facts.mentions() {
                batch.mentions.push(MentionWrite {
                    article: article.seq,
                    entity: self.ids[*entity],
                    text: mention.text.clone(),
                    kind: mention.ty.label().to_owned(),
                    start: i64::try_from(mention.start).unwrap_or(i64::MAX),
                });
            }
            for (speaker, entity, text) in facts.quotes() {
                batch.quotes.push(QuoteWrite {
                    article: article.seq,
                    speaker: speaker.clone(),
                    speaker_entity: entity.map(|e| self.ids[e]),
                    text: text.clone(),
                });
            }
            for figure in facts.figures() {
                batch.figures.push(FigureWrite {
                    article: article.seq,
                    value: figure.value,
                    unit: Some(figure.unit.clone()).filter(|u| !u.is_empty()),
                    text: figure.text.clone(),
                });
            }
        }
        let changes = self.linker.take_changes();
        for (linker_id, entity) in self
            .linker
            .entities()
            .iter()
            .enumerate()
            .skip(changes.first_new)
        {
            batch.entities.push(NewEntity {
                id: self.ids[linker_id],
                name: entity.name.clone(),
                kind: entity.ty.label().to_owned(),
                key: entity.key().to_owned(),
            });
        }
        for linker_id in changes.renamed {
            let entity = self.linker.entity(linker_id);
            batch.renamed.push(RenamedEntity {
                id: self.ids[linker_id],
                name: entity.name.clone(),
                key: entity.key().to_owned(),
            });
        }
        batch.aliases = changes
            .aliases
            .into_iter()
            .map(|a| NewAliasRow {
                key: a.key,
                entity: self.ids[a.entity],
                alias: a.alias,
            })
            .collect();
        archive.apply_facts_batch(&batch)?;
        if self.record_version {
            archive.set_facts_version(facts_version())?;
            self.record_version = false;
        }
        let s = &mut self.summary;
        s.articles += batch.articles.len() as u64;
        s.mentions += batch.mentions.len() as u64;
        s.quotes += batch.quotes.len() as u64;
        s.figures += batch.figures.len() as u64;
        s.new_entities += batch.entities.len() as u64;
        s.entities = self.ids.len() as u64;
        s.seconds += seconds + started.elapsed().as_secs_f64();
        Ok(())
    }

    /// Says what the stage did (every batch is already stored).
    pub fn finish(self, archive: &mut Archive) -> anyhow::Result<FactsSummary> {
        let _ = archive;
        Ok(self.summary)
    }

    /// The stored facts' version when it is not this rasd's (see [`stale_facts`]).
    pub fn stale_version(&self) -> Option<&str> {
        self.summary.stale_version.as_deref()
    }
}

/// Articles per batch when facts are computed for stored articles.
const RECOMPUTE_BATCH: usize = 1000;

/// Computes the facts of every current article that has none, in storage
/// order (so entity ids follow the articles as ingest gave them).
pub fn derive_missing(archive: &mut Archive) -> anyhow::Result<FactsSummary> {
    let mut stage = FactsStage::open(archive)?;
    let mut after = 0;
    loop {
        let (ids, last) = archive.articles_without_facts(after, RECOMPUTE_BATCH)?;
        if ids.is_empty() {
            break;
        }
        after = last;
        stage.after_batch(archive, &ids)?;
    }
    stage.finish(archive)
}

/// Deletes every stored fact and computes them all again with this rasd's
/// recognizer and linker, recording its facts version.
pub fn recompute_all(archive: &mut Archive) -> anyhow::Result<FactsSummary> {
    let stale = stale_facts(archive)?;
    archive.clear_facts()?;
    let mut summary = derive_missing(archive)?;
    // An archive with no articles has no facts to record a version with.
    if archive.stored_facts_version()? == StoredFactsVersion::Empty {
        archive.set_facts_version(facts_version())?;
    }
    summary.stale_version = stale;
    Ok(summary)
}
