// Temporary tuning harness (removed before hand-off).
use rasd_dedup::*;
use std::io::BufRead;
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap()));
    let bodies: Vec<String> = reader.lines().map(|l| {
        let v: serde_json::Value = serde_json::from_str(&l.unwrap()).unwrap();
        v.get("content").and_then(|c| c.as_str()).unwrap_or("").to_owned()
    }).collect();
    let cfg0 = DedupConfig::default();
    let t = Instant::now();
    let sets: Vec<Vec<u64>> = { use rayon::prelude::*; bodies.par_iter().map(|b| signature::shingle_set64(b, &cfg0)).collect() };
    let truth = all_pairs::similar_pairs(&sets, 0.5);
    eprintln!("truth {} pairs in {:?}", truth.len(), t.elapsed());
    for spec in std::env::args().skip(2) {
        let v: Vec<usize> = spec.split('x').map(|s| s.parse().unwrap()).collect();
        let cfg = DedupConfig { bands: v[0], rows: v[1], ..DedupConfig::default() };
        let t = Instant::now();
        let inputs: Vec<DedupInput> = bodies.iter().map(|b| DedupInput { body: b, published: None }).collect();
        let g = group(&inputs, &cfg);
        let el = t.elapsed();
        let labels: Vec<usize> = g.iter().map(|a| a.canonical).collect();
        let s = score::score_groups(&labels, &truth, score::Bounds::default());
        println!("{spec}: {el:?} {s:?}");
    }
}
