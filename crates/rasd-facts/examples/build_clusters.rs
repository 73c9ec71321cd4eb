//! Builds the word-cluster table `model/clusters.tsv.gz` that
//! `train_ner` puts into the NER model, from unlabeled news text.
//!
//! ```text
//! cargo run --release -p rasd-facts --example build_clusters -- [--shared DIR] [--words N]
//!     [--contexts N] [--depth N] [--min-leaf N] [--out FILE] [--dump FILE]
//! ```
//!
//! Method: every token of `DIR/data/saudinewsnet.jsonl.gz` (titles and
//! bodies) becomes its matching key; the `--words` most frequent keys get
//! a distributional vector: positive PMI (context counts smoothed with
//! exponent 0.75) with the `--contexts` most frequent words at offsets
//! −2, −1, +1, +2 (punctuation and paragraph ends count as context words;
//! rarer words share one context id), sparse and of unit length. The
//! vectors are split recursively in two, first by the sign of their
//! projection on the node's principal direction, then refined by spherical
//! 2-means, into a binary tree `--depth` deep (nodes under `--min-leaf`
//! words stay leaves). Each word's path is its
//! cluster, and path prefixes are coarser clusters, as with Brown clusters.
//!
//! The output holds one `HASH<TAB>PATH` line per word: the word's 32-bit
//! table hash in hex ([`rasd_facts::clusters::word_hash`]) and its path
//! as a bit string after the leading 1; no corpus text. `--dump` writes
//! `PATH<TAB>word word …` per cluster, for reading, outside the repository;
//! `PROBE="word …"` in the environment prints each word's nearest
//! neighbours by cosine, to check the vectors.

use anyhow::{bail, Context};
use rasd_facts::clusters::{word_hash, MAX_DEPTH};
use rasd_text::normalize::matching_key;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::time::Instant;

/// Pseudo-words standing between real ones.
const PUNCT: u32 = 0;
const BREAK: u32 = 1;
const OFFSETS: [isize; 4] = [-2, -1, 1, 2];

struct Settings {
    words: usize,
    contexts: usize,
    depth: u32,
    min_leaf: usize,
}

/// A stream of word ids (with `PUNCT`/`BREAK`) and the interned keys.
struct Corpus {
    stream: Vec<u32>,
    keys: Vec<String>,
    counts: Vec<u64>,
}

fn read_corpus(path: &PathBuf) -> anyhow::Result<Corpus> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let reader = BufReader::new(flate2::read::GzDecoder::new(file));
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut corpus = Corpus {
        stream: Vec::new(),
        keys: vec!["<punct>".into(), "<break>".into()],
        counts: vec![0, 0],
    };
    for (n, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("{}: line {}", path.display(), n + 1))?;
        let article: serde_json::Value = serde_json::from_str(&line)
            .with_context(|| format!("{}: line {}", path.display(), n + 1))?;
        for field in ["title", "content"] {
            let Some(text) = article[field].as_str() else {
                continue;
            };
            for paragraph in text.split("\n\n") {
                let mut pos = 0;
                for token in rasd_text::tokenize::tokens(paragraph) {
                    if paragraph[pos..token.start]
                        .chars()
                        .any(|c| !c.is_whitespace())
                    {
                        corpus.stream.push(PUNCT);
                    }
                    pos = token.end;
                    let key = matching_key(token.text);
                    let next = corpus.keys.len() as u32;
                    let id = *ids.entry(key).or_insert_with_key(|k| {
                        corpus.keys.push(k.clone());
                        corpus.counts.push(0);
                        next
                    });
                    corpus.counts[id as usize] += 1;
                    corpus.stream.push(id);
                }
                corpus.stream.push(BREAK);
            }
        }
    }
    Ok(corpus)
}

/// A sparse word vector: `(context feature, weight)`, unit length.
type Sparse = Vec<(u32, f32)>;

