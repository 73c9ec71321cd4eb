//! The web page: Arabic, right to left, readable on a phone and a desktop,
//! every asset embedded in the binary. Routes: `/` (latest stories),
//! `/search`, `/story/{id}`, `/topics`, `/topic/{id}`, `/entity/{id}`,
//! `/article/{id}`, `/static/…`. In: the same archive reads as the API.
//! Out: HTML from [`pages`], or a styled error page.

mod pages;
mod timeline;

use crate::api::{path_text, search_request, PathText};
use crate::error::ApiError;
use crate::params::{check_article_id, parse_id, Params};
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::Markup;
use rasd_store::{StoryQuery, TopicQuery};

const STYLE_CSS: &str = include_str!("style.css");
const ICON_SVG: &str = include_str!("icon.svg");

/// Stories or topics per web page.
const PER_PAGE: u64 = 30;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/search", get(search))
        .route("/story/{id}", get(story))
        .route("/topics", get(topics))
        .route("/topic/{id}", get(topic))
        .route("/entity/{id}", get(entity))
        .route("/article/{id}", get(article))
        .route("/static/style.css", get(style))
        .route("/static/icon.svg", get(icon))
}

/// A failed page: the API error, shown as a styled HTML page.
pub struct PageError(ApiError);

impl From<ApiError> for PageError {
    fn from(err: ApiError) -> PageError {
        PageError(err)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.0.log();
        let status = self.0.status();
        (
            status,
            Html(pages::error(status.as_u16(), &self.0.to_string()).into_string()),
        )
            .into_response()
    }
}

type PageResult = Result<Html<String>, PageError>;

fn html(markup: Markup) -> PageResult {
    Ok(Html(markup.into_string()))
}

fn page_id(text: &str, what: &str) -> Result<i64, PageError> {
    parse_id(text)
        .ok_or_else(|| PageError(ApiError::BadRequest(format!("{what} id must be a number"))))
}

fn around(offset: u64, shown: usize, per_page: u64) -> (Option<u64>, Option<u64>) {
    let next = (shown as u64 > per_page).then_some(offset + per_page);
    let prev = (offset > 0).then(|| offset.saturating_sub(per_page));
    (next, prev)
}

async fn home(State(state): State<AppState>, RawQuery(raw): RawQuery) -> PageResult {
    let params = Params::parse(raw.as_deref())?;
    let offset = params.u64("offset", 0, 0, crate::params::MAX_OFFSET)?;
    let (mut stories, articles) = state
        .read(move |a| {
            let stories = a.stories(&StoryQuery {
                limit: Some(PER_PAGE + 1),
                offset,
                ..StoryQuery::default()
            })?;
            Ok((stories, a.article_count()?))
        })
        .await?;
    let (next, prev) = around(offset, stories.len(), PER_PAGE);
    stories.truncate(PER_PAGE as usize);
    html(pages::home(&stories, articles, next, prev))
}

async fn topics(State(state): State<AppState>, RawQuery(raw): RawQuery) -> PageResult {
    let params = Params::parse(raw.as_deref())?;
    let offset = params.u64("offset", 0, 0, crate::params::MAX_OFFSET)?;
    let mut topics = state
        .read(move |a| {
            Ok(a.topics(&TopicQuery {
                limit: Some(PER_PAGE + 1),
                offset,
                ..TopicQuery::default()
            })?)
        })
        .await?;
    let (next, prev) = around(offset, topics.len(), PER_PAGE);
    topics.truncate(PER_PAGE as usize);
    html(pages::topics(&topics, next, prev))
}

async fn story(State(state): State<AppState>, path: PathText) -> PageResult {
    let id = path_text(path)?;
    let id = page_id(&id, "story")?;
    let (story, facts) = state
        .read(move |a| {
            let Some(story) = a.story(id)? else {
                return Err(ApiError::NotFound("no such story".into()));
            };
            let facts = a.story_facts(story.id)?;
            Ok((story, facts))
        })
        .await?;
    html(pages::story(&story, facts.as_ref()))
}

async fn topic(State(state): State<AppState>, path: PathText) -> PageResult {
    let id = path_text(path)?;
    let id = page_id(&id, "topic")?;
    let detail = state
        .read(move |a| {
            a.topic(id)?
                .ok_or_else(|| ApiError::NotFound("no such topic".into()))
        })
        .await?;
    html(pages::topic(&detail))
}

async fn entity(State(state): State<AppState>, path: PathText) -> PageResult {
    let id = path_text(path)?;
    let id = page_id(&id, "entity")?;
    let detail = state
        .read(move |a| {
            a.entity(id)?
                .ok_or_else(|| ApiError::NotFound("no such entity".into()))
        })
        .await?;
    html(pages::entity(&detail))
}

async fn article(State(state): State<AppState>, path: PathText) -> PageResult {
    let id = path_text(path)?;
    check_article_id(&id)?;
    let (detail, story, facts) = state
        .read(move |a| {
            let Some(detail) = a.article(&id)? else {
                return Err(ApiError::NotFound("no such article".into()));
            };
            Ok((detail, a.story_of(&id)?, a.article_facts(&id)?))
        })
        .await?;
    html(pages::article(&detail, story, facts.as_ref()))
}

async fn search(State(state): State<AppState>, RawQuery(raw): RawQuery) -> PageResult {
    let params = Params::parse(raw.as_deref())?;
    let mut request = search_request(&params)?;
    request.facets = true;
    let form = pages::SearchForm {
        q: request.query.clone(),
        since: request.since.clone().unwrap_or_default(),
        until: request.until.clone().unwrap_or_default(),
        source: request.source.clone().unwrap_or_default(),
        collapse: request.collapse,
        offset: request.offset as u64,
        limit: request.limit as u64,
    };
    if request.query.is_empty() {
        return html(pages::search(&form, pages::SearchOutcome::Empty));
    }
    let results = state
        .search(move |index, archive| {
            let stories_of = |ids: &[String]| archive.stories_of_or_none(ids);
            Ok(index.search(&request, &stories_of)?)
        })
        .await;
    match results {
        Ok(results) => html(pages::search(
            &form,
            pages::SearchOutcome::Results(&results),
        )),
        Err(ApiError::Unavailable(_)) => html(pages::search(
            &form,
            pages::SearchOutcome::Unavailable("فهرس البحث غير جاهز بعد."),
        )),
        Err(err) => Err(err.into()),
    }
}

async fn style() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE_CSS,
    )
}

async fn icon() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        ICON_SVG,
    )
}

/// Any other path: a 404 page (JSON under `/api` is handled there).
pub async fn not_found() -> Response {
    PageError(ApiError::NotFound("لا توجد صفحة بهذا العنوان".into())).into_response()
}
