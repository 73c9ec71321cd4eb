//! The JSON API: every list paginated (`limit` ≤ 100, default 20, `offset`),
//! every failure `{"error": "..."}` with its status. Handlers parse and bound
//! the parameters, then read the archive on a blocking thread.

use crate::error::ApiError;
use crate::params::{check_article_id, parse_id, Params, MAX_QUERY_TEXT, MAX_TEXT_PARAM};
use crate::search_cache;
use crate::security::{check_token, MAX_BODY_BYTES};
use crate::state::{AppState, SinkError};
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rasd_search::SearchRequest;
use rasd_store::{ArticleQuery, EntityQuery, QuoteQuery, StoryQuery, TopicQuery};
use serde_json::{json, Value};

/// Pages one POST may carry.
pub const MAX_PAGES_PER_POST: usize = 10_000;

type ApiResult = Result<Json<Value>, ApiError>;

fn to_value<T: serde::Serialize>(value: T) -> Result<Value, ApiError> {
    serde_json::to_value(value).map_err(|e| ApiError::Internal(format!("serializing: {e}")))
}

/// A path segment as extracted, or the rejection (bad percent-encoding, not UTF-8).
pub type PathText = Result<Path<String>, PathRejection>;

/// The segment, or a 400 in our words (axum's own message would quote the input).
pub fn path_text(path: PathText) -> Result<String, ApiError> {
    path.map(|Path(text)| text)
        .map_err(|_| ApiError::BadRequest("malformed path".into()))
}

fn path_id(text: &str, what: &str) -> Result<i64, ApiError> {
    parse_id(text).ok_or_else(|| ApiError::BadRequest(format!("{what} id must be a number")))
}

/// `GET /health`.
pub async fn health(State(state): State<AppState>) -> ApiResult {
    // Cheap on purpose (probes call it often): the archive opens and answers.
    let schema = state.read(|a| Ok(a.schema_version()?)).await?;
    Ok(Json(json!({
        "status": "ok",
        "schema_version": schema,
        "search": state.has_search(),
        "writable": state.shared.token.is_some() && state.shared.sink.is_some(),
    })))
}

/// `GET /api/stats`.
pub async fn stats(State(state): State<AppState>) -> ApiResult {
    let stats = state.read(|a| to_value(a.stats()?)).await?;
    let docs = state.search(|index, _| Ok(index.num_docs())).await.ok();
    let mut stats = stats;
    stats["search_documents"] = json!(docs);
    Ok(Json(stats))
}

/// `GET /api/articles?source&since&until&limit&offset`.
pub async fn articles(State(state): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let params = Params::parse(raw.as_deref())?;
    let paging = params.page()?;
    let query = ArticleQuery {
        source: params.text("source", MAX_TEXT_PARAM)?,
        since: params.date("since")?,
        until: params.date("until")?,
        limit: Some(paging.probe()),
        offset: paging.offset,
        all_versions: false,
    };
    let items = state.read(move |a| Ok(a.articles(&query)?)).await?;
    Ok(Json(paging.wrap(items)))
}

/// `GET /api/articles/{id}`: the article, its duplicate group, versions, story and facts.
pub async fn article(State(state): State<AppState>, path: PathText) -> ApiResult {
    let id = path_text(path)?;
    check_article_id(&id)?;
    let found = state
        .read(move |a| {
            let Some(detail) = a.article(&id)? else {
                return Ok(None);
            };
            let story = a.story_of(&id)?;
            let facts = a.article_facts(&id)?;
            let mut value = to_value(detail)?;
            value["story"] = json!(story);
            value["facts"] = to_value(facts)?;
            Ok(Some(value))
        })
        .await?;
    found
        .map(Json)
        .ok_or_else(|| ApiError::NotFound("no such article".into()))
}

/// `GET /api/stories?since&until&source&min_size&topic&limit&offset`.
pub async fn stories(State(state): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let params = Params::parse(raw.as_deref())?;
    let paging = params.page()?;
    let query = StoryQuery {
        since: params.date("since")?,
        until: params.date("until")?,
        source: params.text("source", MAX_TEXT_PARAM)?,
        min_size: params.u64("min_size", 0, 0, 1_000_000)?,
        topic: params.id("topic")?,
        limit: Some(paging.probe()),
        offset: paging.offset,
    };
    let items = state.read(move |a| Ok(a.stories(&query)?)).await?;
    Ok(Json(paging.wrap(items)))
}

/// `GET /api/stories/{id}`: the story with its facts across outlets.
pub async fn story(State(state): State<AppState>, path: PathText) -> ApiResult {
    let id = path_text(path)?;
    let id = path_id(&id, "story")?;
    let found = state
        .read(move |a| {
            let Some(story) = a.story(id)? else {
                return Ok(None);
            };
            let facts = a.story_facts(story.id)?;
            let mut value = to_value(story)?;
            value["facts"] = to_value(facts)?;
            Ok(Some(value))
        })
        .await?;
    found
        .map(Json)
        .ok_or_else(|| ApiError::NotFound("no such story".into()))
}

