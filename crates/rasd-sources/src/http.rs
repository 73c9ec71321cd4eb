//! HTTP responses stored in WARC `response` records.
//!
//! In: the record's bytes (status line, headers, payload). Out: the status,
//! the headers rasd needs and the payload with `Transfer-Encoding: chunked`
//! and `Content-Encoding: gzip/deflate` undone, bounded by the page limit
//! (a small compressed payload can expand a thousandfold).

use std::borrow::Cow;
use std::io::Read;

/// The parts of an HTTP response rasd reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HttpResponse<'a> {
    pub status: u16,
    pub content_type: Option<String>,
    pub transfer_encoding: Option<String>,
    pub content_encoding: Option<String>,
    pub payload: &'a [u8],
}

/// Splits a stored HTTP response into status, headers and payload.
pub(crate) fn parse_response(bytes: &[u8], max_header: usize) -> Result<HttpResponse<'_>, String> {
    let window = &bytes[..bytes.len().min(max_header)];
    let (head_end, payload_start) = match memchr::memmem::find(window, b"\r\n\r\n") {
        Some(at) => (at, at + 4),
        None => match memchr::memmem::find(window, b"\n\n") {
            Some(at) => (at, at + 2),
            // Headers with no payload at all are still a response.
            None if bytes.len() <= max_header => (bytes.len(), bytes.len()),
            None => return Err(format!("HTTP headers longer than {max_header} bytes")),
        },
    };
    let head = String::from_utf8_lossy(&bytes[..head_end]);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or_default();
    if !status_line.starts_with("HTTP/") {
        let shown: String = status_line.chars().take(40).collect();
        return Err(format!("not an HTTP response (status line {shown:?})"));
    }
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse::<u16>().ok())
        .ok_or_else(|| {
            format!(
                "bad HTTP status line {:?}",
                status_line.chars().take(40).collect::<String>()
            )
        })?;
    let mut response = HttpResponse {
        status,
        content_type: None,
        transfer_encoding: None,
        content_encoding: None,
        payload: &bytes[payload_start..],
    };
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = Some(value.trim().to_string());
        match name.trim().to_ascii_lowercase().as_str() {
            "content-type" => response.content_type = value,
            "transfer-encoding" => response.transfer_encoding = value,
            "content-encoding" => response.content_encoding = value,
            _ => {}
        }
    }
    Ok(response)
}

/// Undoes chunked transfer coding, or `None` when the bytes are not
/// chunked after all (many crawlers store the payload already de-chunked
/// but keep the header).
pub(crate) fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    loop {
        let line_end = memchr::memchr(b'\n', body)?;
        let line = std::str::from_utf8(&body[..line_end]).ok()?.trim();
        let size_text = line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        body = &body[line_end + 1..];
        if size == 0 {
            return Some(out);
        }
        let chunk = body.get(..size)?;
        out.extend_from_slice(chunk);
        body = &body[size..];
        body = body
            .strip_prefix(b"\r\n")
            .or_else(|| body.strip_prefix(b"\n"))
            .unwrap_or(body);
        if body.is_empty() {
            // A missing last-chunk marker: the stream was cut, keep what came.
            return Some(out);
        }
    }
}

/// Why a payload's content coding could not be undone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PayloadError {
    TooLarge,
    Corrupt(String),
    Unsupported(String),
}

/// Undoes `Content-Encoding`, never producing more than `max` bytes.
pub(crate) fn decompress<'a>(
    payload: &'a [u8],
    coding: &str,
    max: usize,
) -> Result<Cow<'a, [u8]>, PayloadError> {
    let coding = coding.trim().to_ascii_lowercase();
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    let read_bounded = |reader: &mut dyn Read| -> Result<Vec<u8>, std::io::Error> {
        let mut out = Vec::new();
        reader.take(limit).read_to_end(&mut out)?;
        Ok(out)
    };
    let out = match coding.as_str() {
        "" | "identity" | "none" => return Ok(Cow::Borrowed(payload)),
        "gzip" | "x-gzip" => {
            if !payload.starts_with(&[0x1f, 0x8b]) {
                // Stored already decoded by the crawler.
                return Ok(Cow::Borrowed(payload));
            }
            read_bounded(&mut flate2::read::MultiGzDecoder::new(payload))
        }
        "deflate" => read_bounded(&mut flate2::read::ZlibDecoder::new(payload))
            .or_else(|_| read_bounded(&mut flate2::read::DeflateDecoder::new(payload))),
        other => {
            return Err(PayloadError::Unsupported(format!(
                "Content-Encoding {other:?} is not supported"
            )))
        }
    };
    let out = out.map_err(|e| PayloadError::Corrupt(format!("corrupt {coding} payload: {e}")))?;
    if out.len() > max {
        return Err(PayloadError::TooLarge);
    }
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn parses_status_headers_and_payload() {
        let raw = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Encoding: identity\r\n\r\n<p>خبر</p>";
        let r = parse_response(raw.as_bytes(), 1024).unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.content_type.as_deref(), Some("text/html; charset=utf-8"));
        assert_eq!(r.payload, "<p>خبر</p>".as_bytes());
        assert!(parse_response(b"GET / HTTP/1.1\r\n\r\n", 1024).is_err());
        assert!(parse_response(b"HTTP/1.1 abc\r\n\r\n", 1024).is_err());
    }

    #[test]
    fn dechunks_or_declines() {
        let body = "خبر عاجل";
        let chunked = format!("{:x}\r\n{body}\r\n0\r\n\r\n", body.len());
        assert_eq!(dechunk(chunked.as_bytes()).unwrap(), body.as_bytes());
        assert!(dechunk(body.as_bytes()).is_none());
    }

    #[test]
    fn gzip_payload_is_bounded() {
        let text = "نص الخبر ".repeat(1000);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(text.as_bytes()).unwrap();
        let gz = gz.finish().unwrap();
        assert_eq!(
            decompress(&gz, "gzip", 1 << 20).unwrap().as_ref(),
            text.as_bytes()
        );
        assert_eq!(decompress(&gz, "gzip", 100), Err(PayloadError::TooLarge));
        assert!(matches!(
            decompress(&gz[..gz.len() / 2], "gzip", 1 << 20),
            Err(PayloadError::Corrupt(_))
        ));
        assert!(matches!(
            decompress(b"x", "br", 10),
            Err(PayloadError::Unsupported(_))
        ));
        assert_eq!(
            decompress(text.as_bytes(), "gzip", 1 << 20)
                .unwrap()
                .as_ref(),
            text.as_bytes()
        );
    }
}
