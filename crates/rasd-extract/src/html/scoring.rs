//! Content scoring: which region of the DOM holds the article.
//!
//! In: a [`Linearized`] page. Out: a [`Region`] (the best-scoring element
//! and the siblings that continue it) and one `dom_hint` per block.
//!
//! The method is Readability's, adapted: every paragraph-like block of at
//! least [`MIN_SCORED_CHARS`] characters scores `1 + commas + min(chars /
//! 100, 3)` (the Arabic comma ، and the ideographic one count), added to
//! its container and, with decay, to four more ancestors. Elements start
//! from a tag prior (div +5, td/pre/blockquote +3, lists −3, headings −5,
//! article +10) plus their class/id weight, and the final score is scaled
//! by `1 − link density`. Siblings of the winner that score at least a
//! fifth of it, or read like paragraphs on their own, join the region.

use super::dom::{DomBlock, Linearized, TagName};
use crate::block::BlockKind;

/// Shorter blocks do not vote for a container (menus, labels, buttons).
pub const MIN_SCORED_CHARS: u32 = 25;
/// Ancestors a block's score reaches (its container included).
const SCORE_LEVELS: usize = 5;

/// The article's region: subtrees of the arena, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// The best-scoring element.
    pub top: u32,
    /// `top` and the siblings that join it, in document order.
    pub roots: Vec<u32>,
}

impl Region {
    /// Whether `block` lies inside the region.
    pub fn contains(&self, page: &Linearized, block: &DomBlock) -> bool {
        self.roots.iter().any(|&r| page.contains(r, block))
    }
}

/// Characters and link characters of every element's subtree.
struct Totals {
    chars: Vec<u32>,
    link_chars: Vec<u32>,
    /// The index of the last block inside each subtree.
    last_block: Vec<Option<u32>>,
}

impl Totals {
    fn of(page: &Linearized) -> Totals {
        let n = page.nodes.len();
        let mut chars = vec![0u32; n];
        let mut link_chars = vec![0u32; n];
        let mut last_block = vec![None; n];
        for (i, b) in page.blocks.iter().enumerate() {
            if let Some(last) = last_block.get_mut(b.node as usize) {
                *last = Some(i as u32);
            }
            if let Some(c) = chars.get_mut(b.node as usize) {
                *c = c.saturating_add(b.chars);
                link_chars[b.node as usize] =
                    link_chars[b.node as usize].saturating_add(b.link_chars);
            }
        }
        // Preorder puts every parent before its children: one reverse pass
        // sums subtrees without recursion.
        for i in (0..n).rev() {
            if let Some(p) = page.nodes[i].parent {
                chars[p as usize] = chars[p as usize].saturating_add(chars[i]);
                link_chars[p as usize] = link_chars[p as usize].saturating_add(link_chars[i]);
                last_block[p as usize] = last_block[p as usize].max(last_block[i]);
            }
        }
        Totals {
            chars,
            link_chars,
            last_block,
        }
    }

    fn link_density(&self, node: u32) -> f32 {
        let c = self.chars[node as usize];
        if c == 0 {
            0.0
        } else {
            self.link_chars[node as usize] as f32 / c as f32
        }
    }
}

/// The score a paragraph gives its containers.
pub fn paragraph_score(text: &str, chars: u32) -> f32 {
    let commas = text
        .chars()
        .filter(|c| matches!(c, ',' | '،' | '、' | '，'))
        .count();
    1.0 + commas as f32 + (chars as f32 / 100.0).min(3.0)
}

fn tag_prior(tag: TagName) -> f32 {
    match tag {
        TagName::Div | TagName::Section => 5.0,
        TagName::Article => 10.0,
        TagName::Main => 5.0,
        TagName::Td | TagName::Pre | TagName::Blockquote => 3.0,
        TagName::List | TagName::Li => -3.0,
        TagName::Heading(_) => -5.0,
        TagName::Header | TagName::Footer => -5.0,
        _ => 0.0,
    }
}

