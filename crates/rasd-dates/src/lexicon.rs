//! Word lists, all in `matching_key` form: month names of every regional
//! lexicon (and English), Hijri months, weekdays, cue labels, AM/PM words
//! and named time zones. In: one or two word keys; out: what they mean.

use crate::Cue;

/// The Gregorian month a one-word name means: Egypt/Gulf, Levant/Iraq,
/// Morocco, Algeria/Tunisia and English (full and abbreviated).
pub(crate) fn gregorian_month(key: &str) -> Option<u8> {
    Some(match key {
        "يناير" | "جانفي" | "جانفييه" | "january" | "jan" => 1,
        "فبراير" | "شباط" | "فيفري" | "فبرير" | "february" | "feb" => 2,
        "مارس" | "اذار" | "march" | "mar" => 3,
        "ابريل" | "نيسان" | "افريل" | "april" | "apr" => 4,
        "مايو" | "ايار" | "ماي" | "may" => 5,
        "يونيو" | "يونيه" | "حزيران" | "جوان" | "june" | "jun" => 6,
        "يوليو" | "يوليه" | "تموز" | "يوليوز" | "جويليه" | "july" | "jul" => {
            7
        }
        "اغسطس" | "اب" | "غشت" | "اوت" | "august" | "aug" => 8,
        "سبتمبر" | "ايلول" | "شتنبر" | "september" | "sep" | "sept" => 9,
        "اكتوبر" | "october" | "oct" => 10,
        "نوفمبر" | "نونبر" | "november" | "nov" => 11,
        "ديسمبر" | "دجنبر" | "december" | "dec" => 12,
        _ => return None,
    })
}

/// The Levantine two-word months: كانون الثاني, تشرين الأول…
pub(crate) fn gregorian_month_pair(first: &str, second: &str) -> Option<u8> {
    let ordinal = match second {
        "الاول" | "اول" => 1,
        "الثاني" | "ثاني" => 2,
        _ => return None,
    };
    match (first, ordinal) {
        ("كانون", 2) => Some(1),
        ("كانون", 1) => Some(12),
        ("تشرين", 1) => Some(10),
        ("تشرين", 2) => Some(11),
        _ => None,
    }
}

/// A one-word Hijri month (محرم, صفر, رجب, شعبان, رمضان, شوال).
pub(crate) fn hijri_month(key: &str) -> Option<u8> {
    Some(match key {
        "محرم" => 1,
        "صفر" => 2,
        "رجب" => 7,
        "شعبان" => 8,
        "رمضان" => 9,
        "شوال" => 10,
        _ => return None,
    })
}

/// A two-word Hijri month: ربيع الأول, جمادى الآخرة, ذو الحجة…
pub(crate) fn hijri_month_pair(first: &str, second: &str) -> Option<u8> {
    Some(match (first, second) {
        ("ربيع", "الاول" | "اول") => 3,
        ("ربيع", "الاخر" | "الثاني" | "اخر" | "ثاني") => 4,
        ("جمادي", "الاولي" | "الاول" | "اولي") => 5,
        ("جمادي", "الاخره" | "الثانيه" | "الاخر" | "الثاني" | "اخره") => {
            6
        }
        ("ذو" | "ذي", "القعده") => 11,
        ("ذو" | "ذي", "الحجه") => 12,
        _ => return None,
    })
}

/// The weekday a word names, 1 = Monday … 7 = Sunday.
pub(crate) fn weekday(key: &str) -> Option<u8> {
    Some(match key {
        "الاثنين" | "الاتنين" | "اثنين" | "monday" | "mon" => 1,
        "الثلاثاء" | "ثلاثاء" | "tuesday" | "tue" | "tues" => 2,
        "الاربعاء" | "اربعاء" | "wednesday" | "wed" => 3,
        "الخميس" | "خميس" | "thursday" | "thu" | "thur" | "thurs" => 4,
        "الجمعه" | "جمعه" | "friday" | "fri" => 5,
        "السبت" | "سبت" | "saturday" | "sat" => 6,
        "الاحد" | "احد" | "sunday" | "sun" => 7,
        _ => return None,
    })
}

/// Cue labels, as word-key sequences, longest first so the longest wins.
const CUES: &[(&[&str], Cue)] = &[
    (&["تاريخ", "النشر"], Cue::Published),
    (&["تاريخ", "نشر"], Cue::Published),
    (&["تم", "النشر"], Cue::Published),
    (&["نشر", "في"], Cue::Published),
    (&["نشر", "بتاريخ"], Cue::Published),
    (&["نشر", "يوم"], Cue::Published),
    (&["نشرت", "في"], Cue::Published),
    (&["نشر"], Cue::Published),
    (&["published", "on"], Cue::Published),
    (&["posted", "on"], Cue::Published),
    (&["published"], Cue::Published),
    (&["posted"], Cue::Published),
    (&["اخر", "تحديث"], Cue::Updated),
    (&["تم", "التحديث"], Cue::Updated),
    (&["اخر", "تعديل"], Cue::Updated),
    (&["تاريخ", "التحديث"], Cue::Updated),
    (&["تحديث"], Cue::Updated),
    (&["محدث"], Cue::Updated),
    (&["last", "updated"], Cue::Updated),
    (&["updated", "on"], Cue::Updated),
    (&["updated"], Cue::Updated),
];

