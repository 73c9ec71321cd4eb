//! Prints how the classifier sees each line of a text dump:
//! `cargo run -p rasd-extract --example explain -- PAGE.txt`.

use rasd_extract::segment::{classify, segment_lines};
use rasd_extract::text::{blocks_from_text, Limits};

fn main() -> std::io::Result<()> {
    for path in std::env::args().skip(1) {
        let content = std::fs::read_to_string(&path)?;
        let blocks = blocks_from_text(&content, &Limits::default());
        let lines = classify(&blocks, None);
        let spans = segment_lines(&blocks, &lines);
        println!("== {path}");
        for (i, (b, l)) in blocks.iter().zip(&lines).enumerate() {
            let mark = spans
                .iter()
                .enumerate()
                .find_map(|(n, s)| {
                    if s.title == Some(i) {
                        Some(format!("T{n}"))
                    } else if s.body.contains(&i) {
                        Some(format!("B{n}"))
                    } else {
                        None
                    }
                })
                .unwrap_or_else(|| "  ".into());
            let text: String = b.text.chars().take(70).collect();
            println!(
                "{mark} {i:3} {:<16} w{:<3} d{} {text}",
                format!("{:?}", l.role),
                l.features.words,
                u8::from(l.dateline)
            );
        }
    }
    Ok(())
}
