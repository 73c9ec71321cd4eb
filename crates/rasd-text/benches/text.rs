//! Tokenizing and key-folding speed over a fixed slice of SaudiNewsNet
//! (`../shared/data/saudinewsnet.jsonl.gz`); skipped when it is absent.
//! Every stage runs these two loops over every word, and search snippets
//! run the tokenizer over every hit's lead per request.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rasd_text::{normalize, tokenize};
use std::hint::black_box;
use std::io::BufRead;

const ARTICLES: usize = 3000;

fn bodies() -> Option<Vec<String>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/saudinewsnet.jsonl.gz");
    let file = std::fs::File::open(&path).ok()?;
    let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(file));
    let bodies = reader
        .lines()
        .take(ARTICLES)
        .filter_map(|line| {
            let value: serde_json::Value = serde_json::from_str(&line.ok()?).ok()?;
            Some(value.get("content")?.as_str()?.to_owned())
        })
        .collect();
    Some(bodies)
}

fn bench(c: &mut Criterion) {
    let Some(bodies) = bodies() else {
        eprintln!("skipping text benches: ../shared/data/saudinewsnet.jsonl.gz is absent");
        return;
    };
    let bytes: usize = bodies.iter().map(String::len).sum();
    let mut g = c.benchmark_group("text");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("tokens", |b| {
        b.iter(|| {
            bodies
                .iter()
                .map(|body| tokenize::tokens(black_box(body)).count())
                .sum::<usize>()
        })
    });
    g.bench_function("tokens+matching_key", |b| {
        b.iter(|| {
            bodies
                .iter()
                .flat_map(|body| tokenize::words(black_box(body)))
                .map(|w| normalize::matching_key(w).len())
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
