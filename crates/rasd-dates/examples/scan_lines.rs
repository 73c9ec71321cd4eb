//! Development tool: prints, for every line of the files given (or of
//! stdin), the dates found, as `file<TAB>line<TAB>iso<TAB>calendar<TAB>cue<TAB>coverage<TAB>matched text`.
//! `cargo run --release -p rasd-dates --example scan_lines -- ../shared/eval/extract-dev/*.txt`

use std::io::{BufRead, Read};

fn scan(name: &str, text: &str, out: &mut impl std::io::Write) -> std::io::Result<()> {
    for (n, line) in text.lines().enumerate() {
        let found = rasd_dates::find_dates(line);
        let coverage = rasd_dates::dateline_coverage(line, &found);
        for f in &found {
            writeln!(
                out,
                "{name}\t{}\t{}\t{:?}\t{:?}\t{coverage:.2}\t{}",
                n + 1,
                f.to_iso(),
                f.calendar,
                f.cue,
                &line[f.start..f.end]
            )?;
        }
        if found.is_empty() && rasd_dates::is_relative_time(line) {
            writeln!(
                out,
                "{name}\t{}\trelative\t-\t-\t{coverage:.2}\t{line}",
                n + 1
            )?;
        }
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        let mut text = String::new();
        for line in std::io::stdin().lock().lines() {
            text.push_str(&line?);
            text.push('\n');
        }
        return scan("-", &text, &mut out);
    }
    for file in files {
        let mut bytes = Vec::new();
        std::fs::File::open(&file)?.read_to_end(&mut bytes)?;
        scan(&file, &String::from_utf8_lossy(&bytes), &mut out)?;
    }
    Ok(())
}
