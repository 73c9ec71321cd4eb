//! Bytes of a page → Unicode text, with the encoding and why it was chosen.
//!
//! In: raw bytes and, when known, the charset an HTTP header declared.
//! Out: [`Decoded`] text. Order of trust: a byte-order mark; a declared
//! UTF-16 label; the UTF-16 byte pattern; bytes that are (almost all)
//! valid UTF-8, whatever a label says; the declared charset; `<meta
//! charset>` in the first 4 KB; then chardetng's guess (with the URL's
//! top-level domain as a hint).
//! Invariant: the same Arabic text in UTF-8, UTF-16, windows-1256 or
//! ISO-8859-6 decodes to the same string.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// How many leading bytes are searched for `<meta charset>` (as browsers do).
const META_PRESCAN_BYTES: usize = 4096;
/// How many bytes chardetng looks at; enough for a confident guess.
const DETECT_BYTES: usize = 256 * 1024;
/// How many leading bytes the BOM-less UTF-16 check looks at.
const UTF16_SNIFF_BYTES: usize = 4096;

/// Why [`Decoded::encoding`] was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EncodingSource {
    /// A byte-order mark at the start.
    Bom,
    /// The charset declared outside the bytes (HTTP `Content-Type`).
    Declared,
    /// `<meta charset>` or `<meta http-equiv="content-type">` in the page.
    Meta,
    /// Guessed from the bytes (chardetng, or the UTF-16 pattern).
    Detected,
    /// The bytes are (almost all) valid UTF-8, so UTF-8 was trusted over
    /// any label.
    Utf8,
}

/// A page's text after decoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The WHATWG name of the encoding used (`UTF-8`, `windows-1256`, …).
    pub encoding: &'static str,
    pub source: EncodingSource,
    /// Whether some bytes were malformed and replaced with U+FFFD.
    pub had_errors: bool,
}

/// Decodes `bytes`, honouring a declared charset (a label like
/// `windows-1256`, or a whole `Content-Type` value carrying `charset=`).
///
/// ```
/// use rasd_sources::{decode, EncodingSource};
/// let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode("خبر عاجل");
/// let d = decode(&bytes, Some("text/html; charset=windows-1256"));
/// assert_eq!(d.text, "خبر عاجل");
/// assert_eq!(d.source, EncodingSource::Declared);
/// ```
pub fn decode(bytes: &[u8], declared: Option<&str>) -> Decoded {
    decode_with_hint(bytes, declared, None)
}

/// [`decode`] with the page's top-level domain (`sa`, `eg`, `com`) as a
/// hint for detection when nothing is declared.
pub fn decode_with_hint(bytes: &[u8], declared: Option<&str>, tld: Option<&str>) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return decode_as(&bytes[bom_len..], encoding, EncodingSource::Bom);
    }
    let declared = declared.and_then(encoding_for_label);
    if let Some(enc) = declared.filter(|e| is_utf16(e)) {
        return decode_as(bytes, enc, EncodingSource::Declared);
    }
    // Before the UTF-8 check: Arabic and ASCII in UTF-16 are all bytes
    // below 0x80, so they would pass for (odd) ASCII.
    if let Some(enc) = utf16_without_bom(bytes) {
        return decode_as(bytes, enc, EncodingSource::Detected);
    }
    let label = declared
        .map(|e| (e, EncodingSource::Declared))
        .or_else(|| meta_charset(bytes).map(|e| (e, EncodingSource::Meta)));

    match utf8_shape(bytes) {
        Utf8Shape::Ascii => {
            // Every ASCII-compatible label decodes ASCII the same way; keep
            // the label's name so callers see what the page said.
            let (enc, source) = label.unwrap_or((UTF_8, EncodingSource::Utf8));
            decode_as(bytes, enc, source)
        }
        Utf8Shape::Valid | Utf8Shape::Mostly => {
            let source = match label {
                Some((enc, source)) if enc == UTF_8 => source,
                _ => EncodingSource::Utf8,
            };
            decode_as(bytes, UTF_8, source)
        }
        Utf8Shape::Not => {
            if let Some((enc, source)) = label {
                return decode_as(bytes, enc, source);
            }
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(&bytes[..bytes.len().min(DETECT_BYTES)], true);
            let tld = tld
                .map(str::as_bytes)
                .filter(|t| t.iter().all(u8::is_ascii_alphanumeric));
            let enc = detector.guess(tld, chardetng::Utf8Detection::Allow);
            decode_as(bytes, enc, EncodingSource::Detected)
        }
    }
}

fn decode_as(bytes: &[u8], encoding: &'static Encoding, source: EncodingSource) -> Decoded {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        source,
        had_errors,
    }
}

