//! A batch of pages → their articles, with each site's template learned
//! from the batch first: the unit of work `rasd extract` and `rasd ingest`
//! run per window of records.
//!
//! Sites are told apart by [`Page::site`] (the URL host, or the input
//! folder). A site with at least [`TemplateLimits::min_pages`] pages in the
//! batch learns its template, which then marks the lines it repeats on
//! every page as boilerplate. Pages are extracted in parallel; the results
//! come back in the order of the input.

use crate::analysis::{analyze_page, PageAnalysis};
use crate::{ExtractError, SiteTemplate, TemplateLearner, TemplateLimits};
use rasd_model::{Article, Page};
use rayon::prelude::*;
use std::collections::HashMap;

/// Extracts every page of `pages`, learning site templates from the batch
/// first when `learn_templates` is set. One result per page, in order.
///
/// Each page is parsed and described once: the analyses teach the
/// templates, then are classified (and dropped one by one). Memory is the
/// batch's analyses, so callers bound the batch (`rasd extract --window`).
pub fn extract_pages(
    pages: &[&Page],
    learn_templates: bool,
) -> Vec<Result<Vec<Article>, ExtractError>> {
    if !learn_templates {
        return pages
            .par_iter()
            .map(|page| analyze_page(page)?.articles(page, None))
            .collect();
    }
    let analyses: Vec<Result<PageAnalysis, ExtractError>> =
        pages.par_iter().map(|page| analyze_page(page)).collect();
    let templates = templates_of(pages, &analyses, TemplateLimits::default());
    analyses
        .into_par_iter()
        .zip(pages.par_iter())
        .map(|(analysis, page)| analysis?.articles(page, templates.get(site_of(page))))
        .collect()
}

/// One template per site with enough pages in `pages`.
pub fn site_templates(pages: &[&Page], limits: TemplateLimits) -> HashMap<String, SiteTemplate> {
    let analyses: Vec<Result<PageAnalysis, ExtractError>> =
        pages.par_iter().map(|page| analyze_page(page)).collect();
    templates_of(pages, &analyses, limits)
}

/// Templates from analyses already made (`analyses[i]` is `pages[i]`'s).
fn templates_of(
    pages: &[&Page],
    analyses: &[Result<PageAnalysis, ExtractError>],
    limits: TemplateLimits,
) -> HashMap<String, SiteTemplate> {
    let mut by_site: HashMap<&str, Vec<&PageAnalysis>> = HashMap::new();
    for (page, analysis) in pages.iter().zip(analyses) {
        if let Ok(analysis) = analysis {
            by_site.entry(site_of(page)).or_default().push(analysis);
        }
    }
    by_site
        .into_par_iter()
        .filter(|(_, analyses)| analyses.len() >= limits.min_pages)
        .filter_map(|(site, analyses)| {
            let mut learner = TemplateLearner::new(limits);
            for analysis in analyses.iter().take(limits.max_pages) {
                analysis.teach(&mut learner);
            }
            learner.finish().map(|t| (site.to_string(), t))
        })
        .collect()
}

fn site_of(page: &Page) -> &str {
    page.site.as_deref().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rasd_model::PageFormat;

    /// A page of one site: its own story between a menu and a footer that
    /// every page of the site repeats.
    fn page(n: usize) -> Page {
        let content = format!(
            "الرئيسية | محليات | رياضة | اتصل بنا\n\n\
             افتتاح مكتبة عامة جديدة في الحي رقم {n}\n\n\
             افتتحت البلدية اليوم مكتبة عامة جديدة في الحي رقم {n}، تضم آلاف الكتب وقاعة للمطالعة، \
             وقال مدير المكتبة إن أبوابها ستبقى مفتوحة طوال أيام الأسبوع.\n\n\
             وأضاف أن المكتبة ستنظم ورشا للقراءة للأطفال في عطلة نهاية الأسبوع، بمشاركة متطوعين من المدينة.\n\n\
             جميع الحقوق محفوظة لموقع أخبار المدينة\n"
        );
        let mut page = Page::new(format!("site/{n}.txt"), PageFormat::Text, content);
        page.site = Some("site".into());
        page
    }

    #[test]
    fn results_follow_input_order_with_and_without_templates() {
        let pages: Vec<Page> = (0..8).map(page).collect();
        let refs: Vec<&Page> = pages.iter().collect();
        for learn in [true, false] {
            let results = extract_pages(&refs, learn);
            assert_eq!(results.len(), pages.len());
            for (n, result) in results.iter().enumerate() {
                let articles = result.as_ref().expect("each page has an article");
                let body = &articles[0].body;
                assert!(body.contains(&format!("الحي رقم {n}")), "{learn}: {body}");
                assert!(!body.contains("جميع الحقوق محفوظة"), "{learn}: {body}");
            }
        }
    }

    #[test]
    fn sites_with_too_few_pages_learn_nothing() {
        let pages: Vec<Page> = (0..8).map(page).collect();
        let refs: Vec<&Page> = pages.iter().collect();
        let limits = TemplateLimits::default();
        assert_eq!(site_templates(&refs, limits).len(), 1);
        assert!(site_templates(&refs[..limits.min_pages - 1], limits).is_empty());
    }
}
