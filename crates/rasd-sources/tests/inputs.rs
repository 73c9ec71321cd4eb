//! `open_inputs` over real files: folders, gzip of every kind, bad input.

use std::io::Write;
use std::path::{Path, PathBuf};

use rasd_model::PageFormat;
use rasd_sources::testkit::{gzip, WarcWriter};
use rasd_sources::{open_inputs, InputOptions, Record, SkipReason, SourceError, SourceErrorKind};

const ARTICLE: &str = "الكاظمي يلتقي بايدن في واشنطن\n\nالتقى رئيس الوزراء العراقي الرئيس الأمريكي في البيت الأبيض يوم الاثنين.";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

fn read(paths: &[PathBuf], opts: &InputOptions) -> Vec<Result<Record, SourceError>> {
    open_inputs(paths, opts).collect()
}

fn page(r: &Result<Record, SourceError>) -> &rasd_model::Page {
    match r {
        Ok(Record::Page(p)) => p,
        other => panic!("expected a page, got {other:?}"),
    }
}

fn error(r: &Result<Record, SourceError>) -> &SourceError {
    r.as_ref()
        .err()
        .unwrap_or_else(|| panic!("expected an error, got {r:?}"))
}

#[test]
fn folders_are_walked_sorted_skipping_hidden_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "b/2.txt", ARTICLE.as_bytes());
    write(dir.path(), "a.txt", ARTICLE.as_bytes());
    write(
        dir.path(),
        "b/1.html",
        format!("<html><body><p>{ARTICLE}</p></body></html>").as_bytes(),
    );
    write(dir.path(), ".hidden.txt", ARTICLE.as_bytes());
    write(dir.path(), ".git/x.txt", ARTICLE.as_bytes());
    let results = read(&[dir.path().to_path_buf()], &InputOptions::default());
    let origins: Vec<_> = results.iter().map(|r| page(r).origin.clone()).collect();
    let root = dir.path().display().to_string();
    assert_eq!(
        origins,
        [
            format!("{root}/a.txt"),
            format!("{root}/b/1.html"),
            format!("{root}/b/2.txt")
        ]
    );
    assert_eq!(page(&results[1]).format, PageFormat::Html);
    assert_eq!(
        page(&results[2]).site.as_deref(),
        Some(format!("{root}/b").as_str())
    );
    let with_hidden = read(
        &[dir.path().to_path_buf()],
        &InputOptions {
            include_hidden: true,
            ..InputOptions::default()
        },
    );
    assert_eq!(with_hidden.len(), 5);
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_not_followed_forever() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "d/a.txt", ARTICLE.as_bytes());
    std::os::unix::fs::symlink(dir.path().join("d"), dir.path().join("d/loop")).unwrap();
    let results = read(&[dir.path().to_path_buf()], &InputOptions::default());
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    let errors: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].message.contains("loop"), "{}", errors[0]);
}

#[test]
fn gzip_of_every_kind_is_recognised_by_magic() {
    let dir = tempfile::tempdir().unwrap();
    let html = format!("<!DOCTYPE html><html><body><p>{ARTICLE}</p></body></html>");
    let mut warc = WarcWriter::new();
    warc.conversion(
        "https://www.shafaq.com/ar/1",
        "2023-08-08T10:00:00Z",
        ARTICLE,
    );
    let jsonl = format!(
        "{}\n",
        serde_json::json!({"title": "عنوان", "body": ARTICLE, "source": "شفق نيوز"})
    );
    let paths = [
        write(dir.path(), "1.html.gz", &gzip(html.as_bytes())),
        write(dir.path(), "2.txt.gz", &gzip(ARTICLE.as_bytes())),
        write(dir.path(), "3.warc.gz", &warc.finish_gzip_per_record()),
        write(dir.path(), "4.jsonl.gz", &gzip(jsonl.as_bytes())),
        // Misnamed: gzip without the extension, and a "gz" that is plain.
        write(dir.path(), "5.dat", &gzip(ARTICLE.as_bytes())),
        write(dir.path(), "6.txt.gz", ARTICLE.as_bytes()),
        // Multi-member gzip of one text.
        write(
            dir.path(),
            "7.txt.gz",
            &[gzip("الكاظمي ".as_bytes()), gzip("يلتقي بايدن".as_bytes())].concat(),
        ),
    ];
    let results = read(&paths, &InputOptions::default());
    assert_eq!(results.len(), 7, "{results:?}");
    assert_eq!(page(&results[0]).format, PageFormat::Html);
    assert_eq!(page(&results[1]).content, ARTICLE);
    let p = page(&results[2]);
    assert_eq!(
        (p.origin.ends_with("3.warc.gz#1"), p.site.as_deref()),
        (true, Some("shafaq.com"))
    );
    assert!(
        matches!(&results[3], Ok(Record::Article(a)) if a.source.as_deref() == Some("شفق نيوز"))
    );
    assert_eq!(page(&results[4]).content, ARTICLE);
    assert_eq!(page(&results[5]).content, ARTICLE);
    assert_eq!(page(&results[6]).content, "الكاظمي يلتقي بايدن");
}

