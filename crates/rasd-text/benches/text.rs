//! Tokenizing and key-folding speed over a fixed slice of SaudiNewsNet
//! (`../shared/data/saudinewsnet.jsonl.gz`); skipped when it is absent.
//! Every stage runs these two loops over every word, and search snippets
//! run the tokenizer over every hit's lead per request.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rasd_text::{normalize, tokenize};
use std::hint::black_box;

#[path = "common/corpus.rs"]
mod corpus;

/// Articles of the corpus slice.
const ARTICLES: usize = 3000;

fn bench(c: &mut Criterion) {
    let Some(bodies) = corpus::bodies(ARTICLES) else {
        eprintln!("skipping text benches: {} is absent", corpus::CORPUS);
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
