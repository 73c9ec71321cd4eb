//! `rasd eval extract`: score extraction against a `gold.jsonl`.
//!
//! Scores exactly like `../shared/eval/score_extract.py` (same
//! normalization, tokens and metrics, same summary line), so numbers from
//! either can be compared: body bag-of-words P/R/F1 per page, macro-averaged,
//! and the share of pages with F1 ≥ 0.95; title exact after normalization;
//! date accuracy on the day (null = null is right) with wrong dates (wrong
//! day or spurious) counted apart; source after dropping صحيفة/جريدة/….
//! Predictions are matched to gold pages by the stem of their `path`; the
//! first prediction per page counts.

use crate::commands::extract::{extract_inputs, ExtractRun, Switch};
use crate::output::{self, Format};
use crate::{Globals, Outcome};
use anyhow::Context;
use rasd_model::Article;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use unicode_normalization::UnicodeNormalization;

/// Score extraction against a gold.jsonl (body word-F1, title, date, wrong dates).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The gold file: one JSON object per page with `page`, `title`,
    /// `published`, `body`, `source` (and `template` for the table).
    #[arg(long)]
    pub gold: PathBuf,

    /// Score this predictions file (`rasd extract --format json` output)
    /// instead of extracting PATHs.
    #[arg(long, conflicts_with = "paths")]
    pub pred: Option<PathBuf>,

    /// Pages to extract and score.
    #[arg(required_unless_present = "pred")]
    pub paths: Vec<PathBuf>,

    /// Summary and table as text, or one JSON object with the summary and
    /// per-page scores.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Learn site templates before extracting (as `rasd extract`).
    #[arg(long, value_enum, default_value_t = Switch::On)]
    pub site_templates: Switch,
}

/// Removes Arabic diacritics, Quranic marks and tatweel (the scorer's set).
fn is_scorer_mark(c: char) -> bool {
    matches!(c, '\u{0610}'..='\u{061a}' | '\u{064b}'..='\u{065f}' | '\u{0670}'
        | '\u{06d6}'..='\u{06dc}' | '\u{06df}'..='\u{06e8}' | '\u{06ea}'..='\u{06ed}' | '\u{0640}')
}

/// The scorer's normalization: NFKC, marks dropped, alef/yeh/taa folded,
/// Arabic-Indic and Persian digits to ASCII, case-folded.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkc() {
        if is_scorer_mark(c) {
            continue;
        }
        let c = match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ى' => 'ي',
            'ة' => 'ه',
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            c => c,
        };
        // Python's casefold differs from lower-casing only on a few Latin
        // and Greek letters; ß is the one that occurs in news text.
        if c == 'ß' {
            out.push_str("ss");
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Python's `\w` minus `_`: letters (L*), and digits and numbers (N*).
fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() && !is_scorer_mark(c) && !is_combining(c)
}

/// Marks are not `\w` in Python even where Unicode calls them alphabetic.
fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}'
        | '\u{0670}' | '\u{06D6}'..='\u{06ED}' | '\u{08D3}'..='\u{08FF}')
}

