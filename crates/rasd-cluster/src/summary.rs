//! A story's headline and extractive summary: its articles (title, body,
//! outlet, in publication order) in, the most central title and 3–5 body
//! sentences out.
//!
//! Sentences are split on Arabic and Latin end punctuation (`. ! ? … ؟ ؛`)
//! and newlines; each becomes a TF-IDF vector over Light10 stems of
//! [`rasd_text::normalize::matching_key`] words (stop words dropped), with the
//! IDF taken over the story's own sentences. Centrality is the cosine to the
//! story centroid (the sum of each article's unit vector, so a long article
//! does not outweigh a wire brief). Near-identical sentences (token Jaccard
//! at or above [`SummaryConfig::merge_jaccard`]) are one sentence: the
//! earliest copy is kept and the outlets that carried it are counted, which
//! lifts its score a little. Sentences are then picked greedily by maximal
//! marginal relevance (centrality minus similarity to what is already
//! picked) and printed in story order.
//!
//! Bounded: at most [`SummaryConfig::max_articles`] articles, the first
//! [`SummaryConfig::max_body_bytes`] of each body, the first
//! [`SummaryConfig::max_sentences_per_article`] sentences of each, each
//! trimmed to [`SummaryConfig::max_sentence_chars`]. No I/O, no clock.

use rasd_text::{normalize, stem, stopwords, tokenize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Bounds and weights of [`summarize`].
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryConfig {
    /// Sentences in a summary at most.
    pub max_sentences: usize,
    /// Sentences picked even when the later ones add little (when there are that many).
    pub min_sentences: usize,
    /// Articles read at most (the first ones given: the caller passes them in publication order).
    pub max_articles: usize,
    /// Bytes of each body read at most: the lead carries the news.
    pub max_body_bytes: usize,
    /// Sentences of each article considered at most.
    pub max_sentences_per_article: usize,
    /// Characters of a sentence kept at most (longer ones are trimmed at a word).
    pub max_sentence_chars: usize,
    /// Content words a sentence needs to be considered.
    pub min_sentence_words: usize,
    /// Token Jaccard at or above which two sentences are the same sentence.
    pub merge_jaccard: f32,
    /// MMR trade-off: 1 = centrality only, 0 = novelty only.
    pub mmr_lambda: f32,
}

impl Default for SummaryConfig {
    fn default() -> Self {
        SummaryConfig {
            max_sentences: 5,
            min_sentences: 3,
            max_articles: 50,
            max_body_bytes: 8 * 1024,
            max_sentences_per_article: 12,
            max_sentence_chars: 400,
            min_sentence_words: 4,
            merge_jaccard: 0.7,
            mmr_lambda: 0.7,
        }
    }
}

/// One article of a story, as the summarizer reads it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SummaryArticle<'a> {
    pub title: Option<&'a str>,
    pub body: &'a str,
    pub source: Option<&'a str>,
}

/// A story's headline and summary sentences.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// The title closest to the story's centroid (the earliest on ties).
    pub headline: Option<String>,
    /// The picked sentences, in story order (article, then position).
    pub sentences: Vec<SummarySentence>,
}

/// One summary sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct SummarySentence {
    pub text: String,
    /// Index (in the input) of the earliest article that carried it.
    pub article: usize,
    /// Distinct outlets that carried it (near-identical copies merged).
    pub outlets: usize,
}

/// A sentence considered for the summary.
struct Candidate {
    text: String,
    article: usize,
    position: usize,
    /// Distinct content-word stems, sorted: the Jaccard set.
    stems: Vec<u32>,
    vector: Vec<(u32, f32)>,
    outlets: HashSet<String>,
}

