//! Deterministic identities: page keys, content hashes and article ids.
//!
//! In: a page's URL/origin, the article's position on that page and its
//! content. Out: an [`ArticleKey`].
//!
//! The scheme (stable across runs, machines and thread counts):
//! - **page key** = the page's URL when known, else the input's own article
//!   id, else its origin (`path` or `path#record`), trimmed;
//! - **content hash** = xxh3-128 (hex) of title, body, published, source and
//!   lang joined by U+001F, each absent field written as U+0000, so a
//!   changed headline or date is a new version while re-reading the same
//!   input is not;
//! - **article id** = the first 16 hex digits (64 bits) of
//!   xxh3-128(page key ‖ 0x00 ‖ position as decimal ‖ 0x00 ‖ content hash).
//!
//! The same page read twice gives the same ids (so ingest is idempotent); a
//! page whose content changed gives a new id for the changed article, stored
//! as the next version of the same (page key, position) slot.

use rasd_model::Article;
use xxhash_rust::xxh3::xxh3_128;

/// Field separator inside hashed content: a control character no text field carries.
const FIELD_SEPARATOR: char = '\u{1f}';
/// Marker of an absent optional field, so `None` and `Some("")` hash apart.
const ABSENT: char = '\u{0}';

/// Where an article sits and what it says, reduced to stable hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleKey {
    /// The public article id: 16 lowercase hex digits.
    pub id: String,
    /// The page's identity (URL, else input id, else origin).
    pub page_key: String,
    /// The article's position on its page, 0 for the main article.
    pub position: u32,
    /// xxh3-128 of the article's content, 32 hex digits.
    pub content_hash: String,
}

impl ArticleKey {
    /// Computes the key of `article` found at `position` on the page named
    /// by `url`/`origin` (see the module doc for the scheme).
    pub fn new(article: &Article, position: u32) -> ArticleKey {
        let page_key = page_key(
            article.url.as_deref(),
            article.id.as_deref(),
            article.path.as_deref().unwrap_or(""),
        );
        let content_hash = article_content_hash(article);
        let id = article_id(&page_key, position, &content_hash);
        ArticleKey {
            id,
            page_key,
            position,
            content_hash,
        }
    }
}

/// The page's identity: its URL, else an id the input gave, else its origin.
pub fn page_key(url: Option<&str>, input_id: Option<&str>, origin: &str) -> String {
    [url, input_id]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|s| !s.is_empty())
        .unwrap_or(origin.trim())
        .to_string()
}

/// xxh3-128 of the article's content fields, as 32 hex digits.
pub fn article_content_hash(article: &Article) -> String {
    let mut text = String::with_capacity(article.body.len() + 128);
    for field in [
        article.title.as_deref(),
        Some(article.body.as_str()),
        article.published.as_deref(),
        article.source.as_deref(),
        article.lang.as_deref(),
    ] {
        match field {
            Some(value) => text.push_str(value),
            None => text.push(ABSENT),
        }
        text.push(FIELD_SEPARATOR);
    }
    hex128(xxh3_128(text.as_bytes()))
}

/// xxh3-128 of arbitrary bytes (a fetched page), as 32 hex digits.
pub fn bytes_hash(bytes: &[u8]) -> String {
    hex128(xxh3_128(bytes))
}

/// xxh3-128 of the body's matching key (`rasd_text::normalize::matching_key`), as 32 hex digits.
pub fn body_key_hash(body: &str) -> String {
    hex128(xxh3_128(
        rasd_text::normalize::matching_key(body).as_bytes(),
    ))
}

/// The article id for a (page key, position, content hash) triple.
pub fn article_id(page_key: &str, position: u32, content_hash: &str) -> String {
    let mut text = String::with_capacity(page_key.len() + content_hash.len() + 16);
    text.push_str(page_key);
    text.push('\0');
    text.push_str(&position.to_string());
    text.push('\0');
    text.push_str(content_hash);
    let full = hex128(xxh3_128(text.as_bytes()));
    full[..16].to_string()
}

fn hex128(value: u128) -> String {
    format!("{value:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn article(url: &str, title: &str, body: &str) -> Article {
        Article {
            url: Some(url.into()),
            path: Some("news.jsonl#3".into()),
            title: Some(title.into()),
            body: body.into(),
            published: Some("2015-07-21".into()),
            source: Some("سبق".into()),
            lang: Some("ar".into()),
            ..Article::default()
        }
    }

    #[test]
    fn the_same_article_read_twice_has_the_same_id() {
        let a = article(
            "https://sabq.org/1",
            "أمير الرياض يستقبل",
            "استقبل أمير منطقة الرياض.",
        );
        assert_eq!(ArticleKey::new(&a, 0), ArticleKey::new(&a.clone(), 0));
        assert_eq!(ArticleKey::new(&a, 0).id.len(), 16);
    }

    #[test]
    fn a_changed_headline_is_a_new_version_of_the_same_slot() {
        let a = article("https://sabq.org/1", "أمير الرياض يستقبل", "نص الخبر.");
        let b = article(
            "https://sabq.org/1",
            "أمير منطقة الرياض يستقبل",
            "نص الخبر.",
        );
        let (ka, kb) = (ArticleKey::new(&a, 0), ArticleKey::new(&b, 0));
        assert_eq!(ka.page_key, kb.page_key);
        assert_ne!(ka.id, kb.id);
    }

    #[test]
    fn position_and_page_separate_ids() {
        let a = article("https://sabq.org/1", "عنوان", "نص.");
        let other_page = article("https://sabq.org/2", "عنوان", "نص.");
        assert_ne!(ArticleKey::new(&a, 0).id, ArticleKey::new(&a, 1).id);
        assert_ne!(
            ArticleKey::new(&a, 0).id,
            ArticleKey::new(&other_page, 0).id
        );
    }

    #[test]
    fn page_key_falls_back_from_url_to_input_id_to_origin() {
        assert_eq!(page_key(Some(" u "), Some("i"), "o"), "u");
        assert_eq!(page_key(Some(""), Some("i"), "o"), "i");
        assert_eq!(page_key(None, None, "dir/خبر.txt"), "dir/خبر.txt");
    }

    #[test]
    fn absent_and_empty_fields_hash_apart() {
        let mut a = article("u", "عنوان", "نص");
        let with_empty = a.clone();
        a.source = None;
        let mut b = with_empty.clone();
        b.source = Some(String::new());
        assert_ne!(article_content_hash(&a), article_content_hash(&b));
    }

    #[test]
    fn body_key_hash_ignores_harakat_and_tatweel() {
        assert_eq!(
            body_key_hash("الخَبَرُ العاجـــل"),
            body_key_hash("الخبر العاجل")
        );
    }

    proptest! {
        #[test]
        fn ids_are_sixteen_hex_digits(key in ".*", pos in 0u32..10, body in ".*") {
            let id = article_id(&key, pos, &bytes_hash(body.as_bytes()));
            prop_assert_eq!(id.len(), 16);
            prop_assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        }
    }
}
