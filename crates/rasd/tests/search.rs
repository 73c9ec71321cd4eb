//! End-to-end tests of `rasd search`: the index `rasd ingest` keeps, Arabic
//! surface forms (clitics, hamza, vowel marks, tatweel, Arabic-Indic
//! digits), phrases, filters, stories, malformed queries, and the rebuild
//! from the store when the index is missing.

mod common;

use common::{json_lines, rasd};
use std::path::{Path, PathBuf};

/// Our own news-like fixture: (url, title, body, published, source).
const ARTICLES: [(&str, &str, &str, &str, &str); 5] = [
    (
        "https://a.example.sa/1",
        "انسحاب القوات الأمريكية من القاعدة",
        "أعلنت وزارة الدفاع اليوم انسحاب القوات الأمريكية من القاعدة الجوية شمال البلاد، وقال المتحدث باسم الوزارة إن 2500 جندي سيغادرون خلال أسبوعين.",
        "2021-08-30",
        "وكالة الأنباء",
    ),
    (
        "https://b.example.sa/2",
        "مؤتمر دولي للسلام في الرياض",
        "افتتح في الرياض مؤتمر دولي للسلام بمشاركة وزراء الخارجية العرب، ودعا البيان الختامي إلى وقف إطلاق النار.",
        "2021-09-02",
        "صحيفة الرياض",
    ),
    (
        "https://c.example.sa/3",
        "وصول قوات حفظ السلام إلى المدينة",
        "وصلت قوات حفظ السلام إلى المدينة صباح اليوم بعد أسابيع من المفاوضات بين الأطراف.",
        "2021-09-05",
        "صحيفة الرياض",
    ),
    (
        "https://d.example.sa/4",
        "ارتفاع أسعار النفط",
        "ارتفعت أسعار النفط في الأسواق العالمية إلى أعلى مستوى لها منذ عامين بسبب تراجع المخزونات.",
        "2021-09-06",
        "وكالة الأنباء",
    ),
    (
        "https://e.example.sa/5",
        "إعادة تموضع الجيش الأمريكي",
        "قال مسؤولون إن الجيش الأمريكي يعيد تموضع وحداته في المنطقة، وإن القوات الأمريكية باقية في قواعد أخرى.",
        "2021-09-07",
        "وكالة الأنباء",
    ),
];

fn write_fixture(dir: &Path) -> PathBuf {
    let mut lines = String::new();
    for (url, title, body, published, source) in ARTICLES {
        let record = serde_json::json!({
            "url": url, "title": title, "body": body,
            "published": published, "source": source, "lang": "ar",
        });
        lines.push_str(&record.to_string());
        lines.push('\n');
    }
    let path = dir.join("أخبار.jsonl");
    std::fs::write(&path, lines).unwrap();
    path
}

fn ingested() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let input = write_fixture(tmp.path());
    let data = tmp.path().join("data");
    rasd()
        .args(["ingest", "--no-progress", "--data"])
        .arg(&data)
        .arg(&input)
        .assert()
        .success();
    (tmp, data)
}

fn search(data: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let out = rasd()
        .args(["search", "--format", "json", "--data"])
        .arg(data)
        .args(args)
        .assert()
        .success();
    json_lines(&out.get_output().stdout)
}

