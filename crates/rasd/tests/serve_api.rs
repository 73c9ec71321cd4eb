//! End-to-end tests of `rasd serve`: every API endpoint on an archive built
//! from the fixture articles, pagination and bounds, 400/404/413, the write
//! token, and the injection corpus fetched back escaped in HTML.

#[path = "common/server.rs"]
mod server;

use serde_json::Value;
use server::{enc, fixture, Server};

const TOKEN: &str = "test-token-8f2d1c";

fn demo_server(token: Option<&str>) -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = Server::start(
        &data,
        &[&fixture("articles.jsonl"), &fixture("injection.jsonl")],
        token,
    );
    (dir, server)
}

/// Every tag in `html` is one our templates write, and no tag carries an
/// event handler or a `javascript:` URL: hostile text shows up only escaped.
fn assert_only_our_markup(target: &str, html: &str) {
    const OURS: &[&str] = &[
        "!DOCTYPE",
        "html",
        "head",
        "meta",
        "title",
        "link",
        "body",
        "header",
        "div",
        "a",
        "nav",
        "form",
        "input",
        "button",
        "main",
        "h1",
        "h2",
        "h3",
        "p",
        "span",
        "time",
        "ul",
        "li",
        "article",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "blockquote",
        "cite",
        "mark",
        "label",
        "footer",
        "svg",
        "line",
        "text",
        "circle",
    ];
    for (at, _) in html.match_indices('<') {
        let rest = &html[at + 1..];
        let tag = &rest[..rest
            .find('>')
            .unwrap_or_else(|| panic!("{target}: unclosed tag"))];
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap_or_default();
        assert!(OURS.contains(&name), "{target}: unexpected tag <{tag}>");
        let lower = tag.to_ascii_lowercase();
        assert!(!lower.contains("javascript:"), "{target}: <{tag}>");
        assert!(
            !lower
                .split_whitespace()
                .skip(1)
                .any(|attr| attr.starts_with("on")),
            "{target}: event handler in <{tag}>"
        );
    }
}

fn items(v: &Value) -> &Vec<Value> {
    v["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items in {v}"))
}

#[test]
fn every_read_endpoint_answers_json_with_paging() {
    let (_dir, server) = demo_server(None);

    let health = server.get("/health");
    assert_eq!(health.status, 200, "{}", health.body);
    assert_eq!(health.json()["status"], "ok");
    assert_eq!(health.json()["writable"], false);

    let stats = server.get("/api/stats").json();
    assert_eq!(stats["articles"], 10, "{stats}");

    // Articles: pages of 3 over 10 articles.
    let first = server.get("/api/articles?limit=3").json();
    assert_eq!(items(&first).len(), 3);
    assert_eq!(first["next_offset"], 3);
    let last = server.get("/api/articles?limit=3&offset=9").json();
    assert_eq!(items(&last).len(), 1);
    assert!(last["next_offset"].is_null());
    let okaz = server
        .get(&format!("/api/articles?source={}", enc("عكاظ")))
        .json();
    assert_eq!(items(&okaz).len(), 2, "{okaz}");
    let id = items(&first)[0]["id"].as_str().unwrap().to_string();
    let article = server.get(&format!("/api/articles/{id}"));
    assert_eq!(article.status, 200, "{}", article.body);
    assert_eq!(article.json()["id"], id.as_str());
    assert!(article.json().get("facts").is_some());

    // Stories: the rain, the book fair and the health plan each gather outlets.
    let stories = server.get("/api/stories?min_size=2").json();
    let list = items(&stories);
    assert!(list.len() >= 2, "{stories}");
    let story_id = list[0]["id"].as_i64().unwrap();
    let story = server.get(&format!("/api/stories/{story_id}")).json();
    assert!(story["size"].as_u64().unwrap() >= 2, "{story}");
    assert!(!story["sources"].as_array().unwrap().is_empty());
    assert!(story.get("facts").is_some());
    let paged = server.get("/api/stories?limit=1").json();
    assert_eq!(items(&paged).len(), 1);
    assert_eq!(paged["next_offset"], 1);

    let topics = server.get("/api/topics").json();
    let topic_id = items(&topics)[0]["id"].as_i64().unwrap();
    let topic = server.get(&format!("/api/topics/{topic_id}")).json();
    assert!(topic["timeline"].is_array(), "{topic}");

    let entities = server.get("/api/entities?limit=100").json();
    let list = items(&entities);
    assert!(!list.is_empty(), "{entities}");
    let entity_id = list[0]["id"].as_i64().unwrap();
    let entity = server.get(&format!("/api/entities/{entity_id}"));
    assert_eq!(entity.status, 200, "{}", entity.body);
    assert!(entity.json()["stories"].is_array());
    let people = server.get("/api/entities?type=PERS").json();
    assert!(items(&people).iter().all(|e| e["type"] == "PERS"));

    let quotes = server.get("/api/quotes").json();
    assert!(quotes["items"].is_array(), "{quotes}");

    // Search: Arabic words find the rain story, with highlight ranges.
    let found = server.get(&format!("/api/search?q={}&facets=true", enc("أمطار جدة")));
    assert_eq!(found.status, 200, "{}", found.body);
    let found = found.json();
    assert!(found["total"].as_u64().unwrap() >= 2, "{found}");
    let hit = &found["hits"][0];
    assert!(hit["snippet"].is_string());
    assert!(!hit["highlights"].as_array().unwrap().is_empty(), "{hit}");
    assert!(found["facets"]["sources"].is_array());
    let one = server
        .get(&format!("/api/search?q={}&limit=1", enc("معرض الكتاب")))
        .json();
    assert_eq!(one["hits"].as_array().unwrap().len(), 1);
    assert_eq!(one["next_offset"], 1);

    // The OpenAPI document and the metrics.
    let doc = server.get("/openapi.json").json();
    assert!(doc["paths"]["/api/search"].is_object());
    let metrics = server.get("/metrics");
    assert_eq!(metrics.status, 200);
    assert!(
        metrics.body.contains("rasd_http_requests_total"),
        "{}",
        metrics.body
    );
    assert!(metrics.body.contains("route=\"/api/search\""));
}

