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

impl<'a> Token<'a> {
    /// The token `text[start..end]`: a word when it holds a letter, else a number.
    fn spanning(text: &'a str, start: usize, end: usize, has_letter: bool) -> Token<'a> {
        Token {
            text: &text[start..end],
            start,
            end,
            kind: if has_letter {
                TokenKind::Word
            } else {
                TokenKind::Number
            },
        }
    }
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

/// What one char does inside a token: the rule of the module docs, one
/// answer per char.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// A token char that makes the token a word (letters, and Unicode's
    /// alphabetic marks such as the harakat).
    Letter,
    /// A digit of any of the three Arabic-script digit sets.
    Digit,
    /// Another token char (tatweel, joiners, non-alphabetic marks).
    Inner,
    /// Not a token char, but joins two digit runs.
    Separator,
    /// Ends a token.
    Stop,
}

fn class_of(c: char) -> Class {
    if is_token_char(c) {
        if is_digit(c) {
            Class::Digit
        } else if crate::is_arabic_letter(c) || c.is_alphanumeric() {
            Class::Letter
        } else {
            Class::Inner
        }
    } else if is_number_separator(c) {
        Class::Separator
    } else {
        Class::Stop
    }
}

/// Chars below U+0800 (one or two UTF-8 bytes: ASCII and all of Arabic).
const TABLE_CHARS: usize = 0x800;

/// [`class_of`] for every char below [`TABLE_CHARS`], built once from the
/// rule itself, so the table cannot disagree with it.
fn class_table() -> &'static [Class; TABLE_CHARS] {
    static TABLE: std::sync::OnceLock<[Class; TABLE_CHARS]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [Class::Stop; TABLE_CHARS];
        for (code, class) in table.iter_mut().enumerate() {
            if let Some(c) = char::from_u32(code as u32) {
                *class = class_of(c);
            }
        }
        table
    })
}

/// The class and UTF-8 width of the char at byte `i` of `text` (a char
/// boundary), `None` at the end. One- and two-byte chars are decoded here
/// and looked up in the table: a `&str` is valid UTF-8, so a lead byte
/// `110xxxxx` is followed by exactly one continuation byte.
// Inlined into both loops of `next`: as a call it cost a sixth of tokenizing.
#[inline(always)]
fn class_at(text: &str, table: &[Class; TABLE_CHARS], i: usize) -> Option<(Class, usize)> {
    let bytes = text.as_bytes();
    let &lead = bytes.get(i)?;
    if lead.is_ascii() {
        return Some((table[usize::from(lead)], 1));
    }
    if lead & 0xE0 == 0xC0 {
        let &next = bytes.get(i + 1)?;
        let code = usize::from(lead & 0x1F) << 6 | usize::from(next & 0x3F);
        return Some((table[code], 2));
    }
    let c = text.get(i..)?.chars().next()?;
    Some((class_of(c), c.len_utf8()))
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    // Table-driven: the per-char Unicode checks and `char_indices` were
    // the search snippets' largest cost. A property test checks this
    // against the plain char-by-char rule.
    fn next(&mut self) -> Option<Token<'a>> {
        let text = self.text;
        let table = class_table();
        let mut i = self.pos;
        let start = loop {
            let (class, width) = class_at(text, table, i)?;
            if matches!(class, Class::Letter | Class::Digit | Class::Inner) {
                break i;
            }
            i += width;
        };
        let mut end = start;
        let mut has_letter = false;
        let mut prev_digit = false;
        let mut i = start;
        while let Some((class, width)) = class_at(text, table, i) {
            match class {
                Class::Letter => {
                    has_letter = true;
                    prev_digit = false;
                }
                Class::Digit => prev_digit = true,
                Class::Inner => prev_digit = false,
                Class::Separator
                    if prev_digit
                        && class_at(text, table, i + width)
                            .is_some_and(|(next, _)| next == Class::Digit) =>
                {
                    // keep going: the separator joins two digit runs.
                    prev_digit = false;
                    i += width;
                    continue;
                }
                Class::Separator | Class::Stop => break,
            }
            i += width;
            end = i;
        }
        self.pos = end;
        Some(Token::spanning(text, start, end, has_letter))
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

    /// The rule as written in the module docs, char by char: the
    /// reference the fast path must agree with.
    fn reference_tokens(text: &str) -> Vec<Token<'_>> {
        let mut out = Vec::new();
        let mut pos = 0;
        while let Some((skip, _)) = text[pos..].char_indices().find(|&(_, c)| is_token_char(c)) {
            let start = pos + skip;
            let mut end = start;
            let mut has_letter = false;
            let mut prev_digit = false;
            let mut iter = text[start..].char_indices().peekable();
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
                    prev_digit = false;
                } else {
                    break;
                }
            }
            pos = end;
            out.push(Token::spanning(text, start, end, has_letter));
        }
        out
    }

    /// Characters where the fast path and the general rule meet: ASCII
    /// letters, digits and separators, Arabic letters, Arabic-Indic and
    /// extended digits with their separators, harakat (alphabetic by
    /// Unicode), tatweel, joiners, Latin accents, other scripts' digits
    /// and letters, punctuation and spaces.
    const MIXED: &str =
        "aZ09.,:'_ -؟،«»٫٬ابتةىءأإآؤئـًٌٍَُِّْٰ٠١٩۰۹\u{200C}\u{200D}\u{0301}é²٣ßЖ中०१\u{FFFF}\u{10FFFF}!";

    proptest! {
        #[test]
        fn the_fast_path_follows_the_rule(picks in proptest::collection::vec(0usize..64, 0..80)) {
            let alphabet: Vec<char> = MIXED.chars().collect();
            let text: String = picks.iter().map(|&p| alphabet[p % alphabet.len()]).collect();
            prop_assert_eq!(tokens(&text).collect::<Vec<_>>(), reference_tokens(&text));
        }

        #[test]
        fn the_fast_path_follows_the_rule_on_any_text(s in "\\PC{0,80}") {
            prop_assert_eq!(tokens(&s).collect::<Vec<_>>(), reference_tokens(&s));
        }

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
