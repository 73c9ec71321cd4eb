//! An article's metadata from its span: publication date and source.
//!
//! In: the page's blocks, their classification and one [`ArticleSpan`].
//! Out: the dateline's date (ISO 8601) and the outlet's name, or `None`.
//!
//! The date is only taken from the article's header (from just above the
//! title down to the first body block), or from a «اليوم الثلاثاء (17 …)»
//! phrase that opens the first paragraph: never from a ticker, a header
//! "today" line, teasers or the body's text. A Published cue beats an
//! Updated one; when nothing in the header is a full date, the date is
//! `None` — a wrong date is worse than none.
//!
//! The source is the name in the article's «المصدر: …» line, else the
//! name in the page's rights line or top brand line («صحيفة …»), unless the
//! page is an aggregator's (it links out «لقراءة الخبر من مصدره», or its
//! brand is a portal).

use crate::block::Block;
use crate::lexicon::Cue;
use crate::segment::{ArticleSpan, Line, Role};
use rasd_dates::{find_dates, Cue as DateCue, FoundDate};
use rasd_text::normalize::key_of_displayed;
use rasd_text::tokenize::tokens;

/// Header lines longer than this are not searched for a dateline.
const MAX_DATELINE_WORDS: usize = 24;

/// The article's publication date, as ISO 8601.
pub fn pick_date(blocks: &[Block], lines: &[Line], span: &ArticleSpan) -> Option<String> {
    let mut found: Vec<(usize, FoundDate)> = Vec::new();
    for i in span.header.clone() {
        if span.body.contains(&i) || Some(i) == span.title {
            continue;
        }
        let (b, line) = (&blocks[i], &lines[i]);
        if b.dom_hint <= -0.5 || line.features.ticker || line.features.words > MAX_DATELINE_WORDS {
            continue;
        }
        if matches!(line.role, Role::Body) && !line.dateline {
            continue;
        }
        found.extend(find_dates(&b.text).into_iter().map(|d| (i, d)));
    }
    let after_title = |i: usize| span.title.is_none_or(|t| i > t);
    let best = found
        .iter()
        .find(|(_, d)| d.cue == Some(DateCue::Published))
        .or_else(|| {
            found
                .iter()
                .find(|(i, d)| after_title(*i) && d.cue != Some(DateCue::Updated))
        })
        .or_else(|| found.iter().find(|(_, d)| d.cue != Some(DateCue::Updated)))
        .or_else(|| found.first());
    if let Some((_, d)) = best {
        return Some(d.to_iso());
    }
    lead_today_date(blocks, span)
}

/// A date that opens the first paragraph as «اليوم الثلاثاء (17 كانون الأول 2024)».
fn lead_today_date(blocks: &[Block], span: &ArticleSpan) -> Option<String> {
    let first = &blocks[*span.body.first()?].text;
    let head = &first[..crate::text::floor_boundary(first, 240)];
    let d = find_dates(head).into_iter().next()?;
    let before = &head[crate::text::floor_boundary(head, d.start.saturating_sub(60))..d.start];
    let key = key_of_displayed(before);
    let weekday = d.weekday.is_some() || WEEKDAYS.iter().any(|w| key.contains(w));
    (key.contains("اليوم") && weekday).then(|| d.to_iso())
}

/// Weekday names (matching keys) that make «اليوم <weekday> (date)» a dateline.
const WEEKDAYS: &[&str] = &[
    "الاحد",
    "الاثنين",
    "الثلاثاء",
    "الاربعاء",
    "الخميس",
    "الجمعه",
    "السبت",
];

/// Matching-key words a rights line is made of, besides the name.
const RIGHTS_WORDS: &[&str] = &[
    "جميع",
    "كل",
    "الحقوق",
    "حقوق",
    "محفوظه",
    "النشر",
    "الطبع",
    "والنشر",
    "all",
    "rights",
    "reserved",
    "copyright",
    "لدي",
    "ل",
    "for",
];

/// Words that open a brand line at the top of a page.
const BRAND_WORDS: &[&str] = &["صحيفه", "جريده", "مجله", "وكاله", "موقع", "قناه"];

/// Words that mark an aggregator or portal rather than an outlet.
const AGGREGATOR_WORDS: &[&str] = &["بوابه", "portal", "aggregator", "مجمع"];

/// The outlet's name, when the page names it.
pub fn pick_source(blocks: &[Block], lines: &[Line], span: &ArticleSpan) -> Option<String> {
    let from = span
        .title
        .unwrap_or(span.header.start)
        .min(span.header.start);
    for i in from..span.zone_end.min(blocks.len()) {
        if lines[i].features.cue == Some(Cue::SourceLine) {
            if let Some(name) = after_cue(&blocks[i].text) {
                return Some(name);
            }
        }
    }
    let aggregator = lines
        .iter()
        .any(|l| l.features.cue == Some(Cue::ClickThrough));
    if aggregator {
        return None;
    }
    let rights = lines
        .iter()
        .zip(blocks)
        .filter(|(l, _)| l.features.cue == Some(Cue::Copyright))
        .find_map(|(_, b)| rights_name(&b.text));
    rights.or_else(|| blocks.iter().take(3).find_map(|b| brand_line(&b.text)))
}

