//! The block classifier: which blocks are an article's title and body.
//!
//! In: a page's [`Block`]s, optionally its [`SiteTemplate`]. Out: one
//! [`ArticleSpan`] per article found (the page's main article first, then
//! a second article introduced by a standalone «اقرأ أيضاً» heading), as
//! block indices. Pure and linear in the number of blocks.
//!
//! Steps:
//! 1. Each block gets a [`Role`] from its [`Features`]: prose (`Body`),
//!    `Short` (a possible subheading, title or caption), an inline read-also
//!    pointer, a cue that ends an article (comments, tags, related, source
//!    line, rights, cookies), or `Junk` (share and menu buttons, tickers,
//!    credits, template lines, DOM boilerplate).
//! 2. Runs: body blocks joined across gaps of at most [`MAX_GAP`] non-body
//!    blocks; an end cue closes a run. The run with the most body words
//!    wins; runs after an article already closed count half, so related
//!    teasers and comment threads lose to the article above them.
//! 3. A headline-shaped first line of a run (no closing period) is the
//!    title, not body.
//! 4. Walking back from the body: datelines, bylines, source and credit
//!    lines are skipped; the title is the first plain line above the
//!    dateline block (lines between the dateline and the body lead the body).
//! 5. Inside the body, short lines are kept as subheadings unless they are
//!    captions (mostly the title's words), credits, datelines or read-also.

use crate::block::Block;
use crate::features::{features_and_key, Features};
use crate::lexicon::Cue;
use crate::template::SiteTemplate;
use rasd_text::normalize::key_of_displayed;
use rasd_text::tokenize::words;
use std::collections::HashSet;

/// Non-body blocks a run may bridge (a subheading and a caption, say).
pub const MAX_GAP: usize = 3;
/// Body words of a run that, once an end cue follows it, make later runs
/// count half (they are teasers, comments or another page's text).
const CLOSING_SCORE: f32 = 25.0;
/// Body words a second article needs.
const SECOND_ARTICLE_WORDS: f32 = 30.0;
/// Blocks walked back from the body to find the title.
const TITLE_WALK: usize = 8;
/// A title has at most this many words.
const MAX_TITLE_WORDS: usize = 30;

/// What a block is to the classifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Running text.
    Body,
    /// A short line: subheading, title, byline, caption or label.
    Short,
    /// «اقرأ أيضاً: headline» inside a body: dropped, the body goes on.
    InlineReadAlso,
    /// A standalone «اقرأ أيضاً» heading: another article may follow.
    ReadAlsoHeading,
    /// A cue after which the article is over.
    End(Cue),
    /// Page furniture.
    Junk,
}

/// One block as the classifier sees it.
#[derive(Debug, Clone)]
pub struct Line {
    pub features: Features,
    pub role: Role,
    /// A dateline: a date or relative time makes up most of the line.
    pub dateline: bool,
}

/// One article found on a page, as block indices.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleSpan {
    /// The headline block.
    pub title: Option<usize>,
    /// The body blocks, in order.
    pub body: Vec<usize>,
    /// Blocks where the article's dateline may be: from above the title
    /// to the first body block.
    pub header: std::ops::Range<usize>,
    /// End (exclusive) of the article's zone: where its source line may be.
    pub zone_end: usize,
}

/// A run of body blocks.
#[derive(Debug, Clone)]
struct Run {
    first: usize,
    last: usize,
    score: f32,
    /// Weight of the run's words: less after an article closed.
    weight: f32,
    /// Words of lines that are not run-on: only these close an article.
    solid: f32,
}

/// Classifies every block of a page.
pub fn classify(blocks: &[Block], template: Option<&SiteTemplate>) -> Vec<Line> {
    let mut lines = describe(blocks);
    assign_roles(blocks, &mut lines, template);
    lines
}

/// The part of classification a site template does not change: each
/// block's features and whether it is a dateline. Roles are left as
/// [`Role::Junk`] until [`assign_roles`] runs, so a page can be described
/// once, feed the template learner, and be classified afterwards.
pub fn describe(blocks: &[Block]) -> Vec<Line> {
    blocks
        .iter()
        .map(|b| {
            let (features, key) = features_and_key(b);
            let dateline = is_dateline(&b.text, &key, &features);
            Line {
                features,
                role: Role::Junk,
                dateline,
            }
        })
        .collect()
}

