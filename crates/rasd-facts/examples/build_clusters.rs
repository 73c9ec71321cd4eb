//! Builds the word-cluster tables `model/clusters.tsv.gz` (a binary tree)
//! and `model/kmeans.tsv.gz` (flat k-means clusters) that `train_ner` puts
//! into the NER model, from unlabeled news text.
//!
//! ```text
//! cargo run --release -p rasd-facts --example build_clusters -- [--shared DIR] [--words N]
//!     [--contexts N] [--depth N] [--min-leaf N] [--out FILE] [--dump FILE]
//!     [--kmeans FILE|none] [--dims N] [--alpha A] [--ks K1,K2,…] [--kmeans-iters N]
//!     [--no-tree]
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
//!
//! The flat clusters (`--kmeans`, default `model/kmeans.tsv.gz`; `none`
//! skips them, `--no-tree` skips the tree) come from the same PPMI
//! vectors: their rank-`--dims` truncated SVD (randomized, fixed seed),
//! `U·Σ^α` with α = `--alpha` (0.5), rows of unit length, clustered by
//! spherical k-means (k-means++ seeding with a fixed seed, `--kmeans-iters`
//! rounds) once per k of `--ks`. The file holds a `# k K1 K2 …` line, then
//! one `HASH<TAB>ID1<TAB>ID2…` line per word (0-based ids, one per k); no
//! corpus text. Added to the tree paths, k = 64, 256, 1024 and 4096 over
//! 200 dimensions raised cross-validated F1 by 0.004 (docs/MEASUREMENTS.md).

