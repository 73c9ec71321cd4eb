//! `rasd extract` on hostile inputs: binary, empty, invalid UTF-8, a 50 MB
//! single line, many files. Each bad file gets a clear error on stderr, the
//! rest of the batch goes on, and the exit status is 1.

mod common;

use std::fs;

const PAGE: &str = "افتتاح مستشفى جديد في المدينة\n\
أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في المدينة، يضم مئتي سرير ويخدم أكثر من نصف مليون نسمة.\n\
وقال الوزير في كلمته خلال الافتتاح إن المستشفى سيبدأ استقبال المرضى مطلع الشهر المقبل، بعد اكتمال تجهيزاته.\n";

#[test]
fn bad_files_are_reported_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a_good.txt"), PAGE).unwrap();
    fs::write(
        dir.path().join("b_binary.txt"),
        [0u8, 1, 2, 3, 255, 0, 7, 8].repeat(200),
    )
    .unwrap();
    fs::write(dir.path().join("c_empty.txt"), b"").unwrap();
    let mut invalid = PAGE.as_bytes().to_vec();
    invalid.extend([0xff, 0xfe, 0xc3, 0x28]);
    fs::write(dir.path().join("d_invalid.txt"), &invalid).unwrap();
    // One 50 MB line: must be bounded, not quadratic.
    fs::write(
        dir.path().join("e_huge.txt"),
        "كلمة ".repeat(50 * 1024 * 1024 / 11),
    )
    .unwrap();
    fs::write(dir.path().join("z_good.txt"), PAGE).unwrap();

    let out = common::rasd()
        .args(["extract", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let articles = common::json_lines(&out.stdout);
    let paths: Vec<&str> = articles
        .iter()
        .map(|a| a["path"].as_str().unwrap())
        .collect();
    assert!(paths.iter().any(|p| p.ends_with("a_good.txt")), "{paths:?}");
    assert!(paths.iter().any(|p| p.ends_with("z_good.txt")), "{paths:?}");
    for bad in ["b_binary.txt", "c_empty.txt", "e_huge.txt"] {
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with("rasd: ") && l.contains(bad)),
            "{bad} not reported: {stderr}"
        );
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn many_small_files_go_through() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..2_000 {
        let body = if i % 100 == 0 {
            String::new()
        } else {
            PAGE.to_string()
        };
        fs::write(dir.path().join(format!("{i:05}.txt")), body).unwrap();
    }
    let out = common::rasd()
        .args(["extract", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(common::json_lines(&out.stdout).len(), 1_980);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("rasd: ")).count(),
        20,
        "{stderr}"
    );
}

#[test]
fn stdin_and_text_format() {
    let out = common::rasd()
        .args(["extract", "-"])
        .write_stdin(PAGE)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("title:     افتتاح مستشفى جديد في المدينة"),
        "{text}"
    );
    assert!(text.contains("lang:      ar"), "{text}");
}