#[test]
fn bad_inputs_are_one_error_each_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut gz = gzip(ARTICLE.repeat(20).as_bytes());
    gz.truncate(gz.len() / 2);
    let paths = [
        write(
            dir.path(),
            "binary.txt",
            &[0x00, 0x01, 0x02, 0xFF, 0x10, 0x00, 0x7F],
        ),
        write(dir.path(), "empty.txt", b""),
        write(dir.path(), "blank.txt", b"  \n\n "),
        write(dir.path(), "cut.txt.gz", &gz),
        write(dir.path(), "image.html", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        dir.path().join("missing.txt"),
        write(dir.path(), "photo.bz2", b"BZh91AY&SY"),
        write(dir.path(), "good.txt", ARTICLE.as_bytes()),
    ];
    let results = read(&paths, &InputOptions::default());
    let kinds: Vec<_> = results
        .iter()
        .map(|r| r.as_ref().map_err(|e| e.kind).map(|_| ()))
        .collect();
    use SourceErrorKind::*;
    assert_eq!(
        kinds,
        [
            Err(Binary),
            Err(Empty),
            Err(Empty),
            Err(Gzip),
            Err(Binary),
            Err(NotFound),
            Err(Unsupported),
            Ok(())
        ]
    );
    for (result, path) in results.iter().zip(&paths) {
        if let Err(e) = result {
            assert_eq!(e.origin, path.display().to_string());
            assert!(e.to_string().starts_with(&e.origin));
        }
    }
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "secret.txt", ARTICLE.as_bytes());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        eprintln!(
            "skipping unreadable_files_are_reported: running as root, permissions are not enforced"
        );
        return;
    }
    let results = read(&[path], &InputOptions::default());
    let e = error(&results[0]);
    assert_eq!(e.kind, SourceErrorKind::Io);
    assert!(e.message.contains("permission denied"), "{e}");
}

#[test]
fn a_long_single_line_is_read_up_to_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let line = "كلمة ".repeat(200_000); // 1.8 MB on one line
    let path = write(dir.path(), "long.txt", line.as_bytes());
    let opts = InputOptions {
        max_page_bytes: 2 << 20,
        ..InputOptions::default()
    };
    assert_eq!(
        page(&read(std::slice::from_ref(&path), &opts)[0])
            .content
            .len(),
        line.len()
    );
    let small = InputOptions {
        max_page_bytes: 1 << 20,
        ..InputOptions::default()
    };
    assert_eq!(
        error(&read(&[path], &small)[0]).kind,
        SourceErrorKind::TooLarge
    );
}

#[test]
fn many_files_stream_without_leaking_descriptors() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..10_000 {
        write(
            dir.path(),
            &format!("{:02}/{i:05}.txt", i % 50),
            format!("خبر رقم {i}").as_bytes(),
        );
    }
    let mut inputs = open_inputs(&[dir.path().to_path_buf()], &InputOptions::default());
    let mut count = 0;
    let mut last = String::new();
    for result in inputs.by_ref() {
        let origin = page(&result).origin.clone();
        assert!(origin > last, "sorted order: {origin} after {last}");
        last = origin;
        count += 1;
    }
    assert_eq!(count, 10_000);
    assert_eq!(inputs.stats().files, 10_000);
}

