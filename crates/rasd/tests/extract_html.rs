//! End-to-end: `rasd extract` on HTML pages — a dev-set subset scored
//! against its gold, and hostile pages (deep nesting, a 100 MB attribute,
//! an undeclared windows-1256 page, an empty document, binary junk) that
//! must each give a clear per-page error or an article, never a panic,
//! while the rest of the batch goes on.

mod common;

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

/// A news page written for these tests (not from ../shared).
const GOOD_PAGE: &str = r##"<!doctype html><html lang="ar"><head><meta charset="utf-8">
<title>افتتاح جسر جديد على النهر - صحيفة الوادي</title>
<meta property="og:site_name" content="صحيفة الوادي">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"افتتاح جسر جديد على النهر",
"datePublished":"2022-05-10T08:00:00+03:00","publisher":{"name":"صحيفة الوادي"}}</script>
</head><body><nav><a href="/">الرئيسية</a> <a href="/local">محليات</a></nav>
<article><h1>افتتاح جسر جديد على النهر</h1>
<div class="article-body">
<p>افتتح محافظ المدينة صباح اليوم الجسر الجديد على النهر، بطول يتجاوز ثمانمئة متر، وبكلفة بلغت مئتي مليون.</p>
<p>وقال المحافظ إن الجسر سيخفف الازدحام في وسط المدينة، ويختصر زمن الرحلة بين الضفتين إلى دقائق معدودة.</p>
<div class="share-buttons"><a href="#">فيسبوك</a> <a href="#">تويتر</a></div>
<p>وأضاف أن العمل سيبدأ الشهر المقبل في مشروع ثانٍ، يربط الطريق الدائري بالمنطقة الصناعية شمالي المدينة.</p>
</div></article>
<div class="comments"><p>تعليق: مشروع رائع، شكراً للمحافظ على هذا الإنجاز الكبير الذي انتظرناه طويلاً.</p></div>
<footer>© 2022 صحيفة الوادي</footer></body></html>"##;

fn run_extract(paths: &[&Path]) -> (i32, Vec<Value>, String) {
    let out = common::rasd()
        .arg("extract")
        .args(["--format", "json", "--site-templates", "off"])
        .args(paths)
        .output()
        .expect("rasd runs");
    (
        out.status.code().unwrap_or(-1),
        common::json_lines(&out.stdout),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn article_for<'a>(articles: &'a [Value], file: &str) -> Option<&'a Value> {
    articles
        .iter()
        .find(|a| a["path"].as_str().is_some_and(|p| p.ends_with(file)))
}

#[test]
fn a_clean_page_gives_metadata_and_body_without_boilerplate() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("good.html");
    std::fs::write(&path, GOOD_PAGE).unwrap();
    let (code, articles, stderr) = run_extract(&[&path]);
    assert_eq!(code, 0, "{stderr}");
    let a = &articles[0];
    assert_eq!(a["title"], "افتتاح جسر جديد على النهر");
    assert_eq!(a["published"], "2022-05-10T08:00:00+03:00");
    assert_eq!(a["source"], "صحيفة الوادي");
    let body = a["body"].as_str().unwrap();
    assert_eq!(body.split("\n\n").count(), 3, "{body}");
    assert!(body.starts_with("افتتح محافظ المدينة"), "{body}");
    for junk in ["فيسبوك", "تعليق", "الرئيسية", "©"] {
        assert!(!body.contains(junk), "{junk} leaked into {body}");
    }
}

