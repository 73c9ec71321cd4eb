//! Tokenization: words and numbers with byte offsets into the input.
//!
//! A token is a maximal run of letters, combining marks (harakat), tatweel
//! and digits. A number keeps its inner separators when a digit stands on
//! both sides: `2,500`, `3.5`, `٣٫٥`, `١٬٠٠٠` and `12:30` are one token each.
//! Everything else (spaces, punctuation, quotes, symbols) separates tokens.
//! Offsets always fall on `char` boundaries of the input.

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Contains at least one letter.
    Word,
    /// Digits only, with optional inner separators.
    Number,
}

/// One token: a slice of the input with its byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

fn is_token_char(c: char) -> bool {
    // ASCII and Arabic letters first: the Unicode tables behind
    // `is_alphanumeric` cost more than the rest of tokenizing together.
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if crate::is_arabic_letter(c) {
        return true;
    }
    if is_common_punctuation(c) {
        return false;
    }
    c.is_alphanumeric() || crate::normalize::is_arabic_mark(c) || is_joiner(c) || is_mark(c)
}

/// Punctuation and spaces of Arabic news text, answered before the Unicode
/// tables are consulted.
fn is_common_punctuation(c: char) -> bool {
    matches!(
        c,
        '،' | '؛'
            | '؟'
            | '٪'
            | '٫'
            | '٬'
            | '٭'
            | '۔'
            | '«'
            | '»'
            | '–'
            | '—'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '…'
            | '•'
            | '·'
            | '\u{A0}'
    )
}

/// Zero-width joiners that may sit inside a word (Persian and Urdu write them).
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

/// Combining marks of any script (Latin accents left decomposed, Arabic harakat).
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}'
        | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}')
}

fn is_number_separator(c: char) -> bool {
    matches!(c, '.' | ',' | '٫' | '٬' | ':' | '\'')
}

/// Iterator over the tokens of a text; see the module docs for the rules.
pub struct Tokens<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let rest = &self.text[self.pos..];
        let (skip, _) = rest.char_indices().find(|&(_, c)| is_token_char(c))?;
        let start = self.pos + skip;
        let mut end = start;
        let mut has_letter = false;
        let mut prev_digit = false;
        let mut iter = self.text[start..].char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            if is_token_char(c) {
                if !is_digit(c) && (crate::is_arabic_letter(c) || c.is_alphanumeric()) {
                    has_letter = true;
                }
                prev_digit = is_digit(c);
                end = start + i + c.len_utf8();
            } else if prev_digit
                && is_number_separator(c)
                && iter.peek().is_some_and(|&(_, n)| is_digit(n))
            {
                // keep going: the separator joins two digit runs.
                prev_digit = false;
            } else {
                break;
            }
        }
        self.pos = end;
        Some(Token {
            text: &self.text[start..end],
            start,
            end,
            kind: if has_letter {
                TokenKind::Word
            } else {
                TokenKind::Number
            },
        })
    }
}

/// Tokens of `text` with their offsets.
pub fn tokens(text: &str) -> Tokens<'_> {
    Tokens { text, pos: 0 }
}

/// Just the token strings of `text`.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    tokens(text).map(|t| t.text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn common_punctuation_is_never_part_of_a_token() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if is_common_punctuation(c) {
                assert!(
                    !c.is_alphanumeric()
                        && !crate::normalize::is_arabic_mark(c)
                        && !is_joiner(c)
                        && !is_mark(c)
                        && !crate::is_arabic_letter(c),
                    "{c:?}"
                );
            }
        }
    }

    #[test]
    fn numbers_stay_whole() {
        let w: Vec<_> = words("نحو ٣٫٥ مليون و2,500 جندي عند 12:30، بنسبة 64٪.").collect();
        assert_eq!(
            w,
            [
                "نحو",
                "٣٫٥",
                "مليون",
                "و2,500",
                "جندي",
                "عند",
                "12:30",
                "بنسبة",
                "64"
            ]
        );
    }

    #[test]
    fn harakat_and_tatweel_stay_inside_words() {
        let w: Vec<_> = words("القُوّات الأمريكيـة: \"انسحاب\"").collect();
        assert_eq!(w, ["القُوّات", "الأمريكيـة", "انسحاب"]);
    }

    #[test]
    fn kinds_and_offsets() {
        let t: Vec<_> = tokens("عام 2021.").collect();
        assert_eq!(t[1].kind, TokenKind::Number);
        assert_eq!(t[0].kind, TokenKind::Word);
        assert_eq!(&"عام 2021."[t[1].start..t[1].end], "2021");
    }

    proptest! {
        #[test]
        fn tokens_are_slices_in_order(s in "\\PC{0,60}") {
            let mut last = 0;
            for t in tokens(&s) {
                prop_assert!(t.start >= last && t.end > t.start);
                prop_assert_eq!(&s[t.start..t.end], t.text);
                last = t.end;
            }
        }
    }
}
