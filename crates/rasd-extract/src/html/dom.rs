//! DOM → blocks: parses a page with html5ever (through `scraper`) and
//! linearizes the visible text into paragraph-like [`DomBlock`]s in
//! document order, with a compact arena of the elements they sit in.
//!
//! In: the page's HTML as a `&str`. Out: a [`Linearized`] page: `nodes`
//! (one [`DomNode`] per kept element, in preorder, so the subtree of node `i`
//! is `i..nodes[i].end`) and `blocks` (text runs, each pointing at the
//! element that contains it).
//!
//! What is dropped here, with its whole subtree: non-content elements
//! (script, style, noscript, template, svg, math, iframe, object, canvas,
//! form controls, nav, aside, dialog, marquee), ARIA navigation/complementary
//! regions, and hidden elements (`hidden`, `aria-hidden="true"`, inline
//! `display:none` / `visibility:hidden`). Boilerplate recognized by class or
//! id (comments, share bars, related lists…) is only *flagged*: content
//! scoring decides, since a wrong guess on a class name must not lose an
//! article.
//!
//! The walk is iterative (an explicit stack on the heap), so a page nested
//! 100,000 levels deep cannot overflow the call stack.

use ego_tree::NodeRef;
use scraper::node::Element;
use scraper::{Html, Node};

use crate::block::BlockKind;

/// Most elements kept in the arena; past it the rest of the page is ignored.
/// A 20 MB page has fewer than 2 M elements (each needs at least 3 bytes).
const MAX_NODES: usize = 2_000_000;
/// Longest text kept in one block, in bytes; longer runs are cut (no
/// paragraph is 256 KB long; a run that long is a data blob).
const MAX_BLOCK_BYTES: usize = 256 * 1024;

/// One element of the page, as far as content scoring cares.
#[derive(Debug, Clone, PartialEq)]
pub struct DomNode {
    /// Index of the parent element in the arena (`None` for the root).
    pub parent: Option<u32>,
    /// One past the last node of this element's subtree (preorder).
    pub end: u32,
    /// The lower-case tag name.
    pub tag: TagName,
    /// What the class, id and itemprop say: positive for content, negative
    /// for boilerplate (see [`class_weight`]).
    pub class_weight: i32,
    /// The class/id say boilerplate and nothing says content.
    pub boilerplate: bool,
    /// The class/id name a caption, photo credit, byline or gallery (see
    /// [`CAPTION_MARKS`]): text about the article, not of it.
    pub captioned: bool,
}

/// The tag names content scoring distinguishes; everything else is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagName {
    Html,
    Body,
    Article,
    Main,
    Section,
    Header,
    Footer,
    Div,
    P,
    Heading(u8),
    Li,
    List,
    Table,
    Td,
    Pre,
    Blockquote,
    Figure,
    Caption,
    Other,
}

/// A run of visible text between two block boundaries.
#[derive(Debug, Clone, PartialEq)]
pub struct DomBlock {
    /// Whitespace-collapsed, trimmed text (not yet display-normalized).
    pub text: String,
    pub kind: BlockKind,
    /// Characters of `text` that sat inside links.
    pub link_chars: u32,
    /// Characters of `text`.
    pub chars: u32,
    /// The arena index of the element that contains the run.
    pub node: u32,
}

/// A machine-readable publication time found in the body markup.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeStamp {
    /// The index of the first block at or after the element.
    pub before_block: u32,
    /// The `datetime` (or microdata `content`), validated.
    pub value: String,
}

/// Most `<time>` stamps kept per page.
const MAX_TIMES: usize = 64;

/// A page as blocks plus the element arena they point into.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Linearized {
    pub nodes: Vec<DomNode>,
    pub blocks: Vec<DomBlock>,
    /// `<time datetime>` stamps, in document order (update stamps left out).
    pub times: Vec<TimeStamp>,
}

impl Linearized {
    /// Whether block `b` lies inside the subtree of node `n`.
    pub fn contains(&self, n: u32, b: &DomBlock) -> bool {
        n <= b.node && b.node < self.nodes[n as usize].end
    }
}

