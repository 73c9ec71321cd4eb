//! The Arabic analyzer: text in, index terms out, as tantivy tokenizers.
//!
//! [`ArabicTokenizer`] splits with `rasd_text::tokenize` (numbers such as
//! `٢٬٥٠٠` or `3.5` stay whole) and turns each token into its matching key
//! (no harakat or tatweel, hamza forms and alef maqsura folded, ASCII
//! digits; thousands separators dropped so `2,500` = `2500`; hamza on waw
//! and yeh folded too, `مؤتمر` = `موتمر`). Offsets stay
//! those of the original text, so snippets highlight what the reader sees.
//! Then [`StopWordFilter`] drops Arabic and English function words (with
//! their positions kept as gaps, so phrases stay exact), and one of two
//! rewrites makes the term: [`CliticFilter`] strips proclitics for the
//! unstemmed field (`وللقوات` → `قوات`), [`Light10Filter`] stems for the
//! stemmed field (`وللقوات` → `قو`).

use rasd_text::{normalize, stem, stopwords, tokenize};
use tantivy::tokenizer::{
    RemoveLongFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// Name of the unstemmed (clitic-stripped) analyzer in the tokenizer manager.
pub const EXACT: &str = "rasd_exact";
/// Name of the Light10-stemmed analyzer in the tokenizer manager.
pub const STEMMED: &str = "rasd_stem";
/// Longer tokens are junk (URLs, base64, glued words) and are not indexed.
const MAX_TOKEN_BYTES: usize = 100;

/// The unstemmed analyzer: matching key, stop words out, proclitics stripped.
pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(ArabicTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(StopWordFilter)
        .filter(CliticFilter)
        .build()
}

/// The stemmed analyzer: matching key, stop words out, Light10.
pub fn stemmed_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(ArabicTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(StopWordFilter)
        .filter(Light10Filter)
        .build()
}

/// The terms `analyzer` makes of `text`, with their positions.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        out.push((token.position, token.text.clone()));
    }
    out
}

/// Splits text into matching-key tokens; see the module docs.
#[derive(Clone, Default)]
pub struct ArabicTokenizer {
    token: Token,
}

/// The token stream of [`ArabicTokenizer`].
pub struct ArabicTokenStream<'a> {
    tokens: tokenize::Tokens<'a>,
    token: &'a mut Token,
}

impl Tokenizer for ArabicTokenizer {
    type TokenStream<'a> = ArabicTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ArabicTokenStream<'a> {
        self.token.reset();
        ArabicTokenStream {
            tokens: tokenize::tokens(text),
            token: &mut self.token,
        }
    }
}

