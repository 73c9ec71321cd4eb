//! Relative time phrases («منذ 3 ساعات», «قبل يومين», «أمس», «3 hours ago»):
//! text in, yes/no out. «اليوم» alone does not count: body text says it all
//! the time without meaning the page's date.

use crate::lex::{lex, Kind};

/// Time units that make «منذ/قبل …» a relative publication time.
fn is_unit(key: &str) -> bool {
    matches!(
        key,
        "ثانيه"
            | "ثوان"
            | "ثواني"
            | "ثانيتين"
            | "دقيقه"
            | "دقائق"
            | "دقيقتين"
            | "دقيقتان"
            | "د"
            | "ساعه"
            | "ساعات"
            | "ساعتين"
            | "ساعتان"
            | "س"
            | "يوم"
            | "يومين"
            | "يومان"
            | "ايام"
            | "اسبوع"
            | "اسبوعين"
            | "اسابيع"
    )
}

/// Number words that may stand between «منذ» and the unit.
fn is_count_word(key: &str) -> bool {
    matches!(
        key,
        "واحد"
            | "ثلاث"
            | "ثلاثه"
            | "اربع"
            | "اربعه"
            | "خمس"
            | "خمسه"
            | "ست"
            | "سته"
            | "سبع"
            | "سبعه"
            | "ثماني"
            | "ثمانيه"
            | "ثمان"
            | "تسع"
            | "تسعه"
            | "عشر"
            | "عشره"
            | "بضع"
            | "بضعه"
            | "عده"
            | "نحو"
            | "حوالي"
            | "قرابه"
    )
}

fn is_english_unit(key: &str) -> bool {
    matches!(
        key,
        "second"
            | "seconds"
            | "sec"
            | "secs"
            | "minute"
            | "minutes"
            | "min"
            | "mins"
            | "hour"
            | "hours"
            | "hr"
            | "hrs"
            | "day"
            | "days"
            | "week"
            | "weeks"
    )
}

/// Whether `text` holds a relative time phrase; see the module docs.
pub(crate) fn is_relative(text: &str) -> bool {
    // Cheap pre-check: every Arabic phrase holds one of these stems (written
    // without harakat, as news sites do); English ones hold a Latin letter.
    let may_hold = ["منذ", "قبل", "مس", "بارح"]
        .iter()
        .any(|stem| text.contains(stem))
        || text.bytes().any(|b| b.is_ascii_alphabetic());
    if !may_hold {
        return false;
    }
    let toks = lex(text);
    let key = |i: usize| match toks.get(i).map(|t| &t.kind) {
        Some(Kind::Word(k)) => Some(k.as_str()),
        _ => None,
    };
    let is_count = |i: usize| {
        toks.get(i).is_some_and(|t| {
            matches!(t.kind, Kind::Num { .. }) || key(i).is_some_and(is_count_word)
        })
    };
    (0..toks.len()).any(|i| match key(i) {
        Some("منذ" | "قبل") => {
            // Up to two count words or numbers, then a unit.
            let mut j = i + 1;
            while j < i + 3 && is_count(j) {
                j += 1;
            }
            key(j).is_some_and(is_unit)
        }
        Some("امس" | "البارحه" | "yesterday") => true,
        Some("ago") => {
            i >= 2
                && key(i - 1).is_some_and(is_english_unit)
                && (matches!(toks[i - 2].kind, Kind::Num { .. })
                    || matches!(key(i - 2), Some("a" | "an" | "few" | "several")))
        }
        Some("just") => key(i + 1) == Some("now"),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_relative_phrases() {
        for text in [
            "منذ 3 ساعات",
            "نشر قبل يومين",
            "منذ دقائق",
            "منذ ساعة",
            "منذ ٥ دقائق",
            "منذ ثلاث ساعات",
            "آخر تحديث: أمس",
            "البارحة",
            "قبل أسبوع",
        ] {
            assert!(is_relative(text), "{text}");
        }
    }

    #[test]
    fn english_relative_phrases() {
        assert!(is_relative("Posted 3 hours ago"));
        assert!(is_relative("an hour ago"));
        assert!(is_relative("yesterday"));
        assert!(!is_relative("ago"));
    }

    #[test]
    fn plain_body_text_is_not_relative() {
        for text in [
            "قال الرئيس اليوم إن المفاوضات مستمرة",
            "منذ عام 2018",
            "تأسس النادي منذ 111 عاما",
            "قبل الاجتماع بقليل",
        ] {
            assert!(!is_relative(text), "{text}");
        }
    }
}
