//! The user's query syntax and its translation into a tantivy query.
//!
//! In: the query string (`words`, `"quoted phrases"`, `-excluded` words or
//! phrases) and the request's filters. Out: a tantivy query, plus the
//! terms to highlight. Each word matches, as any of its forms, in the title
//! or the body, unstemmed (boost 2) or stemmed (boost 1), titles counting
//! double; words combine as BM25 alternatives (an article with more of
//! them ranks higher), phrases and filters must match. Phrases match on
//! the unstemmed positions. Bounded: at most [`MAX_QUERY_CHARS`] characters
//! and [`MAX_TERMS`] terms, or a [`SearchError::Query`].

use std::ops::Bound;

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::Term;

use crate::analyzer::terms;
use crate::schema::{day_number, Fields};
use crate::{SearchError, SearchRequest};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Most terms (words and phrase words together) in one query.
pub const MAX_TERMS: usize = 32;

/// One part of the user's query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Word(String),
    Phrase(String),
    ExcludedWord(String),
    ExcludedPhrase(String),
}

/// Splits the query into words and phrases; quotes must be balanced.
pub fn parse(query: &str) -> Result<Vec<Part>, SearchError> {
    let chars = query.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(SearchError::Query(format!(
            "query is {chars} characters long; the limit is {MAX_QUERY_CHARS}"
        )));
    }
    // «» and “” are the quotes Arabic keyboards type.
    let normalized: String = query
        .chars()
        .map(|c| match c {
            '«' | '»' | '“' | '”' | '„' => '"',
            c => c,
        })
        .collect();
    if normalized.matches('"').count() % 2 == 1 {
        return Err(SearchError::Query("unbalanced quotes".into()));
    }
    let mut parts = Vec::new();
    let mut rest = normalized.as_str();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let excluded = rest.starts_with('-');
        if excluded {
            rest = &rest[1..];
            if rest.starts_with(char::is_whitespace) {
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix('"') {
            let end = after.find('"').unwrap_or(after.len());
            let phrase = after[..end].trim().to_string();
            rest = after.get(end + 1..).unwrap_or("");
            if !phrase.is_empty() {
                parts.push(if excluded {
                    Part::ExcludedPhrase(phrase)
                } else {
                    Part::Phrase(phrase)
                });
            }
        } else {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '"')
                .unwrap_or(rest.len());
            let word = rest[..end].to_string();
            rest = &rest[end..];
            if !word.is_empty() {
                parts.push(if excluded {
                    Part::ExcludedWord(word)
                } else {
                    Part::Word(word)
                });
            }
        }
    }
    if parts.is_empty() {
        return Err(SearchError::Query("empty query".into()));
    }
    Ok(parts)
}

/// The analyzers of the four text fields, taken from the index.
pub struct Analyzers {
    pub exact: TextAnalyzer,
    pub stemmed: TextAnalyzer,
}

/// A query ready to run, with what to highlight.
pub struct Compiled {
    pub query: Box<dyn Query>,
    /// Unstemmed and stemmed terms of the positive words and phrases.
    pub exact_terms: Vec<String>,
    pub stem_terms: Vec<String>,
    /// False when every word was a stop word: nothing can match.
    pub matchable: bool,
}

const EXACT_BOOST: f32 = 2.0;
const STEM_BOOST: f32 = 1.0;
const TITLE_BOOST: f32 = 2.0;

/// Translates `request` into a tantivy query over `fields`.
pub fn compile(
    request: &SearchRequest,
    fields: &Fields,
    analyzers: &mut Analyzers,
) -> Result<Compiled, SearchError> {
    let parts = parse(&request.query)?;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut words: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut exact_terms = Vec::new();
    let mut stem_terms = Vec::new();
    let mut term_count = 0;
    let mut positive = 0;
    let mut count = |n: usize| -> Result<(), SearchError> {
        term_count += n;
        if term_count > MAX_TERMS {
            return Err(SearchError::Query(format!(
                "too many terms; the limit is {MAX_TERMS}"
            )));
        }
        Ok(())
    };
    for part in &parts {
        match part {
            Part::Word(word) => {
                let exact = terms(&mut analyzers.exact, word);
                let stemmed = terms(&mut analyzers.stemmed, word);
                count(exact.len())?;
                for ((_, e), (_, s)) in exact.iter().zip(&stemmed) {
                    words.extend(word_clauses(fields, e, s));
                    exact_terms.push(e.clone());
                    stem_terms.push(s.clone());
                    positive += 1;
                }
            }
            Part::Phrase(text) => {
                let exact = terms(&mut analyzers.exact, text);
                count(exact.len())?;
                if exact.is_empty() {
                    continue;
                }
                let stemmed = terms(&mut analyzers.stemmed, text);
                exact_terms.extend(exact.iter().map(|(_, t)| t.clone()));
                stem_terms.extend(stemmed.iter().map(|(_, t)| t.clone()));
                clauses.push((Occur::Must, phrase_query(fields, &exact)));
                positive += 1;
            }
            Part::ExcludedWord(text) | Part::ExcludedPhrase(text) => {
                let exact = terms(&mut analyzers.exact, text);
                count(exact.len())?;
                if !exact.is_empty() {
                    clauses.push((Occur::MustNot, phrase_query(fields, &exact)));
                }
            }
        }
    }
    let matchable = positive > 0;
    if !words.is_empty() {
        // Alone, the words must match (any of them); beside a phrase they
        // only rank.
        let has_phrase = clauses.iter().any(|(occur, _)| *occur == Occur::Must);
        let occur = if has_phrase {
            Occur::Should
        } else {
            Occur::Must
        };
        clauses.push((occur, Box::new(BooleanQuery::new(words))));
    }
    for filter in filters(request, fields)? {
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(filter, 0.0))));
    }
    let query: Box<dyn Query> = if !matchable {
        Box::new(EmptyQuery)
    } else if let [(Occur::Must, _)] = clauses.as_slice() {
        // Words alone: their flat disjunction of term queries is the whole
        // query, so top-k collection can prune with block-WAND (wrapped in
        // another boolean query it would score every match).
        clauses
            .pop()
            .map_or_else(|| Box::new(EmptyQuery) as Box<dyn Query>, |(_, q)| q)
    } else {
        Box::new(BooleanQuery::new(clauses))
    };
    Ok(Compiled {
        query,
        exact_terms,
        stem_terms,
        matchable,
    })
}

