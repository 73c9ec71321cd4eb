//! The boilerplate lexicon: phrases that mark page furniture, by category.
//!
//! In: a line's matching-key words. Out: the [`Cue`] the line carries, if
//! any. The phrases are data (Arabic in several regional spellings, and
//! English), written in natural form and turned into matching keys once, so
//! `إقرأ أيضاً` and `اقرا ايضا` are the same entry. A cue only fires on a
//! line that is short, or that *starts* with the phrase followed by a
//! separator (`المصدر: …`, `كلمات دلالية: …`), so body sentences that merely
//! mention a word like «تعليق» are left alone.

use rasd_text::normalize::matching_key;
use rasd_text::tokenize::words;
use std::collections::HashMap;
use std::sync::OnceLock;

/// What a boilerplate phrase says about the line that carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    /// Comment forms and counters: the article is over.
    Comments,
    /// Related items, most read, latest news: teasers follow.
    Related,
    /// Tag and keyword lists.
    Tags,
    /// «المصدر: …»: the source line that closes a republished article.
    SourceLine,
    /// «اقرأ أيضاً»: a pointer to another article (inline, or a heading
    /// before a second article).
    ReadAlso,
    /// «انقر هنا لقراءة الخبر من مصدره»: an aggregator's link out.
    ClickThrough,
    /// Copyright and rights lines.
    Copyright,
    /// Cookie banners.
    Cookies,
    /// Share, follow, print and social-network buttons.
    Share,
    /// Site navigation, search, login, newsletter, contact pages.
    Navigation,
    /// Photo credits and caption markers (Getty Images, أرشيفية, تصوير…).
    Credit,
    /// Image-report widgets and similar page chrome.
    Widget,
}

impl Cue {
    /// Whether the line ends the article it follows (nothing after it
    /// belongs to the same body).
    pub fn ends_article(self) -> bool {
        matches!(
            self,
            Cue::Comments
                | Cue::Related
                | Cue::Tags
                | Cue::SourceLine
                | Cue::ClickThrough
                | Cue::Copyright
                | Cue::Cookies
        )
    }
}

