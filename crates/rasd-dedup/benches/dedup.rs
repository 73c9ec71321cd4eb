//! Signature and grouping speed over a fixed slice of SaudiNewsNet
//! (`../shared/data/saudinewsnet.jsonl.gz`); skipped when it is absent.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rasd_dedup::{group, signature, DedupConfig, DedupInput};

#[path = "../../rasd-text/benches/common/corpus.rs"]
mod corpus;

/// Articles of the corpus slice.
const ARTICLES: usize = 3000;

fn bench(c: &mut Criterion) {
    let Some(bodies) = corpus::bodies(ARTICLES) else {
        eprintln!("skipping dedup benches: {} is absent", corpus::CORPUS);
        return;
    };
    let cfg = DedupConfig::default();
    let bytes: usize = bodies.iter().map(String::len).sum();
    let mut g = c.benchmark_group("dedup");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("signature", |b| {
        b.iter(|| {
            bodies
                .iter()
                .map(|body| signature(body, &cfg).shingles.len())
                .sum::<usize>()
        })
    });
    let inputs: Vec<DedupInput> = bodies
        .iter()
        .map(|body| DedupInput {
            body,
            published: None,
        })
        .collect();
    let groups = group(&inputs, &cfg);
    // Speed never hides a wrong answer: the slice has wire copies.
    assert!(
        groups.iter().any(|g| g.size > 1),
        "no duplicate group in the bench slice"
    );
    g.bench_function("group", |b| b.iter(|| group(&inputs, &cfg).len()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