/// Gives each described line its role, with the site's template if any.
/// `lines` are [`describe`]'s output for the same `blocks`.
pub fn assign_roles(blocks: &[Block], lines: &mut [Line], template: Option<&SiteTemplate>) {
    for (b, line) in blocks.iter().zip(lines.iter_mut()) {
        line.role = role_of(b, &line.features, template, line.dateline);
    }
}

fn role_of(b: &Block, f: &Features, template: Option<&SiteTemplate>, dateline: bool) -> Role {
    if b.dom_hint <= -0.5 || b.link_density > 0.5 || f.ticker {
        return Role::Junk;
    }
    if let Some(cue) = f.cue {
        return match cue {
            Cue::ReadAlso if f.words_after_cue >= 2 => Role::InlineReadAlso,
            Cue::ReadAlso => Role::ReadAlsoHeading,
            c if c.ends_article() => Role::End(c),
            _ => Role::Junk,
        };
    }
    // Recurring prose is a duplicated article (wire copies), not template.
    if template.is_some_and(|t| t.is_boilerplate(f)) && !f.reads_like_prose() {
        return Role::Junk;
    }
    if dateline {
        return Role::Short;
    }
    if f.reads_like_prose() || (b.dom_hint >= 0.5 && f.words >= 5) {
        Role::Body
    } else if f.words == 0 {
        Role::Junk
    } else {
        Role::Short
    }
}

/// Whether a short line is a dateline: dates or a relative time make up
/// most of it.
fn is_dateline(text: &str, key: &str, f: &Features) -> bool {
    if f.words == 0 || f.words > 16 {
        return false;
    }
    let found = rasd_dates::find_dates(text);
    if !found.is_empty() {
        return rasd_dates::dateline_coverage(text, &found) >= 0.4 || f.words <= 8;
    }
    if f.words <= 6 && rasd_dates::is_relative_time(text) {
        return true;
    }
    // Number-heavy lines («06/08/2015», «يوليو 25, 2015») read as datelines
    // even when no date parses, so they are never taken for a title.
    let numbers = words(key)
        .filter(|w| {
            w.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | ','))
        })
        .count();
    f.words <= 8 && numbers >= 2 && numbers * 2 >= f.words
}

/// Whether a line looks like a headline: not too long, no closing period.
fn headline_shaped(text: &str, f: &Features) -> bool {
    let last = text
        .trim_end_matches(['"', '»', '”', ')', ' '])
        .chars()
        .next_back();
    let trimmed = text.trim_end();
    let styled_dots = trimmed.ends_with("..") && !trimmed.ends_with("...");
    f.words >= 2
        && f.words <= MAX_TITLE_WORDS
        && (styled_dots || !matches!(last, Some('.' | ':' | '؛' | '…' | '،' | ',')))
}

/// Finds the body runs of blocks `from..to`.
fn runs(lines: &[Line], from: usize, to: usize) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    let mut current: Option<Run> = None;
    let mut gap = 0;
    let mut closed = false;
    let mut after_heading = false;
    for (i, line) in lines.iter().enumerate().take(to).skip(from) {
        match line.role {
            Role::Body => {
                let f = &line.features;
                let words = f.words as f32 * if f.run_on { 0.5 } else { 1.0 };
                match current.as_mut() {
                    Some(run) if gap <= MAX_GAP => {
                        run.last = i;
                        run.score += words * run.weight;
                        if !f.run_on {
                            run.solid += words;
                        }
                    }
                    _ => {
                        if let Some(run) = current.take() {
                            closed |= run.solid >= CLOSING_SCORE;
                            out.push(run);
                        }
                        let weight = if after_heading {
                            0.05
                        } else if closed {
                            0.5
                        } else {
                            1.0
                        };
                        current = Some(Run {
                            first: i,
                            last: i,
                            score: words * weight,
                            weight,
                            solid: if f.run_on { 0.0 } else { words },
                        });
                    }
                }
                gap = 0;
            }
            Role::End(_) | Role::ReadAlsoHeading => {
                if let Some(run) = current.take() {
                    closed |= run.solid >= CLOSING_SCORE;
                    out.push(run);
                }
                closed |= out.iter().any(|r| r.solid >= CLOSING_SCORE);
                after_heading |= line.role == Role::ReadAlsoHeading && !out.is_empty();
                gap = 0;
            }
            // Inline pointers, credits and sentence-shaped short lines (the
            // questions and answers of an interview) do not widen a gap.
            Role::InlineReadAlso => {}
            Role::Junk if line.features.cue == Some(Cue::Credit) => {}
            Role::Short
                if line.features.ends_sentence && line.features.words >= 2 && !line.dateline => {}
            _ => gap += 1,
        }
        if gap > MAX_GAP {
            if let Some(run) = current.take() {
                closed |= run.solid >= CLOSING_SCORE;
                out.push(run);
            }
        }
    }
    out.extend(current);
    out
}

