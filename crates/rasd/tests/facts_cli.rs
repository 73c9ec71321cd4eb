//! End-to-end tests of `rasd facts`.

mod common;

use common::rasd;
use std::collections::BTreeSet;

const ARTICLE: &str = "أوستن يزور بغداد ويؤكد بقاء القوات\n\
وصل وزير الدفاع الأمريكي لويد أوستن إلى بغداد اليوم في زيارة لم يعلن عنها مسبقا.\n\
وقال أوستن إن \"نحو 2500 جندي سيبقون في العراق لمحاربة داعش\".\n\
والتقى أوستن رئيس الوزراء العراقي محمد شياع السوداني لمدة ثلاث ساعات.\n";

fn entity_names(report: &serde_json::Value) -> BTreeSet<String> {
    report["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["entity"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn facts_of_a_written_article() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("austin.txt");
    std::fs::write(&path, ARTICLE).unwrap();
    let out = rasd()
        .args(["facts", "--format", "json"])
        .arg(&path)
        .assert()
        .success();
    let reports = common::json_lines(&out.get_output().stdout);
    assert_eq!(reports.len(), 1);
    let report = &reports[0];
    assert!(report["path"].as_str().unwrap().ends_with("austin.txt"));
    let names = entity_names(report);
    for want in ["لويد أوستن", "بغداد"] {
        assert!(names.contains(want), "{want} not in {names:?}");
    }
    // Every «أوستن» mention links to the full name.
    for e in report["entities"].as_array().unwrap() {
        if e["text"].as_str().unwrap().contains("أوستن") {
            assert_eq!(e["entity"], "لويد أوستن", "{e}");
        }
    }
    let quote = &report["quotes"][0];
    assert_eq!(quote["speaker_entity"], "لويد أوستن", "{report}");
    assert!(quote["text"].as_str().unwrap().contains("2500 جندي"));
    let figures = report["figures"].as_array().unwrap();
    assert!(
        figures
            .iter()
            .any(|f| f["value"] == 2500.0 && f["unit"] == "جندي"),
        "{figures:?}"
    );
}

#[test]
fn facts_of_the_seed_pages_link_across_articles() {
    let Some(shared) = common::shared_or_skip("facts_of_the_seed_pages_link_across_articles")
    else {
        return;
    };
    let out = rasd()
        .args(["facts", "--format", "json"])
        .arg(shared.join("seeds"))
        .assert()
        .success();
    let reports = common::json_lines(&out.get_output().stdout);
    assert!(reports.len() >= 5, "{} articles", reports.len());
    let all: BTreeSet<String> = reports.iter().flat_map(entity_names).collect();
    for want in [
        "جو بايدن",
        "مصطفى الكاظمي",
        "لويد أوستن",
        "تنظيم الدولة الإسلامية",
        "واشنطن",
        "بغداد",
    ] {
        assert!(all.contains(want), "{want} not in {all:?}");
    }
    // داعش is listed as an alias of the same entity.
    assert!(!all.contains("داعش"), "{all:?}");
}
