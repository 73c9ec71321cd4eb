//! Blocks: the common form every page takes before classification.
//!
//! A text dump gives one block per non-empty line. An HTML page gives one
//! block per paragraph-like element of the DOM (p, h1–h6, li, blockquote,
//! figcaption, td, div with direct text…), in document order, with hints
//! from the DOM. The same classifier then decides which blocks are the
//! article, so text and HTML pages follow one set of rules.

/// What kind of element a block came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BlockKind {
    /// A line of a text dump: no structure known.
    #[default]
    Line,
    /// An HTML heading, with its level (1–6).
    Heading(u8),
    /// An HTML paragraph or paragraph-like container.
    Paragraph,
    /// An HTML list item.
    ListItem,
    /// An HTML caption (figcaption, caption) or an element that looks like one.
    Caption,
    /// Preformatted text, tables cells and anything else.
    Other,
}

/// One block of text with the hints the page gives about it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Block {
    /// The block's text, display-normalized, whitespace collapsed, trimmed.
    pub text: String,
    pub kind: BlockKind,
    /// Share of the block's characters inside links (0 for text dumps).
    pub link_density: f32,
    /// What the DOM says about the block, from -1 (surely boilerplate:
    /// inside nav/aside/footer/comment/share/related containers) to +1
    /// (surely content: inside the region content scoring chose, or an
    /// `article`/`[itemprop=articleBody]` element); 0 when unknown.
    pub dom_hint: f32,
}

impl Block {
    /// A block of a text dump.
    pub fn line(text: impl Into<String>) -> Block {
        Block {
            text: text.into(),
            ..Block::default()
        }
    }
}
