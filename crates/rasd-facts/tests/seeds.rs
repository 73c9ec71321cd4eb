//! The five seed pages in ../shared/seeds must yield the entities the
//! story is about. Skipped, with a message, when ../shared is absent.

use rasd_facts::{mentions, Model};
use rasd_text::{normalize, stem};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("RASD_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    dir.is_dir().then_some(dir)
}

/// A mention's key: matching key with the first word's proclitics stripped,
/// so «لبايدن» and «بايدن» meet.
fn key(text: &str) -> String {
    let key = normalize::matching_key(text);
    let mut words = key.split_whitespace();
    let first = words.next().map(stem::strip_proclitics).unwrap_or_default();
    std::iter::once(first)
        .chain(words)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn seeds_yield_the_story_entities() {
    let Some(shared) = shared() else {
        eprintln!("skipping seeds_yield_the_story_entities: ../shared is absent (set RASD_SHARED)");
        return;
    };
    let mut found = BTreeSet::new();
    let mut files = 0;
    for entry in std::fs::read_dir(shared.join("seeds")).expect("seeds folder") {
        let path = entry.expect("dir entry").path();
        if path.extension().is_some_and(|e| e == "txt") {
            let text = std::fs::read_to_string(&path).expect("seed text");
            found.extend(
                mentions(Model::embedded(), &text)
                    .iter()
                    .map(|m| key(&m.text)),
            );
            files += 1;
        }
    }
    assert!(files >= 5, "only {files} seed files");
    let wanted = [
        "جو بايدن",
        "مصطفى الكاظمي",
        "لويد أوستن",
        "محمد شياع السوداني",
        "تنظيم الدولة الإسلامية",
        "داعش",
        "البنتاغون",
        "واشنطن",
        "بغداد",
    ];
    let missing: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|w| !found.contains(&key(w)))
        .collect();
    assert!(missing.is_empty(), "missing {missing:?}; found {found:?}");
}