/// Deepest element nesting parsed. The HTML5 tree builder scans its
/// stack of open elements on many start tags, so a page nested N deep costs
/// N² steps; real pages stay below a few hundred levels. A page deeper than
/// this is cut where it gets too deep (see [`nesting_cut`]).
pub const MAX_NESTING: usize = 4096;

/// Parses `html` with the HTML5 algorithm, up to [`nesting_cut`].
pub fn parse(html: &str) -> Html {
    Html::parse_document(&html[..nesting_cut(html)])
}

/// The byte offset where `html`'s element nesting first exceeds
/// [`MAX_NESTING`], or its length. A linear scan of the tags that really
/// nest: void elements, elements whose end tag is optional (p, li, td…),
/// self-closed tags, comments and raw text (script, style…) do not count.
pub fn nesting_cut(html: &str) -> usize {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + offset;
        let rest = &bytes[start + 1..];
        if rest.starts_with(b"!--") {
            at = match memchr::memmem::find(rest, b"-->") {
                Some(end) => start + 1 + end + 3,
                None => return bytes.len(),
            };
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let Some(tag_end) = memchr::memchr(b'>', &bytes[name_start..]) else {
            return bytes.len();
        };
        let tag_end = name_start + tag_end;
        at = tag_end + 1;
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            continue;
        }
        // Every name this scan tells apart is short: a longer one (a custom
        // element) nests. Lower-casing into a stack buffer keeps the scan
        // free of allocations (it runs over every tag of every page).
        let mut lower = [0u8; 16];
        let name: &[u8] = match lower.get_mut(..name_len) {
            Some(buf) => {
                buf.copy_from_slice(&bytes[name_start..name_start + name_len]);
                buf.make_ascii_lowercase();
                buf
            }
            None => b"",
        };
        if !nests(name) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
            continue;
        }
        if bytes[tag_end - 1] == b'/' {
            continue;
        }
        if is_raw_text(name) {
            let mut close = Vec::with_capacity(name.len() + 2);
            close.extend_from_slice(b"</");
            close.extend_from_slice(name);
            at = match find_ascii_ci(&bytes[at..], &close) {
                Some(end) => at + end,
                None => return bytes.len(),
            };
            continue;
        }
        depth += 1;
        if depth > MAX_NESTING {
            return start;
        }
    }
    bytes.len()
}

/// Elements that stay open until their end tag (`name` lower-case).
fn nests(name: &[u8]) -> bool {
    !matches!(
        name,
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"param"
            | b"source"
            | b"track"
            | b"wbr"
            | b"p"
            | b"li"
            | b"dt"
            | b"dd"
            | b"option"
            | b"optgroup"
            | b"tr"
            | b"td"
            | b"th"
            | b"tbody"
            | b"thead"
            | b"tfoot"
            | b"colgroup"
            | b"rb"
            | b"rt"
            | b"rp"
            | b"rtc"
            | b"html"
            | b"head"
            | b"body"
    )
}

fn is_raw_text(name: &[u8]) -> bool {
    matches!(
        name,
        b"script"
            | b"style"
            | b"textarea"
            | b"title"
            | b"xmp"
            | b"noembed"
            | b"noframes"
            | b"plaintext"
    )
}

