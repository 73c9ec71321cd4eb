//! End-to-end tests of stories in the archive: `rasd ingest` places articles
//! in stories and topics as they arrive, `rasd stories`, `rasd story`,
//! `rasd topics` and `rasd topic` show them, and what they show is what
//! `rasd cluster` assigns to the same articles.

mod common;

use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// Articles of our own writing, as JSON Lines: a Kuwaiti security story told
/// by two outlets, a football result and a weather story.
const FIXTURES: &str = r#"{"url":"https://kuna.example/1","source":"kuna","published":"2015-08-13 09:00:00","title":"الكويت تضبط خلية إرهابية بحوزتها أسلحة في العبدلي","content":"أعلنت وزارة الداخلية الكويتية ضبط خلية إرهابية في منطقة العبدلي بحوزتها كميات كبيرة من الأسلحة والذخائر والمتفجرات. وقالت الوزارة إن التحقيقات جارية مع المتهمين الثلاثة. وأضافت أن الأسلحة كانت مخبأة في حفرة تحت أحد المنازل."}
{"url":"https://alqabas.example/2","source":"alqabas","published":"2015-08-13 13:30:00","title":"ضبط خلية إرهابية في العبدلي وبحوزتها أسلحة وذخائر","content":"ضبطت السلطات الكويتية خلية إرهابية في العبدلي بحوزتها أسلحة وذخائر ومتفجرات. والتحقيقات جارية مع المتهمين الثلاثة بحسب وزارة الداخلية. وأشاد مجلس الوزراء بجهود رجال الأمن في كشف الخلية."}
{"url":"https://sabq.example/3","source":"sabq","published":"2015-08-02 20:00:00","title":"أرسنال يهزم تشيلسي ويتوج بالدرع الخيرية","content":"فاز أرسنال على تشيلسي بهدف تشامبرلين في ملعب ويمبلي وتوج بلقب الدرع الخيرية. وقال مدرب أرسنال إن فريقه قدم مباراة كبيرة أمام منافس قوي. ويستعد الفريقان لانطلاق الدوري الإنجليزي الأسبوع المقبل."}
{"url":"https://okaz.example/4","source":"okaz","published":"2015-08-10 07:15:00","title":"أمطار غزيرة وسيول على مرتفعات الباحة","content":"هطلت أمطار غزيرة على مرتفعات منطقة الباحة مساء أمس وجرت السيول في عدد من الأودية. ودعا الدفاع المدني السكان إلى الابتعاد عن مجاري السيول. وتوقعت الأرصاد استمرار الحالة الماطرة حتى نهاية الأسبوع."}
"#;

/// A later report of the Kuwaiti story, for a second ingest run.
const FOLLOW_UP: &str = r#"{"url":"https://alrai.example/5","source":"alrai","published":"2015-08-14 10:00:00","title":"التحقيقات مع خلية العبدلي الإرهابية تكشف مصدر الأسلحة","content":"كشفت التحقيقات مع أفراد خلية العبدلي الإرهابية التي ضبطتها وزارة الداخلية الكويتية أن الأسلحة والذخائر والمتفجرات دخلت البلاد عبر البحر. وقالت مصادر إن المتهمين الثلاثة اعترفوا بحيازة الأسلحة في العبدلي."}
"#;

fn ingest(data: &Path, inputs: &[&Path]) -> Value {
    let out = common::rasd()
        .args(["ingest", "--format", "json", "--no-progress", "--data"])
        .arg(data)
        .args(inputs)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    common::json_lines(&out).remove(0)
}

fn json_of(data: &Path, args: &[&str]) -> Vec<Value> {
    let out = common::rasd()
        .args(args)
        .args(["--format", "json", "--data"])
        .arg(data)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    common::json_lines(&out)
}

fn stories(data: &Path) -> Vec<Value> {
    json_of(data, &["stories", "--limit", "100000"])
}

