//! Figures: article text in, [`Figure`]s (value, unit, the text matched) out.
//!
//! A figure is an optional qualifier (أكثر من, أقل من, نحو, حوالي), a
//! number — digits in any script (`2500`, `٢٥٠٠`, `2,500`, `3.5`) or number
//! words (ثلاثة, عشرة, ألف, مليون), with an optional multiplier word
//! (`2.5 مليار`) and an optional range (`20-30`, `20 إلى 30`) — then a
//! percent sign or word, or the counted noun (the unit).

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

fn pattern() -> &'static StartedPattern {
    static PATTERN: OnceLock<StartedPattern> = OnceLock::new();
    PATTERN.get_or_init(|| {
        let number = format!(r"(?:\b{DIGITS}\b|\b(?:{WORDS})\b)");
        let p = format!(
            r"(?P<qual>(?:أكثر|اكثر|أقل|اقل) من\s+|نحو\s+|حوالي\s+|قرابة\s+)?(?P<num>{number})(?:\s+(?P<mult>ألف|آلاف|الف|مليون|ملايين|مليار|مليارات))?(?:\s*(?:-|–|إلى|الى)\s*(?P<hi>{DIGITS}))?\s*(?P<unit>%|٪|في المئة|في المائة|بالمئة|بالمائة|[\p{{Arabic}}&&[^\s\d٠-٩]]+)?"
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

/// The figures of `text`, in order.
pub fn figures(text: &str) -> Vec<Figure> {
    let mut out: Vec<Figure> = Vec::new();
    let mut prev_end: Option<usize> = None;
    for caps in pattern().captures_iter(text) {
        let (Some(whole), Some((_, _, num))) = (caps.get_match(), group(&caps, text, "num")) else {
            continue;
        };
        let whole_text = &text[whole.start()..whole.end()];
        let is_word = !num.chars().any(|c| c.is_numeric());
        let Some(mut value) = digits_value(num).or_else(|| word_value(num)) else {
            continue;
        };
        if let Some(mult) = group(&caps, text, "mult").and_then(|m| word_value(m.2)) {
            value *= mult;
        }
        let unit = match group(&caps, text, "unit").map(|u| u.2) {
            Some("%" | "٪" | "في المئة" | "في المائة" | "بالمئة" | "بالمائة") => {
                "%".to_owned()
            }
            Some(u) if word_value(u).is_none() => u.trim_end_matches(['ً', 'ٌ', 'ٍ']).to_owned(),
            _ => String::new(),
        };
        let unit = match out.last().zip(prev_end) {
            Some((prev, end)) if is_subset_of_previous(&text[end..whole.start()], &unit) => {
                prev.unit.clone()
            }
            _ => unit,
        };
        // A lone number word with nothing counted («خمس» alone) is no figure.
        if is_word && unit.is_empty() {
            continue;
        }
        prev_end = Some(whole.end());
        out.push(Figure {
            value,
            unit,
            text: whole_text.trim().to_owned(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(f64, String)> {
        figures(text)
            .into_iter()
            .map(|f| (f.value, f.unit))
            .collect()
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
    }
}
