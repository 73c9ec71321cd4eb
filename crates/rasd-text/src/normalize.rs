//! Normalization in two strengths, each a chain of small character filters.
//!
//! [`display`] (lossless for a reader) runs, in order:
//! 1. NFC.
//! 2. Invisible format controls removed: U+200B–U+200F (zero-width space,
//!    ZWNJ, ZWJ, LRM, RLM), U+061C (Arabic letter mark), U+202A–U+202E (bidi
//!    embeddings and overrides), U+2066–U+2069 (bidi isolates), U+FEFF (BOM),
//!    U+00AD (soft hyphen).
//! 3. Arabic presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFC) folded to the
//!    base letters by their compatibility decomposition (`ﻻ` → `لا`).
//! 4. Every whitespace character (NBSP, thin spaces, tabs…) other than a
//!    newline becomes U+0020; CR LF and CR become LF.
//!
//! [`matching_key`] runs `display`, then:
//! 5. Harakat and Quranic marks removed: U+0610–U+061A, U+064B–U+065F,
//!    U+0670 (superscript alef), U+06D6–U+06ED; tatweel U+0640 removed.
//! 6. Letters folded: أ إ آ ٱ (and the wavy-hamza alefs U+0672, U+0673,
//!    U+0675) → ا; ى → ي; ة → ه; Persian/Urdu ی ې → ي, ک → ك, ە ۀ ہ ھ → ه,
//!    ے → ي, ۂ → ه, ڪ → ك.
//! 7. Digits: Arabic-Indic ٠–٩ and Persian ۰–۹ → 0–9; ٫ (decimal
//!    separator) → `.`, ٬ (thousands separator) → `,`, ٪ → `%`, ؉ ؊ kept.
//! 8. Latin letters lower-cased.
//!
//! Both functions are idempotent: `f(f(x)) == f(x)` (property-tested below).

use unicode_normalization::char::decompose_compatible;
use unicode_normalization::{IsNormalized, UnicodeNormalization};

/// Lossless normalization for display and storage (steps 1–4 above).
pub fn display(text: &str) -> String {
    // Plain news text usually passes every step unchanged: one cheap scan
    // and a copy then replace the filter chain.
    if surely_nfc(text, true) {
        return text.to_string();
    }
    // Most text is already NFC: the quick check costs far less than the
    // composing iterator, which runs only when the check is unsure.
    let (out, dropped) = if surely_nfc(text, false)
        || unicode_normalization::is_nfc_quick(text.chars()) == IsNormalized::Yes
    {
        display_filters(text.chars(), text.len())
    } else {
        display_filters(text.nfc(), text.len())
    };
    // Folding presentation forms or dropping a control between a base and a
    // mark can leave sequences that NFC composes (e.g. alef + madda);
    // re-compose then so the result is stable.
    if dropped && !out.is_ascii() {
        out.nfc().collect()
    } else {
        out
    }
}

/// Text made only of characters that are NFC whatever surrounds them
/// (quick-check Yes and combining class 0): Latin below U+0300, Arabic
/// letters, digits and punctuation, common typographic punctuation. It
/// spares the table look-ups of the full quick check on plain news text.
///
/// Harakat U+064B–U+0652 (quick-check Yes, non-zero combining class) are
/// allowed one at a time: a lone mark is always in canonical order.
/// With `display_too`, also no character that the display filters change
/// (then `display(text) == text`).
fn surely_nfc(text: &str, display_too: bool) -> bool {
    let mut after_mark = false;
    for c in text.chars() {
        let mark = ('\u{064B}'..='\u{0652}').contains(&c);
        let ok = if mark {
            !after_mark
        } else {
            surely_nfc_char(c) && !(display_too && display_changes(c))
        };
        if !ok {
            return false;
        }
        after_mark = mark;
    }
    true
}

/// NFC whatever surrounds it: quick-check Yes and combining class 0.
fn surely_nfc_char(c: char) -> bool {
    c < '\u{0300}'
        || matches!(c, '\u{0600}'..='\u{060F}' | '\u{061B}'..='\u{064A}'
            | '\u{0660}'..='\u{066F}' | '\u{0671}'..='\u{06D5}'
            | '–' | '—' | '‘' | '’' | '“' | '”' | '…' | '•')
}

/// The surely-NFC characters that the display filters drop or rewrite.
fn display_changes(c: char) -> bool {
    matches!(
        c,
        '\t' | '\x0B' | '\x0C' | '\r' | '\u{85}' | '\u{A0}' | '\u{AD}' | '\u{061C}'
    )
}

