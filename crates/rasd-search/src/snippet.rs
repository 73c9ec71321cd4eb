//! Snippets: the passage of an article's body that best shows the matches.
//!
//! In: the body text and the query's unstemmed and stemmed terms. Out: a
//! plain-text excerpt (at most [`SNIPPET_CHARS`] characters) and the byte
//! ranges of the matched words in it. Unstemmed matches are preferred; a
//! body matched only through stems is excerpted around those; a body with
//! no match in its lead (the title matched) gives its opening.

use rasd_text::tokenize;

use crate::analyzer::{terms_of_key, token_key};

/// Longest snippet, in bytes of the body (as tantivy's `SnippetGenerator`
/// counts its `max_num_chars`): about 100 Arabic letters.
pub const SNIPPET_CHARS: usize = 200;
/// Only this many leading bytes of a body are scanned for the excerpt (and
/// only this many are stored in the index): news puts the matched words in
/// the lead, and a body matched further down gets its opening instead.
pub const SNIPPET_SCAN_BYTES: usize = 2_048;

/// Builds snippets for one query.
///
/// It does what tantivy's `SnippetGenerator` did here before (one run with
/// the unstemmed analyzer, a second with the stemmed one when the first
/// found nothing), in a single pass and without allocating per word: the
/// lead is cut into the same fragments (a new one starts where a word would
/// end more than [`SNIPPET_CHARS`] bytes after the fragment's start), each
/// scores its matched words, the best (first on ties) wins. The generator
/// allocated three strings per word of every hit; that was most of the
/// cost of a search page.
pub struct Snippets {
    exact: Vec<String>,
    stemmed: Vec<String>,
}

/// A fragment of the lead: its start and stop bytes, its matched words' ranges.
type Fragment = (usize, usize, Vec<(usize, usize)>);

/// One of the two matchings (unstemmed, stemmed) while scanning.
#[derive(Default)]
struct Pass {
    score: usize,
    highlights: Vec<(usize, usize)>,
    best: Option<Fragment>,
}

impl Pass {
    /// Ends the fragment `start..stop`, keeping it when it beats the best.
    fn close(&mut self, start: usize, stop: usize) {
        let better = self.score > 0
            && self
                .best
                .as_ref()
                .is_none_or(|(_, _, best)| self.score > best.len());
        if better {
            self.best = Some((start, stop, std::mem::take(&mut self.highlights)));
        }
        self.score = 0;
        self.highlights.clear();
    }
}

impl Snippets {
    /// `exact_terms` and `stem_terms` are the query's unstemmed and stemmed terms.
    pub fn new(exact_terms: &[String], stem_terms: &[String]) -> Snippets {
        let distinct = |terms: &[String]| {
            let mut v = terms.to_vec();
            v.sort();
            v.dedup();
            v
        };
        Snippets {
            exact: distinct(exact_terms),
            stemmed: distinct(stem_terms),
        }
    }

