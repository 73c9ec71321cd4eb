//! Records per second reading a `.warc.gz` of the SaudiNewsNet articles
//! (31,030 `conversion` records, one gzip member each), generated under a
//! temp dir at bench time from `../shared/data/saudinewsnet.jsonl.gz`.
//!
//! Run: `cargo bench -p rasd-sources --bench read_warc`

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rasd_sources::testkit::{conversion_record, gzip};
use rasd_sources::{open_inputs, InputOptions, Record};

fn corpus() -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/saudinewsnet.jsonl.gz");
    path.is_file().then_some(path)
}

/// Writes every article as a WET-like record; returns the archive and the count.
fn build_archive(corpus: PathBuf, dir: &std::path::Path) -> (PathBuf, u64) {
    let mut archive = Vec::new();
    let mut count = 0;
    for record in open_inputs(&[corpus], &InputOptions::default()) {
        let Ok(Record::Article(a)) = record else {
            continue;
        };
        let text = format!("{}\n\n{}", a.title.unwrap_or_default(), a.body);
        let url = a
            .url
            .unwrap_or_else(|| format!("https://example.sa/{count}"));
        archive.extend(gzip(&conversion_record(
            &url,
            "2015-07-21T00:00:00Z",
            &text,
        )));
        count += 1;
    }
    let path = dir.join("saudinewsnet.warc.gz");
    std::fs::write(&path, archive).expect("write the archive");
    (path, count)
}

fn read_warc(c: &mut Criterion) {
    let Some(corpus) = corpus() else {
        eprintln!(
            "skipping read_warc: ../shared/data/saudinewsnet.jsonl.gz is not beside the checkout"
        );
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let (archive, expected) = build_archive(corpus, dir.path());
    let mut group = c.benchmark_group("read_warc");
    group.sample_size(10);
    group.throughput(Throughput::Elements(expected));
    group.bench_function("saudinewsnet.warc.gz", |b| {
        b.iter(|| {
            let pages = open_inputs(std::slice::from_ref(&archive), &InputOptions::default())
                .filter(|r| matches!(r, Ok(Record::Page(_))))
                .count() as u64;
            assert_eq!(pages, expected);
        })
    });
    group.finish();
}

criterion_group!(benches, read_warc);
criterion_main!(benches);
