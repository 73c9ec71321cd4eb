//! Lexing: a line of text in, a list of tokens (numbers, words, single
//! punctuation marks) out, each with its byte range in the ORIGINAL text.
//!
//! Words carry their `rasd_text::normalize::matching_key`, so lexicon
//! lookups ignore hamza, taa-marbuta, harakat, tatweel and case, while the
//! byte offsets still point into the text the caller gave. Numbers carry
//! their value (Arabic-Indic and Persian digits read as ASCII) and digit
//! count. A digit run never joins a letter run: `8th` is `8` + `th`,
//! `1442هـ` is `1442` + `ه`.

use rasd_text::normalize::{ascii_digit, is_arabic_mark, is_invisible_control, matching_key};

/// Longest token we build; longer runs are cut (bounds work on hostile input).
const MAX_TOKEN_BYTES: usize = 256;

/// What a token is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A run of digits. `value` saturates; `digits` counts them.
    Num { value: u32, digits: u8 },
    /// A run of letters (and marks); the key is its matching key.
    Word(String),
    /// One character that is neither a letter, a digit nor a space.
    Punct(char),
}

/// One token of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// Whitespace stands between this token and the previous one.
    pub space_before: bool,
}

impl Tok {
    pub fn word(&self) -> Option<&str> {
        match &self.kind {
            Kind::Word(k) => Some(k),
            _ => None,
        }
    }

    pub fn num(&self) -> Option<(u32, u8)> {
        match self.kind {
            Kind::Num { value, digits } => Some((value, digits)),
            _ => None,
        }
    }

    pub fn punct(&self) -> Option<char> {
        match self.kind {
            Kind::Punct(c) => Some(c),
            _ => None,
        }
    }

    pub fn is_word(&self, key: &str) -> bool {
        self.word() == Some(key)
    }

    pub fn is_punct(&self, c: char) -> bool {
        self.punct() == Some(c)
    }
}

/// The decimal value of a digit in any of the three digit sets.
pub(crate) fn digit_value(c: char) -> Option<u32> {
    if c.is_ascii_digit() {
        return c.to_digit(10);
    }
    match c {
        '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}' => {
            ascii_digit(c).and_then(|d| d.to_digit(10))
        }
        _ => None,
    }
}

fn is_word_char(c: char) -> bool {
    (rasd_text::is_letter(c) && digit_value(c).is_none())
        || is_arabic_mark(c)
        || matches!(c, '\u{200C}' | '\u{200D}')
        || ('\u{0300}'..='\u{036F}').contains(&c)
}

/// Whether `text` holds any digit (ASCII, Arabic-Indic or Persian): one
/// pass over the bytes with no decoding, to skip lines that cannot hold a
/// date. (memchr does not fit: Arabic letters share the lead bytes D9/DB
/// with the Arabic-Indic and Persian digits.)
pub(crate) fn has_digit(text: &str) -> bool {
    let bytes = text.as_bytes();
    // U+0660–U+0669 are D9 A0–D9 A9; U+06F0–U+06F9 are DB B0–DB B9.
    bytes
        .iter()
        .zip(bytes.iter().skip(1).chain([&0u8]))
        .any(|(&b, &next)| {
            b.is_ascii_digit()
                || (b == 0xD9 && (0xA0..=0xA9).contains(&next))
                || (b == 0xDB && (0xB0..=0xB9).contains(&next))
        })
}

/// How far (in tokens) from a number a word can matter to a date: cue
/// labels, weekday, month names, AM/PM words and zone names all sit within
/// this distance of the day, year or clock.
const WORD_REACH: usize = 8;

