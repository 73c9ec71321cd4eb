//! Facts of one article: title and body in, entity mentions linked to
//! canonical entities, quotes with resolved speakers, and figures out.
//!
//! The [`Linker`] is passed in so entities link across all the articles of
//! a run; names are read from it when the facts are rendered
//! ([`ArticleFacts::render`]), so a later, fuller name («مصطفى الكاظمي»
//! after «الكاظمي») shows for earlier articles too.

use crate::figures::{figures, Figure};
use crate::link::{is_title, Linker};
use crate::quotes::{
    before_a_medium, feminine_verb, names_a_source, quotes, speech_acts, Quote, Speaker, SpeechAct,
};
use crate::recognize::{mentions, Mention};
use crate::tags::EntityType;
use crate::Model;
use rasd_text::normalize;
use serde::Serialize;

/// Facts found in one article, with entity ids into the run's [`Linker`].
#[derive(Debug, Clone)]
pub struct ArticleFacts {
    mentions: Vec<(Mention, usize)>,
    quotes: Vec<(String, Option<usize>, String)>,
    figures: Vec<Figure>,
}

/// An entity mention as shown: surface, type and canonical entity name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityOut {
    pub text: String,
    #[serde(rename = "type")]
    pub ty: EntityType,
    pub entity: String,
}

/// A quote as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuoteOut {
    pub speaker: String,
    pub speaker_entity: Option<String>,
    pub text: String,
}

/// Rendered facts of an article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rendered {
    pub entities: Vec<EntityOut>,
    pub quotes: Vec<QuoteOut>,
    pub figures: Vec<Figure>,
}

/// Longest speaker phrase, in words, looked up by name when no mention
/// was recognized in it.
const MAX_RESOLVED_SPEAKER_WORDS: usize = 2;

/// What names a quote's speaker, before linking.
#[derive(Debug, Clone, PartialEq)]
enum SpeakerRef {
    /// The index of a mention.
    Mention(usize),
    /// The part of a mention inside the speaker phrase, when the
    /// recognizer's span ran on past it («كامبل لرويترز»): linked by
    /// itself, so the medium does not become part of a person's name.
    Clipped(String, EntityType),
}

/// A speaker phrase and what names it.
type Named = (String, Option<SpeakerRef>);

/// Facts of an article before linking: what [`find_facts`] sees in the
/// text alone, so articles can be read in parallel and linked in order.
#[derive(Debug, Clone)]
pub struct FoundFacts {
    mentions: Vec<Mention>,
    /// (speaker phrase, its first person or organization, text).
    quotes: Vec<(String, Option<SpeakerRef>, String)>,
    figures: Vec<Figure>,
}

/// Finds the facts of an article (`title`, then `body`).
pub fn article_facts(
    model: &Model,
    linker: &mut Linker,
    title: Option<&str>,
    body: &str,
) -> ArticleFacts {
    link_facts(find_facts(model, title, body), linker)
}

/// The text-only half of [`article_facts`]: no linker, so it runs on any thread.
/// Mention offsets are in `title + "\n\n" + body` (or `body` without a title).
pub fn find_facts(model: &Model, title: Option<&str>, body: &str) -> FoundFacts {
    let text = match title {
        Some(t) if !t.trim().is_empty() => format!("{t}\n\n{body}"),
        _ => body.to_owned(),
    };
    let found = mentions(model, &text);
    let quotes = resolve_speakers(&text, &found, quotes(&text), &speech_acts(&text));
    FoundFacts {
        figures: figures(&text),
        mentions: found,
        quotes,
    }
}

/// Farthest back, in bytes, that a verb without a speaker («وأضاف:»)
/// looks for the person it reports.
const MAX_ANTECEDENT_BYTES: usize = 600;

/// Farthest back, in bytes, from one verb to the speech act it goes on
/// with («كشف مصدر … أن …. وأضاف: "…"»): longer than
/// [`MAX_ANTECEDENT_BYTES`], since the report between them may run over
/// several sentences.
const MAX_SPEECH_ACT_BYTES: usize = 1200;

