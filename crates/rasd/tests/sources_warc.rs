//! The five seed pages read as WARC archives (WET-like `conversion`
//! records, and `response` records with text/plain, gzip'd per record)
//! must give the same articles as the seed `.txt` files themselves.

mod common;

use std::path::{Path, PathBuf};

use rasd_sources::testkit::{conversion_record, gzip, response_record};

fn seeds(shared: &Path) -> Vec<PathBuf> {
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(shared.join("seeds"))
        .expect("read seeds")
        .map(|e| e.expect("seed entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    seeds.sort();
    seeds
}

/// The fields compared between runs (origin, url and path differ by design).
fn articles(args: &[&std::ffi::OsStr]) -> Vec<[serde_json::Value; 4]> {
    let out = common::rasd()
        .arg("extract")
        .arg("--format")
        .arg("json")
        .args(args)
        .output()
        .expect("run rasd");
    assert!(
        out.status.success(),
        "rasd extract failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    common::json_lines(&out.stdout)
        .into_iter()
        .map(|a| {
            [
                a["title"].clone(),
                a["published"].clone(),
                a["body"].clone(),
                a["source"].clone(),
            ]
        })
        .collect()
}

fn write_archive(path: &Path, records: impl Iterator<Item = Vec<u8>>) {
    let bytes: Vec<u8> = records.flat_map(|r| gzip(&r)).collect();
    std::fs::write(path, bytes).expect("write archive");
}

#[test]
fn seeds_as_warc_give_the_same_articles_as_the_text_files() {
    let Some(shared) =
        common::shared_or_skip("seeds_as_warc_give_the_same_articles_as_the_text_files")
    else {
        return;
    };
    let seeds = seeds(&shared);
    assert_eq!(seeds.len(), 5);
    let texts: Vec<(String, String)> = seeds
        .iter()
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            // One host for all five, as the folder groups them in the .txt run.
            (
                format!("https://seeds.example/{stem}"),
                std::fs::read_to_string(p).expect("seed is UTF-8"),
            )
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let wet = dir.path().join("seeds.wet.warc.gz");
    let responses = dir.path().join("seeds.response.warc.gz");
    write_archive(
        &wet,
        texts
            .iter()
            .map(|(url, text)| conversion_record(url, "2024-11-22T00:00:00Z", text)),
    );
    write_archive(
        &responses,
        texts.iter().map(|(url, text)| {
            response_record(
                url,
                "2024-11-22T00:00:00Z",
                200,
                "text/plain; charset=utf-8",
                &[],
                text.as_bytes(),
            )
        }),
    );

    let from_text = articles(&seeds.iter().map(|p| p.as_os_str()).collect::<Vec<_>>());
    // A page may hold more than one article (extract splits them).
    assert!(from_text.len() >= 5, "{} articles", from_text.len());
    assert_eq!(
        articles(&[wet.as_os_str()]),
        from_text,
        "conversion records"
    );
    assert_eq!(
        articles(&[responses.as_os_str()]),
        from_text,
        "response records"
    );
}
