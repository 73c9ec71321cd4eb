//! Throughput of `find_dates` over synthetic news lines: datelines, body
//! sentences with and without digits, and lines with no date at all.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

/// Our own lines, in the proportions of a news page's text dump: mostly
/// body text, a few datelines.
const LINES: &[&str] = &[
    "الجمعة 23/07/2021 - 03:53 بتوقيت نيويورك",
    "تاريخ النشر: 8th, August 2023 GMT",
    "26 تموز 2021 22:19",
    "قال المتحدث باسم الوزارة إن الاجتماع سيعقد في العاصمة خلال الأسبوع المقبل",
    "وأضاف أن الحكومة تعمل على تنفيذ الخطة بالتعاون مع الشركاء الدوليين",
    "وشارك في المؤتمر نحو 2500 مندوب من 40 دولة عربية وأجنبية",
    "الأحد ١٧ ذو الحجة ١٤٤٢ هـ الموافق ٢٧ يوليو ٢٠٢١",
    "اقرأ أيضاً: الرئيس يستقبل وفداً رفيع المستوى",
    "Tuesday, August 8, 2023 10:15 AM GMT",
    "وأكدت المصادر أن المفاوضات ستستأنف في 3 مارس 2024 في جنيف",
];

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("find_dates");
    group.throughput(Throughput::Elements(LINES.len() as u64));
    group.bench_function("mixed_lines", |b| {
        b.iter(|| {
            for line in LINES {
                black_box(rasd_dates::find_dates(black_box(line)));
            }
        })
    });
    let no_digits: Vec<&str> = LINES
        .iter()
        .copied()
        .filter(|l| !l.chars().any(|c| c.is_numeric()))
        .collect();
    group.throughput(Throughput::Elements(no_digits.len() as u64));
    group.bench_function("lines_without_digits", |b| {
        b.iter(|| {
            for line in &no_digits {
                black_box(rasd_dates::find_dates(black_box(line)));
            }
        })
    });
    let paragraph = "وقال وزير المالية في مؤتمر صحفي عقده في العاصمة إن الحكومة ستواصل تنفيذ \
        برنامج الإصلاح الاقتصادي الذي أطلقته قبل عامين، مشيرا إلى أن العجز في الموازنة تراجع إلى \
        3.5 في المئة من الناتج المحلي، وأن الاحتياطيات الأجنبية ارتفعت إلى 45 مليار دولار بنهاية \
        الربع الثاني، وأضاف أن الوزارة ستعرض الموازنة الجديدة على مجلس الوزراء في 15 سبتمبر 2021 \
        بعد استكمال المشاورات مع القطاعات المختلفة والجهات الرقابية والبرلمان.";
    group.throughput(Throughput::Bytes(paragraph.len() as u64));
    group.bench_function("body_paragraph_bytes", |b| {
        b.iter(|| black_box(rasd_dates::find_dates(black_box(paragraph))))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
