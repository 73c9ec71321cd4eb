//! The Arabic text core every rasd stage uses.
//!
//! - [`normalize`]: two strengths. [`normalize::display`] is lossless for a
//!   reader (NFC, invisible controls removed, presentation forms folded);
//!   [`normalize::matching_key`] is the lossy key used to compare text
//!   (harakat and tatweel gone, alef/yeh/taa-marbuta folded, digits in ASCII).
//!   Both are idempotent.
//! - [`tokenize`]: words and numbers with byte offsets into the input;
//!   `٣٫٥` and `2,500` stay one token.
//! - [`stem`]: clitic stripping and light stemming (Light10, or Snowball
//!   Arabic through `rust-stemmers`).
//! - [`stopwords`]: Arabic and English function words, looked up on the
//!   matching key, with proclitics stripped.
//! - [`lang`]: language codes and tags to ISO 639-1.
//!
//! ```
//! use rasd_text::{normalize, tokenize, stem};
//! let key = normalize::matching_key("وللقُوّاتِ الأمريكيـة ٣٫٥");
//! assert_eq!(key, "وللقوات الامريكيه 3.5");
//! let words: Vec<&str> = tokenize::words(&key).collect();
//! assert_eq!(words, ["وللقوات", "الامريكيه", "3.5"]);
//! assert_eq!(stem::light10("وللقوات"), "قو");
//! assert_eq!(stem::strip_proclitics("وللقوات"), "قوات");
//! ```

pub mod lang;
pub mod normalize;
pub mod stem;
pub mod stopwords;
pub mod tokenize;

/// Whether `c` is a letter of the Arabic script (not a digit, mark or punctuation).
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{063F}' | '\u{0641}'..='\u{064A}' | '\u{066E}'..='\u{066F}'
        | '\u{0671}'..='\u{06D3}' | '\u{06D5}' | '\u{06EE}'..='\u{06EF}' | '\u{06FA}'..='\u{06FC}'
        | '\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08C9}')
}

/// `char::is_alphabetic`, answered without the Unicode tables for ASCII
/// and the core Arabic letters (the tables' binary search dominated
/// per-character loops over Arabic text).
pub fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else if matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}') {
        true
    } else {
        c.is_alphabetic()
    }
}

/// Share of letters in `text` that are Arabic (0.0 when it has no letters).
pub fn arabic_ratio(text: &str) -> f32 {
    let (mut arabic, mut letters) = (0usize, 0usize);
    for c in text.chars() {
        if is_letter(c) {
            letters += 1;
            if is_arabic_letter(c) {
                arabic += 1;
            }
        }
    }
    if letters == 0 {
        0.0
    } else {
        arabic as f32 / letters as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_letter_agrees_with_unicode_on_every_char() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
        }
        assert!(is_letter('ب') && is_letter('a') && !is_letter('٣') && !is_letter('،'));
    }

    #[test]
    fn arabic_ratio_counts_letters_only() {
        assert_eq!(arabic_ratio("خبر 2020 news"), 3.0 / 7.0);
        assert_eq!(arabic_ratio("123 ،"), 0.0);
    }
}
