//! Search latency benchmark over SaudiNewsNet, replayed to any size.
//!
//! ```text
//! cargo run --release -p rasd-search --example bench_search -- \
//!     ../shared/data/saudinewsnet.jsonl.gz COPIES [INDEX_DIR] [QUERIES_TSV]
//! ```
//!
//! Builds an index of the corpus `COPIES` times over (copy 0 as is; every
//! other copy perturbed: new ids, sentences shuffled, dates shifted, the
//! source renamed per copy, one word in twenty swapped for a word of
//! another article and one in thirty dropped, so the postings stay
//! realistic rather than `COPIES` identical lists) in a temporary directory
//! (or `INDEX_DIR`, reused when it already holds an index), merges it into
//! one segment, then times, single-threaded and warm, three query sets
//! drawn with a fixed seed: 500 two-word queries from adjacent title words,
//! 500 two-word queries of words drawn from the bodies (by frequency, so
//! broad), and the judged queries of `QUERIES_TSV`; each set top-10 without
//! snippets (with the exact total, then with the total counted up to
//! `TOTAL_COUNT_BOUND`, the default), with snippets, with facets, and collapsed by story (copies of
//! one article share a story). Prints build time, index size and
//! p50/p95/p99/max per set and mode.
//!
//! `bench_search CORPUS pool QUERIES N` instead prints both analyzers' top N
//! per query with titles: the pool judged for `eval/queries.tsv`.

use std::io::BufRead;
use std::time::Instant;

use rasd_search::{IndexDoc, IndexOptions, SearchIndex, SearchRequest};

/// splitmix64: reproducible noise for the perturbations and the query
/// sample (a bench needs nothing stronger, and no RNG crate is in the workspace).
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn load(path: &str) -> Vec<IndexDoc> {
    let file = std::fs::File::open(path).expect("corpus file");
    let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(file));
    let mut docs = Vec::new();
    for line in reader.lines() {
        let Ok(line) = line else { break };
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        docs.push(IndexDoc {
            id: s("url").unwrap_or_default(),
            url: s("url"),
            title: s("title"),
            body: s("content").unwrap_or_default(),
            source: s("source"),
            published: s("date_extracted").map(|d| d.chars().take(10).collect()),
            lang: Some("ar".into()),
            ..IndexDoc::default()
        });
    }
    docs
}

/// Copy `copy` of `doc`: shuffled sentences, shifted date, swapped words.
fn perturb(doc: &IndexDoc, copy: usize, donor: &IndexDoc, noise: &mut Noise) -> IndexDoc {
    let mut sentences: Vec<&str> = doc.body.split_inclusive(['.', '\n']).collect();
    for i in (1..sentences.len()).rev() {
        sentences.swap(i, noise.below(i + 1));
    }
    let donor_words: Vec<&str> = donor.body.split_whitespace().collect();
    let mut body = String::with_capacity(doc.body.len() + 16);
    for sentence in sentences {
        for word in sentence.split_whitespace() {
            if !donor_words.is_empty() && noise.below(20) == 0 {
                body.push_str(donor_words[noise.below(donor_words.len())]);
            } else if noise.below(30) == 0 {
                continue;
            } else {
                body.push_str(word);
            }
            body.push(' ');
        }
    }
    let published = doc.published.as_ref().map(|p| {
        let day = 1 + (copy * 7 + noise.below(28)) % 28;
        let month = 1 + copy % 12;
        let year = 2015 + copy / 12;
        let _ = p;
        format!("{year:04}-{month:02}-{day:02}")
    });
    IndexDoc {
        id: format!("{}#{copy}", doc.id),
        body,
        published,
        source: doc.source.as_ref().map(|s| format!("{s} {copy}")),
        ..doc.clone()
    }
}

