//! Facets: how the matching articles spread over sources, days and entities.
//!
//! In: the matching documents of each segment, read from the fast fields.
//! Out: [`Facets`] with the [`MAX_FACET_VALUES`] largest counts per facet
//! (days: the most recent ones, oldest first, as a timeline).

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::schema::day_string;
use crate::{FacetCount, Facets};

/// Most values reported per facet.
pub const MAX_FACET_VALUES: usize = 50;

/// Counts sources, days and entities of the matching documents.
pub struct FacetCollector;

/// Per-segment state of [`FacetCollector`].
pub struct SegmentFacets {
    source: Option<StrColumn>,
    day: Column<u64>,
    entities: Column<i64>,
    source_ords: HashMap<u64, u64>,
    days: HashMap<u64, u64>,
    entity_counts: HashMap<i64, u64>,
}

/// Counts of one segment, keyed by value.
#[derive(Default)]
pub struct Counts {
    sources: HashMap<String, u64>,
    days: HashMap<u64, u64>,
    entities: HashMap<i64, u64>,
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        let fast = reader.fast_fields();
        Ok(SegmentFacets {
            source: fast.str("source")?,
            day: fast.u64("day")?,
            entities: fast.i64("entities")?,
            source_ords: HashMap::new(),
            days: HashMap::new(),
            entity_counts: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Counts>) -> tantivy::Result<Facets> {
        let mut all = Counts::default();
        for c in segments {
            for (k, n) in c.sources {
                *all.sources.entry(k).or_default() += n;
            }
            for (k, n) in c.days {
                *all.days.entry(k).or_default() += n;
            }
            for (k, n) in c.entities {
                *all.entities.entry(k).or_default() += n;
            }
        }
        // The most recent days, oldest first: a timeline.
        let mut days: Vec<(u64, u64)> = all.days.into_iter().collect();
        days.sort_unstable_by_key(|&(d, _)| std::cmp::Reverse(d));
        days.truncate(MAX_FACET_VALUES);
        days.reverse();
        let days = days
            .into_iter()
            .map(|(d, count)| FacetCount {
                key: day_string(d),
                count,
            })
            .collect();
        Ok(Facets {
            sources: top(all.sources.into_iter().collect()),
            days,
            entities: top(all
                .entities
                .into_iter()
                .map(|(k, n)| (k.to_string(), n))
                .collect()),
        })
    }
}

/// Largest counts first, ties by key.
fn top(mut v: Vec<(String, u64)>) -> Vec<FacetCount> {
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(MAX_FACET_VALUES);
    v.into_iter()
        .map(|(key, count)| FacetCount { key, count })
        .collect()
}

impl SegmentCollector for SegmentFacets {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(source) = &self.source {
            for ord in source.term_ords(doc) {
                *self.source_ords.entry(ord).or_default() += 1;
            }
        }
        if let Some(day) = self.day.first(doc) {
            *self.days.entry(day).or_default() += 1;
        }
        for entity in self.entities.values_for_doc(doc) {
            *self.entity_counts.entry(entity).or_default() += 1;
        }
    }

    fn harvest(self) -> Counts {
        let mut sources = HashMap::new();
        if let Some(column) = &self.source {
            let mut name = String::new();
            for (ord, n) in self.source_ords {
                name.clear();
                if column.ord_to_str(ord, &mut name).unwrap_or(false) {
                    *sources.entry(name.clone()).or_default() += n;
                }
            }
        }
        Counts {
            sources,
            days: self.days,
            entities: self.entity_counts,
        }
    }
}
