//! The HTML path of extraction: page HTML → [`Block`]s with DOM hints,
//! then the same classifier as text dumps, with the page's structured
//! metadata taking precedence for the title, date and source.
//!
//! In: a page's decoded HTML. Out: [`HtmlPage`] (blocks, metadata and the
//! `<time>` stamps near the article), and through [`extract_page`] the
//! page's [`Article`]s.
//!
//! Steps: [`dom`] parses with html5ever and linearizes visible text into
//! blocks; [`metadata`] reads JSON-LD, OpenGraph, `<meta>` and microdata;
//! [`scoring`] picks the article's region and gives each block a
//! `dom_hint`; the crate's classifier ([`crate::extract_blocks`]) then
//! finds title, body, dateline and source lines as it does for text.
//!
//! Bounds: at most [`MAX_HTML_BYTES`] of a page are parsed (the rest is
//! cut at a character boundary: no news article needs 20 MB of HTML);
//! every walk is iterative and every list is capped (see the submodules),
//! so hostile HTML (deep nesting, giant attributes, junk) costs time
//! linear in its size and never panics.

pub mod dom;
pub mod metadata;
pub mod scoring;

use rasd_model::{Article, Page};
use rasd_text::normalize::matching_key;

use crate::analysis::Markup;
use crate::block::{Block, BlockKind};
use crate::segment::Line;
use crate::template::SiteTemplate;
use crate::ExtractError;
use metadata::Metadata;

/// Most bytes of one page that are parsed.
pub const MAX_HTML_BYTES: usize = 20 * 1024 * 1024;

/// A page analysed: blocks for the classifier plus what the markup says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HtmlPage {
    pub blocks: Vec<Block>,
    pub metadata: Metadata,
    /// Publication times from `<time datetime>` (or microdata) inside the
    /// article region or just above it, in document order, validated.
    pub article_times: Vec<String>,
}

/// Parses and analyses one HTML page (see the module doc).
pub fn analyze(html: &str) -> HtmlPage {
    let html = &html[..floor_char_boundary(html, MAX_HTML_BYTES)];
    let doc = dom::parse(html);
    let metadata = metadata::read(&doc);
    let page = dom::linearize(&doc);
    drop(doc);
    let region = scoring::choose_region(&page);
    let hints = scoring::hints(&page, region.as_ref());
    let article_times = article_times(&page, &hints);
    let blocks = page
        .blocks
        .into_iter()
        .zip(hints)
        // Link lists inside the article's region (inline "more from"
        // teasers, tweet embeds' link lines) are never body; left in, they
        // would split the body into runs the classifier cannot bridge.
        .filter(|(b, hint)| !(*hint > 0.5 && b.link_chars * 2 > b.chars && b.chars > 0))
        .map(|(b, hint)| Block {
            text: rasd_text::normalize::display(&b.text),
            kind: b.kind,
            link_density: if b.chars == 0 {
                0.0
            } else {
                b.link_chars as f32 / b.chars as f32
            },
            dom_hint: hint,
        })
        .collect();
    HtmlPage {
        blocks,
        metadata,
        article_times,
    }
}

/// The blocks of an HTML page, for template learning.
pub fn blocks(html: &str) -> Vec<Block> {
    analyze(html).blocks
}

/// `<time>` stamps that belong to the article: inside the region, or in
/// the few blocks just above it (the article header), never under
/// boilerplate.
fn article_times(page: &dom::Linearized, hints: &[f32]) -> Vec<String> {
    let first_inside = hints.iter().position(|&h| h > 0.5);
    let last_inside = hints.iter().rposition(|&h| h > 0.5);
    let (Some(first), Some(last)) = (first_inside, last_inside) else {
        return Vec::new();
    };
    page.times
        .iter()
        .filter(|t| {
            let at = t.before_block as usize;
            let near = at + ARTICLE_HEADER_BLOCKS >= first && at <= last;
            let clean = hints.get(at).is_none_or(|&h| h > -0.5);
            near && clean
        })
        .map(|t| t.value.clone())
        .collect()
}

