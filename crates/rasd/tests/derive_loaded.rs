//! End-to-end test of `rasd reindex --derived-only`, the step after a bulk
//! load (`python -m rasd_spark.load_postgres`): an archive that holds the
//! articles, groups and story memberships but none of the derived rows a
//! bulk load leaves out (story digests and counts, topic counts, facts, the
//! search index) gets back exactly what `rasd ingest` wrote, and no article
//! is placed again.

mod common;

use serde_json::Value;
use std::path::Path;

/// Articles of our own writing: a wire story in two outlets and its copy, a
/// football result and a weather story.
const ARTICLES: &str = r#"{"url":"https://kuna.example/1","source":"كونا","published":"2015-08-13 09:00:00","title":"الكويت تضبط خلية إرهابية بحوزتها أسلحة في العبدلي","content":"أعلنت وزارة الداخلية الكويتية ضبط خلية إرهابية في منطقة العبدلي بحوزتها كميات كبيرة من الأسلحة والذخائر والمتفجرات. وقال وزير الداخلية الشيخ محمد الخالد إن التحقيقات جارية مع المتهمين الثلاثة."}
{"url":"https://alqabas.example/2","source":"القبس","published":"2015-08-13 13:30:00","title":"ضبط خلية إرهابية في العبدلي وبحوزتها أسلحة وذخائر","content":"أعلنت وزارة الداخلية الكويتية ضبط خلية إرهابية في منطقة العبدلي بحوزتها كميات كبيرة من الأسلحة والذخائر والمتفجرات. وقال وزير الداخلية الشيخ محمد الخالد إن التحقيقات جارية مع المتهمين الثلاثة."}
{"url":"https://sabq.example/3","source":"سبق","published":"2015-08-02 20:00:00","title":"أرسنال يهزم تشيلسي ويتوج بالدرع الخيرية","content":"فاز أرسنال على تشيلسي بهدف تشامبرلين في ملعب ويمبلي في لندن وتوج بلقب الدرع الخيرية. وقال مدرب أرسنال أرسين فينغر إن فريقه قدم مباراة كبيرة."}
{"url":"https://okaz.example/4","source":"عكاظ","published":"2015-08-10 07:15:00","title":"أمطار غزيرة وسيول على مرتفعات الباحة","content":"هطلت أمطار غزيرة على مرتفعات منطقة الباحة مساء أمس وجرت السيول في عدد من الأودية. ودعا الدفاع المدني السكان إلى الابتعاد عن مجاري السيول بنسبة 100 في المئة."}
"#;

fn json_of(data: &Path, args: &[&str]) -> Vec<Value> {
    let out = common::rasd()
        .args(args)
        .args(["--format", "json", "--limit", "1000", "--data"])
        .arg(data)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    common::json_lines(&out)
}

/// `rasd reindex --derived-only`'s JSON summary.
fn derive_only(data: &Path) -> Value {
    let out = common::rasd()
        .args(["reindex", "--derived-only", "--format", "json", "--data"])
        .arg(data)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    common::json_lines(&out).remove(0)
}

#[test]
fn derived_only_rebuilds_what_a_bulk_load_leaves_out() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("articles.jsonl");
    std::fs::write(&input, ARTICLES).unwrap();
    let data = dir.path().join("data");
    common::rasd()
        .args(["ingest", "--no-progress", "--data"])
        .arg(&data)
        .arg(&input)
        .assert()
        .success();
    let stories = json_of(&data, &["stories"]);
    let topics = json_of(&data, &["topics"]);
    let entities = json_of(&data, &["entities"]);
    assert!(!entities.is_empty() && stories.len() >= 3, "{stories:?}");
    let members: Vec<(i64, i64)> = {
        let conn = rusqlite::Connection::open(data.join("archive.db")).unwrap();
        let mut stmt = conn
            .prepare("SELECT article, story FROM story_members ORDER BY article")
            .unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        rows.map(Result::unwrap).collect()
    };

    // What the bulk load writes: memberships and bare stories and topics,
    // no facts, no search index.
    {
        let conn = rusqlite::Connection::open(data.join("archive.db")).unwrap();
        conn.execute_batch(
            "UPDATE stories SET size = 0, headline = NULL, summary = NULL,
                 first_published = NULL, last_published = NULL;
             UPDATE topics SET label = NULL, stories = 0, articles = 0,
                 first_published = NULL, last_published = NULL;
             DELETE FROM mentions; DELETE FROM quotes; DELETE FROM figures;
             DELETE FROM entity_aliases; DELETE FROM entities;",
        )
        .unwrap();
    }
    std::fs::remove_dir_all(data.join("search")).unwrap();

    let summary = derive_only(&data);
    assert_eq!(summary["memberships"], 4, "{summary}");
    assert_eq!(summary["facts"]["articles"], 4, "{summary}");
    assert_eq!(summary["search_indexed"], 4, "{summary}");

    assert_eq!(json_of(&data, &["stories"]), stories);
    assert_eq!(json_of(&data, &["topics"]), topics);
    assert_eq!(json_of(&data, &["entities"]), entities);
    let hits = json_of(&data, &["search", "خلية العبدلي"]);
    assert!(
        !hits.is_empty(),
        "the rebuilt index finds the loaded articles"
    );
    let after: Vec<(i64, i64)> = {
        let conn = rusqlite::Connection::open(data.join("archive.db")).unwrap();
        let mut stmt = conn
            .prepare("SELECT article, story FROM story_members ORDER BY article")
            .unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        rows.map(Result::unwrap).collect()
    };
    assert_eq!(after, members, "no article was placed again");

    // Run again: nothing is left to derive.
    assert_eq!(derive_only(&data)["memberships"], 0);
}