/// The first offset of `needle` (ASCII) in `hay`, ignoring ASCII case.
fn find_ascii_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let first = needle.first()?;
    let mut at = 0;
    while let Some(i) = memchr::memchr(*first, &hay[at..]) {
        let start = at + i;
        if hay.len() - start >= needle.len()
            && hay[start..start + needle.len()].eq_ignore_ascii_case(needle)
        {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

/// Linearizes a parsed document into blocks (see the module doc).
pub fn linearize(doc: &Html) -> Linearized {
    let mut walk = Walk::default();
    // The stack holds nodes still to open, and markers to close the
    // elements opened so far; children are pushed in reverse so they pop
    // in document order.
    let mut stack: Vec<Step<'_>> = vec![Step::Open(doc.tree.root())];
    while let Some(step) = stack.pop() {
        match step {
            Step::Close(index, tag) => walk.close(index, tag),
            Step::Open(node) => match node.value() {
                Node::Text(text) => walk.text(text),
                Node::Element(el) => {
                    if walk.nodes.len() >= MAX_NODES {
                        continue;
                    }
                    match walk.open(el) {
                        Opened::Skip => {}
                        Opened::Void => {}
                        Opened::Element(index, tag) => {
                            stack.push(Step::Close(index, tag));
                            push_children(&mut stack, node);
                        }
                    }
                }
                Node::Document | Node::Fragment => push_children(&mut stack, node),
                _ => {}
            },
        }
    }
    walk.flush();
    Linearized {
        nodes: walk.nodes,
        blocks: walk.blocks,
        times: walk.times,
    }
}

enum Step<'a> {
    Open(NodeRef<'a, Node>),
    Close(u32, TagName),
}

fn push_children<'a>(stack: &mut Vec<Step<'a>>, node: NodeRef<'a, Node>) {
    stack.extend(node.children().rev().map(Step::Open));
}

enum Opened {
    /// Not content: the subtree is skipped.
    Skip,
    /// A void element handled on the spot (br, img, hr).
    Void,
    /// An element pushed on the arena with this index.
    Element(u32, TagName),
}

/// The walk's state: the arena, the blocks so far and the run being built.
#[derive(Default)]
struct Walk {
    nodes: Vec<DomNode>,
    blocks: Vec<DomBlock>,
    times: Vec<TimeStamp>,
    /// Arena indices of the open elements that start blocks.
    containers: Vec<u32>,
    /// The innermost open element (arena index).
    current: Option<u32>,
    text: String,
    chars: u32,
    link_chars: u32,
    /// Arena indices of the open `<a>` elements.
    links: Vec<u32>,
    /// An image was seen in this run's container since the last block: a
    /// short run that follows is a caption.
    after_image: bool,
}

impl Walk {
    fn open(&mut self, el: &Element) -> Opened {
        let name = el.name();
        match name {
            "br" => {
                self.flush();
                return Opened::Void;
            }
            "hr" => {
                self.flush();
                return Opened::Void;
            }
            "img" | "picture" | "video" => {
                self.flush();
                self.after_image = true;
                return Opened::Void;
            }
            _ => {}
        }
        if is_dropped(name) {
            return Opened::Skip;
        }
        let attrs = Attrs::of(el);
        if attrs.hides() {
            return Opened::Skip;
        }
        if name == "time" && self.times.len() < MAX_TIMES {
            self.time_stamp(el);
        }
        let tag = tag_name(name);
        let block_level = is_block_level(name);
        if block_level {
            self.flush();
        }
        let index = self.nodes.len() as u32;
        let (class_weight, boilerplate) = class_weight_of(&attrs);
        // The page's outer elements carry page-type classes
        // (`pmc-gallery__` on a story's body), never caption ones.
        let captioned = !matches!(
            tag,
            TagName::Html | TagName::Body | TagName::Main | TagName::Article
        ) && marks_caption(&attrs);
        self.nodes.push(DomNode {
            parent: self.current,
            end: index + 1,
            tag,
            class_weight,
            boilerplate,
            captioned,
        });
        self.current = Some(index);
        if block_level {
            self.containers.push(index);
        }
        if name == "a" {
            self.links.push(index);
        }
        Opened::Element(index, tag)
    }

    fn time_stamp(&mut self, el: &Element) {
        let what = [el.attr("class"), el.attr("itemprop"), el.attr("id")]
            .into_iter()
            .flatten()
            .collect::<String>()
            .to_ascii_lowercase();
        if what.contains("update") || what.contains("modif") {
            return;
        }
        let value = el
            .attr("datetime")
            .or_else(|| el.attr("content"))
            .filter(|v| v.len() <= 64)
            .and_then(super::metadata::valid_date);
        if let Some(value) = value {
            self.times.push(TimeStamp {
                before_block: self.blocks.len() as u32,
                value,
            });
        }
    }

    fn close(&mut self, index: u32, _tag: TagName) {
        let end = self.nodes.len() as u32;
        let node = &mut self.nodes[index as usize];
        node.end = end;
        let parent = node.parent;
        if self.containers.last() == Some(&index) {
            self.flush();
            self.containers.pop();
            self.after_image = false;
        }
        if self.links.last() == Some(&index) {
            self.links.pop();
        }
        self.current = parent;
    }

    fn text(&mut self, text: &str) {
        for c in text.chars() {
            if self.text.len() >= MAX_BLOCK_BYTES {
                break;
            }
            if c.is_whitespace() {
                if !self.text.is_empty() && !self.text.ends_with(' ') {
                    self.text.push(' ');
                }
                continue;
            }
            self.text.push(c);
            self.chars += 1;
            if !self.links.is_empty() {
                self.link_chars += 1;
            }
        }
    }

    fn flush(&mut self) {
        let text = self.text.trim_end();
        if !text.is_empty() {
            let node = self.containers.last().copied().unwrap_or(0);
            let kind = self.kind_of(node, text);
            self.blocks.push(DomBlock {
                text: text.to_string(),
                kind,
                link_chars: self.link_chars.min(self.chars),
                chars: self.chars,
                node,
            });
        }
        self.text.clear();
        self.chars = 0;
        self.link_chars = 0;
    }

    fn kind_of(&self, node: u32, text: &str) -> BlockKind {
        let Some(n) = self.nodes.get(node as usize) else {
            return BlockKind::Other;
        };
        let in_figure = self.ancestors(node).take(4).any(|a| {
            let a = &self.nodes[a as usize];
            a.captioned || matches!(a.tag, TagName::Figure | TagName::Caption)
        });
        if in_figure || n.tag == TagName::Caption {
            return BlockKind::Caption;
        }
        if self.after_image && text.chars().count() < 160 {
            return BlockKind::Caption;
        }
        match n.tag {
            TagName::Heading(level) => BlockKind::Heading(level),
            TagName::P | TagName::Div | TagName::Blockquote | TagName::Article => {
                BlockKind::Paragraph
            }
            TagName::Section | TagName::Main | TagName::Body => BlockKind::Paragraph,
            TagName::Li => BlockKind::ListItem,
            _ => BlockKind::Other,
        }
    }

    fn ancestors(&self, node: u32) -> impl Iterator<Item = u32> + '_ {
        std::iter::successors(Some(node), move |&n| self.nodes[n as usize].parent)
    }
}