/// The phrases of each category, in natural spelling. Order inside a list
/// does not matter; longer matches win.
const LEXICON: &[(Cue, &[&str])] = &[
    (
        Cue::Comments,
        &[
            "التعليقات",
            "تعليقات",
            "تعليقات القراء",
            "اضف تعليقك",
            "أضف تعليق",
            "أضف تعليقاً",
            "اترك تعليقك",
            "اترك تعليقا",
            "اترك رداً",
            "اترك ردا",
            "اكتب تعليقك",
            "أرسل تعليقك",
            "شارك برأيك",
            "شاركنا رأيك",
            "عدد التعليقات",
            "لا توجد تعليقات",
            "كن أول من يعلق",
            "لن يتم نشر عنوان بريدك الإلكتروني",
            "الحقول الإلزامية مشار إليها",
            "التعليقات المنشورة لا تعبر",
            "أضف تعليقاً على الخبر",
            "إرسال التعليق",
            "comments",
            "comment",
            "leave a comment",
            "leave a reply",
            "add a comment",
            "post a comment",
            "your email address will not be published",
            "no comments",
        ],
    ),
    (
        Cue::Related,
        &[
            "مقالات ذات صلة",
            "أخبار ذات صلة",
            "مواضيع ذات صلة",
            "موضوعات ذات صلة",
            "ذات صلة",
            "أخبار متعلقة",
            "مواضيع متعلقة",
            "مقالات متعلقة",
            "أخبار مشابهة",
            "مقالات مشابهة",
            "قد يعجبك أيضا",
            "قد يهمك أيضا",
            "قد يهمك",
            "قد يعجبك",
            "اخترنا لك",
            "المزيد من الأخبار",
            "المزيد من المقالات",
            "عناوين أخرى",
            "أخبار أخرى",
            "مقالات أخرى",
            "الأكثر قراءة",
            "الأكثر مشاهدة",
            "الأكثر تداولا",
            "الأكثر تعليقا",
            "الأكثر شيوعا",
            "الأكثر قراءةً",
            "آخر الأخبار",
            "أحدث الأخبار",
            "اخر الاخبار",
            "أخبار عاجلة",
            "عاجل",
            "شريط الأخبار",
            "المزيد",
            "اقرأ المزيد",
            "الأخبار الأكثر قراءة",
            "تابع أيضا",
            "شاهد أيضا",
            "related",
            "related articles",
            "related posts",
            "related news",
            "related stories",
            "you may also like",
            "more stories",
            "more news",
            "most read",
            "most popular",
            "trending",
            "latest news",
            "recommended",
            "read more",
            "see more",
        ],
    ),
    (
        Cue::Tags,
        &[
            "كلمات دلالية",
            "الكلمات الدلالية",
            "الوسوم",
            "وسوم",
            "الكلمات المفتاحية",
            "كلمات مفتاحية",
            "الموضوعات",
            "مواضيع",
            "تصنيفات",
            "التصنيف",
            "هاشتاغ",
            "هاشتاج",
            "tags",
            "keywords",
            "topics",
            "filed under",
        ],
    ),
    (Cue::SourceLine, &["المصدر", "مصدر الخبر", "source"]),
    (
        Cue::ReadAlso,
        &[
            "اقرأ أيضا",
            "إقرأ أيضاً",
            "اقرأ كذلك",
            "طالع أيضا",
            "طالع كذلك",
            "اقرأ أيضا من",
            "إقرأ المزيد",
            "read also",
            "also read",
            "see also",
            "read next",
        ],
    ),
    (
        Cue::ClickThrough,
        &[
            "انقر هنا لقراءة الخبر من مصدره",
            "اضغط هنا لقراءة الخبر",
            "لقراءة الخبر من المصدر",
            "اقرأ الخبر من المصدر",
            "انقر هنا",
            "اضغط هنا",
            "اقرأ الخبر كاملا",
            "click here",
            "continue reading",
            "read the full story",
            "read full article",
        ],
    ),
    (
        Cue::Copyright,
        &[
            "جميع الحقوق محفوظة",
            "كل الحقوق محفوظة",
            "حقوق النشر محفوظة",
            "حقوق الطبع محفوظة",
            "جميع حقوق النشر",
            "all rights reserved",
            "copyright",
        ],
    ),
    (
        Cue::Cookies,
        &[
            "هذا الموقع يستخدم ملفات الكوكيز",
            "ملفات الكوكيز",
            "ملفات تعريف الارتباط",
            "نستخدم ملفات تعريف الارتباط",
            "الكوكيز",
            "أوافق",
            "موافق",
            "قبول",
            "this site uses cookies",
            "we use cookies",
            "cookies",
            "cookie policy",
            "accept",
            "i agree",
        ],
    ),
    (
        Cue::Share,
        &[
            "شارك",
            "مشاركة",
            "شارك الخبر",
            "شارك المقال",
            "شارك على",
            "انشر",
            "نشر على",
            "facebook",
            "twitter",
            "whatsapp",
            "telegram",
            "google+",
            "google",
            "youtube",
            "rss",
            "instagram",
            "linkedin",
            "tiktok",
            "pinterest",
            "فيسبوك",
            "فيس بوك",
            "تويتر",
            "واتساب",
            "واتس اب",
            "تيليجرام",
            "تلغرام",
            "تليجرام",
            "انستغرام",
            "انستجرام",
            "يوتيوب",
            "لينكد إن",
            "طباعة",
            "اطبع",
            "print",
            "email",
            "e-mail",
            "share",
            "نسخ الرابط",
            "copy link",
            "حفظ",
            "تابعنا",
            "تابعونا",
            "تابعنا على",
            "follow us",
            "connect with us",
        ],
    ),
    (
        Cue::Navigation,
        &[
            "الرئيسية",
            "الصفحة الرئيسية",
            "home",
            "بحث",
            "ابحث",
            "البحث",
            "search",
            "hi, what are you looking for?",
            "what are you looking for",
            "عما تبحث",
            "اشترك",
            "اشترك الآن",
            "اشترك في النشرة",
            "النشرة البريدية",
            "النشرة الإخبارية",
            "newsletter",
            "subscribe",
            "sign up",
            "تسجيل الدخول",
            "سجل الدخول",
            "دخول",
            "login",
            "log in",
            "sign in",
            "إنشاء حساب",
            "من نحن",
            "اتصل بنا",
            "أعلن معنا",
            "اعلن معنا",
            "سياسة الخصوصية",
            "شروط الاستخدام",
            "about us",
            "contact us",
            "advertise",
            "privacy policy",
            "terms of use",
            "القائمة",
            "menu",
            "skip to content",
            "تخطى إلى المحتوى",
            "الوضع الليلي",
        ],
    ),
    (
        Cue::Credit,
        &[
            "getty images",
            "getty",
            "afp",
            "أ ف ب",
            "أ.ف.ب",
            "فرانس برس",
            "رويترز",
            "reuters",
            "ap",
            "أ ب",
            "أسوشيتد برس",
            "epa",
            "shutterstock",
            "أرشيفية",
            "صورة أرشيفية",
            "أرشيف",
            "الصورة",
            "صورة",
            "تصوير",
            "صور",
            "photo",
            "image",
            "credit",
            "istock",
            "الأناضول",
            "واس",
        ],
    ),
    (
        Cue::Widget,
        &[
            "شكرا على الإبلاغ",
            "سيتم حجب هذه الصورة",
            "إبلاغ",
            "الإبلاغ عن خطأ",
            "report",
            "advertisement",
            "إعلان",
            "اعلان",
            "sponsored",
            "محتوى مدعوم",
        ],
    ),
];

