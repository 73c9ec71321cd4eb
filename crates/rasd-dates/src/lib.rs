//! Finding and parsing dates in Arabic and English news text.
//!
//! Input: any `&str` (a dateline, a paragraph, a whole page's text).
//! Output: every *full* date in it (day, month and year; never a year or a
//! month+year alone) as a [`FoundDate`] with its byte range in the original
//! text, the date converted to Gregorian, and the time, UTC offset, weekday
//! and cue label («تاريخ النشر», «آخر تحديث») when written.
//!
//! Covered forms:
//! - month names of every region, in matching-key form (hamza, taa-marbuta,
//!   harakat, tatweel and case ignored): Egypt/Gulf (يناير…), Levant/Iraq
//!   (كانون الثاني، شباط…), Morocco (يوليوز، غشت، شتنبر…), Algeria/Tunisia
//!   (جانفي، جويلية، أوت…), English (full and abbreviated); paired names
//!   («يوليو/تموز», «يونيو حزيران», «أغسطس (آب)»);
//! - numeric `d/m/y`, `d-m-y`, `d.m.y`, `y-m-d`, `y/m/d`, `dd/mm/yy`, ISO 8601
//!   with `T`, seconds and offset (see [`parse`] for the day/month rule);
//! - ASCII, Arabic-Indic (٠-٩) and Persian (۰-۹) digits;
//! - English «August 8, 2023», «8th, August 2023», «Aug. 8th 2023»;
//! - Hijri dates, by the Umm al-Qura calendar («17 ذو الحجة 1442 هـ»);
//! - weekdays, times (24h, AM/PM, ص/م, «بعد الظهر»), zones (GMT+3, +03:00,
//!   ET/EST/EDT, «بتوقيت مكة المكرمة», «بتوقيت نيويورك» with US daylight
//!   saving, «ت.غ», «(مكة المكرمة)»).
//!
//! Invariants: no I/O, no clock, no panics on any input; `start..end` are
//! char boundaries of the input and matches come in order without overlap;
//! every [`Date`] is a real Gregorian day between 1900 and 2100 (Hijri
//! dates are converted). A weekday that disagrees with the date is kept and
//! shows in [`FoundDate::weekday_matches`].
//!
//! ```
//! let text = "الجمعة 23/07/2021 - 03:53 بتوقيت نيويورك";
//! let found = rasd_dates::find_dates(text);
//! assert_eq!(found.len(), 1);
//! assert_eq!(found[0].to_iso(), "2021-07-23T03:53-04:00");
//! assert_eq!(found[0].weekday, Some(5));
//! assert_eq!((found[0].start, found[0].end), (0, text.len()));
//! assert!(rasd_dates::dateline_coverage(text, &found) > 0.95);
//! assert!(rasd_dates::is_relative_time("نشر منذ 3 ساعات"));
//! ```

mod calendar;
mod coverage;
mod lex;
mod lexicon;
pub mod parse;
mod relative;

/// A Gregorian calendar date; always a valid day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// A time of day as written, on the 24-hour clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time {
    pub hour: u8,
    pub minute: u8,
    pub second: Option<u8>,
}

/// The calendar a date was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Calendar {
    Gregorian,
    Hijri,
}

/// A label right before a date that says what the date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    /// تاريخ النشر, نشر في, نشر بتاريخ, Published, Posted on.
    Published,
    /// آخر تحديث, تم التحديث, Updated.
    Updated,
}

/// One full date found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDate {
    /// Byte range in the input covering the whole expression (weekday,
    /// date, time, zone; not the cue label).
    pub start: usize,
    pub end: usize,
    /// The date, converted to Gregorian.
    pub date: Date,
    pub time: Option<Time>,
    /// Minutes east of UTC when a zone or offset is written.
    pub utc_offset_minutes: Option<i32>,
    pub calendar: Calendar,
    /// 1 = Monday … 7 = Sunday, as written (possibly wrong).
    pub weekday: Option<u8>,
    pub cue: Option<Cue>,
}

impl FoundDate {
    /// ISO 8601: `2021-07-26`, `2021-07-26T22:19`, `2021-07-23T03:53-04:00`,
    /// `2021-07-26T22:19:05+03:00`. An offset without a time is dropped.
    pub fn to_iso(&self) -> String {
        let Date { year, month, day } = self.date;
        let mut iso = format!("{year:04}-{month:02}-{day:02}");
        if let Some(time) = self.time {
            iso.push_str(&format!("T{:02}:{:02}", time.hour, time.minute));
            if let Some(second) = time.second {
                iso.push_str(&format!(":{second:02}"));
            }
            if let Some(offset) = self.utc_offset_minutes {
                let sign = if offset < 0 { '-' } else { '+' };
                let abs = offset.unsigned_abs();
                iso.push_str(&format!("{sign}{:02}:{:02}", abs / 60, abs % 60));
            }
        }
        iso
    }

    /// Whether the written weekday agrees with the date; `None` when no
    /// weekday was written.
    pub fn weekday_matches(&self) -> Option<bool> {
        let written = self.weekday?;
        Some(calendar::weekday_of(self.date) == Some(written))
    }

    /// How much to trust this date, in 0..=1: lower when the written
    /// weekday contradicts it; higher with a time or a cue.
    pub fn confidence(&self) -> f32 {
        let mut score: f32 = 0.8;
        if self.time.is_some() {
            score += 0.1;
        }
        if self.cue.is_some() {
            score += 0.1;
        }
        match self.weekday_matches() {
            Some(false) => score -= 0.5,
            Some(true) => score += 0.1,
            None => {}
        }
        score.clamp(0.0, 1.0)
    }
}

/// Every full date in `text`, in order of appearance; see the crate docs.
/// Lines without any digit return at once.
pub fn find_dates(text: &str) -> Vec<FoundDate> {
    parse::find(text)
}

/// Whether `word` names a month: a Gregorian name of any region, a Hijri
/// month, or the first word of a two-word name (كانون, تشرين, ربيع, جمادى,
/// ذو). Any spelling and case.
pub fn is_month_name(word: &str) -> bool {
    let key = rasd_text::normalize::matching_key(word);
    lexicon::gregorian_month(&key).is_some()
        || lexicon::hijri_month(&key).is_some()
        || matches!(
            key.as_str(),
            "كانون" | "تشرين" | "ربيع" | "جمادي" | "ذو" | "ذي"
        )
}

/// Whether `text` holds a relative time phrase: «منذ 3 ساعات», «قبل يومين»,
/// «منذ دقائق», «أمس», «البارحة», «3 hours ago», «yesterday». «اليوم» alone
/// does not count.
pub fn is_relative_time(text: &str) -> bool {
    relative::is_relative(text)
}

/// Share of `text`'s non-space characters covered by dates (`found`, as
/// returned by [`find_dates`] on the same text), times, weekdays, month
/// names, zones, cue labels and separators (| - / • ، : …). A dateline
/// scores near 1.0; a body sentence that mentions a date near 0.1.
pub fn dateline_coverage(text: &str, found: &[FoundDate]) -> f32 {
    coverage::coverage(text, found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_names_of_every_region_and_calendar() {
        for word in [
            "يوليو",
            "تموز",
            "جويلية",
            "يوليوز",
            "أغسطس",
            "آب",
            "كانون",
            "رمضان",
            "ذي",
            "July",
        ] {
            assert!(is_month_name(word), "{word}");
        }
        for word in ["جندي", "شخصا", "من", "الأول", ""] {
            assert!(!is_month_name(word), "{word}");
        }
    }
}
