//! Page → articles: the extraction stage of rasd.
//!
//! Input: [`rasd_model::Page`]s (text dumps or HTML, already decoded).
//! Output: one or more [`rasd_model::Article`]s per page (a page may carry a
//! second article after «اقرأ أيضاً»), the page's main article first.
//!
//! Every page becomes a list of [`Block`]s (one per line of a text dump,
//! one per paragraph-like element of HTML), and one classifier
//! ([`segment::segment`]) decides which blocks are each article's title and
//! body from structural features: length, sentence shape, punctuation,
//! function words, a boilerplate lexicon, tickers, captions, context. Many
//! pages of one site teach a [`SiteTemplate`] (lines that recur are
//! boilerplate); a single page works without one. A page is parsed and
//! described once ([`analysis::PageAnalysis`]): the template learner and
//! the classifier both read that analysis.
//!
//! Invariants: extraction is pure (no I/O, clock or globals) and bounded
//! (see [`text::Limits`]); it never panics on any input; a page without
//! article text gives [`ExtractError::NoArticle`]; `published` is only set
//! from the article's own dateline.
//!
//! ```
//! use rasd_model::{Page, PageFormat};
//! let text = "الرئيسية\n\
//!     افتتاح مستشفى جديد في المدينة\n\
//!     الثلاثاء 3 مارس 2020\n\
//!     أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في المدينة، يضم مئتي سرير ويخدم أكثر من نصف مليون نسمة.\n\
//!     وقال الوزير في كلمته خلال الافتتاح إن المستشفى سيبدأ استقبال المرضى مطلع الشهر المقبل، بعد اكتمال تجهيزاته.\n\
//!     مقالات ذات صلة\n";
//! let page = Page::new("مثال.txt", PageFormat::Text, text.to_string());
//! let articles = rasd_extract::extract_page(&page, None).unwrap();
//! assert_eq!(articles[0].title.as_deref(), Some("افتتاح مستشفى جديد في المدينة"));
//! assert!(articles[0].body.starts_with("أعلنت وزارة الصحة"));
//! assert_eq!(articles[0].lang.as_deref(), Some("ar"));
//! ```

pub mod analysis;
pub mod batch;
pub mod block;
pub mod features;
pub mod html;
pub mod lang;
pub mod lexicon;
pub mod meta;
pub mod segment;
pub mod template;
pub mod text;

pub use analysis::{analyze_page, PageAnalysis};
pub use block::{Block, BlockKind};
pub use segment::{segment, ArticleSpan};
pub use template::{SiteTemplate, TemplateLearner, TemplateLimits};

use rasd_model::{Article, Page, PageFormat};

/// Why a page gave no article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    /// The page's format has no extractor in this build.
    #[error("{origin}: HTML extraction not available")]
    HtmlUnavailable { origin: String },
    /// The content is binary data or text that did not decode.
    #[error("{origin}: not text (binary or undecodable content)")]
    NotText { origin: String },
    /// The page is empty.
    #[error("{origin}: empty page")]
    Empty { origin: String },
    /// No block of the page reads like article text.
    #[error("{origin}: no article text found")]
    NoArticle { origin: String },
}

/// The blocks of a page, by its format.
pub fn page_blocks(page: &Page, limits: &text::Limits) -> Result<Vec<Block>, ExtractError> {
    check_text(page)?;
    match page.format {
        PageFormat::Text => Ok(text::blocks_from_text(&page.content, limits)),
        PageFormat::Html => Ok(html::blocks(&page.content)),
    }
}

/// Rejects empty and binary pages: NUL bytes or many replacement
/// characters in the first kilobytes mean the bytes were not text.
fn check_text(page: &Page) -> Result<(), ExtractError> {
    let origin = || page.origin.clone();
    if page.content.trim().is_empty() {
        return Err(ExtractError::Empty { origin: origin() });
    }
    let head = &page.content[..text::floor_boundary(&page.content, 8_192)];
    if bad_chars(head) * 10 > head.chars().count() {
        return Err(ExtractError::NotText { origin: origin() });
    }
    Ok(())
}