/// What the walk back from a body's first block found.
struct Walk {
    title: Option<usize>,
    /// Plain lines between the dateline block and the body: they lead it.
    lead: Vec<usize>,
    /// The highest block looked at.
    reached: usize,
}

/// Walks back from the body's first block `first`: datelines, bylines,
/// source and credit lines form the header block; captions repeat the
/// words of a line above them; the title is the nearest plain headline
/// above the header block (or the nearest one at all when there is no
/// header block above it).
fn walk_back(
    blocks: &[Block],
    lines: &[Line],
    first: usize,
    floor: usize,
    demoted: Option<usize>,
) -> Walk {
    // (block, below the first header line?)
    let mut plain: Vec<(usize, bool)> = Vec::new();
    let mut weak: Vec<usize> = Vec::new();
    let mut seen_header = false;
    let mut reached = first;
    let stop = first.saturating_sub(TITLE_WALK).max(floor);
    let mut i = first;
    while i > stop {
        i -= 1;
        reached = i;
        let line = &lines[i];
        let f = &line.features;
        let shaped = headline_shaped(&blocks[i].text, f) && !f.run_on;
        match line.role {
            Role::End(Cue::SourceLine) => {
                seen_header = true;
                continue;
            }
            Role::End(_) | Role::ReadAlsoHeading => break,
            Role::Body if Some(i) != demoted && !shaped => break,
            Role::Junk if f.cue == Some(Cue::Credit) => {
                seen_header = true;
                continue;
            }
            Role::Junk | Role::InlineReadAlso => continue,
            _ => {}
        }
        if line.dateline || (f.byline_shape && Some(i) != demoted) {
            seen_header = true;
            continue;
        }
        if shaped || Some(i) == demoted {
            plain.push((i, !seen_header));
            if f.weak_byline {
                weak.push(i);
            }
        }
    }
    // A caption repeats most words of a headline above it.
    let words: Vec<HashSet<String>> = plain
        .iter()
        .map(|&(i, _)| key_words(&blocks[i].text).into_iter().collect())
        .collect();
    let is_caption = |k: usize| {
        let own = &words[k];
        own.len() >= 3
            && (k + 1..plain.len()).any(|above| {
                lines[plain[above].0].features.exact_key != lines[plain[k].0].features.exact_key
                    && own.iter().filter(|w| words[above].contains(*w)).count() * 10
                        >= own.len() * 6
            })
    };
    let candidates: Vec<(usize, bool)> = (0..plain.len())
        .filter(|&k| !is_caption(k))
        .map(|k| plain[k])
        .collect();
    let mut above: Vec<(usize, bool)> = candidates
        .iter()
        .copied()
        .filter(|&(_, below)| !below)
        .collect();
    // «مكة المكرمة: فلان» right under a headline is the byline.
    if above.len() >= 2
        && weak.contains(&above[0].0)
        && above[1].0 + 2 >= above[0].0
        && !weak.contains(&above[1].0)
        && lines[above[1].0].features.words >= 3
    {
        above.remove(0);
    }
    let above_header = above.first();
    match above_header {
        Some(&(t, _)) => Walk {
            title: Some(t),
            lead: {
                let mut lead: Vec<usize> = candidates
                    .iter()
                    .filter(|&&(i, below)| {
                        let f = &lines[i].features;
                        below && f.words >= 3 && f.stop_ratio > 0.0 && Some(i) != demoted
                    })
                    .map(|&(i, _)| i)
                    .collect();
                lead.reverse();
                lead
            },
            reached,
        },
        None => Walk {
            title: {
                let mut c: Vec<usize> = candidates.iter().map(|&(i, _)| i).collect();
                if c.len() >= 2 && weak.contains(&c[0]) && c[1] + 2 >= c[0] && !weak.contains(&c[1])
                {
                    c.remove(0);
                }
                c.first().copied()
            },
            lead: Vec::new(),
            reached,
        },
    }
}

