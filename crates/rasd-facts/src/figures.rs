//! Figures: article text in, [`Figure`]s (value, unit, the text matched) out.
//!
//! A figure is an optional qualifier (أكثر من, أقل من, نحو, حوالي), a
//! number — digits in any script (`2500`, `٢٥٠٠`, `2,500`, `3.5`) or number
//! words (ثلاثة, عشرة, ألف, مليون), with an optional multiplier word
//! (`2.5 مليار`) and an optional range (`20-30`, `20 إلى 30`) — then a
//! percent sign or word, or the counted noun (the unit).
//!
//! A number with nothing counted is not a figure, nor is a date («17
//! كانون الأول 2024», found by `rasd-dates`), a year («2021م»), a clock
//! time or a score («19:00», «2:1»). In «40 من أفراد الميليشيات» the
//! noun after «من» is what is counted.

use crate::scan::{group, StartedPattern};
use rasd_text::normalize;
use serde::Serialize;
use std::sync::OnceLock;

/// One figure found in text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// The number (the low end of a range; multipliers applied).
    pub value: f64,
    /// `%`, or the counted noun as written, or empty when none follows.
    pub unit: String,
    /// The whole matched text.
    pub text: String,
}

const DIGITS: &str = r"[0-9٠-٩۰-۹]+(?:[.,٫٬][0-9٠-٩۰-۹]+)*";
const WORDS: &str = "واحد|واحدة|اثنان|اثنين|اثنتين|ثلاثة|ثلاث|أربعة|أربع|اربعة|خمسة|خمس|ستة|ست|سبعة|سبع|ثمانية|ثماني|تسعة|تسع|عشرة|عشر|عشرون|عشرين|ثلاثون|ثلاثين|أربعون|أربعين|خمسون|خمسين|مئة|مائة|مئات|ألف|آلاف|الف|مليون|ملايين|مليار|مليارات";

/// Multiplier words after a number, each plural before the singular it
/// starts with: the first alternative that matches is taken, and «مليار»
/// must not stop short in «مليارات», leaving «ات» for a unit. The pattern
/// lets harakat and the tanween alef follow («ألفاً», «مليونًا», «مليارا»)
/// and then wants the word to end («الفاخرة» holds no «ألف»).
const MULTIPLIERS: &str = "مليارات|مليار|ملايين|مليون|آلاف|ألف|الف";

fn pattern() -> &'static StartedPattern {
    static PATTERN: OnceLock<StartedPattern> = OnceLock::new();
    PATTERN.get_or_init(|| {
        let number = format!(r"(?:\b{DIGITS}\b|\b(?:{WORDS})\b)");
        let p = format!(
            r"(?P<qual>(?:أكثر|اكثر|أقل|اقل) من\s+|نحو\s+|حوالي\s+|قرابة\s+)?(?P<num>{number})(?:\s+(?P<mult>(?:{MULTIPLIERS})[\u{{064B}}-\u{{0652}}]*(?:ا[\u{{064B}}-\u{{0652}}]*)?)\b)?(?:\s*(?:-|–|إلى|الى)\s*(?P<hi>{DIGITS}))?\s*(?P<unit>%|٪|في المئة|في المائة|بالمئة|بالمائة|[\p{{Arabic}}&&[^\s\d٠-٩]]+)?"
        );
        // Every figure starts with a qualifier, a digit or a number word.
        let start = format!("أكثر|اكثر|أقل|اقل|نحو|حوالي|قرابة|[0-9٠-٩۰-۹]|{WORDS}");
        StartedPattern::new(&p, &start).expect("static figure pattern")
    })
}

fn word_value(word: &str) -> Option<f64> {
    let key = normalize::matching_key(word);
    Some(match key.as_str() {
        "واحد" | "واحده" => 1.0,
        "اثنان" | "اثنين" | "اثنتين" => 2.0,
        "ثلاثه" | "ثلاث" => 3.0,
        "اربعه" | "اربع" => 4.0,
        "خمسه" | "خمس" => 5.0,
        "سته" | "ست" => 6.0,
        "سبعه" | "سبع" => 7.0,
        "ثمانيه" | "ثماني" => 8.0,
        "تسعه" | "تسع" => 9.0,
        "عشره" | "عشر" => 10.0,
        "عشرون" | "عشرين" => 20.0,
        "ثلاثون" | "ثلاثين" => 30.0,
        "اربعون" | "اربعين" => 40.0,
        "خمسون" | "خمسين" => 50.0,
        "مئه" | "مائه" | "مئات" => 100.0,
        "الف" | "الاف" => 1e3,
        "مليون" | "ملايين" => 1e6,
        "مليار" | "مليارات" => 1e9,
        _ => return None,
    })
}

