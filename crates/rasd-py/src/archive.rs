//! One input file (WARC/WET archive, HTML page, text dump, JSON Lines) →
//! its articles as record batches, one batch per window of records, by
//! exactly the steps of `rasd extract`.
//!
//! In: a path, a window size and whether site templates are learned. Out:
//! per window, one row per article (`ordinal`, `id`, `path`, `url`,
//! `title`, `body`, `published`, `source`, `lang`, `error` null) and one
//! row per record that could not be read or gave no article (`error` set,
//! the article columns null). `ordinal` numbers the rows of the whole file
//! from 1, in the order `rasd extract --format json` prints its articles,
//! so a job can rebuild the binary's input order from it.
//!
//! Unlike the other modules this one reads a file: it is the wheel's input
//! stage. Reading goes through `rasd_sources::open_inputs`, so gzip
//! members, truncated archives (one error row, not a failure of the file)
//! and every size limit are the binary's. Extraction of a window is a pure
//! function ([`extract_window`]) that needs no file and no interpreter lock.

use crate::columns;
use crate::BatchError;
use arrow_array::RecordBatch;
use rasd_model::{Article, Page};
use rasd_sources::{open_inputs, InputOptions, Inputs, Record, SourceError};
use std::path::Path;

/// Records per window in `rasd extract` (its `--window` default).
pub const DEFAULT_WINDOW: usize = 2_000;
/// The largest window accepted (as `rasd extract --window`): bounds memory.
pub const MAX_WINDOW: usize = 1_000_000;

/// One record as read: a page, a clean article, or an error.
pub type ReadRecord = Result<Record, SourceError>;

/// The windows of records of one input file.
pub struct ArchiveWindows {
    inputs: Inputs,
    window: usize,
}

impl ArchiveWindows {
    /// Opens `path` lazily (nothing is read until [`Self::next_window`]).
    /// `window` must be in `1..=MAX_WINDOW`.
    pub fn open(path: &Path, window: usize) -> Result<Self, BatchError> {
        if !(1..=MAX_WINDOW).contains(&window) {
            return Err(BatchError::Config(format!(
                "window {window} is outside 1..={MAX_WINDOW}"
            )));
        }
        Ok(ArchiveWindows {
            inputs: open_inputs(&[path.to_path_buf()], &InputOptions::default()),
            window,
        })
    }

    /// The next window of at most `window` records; `None` at the end.
    pub fn next_window(&mut self) -> Option<Vec<ReadRecord>> {
        let window: Vec<ReadRecord> = self.inputs.by_ref().take(self.window).collect();
        (!window.is_empty()).then_some(window)
    }

    /// Records passed over on purpose so far (WARC `request` records,
    /// non-2xx responses, images…), by reason, as `rasd_sources` counts them.
    pub fn skipped(&self) -> Vec<(&'static str, u64)> {
        self.inputs
            .stats()
            .skipped
            .iter()
            .map(|(reason, n)| (reason.as_str(), *n))
            .collect()
    }
}

/// The article columns of one output row.
#[derive(Default)]
struct Rows {
    ordinal: Vec<i64>,
    id: Vec<Option<String>>,
    path: Vec<Option<String>>,
    url: Vec<Option<String>>,
    title: Vec<Option<String>>,
    body: Vec<Option<String>>,
    published: Vec<Option<String>>,
    source: Vec<Option<String>>,
    lang: Vec<Option<String>>,
    error: Vec<Option<String>>,
}

impl Rows {
    fn push_article(&mut self, ordinal: i64, a: Article) {
        self.ordinal.push(ordinal);
        self.id.push(a.id);
        self.path.push(a.path);
        self.url.push(a.url);
        self.title.push(a.title);
        self.body.push(Some(a.body));
        self.published.push(a.published);
        self.source.push(a.source);
        self.lang.push(a.lang);
        self.error.push(None);
    }

    fn push_error(&mut self, ordinal: i64, origin: Option<String>, message: String) {
        self.ordinal.push(ordinal);
        self.path.push(origin);
        for col in [
            &mut self.id,
            &mut self.url,
            &mut self.title,
            &mut self.body,
            &mut self.published,
            &mut self.source,
            &mut self.lang,
        ] {
            col.push(None);
        }
        self.error.push(Some(message));
    }

    fn into_batch(self) -> Result<RecordBatch, BatchError> {
        columns::batch(vec![
            ("ordinal", columns::i64_array(self.ordinal)),
            ("id", columns::string_array(self.id)),
            ("path", columns::string_array(self.path)),
            ("url", columns::string_array(self.url)),
            ("title", columns::string_array(self.title)),
            ("body", columns::string_array(self.body)),
            ("published", columns::string_array(self.published)),
            ("source", columns::string_array(self.source)),
            ("lang", columns::string_array(self.lang)),
            ("error", columns::string_array(self.error)),
        ])
    }
}