/// Words after a definite noun that say it is the one named before:
/// «المصدر نفسه», «المسؤول ذاته».
const REFLEXIVES: &[&str] = &["نفسه", "نفسها", "ذاته", "ذاتها"];

/// Words that make the name after them a modifier of the speaker rather
/// than the speaker: «مسؤول في إدارة بايدن», «المتحدث باسم الرئيس بوتين».
const GOVERNING_WORDS: &[&str] = &[
    "في",
    "من",
    "عن",
    "لدي",
    "مع",
    "باسم",
    "اداره",
    "حكومه",
    "مكتب",
    "حمله",
    "نظام",
    "مقرب",
    "المقرب",
    "مقربون",
    "المقربون",
    "المقربين",
    "انصار",
    "عائله",
];

/// Role nouns that head a phrase naming a person by office («قائد أرسنال
/// السابق», «وزير الدفاع الأمريكي»), besides the titles of
/// [`crate::link::is_title`]; in matching-key form. «مسؤول آخر» is not
/// among them: it brings in someone new.
const EPITHET_HEADS: &[&str] = &[
    "قائد",
    "القائد",
    "مدرب",
    "المدرب",
    "لاعب",
    "اللاعب",
    "نجم",
    "النجم",
    "مدير",
    "المدير",
    "مستشار",
    "المستشار",
    "امين",
    "الامين",
    "نائب",
    "سفير",
    "وزيره",
    "الوزيره",
    "رئيسه",
    "الرئيسه",
];

/// The matching key of a phrase's first word ("" for none).
fn first_key(phrase: &str) -> String {
    phrase
        .split_whitespace()
        .next()
        .map(normalize::matching_key)
        .unwrap_or_default()
}

/// Whether a speaker phrase opens with an office: an epithet of someone.
fn heads_an_epithet(phrase: &str) -> bool {
    let first = first_key(phrase);
    is_title(&first) || EPITHET_HEADS.contains(&first.as_str())
}

/// Whether a word's matching key is one of [`GOVERNING_WORDS`] (listed
/// in matching-key form).
fn governs_a_name(key: &str) -> bool {
    GOVERNING_WORDS.contains(&key)
}

/// The speaker phrase `text[s..e]` and what names it: its first person
/// not governed by the phrase's words before it (skipping titles), else
/// its first organization.
fn name_phrase(text: &str, found: &[Mention], s: usize, e: usize) -> Named {
    let inside = |m: &Mention| m.start < e && s < m.end;
    let person = found.iter().position(|m| {
        m.ty == EntityType::Person && inside(m) && !governed(&text[s.min(m.start)..m.start])
    });
    let entity = person
        .or_else(|| {
            found
                .iter()
                .position(|m| m.ty == EntityType::Organization && inside(m))
        })
        .map(|i| {
            let m = &found[i];
            // The phrase was cut before a medium the span took in.
            match before_a_medium(&m.text).filter(|_| m.end > e) {
                Some(name) => SpeakerRef::Clipped(name.to_owned(), m.ty),
                None => SpeakerRef::Mention(i),
            }
        });
    (text[s..e].trim().to_owned(), entity)
}

/// The noun a definite phrase refers back with: «المصدر» (or «المصدر
/// نفسه») → «مصدر»; `None` for any other phrase.
fn anaphor(phrase: &str) -> Option<String> {
    let mut words = phrase.split_whitespace();
    let head = normalize::matching_key(words.next()?);
    let rest: Vec<String> = words.map(normalize::matching_key).collect();
    if rest.len() > 1 || rest.iter().any(|w| !REFLEXIVES.contains(&w.as_str())) {
        return None;
    }
    let noun = head.strip_prefix("ال")?;
    (noun.chars().count() >= 3).then(|| noun.to_owned())
}

