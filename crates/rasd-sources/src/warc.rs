//! A streaming reader for WARC and WET archives (`.warc`, `.warc.gz`).
//!
//! In: a byte stream (already gunzipped: one gzip member per record or one
//! for the whole file both work). Out: one [`Item`] per record: a page for
//! `response`, `resource` and `conversion` (WET) records, a counted skip
//! for records that hold no page, or an error naming `path#N`.
//! Invariants: no record body over the page limit is read into memory; a
//! record whose Content-Length lies yields one error and the reader
//! resynchronises on the next `WARC/` header; an error in the stream itself
//! (truncated gzip) ends the archive after every complete record.

use std::io::{self, BufRead, Read};

use rasd_model::PageFormat;

use crate::error::{SourceError, SourceErrorKind};
use crate::http::{dechunk, decompress, parse_response, PayloadError};
use crate::line::{read_line_capped, LineRead, Pushback};
use crate::options::InputOptions;
use crate::record::{format_for_mime, page_from_bytes, FormatHint, Item, PageMeta, SkipReason};

/// How far past a record the reader looks for the next header.
const LOOKAHEAD_BYTES: usize = 64;

#[derive(Debug, Default)]
struct WarcHeaders {
    warc_type: String,
    content_length: Option<u64>,
    target_uri: Option<String>,
    date: Option<String>,
    content_type: Option<String>,
}

impl WarcHeaders {
    fn set(&mut self, name: &str, value: &str) {
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "warc-type" => self.warc_type = value.to_ascii_lowercase(),
            "content-length" => self.content_length = value.parse().ok(),
            "warc-target-uri" => {
                let uri = value.trim_start_matches('<').trim_end_matches('>').trim();
                self.target_uri = (!uri.is_empty()).then(|| uri.to_string());
            }
            "warc-date" => self.date = (!value.is_empty()).then(|| value.to_string()),
            "content-type" => self.content_type = (!value.is_empty()).then(|| value.to_string()),
            _ => {}
        }
    }
}

/// Reads WARC records one at a time from `R`.
pub(crate) struct WarcReader<R> {
    input: Pushback<R>,
    path: String,
    site_fallback: Option<String>,
    opts: InputOptions,
    /// Whether the bytes come through a gzip decoder (for error kinds).
    gzip: bool,
    record_no: usize,
    /// After a bad record: skip lines quietly until the next `WARC/` line.
    resync: bool,
    done: bool,
    line: Vec<u8>,
}

impl<R: BufRead> WarcReader<R> {
    pub(crate) fn new(
        input: R,
        path: String,
        site_fallback: Option<String>,
        opts: InputOptions,
        gzip: bool,
    ) -> Self {
        WarcReader {
            input: Pushback::new(input),
            path,
            site_fallback,
            opts,
            gzip,
            record_no: 0,
            resync: false,
            done: false,
            line: Vec::new(),
        }
    }

    fn origin(&self) -> String {
        format!("{}#{}", self.path, self.record_no)
    }

    fn error(&self, kind: SourceErrorKind, message: impl Into<String>) -> Item {
        Item::Error(self.source_error(kind, message))
    }

    fn source_error(&self, kind: SourceErrorKind, message: impl Into<String>) -> SourceError {
        SourceError::new(self.origin(), kind, message)
    }

    /// An error of the stream itself: nothing after it can be trusted.
    fn fatal_io(&mut self, err: &io::Error) -> SourceError {
        self.done = true;
        let origin = if self.record_no == 0 {
            self.path.clone()
        } else {
            self.origin()
        };
        SourceError::from_io(origin, err, self.gzip)
    }

    /// Finds the next version line (`WARC/1.0`). `Ok(None)` at the end.
    fn next_version_line(&mut self) -> Result<Option<()>, SourceError> {
        loop {
            let read = read_line_capped(&mut self.input, &mut self.line, self.opts.max_line_bytes);
            match read {
                Err(e) => return Err(self.fatal_io(&e)),
                Ok(LineRead::Eof) => return Ok(None),
                Ok(LineRead::TooLong) if self.resync => {}
                Ok(LineRead::TooLong) => {
                    self.resync = true;
                    return Err(self.junk_error("a line over the length limit"));
                }
                Ok(LineRead::Line) => {
                    let line = self.line.trim_ascii();
                    if line.is_empty() {
                        continue;
                    }
                    if line.starts_with(b"WARC/") {
                        self.resync = false;
                        return Ok(Some(()));
                    }
                    if !self.resync {
                        self.resync = true;
                        let shown: String =
                            String::from_utf8_lossy(line).chars().take(40).collect();
                        return Err(self.junk_error(&format!("{shown:?}")));
                    }
                }
            }
        }
    }