/// Words of a line's matching key, for overlap tests.
fn key_words(text: &str) -> Vec<String> {
    words(&key_of_displayed(text)).map(str::to_string).collect()
}

/// Builds the span of the article whose body run is `run`; `title_hint`
/// is a block known to be the title (the line after a read-also heading).
fn span_of(
    blocks: &[Block],
    lines: &[Line],
    run: &Run,
    title_hint: Option<usize>,
    floor: usize,
) -> ArticleSpan {
    let mut first = run.first;
    let mut demoted = None;
    // A headline-shaped first line of the run is its title.
    let body_lines = (run.first..=run.last)
        .filter(|&i| lines[i].role == Role::Body)
        .count();
    if title_hint.is_none()
        && body_lines >= 2
        && headline_shaped(&blocks[first].text, &lines[first].features)
    {
        demoted = Some(first);
        first = (first + 1..=run.last)
            .find(|&i| lines[i].role == Role::Body)
            .unwrap_or(first);
    }

    // Walk back for the title and the lines that lead the body.
    let mut title = title_hint;
    let mut lead: Vec<usize> = Vec::new();
    let mut header_start = first;
    if title.is_none() {
        let walk = walk_back(blocks, lines, first, floor, demoted);
        header_start = walk.reached;
        title = walk.title;
        lead = walk.lead;
    } else if let Some(t) = title {
        header_start = t;
    }
    // The dateline may sit just above the title.
    if let Some(t) = title {
        header_start = header_start.min(t.saturating_sub(1).max(floor));
    }

    let title_words: HashSet<String> = title
        .map(|t| key_words(&blocks[t].text).into_iter().collect())
        .unwrap_or_default();
    let title_key = title.map(|t| lines[t].features.exact_key);

    let mut body = lead;
    for i in first..=run.last {
        let line = &lines[i];
        if Some(line.features.exact_key) == title_key {
            continue; // the title repeated
        }
        match line.role {
            Role::Body => body.push(i),
            Role::Short if keeps_short_line(&blocks[i].text, line, &title_words) => body.push(i),
            _ => {}
        }
    }
    ArticleSpan {
        title,
        header: header_start..first + 1,
        body,
        zone_end: blocks.len(),
    }
}

/// Whether a short line inside a body is a subheading worth keeping.
fn keeps_short_line(text: &str, line: &Line, title_words: &HashSet<String>) -> bool {
    let f = &line.features;
    if line.dateline || f.words < 2 {
        return false;
    }
    if f.words >= 3 && !title_words.is_empty() {
        let kw = key_words(text);
        let shared = kw.iter().filter(|w| title_words.contains(*w)).count();
        if shared * 10 >= kw.len() * 6 {
            return false; // a caption built from the headline
        }
    }
    true
}

/// Finds the articles of a page: the main one first, then a second article
/// after a standalone read-also heading, if its body is substantial.
pub fn segment(blocks: &[Block], template: Option<&SiteTemplate>) -> Vec<ArticleSpan> {
    let lines = classify(blocks, template);
    segment_lines(blocks, &lines)
}

