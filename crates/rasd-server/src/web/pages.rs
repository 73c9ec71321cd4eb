//! The HTML of each page, with maud: every interpolated value is escaped,
//! links go only to our own paths or to `http(s)` URLs, and search
//! highlights are `<mark>` wrapped around escaped snippet text.

use super::timeline::timeline_svg;
use maud::{html, Markup, DOCTYPE};
use rasd_search::{FacetCount, Hit, SearchResults};
use rasd_store::{
    ArticleDetail, ArticleFactsRow, EntityDetail, Quote, Story, StoryFacts, Topic, TopicDetail,
};

/// The page frame: RTL Arabic, our stylesheet, the header search box.
pub fn layout(title: &str, query: Option<&str>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html dir="rtl" lang="ar" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (title) " — رصد" }
                link rel="stylesheet" href="/static/style.css";
                link rel="icon" href="/static/icon.svg" type="image/svg+xml";
            }
            body {
                header.site {
                    div.bar {
                        a.brand href="/" { "رصد" }
                        nav { a href="/" { "القصص" } a href="/topics" { "المواضيع" } }
                        form action="/search" method="get" role="search" {
                            input type="search" name="q" value=(query.unwrap_or_default())
                                placeholder="ابحث في الأخبار" aria-label="بحث" maxlength="1000";
                            button type="submit" { "بحث" }
                        }
                    }
                }
                main { (body) }
                footer { "رصد — محرك رصد الأخبار العربية" }
            }
        }
    }
}

/// A `YYYY-MM-DDTHH:MM…` time shown as `YYYY-MM-DD HH:MM`.
pub fn when(time: Option<&str>) -> String {
    match time {
        None => "بلا تاريخ".into(),
        Some(t) => t
            .chars()
            .take(16)
            .map(|c| if c == 'T' { ' ' } else { c })
            .collect(),
    }
}

/// The URL when it is a web address; anything else (`javascript:`, `data:`) is not linked.
pub fn safe_href(url: &str) -> Option<&str> {
    let lower = url
        .trim_start()
        .get(..8)
        .unwrap_or(url)
        .to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then_some(url)
}

/// `snippet` with the byte ranges `highlights` wrapped in `<mark>`; ranges out
/// of bounds, overlapping or off a character boundary are ignored.
pub fn highlighted(snippet: &str, highlights: &[(usize, usize)]) -> Markup {
    let mut ranges: Vec<(usize, usize)> = highlights
        .iter()
        .copied()
        .filter(|&(s, e)| {
            s < e
                && e <= snippet.len()
                && snippet.is_char_boundary(s)
                && snippet.is_char_boundary(e)
        })
        .collect();
    ranges.sort_unstable();
    let mut parts: Vec<(&str, bool)> = Vec::new();
    let mut cursor = 0;
    for (s, e) in ranges {
        if s < cursor {
            continue;
        }
        parts.push((&snippet[cursor..s], false));
        parts.push((&snippet[s..e], true));
        cursor = e;
    }
    parts.push((&snippet[cursor..], false));
    html! {
        @for (text, marked) in parts {
            @if marked { mark { (text) } } @else { (text) }
        }
    }
}

fn title_or(title: Option<&str>) -> &str {
    title.filter(|t| !t.trim().is_empty()).unwrap_or("بلا عنوان")
}

fn story_card(story: &Story) -> Markup {
    html! {
        article.card {
            h3 { a href={ "/story/" (story.id) } { (title_or(story.headline.as_deref())) } }
            div.meta {
                span.size { (story.size) " مقال" }
                span { time { (when(story.first_published.as_deref())) } }
                @if story.last_published != story.first_published {
                    span { "آخر تحديث " (when(story.last_published.as_deref())) }
                }
            }
            @if !story.summary.is_empty() { p.summary { (story.summary) } }
            ul.outlets {
                @for outlet in story.sources.iter().filter(|o| !o.source.trim().is_empty()).take(12) {
                    li { (outlet.source) }
                }
            }
        }
    }
}

/// `/`: the latest stories.
pub fn home(stories: &[Story], articles: u64, next: Option<u64>, prev: Option<u64>) -> Markup {
    layout(
        "أحدث القصص",
        None,
        html! {
            h1 { "أحدث القصص" }
            p.meta { "في الأرشيف " (articles) " مقال" }
            @if stories.is_empty() {
                p.empty { "لا قصص بعد. أضف صفحات بالأمر rasd ingest." }
            }
            @for story in stories { (story_card(story)) }
            (pager("/", &[], prev, next))
        },
    )
}

