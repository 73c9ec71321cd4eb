//! Throughput of the online clusterer on synthetic Arabic news (no shared
//! data needed): 2,000 articles over 20 days from 200 story templates.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rasd_cluster::input::ArticleIn;
use rasd_cluster::StoryClusterer;

const WORDS: &[&str] = &[
    "الرياض",
    "جدة",
    "الوزير",
    "الأمير",
    "المملكة",
    "مجلس",
    "الشورى",
    "الاقتصاد",
    "النفط",
    "الأسهم",
    "الهلال",
    "النصر",
    "الأهلي",
    "مباراة",
    "الدوري",
    "اليمن",
    "عدن",
    "الحوثيين",
    "التحالف",
    "داعش",
    "العراق",
    "بغداد",
    "سوريا",
    "إيران",
    "الاتفاق",
    "النووي",
    "مصر",
    "القاهرة",
    "الحج",
    "مكة",
    "المدينة",
    "الصحة",
    "التعليم",
    "الطلاب",
    "الجامعة",
    "مهرجان",
    "الباحة",
    "عسير",
    "أبها",
    "السياحة",
];

fn articles() -> Vec<ArticleIn> {
    (0..2000u32)
        .map(|i| {
            let story = (i * 7919) % 200;
            let pick = |k: u32| WORDS[((story * 31 + k * 17) % WORDS.len() as u32) as usize];
            let title = (0..6).map(pick).collect::<Vec<_>>().join(" ");
            let body = (0..120)
                .map(|k| pick(k % 23 + (i % 3)))
                .collect::<Vec<_>>()
                .join(" ");
            ArticleIn {
                title: Some(title),
                body: Some(body),
                published: Some(format!("2015-08-{:02}", 1 + (i / 100).min(27))),
                ..ArticleIn::default()
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let input = articles();
    let mut group = c.benchmark_group("cluster");
    group.throughput(Throughput::Elements(input.len() as u64));
    group.sample_size(10);
    group.bench_function("2000_articles", |b| {
        b.iter(|| {
            let mut clusterer = StoryClusterer::default();
            for a in &input {
                clusterer.add(a, None);
            }
            clusterer.active_stories()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
