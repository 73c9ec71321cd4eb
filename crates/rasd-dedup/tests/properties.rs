//! Laws of the grouping, checked on generated Arabic corpora with copies:
//! symmetry, determinism under any thread count, order independence of the
//! partition, and exact or differently-written copies always grouped.

use proptest::prelude::*;
use rasd_dedup::{group, DedupConfig, DedupInput, GroupAssignment};
use std::collections::BTreeSet;

const VOCABULARY: &[&str] = &[
    "أعلنت",
    "وزارة",
    "الصحة",
    "اليوم",
    "عن",
    "تسجيل",
    "حالات",
    "جديدة",
    "في",
    "مدينة",
    "الرياض",
    "وقال",
    "المتحدث",
    "الرسمي",
    "إن",
    "الفرق",
    "الميدانية",
    "تواصل",
    "عملها",
    "لمتابعة",
    "المستشفيات",
    "مجلس",
    "الوزراء",
    "ناقش",
    "الميزانية",
    "العامة",
    "للدولة",
    "أمير",
    "منطقة",
    "مكة",
    "المكرمة",
    "يفتتح",
    "مشروعا",
    "للطرق",
    "بتكلفة",
    "مليون",
    "ريال",
    "هيئة",
    "السياحة",
    "تطلق",
    "مهرجانا",
    "صيفيا",
    "جدة",
];

/// An article of `len` words drawn from the vocabulary by `picks`.
fn article(picks: &[usize]) -> String {
    picks
        .iter()
        .map(|&p| VOCABULARY[p % VOCABULARY.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

/// The same text written differently: harakat, tatweel, hamza forms,
/// Arabic-Indic digits, punctuation.
fn rewritten(text: &str) -> String {
    text.replace("أعلنت", "اعلنَت")
        .replace("الصحة", "الصحـــة")
        .replace("إن", "ان")
        .replace("جديدة", "جديده")
        .replace(' ', " ، ")
        + " ١٢٣"
}

/// A corpus: base articles, each followed by some copies (exact, rewritten,
/// or with one word changed).
fn corpus() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        (
            prop::collection::vec(0usize..1000, 8..60),
            prop::collection::vec(0u8..4, 0..3),
        ),
        1..8,
    )
    .prop_map(|bases| {
        let mut out = Vec::new();
        for (picks, copies) in bases {
            let base = article(&picks);
            for kind in copies {
                out.push(match kind {
                    0 => base.clone(),
                    1 => rewritten(&base),
                    2 => format!("{base} وأضاف"),
                    _ => format!("عاجل {base}"),
                });
            }
            out.push(base);
        }
        out
    })
}

fn run(bodies: &[String]) -> Vec<GroupAssignment> {
    let inputs: Vec<DedupInput> = bodies
        .iter()
        .map(|body| DedupInput {
            body,
            published: None,
        })
        .collect();
    group(&inputs, &DedupConfig::default())
}

/// The partition as a set of sets of bodies-with-multiplicity labels.
fn partition(bodies: &[String], groups: &[GroupAssignment]) -> BTreeSet<Vec<String>> {
    let mut by_canonical: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
    for (i, g) in groups.iter().enumerate() {
        by_canonical
            .entry(g.canonical)
            .or_default()
            .push(bodies[i].clone());
    }
    by_canonical
        .into_values()
        .map(|mut v| {
            v.sort();
            v
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn partition_ignores_order_and_thread_count(bodies in corpus(), seed in any::<u64>()) {
        let base = run(&bodies);
        let mut shuffled = bodies.clone();
        // A deterministic shuffle from the seed.
        let mut state = seed;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (state >> 33) as usize % (i + 1));
        }
        prop_assert_eq!(partition(&bodies, &base), partition(&shuffled, &run(&shuffled)));
        for threads in [1, 3] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let again = pool.install(|| run(&bodies));
            prop_assert_eq!(&again, &base);
        }
    }

    #[test]
    fn duplicates_are_symmetric(bodies in corpus()) {
        let groups = run(&bodies);
        for a in 0..bodies.len() {
            for b in a + 1..bodies.len() {
                let pair = [bodies[a].clone(), bodies[b].clone()];
                let flipped = [bodies[b].clone(), bodies[a].clone()];
                let (ab, ba) = (run(&pair), run(&flipped));
                prop_assert_eq!(ab[0].size, ba[0].size, "a~b must equal b~a");
                // Exact copies and differently-written copies always group.
                if bodies[a] == bodies[b] || rewritten(&bodies[a]) == bodies[b] || rewritten(&bodies[b]) == bodies[a] {
                    prop_assert_eq!(groups[a].canonical, groups[b].canonical);
                }
            }
        }
    }
}

#[test]
fn unicode_forms_of_one_text_group() {
    let text = "أعلنت وزارة الصحة السعودية تسجيل ٣٥ حالة شفاء جديدة في مدينة الرياض اليوم";
    let forms = [
        text.to_string(),
        "أَعْلَنَتْ وِزَارَةُ الصِّحَّةِ السعودية تسجيل 35 حالة شفاء جديدة في مدينة الرياض اليوم".to_string(),
        "اعلنـــت وزاره الصحه السعوديه تسجيل ۳۵ حاله شفاء جديده في مدينه الرياض اليوم.".to_string(),
        // Decomposed alef with hamza above (U+0627 U+0654), a zero-width
        // non-joiner and presentation forms (ﺍﻟﺮﻳﺎﺽ).
        text.replace('أ', "\u{0627}\u{0654}")
            .replace("الرياض", "\u{FE8D}\u{FEDF}\u{FEAE}\u{FEF3}\u{FE8E}\u{FEBD}")
            .replace("مدينة", "مدي\u{200C}نة"),
    ];
    let groups = run(&forms);
    assert!(
        groups
            .iter()
            .all(|g| g.canonical == 0 && g.size == forms.len()),
        "{groups:?}"
    );
}
