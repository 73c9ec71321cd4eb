//! The date finder: tokens in, [`FoundDate`]s out.
//!
//! At each token it tries, longest form first, a date *core* (numeric,
//! day-month-year, month-day-year; Gregorian or Hijri), then grows the match
//! to the right (time, AM/PM, zone) and to the left (the weekday, a time
//! written before them, then a cue label, which stays outside the range).
//! Tokens of one match are never reused by the next.
//!
//! Numeric day/month order for `n/n/yyyy`: when the first number is above
//! 12 it is the day; when only the second is above 12, the text is
//! month/day (US style); when both are at most 12, day/month (the Arabic
//! convention). Two-digit years are read only in `dd/mm/yy` with both day
//! and month written with two digits (`00`–`69` → 20xx, `70`–`99` → 19xx).
//! A four-digit first number means year/month/day. Numeric dates whose year
//! falls in 1300–1530 are Hijri (no Gregorian year in range can be).

use crate::calendar::{gregorian, hijri_to_gregorian, utc_offset, GREGORIAN_YEARS, HIJRI_YEARS};
use crate::lex::{has_digit, lex_near_numbers, Tok};
use crate::lexicon::{
    cue_ending, day_half, gregorian_month, gregorian_month_pair, hijri_month, hijri_month_pair,
    weekday, zone_abbreviation, zone_place, ZoneRef,
};
use crate::{Calendar, Date, FoundDate, Time};

/// Punctuation allowed between the parts of a dateline (date | time - zone).
pub(crate) fn is_separator(c: char) -> bool {
    matches!(
        c,
        '-' | '|'
            | '/'
            | '\\'
            | '•'
            | '·'
            | '،'
            | ','
            | '؛'
            | ';'
            | ':'
            | '–'
            | '—'
            | '('
            | ')'
            | '['
            | ']'
            | '.'
            | '«'
            | '»'
            | '"'
            | '\''
    )
}

/// Punctuation that can stand between a date and the time after it.
fn is_time_separator(c: char) -> bool {
    matches!(c, '-' | '|' | '•' | '·' | '،' | ',' | '–' | '—' | '/' | '@')
}

/// Words that can stand between a date and the time after it.
fn is_time_lead_word(key: &str) -> bool {
    matches!(key, "الساعه" | "في" | "عند" | "تمام" | "at" | "on" | "-")
}

/// A match of the date itself, before it grows left and right.
struct Core {
    /// Token index just after the core.
    next: usize,
    date: Date,
    calendar: Calendar,
    /// A time that belongs to the core (ISO `T`).
    time: Option<Time>,
    zone: Option<ZoneRef>,
}

/// Every full date in `text`, in order.
pub(crate) fn find(text: &str) -> Vec<FoundDate> {
    if !has_digit(text) {
        return Vec::new();
    }
    let toks = lex_near_numbers(text);
    let mut found = Vec::new();
    let mut floor = 0;
    let mut i = 0;
    while i < toks.len() {
        let Some(core) = core_at(&toks, i) else {
            i += 1;
            continue;
        };
        let mut time = core.time;
        let mut zone = core.zone;
        let mut next = core.next;
        if time.is_none() {
            if let Some((t, after)) = trailing_time(&toks, next) {
                time = Some(t);
                next = after;
            }
        }
        if zone.is_none() {
            if let Some((z, after)) = zone_at(&toks, next, time.is_some()) {
                zone = Some(z);
                next = after;
            }
        }
        let mut start = i;
        let mut weekday_found = None;
        if let Some((wd, before)) = weekday_before(&toks, floor, start) {
            weekday_found = Some(wd);
            start = before;
        }
        if time.is_none() {
            if let Some((t, before)) = leading_time(&toks, floor, start) {
                time = Some(t);
                start = before;
            }
        }
        let cue = cue_before(&toks, floor, start);
        found.push(FoundDate {
            start: toks[start].start,
            end: toks[next - 1].end,
            date: core.date,
            time,
            utc_offset_minutes: zone.and_then(|z| utc_offset(z, core.date, time)),
            calendar: core.calendar,
            weekday: weekday_found,
            cue,
        });
        i = next;
        floor = next;
    }
    found
}

fn core_at(t: &[Tok], i: usize) -> Option<Core> {
    numeric(t, i)
        .or_else(|| day_month_year(t, i))
        .or_else(|| month_day_year(t, i))
}

/// Whether `t[i]` exists and touches the token before it (no space).
fn attached(t: &[Tok], i: usize) -> bool {
    t.get(i).is_some_and(|tok| !tok.space_before)
}

fn num(t: &[Tok], i: usize) -> Option<(u32, u8)> {
    t.get(i)?.num()
}

fn word(t: &[Tok], i: usize) -> Option<&str> {
    t.get(i)?.word()
}

fn punct(t: &[Tok], i: usize) -> Option<char> {
    t.get(i)?.punct()
}

