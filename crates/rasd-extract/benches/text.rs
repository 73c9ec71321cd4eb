//! Text-dump extraction speed on the dev pages (`../shared/eval/extract-dev/*.txt`),
//! against a bare read-and-split-into-words pass over the same bytes.
//! Skips with a message when `../shared` is absent.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rasd_model::{Page, PageFormat};
use std::hint::black_box;
use std::path::PathBuf;

fn dev_pages() -> Vec<Page> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/extract-dev");
    let mut pages = Vec::new();
    for i in 0..300 {
        let path = dir.join(format!("{i:04}.txt"));
        if let Ok(content) = std::fs::read_to_string(&path) {
            pages.push(Page::new(
                path.display().to_string(),
                PageFormat::Text,
                content,
            ));
        }
    }
    pages
}

fn bench(c: &mut Criterion) {
    let pages = dev_pages();
    if pages.is_empty() {
        eprintln!("skipping text extraction bench: ../shared/eval/extract-dev is absent");
        return;
    }
    let bytes: u64 = pages.iter().map(|p| p.content.len() as u64).sum();
    let mut group = c.benchmark_group("text_pages");
    group.throughput(Throughput::Elements(pages.len() as u64));
    group.bench_function("extract", |b| {
        b.iter(|| {
            let articles: usize = pages
                .iter()
                .map(|p| rasd_extract::extract_page(p, None).map_or(0, |a| a.len()))
                .sum();
            // Every dev page yields its article (some a second one too).
            assert!(articles >= pages.len());
            black_box(articles)
        })
    });
    group.bench_function("split_words_baseline", |b| {
        b.iter(|| {
            let words: usize = pages
                .iter()
                .map(|p| {
                    p.content
                        .lines()
                        .map(|l| rasd_text::tokenize::words(l).count())
                        .sum::<usize>()
                })
                .sum();
            black_box(words)
        })
    });
    group.finish();
    eprintln!("{} pages, {bytes} bytes", pages.len());
}

criterion_group!(benches, bench);
criterion_main!(benches);
