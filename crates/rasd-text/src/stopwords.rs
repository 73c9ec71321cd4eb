//! Arabic and English stop words (function words), looked up on the
//! matching key.
//!
//! The Arabic list is rasd's own, written for news text: prepositions,
//! conjunctions, pronouns, demonstratives, relatives, particles, auxiliaries
//! and the commonest adverbs, in matching-key form (so `إلى`, `الى` and `إلي`
//! are one entry). [`is_stopword`] also tries the word with its proclitics
//! stripped, so `وفي`, `فإن` and `وهذا` count.

use crate::stem::strip_proclitics;
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

const ARABIC: &str = "
في من الي علي عن مع عند لدي حتي منذ مذ بين بعد قبل خلال ضد نحو حول دون عبر فوق تحت امام خلف وراء
لدى ازاء بحسب وفق حسب ضمن تجاه جراء لكن لكن بل او ام ثم حيث اذ اذا اذن لو لولا ان انه انها انهم
كما كي لكي لان لانه لانها اي اية ايضا فقط قد لقد لم لن لا ما ماذا متي اين كيف هل سوف سي
هو هي هم هن هما انا نحن انت انتم انتما انتن اياه اياها اياهم
هذا هذه هذان هاتان هؤلاء ذلك تلك ذلكم اولئك هنا هناك هنالك
الذي التي الذين اللذان اللتان اللواتي اللاتي اللائي من ما
كان كانت كانوا يكون تكون يكونوا اصبح اصبحت ظل ظلت مازال مايزال لايزال لاتزال ليس ليست لست
كل بعض غير سوي عدة جميع كلا كلتا اكثر اقل احد احدي
عليه عليها عليهم لها له لهم لهما منه منها منهم فيه فيها فيهم به بها بهم بهما عنه عنها عنهم اليه اليها اليهم
معه معها معهم بينهم بينها عندما بينما كلما طالما مثل مثلما لدي وقد وان
اما الا الى على يوم اليوم امس غدا الان عام العام
تم يتم ثمة جدا ذات ذاته ذاتها نفس نفسه نفسها
";

const ENGLISH: &str = "
a an the and or but if then else of to in on at by for with from as into onto over under about
after before between during without within through up down out off again further once here there
when where why how all any both each few more most other some such no nor not only own same so
than too very can will just should would could may might must shall is are was were be been being
have has had having do does did doing i me my we our you your he him his she her it its they them
their what which who whom this that these those am also said says
";

/// A set of short words. Every word of a text is looked up, up to three
/// times, so the default SipHash (built to resist hash flooding, which a
/// fixed list does not need) was a tenth of text extraction; one-shot XXH3
/// over the word's bytes is several times cheaper.
type WordSet = HashSet<&'static str, BuildHasherDefault<WordHasher>>;

/// Hashes the bytes of a `str` with one-shot XXH3 (`str`'s `Hash` writes
/// the bytes, then a 0xFF terminator, which only perturbs the hash).
#[derive(Default)]
struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = xxhash_rust::xxh3::xxh3_64_with_seed(bytes, self.0);
    }

    fn write_u8(&mut self, byte: u8) {
        self.0 = self.0.rotate_left(8) ^ u64::from(byte);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

fn set(list: &'static str) -> WordSet {
    list.split_whitespace().collect()
}

fn arabic() -> &'static WordSet {
    static SET: OnceLock<WordSet> = OnceLock::new();
    SET.get_or_init(|| set(ARABIC))
}

fn english() -> &'static WordSet {
    static SET: OnceLock<WordSet> = OnceLock::new();
    SET.get_or_init(|| set(ENGLISH))
}

/// Whether `key` (a token in matching-key form) is an Arabic or English
/// stop word, with Arabic proclitics (و ف ب ل ك ال) stripped if needed.
pub fn is_stopword(key: &str) -> bool {
    if key.is_ascii() {
        return english().contains(key);
    }
    let set = arabic();
    if set.contains(key) {
        return true;
    }
    // Conjunction + stop word: وفي، فان، وهذا، ولكن.
    for conj in ['و', 'ف'] {
        if let Some(rest) = key.strip_prefix(conj) {
            if set.contains(rest) {
                return true;
            }
        }
    }
    let stripped = strip_proclitics(key);
    stripped != key && set.contains(stripped)
}

/// Whether `key` is an Arabic stop word (the English list is not consulted).
pub fn is_arabic_stopword(key: &str) -> bool {
    !key.is_ascii() && is_stopword(key)
}

/// Whether `key` is an English stop word (lower-case ASCII expected).
pub fn is_english_stopword(key: &str) -> bool {
    english().contains(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::matching_key;

    #[test]
    fn clitic_forms_are_stop_words() {
        for w in ["في", "وفي", "فإن", "وهذا", "إلى", "ولكن", "الذي"] {
            assert!(is_stopword(&matching_key(w)), "{w}");
        }
        for w in ["القوات", "بايدن", "واشنطن", "العراق"] {
            assert!(!is_stopword(&matching_key(w)), "{w}");
        }
        assert!(is_stopword("the"));
        assert!(!is_stopword("troops"));
    }
}