/// `d/m/y`, `d-m-y`, `d.m.y`, `y-m-d`, `y/m/d`, `dd/mm/yy`, ISO 8601 with `T`.
fn numeric(t: &[Tok], i: usize) -> Option<Core> {
    let (a, a_digits) = num(t, i)?;
    let sep = punct(t, i + 1).filter(|c| matches!(c, '/' | '-' | '.'))?;
    let (b, b_digits) = num(t, i + 2)?;
    let (c, c_digits) = num(t, i + 4)?;
    if punct(t, i + 3) != Some(sep) || !(1..=4).all(|k| attached(t, i + k)) {
        return None;
    }
    // Part of a longer chain of numbers (IP addresses, phone numbers, 1/2/3/4).
    let chained_before = i >= 2
        && !t[i].space_before
        && t[i - 1]
            .punct()
            .is_some_and(|p| matches!(p, '/' | '-' | '.' | ':'))
        && t[i - 2].num().is_some();
    let chained_after = attached(t, i + 5)
        && punct(t, i + 5).is_some_and(|p| matches!(p, '/' | '-' | '.' | ':'))
        && attached(t, i + 6)
        && num(t, i + 6).is_some();
    let latin_glued = |k: usize| {
        t.get(k).is_some_and(|tok| {
            !tok.space_before && tok.word().is_some_and(|w| w.is_ascii() && w != "t")
        })
    };
    let glued_to_latin =
        (i >= 1 && !t[i].space_before && t[i - 1].word().is_some_and(|w| w.is_ascii()))
            || latin_glued(i + 5);
    if chained_before || chained_after || glued_to_latin {
        return None;
    }
    let (year, month, day, year_digits) = if a_digits == 4 && b_digits <= 2 && c_digits <= 2 {
        (a, b, c, 4)
    } else if c_digits == 4 && a_digits <= 2 && b_digits <= 2 {
        let (day, month) = if a > 12 || b <= 12 { (a, b) } else { (b, a) };
        (c, month, day, 4)
    } else if c_digits == 2 && a_digits == 2 && b_digits == 2 {
        let year = if c <= 69 { 2000 + c } else { 1900 + c };
        (year, b, a, 2)
    } else {
        return None;
    };
    let (marker, mut next) = year_marker(t, i + 5);
    let hijri =
        year_digits == 4 && HIJRI_YEARS.contains(&year) && marker != Some(Calendar::Gregorian);
    let (date, calendar) = if hijri {
        (hijri_to_gregorian(year, month, day)?, Calendar::Hijri)
    } else if marker == Some(Calendar::Hijri) {
        return None;
    } else {
        (gregorian(year, month, day)?, Calendar::Gregorian)
    };
    let mut time = None;
    let mut zone = None;
    // ISO 8601: 2021-07-26T22:19:00+03:00
    if sep == '-'
        && a_digits == 4
        && next == i + 5
        && word(t, next) == Some("t")
        && attached(t, next)
    {
        if let Some((tm, after)) = clock(t, next + 1).filter(|_| attached(t, next + 1)) {
            time = Some(tm);
            next = after;
            if let Some((z, after)) = iso_offset(t, next) {
                zone = Some(z);
                next = after;
            }
        }
    }
    Some(Core {
        next,
        date,
        calendar,
        time,
        zone,
    })
}

/// `Z`, `+03:00`, `+0300` glued to an ISO time.
fn iso_offset(t: &[Tok], i: usize) -> Option<(ZoneRef, usize)> {
    if !attached(t, i) {
        return None;
    }
    if word(t, i) == Some("z") {
        return Some((ZoneRef::Fixed(0), i + 1));
    }
    signed_offset(t, i, false)
}

/// `+03:00`, `+0300`, `+3`, `-04:00` at `t[i]`. With `loose`, short forms
/// (`+3`) are accepted (after GMT/UTC); otherwise only `hh:mm` and `hhmm`.
fn signed_offset(t: &[Tok], i: usize, loose: bool) -> Option<(ZoneRef, usize)> {
    let sign = match punct(t, i)? {
        '+' => 1,
        '-' | '−' => -1,
        _ => return None,
    };
    let (h, h_digits) = num(t, i + 1).filter(|_| attached(t, i + 1))?;
    let (minutes, next) = if h_digits == 4 {
        ((h / 100) * 60 + h % 100, i + 2)
    } else if punct(t, i + 2) == Some(':') && attached(t, i + 2) && attached(t, i + 3) {
        let (m, m_digits) = num(t, i + 3)?;
        if m_digits != 2 || m >= 60 || h_digits > 2 {
            return None;
        }
        (h * 60 + m, i + 4)
    } else if loose && h_digits <= 2 {
        (h * 60, i + 2)
    } else {
        return None;
    };
    if minutes > 14 * 60 {
        return None;
    }
    // Lossless: minutes ≤ 840.
    Some((ZoneRef::Fixed(sign * minutes as i32), next))
}

/// `Gregorian` for «م», «ميلادي»; `Hijri` for «هـ», «هجري» right after a year.
fn year_marker(t: &[Tok], i: usize) -> (Option<Calendar>, usize) {
    match word(t, i) {
        Some("م" | "ميلادي" | "ميلاديه") => (Some(Calendar::Gregorian), i + 1),
        Some("ه" | "هجري" | "هجريه") => (Some(Calendar::Hijri), i + 1),
        _ => (None, i),
    }
}

/// A day of month (1–31, one or two digits), with an English ordinal suffix.
fn day_at(t: &[Tok], i: usize) -> Option<(u32, usize)> {
    let (d, digits) = num(t, i)?;
    if digits > 2 || !(1..=31).contains(&d) {
        return None;
    }
    match word(t, i + 1) {
        Some("st" | "nd" | "rd" | "th") if attached(t, i + 1) => Some((d, i + 2)),
        _ => Some((d, i + 1)),
    }
}

