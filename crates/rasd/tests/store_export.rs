//! End-to-end tests of `rasd export`: the Parquet file, read back with the
//! `parquet` crate's reader, holds exactly what the JSON Lines export holds,
//! row for row and field for field, over several row groups.

mod common;
mod store_fixture;

use arrow_array::{Array, RecordBatch, StringArray, UInt32Array};
use common::{json_lines, rasd};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use predicates::str::contains;
use serde_json::{Map, Value};
use std::path::Path;
use store_fixture::write_articles;

/// The archive of `n` generated articles plus one with no title, date or
/// source (null columns).
fn archive(dir: &Path, n: usize) -> std::path::PathBuf {
    let input = write_articles(&dir.join("أخبار.jsonl"), n);
    let mut text = std::fs::read_to_string(&input).unwrap();
    text.push_str(
        &serde_json::json!({"body": "خبر بلا عنوان ولا تاريخ عن افتتاح مكتبة عامة جديدة في حي النسيم."})
            .to_string(),
    );
    text.push('\n');
    std::fs::write(&input, text).unwrap();
    let data = dir.join("data");
    rasd()
        .args(["ingest", "--data"])
        .arg(&data)
        .arg(&input)
        .assert()
        .success();
    data
}

/// Each row of the batches as the JSON object the JSON Lines export writes.
fn rows_as_json(batches: &[RecordBatch]) -> Vec<Value> {
    let mut rows = Vec::new();
    for batch in batches {
        let schema = batch.schema();
        for row in 0..batch.num_rows() {
            let mut object = Map::new();
            for (field, column) in schema.fields().iter().zip(batch.columns()) {
                let value = if column.is_null(row) {
                    Value::Null
                } else if let Some(text) = column.as_any().downcast_ref::<StringArray>() {
                    Value::from(text.value(row))
                } else if let Some(number) = column.as_any().downcast_ref::<UInt32Array>() {
                    Value::from(number.value(row))
                } else {
                    panic!("unexpected column type {:?}", field.data_type());
                };
                object.insert(field.name().clone(), value);
            }
            rows.push(Value::Object(object));
        }
    }
    rows
}

#[test]
fn parquet_export_holds_what_the_jsonl_export_holds() {
    let tmp = tempfile::tempdir().unwrap();
    let data = archive(tmp.path(), 150);
    let jsonl = rasd()
        .args(["export", "--format", "jsonl", "--data"])
        .arg(&data)
        .assert()
        .success();
    let expected = json_lines(&jsonl.get_output().stdout);
    assert_eq!(expected.len(), 151);

    let file = tmp.path().join("مقالات.parquet");
    rasd()
        .args(["export", "--format", "parquet", "--row-group-size", "40"])
        .arg("--output")
        .arg(&file)
        .arg("--data")
        .arg(&data)
        .assert()
        .success();
    assert!(
        !file.with_extension("partial").exists(),
        "the temporary file is renamed"
    );
    let reader =
        ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&file).unwrap()).unwrap();
    assert_eq!(
        reader.metadata().num_row_groups(),
        4,
        "151 rows in groups of 40"
    );
    let batches: Vec<RecordBatch> = reader.build().unwrap().map(Result::unwrap).collect();
    let rows = rows_as_json(&batches);
    assert_eq!(rows, expected, "same rows, same order, same fields");
    let untitled = rows.iter().find(|r| r["title"].is_null()).unwrap();
    assert!(untitled["published"].is_null() && untitled["source"].is_null());
    assert!(rows.iter().all(|r| r["duplicate_group"].is_string()));
}

#[test]
fn parquet_needs_an_output_file_and_failures_leave_no_file() {
    let tmp = tempfile::tempdir().unwrap();
    let data = archive(tmp.path(), 5);
    rasd()
        .args(["export", "--format", "parquet", "--data"])
        .arg(&data)
        .assert()
        .code(2)
        .stderr(contains("--output"));
    let missing_dir = tmp.path().join("لا-يوجد").join("out.parquet");
    rasd()
        .args(["export", "--format", "parquet", "--output"])
        .arg(&missing_dir)
        .arg("--data")
        .arg(&data)
        .assert()
        .code(2)
        .stderr(contains("creating"));
    assert!(!missing_dir.exists());
    rasd()
        .args([
            "export",
            "--format",
            "parquet",
            "--row-group-size",
            "0",
            "--output",
        ])
        .arg(tmp.path().join("x.parquet"))
        .arg("--data")
        .arg(&data)
        .assert()
        .code(2);
    assert!(!tmp.path().join("x.parquet").exists());
}
