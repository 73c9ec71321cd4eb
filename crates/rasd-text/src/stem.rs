//! Clitic stripping and light stemming for Arabic words.
//!
//! All functions expect a word already in [matching-key](crate::normalize::matching_key)
//! form (alef, yeh and taa marbuta folded, no harakat), and return a slice
//! or a new string; they never fail. Non-Arabic words come back unchanged.
//!
//! Two stemmers are offered and measured against each other (see the
//! project's search evaluation): [`light10`] (Larkey, Ballesteros & Connell
//! 2007), which only peels affixes and so keeps distinct words apart, and
//! [`snowball`] (the Snowball Arabic stemmer via `rust-stemmers`), which is
//! more aggressive. rasd's default is [`light10`].

use std::borrow::Cow;

/// Light10's definite-article prefixes, longest first.
const ARTICLES: [&str; 6] = ["وال", "بال", "كال", "فال", "لل", "ال"];
/// Light10's suffixes in matching-key form (ة and ى already folded), longest first.
const SUFFIXES: [&str; 8] = ["ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي"];

fn char_len(s: &str) -> usize {
    s.chars().count()
}

fn is_arabic_word(word: &str) -> bool {
    word.chars().next().is_some_and(crate::is_arabic_letter)
}

/// Light10: strip a leading و (when ≥ 3 letters remain), one definite
/// article (when ≥ 2 remain), then suffixes right to left (while ≥ 2 remain).
pub fn light10(word: &str) -> &str {
    if !is_arabic_word(word) {
        return word;
    }
    let mut w = word;
    if let Some(rest) = w.strip_prefix('و') {
        if char_len(rest) >= 3 {
            w = rest;
        }
    }
    for article in ARTICLES {
        if let Some(rest) = w.strip_prefix(article) {
            if char_len(rest) >= 2 {
                w = rest;
                break;
            }
        }
    }
    'outer: loop {
        if char_len(w) <= 2 {
            break;
        }
        for suffix in SUFFIXES {
            if let Some(rest) = w.strip_suffix(suffix) {
                if char_len(rest) >= 2 {
                    w = rest;
                    continue 'outer;
                }
            }
        }
        break;
    }
    w
}

/// Removes proclitics — the conjunctions و ف, the prepositions ب ل ك, and
/// the article ال (with لل for ل + ال) — keeping at least two letters.
///
/// Unlike [`light10`] this leaves suffixes alone, so `وللقوات` → `قوات` and
/// `وقال` → `قال`. It is used for stop-word lookup and entity keys.
pub fn strip_proclitics(word: &str) -> &str {
    if !is_arabic_word(word) {
        return word;
    }
    let min = 2;
    let mut w = word;
    for conj in ['و', 'ف'] {
        if let Some(rest) = w.strip_prefix(conj) {
            if char_len(rest) > min {
                w = rest;
                break;
            }
        }
    }
    if let Some(rest) = w.strip_prefix("لل") {
        if char_len(rest) > min {
            return rest;
        }
    }
    for prep in ['ب', 'ك', 'ل'] {
        if let Some(rest) = w.strip_prefix(prep) {
            if rest.starts_with("ال") && char_len(rest) > min + 2 {
                w = rest;
                break;
            }
        }
    }
    if let Some(rest) = w.strip_prefix("ال") {
        if char_len(rest) >= min {
            return rest;
        }
    }
    w
}

/// The Snowball Arabic stemmer; Latin-script words go through Snowball English.
pub fn snowball(word: &str) -> Cow<'_, str> {
    use rust_stemmers::{Algorithm, Stemmer};
    use std::sync::OnceLock;
    static ARABIC: OnceLock<Stemmer> = OnceLock::new();
    static ENGLISH: OnceLock<Stemmer> = OnceLock::new();
    if is_arabic_word(word) {
        ARABIC
            .get_or_init(|| Stemmer::create(Algorithm::Arabic))
            .stem(word)
    } else if word.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        ENGLISH
            .get_or_init(|| Stemmer::create(Algorithm::English))
            .stem(word)
    } else {
        Cow::Borrowed(word)
    }
}

/// Which light stemmer to use, for components that let users choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Stemmer {
    #[default]
    Light10,
    Snowball,
}

impl Stemmer {
    pub fn stem<'a>(self, word: &'a str) -> Cow<'a, str> {
        match self {
            Stemmer::Light10 => Cow::Borrowed(light10(word)),
            Stemmer::Snowball => snowball(word),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn light10_conflates_clitic_forms() {
        // القوات, وللقوات, قوات must meet in one stem.
        let stems: Vec<_> = ["القوات", "وللقوات", "قوات", "بالقوات"]
            .iter()
            .map(|w| light10(w))
            .collect();
        assert!(stems.iter().all(|s| *s == stems[0]), "{stems:?}");
        assert_eq!(light10("الامريكيه"), "امريك");
        // Light10 is greedy by design: a root-initial و goes too (وزير → زير).
        assert_eq!(light10("وزير"), "زير");
        assert_eq!(light10("Biden"), "Biden");
    }

    #[test]
    fn proclitics_only() {
        assert_eq!(strip_proclitics("وقال"), "قال");
        assert_eq!(strip_proclitics("وللقوات"), "قوات");
        assert_eq!(strip_proclitics("بالعراق"), "عراق");
        // Greedy: look a word up as it is before its stripped form.
        assert_eq!(strip_proclitics("فيما"), "يما");
        assert_eq!(strip_proclitics("في"), "في");
        assert_eq!(strip_proclitics("ولا"), "ولا");
    }

    #[test]
    fn snowball_runs() {
        assert!(!snowball("الامريكيه").is_empty());
        assert_eq!(snowball("talks"), "talk");
    }
}
