//! Inputs and inspections shared by the store_* end-to-end tests: generated
//! Arabic wire-style articles (with exact and edited copies) as JSON Lines,
//! archive exports, and direct SQLite checks.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::{Path, PathBuf};

const PLACES: [&str; 8] = [
    "الرياض",
    "جدة",
    "مكة المكرمة",
    "المدينة المنورة",
    "الدمام",
    "أبها",
    "تبوك",
    "حائل",
];
const SUBJECTS: [&str; 6] = [
    "وزارة الصحة",
    "أمانة المنطقة",
    "الدفاع المدني",
    "هيئة الطيران",
    "وزارة التعليم",
    "جامعة الملك سعود",
];
const OUTLETS: [&str; 5] = ["واس", "سبق", "عكاظ", "الرياض", "اليوم"];

/// Writes `n` small articles as JSON Lines: every 10th is an exact copy of
/// the one before (another outlet, a later date) and every 10th + 5 an
/// edited copy (one sentence added), so dedup has work to do.
pub fn write_articles(path: &Path, n: usize) -> PathBuf {
    let mut lines = String::new();
    let mut previous_body = String::new();
    for i in 0..n {
        let place = PLACES[i % PLACES.len()];
        let subject = SUBJECTS[(i / 8) % SUBJECTS.len()];
        let day = 1 + (i % 28);
        let body = if i % 10 == 9 {
            previous_body.clone()
        } else if i % 10 == 5 {
            format!("{previous_body} وأضاف المتحدث أن العمل مستمر على مدار الساعة.")
        } else {
            format!(
                "أعلنت {subject} في {place} اليوم عن إطلاق المرحلة رقم {i} من برنامجها الجديد \
                 الذي يهدف إلى تحسين الخدمات المقدمة للمواطنين والمقيمين.\n\n\
                 وأوضح المتحدث الرسمي أن المرحلة تشمل {k} مشروعا في عدد من المحافظات، \
                 وأن الميزانية المخصصة لها بلغت {m} مليون ريال.",
                k = 3 + i % 17,
                m = 10 + i * 7,
            )
        };
        let record = serde_json::json!({
            "url": format!("https://news{}.example.sa/article/{i}", i % OUTLETS.len()),
            "title": format!("{subject} تطلق المرحلة {i} في {place}"),
            "body": body,
            "published": format!("2015-07-{day:02}"),
            "source": OUTLETS[i % OUTLETS.len()],
            "lang": "ar",
        });
        lines.push_str(&record.to_string());
        lines.push('\n');
        previous_body = body;
    }
    std::fs::write(path, lines).expect("write the fixture");
    path.to_path_buf()
}

/// `rasd export` of the archive in `data`, lines sorted (order-free comparison).
pub fn export_sorted(data: &Path) -> Vec<String> {
    let out = crate::common::rasd()
        .args(["export", "--format", "jsonl", "--all-versions", "--data"])
        .arg(data)
        .output()
        .expect("run rasd export");
    assert!(
        out.status.success(),
        "export failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut lines: Vec<String> = String::from_utf8(out.stdout)
        .expect("utf-8 export")
        .lines()
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

/// The archive database in `data`.
pub fn database(data: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(data.join("archive.db")).expect("open the archive database")
}

/// `PRAGMA integrity_check` and `foreign_key_check` both clean.
pub fn assert_sound(data: &Path) {
    let db = database(data);
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let violations = db
        .prepare("PRAGMA foreign_key_check")
        .unwrap()
        .query_map([], |_| Ok(()))
        .unwrap()
        .count();
    assert_eq!(violations, 0, "foreign key violations");
}

/// A scalar query on the archive.
pub fn count(data: &Path, sql: &str) -> i64 {
    database(data).query_row(sql, [], |r| r.get(0)).unwrap()
}