/// How many blocks above the region still count as its header.
const ARTICLE_HEADER_BLOCKS: usize = 6;

/// Extracts the articles of an HTML page: the classifier on its blocks,
/// then structured metadata for the main article's title, date and source.
pub fn extract_page(
    page: &Page,
    template: Option<&SiteTemplate>,
) -> Result<Vec<Article>, ExtractError> {
    crate::analyze_page(page)?.articles(page, template)
}

/// Completes the classifier's articles of an HTML page with what its
/// markup says: a JSON-LD body when the classifier found none, and the
/// main article's title, date, source and language.
pub fn complete_articles(
    page: &Page,
    blocks: &[Block],
    lines: &[Line],
    markup: &Markup,
    mut articles: Vec<Article>,
) -> Result<Vec<Article>, ExtractError> {
    if articles.is_empty() {
        // A page whose text is all in JSON-LD (an app shell) still has one.
        match markup.metadata.article_body.as_deref() {
            Some(body) if !body.trim().is_empty() => articles.push(Article {
                path: Some(page.origin.clone()),
                url: page.url.clone(),
                body: body.trim().to_string(),
                lang: crate::lang::detect(body),
                ..Article::default()
            }),
            _ => {
                return Err(ExtractError::NoArticle {
                    origin: page.origin.clone(),
                })
            }
        }
    }
    let main = &mut articles[0];
    let meta = &markup.metadata;
    main.title = choose_title(meta, blocks, main.title.take());
    // The classifier's prose rules (function words, lexicon cues) are
    // Arabic; on other pages its runs break at every short English line, so
    // the body is the scored region itself, minus what is about the article
    // rather than of it.
    if main.lang.as_deref().is_some_and(|l| l != "ar") {
        let body = region_body(blocks, lines, main.title.as_deref());
        if !body.is_empty() {
            main.body = body.join("\n\n");
        }
    }
    if let Some(date) = meta
        .published
        .clone()
        .or_else(|| markup.article_times.first().cloned())
    {
        main.published = Some(date);
    }
    if main.source.is_none() {
        main.source = meta.publisher.clone().or_else(|| meta.site_name.clone());
    }
    if main.lang.is_none() {
        main.lang = meta
            .lang
            .as_deref()
            .and_then(|l| l.split(['-', '_']).next())
            .filter(|l| l.len() == 2)
            .map(str::to_string);
    }
    Ok(articles)
}

/// The article's body from the scored region alone: its blocks minus
/// captions, link lists, the headline and page furniture
/// ([`is_furniture`]), and minus the header lines above its first
/// paragraph of prose (bylines, datelines, the gallery's leftovers).
/// Datelines further down stay: there they are tour dates, tweets' stamps
/// and schedules, which are the article's text.
fn region_body<'a>(blocks: &'a [Block], lines: &[Line], title: Option<&str>) -> Vec<&'a str> {
    let title_key = title.map(matching_key).filter(|k| !k.is_empty());
    let kept: Vec<(usize, &Block)> = blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| {
            b.dom_hint > 0.5
                && b.kind != BlockKind::Caption
                && b.link_density <= 0.5
                && !is_furniture(&b.text)
                && title_key.as_deref() != Some(matching_key(&b.text).as_str())
        })
        .collect();
    let line = |i: usize| lines.get(i).map(|l| &l.features);
    let first = kept
        .iter()
        .position(|&(i, _)| line(i).is_some_and(|f| f.reads_like_prose()))
        .unwrap_or(0);
    // A header is a few short lines; a list or table before the first
    // sentence (a schedule, a calendar) is the article itself.
    let words = |range: &[(usize, &Block)]| -> usize {
        range
            .iter()
            .filter_map(|&(i, _)| line(i))
            .map(|f| f.words)
            .sum()
    };
    let header = &kept[..first];
    let short_lines = header
        .iter()
        .all(|&(i, _)| line(i).is_none_or(|f| f.words <= MAX_HEADER_LINE_WORDS));
    let first = if short_lines && words(header) * 4 <= words(&kept) {
        first
    } else {
        0
    };
    kept[first..].iter().map(|(_, b)| b.text.as_str()).collect()
}

