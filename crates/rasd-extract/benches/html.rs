//! HTML extraction speed: pages per second on one core.
//!
//! Reads the HTML pages of `../shared/eval/extract-dev/` (dev-set-like
//! news pages, ~25 KB each) when the shared folder is beside the checkout,
//! else repeats a written page. Asserts every page gives an article, so
//! speed never hides a wrong answer. `plain_parse` is a bare html5ever
//! parse of the same bytes, the floor the other figures compare to; run it
//! single-threaded for per-core figures:
//!
//!     RAYON_NUM_THREADS=1 cargo bench -p rasd-extract --bench html

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rasd_model::{Page, PageFormat};
use std::path::PathBuf;

const FALLBACK: &str = r#"<html lang="ar"><head><title>عنوان الخبر - الموقع</title></head><body>
<nav><a href="/">الرئيسية</a></nav><article><h1>عنوان الخبر</h1>
<p>قال المتحدث باسم الوزارة اليوم إن الخطة الجديدة ستبدأ الشهر المقبل، وتشمل كل المناطق، وفق جدول زمني محدد.</p>
<p>وأضاف أن الوزارة رصدت ميزانية كافية للمشروع، وأن العمل سيتم على ثلاث مراحل، تنتهي قبل نهاية العام.</p>
</article><footer>جميع الحقوق محفوظة</footer></body></html>"#;

fn pages() -> Vec<Page> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/extract-dev");
    let mut pages: Vec<Page> = (0..300)
        .filter_map(|i| {
            let path = dir.join(format!("{i:04}.html"));
            let content = std::fs::read_to_string(&path).ok()?;
            Some(Page::new(
                path.display().to_string(),
                PageFormat::Html,
                content,
            ))
        })
        .collect();
    if pages.is_empty() {
        eprintln!("../shared not found: benchmarking a written page");
        pages = (0..100)
            .map(|i| Page::new(format!("{i}.html"), PageFormat::Html, FALLBACK.to_string()))
            .collect();
    }
    pages
}

fn bench_html(c: &mut Criterion) {
    let pages = pages();
    let mut group = c.benchmark_group("html");
    group.throughput(Throughput::Elements(pages.len() as u64));
    group.sample_size(10);
    group.bench_function("extract_page", |b| {
        b.iter(|| {
            let articles: usize = pages
                .iter()
                .map(|p| rasd_extract::extract_page(p, None).map_or(0, |a| a.len().min(1)))
                .sum();
            assert_eq!(articles, pages.len(), "every page gives an article");
        })
    });
    // The floor: html5ever building the tree of the same bytes. Extraction
    // speed is best read as a ratio to it (the machine's load moves both).
    group.bench_function("plain_parse", |b| {
        b.iter(|| {
            let nodes: usize = pages
                .iter()
                .map(|p| {
                    scraper::Html::parse_document(&p.content)
                        .tree
                        .values()
                        .count()
                })
                .sum();
            assert!(nodes >= pages.len());
        })
    });
    // The path of `rasd extract`: one site, templates learned from the
    // batch, each page parsed once.
    let mut site_pages = pages.clone();
    for page in &mut site_pages {
        page.site = Some("site".into());
    }
    let refs: Vec<&Page> = site_pages.iter().collect();
    group.bench_function("batch_with_templates", |b| {
        b.iter(|| {
            let articles = rasd_extract::batch::extract_pages(&refs, true)
                .iter()
                .filter(|r| r.as_ref().is_ok_and(|a| !a.is_empty()))
                .count();
            assert_eq!(articles, refs.len(), "every page gives an article");
        })
    });
    group.bench_function("analyze", |b| {
        b.iter(|| {
            let blocks: usize = pages
                .iter()
                .map(|p| rasd_extract::html::analyze(&p.content).blocks.len())
                .sum();
            assert!(blocks >= pages.len());
        })
    });
    group.finish();
}

criterion_group!(benches, bench_html);
criterion_main!(benches);
