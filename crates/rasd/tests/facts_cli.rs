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

    // Speakers are the people who spoke: the spokesman, not the Pentagon
    // he speaks for; «إذ قال للصحفيين» and «الذي قال» report the person
    // just named; an official of Biden's administration is not Biden.
    let quotes: Vec<(String, Option<String>, String)> = reports
        .iter()
        .flat_map(|r| r["quotes"].as_array().cloned().unwrap_or_default())
        .map(|q| {
            (
                q["speaker"].as_str().unwrap_or_default().to_owned(),
                q["speaker_entity"].as_str().map(str::to_owned),
                q["text"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let said_by = |entity: &str| {
        quotes
            .iter()
            .filter(|(_, e, _)| e.as_deref() == Some(entity))
            .count()
    };
    for speaker in [
        "جون كيربي",
        "باتريك رايدر",
        "نيد برايس",
        "دانا سترول",
        "جين ساكي",
    ] {
        assert!(said_by(speaker) > 0, "no quote of {speaker}: {quotes:?}");
    }
    assert!(said_by("لويد أوستن") >= 2, "{quotes:?}");
    assert_eq!(said_by("جو بايدن"), 0, "{quotes:?}");
    for (speaker, _, text) in &quotes {
        // Audience, medium and time are cut from the speaker…
        for junk in ["للصحفيين", "لوكالة", "في بيان", "الخميس", "لـ"] {
            assert!(!speaker.contains(junk), "{speaker:?}");
        }
        // …and a quoted medium name («بغداد اليوم») is no quote.
        assert!(text.split_whitespace().count() >= 2, "{text:?}");
        assert_ne!(text, "بغداد اليوم");
    }
    // Dates and years are not figures; «40 من أفراد» counts أفراد.
    let figures: Vec<(f64, String)> = reports
        .iter()
        .flat_map(|r| r["figures"].as_array().cloned().unwrap_or_default())
        .map(|f| {
            (
                f["value"].as_f64().unwrap_or_default(),
                f["unit"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert!(
        figures
            .iter()
            .all(|(v, u)| !u.is_empty() && !(1900.0..=2100.0).contains(v)),
        "{figures:?}"
    );
    assert!(figures.contains(&(40.0, "أفراد".to_owned())), "{figures:?}");
}
