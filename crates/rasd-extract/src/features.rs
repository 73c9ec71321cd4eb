//! Per-block features: what the classifier knows about one line.
//!
//! In: a [`Block`] (display-normalized text). Out: [`Features`] — length in
//! words, sentence shape, punctuation and comma counts, stop-word share
//! (after clitic stripping), link/handle/hashtag marks, the boilerplate
//! [`Cue`] it carries, ticker and byline shapes, and the masked key used
//! for site templates. Work is linear in the block's length.

use crate::block::Block;
use crate::lexicon::{self, Cue};
use rasd_text::normalize::key_of_displayed;
use rasd_text::stopwords::is_stopword;
use rasd_text::tokenize::tokens;

/// A line of at most this many words may carry a cue anywhere in it.
const SHORT_WORDS: usize = 10;

/// What the classifier knows about one block.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Features {
    /// Words and numbers.
    pub words: usize,
    /// Share of words that are function words (Arabic or English).
    pub stop_ratio: f32,
    /// Ends like a sentence: `.` `؟` `?` `!` `…` `:` possibly followed by a
    /// closing quote or bracket.
    pub ends_sentence: bool,
    /// Ends with `...` or `…` (a truncated teaser).
    pub ends_ellipsis: bool,
    /// Sentence marks (`.` `؟` `?` `!` `؛`) inside the text.
    pub sentence_marks: usize,
    /// Commas (Arabic and Latin).
    pub commas: usize,
    /// URLs, `@handles` and `#hashtags`.
    pub link_marks: usize,
    /// The boilerplate cue the line carries, if any.
    pub cue: Option<Cue>,
    /// Words after the cue phrase (the headline of «اقرأ أيضاً: …»).
    pub words_after_cue: usize,
    /// A run of headline segments split by separators (`|`, `•`, runs of
    /// spaces) with no sentence structure.
    pub ticker: bool,
    /// A long line with almost no punctuation: a run-on paragraph, or a
    /// ticker without separators; it weighs half when runs are compared.
    pub run_on: bool,
    /// Shaped like a byline or dateline: «جدة - فلان», «واس (جدة)», one or
    /// two words.
    pub byline_shape: bool,
    /// Shaped like a byline or like a short headline: «مكة المكرمة: فلان».
    pub weak_byline: bool,
    /// Contains `©`.
    pub copyright_sign: bool,
    /// Share of letters that are Latin.
    pub latin_ratio: f32,
    /// Hash of the matching key with digits masked, for site templates.
    pub masked_key: u64,
    /// Hash of the exact matching key.
    pub exact_key: u64,
}

impl Features {
    /// A line that reads like running text: long enough, with sentence
    /// shape and function words.
    pub fn reads_like_prose(&self) -> bool {
        let sentence = self.ends_sentence || self.sentence_marks > 0 || self.commas > 0;
        let long = self.words >= 15;
        (long || (self.words >= 7 && sentence && self.stop_ratio >= 0.06))
            && !self.ticker
            && !self.ends_ellipsis
            && self.link_marks * 6 <= self.words.max(1)
    }
}

/// Characters that end a sentence.
fn is_sentence_end(c: char) -> bool {
    matches!(c, '.' | '؟' | '?' | '!' | '…' | '؛' | ':')
}

/// Closing quotes and brackets that may follow a sentence end.
fn is_closer(c: char) -> bool {
    matches!(c, '"' | '»' | '”' | '’' | '\'' | ')' | ']' | '›')
}

/// Computes the features of one block.
pub fn features(block: &Block) -> Features {
    features_and_key(block).0
}