/// The value of a multiplier word, tanween alef and all («ألفاً» = ألف).
fn multiplier_value(word: &str) -> Option<f64> {
    let key = normalize::matching_key(word);
    let base = key
        .strip_suffix('ا')
        .filter(|base| matches!(*base, "الف" | "مليون" | "مليار"))
        .unwrap_or(&key);
    word_value(base)
}

fn digits_value(text: &str) -> Option<f64> {
    let ascii = normalize::ascii_digits(text);
    // A comma between digit groups of three is a thousands separator.
    let cleaned: String = if ascii.contains(',') && !ascii.contains('.') {
        ascii.replace(',', "")
    } else {
        ascii.replace(',', ".")
    };
    cleaned.parse().ok()
}

/// Whether a figure is a part of the one before it in the same sentence,
/// counted in the same unit: «3500 جندي أجنبي، بينهم 2500 أميركي» (2500
/// soldiers). `gap` is the text between the two; the part's own unit must
/// be missing or an adjective of origin (ending in ي), not a noun of its own
/// («100 قتيل بينهم 10 أطفال» keeps أطفال).
fn is_subset_of_previous(gap: &str, unit: &str) -> bool {
    if gap.contains(['.', '!', '?', '؟', '\n']) || gap.chars().count() > 80 {
        return false;
    }
    let gap = normalize::matching_key(gap);
    let subset = ["بينهم", "منهم", "بينها", "منها"]
        .iter()
        .any(|w| gap.split_whitespace().last() == Some(w));
    subset && (unit.is_empty() || normalize::matching_key(unit).ends_with('ي'))
}

/// Words the pattern may take for a unit that count nothing.
const NOT_UNITS: &[&str] = &[
    "في",
    "فى",
    "إلى",
    "الى",
    "على",
    "عن",
    "مع",
    "بعد",
    "قبل",
    "و",
    "أو",
    "او",
    "حتى",
    "منذ",
    "خلال",
    "بين",
    "ثم",
    "أن",
    "ان",
    "إن",
    "لا",
    "ما",
    "هو",
    "هي",
    "التي",
    "الذي",
    "صباحا",
    "صباحاً",
    "مساء",
    "مساءً",
    "ظهرا",
    "ظهراً",
    "فجرا",
    "فجراً",
    "ليلا",
    "ليلاً",
    "بتوقيت",
];

/// The unit of «N من X»: the noun X when one follows, with the byte
/// length of `text` up to its end.
fn noun_after(text: &str) -> Option<(&str, usize)> {
    let rest = text.trim_start();
    let word = rest
        .split(|c: char| c.is_whitespace() || matches!(c, '،' | ',' | '.' | '؛'))
        .next()?;
    (word.chars().count() >= 2
        && word
            .chars()
            .all(|c| c.is_alphabetic() || ('\u{064B}'..='\u{0652}').contains(&c))
        && !counts_nothing(word)
        && word_value(word).is_none())
    .then_some((word, text.len() - rest.len() + word.len()))
}

/// A counted noun as a unit: its case ending (tanween) dropped.
fn as_unit(word: &str) -> String {
    word.trim_end_matches(['ً', 'ٌ', 'ٍ']).to_owned()
}

/// Whether a word after a number is one of [`NOT_UNITS`], with or without
/// a leading و or ف («وحتى»).
fn counts_nothing(word: &str) -> bool {
    let bare = word.strip_prefix(['و', 'ف']).unwrap_or(word);
    NOT_UNITS.contains(&word) || NOT_UNITS.contains(&bare)
}

/// «2021», «2021م», «1445هـ»: a year, not a count.
fn is_year(num: &str, value: f64, unit: &str) -> bool {
    num.chars().count() == 4
        && (1900.0..=2100.0).contains(&value)
        && matches!(unit, "" | "م" | "هـ" | "ه")
}

/// Bytes of context read on each side of a number for a date around it
/// («الثلاثاء (17 كانون الأول 2024)»).
const DATE_WINDOW_BYTES: usize = 64;

/// Whether the number at `start..end` is part of a full date.
fn in_a_date(text: &str, start: usize, end: usize) -> bool {
    let mut from = start.saturating_sub(DATE_WINDOW_BYTES);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (end + DATE_WINDOW_BYTES).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    rasd_dates::find_dates(&text[from..to])
        .iter()
        .any(|d| from + d.start < end && start < from + d.end)
}

