//! Quotes: article text in, [`Quote`]s (who said it and what) out.
//!
//! Four patterns, matched on display-normalized text:
//! - reported speech: «عن» the speaker, then «قوله/قولها» and a quotation;
//! - a speech verb (قال/أضاف/أكد/أوضح/أشار/صرح, with و/ف and feminine
//!   forms), the speaker, then إن/أن/:/، or nothing, and a quotation in
//!   `" “ ” « »`;
//! - a quotation, then «، قال X» after it;
//! - attribution without quote marks: «بحسب/وفق/وفقا لـ/نقلا عن X», where
//!   the quote text is the sentence before the attribution.
//!
//! The speaker phrase is cut to who speaks: the report after إن/أن, and
//! the audience, medium, time and occasion after the name («للصحفيين»,
//! «لوكالة …», «لرويترز», «الخميس», «في بيان») are not the speaker.
//! [`speech_acts`] finds who speaks where no quotation follows («كشف
//! مصدر مقرب من الحكومة أن …»), for a later «وأضاف: "…"» to go on
//! with. A verb with no speaker of its own («وأضاف:», «الذي قال», «قال
//! للصحفيين») reports the person named last before it:
//! [`Speaker::Antecedent`], resolved by the caller, who knows the names. A quoted name after «لـ» («في حديث
//! لـ"بغداد اليوم"») or after a head noun («شركة "…"», «فيلم "…"») is a
//! name, not a quotation.

use crate::scan::{group, StartedPattern};
use rasd_text::normalize;
use std::sync::OnceLock;

/// Longest quotation kept, in bytes (longer ones are not quotes but
/// unbalanced quote marks).
const MAX_QUOTE_BYTES: usize = 2000;

/// Fewest words of a quotation with a named speaker (one more without).
const MIN_QUOTE_WORDS: usize = 2;

/// Who said a quote, as far as the text itself tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speaker {
    /// The bytes naming the speaker.
    Named(usize, usize),
    /// No speaker at the verb that starts at this byte: the person the
    /// text named last before it.
    Antecedent(usize),
    /// A continuation verb («وأضاف») at this byte: the previous quote's
    /// speaker, or the person named last when no quote came before.
    Previous(usize),
}

/// One quote: who said it, what was said, and where that is in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub speaker: Speaker,
    pub text: String,
    /// Byte range of the quoted text (of the attributed sentence, for
    /// «بحسب X»).
    pub at: (usize, usize),
    /// Found by «بحسب/وفق X» without quote marks: «وفق الأنظمة» is "in
    /// accordance with the rules", so the caller keeps it only when X
    /// names a source (see [`names_a_source`]).
    pub attributed: bool,
    /// Its verb goes on with someone already quoted («وأضاف», «وتابع»): a
    /// named phrase there with no person in it is an epithet of the last
    /// speaker («وأضاف قائد أرسنال السابق» after «قال كامبل»).
    pub continuing: bool,
    /// Byte where the match starts: the verb, for a verb before the
    /// quotation.
    pub verb: usize,
}

/// Heads of a phrase that names where a report comes from: «وفق مصادر»,
/// «بحسب بيان», «نقلا عن وكالة …».
const SOURCE_WORDS: &[&str] = &[
    "مصدر",
    "مصادر",
    "بيان",
    "وكاله",
    "وكالات",
    "صحيفه",
    "صحف",
    "موقع",
    "قناه",
    "تقرير",
    "تقارير",
    "مسؤول",
    "مسؤولين",
    "مسؤولون",
    "متحدث",
    "ناطق",
    "شهود",
    "شاهد",
    "مراسل",
    "وزاره",
    "وزير",
    "شرطه",
    "جيش",
    "رئيس",
    "مدير",
    "تصريح",
    "تصريحات",
    "خبراء",
    "خبير",
    "محللون",
    "مراقبون",
    "احصاءات",
    "ارقام",
    "بيانات",
    "دراسه",
    "استطلاع",
    "منظمه",
    "هيئه",
    "لجنه",
    "مجلس",
    "جهاز",
    "وسائل",
    "اعلام",
    "تلفزيون",
    "اذاعه",
    "سكان",
    "ناشطون",
    "ناشطين",
    "اطباء",
    "مسعفون",
    "مستشفي",
    "حكومه",
    "سلطات",
    "مكتب",
    "مركز",
    "مرصد",
    "معهد",
    "مؤسسه",
    "شركه",
    "بنك",
    "صندوق",
    "الامم",
    "حسابه",
    "حسابها",
];

/// Whether a speaker phrase starts with a word of [`SOURCE_WORDS`] (the
/// article ال and the conjunction و aside), or with a short name in quote
/// marks: «بحسب "الوطن"» cites a newspaper.
pub fn names_a_source(phrase: &str) -> bool {
    let phrase = phrase.trim_start();
    if let Some(rest) = phrase.strip_prefix(['"', '“', '«']) {
        if let Some(end) = rest.find(['"', '”', '»']) {
            let words = rest[..end].split_whitespace().count();
            if (1..=4).contains(&words) {
                return true;
            }
        }
    }
    let Some(first) = phrase.split_whitespace().next() else {
        return false;
    };
    let first = normalize::matching_key(first);
    let known = |w: &str| {
        SOURCE_WORDS.contains(&w)
            || w.strip_prefix("ال")
                .is_some_and(|b| SOURCE_WORDS.contains(&b))
    };
    known(&first) || first.strip_prefix('و').is_some_and(known)
}

const VERB: &str = r"(?:[وف])?(?:قال|قالت|أضاف|أضافت|اضاف|اضافت|أكد|أكدت|اكد|اكدت|أوضح|أوضحت|اوضح|اوضحت|أشار|أشارت|اشار|اشارت|صرح|صرحت|تابع|تابعت|حذر|حذرت|يقول|تقول|يضيف|تضيف|مؤكدا|مؤكدة|مشيرا|مشيرة|موضحا|موضحة|مضيفا|مضيفة|لافتا|لافتة|مشددا|مشددة)";
const OPEN: &str = "[\"“«]";
const CLOSE: &str = "[\"”»]";
const NOT_CLOSE: &str = "[^\"”»\n]";