/// The text after a «المصدر:» / «المصدر /» opener.
fn after_cue(text: &str) -> Option<String> {
    let key = key_of_displayed(text);
    let toks: Vec<_> = tokens(&key).collect();
    let opener = if toks.len() >= 2 && toks[0].text == "مصدر" && toks[1].text == "الخبر" {
        2
    } else {
        1
    };
    // The key and the display text have the same words in the same order,
    // so the opener ends after the same number of words in both.
    let display_cut = nth_word_end(text, opener)?;
    let rest = text[display_cut..]
        .trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, ':' | '/' | '|' | '-' | '–' | '：')
        })
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '.' | '،' | ','));
    let words = rest.split_whitespace().count();
    (1..=8).contains(&words).then(|| rest.to_string())
}

/// Byte offset in `text` after its `n`-th word.
fn nth_word_end(text: &str, n: usize) -> Option<usize> {
    tokens(text).nth(n.checked_sub(1)?).map(|t| t.end)
}

/// The name in a rights line: «© 2015 الرياض. جميع الحقوق محفوظة.» → «الرياض».
fn rights_name(text: &str) -> Option<String> {
    let name: Vec<&str> = tokens(text)
        .filter(|t| t.kind == rasd_text::tokenize::TokenKind::Word)
        .map(|t| t.text)
        .filter(|w| !RIGHTS_WORDS.contains(&key_of_displayed(w).as_str()))
        .collect();
    if name.is_empty() || name.len() > 5 || is_aggregator(&name) {
        return None;
    }
    Some(name.join(" "))
}

/// A top-of-page brand line: «صحيفة الجزيرة».
fn brand_line(text: &str) -> Option<String> {
    let words: Vec<&str> = tokens(text).map(|t| t.text).collect();
    let first = key_of_displayed(words.first()?);
    (words.len() >= 2
        && words.len() <= 4
        && BRAND_WORDS.contains(&first.as_str())
        && !is_aggregator(&words))
    .then(|| words.join(" "))
}

fn is_aggregator(words: &[&str]) -> bool {
    words
        .iter()
        .any(|w| AGGREGATOR_WORDS.contains(&key_of_displayed(w).as_str()))
}

/// Removes a « - Site» or « | Site» suffix naming the outlet from a title.
pub fn strip_site_suffix(title: &str, names: &[&str]) -> String {
    for sep in [" | ", " - ", " – ", " — ", " :: "] {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            let tail_key = key_of_displayed(tail.trim());
            let named = names.iter().any(|n| {
                let k = key_of_displayed(n);
                !k.is_empty() && (tail_key.contains(&k) || k.contains(&tail_key))
            });
            if named && !head.trim().is_empty() {
                return head.trim().to_string();
            }
        }
    }
    title.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_phrase_in_the_first_paragraph_dates_it() {
        let blocks = vec![crate::block::Block::line(
            "أعلن مصدر حكومي، اليوم الثلاثاء (17 كانون الأول 2024)، عن خطة جديدة لتطوير الموانئ في البلاد.",
        )];
        let span = ArticleSpan {
            body: vec![0],
            ..ArticleSpan::default()
        };
        assert_eq!(
            lead_today_date(&blocks, &span).as_deref(),
            Some("2024-12-17")
        );
    }

    #[test]
    fn source_after_cue() {
        assert_eq!(
            after_cue("المصدر: صحيفة المدينة").as_deref(),
            Some("صحيفة المدينة")
        );
        assert_eq!(
            after_cue("المصدر / جريدة الساحل.").as_deref(),
            Some("جريدة الساحل")
        );
        assert_eq!(after_cue("المصدر:"), None);
    }

    #[test]
    fn names_in_rights_and_brand_lines() {
        assert_eq!(
            rights_name("© 2015 الساحل. جميع الحقوق محفوظة.").as_deref(),
            Some("الساحل")
        );
        assert_eq!(
            rights_name("جميع الحقوق محفوظة © 2015 صحيفة الساحل").as_deref(),
            Some("صحيفة الساحل")
        );
        assert_eq!(rights_name("بوابة الأخبار © جميع الحقوق محفوظة"), None);
        assert_eq!(brand_line("صحيفة الساحل").as_deref(), Some("صحيفة الساحل"));
        assert_eq!(brand_line("الرئيسية"), None);
    }

    #[test]
    fn site_suffix_is_stripped_only_when_it_names_the_site() {
        assert_eq!(
            strip_site_suffix("افتتاح مستشفى جديد - صحيفة الساحل", &["الساحل"]),
            "افتتاح مستشفى جديد"
        );
        assert_eq!(
            strip_site_suffix("بايدن - الكاظمي: مرحلة جديدة", &["الساحل"]),
            "بايدن - الكاظمي: مرحلة جديدة"
        );
    }
}