/// Elements whose subtree is never article text.
fn is_dropped(name: &str) -> bool {
    matches!(
        name,
        "head"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "frame"
            | "frameset"
            | "object"
            | "embed"
            | "canvas"
            | "audio"
            | "input"
            | "textarea"
            | "select"
            | "option"
            | "button"
            | "label"
            | "nav"
            | "aside"
            | "dialog"
            | "marquee"
            | "map"
    )
}

/// The attributes extraction reads, gathered in one pass over the
/// element's attributes (looking each up by name scans them all again).
#[derive(Default)]
struct Attrs<'a> {
    class: Option<&'a str>,
    id: Option<&'a str>,
    itemprop: Option<&'a str>,
    role: Option<&'a str>,
    style: Option<&'a str>,
    aria_hidden: Option<&'a str>,
    hidden: bool,
}

impl<'a> Attrs<'a> {
    fn of(el: &'a Element) -> Attrs<'a> {
        let mut attrs = Attrs::default();
        for (name, value) in el.attrs() {
            match name {
                "class" => attrs.class = Some(value),
                "id" => attrs.id = Some(value),
                "itemprop" => attrs.itemprop = Some(value),
                "role" => attrs.role = Some(value),
                "style" => attrs.style = Some(value),
                "aria-hidden" => attrs.aria_hidden = Some(value),
                "hidden" => attrs.hidden = true,
                _ => {}
            }
        }
        attrs
    }

    /// The class and id values, when present and of a sane size.
    fn names(&self) -> impl Iterator<Item = &'a str> {
        [self.class, self.id]
            .into_iter()
            .flatten()
            .filter(|v| v.len() <= 1024)
    }