/// A character of a speaker phrase before the quote: no quote mark, colon
/// or line break, and no sentence end («أكد الصفدي أن …. وقال فيصل: "…"»
/// is فيصل's quote), except the period of a one-letter abbreviation
/// («د. محمد») and one inside a word («بي.بي.سي»).
const SPEAKER_CHAR: &str = r"(?:[^:\n\x22“«.!?؟]|\b\w\.|\.[^\s:\x22“«.!?؟])";

fn patterns() -> &'static [StartedPattern; 4] {
    static PATTERNS: OnceLock<[StartedPattern; 4]> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        // Each pattern's matches start where its first word or mark does.
        let starts = [
            "عن".to_owned(),
            VERB.to_owned(),
            OPEN.to_owned(),
            "بحسب|وبحسب|حسب|وفق|وفقا ل|وفقاً ل|نقلا عن|نقلاً عن".to_owned(),
        ];
        let mut starts = starts.into_iter();
        let mut build = |p: String| {
            let start = starts.next().unwrap_or_default();
            StartedPattern::new(&p, &start).expect("static quote pattern")
        };
        [
            // (نقل …) عن SPEAKER ، قوله/قولها (إن|أن|:)? "TEXT"
            build(format!(
                r"\bعن\s+(?P<speaker>(?:\b\w\.|[^\s:،,.\x22“«]){SPEAKER_CHAR}{{1,160}}?)\s*[،,]?\s*(?:قوله|قولها|قولهم)\s*(?:(?:إن|أن|ان|إنه|أنه)\s*|:\s*)?{OPEN}(?P<text>{NOT_CLOSE}{{2,}}){CLOSE}"
            )),
            // verb SPEAKER? (إن|أن|:|،)? "TEXT"
            build(format!(
                r"\b{VERB}(?:\s+(?P<speaker>(?:\b\w\.|[^\s:،,.\x22“«]){SPEAKER_CHAR}{{1,80}}?))?(?:\s*[،,]?\s+(?:إن|أن|ان|إنه|أنه)\b\s*|\s*[:،,]\s*|\s*){OPEN}(?P<text>{NOT_CLOSE}{{2,}}){CLOSE}"
            )),
            // "TEXT" ، قال SPEAKER
            build(format!(
                r"{OPEN}(?P<text>{NOT_CLOSE}{{2,}}){CLOSE}\s*[،,]?\s*{VERB}\s+(?P<speaker>[^\n.،,:؛]{{2,80}})"
            )),
            // بحسب SPEAKER
            build(r"\b(?:بحسب|وبحسب|حسب|وفق|وفقا ل|وفقاً ل|نقلا عن|نقلاً عن)\s+(?:ما\s+(?:(?:قال|قالت|ذكر|ذكرت|أفاد|أفادت|افاد|افادت|أعلن|أعلنت|اعلن|اعلنت|أورد|أوردت|اورد|اوردت|نقل|نقلت|نقلته|يقول|تقول|يتوقع|يرى|ترى|أكد|أكدت|اكد|اكدت|أوضح|أوضحت|اوضح|اوضحت|كشف|كشفت|أشار|أشارت|اشار|اشارت)\s+(?:به\s+|بها\s+)?)?)?(?P<speaker>[^\n.،,:؛]{2,80})".to_owned()),
        ]
    })
}

/// Start of the sentence that ends at byte `end`.
fn sentence_start(text: &str, end: usize) -> usize {
    // The end mark's own width: «؟» is two bytes.
    text[..end]
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, '.' | '!' | '?' | '؟' | '\n'))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

// The word lists below are in matching-key form (hamza on alef, taa
// marbuta, alef maqsura and harakat folded; `normalize::matching_key`),
// so one entry covers «إنّ/أن/ان» or «أيضاً/ايضا»; a test checks the form.

/// Words that start the report, not the speaker: «قال الوزير إن …».
const REPORT_WORDS: &[&str] = &["ان", "انه", "انها", "انهم", "بان", "بانه"];

/// Longest phrase read as an adverbial rather than a speaker.
const MAX_ADVERBIAL_WORDS: usize = 3;

/// Words after the speaker that say to whom, through what, when or where
/// it was said: «للصحفيين», «لوكالة …», «الخميس», «خلال …».
const CONTEXT_WORDS: &[&str] = &[
    "للصحفيين",
    "للصحافيين",
    "للصحافه",
    "للاعلام",
    "لوسائل",
    "لوكاله",
    "لصحيفه",
    "لجريده",
    "لقناه",
    "لموقع",
    "لاذاعه",
    "لتلفزيون",
    "لمراسل",
    "ل",
    "يوم",
    "خلال",
    "عبر",
    "اثناء",
    "قبل",
    "بعد",
    "فيه",
    "فيها",
    "فيما",
    "حينها",
    "انذاك",
    "ايضا",
    "كذلك",
    "بدوره",
    "بدورها",
    "قائلا",
    "قائله",
    "بالقول",
];

/// «ل» and a medium or an audience after the speaker: «قال كامبل
/// لرويترز» (the recognizer's span often takes the medium in). Media that
/// are also common words («للوطن», «للمدينة») are not listed; their quoted
/// forms («لـ"الوطن"») are caught by [`is_medium`].
const MEDIUM_WORDS: &[&str] = &[
    "لرويترز",
    "لرويتر",
    "لفرانس",
    "لاسوشيتد",
    "لاسوشييتد",
    "لاسوشيتدبرس",
    "للاسوشيتد",
    "لبلومبرغ",
    "لبلومبيرغ",
    "لوكالات",
    "للوكاله",
    "للصحيفه",
    "للجريده",
    "لصحف",
    "للصحف",
    "للقناه",
    "لقنوات",
    "لشبكه",
    "للشبكه",
    "للاذاعه",
    "للتلفزيون",
    "للتلفزه",
    "لراديو",
    "للموقع",
    "لمجله",
    "للمجله",
    "للجزيره",
    "للعربيه",
    "لسكاي",
    "لواس",
    "لسبق",
    "لعكاظ",
    "للحياه",
    "لبي",
    "لسي",
];

