//! rasd's HTTP server: a JSON API over the archive and the search index, an
//! Arabic right-to-left web page, Prometheus metrics and an OpenAPI document,
//! all from one binary with every asset embedded (no CDN, no build-time
//! downloads).
//!
//! Input → output: an HTTP request → a JSON document or an HTML page read
//! from the archive (`rasd-store`) and the index (`rasd-search`); a
//! `POST /api/pages` with the right token → pages handed to a [`PageSink`]
//! (the binary's ingest pipeline).
//!
//! Invariants:
//! - page text is untrusted: every value reaches HTML through `maud`'s
//!   escaping, links only ever point to `http(s)` URLs or our own paths, and
//!   a strict Content-Security-Policy forbids inline script on every response;
//! - every list is paginated (`limit` ≤ 100, default 20), query text is at most
//!   1,000 bytes, request bodies at most 16 MiB (else 413);
//! - malformed input gets a 400 with a message in our own words, never a 500,
//!   never the raw input reflected;
//! - without a token the server is read-only; the token is compared in
//!   constant time.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use rasd_server::{AppState, ServerConfig};
//! let state = AppState::new(ServerConfig {
//!     data_dir: "data".into(),
//!     token: None,
//!     sink: None,
//!     reload_every: std::time::Duration::from_secs(2),
//! })?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! rasd_server::serve(listener, state).await?;
//! # Ok(()) }
//! ```

mod api;
mod error;
mod metrics;
mod openapi;
mod params;
mod search_cache;
mod security;
mod state;
mod web;

pub use error::ApiError;
pub use openapi::OPENAPI_JSON;
pub use params::{MAX_LIMIT, MAX_QUERY_TEXT};
pub use search_cache::{
    DEFAULT_BYTES as SEARCH_CACHE_BYTES, DEFAULT_ENTRIES as SEARCH_CACHE_ENTRIES,
};
pub use security::{CONTENT_SECURITY_POLICY, MAX_BODY_BYTES};
pub use state::{AppState, PageSink, ServerConfig, SinkError};

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

