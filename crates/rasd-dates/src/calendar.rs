//! Calendar arithmetic: Gregorian validation and weekdays, Hijri (Umm
//! al-Qura) → Gregorian conversion, and the UTC offset of a named zone on a
//! given local date and time. In: numbers as written; out: a valid
//! [`Date`](crate::Date) or `None`.

use crate::lexicon::ZoneRef;
use crate::{Date, Time};

/// Years accepted for Gregorian dates; anything else is a count, a code or a typo.
pub(crate) const GREGORIAN_YEARS: std::ops::RangeInclusive<u32> = 1900..=2100;
/// Hijri years accepted (1900–2100 CE is about 1317–1529 AH).
pub(crate) const HIJRI_YEARS: std::ops::RangeInclusive<u32> = 1300..=1530;

/// The Gregorian date, when it exists and its year is in range.
pub(crate) fn gregorian(year: u32, month: u32, day: u32) -> Option<Date> {
    if !GREGORIAN_YEARS.contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // Casts are lossless: every value was range-checked above.
    jiff::civil::Date::new(year as i16, month as i8, day as i8).ok()?;
    Some(Date {
        year: year as i32,
        month: month as u8,
        day: day as u8,
    })
}

/// The Gregorian date of a Hijri date, by the Umm al-Qura calendar (the
/// official Saudi calendar, used by most Arab news sites); `None` when the
/// day does not exist in that month (e.g. 30 of a 29-day month).
pub(crate) fn hijri_to_gregorian(year: u32, month: u32, day: u32) -> Option<Date> {
    if !HIJRI_YEARS.contains(&year) || !(1..=12).contains(&month) || !(1..=30).contains(&day) {
        return None;
    }
    let hijri = icu_calendar::Date::try_new_hijri_with_calendar(
        year as i32,
        month as u8,
        day as u8,
        icu_calendar::cal::Hijri::new_umm_al_qura(),
    )
    .ok()?;
    let iso = hijri.to_calendar(icu_calendar::Iso);
    Some(Date {
        year: iso.year().extended_year(),
        month: iso.month().ordinal,
        day: iso.day_of_month().0,
    })
}

/// Weekday of a valid date, 1 = Monday … 7 = Sunday.
pub(crate) fn weekday_of(date: Date) -> Option<u8> {
    let civil = jiff::civil::Date::new(
        i16::try_from(date.year).ok()?,
        i8::try_from(date.month).ok()?,
        i8::try_from(date.day).ok()?,
    )
    .ok()?;
    u8::try_from(civil.weekday().to_monday_one_offset()).ok()
}

/// Minutes east of UTC for `zone` at the local `date` and `time` (noon when
/// no time is given: a guess that is right except on the DST switch days).
pub(crate) fn utc_offset(zone: ZoneRef, date: Date, time: Option<Time>) -> Option<i32> {
    let iana = match zone {
        ZoneRef::Fixed(minutes) => return Some(minutes),
        ZoneRef::Iana(name) => name,
    };
    let tz = jiff::tz::TimeZone::get(iana).ok()?;
    let time = time.unwrap_or(Time {
        hour: 12,
        minute: 0,
        second: None,
    });
    let local = jiff::civil::DateTime::new(
        i16::try_from(date.year).ok()?,
        i8::try_from(date.month).ok()?,
        i8::try_from(date.day).ok()?,
        i8::try_from(time.hour).ok()?,
        i8::try_from(time.minute).ok()?,
        i8::try_from(time.second.unwrap_or(0)).ok()?,
        0,
    )
    .ok()?;
    let offset = match tz.to_ambiguous_timestamp(local).offset() {
        jiff::tz::AmbiguousOffset::Unambiguous { offset } => offset,
        // In a DST gap or fold, the offset in force just before the switch.
        jiff::tz::AmbiguousOffset::Gap { before, .. }
        | jiff::tz::AmbiguousOffset::Fold { before, .. } => before,
    };
    Some(offset.seconds() / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(year: i32, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    #[test]
    fn impossible_gregorian_dates_are_rejected() {
        assert_eq!(gregorian(2024, 2, 29), Some(d(2024, 2, 29)));
        assert_eq!(gregorian(2023, 2, 29), None);
        assert_eq!(gregorian(2021, 2, 31), None);
        assert_eq!(gregorian(2021, 13, 1), None);
        assert_eq!(gregorian(1899, 12, 31), None);
        assert_eq!(gregorian(2101, 1, 1), None);
    }

    #[test]
    fn umm_al_qura_known_pairs() {
        assert_eq!(hijri_to_gregorian(1445, 9, 1), Some(d(2024, 3, 11)));
        assert_eq!(hijri_to_gregorian(1442, 12, 17), Some(d(2021, 7, 27)));
        assert_eq!(hijri_to_gregorian(1436, 10, 1), Some(d(2015, 7, 17)));
        assert_eq!(hijri_to_gregorian(1445, 13, 1), None);
    }

    #[test]
    fn new_york_follows_daylight_saving() {
        let ny = ZoneRef::Iana("America/New_York");
        let at = |h| {
            Some(Time {
                hour: h,
                minute: 0,
                second: None,
            })
        };
        assert_eq!(utc_offset(ny, d(2021, 7, 23), at(3)), Some(-240));
        assert_eq!(utc_offset(ny, d(2021, 1, 23), at(3)), Some(-300));
        // DST started 2021-03-14 at 02:00 local.
        assert_eq!(utc_offset(ny, d(2021, 3, 14), at(1)), Some(-300));
        assert_eq!(utc_offset(ny, d(2021, 3, 14), at(4)), Some(-240));
        assert_eq!(
            utc_offset(ZoneRef::Iana("Asia/Riyadh"), d(2021, 7, 23), None),
            Some(180)
        );
    }

    #[test]
    fn weekdays() {
        assert_eq!(weekday_of(d(2021, 7, 23)), Some(5));
        assert_eq!(weekday_of(d(2023, 8, 8)), Some(2));
    }
}
