//! A topic's timeline as an inline SVG, drawn on the server: one dot per
//! story at its first publication day (earliest on the right, as Arabic
//! reads), sized by its article count, each a link to the story with its
//! headline as the tooltip. In: timeline entries. Out: SVG markup (escaped
//! by maud; presentation attributes only, so the CSP needs no inline style).

use maud::{html, Markup};
use rasd_store::TimelineEntry;

/// Dots drawn at most; a longer timeline shows its latest stories.
pub const MAX_DOTS: usize = 300;

const WIDTH: f64 = 800.0;
const MARGIN: f64 = 40.0;
const ROW: f64 = 18.0;
const TOP: f64 = 24.0;

/// Days since 1970-01-01 of a `YYYY-MM-DD…` date, if it starts with one.
///
/// Written out (Howard Hinnant's `days_from_civil`) rather than pulling a
/// date crate into the server for one subtraction.
pub fn day_number(date: &str) -> Option<i64> {
    let y: i64 = date.get(0..4)?.parse().ok()?;
    let m: i64 = date.get(5..7)?.parse().ok()?;
    let d: i64 = date.get(8..10)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The SVG of `entries` (undated ones are left out).
pub fn timeline_svg(entries: &[TimelineEntry]) -> Markup {
    let mut dated: Vec<(i64, &TimelineEntry)> = entries
        .iter()
        .filter_map(|e| Some((day_number(e.date.as_deref()?)?, e)))
        .collect();
    dated.sort_by_key(|(day, e)| (*day, e.story));
    if dated.len() > MAX_DOTS {
        dated.drain(..dated.len() - MAX_DOTS);
    }
    let (Some(first), Some(last)) = (dated.first(), dated.last()) else {
        return html! {};
    };
    let (first_day, last_day) = (first.0, last.0);
    let span = (last_day - first_day).max(1) as f64;
    let height = TOP + ROW * dated.len() as f64 + 30.0;
    // Right to left: the earliest day at the right edge.
    let x_of = |day: i64| WIDTH - MARGIN - (day - first_day) as f64 / span * (WIDTH - 2.0 * MARGIN);
    let axis_y = height - 22.0;
    let first_label = first.1.date.as_deref().unwrap_or_default();
    let last_label = last.1.date.as_deref().unwrap_or_default();
    html! {
        svg class="timeline" xmlns="http://www.w3.org/2000/svg" role="img"
            viewBox={ "0 0 " (WIDTH) " " (height) } aria-label="الخط الزمني للقصص" {
            line class="axis" x1=(MARGIN) y1=(axis_y) x2=(WIDTH - MARGIN) y2=(axis_y) {}
            // Dates are left-to-right text even on a right-to-left page.
            text x=(WIDTH - MARGIN) y=(height - 6.0) text-anchor="end" direction="ltr" { (first_label) }
            @if last_day != first_day {
                text x=(MARGIN) y=(height - 6.0) text-anchor="start" direction="ltr" { (last_label) }
            }
            @for (row, (day, entry)) in dated.iter().enumerate() {
                @let radius = 3.0 + (entry.size as f64).sqrt().min(6.0);
                a href={ "/story/" (entry.story) } {
                    title {
                        (entry.date.as_deref().unwrap_or_default()) " — "
                        (entry.headline.as_deref().unwrap_or("قصة بلا عنوان"))
                        " (" (entry.size) ")"
                    }
                    circle class="dot" cx=(format!("{:.1}", x_of(*day)))
                        cy=(format!("{:.1}", TOP + ROW * row as f64)) r=(format!("{radius:.1}")) {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(story: i64, date: &str, headline: &str) -> TimelineEntry {
        TimelineEntry {
            story,
            date: Some(date.into()),
            headline: Some(headline.into()),
            size: 4,
            sources: vec!["sabq".into()],
        }
    }

    #[test]
    fn days_count_from_the_epoch() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2015-07-21"), Some(16_637));
        assert_eq!(day_number("2016-03-01T10:00:00+03:00"), Some(16_861));
        assert_eq!(day_number("تاريخ"), None);
    }

    #[test]
    fn each_story_is_a_linked_dot_with_an_escaped_tooltip() {
        let svg = timeline_svg(&[
            entry(7, "2015-07-21", "قمة <script>alert(1)</script> الرياض"),
            entry(9, "2015-08-01", "اتفاق جديد"),
        ])
        .into_string();
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("href=\"/story/7\""));
        assert!(svg.contains("&lt;script&gt;"), "{svg}");
        assert!(!svg.contains("<script>"));
        // The earliest story sits at the right edge.
        assert!(svg.contains("cx=\"760.0\""), "{svg}");
    }

    #[test]
    fn undated_timelines_draw_nothing() {
        let mut e = entry(1, "2015-07-21", "خبر");
        e.date = None;
        assert_eq!(timeline_svg(&[e]).into_string(), "");
    }
}