/// The encoding for a charset label or a `Content-Type` value, if known.
pub(crate) fn encoding_for_label(declared: &str) -> Option<&'static Encoding> {
    let label = charset_param(declared).unwrap_or(declared);
    let label = label.trim().trim_matches(|c| c == '"' || c == '\'');
    Encoding::for_label_no_replacement(label.as_bytes())
}

/// The `charset=` parameter of a `Content-Type` value.
pub(crate) fn charset_param(content_type: &str) -> Option<&str> {
    let lower = content_type.to_ascii_lowercase();
    let at = lower.find("charset=")? + "charset=".len();
    let rest = &content_type[at..];
    let rest = rest.trim_start().trim_start_matches(['"', '\'']);
    let end = rest
        .find(['"', '\'', ';', ',', ' ', '\t'])
        .unwrap_or(rest.len());
    Some(&rest[..end]).filter(|s| !s.is_empty())
}

fn is_utf16(e: &'static Encoding) -> bool {
    e == UTF_16LE || e == UTF_16BE
}

/// The charset of a `<meta>` tag in the first 4 KB, following the HTML
/// rule that a UTF-16 label inside the bytes means UTF-8 and
/// `x-user-defined` means windows-1252.
///
/// Written by hand because no crate in use offers the HTML prescan alone;
/// it only looks for `charset=` inside `<meta …>` tags.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes[..bytes.len().min(META_PRESCAN_BYTES)].to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&head[from..], b"<meta") {
        let tag_start = from + at;
        let tag_end =
            memchr::memchr(b'>', &head[tag_start..]).map_or(head.len(), |e| tag_start + e);
        let tag = String::from_utf8_lossy(&head[tag_start..tag_end]);
        if let Some(label) = charset_param(&tag) {
            let enc = Encoding::for_label_no_replacement(label.as_bytes())?;
            return Some(if is_utf16(enc) {
                UTF_8
            } else if enc.name() == "x-user-defined" {
                WINDOWS_1252
            } else {
                enc
            });
        }
        from = tag_end.max(tag_start + 1);
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Utf8Shape {
    /// Only ASCII bytes.
    Ascii,
    /// Valid UTF-8, possibly cut inside the last character.
    Valid,
    /// Valid UTF-8 but for a few bad bytes (at most one per four good
    /// multi-byte characters): a damaged UTF-8 page, not a legacy encoding.
    Mostly,
    Not,
}