    /// The excerpt of `body` and its highlighted byte ranges.
    pub fn of(&self, body: &str) -> (String, Vec<(usize, usize)>) {
        let body = lead(body);
        let mut key = String::new();
        let (mut exact, mut stemmed) = (Pass::default(), Pass::default());
        let (mut start, mut stop) = (0, 0);
        for token in tokenize::tokens(body) {
            token_key(token.text, &mut key);
            let Some((exact_term, stem_term)) = terms_of_key(&key) else {
                continue;
            };
            if token.end - start > SNIPPET_CHARS {
                exact.close(start, stop);
                stemmed.close(start, stop);
                start = token.start;
            }
            stop = token.end;
            if self.exact.iter().any(|t| t == exact_term) {
                exact.score += 1;
                exact.highlights.push((token.start, token.end));
            }
            if self.stemmed.iter().any(|t| t == stem_term) {
                stemmed.score += 1;
                stemmed.highlights.push((token.start, token.end));
            }
        }
        exact.close(start, stop);
        stemmed.close(start, stop);
        match exact.best.or(stemmed.best) {
            Some((start, stop, highlights)) => (
                body[start..stop].to_string(),
                highlights
                    .into_iter()
                    .map(|(s, e)| (s - start, e - start))
                    .collect(),
            ),
            None => (opening(body), Vec::new()),
        }
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
    use crate::analyzer::{exact_analyzer, stemmed_analyzer, terms};
    use proptest::prelude::*;
    use std::collections::BTreeMap;
    use tantivy::schema::Schema;
    use tantivy::snippet::SnippetGenerator;

    fn own(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn snippets(exact: &[&str], stem: &[&str]) -> Snippets {
        Snippets::new(&own(exact), &own(stem))
    }

    /// What tantivy's `SnippetGenerator` with the two analyzers made (the
    /// code before the single pass), to check the pass against.
    fn reference(exact: &[String], stem: &[String], body: &str) -> (String, Vec<(usize, usize)>) {
        let mut b = Schema::builder();
        let f = b.add_text_field("f", tantivy::schema::TEXT);
        let body = lead(body);
        for (terms, analyzer) in [(exact, exact_analyzer()), (stem, stemmed_analyzer())] {
            let weights: BTreeMap<String, f32> = terms.iter().map(|t| (t.clone(), 1.0)).collect();
            let generator = SnippetGenerator::new(weights, analyzer, f, SNIPPET_CHARS);
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

    /// A news-like body: the query's words in several surface forms, far apart.
    const BODY: &str = "أعلنت وزارة الدفاع اليوم انسحاب القوات الأمريكية من القاعدة الجوية، \
        وقال المتحدث باسم الوزارة إن ٢٬٥٠٠ جندي سيغادرون خلال أسبوعين. وأضاف أن وللقوات \
        المتبقية مهام تدريب، فيما تستمر المفاوضات مع الحكومة حول مستقبل القاعدة. \
        وكانت القُوّات قد وصلت إلى المنطقة قبل عشرين عاما، ثم انسحبت قواتٌ أخرى في 2011. \
        ورحّب رئيسُ الوزراء بالاتفاق، مؤكدا أن المؤتمر المقبل سيبحث الانسحاب الكامل.";

    #[test]
    fn one_pass_gives_what_the_generator_gave() {
        let mut exact = exact_analyzer();
        let mut stemmed = stemmed_analyzer();
        for query in [
            "القوات",
            "انسحاب القوات",
            "وللقوّات الامريكيه",
            "2500 جندي",
            "مفاوضة",
            "رئيس الوزراء",
            "موتمر",
            "الانسحابات",
            "طائرات",
            "القاعدة الجوية الحكومة",
        ] {
            let e: Vec<String> = terms(&mut exact, query).into_iter().map(|t| t.1).collect();
            let s: Vec<String> = terms(&mut stemmed, query)
                .into_iter()
                .map(|t| t.1)
                .collect();
            let long = format!("{BODY} {BODY} {BODY}");
            for body in [BODY, long.as_str(), "", "كلمة"] {
                assert_eq!(
                    Snippets::new(&e, &s).of(body),
                    reference(&e, &s, body),
                    "{query}"
                );
            }
        }
    }

    proptest! {
        #[test]
        fn one_pass_equals_the_generator_on_any_text(
            body in "[\u{0621}-\u{0652}\u{0660}-\u{0669}\u{FEFB}a-zA-Z0-9,. ،]{0,400}",
            picks in proptest::collection::vec(0usize..60, 1..4),
        ) {
            let mut exact = exact_analyzer();
            let mut stemmed = stemmed_analyzer();
            let words: Vec<&str> = body.split_whitespace().collect();
            let query: Vec<&str> = picks.iter().filter_map(|&i| words.get(i).copied()).collect();
            let query = query.join(" ");
            let e: Vec<String> = terms(&mut exact, &query).into_iter().map(|t| t.1).collect();
            let s: Vec<String> = terms(&mut stemmed, &query).into_iter().map(|t| t.1).collect();
            prop_assert_eq!(Snippets::new(&e, &s).of(&body), reference(&e, &s, &body));
        }
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
