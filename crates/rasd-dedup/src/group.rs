//! Batch grouping: articles in, one [`GroupAssignment`] per article out.
//!
//! 1. Signatures are computed in parallel.
//! 2. Bodies with the same exact hash are joined (empty bodies never are).
//! 3. One representative per exact class contributes its LSH band keys;
//!    articles sharing a key are candidates, and a candidate pair is a
//!    duplicate only when the exact Jaccard of the shingle sets reaches the
//!    threshold.
//! 4. Groups are the connected components of those pairs (union-find).
//!    Each group's canonical article is the earliest `published` (ISO 8601
//!    compared as text; undated after dated), ties broken by input order.
//!
//! The partition depends only on the set of bodies, never on input order or
//! thread count: the verified pairs are a function of the signatures alone.

use crate::components::UnionFind;
use crate::similarity::{jaccard, jaccard_at_least};
use crate::{band_keys, signature, DedupConfig, Signature};
use rayon::prelude::*;

/// One article to group.
#[derive(Debug, Clone, Copy)]
pub struct DedupInput<'a> {
    pub body: &'a str,
    /// ISO 8601 publication date, when known.
    pub published: Option<&'a str>,
}

/// A signed article: what [`group_signed`] needs, without the text.
#[derive(Debug, Clone)]
pub struct Signed {
    pub signature: Signature,
    pub published: Option<String>,
}

/// How an article relates to its group's canonical article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// The article is its group's canonical (alone or first of its copies).
    Canonical,
    /// Same words as the canonical.
    Exact,
    /// Reached from the canonical through verified near-duplicate pairs.
    Near,
}

/// The group of one article.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupAssignment {
    /// Input index of the group's canonical article (its own index when it
    /// is the canonical).
    pub canonical: usize,
    /// Number of articles in the group.
    pub size: usize,
    pub relation: Relation,
    /// Exact Jaccard similarity of the shingle sets with the canonical
    /// (1 for the canonical and its exact copies).
    pub jaccard: f64,
}

/// Buckets with more members than this are walked one pair at a time,
/// skipping pairs already joined, instead of listing all their pairs.
const LARGE_BUCKET: usize = 64;

/// Groups articles: signatures in parallel, then [`group_signed`].
pub fn group(articles: &[DedupInput], cfg: &DedupConfig) -> Vec<GroupAssignment> {
    let signed: Vec<Signed> = articles
        .par_iter()
        .map(|a| Signed {
            signature: signature(a.body, cfg),
            published: a.published.map(str::to_owned),
        })
        .collect();
    group_signed(&signed, cfg)
}

/// Groups signed articles; see the module docs for the steps.
///
/// # Panics
/// When there are more than `u32::MAX` articles.
pub fn group_signed(items: &[Signed], cfg: &DedupConfig) -> Vec<GroupAssignment> {
    assert!(
        u32::try_from(items.len()).is_ok(),
        "too many articles for one batch"
    );
    let n = items.len();
    let mut uf = UnionFind::new(n);

    // Exact classes: sort by hash so copies sit together.
    let mut by_exact: Vec<(u128, u32)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.signature.exact.map(|h| (h, i as u32)))
        .collect();
    by_exact.par_sort_unstable();
    let mut representatives = Vec::new();
    for run in by_exact.chunk_by(|a, b| a.0 == b.0) {
        let first = run[0].1;
        for &(_, i) in &run[1..] {
            uf.union(first, i);
        }
        if !items[first as usize].signature.minhash.is_empty() {
            representatives.push(first);
        }
    }

    // LSH candidates among representatives.
    let mut keyed: Vec<(u64, u32)> = representatives
        .par_iter()
        .flat_map_iter(|&i| {
            band_keys(&items[i as usize].signature, cfg)
                .into_iter()
                .map(move |k| (k, i))
        })
        .collect();
    keyed.par_sort_unstable();
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let mut large: Vec<&[(u64, u32)]> = Vec::new();
    for run in keyed.chunk_by(|a, b| a.0 == b.0) {
        if run.len() > LARGE_BUCKET {
            large.push(run);
            continue;
        }
        for (x, &(_, a)) in run.iter().enumerate() {
            for &(_, b) in &run[x + 1..] {
                pairs.push((a.min(b), a.max(b)));
            }
        }
    }
    pairs.par_sort_unstable();
    pairs.dedup();

    let shingles = |i: u32| items[i as usize].signature.shingles.as_slice();
    let verified: Vec<(u32, u32)> = pairs
        .par_iter()
        .filter(|&&(a, b)| jaccard_at_least(shingles(a), shingles(b), cfg.threshold).is_some())
        .copied()
        .collect();
    for (a, b) in verified {
        uf.union(a, b);
    }
    for run in large {
        for (x, &(_, a)) in run.iter().enumerate() {
            for &(_, b) in &run[x + 1..] {
                if uf.find(a) != uf.find(b)
                    && jaccard_at_least(shingles(a), shingles(b), cfg.threshold).is_some()
                {
                    uf.union(a, b);
                }
            }
        }
    }

    assign(items, &mut uf)
}