/// A month name (one or two words, with «شهر» or a glued ب/ل before it).
fn month_at(t: &[Tok], i: usize) -> Option<(u8, Calendar, usize)> {
    let (i, first) = match word(t, i)? {
        // «شهر يوليو»: at most one «شهر», so hostile input cannot recurse.
        "شهر" => (i + 1, word(t, i + 1)?),
        first => (i, first),
    };
    let second = word(t, i + 1);
    let bare = [first, first.strip_prefix(['ب', 'ل']).unwrap_or(first)];
    for key in bare.iter().filter(|k| !k.is_empty()) {
        if let Some(second) = second {
            if let Some(m) = gregorian_month_pair(key, second) {
                return Some((m, Calendar::Gregorian, i + 2));
            }
            if let Some(m) = hijri_month_pair(key, second) {
                return Some((m, Calendar::Hijri, i + 2));
            }
        }
        if let Some(m) = gregorian_month(key) {
            // «Aug.»: the abbreviation's dot belongs to the name.
            let after = if key.is_ascii() && punct(t, i + 1) == Some('.') && attached(t, i + 1) {
                i + 2
            } else {
                i + 1
            };
            return Some((m, Calendar::Gregorian, after));
        }
        if let Some(m) = hijri_month(key) {
            return Some((m, Calendar::Hijri, i + 1));
        }
    }
    None
}

/// After a Gregorian month at `next`'s left: a second name for the same
/// month («يوليو/تموز», «يونيو حزيران», «أغسطس (آب)»); the index after it.
fn same_month_again(t: &[Tok], month: u8, next: usize) -> usize {
    let is_same =
        |i: usize| month_at(t, i).filter(|&(m, cal, _)| m == month && cal == Calendar::Gregorian);
    match punct(t, next) {
        Some('/' | '-' | '\\' | '–') => is_same(next + 1).map_or(next, |(_, _, after)| after),
        Some('(') => match is_same(next + 1) {
            Some((_, _, after)) if punct(t, after) == Some(')') => after + 1,
            _ => next,
        },
        _ => is_same(next).map_or(next, |(_, _, after)| after),
    }
}

fn skip_comma(t: &[Tok], i: usize) -> usize {
    match punct(t, i) {
        Some(',' | '،') => i + 1,
        _ => i,
    }
}

/// A four-digit year, its calendar marker, and the index after both.
fn year_at(t: &[Tok], i: usize) -> Option<(u32, Option<Calendar>, usize)> {
    let (y, digits) = num(t, i)?;
    if digits != 4 {
        return None;
    }
    // A year glued to more numbers is something else (2021/22, 2021:30).
    if attached(t, i + 1)
        && punct(t, i + 1).is_some_and(|p| matches!(p, '/' | '-' | '.' | ':'))
        && attached(t, i + 2)
        && num(t, i + 2).is_some()
    {
        return None;
    }
    let (marker, next) = year_marker(t, i + 1);
    Some((y, marker, next))
}

/// Resolves day, month, year in the month's calendar.
fn resolve(
    day: u32,
    month: u8,
    calendar: Calendar,
    year: u32,
    marker: Option<Calendar>,
    next: usize,
) -> Option<Core> {
    if marker.is_some_and(|m| m != calendar) {
        return None;
    }
    let date = match calendar {
        Calendar::Gregorian => gregorian(year, u32::from(month), day)?,
        Calendar::Hijri => hijri_to_gregorian(year, u32::from(month), day)?,
    };
    Some(Core {
        next,
        date,
        calendar,
        time: None,
        zone: None,
    })
}

/// «23 يوليو 2021», «8th, August 2023», «17 ذو الحجة 1442 هـ», «9 أغسطس/آب 2015».
fn day_month_year(t: &[Tok], i: usize) -> Option<Core> {
    let (day, mut j) = day_at(t, i)?;
    j = skip_comma(t, j);
    if word(t, j) == Some("من") {
        j += 1;
    }
    let (month, calendar, mut k) = month_at(t, j)?;
    if calendar == Calendar::Gregorian {
        k = same_month_again(t, month, k);
    }
    k = skip_comma(t, k);
    let (year, marker, next) = year_at(t, k)?;
    resolve(day, month, calendar, year, marker, next)
}

/// «August 8, 2023», «Aug. 8th 2023», «يوليو 25, 2015».
fn month_day_year(t: &[Tok], i: usize) -> Option<Core> {
    let (month, calendar, mut j) = month_at(t, i)?;
    if calendar == Calendar::Gregorian {
        j = same_month_again(t, month, j);
    }
    let (day, k) = day_at(t, j)?;
    let k = skip_comma(t, k);
    let (year, marker, next) = year_at(t, k)?;
    resolve(day, month, calendar, year, marker, next)
}

/// `H:MM` or `H:MM:SS` (fractional seconds skipped) at `t[i]`.
fn clock(t: &[Tok], i: usize) -> Option<(Time, usize)> {
    let (h, h_digits) = num(t, i)?;
    if h_digits > 2 || h > 24 || punct(t, i + 1) != Some(':') {
        return None;
    }
    let (m, m_digits) = num(t, i + 2)?;
    if !attached(t, i + 1) || !attached(t, i + 2) || m_digits != 2 || m > 59 || (h == 24 && m > 0) {
        return None;
    }
    let mut next = i + 3;
    let mut second = None;
    if punct(t, next) == Some(':') && attached(t, next) && attached(t, next + 1) {
        if let Some((s, 2)) = num(t, next + 1) {
            if s <= 60 {
                second = Some(s.min(59) as u8);
                next += 2;
            }
        }
    }
    if second.is_some()
        && punct(t, next) == Some('.')
        && attached(t, next)
        && attached(t, next + 1)
        && num(t, next + 1).is_some()
    {
        next += 2;
    }
    // 24:00 is midnight at the end of the day; keep the clock in 0..24.
    let hour = if h == 24 { 0 } else { h };
    // Lossless: hour < 24, minute < 60.
    Some((
        Time {
            hour: hour as u8,
            minute: m as u8,
            second,
        },
        next,
    ))
}

