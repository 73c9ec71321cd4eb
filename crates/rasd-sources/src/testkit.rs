//! Writing small WARC archives, for tests, benchmarks and fixtures.
//!
//! In: documents (a URL, a date, text or an HTTP payload). Out: WARC 1.0
//! bytes, plain, gzip'd per record (as Common Crawl writes them) or gzip'd
//! as one stream. Not a general WARC writer: no digests, no request records.
//!
//! ```
//! use rasd_sources::testkit::WarcWriter;
//! let mut w = WarcWriter::new();
//! w.conversion("https://sabq.org/1", "2021-07-26T10:00:00Z", "عنوان\n\nنص الخبر.");
//! let bytes = w.finish();
//! assert!(bytes.starts_with(b"WARC/1.0\r\n"));
//! ```

use std::io::Write;

/// One WARC record with the given type, extra headers and block.
pub fn record(warc_type: &str, headers: &[(&str, &str)], block: &[u8]) -> Vec<u8> {
    record_with_length(warc_type, headers, block, block.len())
}

/// Like [`record`], but declaring `content_length` whatever the block's
/// real length (to test readers against lying lengths).
pub fn record_with_length(
    warc_type: &str,
    headers: &[(&str, &str)],
    block: &[u8],
    content_length: usize,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(block.len() + 256);
    out.extend_from_slice(b"WARC/1.0\r\n");
    out.extend_from_slice(format!("WARC-Type: {warc_type}\r\n").as_bytes());
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(format!("Content-Length: {content_length}\r\n\r\n").as_bytes());
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// A `conversion` record (as in WET files): a text dump of `uri`.
pub fn conversion_record(uri: &str, date: &str, text: &str) -> Vec<u8> {
    record(
        "conversion",
        &[
            ("WARC-Target-URI", uri),
            ("WARC-Date", date),
            ("Content-Type", "text/plain"),
        ],
        text.as_bytes(),
    )
}

/// An HTTP response block: status line, `Content-Type`, extra headers, payload.
pub fn http_response(
    status: u16,
    content_type: &str,
    headers: &[(&str, &str)],
    payload: &[u8],
) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\n").into_bytes();
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(payload);
    out
}

/// A `response` record holding an HTTP response.
pub fn response_record(
    uri: &str,
    date: &str,
    status: u16,
    content_type: &str,
    headers: &[(&str, &str)],
    payload: &[u8],
) -> Vec<u8> {
    record(
        "response",
        &[
            ("WARC-Target-URI", uri),
            ("WARC-Date", date),
            ("Content-Type", "application/http; msgtype=response"),
        ],
        &http_response(status, content_type, headers, payload),
    )
}

/// Gzip'd bytes, one member.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    // Writing to a Vec cannot fail.
    encoder.write_all(bytes).expect("write to Vec");
    encoder.finish().expect("finish to Vec")
}

/// An archive built in memory, record by record.
#[derive(Debug, Default, Clone)]
pub struct WarcWriter {
    records: Vec<Vec<u8>>,
}

impl WarcWriter {
    pub fn new() -> Self {
        WarcWriter::default()
    }

    /// Adds a record already written with the functions of this module.
    pub fn push(&mut self, record: Vec<u8>) -> &mut Self {
        self.records.push(record);
        self
    }

    pub fn warcinfo(&mut self) -> &mut Self {
        self.push(record(
            "warcinfo",
            &[
                ("WARC-Date", "2024-01-01T00:00:00Z"),
                ("Content-Type", "application/warc-fields"),
            ],
            b"software: rasd-sources testkit\r\nformat: WARC File Format 1.0\r\n",
        ))
    }

    pub fn conversion(&mut self, uri: &str, date: &str, text: &str) -> &mut Self {
        self.push(conversion_record(uri, date, text))
    }

    /// A conversion record whose Content-Length is off by `delta` bytes.
    pub fn conversion_with_length(
        &mut self,
        uri: &str,
        date: &str,
        text: &str,
        delta: i64,
    ) -> &mut Self {
        let length = (text.len() as i64 + delta).max(0) as usize;
        self.push(record_with_length(
            "conversion",
            &[
                ("WARC-Target-URI", uri),
                ("WARC-Date", date),
                ("Content-Type", "text/plain"),
            ],
            text.as_bytes(),
            length,
        ))
    }

    pub fn response(
        &mut self,
        uri: &str,
        date: &str,
        status: u16,
        content_type: &str,
        headers: &[(&str, &str)],
        payload: &[u8],
    ) -> &mut Self {
        self.push(response_record(
            uri,
            date,
            status,
            content_type,
            headers,
            payload,
        ))
    }

    /// The archive as plain WARC.
    pub fn finish(&self) -> Vec<u8> {
        self.records.concat()
    }

    /// The archive gzip'd one member per record, like `.warc.gz` from crawlers.
    pub fn finish_gzip_per_record(&self) -> Vec<u8> {
        self.records.iter().flat_map(|r| gzip(r)).collect()
    }
}