/// Picks each component's canonical article and describes every member.
fn assign(items: &[Signed], uf: &mut UnionFind) -> Vec<GroupAssignment> {
    let n = items.len();
    let roots: Vec<u32> = (0..n as u32).map(|i| uf.find(i)).collect();
    let mut canonical_of_root: Vec<Option<u32>> = vec![None; n];
    let mut size_of_root = vec![0usize; n];
    let earlier = |a: u32, b: u32| {
        let key = |i: u32| {
            let p = items[i as usize].published.as_deref();
            (p.is_none(), p, i)
        };
        key(a) < key(b)
    };
    for (i, &root) in roots.iter().enumerate() {
        let i = i as u32;
        size_of_root[root as usize] += 1;
        let slot = &mut canonical_of_root[root as usize];
        if slot.is_none_or(|c| earlier(i, c)) {
            *slot = Some(i);
        }
    }
    (0..n)
        .into_par_iter()
        .map(|i| {
            let root = roots[i] as usize;
            let canonical = canonical_of_root[root].map_or(i, |c| c as usize);
            let (own, canon) = (&items[i].signature, &items[canonical].signature);
            let (relation, similarity) = if canonical == i {
                (Relation::Canonical, 1.0)
            } else if own.exact.is_some() && own.exact == canon.exact {
                (Relation::Exact, 1.0)
            } else {
                (Relation::Near, jaccard(&own.shingles, &canon.shingles))
            };
            GroupAssignment {
                canonical,
                size: size_of_root[root],
                relation,
                jaccard: similarity,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "أعلنت هيئة الطيران المدني السعودية اليوم عن افتتاح صالة جديدة في مطار الملك عبدالعزيز الدولي بجدة، \
        بطاقة استيعابية تبلغ ثلاثين مليون مسافر سنويا. وقال رئيس الهيئة إن المشروع يأتي ضمن خطة تطوير المطارات \
        في المملكة، وإن الصالة ستخدم الرحلات الدولية والداخلية بدءا من الشهر المقبل. وأضاف أن التشغيل التجريبي \
        بدأ الأسبوع الماضي بمشاركة عدد من شركات الطيران الوطنية والأجنبية.";

    fn input(body: &str) -> DedupInput<'_> {
        DedupInput {
            body,
            published: None,
        }
    }

    #[test]
    fn copies_are_grouped_under_the_earliest() {
        let edited = STORY.replace("الأسبوع الماضي", "يوم الأحد الماضي");
        let marked = STORY.replace("الهيئة", "الهَيْئَة");
        let other = "اجتمع مجلس الوزراء برئاسة خادم الحرمين الشريفين وناقش عددا من الموضوعات المحلية والدولية وأقر عدة أنظمة جديدة.";
        let articles = [
            DedupInput {
                body: STORY,
                published: Some("2015-07-22"),
            },
            input(other),
            DedupInput {
                body: &edited,
                published: Some("2015-07-21T09:00:00+03:00"),
            },
            input(&marked),
            input(""),
            input(""),
        ];
        let groups = group(&articles, &DedupConfig::default());
        assert_eq!(groups[0].canonical, 2, "the earliest published copy leads");
        assert_eq!(groups[2].relation, Relation::Canonical);
        assert_eq!(groups[0].relation, Relation::Near);
        assert!(groups[0].jaccard >= 0.8 && groups[0].jaccard < 1.0);
        assert_eq!(groups[3].canonical, 2);
        assert_eq!(groups[0].size, 3);
        assert_eq!(groups[1].canonical, 1);
        assert_eq!(groups[1].size, 1);
        assert_eq!(groups[4].canonical, 4, "empty bodies stay alone");
        assert_eq!(groups[5].canonical, 5);
    }

    #[test]
    fn large_buckets_still_group() {
        let bodies: Vec<String> = (0..200)
            .map(|i| format!("{STORY} المرجع {}", i % 150))
            .collect();
        let inputs: Vec<DedupInput> = bodies.iter().map(|b| input(b)).collect();
        let groups = group(&inputs, &DedupConfig::default());
        assert!(groups.iter().all(|g| g.canonical == 0 && g.size == 200));
        assert_eq!(groups[150].relation, Relation::Exact);
    }
}
