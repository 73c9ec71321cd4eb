//! One time window of articles → story and topic assignments, with
//! `rasd_cluster::StoryClusterer` placing them in publication order exactly
//! as `rasd cluster` does for a whole file.
//!
//! In: `title`, `body`, `published` (ISO 8601), optional `id`, `source`,
//! `lang` and `group` (a duplicate group: members share a story). Out, in
//! input order: `story`, `topic` (ids local to the batch), `dateless`,
//! `future_date`, `confidence` (the clusterer's, as `rasd ingest` stores
//! it in `story_members`), plus `id` when the input had it.

use crate::columns;
use crate::BatchError;
use arrow_array::RecordBatch;
use rasd_cluster::input::ArticleIn;
use rasd_cluster::time::parse_days;
use rasd_cluster::StoryClusterer;
use std::cmp::Ordering;

/// Clusters one window; `now` (days since 1970-01-01) flags future dates.
pub fn cluster(batch: &RecordBatch, now: Option<f64>) -> Result<RecordBatch, BatchError> {
    let rows = batch.num_rows();
    let column = |name| -> Result<Vec<Option<String>>, BatchError> {
        Ok(columns::strings(batch, name)?.unwrap_or_else(|| vec![None; rows]))
    };
    let ids = columns::strings(batch, "id")?;
    let (titles, bodies, published) = (column("title")?, column("body")?, column("published")?);
    let (sources, langs, groups) = (column("source")?, column("lang")?, column("group")?);
    let articles: Vec<ArticleIn> = (0..rows)
        .map(|i| {
            let mut a = ArticleIn {
                id: ids.as_ref().and_then(|ids| ids[i].clone()),
                title: titles[i].clone(),
                body: bodies[i].clone(),
                published: published[i].clone(),
                source: sources[i].clone(),
                lang: langs[i].clone(),
                group: groups[i].clone(),
                ..ArticleIn::default()
            };
            a.bound();
            a
        })
        .collect();
    // Publication order, stable; dateless last (the order `rasd cluster` uses).
    let mut order: Vec<(Option<f64>, usize)> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.published.as_deref().and_then(parse_days), i))
        .collect();
    order.sort_by(|a, b| match (a.0, b.0) {
        (Some(x), Some(y)) => x.total_cmp(&y).then(a.1.cmp(&b.1)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.1.cmp(&b.1),
    });
    let mut clusterer = StoryClusterer::default();
    let mut placed = vec![None; rows];
    for (_, i) in order {
        placed[i] = Some(clusterer.add(&articles[i], now));
    }
    let placed: Vec<_> = placed.into_iter().flatten().collect();
    let stories: Vec<u64> = placed.iter().map(|a| clusterer.resolve(a.story)).collect();
    let topics: Vec<u64> = stories
        .iter()
        .zip(&placed)
        .map(|(&s, a)| clusterer.topic(s).unwrap_or(a.topic))
        .collect();
    let as_i64 = |v: &u64| i64::try_from(*v).unwrap_or(i64::MAX);
    let mut out = Vec::new();
    if let Some(ids) = ids {
        out.push(("id", columns::string_array(ids)));
    }
    out.extend([
        ("story", columns::i64_array(stories.iter().map(as_i64))),
        ("topic", columns::i64_array(topics.iter().map(as_i64))),
        (
            "dateless",
            columns::bool_array(placed.iter().map(|a| a.dateless)),
        ),
        (
            "future_date",
            columns::bool_array(placed.iter().map(|a| a.future_date)),
        ),
        (
            "confidence",
            columns::f64_array(placed.iter().map(|a| Some(f64::from(a.confidence)))),
        ),
    ]);
    columns::batch(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;
    use arrow_array::types::Int64Type;

    #[test]
    fn one_event_shares_a_story() {
        let titles = [
            Some("أرسنال يهزم تشيلسي ويتوج بالدرع الخيرية"),
            Some("خادم الحرمين الشريفين يصل إلى المملكة المغربية"),
            Some("خادم الحرمين يصل إلى المغرب في إجازة خاصة"),
            None,
        ];
        let dates = [
            Some("2015-08-02"),
            Some("2015-08-01"),
            Some("2015-08-01"),
            Some("2099-01-01"),
        ];
        let input = columns::batch(vec![
            (
                "id",
                columns::string_array([Some("a"), Some("b"), Some("c"), Some("d")]),
            ),
            ("title", columns::string_array(titles)),
            ("published", columns::string_array(dates)),
        ])
        .unwrap();
        let out = cluster(&input, parse_days("2015-08-03")).unwrap();
        let story = out
            .column_by_name("story")
            .unwrap()
            .as_primitive::<Int64Type>();
        assert_eq!(story.value(1), story.value(2));
        assert_ne!(story.value(0), story.value(1));
        let future = out.column_by_name("future_date").unwrap().as_boolean();
        assert!(future.value(3) && !future.value(0));
        assert_eq!(
            out.column_by_name("id")
                .unwrap()
                .as_string::<i32>()
                .value(3),
            "d"
        );
    }
}
