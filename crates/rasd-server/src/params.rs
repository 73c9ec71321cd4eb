//! Query-string parameters: the raw query in, typed and bounded values out,
//! or a 400 whose message names the parameter and the rule it broke (never
//! echoing the value). Unknown parameters are ignored; a repeated one keeps
//! its first value.

use crate::error::ApiError;

/// Longest query string accepted as a whole.
pub const MAX_QUERY_STRING: usize = 8 * 1024;
/// Longest search text (`q`), in bytes.
pub const MAX_QUERY_TEXT: usize = 1_000;
/// Longest other text parameter (a source, a name), in bytes.
pub const MAX_TEXT_PARAM: usize = 200;
/// The page size when none is asked for, and the largest one allowed.
pub const DEFAULT_LIMIT: u64 = 20;
pub const MAX_LIMIT: u64 = 100;
/// The deepest page: beyond it the store would scan for nothing a reader needs.
pub const MAX_OFFSET: u64 = 100_000;

/// Decoded query parameters.
#[derive(Debug, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Decodes `raw` (the part after `?`).
    pub fn parse(raw: Option<&str>) -> Result<Params, ApiError> {
        let raw = raw.unwrap_or("");
        if raw.len() > MAX_QUERY_STRING {
            return Err(ApiError::BadRequest(format!(
                "the query string is longer than {MAX_QUERY_STRING} bytes"
            )));
        }
        let pairs = form_urlencoded::parse(raw.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Ok(Params { pairs })
    }

    fn raw(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A text parameter, trimmed; empty counts as absent.
    pub fn text(&self, name: &str, max_bytes: usize) -> Result<Option<String>, ApiError> {
        let Some(value) = self.raw(name).map(str::trim).filter(|v| !v.is_empty()) else {
            return Ok(None);
        };
        if value.len() > max_bytes {
            return Err(ApiError::BadRequest(format!(
                "parameter `{name}` is longer than {max_bytes} bytes"
            )));
        }
        if value.chars().any(|c| c.is_control()) {
            return Err(ApiError::BadRequest(format!(
                "parameter `{name}` contains control characters"
            )));
        }
        Ok(Some(value.to_string()))
    }

    /// An unsigned integer in `min..=max`, or `default` when absent.
    pub fn u64(&self, name: &str, default: u64, min: u64, max: u64) -> Result<u64, ApiError> {
        match self.raw(name).map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(default),
            Some(v) => v
                .parse::<u64>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| {
                    ApiError::BadRequest(format!(
                        "parameter `{name}` must be an integer from {min} to {max}"
                    ))
                }),
        }
    }

    /// An id (a signed integer), when present.
    pub fn id(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.raw(name).map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => parse_id(v)
                .map(Some)
                .ok_or_else(|| ApiError::BadRequest(format!("parameter `{name}` must be an id"))),
        }
    }

    /// A day `YYYY-MM-DD`, when present.
    pub fn date(&self, name: &str) -> Result<Option<String>, ApiError> {
        match self.raw(name).map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) if is_day(v) => Ok(Some(v.to_string())),
            Some(_) => Err(ApiError::BadRequest(format!(
                "parameter `{name}` must be a date YYYY-MM-DD"
            ))),
        }
    }

    /// A flag: `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off`.
    pub fn flag(&self, name: &str, default: bool) -> Result<bool, ApiError> {
        match self.raw(name).map(str::trim) {
            None | Some("") => Ok(default),
            Some("1" | "true" | "yes" | "on") => Ok(true),
            Some("0" | "false" | "no" | "off") => Ok(false),
            Some(_) => Err(ApiError::BadRequest(format!(
                "parameter `{name}` must be true or false"
            ))),
        }
    }

    /// `limit` and `offset`.
    pub fn page(&self) -> Result<Paging, ApiError> {
        Ok(Paging {
            limit: self.u64("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)?,
            offset: self.u64("offset", 0, 0, MAX_OFFSET)?,
        })
    }
}

/// One page of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub limit: u64,
    pub offset: u64,
}

impl Paging {
    /// Rows to ask the store for: one more than shown, to know whether a next page exists.
    pub fn probe(&self) -> u64 {
        self.limit + 1
    }

    /// Cuts the probe row off and wraps the items with the paging fields.
    pub fn wrap<T: serde::Serialize>(&self, mut items: Vec<T>) -> serde_json::Value {
        let more = items.len() as u64 > self.limit;
        items.truncate(self.limit as usize);
        serde_json::json!({
            "items": items,
            "limit": self.limit,
            "offset": self.offset,
            "next_offset": more.then_some(self.offset + self.limit),
        })
    }
}

/// An integer id as it appears in a path or parameter.
pub fn parse_id(text: &str) -> Option<i64> {
    if text.is_empty() || text.len() > 19 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// An article id as it appears in a path: short, printable ASCII.
pub fn check_article_id(text: &str) -> Result<(), ApiError> {
    if text.is_empty()
        || text.len() > 128
        || !text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
    {
        return Err(ApiError::BadRequest("malformed article id".into()));
    }
    Ok(())
}

/// `YYYY-MM-DD` with a month 01–12 and a day 01–31.
fn is_day(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| b[r.clone()].iter().all(u8::is_ascii_digit);
    if !(digits(0..4) && digits(5..7) && digits(8..10)) {
        return false;
    }
    let month: u32 = text[5..7].parse().unwrap_or(0);
    let day: u32 = text[8..10].parse().unwrap_or(0);
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_text_is_decoded_and_trimmed() {
        let p = Params::parse(Some("q=%D9%88%D8%B2%D9%8A%D8%B1+%20&source=sabq")).unwrap();
        assert_eq!(
            p.text("q", MAX_QUERY_TEXT).unwrap().as_deref(),
            Some("وزير")
        );
        assert_eq!(p.text("source", 10).unwrap().as_deref(), Some("sabq"));
        assert_eq!(p.text("missing", 10).unwrap(), None);
    }

    #[test]
    fn bounds_are_enforced_without_echoing_the_value() {
        let p = Params::parse(Some("limit=101&offset=-1&since=2015-13-01&flag=maybe")).unwrap();
        let err = p.page().unwrap_err().to_string();
        assert!(err.contains("limit") && !err.contains("101"), "{err}");
        assert!(p.date("since").is_err());
        assert!(p.flag("flag", false).is_err());
        let long = format!("q={}", "ب".repeat(600));
        let p = Params::parse(Some(&long)).unwrap();
        assert!(p.text("q", MAX_QUERY_TEXT).is_err());
    }

    #[test]
    fn paging_reports_a_next_page_only_when_there_is_one() {
        let paging = Params::parse(Some("limit=2")).unwrap().page().unwrap();
        let v = paging.wrap(vec![1, 2, 3]);
        assert_eq!(v["items"].as_array().unwrap().len(), 2);
        assert_eq!(v["next_offset"], 2);
        assert!(paging.wrap(vec![1, 2])["next_offset"].is_null());
    }

    #[test]
    fn ids_and_days_are_checked() {
        assert_eq!(parse_id("42"), Some(42));
        assert_eq!(parse_id("-1"), None);
        assert_eq!(parse_id("٤٢"), None);
        assert!(check_article_id("a1b2-c3").is_ok());
        assert!(check_article_id("<script>").is_err());
        assert!(is_day("2015-07-21") && !is_day("2015-7-21"));
    }
}
