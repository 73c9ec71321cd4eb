//! Entity mentions in plain text: article text in, [`Mention`]s with byte
//! offsets out.
//!
//! The text is cut into tokens the way ANERcorp is: words and numbers from
//! [`rasd_text::tokenize`], and every other non-space character as a token
//! of its own, and the whole text is tagged as one document
//! ([`Model::tag_document`]). Sentences end at `. ! ? ؟ ؛`, at a line break, or after
//! [`MAX_SENTENCE_TOKENS`](crate::model::MAX_SENTENCE_TOKENS) tokens.

use crate::model::{Model, MAX_SENTENCE_TOKENS};
use crate::tags::{spans, EntityType};
use serde::Serialize;

/// A named-entity mention: `text` is `source[start..end]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    pub text: String,
    pub start: usize,
    pub end: usize,
    #[serde(rename = "type")]
    pub ty: EntityType,
}

/// Byte ranges of the tokens of `text`, grouped by sentence.
pub fn sentences(text: &str) -> Vec<Vec<(usize, usize)>> {
    let mut out = Vec::new();
    let mut current: Vec<(usize, usize)> = Vec::new();
    let mut flush = |current: &mut Vec<(usize, usize)>| {
        if !current.is_empty() {
            out.push(std::mem::take(current));
        }
    };
    let mut pos = 0;
    let gap_tokens = |from: usize, to: usize, current: &mut Vec<(usize, usize)>| -> bool {
        let mut ends = false;
        for (i, c) in text[from..to].char_indices() {
            if c == '\n' {
                ends = true;
            } else if !c.is_whitespace() {
                let at = from + i;
                current.push((at, at + c.len_utf8()));
                ends |= matches!(c, '.' | '!' | '?' | '؟' | '؛');
            }
        }
        ends
    };
    for token in rasd_text::tokenize::tokens(text) {
        if gap_tokens(pos, token.start, &mut current) || current.len() >= MAX_SENTENCE_TOKENS {
            flush(&mut current);
        }
        current.push((token.start, token.end));
        pos = token.end;
    }
    gap_tokens(pos, text.len(), &mut current);
    flush(&mut current);
    out
}

/// The entity mentions of `text`, in order.
pub fn mentions(model: &Model, text: &str) -> Vec<Mention> {
    let mut out = Vec::new();
    let sentences = sentences(text);
    let tokens: Vec<Vec<String>> = sentences
        .iter()
        .map(|sentence| {
            sentence
                .iter()
                .map(|&(s, e)| text[s..e].to_owned())
                .collect()
        })
        .collect();
    for (sentence, tags) in sentences.iter().zip(model.tag_document(&tokens)) {
        for span in spans(&tags) {
            let (start, end) = (sentence[span.start].0, sentence[span.end - 1].1);
            out.push(Mention {
                text: text[start..end].to_owned(),
                start,
                end,
                ty: span.ty,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn tokens_and_sentences_like_anercorp() {
        let text = "قال الرئيس (جو بايدن): نعم.\nبغداد، ٢٠٢١";
        let got: Vec<Vec<&str>> = sentences(text)
            .iter()
            .map(|s| s.iter().map(|&(a, b)| &text[a..b]).collect())
            .collect();
        assert_eq!(
            got,
            vec![
                vec!["قال", "الرئيس", "(", "جو", "بايدن", ")", ":", "نعم", "."],
                vec!["بغداد", "،", "٢٠٢١"],
            ]
        );
    }

    #[test]
    fn finds_people_and_places_with_offsets() {
        let text = "وقال وزير الدفاع الأمريكي لويد أوستن في بغداد إن القوات باقية.";
        let found = mentions(Model::embedded(), text);
        for m in &found {
            assert_eq!(&text[m.start..m.end], m.text);
        }
        assert!(
            found
                .iter()
                .any(|m| m.text == "لويد أوستن" && m.ty == EntityType::Person),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|m| m.text == "بغداد" && m.ty == EntityType::Location),
            "{found:?}"
        );
    }

    proptest! {
        #[test]
        fn never_panics_and_offsets_hold(text in "\\PC{0,200}") {
            for m in mentions(Model::embedded(), &text) {
                prop_assert_eq!(&text[m.start..m.end], m.text.as_str());
            }
        }
    }
}