/// The cue whose words end `words` (given nearest-last), with its word count.
pub(crate) fn cue_ending(words: &[&str]) -> Option<(Cue, usize)> {
    CUES.iter()
        .filter(|(phrase, _)| words.ends_with(phrase))
        .max_by_key(|(phrase, _)| phrase.len())
        .map(|(phrase, cue)| (*cue, phrase.len()))
}

/// Whether `key` is one of the cue words (for dateline coverage).
pub(crate) fn is_cue_word(key: &str) -> bool {
    CUES.iter().any(|(phrase, _)| phrase.contains(&key))
}

/// Half of the day an AM/PM word names: `Some(false)` morning, `Some(true)` afternoon/evening.
pub(crate) fn day_half(key: &str) -> Option<bool> {
    match key {
        "am" | "ص" | "صباحا" | "صباح" | "فجرا" => Some(false),
        "pm" | "م" | "مساء" | "مساءا" | "ظهرا" | "عصرا" | "ليلا" => {
            Some(true)
        }
        _ => None,
    }
}

/// Where a named zone points: a fixed offset or an IANA zone whose offset
/// depends on the date (daylight saving).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ZoneRef {
    Fixed(i32),
    Iana(&'static str),
}

/// A zone abbreviation written after a time (GMT, EST…).
pub(crate) fn zone_abbreviation(key: &str) -> Option<ZoneRef> {
    Some(match key {
        "gmt" | "utc" | "z" => ZoneRef::Fixed(0),
        "et" => ZoneRef::Iana("America/New_York"),
        "est" => ZoneRef::Fixed(-5 * 60),
        "edt" => ZoneRef::Fixed(-4 * 60),
        "ksa" => ZoneRef::Fixed(3 * 60),
        "غرينتش" | "غرينيتش" | "جرينتش" | "جرينيتش" | "قرينتش" => {
            ZoneRef::Fixed(0)
        }
        _ => return None,
    })
}

/// A place named after «بتوقيت» / «توقيت» or in parentheses: (مكة المكرمة).
/// Returns the zone and how many words the place name took.
pub(crate) fn zone_place(first: &str, second: Option<&str>) -> Option<(ZoneRef, usize)> {
    let two = match (first, second) {
        ("مكه", Some("المكرمه")) => Some(ZoneRef::Iana("Asia/Riyadh")),
        ("ابو", Some("ظبي")) => Some(ZoneRef::Iana("Asia/Dubai")),
        ("الدار", Some("البيضاء")) => Some(ZoneRef::Iana("Africa/Casablanca")),
        _ => None,
    };
    if let Some(zone) = two {
        return Some((zone, 2));
    }
    if let Some(zone) = zone_abbreviation(first) {
        return Some((zone, 1));
    }
    let iana = match first {
        "مكه" | "الرياض" | "جده" | "السعوديه" => "Asia/Riyadh",
        "الكويت" => "Asia/Kuwait",
        "بغداد" | "العراق" => "Asia/Baghdad",
        "الدوحه" | "قطر" => "Asia/Qatar",
        "المنامه" | "البحرين" => "Asia/Bahrain",
        "ابوظبي" | "دبي" | "الامارات" => "Asia/Dubai",
        "مسقط" => "Asia/Muscat",
        "صنعاء" | "اليمن" => "Asia/Aden",
        "القدس" | "فلسطين" | "رام" => "Asia/Jerusalem",
        "غزه" => "Asia/Gaza",
        "بيروت" | "لبنان" => "Asia/Beirut",
        "دمشق" | "سوريا" => "Asia/Damascus",
        "القاهره" | "مصر" => "Africa/Cairo",
        "الخرطوم" | "السودان" => "Africa/Khartoum",
        "طرابلس" | "ليبيا" => "Africa/Tripoli",
        "تونس" => "Africa/Tunis",
        "الجزائر" => "Africa/Algiers",
        "الرباط" | "المغرب" => "Africa/Casablanca",
        "انقره" | "اسطنبول" | "تركيا" => "Europe/Istanbul",
        "طهران" | "ايران" => "Asia/Tehran",
        "موسكو" => "Europe/Moscow",
        "لندن" => "Europe/London",
        "باريس" => "Europe/Paris",
        "برلين" => "Europe/Berlin",
        "نيويورك" | "واشنطن" => "America/New_York",
        _ => return None,
    };
    Some((ZoneRef::Iana(iana), 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rasd_text::normalize::matching_key;

    #[test]
    fn written_month_names_reach_their_numbers() {
        for (written, month) in [
            ("أبريل", 4),
            ("إبريل", 4),
            ("آذار", 3),
            ("آب", 8),
            ("أوت", 8),
            ("جويلية", 7),
            ("يوليوز", 7),
            ("دجنبر", 12),
            ("أيار", 5),
            ("August", 8),
        ] {
            assert_eq!(
                gregorian_month(&matching_key(written)),
                Some(month),
                "{written}"
            );
        }
        assert_eq!(
            gregorian_month_pair(&matching_key("كانون"), &matching_key("الأول")),
            Some(12)
        );
        assert_eq!(
            hijri_month_pair(&matching_key("جمادى"), &matching_key("الآخرة")),
            Some(6)
        );
        assert_eq!(
            hijri_month_pair(&matching_key("ذي"), &matching_key("الحجة")),
            Some(12)
        );
    }

    #[test]
    fn cues_match_longest_phrase() {
        assert_eq!(cue_ending(&["تاريخ", "النشر"]), Some((Cue::Published, 2)));
        assert_eq!(cue_ending(&["اخر", "تحديث"]), Some((Cue::Updated, 2)));
        assert_eq!(cue_ending(&["قال"]), None);
    }
}
