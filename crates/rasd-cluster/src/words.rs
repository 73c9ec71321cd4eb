//! Words of a text in matching-key form, fast: raw text in, the words of
//! `tokenize::words(normalize::matching_key(text))` out, plus a cache from
//! a word to its term ids ([`WordCache`]).
//!
//! Clustering reads ~600 words per article, and the general normalizer and
//! tokenizer of `rasd-text` (NFC checks, Unicode tables, one pass each) and
//! the per-word stop-word, clitic and stem steps were most of its cost.
//! [`simple_key_words`] does normalization and tokenization in one pass for
//! text made only of the characters news text is made of (ASCII, the core
//! Arabic letters, harakat, tatweel, Arabic digits and punctuation), where
//! the key is a per-character map; any other character makes it decline,
//! and the caller takes the general path. A property test below holds the
//! two paths equal.

use rasd_text::{normalize, stem, stopwords, tokenize};
use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::xxh3_64;

/// How one character of raw text maps into the key, for the simple set.
enum Class {
    /// A letter or digit of a word (already in key form).
    Word(char),
    /// A number separator (key form): joins two digit runs, else separates.
    NumberSeparator(char),
    /// Removed by the key (harakat, tatweel): neighbors become adjacent.
    Removed,
    /// Ends a word.
    Separator,
}

const fn class(c: char) -> Option<Class> {
    Some(match c {
        'a'..='z' | '0'..='9' => Class::Word(c),
        'A'..='Z' => Class::Word(c.to_ascii_lowercase()),
        '.' | ',' | ':' | '\'' => Class::NumberSeparator(c),
        '\u{0}'..='\u{7F}' => Class::Separator,
        'أ' | 'إ' | 'آ' => Class::Word('ا'),
        'ى' => Class::Word('ي'),
        'ة' => Class::Word('ه'),
        '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' => Class::Word(c),
        '\u{064B}'..='\u{0652}' | '\u{0640}' => Class::Removed,
        '\u{0660}'..='\u{0669}' => Class::Word((b'0' + (c as u32 - 0x0660) as u8) as char),
        '٫' => Class::NumberSeparator('.'),
        '٬' => Class::NumberSeparator(','),
        '٪' | '،' | '؛' | '؟' | '«' | '»' | '–' | '—' | '“' | '”' | '‘' | '’' | '…' | '•' | '·'
        | '\u{A0}' => Class::Separator,
        _ => return None,
    })
}

/// Writes the words of `matching_key(text)` into `key` (UTF-8, one after
/// another) with their byte ranges into `spans`, or returns `false`
/// (leaving both unspecified) when `text` has a character outside the
/// simple set. The key stays bytes: words are hashed, and only a word new
/// to the [`WordCache`] is read as `str`.
pub fn simple_key_words(text: &str, key: &mut Vec<u8>, spans: &mut Vec<(u32, u32)>) -> bool {
    text.len() <= u32::MAX as usize && scan(text, key, spans)
}

/// [`class`] as a table over one 64- or 256-character block: a kind code
/// and the key character's low byte (ASCII, or the offset in U+0600–U+06FF).
const DECLINE: u8 = 0;
const SEPARATOR: u8 = 1;
const NUMBER_SEPARATOR: u8 = 2;
const REMOVED: u8 = 3;
const ASCII_WORD: u8 = 4;
const ARABIC_WORD: u8 = 5;

const fn table(base: u32) -> [(u8, u8); 256] {
    let mut out = [(DECLINE, 0u8); 256];
    let mut i = 0;
    while i < 256 {
        let code = base + i as u32;
        out[i] = match char::from_u32(code) {
            Some(c) => match class(c) {
                None => (DECLINE, 0),
                Some(Class::Separator) => (SEPARATOR, 0),
                Some(Class::NumberSeparator(k)) => (NUMBER_SEPARATOR, k as u8),
                Some(Class::Removed) => (REMOVED, 0),
                Some(Class::Word(k)) if k.is_ascii() => (ASCII_WORD, k as u8),
                Some(Class::Word(k)) => (ARABIC_WORD, (k as u32 - 0x0600) as u8),
            },
            None => (DECLINE, 0),
        };
        i += 1;
    }
    out
}

static ASCII_TABLE: [(u8, u8); 256] = table(0);
static ARABIC_TABLE: [(u8, u8); 256] = table(0x0600);

/// [`simple_key_words`] on bytes: ASCII and the two-byte Arabic block are
/// classified by table without decoding `char`s (the scan is most of a
/// simple article's normalization cost).
fn scan(text: &str, key: &mut Vec<u8>, spans: &mut Vec<(u32, u32)>) -> bool {
    key.clear();
    spans.clear();
    let src = text.as_bytes();
    // The open word's start in `key`, whether its last character is a
    // digit, and a separator seen after a digit, waiting for the next
    // character to know whether it joins.
    let mut start: Option<usize> = None;
    let mut last_digit = false;
    let mut pending: Option<u8> = None;
    let mut i = 0;
    while let Some(&b) = src.get(i) {
        let (kind, low) = if b < 0x80 {
            i += 1;
            ASCII_TABLE[usize::from(b)]
        } else if let (0xD8..=0xDB, Some(&next)) = (b, src.get(i + 1)) {
            i += 2;
            ARABIC_TABLE[usize::from(((b & 0x03) << 6) | (next & 0x3F))]
        } else {
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                return false;
            };
            i += c.len_utf8();
            match class(c) {
                Some(Class::Separator) => (SEPARATOR, 0),
                _ => return false,
            }
        };
        match kind {
            ASCII_WORD | ARABIC_WORD => {
                let digit = kind == ASCII_WORD && low.is_ascii_digit();
                if let Some(sep) = pending.take() {
                    if digit {
                        key.push(sep);
                    } else if let Some(s) = start.take() {
                        spans.push((s as u32, key.len() as u32));
                    }
                }
                if start.is_none() {
                    start = Some(key.len());
                }
                if kind == ASCII_WORD {
                    key.push(low);
                } else {
                    key.extend_from_slice(&[0xD8 | (low >> 6), 0x80 | (low & 0x3F)]);
                }
                last_digit = digit;
            }
            REMOVED => {}
            NUMBER_SEPARATOR if start.is_some() && last_digit && pending.is_none() => {
                pending = Some(low);
                last_digit = false;
            }
            SEPARATOR | NUMBER_SEPARATOR => {
                pending = None;
                if let Some(s) = start.take() {
                    spans.push((s as u32, key.len() as u32));
                }
                last_digit = false;
            }
            _ => return false,
        }
    }
    if let Some(s) = start {
        spans.push((s as u32, key.len() as u32));
    }
    true
}

