//! The data model every rasd stage speaks.
//!
//! Input → output of the pipeline, in these types:
//! `sources` yield [`Page`]s (a document as it was fetched, already decoded to
//! text), `extract` turns a page into one or more [`Article`]s, later stages
//! group articles into stories and topics.
//!
//! This crate holds plain data with serde derives and nothing else: no I/O,
//! no clock, no globals. Stages depend on it, not on each other.
//!
//! ```
//! use rasd_model::{Page, PageFormat};
//! let page = Page::new("مثال.txt", PageFormat::Text, "عنوان\n\nنص الخبر.".to_string());
//! assert_eq!(page.format, PageFormat::Text);
//! ```

use serde::{Deserialize, Serialize};

/// How the body of a [`Page`] is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageFormat {
    /// A plain-text dump of a web page: one block per line (like Common Crawl WET).
    Text,
    /// An HTML document.
    Html,
}

/// One fetched document, decoded to Unicode, before extraction.
///
/// `origin` names where it came from for error messages and output
/// (`path` of a file, `path#record` inside an archive, `-` for stdin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// Where the page was read from: a file path, `archive.warc.gz#17`, or `-`.
    pub origin: String,
    /// The page's URL, when the input knows it (WARC, JSONL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The site the page belongs to, used to learn the site's template:
    /// the URL's host when known, else the input folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// When the page was fetched (ISO 8601), a fallback reference time for
    /// relative dates only, never the article's date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched: Option<String>,
    pub format: PageFormat,
    /// The decoded content.
    pub content: String,
}

impl Page {
    pub fn new(origin: impl Into<String>, format: PageFormat, content: String) -> Page {
        Page {
            origin: origin.into(),
            url: None,
            site: None,
            fetched: None,
            format,
            content,
        }
    }
}

/// One news article: the clean text and metadata extracted from a page,
/// or taken as it is from a JSONL file of clean articles.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable identifier, when the input or the store gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Where the page was read from (see [`Page::origin`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The headline.
    pub title: Option<String>,
    /// ISO 8601 publication date (`YYYY-MM-DD`, with time and offset when
    /// the page gives them), or `None` when the page shows no full date.
    pub published: Option<String>,
    /// The article's paragraphs in order, separated by a blank line.
    pub body: String,
    /// The outlet's name when the page names it.
    pub source: Option<String>,
    /// ISO 639-1 language code (`ar`, `en`, …), or `None` when unsure.
    pub lang: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_round_trips_through_json() {
        let a = Article {
            path: Some("a.txt".into()),
            title: Some("الكاظمي في واشنطن".into()),
            published: Some("2021-07-26".into()),
            body: "فقرة أولى.\n\nفقرة ثانية.".into(),
            lang: Some("ar".into()),
            ..Article::default()
        };
        let json = serde_json::to_string(&a).unwrap();
        assert!(
            json.contains("\"source\":null"),
            "null fields are kept: {json}"
        );
        let back: Article = serde_json::from_str(&json).unwrap();
        assert_eq!(a, back);
    }
}
