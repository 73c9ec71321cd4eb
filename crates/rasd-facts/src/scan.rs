//! Regex matches tried only where they may start: a pattern and a cheap
//! start pattern in, the pattern's leftmost-first matches out, the same
//! ones `regex::Regex::captures_iter` finds.
//!
//! The quote and figure patterns use Unicode word boundaries (`\b`), which
//! the regex crate's fast DFA cannot run over Arabic text: a whole-text
//! search then runs the slow NFA simulation over every byte (a tenth of
//! ingest's CPU time). The start pattern (no `\b`, literals and classes
//! only) runs on the fast engines and finds every position where a match
//! may begin; the pattern is run anchored at each such position in turn.
//! The first position where it matches is the leftmost match's start, and
//! the anchored search there picks the match the unanchored one would.

use regex_automata::meta::{BuildError, Regex};
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input};

/// A pattern with a start pattern that matches wherever the pattern's
/// matches may begin (a superset of their starts).
#[derive(Debug, Clone)]
pub(crate) struct StartedPattern {
    pattern: Regex,
    start: Regex,
}

impl StartedPattern {
    pub(crate) fn new(pattern: &str, start: &str) -> Result<StartedPattern, Box<BuildError>> {
        Ok(StartedPattern {
            pattern: Regex::new(pattern).map_err(Box::new)?,
            start: Regex::new(start).map_err(Box::new)?,
        })
    }

    /// Successive non-overlapping leftmost-first matches of the pattern in
    /// `text`, with their groups. An empty match is skipped (the patterns
    /// this serves never match empty).
    pub(crate) fn captures_iter<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = Captures> + 'a {
        let mut at = 0;
        std::iter::from_fn(move || {
            while at < text.len() {
                let candidate = self.start.search(&Input::new(text).range(at..))?.start();
                let mut caps = self.pattern.create_captures();
                self.pattern.search_captures(
                    &Input::new(text).range(candidate..).anchored(Anchored::Yes),
                    &mut caps,
                );
                match caps.get_match() {
                    Some(m) if m.end() > candidate => {
                        at = m.end();
                        return Some(caps);
                    }
                    _ => {
                        let width = text[candidate..].chars().next().map_or(1, char::len_utf8);
                        at = candidate + width;
                    }
                }
            }
            None
        })
    }
}

/// The text of group `name` of a match, with its byte range.
pub(crate) fn group<'t>(
    caps: &Captures,
    text: &'t str,
    name: &str,
) -> Option<(usize, usize, &'t str)> {
    caps.get_group_by_name(name)
        .map(|span| (span.start, span.end, &text[span.start..span.end]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn spans_of(p: &StartedPattern, text: &str) -> Vec<(usize, usize)> {
        p.captures_iter(text)
            .filter_map(|c| c.get_match().map(|m| (m.start(), m.end())))
            .collect()
    }

    fn reference(pattern: &str, text: &str) -> Vec<(usize, usize)> {
        regex::Regex::new(pattern)
            .unwrap()
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect()
    }

    #[test]
    fn word_bounded_arabic_matches_agree_with_a_whole_text_search() {
        let pattern =
            r"(?:نحو\s+)?\b(?:[0-9٠-٩]+|خمسة|خمس)\b\s*(?P<unit>[\p{Arabic}&&[^\s\d٠-٩]]+)?";
        let start = r"نحو|[0-9٠-٩]|خمسة|خمس";
        let p = StartedPattern::new(pattern, start).unwrap();
        let text = "قتل نحو ٣٠ شخصاً وأصيب 12 آخرون في خمسة أحياء، والخمسة عشر و2021م";
        let got = spans_of(&p, text);
        assert_eq!(got, reference(pattern, text));
        assert_eq!(got.len(), 3, "{got:?}");
        let caps = p.captures_iter(text).next().unwrap();
        assert_eq!(group(&caps, text, "unit").map(|g| g.2), Some("شخصا"));
    }

    proptest! {
        #[test]
        fn same_matches_as_captures_iter(text in "[نحو٣0 1خمسةa.،]{0,40}") {
            let pattern = r"(?:نحو\s+)?\b(?:[0-9٠-٩]+|خمسة|خمس)\b\s*(?P<unit>[\p{Arabic}&&[^\s\d٠-٩]]+)?";
            let p = StartedPattern::new(pattern, r"نحو|[0-9٠-٩]|خمسة|خمس").unwrap();
            prop_assert_eq!(spans_of(&p, &text), reference(pattern, &text));
        }
    }
}