/// `bench_search CORPUS pool QUERIES N`: both analyzers' top N per query.
fn pool(docs: &[IndexDoc], queries: &str, n: usize) {
    let temp = tempfile::tempdir().expect("temp dir");
    let mut indexes = Vec::new();
    for analyzer in [
        rasd_search::Analyzer::Arabic,
        rasd_search::Analyzer::TantivyDefault,
    ] {
        let options = IndexOptions {
            analyzer,
            writer_heap_bytes: 400_000_000,
            writer_threads: 2,
        };
        let dir = temp.path().join(format!("{analyzer:?}"));
        let mut index = SearchIndex::open_with(&dir, true, &options).expect("index");
        index.upsert(docs).expect("upsert");
        index.commit().expect("commit");
        indexes.push(index);
    }
    let by_id: std::collections::HashMap<&str, &IndexDoc> =
        docs.iter().map(|d| (d.id.as_str(), d)).collect();
    for q in std::fs::read_to_string(queries).expect("queries").lines() {
        let q = q.split('\t').next().unwrap_or_default().trim();
        if q.is_empty() || q.starts_with('#') {
            continue;
        }
        println!("## {q}");
        let mut seen: Vec<(String, String)> = Vec::new();
        for (name, index) in ["A", "D"].iter().zip(&indexes) {
            let request = SearchRequest {
                query: q.into(),
                limit: n,
                ..SearchRequest::default()
            };
            for (rank, hit) in index
                .search(&request, &rasd_search::no_stories)
                .expect("search")
                .hits
                .into_iter()
                .enumerate()
            {
                match seen.iter_mut().find(|(id, _)| *id == hit.id) {
                    Some((_, ranks)) => ranks.push_str(&format!(" {name}{}", rank + 1)),
                    None => seen.push((hit.id, format!("{name}{}", rank + 1))),
                }
            }
        }
        for (id, ranks) in seen {
            let d = by_id[id.as_str()];
            let lead: String = d.body.chars().take(140).collect();
            println!(
                "{id}\t[{ranks}]\t{}\t{}",
                d.title.as_deref().unwrap_or(""),
                lead.replace('\n', " ")
            );
        }
    }
}

/// p50, p95, p99 and max of `micros`, in milliseconds.
fn percentiles(mut micros: Vec<u128>) -> [f64; 4] {
    micros.sort_unstable();
    let pct = |p: f64| micros[((micros.len() - 1) as f64 * p).round() as usize] as f64 / 1000.0;
    [pct(0.5), pct(0.95), pct(0.99), pct(1.0)]
}

/// Two-word queries as people type them: adjacent words of 3+ letters of a title.
fn title_queries(docs: &[IndexDoc], noise: &mut Noise, n: usize) -> Vec<String> {
    let mut queries = Vec::new();
    let mut seen = std::collections::HashSet::new();
    while queries.len() < n {
        let title = docs[noise.below(docs.len())]
            .title
            .clone()
            .unwrap_or_default();
        let words: Vec<&str> = title
            .split_whitespace()
            .filter(|w| w.chars().count() >= 3 && w.chars().all(char::is_alphabetic))
            .collect();
        if words.len() >= 2 {
            let i = noise.below(words.len() - 1);
            let q = format!("{} {}", words[i], words[i + 1]);
            if seen.insert(q.clone()) {
                queries.push(q);
            }
        }
    }
    queries
}

/// Two words drawn from the bodies, each a random word of a random article
/// (so by frequency: broad queries), stop words and short words left out.
fn vocabulary_queries(docs: &[IndexDoc], noise: &mut Noise, n: usize) -> Vec<String> {
    let word = |noise: &mut Noise| loop {
        let body = &docs[noise.below(docs.len())].body;
        let words: Vec<&str> = body
            .split_whitespace()
            .filter(|w| {
                w.chars().count() >= 3
                    && w.chars().all(char::is_alphabetic)
                    && !rasd_text::stopwords::is_stopword(&rasd_text::normalize::matching_key(w))
            })
            .collect();
        if !words.is_empty() {
            return words[noise.below(words.len())].to_string();
        }
    };
    let mut queries = Vec::new();
    let mut seen = std::collections::HashSet::new();
    while queries.len() < n {
        let q = format!("{} {}", word(noise), word(noise));
        if seen.insert(q.clone()) {
            queries.push(q);
        }
    }
    queries
}

fn judged_queries(path: Option<&String>) -> Vec<String> {
    let default = concat!(env!("CARGO_MANIFEST_DIR"), "/eval/queries.tsv").to_string();
    let text = std::fs::read_to_string(path.unwrap_or(&default)).expect("judged queries");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split('\t').next())
        .map(|q| q.trim().to_string())
        .collect()
}