#[test]
fn hostile_pages_fail_alone_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a-good.html"), GOOD_PAGE).unwrap();

    // 100,000 nested elements after a real article.
    let deep = GOOD_PAGE.replace(
        "</body>",
        &format!(
            "{}عمق{}</body>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        ),
    );
    std::fs::write(d.join("b-deep.html"), deep).unwrap();

    // A 100 MB attribute value.
    let mut big = String::with_capacity(101 << 20);
    big.push_str("<html><body><div data-x=\"");
    big.extend(std::iter::repeat_n('x', 100 << 20));
    big.push_str("\"><p>نص</p></div></body></html>");
    std::fs::write(d.join("c-big-attribute.html"), big).unwrap();

    // An empty document and binary junk named .html.
    std::fs::write(d.join("d-empty.html"), "<html></html>").unwrap();
    let junk: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(d.join("e-junk.html"), junk).unwrap();

    // The good page in windows-1256, with its charset declaration removed.
    let undeclared = GOOD_PAGE.replace("<meta charset=\"utf-8\">", "");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1256.encode(&undeclared);
    assert!(!unmappable);
    std::fs::write(d.join("f-cp1256.html"), bytes).unwrap();

    let (code, articles, stderr) = run_extract(&[d]);
    assert_eq!(code, 1, "some pages fail, the run goes on: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    let good = article_for(&articles, "a-good.html").expect("the good page is extracted");
    assert_eq!(good["title"], "افتتاح جسر جديد على النهر");

    let deep = article_for(&articles, "b-deep.html").expect("the deep page keeps its article");
    assert!(deep["body"].as_str().unwrap().starts_with("افتتح محافظ"));

    for failed in ["c-big-attribute.html", "d-empty.html", "e-junk.html"] {
        let reported = stderr
            .lines()
            .any(|l| l.starts_with("rasd: ") && l.contains(failed));
        assert!(
            reported || article_for(&articles, failed).is_none(),
            "{failed}: neither an error line nor silence: {stderr}"
        );
        assert!(
            article_for(&articles, failed).is_none(),
            "{failed} gave an article"
        );
    }
    assert!(stderr.contains("e-junk.html"), "junk is reported: {stderr}");

    let cp1256 = article_for(&articles, "f-cp1256.html").expect("the windows-1256 page decodes");
    assert_eq!(cp1256["title"], "افتتاح جسر جديد على النهر");
    assert!(cp1256["body"].as_str().unwrap().contains("الطريق الدائري"));
}

/// Bag-of-words F1 over matching keys, as `score_extract.py` computes it.
fn word_f1(gold: &str, pred: &str) -> f64 {
    let bag = |s: &str| {
        let key = rasd_text::normalize::matching_key(s);
        let mut m: HashMap<String, u32> = HashMap::new();
        for w in key
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            *m.entry(w.to_string()).or_default() += 1;
        }
        m
    };
    let (g, p) = (bag(gold), bag(pred));
    let (ng, np) = (g.values().sum::<u32>(), p.values().sum::<u32>());
    if ng == 0 || np == 0 {
        return if ng == np { 1.0 } else { 0.0 };
    }
    let overlap: u32 = g
        .iter()
        .map(|(w, n)| (*n).min(*p.get(w).unwrap_or(&0)))
        .sum();
    let (pr, rc) = (overlap as f64 / np as f64, overlap as f64 / ng as f64);
    if pr + rc == 0.0 {
        0.0
    } else {
        2.0 * pr * rc / (pr + rc)
    }
}

#[test]
fn dev_set_html_subset_matches_gold() {
    let Some(shared) = common::shared_or_skip("dev_set_html_subset_matches_gold") else {
        return;
    };
    let dev = shared.join("eval/extract-dev");
    let gold: Vec<Value> = std::fs::read_to_string(dev.join("gold.jsonl"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // Every 10th page: 30 pages over the 6 templates, fast in debug builds.
    let subset: Vec<&Value> = gold.iter().step_by(10).collect();
    let paths: Vec<std::path::PathBuf> = subset
        .iter()
        .map(|g| dev.join(format!("{}.html", g["page"].as_str().unwrap())))
        .collect();
    let path_refs: Vec<&Path> = paths.iter().map(|p| p.as_path()).collect();
    let (code, articles, stderr) = run_extract(&path_refs);
    assert_eq!(code, 0, "{stderr}");
    let (mut f1_sum, mut titles, mut wrong_dates) = (0.0, 0, Vec::new());
    for g in &subset {
        let page = format!("{}.html", g["page"].as_str().unwrap());
        let a = article_for(&articles, &page);
        let body = a.and_then(|a| a["body"].as_str()).unwrap_or("");
        f1_sum += word_f1(g["body"].as_str().unwrap(), body);
        let key = |v: &Value| v.as_str().map(rasd_text::normalize::matching_key);
        if a.is_some_and(|a| key(&a["title"]) == key(&g["title"])) {
            titles += 1;
        }
        let day = |v: &Value| v.as_str().map(|s| s.get(..10).unwrap_or(s).to_string());
        let predicted = a.and_then(|a| day(&a["published"]));
        if predicted.is_some() && predicted != day(&g["published"]) {
            wrong_dates.push(page);
        }
    }
    let n = subset.len() as f64;
    let body_f1 = f1_sum / n;
    assert!(body_f1 >= 0.95, "body F1 {body_f1:.3}");
    assert!(titles as f64 / n >= 0.9, "titles {titles}/{n}");
    assert!(wrong_dates.is_empty(), "wrong dates: {wrong_dates:?}");
}