/// Stories as sets of article ids.
fn partition_of_stories(stories: &[Value]) -> BTreeSet<BTreeSet<String>> {
    stories
        .iter()
        .map(|s| {
            s["articles"]
                .as_array()
                .expect("articles")
                .iter()
                .map(|a| a["id"].as_str().expect("id").to_string())
                .collect()
        })
        .collect()
}

/// What `rasd cluster` makes of the archive's articles, given in the order
/// ingest places them (publication time, dateless last, ties by id).
fn partition_of_cluster(data: &Path, dir: &Path) -> BTreeSet<BTreeSet<String>> {
    let mut articles = json_of(data, &["articles", "--limit", "100000"]);
    let days = |a: &Value| {
        a["published"]
            .as_str()
            .and_then(rasd_cluster::time::parse_days)
    };
    articles.sort_by(|a, b| {
        let key = |v: &Value| (days(v).is_none(), days(v).unwrap_or(0.0));
        let (ka, kb) = (key(a), key(b));
        ka.0.cmp(&kb.0)
            .then(ka.1.total_cmp(&kb.1))
            .then(a["id"].as_str().cmp(&b["id"].as_str()))
    });
    let input = dir.join("articles.jsonl");
    let lines: Vec<String> = articles.iter().map(Value::to_string).collect();
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let out = common::rasd()
        .args(["cluster", "--format", "json"])
        .arg(&input)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut by_story: HashMap<u64, BTreeSet<String>> = HashMap::new();
    for row in common::json_lines(&out) {
        by_story
            .entry(row["story"].as_u64().expect("story"))
            .or_default()
            .insert(row["id"].as_str().expect("id").to_string());
    }
    by_story.into_values().collect()
}

fn check_story_fields(story: &Value) {
    for key in [
        "id",
        "topic",
        "headline",
        "summary",
        "first_published",
        "sources",
        "articles",
    ] {
        assert!(story.get(key).is_some(), "{key} missing in {story}");
    }
    let articles = story["articles"].as_array().unwrap();
    assert_eq!(story["size"].as_u64(), Some(articles.len() as u64));
    assert!(!articles.is_empty());
    for a in articles {
        assert!(a["id"].is_string(), "{a}");
        assert!(a["path"].is_string() || a["url"].is_string(), "{a}");
        for key in ["title", "source", "published"] {
            assert!(a.get(key).is_some(), "{key} missing in {a}");
        }
    }
    if articles.iter().any(|a| a["title"].is_string()) {
        assert!(story["headline"].is_string(), "{story}");
    }
    let outlets = story["sources"].as_array().unwrap();
    let firsts: Vec<&str> = outlets
        .iter()
        .filter_map(|o| o["first_published"].as_str())
        .collect();
    assert!(firsts.windows(2).all(|w| w[0] <= w[1]), "{outlets:?}");
}