/// A phrase of the lexicon as matching-key words.
struct Phrase {
    words: Vec<String>,
    cue: Cue,
}

/// Phrases indexed by their first word.
struct Index {
    by_first: HashMap<String, Vec<Phrase>>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut by_first: HashMap<String, Vec<Phrase>> = HashMap::new();
        for (cue, phrases) in LEXICON {
            for phrase in *phrases {
                let key = matching_key(phrase);
                let words: Vec<String> = phrase_words(&key);
                if let Some(first) = words.first() {
                    by_first
                        .entry(first.clone())
                        .or_default()
                        .push(Phrase { words, cue: *cue });
                }
            }
        }
        for list in by_first.values_mut() {
            list.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
        }
        Index { by_first }
    })
}

/// Words of a key as the lexicon sees them (the tokenizer's words).
pub fn phrase_words(key: &str) -> Vec<String> {
    words(key).map(str::to_string).collect()
}

/// A cue found on a line, where it starts, and how many words it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CueMatch {
    pub cue: Cue,
    /// Index of the first matched word in the line.
    pub at: usize,
    /// Number of words matched.
    pub len: usize,
}

/// The longest lexicon phrase starting at word `at` of `line`.
fn phrase_at(line: &[&str], at: usize) -> Option<CueMatch> {
    let list = index().by_first.get(line[at])?;
    list.iter()
        .find(|p| {
            line.len() - at >= p.words.len() && p.words.iter().zip(&line[at..]).all(|(a, b)| a == b)
        })
        .map(|p| CueMatch {
            cue: p.cue,
            at,
            len: p.words.len(),
        })
}

/// The cue a line opens with (`المصدر: …`, `كلمات دلالية: …`), if any.
pub fn leading_cue(line: &[&str]) -> Option<CueMatch> {
    if line.is_empty() {
        return None;
    }
    phrase_at(line, 0)
}

/// Every cue a short line contains, in order (for lines of a few words
/// such as «Getty Images» or «© 2015 الرياض. جميع الحقوق محفوظة»).
pub fn cues_in(line: &[&str]) -> Vec<CueMatch> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < line.len() {
        match phrase_at(line, at) {
            Some(m) => {
                at += m.len;
                out.push(m);
            }
            None => at += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_words(s: &str) -> Vec<String> {
        phrase_words(&matching_key(s))
    }

    fn refs(w: &[String]) -> Vec<&str> {
        w.iter().map(String::as_str).collect()
    }

    #[test]
    fn spellings_meet_on_the_key() {
        for line in ["إقرأ أيضاً:", "اقرأ ايضا", "اقرا أيضًا"] {
            let w = key_words(line);
            let m = leading_cue(&refs(&w)).expect(line);
            assert_eq!(m.cue, Cue::ReadAlso, "{line}");
        }
    }

    #[test]
    fn longest_phrase_wins() {
        let w = key_words("مقالات ذات صلة");
        let m = leading_cue(&refs(&w)).unwrap();
        assert_eq!((m.cue, m.len), (Cue::Related, 3));
    }

    #[test]
    fn rights_line_has_copyright_cue() {
        let w = key_words("2015 جريدة اليوم. جميع الحقوق محفوظة.");
        let cues = cues_in(&refs(&w));
        assert!(cues.iter().any(|c| c.cue == Cue::Copyright), "{cues:?}");
    }

    #[test]
    fn plain_sentence_has_no_leading_cue() {
        let w = key_words("قال المتحدث إن الاجتماع ناقش التعاون بين البلدين.");
        assert_eq!(leading_cue(&refs(&w)), None);
    }
}
