//! Articles → the rows `rasd ingest` writes for them in the archive, for a
//! bulk load (`python -m rasd_spark.load_postgres`), computed by
//! `rasd_store::bulk` with the binary's duplicate detector.
//!
//! In: `input_id` (the line's own `id`), `origin` (`path#line`), `url`,
//! `title`, `body`, `published`, `source`, `lang`; [`store_duplicates`] also
//! `seq` (any numbers in storage order). Out, in input order:
//! [`store_rows`] gives `stored` (false where `rasd ingest`'s reader skips
//! the line: no body and no title), `id`, `page_key`, `content_hash`,
//! `body_key_hash`, `url`, `path`, `exact`, `minhash`, `shingles` (the
//! `signatures` blobs) and `band_keys` (`lsh_bands`, as signed 64-bit);
//! [`store_duplicates`] gives `seq`, `group_id`, `kind`, `similarity`.

use crate::columns::{self, IntKind};
use crate::BatchError;
use arrow_array::{ArrayRef, BinaryArray, RecordBatch};
use rasd_model::Article;
use rasd_store::bulk::{replay_duplicates, signature_blob, BulkRow, ReplayMember};
use rasd_store::{Fingerprint, MinHashDetector};
use std::sync::Arc;

/// The batch's articles as `rasd ingest`'s JSONL reader builds them, and
/// whether it keeps each (it skips a line with no body and no title).
fn articles(batch: &RecordBatch) -> Result<Vec<(Article, bool)>, BatchError> {
    let rows = batch.num_rows();
    let column = |name| -> Result<Vec<Option<String>>, BatchError> {
        Ok(columns::strings(batch, name)?.unwrap_or_else(|| vec![None; rows]))
    };
    let bodies = columns::required_strings(batch, "body")?;
    let (ids, origins, urls) = (column("input_id")?, column("origin")?, column("url")?);
    let (titles, published) = (column("title")?, column("published")?);
    let (sources, langs) = (column("source")?, column("lang")?);
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|t| t.trim().is_empty());
    Ok((0..rows)
        .map(|i| {
            let body = bodies[i].clone().unwrap_or_default();
            let kept = !(body.trim().is_empty() && blank(&titles[i]));
            let article = Article {
                id: ids[i].clone(),
                path: origins[i].clone(),
                url: urls[i].clone().filter(|u| !u.trim().is_empty()),
                title: titles[i].clone(),
                published: published[i].clone(),
                body,
                source: sources[i].clone(),
                lang: langs[i].clone(),
            };
            (article, kept)
        })
        .collect())
}

fn binary_array(values: impl IntoIterator<Item = Option<Vec<u8>>>) -> ArrayRef {
    Arc::new(values.into_iter().collect::<BinaryArray>())
}

/// Articles → their `pages`/`articles`/`signatures`/`lsh_bands` values.
pub fn store_rows(batch: &RecordBatch) -> Result<RecordBatch, BatchError> {
    let detector = MinHashDetector::default();
    let (rows, kept): (Vec<BulkRow>, Vec<bool>) = articles(batch)?
        .into_iter()
        .map(|(a, kept)| (BulkRow::new(a, &detector), kept))
        .unzip();
    let text = |f: &dyn Fn(&BulkRow) -> Option<String>| columns::string_array(rows.iter().map(f));
    let blob = |f: &dyn Fn(&Fingerprint) -> Vec<u8>| {
        binary_array(rows.iter().map(|r| r.fingerprint.as_ref().map(f)))
    };
    let no_bands: &[u64] = &[];
    columns::batch(vec![
        ("stored", columns::bool_array(kept)),
        ("id", text(&|r| Some(r.item.key.id.clone()))),
        ("page_key", text(&|r| Some(r.item.key.page_key.clone()))),
        (
            "content_hash",
            text(&|r| Some(r.item.key.content_hash.clone())),
        ),
        ("body_key_hash", text(&|r| Some(r.body_key_hash.clone()))),
        ("url", text(&|r| r.item.article.url.clone())),
        ("path", text(&|r| r.item.article.path.clone())),
        ("exact", blob(&|f| f.exact.to_vec())),
        ("minhash", blob(&|f| signature_blob(&f.minhash))),
        ("shingles", blob(&|f| signature_blob(&f.shingles))),
        (
            "band_keys",
            columns::u64_list_array(
                rows.iter()
                    .map(|r| r.fingerprint.as_ref().map_or(no_bands, |f| &f.bands[..])),
                IntKind::Signed,
            ),
        ),
    ])
}

