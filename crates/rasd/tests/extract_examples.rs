//! `rasd extract` on the bundled example pages (examples/pages/): written
//! for rasd, so these run everywhere without ../shared.

mod common;

use serde_json::Value;
use std::path::PathBuf;

fn examples() -> Vec<Value> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/pages");
    let out = common::rasd()
        .args(["extract", "--format", "json"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    common::json_lines(&out.stdout)
}

fn page<'a>(all: &'a [Value], name: &str) -> Vec<&'a Value> {
    all.iter()
        .filter(|a| a["path"].as_str().unwrap().ends_with(name))
        .collect()
}

#[test]
fn titles_dates_sources_and_languages() {
    let all = examples();
    let a = page(&all, "01_ticker_comments.txt")[0];
    assert_eq!(
        a["title"],
        "بلدية الساحل تطلق مشروعا لتشجير الواجهة البحرية"
    );
    assert_eq!(
        a["published"].as_str().map(|d| &d[..10]),
        Some("2021-03-14")
    );
    assert_eq!(a["source"], "صحيفة الساحل");
    let body = a["body"].as_str().unwrap();
    assert!(body.contains("خطة على ثلاث مراحل"), "subheading kept");
    assert!(!body.contains("ارتفاع أسعار القمح"), "ticker dropped");

    let a = page(&all, "03_daily_header_trap.txt")[0];
    assert_eq!(
        a["published"], "2022-02-08",
        "the dateline, not the header's today"
    );
    assert!(!a["body"].as_str().unwrap().contains("Getty"));
    assert!(!a["body"].as_str().unwrap().contains("اقرأ أيضا"));

    let a = page(&all, "04_aggregator_relative_time.txt")[0];
    assert_eq!(a["published"], Value::Null, "relative time gives no date");
    assert_eq!(a["source"], Value::Null, "aggregator is not the source");
    assert!(
        !a["body"].as_str().unwrap().contains("جانب من"),
        "caption dropped"
    );

    let a = page(&all, "06_english_page.txt")[0];
    assert_eq!(a["lang"], "en");
    assert_eq!(a["title"], "Harbour city opens new desalination plant");
}

#[test]
fn read_also_heading_starts_a_second_article() {
    let all = examples();
    let two = page(&all, "02_read_also_second_article.txt");
    assert_eq!(two.len(), 2);
    assert_eq!(two[0]["published"], "2022-08-05");
    assert_eq!(two[1]["title"], "افتتاح أكبر مكتبة عامة في العاصمة");
    assert_eq!(two[1]["published"], "2022-08-02");
    assert!(
        !two[0]["body"].as_str().unwrap().contains("جامعة الشمال"),
        "inline read-also dropped"
    );

    let related = page(&all, "05_wordpress_related.txt");
    assert_eq!(related.len(), 1, "teasers are not a second article");
    assert!(!related[0]["body"]
        .as_str()
        .unwrap()
        .contains("المكتبة الوطنية"));
}
