//! One page analysed once, then classified.
//!
//! In: a [`Page`]. Out: a [`PageAnalysis`]: the page's blocks, each block
//! described (features, dateline) and, for HTML, what the markup says
//! (structured metadata, `<time>` stamps). Parsing, block segmentation and
//! features are the costly part of extraction and do not depend on the
//! site's template, so a batch analyses each page once, feeds the
//! analyses to the [`TemplateLearner`], and then turns each analysis into
//! articles with [`PageAnalysis::articles`] — never parsing a page twice.

use crate::block::Block;
use crate::html::metadata::Metadata;
use crate::segment::{self, Line};
use crate::template::{SiteTemplate, TemplateLearner};
use crate::{check_text, html, text, ExtractError};
use rasd_model::{Article, Page, PageFormat};

/// What an HTML page's markup says beside its blocks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Markup {
    pub metadata: Metadata,
    /// Validated `<time>` stamps of the article region, in document order.
    pub article_times: Vec<String>,
}

/// A page parsed, segmented into blocks and described, before roles.
#[derive(Debug, Clone)]
pub struct PageAnalysis {
    pub blocks: Vec<Block>,
    /// One described line per block (roles not yet assigned).
    pub lines: Vec<Line>,
    /// `None` for text dumps.
    pub markup: Option<Markup>,
}

/// Analyses one page (see the module doc). Empty and binary pages are
/// errors here; a page without article text is one only in
/// [`PageAnalysis::articles`].
pub fn analyze_page(page: &Page) -> Result<PageAnalysis, ExtractError> {
    check_text(page)?;
    let (blocks, markup) = match page.format {
        PageFormat::Text => (
            text::blocks_from_text(&page.content, &text::Limits::default()),
            None,
        ),
        PageFormat::Html => {
            let analysed = html::analyze(&page.content);
            let markup = Markup {
                metadata: analysed.metadata,
                article_times: analysed.article_times,
            };
            (analysed.blocks, Some(markup))
        }
    };
    let lines = segment::describe(&blocks);
    Ok(PageAnalysis {
        blocks,
        lines,
        markup,
    })
}

impl PageAnalysis {
    /// Counts this page's lines towards its site's template.
    pub fn teach(&self, learner: &mut TemplateLearner) {
        learner.add_lines(&self.blocks, &self.lines);
    }

    /// The page's articles, main article first, with the site's template
    /// marking its recurring lines as boilerplate.
    pub fn articles(
        mut self,
        page: &Page,
        template: Option<&SiteTemplate>,
    ) -> Result<Vec<Article>, ExtractError> {
        segment::assign_roles(&self.blocks, &mut self.lines, template);
        let articles = crate::articles_from_lines(page, &self.blocks, &self.lines);
        match &self.markup {
            Some(markup) => {
                html::complete_articles(page, &self.blocks, &self.lines, markup, articles)
            }
            None if articles.is_empty() => Err(ExtractError::NoArticle {
                origin: page.origin.clone(),
            }),
            None => Ok(articles),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_analysis_gives_what_direct_extraction_gives() {
        let text = "الرئيسية\n\
            ارتفاع منسوب المياه في السد\n\
            أعلنت هيئة المياه اليوم أن منسوب المياه في السد ارتفع بعد الأمطار الغزيرة، وأن البوابات ستفتح جزئياً.\n\
            وقال مدير الهيئة إن الوضع تحت السيطرة، داعياً السكان إلى الابتعاد عن مجرى الوادي حتى إشعار آخر.\n";
        let html = format!(
            "<html><body><nav><a href=/>الرئيسية</a></nav><article><h1>ارتفاع منسوب المياه في السد</h1>\
             {}</article></body></html>",
            text.lines()
                .skip(2)
                .map(|l| format!("<p>{l}</p>"))
                .collect::<String>()
        );
        for page in [
            Page::new("a.txt", PageFormat::Text, text.to_string()),
            Page::new("a.html", PageFormat::Html, html),
        ] {
            let analysis = analyze_page(&page).unwrap();
            assert_eq!(analysis.lines.len(), analysis.blocks.len());
            assert_eq!(analysis.markup.is_some(), page.format == PageFormat::Html);
            let direct = crate::extract_page(&page, None).unwrap();
            assert_eq!(analysis.articles(&page, None).unwrap(), direct);
            assert_eq!(
                direct[0].title.as_deref(),
                Some("ارتفاع منسوب المياه في السد")
            );
            assert!(direct[0].body.starts_with("أعلنت هيئة المياه"));
        }
    }

    #[test]
    fn empty_pages_fail_before_analysis() {
        let page = Page::new("e.html", PageFormat::Html, " \n".into());
        assert!(matches!(
            analyze_page(&page),
            Err(ExtractError::Empty { .. })
        ));
    }
}