/// Whole duplicate components → each article's `duplicates` row, replayed
/// in `seq` order as the store assigns groups at ingest.
pub fn store_duplicates(batch: &RecordBatch) -> Result<RecordBatch, BatchError> {
    let detector = MinHashDetector::default();
    let seqs = columns::required_i64(batch, "seq")?;
    let mut rows: Vec<(i64, BulkRow)> = seqs
        .into_iter()
        .zip(articles(batch)?)
        .map(|(seq, (a, _))| (seq, BulkRow::new(a, &detector)))
        .collect();
    rows.sort_by_key(|(seq, _)| *seq);
    let members: Vec<ReplayMember<'_>> = rows
        .iter()
        .map(|(_, r)| ReplayMember {
            id: &r.item.key.id,
            published: r.item.article.published.as_deref(),
            fingerprint: r.fingerprint.as_ref(),
        })
        .collect();
    let replayed = replay_duplicates(&members, &detector);
    columns::batch(vec![
        ("seq", columns::i64_array(rows.iter().map(|(seq, _)| *seq))),
        (
            "group_id",
            columns::string_array(replayed.iter().map(|d| Some(d.group_id.as_str()))),
        ),
        (
            "kind",
            columns::string_array(replayed.iter().map(|d| Some(d.kind))),
        ),
        (
            "similarity",
            columns::f64_array(replayed.iter().map(|d| d.similarity)),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;
    use arrow_array::Array;
    use rasd_dedup::DedupConfig;

    const WIRE: &str = "أعلنت وزارة الداخلية اليوم القبض على خلية إرهابية في المنطقة الشرقية \
        تضم عشرة أشخاص كانوا يخططون لتنفيذ عمليات تستهدف منشآت حكومية ومساجد \
        وأوضح المتحدث الأمني أن التحقيقات مستمرة مع الموقوفين في القضية";

    fn input() -> RecordBatch {
        let copy = WIRE.replace("اليوم", "اليـــوم");
        columns::batch(vec![
            ("seq", columns::i64_array([3, 1, 2])),
            (
                "url",
                columns::string_array([Some("https://sabq.org/9"), Some(" "), None]),
            ),
            (
                "origin",
                columns::string_array([Some("a.jsonl#3"), Some("a.jsonl#1"), Some("a.jsonl#2")]),
            ),
            (
                "body",
                columns::string_array([Some(WIRE), Some(copy.as_str()), Some("  ")]),
            ),
            (
                "published",
                columns::string_array([Some("2015-07-21"), Some("2015-07-22"), None]),
            ),
        ])
        .unwrap()
    }

    #[test]
    fn rows_carry_the_stores_identity_and_skip_what_its_reader_skips() {
        let out = store_rows(&input()).unwrap();
        let stored = out.column_by_name("stored").unwrap().as_boolean();
        assert_eq!(
            (stored.value(0), stored.value(1), stored.value(2)),
            (true, true, false)
        );
        let page_keys = out.column_by_name("page_key").unwrap().as_string::<i32>();
        // A blank URL is no URL: the page key falls back to the origin.
        assert_eq!(page_keys.value(1), "a.jsonl#1");
        assert_eq!(page_keys.value(0), "https://sabq.org/9");
        let exact = out.column_by_name("exact").unwrap().as_binary::<i32>();
        assert_eq!(
            exact.value(0),
            exact.value(1),
            "harakat-free copies hash alike"
        );
        assert!(exact.is_null(2));
        let bands = out.column_by_name("band_keys").unwrap().as_list::<i32>();
        assert_eq!(bands.value(0).len(), DedupConfig::default().bands);
    }

    #[test]
    fn duplicates_are_replayed_in_seq_order() {
        let out = store_duplicates(&input()).unwrap();
        let seq = out
            .column_by_name("seq")
            .unwrap()
            .as_primitive::<arrow_array::types::Int64Type>();
        assert_eq!((seq.value(0), seq.value(1), seq.value(2)), (1, 2, 3));
        let kind = out.column_by_name("kind").unwrap().as_string::<i32>();
        assert_eq!(
            (kind.value(0), kind.value(1), kind.value(2)),
            ("new", "new", "exact")
        );
        let rows = store_rows(&input()).unwrap();
        let ids = rows.column_by_name("id").unwrap().as_string::<i32>();
        let group = out.column_by_name("group_id").unwrap().as_string::<i32>();
        // The earlier published copy (seq 3) is the canonical of both.
        assert_eq!(group.value(0), ids.value(0));
        assert_eq!(group.value(2), ids.value(0));
    }
}