/// A clock with its AM/PM word: «10:15 AM», «3:53 م», «2:00 بعد الظهر».
pub(crate) fn clock_with_half(t: &[Tok], i: usize) -> Option<(Time, usize)> {
    let (mut time, mut next) = clock(t, i)?;
    let half = match (word(t, next), word(t, next + 1)) {
        (Some("بعد"), Some("الظهر" | "الظهيره")) => Some((true, 2)),
        (Some("قبل"), Some("الظهر" | "الظهيره")) => Some((false, 2)),
        (Some("a" | "p"), _)
            if punct(t, next + 1) == Some('.') && word(t, next + 2) == Some("m") =>
        {
            let dot = usize::from(punct(t, next + 3) == Some('.'));
            Some((word(t, next) == Some("p"), 3 + dot))
        }
        (Some(w), _) => day_half(w).map(|pm| (pm, 1)),
        _ => None,
    };
    if let Some((pm, len)) = half {
        if time.hour <= 12 {
            if pm && time.hour < 12 {
                time.hour += 12;
            } else if !pm && time.hour == 12 {
                time.hour = 0;
            }
            next += len;
        }
    }
    Some((time, next))
}

/// A time after the date, past at most three separators or lead words.
fn trailing_time(t: &[Tok], mut i: usize) -> Option<(Time, usize)> {
    for _ in 0..=3 {
        if let Some(found) = clock_with_half(t, i) {
            return Some(found);
        }
        let tok = t.get(i)?;
        let skippable =
            tok.punct().is_some_and(is_time_separator) || tok.word().is_some_and(is_time_lead_word);
        if !skippable {
            return None;
        }
        i += 1;
    }
    None
}

/// A time written just before the date: «10:15 AM, August 8, 2023».
fn leading_time(t: &[Tok], floor: usize, start: usize) -> Option<(Time, usize)> {
    let mut end = start;
    // Past at most one separator, e.g. «03:53 م - 23 يوليو 2021».
    if end > floor && t[end - 1].punct().is_some_and(is_time_separator) {
        end -= 1;
    }
    // The clock starts 3 (H:MM) or 5 (H:MM:SS) tokens before, plus AM/PM words.
    (3..=9)
        .filter_map(|len| end.checked_sub(len))
        .filter(|&s| s >= floor)
        .find_map(|s| {
            clock_with_half(t, s)
                .filter(|&(_, after)| after == end)
                .map(|(time, _)| (time, s))
        })
}

/// A zone after the date or time: GMT, GMT+3, +03:00, ET, بتوقيت مكة المكرمة,
/// توقيت غرينتش, ت.غ, (مكة المكرمة).
fn zone_at(t: &[Tok], i: usize, after_time: bool) -> Option<(ZoneRef, usize)> {
    let tok = t.get(i)?;
    if let Some(key) = tok.word() {
        if let Some(zone) = zone_abbreviation(key) {
            if key == "z" && !after_time {
                return None;
            }
            // «GMT+3», «UTC +03:00».
            if matches!(key, "gmt" | "utc") {
                if let Some((ZoneRef::Fixed(m), after)) = signed_offset(t, i + 1, true) {
                    return Some((ZoneRef::Fixed(m), after));
                }
            }
            return Some((zone, i + 1));
        }
        if matches!(key, "بتوقيت" | "توقيت" | "حسب") {
            let j = if key == "حسب" && word(t, i + 1) == Some("توقيت") {
                i + 2
            } else {
                i + 1
            };
            let (zone, len) = zone_place(word(t, j)?, word(t, j + 1))?;
            return Some((zone, j + len));
        }
        // ت.غ (توقيت غرينتش)
        if key == "ت" && punct(t, i + 1) == Some('.') && word(t, i + 2) == Some("غ") {
            return Some((ZoneRef::Fixed(0), i + 3));
        }
        return None;
    }
    if tok.is_punct('(') {
        // «(GMT+3)», «(بتوقيت مكة)», «(مكة المكرمة)»; parentheses do not nest here.
        let (zone, after) = match zone_at(t, i + 1, after_time).filter(|_| !t[i + 1].is_punct('('))
        {
            Some(found) => found,
            None => {
                let (zone, len) = zone_place(word(t, i + 1)?, word(t, i + 2))?;
                (zone, i + 1 + len)
            }
        };
        return (punct(t, after) == Some(')')).then_some((zone, after + 1));
    }
    if after_time && (tok.is_punct('+') || tok.is_punct('-') || tok.is_punct('−')) {
        return signed_offset(t, i, false);
    }
    None
}

/// The weekday just before `start` («الجمعة 23/07/2021», «Tuesday, August 8»),
/// with an optional «يوم» before it.
fn weekday_before(t: &[Tok], floor: usize, start: usize) -> Option<(u8, usize)> {
    let mut p = start.checked_sub(1).filter(|&p| p >= floor)?;
    // «الجمعة، 23», «Tue., Aug 8»: at most two marks between.
    for _ in 0..2 {
        if t[p]
            .punct()
            .is_some_and(|c| matches!(c, ',' | '،' | '-' | '|' | '–' | '.'))
        {
            p = p.checked_sub(1).filter(|&p| p >= floor)?;
        }
    }
    let wd = weekday(t[p].word()?)?;
    if p > floor && t[p - 1].is_word("يوم") {
        p -= 1;
    }
    Some((wd, p))
}