    fn junk_error(&self, found: &str) -> SourceError {
        let origin = format!("{}#{}", self.path, self.record_no + 1);
        SourceError::new(
            origin,
            SourceErrorKind::Warc,
            format!("expected a WARC record header, found {found}; skipping to the next record"),
        )
    }

    fn read_headers(&mut self) -> Result<WarcHeaders, SourceError> {
        let mut headers = WarcHeaders::default();
        let mut total = 0usize;
        loop {
            match read_line_capped(&mut self.input, &mut self.line, self.opts.max_header_bytes) {
                Err(e) => return Err(self.fatal_io(&e)),
                Ok(LineRead::Eof) => {
                    self.done = true;
                    return Err(self.source_error(
                        SourceErrorKind::Warc,
                        "archive ends inside a record header",
                    ));
                }
                Ok(LineRead::TooLong) => {
                    self.resync = true;
                    return Err(self.source_error(
                        SourceErrorKind::Warc,
                        "a header line is over the header size limit",
                    ));
                }
                Ok(LineRead::Line) => {
                    total += self.line.len() + 1;
                    if total > self.opts.max_header_bytes {
                        self.resync = true;
                        return Err(self.source_error(
                            SourceErrorKind::Warc,
                            "record header is over the header size limit",
                        ));
                    }
                    let line = self.line.trim_ascii();
                    if line.is_empty() {
                        return Ok(headers);
                    }
                    let line = String::from_utf8_lossy(line);
                    if let Some((name, value)) = line.split_once(':') {
                        headers.set(name, value);
                    }
                }
            }
        }
    }

    /// Checks that the next record starts right after this one's body
    /// (after the `\r\n\r\n` that closes a record) and consumes the gap.
    /// On a mismatch, puts back the part of `body` from the next header
    /// when the length was too long, or arranges a resynchronisation.
    fn record_ends_well(&mut self, body: Option<&[u8]>) -> io::Result<bool> {
        let ahead = self.input.peek(LOOKAHEAD_BYTES)?;
        let gap = ahead
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        let next = &ahead[gap..];
        if next.is_empty() || next.starts_with(b"WARC/") || b"WARC/".starts_with(next) {
            self.input.consume(gap);
            return Ok(true);
        }
        let next_header = body.and_then(|body| {
            memchr::memmem::find_iter(body, b"\nWARC/1.")
                .next()
                .map(|at| &body[at + 1..])
        });
        match next_header {
            Some(tail) => self.input.unread(tail),
            None => self.resync = true,
        }
        Ok(false)
    }

    fn lying_length(&self, length: u64) -> Item {
        self.error(
            SourceErrorKind::Warc,
            format!("Content-Length {length} does not match the record (the next header is not where it should be); skipping to the next record"),
        )
    }

    fn discard(&mut self, length: u64) -> Result<(), SourceError> {
        match io::copy(&mut (&mut self.input).take(length), &mut io::sink()) {
            Err(e) => Err(self.fatal_io(&e)),
            Ok(n) if n < length => {
                self.done = true;
                Err(self.source_error(
                    SourceErrorKind::Warc,
                    format!("record cut short: {n} of {length} bytes"),
                ))
            }
            Ok(_) => Ok(()),
        }
    }

