//! Language codes: the ISO 639-2/3 codes of detectors and feeds brought
//! to the two-letter ISO 639-1 codes rasd writes.
//!
//! `whatlang` answers in ISO 639-3 ("ara", "eng"), feeds and archives use
//! 639-1, 639-2/B ("fre", "ger", "per") or tags with a region ("ar-SA").
//! Extraction and clustering both map codes through this one table, so an
//! article's language compares equal whichever way it came in.

/// The two-letter code of a language code or tag: its primary subtag,
/// lower-cased, mapped from three letters to two where ISO 639-1 has a
/// code. `None` for an unknown three-letter code or a primary subtag of
/// another length (a two-letter one is returned as it is).
pub fn iso_639_1(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
    match primary.len() {
        2 => Some(primary.to_ascii_lowercase()),
        3 => from_three_letters(&primary.to_ascii_lowercase()).map(str::to_string),
        _ => None,
    }
}

/// ISO 639-2/3 → 639-1, for the languages `whatlang` knows and the
/// bibliographic (639-2/B) and macrolanguage codes feeds use for them.
pub fn from_three_letters(code: &str) -> Option<&'static str> {
    Some(match code {
        "ara" | "arb" => "ar",
        "eng" => "en",
        "fra" | "fre" => "fr",
        "deu" | "ger" => "de",
        "spa" => "es",
        "por" => "pt",
        "ita" => "it",
        "rus" => "ru",
        "tur" => "tr",
        "pes" | "fas" | "per" => "fa",
        "urd" => "ur",
        "heb" => "he",
        "hin" => "hi",
        "ben" => "bn",
        "ind" => "id",
        "cmn" | "zho" | "chi" => "zh",
        "jpn" => "ja",
        "kor" => "ko",
        "nld" | "dut" => "nl",
        "swe" => "sv",
        "pol" => "pl",
        "ukr" => "uk",
        "ell" | "gre" => "el",
        "ron" | "rum" => "ro",
        "hun" => "hu",
        "ces" | "cze" => "cs",
        "dan" => "da",
        "fin" => "fi",
        "nob" => "nb",
        "vie" => "vi",
        "tha" => "th",
        "msa" | "may" | "zsm" => "ms",
        "swa" => "sw",
        "amh" => "am",
        "aze" => "az",
        "bul" => "bg",
        "hrv" => "hr",
        "srp" => "sr",
        "slk" | "slo" => "sk",
        "slv" => "sl",
        "lit" => "lt",
        "lav" => "lv",
        "est" => "et",
        "kat" | "geo" => "ka",
        "hye" | "arm" => "hy",
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
        "mya" | "bur" => "my",
        "uzb" => "uz",
        "tgl" => "tl",
        "afr" => "af",
        "zul" => "zu",
        "yid" => "yi",
        "cat" => "ca",
        "bel" => "be",
        "epo" => "eo",
        "lat" => "la",
        "ckb" | "kmr" | "kur" => "ku",
        "pus" => "ps",
        "som" => "so",
        "hau" => "ha",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_tags_meet() {
        for tag in ["ar", "AR", "ara", "arb", " ar-SA ", "ar_EG"] {
            assert_eq!(iso_639_1(tag).as_deref(), Some("ar"), "{tag}");
        }
        assert_eq!(iso_639_1("fre").as_deref(), Some("fr"));
        assert_eq!(iso_639_1("per").as_deref(), Some("fa"));
        assert_eq!(iso_639_1("en-GB").as_deref(), Some("en"));
        assert_eq!(iso_639_1("qqq"), None);
        assert_eq!(iso_639_1(""), None);
        assert_eq!(iso_639_1("-x"), None);
    }
}
