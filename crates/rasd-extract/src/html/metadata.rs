//! Structured metadata of a page: JSON-LD, OpenGraph, `<meta>` and
//! microdata, read before any text heuristics.
//!
//! In: a parsed document. Out: [`Metadata`]: the title candidates, the
//! publication time, the publisher and site names. Malformed JSON-LD is
//! tolerated: a block that does not parse is retried after removing
//! control characters and trailing commas, then skipped.

use scraper::{Html, Node};
use serde_json::Value;

/// Largest JSON-LD script parsed, in bytes (real ones are a few KB).
const MAX_JSON_LD_BYTES: usize = 1 << 20;
/// Most JSON objects visited in one page's JSON-LD.
const MAX_JSON_NODES: usize = 10_000;
/// Longest attribute value read as a title, name or date.
const MAX_META_BYTES: usize = 4096;

/// What a page says about itself in machine-readable form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    /// JSON-LD `headline` (or `name`) of the article object.
    pub headline: Option<String>,
    /// `og:title` or `twitter:title`, as given (site suffix included).
    pub og_title: Option<String>,
    /// The `<title>` element, as given.
    pub title_tag: Option<String>,
    /// The publication time from JSON-LD, OpenGraph, `<meta>` or
    /// microdata, as the page wrote it (validated to start with a real day).
    pub published: Option<String>,
    /// JSON-LD `articleBody`.
    pub article_body: Option<String>,
    /// JSON-LD `publisher.name`.
    pub publisher: Option<String>,
    /// `og:site_name` or `application-name`.
    pub site_name: Option<String>,
    /// The page's declared language (`<html lang>`), lower-case.
    pub lang: Option<String>,
}

/// Reads the metadata of a parsed document.
pub fn read(doc: &Html) -> Metadata {
    let mut meta = Metadata::default();
    let mut published_meta: Option<String> = None;
    let mut published_ld: Option<String> = None;
    let mut json_budget = MAX_JSON_NODES;
    for node in doc.tree.nodes() {
        let Node::Element(el) = node.value() else {
            continue;
        };
        if published_meta.is_none()
            && el
                .attr("itemprop")
                .is_some_and(|p| p.eq_ignore_ascii_case("datePublished"))
        {
            published_meta = el
                .attr("datetime")
                .or_else(|| el.attr("content"))
                .and_then(short)
                .and_then(valid_date);
        }
        match el.name() {
            "html" => {
                if let Some(lang) = el.attr("lang").and_then(short) {
                    meta.lang = Some(lang.to_ascii_lowercase());
                }
            }
            "title" if meta.title_tag.is_none() => {
                let text: String = node
                    .children()
                    .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                    .collect();
                meta.title_tag = clean(&text);
            }
            "meta" => {
                let key = el
                    .attr("property")
                    .or_else(|| el.attr("name"))
                    .or_else(|| el.attr("itemprop"))
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let Some(content) = el.attr("content").and_then(short) else {
                    continue;
                };
                match key.as_str() {
                    "og:title" | "twitter:title" if meta.og_title.is_none() => {
                        meta.og_title = clean(content)
                    }
                    "og:site_name" | "application-name" if meta.site_name.is_none() => {
                        meta.site_name = clean(content)
                    }
                    "article:published_time"
                    | "og:published_time"
                    | "datepublished"
                    | "date"
                    | "pubdate"
                    | "publishdate"
                    | "publish-date"
                    | "publish_date"
                    | "dc.date.issued"
                    | "dc.date"
                    | "dcterms.created"
                    | "sailthru.date"
                    | "parsely-pub-date"
                    | "article.published"
                    | "published_time"
                        if published_meta.is_none() =>
                    {
                        published_meta = valid_date(content)
                    }
                    _ => {}
                }
            }
            "script"
                if el
                    .attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
            {
                let text: String = node
                    .children()
                    .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                    .collect();
                if text.len() > MAX_JSON_LD_BYTES {
                    continue;
                }
                if let Some(value) = parse_lenient(&text) {
                    let mut found = LdArticle::default();
                    find_article(&value, &mut found, &mut json_budget);
                    if meta.headline.is_none() {
                        meta.headline = found.headline;
                    }
                    if published_ld.is_none() {
                        published_ld = found.published;
                    }
                    if meta.article_body.is_none() {
                        meta.article_body = found.body;
                    }
                    if meta.publisher.is_none() {
                        meta.publisher = found.publisher;
                    }
                }
            }
            _ => {}
        }
    }
    meta.published = published_ld.or(published_meta);
    meta
}

