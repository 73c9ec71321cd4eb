//! Snippets: the passage of an article's body that best shows the matches.
//!
//! In: the body text and the query's unstemmed and stemmed terms. Out: a
//! plain-text excerpt (at most [`SNIPPET_CHARS`] characters) and the byte
//! ranges of the matched words in it. Unstemmed matches are preferred; a
//! body matched only through stems is excerpted around those; a body with
//! no match in its lead (the title matched) gives its opening.

use rasd_text::tokenize;

use crate::analyzer::{fold_letter, is_folded_away, terms_of_key, token_key};

/// Longest snippet, in bytes of the body (as tantivy's `SnippetGenerator`
/// counts its `max_num_chars`): about 100 Arabic letters.
pub const SNIPPET_CHARS: usize = 200;
/// Only this many leading bytes of a body are scanned for the excerpt (and
/// only this many are stored in the index): news puts the matched words in
/// the lead, and a body matched further down gets its opening instead.
pub const SNIPPET_SCAN_BYTES: usize = 2_048;

/// Builds snippets for one query.
///
/// It gives exactly what tantivy's `SnippetGenerator` gave here before (one
/// run with the unstemmed analyzer, a second with the stemmed one when the
/// first found nothing; property-tested against it): the lead is cut into
/// the same fragments (a new one starts where a word would end more than
/// [`SNIPPET_CHARS`] bytes after the fragment's start), each scores its
/// matched words, the best (first on ties) wins.
///
/// It does so without analyzing most words. A word's unstemmed term is its
/// matching key with proclitics cut from the front, so a word whose key
/// does not end with a query term cannot match it; that is checked on the
/// surface form, from the end ([`may_end_with`]). Whether a word is dropped
/// (a stop word) matters only where it could start a fragment or end the
/// winning one, so only those words and the candidates get the full
/// analysis. Analyzing every word of every hit was most of a search
/// page's cost.
pub struct Snippets {
    exact: Vec<String>,
    stemmed: Vec<String>,
}

/// A fragment of the lead: its start and stop bytes, its matched words' ranges.
type Fragment = (usize, usize, Vec<(usize, usize)>);

/// Which of the analyzers' terms a pass matches.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Matching {
    Exact,
    Stemmed,
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
        let best = self
            .best(body, Matching::Exact, &mut key)
            .or_else(|| self.best(body, Matching::Stemmed, &mut key));
        match best {
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

    /// The best fragment of `lead` under one matching, `None` without a match.
    fn best(&self, lead: &str, matching: Matching, key: &mut String) -> Option<Fragment> {
        let terms = match matching {
            Matching::Exact => &self.exact,
            Matching::Stemmed => &self.stemmed,
        };
        if terms.is_empty() {
            return None;
        }
        let mut best: Option<Fragment> = None;
        let (mut start, mut seen_end) = (0, 0);
        let mut highlights = Vec::new();
        let mut close = |start: usize, seen_end: usize, highlights: &mut Vec<(usize, usize)>| {
            let score = highlights.len();
            if score > 0 && best.as_ref().is_none_or(|(_, _, b)| score > b.len()) {
                let stop = fragment_stop(lead, start, seen_end);
                best = Some((start, stop, std::mem::take(highlights)));
            }
            highlights.clear();
        };
        for token in tokenize::tokens(lead) {
            let crosses = token.end - start > SNIPPET_CHARS;
            let candidate = match matching {
                Matching::Exact => terms.iter().any(|t| may_end_with(token.text, t)),
                Matching::Stemmed => true,
            };
            if !crosses && !candidate {
                seen_end = token.end;
                continue;
            }
            token_key(token.text, key);
            if !crosses
                && matching == Matching::Stemmed
                && !terms.iter().any(|t| key.contains(t.as_str()))
            {
                // A stem is a slice of the key: this word cannot match.
                seen_end = token.end;
                continue;
            }
            let Some((exact_term, stem_term)) = terms_of_key(key) else {
                // Dropped: it neither starts a fragment nor ends one.
                continue;
            };
            if crosses {
                close(start, seen_end, &mut highlights);
                start = token.start;
            }
            seen_end = token.end;
            let term = match matching {
                Matching::Exact => exact_term,
                Matching::Stemmed => stem_term,
            };
            if terms.iter().any(|t| t == term) {
                highlights.push((token.start, token.end));
            }
        }
        close(start, seen_end, &mut highlights);
        best
    }
}

