//! NER speed: tokens per second of `Model::tag` on one core, over the
//! last 400 sentences of ../shared's ANERcorp training split (or, when
//! ../shared is absent, a written Arabic sentence repeated).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rasd_facts::{conll, Model};
use std::path::Path;

fn sentences() -> Vec<Vec<String>> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/anercorp/train.conll");
    if let Ok(text) = std::fs::read_to_string(&path) {
        let all = conll::parse(&text, true).expect("train.conll parses");
        let tail = all.len().saturating_sub(400);
        return all[tail..].iter().map(|s| s.tokens.clone()).collect();
    }
    let one: Vec<String> =
        "وقال وزير الدفاع الأمريكي لويد أوستن في بغداد إن القوات ستبقى ، بحسب وكالة رويترز ."
            .split(' ')
            .map(String::from)
            .collect();
    vec![one; 400]
}

fn bench_tag(c: &mut Criterion) {
    let model = Model::embedded();
    let data = sentences();
    let tokens: usize = data.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group("ner");
    group.throughput(Throughput::Elements(tokens as u64));
    group.bench_function("tag", |b| {
        b.iter(|| {
            let tagged: usize = data.iter().map(|s| model.tag(s).len()).sum();
            assert_eq!(tagged, tokens);
        })
    });
    group.finish();
}

criterion_group!(benches, bench_tag);
criterion_main!(benches);