/// The figures of `text`, in order.
pub fn figures(text: &str) -> Vec<Figure> {
    let mut out: Vec<Figure> = Vec::new();
    let mut prev_end: Option<usize> = None;
    for caps in pattern().captures_iter(text) {
        let (Some(whole), Some((num_start, num_end, num))) =
            (caps.get_match(), group(&caps, text, "num"))
        else {
            continue;
        };
        if text[..num_start].ends_with(':') || text[num_end..].starts_with(':') {
            continue;
        }
        let is_word = !num.chars().any(|c| c.is_numeric());
        let Some(mut value) = digits_value(num).or_else(|| word_value(num)) else {
            continue;
        };
        if let Some(mult) = group(&caps, text, "mult").and_then(|m| multiplier_value(m.2)) {
            value *= mult;
        }
        let raw_unit = group(&caps, text, "unit").map(|u| u.2);
        let (unit, noun_end) = match raw_unit {
            Some("%" | "٪" | "في المئة" | "في المائة" | "بالمئة" | "بالمائة") => {
                ("%".to_owned(), None)
            }
            // «واحدة من التحديات» is "one of", not a count.
            Some("من") if value == 1.0 => continue,
            Some("من") => match noun_after(&text[whole.end()..]) {
                Some((noun, len)) => (as_unit(noun), Some(whole.end() + len)),
                None => (String::new(), None),
            },
            Some(u) if word_value(u).is_none() && !counts_nothing(u) => (as_unit(u), None),
            _ => (String::new(), None),
        };
        let year_unit = if noun_end.is_some() {
            ""
        } else {
            unit.as_str()
        };
        if (!is_word && is_year(num, value, year_unit)) || rasd_dates::is_month_name(&unit) {
            continue;
        }
        let unit = match out.last().zip(prev_end) {
            Some((prev, end))
                if text
                    .get(end..whole.start())
                    .is_some_and(|gap| is_subset_of_previous(gap, &unit)) =>
            {
                prev.unit.clone()
            }
            _ => unit,
        };
        // A number with nothing counted («كوفيد 19», «خمس» alone) is no
        // figure, unless it is a large amount on its own («33.3 مليون»,
        // «67,898,290»: the noun came before it).
        let large = group(&caps, text, "mult").is_some() || num.contains([',', '٬']);
        if unit.is_empty() && !large {
            continue;
        }
        // Without a unit the text ends with the number («23 مليون», not
        // «23 مليون و»).
        let number_end = ["mult", "hi"]
            .iter()
            .filter_map(|g| group(&caps, text, g).map(|m| m.1))
            .fold(num_end, usize::max);
        // Checked last, on a window around the number: the date reader
        // over every text cost 5% of `rasd facts`.
        if in_a_date(text, num_start, num_end) {
            continue;
        }
        let end = match noun_end {
            Some(end) => end,
            None if unit.is_empty() => number_end,
            None => whole.end(),
        };
        prev_end = Some(end);
        out.push(Figure {
            value,
            unit,
            text: text[whole.start()..end].trim().to_owned(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PIECES: &[&str] = &[
        "من",
        "خمسة",
        "40",
        "2021",
        "مليون",
        "جندي",
        "أكثر",
        " ",
        " ",
        "،",
        "بينهم",
        "يوليو",
        ":",
        "-",
        "إلى",
        "٣",
        ",",
        ".",
        "و",
    ];

    proptest::proptest! {
        #[test]
        fn never_panics_and_texts_are_in_order(
            picks in proptest::collection::vec(0..PIECES.len(), 0..40)
        ) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            for f in figures(&text) {
                proptest::prop_assert!(text.contains(&f.text));
            }
        }
    }

    #[test]
    fn a_number_word_after_min_is_a_figure_of_its_own() {
        // «3 من خمسة»: خمسة is no noun for 3, and no slice may run backwards.
        let got = pairs("فاز 3 من خمسة لاعبين");
        assert_eq!(got, vec![(5.0, "لاعبين".to_owned())]);
    }

    fn pairs(text: &str) -> Vec<(f64, String)> {
        figures(text)
            .into_iter()
            .map(|f| (f.value, f.unit))
            .collect()
    }

    #[test]
    fn plural_and_tanween_multipliers_are_whole_words() {
        assert_eq!(pairs("بلغ 5 مليارات دولار"), vec![(5e9, "دولار".to_owned())]);
        assert_eq!(
            pairs("نحو 2.5 مليار ريال"),
            vec![(2.5e9, "ريال".to_owned())]
        );
        assert_eq!(pairs("شارك 30 ألفاً من الحجاج")[0].0, 30_000.0);
        assert_eq!(pairs("شارك 30 ألفا")[0].0, 30_000.0);
        assert_eq!(figures("شارك 30 ألفاً")[0].text, "30 ألفاً");
        assert_eq!(pairs("عدد 3 ملايين نسمة"), vec![(3e6, "نسمة".to_owned())]);
        assert_eq!(pairs("أنفق 12 مليوناً")[0].0, 12e6);
        assert_eq!(pairs("بلغ 17 مليونًا")[0].0, 17e6);
        assert_eq!(pairs("بلغت 450 مليارا")[0].0, 450e9);
        // «الف» starts the word but is not it.
        assert!(pairs("باع 3 الفاخرة").iter().all(|(v, _)| *v == 3.0));
    }

    #[test]
    fn digits_units_and_percentages() {
        assert_eq!(
            pairs("نشر 2500 جندي في العراق"),
            vec![(2500.0, "جندي".to_owned())]
        );
        assert_eq!(pairs("قتل ٣٠ شخصاً"), vec![(30.0, "شخصا".to_owned())]);
        assert_eq!(pairs("بنسبة 64٪ من الأصوات")[0], (64.0, "%".to_owned()));
        assert_eq!(pairs("أغلق 14 مصرفا"), vec![(14.0, "مصرفا".to_owned())]);
        assert_eq!(pairs("بلغت 2,500 دولار")[0].0, 2500.0);
        assert_eq!(pairs("نسبة 3.5 في المئة")[0], (3.5, "%".to_owned()));
    }

    #[test]
    fn number_words_ranges_and_qualifiers() {
        assert_eq!(pairs("خلال ثلاثة أشهر"), vec![(3.0, "أشهر".to_owned())]);
        assert_eq!(
            pairs("أكثر من 2.5 مليون نازح")[0],
            (2.5e6, "نازح".to_owned())
        );
        let f = &figures("بين 20-30 قتيلا")[0];
        assert_eq!((f.value, f.unit.as_str()), (20.0, "قتيلا"));
        assert!(figures("أكثر من ألف مقاتل")[0].text.starts_with("أكثر من"));
        assert!(figures("وصل خمس").is_empty());
        // A part of the figure before it counts the same thing.
        assert_eq!(
            pairs("نحو 3500 جندي أجنبي، بينهم 2500 أميركي."),
            vec![(3500.0, "جندي".to_owned()), (2500.0, "جندي".to_owned())]
        );
        assert_eq!(
            pairs("سقط 100 قتيل بينهم 10 أطفال")[1],
            (10.0, "أطفال".to_owned())
        );
        // Number words inside other words are not numbers.
        assert!(figures("ستضيف الفصائل ستكون").is_empty());
        // «من» leads to what is counted.
        let f = &figures("قتلت أكثر من 40 من أفراد الميليشيات")[0];
        assert_eq!((f.value, f.unit.as_str()), (40.0, "أفراد"));
        assert_eq!(f.text, "أكثر من 40 من أفراد");
    }

    #[test]
    fn dates_years_times_and_bare_numbers_are_not_figures() {
        assert!(figures("اليوم الثلاثاء (17 كانون الأول 2024)").is_empty());
        assert!(figures("في 26 يوليو/تموز 2021").is_empty());
        assert!(figures("منذ عام 2014 وحتى 2021م").is_empty());
        assert!(figures("الساعة 19:00 بعد الظهر، وانتهت المباراة 2:1").is_empty());
        assert!(figures("لمحاربة كوفيد 19، ودعم القطاع").is_empty());
        assert!(figures("قتل 30 في الهجوم").is_empty());
        assert!(figures("في تمام الساعة 10 صباحا بتوقيت مكة").is_empty());
        // A year-like count with its noun stays a figure.
        assert_eq!(pairs("وصل 2000 لاجئ"), vec![(2000.0, "لاجئ".to_owned())]);
        assert!(figures("في 24 من يوليو الماضي وفي 1946 من عمره").is_empty());
        assert!(figures("واحدة من أهم القضايا").is_empty());
        // Large amounts stand without a noun.
        assert_eq!(
            pairs("بلغ عدد السكان 33 مليون."),
            vec![(33e6, String::new())]
        );
        assert_eq!(figures("نحو 23 مليون و17 مليون")[0].text, "نحو 23 مليون");
        assert_eq!(pairs("بلغ 67,898,290 ثم")[0].0, 67_898_290.0);
    }
}