use anyhow::{bail, Context};
use rasd_facts::clusters::{word_hash, MAX_DEPTH, MAX_FLAT};
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
    /// Dense embedding width for the flat k-means clusters.
    dims: usize,
    /// Cluster counts of the flat k-means clusterings.
    ks: Vec<usize>,
    kmeans_iters: usize,
    /// Singular value exponent of the embeddings (0.5: `U·√Σ`).
    alpha: f64,
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
        dims: 200,
        ks: vec![64, 256, 1024, 4096],
        kmeans_iters: 12,
        alpha: 0.5,
    };
    let mut kmeans_out = Some(crate_dir.join("model/kmeans.tsv.gz"));
    let mut no_tree = false;
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
            "--kmeans" => kmeans_out = Some(value()?).filter(|v| v != "none").map(PathBuf::from),
            "--dims" => settings.dims = value()?.parse()?,
            "--alpha" => settings.alpha = value()?.parse()?,
            "--kmeans-iters" => settings.kmeans_iters = value()?.parse()?,
            "--ks" => {
                settings.ks = value()?
                    .split(',')
                    .map(str::parse)
                    .collect::<Result<_, _>>()?
            }
            "--no-tree" => no_tree = true,
            other => bail!("unknown argument {other}"),
        }
    }
    if settings.depth > MAX_DEPTH {
        bail!("--depth must be at most {MAX_DEPTH}");
    }
    if settings.ks.is_empty()
        || settings.ks.len() > MAX_FLAT
        || settings
            .ks
            .iter()
            .any(|&k| k == 0 || k >= usize::from(u16::MAX))
    {
        bail!("--ks takes 1 to {MAX_FLAT} cluster counts, each below 65535");
    }
    if settings.dims == 0 {
        bail!("--dims must be positive");
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
    print_neighbours("", &corpus, &by_rank, |r| {
        let mut dense = vec![0f32; dims];
        for &(f, x) in &vectors[r] {
            dense[f as usize] = x;
        }
        vectors.iter().map(|v| dot(v, &dense)).collect()
    });
    if let Some(path) = &kmeans_out {
        write_kmeans(&corpus, &by_rank, &vectors, dims, &settings, path)?;
        eprintln!("k-means, {:.0}s", started.elapsed().as_secs_f64());
    }
    if no_tree {
        return Ok(());
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

/// A fixed-seed generator (splitmix64): the embeddings and clusters are
/// the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Dot product with eight accumulators, which the compiler vectorizes.
fn dense_dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    let tail: f32 = ra.iter().zip(rb).map(|(x, y)| x * y).sum();
    acc.iter().sum::<f32>() + tail
}

/// Orthonormalizes the columns of the row-major `rows × cols` matrix `m`
/// in place (modified Gram–Schmidt, twice, in f64).
fn orthonormalize(m: &mut [f32], rows: usize, cols: usize) {
    let mut c: Vec<Vec<f64>> = (0..cols)
        .map(|j| (0..rows).map(|i| f64::from(m[i * cols + j])).collect())
        .collect();
    for _ in 0..2 {
        for j in 0..cols {
            let (done, rest) = c.split_at_mut(j);
            let v = &mut rest[0];
            for u in done.iter() {
                let d: f64 = u.iter().zip(v.iter()).map(|(a, b)| a * b).sum();
                v.iter_mut().zip(u).for_each(|(x, a)| *x -= d * a);
            }
            let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
            if norm > 1e-12 {
                v.iter_mut().for_each(|x| *x /= norm);
            }
        }
    }
    for (j, col) in c.iter().enumerate() {
        for (i, &x) in col.iter().enumerate() {
            m[i * cols + j] = x as f32;
        }
    }
}

/// `A · M` for the sparse rows `A` and the row-major `dims × cols` matrix `M`.
fn times(a: &[Sparse], m: &[f32], cols: usize) -> Vec<f32> {
    let mut out = vec![0f32; a.len() * cols];
    for (row, o) in a.iter().zip(out.chunks_exact_mut(cols)) {
        for &(f, x) in row {
            let src = &m[f as usize * cols..][..cols];
            o.iter_mut().zip(src).for_each(|(o, s)| *o += x * s);
        }
    }
    out
}

/// `Aᵀ · M` for the sparse rows `A` (over `dims` features) and the
/// row-major `rows × cols` matrix `M`.
fn times_transposed(a: &[Sparse], dims: usize, m: &[f32], cols: usize) -> Vec<f32> {
    let mut out = vec![0f32; dims * cols];
    for (row, src) in a.iter().zip(m.chunks_exact(cols)) {
        for &(f, x) in row {
            let o = &mut out[f as usize * cols..][..cols];
            o.iter_mut().zip(src).for_each(|(o, s)| *o += x * s);
        }
    }
    out
}

/// Eigenvalues (descending) and eigenvectors (columns, row-major) of the
/// symmetric `n × n` matrix `s`, by cyclic Jacobi rotations.
fn symmetric_eigen(mut s: Vec<f64>, n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut v = vec![0f64; n * n];
    for i in 0..n {
        v[i * n + i] = 1.0;
    }
    for _sweep in 0..50 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| s[i * n + j] * s[i * n + j])
            .sum();
        if off < 1e-22 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = s[p * n + q];
                if apq.abs() < 1e-300 {
                    continue;
                }
                let theta = (s[q * n + q] - s[p * n + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let sn = t * c;
                for k in 0..n {
                    let (skp, skq) = (s[k * n + p], s[k * n + q]);
                    s[k * n + p] = c * skp - sn * skq;
                    s[k * n + q] = sn * skp + c * skq;
                }
                for k in 0..n {
                    let (spk, sqk) = (s[p * n + k], s[q * n + k]);
                    s[p * n + k] = c * spk - sn * sqk;
                    s[q * n + k] = sn * spk + c * sqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v[k * n + p], v[k * n + q]);
                    v[k * n + p] = c * vkp - sn * vkq;
                    v[k * n + q] = sn * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| s[b * n + b].total_cmp(&s[a * n + a]));
    let values = order.iter().map(|&i| s[i * n + i]).collect();
    let mut vectors = vec![0f64; n * n];
    for (new, &old) in order.iter().enumerate() {
        for k in 0..n {
            vectors[k * n + new] = v[k * n + old];
        }
    }
    (values, vectors)
}

/// Dense word embeddings: the rank-`out_dims` truncated SVD of the sparse
/// PPMI rows, `U·√Σ`, each row of unit length (row-major, `out_dims` per
/// word; words with no context are zero).
///
/// Randomized SVD (Halko, Martinsson & Tropp 2011) with two power
/// iterations, written out here rather than taken from a linear-algebra
/// crate: it needs only sparse-times-dense products, a Gram–Schmidt and a
/// small symmetric eigenproblem, and the workspace has no such crate.
fn embed(vectors: &[Sparse], dims: usize, out_dims: usize, alpha: f64) -> Vec<f32> {
    let l = out_dims + 16;
    let mut rng = Rng(0x5EED_0F5D);
    let omega: Vec<f32> = (0..dims * l)
        .map(|_| (rng.unit() * 2.0 - 1.0) as f32)
        .collect();
    let mut q = times(vectors, &omega, l);
    orthonormalize(&mut q, vectors.len(), l);
    for _ in 0..2 {
        let mut z = times_transposed(vectors, dims, &q, l);
        orthonormalize(&mut z, dims, l);
        q = times(vectors, &z, l);
        orthonormalize(&mut q, vectors.len(), l);
    }
    // Bᵀ = Aᵀ·Q (dims × l); B·Bᵀ = U_B Σ² U_Bᵀ.
    let bt = times_transposed(vectors, dims, &q, l);
    let mut gram = vec![0f64; l * l];
    for row in bt.chunks_exact(l) {
        for i in 0..l {
            let ri = f64::from(row[i]);
            if ri == 0.0 {
                continue;
            }
            for j in 0..l {
                gram[i * l + j] += ri * f64::from(row[j]);
            }
        }
    }
    let (values, ub) = symmetric_eigen(gram, l);
    eprintln!(
        "singular values: {:.2} {:.2} {:.2} … {:.2}",
        values[0].max(0.0).sqrt(),
        values[1].max(0.0).sqrt(),
        values[2].max(0.0).sqrt(),
        values[out_dims - 1].max(0.0).sqrt()
    );
    // U = Q·U_B, scaled by √σ.
    let weight: Vec<f64> = (0..out_dims)
        .map(|j| values[j].max(0.0).powf(alpha / 2.0))
        .collect();
    let mut out = vec![0f32; vectors.len() * out_dims];
    for (qrow, orow) in q.chunks_exact(l).zip(out.chunks_exact_mut(out_dims)) {
        for (j, o) in orow.iter_mut().enumerate() {
            let u: f64 = (0..l).map(|k| f64::from(qrow[k]) * ub[k * l + j]).sum();
            *o = (u * weight[j]) as f32;
        }
        normalize(orow);
    }
    out
}

/// Spherical k-means of the unit rows of `x` (`d` wide; zero rows are
/// left out, cluster `u16::MAX`): k-means++ seeding with a fixed seed,
/// then `iters` rounds of assigning each row to its nearest centroid by
/// cosine and renormalizing the centroids.
fn spherical_kmeans(x: &[f32], d: usize, k: usize, iters: usize, seed: u64) -> Vec<u16> {
    let n = x.len() / d;
    let row = |i: usize| &x[i * d..][..d];
    let live: Vec<usize> = (0..n)
        .filter(|&i| row(i).iter().any(|&v| v != 0.0))
        .collect();
    if live.is_empty() {
        return vec![u16::MAX; n];
    }
    let k = k.min(live.len());
    let mut rng = Rng(seed);
    let mut centers = vec![0f32; k * d];
    let first = live[(rng.next() % live.len() as u64) as usize];
    centers[..d].copy_from_slice(row(first));
    // Squared distance to the nearest chosen center: 2 − 2·cos.
    let mut nearest: Vec<f64> = live
        .iter()
        .map(|&i| f64::from(2.0 - 2.0 * dense_dot(row(i), &centers[..d])).max(0.0))
        .collect();
    for c in 1..k {
        let total: f64 = nearest.iter().sum();
        let mut target = rng.unit() * total;
        let mut pick = live.len() - 1;
        for (j, &w) in nearest.iter().enumerate() {
            if target < w {
                pick = j;
                break;
            }
            target -= w;
        }
        centers[c * d..][..d].copy_from_slice(row(live[pick]));
        let center = &centers[c * d..][..d];
        for (j, &i) in live.iter().enumerate() {
            let dist = f64::from(2.0 - 2.0 * dense_dot(row(i), center)).max(0.0);
            if dist < nearest[j] {
                nearest[j] = dist;
            }
        }
    }
    let mut assign = vec![u16::MAX; n];
    for round in 0..=iters {
        let mut changed = 0usize;
        for &i in &live {
            let xi = row(i);
            let mut best = (f32::NEG_INFINITY, 0usize);
            for (c, center) in centers.chunks_exact(d).enumerate() {
                let s = dense_dot(xi, center);
                if s > best.0 {
                    best = (s, c);
                }
            }
            if assign[i] != best.1 as u16 {
                changed += 1;
                assign[i] = best.1 as u16;
            }
        }
        if round == iters || changed == 0 {
            break;
        }
        let mut sums = vec![0f32; k * d];
        let mut sizes = vec![0usize; k];
        for &i in &live {
            let c = assign[i] as usize;
            sizes[c] += 1;
            sums[c * d..][..d]
                .iter_mut()
                .zip(row(i))
                .for_each(|(s, v)| *s += v);
        }
        for c in 0..k {
            if sizes[c] > 0 {
                let s = &mut sums[c * d..][..d];
                normalize(s);
                centers[c * d..][..d].copy_from_slice(s);
            }
        }
        eprintln!("k {k}: round {round}, {changed} moved");
    }
    assign
}

/// Writes the flat clusters: a `# k K1 K2 …` line, then one
/// `HASH<TAB>ID1<TAB>ID2…` line per word (ids 0-based, one per k).
/// For each word of `PROBE` (in the environment), prints its 15 nearest
/// words by `scores` (given a word's rank, its similarity to every word).
fn print_neighbours(
    label: &str,
    corpus: &Corpus,
    by_rank: &[u32],
    scores: impl Fn(usize) -> Vec<f32>,
) {
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
        let mut near: Vec<(f32, usize)> = scores(r).into_iter().zip(0..).collect();
        near.sort_by(|a, b| b.0.total_cmp(&a.0));
        let words: Vec<String> = near
            .iter()
            .take(15)
            .map(|&(s, o)| format!("{}:{s:.2}", corpus.keys[by_rank[o] as usize]))
            .collect();
        eprintln!("{label}{key}: {}", words.join(" "));
    }
}

