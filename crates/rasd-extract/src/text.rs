//! Text dumps → blocks, within fixed bounds.
//!
//! In: the content of a text page (one block per line, like Common Crawl
//! WET). Out: one [`Block`] per non-empty line, display-normalized,
//! whitespace collapsed and trimmed. Bounds keep the work linear and small
//! whatever the input: only the first [`Limits::max_page_bytes`] are read,
//! at most [`Limits::max_lines`] blocks are kept, and a line longer than
//! [`Limits::max_line_bytes`] is cut to a short prefix and marked as
//! boilerplate (`dom_hint = -1`), since no article paragraph is that long.

use crate::block::Block;
use rasd_text::normalize::display;

/// Size bounds for one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of a page read at most; the rest is ignored.
    pub max_page_bytes: usize,
    /// Blocks kept at most.
    pub max_lines: usize,
    /// A line longer than this is junk (cut to [`OVERSIZED_PREFIX`] bytes).
    pub max_line_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_page_bytes: 4 << 20,
            max_lines: 4_000,
            max_line_bytes: 20_000,
        }
    }
}

/// Bytes of an oversized line kept, for tickers and diagnostics.
pub const OVERSIZED_PREFIX: usize = 2_000;

/// The largest char boundary of `s` at or below `at`.
pub fn floor_boundary(s: &str, at: usize) -> usize {
    if at >= s.len() {
        return s.len();
    }
    let mut i = at;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Collapses runs of spaces to one, keeping a two-space run as a double
/// space (ticker separators are runs of spaces in text dumps), and trims.
fn collapse(line: &str) -> String {
    let line = line.trim();
    let mut out = String::with_capacity(line.len());
    // Splitting at the ASCII space keeps every piece on char boundaries;
    // empty pieces are the extra spaces of a run.
    let mut spaces = 0;
    for piece in line.split(' ') {
        if piece.is_empty() {
            spaces += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if spaces >= 1 { "  " } else { " " });
        }
        spaces = 0;
        out.push_str(piece);
    }
    out
}

/// The blocks of a text dump.
pub fn blocks_from_text(content: &str, limits: &Limits) -> Vec<Block> {
    let mut blocks = Vec::new();
    let end = floor_boundary(content, limits.max_page_bytes);
    for raw in content[..end].split('\n') {
        if blocks.len() >= limits.max_lines {
            break;
        }
        if raw.len() > limits.max_line_bytes {
            let cut = floor_boundary(raw, OVERSIZED_PREFIX);
            let text = collapse(&display(&raw[..cut]));
            blocks.push(Block {
                text,
                dom_hint: -1.0,
                ..Block::default()
            });
            continue;
        }
        if raw.trim().is_empty() {
            continue;
        }
        let text = collapse(&display(raw));
        if !text.is_empty() {
            blocks.push(Block::line(text));
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn one_block_per_non_empty_line() {
        let b = blocks_from_text(
            "العنوان\r\n\r\n  نص   الخبر\u{200F} هنا.  \n\n",
            &Limits::default(),
        );
        let texts: Vec<_> = b.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["العنوان", "نص  الخبر هنا."]);
    }

    #[test]
    fn space_runs_become_one_or_two_spaces() {
        assert_eq!(collapse("  أ ب  ج     د "), "أ ب  ج  د");
        assert_eq!(collapse("   "), "");
        assert_eq!(collapse("كلمة"), "كلمة");
    }

    #[test]
    fn oversized_line_is_cut_and_marked() {
        let line = "خبر ".repeat(30_000);
        let b = blocks_from_text(&format!("عنوان\n{line}\nنهاية"), &Limits::default());
        assert_eq!(b.len(), 3);
        assert!(b[1].text.len() <= OVERSIZED_PREFIX);
        assert_eq!(b[1].dom_hint, -1.0);
    }

    #[test]
    fn bounds_hold() {
        let limits = Limits {
            max_page_bytes: 100,
            max_lines: 3,
            max_line_bytes: 50,
        };
        let b = blocks_from_text(&"سطر قصير\n".repeat(100), &limits);
        assert_eq!(b.len(), 3);
    }

    proptest! {
        #[test]
        fn never_panics_and_blocks_are_trimmed(s in "\\PC{0,200}") {
            let limits = Limits { max_page_bytes: 64, max_lines: 10, max_line_bytes: 16 };
            for b in blocks_from_text(&s, &limits) {
                prop_assert!(!b.text.is_empty());
                prop_assert_eq!(b.text.trim(), b.text.as_str());
            }
        }
    }
}