#[test]
fn stories_in_the_archive_are_what_rasd_cluster_assigns() {
    let Some(shared) =
        common::shared_or_skip("stories_in_the_archive_are_what_rasd_cluster_assigns")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let fixtures = dir.path().join("fixtures.jsonl");
    std::fs::write(&fixtures, FIXTURES).unwrap();
    let summary = ingest(&data, &[&shared.join("seeds"), &fixtures]);
    let placed = summary["derived"]["stories"]["articles"].as_u64().unwrap();
    assert_eq!(Some(placed), summary["new"].as_u64(), "{summary}");

    let listed = stories(&data);
    for story in &listed {
        check_story_fields(story);
    }
    let total: usize = listed
        .iter()
        .map(|s| s["articles"].as_array().unwrap().len())
        .sum();
    assert_eq!(total as u64, placed, "every article in exactly one story");
    assert_eq!(
        partition_of_stories(&listed),
        partition_of_cluster(&data, dir.path()),
        "the archive's stories are rasd cluster's"
    );

    // The two outlets' reports of the Kuwaiti cell: one story, kuna first.
    let cell = listed
        .iter()
        .find(|s| {
            s["articles"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["url"] == "https://kuna.example/1")
        })
        .expect("the cell story");
    assert_eq!(cell["sources"][0]["source"], "kuna", "{cell}");

    // Filters and paging.
    let two = json_of(&data, &["stories", "--limit", "2"]);
    assert_eq!(two.len(), 2.min(listed.len()));
    assert_eq!(two[0]["id"], listed[0]["id"], "newest activity first");
    let kuna = json_of(&data, &["stories", "--source", "kuna"]);
    assert!(kuna.iter().all(|s| s["sources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["source"] == "kuna")));
    assert!(!kuna.is_empty());
    let old = json_of(&data, &["stories", "--until", "2015-12-31"]);
    assert!(old
        .iter()
        .all(|s| s["first_published"].as_str().unwrap() < "2016"));

    // One story: the same object, with facts; unknown ids are an error.
    let id = cell["id"].as_i64().unwrap().to_string();
    let one = json_of(&data, &["story", &id]).remove(0);
    assert_eq!(one["articles"], cell["articles"]);
    assert!(one.get("facts").is_some());
    common::rasd()
        .args(["story", "999999", "--data"])
        .arg(&data)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no story 999999"));
    common::rasd()
        .args(["story", &id, "--data"])
        .arg(&data)
        .assert()
        .success()
        .stdout(predicates::str::contains("kuna"));

    // Topics: each with a timeline sorted by date that lists its stories.
    let topics = json_of(&data, &["topics", "--limit", "1000"]);
    assert!(!topics.is_empty());
    let mut stories_in_topics = 0;
    for topic in &topics {
        let id = topic["id"].as_i64().unwrap().to_string();
        let detail = json_of(&data, &["topic", &id]).remove(0);
        let timeline = detail["timeline"].as_array().unwrap();
        assert_eq!(timeline.len() as u64, topic["stories"].as_u64().unwrap());
        let dates: Vec<&str> = timeline.iter().filter_map(|e| e["date"].as_str()).collect();
        assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
        stories_in_topics += timeline.len();
    }
    assert_eq!(stories_in_topics, listed.len());
    common::rasd()
        .args(["topic", "999999", "--data"])
        .arg(&data)
        .assert()
        .code(2);
    common::rasd()
        .args(["topics", "--data"])
        .arg(&data)
        .assert()
        .success();
}

#[test]
fn a_second_ingest_continues_the_stories_of_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let first = dir.path().join("first.jsonl");
    let second = dir.path().join("second.jsonl");
    std::fs::write(&first, FIXTURES).unwrap();
    std::fs::write(&second, FOLLOW_UP).unwrap();
    ingest(&data, &[&first]);
    let before = stories(&data);
    let run = ingest(&data, &[&second]);
    assert!(
        run["derived"]["stories"]["restored_articles"]
            .as_u64()
            .unwrap()
            >= 2,
        "{run}"
    );
    let after = stories(&data);
    let story_with = |stories: &[Value], url: &str| -> Option<Value> {
        stories
            .iter()
            .find(|s| {
                s["articles"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| a["url"] == url)
            })
            .cloned()
    };
    let cell_before = story_with(&before, "https://kuna.example/1").unwrap();
    let cell_after = story_with(&after, "https://kuna.example/1").unwrap();
    let follow_up = story_with(&after, "https://alrai.example/5").unwrap();
    assert_eq!(follow_up["id"], cell_after["id"], "joined across runs");
    assert_eq!(cell_after["id"], cell_before["id"], "the story kept its id");
    assert_eq!(
        cell_after["size"].as_u64().unwrap(),
        cell_before["size"].as_u64().unwrap() + 1
    );
    let ids: BTreeSet<i64> = after.iter().map(|s| s["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), after.len(), "story ids unique");
    assert_eq!(after.len(), before.len(), "no new story was opened");

    // A rebuild from the stored articles keeps the same grouping.
    common::rasd()
        .args(["reindex", "--data"])
        .arg(&data)
        .assert()
        .success();
    assert_eq!(
        partition_of_stories(&stories(&data)),
        partition_of_stories(&after)
    );
}