    fn next_item(&mut self) -> Option<Item> {
        if self.done {
            return None;
        }
        match self.next_version_line() {
            Ok(Some(())) => {}
            Ok(None) => {
                self.done = true;
                return None;
            }
            Err(err) => return Some(Item::Error(err)),
        }
        self.record_no += 1;
        let headers = match self.read_headers() {
            Ok(h) => h,
            Err(err) => return Some(Item::Error(err)),
        };
        let Some(length) = headers.content_length else {
            self.resync = true;
            return Some(self.error(SourceErrorKind::Warc, "missing or invalid Content-Length"));
        };
        let holds_page = matches!(
            headers.warc_type.as_str(),
            "response" | "resource" | "conversion"
        );
        let too_large = length > u64::try_from(self.opts.max_page_bytes).unwrap_or(u64::MAX);
        if !holds_page || too_large {
            if let Err(err) = self.discard(length) {
                return Some(Item::Error(err));
            }
            return Some(match self.record_ends_well(None) {
                Err(e) => Item::Error(self.fatal_io(&e)),
                Ok(false) => self.lying_length(length),
                Ok(true) if too_large => self.error(
                    SourceErrorKind::TooLarge,
                    format!(
                        "record of {length} bytes is over the {} byte page limit; skipped",
                        self.opts.max_page_bytes
                    ),
                ),
                Ok(true) => Item::Skipped(SkipReason::NotContent),
            });
        }
        let mut body = Vec::new();
        // `length` is at most `max_page_bytes` here, so this is bounded.
        if let Err(e) = (&mut self.input).take(length).read_to_end(&mut body) {
            return Some(Item::Error(self.fatal_io(&e)));
        }
        if (body.len() as u64) < length {
            self.done = true;
            return Some(self.error(
                SourceErrorKind::Warc,
                format!("record cut short: {} of {length} bytes", body.len()),
            ));
        }
        match self.record_ends_well(Some(&body)) {
            Err(e) => return Some(Item::Error(self.fatal_io(&e))),
            Ok(false) => return Some(self.lying_length(length)),
            Ok(true) => {}
        }
        Some(self.page_item(&headers, &body))
    }

    fn page_item(&self, headers: &WarcHeaders, body: &[u8]) -> Item {
        let meta = PageMeta {
            origin: self.origin(),
            url: headers.target_uri.clone(),
            site_fallback: self.site_fallback.clone(),
            fetched: headers.date.clone(),
        };
        let ct = headers.content_type.as_deref();
        let is_http = ct.is_some_and(|ct| ct.to_ascii_lowercase().starts_with("application/http"))
            || body.starts_with(b"HTTP/");
        let item = match headers.warc_type.as_str() {
            "conversion" => page_from_bytes(body, FormatHint::Known(PageFormat::Text), ct, meta),
            "response" if is_http => return self.http_item(body, meta),
            _ => match format_for_mime(ct) {
                None => return Item::Skipped(SkipReason::NotText),
                Some(hint) => page_from_bytes(body, hint, ct, meta),
            },
        };
        quiet_empty(item)
    }

    fn http_item(&self, body: &[u8], meta: PageMeta) -> Item {
        let response = match parse_response(body, self.opts.max_header_bytes) {
            Ok(r) => r,
            Err(message) => return self.error(SourceErrorKind::Http, message),
        };
        if !(200..300).contains(&response.status) {
            return Item::Skipped(SkipReason::HttpStatus);
        }
        let ct = response.content_type.as_deref();
        let Some(hint) = format_for_mime(ct) else {
            return Item::Skipped(SkipReason::NotText);
        };
        let mut payload = std::borrow::Cow::Borrowed(response.payload);
        if response
            .transfer_encoding
            .as_deref()
            .is_some_and(|te| te.to_ascii_lowercase().contains("chunked"))
        {
            if let Some(plain) = dechunk(&payload) {
                payload = std::borrow::Cow::Owned(plain);
            }
        }
        if let Some(coding) = response.content_encoding.as_deref() {
            match decompress(&payload, coding, self.opts.max_page_bytes) {
                Ok(std::borrow::Cow::Owned(plain)) => payload = std::borrow::Cow::Owned(plain),
                Ok(std::borrow::Cow::Borrowed(_)) => {}
                Err(PayloadError::TooLarge) => {
                    return self.error(
                        SourceErrorKind::TooLarge,
                        format!(
                            "decompressed payload is over the {} byte page limit",
                            self.opts.max_page_bytes
                        ),
                    )
                }
                Err(PayloadError::Corrupt(m)) => return self.error(SourceErrorKind::Http, m),
                Err(PayloadError::Unsupported(m)) => {
                    return self.error(SourceErrorKind::Unsupported, m)
                }
            }
        }
        let item = page_from_bytes(&payload, hint, ct, meta);
        match item {
            // Undeclared content that turns out binary is a skip, not an error.
            Item::Error(e) if e.kind == SourceErrorKind::Binary && hint == FormatHint::Sniff => {
                Item::Skipped(SkipReason::NotText)
            }
            other => quiet_empty(other),
        }
    }
}

