//! Compares the two light stemmers on a corpus of SaudiNewsNet-style JSON
//! lines or plain text files: how far each one shrinks the vocabulary, and
//! how often it conflates words that differ only by clitics
//! (`وللقوات` / `القوات` / `قوات`).
//!
//! `cargo run --release -p rasd-text --example stemmers -- FILE...`
//! (plain text; for JSONL, feed the bodies through `jq -r .content` first).

use rasd_text::{normalize, stem, stopwords, tokenize};
use std::collections::{HashMap, HashSet};

fn main() -> std::io::Result<()> {
    let mut words: HashMap<String, usize> = HashMap::new();
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path)?;
        let key = normalize::matching_key(&text);
        for w in tokenize::words(&key) {
            if w.chars().all(rasd_text::is_arabic_letter) && !stopwords::is_stopword(w) {
                *words.entry(w.to_string()).or_default() += 1;
            }
        }
    }
    // Clitic families: words whose proclitic-stripped form is the same.
    let mut families: HashMap<&str, Vec<&str>> = HashMap::new();
    for w in words.keys() {
        families
            .entry(stem::strip_proclitics(w))
            .or_default()
            .push(w.as_str());
    }
    let families: Vec<&Vec<&str>> = families.values().filter(|f| f.len() > 1).collect();
    println!("distinct Arabic words: {}", words.len());
    println!("clitic families with 2+ forms: {}", families.len());
    for (name, stemmer) in [
        ("light10", stem::Stemmer::Light10),
        ("snowball", stem::Stemmer::Snowball),
    ] {
        let stems: HashSet<String> = words.keys().map(|w| stemmer.stem(w).into_owned()).collect();
        let conflated = families
            .iter()
            .filter(|f| {
                let first = stemmer.stem(f[0]);
                f.iter().all(|w| stemmer.stem(w) == first)
            })
            .count();
        println!(
            "{name:9} distinct stems {:>7} ({:.1}% of words)  clitic families fully conflated {:>6} ({:.1}%)",
            stems.len(),
            100.0 * stems.len() as f64 / words.len() as f64,
            conflated,
            100.0 * conflated as f64 / families.len() as f64
        );
    }
    Ok(())
}