/// Chooses the article's region, or `None` when no block is long enough
/// to vote (an empty page, a menu).
pub fn choose_region(page: &Linearized) -> Option<Region> {
    let n = page.nodes.len();
    if n == 0 {
        return None;
    }
    let totals = Totals::of(page);
    let mut score: Vec<Option<f32>> = vec![None; n];
    let init = |i: usize| {
        let node = &page.nodes[i];
        tag_prior(node.tag) + node.class_weight as f32
    };
    for b in &page.blocks {
        if b.chars < MIN_SCORED_CHARS || b.link_chars * 2 > b.chars {
            continue;
        }
        if matches!(b.kind, BlockKind::Heading(_) | BlockKind::Caption) {
            continue;
        }
        let own = &page.nodes[b.node as usize];
        // A <p> votes for its parent; text straight in a div votes for the div.
        let start = match own.tag {
            TagName::P | TagName::Li | TagName::Pre | TagName::Blockquote | TagName::Other => {
                own.parent
            }
            _ => Some(b.node),
        };
        let gain = paragraph_score(&b.text, b.chars);
        let mut at = start;
        for level in 0..SCORE_LEVELS {
            let Some(i) = at else { break };
            let i = i as usize;
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            let s = score[i].get_or_insert_with(|| init(i));
            *s += gain / divider;
            at = page.nodes[i].parent;
        }
    }
    let final_score =
        |i: usize| -> Option<f32> { score[i].map(|s| s * (1.0 - totals.link_density(i as u32))) };
    // An element under a boilerplate container (a comment thread, a
    // related list) is not the article, however well it scores: comments
    // are prose too. It wins only when nothing else scores. A container
    // holding most of the page's text is a wrapper whatever its class
    // says (`has-sidebar`, `menu-open`), so it does not count.
    let page_chars = totals.chars.first().copied().unwrap_or(0);
    let mut under_boilerplate = vec![false; n];
    for (i, node) in page.nodes.iter().enumerate() {
        let small = totals.chars[i] * 2 < page_chars;
        under_boilerplate[i] = (node.boilerplate && small)
            || node.parent.is_some_and(|p| under_boilerplate[p as usize]);
    }
    let mut top: Option<(usize, f32)> = None;
    let mut top_under: Option<(usize, f32)> = None;
    for (i, &under) in under_boilerplate.iter().enumerate() {
        if let Some(s) = final_score(i) {
            let best = if under { &mut top_under } else { &mut top };
            // Ties go to the deeper (later) element: it is the tighter fit.
            if best.is_none_or(|(_, b)| s >= b) {
                *best = Some((i, s));
            }
        }
    }
    let (top, top_score) = top.or(top_under)?;
    let top = climb_to_split_article(page, &under_boilerplate, &final_score, top, top_score);
    let top_score = final_score(top).unwrap_or(top_score);
    let top = top as u32;
    let mut roots = vec![top];
    if let Some(parent) = page.nodes[top as usize].parent {
        let threshold = (top_score * 0.2).max(10.0);
        roots = children(page, parent)
            .filter(|&c| {
                if c == top {
                    return true;
                }
                let c_us = c as usize;
                if page.nodes[c_us].boilerplate {
                    return false;
                }
                if final_score(c_us).is_some_and(|s| s >= threshold) {
                    return true;
                }
                let chars = totals.chars[c_us];
                let density = totals.link_density(c);
                if page.nodes[c_us].tag != TagName::P {
                    return false;
                }
                // A paragraph beside the winner continues it when it reads
                // like prose: long with few links, or a full sentence.
                (chars > 80 && density < 0.25)
                    || (density == 0.0 && ends_sentence(page, totals.last_block[c_us]))
            })
            .collect();
    }
    Some(Region { top, roots })
}

/// Ancestors of the winner climbed at most to gather an article split
/// over several containers.
const MAX_CLIMB: usize = 3;
/// A container scoring at least this share of the winner is another part
/// of the same article when they share a close ancestor.
const PART_SHARE: f32 = 0.5;

/// Readability's rule for articles split over containers (ads or embeds
/// between them, one wrapper per few paragraphs): when another container
/// like the winner and scoring close to it sits under one of the winner's
/// nearest ancestors, the article is that ancestor. The climb stops at a
/// boilerplate container and never goes above [`MAX_CLIMB`] levels.
fn climb_to_split_article(
    page: &Linearized,
    under_boilerplate: &[bool],
    final_score: &impl Fn(usize) -> Option<f32>,
    top: usize,
    top_score: f32,
) -> usize {
    // Parts of one article are alike: same element, same class weight
    // (`article-body-component` twice); a teaser list beside it is not.
    let (tag, weight) = (page.nodes[top].tag, page.nodes[top].class_weight);
    let strong = |i: usize| {
        let node = &page.nodes[i];
        node.tag == tag
            && node.class_weight == weight
            && !under_boilerplate[i]
            && final_score(i).is_some_and(|s| s >= top_score * PART_SHARE)
    };
    let mut at = top;
    for _ in 0..MAX_CLIMB {
        let Some(parent) = page.nodes[at].parent else {
            break;
        };
        let parent = parent as usize;
        if under_boilerplate[parent] {
            break;
        }
        let end = page.nodes[parent].end as usize;
        let (from, to) = (top, page.nodes[top].end as usize);
        let other_part = (parent + 1..end).any(|i| {
            !(from..to).contains(&i) && strong(i) && {
                // Another part, not a container of the winner.
                page.nodes[i].end as usize <= from || i >= to
            }
        });
        if other_part {
            return parent;
        }
        at = parent;
    }
    top
}