fn utf8_shape(bytes: &[u8]) -> Utf8Shape {
    if bytes.is_ascii() {
        return Utf8Shape::Ascii;
    }
    match std::str::from_utf8(bytes) {
        Ok(_) => return Utf8Shape::Valid,
        // `error_len() == None` means the input ends inside a character:
        // a buffer cut short, still UTF-8.
        Err(e) if e.error_len().is_none() => return Utf8Shape::Valid,
        Err(_) => {}
    }
    let (mut multibyte, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    if multibyte >= 4 && invalid * 4 <= multibyte {
        Utf8Shape::Mostly
    } else {
        Utf8Shape::Not
    }
}

/// UTF-16 without a byte-order mark, recognised by its pattern of high
/// bytes: 0x00 (ASCII) or 0x06 (Arabic) in every other byte.
pub(crate) fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(UTF16_SNIFF_BYTES) & !1];
    let pairs = sample.len() / 2;
    // Cheap exit for the common case: UTF-16 of ASCII has NULs, of Arabic 0x06s.
    if pairs < 4 || memchr::memchr2(0x00, 0x06, sample).is_none() {
        return None;
    }
    let looks_like = |high: usize| {
        sample
            .chunks_exact(2)
            .filter(|p| matches!(p[high], 0x00 | 0x06) && p[1 - high] != 0)
            .count()
    };
    let (le, be) = (looks_like(1), looks_like(0));
    let enough = |n: usize| n * 10 >= pairs * 8;
    match (enough(le), enough(be)) {
        (true, false) => Some(UTF_16LE),
        (false, true) => Some(UTF_16BE),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{ISO_8859_6, WINDOWS_1256};
    use proptest::prelude::*;

    const PARAGRAPH: &str = "أعلنت وزارة الخارجية، يوم الاثنين، أن الوفد سيصل إلى الرياض \
        في زيارة رسمية تستمر ثلاثة أيام، لبحث التعاون الاقتصادي والأمني بين البلدين.";

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units = bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16());
        for unit in units {
            out.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        out
    }

    #[test]
    fn every_arabic_encoding_gives_the_same_text() {
        let (cp1256, _, lossy) = WINDOWS_1256.encode(PARAGRAPH);
        assert!(!lossy);
        let (iso, _, lossy) = ISO_8859_6.encode("أعلنت الوزارة، يوم الاثنين، أن الوفد سيصل.");
        assert!(!lossy);

        let cases: Vec<(Vec<u8>, Option<&str>, &str)> = vec![
            (PARAGRAPH.as_bytes().to_vec(), None, PARAGRAPH),
            (
                [&[0xEF, 0xBB, 0xBF][..], PARAGRAPH.as_bytes()].concat(),
                None,
                PARAGRAPH,
            ),
            (utf16(PARAGRAPH, false, true), None, PARAGRAPH),
            (utf16(PARAGRAPH, true, true), None, PARAGRAPH),
            (utf16(PARAGRAPH, false, false), Some("utf-16le"), PARAGRAPH),
            (utf16(PARAGRAPH, false, false), None, PARAGRAPH),
            (utf16(PARAGRAPH, true, false), None, PARAGRAPH),
            (cp1256.to_vec(), Some("windows-1256"), PARAGRAPH),
            (cp1256.to_vec(), None, PARAGRAPH),
            (
                iso.to_vec(),
                Some("iso-8859-6"),
                "أعلنت الوزارة، يوم الاثنين، أن الوفد سيصل.",
            ),
        ];
        for (i, (bytes, declared, want)) in cases.iter().enumerate() {
            let d = decode(bytes, *declared);
            assert_eq!(
                &d.text, want,
                "case {i}: decoded as {} ({:?})",
                d.encoding, d.source
            );
            assert!(!d.had_errors, "case {i}");
        }
    }

    #[test]
    fn undeclared_windows_1256_is_detected_with_tld_hint() {
        let (bytes, _, _) = WINDOWS_1256.encode(PARAGRAPH);
        let d = decode_with_hint(&bytes, None, Some("sa"));
        assert_eq!(d.encoding, "windows-1256");
        assert_eq!(d.source, EncodingSource::Detected);
        assert_eq!(d.text, PARAGRAPH);
    }

    #[test]
    fn meta_charset_is_honoured() {
        let html = format!("<html><head><meta charset=\"windows-1256\"><title>{PARAGRAPH}</title>");
        let (bytes, _, _) = WINDOWS_1256.encode(&html);
        let d = decode(&bytes, None);
        assert_eq!(
            (d.encoding, d.source),
            ("windows-1256", EncodingSource::Meta)
        );
        assert_eq!(d.text, html);

        let http_equiv = "<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=ISO-8859-6\"><p>مرحبا</p>";
        let (bytes, _, _) = ISO_8859_6.encode(http_equiv);
        let d = decode(&bytes, None);
        assert_eq!((d.encoding, d.source), ("ISO-8859-6", EncodingSource::Meta));
        assert_eq!(d.text, http_equiv);
    }

    #[test]
    fn utf8_cut_mid_character_stays_utf8() {
        let bytes = PARAGRAPH.as_bytes();
        // Cut inside the last two-byte Arabic letter.
        let cut = &bytes[..bytes.len() - 2];
        assert!(std::str::from_utf8(cut).is_err());
        let d = decode(cut, None);
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.starts_with("أعلنت وزارة الخارجية"));
    }

    #[test]
    fn mostly_utf8_is_decoded_as_utf8_with_replacements() {
        let mut bytes = PARAGRAPH.as_bytes().to_vec();
        bytes.insert(20, 0xFF);
        bytes.insert(60, 0xC0);
        let d = decode(&bytes, None);
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.had_errors);
        assert!(d.text.contains('\u{FFFD}'));
        assert!(d.text.contains("الخارجية"));
    }

    #[test]
    fn a_wrong_latin_label_loses_to_valid_utf8() {
        let html = format!("<meta charset=\"iso-8859-1\"><p>{PARAGRAPH}</p>");
        let d = decode(html.as_bytes(), None);
        assert_eq!((d.encoding, d.source), ("UTF-8", EncodingSource::Utf8));
        assert_eq!(d.text, html);
        let d = decode(PARAGRAPH.as_bytes(), Some("text/html; charset=ISO-8859-1"));
        assert_eq!(d.text, PARAGRAPH);
    }

    #[test]
    fn ascii_keeps_the_declared_label() {
        let d = decode(b"<p>hello</p>", Some("windows-1256"));
        assert_eq!(
            (d.encoding, d.source),
            ("windows-1256", EncodingSource::Declared)
        );
        assert_eq!(d.text, "<p>hello</p>");
    }

    #[test]
    fn charset_parameter_is_parsed() {
        assert_eq!(charset_param("text/html; charset=\"UTF-8\""), Some("UTF-8"));
        assert_eq!(
            charset_param("text/html;charset=windows-1256;x=y"),
            Some("windows-1256")
        );
        assert_eq!(charset_param("text/html"), None);
        assert!(encoding_for_label("bogus-charset").is_none());
    }

    proptest! {
        #[test]
        fn never_panics_and_valid_utf8_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..2048), s in "\\PC{0,200}") {
            let _ = decode(&bytes, None);
            let _ = decode(&bytes, Some("utf-16be"));
            let d = decode(s.as_bytes(), Some("windows-1252"));
            prop_assert_eq!(d.text, s);
        }
    }
}