    /// Whether the element is hidden from readers.
    fn hides(&self) -> bool {
        if self.hidden {
            return true;
        }
        if self
            .aria_hidden
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        {
            return true;
        }
        if let Some(role) = self.role {
            let role = role.trim().to_ascii_lowercase();
            if matches!(
                role.as_str(),
                "navigation" | "complementary" | "dialog" | "alertdialog" | "menu" | "menubar"
            ) {
                return true;
            }
        }
        if let Some(style) = self.style {
            // Inline styles are short; a huge one is junk and not parsed.
            if style.len() < 4096 {
                let compact: String = style
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .flat_map(char::to_lowercase)
                    .collect();
                if compact.contains("display:none") || compact.contains("visibility:hidden") {
                    return true;
                }
            }
        }
        false
    }
}

fn is_block_level(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "blockquote"
            | "pre"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "figure"
            | "figcaption"
            | "address"
            | "center"
            | "details"
            | "summary"
            | "body"
            | "html"
            | "form"
            | "fieldset"
            | "legend"
            | "hgroup"
    )
}

fn tag_name(name: &str) -> TagName {
    match name {
        "html" => TagName::Html,
        "body" => TagName::Body,
        "article" => TagName::Article,
        "main" => TagName::Main,
        "section" => TagName::Section,
        "header" => TagName::Header,
        "footer" => TagName::Footer,
        "div" | "center" => TagName::Div,
        "p" => TagName::P,
        "h1" => TagName::Heading(1),
        "h2" => TagName::Heading(2),
        "h3" => TagName::Heading(3),
        "h4" => TagName::Heading(4),
        "h5" => TagName::Heading(5),
        "h6" => TagName::Heading(6),
        "li" | "dt" | "dd" => TagName::Li,
        "ul" | "ol" | "dl" => TagName::List,
        "table" | "tbody" | "thead" | "tfoot" | "tr" => TagName::Table,
        "td" | "th" => TagName::Td,
        "pre" => TagName::Pre,
        "blockquote" => TagName::Blockquote,
        "figure" => TagName::Figure,
        "figcaption" | "caption" => TagName::Caption,
        _ => TagName::Other,
    }
}

/// Parts of class and id names that mark captions, photo credits, bylines
/// and galleries. Matched inside words: sites compose them freely
/// (`caption-truncated`, `hst-resgallery-container`, `wp-caption-text`).
const CAPTION_MARKS: &[&str] = &[
    "caption",
    "credit",
    "gallery",
    "slideshow",
    "carousel",
    "byline",
];

/// Whether the class or id names a caption, credit, byline or gallery.
fn marks_caption(attrs: &Attrs<'_>) -> bool {
    attrs.names().any(|v| {
        CAPTION_MARKS.iter().any(|m| {
            v.as_bytes()
                .windows(m.len())
                .any(|w| w.eq_ignore_ascii_case(m.as_bytes()))
        })
    })
}

/// Words in class and id names that mark article content, in the
/// conventions of English and Arabic sites (Arabic sites often
/// transliterate: `matn` text, `khabar` news, `tafasil` details).
const POSITIVE_HINTS: &[&str] = &[
    "article", "content", "entry", "post", "story", "text", "matn", "nass", "khabar", "details",
    "detail", "tafasil", "body", "main", "blog", "hentry", "single", "news", "page", "column",
];

/// Words in class and id names that mark boilerplate.
const NEGATIVE_HINTS: &[&str] = &[
    "nav",
    "menu",
    "footer",
    "sidebar",
    "comment",
    "share",
    "sharing",
    "social",
    "related",
    "ticker",
    "breaking",
    "tags",
    "tag",
    "keywords",
    "ads",
    "ad",
    "advert",
    "advertisement",
    "promo",
    "sponsor",
    "newsletter",
    "subscribe",
    "cookie",
    "consent",
    "breadcrumb",
    "breadcrumbs",
    "widget",
    "popup",
    "modal",
    "banner",
    "masthead",
    "outbrain",
    "taboola",
    "disqus",
    "pagination",
    "pager",
    "most",
    "popular",
    "trending",
    "recommended",
    "more",
    "signup",
    "login",
    "copyright",
    "toolbar",
    "print",
    "rating",
    "author-bio",
    "byline",
    "meta",
    "teaser",
    "also",
    "readmore",
    "shoutbox",
    "skyscraper",
    "sponsored",
    "footnote",
    "header",
    "top",
    "logo",
    "search",
    "drawer",
    "mega",
];