/// Summarizes a story's articles (in publication order); see the module docs.
///
/// ```
/// use rasd_cluster::summary::{summarize, SummaryArticle, SummaryConfig};
/// let articles = [SummaryArticle {
///     title: Some("أمطار غزيرة على مكة المكرمة"),
///     body: "هطلت أمطار غزيرة على مكة المكرمة مساء اليوم. \
///            وأعلن الدفاع المدني رفع درجة الاستعداد في الأحياء المنخفضة. \
///            وتوقعت الأرصاد استمرار الأمطار حتى نهاية الأسبوع الجاري.",
///     source: Some("sabq"),
/// }];
/// let summary = summarize(&articles, &SummaryConfig::default());
/// assert_eq!(summary.headline.as_deref(), Some("أمطار غزيرة على مكة المكرمة"));
/// assert_eq!(summary.sentences.len(), 3);
/// ```
pub fn summarize(articles: &[SummaryArticle<'_>], config: &SummaryConfig) -> Summary {
    let articles = &articles[..articles.len().min(config.max_articles)];
    let mut vocabulary: HashMap<String, u32> = HashMap::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    // Every sentence read, merged copies included: the centroid counts each
    // outlet's article whole, so a fact many outlets carry weighs more.
    let mut read: Vec<(usize, Vec<u32>)> = Vec::new();
    for (index, article) in articles.iter().enumerate() {
        let body = prefix_at_char(article.body, config.max_body_bytes);
        let outlet = article.source.unwrap_or("").to_string();
        for (position, sentence) in split_sentences(body)
            .filter_map(|s| trim_sentence(s, config.max_sentence_chars))
            .filter_map(|s| {
                let stems = stem_ids(&s, &mut vocabulary);
                (stems.len() >= config.min_sentence_words).then_some((s, stems))
            })
            .take(config.max_sentences_per_article)
            .enumerate()
        {
            let (text, stems) = sentence;
            read.push((index, stems.clone()));
            add_or_merge(
                &mut candidates,
                Candidate {
                    text,
                    article: index,
                    position,
                    stems,
                    vector: Vec::new(),
                    outlets: HashSet::from([outlet.clone()]),
                },
                config.merge_jaccard,
            );
        }
    }
    let titles: Vec<(usize, &str, Vec<u32>)> = articles
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let title = a.title?.trim();
            let title = prefix_at_char(title, config.max_sentence_chars * 4);
            (!title.is_empty()).then(|| (i, title, stem_ids(title, &mut vocabulary)))
        })
        .collect();

    // IDF over the story's sentences and titles: words every article repeats
    // still score, words one sentence alone has score most per occurrence.
    let mut df: HashMap<u32, f32> = HashMap::new();
    let units = read.len() + titles.len();
    for stems in read.iter().map(|r| &r.1).chain(titles.iter().map(|t| &t.2)) {
        for s in stems {
            *df.entry(*s).or_default() += 1.0;
        }
    }
    let idf = |term: &u32| (1.0 + units as f32 / (1.0 + df.get(term).copied().unwrap_or(0.0))).ln();
    for c in &mut candidates {
        c.vector = unit_vector(&c.stems, &idf);
    }
    let title_vectors: Vec<Vec<(u32, f32)>> =
        titles.iter().map(|t| unit_vector(&t.2, &idf)).collect();

    // Ordered maps: f32 sums depend on the order of their terms, and a
    // HashMap's order changes from process to process, which made the same
    // story's summary differ between runs when two sentences nearly tied.
    let mut per_article: BTreeMap<usize, BTreeMap<u32, f32>> = BTreeMap::new();
    for (article, stems) in &read {
        let sum = per_article.entry(*article).or_default();
        for (t, w) in unit_vector(stems, &idf) {
            *sum.entry(t).or_default() += w;
        }
    }
    for ((i, _, _), v) in titles.iter().zip(&title_vectors) {
        let sum = per_article.entry(*i).or_default();
        for (t, w) in v {
            *sum.entry(*t).or_default() += w;
        }
    }
    let mut centroid: BTreeMap<u32, f32> = BTreeMap::new();
    for sum in per_article.into_values() {
        let norm = sum.values().map(|w| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (t, w) in sum {
                *centroid.entry(t).or_default() += w / norm;
            }
        }
    }
    let centroid_norm = centroid.values().map(|w| w * w).sum::<f32>().sqrt();
    let centrality = |v: &[(u32, f32)]| {
        if centroid_norm == 0.0 {
            return 0.0;
        }
        v.iter()
            .map(|(t, w)| w * centroid.get(t).copied().unwrap_or(0.0))
            .sum::<f32>()
            / centroid_norm
    };

    let headline = titles
        .iter()
        .zip(&title_vectors)
        .map(|((i, title, _), v)| (*i, *title, centrality(v)))
        .fold(None::<(usize, &str, f32)>, |best, t| match best {
            Some(b) if b.2 >= t.2 => Some(b),
            _ => Some(t),
        })
        .map(|(_, title, _)| title.to_string());

    let scores: Vec<f32> = candidates
        .iter()
        .map(|c| {
            // Carried by several outlets: a little more likely the core fact.
            let support = 1.0 + 0.1 * ((c.outlets.len().min(5) as f32) - 1.0);
            centrality(&c.vector) * support
        })
        .collect();
    let picked = pick_by_mmr(&candidates, &scores, config);
    let mut sentences: Vec<&Candidate> = picked.iter().map(|&i| &candidates[i]).collect();
    sentences.sort_by_key(|c| (c.article, c.position));
    Summary {
        headline,
        sentences: sentences
            .into_iter()
            .map(|c| SummarySentence {
                text: c.text.clone(),
                article: c.article,
                outlets: c.outlets.len(),
            })
            .collect(),
    }
}

