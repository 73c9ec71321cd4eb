//! Language of an article's text.
//!
//! In: the body text. Out: an ISO 639-1 code (`ar`, `en`, …) from
//! `whatlang`'s detection on a bounded prefix, or `None` when the text is
//! too short or the detector is unsure. Text written in the core Arabic
//! alphabet alone is Arabic without asking the detector (the trigram
//! scoring cost more than the rest of text extraction together); a letter
//! of the extended Arabic alphabet (Persian, Urdu, Kurdish…) or a large
//! share of another script sends the text to `whatlang`.

/// Bytes of text the detector reads at most.
const SAMPLE_BYTES: usize = 4_000;

/// Letters a sample needs before its alphabet alone decides.
const DECISIVE_LETTERS: usize = 50;

/// ISO 639-1 code of the text's language.
pub fn detect(text: &str) -> Option<String> {
    let sample = &text[..crate::text::floor_boundary(text, SAMPLE_BYTES)];
    if sample.split_whitespace().take(3).count() < 3 {
        return None;
    }
    if plainly_arabic(sample) {
        return Some("ar".to_string());
    }
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    rasd_text::lang::from_three_letters(info.lang().code()).map(str::to_string)
}

/// At least [`DECISIVE_LETTERS`] letters, 90% or more of them in the core
/// Arabic alphabet (U+0621–U+064A), none from the extended Arabic alphabet
/// that Persian, Urdu and others add.
fn plainly_arabic(sample: &str) -> bool {
    let (mut core, mut letters) = (0usize, 0usize);
    for c in sample.chars() {
        if matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}') {
            core += 1;
            letters += 1;
        } else if rasd_text::is_arabic_letter(c) {
            return false;
        } else if rasd_text::is_letter(c) {
            letters += 1;
        }
    }
    letters >= DECISIVE_LETTERS && core * 10 >= letters * 9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_and_english() {
        assert_eq!(
            detect("أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في المدينة يضم مئتي سرير")
                .as_deref(),
            Some("ar")
        );
        assert_eq!(
            detect("The ministry of health opened a new hospital in the city on Monday, officials said.").as_deref(),
            Some("en")
        );
        assert_eq!(detect("نعم"), None);
    }

    #[test]
    fn the_alphabet_decides_only_plain_arabic() {
        let arabic = "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في المدينة يضم مئتي سرير";
        assert!(plainly_arabic(arabic));
        // Persian letters (گ, ی, ک) send the text to the detector.
        let persian =
            "وزارت بهداشت امروز از گشایش یک بیمارستان جدید در شهر خبر داد که دویست تخت دارد";
        assert!(!plainly_arabic(persian));
        assert_eq!(detect(persian).as_deref(), Some("fa"));
        // Too few letters to decide by the alphabet.
        assert!(!plainly_arabic("افتتاح مستشفى جديد"));
        // Mostly Latin.
        assert!(!plainly_arabic(&format!(
            "{arabic} The ministry of health opened a new hospital in the city on Monday"
        )));
    }
}