/// Whether a speaker phrase opens with `noun`, the article aside:
/// «مصدر مقرب من الحكومة» for «المصدر».
fn headed_by(phrase: &str, noun: &str) -> bool {
    let first = first_key(phrase);
    first.strip_prefix("ال").unwrap_or(&first) == noun
}

/// Each quote's speaker phrase, what names the speaker, and the text.
///
/// A named phrase names its speaker by [`name_phrase`]; a definite noun
/// that an earlier speaker phrase opens with («وأضاف المصدر» after «كشف
/// مصدر مقرب …») is that speaker. A verb without a speaker reports
/// whoever was named last: the speaker of the previous quote or a person
/// named after it, outside any quotation, within
/// [`MAX_ANTECEDENT_BYTES`]. A continuing verb («وأضاف», «وتابع») goes
/// on with the last speech act instead, quoted or not, when one of its
/// gender comes after the previous quote within [`MAX_SPEECH_ACT_BYTES`].
fn resolve_speakers(
    text: &str,
    found: &[Mention],
    quotes: Vec<Quote>,
    acts: &[SpeechAct],
) -> Vec<(String, Option<SpeakerRef>, String)> {
    let in_quote_at = |s: usize, e: usize| quotes.iter().any(|q| s < q.at.1 && q.at.0 < e);
    let in_quote = |m: &Mention| in_quote_at(m.start, m.end);
    // Speech acts outside quotations, each with its speaker named; a
    // definite noun goes back to the last act it heads. The quotations by
    // start, each with the farthest end so far: a point is inside one when
    // the farthest end before it lies beyond it (one binary search per
    // act, however many quotes).
    let mut spans: Vec<(usize, usize)> = quotes.iter().map(|q| q.at).collect();
    spans.sort_unstable();
    let reach: Vec<usize> = spans
        .iter()
        .scan(0, |far, &(_, e)| {
            *far = e.max(*far);
            Some(*far)
        })
        .collect();
    let quoted = |at: usize| {
        let n = spans.partition_point(|&(s, _)| s <= at);
        n > 0 && reach[n - 1] > at
    };
    let acts: Vec<&SpeechAct> = acts.iter().filter(|a| !quoted(a.at)).collect();
    let mut act_names: Vec<Named> = Vec::with_capacity(acts.len());
    for (i, act) in acts.iter().enumerate() {
        let (s, e) = act.speaker;
        let own = name_phrase(text, found, s, e);
        let earlier = anaphor(&own.0)
            .filter(|_| own.1.is_none())
            .and_then(|noun| {
                acts[..i]
                    .iter()
                    .zip(&act_names)
                    .rev()
                    .take_while(|(a, _)| act.at.saturating_sub(a.at) <= MAX_SPEECH_ACT_BYTES)
                    .find(|(_, (phrase, _))| headed_by(phrase, &noun))
                    .map(|(_, named)| named.clone())
            });
        act_names.push(earlier.unwrap_or(own));
    }
    // The speech acts within reach before `at`, latest first.
    let acts_before = |at: usize| {
        let end = acts.partition_point(|a| a.at < at);
        acts[..end]
            .iter()
            .zip(&act_names[..end])
            .rev()
            .take_while(move |(a, _)| at - a.at <= MAX_SPEECH_ACT_BYTES)
    };
    let mut out: Vec<(String, Option<SpeakerRef>, String)> = Vec::with_capacity(quotes.len());
    // The previous quote: where its text ends, its speaker and mention.
    let mut previous: Option<(usize, usize)> = None;
    // Each kept quote: where its verb starts, its index in `out`.
    let mut spoken: Vec<(usize, usize)> = Vec::with_capacity(quotes.len());
    for q in &quotes {
        // Who an implicit speaker at `at` is: the person named last or the
        // previous quote's speaker, whichever is later («الذي قال», «إذ
        // قال» report whoever was named last), except that a continuing
        // verb («وأضاف») goes on with the previous speaker.
        let refer_back = |at: usize, continuing: bool| -> Option<Named> {
            let person = found.iter().enumerate().rfind(|(_, m)| {
                m.ty == EntityType::Person
                    && m.end <= at
                    && at - m.end <= MAX_ANTECEDENT_BYTES
                    && !in_quote(m)
            });
            let earlier =
                previous.filter(|&(end, _)| end <= at && at - end <= MAX_ANTECEDENT_BYTES);
            let person_is_later = match (person, earlier) {
                (Some((_, m)), Some((end, _))) => m.end > end,
                (Some(_), None) => true,
                (None, _) => false,
            };
            let take_person = person_is_later && !(continuing && earlier.is_some());
            match (person, earlier) {
                (Some((i, m)), _) if take_person => Some(match before_a_medium(&m.text) {
                    Some(name) => (
                        name.to_owned(),
                        Some(SpeakerRef::Clipped(name.to_owned(), m.ty)),
                    ),
                    None => (m.text.clone(), Some(SpeakerRef::Mention(i))),
                }),
                (_, Some((_, k))) => Some((out[k].0.clone(), out[k].1.clone())),
                _ => None,
            }
        };
        // A continuing verb at `verb`: the last speech act of its gender
        // after the previous quote («كشف مصدر … أن …. وأضاف: "…"»),
        // else as [`refer_back`].
        let go_on = |verb: usize, at: usize| -> Option<Named> {
            let since = previous.map_or(0, |(end, _)| end);
            let feminine = feminine_verb(&text[verb..]);
            acts_before(verb)
                .take_while(|(a, _)| a.at >= since)
                .find(|(a, _)| feminine_verb(&text[a.at..]) == feminine)
                .map(|(_, named)| named.clone())
                .or_else(|| refer_back(at, true))
        };
        let resolved = match q.speaker {
            Speaker::Named(s, e) => {
                let own = name_phrase(text, found, s, e);
                let person = matches!(&own.1, Some(r) if ref_type(found, r) == EntityType::Person);
                let epithet = q.continuing && !person && heads_an_epithet(&text[s..e]);
                // «وأضاف المصدر»: the source the text named before.
                let anaphoric = || {
                    let noun = anaphor(&own.0).filter(|_| own.1.is_none())?;
                    let act = acts_before(q.verb)
                        .find(|(_, (phrase, _))| headed_by(phrase, &noun))
                        .map(|(a, named)| (a.at, named.clone()));
                    let quoted = spoken
                        .iter()
                        .rev()
                        .take_while(|&&(at, _)| q.verb.saturating_sub(at) <= MAX_SPEECH_ACT_BYTES)
                        .find(|&&(_, k)| headed_by(&out[k].0, &noun))
                        .map(|&(at, k)| (at, (out[k].0.clone(), out[k].1.clone())));
                    match (act, quoted) {
                        (Some(a), Some(b)) => Some(if a.0 > b.0 { a.1 } else { b.1 }),
                        (a, b) => a.or(b).map(|(_, named)| named),
                    }
                };
                let back = if epithet { go_on(q.verb, s) } else { None };
                back.or_else(anaphoric).unwrap_or(own)
            }
            // Said by someone the text does not name nearby: the quote
            // stays, its speaker unknown.
            Speaker::Antecedent(at) => refer_back(at, false).unwrap_or_default(),
            Speaker::Previous(at) => go_on(at, at).unwrap_or_default(),
        };
        let (speaker, entity) = resolved;
        // «وفق الأنظمة» attributes nothing: only a named source counts,
        // and a name in quote marks («بحسب "الوطن"») is one.
        let cited = match q.speaker {
            Speaker::Named(s, e) => with_marks(text, s, e),
            _ => &speaker,
        };
        if q.attributed && entity.is_none() && !names_a_source(cited) {
            continue;
        }
        previous = Some((q.at.1, out.len()));
        spoken.push((q.verb, out.len()));
        out.push((speaker, entity, q.text.clone()));
    }
    out
}