/// Greedy maximal marginal relevance: indexes of the picked candidates.
fn pick_by_mmr(candidates: &[Candidate], scores: &[f32], config: &SummaryConfig) -> Vec<usize> {
    let lambda = config.mmr_lambda;
    let best_score = scores.iter().copied().fold(0.0f32, f32::max);
    let mut picked: Vec<usize> = Vec::new();
    let mut redundancy = vec![0.0f32; candidates.len()];
    while picked.len() < config.max_sentences {
        let next = (0..candidates.len())
            .filter(|i| !picked.contains(i))
            .map(|i| (i, lambda * scores[i] - (1.0 - lambda) * redundancy[i]))
            .fold(None::<(usize, f32)>, |best, c| match best {
                Some(b) if b.1 >= c.1 => Some(b),
                _ => Some(c),
            });
        let Some((i, marginal)) = next else { break };
        // Beyond the minimum, a sentence must still be central and new.
        if picked.len() >= config.min_sentences && (marginal <= 0.0 || scores[i] < 0.5 * best_score)
        {
            break;
        }
        picked.push(i);
        for (j, r) in redundancy.iter_mut().enumerate() {
            *r = r.max(dot(&candidates[i].vector, &candidates[j].vector));
        }
    }
    picked
}

/// Adds a sentence, or merges it into a near-identical one already there
/// (the earlier stays; its outlets grow).
fn add_or_merge(candidates: &mut Vec<Candidate>, new: Candidate, threshold: f32) {
    if let Some(same) = candidates
        .iter_mut()
        .find(|c| jaccard(&c.stems, &new.stems) >= threshold)
    {
        same.outlets.extend(new.outlets);
        return;
    }
    candidates.push(new);
}

/// Jaccard of two sorted, distinct id lists.
fn jaccard(a: &[u32], b: &[u32]) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    both as f32 / (a.len() + b.len() - both) as f32
}

/// Dot product of two sparse vectors sorted by term.
fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// Unit TF-IDF vector of a sentence's distinct stems (sorted by term).
fn unit_vector(stems: &[u32], idf: &impl Fn(&u32) -> f32) -> Vec<(u32, f32)> {
    let mut v: Vec<(u32, f32)> = stems.iter().map(|s| (*s, idf(s))).collect();
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, w) in &mut v {
            *w /= norm;
        }
    }
    v
}