/// One-word audiences that may come before the speaker («قال لرويترز
/// مسؤول …»), skipped there like a time word.
const LEADING_AUDIENCES: &[&str] = &[
    "للصحفيين",
    "للصحافيين",
    "لرويترز",
    "لفرانس",
    "لاسوشيتد",
    "لاسوشييتد",
    "لواس",
    "لسبق",
    "لعكاظ",
];

/// The second word of an agency's name after [`LEADING_AUDIENCES`].
const AGENCY_TAILS: &[&str] = &["برس", "بريس"];

/// The name before a medium the recognizer's span took in: «كامبل
/// لرويترز» → «كامبل»; `None` when the span ends in no medium.
pub(crate) fn before_a_medium(span: &str) -> Option<&str> {
    let mut at = 0;
    for (i, word) in span.split(' ').enumerate() {
        if i > 0 && is_medium(word) {
            return Some(span[..at].trim_end()).filter(|s| !s.is_empty());
        }
        at += word.len() + 1;
    }
    None
}

/// Whether a word says what medium it was said to: «لـ"الوطن"»,
/// «ل"الرياض"», «لـ(عكاظ)», or a medium of [`MEDIUM_WORDS`].
fn is_medium(word: &str) -> bool {
    if word.starts_with("لـ") {
        return true;
    }
    if word
        .strip_prefix('ل')
        .is_some_and(|rest| rest.starts_with(['"', '“', '«', '»', '(']))
    {
        return true;
    }
    let key = normalize::matching_key(word.trim_end_matches(['،', ',', ':']));
    MEDIUM_WORDS.contains(&key.as_str())
}

/// Times of day and days, before the speaker («قالت الخميس الوزيرة …») or
/// after it.
const TIME_WORDS: &[&str] = &[
    "اليوم",
    "امس",
    "الاحد",
    "الاثنين",
    "الثلاثاء",
    "الاربعاء",
    "الخميس",
    "الجمعه",
    "السبت",
    "مساء",
    "صباح",
];

/// Words a speaker phrase does not end with.
const DANGLING_WORDS: &[&str] = &[
    "إلى", "الى", "في", "فى", "من", "على", "عن", "مع", "لدى", "عبر", "خلال", "و",
];

/// Occasions: «في بيان», «في تصريح …», «في حديث …».
const OCCASION_WORDS: &[&str] = &[
    "بيان",
    "تصريح",
    "تصريحات",
    "حديث",
    "مقابله",
    "مؤتمر",
    "كلمه",
    "رساله",
    "تغريده",
    "منشور",
    "لقاء",
    "اتصال",
    "خطاب",
    "ختام",
    "افتتاح",
];

/// After a comma, the words that start a remark on the speaker rather
/// than an apposition («مسؤول، اشترط عدم الكشف عن هويته»).
const REMARK_WORDS: &[&str] = &[
    "اشترط",
    "طلب",
    "رفض",
    "مفضلا",
    "طالبا",
    "الذي",
    "التي",
    "والذي",
    "والتي",
];

/// Most words of a quoted name («لـ"بغداد اليوم"»).
const MAX_MEDIUM_WORDS: usize = 4;

/// The text with the quote marks around names blanked (each by one
/// whitespace char of the same byte length, so offsets and char
/// boundaries hold): media after «لـ/مع» and names after a head noun
/// («صحيفة», «شركة», «فيلم» …). «قال في حديث لـ"بغداد اليوم"، إن "…"»
/// quotes the words after إن, and the name is part of the speaker phrase.
fn mask_media(text: &str) -> std::borrow::Cow<'_, str> {
    static MEDIUM: OnceLock<regex::Regex> = OnceLock::new();
    let medium = MEDIUM.get_or_init(|| {
        regex::Regex::new(
            r#"(?:^|\s)(?:لـ|ل|مع|لوكالة|لصحيفة|لجريدة|لقناة|لموقع|لإذاعة|لاذاعة|لتلفزيون|وكالة|صحيفة|جريدة|قناة|موقع|إذاعة|اذاعة|شركة|مؤسسة|مجموعة|بنك|نادي|فندق|تطبيق|برنامج|مشروع|مبادرة|حملة|مهرجان|فيلم|مسلسل|كتاب|كتابه|كتابها|رواية|ديوان|وسم|هاشتاق|عنوان|بعنوان)\s*(?P<open>["“«])(?P<name>[^"”»\n]{1,60})(?P<close>["”»])"#,
        )
        .expect("static medium pattern")
    });
    let mut masked: Option<String> = None;
    for caps in medium.captures_iter(text) {
        let (Some(open), Some(name), Some(close)) =
            (caps.name("open"), caps.name("name"), caps.name("close"))
        else {
            continue;
        };
        if name.as_str().split_whitespace().count() > MAX_MEDIUM_WORDS {
            continue;
        }
        let out = masked.get_or_insert_with(|| text.to_owned());
        for mark in [open, close] {
            // One whitespace char of the mark's own byte length, so the
            // masked text has the same char boundaries as the text and
            // every match range slices both.
            let blank = match mark.len() {
                1 => " ",
                2 => "\u{85}",
                _ => "\u{2002}",
            };
            debug_assert_eq!(blank.len(), mark.len());
            out.replace_range(mark.range(), blank);
        }
    }
    masked.map_or(std::borrow::Cow::Borrowed(text), std::borrow::Cow::Owned)
}

/// Continuation verbs («وأضاف», «وتابعت») go on with the previous speaker.
fn continues(verb: &str) -> bool {
    let verb = verb.trim_start_matches(['و', 'ف']);
    ["أضاف", "اضاف", "تابع", "يضيف", "تضيف"]
        .iter()
        .any(|v| verb.starts_with(v))
        || is_participle(verb)
}