fn urls(hits: &[serde_json::Value]) -> Vec<String> {
    let mut v: Vec<String> = hits
        .iter()
        .map(|h| h["url"].as_str().unwrap_or_default().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn surface_forms_find_the_articles() {
    let (_tmp, data) = ingested();
    let troops = [
        "https://a.example.sa/1",
        "https://c.example.sa/3",
        "https://e.example.sa/5",
    ];
    for query in ["وللقوات", "قوات", "القُوّاتِ", "القـــوات", "بالقوات"]
    {
        assert_eq!(urls(&search(&data, &[query])), troops, "{query}");
    }
    // Hamza forms and a missing hamza seat.
    assert_eq!(urls(&search(&data, &["موتمر"])), ["https://b.example.sa/2"]);
    assert_eq!(urls(&search(&data, &["اعادة"])), ["https://e.example.sa/5"]);
    // Arabic-Indic digits find ASCII ones.
    assert_eq!(urls(&search(&data, &["٢٥٠٠"])), ["https://a.example.sa/1"]);
    // Stemmed field: the singular finds the plural.
    assert!(urls(&search(&data, &["مفاوضة"])).contains(&"https://c.example.sa/3".to_string()));
}

#[test]
fn hits_carry_the_documented_fields_and_highlight_the_text() {
    let (_tmp, data) = ingested();
    let hits = search(&data, &["أسعار", "النفط"]);
    assert_eq!(hits.len(), 1);
    let hit = &hits[0];
    for key in [
        "id",
        "url",
        "title",
        "source",
        "published",
        "story",
        "score",
        "snippet",
    ] {
        assert!(hit.get(key).is_some(), "{key} missing in {hit}");
    }
    let snippet = hit["snippet"].as_str().unwrap();
    let (s, e) = (
        hit["highlights"][0][0].as_u64().unwrap() as usize,
        hit["highlights"][0][1].as_u64().unwrap() as usize,
    );
    assert_eq!(&snippet[s..e], "أسعار");
}

#[test]
fn phrases_filters_and_exclusions() {
    let (_tmp, data) = ingested();
    assert_eq!(
        urls(&search(&data, &["\"القوات الأمريكية\""])),
        ["https://a.example.sa/1", "https://e.example.sa/5"]
    );
    assert!(search(&data, &["\"الأمريكية القوات\""]).is_empty());
    assert_eq!(
        urls(&search(&data, &["--source", "صحيفة الرياض", "قوات"])),
        ["https://c.example.sa/3"]
    );
    assert_eq!(
        urls(&search(
            &data,
            &["--since", "2021-09-01", "--until", "2021-09-06", "قوات"]
        )),
        ["https://c.example.sa/3"]
    );
    assert_eq!(
        urls(&search(&data, &["--", "قوات", "-الأمريكية"])),
        ["https://c.example.sa/3"]
    );
    assert!(
        search(&data, &["طائرات"]).is_empty(),
        "no match is no lines"
    );
}

#[test]
fn malformed_queries_fail_with_a_message() {
    let (_tmp, data) = ingested();
    for (bad, why) in [
        (&["\"القوات"][..], "unbalanced quotes"),
        (&["«القوات"], "unbalanced quotes"),
        (&[""], "empty query"),
        (&["--since", "2021-13-01", "قوات"], "YYYY-MM-DD"),
    ] {
        rasd()
            .args(["search", "--data"])
            .arg(&data)
            .args(bad)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(why));
    }
    let long = "كلمة ".repeat(50);
    rasd()
        .args(["search", "--data"])
        .arg(&data)
        .arg(long)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("too many terms"));
}

#[test]
fn stories_collapse_and_the_index_rebuilds_from_the_store() {
    let (_tmp, data) = ingested();
    let all = search(&data, &["القوات"]);
    let stories = search(&data, &["--stories", "القوات"]);
    let distinct: std::collections::HashSet<String> = all
        .iter()
        .map(|h| match h["story"].as_i64() {
            Some(s) => format!("story {s}"),
            None => h["id"].to_string(),
        })
        .collect();
    assert_eq!(stories.len(), distinct.len());
    let hidden: u64 = stories
        .iter()
        .map(|h| h["also_in_story"].as_u64().unwrap())
        .sum();
    assert_eq!(stories.len() as u64 + hidden, all.len() as u64);

    std::fs::remove_dir_all(data.join("search")).unwrap();
    let out = rasd()
        .args(["search", "--format", "json", "--data"])
        .arg(&data)
        .arg("وللقوات")
        .assert()
        .success();
    assert!(
        String::from_utf8_lossy(&out.get_output().stderr).contains("building it from the store")
    );
    assert_eq!(json_lines(&out.get_output().stdout).len(), all.len());
}

#[test]
fn seeds_are_found_by_other_surface_forms() {
    let Some(shared) = common::shared_or_skip("seeds_are_found_by_other_surface_forms") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    rasd()
        .args(["ingest", "--no-progress", "--data"])
        .arg(&data)
        .arg(shared.join("seeds"))
        .assert()
        .success();
    // «الأمريكية» in the pages, asked with a clitic, no hamza and a final yeh.
    let hits = search(&data, &["وللامريكيه"]);
    assert!(!hits.is_empty());
    assert!(hits
        .iter()
        .all(|h| h["path"].is_string() || h["url"].is_string()));
    let hits = search(&data, &["بالقُوّات"]);
    assert!(!hits.is_empty());
}
