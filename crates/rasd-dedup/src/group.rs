//! Batch grouping: articles in, one [`GroupAssignment`] per article out.
//!
//! 1. Signatures are computed in parallel.
//! 2. Bodies with the same exact hash are joined (empty bodies never are).
//! 3. One representative per exact class contributes its LSH band keys;
//!    articles sharing a key are candidates, and a candidate pair is a
//!    duplicate only when the exact Jaccard of the shingle sets reaches the
//!    threshold.
//! 4. The connected components of those pairs (union-find) are split into
//!    stars: the earliest member (ISO 8601 `published` compared as text,
//!    undated after dated, ties by exact hash then input order) becomes a
//!    canonical and keeps every member with Jaccard ≥ `anchor_threshold`
//!    with it; the earliest member left starts the next star. This keeps a
//!    chain of near-duplicates (A≈B≈C, A≉C) from grouping unrelated texts.
//!
//! The partition depends only on the set of bodies and their dates, never on
//! input order or thread count: the verified pairs are a function of the
//! signatures alone, and the star order of dates and exact hashes (exact
//! copies, which tie on the hash, have the same shingles).

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
    /// Reached from the canonical through verified near-duplicate pairs, and
    /// at least `anchor_threshold` similar to it.
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

    assign(items, &mut uf, cfg)
}

/// Splits each component into stars around its earliest members, picks each
/// star's canonical article and describes every member.
///
/// Within a component, articles are ranked by [`rank`]; the first becomes a
/// canonical and takes every not-yet-placed member whose exact Jaccard with
/// it reaches `cfg.anchor_threshold` (its exact copies always); the first
/// member left becomes the next canonical, and so on. Every group member is
/// thus close to its canonical, so chains of near-duplicates cannot join
/// unrelated articles (Jaccard distance `1 - J` is a metric, so two members
/// of one group have `J ≥ 2x - 1` at worst). The rank depends only on dates
/// and content, so the partition stays independent of input order and
/// thread count.
fn assign(items: &[Signed], uf: &mut UnionFind, cfg: &DedupConfig) -> Vec<GroupAssignment> {
    let n = items.len();
    let mut by_component: Vec<(u32, u32)> = (0..n as u32).map(|i| (uf.find(i), i)).collect();
    by_component.sort_unstable();
    let components: Vec<&[(u32, u32)]> = by_component.chunk_by(|a, b| a.0 == b.0).collect();
    let stars: Vec<Vec<(usize, GroupAssignment)>> = components
        .par_iter()
        .map(|run| split_component(items, run, cfg.anchor_threshold))
        .collect();
    let mut out = vec![
        GroupAssignment {
            canonical: 0,
            size: 1,
            relation: Relation::Canonical,
            jaccard: 1.0,
        };
        n
    ];
    for (i, g) in stars.into_iter().flatten() {
        out[i] = g;
    }
    out
}

/// The order in which a component's articles may become canonical: dated
/// before undated, earliest `published` first, then the smallest exact hash
/// (content, not input position, so exact copies tie only with each other),
/// then input order.
fn rank(items: &[Signed], i: u32) -> (bool, Option<&str>, Option<u128>, u32) {
    let item = &items[i as usize];
    let published = item.published.as_deref();
    (published.is_none(), published, item.signature.exact, i)
}

/// The stars of one component (`run`: `(root, index)` pairs).
fn split_component(
    items: &[Signed],
    run: &[(u32, u32)],
    anchor: f64,
) -> Vec<(usize, GroupAssignment)> {
    let mut members: Vec<u32> = run.iter().map(|&(_, i)| i).collect();
    members.sort_unstable_by(|&a, &b| rank(items, a).cmp(&rank(items, b)));
    // (member, relation, jaccard with its canonical); placed members leave `left`.
    let mut left = members;
    let mut out = Vec::with_capacity(left.len());
    while let Some((&canonical, rest)) = left.split_first() {
        let canon = &items[canonical as usize].signature;
        let mut star = vec![(canonical, Relation::Canonical, 1.0)];
        let mut next = Vec::new();
        for &i in rest {
            let own = &items[i as usize].signature;
            if own.exact.is_some() && own.exact == canon.exact {
                star.push((i, Relation::Exact, 1.0));
                continue;
            }
            let j = jaccard(&own.shingles, &canon.shingles);
            if j >= anchor {
                star.push((i, Relation::Near, j));
            } else {
                next.push(i);
            }
        }
        let size = star.len();
        out.extend(star.into_iter().map(|(i, relation, jaccard)| {
            (
                i as usize,
                GroupAssignment {
                    canonical: canonical as usize,
                    size,
                    relation,
                    jaccard,
                },
            )
        }));
        left = next;
    }
    out
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

    /// Five overlapping windows of one word stream, each 10 words past the
    /// previous: neighbours have J ≈ 0.81, the two ends J ≈ 0.41.
    fn sliding_chain() -> Vec<String> {
        const LETTERS: &[char] = &[
            'ب', 'ت', 'ث', 'ج', 'ح', 'خ', 'د', 'ذ', 'ر', 'ز', 'س', 'ش', 'ص', 'ض',
        ];
        let stream: Vec<String> = (0..140)
            .map(|i| format!("م{}{}ات", LETTERS[i / 14], LETTERS[i % 14]))
            .collect();
        (0..5)
            .map(|k| stream[k * 10..k * 10 + 100].join(" "))
            .collect()
    }

    #[test]
    fn chains_are_split_around_the_earliest_article() {
        let chain = sliding_chain();
        let dates = [
            "2015-01-01",
            "2015-01-02",
            "2015-01-03",
            "2015-01-04",
            "2015-01-05",
        ];
        let inputs: Vec<DedupInput> = chain
            .iter()
            .zip(dates)
            .map(|(body, date)| DedupInput {
                body,
                published: Some(date),
            })
            .collect();
        let groups = group(&inputs, &DedupConfig::default());
        let canonicals: Vec<usize> = groups.iter().map(|g| g.canonical).collect();
        assert_eq!(canonicals, [0, 0, 0, 0, 4], "{groups:?}");
        assert!(groups[..4].iter().all(|g| g.jaccard >= 0.5 && g.size == 4));

        let plain = DedupConfig {
            anchor_threshold: 0.0,
            ..DedupConfig::default()
        };
        let components = group(&inputs, &plain);
        assert!(components.iter().all(|g| g.canonical == 0 && g.size == 5));
    }

    #[test]
    fn large_buckets_still_group() {
        let bodies: Vec<String> = (0..200)
            .map(|i| format!("{STORY} المرجع {}", i % 150))
            .collect();
        let inputs: Vec<DedupInput> = bodies.iter().map(|b| input(b)).collect();
        let groups = group(&inputs, &DedupConfig::default());
        // Undated: the canonical is the variant with the smallest exact hash.
        let canonical = groups[0].canonical;
        assert!(groups
            .iter()
            .all(|g| g.canonical == canonical && g.size == 200));
        let twin = if canonical < 50 {
            canonical + 150
        } else {
            canonical - 150
        };
        if !(50..150).contains(&canonical) {
            assert_eq!(groups[twin].relation, Relation::Exact);
        }
    }
}