/// Copies of one article share a story: the id before `#`, hashed.
fn stories_of(ids: &[String]) -> Vec<Option<i64>> {
    use std::hash::{Hash, Hasher};
    ids.iter()
        .map(|id| {
            let mut h = std::hash::DefaultHasher::new();
            id.split('#').next().unwrap_or(id).hash(&mut h);
            Some((h.finish() >> 1) as i64)
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let corpus = args
        .get(1)
        .expect("usage: bench_search CORPUS COPIES [INDEX_DIR] [QUERIES_TSV]");
    if args.get(2).map(String::as_str) == Some("pool") {
        let n = args.get(4).and_then(|n| n.parse().ok()).unwrap_or(20);
        pool(&load(corpus), args.get(3).expect("queries file"), n);
        return;
    }
    let copies: usize = args.get(2).and_then(|c| c.parse().ok()).unwrap_or(1);
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = args
        .get(3)
        .filter(|d| !d.is_empty() && *d != "-")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| temp.path().join("search"));
    let docs = load(corpus);
    let mut noise = Noise(7);
    let reuse = dir.join("meta.json").is_file();
    let options = IndexOptions {
        writer_heap_bytes: 1_000_000_000,
        writer_threads: std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .min(8),
        ..IndexOptions::default()
    };
    let mut index = SearchIndex::open_with(&dir, true, &options).expect("index");
    let started = Instant::now();
    let mut merge = 0.0;
    if !reuse {
        for copy in 0..copies {
            let batch: Vec<IndexDoc> = if copy == 0 {
                docs.clone()
            } else {
                docs.iter()
                    .map(|d| perturb(d, copy, &docs[noise.below(docs.len())], &mut noise))
                    .collect()
            };
            index.upsert(&batch).expect("upsert");
            eprintln!("copy {copy}: {:.0}s", started.elapsed().as_secs_f64());
        }
        index.commit().expect("commit");
        eprintln!(
            "committed: {:.0}s, {} segments",
            started.elapsed().as_secs_f64(),
            index.num_segments()
        );
        let t = Instant::now();
        index.merge_segments().expect("merge");
        merge = t.elapsed().as_secs_f64();
    }
    let build = started.elapsed();
    index.close().expect("close");
    let index = SearchIndex::open(&dir, false).expect("reopen");
    println!(
        "docs {} | build {:.1}s (of which merging into one segment {:.1}s){} | {} segments | index {:.0} MiB",
        index.num_docs(),
        build.as_secs_f64(),
        merge,
        if reuse { " (reused)" } else { "" },
        index.num_segments(),
        index.size_on_disk() as f64 / (1 << 20) as f64,
    );
    let mut noise = Noise(11);
    let sets = [
        ("title bigrams", title_queries(&docs, &mut noise, 500)),
        ("body words", vocabulary_queries(&docs, &mut noise, 500)),
        ("judged", judged_queries(args.get(4))),
    ];
    type Mode = (&'static str, fn(&mut SearchRequest));
    let modes: [Mode; 5] = [
        ("top-10 exact total", |r| {
            r.without_snippets = true;
            r.exact_total = true;
        }),
        ("top-10", |r| r.without_snippets = true),
        ("+snippets", |_| {}),
        ("+snippets +facets", |r| r.facets = true),
        ("+snippets collapsed", |r| r.collapse = true),
    ];
    for (set, queries) in &sets {
        for (mode, adjust) in &modes {
            let request = |q: &str| {
                let mut r = SearchRequest {
                    query: q.into(),
                    limit: 10,
                    ..SearchRequest::default()
                };
                adjust(&mut r);
                r
            };
            // Warm: every query once, untimed.
            for q in queries {
                index.search(&request(q), &stories_of).expect("warm-up");
            }
            let micros: Vec<u128> = queries
                .iter()
                .map(|q| {
                    let t = Instant::now();
                    let found = index.search(&request(q), &stories_of).expect("search");
                    std::hint::black_box(found);
                    t.elapsed().as_micros()
                })
                .collect();
            let [p50, p95, p99, max] = percentiles(micros);
            println!(
                "{set:>13} ({:>3}) {mode:<20} p50 {p50:6.2} ms  p95 {p95:6.2} ms  p99 {p99:6.2} ms  max {max:6.2} ms",
                queries.len()
            );
        }
    }
}