fn pager(path: &str, keep: &[(&str, &str)], prev: Option<u64>, next: Option<u64>) -> Markup {
    let link = |offset: u64| {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in keep {
            q.append_pair(k, v);
        }
        q.append_pair("offset", &offset.to_string());
        format!("{path}?{}", q.finish())
    };
    html! {
        nav.pager {
            @if let Some(p) = prev { a rel="prev" href=(link(p)) { "→ السابق" } } @else { span {} }
            @if let Some(n) = next { a rel="next" href=(link(n)) { "التالي ←" } }
        }
    }
}

fn quote_block(quote: &Quote) -> Markup {
    html! {
        blockquote {
            "«" (quote.text) "»"
            cite {
                @if let Some(id) = quote.speaker_entity {
                    a href={ "/entity/" (id) } { (quote.speaker_name.as_deref().unwrap_or(&quote.speaker)) }
                } @else if quote.speaker.is_empty() { "?" } @else { (quote.speaker) }
                @if let Some(source) = &quote.source { " — " (source) }
                " · " a href={ "/article/" (quote.article) } { (when(quote.published.as_deref())) }
            }
        }
    }
}

fn story_facts(facts: &StoryFacts) -> Markup {
    html! {
        @if !facts.entities.is_empty() {
            h2 { "الأعلام والأماكن" }
            ul.outlets {
                @for e in facts.entities.iter().take(40) {
                    li { a href={ "/entity/" (e.id) } { (e.name) } " (" (e.mentions) ")" }
                }
            }
        }
        @if !facts.quotes.is_empty() {
            h2 { "تصريحات" }
            @for q in facts.quotes.iter().take(30) { (quote_block(q)) }
        }
        @if !facts.figures.is_empty() {
            h2 { "الأرقام حسب المصدر" }
            div.table-wrap { table {
                thead { tr { th { "الوحدة" } th { "المصدر" } th { "القيم" } th { "النص" } } }
                tbody {
                    @for figure in facts.figures.iter().take(30) {
                        @for (i, outlet) in figure.by_outlet.iter().enumerate() {
                            tr {
                                @if i == 0 {
                                    td rowspan=(figure.by_outlet.len()) {
                                        (figure.unit.as_deref().unwrap_or("عدد")) " "
                                        @if figure.agree { span.badge { "متفقة" } }
                                        @else { span.badge.warn { "مختلفة" } }
                                    }
                                }
                                td { (outlet.source) }
                                td { (outlet.values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join("، ")) }
                                td { (outlet.texts.first().map(String::as_str).unwrap_or_default()) }
                            }
                        }
                    }
                }
            } }
        }
    }
}