/// Extracts one window as `rasd extract` does: templates are learned from
/// the window's pages (when `templates`), clean articles pass through, and
/// rows come out in record order. `first_ordinal` is the ordinal of the
/// window's first row; the returned count is how many rows it used.
pub fn extract_window(
    window: Vec<ReadRecord>,
    templates: bool,
    first_ordinal: i64,
) -> Result<(RecordBatch, i64), BatchError> {
    let pages: Vec<&Page> = window
        .iter()
        .filter_map(|record| match record {
            Ok(Record::Page(page)) => Some(page),
            _ => None,
        })
        .collect();
    let mut extracted = rasd_extract::batch::extract_pages(&pages, templates).into_iter();
    let mut rows = Rows::default();
    let mut ordinal = first_ordinal;
    for record in &window {
        match record {
            Err(err) => {
                rows.push_error(ordinal, Some(err.origin.clone()), err.to_string());
                ordinal += 1;
            }
            Ok(Record::Article(article)) => {
                rows.push_article(ordinal, article.clone());
                ordinal += 1;
            }
            Ok(Record::Page(page)) => match extracted.next() {
                Some(Ok(articles)) => {
                    for article in articles {
                        rows.push_article(ordinal, article);
                        ordinal += 1;
                    }
                }
                Some(Err(err)) => {
                    rows.push_error(ordinal, Some(page.origin.clone()), err.to_string());
                    ordinal += 1;
                }
                None => {
                    return Err(BatchError::Arrow(
                        "extraction gave fewer results than pages".to_owned(),
                    ))
                }
            },
        }
    }
    let used = ordinal - first_ordinal;
    Ok((rows.into_batch()?, used))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;
    use rasd_sources::testkit::{gzip, WarcWriter};

    const AIRPORT: &str = "أعلنت هيئة الطيران المدني اليوم افتتاح صالة جديدة في مطار الملك \
        عبدالعزيز الدولي بجدة بطاقة استيعابية تبلغ ثلاثين مليون مسافر سنويا.\n\n\
        وقال رئيس الهيئة في مؤتمر صحفي إن المشروع يأتي ضمن خطة شاملة لتطوير المطارات في المملكة.";
    const SCHOOLS: &str = "حددت وزارة التعليم موعد بدء العام الدراسي الجديد في جميع مناطق \
        المملكة.\n\nوأوضح المتحدث الرسمي باسم الوزارة أن الطلاب سيعودون إلى مقاعد الدراسة قريبا.";

    fn all_rows(path: &Path, window: usize) -> Vec<RecordBatch> {
        let mut windows = ArchiveWindows::open(path, window).unwrap();
        let mut next = 1;
        let mut out = Vec::new();
        while let Some(w) = windows.next_window() {
            let (batch, used) = extract_window(w, true, next).unwrap();
            next += used;
            out.push(batch);
        }
        out
    }

    #[test]
    fn a_wet_archive_gives_its_articles_in_order_with_ordinals() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("أخبار.wet.gz");
        let mut writer = WarcWriter::new();
        writer
            .warcinfo()
            .conversion("https://spa.example/1", "2015-08-01T00:00:00Z", AIRPORT)
            .conversion("https://spa.example/2", "2015-08-02T00:00:00Z", SCHOOLS);
        std::fs::write(&path, writer.finish_gzip_per_record()).unwrap();
        let batches = all_rows(&path, 1);
        assert_eq!(batches.len(), 2, "one window per record");
        let urls: Vec<String> = batches
            .iter()
            .map(|b| {
                let url = columns::strings(b, "url").unwrap().unwrap();
                url[0].clone().unwrap()
            })
            .collect();
        assert_eq!(urls, ["https://spa.example/1", "https://spa.example/2"]);
        let ordinals: Vec<i64> = batches
            .iter()
            .flat_map(|b| columns::required_i64(b, "ordinal").unwrap())
            .collect();
        assert_eq!(ordinals, [1, 2]);
        let body = batches[0]
            .column_by_name("body")
            .unwrap()
            .as_string::<i32>();
        assert!(body.value(0).contains("مطار الملك"));
    }

    #[test]
    fn a_truncated_archive_is_an_error_row_not_a_failure() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cut.warc.gz");
        // Enough records to pass the reader's sniffing of the first
        // kilobytes (a cut inside those fails the whole file, as in `rasd extract`).
        let records = 40;
        let members: Vec<Vec<u8>> = (1..=records)
            .map(|i| {
                gzip(&rasd_sources::testkit::conversion_record(
                    &format!("https://spa.example/{i}"),
                    "2015-08-01T00:00:00Z",
                    &format!("{AIRPORT} رقم {i}"),
                ))
            })
            .collect();
        let last = &members[records - 1];
        let mut bytes: Vec<u8> = members[..records - 1].concat();
        bytes.extend_from_slice(&last[..last.len() / 2]);
        std::fs::write(&path, bytes).unwrap();
        let batches = all_rows(&path, 16);
        let errors: Vec<Option<String>> = batches
            .iter()
            .flat_map(|b| columns::strings(b, "error").unwrap().unwrap())
            .collect();
        assert_eq!(errors.len(), records);
        assert!(errors[..records - 1].iter().all(Option::is_none));
        let last_error = errors[records - 1].clone().unwrap();
        assert!(last_error.contains("cut.warc.gz#40"), "{last_error}");
    }

    #[test]
    fn a_missing_file_and_a_bad_window_are_reported() {
        let batches = all_rows(Path::new("/nonexistent/أرشيف.warc"), 10);
        let error = batches[0]
            .column_by_name("error")
            .unwrap()
            .as_string::<i32>();
        assert!(error.value(0).contains("no such file"));
        assert!(ArchiveWindows::open(Path::new("x"), 0).is_err());
    }
}
