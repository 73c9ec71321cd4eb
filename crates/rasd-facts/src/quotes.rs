//! Quotes: article text in, [`Quote`]s (speaker span and quoted text) out.
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
//! The speaker is a byte range in the text; callers resolve it to an entity.

use crate::scan::{group, StartedPattern};
use std::sync::OnceLock;

/// Longest quotation kept, in bytes (longer ones are not quotes but
/// unbalanced quote marks).
const MAX_QUOTE_BYTES: usize = 2000;

/// One quote: `text` is what was said; `speaker` the bytes naming who.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub speaker: (usize, usize),
    pub text: String,
}

const VERB: &str = r"(?:[وف])?(?:قال|قالت|أضاف|أضافت|اضاف|اضافت|أكد|أكدت|اكد|اكدت|أوضح|أوضحت|اوضح|اوضحت|أشار|أشارت|اشار|اشارت|صرح|صرحت|يقول|تقول)";
const OPEN: &str = "[\"“«]";
const CLOSE: &str = "[\"”»]";
const NOT_CLOSE: &str = "[^\"”»\n]";

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
                r"\bعن\s+(?P<speaker>[^\s:،,.\x22“«][^:\n\x22“«]{{1,160}}?)\s*[،,]?\s*(?:قوله|قولها|قولهم)\s*(?:(?:إن|أن|ان|إنه|أنه)\s*|:\s*)?{OPEN}(?P<text>{NOT_CLOSE}{{2,}}){CLOSE}"
            )),
            // verb SPEAKER (إن|أن|:|،)? "TEXT"
            build(format!(
                r"{VERB}\s+(?P<speaker>[^\s:،,.\x22“«][^:\n\x22“«]{{1,80}}?)\s*(?:[،,]?\s*(?:إن|أن|ان|إنه|أنه)\s*|:\s*|[،,]\s*)?{OPEN}(?P<text>{NOT_CLOSE}{{2,}}){CLOSE}"
            )),
            // "TEXT" ، قال SPEAKER
            build(format!(
                r"{OPEN}(?P<text>{NOT_CLOSE}{{2,}}){CLOSE}\s*[،,]?\s*{VERB}\s+(?P<speaker>[^\n.،,:؛]{{2,80}})"
            )),
            // بحسب SPEAKER
            build(r"\b(?:بحسب|وبحسب|حسب|وفق|وفقا ل|وفقاً ل|نقلا عن|نقلاً عن)\s+(?:ما\s+)?(?P<speaker>[^\n.،,:؛]{2,80})".to_owned()),
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

/// Cuts a speaker phrase at the first إن/أن (what follows is the report,
/// not the speaker) and drops a trailing «إلى» or «ل».
fn trim_speaker(text: &str, start: usize, end: usize) -> (usize, usize) {
    let phrase = &text[start..end];
    let mut cut = phrase.len();
    for marker in [" إن ", " أن ", " ان "] {
        if let Some(i) = phrase.find(marker) {
            cut = cut.min(i);
        }
    }
    // «قال إن الاتفاق "تاريخي"»: no speaker is named, the report starts at once.
    if ["إن ", "أن ", "ان ", "إنه ", "أنه "]
        .iter()
        .any(|m| phrase.starts_with(m))
    {
        return (start, start);
    }
    let mut kept = phrase[..cut].trim_end();
    for tail in [" إلى", " الى", " ل"] {
        if let Some(rest) = kept.strip_suffix(tail) {
            kept = rest.trim_end();
        }
    }
    if matches!(kept, "إلى" | "الى") {
        kept = "";
    }
    (start, start + kept.len())
}

/// The quotes of `text`, in order of position.
pub fn quotes(text: &str) -> Vec<Quote> {
    let mut out: Vec<(usize, Quote)> = Vec::new();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for (k, re) in patterns().iter().enumerate() {
        for caps in re.captures_iter(text) {
            let (Some(whole), Some(speaker)) = (caps.get_match(), group(&caps, text, "speaker"))
            else {
                continue;
            };
            if taken
                .iter()
                .any(|&(s, e)| whole.start() < e && s < whole.end())
            {
                continue;
            }
            let quote_text = match group(&caps, text, "text") {
                Some(t) => t.2.trim().to_owned(),
                None if k == 3 => {
                    let start = sentence_start(text, whole.start());
                    text[start..whole.start()]
                        .trim()
                        .trim_end_matches(['،', ','])
                        .trim()
                        .to_owned()
                }
                None => continue,
            };
            if quote_text.is_empty() || quote_text.len() > MAX_QUOTE_BYTES {
                continue;
            }
            let (start, end) = trim_speaker(text, speaker.0, speaker.1);
            if start >= end {
                continue;
            }
            taken.push((whole.start(), whole.end()));
            out.push((
                whole.start(),
                Quote {
                    speaker: (start, end),
                    text: quote_text,
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

    fn speakers(text: &str) -> Vec<(String, String)> {
        quotes(text)
            .into_iter()
            .map(|q| (text[q.speaker.0..q.speaker.1].to_owned(), q.text))
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
    fn post_posed_and_attribution() {
        let got = speakers("«المهمة القتالية انتهت»، قال الكاظمي للصحفيين.");
        assert_eq!(
            got,
            vec![(
                "الكاظمي للصحفيين".to_owned(),
                "المهمة القتالية انتهت".to_owned()
            )]
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
        assert!(speakers("وقال إن الاتفاق \"تاريخي\" بكل المقاييس.").is_empty());
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
                proptest::prop_assert!(text.get(q.speaker.0..q.speaker.1).is_some());
            }
        }
    }

    #[test]
    fn no_quotes_in_plain_text() {
        assert!(quotes("وصل الرئيس إلى بغداد أمس").is_empty());
        assert!(quotes("\"").is_empty());
    }
}
