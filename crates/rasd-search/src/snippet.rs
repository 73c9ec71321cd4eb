//! Snippets: the passage of an article's body that best shows the matches.
//!
//! In: the body text and the query's unstemmed and stemmed terms. Out: a
//! plain-text excerpt (at most [`SNIPPET_CHARS`] characters) and the byte
//! ranges of the matched words in it. Unstemmed matches are preferred; a
//! body matched only through stems is excerpted around those; a body with
//! no match in its lead (the title matched) gives its opening.

use std::collections::BTreeMap;

use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;

/// Longest snippet, in characters.
pub const SNIPPET_CHARS: usize = 200;
/// Only this many leading bytes of a body are analyzed for the excerpt:
/// analyzing is the costliest part of a search page (every word of every
/// hit goes through the analyzer), news puts the matched words in the
/// lead, and a body matched further down gets its opening instead.
pub const SNIPPET_SCAN_BYTES: usize = 2_048;

/// Builds snippets for one query.
pub struct Snippets {
    exact: SnippetGenerator,
    stemmed: SnippetGenerator,
}

fn generator(terms: &[String], analyzer: TextAnalyzer, field: Field) -> SnippetGenerator {
    // Every term weighs the same: the passage with the most distinct
    // matches wins.
    let weights: BTreeMap<String, f32> = terms.iter().map(|t| (t.clone(), 1.0)).collect();
    SnippetGenerator::new(weights, analyzer, field, SNIPPET_CHARS)
}

impl Snippets {
    pub fn new(
        exact_terms: &[String],
        stem_terms: &[String],
        exact: (TextAnalyzer, Field),
        stemmed: (TextAnalyzer, Field),
    ) -> Snippets {
        Snippets {
            exact: generator(exact_terms, exact.0, exact.1),
            stemmed: generator(stem_terms, stemmed.0, stemmed.1),
        }
    }

    /// The excerpt of `body` and its highlighted byte ranges.
    pub fn of(&self, body: &str) -> (String, Vec<(usize, usize)>) {
        let body = lead(body);
        for generator in [&self.exact, &self.stemmed] {
            let snippet = generator.snippet(body);
            if !snippet.highlighted().is_empty() {
                let ranges = snippet
                    .highlighted()
                    .iter()
                    .map(|r| (r.start, r.end))
                    .collect();
                return (snippet.fragment().to_string(), ranges);
            }
        }
        (opening(body), Vec::new())
    }
}

/// The first [`SNIPPET_SCAN_BYTES`] bytes of `body`, cut on a character boundary.
fn lead(body: &str) -> &str {
    if body.len() <= SNIPPET_SCAN_BYTES {
        return body;
    }
    let mut end = SNIPPET_SCAN_BYTES;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    &body[..end]
}

/// The first [`SNIPPET_CHARS`] characters of `body`, cut after a word.
fn opening(body: &str) -> String {
    let Some((cut, _)) = body.char_indices().nth(SNIPPET_CHARS) else {
        return body.trim().to_string();
    };
    let head = &body[..cut];
    let end = head.rfind(char::is_whitespace).unwrap_or(cut);
    head[..end].trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyzer::{exact_analyzer, stemmed_analyzer};
    use tantivy::schema::Schema;

    fn snippets(exact: &[&str], stem: &[&str]) -> Snippets {
        let mut b = Schema::builder();
        let f = b.add_text_field("f", tantivy::schema::TEXT);
        let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Snippets::new(
            &own(exact),
            &own(stem),
            (exact_analyzer(), f),
            (stemmed_analyzer(), f),
        )
    }

    #[test]
    fn highlights_point_at_the_surface_form() {
        let body = "قال المتحدث إن وللقوات الأمريكية 2500 جندي في المنطقة.";
        let (text, ranges) = snippets(&["قوات", "2500"], &[]).of(body);
        let marked: Vec<&str> = ranges.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(marked, ["وللقوات", "2500"]);
    }

    #[test]
    fn stems_highlight_when_no_exact_form_matches() {
        let body = "بدأت المفاوضات بين الطرفين أمس.";
        let (text, ranges) = snippets(&["مفاوضه"], &["مفاوض"]).of(body);
        assert_eq!(ranges.len(), 1);
        assert_eq!(&text[ranges[0].0..ranges[0].1], "المفاوضات");
    }

    #[test]
    fn only_the_lead_of_a_long_body_is_searched() {
        let filler = "كلمة ".repeat(SNIPPET_SCAN_BYTES / 4);
        let early = format!("وصلت القوات صباحا. {filler}");
        let (text, ranges) = snippets(&["قوات"], &[]).of(&early);
        assert_eq!(&text[ranges[0].0..ranges[0].1], "القوات");
        let late = format!("{filler} وصلت القوات صباحا.");
        let (text, ranges) = snippets(&["قوات"], &[]).of(&late);
        assert!(ranges.is_empty() && text.starts_with("كلمة"));
    }

    #[test]
    fn no_match_gives_the_opening_cut_after_a_word() {
        let body = "كلمة ".repeat(100);
        let (text, ranges) = snippets(&["قوات"], &["قو"]).of(&body);
        assert!(ranges.is_empty());
        assert!(text.chars().count() <= SNIPPET_CHARS && text.ends_with("كلمة"));
    }
}