/// The type of what names a speaker.
fn ref_type(found: &[Mention], r: &SpeakerRef) -> EntityType {
    match r {
        SpeakerRef::Mention(i) => found[*i].ty,
        SpeakerRef::Clipped(_, ty) => *ty,
    }
}

/// `text[start..end]` with the quote marks right around it, if any.
fn with_marks(text: &str, start: usize, end: usize) -> &str {
    let open = text[..start]
        .chars()
        .next_back()
        .filter(|c| matches!(c, '"' | '“' | '«'))
        .map_or(0, char::len_utf8);
    let close = text[end..]
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '”' | '»'))
        .map_or(0, char::len_utf8);
    &text[start - open..end + close]
}

/// Whether the words before a name in its speaker phrase make it a
/// modifier: the last word that is not a title governs it.
fn governed(before: &str) -> bool {
    before
        .split_whitespace()
        .rev()
        .map(|w| normalize::matching_key(w.trim_end_matches(['،', ','])))
        .find(|k| !k.is_empty() && !is_title(k))
        .is_some_and(|k| governs_a_name(&k))
}

/// The linking half of [`article_facts`]: links the mentions in order.
pub fn link_facts(found: FoundFacts, linker: &mut Linker) -> ArticleFacts {
    let linked: Vec<(Mention, usize)> = found
        .mentions
        .into_iter()
        .map(|m| {
            let id = linker.link(&m.text, m.ty);
            (m, id)
        })
        .collect();
    let quotes = found
        .quotes
        .into_iter()
        .map(|(speaker, mention, text)| {
            // A speaker the recognizer missed («وتقول سترول») may still be
            // a known person's short name.
            let entity = match mention {
                Some(SpeakerRef::Mention(i)) => Some(linked[i].1),
                Some(SpeakerRef::Clipped(name, ty)) => Some(linker.link(&name, ty)),
                None => None,
            };
            let entity = entity.or_else(|| {
                (speaker.split_whitespace().count() <= MAX_RESOLVED_SPEAKER_WORDS)
                    .then(|| linker.resolve(&speaker, EntityType::Person))
                    .flatten()
            });
            (speaker, entity, text)
        })
        .collect();
    ArticleFacts {
        mentions: linked,
        quotes,
        figures: found.figures,
    }
}