/// Longest line, in words, of an article header (a headline, a byline).
const MAX_HEADER_LINE_WORDS: usize = 30;

/// Lines of page furniture that sit inside article containers on
/// English-language sites: gallery controls, ad labels, prompts. Compared
/// lower-cased, without closing punctuation.
const FURNITURE: &[&str] = &[
    "advertisement",
    "advert",
    "ad",
    "caption",
    "close",
    "back to gallery",
    "tags",
    "comments",
    "share",
    "share this",
    "share this article",
    "related",
    "related articles",
    "related stories",
    "read more",
    "continue reading",
    "this slideshow requires javascript",
    "sponsored",
    "story continues below",
    "story continues below advertisement",
    "skip ad",
    "view comments",
    "leave a comment",
    "tell us what you think",
];

/// Prefixes of credit lines.
const FURNITURE_PREFIXES: &[&str] = &[
    "photo:",
    "image:",
    "photograph:",
    "credit:",
    "photo credit:",
];

/// Whether a line is page furniture (see [`FURNITURE`]).
fn is_furniture(text: &str) -> bool {
    if text.len() > 64 {
        return false;
    }
    let lower = text
        .trim_end_matches(['.', '…', '!', ':', ' '])
        .to_lowercase();
    FURNITURE.contains(&lower.as_str()) || FURNITURE_PREFIXES.iter().any(|p| lower.starts_with(p))
}

/// Title separators between a headline and a site name.
const TITLE_SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " ｜ "];

/// Picks the headline the page agrees on. A candidate that some heading
/// or block of the page repeats (JSON-LD headline, og:title or `<title>`,
/// whole or minus a site name part) wins; else JSON-LD, og:title and the
/// classifier's title in that order, then `<title>` minus its site part.
fn choose_title(meta: &Metadata, blocks: &[Block], classified: Option<String>) -> Option<String> {
    let sites: Vec<String> = [meta.site_name.as_deref(), meta.publisher.as_deref()]
        .into_iter()
        .flatten()
        .map(matching_key)
        .filter(|k| !k.is_empty())
        .collect();
    let mut candidates: Vec<String> = Vec::new();
    for full in [&meta.headline, &meta.og_title, &meta.title_tag]
        .into_iter()
        .flatten()
    {
        candidates.push(full.clone());
        for part in split_title(full) {
            if !candidates.contains(&part) {
                candidates.push(part);
            }
        }
    }
    let headings: Vec<String> = blocks
        .iter()
        .filter(|b| b.dom_hint > -0.5 && b.text.chars().count() <= 300)
        .map(|b| matching_key(&b.text))
        .collect();
    let confirmed = candidates.iter().find(|c| {
        let key = matching_key(c);
        !key.is_empty() && !sites.contains(&key) && headings.contains(&key)
    });
    if let Some(title) = confirmed {
        return Some(title.clone());
    }
    if let Some(h) = &meta.headline {
        return Some(h.clone());
    }
    if let Some(og) = &meta.og_title {
        return Some(strip_site(og, &sites));
    }
    if let Some(title) = classified.filter(|t| !t.trim().is_empty()) {
        return Some(title);
    }
    let h1 = blocks
        .iter()
        .find(|b| b.kind == BlockKind::Heading(1) && b.dom_hint > -0.5)
        .map(|b| b.text.clone());
    h1.or_else(|| meta.title_tag.as_deref().map(|t| strip_site(t, &sites)))
}