/// Steps 2–4 over NFC characters; also says whether a presentation form was
/// folded or a control dropped (the cases that may need re-composing).
fn display_filters(chars: impl Iterator<Item = char>, bytes: usize) -> (String, bool) {
    let mut chars = chars.peekable();
    let mut out = String::with_capacity(bytes);
    let mut dropped = false;
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' => out.push('\n'),
            c if is_invisible_control(c) => dropped = true,
            c if is_presentation_form(c) => {
                dropped = true;
                decompose_compatible(c, |d| {
                    if !is_invisible_control(d) {
                        out.push(if d.is_whitespace() { ' ' } else { d })
                    }
                });
            }
            c if c.is_whitespace() => out.push(' '),
            c => out.push(c),
        }
    }
    (out, dropped)
}

/// The lossy matching key used to compare, index and deduplicate text
/// (steps 1–8 above).
pub fn matching_key(text: &str) -> String {
    key_of_displayed(&display(text))
}

/// The matching key of text that is already [`display`]-normalized (steps
/// 5–8 only): for callers that keep the display form too and would
/// otherwise pay for NFC twice. Equals `matching_key(s)` when `s == display(s)`.
pub fn key_of_displayed(shown: &str) -> String {
    let mut out = String::with_capacity(shown.len());
    // Most characters map to themselves: copy them in runs.
    let mut run = 0;
    for (i, c) in shown.char_indices() {
        if key_keeps(c) {
            continue;
        }
        out.push_str(&shown[run..i]);
        push_key_char(&mut out, c);
        run = i + c.len_utf8();
    }
    out.push_str(&shown[run..]);
    out
}

/// Characters the key keeps as they are: ASCII other than capitals, and the
/// core Arabic letters other than the folded ones (أ إ آ ى ة).
fn key_keeps(c: char) -> bool {
    if c.is_ascii() {
        !c.is_ascii_uppercase()
    } else {
        matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}')
            && !matches!(c, 'أ' | 'إ' | 'آ' | 'ى' | 'ة')
    }
}

/// Appends the matching key of one already display-normalized character.
fn push_key_char(out: &mut String, c: char) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    if is_arabic_mark(c) {
        return;
    }
    if let Some(folded) = fold_letter(c) {
        out.push(folded);
        return;
    }
    if let Some(d) = ascii_digit(c) {
        out.push(d);
        return;
    }
    // The Arabic block has no case: skip the Unicode case tables.
    if ('\u{0600}'..='\u{06FF}').contains(&c) {
        out.push(c);
    } else if c.is_uppercase() {
        out.extend(c.to_lowercase());
    } else {
        out.push(c);
    }
}

/// Invisible format and bidi controls removed by [`display`].
pub fn is_invisible_control(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}')
}

fn is_presentation_form(c: char) -> bool {
    matches!(c, '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}')
}

/// Harakat, Quranic annotation marks and tatweel, removed by [`matching_key`].
pub fn is_arabic_mark(c: char) -> bool {
    matches!(c, '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}' | '\u{0640}')
}

/// The folded letter for the letters [`matching_key`] unifies.
fn fold_letter(c: char) -> Option<char> {
    Some(match c {
        'أ' | 'إ' | 'آ' | 'ٱ' | '\u{0672}' | '\u{0673}' | '\u{0675}' => 'ا',
        'ى' | 'ی' | 'ې' | 'ے' => 'ي',
        'ة' | 'ە' | 'ۀ' | 'ہ' | 'ھ' | 'ۂ' => 'ه',
        'ک' | 'ڪ' => 'ك',
        _ => return None,
    })
}

/// ASCII form of Arabic-Indic and Persian digits and of the Arabic number
/// separators; `None` for any other character.
pub fn ascii_digit(c: char) -> Option<char> {
    match c {
        '\u{0660}'..='\u{0669}' => char::from_digit(c as u32 - 0x0660, 10),
        '\u{06F0}'..='\u{06F9}' => char::from_digit(c as u32 - 0x06F0, 10),
        '٫' => Some('.'),
        '٬' => Some(','),
        '٪' => Some('%'),
        _ => None,
    }
}