/// A value short enough to be metadata.
fn short(s: &str) -> Option<&str> {
    (s.len() <= MAX_META_BYTES).then_some(s)
}

/// Whitespace collapsed and trimmed; `None` when empty.
pub fn clean(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.contains('&') {
        out = unescape_twice_escaped(&out);
    }
    (!out.is_empty()).then(|| rasd_text::normalize::display(&out))
}

/// Decodes the entities CMSs leave in metadata they escaped twice
/// (`&amp;quot;` in the HTML is `&quot;` after parsing).
fn unescape_twice_escaped(s: &str) -> String {
    const ENTITIES: &[(&str, &str)] = &[
        ("&quot;", "\""),
        ("&#34;", "\""),
        ("&#039;", "'"),
        ("&#39;", "'"),
        ("&apos;", "'"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&nbsp;", " "),
        ("&amp;", "&"),
    ];
    let mut out = s.to_string();
    for (entity, text) in ENTITIES {
        if out.contains(entity) {
            out = out.replace(entity, text);
        }
    }
    out
}

/// The value when it starts with a real `YYYY-MM-DD` day (years 1900–2199),
/// trimmed; a date-time keeps its time and offset as written.
pub fn valid_date(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !(1900..2200).contains(&year) || day == 0 || day > days {
        return None;
    }
    // Anything after the day must look like a time, else keep the day only.
    let rest = &s[10..];
    if rest.is_empty() {
        return Some(s[..10].to_string());
    }
    let time_like = rest.len() <= 40
        && (rest.starts_with('T') || rest.starts_with(' '))
        && rest[1..]
            .bytes()
            .all(|c| c.is_ascii_digit() || b":.+-Z ".contains(&c));
    Some(if time_like {
        s.replacen(' ', "T", 1)
    } else {
        s[..10].to_string()
    })
}

/// Parses JSON, tolerating what CMSs get wrong: raw control characters
/// inside strings and trailing commas.
fn parse_lenient(text: &str) -> Option<Value> {
    let text = text.trim();
    if let Ok(v) = serde_json::from_str(text) {
        return Some(v);
    }
    let mut fixed = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => fixed.push(' '),
            c if c.is_control() => {}
            c => fixed.push(c),
        }
    }
    let fixed = remove_trailing_commas(&fixed);
    let fixed = fixed.trim_end_matches(';');
    serde_json::from_str(fixed).ok()
}

/// Removes `,` before `}` or `]` outside strings.
fn remove_trailing_commas(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if c == '"' {
            in_string = true;
        }
        if c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}') | Some(']') | None) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[derive(Default)]
struct LdArticle {
    headline: Option<String>,
    published: Option<String>,
    body: Option<String>,
    publisher: Option<String>,
}

const ARTICLE_TYPES: &[&str] = &[
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "blogposting",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "livebloposting",
    "report",
    "socialmediaposting",
    "scholarlyarticle",
    "techarticle",
];

fn is_article_type(v: &Value) -> bool {
    let matches = |s: &str| {
        let s = s.rsplit('/').next().unwrap_or(s).to_ascii_lowercase();
        ARTICLE_TYPES.contains(&s.as_str())
    };
    match v.get("@type") {
        Some(Value::String(s)) => matches(s),
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).any(matches),
        _ => false,
    }
}

/// Finds the first article object in a JSON-LD value (top level, arrays,
/// `@graph`, `mainEntity`), iteratively and within a node budget.
fn find_article(root: &Value, found: &mut LdArticle, budget: &mut usize) {
    let mut stack = vec![root];
    let mut publisher_any: Option<String> = None;
    while let Some(v) = stack.pop() {
        if *budget == 0 {
            break;
        }
        *budget -= 1;
        match v {
            Value::Array(items) => stack.extend(items.iter().rev()),
            Value::Object(map) => {
                if is_article_type(v) && found.headline.is_none() && found.body.is_none() {
                    found.headline = map
                        .get("headline")
                        .or_else(|| map.get("name"))
                        .and_then(text_of);
                    found.published = map
                        .get("datePublished")
                        .or_else(|| map.get("dateCreated"))
                        .and_then(text_of)
                        .and_then(|d| valid_date(&d));
                    found.body = map.get("articleBody").and_then(text_of);
                    found.publisher = map.get("publisher").and_then(name_of);
                }
                if publisher_any.is_none() {
                    let is_org = matches!(
                        map.get("@type").and_then(Value::as_str),
                        Some("Organization" | "NewsMediaOrganization")
                    );
                    if is_org {
                        publisher_any = map.get("name").and_then(text_of);
                    }
                }
                for key in [
                    "@graph",
                    "mainEntity",
                    "mainEntityOfPage",
                    "itemListElement",
                ] {
                    if let Some(child) = map.get(key) {
                        stack.push(child);
                    }
                }
            }
            _ => {}
        }
    }
    if found.publisher.is_none() && found.headline.is_some() {
        found.publisher = publisher_any;
    }
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => clean(s),
        Value::Array(items) => items.first().and_then(text_of),
        Value::Object(map) => map.get("@value").and_then(text_of),
        _ => None,
    }
}