/// The cue label just before `start` («تاريخ النشر:», «آخر تحديث», «Posted on»).
fn cue_before(t: &[Tok], floor: usize, start: usize) -> Option<crate::Cue> {
    let mut p = start;
    let mut skipped = 0;
    while p > floor
        && skipped < 2
        && t[p - 1]
            .punct()
            .is_some_and(|c| matches!(c, ':' | '-' | '|' | ',' | '،' | '–'))
    {
        p -= 1;
        skipped += 1;
    }
    let mut words = Vec::with_capacity(3);
    while p > floor && words.len() < 3 {
        let Some(w) = t[p - 1].word() else { break };
        words.push(w);
        p -= 1;
    }
    words.reverse();
    cue_ending(&words).map(|(cue, _)| cue)
}

// Numeric dates tell the calendars apart by the year alone.
const _: () = assert!(*GREGORIAN_YEARS.start() > *HIJRI_YEARS.end());

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Cue;
    use proptest::prelude::*;

    /// The ISO forms of every date found in `text`.
    fn isos(text: &str) -> Vec<String> {
        find(text).iter().map(FoundDate::to_iso).collect()
    }

    fn one(text: &str) -> FoundDate {
        let found = find(text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        found.into_iter().next().unwrap()
    }

    fn covered<'a>(text: &'a str, f: &FoundDate) -> &'a str {
        &text[f.start..f.end]
    }

    #[test]
    fn egypt_gulf_month_names_with_and_without_hamza() {
        assert_eq!(
            isos("وصل الوفد في 3 أبريل 2024 إلى القاهرة"),
            ["2024-04-03"]
        );
        assert_eq!(
            isos("وصل الوفد في 3 ابريل 2024 إلى القاهرة"),
            ["2024-04-03"]
        );
        assert_eq!(isos("1 يناير 2020"), ["2020-01-01"]);
        assert_eq!(isos("14 فبراير 2022"), ["2022-02-14"]);
        assert_eq!(isos("5 مايو 2019"), ["2019-05-05"]);
        assert_eq!(
            isos("30 يونيه 2013 و23 يوليه 1952"),
            ["2013-06-30", "1952-07-23"]
        );
        assert_eq!(
            isos("15 اغسطس 2015، 9 سبتمبر 2015"),
            ["2015-08-15", "2015-09-09"]
        );
        assert_eq!(
            isos("6 أكتوبر 1973، 2 نوفمبر 1917 و25 ديسمبر 2000"),
            ["1973-10-06", "1917-11-02", "2000-12-25"]
        );
    }

    #[test]
    fn levant_iraq_month_names_including_two_word_ones() {
        assert_eq!(isos("26 تموز 2021 22:19"), ["2021-07-26T22:19"]);
        assert_eq!(isos("1 كانون الثاني 2020"), ["2020-01-01"]);
        assert_eq!(isos("31 كانون الأول 2019"), ["2019-12-31"]);
        assert_eq!(
            isos("6 تشرين الأول 2023 و9 تشرين الثاني 1989"),
            ["2023-10-06", "1989-11-09"]
        );
        assert_eq!(
            isos("14 شباط 2005، 8 آذار 2011، 17 نيسان 2020"),
            ["2005-02-14", "2011-03-08", "2020-04-17"]
        );
        assert_eq!(
            isos("25 أيار 2000، 5 حزيران 1967، 4 آب 2020، 11 أيلول 2001"),
            ["2000-05-25", "1967-06-05", "2020-08-04", "2001-09-11"]
        );
    }

    #[test]
    fn maghreb_month_names() {
        assert_eq!(
            isos("20 غشت 2022 و1 يوليوز 2011"),
            ["2022-08-20", "2011-07-01"]
        );
        assert_eq!(
            isos("8 شتنبر 2023، 16 نونبر 2021، 31 دجنبر 2020، 1 ماي 2019"),
            ["2023-09-08", "2021-11-16", "2020-12-31", "2019-05-01"]
        );
        assert_eq!(
            isos("5 جويلية 1962، 1 نوفمبر 1954، 14 جانفي 2011، 22 فيفري 2019"),
            ["1962-07-05", "1954-11-01", "2011-01-14", "2019-02-22"]
        );
        assert_eq!(
            isos("9 أفريل 2021، 12 جوان 2020، 15 أوت 2023"),
            ["2021-04-09", "2020-06-12", "2023-08-15"]
        );
    }

    #[test]
    fn paired_month_names_are_one_date() {
        for (text, iso) in [
            ("9 أغسطس/آب 2015", "2015-08-09"),
            ("23 يوليو/تموز 2021", "2021-07-23"),
            ("23 تموز/يوليو 2021", "2021-07-23"),
            ("15 يونيو /حزيران 2020", "2020-06-15"),
            ("15 يونيو حزيران 2020", "2020-06-15"),
            ("25 كانون الاول/ديسمبر 2019", "2019-12-25"),
            ("4 أغسطس (آب) 2020", "2020-08-04"),
        ] {
            let f = one(text);
            assert_eq!(f.to_iso(), iso, "{text}");
            assert_eq!(covered(text, &f), text);
        }
    }

    #[test]
    fn month_with_prefix_or_shahr() {
        assert_eq!(isos("في 12 من شهر مارس 2024"), ["2024-03-12"]);
        assert_eq!(isos("يوم 7 من يوليو 2021"), ["2021-07-07"]);
        assert_eq!(isos("الموعد 7 بيوليو 2021"), ["2021-07-07"]);
        // Hostile repetition neither recurses nor matches.
        assert!(find(&format!("1 {} 2021", "شهر ".repeat(10_000))).is_empty());
    }

    #[test]
    fn numeric_forms_and_the_day_month_rule() {
        assert_eq!(isos("23/07/2021"), ["2021-07-23"]);
        assert_eq!(isos("23-07-2021"), ["2021-07-23"]);
        assert_eq!(isos("23.07.2021"), ["2021-07-23"]);
        assert_eq!(isos("2021-07-26"), ["2021-07-26"]);
        assert_eq!(isos("2015/7/25"), ["2015-07-25"]);
        // First above 12: day/month. Second above 12: month/day. Else day/month.
        assert_eq!(isos("07/23/2021"), ["2021-07-23"]);
        assert_eq!(isos("06/08/2015"), ["2015-08-06"]);
        assert_eq!(isos("31/07/2015م"), ["2015-07-31"]);
        // Two-digit years only as dd/mm/yy.
        assert_eq!(isos("23/07/21"), ["2021-07-23"]);
        assert_eq!(isos("1/7/21"), Vec::<String>::new());
    }

    #[test]
    fn iso_8601_with_time_and_offset() {
        assert_eq!(
            isos("2021-07-26T22:19:00+03:00"),
            ["2021-07-26T22:19:00+03:00"]
        );
        assert_eq!(isos("2021-07-26T22:19:00Z"), ["2021-07-26T22:19:00+00:00"]);
        assert_eq!(
            isos("2021-07-26T22:19:00.000Z"),
            ["2021-07-26T22:19:00+00:00"]
        );
        assert_eq!(isos("2023-08-08T10:15-0400"), ["2023-08-08T10:15-04:00"]);
        let text = "datePublished 2021-07-26T22:19:00+03:00 end";
        assert_eq!(covered(text, &one(text)), "2021-07-26T22:19:00+03:00");
    }

    #[test]
    fn arabic_indic_and_persian_digits() {
        assert_eq!(isos("٢٣ يوليو ٢٠٢١"), ["2021-07-23"]);
        assert_eq!(isos("٢٣/٠٧/٢٠٢١ - ٠٣:٥٣"), ["2021-07-23T03:53"]);
        assert_eq!(isos("۲۳ یولیو ۲۰۲۱"), ["2021-07-23"]);
        assert_eq!(isos("ينبع ٩ أغسطس ٢٠١٥م"), ["2015-08-09"]);
    }

    #[test]
    fn english_forms() {
        assert_eq!(isos("August 8, 2023"), ["2023-08-08"]);
        assert_eq!(isos("8 August 2023"), ["2023-08-08"]);
        assert_eq!(isos("8th, August 2023"), ["2023-08-08"]);
        assert_eq!(isos("Aug. 8th 2023"), ["2023-08-08"]);
        assert_eq!(
            isos("1st March 2022, 2nd May 2022, 3rd June 2022"),
            ["2022-03-01", "2022-05-02", "2022-06-03"]
        );
        let text = "Tuesday, August 8, 2023 10:15 AM GMT";
        let f = one(text);
        assert_eq!(f.to_iso(), "2023-08-08T10:15+00:00");
        assert_eq!(f.weekday, Some(2));
        assert_eq!(covered(text, &f), text);
        assert_eq!(
            isos("Posted on Aug 8, 2023 at 3:05 p.m. ET"),
            ["2023-08-08T15:05-04:00"]
        );
        assert_eq!(isos("يوليو 25, 2015"), ["2015-07-25"]);
        assert_eq!(isos("في يوليو 23، 2021"), ["2021-07-23"]);
    }

    #[test]
    fn weekdays_join_the_range_and_mismatches_are_kept() {
        let text = "الجمعة 23/07/2021 - 03:53 بتوقيت نيويورك";
        let f = one(text);
        assert_eq!(f.to_iso(), "2021-07-23T03:53-04:00");
        assert_eq!((f.start, f.end, f.weekday), (0, text.len(), Some(5)));
        assert_eq!(f.weekday_matches(), Some(true));
        for (day, wd) in [
            ("الاثنين", 1),
            ("الإثنين", 1),
            ("الثلاثاء", 2),
            ("الأربعاء", 3),
            ("الخميس", 4),
            ("السبت", 6),
            ("الأحد", 7),
        ] {
            let text = format!("{day}، 26 يوليو 2021");
            let f = one(&text);
            assert_eq!((f.weekday, f.start), (Some(wd), 0), "{text}");
        }
        // 26 July 2021 was a Monday: a written Sunday is kept, trusted less.
        let wrong = one("الأحد 26 يوليو 2021");
        assert_eq!(wrong.weekday_matches(), Some(false));
        assert!(wrong.confidence() < one("الاثنين 26 يوليو 2021").confidence());
        assert_eq!(one("يوم الخميس 22 يوليو 2021").start, 0);
        assert_eq!(one("Tue., Aug. 8, 2023").weekday, Some(2));
        // A weekday far from the date is not part of it.
        assert_eq!(one("الجمعة قال الوزير 23 يوليو 2021").weekday, None);
    }

    #[test]
    fn times_and_day_halves() {
        assert_eq!(isos("23 يوليو 2021 الساعة 10:15 ص"), ["2021-07-23T10:15"]);
        assert_eq!(isos("23 يوليو 2021 - 03:53 م"), ["2021-07-23T15:53"]);
        assert_eq!(isos("23 يوليو 2021 - 8:05 مساءً"), ["2021-07-23T20:05"]);
        assert_eq!(isos("23 يوليو 2021 12:30 صباحاً"), ["2021-07-23T00:30"]);
        assert_eq!(
            isos("26 يوليو 2021 الساعة 2:00 بعد الظهر بتوقيت واشنطن"),
            ["2021-07-26T14:00-04:00"]
        );
        assert_eq!(isos("26/07/2021 22:19:05"), ["2021-07-26T22:19:05"]);
        // A time before the date.
        assert_eq!(isos("10:15 AM, August 8, 2023"), ["2023-08-08T10:15"]);
        assert_eq!(isos("03:53 م - 23 يوليو 2021"), ["2021-07-23T15:53"]);
        let text = "22:19 الاثنين 26 تموز 2021";
        let f = one(text);
        assert_eq!(
            (f.to_iso(), f.weekday, f.start),
            ("2021-07-26T22:19".to_string(), Some(1), 0)
        );
    }

    #[test]
    fn zones() {
        assert_eq!(
            isos("23 يوليو 2021 10:00 بتوقيت مكة المكرمة"),
            ["2021-07-23T10:00+03:00"]
        );
        assert_eq!(
            isos("23 يوليو 2021 10:00 (مكة المكرمة)"),
            ["2021-07-23T10:00+03:00"]
        );
        assert_eq!(
            isos("23 يوليو 2021 10:00 بتوقيت القدس"),
            ["2021-07-23T10:00+03:00"]
        );
        assert_eq!(
            isos("23 يناير 2021 10:00 بتوقيت القدس"),
            ["2021-01-23T10:00+02:00"]
        );
        assert_eq!(
            isos("23 يوليو 2021 10:00 بتوقيت بغداد"),
            ["2021-07-23T10:00+03:00"]
        );
        assert_eq!(
            isos("23 يوليو 2021 10:00 بتوقيت أبوظبي"),
            ["2021-07-23T10:00+04:00"]
        );
        assert_eq!(
            isos("23 يوليو 2021 10:00 بتوقيت أبو ظبي"),
            ["2021-07-23T10:00+04:00"]
        );
        assert_eq!(
            isos("23 يوليو 2021 10:00 توقيت غرينتش"),
            ["2021-07-23T10:00+00:00"]
        );
        assert_eq!(
            isos("23 يوليو 2021 10:00 بتوقيت غرينتش"),
            ["2021-07-23T10:00+00:00"]
        );
        assert_eq!(isos("23/7/2021 10:00 (ت.غ)"), ["2021-07-23T10:00+00:00"]);
        assert_eq!(isos("23/7/2021 10:00 ت.غ"), ["2021-07-23T10:00+00:00"]);
        assert_eq!(isos("23/7/2021 10:00 (GMT+3)"), ["2021-07-23T10:00+03:00"]);
        assert_eq!(
            isos("23/7/2021 10:00 (بتوقيت الدوحة)"),
            ["2021-07-23T10:00+03:00"]
        );
        assert_eq!(
            isos("23 يوليو 2021 10:00 GMT+3"),
            ["2021-07-23T10:00+03:00"]
        );
        assert_eq!(isos("23 July 2021 10:00 UTC"), ["2021-07-23T10:00+00:00"]);
        assert_eq!(isos("Jan 5, 2021 10:00 EST"), ["2021-01-05T10:00-05:00"]);
        assert_eq!(isos("Jan 5, 2021 10:00 ET"), ["2021-01-05T10:00-05:00"]);
        assert_eq!(isos("Jul 5, 2021 10:00 EDT"), ["2021-07-05T10:00-04:00"]);
        // A zone without a time still reaches the record, not the ISO form.
        let f = one("تاريخ النشر: 8th, August 2023 GMT");
        assert_eq!(
            (f.utc_offset_minutes, f.cue),
            (Some(0), Some(Cue::Published))
        );
        // A zone alone is not a date.
        assert!(find("الساعة 10:00 بتوقيت مكة المكرمة").is_empty());
    }

    #[test]
    fn hijri_dates_convert_by_umm_al_qura() {
        let f = one("17 ذو الحجة 1442 هـ");
        assert_eq!(
            (f.to_iso(), f.calendar),
            ("2021-07-27".to_string(), Calendar::Hijri)
        );
        assert_eq!(isos("١ رمضان ١٤٤٥هـ"), ["2024-03-11"]);
        assert_eq!(isos("١٥ رمضان ١٤٤٥هـ"), ["2024-03-25"]);
        assert_eq!(isos("10 ذي الحجة 1445"), ["2024-06-16"]);
        assert_eq!(isos("1 محرم 1446هـ"), ["2024-07-07"]);
        assert_eq!(isos("12 ربيع الأول 1445 هـ"), ["2023-09-27"]);
        assert_eq!(isos("1 جمادى الآخرة 1445"), ["2023-12-14"]);
        assert_eq!(isos("1446/01/01هـ"), ["2024-07-07"]);
        // Both calendars on one line: two dates.
        let both = find("الأحد 17 ذو الحجة 1442 هـ الموافق 27 يوليو 2021");
        assert_eq!(both.len(), 2);
        assert_eq!(
            (both[0].calendar, both[1].calendar),
            (Calendar::Hijri, Calendar::Gregorian)
        );
        assert_eq!(both[0].date, both[1].date);
        // 30 of a 29-day month does not exist.
        assert!(find("30 محرم 1445").is_empty());
        assert_eq!(isos("30 صفر 1445"), ["2023-09-15"]);
    }

    #[test]
    fn cues() {
        assert_eq!(
            one("تاريخ النشر: الجمعة 23/07/2021").cue,
            Some(Cue::Published)
        );
        assert_eq!(one("نشر في 23 يوليو 2021").cue, Some(Cue::Published));
        assert_eq!(one("نشر بتاريخ 23 يوليو 2021").cue, Some(Cue::Published));
        assert_eq!(one("Published: August 8, 2023").cue, Some(Cue::Published));
        assert_eq!(one("Posted on August 8, 2023").cue, Some(Cue::Published));
        assert_eq!(
            one("آخر تحديث: 26 يوليو 2021 22:19").cue,
            Some(Cue::Updated)
        );
        assert_eq!(one("تم التحديث 26/07/2021").cue, Some(Cue::Updated));
        assert_eq!(one("Updated Aug 9, 2023").cue, Some(Cue::Updated));
        assert_eq!(one("وقال في 26 يوليو 2021").cue, None);
        let text = "تاريخ النشر: 26 يوليو 2021";
        assert_eq!(covered(text, &one(text)), "26 يوليو 2021");
    }

    #[test]
    fn things_that_are_not_dates() {
        for text in [
            "الفصل 23 من القانون",
            "اتصل على 0551234567 أو 011-456-7890",
            "وصل 2500 جندي إلى المدينة",
            "فاز الفريق 3-1 على منافسه",
            "صدر الإصدار 1.2.3 من البرنامج",
            "عنوان الخادم 192.168.1.1",
            "الموسم 2020-2021 كان صعبا",
            "في يوليو 2021 قررت الحكومة",
            "عام 2021",
            "31 فبراير 2021",
            "12/13/2021/5",
            "23/13/2021",
            "23 يوليو 1850",
            "23 يوليو 2150",
            "17 يوليو 1442هـ",
            "المادة 5 من دستور 2014",
            "Version 10.5.2021b",
        ] {
            assert!(find(text).is_empty(), "{text}: {:?}", find(text));
        }
    }

    proptest! {
        #[test]
        fn never_panics_and_ranges_are_sound(s in "\\PC{0,80}") {
            check_sound(&s)?;
        }

        #[test]
        fn date_like_noise_is_sound(s in "[0-9٠-٩/:.\\- ٬،,+يوليوتمزهـ]{0,60}") {
            check_sound(&s)?;
        }
    }

    const EGYPT: [&str; 12] = [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ];
    const LEVANT: [&str; 12] = [
        "كانون الثاني",
        "شباط",
        "آذار",
        "نيسان",
        "أيار",
        "حزيران",
        "تموز",
        "آب",
        "أيلول",
        "تشرين الأول",
        "تشرين الثاني",
        "كانون الأول",
    ];
    const MOROCCO: [&str; 12] = [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "ماي",
        "يونيو",
        "يوليوز",
        "غشت",
        "شتنبر",
        "أكتوبر",
        "نونبر",
        "دجنبر",
    ];
    const ALGERIA: [&str; 12] = [
        "جانفي",
        "فيفري",
        "مارس",
        "أفريل",
        "ماي",
        "جوان",
        "جويلية",
        "أوت",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ];
    const ENGLISH: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];

    fn arabic_indic(text: &str) -> String {
        text.chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => char::from_u32(0x0660 + d).unwrap_or(c),
                None => c,
            })
            .collect()
    }

    /// A valid date written in one of the supported forms, inside a sentence.
    fn written_date() -> impl Strategy<Value = (Date, String)> {
        (1900u32..=2100, 1u32..=12, 1u32..=31, 0usize..8).prop_filter_map(
            "real day",
            |(y, m, d, form)| {
                let date = gregorian(y, m, d)?;
                let name = |names: [&'static str; 12]| names[m as usize - 1];
                let written = match form {
                    0 => format!("{d} {} {y}", name(EGYPT)),
                    1 => format!("{d} {} {y}", name(LEVANT)),
                    2 => format!("{d} {} {y}", name(MOROCCO)),
                    3 => format!("{d} {} {y}", name(ALGERIA)),
                    4 => format!("{} {d}, {y}", name(ENGLISH)),
                    5 => format!("{d:02}/{m:02}/{y}"),
                    6 => format!("{y}-{m:02}-{d:02}"),
                    _ => arabic_indic(&format!("{d} {}/{} {y}", name(EGYPT), name(LEVANT))),
                };
                Some((date, written))
            },
        )
    }

    proptest! {
        #[test]
        fn written_dates_are_read_back(
            (date, written) in written_date(),
            before in "[ء-ي ]{0,20}",
            after in "[ء-ي ]{0,20}",
        ) {
            let text = format!("{before} في {written} وقال {after}");
            let found = find(&text);
            prop_assert_eq!(found.len(), 1, "{}", text);
            prop_assert_eq!(found[0].date, date);
            prop_assert_eq!(&text[found[0].start..found[0].end], written.as_str());
        }
    }

    fn check_sound(s: &str) -> Result<(), TestCaseError> {
        let mut last_end = 0;
        for f in find(s) {
            prop_assert!(s.is_char_boundary(f.start) && s.is_char_boundary(f.end));
            prop_assert!(f.start < f.end && f.start >= last_end);
            last_end = f.end;
            prop_assert!(gregorian(
                f.date.year as u32,
                u32::from(f.date.month),
                u32::from(f.date.day)
            )
            .is_some());
            if let Some(t) = f.time {
                prop_assert!(t.hour < 24 && t.minute < 60);
            }
        }
        let _ = crate::is_relative_time(s);
        let c = crate::dateline_coverage(s, &find(s));
        prop_assert!((0.0..=1.0).contains(&c));
        Ok(())
    }
}
