//! JSON Lines of pages or clean articles.
//!
//! In: a byte stream, one JSON object per line. Out: per line a
//! [`Record::Page`] (`{"url"?, "html" | "text", "fetched"?}`), a
//! [`Record::Article`] (`{"id"?, "url"?, "title", "body", "published"?,
//! "source"?, "lang"?}`, or SaudiNewsNet's `content` for `body`), or one
//! error naming `path#line`; the rest of the file goes on. Lines over the
//! length cap are errors, never buffered whole. SaudiNewsNet's
//! `date_extracted` is crawl time: it is a page's `fetched`, never an
//! article's `published` (an [`Article`] has no crawl time, so it is dropped).

use std::io::BufRead;

use rasd_model::{Article, PageFormat};
use serde::Deserialize;

use crate::error::{SourceError, SourceErrorKind};
use crate::line::{read_line_capped, LineRead};
use crate::record::{site_of, Item, PageMeta, Record, SkipReason};

/// The fields rasd reads from a JSON line; others are ignored.
#[derive(Debug, Default, Deserialize)]
struct JsonRecord {
    id: Option<IdValue>,
    url: Option<String>,
    html: Option<String>,
    text: Option<String>,
    fetched: Option<String>,
    date_extracted: Option<String>,
    title: Option<String>,
    body: Option<String>,
    content: Option<String>,
    published: Option<String>,
    source: Option<String>,
    lang: Option<String>,
}

/// Ids come as strings or numbers.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum IdValue {
    Text(String),
    Number(serde_json::Number),
}

impl IdValue {
    fn into_string(self) -> String {
        match self {
            IdValue::Text(s) => s,
            IdValue::Number(n) => n.to_string(),
        }
    }
}

/// Reads JSON Lines one record at a time.
pub(crate) struct JsonlReader<R> {
    input: R,
    path: String,
    site_fallback: Option<String>,
    max_line_bytes: usize,
    gzip: bool,
    line_no: usize,
    done: bool,
    line: Vec<u8>,
}

impl<R: BufRead> JsonlReader<R> {
    pub(crate) fn new(
        input: R,
        path: String,
        site_fallback: Option<String>,
        max_line_bytes: usize,
        gzip: bool,
    ) -> Self {
        JsonlReader {
            input,
            path,
            site_fallback,
            max_line_bytes,
            gzip,
            line_no: 0,
            done: false,
            line: Vec::new(),
        }
    }

    fn origin(&self) -> String {
        format!("{}#{}", self.path, self.line_no)
    }
}

impl<R: BufRead> Iterator for JsonlReader<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if self.done {
                return None;
            }
            let read = read_line_capped(&mut self.input, &mut self.line, self.max_line_bytes);
            self.line_no += 1;
            match read {
                Err(e) => {
                    self.done = true;
                    return Some(Item::Error(SourceError::from_io(
                        self.origin(),
                        &e,
                        self.gzip,
                    )));
                }
                Ok(LineRead::Eof) => {
                    self.done = true;
                    return None;
                }
                Ok(LineRead::TooLong) => {
                    return Some(Item::Error(SourceError::new(
                        self.origin(),
                        SourceErrorKind::TooLarge,
                        format!(
                            "line is over the {} byte line limit; skipped",
                            self.max_line_bytes
                        ),
                    )));
                }
                Ok(LineRead::Line) => {
                    let mut line = self.line.trim_ascii();
                    if self.line_no == 1 {
                        line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
                    }
                    if line.is_empty() {
                        continue;
                    }
                    let meta = PageMeta {
                        origin: self.origin(),
                        site_fallback: self.site_fallback.clone(),
                        ..PageMeta::default()
                    };
                    return Some(parse_line(line, meta));
                }
            }
        }
    }
}

/// One JSON line → a record, a skip or an error.
fn parse_line(line: &[u8], mut meta: PageMeta) -> Item {
    // A line with a few bad bytes is still worth reading; serde_json
    // rejects invalid UTF-8 inside strings, so repair it first.
    let text = String::from_utf8_lossy(line);
    let record: JsonRecord = match serde_json::from_str(&text) {
        Ok(r) => r,
        Err(e) => {
            return Item::Error(SourceError::new(
                meta.origin,
                SourceErrorKind::Json,
                format!("not a usable JSON object: {e}"),
            ));
        }
    };
    let url = record.url.filter(|u| !u.trim().is_empty());
    if let Some(html) = record.html {
        meta.url = url;
        meta.fetched = record.fetched.or(record.date_extracted);
        return page_item(html, PageFormat::Html, meta);
    }
    if let Some(body) = record.body.or(record.content) {
        if body.trim().is_empty() && record.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
            return Item::Skipped(SkipReason::EmptyPayload);
        }
        return Item::Record(Record::Article(Article {
            id: record.id.map(IdValue::into_string),
            path: Some(meta.origin),
            url,
            title: record.title,
            published: record.published,
            body,
            source: record.source,
            lang: record.lang,
        }));
    }
    if let Some(text) = record.text {
        meta.url = url;
        meta.fetched = record.fetched.or(record.date_extracted);
        return page_item(text, PageFormat::Text, meta);
    }
    Item::Error(SourceError::new(
        meta.origin,
        SourceErrorKind::Json,
        "the object has none of the fields html, text, body or content",
    ))
}