/// The address `rasd serve` binds when none is given: loopback only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// Every route of the server, with its middleware.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/stories", get(api::stories))
        .route("/stories/{id}", get(api::story))
        .route("/topics", get(api::topics))
        .route("/topics/{id}", get(api::topic))
        .route("/articles", get(api::articles))
        .route("/articles/{id}", get(api::article))
        .route("/entities", get(api::entities))
        .route("/entities/{id}", get(api::entity))
        .route("/quotes", get(api::quotes))
        .route("/search", get(api::search))
        .route("/stats", get(api::stats))
        .route("/pages", post(api::post_pages))
        .fallback(api::not_found);
    Router::new()
        .nest("/api", api)
        .route("/health", get(api::health))
        .route("/openapi.json", get(api::openapi))
        .route("/metrics", get(metrics::serve_metrics))
        .merge(web::routes())
        .fallback(web::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(security::guard))
        // One INFO line per request (method, path, status, latency): `rasd -v serve`.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// Serves until Ctrl-C or SIGTERM, keeping the search index fresh meanwhile.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    state.spawn_search_refresh();
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{header, Request, StatusCode};
    use rasd_model::Article;
    use rasd_store::{Archive, ExactOnly, IngestItem, OpenOptions};
    use tower::ServiceExt;

    /// An archive with one article whose title is hostile, and no search index.
    fn state(dir: &std::path::Path) -> AppState {
        let mut archive = Archive::open(dir, &OpenOptions::writer()).unwrap();
        let article = Article {
            url: Some("javascript:alert(1)".into()),
            title: Some("<script>alert(1)</script> أمطار على جدة".into()),
            body: "هطلت أمطار غزيرة على جدة اليوم <img src=x onerror=alert(2)>.".into(),
            published: Some("2015-11-17".into()),
            source: Some("سبق".into()),
            ..Article::default()
        };
        archive
            .ingest_batch(vec![IngestItem::from_article(article, 0)], 0, &ExactOnly)
            .unwrap();
        drop(archive);
        AppState::new(ServerConfig {
            data_dir: dir.to_path_buf(),
            token: None,
            sink: None,
            reload_every: std::time::Duration::from_secs(60),
        })
        .unwrap()
    }

    async fn call(state: &AppState, request: Request<Body>) -> (StatusCode, String, String) {
        let response = router(state.clone()).oneshot(request).await.unwrap();
        let status = response.status();
        let csp = response
            .headers()
            .get(header::CONTENT_SECURITY_POLICY)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, csp, String::from_utf8(body.to_vec()).unwrap())
    }

    fn get(uri: &str) -> Request<Body> {
        Request::get(uri).body(Body::empty()).unwrap()
    }

    #[tokio::test]
    async fn every_response_carries_the_policy_and_errors_are_json() {
        let dir = tempfile::tempdir().unwrap();
        let state = state(dir.path());
        let (status, csp, body) = call(&state, get("/api/articles?limit=5")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(csp, CONTENT_SECURITY_POLICY);
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["items"].as_array().unwrap().len(), 1);
        let (status, csp, body) = call(&state, get("/api/nowhere")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(csp, CONTENT_SECURITY_POLICY);
        assert!(body.starts_with("{\"error\":"), "{body}");
        let (status, _, body) = call(&state, get("/api/search?q=%D9%85%D8%B7%D8%B1")).await;
        assert_eq!(
            status,
            StatusCode::SERVICE_UNAVAILABLE,
            "no index yet: {body}"
        );
    }

    /// Indexes `docs` into the archive's search index and commits.
    fn index(dir: &std::path::Path, docs: &[(&str, &str)]) {
        let mut index =
            rasd_search::SearchIndex::open(&dir.join(rasd_search::INDEX_DIR), true).unwrap();
        let docs: Vec<rasd_search::IndexDoc> = docs
            .iter()
            .map(|(id, body)| rasd_search::IndexDoc {
                id: id.to_string(),
                body: body.to_string(),
                ..rasd_search::IndexDoc::default()
            })
            .collect();
        index.upsert(&docs).unwrap();
        index.commit().unwrap();
        index.close().unwrap();
    }

    #[tokio::test]
    async fn cached_search_answers_follow_the_index_generation() {
        let dir = tempfile::tempdir().unwrap();
        let state = state(dir.path());
        index(dir.path(), &[("x1", "هطلت أمطار غزيرة على جدة")]);
        state.refresh_search();
        // «أمطار» percent-encoded.
        let uri = "/api/search?q=%D8%A3%D9%85%D8%B7%D8%A7%D8%B1";
        let total = |body: &str| -> u64 {
            let v: serde_json::Value = serde_json::from_str(body).unwrap();
            v["total"].as_u64().unwrap()
        };
        let (status, _, first) = call(&state, get(uri)).await;
        assert_eq!(status, StatusCode::OK, "{first}");
        assert_eq!(total(&first), 1);
        assert_eq!(state.shared.search_cache.len(), 1);
        let (_, _, again) = call(&state, get(uri)).await;
        assert_eq!(again, first);
        // Another process commits; the reload moves the generation.
        index(dir.path(), &[("x2", "أمطار متوقعة على الرياض")]);
        state.refresh_search();
        let (_, _, after) = call(&state, get(uri)).await;
        assert_eq!(
            total(&after),
            2,
            "a stale cached answer was served: {after}"
        );
        let (_, _, bare) = call(&state, get(&format!("{uri}&snippets=false"))).await;
        let v: serde_json::Value = serde_json::from_str(&bare).unwrap();
        assert_eq!(v["hits"][0]["snippet"], "", "{bare}");
        let v: serde_json::Value = serde_json::from_str(&after).unwrap();
        assert_ne!(v["hits"][0]["snippet"], "", "{after}");
        // Two matches are far below the count bound: the total is exact.
        assert_eq!(v["total_exact"], true, "{after}");
        let (status, _, exact) = call(&state, get(&format!("{uri}&exact_total=true"))).await;
        assert_eq!(status, StatusCode::OK, "{exact}");
        let e: serde_json::Value = serde_json::from_str(&exact).unwrap();
        assert_eq!(
            (e["total"].as_u64(), &e["total_exact"]),
            (Some(2), &v["total_exact"])
        );
        let (status, _, bad) = call(&state, get(&format!("{uri}&exact_total=maybe"))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        // Without the cache the answer is the same.
        state.set_search_cache(0, 0);
        let (_, _, uncached) = call(&state, get(uri)).await;
        assert_eq!(uncached, after);
        assert_eq!(state.shared.search_cache.len(), 0);
    }

    #[tokio::test]
    async fn oversized_and_unauthorised_writes_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let state = state(dir.path());
        let big = Request::post("/api/pages")
            .header(header::CONTENT_LENGTH, (MAX_BODY_BYTES + 1).to_string())
            .body(Body::empty())
            .unwrap();
        assert_eq!(call(&state, big).await.0, StatusCode::PAYLOAD_TOO_LARGE);
        let post = Request::post("/api/pages")
            .header(header::AUTHORIZATION, "Bearer x")
            .body(Body::from(r#"{"html": "<p>خبر</p>"}"#))
            .unwrap();
        assert_eq!(call(&state, post).await.0, StatusCode::FORBIDDEN);
    }

    #[tokio::test]
    async fn the_article_page_shows_hostile_text_escaped() {
        let dir = tempfile::tempdir().unwrap();
        let state = state(dir.path());
        let (_, _, list) = call(&state, get("/api/articles")).await;
        let v: serde_json::Value = serde_json::from_str(&list).unwrap();
        let id = v["items"][0]["id"].as_str().unwrap().to_string();
        let (status, _, html) = call(&state, get(&format!("/article/{id}"))).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; أمطار على جدة"));
        assert!(!html.contains("<script") && !html.contains("<img"));
        assert!(!html.contains("href=\"javascript:"));
    }
}