#[test]
fn bad_requests_get_400_or_404_with_a_message_never_500() {
    let (_dir, server) = demo_server(None);
    let long_query = format!("/api/search?q={}", enc(&"مطر ".repeat(300)));
    for target in [
        "/api/articles?limit=0",
        "/api/articles?limit=101",
        "/api/articles?limit=abc",
        "/api/articles?offset=-5",
        "/api/articles?since=yesterday",
        "/api/stories?until=2015-02-40",
        "/api/stories?topic=x",
        "/api/entities?type=%3Cscript%3E",
        "/api/search",
        long_query.as_str(),
        "/api/stories/abc",
        "/api/stories/99999999999999999999999",
        "/api/articles/%3Cscript%3E",
        "/api/articles/%FF%FE",
        "/api/entities/%C0",
        "/api/quotes?article=../../etc",
        "/api/search?q=a&collapse=maybe",
    ] {
        let r = server.get(target);
        assert_eq!(r.status, 400, "{target}: {}", r.body);
        let message = r.json()["error"].as_str().unwrap().to_string();
        assert!(!message.is_empty());
        assert!(!message.contains("<script>"), "{target}: {message}");
    }
    // Odd but harmless queries are answered, never with a 500.
    for target in [
        "/api/search?q=%FF%FE",
        "/api/search?q=%22unclosed",
        "/api/search?q=-",
        "/api/search?q=%22%22",
        "/api/search?q=*%3A*+AND+(",
        "/search?q=%22unclosed+%3Cb%3E",
    ] {
        let r = server.get(target);
        assert!(
            r.status == 200 || r.status == 400,
            "{target}: {} {}",
            r.status,
            r.body
        );
    }
    for target in [
        "/api/stories/987654",
        "/api/topics/987654",
        "/api/entities/987654",
        "/api/articles/0000000000000000",
        "/api/nothing-here",
    ] {
        let r = server.get(target);
        assert_eq!(r.status, 404, "{target}: {}", r.body);
        assert!(r.json()["error"].is_string());
    }
    let page = server.get("/story/987654");
    assert_eq!(page.status, 404);
    assert!(
        page.body.contains("dir=\"rtl\""),
        "HTML errors are a styled page"
    );
}