/// Unit PPMI vectors of the `settings.words` most frequent words (row `r`
/// is the word of rank `r`), sparse over the context features, and the
/// number of features; words with no context stay empty.
fn word_vectors(corpus: &Corpus, by_rank: &[u32], settings: &Settings) -> (Vec<Sparse>, usize) {
    let n_ids = corpus.keys.len();
    let mut rank = vec![u32::MAX; n_ids];
    for (r, &id) in by_rank.iter().enumerate() {
        rank[id as usize] = r as u32;
    }
    // Context ids: PUNCT, BREAK, the top words, then one "rare word" id.
    let rare = settings.contexts as u32 + 2;
    let context_of = |id: u32| -> u32 {
        if id < 2 {
            id
        } else {
            match rank[id as usize] {
                r if (r as usize) < settings.contexts => r + 2,
                _ => rare,
            }
        }
    };
    let per_offset = settings.contexts + 3;
    let mut pairs: HashMap<u64, u32> = HashMap::new();
    let stream = &corpus.stream;
    for (i, &id) in stream.iter().enumerate() {
        if id < 2 {
            continue;
        }
        let r = rank[id as usize];
        if r as usize >= settings.words {
            continue;
        }
        for (k, &off) in OFFSETS.iter().enumerate() {
            let j = i as isize + off;
            let ctx = if j < 0 || j as usize >= stream.len() {
                BREAK
            } else {
                context_of(stream[j as usize])
            };
            let feature = (k * per_offset) as u64 + u64::from(ctx);
            *pairs.entry(u64::from(r) << 32 | feature).or_default() += 1;
        }
    }
    let n_features = OFFSETS.len() * per_offset;
    let mut row_sum = vec![0f64; settings.words];
    let mut col_sum = vec![0f64; n_features];
    for (&key, &c) in &pairs {
        row_sum[(key >> 32) as usize] += f64::from(c);
        col_sum[(key & 0xFFFF_FFFF) as usize] += f64::from(c);
    }
    let total: f64 = row_sum.iter().sum();
    let smoothed: Vec<f64> = col_sum.iter().map(|&c| c.powf(0.75)).collect();
    let smoothed_total: f64 = smoothed.iter().sum();
    let mut vectors: Vec<Sparse> = vec![Vec::new(); settings.words];
    for (&key, &c) in &pairs {
        let (r, f) = ((key >> 32) as usize, (key & 0xFFFF_FFFF) as usize);
        let p_joint = f64::from(c) / total;
        let p_word = row_sum[r] / total;
        let p_context = smoothed[f] / smoothed_total;
        let pmi = (p_joint / (p_word * p_context)).ln();
        if pmi > 0.0 {
            vectors[r].push((f as u32, pmi as f32));
        }
    }
    for v in &mut vectors {
        v.sort_unstable_by_key(|&(f, _)| f);
        let norm = v.iter().map(|(_, x)| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            v.iter_mut().for_each(|(_, x)| *x /= norm);
        }
    }
    (vectors, n_features)
}