/// Distinct Light10 stems of a text's content words, as sorted ids.
fn stem_ids(text: &str, vocabulary: &mut HashMap<String, u32>) -> Vec<u32> {
    let key = normalize::matching_key(text);
    let mut ids: Vec<u32> = tokenize::words(&key)
        .filter(|w| w.chars().nth(1).is_some() && !stopwords::is_stopword(w))
        .map(|w| {
            let stem = stem::light10(stem::strip_proclitics(w));
            let next = vocabulary.len() as u32;
            *vocabulary.entry(stem.to_string()).or_insert(next)
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Whether `c` ends a sentence when followed by a space or the end
/// (a `.` inside `3.5` or `U.S` does not).
fn is_sentence_end(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '؟' | '؛' | '۔' | ';')
}

/// A text's sentences: split at newlines and at end punctuation followed by
/// whitespace (Arabic `؟` and `؛` always end one).
pub fn split_sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some((i, c)) = chars.next() {
            let next = chars.peek().map(|&(_, n)| n);
            let ends = c == '\n'
                || c == '\r'
                || (is_sentence_end(c)
                    && (matches!(c, '؟' | '؛') || next.is_none_or(char::is_whitespace)));
            if ends {
                let end = if c == '\n' || c == '\r' {
                    i
                } else {
                    i + c.len_utf8()
                };
                let sentence = text[start..end].trim();
                start = i + c.len_utf8();
                if !sentence.is_empty() {
                    return Some(sentence);
                }
            }
        }
        let rest = text.get(start..).unwrap_or("").trim();
        start = text.len();
        (!rest.is_empty()).then_some(rest)
    })
}