/// One word: any of its unstemmed or stemmed forms in the title or body,
/// as flat alternatives (one disjunction of term queries scores fastest).
fn word_clauses(fields: &Fields, exact: &str, stemmed: &str) -> Vec<(Occur, Box<dyn Query>)> {
    let term = |field: Field, text: &str, boost: f32| -> (Occur, Box<dyn Query>) {
        let q = TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::WithFreqs,
        );
        (Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost)))
    };
    vec![
        term(fields.body_exact, exact, EXACT_BOOST),
        term(fields.body_stem, stemmed, STEM_BOOST),
        term(fields.title_exact, exact, EXACT_BOOST * TITLE_BOOST),
        term(fields.title_stem, stemmed, STEM_BOOST * TITLE_BOOST),
    ]
}

/// A phrase (or one word) on the unstemmed positions of the title or body.
fn phrase_query(fields: &Fields, terms: &[(usize, String)]) -> Box<dyn Query> {
    let on = |field: Field| -> Box<dyn Query> {
        if let [(_, only)] = terms {
            return Box::new(TermQuery::new(
                Term::from_field_text(field, only),
                IndexRecordOption::WithFreqs,
            ));
        }
        let first = terms[0].0;
        Box::new(PhraseQuery::new_with_offset(
            terms
                .iter()
                .map(|(pos, t)| (pos - first, Term::from_field_text(field, t)))
                .collect(),
        ))
    };
    let title: Box<dyn Query> = Box::new(BoostQuery::new(on(fields.title_exact), TITLE_BOOST));
    Box::new(BooleanQuery::new(vec![
        (Occur::Should, on(fields.body_exact)),
        (Occur::Should, title),
    ]))
}

/// The request's date, source, language and entity filters.
fn filters(request: &SearchRequest, fields: &Fields) -> Result<Vec<Box<dyn Query>>, SearchError> {
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    let day = |date: &Option<String>, what: &str| -> Result<Option<u64>, SearchError> {
        date.as_deref()
            .map(|d| {
                day_number(d.trim())
                    .filter(|_| d.trim().len() == 10)
                    .ok_or_else(|| {
                        SearchError::Query(format!("{what} must be a date YYYY-MM-DD, not {d:?}"))
                    })
            })
            .transpose()
    };
    let since = day(&request.since, "since")?;
    let until = day(&request.until, "until")?;
    if since.is_some() || until.is_some() {
        let bound = |d: Option<u64>| match d {
            Some(d) => Bound::Included(Term::from_field_u64(fields.day, d)),
            None => Bound::Unbounded,
        };
        out.push(Box::new(RangeQuery::new(bound(since), bound(until))));
    }
    let exact = |field: Field, value: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        ))
    };
    if let Some(source) = &request.source {
        out.push(exact(fields.source, source));
    }
    if let Some(lang) = &request.lang {
        out.push(exact(fields.lang, lang));
    }
    if let Some(entity) = request.entity {
        out.push(Box::new(TermQuery::new(
            Term::from_field_i64(fields.entities, entity),
            IndexRecordOption::Basic,
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_words_phrases_and_exclusions() {
        let parts = parse(r#"وزير «الخارجية السعودي» -إيران -"مجلس الأمن" "#).unwrap();
        assert_eq!(
            parts,
            [
                Part::Word("وزير".into()),
                Part::Phrase("الخارجية السعودي".into()),
                Part::ExcludedWord("إيران".into()),
                Part::ExcludedPhrase("مجلس الأمن".into()),
            ]
        );
    }

    #[test]
    fn malformed_queries_are_errors_not_panics() {
        for bad in [
            "",
            "   ",
            "\"القوات",
            "«القوات",
            "- \"\"",
            &"قوات ".repeat(300),
        ] {
            assert!(matches!(parse(bad), Err(SearchError::Query(_))), "{bad:?}");
        }
    }

    #[test]
    fn dangling_minus_and_symbols_parse() {
        assert_eq!(parse("- قوات").unwrap(), [Part::Word("قوات".into())]);
        assert_eq!(
            parse("a:b (c) *").unwrap(),
            [
                Part::Word("a:b".into()),
                Part::Word("(c)".into()),
                Part::Word("*".into())
            ]
        );
    }
}
