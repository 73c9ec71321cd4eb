//! Speed at scale: replays SaudiNewsNet in date order N times (each replay
//! shifted by 22 days, past the corpus span) through one clusterer and prints
//! articles/s per replay, so a growing archive shows up as a falling rate.
//!
//!   cargo run --release -p rasd-cluster --example replay -- ../shared/data/saudinewsnet.jsonl.gz 10

use flate2::read::GzDecoder;
use rasd_cluster::input::parse_article;
use rasd_cluster::StoryClusterer;
use std::io::{BufRead, BufReader};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .ok_or("usage: replay CORPUS.jsonl.gz [ROUNDS]")?;
    let rounds: u32 = args.get(2).map_or(Ok(10), |r| r.parse())?;
    let reader = BufReader::new(GzDecoder::new(std::fs::File::open(path)?));
    let mut articles = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        articles.push(parse_article(&line?, i + 1)?);
    }
    articles.sort_by(|a, b| a.published.cmp(&b.published));
    let mut clusterer = StoryClusterer::default();
    let total = Instant::now();
    for round in 0..rounds {
        let shift = 22.0 * round as f64;
        let shifted: Vec<_> = articles
            .iter()
            .map(|a| {
                let mut a = a.clone();
                let days = a
                    .published
                    .as_deref()
                    .and_then(rasd_cluster::time::parse_days);
                a.published = days.map(|d| date_string(d + shift));
                a
            })
            .collect();
        let start = Instant::now();
        let cpu_start = cpu_seconds();
        for a in &shifted {
            clusterer.add(a, None);
        }
        let secs = start.elapsed().as_secs_f64();
        // CPU time as well: on a shared machine wall time mostly measures
        // the neighbours.
        let cpu = match (cpu_start, cpu_seconds()) {
            (Some(a), Some(b)) if b > a => format!(
                ", {:.2}s CPU = {:.0} articles/s of CPU",
                b - a,
                shifted.len() as f64 / (b - a)
            ),
            _ => String::new(),
        };
        println!(
            "round {round}: {} articles in {secs:.2}s = {:.0} articles/s{cpu}, {} active stories, {} active topics",
            shifted.len(),
            shifted.len() as f64 / secs,
            clusterer.active_stories(),
            clusterer.active_topics()
        );
    }
    println!("total {:.2}s", total.elapsed().as_secs_f64());
    Ok(())
}

/// User + system CPU seconds of this process so far (Linux `/proc`; `None`
/// elsewhere). Clock ticks are taken as the usual 100 per second.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesized command name; utime and stime are the
    // 14th and 15th fields of the whole line.
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// `YYYY-MM-DDTHH:MM` of a day count (Hinnant's civil_from_days).
fn date_string(days: f64) -> String {
    let z = days.floor() as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let minutes = ((days - days.floor()) * 1440.0).round() as i64;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}",
        minutes / 60 % 24,
        minutes % 60
    )
}