/// «مؤكدا», «مشيرة»: the circumstantial participle goes on with the
/// sentence's speaker, and what follows it is never a speaker.
fn is_participle(verb: &str) -> bool {
    ["مؤكد", "مشير", "موضح", "مضيف", "لافت", "مشدد"]
        .iter()
        .any(|v| verb.starts_with(v))
}

/// The speaker inside a phrase: cut at the report (إن/أن), at the first
/// word of audience, medium, time or occasion, and at a remark after a
/// comma; leading time words go. `None` when nothing of a speaker is left.
fn trim_speaker(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let phrase = &text[start..end];
    // Words with their byte offsets in the phrase, commas split off.
    let words: Vec<(usize, &str)> = phrase
        .split_inclusive(char::is_whitespace)
        .scan(0usize, |at, piece| {
            let offset = *at;
            *at += piece.len();
            Some((offset, piece.trim_end()))
        })
        .filter(|(_, w)| !w.is_empty())
        .collect();
    let bare = |w: &str| w.trim_end_matches(['،', ',']).to_owned();
    let key = |w: &str| normalize::matching_key(w.trim_end_matches(['،', ',']));
    let mut first = 0;
    // «قالت الخميس الوزيرة …», «قال لرويترز مسؤول …»: a time or an
    // audience before the speaker. Each step moves on one word, so this
    // ends within the phrase.
    while let Some(&(_, word)) = words.get(first) {
        let w = key(word);
        if TIME_WORDS.contains(&w.as_str()) {
            first += 1;
        } else if words.len() - first > 1 && LEADING_AUDIENCES.contains(&w.as_str()) {
            // «لفرانس برس»: the agency's second word goes with it.
            let agency = words
                .get(first + 1)
                .is_some_and(|&(_, n)| AGENCY_TAILS.contains(&key(n).as_str()));
            first += 1 + usize::from(agency && words.len() - first > 2);
        } else {
            break;
        }
    }
    // «قال في الوقت نفسه …»: a short phrase that opens with a preposition
    // is an adverbial, and the verb names no speaker. (Raw spellings here:
    // the key of «على» is the name «علي».)
    if words.len() - first <= MAX_ADVERBIAL_WORDS
        && words.get(first).is_some_and(|&(_, w)| {
            matches!(
                bare(w).as_str(),
                "في" | "فى" | "على" | "عن" | "إلى" | "الى" | "مع" | "من"
            )
        })
    {
        return None;
    }
    let mut last = words.len();
    for (i, &(_, word)) in words.iter().enumerate().skip(first) {
        let w = key(word);
        let next = words.get(i + 1).map(|&(_, n)| key(n)).unwrap_or_default();
        let occasion = matches!(w.as_str(), "في" | "وفي" | "عبر" | "ضمن")
            && OCCASION_WORDS.contains(&strip_al(&next));
        // «لـ"الوطن"», «لرويترز»: the medium it was said to.
        let medium = is_medium(word);
        // «الوزير، مشيرا إلى أن …»: what he said, not who he is.
        let participle = i > first && is_participle(word.trim_start_matches('و'));
        if [REPORT_WORDS, CONTEXT_WORDS, TIME_WORDS]
            .iter()
            .any(|list| list.contains(&w.as_str()))
            || occasion
            || medium
            || participle
        {
            last = i;
            break;
        }
        // A comma ends the phrase when a remark on the speaker follows it.
        if word.ends_with(['،', ',']) && REMARK_WORDS.contains(&next.as_str()) {
            last = i + 1;
            break;
        }
    }
    if first >= last {
        return None;
    }
    let from = start + words[first].0;
    let mut kept = text[from..start + words[last - 1].0 + words[last - 1].1.len()]
        .trim_end_matches(['،', ','])
        .trim_end();
    // Prepositions left dangling by the cut («… في» before «اليوم»).
    while let Some((rest, tail)) = kept.rsplit_once(' ') {
        if !DANGLING_WORDS.contains(&tail) {
            break;
        }
        kept = rest.trim_end();
    }
    let quotes: &[char] = &['"', '“', '”', '«', '»'];
    let unquoted = kept.trim_start_matches(quotes);
    let from = from + (kept.len() - unquoted.len());
    let kept = unquoted.trim_end_matches(quotes).trim_end();
    if kept.is_empty() || DANGLING_WORDS.contains(&kept) {
        return None;
    }
    Some((from, from + kept.len()))
}

/// «البيان» → «بيان»: occasion words are listed without the article.
fn strip_al(word: &str) -> &str {
    word.strip_prefix("ال").unwrap_or(word)
}

/// Verbs that report speech with or without a quotation: the quote
/// verbs and those that only introduce a report («كشف مصدر … أن …»).
const ACT_VERB: &str = r"(?:[وف])?(?:قال|قالت|أضاف|أضافت|اضاف|اضافت|أكد|أكدت|اكد|اكدت|أوضح|أوضحت|اوضح|اوضحت|أشار|أشارت|اشار|اشارت|صرح|صرحت|تابع|تابعت|حذر|حذرت|كشف|كشفت|ذكر|ذكرت|أفاد|أفادت|افاد|افادت|أعلن|أعلنت|اعلن|اعلنت|شدد|شددت|نفى|نفت|اعتبر|اعتبرت|رأى|رأت|يقول|تقول)";

/// Feminine forms of the speech verbs, in matching-key form: «وأضاف»
/// does not go on with what «قالت الوزارة» said.
const FEMININE_VERBS: &[&str] = &[
    "قالت",
    "اضافت",
    "اكدت",
    "اوضحت",
    "اشارت",
    "صرحت",
    "تابعت",
    "حذرت",
    "كشفت",
    "ذكرت",
    "افادت",
    "اعلنت",
    "شددت",
    "نفت",
    "اعتبرت",
    "رات",
    "تقول",
    "تضيف",
    "مؤكده",
    "مشيره",
    "موضحه",
    "مضيفه",
    "لافته",
    "مشدده",
];