/// The features of one block and its matching key, for callers that need
/// the key too (computing it is a good share of the work).
pub fn features_and_key(block: &Block) -> (Features, String) {
    let text = block.text.as_str();
    let key = key_of_displayed(text);
    let toks: Vec<_> = tokens(&key).collect();
    let word_list: Vec<&str> = toks.iter().map(|t| t.text).collect();
    let n = word_list.len();

    let stops = word_list.iter().filter(|w| is_stopword(w)).count();
    let mut sentence_marks = 0;
    let mut commas = 0;
    let mut link_marks = 0;
    let mut separators = 0;
    let mut latin = 0usize;
    let mut letters = 0usize;
    let mut prev = ' ';
    let mut spaces = 0;
    for c in text.chars() {
        match c {
            // «..» and «؟!» count once: a run of marks ends one sentence.
            '.' | '؟' | '?' | '!' | '؛' if !is_sentence_end(prev) => sentence_marks += 1,
            '.' | '؟' | '?' | '!' | '؛' => {}
            '،' | ',' => commas += 1,
            '@' | '#' => link_marks += 1,
            '|' | '•' | '·' | '◄' | '►' | '★' | '▪' | '■' => separators += 1,
            _ => {}
        }
        if c == ' ' {
            spaces += 1;
        } else {
            if spaces >= 2 && prev != ' ' {
                separators += 1;
            }
            spaces = 0;
            prev = c;
        }
        if rasd_text::is_letter(c) {
            letters += 1;
            if c.is_ascii_alphabetic() {
                latin += 1;
            }
        }
    }
    link_marks += key.matches("http").count() + key.matches("www.").count();

    let trimmed = text.trim_end_matches(|c: char| c.is_whitespace() || is_closer(c));
    let ends_ellipsis = trimmed.ends_with("...") || trimmed.ends_with('…');
    let ends_sentence = trimmed.chars().next_back().is_some_and(is_sentence_end);

    let ticker =
        separators >= 3 && n / (separators + 1) <= 18 && sentence_marks * 2 <= separators + 1;
    let run_on = !ticker && n >= 40 && (sentence_marks + commas) * 25 < n;

    let (cue, words_after_cue) = find_cue(text, &key, &toks, &word_list);
    let copyright_sign = text.contains('©');

    let byline_shape = n <= 2 || is_byline(text, &word_list, ends_sentence);
    let weak_byline = !byline_shape && is_weak_byline(text, &word_list, ends_sentence);

    let exact = key.trim().as_bytes();
    let exact_key = xxhash_rust::xxh3::xxh3_64(exact);
    // Digits are ASCII, so masking them byte by byte keeps the UTF-8 valid.
    let masked_key = if exact.iter().any(u8::is_ascii_digit) {
        let masked: Vec<u8> = exact
            .iter()
            .map(|&b| if b.is_ascii_digit() { b'#' } else { b })
            .collect();
        xxhash_rust::xxh3::xxh3_64(&masked)
    } else {
        exact_key
    };
    let features = Features {
        words: n,
        stop_ratio: if n == 0 { 0.0 } else { stops as f32 / n as f32 },
        ends_sentence,
        ends_ellipsis,
        sentence_marks,
        commas,
        link_marks,
        cue: if copyright_sign && n <= 16 {
            Some(Cue::Copyright)
        } else {
            cue
        },
        words_after_cue,
        ticker,
        run_on,
        byline_shape,
        weak_byline,
        copyright_sign,
        latin_ratio: if letters == 0 {
            0.0
        } else {
            latin as f32 / letters as f32
        },
        masked_key,
        exact_key,
    };
    (features, key)
}

/// A byline or dateline: a few names around a separator — «جدة - فلان»,
/// «واس (جدة)», «الرياض/ فلان». Names may look like function words after
/// folding («علي» = «على»), so these strong shapes ignore stop words.
fn is_byline(text: &str, word_list: &[&str], ends_sentence: bool) -> bool {
    let n = word_list.len();
    let paren = text.contains('(');
    let strong = paren
        || text.contains(" - ")
        || text.contains(" – ")
        || text.contains(" ـ ")
        || text.contains('/');
    let groups = text.matches('(').count();
    let names = groups >= 2 || (paren && text.contains(['،', ',']));
    strong
        && !ends_sentence
        && n <= if names {
            16
        } else if paren {
            4
        } else {
            6
        }
}

/// A weak byline: «مكة المكرمة: فلان», «فلان من الرياض» — names around a
/// colon or «من», with no other function word. Headlines share the shape
/// («روسيا: داعش تهديد أكبر»), so position decides (see the segmenter).
fn is_weak_byline(text: &str, word_list: &[&str], ends_sentence: bool) -> bool {
    let n = word_list.len();
    let has_min = word_list.contains(&"من");
    let colon = text.trim_end_matches(':').contains(':');
    !ends_sentence
        && n <= 6
        && (colon || has_min)
        && word_list.iter().all(|w| *w == "من" || !is_stopword(w))
}

