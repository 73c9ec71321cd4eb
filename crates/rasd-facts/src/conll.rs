//! CoNLL reading and writing: text in, [`Sentence`]s out, and back.
//!
//! One token per line, columns separated by spaces or tabs, a blank line
//! between sentences. The token is the first column; a gold tag, when
//! asked for, is the last column. Lines starting with `-DOCSTART-` are
//! skipped.

use crate::tags::Tag;
use crate::FactsError;
use std::fmt::Write as _;

/// One sentence: its tokens and, for gold data, one tag per token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sentence {
    pub tokens: Vec<String>,
    /// Empty when the input carried no tags.
    pub tags: Vec<Tag>,
}

/// Reads CoNLL text. With `with_tags`, every token line must end in a
/// valid BIO tag column; the error names the 1-based line.
pub fn parse(text: &str, with_tags: bool) -> Result<Vec<Sentence>, FactsError> {
    let mut out = Vec::new();
    let mut current = Sentence::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_start_matches('\u{FEFF}');
        let mut columns = line.split([' ', '\t']).filter(|c| !c.is_empty());
        let Some(token) = columns.next() else {
            if !current.tokens.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        };
        if token == "-DOCSTART-" {
            continue;
        }
        if with_tags {
            let label = columns.next_back().ok_or_else(|| FactsError::Conll {
                line: n + 1,
                message: format!("token {token:?} has no tag column"),
            })?;
            let tag = Tag::parse(label).ok_or_else(|| FactsError::Conll {
                line: n + 1,
                message: format!("{label:?} is not a BIO tag"),
            })?;
            current.tags.push(tag);
        }
        current.tokens.push(token.to_owned());
    }
    if !current.tokens.is_empty() {
        out.push(current);
    }
    Ok(out)
}

/// Writes `token TAB tag` lines, a blank line after each sentence.
pub fn write_tagged(out: &mut String, tokens: &[String], tags: &[Tag]) {
    for (token, tag) in tokens.iter().zip(tags) {
        let _ = writeln!(out, "{token}\t{tag}");
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tokens_and_tags() {
        let text = "جو B-PERS\nبايدن\tI-PERS\n\n\nفي O\nبغداد B-LOC\n";
        let sentences = parse(text, true).unwrap();
        assert_eq!(sentences.len(), 2);
        assert_eq!(sentences[0].tokens, ["جو", "بايدن"]);
        assert_eq!(sentences[1].tags[1].to_string(), "B-LOC");
        // Without tags, extra columns are ignored.
        let plain = parse("واشنطن NNP B-LOC\n", false).unwrap();
        assert_eq!(plain[0].tokens, ["واشنطن"]);
        assert!(plain[0].tags.is_empty());
    }

    #[test]
    fn bad_tags_name_the_line() {
        let err = parse("جو B-PERS\nبايدن\n", true).unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
        let err = parse("جو B-PERSON\n", true).unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
    }

    #[test]
    fn writes_tab_separated() {
        let mut out = String::new();
        write_tagged(
            &mut out,
            &["بغداد".to_owned()],
            &[Tag::parse("B-LOC").unwrap()],
        );
        assert_eq!(out, "بغداد\tB-LOC\n\n");
    }
}