/// Where the fragment that starts at `start` stops: the end of its last
/// word the analyzers keep, among the words up to `seen_end`.
fn fragment_stop(lead: &str, start: usize, seen_end: usize) -> usize {
    let mut key = String::new();
    let mut stop = start;
    for token in tokenize::tokens(&lead[start..seen_end]) {
        token_key(token.text, &mut key);
        if terms_of_key(&key).is_some() {
            stop = start + token.end;
        }
    }
    stop
}

/// Whether the matching key of `word` may end with `term`, read on the
/// surface form from the end with [`token_key`]'s folding (harakat and
/// tatweel skipped, hamza seats, alef maqsura and taa marbuta folded,
/// Latin lowercased). `false` only when it surely does not; a character
/// outside that folding (digits, separators, other scripts) answers `true`
/// and leaves the word to the full analysis.
fn may_end_with(word: &str, term: &str) -> bool {
    let mut have = word.chars().rev();
    for want in term.chars().rev() {
        let c = loop {
            match have.next() {
                None => return false,
                Some(c) if is_folded_away(c) => continue,
                Some(c) => break c,
            }
        };
        let Some(folded) = fold_letter(c) else {
            return true;
        };
        if folded != want {
            return false;
        }
    }
    true
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

        /// Long news-like leads: stop words (which the fragment cut skips),
        /// clitic, hamza, harakat and tatweel variants of a few words, and
        /// queries in other surface forms, so fragments and the words that
        /// start and end them are exercised.
        #[test]
        fn skipping_unanalyzed_words_changes_nothing(
            picks in proptest::collection::vec(0usize..VOCABULARY.len(), 0..700),
            query in proptest::collection::vec(0usize..VOCABULARY.len(), 1..4),
        ) {
            let body: Vec<&str> = picks.iter().map(|&i| VOCABULARY[i]).collect();
            let body = body.join(" ");
            let query: Vec<&str> = query.iter().map(|&i| VOCABULARY[i]).collect();
            let query = query.join(" ");
            let mut exact = exact_analyzer();
            let mut stemmed = stemmed_analyzer();
            let e: Vec<String> = terms(&mut exact, &query).into_iter().map(|t| t.1).collect();
            let s: Vec<String> = terms(&mut stemmed, &query).into_iter().map(|t| t.1).collect();
            prop_assert_eq!(Snippets::new(&e, &s).of(&body), reference(&e, &s, &body));
        }
    }

    const VOCABULARY: &[&str] = &[
        "في",
        "من",
        "إلى",
        "على",
        "أن",
        "إن",
        "وقال",
        "قال",
        "هذا",
        "التي",
        "the",
        "and",
        "القوات",
        "وللقوات",
        "قوات",
        "القُوّات",
        "قواتٌ",
        "الأمريكية",
        "الامريكيه",
        "أمريكي",
        "انسحاب",
        "الانسحاب",
        "الانسحابات",
        "مؤتمر",
        "موتمر",
        "المؤتمرات",
        "مفاوضات",
        "المفاوضة",
        "بغداد",
        "وبغداد",
        "واشنطن",
        "2500",
        "٢٬٥٠٠",
        "2,500",
        "جندي",
        "جنود",
        "الـقـوات",
        "Baghdad",
        "BAGHDAD",
        "،",
        ".",
        "ـ",
        "\u{064E}",
        "ZZZ",
        "a",
        "و",
        "كتب",
        "الكتاب",
        "فالكتاب",
        "وبالكتاب",
        "مكتبة",
        "سيارة",
        "السيارات",
        "ى",
        "إلى",
    ];

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