/// Whether the verb that starts `text` is feminine.
pub fn feminine_verb(text: &str) -> bool {
    let verb = text
        .split(|c: char| c.is_whitespace() || matches!(c, ':' | '،' | ','))
        .next()
        .unwrap_or_default();
    let key = normalize::matching_key(verb);
    let bare = key.strip_prefix(['و', 'ف']).unwrap_or(&key);
    FEMININE_VERBS.contains(&bare) || FEMININE_VERBS.contains(&key.as_str())
}

/// A speech verb and who it says speaks, quoted or not: «كشف مصدر مقرب
/// من الحكومة أن …» names the one a later «وأضاف: "…"» goes on with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpeechAct {
    /// Byte where the verb starts.
    pub at: usize,
    /// The trimmed subject phrase.
    pub speaker: (usize, usize),
}

fn act_pattern() -> &'static StartedPattern {
    static PATTERN: OnceLock<StartedPattern> = OnceLock::new();
    PATTERN.get_or_init(|| {
        // verb SPEAKER (إن|أن|بأن|:): the report word or colon bounds the
        // subject, so «أعلنت الوزارة القبض على …» (no report) names none.
        // The report word is a word of its own: «حمدان» does not end in
        // «ان» here.
        let pattern = format!(
            r"\b{ACT_VERB}\s+(?P<speaker>(?:\b\w\.|[^\s:،,.\x22“«]){SPEAKER_CHAR}{{0,80}}?)(?:\s*[،,]\s*|\s+)(?:(?:إن|أن|ان|إنه|أنه|انه|إنها|أنها|انها|بأن|بان)\b|:)|\b{ACT_VERB}\s+(?P<speaker2>(?:\b\w\.|[^\s:،,.\x22“«]){SPEAKER_CHAR}{{0,80}}?)\s*:"
        );
        StartedPattern::new(&pattern, ACT_VERB).expect("static speech act pattern")
    })
}

/// Words before a verb that make its clause part of a report: «… بعدما
/// أعلن الرئيس أن …» does not say who speaks next.
const SUBORDINATORS: &[&str] = &[
    "بعدما",
    "عندما",
    "حينما",
    "لما",
    "حين",
    "بعد",
    "قبل",
    "منذ",
    "الذي",
    "التي",
    "الذين",
    "ان",
    "انه",
    "انها",
    "بان",
    "ما",
    "مما",
    "كلما",
    "لو",
    "اذا",
    "لان",
    "كي",
    "لكي",
    "حتي",
];

/// Words that end a speech act's subject: «نفت مصادر مقربة من الحزب ما
/// تم تداوله عن أن …» (the object follows the subject).
const OBJECT_WORDS: &[&str] = &["ما", "عن", "الى", "إلى", "على"];

/// A speech act's subject up to its object.
fn before_the_object(phrase: &str) -> &str {
    let mut end = phrase.len();
    let mut at = 0;
    for (i, word) in phrase.split(' ').enumerate() {
        if i > 0 && OBJECT_WORDS.contains(&word) {
            end = at;
            break;
        }
        at += word.len() + 1;
    }
    phrase[..end.min(phrase.len())]
        .trim_end()
        .trim_end_matches(['،', ','])
}

/// Whether the verb at `at` opens a sentence or a clause of its own, not
/// one inside a report. Looks at most one word back.
fn opens_a_clause(text: &str, at: usize) -> bool {
    // A word is rarely over 40 bytes; a longer run is no opener.
    let from = (0..=at.saturating_sub(48))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let before = text[from..at].trim_end();
    let Some(last) = before.chars().next_back() else {
        return true;
    };
    if matches!(last, '.' | '!' | '?' | '؟' | '\n' | ':' | '»' | '"' | '”') {
        return true;
    }
    let word = before
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or_default();
    !SUBORDINATORS.contains(&normalize::matching_key(word).as_str())
}

/// The speech acts of `text` that name a speaker, in order of position.
/// A verb with no speaker of its own («وأوضح أن …») is not one: it goes
/// on with someone named before.
pub fn speech_acts(text: &str) -> Vec<SpeechAct> {
    let masked = mask_media(text);
    act_pattern()
        .captures_iter(&masked)
        .filter_map(|caps| {
            let at = caps.get_match()?.start();
            if is_participle(&text[at..]) || !opens_a_clause(text, at) {
                return None;
            }
            let (s, e, _) =
                group(&caps, text, "speaker").or_else(|| group(&caps, text, "speaker2"))?;
            let (s, e) = trim_speaker(text, s, e)?;
            Some(SpeechAct {
                at,
                speaker: (s, s + before_the_object(&text[s..e]).len()),
            })
        })
        .collect()
}