impl ArticleFacts {
    /// Each mention with its entity id in the linker.
    pub fn mentions(&self) -> &[(Mention, usize)] {
        &self.mentions
    }

    /// Each quote: the speaker phrase, its entity id if one is named, the text.
    pub fn quotes(&self) -> &[(String, Option<usize>, String)] {
        &self.quotes
    }

    pub fn figures(&self) -> &[Figure] {
        &self.figures
    }

    /// The facts with entity names as the linker knows them now.
    pub fn render(&self, linker: &Linker) -> Rendered {
        Rendered {
            entities: self
                .mentions
                .iter()
                .map(|(m, id)| EntityOut {
                    text: m.text.clone(),
                    ty: m.ty,
                    entity: linker.entity(*id).name.clone(),
                })
                .collect(),
            quotes: self
                .quotes
                .iter()
                .map(|(speaker, id, text)| QuoteOut {
                    speaker: speaker.clone(),
                    speaker_entity: id.map(|id| linker.entity(id).name.clone()),
                    text: text.clone(),
                })
                .collect(),
            figures: self.figures.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_quotes_and_figures_of_an_article() {
        let mut linker = Linker::with_gazetteer(Model::embedded().gazetteer().clone());
        let body = "وقال وزير الدفاع الأمريكي لويد أوستن إن \"نحو 2500 جندي سيبقون في العراق\".\n\
                    وأضاف أوستن أن بغداد شريك مهم.";
        let facts = article_facts(Model::embedded(), &mut linker, Some("أوستن في بغداد"), body);
        let shown = facts.render(&linker);
        assert!(
            shown.entities.iter().any(|e| e.entity == "لويد أوستن"),
            "{shown:?}"
        );
        // Every «أوستن» links to the full name.
        for e in shown.entities.iter().filter(|e| e.text.contains("أوستن")) {
            assert_eq!(e.entity, "لويد أوستن");
        }
        assert_eq!(shown.quotes.len(), 1, "{shown:?}");
        assert_eq!(
            shown.quotes[0].speaker_entity.as_deref(),
            Some("لويد أوستن")
        );
        assert!(
            shown
                .figures
                .iter()
                .any(|f| f.value == 2500.0 && f.unit == "جندي"),
            "{shown:?}"
        );
    }

    #[test]
    fn governing_words_are_in_matching_key_form() {
        for &word in GOVERNING_WORDS {
            assert_eq!(normalize::matching_key(word), word);
        }
    }

    #[test]
    fn speakers_are_named_people_or_the_last_one_named() {
        let mut linker = Linker::with_gazetteer(Model::embedded().gazetteer().clone());
        let body = "وقال مسؤول بارز في إدارة الرئيس جو بايدن \"المرحلة جديدة\".\n\
                    وقال المتحدث باسم البنتاغون جون كيربي في بيان \"نحن ملتزمون\".\n\
                    وأضاف: \"سنواصل التدريب معهم\".\n\
                    وكان وزير الدفاع لويد أوستن قد زار بغداد، إذ قال للصحفيين \"قواتنا جاهزة لكل المهام\".";
        let facts = article_facts(Model::embedded(), &mut linker, None, body);
        let shown = facts.render(&linker);
        let who: Vec<(&str, Option<&str>)> = shown
            .quotes
            .iter()
            .map(|q| (q.speaker.as_str(), q.speaker_entity.as_deref()))
            .collect();
        assert_eq!(
            who,
            [
                // An official of Biden's administration, not Biden.
                ("مسؤول بارز في إدارة الرئيس جو بايدن", None),
                // The spokesman, not the Pentagon he speaks for.
                ("المتحدث باسم البنتاغون جون كيربي", Some("جون كيربي")),
                // «وأضاف» continues the previous speaker.
                ("المتحدث باسم البنتاغون جون كيربي", Some("جون كيربي")),
                // «إذ قال» reports the person just named.
                ("لويد أوستن", Some("لويد أوستن")),
            ],
            "{shown:?}"
        );
    }

    fn speakers_of(body: &str) -> Vec<(String, Option<String>)> {
        let mut linker = Linker::with_gazetteer(Model::embedded().gazetteer().clone());
        let facts = article_facts(Model::embedded(), &mut linker, None, body);
        facts
            .render(&linker)
            .quotes
            .into_iter()
            .map(|q| (q.speaker, q.speaker_entity))
            .collect()
    }

    #[test]
    fn a_continuing_verb_goes_on_with_an_unnamed_source() {
        let source = ("مصدر مقرب من الحكومة".to_owned(), None);
        // A person named in the report did not say the next quote.
        let body = "كشف مصدر مقرب من الحكومة أن الرئيس جو بايدن سيزور بغداد الأسبوع المقبل. \
                    وأضاف: \"الزيارة ستشمل لقاءات مع قادة الفصائل\".";
        assert_eq!(speakers_of(body), std::slice::from_ref(&source));
        let body = "كشف مصدر مقرب من الحكومة أن الرئيس جو بايدن سيزور بغداد الأسبوع المقبل. \
                    وتابع المصدر: \"الزيارة ستشمل لقاءات مع قادة الفصائل\".";
        assert_eq!(speakers_of(body), std::slice::from_ref(&source));
        // After a quote, the later act wins; «المصدر» is the one named before.
        let body = "وقال لويد أوستن إن \"القوات باقية في العراق\". \
                    وذكر مصدر مقرب من الحكومة أن الرئيس جو بايدن سيزور بغداد. \
                    وأضاف المصدر نفسه: \"الزيارة ستشمل لقاءات مع قادة الفصائل\".";
        let got = speakers_of(body);
        assert_eq!(got[1], source, "{got:?}");
        // A feminine act is someone else's: «وأضاف» goes on with أوستن.
        let body = "وقال لويد أوستن إن \"القوات باقية في العراق\". \
                    وذكرت الوزارة أن الزيارة مؤجلة. \
                    وأضاف: \"الزيارة ستشمل لقاءات مع قادة الفصائل\".";
        let got = speakers_of(body);
        assert_eq!(got[1].1.as_deref(), Some("لويد أوستن"), "{got:?}");
    }

    #[test]
    fn a_medium_the_span_took_in_is_cut_off_the_speaker() {
        let body = "وقال أليستر كامبل لرويترز إن \"الحملة تجاوزت كل التوقعات\".";
        let got = speakers_of(body);
        assert_eq!(got[0].0, "أليستر كامبل", "{got:?}");
        assert!(
            got[0].1.as_deref().is_none_or(|e| !e.contains("رويترز")),
            "{got:?}"
        );
        // Whatever the recognizer's span, the entity is linked on the
        // phrase that is left.
        let text = "وقال كامبل لرويترز إن";
        let start = text.find("كامبل").unwrap_or_default();
        let span = Mention {
            text: "كامبل لرويترز".to_owned(),
            start,
            end: text.find(" إن").unwrap_or_default(),
            ty: EntityType::Person,
        };
        assert_eq!(&text[span.start..span.end], span.text);
        let named = name_phrase(text, &[span], start, start + "كامبل".len());
        assert_eq!(named.0, "كامبل");
        assert_eq!(
            named.1,
            Some(SpeakerRef::Clipped("كامبل".to_owned(), EntityType::Person))
        );
    }

    #[test]
    fn anaphors() {
        assert_eq!(anaphor("المصدر").as_deref(), Some("مصدر"));
        assert_eq!(anaphor("المسؤول ذاته").as_deref(), Some("مسؤول"));
        assert_eq!(anaphor("مصدر"), None);
        assert_eq!(anaphor("المصدر الأمني"), None);
        assert_eq!(anaphor(""), None);
        assert!(headed_by("مصدر مقرب من الحكومة", "مصدر"));
        assert!(!headed_by("مصادر مطلعة", "مصدر"));
        for &word in REFLEXIVES {
            assert_eq!(normalize::matching_key(word), word);
        }
    }

    #[test]
    fn a_quoted_name_after_bihasab_is_a_source() {
        let body = "شدد الوزير على التعاون مع الفرق، مؤكداً محاسبة المقصرين، بحسب “الوطن”. \
                    وتم ضبط المخالفين وفق الأنظمة.";
        let quotes = speakers_of(body);
        assert_eq!(quotes.len(), 1, "{quotes:?}");
        assert_eq!(quotes[0].0, "الوطن");
        assert_eq!(with_marks("قال «س» أمس", 9, 11), "«س»");
        assert_eq!(with_marks("قال س", 7, 9), "س");
    }

    #[test]
    fn an_epithet_after_a_continuing_verb_is_the_last_speaker() {
        let body = "وقال لويد أوستن إن \"القوات باقية في العراق\". وأضاف وزير الدفاع الأمريكي \
                    \"لن نغادر قبل انتهاء المهمة\". وقال رئيس الوزراء العراقي: \"نرحب بالاتفاق الجديد\". \
                    وأضافت صحيفة الغارديان: \"الاتفاق يغير المشهد\".";
        let who = speakers_of(body);
        let austin = ("لويد أوستن".to_owned(), Some("لويد أوستن".to_owned()));
        assert_eq!(who[..2], [austin.clone(), austin], "{who:?}");
        // «قال» does not continue: a new, unnamed speaker.
        assert_eq!(who[2].0, "رئيس الوزراء العراقي", "{who:?}");
        // A newspaper is no office: «وأضافت صحيفة …» brings in a new speaker.
        assert_eq!(who[3].0, "صحيفة الغارديان", "{who:?}");
    }
}