/// [`segment`] over already classified blocks.
pub fn segment_lines(blocks: &[Block], lines: &[Line]) -> Vec<ArticleSpan> {
    let all = runs(lines, 0, lines.len());
    let Some(main) = all
        .iter()
        .max_by(|a, b| a.score.total_cmp(&b.score).then(b.first.cmp(&a.first)))
    else {
        return Vec::new();
    };
    let mut main_span = span_of(blocks, lines, main, None, 0);
    let mut spans = Vec::new();

    // A second article: heading, headline, then a body run close below.
    let heading = (main.last + 1..lines.len()).find(|&i| lines[i].role == Role::ReadAlsoHeading);
    if let Some(h) = heading {
        main_span.zone_end = h;
        let title = (h + 1..lines.len().min(h + 3))
            .find(|&i| matches!(lines[i].role, Role::Short | Role::Body));
        if let Some(t) = title {
            let second = runs(lines, t + 1, lines.len())
                .into_iter()
                .next()
                .filter(|r| r.first <= t + 1 + MAX_GAP);
            if let Some(run) = second {
                let body_lines = (run.first..=run.last)
                    .filter(|&i| lines[i].role == Role::Body)
                    .count();
                if body_lines >= 2 && run.score >= SECOND_ARTICLE_WORDS {
                    let span = span_of(blocks, lines, &run, Some(t), t);
                    spans.push(span);
                }
            }
        }
    }
    spans.insert(0, main_span);
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(lines: &[&str]) -> Vec<Block> {
        lines.iter().map(|l| Block::line(*l)).collect()
    }

    const P1: &str = "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في المدينة، يضم مئتي سرير ويخدم أكثر من نصف مليون نسمة.";
    const P2: &str = "وقال الوزير في كلمته خلال الافتتاح إن المستشفى سيبدأ استقبال المرضى مطلع الشهر المقبل، بعد اكتمال تجهيزاته.";
    const P3: &str = "وأضاف أن الوزارة تعمل على إنشاء ثلاثة مستشفيات أخرى في المنطقة خلال العامين القادمين، وفق خطة معتمدة.";

    #[test]
    fn title_body_and_boilerplate() {
        let b = blocks(&[
            "الرئيسية",
            "افتتاح مستشفى جديد في المدينة",
            "المدينة - سالم الأحمد",
            P1,
            "تفاصيل المشروع",
            P2,
            P3,
            "كلمات دلالية: مستشفى صحة",
            "مقالات ذات صلة",
        ]);
        let spans = segment(&b, None);
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].title, Some(1));
        assert_eq!(spans[0].body, vec![3, 4, 5, 6]);
    }

    #[test]
    fn inline_read_also_and_captions_are_dropped() {
        let b = blocks(&[
            "افتتاح مستشفى جديد في المدينة",
            P1,
            "اقرأ أيضاً: الأمطار تغمر شوارع الساحل",
            "جانب من افتتاح مستشفى المدينة",
            P2,
            P3,
        ]);
        let spans = segment(&b, None);
        assert_eq!(spans[0].title, Some(0));
        assert_eq!(spans[0].body, vec![1, 4, 5]);
    }

    #[test]
    fn second_article_after_read_also_heading() {
        let b = blocks(&[
            "افتتاح مستشفى جديد في المدينة",
            P1,
            P2,
            "المصدر: صحيفة المدينة",
            "إقرأ أيضاً:",
            "الوزارة: ثلاثة مستشفيات جديدة خلال عامين",
            "المدينة - وكالات",
            P3,
            P2,
        ]);
        let spans = segment(&b, None);
        assert_eq!(spans.len(), 2, "{spans:?}");
        assert_eq!(spans[0].body, vec![1, 2]);
        assert_eq!(spans[1].title, Some(5));
        assert_eq!(spans[1].body, vec![7, 8]);
    }

    #[test]
    fn teasers_after_read_also_are_not_an_article() {
        let b = blocks(&[
            "افتتاح مستشفى جديد في المدينة",
            P1,
            P2,
            "إقرأ أيضاً:",
            "الأمطار تغمر شوارع الساحل",
            "ارتفاع أسعار الذهب عالميا",
            "فوز المنتخب في مباراته الودية",
        ]);
        assert_eq!(segment(&b, None).len(), 1);
    }

    #[test]
    fn related_teasers_lose_to_the_article() {
        let b = blocks(&[
            "افتتاح مستشفى جديد في المدينة",
            P1,
            P2,
            "مقالات ذات صلة",
            P3,
            P1,
            P2,
        ]);
        let spans = segment(&b, None);
        assert_eq!(spans[0].body, vec![1, 2]);
    }

    #[test]
    fn empty_page_has_no_article() {
        assert!(segment(&[], None).is_empty());
        assert!(segment(&blocks(&["الرئيسية", "اتصل بنا"]), None).is_empty());
    }
}