/// The quotes of `text`, in order of position.
pub fn quotes(text: &str) -> Vec<Quote> {
    let masked = mask_media(text);
    let mut out: Vec<(usize, Quote)> = Vec::new();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for (k, re) in patterns().iter().enumerate() {
        for caps in re.captures_iter(&masked) {
            let Some(whole) = caps.get_match() else {
                continue;
            };
            if taken
                .iter()
                .any(|&(s, e)| whole.start() < e && s < whole.end())
            {
                continue;
            }
            let at = match group(&caps, text, "text") {
                Some((s, e, _)) => (s, e),
                None if k == 3 => {
                    let start = sentence_start(text, whole.start());
                    let sentence = text[start..whole.start()].trim_end();
                    let sentence = sentence.trim_end_matches(['،', ',']).trim_end();
                    let lead = sentence.len() - sentence.trim_start().len();
                    (start + lead, start + sentence.len())
                }
                None => continue,
            };
            let quote_text = text[at.0..at.1].trim();
            if quote_text.len() > MAX_QUOTE_BYTES {
                continue;
            }
            // One quoted word is a name or a term («تويتر», «كيدية»), not
            // speech; with no speaker at the verb, two are not either.
            let words = quote_text.split_whitespace().count();
            // A verb without a speaker of its own.
            let implicit = if continues(&text[whole.start()..]) {
                Speaker::Previous(whole.start())
            } else {
                Speaker::Antecedent(whole.start())
            };
            let named =
                group(&caps, text, "speaker").filter(|_| !is_participle(&text[whole.start()..]));
            let speaker = match named {
                Some((s, e, _)) => match trim_speaker(text, s, e) {
                    Some((s, e)) => Speaker::Named(s, e),
                    // Only audience, time or occasion after the verb.
                    None if k == 1 => implicit,
                    None => continue,
                },
                None if k == 1 => implicit,
                None => continue,
            };
            let fewest = match speaker {
                Speaker::Named(..) => MIN_QUOTE_WORDS,
                Speaker::Antecedent(_) | Speaker::Previous(_) => MIN_QUOTE_WORDS + 1,
            };
            if words < fewest {
                continue;
            }
            taken.push((whole.start(), whole.end()));
            out.push((
                whole.start(),
                Quote {
                    speaker,
                    text: quote_text.to_owned(),
                    at,
                    attributed: k == 3,
                    continuing: k == 1 && continues(&text[whole.start()..]),
                    verb: whole.start(),
                },
            ));
        }
    }
    out.sort_by_key(|(at, _)| *at);
    out.into_iter().map(|(_, q)| q).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (speaker phrase, text); an antecedent speaker shows as «^» and the
    /// verb's first word.
    fn speakers(text: &str) -> Vec<(String, String)> {
        quotes(text)
            .into_iter()
            .map(|q| {
                assert_eq!(text[q.at.0..q.at.1].trim(), q.text);
                let who = match q.speaker {
                    Speaker::Named(s, e) => text[s..e].to_owned(),
                    Speaker::Antecedent(at) => {
                        format!("^{}", text[at..].split_whitespace().next().unwrap_or(""))
                    }
                    Speaker::Previous(at) => {
                        format!("^^{}", text[at..].split_whitespace().next().unwrap_or(""))
                    }
                };
                (who, q.text)
            })
            .collect()
    }

    #[test]
    fn verb_speaker_quote() {
        let text = "وقال وزير الدفاع لويد أوستن إن \"القوات الأمريكية ستبقى في العراق\".";
        let got = speakers(text);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "وزير الدفاع لويد أوستن");
        assert_eq!(got[0].1, "القوات الأمريكية ستبقى في العراق");
        let colon = speakers("وأضافت المتحدثة باسم الوزارة: «لن نتراجع».");
        assert_eq!(colon[0].1, "لن نتراجع");
    }

    #[test]
    fn a_speaker_phrase_ends_at_the_sentence_end() {
        let got = speakers(
            "أكد الصفدي في مؤتمر صحفي أن الأردن سيستضيف الاجتماع. وقال فيصل بن فرحان: «نتطلع إلى شراكة أوسع».",
        );
        assert_eq!(
            got,
            vec![(
                "فيصل بن فرحان".to_owned(),
                "نتطلع إلى شراكة أوسع".to_owned()
            )]
        );
        let got = speakers("وقال د. محمد علي إن \"الوضع مستقر تماما\".");
        assert_eq!(got[0].0, "د. محمد علي");
        let got = speakers("وقال في مقابلة مع بي.بي.سي: «إذا نظرنا إلى الأرقام».");
        assert_eq!(got[0].1, "إذا نظرنا إلى الأرقام");
        // Present-tense «ويضيف» goes on with the last speaker.
        let got = speakers("«لم أفكر في الجمهور»، يقول إيلي داغر. ويضيف: «أردت الكشف عن مدينتي».");
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[1].0, "^^ويضيف:");
    }

    #[test]
    fn post_posed_and_attribution() {
        let got = speakers("«المهمة القتالية انتهت»، قال الكاظمي للصحفيين.");
        assert_eq!(
            got,
            vec![("الكاظمي".to_owned(), "المهمة القتالية انتهت".to_owned())]
        );
        let got = speakers("قتل ثلاثة أشخاص في الهجوم، بحسب وكالة الأنباء العراقية.");
        assert_eq!(got[0].0, "وكالة الأنباء العراقية");
        assert_eq!(got[0].1, "قتل ثلاثة أشخاص في الهجوم");
    }

    #[test]
    fn speakers_stop_at_the_report() {
        let got = speakers("وقال المسؤول إن التغيير كان \"أكثر من مجرد كلام\".");
        assert_eq!(got[0].0, "المسؤول");
        let got = speakers("قالت الوزارة وفقاً للبيان المنشور.");
        assert!(got.iter().all(|(s, _)| !s.starts_with('ً')), "{got:?}");
    }

    #[test]
    fn reported_speech_and_quotes_right_after_the_speaker() {
        let got = speakers(
            "ونقل التقرير عن المسؤولة دانا سترول للصحفيين، قولها \"نحن مهتمون بشراكة دائمة\".",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].0.contains("دانا سترول"), "{got:?}");
        assert_eq!(got[0].1, "نحن مهتمون بشراكة دائمة");
        let got = speakers("وتقول سترول \"الحوار شديد الأهمية\".");
        assert_eq!(
            got,
            vec![("سترول".to_owned(), "الحوار شديد الأهمية".to_owned())]
        );
        let got = speakers("وأوضح المتحدث باسم الوزارة، نيد برايس، \"لا نريد استباق الأمور\".");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].0.contains("نيد برايس"), "{got:?}");
        // No speaker at the verb: whoever the text named before.
        assert_eq!(
            speakers("وقال إن الاتفاق \"تاريخي بكل المقاييس\"."),
            vec![("^وقال".to_owned(), "تاريخي بكل المقاييس".to_owned())]
        );
        // One quoted word is a term, not speech.
        assert!(speakers("وقال إن الاتفاق \"تاريخي\" بكل المقاييس.").is_empty());
        assert!(speakers("وقال أوستن \"تاريخي\" عن الاتفاق.").is_empty());
    }

    #[test]
    fn attribution_after_an_arabic_question_mark() {
        let got = speakers("هل انتهت الأزمة؟ قتل ثلاثة أشخاص، بحسب الشرطة.");
        assert_eq!(got[0].1, "قتل ثلاثة أشخاص", "{got:?}");
    }

    const PIECES: &[&str] = &[
        "قال",
        "وتقول",
        "بحسب",
        "عن",
        "قولها",
        "إن",
        "سترول",
        "الشرطة",
        "؟",
        ".",
        "«",
        "»",
        "\"",
        "،",
        ":",
        "لـ",
        "شركة",
        "“",
        "”",
        "\n",
        " ",
        " ",
        "ـ",
        "é",
    ];

    proptest::proptest! {
        #[test]
        fn never_panics_and_speakers_are_in_the_text(
            picks in proptest::collection::vec(0..PIECES.len(), 0..60)
        ) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            for q in quotes(&text) {
                match q.speaker {
                    Speaker::Named(s, e) => proptest::prop_assert!(s < e && text.get(s..e).is_some()),
                    Speaker::Antecedent(at) | Speaker::Previous(at) => {
                        proptest::prop_assert!(text.is_char_boundary(at))
                    }
                }
                proptest::prop_assert!(text.get(q.at.0..q.at.1).is_some());
            }
            for a in speech_acts(&text) {
                proptest::prop_assert!(text.get(a.speaker.0..a.speaker.1).is_some());
                proptest::prop_assert!(text.is_char_boundary(a.at));
            }
        }
    }

    #[test]
    fn audience_time_and_occasion_are_not_the_speaker() {
        let got =
            speakers("وقال المتحدث باسم البنتاغون جون كيربي في بيان \"نحن ملتزمون بالشراكة\".");
        assert_eq!(got[0].0, "المتحدث باسم البنتاغون جون كيربي");
        let got = speakers("وقال الباحث سجاد جياد لوكالة فرانس برس \"الهجمات ستزيد\".");
        assert_eq!(got[0].0, "الباحث سجاد جياد");
        let got = speakers("وقالت المتحدثة جين ساكي الخميس إنّ الحكومة \"راغبة في التعاون\".");
        assert_eq!(got[0].0, "المتحدثة جين ساكي");
        let got = speakers("وقال المسؤولون الأمريكيون إنهم قد يناقشون \"التشكيلات الانتقالية\".");
        assert_eq!(got[0].0, "المسؤولون الأمريكيون");
        let got = speakers("وقال مسؤول في الخارجية، اشترط عدم الكشف عن هويته، \"هذه إشارة قوية\".");
        assert_eq!(got[0].0, "مسؤول في الخارجية");
        // A statement speaks for itself.
        let got = speakers("وقال بيان صادر عن الوزارة \"لن نتراجع\".");
        assert_eq!(got[0].0, "بيان صادر عن الوزارة");
    }

    #[test]
    fn verbs_without_a_speaker_point_back() {
        let text = "وقال أوستن \"المهمة تتغير\". وأضاف: «سنبقى شركاء لكم». \
                    إذ قال للصحفيين \"كل قواتنا جاهزة\". وذكر التقرير الجنرال ماكفارلين الذي قال \"الخطر قائم بعد\". \
                    بتصريح قال فيه \"ما زلت قلقا جدا\".";
        let got = speakers(text);
        let who: Vec<&str> = got.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(
            who,
            ["أوستن", "^^وأضاف:", "^قال", "^قال", "^قال"],
            "{got:?}"
        );
    }

    #[test]
    fn word_lists_are_in_matching_key_form() {
        for list in [
            SOURCE_WORDS,
            REPORT_WORDS,
            CONTEXT_WORDS,
            MEDIUM_WORDS,
            LEADING_AUDIENCES,
            AGENCY_TAILS,
            FEMININE_VERBS,
            SUBORDINATORS,
            TIME_WORDS,
            OCCASION_WORDS,
            REMARK_WORDS,
        ] {
            for &word in list {
                assert_eq!(normalize::matching_key(word), word);
            }
        }
    }

    #[test]
    fn attribution_keeps_only_named_sources() {
        assert!(names_a_source("مصادر محلية"));
        assert!(names_a_source("وكالة الأنباء العراقية"));
        assert!(names_a_source("البيان"));
        assert!(!names_a_source("الأنظمة"));
        assert!(!names_a_source(""));
        assert!(names_a_source("“الوطن”"));
        assert!(names_a_source("«عين اليوم» الإلكترونية"));
        assert!(!names_a_source("\"\""));
        assert!(!names_a_source("“نص طويل من خمس كلمات هنا”"));
        let q = quotes("تم ضبط المخالفين وفق الأنظمة.");
        assert!(q.iter().all(|q| q.attributed), "{q:?}");
        // A phrase that opens with a preposition names no speaker.
        let got = speakers("وقال في الوقت نفسه \"ما زلنا أعداء لا حلفاء\".");
        assert_eq!(got[0].0, "^وقال");
    }

    #[test]
    fn a_speaker_cut_at_its_length_limit_inside_a_masked_mark_is_safe() {
        // The post-posed speaker runs to 80 chars, the 80th a masked «.
        let speaker = format!("{} لـ«بغداد اليوم»", "ب".repeat(76));
        let text = format!("\"الوضع خطير جدا\"، قال {speaker} أمس.");
        for q in quotes(&text) {
            if let Speaker::Named(s, e) = q.speaker {
                assert!(text.get(s..e).is_some());
            }
        }
    }

    #[test]
    fn quoted_media_names_are_not_quotes() {
        assert!(speakers("وقالت شركة \"ملتيبوينت تكنولوجي\" إنها ستوسع أعمالها.").is_empty());
        assert!(speakers("وقال المصدر في حديث لـ\"بغداد اليوم\" إن الفصائل انسحبت.").is_empty());
        assert!(speakers("وقال المصدر لـ «بغداد اليوم» إن الفصائل انسحبت.").is_empty());
        // The words quoted after the medium are.
        let got = speakers("وقال في حديث لـ \"بغداد اليوم\"، إن \"الأحداث مخطط لها\".");
        assert_eq!(
            got,
            vec![("^وقال".to_owned(), "الأحداث مخطط لها".to_owned())]
        );
        let got = speakers("وقال المصدر لصحيفة “الصباح” إن “الانسحاب تم”.");
        assert_eq!(got, vec![("المصدر".to_owned(), "الانسحاب تم".to_owned())]);
        // «المقال» ends like «قال» and is no speech verb.
        assert!(speakers("ونشر المقال \"عنوانا طويلا\" أمس.").is_empty());
    }

    #[test]
    fn a_medium_after_the_speaker_is_not_the_speaker() {
        for (sentence, speaker) in [
            (
                "وقال ستيفن مور لرويترز إن \"الأسواق ستهدأ قريبا\".",
                "ستيفن مور",
            ),
            (
                "«الأسواق ستهدأ قريبا»، قال ستيفن مور لفرانس برس.",
                "ستيفن مور",
            ),
            (
                "وقال ستيفن مور ل\"الرياض\" إن \"الأسواق ستهدأ قريبا\".",
                "ستيفن مور",
            ),
            (
                "وقال ستيفن مور للصحيفة: \"الأسواق ستهدأ قريبا\".",
                "ستيفن مور",
            ),
            // An audience before the speaker goes too, the agency's second word with it.
            (
                "وقال لرويترز مسؤول أمريكي إن \"الأسواق ستهدأ قريبا\".",
                "مسؤول أمريكي",
            ),
            (
                "وقال لفرانس برس مسؤول أمريكي إن \"الأسواق ستهدأ قريبا\".",
                "مسؤول أمريكي",
            ),
            // Alone, it leaves the verb without a speaker.
            ("وقال لرويترز إن \"الأسواق ستهدأ قريبا\".", "^وقال"),
            // A name that starts with ل is no medium.
            (
                "وقال وزير خارجية لبنان إن \"الأسواق ستهدأ قريبا\".",
                "وزير خارجية لبنان",
            ),
        ] {
            let got = speakers(sentence);
            assert_eq!(got[0].0, speaker, "{sentence}: {got:?}");
        }
    }

    #[test]
    fn speech_acts_name_their_speakers_with_or_without_a_quotation() {
        let text = "كشف مصدر مقرب من الحكومة أن الوزير سيستقيل. وأوضح أن القرار نهائي. \
                    وأعلنت الوزارة القبض على المتهم. وقالت المتحدثة باسم الشرطة: «التحقيق مستمر». \
                    وأضاف: \"لن نعلق على التفاصيل\". وتابع المصدر لـ\"الوطن\" أن الأمر محسوم.";
        let got: Vec<&str> = speech_acts(text)
            .iter()
            .map(|a| &text[a.speaker.0..a.speaker.1])
            .collect();
        assert_eq!(
            got,
            ["مصدر مقرب من الحكومة", "المتحدثة باسم الشرطة", "المصدر"],
            "{got:?}"
        );
        // A participle starts what the speaker said, not who it is.
        let text = "وأكد الوزير، مشيرا إلى أن الخطة جاهزة.";
        let got: Vec<&str> = speech_acts(text)
            .iter()
            .map(|a| &text[a.speaker.0..a.speaker.1])
            .collect();
        assert_eq!(got, ["الوزير"]);
        // Inside a report, a verb does not say who speaks next.
        let text = "وأوضح أن ذلك جاء بعدما أعلن الرئيس أن الخطة جاهزة، وقال الوزير: «نحن مستعدون».                     كما أكد المدير أن العمل مستمر.";
        let got: Vec<&str> = speech_acts(text)
            .iter()
            .map(|a| &text[a.speaker.0..a.speaker.1])
            .collect();
        assert_eq!(got, ["الوزير", "المدير"]);
        // The report word is a word of its own, and the object is no subject.
        let text = "وذكر المواطن حمدان العصيمي، أنه لم يتلق ردا. ونفت مصادر مقربة من الحزب ما تم تداوله عن أن الاتفاق انهار.";
        let got: Vec<&str> = speech_acts(text)
            .iter()
            .map(|a| &text[a.speaker.0..a.speaker.1])
            .collect();
        assert_eq!(got, ["المواطن حمدان العصيمي", "مصادر مقربة من الحزب"]);
        assert!(opens_a_clause("قال", 0));
        assert!(!opens_a_clause("بعدما قال", "بعدما ".len()));
        // Only one word back is read, however long the text before.
        assert!(opens_a_clause(&format!("{}قال", "ب".repeat(40)), 80));
    }

    #[test]
    fn media_spans() {
        assert_eq!(before_a_medium("كامبل لرويترز"), Some("كامبل"));
        assert_eq!(before_a_medium("ستيفن مور لـ«الحياة»"), Some("ستيفن مور"));
        assert_eq!(before_a_medium("أحمد بن عبدالعزيز قطان"), None);
        assert_eq!(before_a_medium("لرويترز"), None);
    }

    #[test]
    fn verb_gender() {
        assert!(feminine_verb("وقالت الوزارة"));
        assert!(feminine_verb("كشفت: مصادر"));
        assert!(feminine_verb("وأضافت"));
        assert!(feminine_verb("مؤكدةً"));
        assert!(!feminine_verb("وتابع"));
        assert!(!feminine_verb("وأضاف:"));
        assert!(!feminine_verb("كشف مصدر"));
        assert!(!feminine_verb(""));
    }

    #[test]
    fn no_quotes_in_plain_text() {
        assert!(quotes("وصل الرئيس إلى بغداد أمس").is_empty());
        assert!(quotes("\"").is_empty());
    }
}