/// The parts of a title split at its first site separator, longest first.
fn split_title(title: &str) -> Vec<String> {
    for sep in TITLE_SEPARATORS {
        if let Some((head, tail)) = title.split_once(sep) {
            let (head, tail) = (head.trim(), tail.trim());
            if head.is_empty() || tail.is_empty() {
                continue;
            }
            let mut parts = vec![head.to_string(), tail.to_string()];
            if let Some((rest, last)) = title.rsplit_once(sep) {
                parts.push(rest.trim().to_string());
                parts.push(last.trim().to_string());
            }
            parts.sort_by_key(|p| std::cmp::Reverse(p.chars().count()));
            parts.dedup();
            return parts;
        }
    }
    Vec::new()
}

/// `title` minus a leading or trailing part that names the site; when no
/// site name is known, minus a trailing part of at most four words after a
/// longer one.
fn strip_site(title: &str, sites: &[String]) -> String {
    for sep in TITLE_SEPARATORS {
        let (Some((head, last)), Some((first, tail))) =
            (title.rsplit_once(sep), title.split_once(sep))
        else {
            continue;
        };
        let names_site = |part: &str| {
            let key = matching_key(part.trim());
            sites
                .iter()
                .any(|s| !key.is_empty() && (key == *s || key.contains(s.as_str())))
        };
        if names_site(last) && !head.trim().is_empty() {
            return head.trim().to_string();
        }
        if names_site(first) && !tail.trim().is_empty() {
            return tail.trim().to_string();
        }
        let words = |s: &str| s.split_whitespace().count();
        if sites.is_empty() {
            // Only a trailing part: a leading one is as often a place.
            if words(last) <= 4 && words(head) > words(last) {
                return head.trim().to_string();
            }
        }
    }
    title.trim().to_string()
}