fn normalize(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

fn dot(a: &Sparse, dense: &[f32]) -> f32 {
    a.iter().map(|&(f, x)| x * dense[f as usize]).sum()
}

fn sum_of(vectors: &[Sparse], members: &[usize], dims: usize) -> Vec<f32> {
    let mut c = vec![0f32; dims];
    for &m in members {
        for &(f, x) in &vectors[m] {
            c[f as usize] += x;
        }
    }
    c
}

fn centroid(vectors: &[Sparse], members: &[usize], dims: usize) -> Vec<f32> {
    let mut c = sum_of(vectors, members, dims);
    normalize(&mut c);
    c
}

/// Splits `members` in two: by the sign of their projection on the first
/// principal direction (power iteration), then refined by spherical
/// 2-means.
fn bisect(vectors: &[Sparse], members: &[usize], dims: usize) -> (Vec<usize>, Vec<usize>) {
    let mut mean = sum_of(vectors, members, dims);
    mean.iter_mut().for_each(|x| *x /= members.len() as f32);
    let mut direction: Vec<f32> = (0..dims)
        .map(|d| ((d as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as f32 - 8e6)
        .collect();
    normalize(&mut direction);
    for _ in 0..8 {
        let offset = mean.iter().zip(&direction).map(|(a, b)| a * b).sum::<f32>();
        let mut next = vec![0f32; dims];
        let mut total = 0f32;
        for &m in members {
            let p = dot(&vectors[m], &direction) - offset;
            total += p;
            for &(f, x) in &vectors[m] {
                next[f as usize] += p * x;
            }
        }
        for (n, m) in next.iter_mut().zip(&mean) {
            *n -= total * m;
        }
        normalize(&mut next);
        direction = next;
    }
    let offset = mean.iter().zip(&direction).map(|(a, b)| a * b).sum::<f32>();
    let (mut left, mut right): (Vec<usize>, Vec<usize>) = members
        .iter()
        .partition(|&&m| dot(&vectors[m], &direction) >= offset);
    for _ in 0..8 {
        if left.is_empty() || right.is_empty() {
            break;
        }
        let (ca, cb) = (
            centroid(vectors, &left, dims),
            centroid(vectors, &right, dims),
        );
        let (l, r): (Vec<usize>, Vec<usize>) = members
            .iter()
            .partition(|&&m| dot(&vectors[m], &ca) >= dot(&vectors[m], &cb));
        let same = l == left;
        (left, right) = (l, r);
        if same {
            break;
        }
    }
    (left, right)
}

/// The tree path (heap index) of every row.
fn build_tree(vectors: &[Sparse], dims: usize, settings: &Settings) -> Vec<u16> {
    let mut paths = vec![0u16; vectors.len()];
    let known: Vec<usize> = (0..vectors.len())
        .filter(|&r| !vectors[r].is_empty())
        .collect();
    let mut stack = vec![(1u16, 0u32, known)];
    while let Some((path, depth, members)) = stack.pop() {
        let leaf = depth >= settings.depth || members.len() < settings.min_leaf;
        let (left, right) = if leaf {
            (Vec::new(), Vec::new())
        } else {
            bisect(vectors, &members, dims)
        };
        if left.is_empty() || right.is_empty() {
            for &m in &members {
                paths[m] = path;
            }
            continue;
        }
        stack.push((path << 1, depth + 1, left));
        stack.push((path << 1 | 1, depth + 1, right));
    }
    paths
}

fn bit_string(path: u16) -> String {
    let depth = 15 - path.leading_zeros();
    (0..depth)
        .rev()
        .map(|b| if path >> b & 1 == 1 { '1' } else { '0' })
        .collect()
}

fn main() -> anyhow::Result<()> {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut shared = crate_dir.join("../../../shared");
    let mut out = crate_dir.join("model/clusters.tsv.gz");
    let mut dump: Option<PathBuf> = None;
    let mut settings = Settings {
        words: 80_000,
        contexts: 3_000,
        depth: 12,
        min_leaf: 12,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--shared" => shared = value()?.into(),
            "--out" => out = value()?.into(),
            "--dump" => dump = Some(value()?.into()),
            "--words" => settings.words = value()?.parse()?,
            "--contexts" => settings.contexts = value()?.parse()?,
            "--depth" => settings.depth = value()?.parse()?,
            "--min-leaf" => settings.min_leaf = value()?.parse()?,
            other => bail!("unknown argument {other}"),
        }
    }
    if settings.depth > MAX_DEPTH {
        bail!("--depth must be at most {MAX_DEPTH}");
    }
    let started = Instant::now();
    let corpus = read_corpus(&shared.join("data/saudinewsnet.jsonl.gz"))?;
    eprintln!(
        "{} tokens, {} distinct keys, {:.0}s",
        corpus.stream.len(),
        corpus.keys.len(),
        started.elapsed().as_secs_f64()
    );
    let mut by_rank: Vec<u32> = (2..corpus.keys.len() as u32).collect();
    by_rank.sort_by(|&a, &b| {
        corpus.counts[b as usize]
            .cmp(&corpus.counts[a as usize])
            .then_with(|| corpus.keys[a as usize].cmp(&corpus.keys[b as usize]))
    });
    settings.words = settings.words.min(by_rank.len());
    settings.contexts = settings.contexts.min(settings.words);
    by_rank.truncate(settings.words);
    let (vectors, dims) = word_vectors(&corpus, &by_rank, &settings);
    eprintln!("vectors, {:.0}s", started.elapsed().as_secs_f64());
    for probe in std::env::var("PROBE")
        .unwrap_or_default()
        .split_whitespace()
    {
        let key = matching_key(probe);
        let Some(r) = by_rank
            .iter()
            .position(|&id| corpus.keys[id as usize] == key)
        else {
            continue;
        };
        let mut dense = vec![0f32; dims];
        for &(f, x) in &vectors[r] {
            dense[f as usize] = x;
        }
        let mut near: Vec<(f32, usize)> = (0..vectors.len())
            .map(|o| (dot(&vectors[o], &dense), o))
            .collect();
        near.sort_by(|a, b| b.0.total_cmp(&a.0));
        let words: Vec<String> = near[..15]
            .iter()
            .map(|&(s, o)| format!("{}:{s:.2}", corpus.keys[by_rank[o] as usize]))
            .collect();
        eprintln!("{key}: {}", words.join(" "));
    }
    let paths = build_tree(&vectors, dims, &settings);
    eprintln!("tree, {:.0}s", started.elapsed().as_secs_f64());

    let mut lines = String::new();
    let mut rows: Vec<(u32, u16)> = by_rank
        .iter()
        .zip(&paths)
        .filter(|&(_, &p)| p != 0)
        .map(|(&id, &p)| (word_hash(&corpus.keys[id as usize]), p))
        .collect();
    rows.sort_unstable();
    rows.dedup_by_key(|&mut (h, _)| h);
    for (hash, path) in &rows {
        lines.push_str(&format!("{hash:08x}\t{}\n", bit_string(*path)));
    }
    let file =
        std::fs::File::create(&out).with_context(|| format!("creating {}", out.display()))?;
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::best());
    gz.write_all(lines.as_bytes())?;
    gz.finish()?;
    if let Some(path) = dump {
        let mut groups: HashMap<u16, Vec<&str>> = HashMap::new();
        for (&id, &p) in by_rank.iter().zip(&paths) {
            groups.entry(p).or_default().push(&corpus.keys[id as usize]);
        }
        let mut groups: Vec<_> = groups.into_iter().collect();
        groups.sort_by_key(|(p, _)| bit_string(*p));
        let text: String = groups
            .iter()
            .map(|(p, words)| format!("{}\t{}\n", bit_string(*p), words.join(" ")))
            .collect();
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    println!(
        "wrote {} ({} words) in {:.0}s",
        out.display(),
        rows.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
