//! Development tool: runs `find_dates` over every line of a file, `ROUNDS`
//! times, and prints the line and date counts. Time it with CPU time
//! (`/usr/bin/time -f %U`), which a busy machine distorts less than wall time:
//! `cargo run --release -p rasd-dates --example throughput -- FILE [ROUNDS]`

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "/dev/stdin".into());
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(1);
    let text = String::from_utf8_lossy(&std::fs::read(path)?).into_owned();
    let lines: Vec<&str> = text.lines().collect();
    let mut dates = 0;
    for _ in 0..rounds {
        dates = lines
            .iter()
            .map(|l| rasd_dates::find_dates(l).len())
            .sum::<usize>();
    }
    println!("lines={} rounds={rounds} dates={dates}", lines.len());
    Ok(())
}