impl TokenStream for ArabicTokenStream<'_> {
    fn advance(&mut self) -> bool {
        for next in self.tokens.by_ref() {
            let token = &mut *self.token;
            token_key(next.text, &mut token.text);
            if token.text.is_empty() {
                // Marks or tatweel alone: no word at all.
                continue;
            }
            token.position = token.position.wrapping_add(1);
            token.offset_from = next.start;
            token.offset_to = next.end;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// A letter as [`token_key`]'s fast path writes it: Latin lowercased,
/// hamza seats, alef maqsura and taa marbuta folded, core Arabic letters
/// kept; `None` for anything else. Snippets read surface forms with it
/// too, so the two cannot fold differently.
#[inline]
pub fn fold_letter(c: char) -> Option<char> {
    Some(match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        'a'..='z' => c,
        'أ' | 'إ' | 'آ' => 'ا',
        'ى' | 'ئ' => 'ي',
        'ة' => 'ه',
        'ؤ' => 'و',
        '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' => c,
        _ => return None,
    })
}

/// Harakat and tatweel: [`token_key`] drops them.
#[inline]
pub fn is_folded_away(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{0652}' | '\u{0640}')
}

/// Writes into `out` (cleared first) the term text of one token of
/// `rasd_text::tokenize` before stop words and clitics: its matching key,
/// hamza seats folded (`ؤ` → `و`, `ئ` → `ي`: the matching key keeps them,
/// typing often leaves them out), and a number's thousands separators
/// dropped (`2,500` and `٢٬٥٠٠` are written `2500` too). Empty for marks
/// or tatweel alone.
///
/// Tokens made only of ASCII, core Arabic letters, harakat, tatweel and
/// Arabic-Indic digits (nearly every token of Arabic news) are folded here
/// character by character, with no allocation: the display steps (NFC,
/// controls, presentation forms) cannot change them. Any other token takes
/// the full `normalize::matching_key`. Snippets run this on every word of
/// every hit, so it must stay cheap.
pub fn token_key(token: &str, out: &mut String) {
    out.clear();
    let mut numeric = false;
    let mut fast = true;
    for c in token.chars() {
        let folded = match fold_letter(c) {
            Some(letter) => letter,
            None if c.is_ascii() => c,
            None if is_folded_away(c) => continue,
            None if matches!(c, '\u{0660}'..='\u{0669}' | '٫' | '٬') => {
                normalize::ascii_digit(c).unwrap_or(c)
            }
            None => {
                fast = false;
                break;
            }
        };
        numeric |= folded.is_ascii_digit();
        out.push(folded);
    }
    if !fast {
        out.clear();
        let key = normalize::matching_key(token);
        numeric = key.bytes().any(|b| b.is_ascii_digit());
        out.extend(key.chars().map(|c| match c {
            'ؤ' => 'و',
            'ئ' => 'ي',
            c => c,
        }));
    }
    if numeric && out.contains(',') {
        out.retain(|c| c != ',');
    }
}

/// What one token of a body is to a query, as the two analyzers see it:
/// `None` when the analyzers drop it (too long, a stop word), else its
/// unstemmed term (proclitics stripped) and its stemmed term. `key` is the
/// token's [`token_key`].
pub fn terms_of_key(key: &str) -> Option<(&str, &str)> {
    if key.is_empty() || key.len() >= MAX_TOKEN_BYTES || stopwords::is_stopword(key) {
        return None;
    }
    let exact = stem::strip_proclitics(key);
    Some((exact, stem::light10(exact)))
}

/// Drops stop words (`في`, `وهذا`, `the`…), keeping the positions of the rest.
#[derive(Clone, Copy)]
pub struct StopWordFilter;

/// Rewrites each term to its proclitic-stripped form.
#[derive(Clone, Copy)]
pub struct CliticFilter;

/// Rewrites each term to its Light10 stem.
#[derive(Clone, Copy)]
pub struct Light10Filter;

/// What a [`TermFilter`] does to one term (already a matching key).
trait TermRule: Clone + Copy + Send + Sync + 'static {
    /// `None` drops the token; otherwise the term it becomes.
    fn rewrite(term: &str) -> Option<&str>;
}

impl TermRule for StopWordFilter {
    fn rewrite(term: &str) -> Option<&str> {
        (!stopwords::is_stopword(term)).then_some(term)
    }
}

impl TermRule for CliticFilter {
    fn rewrite(term: &str) -> Option<&str> {
        Some(stem::strip_proclitics(term))
    }
}

impl TermRule for Light10Filter {
    fn rewrite(term: &str) -> Option<&str> {
        Some(stem::light10(stem::strip_proclitics(term)))
    }
}

/// A tokenizer wrapped by one of the term filters above.
#[derive(Clone)]
pub struct Filtered<R, T> {
    rule: R,
    inner: T,
}

/// The token stream of [`Filtered`].
pub struct FilteredStream<R, S> {
    rule: std::marker::PhantomData<R>,
    inner: S,
}

macro_rules! term_filter {
    ($($filter:ty),*) => {$(
        impl TokenFilter for $filter {
            type Tokenizer<T: Tokenizer> = Filtered<$filter, T>;

            fn transform<T: Tokenizer>(self, tokenizer: T) -> Filtered<$filter, T> {
                Filtered { rule: self, inner: tokenizer }
            }
        }
    )*};
}
term_filter!(StopWordFilter, CliticFilter, Light10Filter);

impl<R: TermRule, T: Tokenizer> Tokenizer for Filtered<R, T> {
    type TokenStream<'a> = FilteredStream<R, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let _ = self.rule;
        FilteredStream {
            rule: std::marker::PhantomData,
            inner: self.inner.token_stream(text),
        }
    }
}

