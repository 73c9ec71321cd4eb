//! End-to-end tests of `rasd ner` and `rasd eval ner`.

mod common;

use common::rasd;

const GOLD: &str =
    "وقال O\nوزير O\nالدفاع O\nالأمريكي O\nلويد B-PERS\nأوستن I-PERS\nفي O\nبغداد B-LOC\n. O\n\n\
أعلنت O\nوزارة B-ORG\nالدفاع I-ORG\nالعراقية I-ORG\nاليوم O\n. O\n";

#[test]
fn ner_tags_every_token_with_valid_bio() {
    let input =
        "وقال\nوزير\nالدفاع\nالأمريكي\nلويد\nأوستن\nفي\nبغداد\n.\n\nالتقى POS x\nجو\nبايدن\n";
    let out = rasd()
        .args(["ner", "--conll", "-"])
        .write_stdin(input)
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let sentences: Vec<&str> = text.split("\n\n").filter(|s| !s.is_empty()).collect();
    assert_eq!(sentences.len(), 2, "{text}");
    let mut prev_type: Option<String> = None;
    let mut tagged = Vec::new();
    for line in text.lines() {
        if line.is_empty() {
            prev_type = None;
            continue;
        }
        let (token, tag) = line.split_once('\t').expect("token TAB tag");
        if let Some(ty) = tag.strip_prefix("I-") {
            assert_eq!(prev_type.as_deref(), Some(ty), "I- without B-: {text}");
        }
        prev_type = tag.get(2..).map(str::to_owned);
        tagged.push((token.to_owned(), tag.to_owned()));
    }
    assert_eq!(tagged.len(), 12);
    // Only the first column is the token.
    assert_eq!(tagged[9].0, "التقى");
    assert!(
        tagged.contains(&("بغداد".to_owned(), "B-LOC".to_owned())),
        "{text}"
    );
    assert!(
        tagged.contains(&("لويد".to_owned(), "B-PERS".to_owned())),
        "{text}"
    );
}

#[test]
fn eval_ner_reports_entity_f1_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("gold.conll");
    std::fs::write(&gold, GOLD).unwrap();
    let out = rasd()
        .args(["eval", "ner", "--format", "json", "--conll"])
        .arg(&gold)
        .assert()
        .success();
    let lines = common::json_lines(&out.get_output().stdout);
    assert_eq!(lines.len(), 1);
    let report = &lines[0];
    assert_eq!(report["tokens"], 15);
    let f1 = report["f1"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&f1));
    for ty in ["PERS", "LOC", "ORG", "MISC"] {
        assert!(report["per_type"][ty]["f1"].is_number(), "{report}");
    }
    // Three gold entities in all.
    let pers = &report["per_type"]["PERS"];
    let gold_count: u64 = ["PERS", "LOC", "ORG", "MISC"]
        .iter()
        .map(|t| {
            let c = &report["per_type"][*t];
            c["true_positives"].as_u64().unwrap() + c["false_negatives"].as_u64().unwrap()
        })
        .sum();
    assert_eq!(gold_count, 3, "{pers}");
}

#[test]
fn eval_ner_rejects_bad_tags_naming_the_line() {
    rasd()
        .args(["eval", "ner", "--conll", "-"])
        .write_stdin("بغداد B-LOC\nواشنطن B-PLACE\n")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("line 2"));
}

#[test]
fn eval_ner_on_shared_training_tail_is_high() {
    let Some(shared) = common::shared_or_skip("eval_ner_on_shared_training_tail_is_high") else {
        return;
    };
    let text = std::fs::read_to_string(shared.join("data/anercorp/train.conll")).unwrap();
    // The last 150 sentences: seen in training, so the score must be high;
    // a broken model or feature pipeline scores far lower.
    let sentences: Vec<&str> = text.split("\n\n").collect();
    let tail = sentences[sentences.len().saturating_sub(150)..].join("\n\n");
    let out = rasd()
        .args(["eval", "ner", "--format", "json", "--conll", "-"])
        .write_stdin(tail)
        .assert()
        .success();
    let report = &common::json_lines(&out.get_output().stdout)[0];
    let f1 = report["f1"].as_f64().unwrap();
    assert!(f1 > 0.9, "training-tail F1 {f1}");
}