fn page_item(content: String, format: PageFormat, meta: PageMeta) -> Item {
    if content.trim().is_empty() {
        return Item::Skipped(SkipReason::EmptyPayload);
    }
    // The text is already Unicode: build the page directly rather than
    // round-tripping through the byte decoder.
    let site = meta.url.as_deref().and_then(site_of).or(meta.site_fallback);
    let mut page = rasd_model::Page::new(meta.origin, format, content);
    page.url = meta.url;
    page.site = site;
    page.fetched = meta.fetched;
    Item::Record(Record::Page(page))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read(text: &[u8], max_line: usize) -> Vec<Item> {
        JsonlReader::new(text, "a.jsonl".into(), Some("dir".into()), max_line, false).collect()
    }

    #[test]
    fn pages_articles_and_bad_lines() {
        let input = concat!(
            "{\"url\": \"https://www.sabq.org/x\", \"html\": \"<p>خبر</p>\", \"fetched\": \"2021-01-01\"}\n",
            "\n",
            "{\"id\": 7, \"title\": \"عنوان\", \"body\": \"فقرة.\", \"published\": \"2021-07-26\", \"lang\": \"ar\"}\n",
            "{\"source\": \"okaz\", \"url\": \"http://okaz.com.sa/1\", \"date_extracted\": \"2015-07-21 03:00:00\", \"title\": \"عنوان\", \"author\": \"x\", \"content\": \"نص.\\n\\nنص آخر.\"}\n",
            "{not json}\n",
            "{\"text\": \"سطر\\nسطر\"}\n",
            "{\"foo\": 1}\n",
            "[1, 2]\n",
        );
        let items = read(input.as_bytes(), 1 << 20);
        assert_eq!(items.len(), 7, "{items:?}");
        let Item::Record(Record::Page(p)) = &items[0] else {
            panic!("{:?}", items[0])
        };
        assert_eq!(
            (p.origin.as_str(), p.format, p.site.as_deref()),
            ("a.jsonl#1", PageFormat::Html, Some("sabq.org"))
        );
        assert_eq!(p.fetched.as_deref(), Some("2021-01-01"));
        let Item::Record(Record::Article(a)) = &items[1] else {
            panic!("{:?}", items[1])
        };
        assert_eq!(
            (a.id.as_deref(), a.path.as_deref(), a.published.as_deref()),
            (Some("7"), Some("a.jsonl#3"), Some("2021-07-26"))
        );
        let Item::Record(Record::Article(a)) = &items[2] else {
            panic!("{:?}", items[2])
        };
        assert_eq!(a.body, "نص.\n\nنص آخر.");
        assert_eq!(
            a.published, None,
            "date_extracted is crawl time, not publication"
        );
        assert_eq!(a.source.as_deref(), Some("okaz"));
        assert!(
            matches!(&items[3], Item::Error(e) if e.origin == "a.jsonl#5" && e.kind == SourceErrorKind::Json)
        );
        let Item::Record(Record::Page(p)) = &items[4] else {
            panic!("{:?}", items[4])
        };
        assert_eq!(
            (p.format, p.site.as_deref()),
            (PageFormat::Text, Some("dir"))
        );
        assert!(matches!(&items[5], Item::Error(e) if e.origin == "a.jsonl#7"));
        assert!(matches!(&items[6], Item::Error(e) if e.origin == "a.jsonl#8"));
    }

    #[test]
    fn long_lines_are_errors_and_the_rest_goes_on() {
        let long = format!("{{\"text\": \"{}\"}}\n", "ح".repeat(1000));
        let input = format!("{long}{{\"title\": \"ع\", \"body\": \"ب\"}}\n");
        let items = read(input.as_bytes(), 500);
        assert!(
            matches!(&items[0], Item::Error(e) if e.kind == SourceErrorKind::TooLarge && e.origin == "a.jsonl#1")
        );
        assert!(matches!(&items[1], Item::Record(Record::Article(_))));
    }

    #[test]
    fn invalid_utf8_inside_a_line_is_repaired() {
        let mut line = "{\"title\": \"عنوان\", \"body\": \"نص".as_bytes().to_vec();
        line.push(0xFF);
        line.extend_from_slice("\"}".as_bytes());
        let items = read(&line, 1 << 20);
        let Item::Record(Record::Article(a)) = &items[0] else {
            panic!("{items:?}")
        };
        assert!(a.body.starts_with("نص"));
    }

    proptest! {
        #[test]
        fn arbitrary_lines_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let items = read(&bytes, 256);
            prop_assert!(items.len() <= bytes.len() + 1);
        }
    }
}
