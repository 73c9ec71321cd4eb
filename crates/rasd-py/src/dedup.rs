//! Dedup over record batches: bodies → signatures and band keys, candidate
//! pairs → exact Jaccard verdicts, whole connected components → groups.
//!
//! Every value is the one `rasd_dedup` computes for the binary
//! (`rasd dedup`), so a distributed job that shuffles on these band keys,
//! verifies with [`verify_pairs`] and groups each component with [`group`]
//! reproduces the binary's duplicate groups exactly.

use crate::columns::{self, IntKind};
use crate::BatchError;
use arrow_array::RecordBatch;
use rasd_dedup::similarity::jaccard_at_least;
use rasd_dedup::{band_keys, group_signed, signature, DedupConfig, Relation, Signature, Signed};

/// `body` → `exact` (32 hex digits of the xxh3-128 of the matching key's
/// words, null for a body without words), `words`, `shingles`, `minhash`
/// and `band_keys`, one row per input row, in order. Other input columns
/// are not repeated.
pub fn signatures(
    batch: &RecordBatch,
    cfg: &DedupConfig,
    kind: IntKind,
) -> Result<RecordBatch, BatchError> {
    cfg.validate()
        .map_err(|e| BatchError::Config(e.to_string()))?;
    let bodies = columns::required_strings(batch, "body")?;
    let sigs: Vec<Signature> = bodies
        .iter()
        .map(|b| signature(b.as_deref().unwrap_or_default(), cfg))
        .collect();
    let keys: Vec<Vec<u64>> = sigs.iter().map(|s| band_keys(s, cfg)).collect();
    columns::batch(vec![
        (
            "exact",
            columns::string_array(sigs.iter().map(Signature::exact_hex)),
        ),
        (
            "words",
            columns::count_array(
                sigs.iter()
                    .map(|s| u32::try_from(s.words).unwrap_or(u32::MAX)),
                kind,
            ),
        ),
        (
            "shingles",
            columns::u32_list_array(sigs.iter().map(|s| s.shingles.as_slice()), kind),
        ),
        (
            "minhash",
            columns::u32_list_array(sigs.iter().map(|s| s.minhash.as_slice()), kind),
        ),
        (
            "band_keys",
            columns::u64_list_array(keys.iter().map(Vec::as_slice), kind),
        ),
    ])
}

/// Candidate pairs → verdicts: for the shingle lists `left` and `right` of
/// each row, `jaccard` is their exact Jaccard similarity when it reaches
/// `cfg.threshold` and null otherwise. Every other input column is kept.
pub fn verify_pairs(batch: &RecordBatch, cfg: &DedupConfig) -> Result<RecordBatch, BatchError> {
    cfg.validate()
        .map_err(|e| BatchError::Config(e.to_string()))?;
    let left = columns::u32_lists(batch, "left")?;
    let right = columns::u32_lists(batch, "right")?;
    let verdicts = left
        .iter()
        .zip(&right)
        .map(|(a, b)| jaccard_at_least(a, b, cfg.threshold));
    let schema = batch.schema();
    let mut out: Vec<(&str, arrow_array::ArrayRef)> = schema
        .fields()
        .iter()
        .zip(batch.columns())
        .filter(|(f, _)| f.name() != "left" && f.name() != "right")
        .map(|(f, c)| (f.name().as_str(), c.clone()))
        .collect();
    out.push(("jaccard", columns::f64_array(verdicts)));
    columns::batch(out)
}