/// A sentence with collapsed whitespace, trimmed to `max_chars` at a word
/// boundary (with `…`); `None` when nothing is left.
fn trim_sentence(sentence: &str, max_chars: usize) -> Option<String> {
    let mut out = String::new();
    let mut chars = 0;
    for word in sentence.split_whitespace() {
        let len = word.chars().count();
        if chars + len + 1 > max_chars {
            if out.is_empty() {
                out.extend(word.chars().take(max_chars));
            }
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        out.push_str(word);
        chars += len;
    }
    (!out.is_empty()).then_some(out)
}

fn prefix_at_char(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SPA: &str =
        "أعلنت وزارة الداخلية الكويتية ضبط خلية إرهابية في منطقة العبدلي بحوزتها أسلحة وذخائر. \
        وقالت الوزارة إن التحقيقات جارية مع المتهمين الثلاثة في القضية. \
        وأضافت أن الأسلحة المضبوطة كانت مخبأة في حفرة عميقة تحت أحد المنازل. \
        وأشاد مجلس الوزراء بجهود رجال الأمن في كشف الخلية قبل تنفيذ مخططها. \
        ويأتي ذلك بعد أسابيع من تفجير مسجد الإمام الصادق في العاصمة الكويتية.";

    fn art<'a>(title: &'a str, body: &'a str, source: &'a str) -> SummaryArticle<'a> {
        SummaryArticle {
            title: Some(title),
            body,
            source: Some(source),
        }
    }

    #[test]
    fn sentences_split_on_arabic_and_latin_punctuation_and_newlines() {
        let text =
            "هل وصل الوفد؟ نعم وصل؛ وبدأت المحادثات.\nسطر جديد بلا نقطة\nالنمو 3.5 في المئة! انتهى";
        let got: Vec<&str> = split_sentences(text).collect();
        assert_eq!(
            got,
            [
                "هل وصل الوفد؟",
                "نعم وصل؛",
                "وبدأت المحادثات.",
                "سطر جديد بلا نقطة",
                "النمو 3.5 في المئة!",
                "انتهى"
            ]
        );
    }

    #[test]
    fn identical_sentences_from_different_outlets_are_merged_keeping_the_earliest() {
        let rewrite = "ضبطت السلطات الكويتية خلية إرهابية جديدة في العبدلي. \
            وقالت الوزارة إن التحقيقات جارية مع المتهمين الثلاثة في القضية. \
            وأكد مصدر أمني أن الخلية مرتبطة بتنظيم خارجي يسعى لزعزعة الأمن.";
        let articles = [
            art("الكويت تضبط خلية إرهابية في العبدلي", SPA, "spa"),
            art("ضبط خلية إرهابية بحوزتها أسلحة", SPA, "okaz"),
            art("خلية العبدلي في قبضة الأمن", rewrite, "sabq"),
        ];
        let summary = summarize(&articles, &SummaryConfig::default());
        let texts: Vec<&str> = summary.sentences.iter().map(|s| s.text.as_str()).collect();
        let unique: HashSet<&str> = texts.iter().copied().collect();
        assert_eq!(unique.len(), texts.len(), "no sentence twice: {texts:?}");
        let investigation = summary
            .sentences
            .iter()
            .filter(|s| s.text.contains("التحقيقات جارية"))
            .collect::<Vec<_>>();
        assert_eq!(investigation.len(), 1, "{texts:?}");
        assert_eq!(investigation[0].article, 0, "the earliest copy is kept");
        assert_eq!(investigation[0].outlets, 3, "spa, okaz and sabq carried it");
        for s in summary.sentences.iter().filter(|s| s.article == 0) {
            assert!(s.outlets >= 2, "okaz's copy of spa merged: {s:?}");
        }
        assert!((3..=5).contains(&summary.sentences.len()), "{texts:?}");
    }

    #[test]
    fn three_to_five_sentences_when_the_story_has_them() {
        let long = format!(
            "{SPA}\nوطالب نواب في مجلس الأمة بتشديد الرقابة على المنافذ الحدودية للبلاد.\n\
             ونقلت وكالة الأنباء الكويتية عن مصدر مسؤول أن المتهمين اعترفوا بحيازة الأسلحة.\n\
             وتتابع النيابة العامة التحقيق في مصادر تمويل الخلية وعلاقاتها الخارجية."
        );
        let summary = summarize(
            &[art("ضبط خلية العبدلي", &long, "kuna")],
            &SummaryConfig::default(),
        );
        assert!((3..=5).contains(&summary.sentences.len()));
        let short = summarize(
            &[art(
                "خبر قصير",
                "هطلت أمطار غزيرة على مدينة جدة اليوم.",
                "x",
            )],
            &SummaryConfig::default(),
        );
        assert_eq!(short.sentences.len(), 1, "a one-sentence story gives one");
    }

    #[test]
    fn the_headline_is_the_most_central_title() {
        let articles = [
            art("عاجل", SPA, "a"),
            art(
                "الكويت تضبط خلية إرهابية بحوزتها أسلحة في العبدلي",
                SPA,
                "b",
            ),
            art("أرسنال يهزم تشيلسي", SPA, "c"),
        ];
        let summary = summarize(&articles, &SummaryConfig::default());
        assert_eq!(
            summary.headline.as_deref(),
            Some("الكويت تضبط خلية إرهابية بحوزتها أسلحة في العبدلي")
        );
    }

    #[test]
    fn empty_and_hostile_input_give_an_empty_or_bounded_summary() {
        assert_eq!(
            summarize(&[], &SummaryConfig::default()),
            Summary::default()
        );
        let empty = summarize(
            &[SummaryArticle::default(), art("", "", "")],
            &SummaryConfig::default(),
        );
        assert!(empty.headline.is_none() && empty.sentences.is_empty());
        let giant = "كلمة طويلة جدا ".repeat(70_000); // ~1 MB, one sentence
        let summary = summarize(&[art(&giant, &giant, "x")], &SummaryConfig::default());
        assert!(summary
            .sentences
            .iter()
            .all(|s| s.text.chars().count() <= 401));
        assert!(summary.headline.unwrap().len() <= 4 * 400 * 4);
        let junk = "\u{0}\u{fffd}!!! ؟؟؟ ... \n\n\r\t ۔";
        let summary = summarize(&[art(junk, junk, junk)], &SummaryConfig::default());
        assert!(summary.sentences.is_empty());
    }

    #[test]
    fn ten_thousand_members_read_only_the_first_fifty() {
        let bodies: Vec<String> = (0..10_000)
            .map(|i| format!("{SPA} وهذه الجملة الإضافية رقم {i} تخص مصدرا مختلفا."))
            .collect();
        let articles: Vec<SummaryArticle<'_>> = bodies
            .iter()
            .map(|b| art("ضبط خلية العبدلي", b, "x"))
            .collect();
        let summary = summarize(&articles, &SummaryConfig::default());
        assert!(summary.sentences.iter().all(|s| s.article < 50));
        assert!((3..=5).contains(&summary.sentences.len()));
    }

    proptest! {
        #[test]
        fn any_text_gives_at_most_five_sentences_taken_from_it(body in "[ا-ي .؟؛\n]{0,400}") {
            let summary = summarize(&[art("عنوان", &body, "x")], &SummaryConfig::default());
            prop_assert!(summary.sentences.len() <= 5);
            for s in &summary.sentences {
                let first = s.text.split_whitespace().next().unwrap_or("");
                prop_assert!(body.contains(first));
            }
        }
    }
}