/// Tokens: maximal runs of letters and digits of the normalized text.
pub fn tokens(s: &str) -> Vec<String> {
    normalize(s)
        .split(|c: char| !is_token_char(c))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Bag-of-words precision, recall and F1.
pub fn prf(gold: &[String], pred: &[String]) -> (f64, f64, f64) {
    if gold.is_empty() && pred.is_empty() {
        return (1.0, 1.0, 1.0);
    }
    if gold.is_empty() || pred.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    let mut g: HashMap<&str, usize> = HashMap::new();
    for t in gold {
        *g.entry(t).or_default() += 1;
    }
    let mut overlap = 0;
    for t in pred {
        if let Some(n) = g.get_mut(t.as_str()) {
            if *n > 0 {
                *n -= 1;
                overlap += 1;
            }
        }
    }
    let p = overlap as f64 / pred.len() as f64;
    let r = overlap as f64 / gold.len() as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

/// A day as the scorer reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Day {
    Null,
    Valid(String),
    Invalid,
}

fn parse_day(v: Option<&serde_json::Value>) -> Day {
    let s = match v {
        None | Some(serde_json::Value::Null) => return Day::Null,
        Some(serde_json::Value::String(s)) => s.trim(),
        Some(_) => return Day::Invalid,
    };
    if s.is_empty() {
        return Day::Null;
    }
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    if b.len() < 10
        || !digits(0..4)
        || b[4] != b'-'
        || !digits(5..7)
        || b[7] != b'-'
        || !digits(8..10)
    {
        return Day::Invalid;
    }
    let (y, m, d): (i32, u32, u32) = (
        s[0..4].parse().unwrap_or(0),
        s[5..7].parse().unwrap_or(0),
        s[8..10].parse().unwrap_or(0),
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    if y < 1 || d < 1 || d > days {
        return Day::Invalid;
    }
    Day::Valid(s[0..10].to_string())
}

const SOURCE_DROP: &[&str] = &[
    "صحيفه",
    "جريده",
    "وكاله",
    "موقع",
    "قناه",
    "الالكترونيه",
    "الإلكترونيه",
    "اون",
    "لاين",
    "نيوز",
];

fn norm_source(v: Option<&serde_json::Value>) -> Option<String> {
    let s = v?.as_str()?;
    if s.is_empty() {
        return None;
    }
    let t = tokens(s)
        .into_iter()
        .filter(|x| !SOURCE_DROP.contains(&x.as_str()))
        .collect::<Vec<_>>()
        .join(" ");
    let t = match t.as_str() {
        "الانباء السعوديه" | "الانباء السعوديه واس" => {
            "واس".to_string()
        }
        _ => t,
    };
    (!t.is_empty()).then_some(t)
}

/// The stem of a path: its base name up to the first dot.
fn stem(path: &str) -> &str {
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    base.split('.').next().unwrap_or(base)
}

/// One gold page's scores.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub page: String,
    pub template: String,
    pub missing: bool,
    pub p: f64,
    pub r: f64,
    pub f1: f64,
    pub title_ok: bool,
    pub date: &'static str,
    pub pred_date: serde_json::Value,
    pub gold_date: serde_json::Value,
    pub source_ok: bool,
}

/// The summary of a set of rows.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub pages: usize,
    pub missing: usize,
    pub body_p: f64,
    pub body_r: f64,
    pub body_f1: f64,
    pub ge95: f64,
    pub title: f64,
    pub date: f64,
    pub date_counts: BTreeMap<&'static str, usize>,
    pub wrong_dates: usize,
    pub source: f64,
}

impl Summary {
    /// The scorer's last line.
    pub fn line(&self) -> String {
        format!(
            "body_f1={:.3} ge95={:.3} title={:.3} date={:.3} wrong_dates={} source={:.3} pages={}",
            self.body_f1,
            self.ge95,
            self.title,
            self.date,
            self.wrong_dates,
            self.source,
            self.pages
        )
    }
}

/// Scores predictions (JSON objects) against gold pages, in gold order.
pub fn score(gold: &[serde_json::Value], pred: &HashMap<String, serde_json::Value>) -> Vec<Row> {
    let empty = serde_json::Value::Object(Default::default());
    gold.iter()
        .map(|g| {
            let page = g["page"].as_str().unwrap_or_default().to_string();
            let p = pred.get(&page);
            let missing = p.is_none();
            let p = p.unwrap_or(&empty);
            let body = p.get("body").and_then(|b| b.as_str()).unwrap_or("");
            let (pr, rc, f1) = prf(&tokens(g["body"].as_str().unwrap_or("")), &tokens(body));
            let gt = tokens(g["title"].as_str().unwrap_or("")).join(" ");
            let pt = p
                .get("title")
                .and_then(|t| t.as_str())
                .map(|t| tokens(t).join(" "));
            let title_ok = (gt.is_empty() && pt.as_deref().is_none_or(str::is_empty))
                || (!gt.is_empty() && pt.as_deref() == Some(gt.as_str()));
            let gd = parse_day(g.get("published"));
            let pd = parse_day(p.get("published"));
            let date = if pd == gd {
                if gd == Day::Null {
                    "correct_null"
                } else {
                    "correct_day"
                }
            } else if pd == Day::Null {
                "missed"
            } else if gd == Day::Null {
                "spurious"
            } else {
                "wrong_day"
            };
            Row {
                template: g["template"].as_str().unwrap_or("?").to_string(),
                missing,
                p: pr,
                r: rc,
                f1,
                title_ok,
                date,
                pred_date: p.get("published").cloned().unwrap_or_default(),
                gold_date: g.get("published").cloned().unwrap_or_default(),
                source_ok: norm_source(g.get("source")) == norm_source(p.get("source")),
                page,
            }
        })
        .collect()
}