fn write_kmeans(
    corpus: &Corpus,
    by_rank: &[u32],
    vectors: &[Sparse],
    dims: usize,
    settings: &Settings,
    out: &PathBuf,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let emb = embed(vectors, dims, settings.dims, settings.alpha);
    eprintln!("embeddings, {:.0}s", started.elapsed().as_secs_f64());
    print_neighbours("dense ", corpus, by_rank, |r| {
        let me = &emb[r * settings.dims..][..settings.dims];
        emb.chunks_exact(settings.dims)
            .map(|v| dense_dot(me, v))
            .collect()
    });
    let assignments: Vec<Vec<u16>> = settings
        .ks
        .iter()
        .map(|&k| {
            let a = spherical_kmeans(&emb, settings.dims, k, settings.kmeans_iters, k as u64);
            eprintln!("k-means {k}, {:.0}s", started.elapsed().as_secs_f64());
            a
        })
        .collect();
    let mut rows: Vec<(u32, Vec<u16>)> = (0..by_rank.len())
        .filter(|&r| assignments[0][r] != u16::MAX)
        .map(|r| {
            (
                word_hash(&corpus.keys[by_rank[r] as usize]),
                assignments.iter().map(|a| a[r]).collect(),
            )
        })
        .collect();
    rows.sort();
    rows.dedup_by_key(|(h, _)| *h);
    let mut lines = format!(
        "# k {}\n",
        settings
            .ks
            .iter()
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    );
    for (hash, ids) in &rows {
        lines.push_str(&format!("{hash:08x}"));
        for id in ids {
            lines.push_str(&format!("\t{id}"));
        }
        lines.push('\n');
    }
    let file = std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::best());
    gz.write_all(lines.as_bytes())?;
    gz.finish()?;
    eprintln!("wrote {} ({} words)", out.display(), rows.len());
    Ok(())
}