/// The tokens of `text` for date finding: like [`lex`], but words farther
/// than [`WORD_REACH`] tokens from every number get an empty key (computing
/// matching keys is the costly part, and long paragraphs are mostly words).
pub(crate) fn lex_near_numbers(text: &str) -> Vec<Tok> {
    let mut toks = lex_with(text, false);
    let mut last_num: Option<usize> = None;
    let next_num: Vec<Option<usize>> = {
        let mut next = vec![None; toks.len()];
        let mut seen = None;
        for i in (0..toks.len()).rev() {
            if toks[i].num().is_some() {
                seen = Some(i);
            }
            next[i] = seen;
        }
        next
    };
    for i in 0..toks.len() {
        if toks[i].num().is_some() {
            last_num = Some(i);
            continue;
        }
        let near = last_num.is_some_and(|n| i - n <= WORD_REACH)
            || next_num[i].is_some_and(|n| n - i <= WORD_REACH);
        if near && matches!(toks[i].kind, Kind::Word(_)) {
            let Tok { start, end, .. } = toks[i];
            toks[i].kind = Kind::Word(matching_key(&text[start..end]));
        }
    }
    toks
}

/// The tokens of `text`, in order.
pub(crate) fn lex(text: &str) -> Vec<Tok> {
    lex_with(text, true)
}

/// Tokens, with word keys computed when `keys` (else left empty).
fn lex_with(text: &str, keys: bool) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut space_before = false;
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            space_before = true;
            continue;
        }
        if is_invisible_control(c) {
            continue;
        }
        let mut end = start + c.len_utf8();
        let kind = if let Some(d) = digit_value(c) {
            let (mut value, mut digits) = (d, 1u8);
            while let Some(&(i, n)) = chars.peek() {
                let Some(d) = digit_value(n) else { break };
                if i - start >= MAX_TOKEN_BYTES {
                    break;
                }
                value = value.saturating_mul(10).saturating_add(d);
                digits = digits.saturating_add(1);
                end = i + n.len_utf8();
                chars.next();
            }
            Kind::Num { value, digits }
        } else if is_word_char(c) {
            while let Some(&(i, n)) = chars.peek() {
                if !is_word_char(n) || i - start >= MAX_TOKEN_BYTES {
                    break;
                }
                end = i + n.len_utf8();
                chars.next();
            }
            Kind::Word(if keys {
                matching_key(&text[start..end])
            } else {
                String::new()
            })
        } else {
            Kind::Punct(c)
        };
        toks.push(Tok {
            start,
            end,
            kind,
            space_before,
        });
        space_before = false;
    }
    toks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_digits_from_letters_and_keys_words() {
        let text = "الجمعة ٢٣/07/2021م 8th";
        let toks = lex(text);
        let kinds: Vec<_> = toks.iter().map(|t| t.kind.clone()).collect();
        assert_eq!(
            kinds,
            [
                Kind::Word("الجمعه".into()),
                Kind::Num {
                    value: 23,
                    digits: 2
                },
                Kind::Punct('/'),
                Kind::Num {
                    value: 7,
                    digits: 2
                },
                Kind::Punct('/'),
                Kind::Num {
                    value: 2021,
                    digits: 4
                },
                Kind::Word("م".into()),
                Kind::Num {
                    value: 8,
                    digits: 1
                },
                Kind::Word("th".into()),
            ]
        );
        assert_eq!(&text[toks[1].start..toks[1].end], "٢٣");
        assert!(toks[1].space_before && !toks[2].space_before);
    }

    #[test]
    fn tatweel_and_harakat_vanish_from_keys() {
        let toks = lex("١٤٤٥هـ مساءً");
        assert_eq!(toks[1].word(), Some("ه"));
        assert_eq!(toks[2].word(), Some("مساء"));
    }

    #[test]
    fn digit_check_sees_all_digit_sets() {
        assert!(has_digit("في ٢٠٢١"));
        assert!(has_digit("في ۱۴۰۰"));
        assert!(has_digit("x 7"));
        assert!(!has_digit("قال الرئيس اليوم إن المفاوضات مستمرة"));
        assert!(!has_digit(""));
    }

    #[test]
    fn far_words_get_no_key() {
        let text = "قال الوزير إن الحكومة ستعمل على تنفيذ الخطة الجديدة خلال الأشهر المقبلة بعد 23 يوليو 2021";
        let toks = lex_near_numbers(text);
        assert_eq!(toks[0].word(), Some(""));
        assert_eq!(toks.last().and_then(|t| t.num()), Some((2021, 4)));
        assert_eq!(toks[toks.len() - 2].word(), Some("يوليو"));
    }
}
