//! Publication times: an ISO 8601 date or date-time string in, days since
//! 1970-01-01 (UTC, fractional) out.
//!
//! Hand-written rather than pulling a calendar crate: the clusterer only needs
//! day arithmetic on `YYYY-MM-DD[ T]HH:MM[:SS][Z|±HH:MM]`, and this parser is
//! ~40 lines with a proleptic-Gregorian day count (Hinnant's `days_from_civil`).

/// Days since the Unix epoch of an ISO 8601 date or date-time, or `None` when
/// the string is not one (the article is then clustered as dateless).
///
/// ```
/// use rasd_cluster::time::parse_days;
/// assert_eq!(parse_days("1970-01-02"), Some(1.0));
/// assert_eq!(parse_days("2015-08-01 12:00:00"), Some(16648.5));
/// assert_eq!(parse_days("أمس"), None);
/// ```
pub fn parse_days(text: &str) -> Option<f64> {
    let s = text.trim().as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(range)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let year = num(0..4)?;
    if s.get(4) != Some(&b'-') || s.get(7) != Some(&b'-') {
        return None;
    }
    let month = num(5..7)?;
    let day = num(8..10)?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut days = days_from_civil(year, month, day) as f64;
    if matches!(s.get(10), Some(b'T' | b't' | b' ')) {
        if let (Some(h), Some(m)) = (num(11..13), num(14..16)) {
            if h < 24 && m < 60 {
                days += (h * 60 + m) as f64 / 1440.0;
            }
        }
    }
    Some(days)
}

/// Days from 1970-01-01 to the given proleptic-Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Bounds an active pool (stories, topics): when it holds `max_active`
/// entries or more, the least recently active are dropped until a quarter
/// of the room is free again, so eviction runs rarely. Ties go by id, so
/// the result does not depend on the map's iteration order.
pub(crate) fn evict_oldest<T, S: std::hash::BuildHasher>(
    active: &mut std::collections::HashMap<u64, T, S>,
    max_active: usize,
    last_active: impl Fn(&T) -> f64,
) {
    if active.len() < max_active {
        return;
    }
    let mut by_age: Vec<(f64, u64)> = active.iter().map(|(id, t)| (last_active(t), *id)).collect();
    by_age.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let drop = active.len() + 1 - max_active * 3 / 4;
    for (_, id) in by_age.into_iter().take(drop) {
        active.remove(&id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates_and_times() {
        assert_eq!(parse_days("2000-03-01"), Some(11017.0));
        assert_eq!(parse_days("2021-07-26T06:00:00+03:00"), Some(18834.25));
        assert_eq!(
            parse_days("2015-07-21 02:51:32").map(f64::floor),
            Some(16637.0)
        );
    }

    #[test]
    fn rejects_non_dates() {
        for bad in [
            "",
            "2015",
            "٢٠١٥-٠٧-٢١",
            "2015-13-01",
            "2015-07-x1",
            "منذ ساعتين",
        ] {
            assert_eq!(parse_days(bad), None, "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,30}") {
            let _ = parse_days(&s);
        }
    }
}