fn name_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => clean(s),
        Value::Array(items) => items.first().and_then(name_of),
        Value::Object(map) => map.get("name").and_then(text_of),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(html: &str) -> Metadata {
        read(&Html::parse_document(html))
    }

    #[test]
    fn json_ld_graph_gives_headline_date_and_publisher() {
        let m = meta(
            r#"<html lang="ar"><head><script type="application/ld+json">
            {"@context":"https://schema.org","@graph":[{"@type":"WebPage","name":"صفحة"},
             {"@type":"NewsArticle","headline":"وزير المالية يعلن الميزانية",
              "datePublished":"2015-07-25T23:35:00+03:00",
              "publisher":{"@type":"Organization","name":"الرياض"}}]}
            </script></head><body></body></html>"#,
        );
        assert_eq!(
            meta_tuple(&m),
            (
                Some("وزير المالية يعلن الميزانية"),
                Some("2015-07-25T23:35:00+03:00"),
                Some("الرياض"),
            )
        );
        assert_eq!(m.lang.as_deref(), Some("ar"));
    }

    fn meta_tuple(m: &Metadata) -> (Option<&str>, Option<&str>, Option<&str>) {
        (
            m.headline.as_deref(),
            m.published.as_deref(),
            m.publisher.as_deref(),
        )
    }

    #[test]
    fn malformed_json_ld_is_tolerated() {
        let m = meta(
            "<script type=\"application/ld+json\">{\"@type\":\"Article\",\"headline\":\"سطر\nثان\",\
             \"datePublished\":\"2020-02-29\",}</script>",
        );
        assert_eq!(m.headline.as_deref(), Some("سطر ثان"));
        assert_eq!(m.published.as_deref(), Some("2020-02-29"));
        let broken =
            meta("<script type=\"application/ld+json\">{\"@type\": \"Article\", </script>");
        assert_eq!(broken.headline, None);
    }

    #[test]
    fn opengraph_and_meta_tags() {
        let m = meta(
            r#"<head><title> عنوان | موقع </title><meta property="og:title" content="عنوان الخبر">
            <meta property="og:site_name" content="عكاظ">
            <meta property="article:published_time" content="2015-08-01T10:00:00Z"></head>"#,
        );
        assert_eq!(m.og_title.as_deref(), Some("عنوان الخبر"));
        assert_eq!(m.title_tag.as_deref(), Some("عنوان | موقع"));
        assert_eq!(m.site_name.as_deref(), Some("عكاظ"));
        assert_eq!(m.published.as_deref(), Some("2015-08-01T10:00:00Z"));
    }

    #[test]
    fn twice_escaped_entities_are_decoded() {
        assert_eq!(
            clean("&quot;شعر وردي&quot; &amp; سخرية").as_deref(),
            Some("\"شعر وردي\" & سخرية")
        );
    }

    #[test]
    fn invalid_dates_are_refused() {
        assert_eq!(valid_date("2015-02-29"), None);
        assert_eq!(valid_date("2015-13-01"), None);
        assert_eq!(valid_date("١٥ يوليو"), None);
        assert_eq!(valid_date("2016-02-29").as_deref(), Some("2016-02-29"));
        assert_eq!(
            valid_date("2015-07-25 23:35:00").as_deref(),
            Some("2015-07-25T23:35:00")
        );
        assert_eq!(
            valid_date("2015-07-25, Saturday").as_deref(),
            Some("2015-07-25")
        );
    }

    #[test]
    fn deep_json_does_not_overflow() {
        let deep = format!(
            "<script type=\"application/ld+json\">{}1{}</script>",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(meta(&deep).headline, None);
    }
}
