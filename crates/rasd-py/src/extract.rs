//! Pages → articles over record batches, with `rasd_extract` learning each
//! site's template from the batch first (as `rasd extract` does per window).
//!
//! In: `url`, `html` and/or `text` (per row the HTML when present, else the
//! text dump), optional `fetched` and `site`. Out: one row per article
//! (`page`, `id`, `url`, `title`, `body`, `published`, `source`, `lang`,
//! `error` null), and one row per page that gave none (`error` set, the
//! other article columns null), so a job can count failures by reason.

use crate::columns::{self, IntKind};
use crate::BatchError;
use arrow_array::RecordBatch;
use rasd_extract::batch::extract_pages;
use rasd_model::{Page, PageFormat};

/// The host of an absolute URL (`https://www.spa.gov.sa/x` → `www.spa.gov.sa`).
fn host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = authority.split(':').next().unwrap_or_default();
    (!host.is_empty()).then_some(host)
}

/// Extracts the articles of every page row; see the module docs for the
/// columns. `id` is the page's URL (or `row N`), with `#k` (1-based)
/// appended when one page holds several articles.
pub fn extract(batch: &RecordBatch) -> Result<RecordBatch, BatchError> {
    let rows = batch.num_rows();
    let urls = columns::strings(batch, "url")?.unwrap_or_else(|| vec![None; rows]);
    let html = columns::strings(batch, "html")?;
    let text = columns::strings(batch, "text")?;
    if html.is_none() && text.is_none() {
        return Err(BatchError::MissingColumn {
            name: "html` or `text".to_owned(),
        });
    }
    let fetched = columns::strings(batch, "fetched")?.unwrap_or_else(|| vec![None; rows]);
    let sites = columns::strings(batch, "site")?.unwrap_or_else(|| vec![None; rows]);
    let pages: Vec<Page> = (0..rows)
        .map(|i| {
            let html = html.as_ref().and_then(|h| h[i].clone());
            let (format, content) = match html {
                Some(h) => (PageFormat::Html, h),
                None => (
                    PageFormat::Text,
                    text.as_ref().and_then(|t| t[i].clone()).unwrap_or_default(),
                ),
            };
            let origin = urls[i].clone().unwrap_or_else(|| format!("row {i}"));
            let mut page = Page::new(origin, format, content);
            page.site = sites[i]
                .clone()
                .or_else(|| urls[i].as_deref().and_then(host).map(str::to_owned));
            page.url = urls[i].clone();
            page.fetched = fetched[i].clone();
            page
        })
        .collect();
    let refs: Vec<&Page> = pages.iter().collect();
    let results = extract_pages(&refs, true);

    #[derive(Default)]
    struct Out {
        page: Vec<u32>,
        id: Vec<Option<String>>,
        url: Vec<Option<String>>,
        title: Vec<Option<String>>,
        body: Vec<Option<String>>,
        published: Vec<Option<String>>,
        source: Vec<Option<String>>,
        lang: Vec<Option<String>>,
        error: Vec<Option<String>>,
    }
    let mut out = Out::default();
    for (i, (page, result)) in pages.iter().zip(results).enumerate() {
        let row = u32::try_from(i).map_err(|_| BatchError::Value {
            name: "page".to_owned(),
            row: i,
            reason: "too many pages in one batch".to_owned(),
        })?;
        match result {
            Ok(articles) => {
                let several = articles.len() > 1;
                for (k, a) in articles.into_iter().enumerate() {
                    out.page.push(row);
                    out.id.push(Some(if several {
                        format!("{}#{}", page.origin, k + 1)
                    } else {
                        page.origin.clone()
                    }));
                    out.url.push(a.url);
                    out.title.push(a.title);
                    out.body.push(Some(a.body));
                    out.published.push(a.published);
                    out.source.push(a.source);
                    out.lang.push(a.lang);
                    out.error.push(None);
                }
            }
            Err(e) => {
                out.page.push(row);
                out.id.push(Some(page.origin.clone()));
                out.url.push(page.url.clone());
                for col in [
                    &mut out.title,
                    &mut out.body,
                    &mut out.published,
                    &mut out.source,
                    &mut out.lang,
                ] {
                    col.push(None);
                }
                out.error.push(Some(e.to_string()));
            }
        }
    }
    columns::batch(vec![
        ("page", columns::count_array(out.page, IntKind::Signed)),
        ("id", columns::string_array(out.id)),
        ("url", columns::string_array(out.url)),
        ("title", columns::string_array(out.title)),
        ("body", columns::string_array(out.body)),
        ("published", columns::string_array(out.published)),
        ("source", columns::string_array(out.source)),
        ("lang", columns::string_array(out.lang)),
        ("error", columns::string_array(out.error)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;
    use arrow_array::Array;

    #[test]
    fn hosts_are_read_from_urls() {
        assert_eq!(
            host("https://www.spa.gov.sa/news/1"),
            Some("www.spa.gov.sa")
        );
        assert_eq!(host("http://user@okaz.com.sa:8080?x"), Some("okaz.com.sa"));
        assert_eq!(host("صفحة بلا رابط"), None);
    }

    #[test]
    fn pages_become_articles_and_failures_rows() {
        let html = "<html><head><title>افتتاح صالة جديدة في مطار جدة</title></head><body>\
            <article><h1>افتتاح صالة جديدة في مطار جدة</h1>\
            <p>أعلنت هيئة الطيران المدني اليوم الأحد افتتاح صالة جديدة في مطار الملك عبدالعزيز الدولي بجدة، \
            بطاقة استيعابية تبلغ ثلاثين مليون مسافر سنويا، ضمن خطة لتطوير المطارات في المملكة.</p>\
            <p>وقال رئيس الهيئة إن الصالة ستخدم الرحلات الدولية والداخلية بدءا من الشهر المقبل، \
            وإن التشغيل التجريبي بدأ الأسبوع الماضي بمشاركة عدد من شركات الطيران.</p></article></body></html>";
        let input = columns::batch(vec![
            (
                "url",
                columns::string_array([Some("https://example.sa/news/1"), None]),
            ),
            ("html", columns::string_array([Some(html), None])),
            ("text", columns::string_array([None, Some("   ")])),
        ])
        .unwrap();
        let out = extract(&input).unwrap();
        let error = out.column_by_name("error").unwrap().as_string::<i32>();
        let body = out.column_by_name("body").unwrap().as_string::<i32>();
        let id = out.column_by_name("id").unwrap().as_string::<i32>();
        let last = out.num_rows() - 1;
        assert!(error.is_null(0), "{:?}", error.value(0));
        assert!(body.value(0).contains("مطار الملك عبدالعزيز"));
        assert_eq!(id.value(0), "https://example.sa/news/1");
        assert_eq!(id.value(last), "row 1");
        assert!(error.value(last).contains("empty page"));
        assert!(body.is_null(last));
    }

    #[test]
    fn a_batch_without_content_is_an_error() {
        let input = columns::batch(vec![("url", columns::string_array([Some("x")]))]).unwrap();
        assert!(matches!(
            extract(&input),
            Err(BatchError::MissingColumn { .. })
        ));
    }
}