/// Averages rows into a summary.
pub fn summarize(rows: &[Row]) -> Summary {
    let n = rows.len().max(1) as f64;
    let mean = |f: &dyn Fn(&Row) -> f64| rows.iter().map(f).sum::<f64>() / n;
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for r in rows {
        *counts.entry(r.date).or_default() += 1;
    }
    let get = |k: &str| counts.get(k).copied().unwrap_or(0);
    Summary {
        pages: rows.len(),
        missing: rows.iter().filter(|r| r.missing).count(),
        body_p: mean(&|r| r.p),
        body_r: mean(&|r| r.r),
        body_f1: mean(&|r| r.f1),
        ge95: mean(&|r| f64::from(u8::from(r.f1 >= 0.95))),
        title: mean(&|r| f64::from(u8::from(r.title_ok))),
        date: (get("correct_null") + get("correct_day")) as f64 / n,
        wrong_dates: get("wrong_day") + get("spurious"),
        source: mean(&|r| f64::from(u8::from(r.source_ok))),
        date_counts: counts,
    }
}

fn read_jsonl(path: &PathBuf) -> anyhow::Result<Vec<serde_json::Value>> {
    let file = std::fs::File::open(path).with_context(|| format!("{}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("{}:{}", path.display(), i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<serde_json::Value>(&line) {
            Ok(v) if v.is_object() => out.push(v),
            _ => tracing::warn!(file = %path.display(), line = i + 1, "bad JSON line skipped"),
        }
    }
    Ok(out)
}

/// Keeps the first prediction per gold page.
fn insert_pred(
    pred: &mut HashMap<String, serde_json::Value>,
    gold: &HashMap<String, ()>,
    v: serde_json::Value,
) {
    let key = stem(v.get("path").and_then(|p| p.as_str()).unwrap_or("")).to_string();
    if gold.contains_key(&key) {
        pred.entry(key).or_insert(v);
    }
}

pub fn run(args: Args, globals: Globals) -> anyhow::Result<Outcome> {
    let gold = read_jsonl(&args.gold)?;
    let pages: HashMap<String, ()> = gold
        .iter()
        .filter_map(|g| g["page"].as_str().map(|p| (p.to_string(), ())))
        .collect();
    let mut pred = HashMap::new();
    let mut outcome = Outcome::Success;
    if let Some(path) = &args.pred {
        for v in read_jsonl(path)? {
            insert_pred(&mut pred, &pages, v);
        }
    } else {
        let run = ExtractRun {
            paths: args.paths.clone(),
            templates: args.site_templates == Switch::On,
            window: 2_000,
            progress: globals.progress,
        };
        let ok = extract_inputs(
            &run,
            |a: &Article| {
                insert_pred(&mut pred, &pages, serde_json::to_value(a)?);
                Ok(())
            },
            |message| eprintln!("rasd: {message}"),
        )?;
        if !ok {
            outcome = Outcome::PartialFailure;
        }
    }
    let rows = score(&gold, &pred);
    let summary = summarize(&rows);
    let mut out = output::stdout();
    match args.format {
        Format::Json => {
            let value = serde_json::json!({ "summary": summary, "pages": rows });
            output::write_json_line(&mut out, &value)?;
        }
        Format::Text => write_report(&mut out, &rows, &summary)?,
    }
    out.flush()?;
    Ok(outcome)
}