#[test]
fn legacy_encodings_in_files_decode_to_the_same_text() {
    let dir = tempfile::tempdir().unwrap();
    let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode(ARTICLE);
    let html = format!(
        "<html><head><meta charset=\"windows-1256\"></head><body><p>{ARTICLE}</p></body></html>"
    );
    let (html_1256, _, _) = encoding_rs::WINDOWS_1256.encode(&html);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(ARTICLE.encode_utf16().flat_map(u16::to_le_bytes));
    let paths = [
        write(dir.path(), "a.txt", &cp1256),
        write(dir.path(), "b.txt", &utf16),
        write(dir.path(), "c.html", &html_1256),
    ];
    let results = read(&paths, &InputOptions::default());
    assert_eq!(page(&results[0]).content, ARTICLE);
    assert_eq!(page(&results[1]).content, ARTICLE);
    assert_eq!(page(&results[2]).content, html);
}

#[test]
fn warc_skips_are_counted_not_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = WarcWriter::new();
    w.warcinfo();
    w.response(
        "https://sabq.org/1",
        "2024-01-01T00:00:00Z",
        200,
        "text/html",
        &[],
        format!("<p>{ARTICLE}</p>").as_bytes(),
    );
    w.response(
        "https://sabq.org/2",
        "2024-01-01T00:00:00Z",
        301,
        "text/html",
        &[],
        b"",
    );
    w.response(
        "https://sabq.org/3.pdf",
        "2024-01-01T00:00:00Z",
        200,
        "application/pdf",
        &[],
        b"%PDF-1.4",
    );
    let path = write(dir.path(), "crawl.warc", &w.finish());
    let mut inputs = open_inputs(&[path], &InputOptions::default());
    assert_eq!(inputs.by_ref().filter(|r| r.is_ok()).count(), 1);
    let stats = inputs.stats();
    assert_eq!(stats.errors, 0);
    assert_eq!(stats.skipped.get(&SkipReason::NotContent), Some(&1));
    assert_eq!(stats.skipped.get(&SkipReason::HttpStatus), Some(&1));
    assert_eq!(stats.skipped.get(&SkipReason::NotText), Some(&1));
}

#[test]
fn one_gzip_stream_over_a_whole_warc_works() {
    let dir = tempfile::tempdir().unwrap();
    let mut w = WarcWriter::new();
    for i in 0..3 {
        w.conversion(
            &format!("https://alsumaria.tv/{i}"),
            "2021-07-26T00:00:00Z",
            ARTICLE,
        );
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&w.finish()).unwrap();
    let path = write(dir.path(), "x.warc.gz", &encoder.finish().unwrap());
    let results = read(&[path], &InputOptions::default());
    assert_eq!(results.len(), 3);
    assert!(results.iter().all(|r| page(r).content == ARTICLE));
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn arbitrary_bytes_as_any_kind_of_file(bytes in proptest::collection::vec(any::<u8>(), 0..3000), kind in 0usize..5) {
            let dir = tempfile::tempdir().unwrap();
            let (name, content) = match kind {
                0 => ("x.txt", bytes.clone()),
                1 => ("x.warc", [b"WARC/1.0\r\n".as_slice(), &bytes].concat()),
                2 => ("x.jsonl", [b"{\"text\": \"".as_slice(), &bytes].concat()),
                3 => ("x.warc.gz", gzip(&[b"WARC/1.1\r\nContent-Length: 5\r\n\r\n".as_slice(), &bytes].concat())),
                _ => ("x.html.gz", [gzip(&bytes), bytes.clone()].concat()),
            };
            let path = write(dir.path(), name, &content);
            let opts = InputOptions { max_page_bytes: 1024, max_line_bytes: 512, ..InputOptions::default() };
            let results = read(&[path], &opts);
            prop_assert!(results.len() <= content.len() + 1);
        }
    }
}