/// `GET /api/topics?min_stories&limit&offset`.
pub async fn topics(State(state): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let params = Params::parse(raw.as_deref())?;
    let paging = params.page()?;
    let query = TopicQuery {
        min_stories: params.u64("min_stories", 0, 0, 1_000_000)?,
        limit: Some(paging.probe()),
        offset: paging.offset,
    };
    let items = state.read(move |a| Ok(a.topics(&query)?)).await?;
    Ok(Json(paging.wrap(items)))
}

/// `GET /api/topics/{id}`: the topic with its timeline.
pub async fn topic(State(state): State<AppState>, path: PathText) -> ApiResult {
    let id = path_text(path)?;
    let id = path_id(&id, "topic")?;
    let found = state.read(move |a| Ok(a.topic(id)?)).await?;
    Ok(Json(to_value(found.ok_or_else(|| {
        ApiError::NotFound("no such topic".into())
    })?)?))
}

/// `GET /api/entities?type&name&limit&offset`.
pub async fn entities(State(state): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let params = Params::parse(raw.as_deref())?;
    let paging = params.page()?;
    let kind = params.text("type", 8)?;
    if let Some(kind) = &kind {
        if !matches!(kind.as_str(), "PERS" | "LOC" | "ORG" | "MISC") {
            return Err(ApiError::BadRequest(
                "parameter `type` must be PERS, LOC, ORG or MISC".into(),
            ));
        }
    }
    let query = EntityQuery {
        kind,
        name: params.text("name", MAX_TEXT_PARAM)?,
        limit: Some(paging.probe()),
        offset: paging.offset,
    };
    let items = state.read(move |a| Ok(a.entities(&query)?)).await?;
    Ok(Json(paging.wrap(items)))
}

/// `GET /api/entities/{id}`: the entity with its stories and quotes.
pub async fn entity(State(state): State<AppState>, path: PathText) -> ApiResult {
    let id = path_text(path)?;
    let id = path_id(&id, "entity")?;
    let found = state.read(move |a| Ok(a.entity(id)?)).await?;
    Ok(Json(to_value(found.ok_or_else(|| {
        ApiError::NotFound("no such entity".into())
    })?)?))
}

/// `GET /api/quotes?speaker&story&article&limit&offset`.
pub async fn quotes(State(state): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let params = Params::parse(raw.as_deref())?;
    let paging = params.page()?;
    let article = params.text("article", 128)?;
    if let Some(article) = &article {
        check_article_id(article)?;
    }
    let query = QuoteQuery {
        speaker: params.text("speaker", MAX_TEXT_PARAM)?,
        story: params.id("story")?,
        article,
        limit: Some(paging.probe()),
        offset: paging.offset,
    };
    let items = state.read(move |a| Ok(a.quotes(&query)?)).await?;
    Ok(Json(paging.wrap(items)))
}

/// The search parameters shared by the API and the search page.
pub fn search_request(params: &Params) -> Result<SearchRequest, ApiError> {
    let paging = params.page()?;
    Ok(SearchRequest {
        query: params.text("q", MAX_QUERY_TEXT)?.unwrap_or_default(),
        since: params.date("since")?,
        until: params.date("until")?,
        source: params.text("source", MAX_TEXT_PARAM)?,
        lang: params.text("lang", 16)?,
        entity: params.id("entity")?,
        limit: paging.limit as usize,
        offset: paging.offset as usize,
        collapse: params.flag("collapse", false)?,
        facets: params.flag("facets", false)?,
        without_snippets: !params.flag("snippets", true)?,
        exact_total: params.flag("exact_total", false)?,
    })
}

/// `GET /api/search?q&since&until&source&lang&entity&collapse&facets&snippets&exact_total&limit&offset`.
///
/// Answers repeated on the same index generation come from the cache.
/// `total` is counted up to [`rasd_search::TOTAL_COUNT_BOUND`] unless
/// `exact_total` (or `facets`) is set; `total_exact` says which.
pub async fn search(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref())?;
    let request = search_request(&params)?;
    if request.query.is_empty() {
        return Err(ApiError::BadRequest("parameter `q` is required".into()));
    }
    let shared = std::sync::Arc::clone(&state.shared);
    let body = state
        .search(move |index, archive| {
            let generation = index.generation();
            let key = search_cache::key(&request);
            if let Some(answer) = shared.search_cache.get(generation, &key) {
                return Ok(answer);
            }
            let stories_of = |ids: &[String]| archive.stories_of_or_none(ids);
            let results = index.search(&request, &stories_of)?;
            let (limit, offset) = (request.limit as u64, request.offset as u64);
            let more = results.hits.len() as u64 == limit && offset + limit < results.total;
            // Written straight from the results: a `json!` value would
            // first copy every hit into a map.
            #[derive(serde::Serialize)]
            struct Answer<'a> {
                total: u64,
                total_exact: bool,
                limit: u64,
                offset: u64,
                next_offset: Option<u64>,
                hits: &'a [rasd_search::Hit],
                facets: &'a Option<rasd_search::Facets>,
            }
            let answer = serde_json::to_vec(&Answer {
                total: results.total,
                total_exact: results.total_exact,
                limit,
                offset,
                next_offset: more.then_some(offset + limit),
                hits: &results.hits,
                facets: &results.facets,
            })
            .map_err(|e| ApiError::Internal(format!("serializing: {e}")))?;
            let answer = Bytes::from(answer);
            shared.search_cache.put(generation, key, answer.clone());
            Ok(answer)
        })
        .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// `POST /api/pages`: one page object, a JSON array of them, or JSON Lines;
