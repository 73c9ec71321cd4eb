//! Language of an article's text.
//!
//! In: the body text. Out: an ISO 639-1 code (`ar`, `en`, …) from
//! `whatlang`'s detection on a bounded prefix, or `None` when the text is
//! too short or the detector is unsure.

/// Bytes of text the detector reads at most.
const SAMPLE_BYTES: usize = 4_000;

/// ISO 639-1 code of the text's language.
pub fn detect(text: &str) -> Option<String> {
    let sample = &text[..crate::text::floor_boundary(text, SAMPLE_BYTES)];
    if sample.split_whitespace().count() < 3 {
        return None;
    }
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    iso_639_1(info.lang().code()).map(str::to_string)
}

/// ISO 639-3 → 639-1 for the languages whatlang knows that have a two-letter code.
fn iso_639_1(code: &str) -> Option<&'static str> {
    Some(match code {
        "ara" => "ar",
        "eng" => "en",
        "fra" => "fr",
        "deu" => "de",
        "spa" => "es",
        "por" => "pt",
        "ita" => "it",
        "rus" => "ru",
        "tur" => "tr",
        "pes" => "fa",
        "urd" => "ur",
        "heb" => "he",
        "hin" => "hi",
        "ben" => "bn",
        "ind" => "id",
        "cmn" => "zh",
        "jpn" => "ja",
        "kor" => "ko",
        "nld" => "nl",
        "swe" => "sv",
        "pol" => "pl",
        "ukr" => "uk",
        "ell" => "el",
        "ron" => "ro",
        "hun" => "hu",
        "ces" => "cs",
        "dan" => "da",
        "fin" => "fi",
        "nob" => "nb",
        "vie" => "vi",
        "tha" => "th",
        "msa" => "ms",
        "swa" => "sw",
        "amh" => "am",
        "aze" => "az",
        "bul" => "bg",
        "hrv" => "hr",
        "srp" => "sr",
        "slk" => "sk",
        "slv" => "sl",
        "lit" => "lt",
        "lav" => "lv",
        "est" => "et",
        "kat" => "ka",
        "hye" => "hy",
        "tam" => "ta",
        "tel" => "te",
        "mar" => "mr",
        "guj" => "gu",
        "pan" => "pa",
        "kan" => "kn",
        "mal" => "ml",
        "nep" => "ne",
        "sin" => "si",
        "khm" => "km",
        "mya" => "my",
        "uzb" => "uz",
        "tgl" => "tl",
        "afr" => "af",
        "zul" => "zu",
        "yid" => "yi",
        "cat" => "ca",
        "bel" => "be",
        "epo" => "eo",
        "lat" => "la",
        _ => return None,
    })
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
}