/// Characters of `s` that text never holds: U+FFFD (bytes that did not
/// decode) and control characters other than whitespace. Counted on the
/// UTF-8 bytes (every page passes here, and most bytes are ASCII): the
/// controls are C0 and DEL, one byte each, and C1, `C2 80`–`C2 9F`, where
/// `C2 85` (NEL) is whitespace.
fn bad_chars(s: &str) -> usize {
    let bytes = s.as_bytes();
    // Non-short-circuit operators and byte-wide sums over short chunks
    // (at most 64 per chunk, so a `u8` holds the count) let the compiler
    // vectorize the count.
    let c0: usize = bytes
        .chunks(64)
        .map(|chunk| {
            let n: u8 = chunk
                .iter()
                .map(|&b| u8::from((b < 0x20) & !(b'\t'..=b'\r').contains(&b) | (b == 0x7f)))
                .sum();
            usize::from(n)
        })
        .sum();
    let c1 = memchr::memchr_iter(0xC2, bytes)
        .filter(|&i| {
            bytes
                .get(i + 1)
                .is_some_and(|&b| (0x80..=0x9F).contains(&b) && b != 0x85)
        })
        .count();
    let replacement = memchr::memmem::find_iter(bytes, "\u{FFFD}".as_bytes()).count();
    c0 + c1 + replacement
}

/// Extracts the articles of one page, using its site's template when given.
pub fn extract_page(
    page: &Page,
    template: Option<&SiteTemplate>,
) -> Result<Vec<Article>, ExtractError> {
    analyze_page(page)?.articles(page, template)
}

/// Extracts the articles from a page's blocks (any format).
pub fn extract_blocks(
    page: &Page,
    blocks: &[Block],
    template: Option<&SiteTemplate>,
) -> Vec<Article> {
    let lines = segment::classify(blocks, template);
    articles_from_lines(page, blocks, &lines)
}

/// The articles of classified blocks (`lines` has one entry per block).
fn articles_from_lines(page: &Page, blocks: &[Block], lines: &[segment::Line]) -> Vec<Article> {
    segment::segment_lines(blocks, lines)
        .into_iter()
        .filter(|span| !span.body.is_empty())
        .map(|span| {
            let body = span
                .body
                .iter()
                .map(|&i| blocks[i].text.replace("  ", " "))
                .collect::<Vec<_>>()
                .join("\n\n");
            Article {
                path: Some(page.origin.clone()),
                url: page.url.clone(),
                title: span.title.map(|t| blocks[t].text.replace("  ", " ")),
                published: meta::pick_date(blocks, lines, &span),
                source: meta::pick_source(blocks, lines, &span),
                lang: lang::detect(&body),
                body,
                ..Article::default()
            }
        })
        .collect()
}

/// Learns a site template from pages of one site (bounded by `limits`).
pub fn learn_template<'a>(
    pages: impl IntoIterator<Item = &'a Page>,
    limits: TemplateLimits,
) -> Option<SiteTemplate> {
    let mut learner = TemplateLearner::new(limits);
    for page in pages {
        if !learner.wants_more() {
            break;
        }
        if let Ok(analysis) = analyze_page(page) {
            analysis.teach(&mut learner);
        }
    }
    learner.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn bad_pages_are_errors() {
        let empty = Page::new("a.txt", PageFormat::Text, "  \n\n".into());
        assert!(matches!(
            extract_page(&empty, None),
            Err(ExtractError::Empty { .. })
        ));
        let binary = Page::new(
            "b.bin",
            PageFormat::Text,
            "\u{0}\u{1}\u{FFFD}\u{FFFD}x".repeat(100),
        );
        assert!(matches!(
            extract_page(&binary, None),
            Err(ExtractError::NotText { .. })
        ));
        let menu = Page::new("c.txt", PageFormat::Text, "الرئيسية\nاتصل بنا\n".into());
        let err = extract_page(&menu, None).unwrap_err();
        assert_eq!(err.to_string(), "c.txt: no article text found");
    }

    proptest! {
        #[test]
        fn bad_chars_counts_replacements_and_controls(s in "(\\PC|[\u{0}-\u{1f}\u{7f}-\u{9f}\u{FFFD}]){0,200}") {
            let slow = s
                .chars()
                .filter(|&c| c == '\u{FFFD}' || (c.is_control() && !c.is_whitespace()))
                .count();
            prop_assert_eq!(bad_chars(&s), slow);
        }

        #[test]
        fn never_panics(s in "\\PC{0,400}") {
            let page = Page::new("p.txt", PageFormat::Text, s);
            let _ = extract_page(&page, None);
        }

        #[test]
        fn never_panics_on_arabic_lines(lines in proptest::collection::vec("[\u{0621}-\u{064A} .،:؟!«»0-9-]{0,80}", 0..30)) {
            let page = Page::new("p.txt", PageFormat::Text, lines.join("\n"));
            if let Ok(articles) = extract_page(&page, None) {
                prop_assert!(!articles.is_empty());
                prop_assert!(articles.iter().all(|a| !a.body.is_empty()));
            }
        }
    }
}