/// An empty record is common (a 204, a blank conversion): counted, not an error.
fn quiet_empty(item: Item) -> Item {
    match item {
        Item::Error(e) if e.kind == SourceErrorKind::Empty => {
            Item::Skipped(SkipReason::EmptyPayload)
        }
        other => other,
    }
}

impl<R: BufRead> Iterator for WarcReader<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        self.next_item()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Record;
    use crate::testkit::{gzip, WarcWriter};
    use proptest::prelude::*;

    const BODY: &str = "عنوان الخبر\n\nأعلنت الوزارة اليوم عن خطة جديدة.";

    fn read_all(bytes: &[u8], opts: InputOptions) -> Vec<Item> {
        let gz = bytes.starts_with(&[0x1f, 0x8b]);
        let input: Box<dyn BufRead> = if gz {
            Box::new(io::BufReader::new(flate2::read::MultiGzDecoder::new(bytes)))
        } else {
            Box::new(bytes)
        };
        WarcReader::new(input, "a.warc".into(), Some("dir".into()), opts, gz).collect()
    }

    fn pages(items: &[Item]) -> Vec<&rasd_model::Page> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Record(Record::Page(p)) => Some(p),
                _ => None,
            })
            .collect()
    }

    fn errors(items: &[Item]) -> Vec<&SourceError> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Error(e) => Some(e),
                _ => None,
            })
            .collect()
    }

    fn sample() -> WarcWriter {
        let mut w = WarcWriter::new();
        w.warcinfo();
        w.conversion("https://www.sabq.org/a/1", "2021-07-26T10:00:00Z", BODY);
        w.response(
            "https://alriyadh.com/b/2",
            "2021-07-27T10:00:00Z",
            200,
            "text/html; charset=utf-8",
            &[],
            format!("<html><body><p>{BODY}</p></body></html>").as_bytes(),
        );
        w.response(
            "https://alriyadh.com/missing",
            "2021-07-27T10:00:00Z",
            404,
            "text/html",
            &[],
            b"<p>not found</p>",
        );
        w.response(
            "https://alriyadh.com/logo.png",
            "2021-07-27T10:00:00Z",
            200,
            "image/png",
            &[],
            b"\x89PNG....",
        );
        w
    }

    #[test]
    fn reads_conversion_and_response_records() {
        for bytes in [
            sample().finish(),
            sample().finish_gzip_per_record(),
            gzip(&sample().finish()),
        ] {
            let items = read_all(&bytes, InputOptions::default());
            let pages = pages(&items);
            assert_eq!(pages.len(), 2, "{items:?}");
            assert_eq!(pages[0].origin, "a.warc#2");
            assert_eq!(pages[0].format, PageFormat::Text);
            assert_eq!(pages[0].content, BODY);
            assert_eq!(pages[0].site.as_deref(), Some("sabq.org"));
            assert_eq!(pages[0].fetched.as_deref(), Some("2021-07-26T10:00:00Z"));
            assert_eq!(pages[1].format, PageFormat::Html);
            assert!(pages[1].content.contains(BODY));
            assert!(errors(&items).is_empty(), "{items:?}");
            let skips: Vec<_> = items
                .iter()
                .filter_map(|i| match i {
                    Item::Skipped(r) => Some(*r),
                    _ => None,
                })
                .collect();
            assert_eq!(
                skips,
                [
                    SkipReason::NotContent,
                    SkipReason::HttpStatus,
                    SkipReason::NotText
                ]
            );
        }
    }

    #[test]
    fn undoes_chunking_gzip_and_legacy_charsets() {
        let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode(BODY);
        let chunked = format!("{:x}\r\n", cp1256.len())
            .into_bytes()
            .into_iter()
            .chain(cp1256.iter().copied())
            .chain(*b"\r\n0\r\n\r\n")
            .collect::<Vec<u8>>();
        let mut w = WarcWriter::new();
        w.response(
            "http://okaz.com.sa/1",
            "2015-07-21T00:00:00Z",
            200,
            "text/plain; charset=windows-1256",
            &[("Transfer-Encoding", "chunked")],
            &chunked,
        );
        w.response(
            "http://okaz.com.sa/2",
            "2015-07-21T00:00:00Z",
            200,
            "text/plain; charset=utf-8",
            &[("Content-Encoding", "gzip")],
            &gzip(BODY.as_bytes()),
        );
        let items = read_all(&w.finish(), InputOptions::default());
        let pages = pages(&items);
        assert_eq!(pages.len(), 2, "{items:?}");
        assert_eq!(pages[0].content, BODY);
        assert_eq!(pages[1].content, BODY);
    }

    #[test]
    fn a_lying_length_costs_one_record() {
        for delta in [-10i64, 25, 400] {
            let mut w = WarcWriter::new();
            w.conversion("https://a.com/1", "2020-01-01T00:00:00Z", BODY);
            w.conversion_with_length("https://a.com/2", "2020-01-01T00:00:00Z", BODY, delta);
            w.conversion("https://a.com/3", "2020-01-01T00:00:00Z", BODY);
            w.conversion("https://a.com/4", "2020-01-01T00:00:00Z", BODY);
            let items = read_all(&w.finish(), InputOptions::default());
            let urls: Vec<_> = pages(&items)
                .iter()
                .map(|p| p.url.clone().unwrap())
                .collect();
            let errs = errors(&items);
            assert_eq!(errs.len(), 1, "delta {delta}: {items:?}");
            assert_eq!(errs[0].kind, SourceErrorKind::Warc);
            assert_eq!(errs[0].origin, "a.warc#2");
            // Too long by more than the next record: that record is lost
            // with the bad one only when it was swallowed whole.
            assert!(
                urls.contains(&"https://a.com/1".to_string())
                    && urls.contains(&"https://a.com/4".to_string()),
                "delta {delta}: {urls:?}"
            );
            if delta != 400 {
                assert_eq!(
                    urls,
                    ["https://a.com/1", "https://a.com/3", "https://a.com/4"],
                    "delta {delta}"
                );
            }
        }
    }

    #[test]
    fn truncated_gzip_reports_after_complete_records() {
        let mut w = WarcWriter::new();
        for i in 0..5 {
            w.conversion(
                &format!("https://a.com/{i}"),
                "2020-01-01T00:00:00Z",
                &BODY.repeat(50),
            );
        }
        let bytes = w.finish_gzip_per_record();
        let cut = &bytes[..bytes.len() * 7 / 10];
        let items = read_all(cut, InputOptions::default());
        let n_pages = pages(&items).len();
        assert!((2..5).contains(&n_pages), "{n_pages}");
        let errs = errors(&items);
        assert_eq!(errs.len(), 1, "{items:?}");
        assert_eq!(errs[0].kind, SourceErrorKind::Gzip, "{}", errs[0]);
        assert!(matches!(items.last(), Some(Item::Error(_))));
    }

    #[test]
    fn oversized_records_are_skipped_not_read() {
        let mut w = WarcWriter::new();
        w.conversion(
            "https://a.com/big",
            "2020-01-01T00:00:00Z",
            &"كلمة ".repeat(1000),
        );
        w.conversion("https://a.com/small", "2020-01-01T00:00:00Z", BODY);
        let opts = InputOptions {
            max_page_bytes: 1000,
            ..InputOptions::default()
        };
        let items = read_all(&w.finish(), opts);
        assert_eq!(errors(&items)[0].kind, SourceErrorKind::TooLarge);
        assert_eq!(pages(&items).len(), 1);
    }

    #[test]
    fn junk_before_a_record_is_one_error() {
        let mut bytes = b"garbage line\nmore garbage\n".to_vec();
        let mut w = WarcWriter::new();
        w.conversion("https://a.com/1", "2020-01-01T00:00:00Z", BODY);
        bytes.extend(w.finish());
        let items = read_all(&bytes, InputOptions::default());
        assert_eq!(errors(&items).len(), 1);
        assert_eq!(pages(&items).len(), 1);
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
            let mut input = b"WARC/1.0\r\n".to_vec();
            input.extend(&bytes);
            let items = read_all(&input, InputOptions { max_page_bytes: 1024, ..InputOptions::default() });
            prop_assert!(items.len() <= input.len() + 1);
        }

        #[test]
        fn damaged_archives_never_panic(cut in 0usize..2000, flip in 0usize..2000, byte in any::<u8>()) {
            let mut bytes = sample().finish();
            let flip = flip % bytes.len();
            bytes[flip] = byte;
            bytes.truncate(cut.min(bytes.len()));
            let _ = read_all(&bytes, InputOptions::default());
            let mut gz = sample().finish_gzip_per_record();
            let flip = flip % gz.len();
            gz[flip] = byte;
            let _ = read_all(&gz, InputOptions::default());
        }
    }
}
