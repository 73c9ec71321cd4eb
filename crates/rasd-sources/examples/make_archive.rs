//! Writes a synthetic `.warc.gz` of about a given size from a JSON Lines
//! corpus of articles (SaudiNewsNet), for speed and memory measurements.
//! Half the articles become WET-like `conversion` records, half HTTP
//! `response` records with HTML; each record is its own gzip member, and
//! the corpus is repeated until the archive reaches the size.
//!
//! `cargo run --release -p rasd-sources --example make_archive -- ../shared/data/saudinewsnet.jsonl.gz /tmp/big.warc.gz 1024`

use std::io::Write;
use std::path::PathBuf;

use rasd_sources::testkit::{conversion_record, gzip, response_record};
use rasd_sources::{open_inputs, InputOptions, Record};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: make_archive <articles.jsonl[.gz]> <out.warc.gz> <megabytes>";
    let corpus = PathBuf::from(args.next().ok_or(usage)?);
    let out = PathBuf::from(args.next().ok_or(usage)?);
    let megabytes: u64 = args.next().ok_or(usage)?.parse()?;

    let mut one_pass = Vec::new();
    let mut records = 0u64;
    for record in open_inputs(&[corpus], &InputOptions::default()) {
        let Ok(Record::Article(a)) = record else {
            continue;
        };
        let title = a.title.unwrap_or_default();
        let url = a
            .url
            .unwrap_or_else(|| format!("https://example.sa/{records}"));
        let date = "2015-07-21T00:00:00Z";
        let record = if records % 2 == 0 {
            conversion_record(&url, date, &format!("{title}\n\n{}", a.body))
        } else {
            let paragraphs: String = a
                .body
                .split("\n\n")
                .map(|p| format!("<p>{p}</p>\n"))
                .collect();
            let html = format!("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1>{paragraphs}</body></html>");
            response_record(
                &url,
                date,
                200,
                "text/html; charset=utf-8",
                &[],
                html.as_bytes(),
            )
        };
        one_pass.extend(gzip(&record));
        records += 1;
    }
    if one_pass.is_empty() {
        return Err("the corpus has no articles".into());
    }
    let target = megabytes * 1024 * 1024;
    let mut file = std::io::BufWriter::new(std::fs::File::create(&out)?);
    let mut written = 0u64;
    let mut passes = 0u64;
    while written < target {
        file.write_all(&one_pass)?;
        written += one_pass.len() as u64;
        passes += 1;
    }
    file.flush()?;
    println!(
        "{}: {} records, {} bytes",
        out.display(),
        records * passes,
        written
    );
    Ok(())
}