fn write_report(out: &mut impl Write, rows: &[Row], s: &Summary) -> std::io::Result<()> {
    let c = |k: &str| s.date_counts.get(k).copied().unwrap_or(0);
    writeln!(
        out,
        "gold pages {}   predictions matched {}   missing {}",
        s.pages,
        s.pages - s.missing,
        s.missing
    )?;
    writeln!(
        out,
        "body    P {:.3}  R {:.3}  F1 {:.3}  pages F1>=0.95 {:.3}",
        s.body_p, s.body_r, s.body_f1, s.ge95
    )?;
    writeln!(out, "title   exact {:.3}", s.title)?;
    writeln!(
        out,
        "date    acc {:.3}  (day right {}, null right {}, missed {}, wrong day {}, spurious {})",
        s.date,
        c("correct_day"),
        c("correct_null"),
        c("missed"),
        c("wrong_day"),
        c("spurious")
    )?;
    writeln!(out, "source  acc {:.3}", s.source)?;
    let mut by: BTreeMap<&str, Vec<Row>> = BTreeMap::new();
    for r in rows {
        by.entry(r.template.as_str()).or_default().push(r.clone());
    }
    if by.len() > 1 {
        writeln!(
            out,
            "{:<14}{:>5}{:>8}{:>7}{:>7}{:>7}{:>7}{:>6}",
            "template", "n", "bodyF1", ">=.95", "title", "date", "wrong", "src"
        )?;
        for (t, rs) in &by {
            let ts = summarize(rs);
            writeln!(
                out,
                "{:<14}{:>5}{:>8.3}{:>7.2}{:>7.2}{:>7.2}{:>7}{:>6.2}",
                t, ts.pages, ts.body_f1, ts.ge95, ts.title, ts.date, ts.wrong_dates, ts.source
            )?;
        }
    }
    writeln!(out, "{}", s.line())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn normalization_matches_the_python_scorer() {
        assert_eq!(
            tokens("القُوّات الأمريكيـة ٢٥٠٠ جنديٍ، و«مدينة»!"),
            ["القوات", "الامريكيه", "2500", "جندي", "و", "مدينه"]
        );
        assert_eq!(tokens("snake_case Straße"), ["snake", "case", "strasse"]);
    }

    #[test]
    fn bag_of_words_scores() {
        let g = tokens("قال الوزير إن الوزير سافر");
        let p = tokens("قال الوزير سافر اليوم");
        let (pr, rc, f1) = prf(&g, &p);
        assert!((pr - 0.75).abs() < 1e-9 && (rc - 0.6).abs() < 1e-9);
        assert!((f1 - 2.0 * 0.75 * 0.6 / 1.35).abs() < 1e-9);
        assert_eq!(prf(&[], &[]), (1.0, 1.0, 1.0));
    }

    #[test]
    fn days_and_sources() {
        assert_eq!(
            parse_day(Some(&json!("2021-07-26T22:19:00+03:00"))),
            Day::Valid("2021-07-26".into())
        );
        assert_eq!(parse_day(Some(&json!("2021-02-30"))), Day::Invalid);
        assert_eq!(parse_day(Some(&json!(""))), Day::Null);
        assert_eq!(
            norm_source(Some(&json!("صحيفة الغارديان"))),
            Some("الغارديان".into())
        );
        assert_eq!(
            norm_source(Some(&json!("وكالة الأنباء السعودية"))),
            Some("واس".into())
        );
        assert_eq!(stem("../x/0042.html"), "0042");
    }

    #[test]
    fn wrong_dates_count_spurious_and_wrong_days() {
        let gold = vec![
            json!({"page": "0001", "title": "عنوان", "published": null, "body": "نص", "source": null}),
            json!({"page": "0002", "title": "عنوان", "published": "2015-07-01", "body": "نص", "source": null}),
            json!({"page": "0003", "title": "عنوان", "published": "2015-07-01", "body": "نص", "source": null}),
        ];
        let pred: HashMap<String, serde_json::Value> = [
            ("0001", json!({"path": "0001.txt", "title": "عنوان", "published": "2015-07-01", "body": "نص"})),
            ("0002", json!({"path": "0002.txt", "title": "عنوان", "published": "2015-07-02", "body": "نص"})),
            ("0003", json!({"path": "0003.txt", "title": null, "published": null, "body": ""})),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let s = summarize(&score(&gold, &pred));
        assert_eq!(s.wrong_dates, 2);
        assert_eq!(s.date_counts.get("missed"), Some(&1));
        assert!((s.title - 2.0 / 3.0).abs() < 1e-9);
        assert!(s.line().starts_with("body_f1=0.667 "), "{}", s.line());
    }
}
