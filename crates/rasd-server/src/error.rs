//! What a request can fail with, and how each failure is answered: JSON
//! `{"error": "..."}` with the matching status on the API, a styled page on
//! the web side ([`crate::web`] wraps it). Messages are our own words, never
//! the raw input, and internal details go to the log, not to the client.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// A failed request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A malformed or out-of-bounds parameter or body.
    #[error("{0}")]
    BadRequest(String),
    /// No such resource.
    #[error("{0}")]
    NotFound(String),
    /// A write without the right token.
    #[error("a valid token is required: send `Authorization: Bearer <RASD_TOKEN>`")]
    Unauthorized,
    /// Writes are off: the server was started without `RASD_TOKEN`.
    #[error("this server is read-only (start it with RASD_TOKEN set to accept pages)")]
    ReadOnly,
    /// The request body is over the limit.
    #[error("the request body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    /// Something the server needs is not there yet (e.g. the search index).
    #[error("{0}")]
    Unavailable(String),
    /// A failure on our side; the detail is logged, not sent.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::ReadOnly => StatusCode::FORBIDDEN,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Logs internal failures (once, where the response is built).
    pub(crate) fn log(&self) {
        if let ApiError::Internal(detail) = self {
            tracing::error!("internal error: {detail}");
        }
    }
}

impl From<rasd_store::StoreError> for ApiError {
    fn from(err: rasd_store::StoreError) -> ApiError {
        match err {
            rasd_store::StoreError::Locked { .. } => {
                ApiError::Unavailable("the archive is busy; try again".into())
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<rasd_search::SearchError> for ApiError {
    fn from(err: rasd_search::SearchError) -> ApiError {
        match err {
            rasd_search::SearchError::Query(message) => {
                ApiError::BadRequest(format!("bad query: {message}"))
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.log();
        let status = self.status();
        let body = serde_json::json!({ "error": self.to_string() });
        let mut response = (status, axum::Json(body)).into_response();
        if matches!(self, ApiError::Unauthorized) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
