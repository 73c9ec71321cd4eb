//! `rasd extract` on the five seed pages (../shared/seeds): titles, dates,
//! body start and end, no boilerplate, and the second article of seed 003.

mod common;

use serde_json::Value;

fn extract_seeds() -> Option<Vec<Value>> {
    let shared = common::shared_or_skip("extract_seeds")?;
    let out = common::rasd()
        .args(["extract", "--format", "json"])
        .arg(shared.join("seeds"))
        .output()
        .expect("rasd runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(common::json_lines(&out.stdout))
}

fn by_seed<'a>(articles: &'a [Value], prefix: &str) -> Vec<&'a Value> {
    articles
        .iter()
        .filter(|a| {
            let path = a["path"].as_str().unwrap_or_default();
            path.rsplit('/')
                .next()
                .unwrap_or_default()
                .starts_with(prefix)
        })
        .collect()
}

#[test]
fn seed_dates_follow_the_datelines() {
    let Some(articles) = extract_seeds() else {
        return;
    };
    let day = |a: &Value| a["published"].as_str().map(|d| d[..10].to_string());
    assert_eq!(day(by_seed(&articles, "000")[0]), None);
    assert_eq!(day(by_seed(&articles, "001")[0]), None);
    assert_eq!(
        day(by_seed(&articles, "002")[0]).as_deref(),
        Some("2021-07-26")
    );
    assert_eq!(
        day(by_seed(&articles, "003")[0]).as_deref(),
        Some("2023-08-08")
    );
    assert_eq!(
        day(by_seed(&articles, "004")[0]).as_deref(),
        Some("2021-07-23")
    );
}

#[test]
fn seed_000_body_is_cut_where_a_reader_would() {
    let Some(articles) = extract_seeds() else {
        return;
    };
    let a = by_seed(&articles, "000");
    assert_eq!(a.len(), 1);
    let body = a[0]["body"].as_str().unwrap();
    assert!(
        body.starts_with("يبحث الرئيس الأمريكي جو بايدن"),
        "{body:.80}"
    );
    assert!(
        body.ends_with("على أرض العراق."),
        "{}",
        &body[body.len().saturating_sub(80)..]
    );
    for junk in [
        "Getty Images",
        "انقر هنا لقراءة الخبر من مصدره",
        "شكرا على الإبلاغ",
    ] {
        assert!(!body.contains(junk), "{junk}");
    }
    assert_eq!(a[0]["lang"], "ar");
}

#[test]
fn no_boilerplate_survives_in_any_seed() {
    let Some(articles) = extract_seeds() else {
        return;
    };
    for a in &articles {
        let body = a["body"].as_str().unwrap();
        for junk in [
            "كلمات دلالية",
            "اترك تعليقك",
            "مقالات ذات صلة",
            "Getty Images",
            "إقرأ أيضاً",
            "Connect with us",
            "التعليقات",
        ] {
            assert!(!body.contains(junk), "{junk} in {}", a["path"]);
        }
        let title = a["title"].as_str().expect("every seed article has a title");
        assert!(!body.starts_with(title), "title repeated in {}", a["path"]);
    }
}

#[test]
fn seed_003_carries_a_second_article() {
    let Some(articles) = extract_seeds() else {
        return;
    };
    let a = by_seed(&articles, "003");
    assert_eq!(a.len(), 2, "main and appended article");
    assert_eq!(
        a[1]["published"].as_str().map(|d| &d[..10]),
        Some("2024-12-17")
    );
    let second_title = a[1]["title"].as_str().unwrap();
    assert!(second_title.starts_with("بعد الضربات"), "{second_title}");
    assert!(!a[0]["body"].as_str().unwrap().contains(second_title));
    assert_eq!(a[0]["source"], "شفق نيوز");
}

#[test]
fn seed_002_names_the_republished_source() {
    let Some(articles) = extract_seeds() else {
        return;
    };
    assert_eq!(by_seed(&articles, "002")[0]["source"], "صحيفة الغارديان");
}
