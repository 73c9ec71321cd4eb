//! The index schema: which article fields are stored, indexed and how.
//!
//! In: an [`Analyzer`] choice. Out: the tantivy schema and its field handles.
//! Title and body are indexed twice, unstemmed (with positions, for
//! phrases) and stemmed (frequencies only); stored copies of the plain
//! fields give hits and snippets without a trip to the store (of the body,
//! only its lead, the part snippets look at).

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
    STRING,
};

use crate::analyzer;

/// Which analyzer the text fields use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Analyzer {
    /// rasd's Arabic analyzer (matching key, clitics, Light10, stop words).
    #[default]
    Arabic,
    /// tantivy's `default` tokenizer (split on non-alphanumerics, lower-case),
    /// kept as the baseline of `rasd eval search`.
    TantivyDefault,
}

/// Field handles of the schema.
#[derive(Debug, Clone)]
pub struct Fields {
    pub id: Field,
    pub url: Field,
    pub path: Field,
    pub title: Field,
    pub body: Field,
    pub source: Field,
    pub published: Field,
    pub lang: Field,
    /// Publication day as `yyyymmdd`, for date filters and the days facet.
    pub day: Field,
    pub entities: Field,
    pub title_exact: Field,
    pub title_stem: Field,
    pub body_exact: Field,
    pub body_stem: Field,
}

fn analyzed(tokenizer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    )
}

/// Builds the schema for `analyzer`.
pub fn build(analyzer: Analyzer) -> Schema {
    let (exact, stemmed) = match analyzer {
        Analyzer::Arabic => (analyzer::EXACT, analyzer::STEMMED),
        Analyzer::TantivyDefault => ("default", "default"),
    };
    let mut b = Schema::builder();
    // Fast too: story collapse reads the ids of its candidates from the column.
    b.add_text_field("id", STRING | STORED | FAST);
    b.add_text_field("url", STORED);
    b.add_text_field("path", STORED);
    b.add_text_field("title", STORED);
    b.add_text_field("body", STORED);
    b.add_text_field("source", STRING | STORED | FAST);
    b.add_text_field("published", STORED);
    b.add_text_field("lang", STRING | FAST);
    b.add_u64_field("day", NumericOptions::default().set_indexed().set_fast());
    b.add_i64_field(
        "entities",
        NumericOptions::default().set_indexed().set_fast(),
    );
    let positions = IndexRecordOption::WithFreqsAndPositions;
    b.add_text_field("title_exact", analyzed(exact, positions));
    b.add_text_field(
        "title_stem",
        analyzed(stemmed, IndexRecordOption::WithFreqs),
    );
    b.add_text_field("body_exact", analyzed(exact, positions));
    b.add_text_field("body_stem", analyzed(stemmed, IndexRecordOption::WithFreqs));
    b.build()
}

impl Fields {
    /// Looks the fields up in `schema`; `None` when it is not a rasd index.
    pub fn of(schema: &Schema) -> Option<Fields> {
        let f = |name: &str| schema.get_field(name).ok();
        Some(Fields {
            id: f("id")?,
            url: f("url")?,
            path: f("path")?,
            title: f("title")?,
            body: f("body")?,
            source: f("source")?,
            published: f("published")?,
            lang: f("lang")?,
            day: f("day")?,
            entities: f("entities")?,
            title_exact: f("title_exact")?,
            title_stem: f("title_stem")?,
            body_exact: f("body_exact")?,
            body_stem: f("body_stem")?,
        })
    }
}

/// `yyyymmdd` of a date or timestamp starting `YYYY-MM-DD`; `None` otherwise.
pub fn day_number(date: &str) -> Option<u64> {
    let b = date.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u64> {
        b[r].iter().try_fold(0u64, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u64::from(d - b'0'))
        })
    };
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some(y * 10_000 + m * 100 + d)
}

/// `YYYY-MM-DD` of a day number.
pub fn day_string(day: u64) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        day / 10_000,
        day / 100 % 100,
        day % 100
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stored_field_is_text() {
        // Hits read stored fields straight into strings (`StoredText` in
        // index.rs); a stored field of another type would fail every search.
        for analyzer in [Analyzer::Arabic, Analyzer::TantivyDefault] {
            let schema = build(analyzer);
            let stored = schema.fields().filter(|(_, e)| e.is_stored()).count();
            assert_eq!(stored, 7, "id, url, path, title, body, source, published");
            for (_, entry) in schema.fields() {
                if entry.is_stored() {
                    assert!(
                        matches!(entry.field_type(), tantivy::schema::FieldType::Str(_)),
                        "{} is stored but not text",
                        entry.name()
                    );
                }
            }
        }
    }

    #[test]
    fn days_round_trip_and_reject_junk() {
        assert_eq!(day_number("2015-01-07T10:00:00+03:00"), Some(20150107));
        assert_eq!(day_string(20150107), "2015-01-07");
        for bad in [
            "",
            "٢٠١٥-٠١-٠٧",
            "2015/01/07",
            "2015-13-01",
            "2015-1-7",
            "20ab-01-01",
        ] {
            assert_eq!(day_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn both_schemas_have_every_field() {
        for a in [Analyzer::Arabic, Analyzer::TantivyDefault] {
            assert!(Fields::of(&build(a)).is_some());
        }
    }
}
