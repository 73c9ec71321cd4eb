//! What an input is, from its first bytes and its name.
//!
//! In: the first few KB of a file (after decompression) and its file name.
//! Out: the compression, the container kind (WARC, JSON Lines, HTML, text)
//! and whether bytes are binary rather than text. Content wins over the
//! extension, except that `.html`/`.htm` and `.jsonl` names are believed.

/// How many leading bytes the kind and binary checks look at.
pub(crate) const SNIFF_BYTES: usize = 8192;

/// A compression recognised by its magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Compression {
    None,
    Gzip,
    /// Recognised but not read (zstd, bzip2, xz, zip), named for the error.
    Unsupported(&'static str),
}

pub(crate) fn compression(prefix: &[u8]) -> Compression {
    match prefix {
        [0x1f, 0x8b, ..] => Compression::Gzip,
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Compression::Unsupported("zstd"),
        [b'B', b'Z', b'h', ..] => Compression::Unsupported("bzip2"),
        [0xfd, b'7', b'z', b'X', b'Z', 0x00, ..] => Compression::Unsupported("xz"),
        [b'P', b'K', 0x03, 0x04, ..] => Compression::Unsupported("zip"),
        _ => Compression::None,
    }
}

/// The container an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InputKind {
    Warc,
    Jsonl,
    Html,
    Text,
}

/// The kind of an input from its first bytes and its file name with any
/// `.gz` already removed (`page.html`, `dump.warc`).
pub(crate) fn input_kind(prefix: &[u8], name: &str) -> InputKind {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let start = skip_bom_and_space(prefix);
    if start.starts_with(b"WARC/") {
        return InputKind::Warc;
    }
    if matches!(ext.as_str(), "jsonl" | "ndjson") || first_line_is_json_object(start) {
        return InputKind::Jsonl;
    }
    if matches!(ext.as_str(), "html" | "htm" | "xhtml" | "shtml") {
        return InputKind::Html;
    }
    let strict = matches!(ext.as_str(), "txt" | "text" | "wet");
    if looks_html(start, strict) {
        InputKind::Html
    } else {
        InputKind::Text
    }
}

fn skip_bom_and_space(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let lead = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &bytes[lead..]
}

fn first_line_is_json_object(start: &[u8]) -> bool {
    let line = match memchr::memchr(b'\n', start) {
        Some(end) => &start[..end],
        None => start,
    };
    let line = line.trim_ascii_end();
    // A line cut by the sniff window still counts if it opens an object
    // with a quoted key, as every JSONL record does.
    line.starts_with(b"{")
        && (line.ends_with(b"}")
            || line
                .get(1..)
                .is_some_and(|r| r.trim_ascii_start().starts_with(b"\"")))
}

/// Whether a document looks like HTML: a doctype or `<html>` at the start,
/// or (unless `strict`, for text-dump names) `<head>`/`<body>` or several
/// common block tags in the first KBs.
pub(crate) fn looks_html(start: &[u8], strict: bool) -> bool {
    let head = start[..start.len().min(SNIFF_BYTES)].to_ascii_lowercase();
    let trimmed = skip_bom_and_space(&head);
    if trimmed.starts_with(b"<!doctype html") || trimmed.starts_with(b"<html") {
        return true;
    }
    if trimmed.starts_with(b"<?xml") && memchr::memmem::find(&head, b"<html").is_some() {
        return true;
    }
    if strict {
        return false;
    }
    if [&b"<html"[..], b"<head", b"<body"]
        .iter()
        .any(|t| memchr::memmem::find(&head, t).is_some())
    {
        return true;
    }
    let tags = [
        &b"<p>"[..],
        b"<p ",
        b"<div",
        b"<br",
        b"<a href",
        b"</p>",
        b"<span",
        b"<meta",
        b"<script",
    ];
    let count: usize = tags
        .iter()
        .map(|t| memchr::memmem::find_iter(&head, t).count())
        .sum();
    count >= 3
}

/// Why bytes are not text, if they are not: a known binary signature, NUL
/// bytes, or many control characters. UTF-16 (with or without a byte-order
/// mark) is text.
pub(crate) fn binary_reason(bytes: &[u8]) -> Option<&'static str> {
    let sample = &bytes[..bytes.len().min(SNIFF_BYTES)];
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"%PDF-", "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"PK\x03\x04", "a zip archive"),
        (b"\x7FELF", "an executable"),
        (b"RIFF", "a RIFF media file"),
        (b"\x00\x00\x01\x00", "an icon"),
        (b"wOF", "a web font"),
    ];
    if let Some((_, what)) = SIGNATURES
        .iter()
        .find(|(magic, _)| sample.starts_with(magic))
    {
        return Some(what);
    }
    let has_nul = memchr::memchr(0, sample).is_some();
    let controls = sample
        .iter()
        .filter(|&&b| matches!(b, 0x01..=0x08 | 0x0E..=0x1A | 0x1C..=0x1F | 0x7F))
        .count();
    let many_controls = controls * 20 > sample.len();
    if !has_nul && !many_controls {
        return None;
    }
    // UTF-16 text is full of NULs (ASCII) or 0x06 bytes (Arabic).
    if encoding_rs::Encoding::for_bom(sample).is_some()
        || crate::decode::utf16_without_bom(sample).is_some()
    {
        return None;
    }
    Some(if has_nul {
        "binary data (NUL bytes)"
    } else {
        "binary data (control characters)"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_content_and_name() {
        assert_eq!(
            input_kind(b"WARC/1.1\r\nWARC-Type: warcinfo\r\n", "x.bin"),
            InputKind::Warc
        );
        assert_eq!(
            input_kind(b"\n{\"title\": \"\xd8\xae\xd8\xa8\xd8\xb1\"}\n", "a.txt"),
            InputKind::Jsonl
        );
        assert_eq!(
            input_kind(b"{\"html\": \"<p>cut by the wind", "dump"),
            InputKind::Jsonl
        );
        assert_eq!(
            input_kind(b"<!DOCTYPE html><html>", "page"),
            InputKind::Html
        );
        assert_eq!(
            input_kind("عنوان الخبر\n\nنص".as_bytes(), "a.html"),
            InputKind::Html
        );
        assert_eq!(
            input_kind("عنوان الخبر\n\nنص الخبر".as_bytes(), "a"),
            InputKind::Text
        );
        assert_eq!(
            input_kind(b"<div>a</div><div>b</div><p>c</p>", "page"),
            InputKind::Html
        );
        assert_eq!(
            input_kind("كتب <p> و <br> و <div> في الخبر".as_bytes(), "seed.txt"),
            InputKind::Text
        );
    }

    #[test]
    fn compression_by_magic() {
        assert_eq!(compression(&[0x1f, 0x8b, 8, 0]), Compression::Gzip);
        assert_eq!(compression(b"BZh91AY"), Compression::Unsupported("bzip2"));
        assert_eq!(compression("نص".as_bytes()), Compression::None);
    }

    #[test]
    fn binary_and_text() {
        assert!(binary_reason(b"\x89PNG\r\n\x1a\n....").is_some());
        assert!(binary_reason(b"abc\0def").is_some());
        assert!(binary_reason(&[1, 2, 3, 4, 5, 6, 7, 8, b'a', b'b']).is_some());
        assert!(binary_reason("خبر عاجل\r\n\tنص".as_bytes()).is_none());
        let utf16: Vec<u8> = "خبر عاجل من الرياض"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(binary_reason(&utf16).is_none());
    }
}