/// The largest index ≤ `at` on a character boundary of `s`.
fn floor_char_boundary(s: &str, at: usize) -> usize {
    if at >= s.len() {
        return s.len();
    }
    let mut i = at;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rasd_model::PageFormat;

    const PAGE: &str = r#"<!doctype html><html lang="ar"><head>
        <title>الحكومة تقر الميزانية الجديدة - صحيفة الساحل</title>
        <meta property="og:site_name" content="صحيفة الساحل">
        <meta property="article:published_time" content="2021-03-04T09:30:00+03:00">
        </head><body>
        <header class="site-header"><div class="logo">صحيفة الساحل</div>
        <div class="today">الخميس 10 يونيو 2021</div></header>
        <nav><a href="/">الرئيسية</a><a href="/eco">اقتصاد</a></nav>
        <main><article><h1>الحكومة تقر الميزانية الجديدة</h1>
        <div class="entry-content">
        <p>أقرت الحكومة في جلستها اليوم الميزانية العامة للعام المقبل، بإنفاق يبلغ مئة مليار، وعجز متوقع أقل من العام الماضي.</p>
        <p>وقال وزير المالية إن الميزانية تركز على التعليم والصحة، وتدعم المشاريع الصغيرة، وتخفض الدين العام تدريجياً.</p>
        <p>وأضاف أن الإيرادات غير النفطية سترتفع، بفضل الإصلاحات الضريبية، وتحسن النشاط الاقتصادي في معظم القطاعات.</p>
        </div></article>
        <section class="related-posts"><h3>أخبار ذات صلة</h3><p>البنك المركزي يثبت أسعار الفائدة، في اجتماعه الدوري، وسط ترقب الأسواق.</p></section>
        </main><footer class="site-footer">© 2021 صحيفة الساحل. جميع الحقوق محفوظة.</footer></body></html>"#;

    #[test]
    fn an_article_page_gives_title_date_body_and_source() {
        let page = Page::new("a.html", PageFormat::Html, PAGE.to_string());
        let articles = extract_page(&page, None).unwrap();
        let a = &articles[0];
        assert_eq!(a.title.as_deref(), Some("الحكومة تقر الميزانية الجديدة"));
        assert_eq!(a.published.as_deref(), Some("2021-03-04T09:30:00+03:00"));
        assert_eq!(a.source.as_deref(), Some("صحيفة الساحل"));
        assert!(a.body.starts_with("أقرت الحكومة"), "{}", a.body);
        assert!(a.body.contains("الإيرادات غير النفطية"), "{}", a.body);
        assert!(!a.body.contains("البنك المركزي"), "{}", a.body);
        assert_eq!(a.body.split("\n\n").count(), 3);
    }

    #[test]
    fn an_english_body_is_its_region_without_header_and_furniture() {
        let html = r#"<html lang="en"><head><title>Storm closes the coastal road - The Coast Daily</title></head><body>
            <nav><a href="/">Home</a></nav>
            <div class="article-body">
            <h1>Storm closes the coastal road</h1>
            <p>By Jane Doe, Staff Writer</p>
            <p>Caption</p><p>Close</p>
            <p>The coastal road was closed on Tuesday after a storm brought down trees and power lines along a ten mile stretch, officials said.</p>
            <p>Advertisement</p>
            <p>Crews expect to reopen the road by Thursday morning, weather permitting, and ask drivers to use the inland route until then.</p>
            <p>Photo: John Smith, The Coast Daily</p>
            </div><footer>All rights reserved.</footer></body></html>"#;
        let page = Page::new("storm.html", PageFormat::Html, html.to_string());
        let a = &extract_page(&page, None).unwrap()[0];
        assert_eq!(a.lang.as_deref(), Some("en"));
        assert_eq!(a.title.as_deref(), Some("Storm closes the coastal road"));
        let paragraphs: Vec<&str> = a.body.split("\n\n").collect();
        assert_eq!(paragraphs.len(), 2, "{}", a.body);
        assert!(paragraphs[0].starts_with("The coastal road was closed"));
        assert!(paragraphs[1].starts_with("Crews expect"));
    }

    #[test]
    fn furniture_lines_are_recognized() {
        assert!(is_furniture("Advertisement"));
        assert!(is_furniture("Back to Gallery"));
        assert!(is_furniture("Photo: Hau Dinh, AP"));
        assert!(is_furniture("Tell us what YOU think..."));
        assert!(!is_furniture("Close to the border, the town waited."));
        assert!(!is_furniture("إعلان"));
    }

    #[test]
    fn site_parts_are_stripped_from_titles() {
        let sites = vec![matching_key("عكاظ")];
        assert_eq!(strip_site("عنوان الخبر | عكاظ", &sites), "عنوان الخبر");
        assert_eq!(strip_site("عكاظ - عنوان الخبر", &sites), "عنوان الخبر");
        assert_eq!(
            strip_site("غزة - الحرب مستمرة منذ أشهر طويلة", &[]),
            "غزة - الحرب مستمرة منذ أشهر طويلة"
        );
        assert_eq!(
            strip_site("الحرب مستمرة منذ أشهر - الموقع", &[]),
            "الحرب مستمرة منذ أشهر"
        );
    }

    #[test]
    fn time_elements_in_the_article_date_it() {
        let html = PAGE.replace(
            r#"<meta property="article:published_time" content="2021-03-04T09:30:00+03:00">"#,
            "",
        );
        let html = html.replace("<h1>", r#"<time datetime="2021-03-05">5 مارس</time><h1>"#);
        let page = Page::new("a.html", PageFormat::Html, html);
        let a = &extract_page(&page, None).unwrap()[0];
        assert_eq!(a.published.as_deref(), Some("2021-03-05"));
    }

    #[test]
    fn a_page_without_text_is_no_article() {
        let page = Page::new(
            "e.html",
            PageFormat::Html,
            "<html><body></body></html>".into(),
        );
        assert!(matches!(
            extract_page(&page, None),
            Err(ExtractError::NoArticle { .. })
        ));
    }

    proptest! {
        #[test]
        fn arbitrary_html_never_panics(s in "(<[a-z/!]{0,8}[^<>]{0,20}>|[^<]{0,30}){0,60}") {
            let page = Page::new("p.html", PageFormat::Html, s);
            let _ = extract_page(&page, None);
        }

        #[test]
        fn arbitrary_strings_never_panic(s in "\\PC{0,400}") {
            let _ = analyze(&s);
        }
    }
}
