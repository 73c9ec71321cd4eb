//! The records `rasd cluster` and `rasd similar` read: one JSON object per
//! line in, a typed [`ArticleIn`] / [`PairIn`] (or an [`InputError`]) out.
//!
//! Field names follow rasd's article JSON (`title`, `body`, `published`) and
//! also accept SaudiNewsNet's (`content`, `date_extracted`), so the corpus can
//! be clustered as it is.

use serde::Deserialize;

/// Longest text kept per field: a hostile 100 MB "title" must not stall the
/// stream; news leads say what the story is.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

/// One article to cluster.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ArticleIn {
    #[serde(default, deserialize_with = "id_string")]
    pub id: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default, alias = "content")]
    pub body: Option<String>,
    /// ISO 8601 date or date-time; absent or unparsable means dateless.
    #[serde(default, alias = "date_extracted")]
    pub published: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    /// ISO 639 code when the producer knows it ("ar", "ara" and "ar-SA"
    /// are one language); detected otherwise. A story keeps to one language
    /// (duplicate groups and identical bodies join by construction).
    #[serde(default)]
    pub lang: Option<String>,
    /// A duplicate group from `rasd dedup`: members always share a story.
    #[serde(default, alias = "duplicate_group", deserialize_with = "id_string")]
    pub group: Option<String>,
}

/// One pair for `rasd similar`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct PairIn {
    #[serde(default, deserialize_with = "id_string")]
    pub id: Option<String>,
    pub a: ArticleIn,
    pub b: ArticleIn,
}

/// Why a line could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("line {line}: not a JSON object of the expected shape: {source}")]
    Json {
        line: usize,
        #[source]
        source: serde_json::Error,
    },
}

/// Parses one JSONL line (`line` is 1-based, for the message) and bounds its fields.
pub fn parse_article(text: &str, line: usize) -> Result<ArticleIn, InputError> {
    let mut article: ArticleIn =
        serde_json::from_str(text).map_err(|source| InputError::Json { line, source })?;
    article.bound();
    Ok(article)
}

/// Parses one `{"id","a","b"}` line and bounds its fields.
pub fn parse_pair(text: &str, line: usize) -> Result<PairIn, InputError> {
    let mut pair: PairIn =
        serde_json::from_str(text).map_err(|source| InputError::Json { line, source })?;
    pair.a.bound();
    pair.b.bound();
    Ok(pair)
}

impl ArticleIn {
    /// Truncates every text field to [`MAX_FIELD_BYTES`] at a char boundary.
    pub fn bound(&mut self) {
        for text in [&mut self.title, &mut self.body, &mut self.published]
            .into_iter()
            .flatten()
        {
            truncate_at_char(text, MAX_FIELD_BYTES);
        }
    }
}

fn truncate_at_char(text: &mut String, max: usize) {
    if text.len() > max {
        let mut cut = max;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
}

/// Accepts ids written as strings or numbers.
fn id_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(other) => Some(other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rasd_and_saudinewsnet_fields() {
        let a = parse_article(
            r#"{"id":7,"title":"بايدن يستقبل الكاظمي","body":"نص","published":"2021-07-26","source":"x"}"#,
            1,
        )
        .unwrap();
        assert_eq!(a.id.as_deref(), Some("7"));
        assert_eq!(a.body.as_deref(), Some("نص"));
        let b = parse_article(
            r#"{"url":"u","title":"ت","content":"نص الخبر","date_extracted":"2015-07-21 02:51:32","duplicate_group":3}"#,
            2,
        )
        .unwrap();
        assert_eq!(b.body.as_deref(), Some("نص الخبر"));
        assert_eq!(b.published.as_deref(), Some("2015-07-21 02:51:32"));
        assert_eq!(b.group.as_deref(), Some("3"));
    }

    #[test]
    fn bad_lines_name_the_line() {
        let err = parse_article("{\"title\": [1,2]}", 9).unwrap_err();
        assert!(err.to_string().starts_with("line 9:"), "{err}");
        assert!(parse_article("\u{0}\u{1}binary", 3).is_err());
    }

    #[test]
    fn giant_fields_are_bounded() {
        let long = "خبر ".repeat(MAX_FIELD_BYTES);
        let line = serde_json::json!({ "title": long }).to_string();
        let a = parse_article(&line, 1).unwrap();
        assert!(a.title.unwrap().len() <= MAX_FIELD_BYTES);
    }
}