/// The cue of a line: a phrase it opens with (when short, long and
/// specific, or followed by a separator such as `:`), or one that makes up
/// most of a short line, or a photo credit at either edge of a short line.
fn find_cue(
    text: &str,
    key: &str,
    toks: &[rasd_text::tokenize::Token<'_>],
    word_list: &[&str],
) -> (Option<Cue>, usize) {
    let n = word_list.len();
    if let Some(m) = lexicon::leading_cue(word_list) {
        let end = toks[m.len - 1].end;
        let after = key[end..].trim_start();
        let separated = after.is_empty()
            || after.starts_with([':', '/', '|', '-', '–', '—', '»', '>', '：'])
            || text.trim_end().ends_with(':');
        let covers = m.len * 2 >= n;
        let usable = if m.cue == Cue::Credit {
            n <= 6
        } else {
            covers
                || (separated && (n <= SHORT_WORDS || m.cue != Cue::Share))
                || (m.len >= 3 && n <= 16)
        };
        if usable {
            return (Some(m.cue), n - m.len);
        }
    }
    if n <= 6 {
        for m in lexicon::cues_in(word_list) {
            let at_edge = m.at == 0 || m.at + m.len == n;
            if (m.cue == Cue::Credit && at_edge) || m.len * 2 >= n {
                return (Some(m.cue), n - m.at - m.len);
            }
        }
    }
    (None, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> Features {
        features(&Block::line(s))
    }

    #[test]
    fn prose_line() {
        let x = f(
            "وقال المتحدث باسم الوزارة إن المحادثات ستستأنف الأسبوع المقبل في بغداد، بحضور الوفدين.",
        );
        assert!(x.reads_like_prose(), "{x:?}");
        assert!(x.ends_sentence);
        assert_eq!(x.cue, None);
    }

    #[test]
    fn ticker_line() {
        let x = f("الأمطار تغمر شوارع المدينة    افتتاح معرض الكتاب الدولي    ارتفاع أسعار الذهب عالميا    فوز المنتخب في مباراته الودية");
        assert!(x.ticker, "{x:?}");
        assert!(!x.reads_like_prose());
    }

    #[test]
    fn cues_on_short_lines() {
        assert_eq!(f("مقالات ذات صلة").cue, Some(Cue::Related));
        assert_eq!(f("المصدر: صحيفة المدينة").cue, Some(Cue::SourceLine));
        assert_eq!(f("Getty Images").cue, Some(Cue::Credit));
        assert_eq!(f("اجتماع المجلس البلدي - أرشيفية").cue, Some(Cue::Credit));
        assert_eq!(
            f("© 2020 صحيفة المدينة. جميع الحقوق محفوظة.").cue,
            Some(Cue::Copyright)
        );
        let read = f("اقرأ أيضاً: الأمطار تغمر شوارع المدينة");
        assert_eq!((read.cue, read.words_after_cue), (Some(Cue::ReadAlso), 4));
    }

    #[test]
    fn a_sentence_opening_with_a_cue_word_is_not_boilerplate() {
        let x = f("شارك آلاف المواطنين في الاحتفال الذي أقيم مساء أمس في الساحة العامة وسط المدينة.");
        assert_eq!(x.cue, None);
    }

    #[test]
    fn byline_shapes() {
        assert!(f("جدة - سالم العتيبي").byline_shape);
        assert!(f("واس (الرياض)").byline_shape);
        assert!(f("جدة - علي الأحمد").byline_shape);
        assert!(f("مكة المكرمة: سالم الأحمد").weak_byline);
        assert!(f("سالم الأحمد من الرياض").weak_byline);
        assert!(!f("مجلس الوزراء يقر الميزانية العامة للدولة").byline_shape);
        assert!(!f("جدة: القبض على متهم بالسرقة").weak_byline);
    }

    #[test]
    fn masked_key_ignores_numbers() {
        assert_eq!(f("© 2015 الرياض").masked_key, f("© 2016 الرياض").masked_key);
        assert_ne!(f("© 2015 الرياض").exact_key, f("© 2016 الرياض").exact_key);
    }
}
