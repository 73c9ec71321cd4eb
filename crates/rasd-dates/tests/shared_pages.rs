//! Every gold publication date of the extract-dev pages (../shared, read at
//! run time; skipped when absent) must be among the dates found on the
//! page's lines, and a page's dateline must look like one.

use std::path::PathBuf;

fn extract_dev() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/extract-dev");
    if dir.join("gold.jsonl").is_file() {
        Some(dir)
    } else {
        eprintln!("skipping: {} not found", dir.display());
        None
    }
}

/// The `"published":"YYYY-MM-DD"` value of a gold line, without a JSON parser.
fn field<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("\"{name}\": \"");
    let start = line.find(&key)? + key.len();
    let len = line[start..].find('"')?;
    Some(&line[start..start + len])
}

#[test]
fn gold_dates_are_found_on_their_pages() {
    let Some(dir) = extract_dev() else { return };
    let gold = std::fs::read_to_string(dir.join("gold.jsonl")).expect("gold.jsonl");
    // A subset keeps debug test runs fast; the full set runs in release.
    let limit = if cfg!(debug_assertions) {
        80
    } else {
        usize::MAX
    };
    let (mut checked, mut missing) = (0, Vec::new());
    for line in gold.lines().take(limit) {
        let (Some(page), Some(published)) = (field(line, "page"), field(line, "published")) else {
            continue;
        };
        let text = std::fs::read_to_string(dir.join(format!("{page}.txt"))).expect("page text");
        let dateline = text.lines().find(|l| {
            rasd_dates::find_dates(l)
                .iter()
                .any(|f| f.to_iso().starts_with(published))
        });
        checked += 1;
        match dateline {
            Some(l) => {
                let found = rasd_dates::find_dates(l);
                let coverage = rasd_dates::dateline_coverage(l, &found);
                assert!(
                    coverage > 0.6,
                    "{page}: dateline {l:?} covers only {coverage}"
                );
            }
            None => missing.push(page.to_string()),
        }
    }
    assert!(checked > 20, "only {checked} gold dates checked");
    assert!(
        missing.is_empty(),
        "gold date not found on pages {missing:?}"
    );
}