#[test]
fn writes_need_the_token_and_bodies_are_capped() {
    let (_dir, server) = demo_server(Some(TOKEN));
    let page = r#"{"url": "https://news.example/new-1", "fetched": "2016-04-01T08:00:00+03:00", "html": "<html><body><article><h1>أمير منطقة مكة يدشن مشروع قطار الحرمين</h1><p>دشن أمير منطقة مكة المكرمة اليوم المرحلة الأولى من مشروع قطار الحرمين السريع الذي يربط مكة المكرمة بالمدينة المنورة مرورا بجدة.</p><p>وقال الأمير إن المشروع سيخدم ملايين الحجاج والمعتمرين كل عام، ويختصر زمن الرحلة إلى ساعتين.</p></article></body></html>"}"#;
    let post =
        |headers: &[(&str, &str)], body: &[u8]| server.request("POST", "/api/pages", headers, body);

    let none = post(&[("Content-Type", "application/json")], page.as_bytes());
    assert_eq!(none.status, 401, "{}", none.body);
    assert_eq!(none.header("www-authenticate"), Some("Bearer"));
    let wrong = post(
        &[("Authorization", "Bearer test-token-8f2d1d")],
        page.as_bytes(),
    );
    assert_eq!(wrong.status, 401, "{}", wrong.body);
    let short = post(&[("Authorization", "Bearer x")], page.as_bytes());
    assert_eq!(short.status, 401);

    let bearer = format!("Bearer {TOKEN}");
    let ok = post(&[("Authorization", &bearer)], page.as_bytes());
    assert_eq!(ok.status, 200, "{}", ok.body);
    let summary = ok.json();
    assert_eq!(summary["accepted"], 1);
    assert_eq!(summary["summary"]["new"], 1, "{summary}");
    assert_eq!(server.get("/api/stats").json()["articles"], 11);
    let found = server
        .get(&format!("/api/search?q={}", enc("قطار الحرمين")))
        .json();
    assert!(
        found["total"].as_u64().unwrap() >= 1,
        "posted pages are searchable: {found}"
    );

    let bad = post(
        &[("Authorization", &bearer)],
        b"{\"url\": \"https://x.example\"}\nnot json",
    );
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(bad.json()["error"].as_str().unwrap().contains("line 2"));

    // 16 MiB is the cap: a larger declared body is refused before it is read.
    let huge = (17 * 1024 * 1024).to_string();
    let big = post(
        &[("Authorization", &bearer), ("Content-Length", &huge)],
        b"",
    );
    assert_eq!(big.status, 413, "{}", big.body);
    assert!(big.json()["error"].is_string());

    // Other methods on read endpoints are not writes.
    assert_eq!(
        server.request("DELETE", "/api/articles", &[], b"").status,
        405
    );
}

#[test]
fn a_server_without_a_token_is_read_only() {
    let (_dir, server) = demo_server(None);
    let r = server.request(
        "POST",
        "/api/pages",
        &[("Authorization", "Bearer anything")],
        br#"{"html": "<p>x</p>"}"#,
    );
    assert_eq!(r.status, 403, "{}", r.body);
}

#[test]
fn hostile_text_comes_back_escaped_with_strict_headers() {
    let (_dir, server) = demo_server(None);
    let found = server
        .get(&format!("/api/search?q={}", enc("عاجل بيان")))
        .json();
    let hit = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["title"].as_str().is_some_and(|t| t.contains("<script>")))
        .unwrap_or_else(|| panic!("the hostile article is indexed: {found}"))
        .clone();
    let id = hit["id"].as_str().unwrap();

    let mut pages = vec![
        "/".to_string(),
        format!("/article/{id}"),
        format!("/search?q={}", enc("عاجل <script>alert(1)</script>")),
        format!("/search?q={}", enc("معرض الكتاب")),
        "/topics".to_string(),
    ];
    if let Some(story) = hit["story"].as_i64() {
        pages.push(format!("/story/{story}"));
    }
    for target in &pages {
        let page = server.get(target);
        assert_eq!(page.status, 200, "{target}: {}", page.body);
        let csp = page.header("content-security-policy").unwrap_or_default();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
            "{csp}"
        );
        assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
        let html = &page.body;
        assert!(html.contains("<html dir=\"rtl\" lang=\"ar\">"), "{target}");
        assert_only_our_markup(target, html);
    }
    let article = server.get(&format!("/article/{id}")).body;
    assert!(
        article.contains("&lt;script&gt;alert('title')&lt;/script&gt;"),
        "{article}"
    );
    assert!(
        article.contains("&lt;img src=x onerror=alert('img')&gt;"),
        "{article}"
    );
}
