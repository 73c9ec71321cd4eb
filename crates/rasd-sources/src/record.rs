//! What the readers yield: records, counted skips, and errors; and how raw
//! page bytes become a decoded [`Page`].
//!
//! In: a document's bytes with what its container says about it (URL,
//! fetch time, MIME type, charset). Out: a [`Record::Page`], a
//! [`SkipReason`] (not content: counted, not an error) or a [`SourceError`].

use std::fmt;

use rasd_model::{Article, Page, PageFormat};

use crate::decode::{charset_param, decode_with_hint};
use crate::error::{SourceError, SourceErrorKind};
use crate::sniff::{binary_reason, looks_html};

/// One input document: a page to extract, or an already-clean article.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A fetched page (HTML or a text dump), decoded to Unicode.
    Page(Page),
    /// A clean article from JSON Lines, passed through without extraction.
    Article(Article),
}

impl Record {
    /// Where the record was read from (`path`, `path#N`, `-`).
    pub fn origin(&self) -> &str {
        match self {
            Record::Page(p) => &p.origin,
            Record::Article(a) => a.path.as_deref().unwrap_or_default(),
        }
    }
}

/// Why a record was passed over without being an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipReason {
    /// A WARC record that holds no document: `warcinfo`, `request`,
    /// `metadata`, `revisit`, `continuation`.
    NotContent,
    /// An HTTP response whose status is not 2xx.
    HttpStatus,
    /// A payload that is not a text page (images, PDF, CSS, scripts).
    NotText,
    /// A record or JSON line with nothing in it.
    EmptyPayload,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::NotContent => "not-content",
            SkipReason::HttpStatus => "http-status",
            SkipReason::NotText => "not-text",
            SkipReason::EmptyPayload => "empty-payload",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One step of a reader.
#[derive(Debug)]
pub(crate) enum Item {
    Record(Record),
    Skipped(SkipReason),
    Error(SourceError),
}

/// What a container knows about a document besides its bytes.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageMeta {
    pub origin: String,
    pub url: Option<String>,
    /// Used when the URL gives no host.
    pub site_fallback: Option<String>,
    pub fetched: Option<String>,
}

/// How the document's format is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FormatHint {
    Known(PageFormat),
    /// Look at the bytes.
    Sniff,
}

/// The site of a URL: its host, lowercase, without `www.`.
pub(crate) fn site_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    let host = parsed.host_str()?.to_ascii_lowercase();
    let host = host
        .strip_prefix("www.")
        .map(str::to_string)
        .unwrap_or(host);
    (!host.is_empty()).then_some(host)
}

/// The format a MIME type promises, `Some(None)` when it says nothing
/// useful (sniff), and `None` when it is not a text page.
pub(crate) fn format_for_mime(content_type: Option<&str>) -> Option<FormatHint> {
    let mime = content_type
        .and_then(|ct| ct.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default();
    match mime.as_str() {
        "text/html" | "application/xhtml+xml" | "application/html" => {
            Some(FormatHint::Known(PageFormat::Html))
        }
        "text/plain" => Some(FormatHint::Known(PageFormat::Text)),
        ""
        | "application/octet-stream"
        | "unknown/unknown"
        | "application/unknown"
        | "text/x-unknown" => Some(FormatHint::Sniff),
        _ => None,
    }
}

/// Decodes a document into a page, or says why it is not one.
pub(crate) fn page_from_bytes(
    bytes: &[u8],
    hint: FormatHint,
    content_type: Option<&str>,
    meta: PageMeta,
) -> Item {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Item::Error(SourceError::new(
            meta.origin,
            SourceErrorKind::Empty,
            "empty (no content)",
        ));
    }
    if let Some(what) = binary_reason(bytes) {
        return Item::Error(SourceError::new(
            meta.origin,
            SourceErrorKind::Binary,
            format!("not text: {what}"),
        ));
    }
    let site = meta.url.as_deref().and_then(site_of);
    let tld = site.as_deref().and_then(|s| s.rsplit('.').next());
    let charset = content_type.and_then(charset_param);
    let decoded = decode_with_hint(bytes, charset, tld);
    let format = match hint {
        FormatHint::Known(f) => f,
        FormatHint::Sniff if looks_html(decoded.text.as_bytes(), false) => PageFormat::Html,
        FormatHint::Sniff => PageFormat::Text,
    };
    let mut page = Page::new(meta.origin, format, decoded.text);
    page.url = meta.url;
    page.site = site.or(meta.site_fallback);
    page.fetched = meta.fetched;
    Item::Record(Record::Page(page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_from_urls() {
        assert_eq!(
            site_of("https://WWW.Alriyadh.com/article/1?x=2").as_deref(),
            Some("alriyadh.com")
        );
        assert_eq!(
            site_of("http://user@sabq.org:8080/x").as_deref(),
            Some("sabq.org")
        );
        // IDN hosts come back in their ASCII (punycode) form, stable across spellings.
        assert!(site_of("https://أخبار.مصر/خبر").is_some_and(|s| s.starts_with("xn--")));
        assert_eq!(site_of("not a url"), None);
    }

    #[test]
    fn mime_types() {
        assert_eq!(
            format_for_mime(Some("text/html; charset=utf-8")),
            Some(FormatHint::Known(PageFormat::Html))
        );
        assert_eq!(
            format_for_mime(Some("TEXT/PLAIN")),
            Some(FormatHint::Known(PageFormat::Text))
        );
        assert_eq!(format_for_mime(None), Some(FormatHint::Sniff));
        assert_eq!(format_for_mime(Some("image/jpeg")), None);
        assert_eq!(format_for_mime(Some("application/pdf")), None);
    }

    #[test]
    fn pages_are_decoded_with_their_site() {
        let (bytes, _, _) =
            encoding_rs::WINDOWS_1256.encode("<html><body><p>خبر من الرياض</p></body></html>");
        let meta = PageMeta {
            origin: "a.warc#2".into(),
            url: Some("https://www.okaz.com.sa/news/1".into()),
            fetched: Some("2015-07-21T10:00:00Z".into()),
            ..PageMeta::default()
        };
        let Item::Record(Record::Page(page)) = page_from_bytes(
            &bytes,
            FormatHint::Sniff,
            Some("text/html; charset=windows-1256"),
            meta,
        ) else {
            panic!("expected a page");
        };
        assert_eq!(page.format, PageFormat::Html);
        assert_eq!(page.site.as_deref(), Some("okaz.com.sa"));
        assert!(page.content.contains("خبر من الرياض"));
        assert!(
            matches!(page_from_bytes(b" \n ", FormatHint::Sniff, None, PageMeta::default()), Item::Error(e) if e.kind == SourceErrorKind::Empty)
        );
        assert!(
            matches!(page_from_bytes(b"\x89PNG\r\n", FormatHint::Sniff, None, PageMeta::default()), Item::Error(e) if e.kind == SourceErrorKind::Binary)
        );
    }
}