/// Whole connected components → duplicate groups, exactly as
/// [`rasd_dedup::group_signed`] assigns them in the binary.
///
/// Columns in: `seq` (the article's position in the binary's input order),
/// `published`, `exact` (hex, as [`signatures`] writes it), `shingles`,
/// `minhash`. The batch must hold every member of each component it
/// touches (components are closed under verified pairs and exact copies,
/// so grouping them alone finds the same pairs as the whole corpus does);
/// rows are ranked by `seq`, the binary's last tie-break.
///
/// Columns out, in `seq` order: `seq`, `canonical` (the canonical's
/// `seq`), `relation` (`canonical` | `exact` | `near`), `size`, `jaccard`.
pub fn group(batch: &RecordBatch, cfg: &DedupConfig) -> Result<RecordBatch, BatchError> {
    cfg.validate()
        .map_err(|e| BatchError::Config(e.to_string()))?;
    let seq = columns::required_i64(batch, "seq")?;
    let published = columns::required_strings(batch, "published")?;
    let exact = columns::required_strings(batch, "exact")?;
    let shingles = columns::u32_lists(batch, "shingles")?;
    let minhash = columns::u32_lists(batch, "minhash")?;
    let mut order: Vec<usize> = (0..batch.num_rows()).collect();
    order.sort_by_key(|&i| seq[i]);
    let mut signed = Vec::with_capacity(order.len());
    for &i in &order {
        let exact = match &exact[i] {
            Some(hex) => Some(
                u128::from_str_radix(hex, 16).map_err(|_| BatchError::Value {
                    name: "exact".to_owned(),
                    row: i,
                    reason: format!("{hex:?} is not a 128-bit hex hash"),
                })?,
            ),
            None => None,
        };
        signed.push(Signed {
            signature: Signature {
                exact,
                words: 0,
                shingles: shingles[i].clone(),
                minhash: minhash[i].clone(),
            },
            published: published[i].clone(),
        });
    }
    let groups = group_signed(&signed, cfg);
    let relation = |r: Relation| match r {
        Relation::Canonical => "canonical",
        Relation::Exact => "exact",
        Relation::Near => "near",
    };
    columns::batch(vec![
        ("seq", columns::i64_array(order.iter().map(|&i| seq[i]))),
        (
            "canonical",
            columns::i64_array(groups.iter().map(|g| seq[order[g.canonical]])),
        ),
        (
            "relation",
            columns::string_array(groups.iter().map(|g| Some(relation(g.relation)))),
        ),
        (
            "size",
            columns::i64_array(groups.iter().map(|g| g.size as i64)),
        ),
        (
            "jaccard",
            columns::f64_array(groups.iter().map(|g| Some(g.jaccard))),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, Int64Type, UInt64Type};
    use arrow_array::Array;
    use arrow_select::take::take;
    use rasd_dedup::{group as group_bodies, DedupInput};

    const STORY: &str = "أعلنت هيئة الطيران المدني السعودية اليوم عن افتتاح صالة جديدة في مطار الملك عبدالعزيز الدولي بجدة \
        بطاقة استيعابية تبلغ ثلاثين مليون مسافر سنويا وقال رئيس الهيئة إن المشروع يأتي ضمن خطة تطوير المطارات في المملكة";

    fn bodies() -> Vec<String> {
        vec![
            STORY.to_owned(),
            "اجتمع مجلس الوزراء وناقش عددا من الموضوعات المحلية والدولية وأقر عدة أنظمة جديدة"
                .to_owned(),
            STORY.replace("ثلاثين", "أربعين"),
            format!("{STORY} (واس)"),
            STORY.replace("الهيئة", "الهَيْئَة"),
            String::new(),
        ]
    }

    fn body_batch(bodies: &[String]) -> RecordBatch {
        columns::batch(vec![(
            "body",
            columns::string_array(bodies.iter().map(Some)),
        )])
        .unwrap()
    }

    #[test]
    fn band_keys_are_the_binarys() {
        let cfg = DedupConfig::default();
        let bodies = bodies();
        let out = signatures(&body_batch(&bodies), &cfg, IntKind::Unsigned).unwrap();
        let keys = out.column_by_name("band_keys").unwrap().as_list::<i32>();
        for (i, body) in bodies.iter().enumerate() {
            let sig = signature(body, &cfg);
            let row = keys.value(i);
            assert_eq!(
                row.as_primitive::<UInt64Type>().values().to_vec(),
                band_keys(&sig, &cfg)
            );
            let exact = out.column_by_name("exact").unwrap().as_string::<i32>();
            assert_eq!(exact.is_null(i), sig.exact.is_none());
        }
    }

    #[test]
    fn signed_signatures_group_like_the_binary() {
        let cfg = DedupConfig::default();
        let bodies = bodies();
        let dates = [
            Some("2015-08-02"),
            None,
            Some("2015-08-01"),
            None,
            Some("2015-08-01"),
            None,
        ];
        let sigs = signatures(&body_batch(&bodies), &cfg, IntKind::Signed).unwrap();
        // Shuffled rows, as a Spark partition may hold them.
        let seq: Vec<i64> = vec![10, 11, 12, 13, 14, 15];
        let input = columns::batch(vec![
            ("seq", columns::i64_array(seq.iter().copied())),
            ("published", columns::string_array(dates)),
            ("exact", sigs.column_by_name("exact").unwrap().clone()),
            ("shingles", sigs.column_by_name("shingles").unwrap().clone()),
            ("minhash", sigs.column_by_name("minhash").unwrap().clone()),
        ])
        .unwrap();
        let reversed: Vec<usize> = (0..6).rev().collect();
        let indices =
            arrow_array::UInt32Array::from(reversed.iter().map(|&i| i as u32).collect::<Vec<_>>());
        let shuffled = RecordBatch::try_new(
            input.schema(),
            input
                .columns()
                .iter()
                .map(|c| take(c, &indices, None).unwrap())
                .collect(),
        )
        .unwrap();
        let out = group(&shuffled, &cfg).unwrap();
        let canonical = out.column_by_name("canonical").unwrap();
        let canonical = canonical.as_primitive::<Int64Type>().values().to_vec();
        let inputs: Vec<DedupInput> = bodies
            .iter()
            .zip(dates)
            .map(|(body, published)| DedupInput { body, published })
            .collect();
        let expected: Vec<i64> = group_bodies(&inputs, &cfg)
            .iter()
            .map(|g| seq[g.canonical])
            .collect();
        assert_eq!(canonical, expected);
        assert_eq!(canonical[0], 14, "the dated exact copy leads");
        assert_eq!(canonical[3], 14);
        let jaccard = out.column_by_name("jaccard").unwrap();
        let jaccard = jaccard.as_primitive::<Float64Type>();
        assert_eq!(jaccard.value(0), 1.0, "an exact copy");
        assert!(jaccard.value(3) >= 0.8 && jaccard.value(3) < 1.0);
    }

    #[test]
    fn pairs_are_verified_exactly() {
        let cfg = DedupConfig::default();
        let bodies = bodies();
        let sigs = signatures(&body_batch(&bodies), &cfg, IntKind::Signed).unwrap();
        let shingles = sigs.column_by_name("shingles").unwrap();
        let pick = |rows: &[u32]| {
            take(
                shingles,
                &arrow_array::UInt32Array::from(rows.to_vec()),
                None,
            )
            .unwrap()
        };
        let pairs = columns::batch(vec![
            ("a", columns::i64_array([0, 0])),
            ("left", pick(&[0, 0])),
            ("right", pick(&[3, 1])),
        ])
        .unwrap();
        let out = verify_pairs(&pairs, &cfg).unwrap();
        assert_eq!(out.num_columns(), 2, "left and right are dropped");
        let j = out
            .column_by_name("jaccard")
            .unwrap()
            .as_primitive::<Float64Type>();
        assert!(j.value(0) >= 0.8 && j.value(0) < 1.0);
        assert!(j.is_null(1));
    }

    #[test]
    fn missing_columns_are_named() {
        let cfg = DedupConfig::default();
        let err = signatures(
            &columns::batch(vec![("text", columns::string_array([Some("نص")]))]).unwrap(),
            &cfg,
            IntKind::Unsigned,
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "the batch has no column `body`");
    }
}