/// Hints that are strong enough to call an element boilerplate on their own.
const BOILERPLATE_HINTS: &[&str] = &[
    "comment",
    "comments",
    "share",
    "sharing",
    "social",
    "related",
    "ticker",
    "sidebar",
    "newsletter",
    "cookie",
    "breadcrumb",
    "breadcrumbs",
    "outbrain",
    "taboola",
    "disqus",
    "promo",
    "advert",
    "advertisement",
    "ad",
    "ads",
    "tags",
    "keywords",
    "popular",
    "trending",
    "recommended",
    "most",
    "widget",
    "menu",
    "nav",
    "footer",
    "pagination",
    "subscribe",
    "signup",
    "sponsored",
    "readmore",
    "also",
];

/// Scores the class, id and itemprop of an element: +25 for a content
/// hint, −25 for a boilerplate hint (as Readability does), and whether it
/// is boilerplate outright (a strong negative hint and no positive one).
pub fn class_weight(el: &Element) -> (i32, bool) {
    class_weight_of(&Attrs::of(el))
}

fn class_weight_of(attrs: &Attrs<'_>) -> (i32, bool) {
    let mut weight = 0;
    let mut positive = false;
    let mut strong_negative = false;
    if let Some(prop) = attrs.itemprop {
        if prop.contains("articleBody") || prop.contains("text") {
            return (50, false);
        }
    }
    for value in attrs.names() {
        let lower = value.to_ascii_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let has = |list: &[&str]| words.iter().any(|w| list.contains(w));
        let mut value_weight = 0;
        if has(POSITIVE_HINTS) {
            value_weight += 25;
            positive = true;
        }
        if has(NEGATIVE_HINTS) {
            value_weight -= 25;
        }
        if has(BOILERPLATE_HINTS) {
            strong_negative = true;
        }
        weight += value_weight;
    }
    (weight, strong_negative && !positive)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(html: &str) -> Vec<(String, BlockKind)> {
        linearize(&parse(html))
            .blocks
            .into_iter()
            .map(|b| (b.text, b.kind))
            .collect()
    }

    fn texts(html: &str) -> Vec<String> {
        blocks(html).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn paragraphs_and_headings_keep_their_order_and_kind() {
        let got = blocks(
            "<article><h1>انفجار في المرفأ</h1><p>قال مسؤول إن الانفجار وقع صباحاً.</p>\
             <h2>الخسائر</h2><p>قدرت الخسائر بملايين الدولارات.</p></article>",
        );
        assert_eq!(
            got,
            vec![
                ("انفجار في المرفأ".to_string(), BlockKind::Heading(1)),
                (
                    "قال مسؤول إن الانفجار وقع صباحاً.".to_string(),
                    BlockKind::Paragraph
                ),
                ("الخسائر".to_string(), BlockKind::Heading(2)),
                (
                    "قدرت الخسائر بملايين الدولارات.".to_string(),
                    BlockKind::Paragraph
                ),
            ]
        );
    }

    #[test]
    fn inline_elements_join_without_spurious_spaces() {
        assert_eq!(
            texts("<p>ال<b>سعودية</b> و<a href=x>الكويت</a>، <em>اليوم</em>.</p>"),
            ["السعودية والكويت، اليوم."]
        );
    }

    #[test]
    fn line_breaks_split_paragraphs() {
        assert_eq!(
            texts("<div>الفقرة الأولى<br><br>الفقرة الثانية</div>"),
            ["الفقرة الأولى", "الفقرة الثانية"]
        );
    }

    #[test]
    fn scripts_hidden_and_navigation_are_dropped() {
        let got = texts(
            "<body><script>var a = 'نص';</script><style>p{}</style>\
             <nav><a href=/>الرئيسية</a></nav><div hidden>مخفي</div>\
             <div aria-hidden=\"true\">مخفي</div><div style=\"display: none\">مخفي</div>\
             <aside>اقرأ أيضاً</aside><p>النص الظاهر</p></body>",
        );
        assert_eq!(got, ["النص الظاهر"]);
    }

    #[test]
    fn link_characters_are_counted() {
        let page = linearize(&parse("<p>كلمة <a href=x>رابط</a></p>"));
        let b = &page.blocks[0];
        assert_eq!((b.chars, b.link_chars), (8, 4));
    }

    #[test]
    fn a_short_run_after_an_image_is_a_caption() {
        let got = blocks("<p><img src=a.jpg><br><small>صورة أرشيفية</small></p>");
        assert_eq!(got, [("صورة أرشيفية".to_string(), BlockKind::Caption)]);
    }

    #[test]
    fn caption_credit_and_gallery_classes_make_captions() {
        let got = blocks(
            "<body class=\"pmc-gallery__\"><div class=\"entry\">\
             <div class=\"hst-resgallery-container\"><ul><li><div>صورة من موقع الحادث</div></li></ul></div>\
             <p class=\"byline\">كتب: محمد علي</p>\
             <div class=\"caption-truncated\">رجال الإطفاء في موقع الحريق</div>\
             <p>اندلع حريق في مستودع للأخشاب صباح اليوم، وتمكنت فرق الدفاع المدني من السيطرة عليه.</p></div></body>",
        );
        let kinds: Vec<BlockKind> = got.iter().map(|(_, k)| *k).collect();
        assert_eq!(
            kinds,
            [
                BlockKind::Caption,
                BlockKind::Caption,
                BlockKind::Caption,
                BlockKind::Paragraph
            ],
            "{got:?}"
        );
    }

    #[test]
    fn boilerplate_classes_are_flagged_not_dropped() {
        let page = linearize(&parse(
            "<div class=\"related-posts\"><p>خبر ذو صلة</p></div>\
             <div class=\"entry-content\"><p>المتن</p></div>",
        ));
        let flagged: Vec<bool> = page
            .blocks
            .iter()
            .map(|b| page.nodes[page.nodes[b.node as usize].parent.unwrap() as usize].boilerplate)
            .collect();
        assert_eq!(flagged, [true, false]);
    }

    #[test]
    fn subtree_ranges_nest() {
        let page = linearize(&parse("<div><p>أ</p><p>ب</p></div><p>ج</p>"));
        let div = page
            .nodes
            .iter()
            .position(|n| n.tag == TagName::Div)
            .unwrap() as u32;
        let inside: Vec<bool> = page.blocks.iter().map(|b| page.contains(div, b)).collect();
        assert_eq!(inside, [true, true, false]);
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let deep = |depth: usize| {
            format!(
                "<p>تمهيد</p>{}عمق{}",
                "<div>".repeat(depth),
                "</div>".repeat(depth)
            )
        };
        // Within the cap the whole page is read, through an iterative walk.
        let page = linearize(&parse(&deep(MAX_NESTING - 1)));
        assert_eq!(texts_of(&page), ["تمهيد", "عمق"]);
        // Past it the page is cut where it gets too deep.
        let page = linearize(&parse(&deep(100_000)));
        assert_eq!(texts_of(&page), ["تمهيد"]);
    }

    fn texts_of(page: &Linearized) -> Vec<&str> {
        page.blocks.iter().map(|b| b.text.as_str()).collect()
    }

    #[test]
    fn nesting_scan_ignores_what_does_not_nest() {
        let flat = "<p>أ<p>ب<br><img src=x><li>ج".repeat(10_000);
        assert_eq!(nesting_cut(&flat), flat.len());
        let script = format!("<script>{}</script><div>نص</div>", "<div>".repeat(10_000));
        assert_eq!(nesting_cut(&script), script.len());
        let commented = format!("<!--{}--><b>نص</b>", "<div>".repeat(10_000));
        assert_eq!(nesting_cut(&commented), commented.len());
        let deep = "<span>".repeat(MAX_NESTING + 1);
        assert_eq!(nesting_cut(&deep), MAX_NESTING * "<span>".len());
    }
}