impl<R: TermRule, S: TokenStream> TokenStream for FilteredStream<R, S> {
    fn advance(&mut self) -> bool {
        while self.inner.advance() {
            let token = self.inner.token_mut();
            match R::rewrite(&token.text) {
                None => continue,
                Some(term) if term.len() == token.text.len() => return true,
                Some(term) => {
                    // A rewrite only ever removes a prefix and a suffix.
                    let start = term.as_ptr() as usize - token.text.as_ptr() as usize;
                    let end = start + term.len();
                    token.text.truncate(end);
                    token.text.drain(..start);
                    return true;
                }
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn texts(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        terms(analyzer, text).into_iter().map(|(_, t)| t).collect()
    }

    #[test]
    fn clitic_forms_meet_on_one_exact_term() {
        let mut exact = exact_analyzer();
        for form in ["القوات", "وللقوات", "قوات", "بالقُوّات", "القـــوات"]
        {
            assert_eq!(texts(&mut exact, form), ["قوات"], "{form}");
        }
    }

    #[test]
    fn hamza_forms_and_marks_fold() {
        let mut exact = exact_analyzer();
        assert_eq!(texts(&mut exact, "الإمارات"), texts(&mut exact, "الامارات"));
        assert_eq!(texts(&mut exact, "مُؤْتَمَر"), texts(&mut exact, "موتمر"));
        assert_eq!(texts(&mut exact, "رئيس"), texts(&mut exact, "رييس"));
        assert_eq!(texts(&mut exact, "مستشفى"), texts(&mut exact, "مستشفي"));
    }

    #[test]
    fn stemmed_field_joins_singular_and_plural_endings() {
        let mut stemmed = stemmed_analyzer();
        assert_eq!(
            texts(&mut stemmed, "المفاوضات"),
            texts(&mut stemmed, "مفاوضة")
        );
        assert_eq!(texts(&mut stemmed, "وللقوات"), ["قو"]);
    }

    #[test]
    fn digits_and_separators_fold() {
        let mut exact = exact_analyzer();
        assert_eq!(texts(&mut exact, "٢٥٠٠ جندي"), ["2500", "جندي"]);
        assert_eq!(texts(&mut exact, "٢٬٥٠٠"), ["2500"]);
        assert_eq!(texts(&mut exact, "و2,500"), ["2500"]);
        assert_eq!(texts(&mut exact, "٣٫٥"), ["3.5"]);
    }

    #[test]
    fn stop_words_leave_position_gaps_and_offsets_point_at_the_original() {
        let mut exact = exact_analyzer();
        let text = "وصل رئيسُ الوزراء إلى الرياض";
        let mut stream = exact.token_stream(text);
        let mut seen = Vec::new();
        while let Some(t) = stream.next() {
            seen.push((
                t.position,
                t.text.clone(),
                &text[t.offset_from..t.offset_to],
            ));
        }
        assert_eq!(
            seen,
            [
                (0, "وصل".to_string(), "وصل"),
                (1, "رييس".to_string(), "رئيسُ"),
                (2, "وزراء".to_string(), "الوزراء"),
                (4, "رياض".to_string(), "الرياض"),
            ]
        );
    }

    #[test]
    fn junk_tokens_are_dropped() {
        let mut exact = exact_analyzer();
        let long = "ب".repeat(200);
        assert!(texts(&mut exact, &long).is_empty());
        assert!(texts(&mut exact, "\u{0}\u{FFFF} ، ؟ …").is_empty());
    }

    /// The term text as the analyzer made it before the allocation-free path.
    fn reference_key(token: &str) -> String {
        let key = normalize::matching_key(token);
        let numeric = key.bytes().any(|b| b.is_ascii_digit());
        key.chars()
            .filter(|&c| !(c == ',' && numeric))
            .map(|c| match c {
                'ؤ' => 'و',
                'ئ' => 'ي',
                c => c,
            })
            .collect()
    }

    #[test]
    fn token_keys_fold_like_the_matching_key() {
        let mut out = String::new();
        for (token, key) in [
            ("وللقُوّات", "وللقوات"),
            ("القـــوات", "القوات"),
            ("مؤتمر", "موتمر"),
            ("رئيس", "رييس"),
            ("إلى", "الي"),
            ("آخر", "اخر"),
            ("٢٬٥٠٠", "2500"),
            ("٣٫٥", "3.5"),
            ("COVID19", "covid19"),
            ("ٱلله", "الله"),
            ("\u{FEFB}", "لا"),
            ("ـــ", ""),
        ] {
            token_key(token, &mut out);
            assert_eq!(out, key, "{token}");
            assert_eq!(out, reference_key(token), "{token}");
        }
    }

    proptest! {
        #[test]
        fn token_keys_equal_the_matching_key_path(
            text in "[\u{0600}-\u{06FF}\u{FE70}-\u{FEFC}\u{FB50}-\u{FB60}a-zA-Z0-9,.\u{200C}\u{200D}\u{00E9}\u{0301} ]{0,60}"
        ) {
            let mut out = String::new();
            for token in tokenize::tokens(&text) {
                token_key(token.text, &mut out);
                prop_assert_eq!(&out, &reference_key(token.text), "{:?}", token.text);
            }
        }

        #[test]
        fn analysis_never_panics_and_terms_are_keys(text in "\\PC{0,80}") {
            for mut analyzer in [exact_analyzer(), stemmed_analyzer()] {
                for (_, term) in terms(&mut analyzer, &text) {
                    prop_assert!(!term.is_empty());
                    prop_assert_eq!(normalize::matching_key(&term), term.clone());
                }
            }
        }
    }
}