/// needs the token. Answers the ingest summary.
pub async fn post_pages(State(state): State<AppState>, request: Request) -> ApiResult {
    check_token(state.shared.token.as_deref(), request.headers())?;
    let sink = state.shared.sink.clone().ok_or(ApiError::ReadOnly)?;
    let body = axum::body::to_bytes(request.into_body(), MAX_BODY_BYTES)
        .await
        .map_err(|_| ApiError::PayloadTooLarge {
            limit: MAX_BODY_BYTES,
        })?;
    let (jsonl, count) = pages_to_jsonl(&body)?;
    let _writing = state.shared.write_lock.lock().await;
    let summary = tokio::task::spawn_blocking(move || sink.ingest(&jsonl))
        .await
        .map_err(|e| ApiError::Internal(format!("the ingest task failed: {e}")))?
        .map_err(|e| match e {
            SinkError::BadInput(message) => ApiError::BadRequest(message),
            SinkError::Failed(message) => ApiError::Internal(message),
        })?;
    state.shared.metrics.pages_ingested.inc();
    // The new articles are searchable at once, not at the next tick.
    let refresh = state.clone();
    let _ = tokio::task::spawn_blocking(move || refresh.refresh_search()).await;
    Ok(Json(json!({ "accepted": count, "summary": summary })))
}

/// Checks a POST body and turns it into JSON Lines: a single object, an array
/// of objects, or JSON Lines, each with a `html`, `text` or `body` string.
pub fn pages_to_jsonl(body: &[u8]) -> Result<(Vec<u8>, usize), ApiError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| ApiError::BadRequest("the body is not UTF-8".into()))?;
    if text.trim().is_empty() {
        return Err(ApiError::BadRequest("the body is empty".into()));
    }
    let records: Vec<Value> = match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => items,
        Ok(value) => vec![value],
        Err(_) => text
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(n, line)| {
                serde_json::from_str::<Value>(line)
                    .map_err(|_| ApiError::BadRequest(format!("line {} is not valid JSON", n + 1)))
            })
            .collect::<Result<_, _>>()?,
    };
    if records.len() > MAX_PAGES_PER_POST {
        return Err(ApiError::BadRequest(format!(
            "more than {MAX_PAGES_PER_POST} pages in one request"
        )));
    }
    let mut out = Vec::with_capacity(body.len() + records.len());
    for (n, record) in records.iter().enumerate() {
        let Some(object) = record.as_object() else {
            return Err(ApiError::BadRequest(format!(
                "record {} is not a JSON object",
                n + 1
            )));
        };
        if !["html", "text", "body"]
            .iter()
            .any(|k| object.get(*k).is_some_and(Value::is_string))
        {
            return Err(ApiError::BadRequest(format!(
                "record {} has no `html`, `text` or `body` string",
                n + 1
            )));
        }
        serde_json::to_writer(&mut out, record)
            .map_err(|e| ApiError::Internal(format!("re-encoding a page: {e}")))?;
        out.push(b'\n');
    }
    Ok((out, records.len()))
}

/// `GET /openapi.json`.
pub async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        crate::openapi::OPENAPI_JSON,
    )
}

/// Unknown `/api/…` paths.
pub async fn not_found() -> ApiError {
    ApiError::NotFound("no such endpoint (see /openapi.json)".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_page_an_array_and_json_lines_are_accepted() {
        let one = r#"{"url": "https://www.sabq.org/1", "html": "<p>أمطار غزيرة</p>"}"#;
        let (jsonl, n) = pages_to_jsonl(one.as_bytes()).unwrap();
        assert_eq!(n, 1);
        assert_eq!(jsonl.iter().filter(|b| **b == b'\n').count(), 1);
        let array = format!("[{one}, {one}]");
        assert_eq!(pages_to_jsonl(array.as_bytes()).unwrap().1, 2);
        let lines = format!("{one}\n\n{one}\n");
        assert_eq!(pages_to_jsonl(lines.as_bytes()).unwrap().1, 2);
    }

    #[test]
    fn bad_bodies_get_a_message_naming_the_record() {
        let err = pages_to_jsonl(b"{\"html\": \"x\"}\nnot json").unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
        let err = pages_to_jsonl(br#"{"url": "https://x.sa"}"#).unwrap_err();
        assert!(err.to_string().contains("record 1"), "{err}");
        assert!(pages_to_jsonl(b"   ").is_err());
        assert!(pages_to_jsonl(&[0xff, 0xfe]).is_err());
        assert!(pages_to_jsonl(b"[1, 2]").is_err());
    }
}