/// Replaces Arabic-Indic and Persian digits (and ٫ ٬ ٪) by their ASCII
/// forms, leaving everything else untouched.
pub fn ascii_digits(text: &str) -> String {
    text.chars().map(|c| ascii_digit(c).unwrap_or(c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn display_removes_controls_and_keeps_letters() {
        let s = "\u{FEFF}بايدن\u{200F} والكاظمي\u{202B}\u{00A0}في\u{2066}واشنطن\u{2069}\r\n";
        assert_eq!(display(s), "بايدن والكاظمي فيواشنطن\n");
        // Harakat are kept for display.
        assert_eq!(display("قُوّات"), "قُوّات");
    }

    #[test]
    fn display_folds_presentation_forms() {
        // ﻻ (lam-alef ligature) and ﺑ (beh initial form).
        assert_eq!(display("\u{FEFB}\u{FE91}"), "لاب");
    }

    #[test]
    fn key_folds_letters_marks_and_digits() {
        assert_eq!(matching_key("أإآٱ"), "اااا");
        assert_eq!(matching_key("مستشفى المدينة"), "مستشفي المدينه");
        assert_eq!(matching_key("الأمريكيـــة"), "الامريكيه");
        assert_eq!(matching_key("عَلَيْهِمْ"), "عليهم");
        assert_eq!(matching_key("ٰ"), "");
        assert_eq!(matching_key("فارسی کتاب"), "فارسي كتاب");
        assert_eq!(matching_key("٢٥٠٠ جندي و۱۴ مصرفا"), "2500 جندي و14 مصرفا");
        assert_eq!(matching_key("٣٫٥ ٪64 ١٬٠٠٠"), "3.5 %64 1,000");
        assert_eq!(matching_key("Getty Images"), "getty images");
    }

    #[test]
    fn surely_nfc_chars_pass_the_full_quick_check() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let s = c.to_string();
            if surely_nfc_char(c) {
                assert_eq!(
                    unicode_normalization::is_nfc_quick(s.chars()),
                    IsNormalized::Yes,
                    "{c:?}"
                );
                assert_eq!(s.nfc().collect::<String>(), s, "{c:?}");
                assert_eq!(
                    unicode_normalization::char::canonical_combining_class(c),
                    0,
                    "{c:?}"
                );
            }
        }
        assert!(surely_nfc(
            "أعلنت الوزارة، اليوم «الثلاثاء» 3 مارس – 2020…",
            true
        ));
        assert!(surely_nfc("أيضاً قُوات", true));
        // Two marks in a row may be out of canonical order.
        assert!(!surely_nfc("قوَّات", false));
        assert!(!surely_nfc("سطر\tثان", true));
        assert!(surely_nfc("سطر\tثان", false));
        for m in '\u{064B}'..='\u{0652}' {
            assert_eq!(
                unicode_normalization::is_nfc_quick(std::iter::once(m)),
                IsNormalized::Yes
            );
        }
    }

    #[test]
    fn kept_characters_map_to_themselves() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if key_keeps(c) {
                let mut out = String::new();
                push_key_char(&mut out, c);
                assert_eq!(out, c.to_string(), "{c:?}");
            }
            if surely_nfc_char(c) && !display_changes(c) {
                let (out, dropped) = display_filters(std::iter::once(c), 4);
                assert_eq!((out, dropped), (c.to_string(), false), "{c:?}");
            }
        }
    }

    #[test]
    fn key_folds_decomposed_madda() {
        // alef + combining madda composes to آ under NFC, then folds to ا.
        assert_eq!(matching_key("\u{0627}\u{0653}"), "ا");
    }

    proptest! {
        #[test]
        fn display_is_idempotent(s in "\\PC{0,40}") {
            let once = display(&s);
            prop_assert_eq!(display(&once), once);
        }

        #[test]
        fn fast_paths_match_the_filter_chain(s in "[\u{0600}-\u{06FF} a-zA-Z0-9\t\r\n\u{A0}\u{AD}\u{200F}\u{2013}\u{FE8D}-\u{FE92}]{0,40}") {
            let nfc: String = s.nfc().collect();
            let (filtered, dropped) = display_filters(nfc.chars(), nfc.len());
            let slow = if dropped && !filtered.is_ascii() { filtered.nfc().collect() } else { filtered };
            prop_assert_eq!(display(&s), slow.clone());
            let mut key = String::new();
            for c in slow.chars() {
                push_key_char(&mut key, c);
            }
            prop_assert_eq!(matching_key(&s), key);
        }

        #[test]
        fn key_is_idempotent(s in "\\PC{0,40}") {
            let once = matching_key(&s);
            prop_assert_eq!(matching_key(&once), once);
        }

        #[test]
        fn arabic_key_is_idempotent(s in "[\u{0600}-\u{06FF}\u{FB50}-\u{FDFF}\u{FE70}-\u{FEFF} \u{200B}-\u{200F}]{0,40}") {
            let once = matching_key(&s);
            prop_assert_eq!(matching_key(&once), once.clone());
            let shown = display(&s);
            prop_assert_eq!(display(&shown), shown);
        }
    }
}
