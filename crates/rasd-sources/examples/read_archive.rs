//! Reads inputs with `open_inputs` and counts what came out: a probe for
//! speed and peak memory (run under `/usr/bin/time -v`).
//!
//! `cargo run --release -p rasd-sources --example read_archive -- /tmp/big.warc.gz`

use std::path::PathBuf;
use std::time::Instant;

use rasd_sources::{open_inputs, InputOptions, Record};

fn main() {
    let paths: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        eprintln!("usage: read_archive <path>...");
        std::process::exit(2);
    }
    let started = Instant::now();
    let (mut pages, mut articles, mut bytes) = (0u64, 0u64, 0u64);
    let mut inputs = open_inputs(&paths, &InputOptions::default());
    for result in inputs.by_ref() {
        match result {
            Ok(Record::Page(p)) => {
                pages += 1;
                bytes += p.content.len() as u64;
            }
            Ok(Record::Article(a)) => {
                articles += 1;
                bytes += a.body.len() as u64;
            }
            Err(e) => eprintln!("{e}"),
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let stats = inputs.stats();
    println!(
        "pages {pages}, articles {articles}, errors {}, skipped {:?}, text {:.1} MB, {:.2} s, {:.0} records/s",
        stats.errors,
        stats.skipped,
        bytes as f64 / 1e6,
        seconds,
        (pages + articles) as f64 / seconds
    );
}