/// `/story/{id}`.
pub fn story(story: &Story, facts: Option<&StoryFacts>) -> Markup {
    let title = title_or(story.headline.as_deref());
    layout(
        title,
        None,
        html! {
            h1 { (title) }
            div.meta {
                span.size { (story.size) " مقال" }
                span { (when(story.first_published.as_deref())) " — " (when(story.last_published.as_deref())) }
                @if let Some(topic) = story.topic { span { a href={ "/topic/" (topic) } { "الموضوع" } } }
            }
            @if !story.summary.is_empty() { p.summary { (story.summary) } }
            h2 { "التغطية حسب المصدر" }
            div.table-wrap { table {
                thead { tr { th { "المصدر" } th { "أول نشر" } th { "المقالات" } } }
                tbody {
                    @for outlet in &story.sources {
                        tr {
                            td { (Some(outlet.source.as_str()).filter(|s| !s.trim().is_empty()).unwrap_or("مصدر غير معروف")) }
                            td { (when(outlet.first_published.as_deref())) }
                            td { (outlet.articles) }
                        }
                    }
                }
            } }
            @if let Some(facts) = facts { (story_facts(facts)) }
            h2 { "المقالات" }
            ul.plain {
                @for a in &story.articles {
                    li {
                        a href={ "/article/" (a.id) } { (title_or(a.title.as_deref())) }
                        div.meta {
                            @if let Some(s) = &a.source { span { (s) } }
                            span { (when(a.published.as_deref())) }
                            @if let Some(url) = a.url.as_deref().and_then(safe_href) {
                                span { a href=(url) rel="noopener noreferrer nofollow" { "المصدر الأصلي" } }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// `/topics`.
pub fn topics(topics: &[Topic], next: Option<u64>, prev: Option<u64>) -> Markup {
    layout(
        "المواضيع",
        None,
        html! {
            h1 { "المواضيع" }
            @if topics.is_empty() { p.empty { "لا مواضيع بعد." } }
            @for t in topics {
                article.card {
                    h3 { a href={ "/topic/" (t.id) } { (title_or(t.label.as_deref())) } }
                    div.meta {
                        span { (t.stories) " قصة" } span { (t.articles) " مقال" }
                        span { (when(t.first_published.as_deref())) " — " (when(t.last_published.as_deref())) }
                    }
                }
            }
            (pager("/topics", &[], prev, next))
        },
    )
}

/// `/topic/{id}`: the SVG timeline and the stories by date.
pub fn topic(detail: &TopicDetail) -> Markup {
    let title = title_or(detail.topic.label.as_deref());
    layout(
        title,
        None,
        html! {
            h1 { (title) }
            div.meta {
                span { (detail.topic.stories) " قصة" } span { (detail.topic.articles) " مقال" }
            }
            h2 { "الخط الزمني" }
            (timeline_svg(&detail.timeline))
            ul.plain {
                @for e in &detail.timeline {
                    li {
                        span.meta { (e.date.as_deref().unwrap_or("بلا تاريخ")) } " "
                        a href={ "/story/" (e.story) } { (title_or(e.headline.as_deref())) }
                        " " span.meta { (e.size) " مقال · " (e.sources.join("، ")) }
                    }
                }
            }
        },
    )
}

/// `/entity/{id}`.
pub fn entity(detail: &EntityDetail) -> Markup {
    let e = &detail.entity;
    layout(
        &e.name,
        None,
        html! {
            h1 { (e.name) }
            div.meta {
                span.badge { (e.kind) }
                span { (e.mentions) " ذكر" } span { (e.articles) " مقال" }
            }
            @if e.aliases.len() > 1 {
                p { "يُكتب أيضًا: " (e.aliases.join("، ")) }
            }
            h2 { "القصص" }
            ul.plain {
                @for s in &detail.stories {
                    li {
                        a href={ "/story/" (s.id) } { (title_or(s.headline.as_deref())) }
                        div.meta { span { (when(s.first_published.as_deref())) } span { (s.size) " مقال" } span { (s.mentions) " ذكر" } }
                    }
                }
            }
            @if !detail.quotes.is_empty() {
                h2 { "تصريحاته" }
                @for q in &detail.quotes { (quote_block(q)) }
            }
        },
    )
}

/// `/article/{id}`.
pub fn article(
    detail: &ArticleDetail,
    story: Option<i64>,
    facts: Option<&ArticleFactsRow>,
) -> Markup {
    let a = &detail.article;
    let title = title_or(a.title.as_deref());
    layout(
        title,
        None,
        html! {
            h1 { (title) }
            div.meta {
                @if let Some(s) = &a.source { span { (s) } }
                span { (when(a.published.as_deref())) }
                @if let Some(story) = story { span { a href={ "/story/" (story) } { "القصة" } } }
                @if let Some(url) = a.url.as_deref().and_then(safe_href) {
                    span { a href=(url) rel="noopener noreferrer nofollow" { "المصدر الأصلي" } }
                }
                @if detail.superseded { span.badge.warn { "نسخة قديمة" } }
            }
            div.article-body.card {
                @for para in a.body.split('\n').filter(|p| !p.trim().is_empty()) { p { (para) } }
            }
            @if let Some(facts) = facts {
                @if !facts.entities.is_empty() {
                    h2 { "الأعلام والأماكن" }
                    ul.outlets {
                        @for m in &facts.entities { li { a href={ "/entity/" (m.entity) } { (m.text) } } }
                    }
                }
                @if !facts.quotes.is_empty() {
                    h2 { "تصريحات" }
                    @for q in &facts.quotes { (quote_block(q)) }
                }
            }
            @if let Some(group) = &detail.group {
                @if group.members.len() > 1 {
                    h2 { "نُشر أيضًا في" }
                    ul.plain {
                        @for m in group.members.iter().filter(|m| m.id != a.id) {
                            li {
                                a href={ "/article/" (m.id) } { (m.source.as_deref().unwrap_or("مصدر غير معروف")) }
                                " " span.meta { (when(m.published.as_deref())) }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// What the search page shows besides the form.
pub enum SearchOutcome<'a> {
    /// No query yet.
    Empty,
    /// The index is not built.
    Unavailable(&'a str),
    Results(&'a SearchResults),
}

/// The search form's current values.
#[derive(Debug, Default)]
pub struct SearchForm {
    pub q: String,
    pub since: String,
    pub until: String,
    pub source: String,
    pub collapse: bool,
    pub offset: u64,
    pub limit: u64,
}

impl SearchForm {
    fn keep(&self) -> Vec<(&str, &str)> {
        let mut keep = vec![("q", self.q.as_str())];
        for (k, v) in [
            ("since", &self.since),
            ("until", &self.until),
            ("source", &self.source),
        ] {
            if !v.is_empty() {
                keep.push((k, v.as_str()));
            }
        }
        if self.collapse {
            keep.push(("collapse", "1"));
        }
        keep
    }
}

fn facet_link(form: &SearchForm, facet: &FacetCount) -> String {
    let mut q = form_urlencoded::Serializer::new(String::from("/search?"));
    for (k, v) in form.keep() {
        if k != "source" {
            q.append_pair(k, v);
        }
    }
    q.append_pair("source", &facet.key);
    q.finish()
}

fn hit_card(hit: &Hit) -> Markup {
    html! {
        article.card {
            h3 { a href={ "/article/" (hit.id) } { (title_or(hit.title.as_deref())) } }
            div.meta {
                @if let Some(s) = &hit.source { span { (s) } }
                span { (when(hit.published.as_deref())) }
                @if let Some(story) = hit.story {
                    span { a href={ "/story/" (story) } { "القصة" }
                        @if hit.also_in_story > 0 { " (+" (hit.also_in_story) ")" } }
                }
            }
            p.summary { (highlighted(&hit.snippet, &hit.highlights)) }
        }
    }
}

/// `/search`: the filter form, facets, highlighted hits and paging.
pub fn search(form: &SearchForm, outcome: SearchOutcome<'_>) -> Markup {
    let title = if form.q.is_empty() {
        "بحث".to_string()
    } else {
        format!("بحث: {}", form.q)
    };
    layout(
        &title,
        Some(&form.q),
        html! {
            h1 { "بحث" }
            form.filters action="/search" method="get" {
                label { "الكلمات" input type="search" name="q" value=(form.q) maxlength="1000"; }
                label { "من" input type="date" name="since" value=(form.since); }
                label { "إلى" input type="date" name="until" value=(form.until); }
                label { "المصدر" input type="text" name="source" value=(form.source) maxlength="200"; }
                label.check { input type="checkbox" name="collapse" value="1" checked[form.collapse]; "نتيجة واحدة لكل قصة" }
                button type="submit" { "بحث" }
            }
            @match outcome {
                SearchOutcome::Empty => { p.empty { "اكتب كلمات للبحث؛ ضع العبارة بين علامتي تنصيص، واستبعد كلمة بوضع - قبلها." } }
                SearchOutcome::Unavailable(message) => { p.empty { (message) } }
                SearchOutcome::Results(results) => {
                    p.meta { @if !results.total_exact { "أكثر من " } (results.total) " نتيجة" }
                    @if let Some(facets) = &results.facets {
                        @if !facets.sources.is_empty() {
                            div.facets {
                                @for f in facets.sources.iter().take(15) {
                                    a.badge href=(facet_link(form, f)) { (f.key) " (" (f.count) ")" }
                                }
                            }
                        }
                    }
                    @if results.hits.is_empty() { p.empty { "لا نتائج." } }
                    @for hit in &results.hits { (hit_card(hit)) }
                    @let next = (results.hits.len() as u64 == form.limit && form.offset + form.limit < results.total).then_some(form.offset + form.limit);
                    @let prev = (form.offset > 0).then(|| form.offset.saturating_sub(form.limit));
                    (pager("/search", &form.keep(), prev, next))
                }
            }
        },
    )
}

/// An error page with its message.
pub fn error(status: u16, message: &str) -> Markup {
    layout(
        "خطأ",
        None,
        html! {
            div.card.error {
                h1 { "خطأ " (status) }
                p { (message) }
                p { a href="/" { "العودة إلى الصفحة الرئيسية" } }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_mark_escaped_text_and_skip_bad_ranges() {
        let snippet = "قال <b>الوزير</b> إن";
        let start = snippet.find("الوزير").unwrap();
        let end = start + "الوزير".len();
        let html = highlighted(snippet, &[(start, end), (1, 2), (end, 999), (0, 0)]).into_string();
        assert_eq!(html, "قال &lt;b&gt;<mark>الوزير</mark>&lt;/b&gt; إن");
    }

    #[test]
    fn only_web_urls_are_linked() {
        assert_eq!(
            safe_href("https://www.spa.gov.sa/1"),
            Some("https://www.spa.gov.sa/1")
        );
        assert_eq!(safe_href("HTTP://x.sa"), Some("HTTP://x.sa"));
        assert_eq!(safe_href("javascript:alert(1)"), None);
        assert_eq!(safe_href(" JaVaScRiPt:alert(1)"), None);
        assert_eq!(safe_href("data:text/html,x"), None);
    }

    #[test]
    fn the_layout_is_arabic_right_to_left_and_escapes_the_title() {
        let page = layout(
            "<script>alert(1)</script>",
            Some("\"><img src=x>"),
            html! {},
        )
        .into_string();
        assert!(page.contains("<html dir=\"rtl\" lang=\"ar\">"));
        assert!(!page.contains("<script>"));
        assert!(!page.contains("<img src=x>"));
        assert!(page.contains("&lt;script&gt;"));
    }

    #[test]
    fn times_are_shortened() {
        assert_eq!(when(Some("2015-07-21T10:30:00+03:00")), "2015-07-21 10:30");
        assert_eq!(when(None), "بلا تاريخ");
    }
}
