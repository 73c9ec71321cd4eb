//! Dateline coverage: a text and the dates found in it in, the share of its
//! non-space characters that are date material out. A dateline
//! («الجمعة 23/07/2021 - 03:53 بتوقيت نيويورك») scores about 1.0; a body
//! sentence that mentions a date scores low.

use crate::lex::{lex, Tok};
use crate::lexicon::{
    day_half, gregorian_month, hijri_month, is_cue_word, weekday, zone_abbreviation, zone_place,
};
use crate::parse::{clock_with_half, is_separator};
use crate::FoundDate;

/// Words that belong to datelines even outside a found date's range.
fn is_date_word(key: &str) -> bool {
    gregorian_month(key).is_some()
        || hijri_month(key).is_some()
        || weekday(key).is_some()
        || is_cue_word(key)
        || day_half(key).is_some()
        || zone_abbreviation(key).is_some()
        || zone_place(key, None).is_some()
        || matches!(
            key,
            "الساعه"
                | "بتوقيت"
                | "توقيت"
                | "يوم"
                | "في"
                | "المكرمه"
                | "كانون"
                | "تشرين"
                | "الاول"
                | "الثاني"
                | "ربيع"
                | "جمادي"
                | "ذو"
                | "ذي"
                | "القعده"
                | "الحجه"
                | "الاخر"
                | "الاولي"
                | "الاخره"
                | "ه"
                | "هجري"
                | "هجريه"
                | "ميلادي"
                | "ميلاديه"
                | "at"
                | "on"
                | "date"
                | "time"
        )
}

fn char_count(text: &str, tok: &Tok) -> usize {
    text[tok.start..tok.end].chars().count()
}

/// See the module docs.
pub(crate) fn coverage(text: &str, found: &[FoundDate]) -> f32 {
    let toks = lex(text);
    let mut covered = vec![false; toks.len()];
    for (i, tok) in toks.iter().enumerate() {
        let in_found = found
            .iter()
            .any(|f| tok.start >= f.start && tok.end <= f.end);
        let material =
            tok.punct().is_some_and(is_separator) || tok.word().is_some_and(is_date_word);
        if in_found || material {
            covered[i] = true;
        }
        if tok.num().is_some() {
            if let Some((_, next)) = clock_with_half(&toks, i) {
                covered[i..next].iter_mut().for_each(|c| *c = true);
            }
        }
    }
    let (mut total, mut hit) = (0usize, 0usize);
    for (tok, is_covered) in toks.iter().zip(&covered) {
        let n = char_count(text, tok);
        total += n;
        if *is_covered {
            hit += n;
        }
    }
    if total == 0 {
        0.0
    } else {
        hit as f32 / total as f32
    }
}

#[cfg(test)]
mod tests {
    use crate::{dateline_coverage, find_dates};

    fn score(text: &str) -> f32 {
        dateline_coverage(text, &find_dates(text))
    }

    #[test]
    fn datelines_score_high() {
        for text in [
            "الجمعة 23/07/2021 - 03:53 بتوقيت نيويورك",
            "تاريخ النشر: 8th, August 2023 GMT",
            "26 تموز 2021 22:19",
            "آخر تحديث: الأحد 17 ذو الحجة 1442 هـ | 27 يوليو 2021",
            "Published: Tuesday, August 8, 2023 10:15 AM GMT",
        ] {
            assert!(score(text) > 0.95, "{text}: {}", score(text));
        }
    }

    #[test]
    fn body_sentences_score_low() {
        let text = "وأكدت المصادر أن المفاوضات بين الجانبين ستستأنف في 3 مارس 2024 في مدينة جنيف السويسرية بمشاركة وفود من عدة دول";
        assert!(score(text) < 0.3, "{}", score(text));
        assert_eq!(score("قال الرئيس إن المفاوضات مستمرة"), 0.0);
        assert_eq!(score(""), 0.0);
    }

    #[test]
    fn a_lone_time_line_counts_as_date_material() {
        assert!(score("03:53 م | بتوقيت مكة المكرمة") > 0.95);
    }
}