/// Whether the last block inside a node ends with sentence punctuation.
fn ends_sentence(page: &Linearized, last_block: Option<u32>) -> bool {
    last_block
        .and_then(|i| page.blocks.get(i as usize))
        .is_some_and(|b| b.text.ends_with(['.', '۔', '!', '?', '؟', '"', '»']))
}

/// The element children of `parent`, in document order.
fn children(page: &Linearized, parent: u32) -> impl Iterator<Item = u32> + '_ {
    let end = page.nodes[parent as usize].end;
    let mut at = parent + 1;
    std::iter::from_fn(move || {
        if at >= end {
            return None;
        }
        let child = at;
        at = page.nodes[child as usize].end.max(child + 1);
        Some(child)
    })
}

/// One `dom_hint` per block: +1 inside the region, −1 under a boilerplate
/// element (inside the region or out), and outside the region 0 for blocks
/// before the region's first block (where titles and datelines sit) and
/// −0.5 after its last.
pub fn hints(page: &Linearized, region: Option<&Region>) -> Vec<f32> {
    let n = page.nodes.len();
    // under[i]: node i or an ancestor is boilerplate, not counting the
    // region roots themselves (a root is content whatever its class says).
    let mut under = vec![false; n];
    for i in 0..n {
        let node = &page.nodes[i];
        let is_root = region.is_some_and(|r| r.roots.contains(&(i as u32)));
        let inherited = node.parent.is_some_and(|p| under[p as usize]);
        under[i] = if is_root {
            false
        } else {
            inherited || node.boilerplate
        };
    }
    let Some(region) = region else {
        return page
            .blocks
            .iter()
            .map(|b| if under[b.node as usize] { -1.0 } else { 0.0 })
            .collect();
    };
    let inside: Vec<bool> = page
        .blocks
        .iter()
        .map(|b| region.contains(page, b))
        .collect();
    let first = inside.iter().position(|&x| x);
    let last = inside.iter().rposition(|&x| x);
    page.blocks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if under[b.node as usize] {
                -1.0
            } else if inside[i] {
                1.0
            } else if first.is_some_and(|f| i < f) {
                0.0
            } else if last.is_some_and(|l| i > l) {
                -0.5
            } else {
                0.0
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::dom::{linearize, parse};

    const ARTICLE: &str = "<html><body>\
        <div class=\"menu\"><a href=/>الرئيسية</a> <a href=/a>اقتصاد</a></div>\
        <div class=\"story\"><h1>ارتفاع أسعار النفط</h1>\
        <p>ارتفعت أسعار النفط اليوم، وسط توقعات بزيادة الطلب العالمي، وفق ما أعلنه المتعاملون.</p>\
        <p>وقال محللون إن الأسعار قد تواصل الصعود، مع تراجع المخزونات الأمريكية.</p></div>\
        <div class=\"related\"><p>أخبار ذات صلة: الذهب يتراجع، والدولار يرتفع، في تعاملات الصباح.</p></div>\
        </body></html>";

    #[test]
    fn the_story_container_wins() {
        let page = linearize(&parse(ARTICLE));
        let region = choose_region(&page).unwrap();
        let inside: Vec<&str> = page
            .blocks
            .iter()
            .filter(|b| region.contains(&page, b))
            .map(|b| b.text.as_str())
            .collect();
        assert_eq!(inside.len(), 3, "{inside:?}");
        assert_eq!(inside[0], "ارتفاع أسعار النفط");
    }

    #[test]
    fn hints_mark_content_and_boilerplate() {
        let page = linearize(&parse(ARTICLE));
        let region = choose_region(&page);
        let got = hints(&page, region.as_ref());
        assert_eq!(got, [-1.0, 1.0, 1.0, 1.0, -1.0]);
    }

    #[test]
    fn arabic_commas_count() {
        assert_eq!(paragraph_score("أ، ب، ج", 0), 3.0);
        assert_eq!(paragraph_score("a, b", 500), 5.0);
    }

    #[test]
    fn a_page_without_prose_has_no_region() {
        let page = linearize(&parse("<ul><li><a href=/>الرئيسية</a></li></ul>"));
        assert_eq!(choose_region(&page), None);
        assert!(hints(&page, None).iter().all(|&h| h == 0.0));
    }

    #[test]
    fn a_comment_thread_does_not_win_over_a_shorter_article() {
        let comment = "<div class=\"comment\"><div class=\"comment-content\">\
            <p>تعليق طويل من قارئ، يناقش الخبر بالتفصيل، ويضيف رأيه في القرار، ويطرح أسئلة كثيرة.</p>\
            <p>وتعليق ثان، يرد على الأول، ويخالفه في كل نقطة، ويستشهد بأرقام من مصادر أخرى.</p></div></div>";
        let html = format!(
            "<body><div class=\"story\"><p>أعلنت البلدية اليوم، في بيان رسمي، عن خطة جديدة لتطوير الحدائق العامة.</p></div>\
             <div id=\"comments\">{}</div></body>",
            comment.repeat(3)
        );
        let page = linearize(&parse(&html));
        let region = choose_region(&page).unwrap();
        let inside: Vec<&str> = page
            .blocks
            .iter()
            .filter(|b| region.contains(&page, b))
            .map(|b| b.text.as_str())
            .collect();
        assert_eq!(inside.len(), 1, "{inside:?}");
        assert!(inside[0].starts_with("أعلنت البلدية"));
    }

    #[test]
    fn a_wrapper_with_a_boilerplate_class_still_holds_the_article() {
        let html = format!("<body><div class=\"has-sidebar\">{ARTICLE}</div></body>");
        let page = linearize(&parse(&html));
        let region = choose_region(&page).unwrap();
        let inside = page
            .blocks
            .iter()
            .filter(|b| region.contains(&page, b))
            .count();
        assert_eq!(inside, 3);
    }

    #[test]
    fn an_article_split_over_containers_is_gathered() {
        let part = |n: usize| {
            format!(
                "<div class=\"article-body-part\"><p>الفقرة {n} من التقرير، تتناول تطورات الأزمة، وردود الفعل الرسمية، وتوقعات المحللين للأسابيع المقبلة.</p>\
                 <p>وتابع التقرير في الفقرة {n}، أن الحكومة تدرس خيارات عدة، بينها دعم الأسعار، وتأجيل الضرائب الجديدة.</p></div>"
            )
        };
        let html = format!(
            "<body><div class=\"wrap\"><div class=\"intro\">{}</div><div class=\"ad-slot\">إعلان</div>\
             <div class=\"more\">{}</div></div><div class=\"footer\"><p>جميع الحقوق محفوظة.</p></div></body>",
            part(1),
            part(2)
        );
        let page = linearize(&parse(&html));
        let region = choose_region(&page).unwrap();
        let inside: Vec<&str> = page
            .blocks
            .iter()
            .filter(|b| region.contains(&page, b))
            .map(|b| b.text.as_str())
            .collect();
        assert!(inside.iter().any(|t| t.contains("الفقرة 1")), "{inside:?}");
        assert!(inside.iter().any(|t| t.contains("الفقرة 2")), "{inside:?}");
        assert!(!inside.iter().any(|t| t.contains("الحقوق")), "{inside:?}");
    }

    #[test]
    fn paragraphs_beside_the_winner_join_it() {
        let html = "<body><div id=\"wrap\"><div class=\"text\"><p>جملة أولى طويلة بما يكفي، عن الاقتصاد والأسواق، والنمو المتوقع.</p>\
            <p>جملة ثانية طويلة بما يكفي، عن السياسة والانتخابات، والمرشحين الجدد.</p></div>\
            <p>فقرة تكميلية خارج الحاوية تتحدث عن تفاصيل أخرى مهمة في هذا الخبر الطويل جداً.</p></div></body>";
        let page = linearize(&parse(html));
        let region = choose_region(&page).unwrap();
        let inside = page
            .blocks
            .iter()
            .filter(|b| region.contains(&page, b))
            .count();
        assert_eq!(inside, 3);
    }
}
