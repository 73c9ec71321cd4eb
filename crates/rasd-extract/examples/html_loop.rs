//! Runs the HTML path over pages in a loop (`.txt` pages are read as text
//! dumps), for profilers (callgrind) and
//! before/after comparisons:
//! `cargo run --release -p rasd-extract --example html_loop -- MODE ROUNDS PAGE.html…`.
//!
//! MODE is `parse` (a plain html5ever parse of the same bytes: the floor),
//! `analyze` (parse, blocks, metadata, content scoring), `extract` (one
//! page at a time, no template) or `batch` (the batch path of `rasd
//! extract`: site templates learned from the pages, which share one site).
//! With `HTML_LOOP_DUMP=1` the `batch` mode prints every article once, to
//! diff the output of two builds; the `jsonl` mode prints each page's main
//! article as `{"path","body"}` for the ScrapingHub scorer; the `json`
//! mode prints every article of the batch path as `rasd extract --format
//! json` does, for `score_extract.py`; the `blocks` mode prints each
//! block's DOM hint, kind, link density and text.

use rasd_model::{Page, PageFormat};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "batch".into());
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(1);
    let mut pages = Vec::new();
    for path in args {
        let content = std::fs::read_to_string(&path)?;
        let format = if path.ends_with(".txt") {
            PageFormat::Text
        } else {
            PageFormat::Html
        };
        let mut page = Page::new(path, format, content);
        page.site = Some("site".into());
        pages.push(page);
    }
    let refs: Vec<&Page> = pages.iter().collect();
    if mode == "blocks" {
        for page in &pages {
            println!("== {}", page.origin);
            for b in rasd_extract::html::analyze(&page.content).blocks {
                let text: String = b.text.chars().take(90).collect();
                println!(
                    "{:+.1} {:?} {:.2} {text}",
                    b.dom_hint, b.kind, b.link_density
                );
            }
        }
        return Ok(());
    }
    if mode == "json" {
        for result in rasd_extract::batch::extract_pages(&refs, true) {
            for article in result.unwrap_or_default() {
                println!("{}", serde_json::to_string(&article)?);
            }
        }
        return Ok(());
    }
    if mode == "jsonl" {
        for page in &pages {
            let body = rasd_extract::extract_page(page, None)
                .ok()
                .and_then(|a| a.into_iter().next())
                .map(|a| a.body)
                .unwrap_or_default();
            println!("{}", serde_json::json!({"path": page.origin, "body": body}));
        }
        return Ok(());
    }
    if std::env::var_os("HTML_LOOP_DUMP").is_some() {
        for (page, result) in pages
            .iter()
            .zip(rasd_extract::batch::extract_pages(&refs, mode == "batch"))
        {
            match result {
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
    let mut count = 0usize;
    for _ in 0..rounds {
        count += match mode.as_str() {
            "parse" => pages
                .iter()
                .map(|p| {
                    scraper::Html::parse_document(&p.content)
                        .tree
                        .values()
                        .count()
                })
                .sum::<usize>(),
            "analyze" => pages
                .iter()
                .map(|p| rasd_extract::html::analyze(&p.content).blocks.len())
                .sum(),
            "extract" => pages
                .iter()
                .map(|p| rasd_extract::extract_page(p, None).map_or(0, |a| a.len()))
                .sum(),
            _ => rasd_extract::batch::extract_pages(&refs, true)
                .iter()
                .map(|r| r.as_ref().map_or(0, |a| a.len()))
                .sum(),
        };
    }
    println!("{mode}: {} pages x {rounds} rounds: {count}", pages.len());
    Ok(())
}
