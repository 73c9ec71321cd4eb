//! Extracts text dumps in a loop, for profilers (callgrind, perf):
//! `cargo run --release -p rasd-extract --example text_loop -- ROUNDS PAGE.txt…`.
//! With `TEXT_LOOP_DUMP=1` it prints every article once (to diff the output
//! of two builds: a speed change must not change a single article).

use rasd_model::{Page, PageFormat};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(1);
    let mut pages = Vec::new();
    for path in args {
        let content = std::fs::read_to_string(&path)?;
        pages.push(Page::new(path, PageFormat::Text, content));
    }
    if std::env::var_os("TEXT_LOOP_DUMP").is_some() {
        for page in &pages {
            match rasd_extract::extract_page(page, None) {
                Ok(found) => {
                    for a in found {
                        println!(
                            "{}\t{:?}\t{:?}\t{:?}\t{:?}\t{:?}",
                            page.origin, a.title, a.published, a.source, a.lang, a.body
                        );
                    }
                }
                Err(e) => println!("{}\t{e}", page.origin),
            }
        }
        return Ok(());
    }
    let mut articles = 0usize;
    for _ in 0..rounds {
        for page in &pages {
            articles += rasd_extract::extract_page(page, None).map_or(0, |a| a.len());
        }
    }
    println!(
        "{} pages x {rounds} rounds: {articles} articles",
        pages.len()
    );
    Ok(())
}
