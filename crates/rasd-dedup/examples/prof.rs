// Temporary profiling harness (removed before hand-off).
use rasd_dedup::*;
use std::io::BufRead;
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bad: Vec<char> = (0u32..0x10FFFF).filter_map(char::from_u32).filter(|&c| rasd_text::is_arabic_letter(c) && !c.is_alphanumeric()).collect();
    eprintln!("arabic letters not alphanumeric: {bad:?}");
    let t = Instant::now();
    let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap()));
    let bodies: Vec<String> = reader.lines().map(|l| {
        let v: serde_json::Value = serde_json::from_str(&l.unwrap()).unwrap();
        v.get("content").and_then(|c| c.as_str()).unwrap_or("").to_owned()
    }).collect();
    eprintln!("read {:?}", t.elapsed());
    let cfg = DedupConfig::default();
    let t = Instant::now();
    let n: usize = bodies.iter().map(|b| rasd_text::normalize::matching_key(b).len()).sum();
    eprintln!("key {:?} {n}", t.elapsed());
    let t = Instant::now();
    let n: usize = bodies.iter().map(|b| rasd_text::normalize::display(b).len()).sum();
    eprintln!("display {:?} {n}", t.elapsed());
    let t = Instant::now();
    let n: usize = bodies.iter().filter(|b| unicode_normalization::is_nfc_quick(b.chars()) == unicode_normalization::IsNormalized::Yes).count();
    eprintln!("quick {:?} {n}", t.elapsed());
    let keys: Vec<String> = bodies.iter().map(|b| rasd_text::normalize::matching_key(b)).collect();
    let t = Instant::now();
    let n: usize = keys.iter().map(|k| rasd_text::tokenize::words(k).count()).sum();
    eprintln!("words {:?} {n}", t.elapsed());
    let t = Instant::now();
    let sh: Vec<Vec<u32>> = keys.iter().map(|k| { let w: Vec<&str> = rasd_text::tokenize::words(k).collect(); let mut v: Vec<u32> = signature::shingle_hashes(&w, 5, 1).map(|h| h as u32).collect(); v.sort_unstable(); v.dedup(); v }).collect();
    eprintln!("shingles {:?}", t.elapsed());
    let perms = signature::Permutations::new(100, 1);
    let t = Instant::now();
    let n: usize = sh.iter().map(|s| signature::minhash(s, &perms)[0] as usize).sum();
    eprintln!("minhash {:?} {n}", t.elapsed());
    let t = Instant::now();
    let n: usize = bodies.iter().map(|b| signature(b, &cfg).shingles.len()).sum();
    eprintln!("sig {:?} {n}", t.elapsed());
}
