//! End-to-end tests of facts in the archive: `rasd ingest` stores them;
//! `rasd entities`, `rasd entity`, `rasd quotes` and `rasd article` read them.

mod common;

use common::{json_lines, rasd};
use serde_json::Value;
use std::path::Path;

fn ingest(data: &Path, input: &Path) -> Value {
    let out = rasd()
        .args(["ingest", "--format", "json", "--data"])
        .arg(data)
        .arg(input)
        .assert()
        .success();
    json_lines(&out.get_output().stdout).remove(0)
}

fn lines(data: &Path, args: &[&str]) -> Vec<Value> {
    let out = rasd()
        .args(args)
        .args(["--format", "json", "--data"])
        .arg(data)
        .assert()
        .success();
    json_lines(&out.get_output().stdout)
}

fn named<'a>(entities: &'a [Value], name: &str) -> Option<&'a Value> {
    entities.iter().find(|e| e["name"] == name)
}

/// The id of the stored article read from a file whose name starts with `prefix`.
fn article_from(data: &Path, prefix: &str) -> Vec<String> {
    lines(data, &["articles", "--limit", "1000"])
        .iter()
        .filter(|a| {
            a["path"]
                .as_str()
                .and_then(|p| Path::new(p).file_name())
                .is_some_and(|f| f.to_string_lossy().starts_with(prefix))
        })
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_seed_pages_give_linked_entities_quotes_and_figures() {
    let Some(shared) =
        common::shared_or_skip("the_seed_pages_give_linked_entities_quotes_and_figures")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let summary = ingest(&data, &shared.join("seeds"));
    assert!(
        summary["derived"]["facts"]["mentions"].as_u64().unwrap() > 100,
        "{summary}"
    );

    let entities = lines(&data, &["entities", "--limit", "1000"]);
    for want in [
        "جو بايدن",
        "مصطفى الكاظمي",
        "لويد أوستن",
        "محمد شياع السوداني",
        "تنظيم الدولة الإسلامية",
        "البنتاغون",
        "واشنطن",
        "بغداد",
    ] {
        assert!(named(&entities, want).is_some(), "{want} not listed");
    }
    // Austin's spellings (أوستن, اوستن, اوتسن) are one entity, in 002, 003 and 004.
    let austin: Vec<&Value> = entities
        .iter()
        .filter(|e| {
            let name = e["name"].as_str().unwrap();
            ["أوستن", "اوستن", "اوتسن"].iter().any(|s| name.contains(s))
        })
        .collect();
    assert_eq!(austin.len(), 1, "{austin:?}");
    assert!(
        austin[0]["articles"].as_u64().unwrap() >= 3,
        "{}",
        austin[0]
    );
    // داعش is an alias of تنظيم الدولة الإسلامية, not an entity of its own.
    let isis = named(&entities, "تنظيم الدولة الإسلامية").unwrap();
    assert!(
        isis["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "داعش"),
        "{isis}"
    );
    assert!(named(&entities, "داعش").is_none());
    // Most mentioned first.
    let counts: Vec<u64> = entities
        .iter()
        .map(|e| e["mentions"].as_u64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    let people = lines(&data, &["entities", "--type", "PERS", "--limit", "1000"]);
    assert!(people.iter().all(|e| e["type"] == "PERS"));
    assert!(named(&people, "بغداد").is_none());

    // Stroul's quotes in 003, Price's in 004, with their speakers.
    let seed_003 = article_from(&data, "003_");
    let stroul = lines(&data, &["quotes", "--speaker", "سترول"]);
    assert!(!stroul.is_empty());
    for q in &stroul {
        assert!(seed_003.iter().any(|id| *id == q["article"]), "{q}");
        assert_eq!(q["speaker_name"], "دانا سترول", "{q}");
    }
    let seed_004 = article_from(&data, "004_");
    let price = lines(&data, &["quotes", "--speaker", "نيد برايس"]);
    assert!(
        price
            .iter()
            .any(|q| seed_004.iter().any(|id| *id == q["article"])),
        "{price:?}"
    );

    // 2500 troops in every outlet's article.
    for prefix in ["000_", "001_", "002_", "003_", "004_"] {
        let ids = article_from(&data, prefix);
        let troops = ids.iter().any(|id| {
            let article = lines(&data, &["article", id]).remove(0);
            article["facts"]["figures"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["value"] == 2500.0 && f["unit"] == "جندي")
        });
        assert!(troops, "no 2500 جندي in {prefix}");
    }

    // One entity with its quotes; an unknown id is an error.
    let biden = named(&entities, "جو بايدن").unwrap()["id"]
        .as_i64()
        .unwrap();
    let detail = lines(&data, &["entity", &biden.to_string()]);
    assert_eq!(detail.len(), 1);
    assert_eq!(detail[0]["name"], "جو بايدن");
    assert!(detail[0]["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == "بايدن"));
    rasd()
        .args(["entity", "999999", "--data"])
        .arg(&data)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("entity 999999: not found"));

    // A later run links to the stored entities: «بايدن» alone is جو بايدن.
    let later = dir.path().join("later.txt");
    std::fs::write(
        &later,
        "بايدن يتصل بالسوداني\nأجرى بايدن اتصالا هاتفيا مع رئيس الوزراء العراقي في بغداد.\n",
    )
    .unwrap();
    let summary = ingest(&data, &later);
    assert_eq!(summary["new"], 1, "{summary}");
    let id = article_from(&data, "later")[0].clone();
    let article = lines(&data, &["article", &id]).remove(0);
    let mentions = article["facts"]["entities"].as_array().unwrap();
    let biden_mentions: Vec<&Value> = mentions.iter().filter(|m| m["text"] == "بايدن").collect();
    assert!(!biden_mentions.is_empty(), "{mentions:?}");
    for m in biden_mentions {
        assert_eq!(m["entity"], biden, "{m}");
        assert_eq!(m["name"], "جو بايدن");
    }
    let again = lines(&data, &["entities", "--name", "بايدن"]);
    assert!(named(&again, "بايدن").is_none(), "{again:?}");
    assert_eq!(named(&again, "جو بايدن").unwrap()["id"], biden);
}

const HOSTILE: &str = "الوزارة ترد على الانتقادات\n\
وقال المتحدث باسم وزارة الخارجية أحمد الصالح إن \"<script>alert('رصد')</script> لن نتراجع عن موقفنا\".\n\
وأضاف الصالح أن 40 دبلوماسيا سيشاركون في الاجتماع.\n";

#[test]
fn a_quote_with_markup_is_stored_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let input = dir.path().join("hostile.txt");
    std::fs::write(&input, HOSTILE).unwrap();
    let summary = ingest(&data, &input);
    assert_eq!(summary["derived"]["facts"]["articles"], 1, "{summary}");
    let quotes = lines(&data, &["quotes"]);
    assert_eq!(quotes.len(), 1, "{quotes:?}");
    assert!(
        quotes[0]["text"]
            .as_str()
            .unwrap()
            .starts_with("<script>alert('رصد')</script>"),
        "{}",
        quotes[0]
    );
    // Text output shows it as written too (escaping is for HTML renderers).
    let out = rasd()
        .args(["quotes", "--data"])
        .arg(&data)
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("<script>"), "{text}");
    let article = lines(&data, &["articles"]).remove(0);
    let id = article["id"].as_str().unwrap();
    let shown = lines(&data, &["article", id]).remove(0);
    let figures = shown["facts"]["figures"].as_array().unwrap();
    assert!(figures.iter().any(|f| f["value"] == 40.0), "{figures:?}");
    // Re-ingesting the same file stores nothing new and keeps the facts as they were.
    let again = ingest(&data, &input);
    assert_eq!(again["derived"]["facts"]["articles"], 0, "{again}");
    assert_eq!(lines(&data, &["quotes"]).len(), 1);
}

/// The facts version of the archive under `data`, as `rasd stats` says it.
fn facts_state(data: &Path) -> Value {
    lines(data, &["stats"]).remove(0)["facts"].clone()
}

/// Sets (or, with `None`, forgets) the stored facts version, as an older
/// rasd would have left it.
fn store_facts_version(data: &Path, version: Option<i64>) {
    let db = rusqlite::Connection::open(data.join(rasd_store::ARCHIVE_FILE)).unwrap();
    match version {
        Some(v) => db
            .execute("UPDATE derived_versions SET version = ?1", [v])
            .unwrap(),
        None => db.execute("DELETE FROM derived_versions", []).unwrap(),
    };
}

#[test]
fn facts_from_another_rasd_are_flagged_and_reindex_recomputes_them() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/pages");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let first = ingest(&data, &examples);
    let version = first["derived"]["facts"]["version"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(first["derived"]["facts"].get("stale_version").is_none());
    assert_eq!(
        facts_state(&data),
        serde_json::json!({"version": version, "stale_version": null})
    );
    let entities_before = lines(&data, &["entities", "--limit", "1000"]);
    assert!(!entities_before.is_empty());

    // Facts computed by rasd 0 with a model whose hash ended in 1.
    store_facts_version(&data, Some(1));
    assert_eq!(facts_state(&data)["stale_version"], "0.00000001");
    let out = rasd()
        .args(["ingest", "--format", "json", "--data"])
        .arg(&data)
        .arg(&examples)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr);
    assert!(
        stderr.contains("facts version 0.00000001") && stderr.contains("rasd reindex"),
        "{stderr}"
    );
    // Facts stored before rasd recorded their version are stale too.
    store_facts_version(&data, None);
    assert!(facts_state(&data)["stale_version"]
        .as_str()
        .unwrap()
        .starts_with("unknown"));

    let reindexed = lines(&data, &["reindex"]).remove(0);
    let facts = &reindexed["facts"];
    assert_eq!(
        facts["stale_version"].as_str().map(|s| &s[..7]),
        Some("unknown")
    );
    assert_eq!(facts["version"], version.as_str());
    assert_eq!(facts["articles"], first["derived"]["facts"]["articles"]);
    assert_eq!(facts_state(&data)["stale_version"], Value::Null);
    // The same rasd recomputes the same facts: entities by name and count.
    let summary = |list: &[Value]| {
        let mut out: Vec<(String, u64)> = list
            .iter()
            .map(|e| {
                (
                    e["name"].as_str().unwrap().to_owned(),
                    e["mentions"].as_u64().unwrap(),
                )
            })
            .collect();
        out.sort();
        out
    };
    let entities_after = lines(&data, &["entities", "--limit", "1000"]);
    assert_eq!(summary(&entities_after), summary(&entities_before));
}