/// What the vectors keep of one word: its token and stem ids, or nothing
/// (a stop word or a one-letter word).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordIds {
    pub token: u32,
    pub stem: u32,
}

/// Most distinct words remembered; the cache starts over beyond it.
const MAX_CACHED_WORDS: usize = 1 << 20;

/// Slots of the direct-mapped front of the [`WordCache`]: 16k entries of
/// 24 bytes stay in a core's L2 and hold the frequent words, which are most
/// of the occurrences (the map behind it holds ~10⁵–10⁶ words and missed the
/// caches; it was a tenth of the clustering time).
const HOT_SLOTS: usize = 1 << 14;

/// Word (matching-key form) → its term ids, computed once per distinct word
/// instead of once per occurrence.
///
/// Both levels are keyed by the word's 64-bit hash and hold what
/// [`content_word`] gives for it, a pure function of the word: the front
/// never needs invalidating and never changes an answer.
#[derive(Debug, Clone, Default)]
pub struct WordCache {
    ids: FxHashMap<u64, Option<WordIds>>,
    /// `hot[hash % HOT_SLOTS]` = `(hash, ids)`; empty slots hold a hash
    /// that cannot map to them (the slot index complemented).
    hot: Vec<(u64, Option<WordIds>)>,
}

impl WordCache {
    /// The ids of `word`, `None` for words the vectors skip.
    /// `word` is UTF-8 (bytes that are not give `None`).
    pub fn ids(&mut self, word: &[u8], ids_of: impl Fn(&str, &str) -> WordIds) -> Option<WordIds> {
        let hash = xxh3_64(word);
        if self.hot.is_empty() {
            self.hot = (0..HOT_SLOTS).map(|slot| (!(slot as u64), None)).collect();
        }
        let slot = hash as usize % HOT_SLOTS;
        if self.hot[slot].0 == hash {
            return self.hot[slot].1;
        }
        let ids = match self.ids.get(&hash) {
            Some(ids) => *ids,
            None => {
                let ids = std::str::from_utf8(word)
                    .ok()
                    .and_then(content_word)
                    .map(|(token, stem)| ids_of(token, stem));
                if self.ids.len() >= MAX_CACHED_WORDS {
                    self.ids.clear();
                }
                self.ids.insert(hash, ids);
                ids
            }
        };
        self.hot[slot] = (hash, ids);
        ids
    }
}

/// The (token, stem) forms of a word, or `None` for stop words and
/// one-letter words (the rule of [`crate::vectorize::word_forms`]).
pub fn content_word(word: &str) -> Option<(&str, &str)> {
    (word.chars().nth(1).is_some() && !stopwords::is_stopword(word))
        .then(|| (stem::strip_proclitics(word), stem::light10(word)))
}

/// The words of `text` the general way (any text).
pub fn general_key_words(text: &str, key: &mut Vec<u8>, spans: &mut Vec<(u32, u32)>) {
    let normalized = normalize::matching_key(text);
    spans.clear();
    spans.extend(tokenize::tokens(&normalized).map(|t| (t.start as u32, t.end as u32)));
    *key = normalized.into_bytes();
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fast(text: &str) -> Option<Vec<String>> {
        let (mut key, mut spans) = (Vec::new(), Vec::new());
        simple_key_words(text, &mut key, &mut spans).then(|| {
            spans
                .iter()
                .map(|(s, e)| String::from_utf8(key[*s as usize..*e as usize].to_vec()).unwrap())
                .collect()
        })
    }

    fn slow(text: &str) -> Vec<String> {
        let key = normalize::matching_key(text);
        tokenize::words(&key).map(str::to_string).collect()
    }

    #[test]
    fn news_text_takes_the_fast_path() {
        let text = "أعلنت وزارةُ الداخليّة، اليوم (الاثنين)، ضبط ٣٫٥ طن و2,500 قطعة سلاح في الساعة 12:30 — «عاجل» iPhone";
        assert_eq!(fast(text).unwrap(), slow(text));
        assert!(
            fast("ﻻ شيء").is_none(),
            "presentation forms go the general way"
        );
        assert!(fast("کتاب").is_none(), "Persian letters go the general way");
    }

    #[test]
    fn number_separators_join_only_digits() {
        for text in [
            "1.2.3", "a1.b", "1..2", "1.", ".5", "٣٫٥٫", "2, 3", "x:1:2", "1'2",
        ] {
            assert_eq!(fast(text).unwrap(), slow(text), "{text}");
        }
    }

    proptest! {
        #[test]
        fn fast_path_equals_the_general_one(
            text in "[ابتةىأإآءئؤيكلمنهوَُِّْـ٠-٩0-9a-zA-Z .,:'،؛؟«»٫٬٪\n\t-]{0,40}"
        ) {
            if let Some(words) = fast(&text) {
                prop_assert_eq!(words, slow(&text));
            }
        }
    }
}
