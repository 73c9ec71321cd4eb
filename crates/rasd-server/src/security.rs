//! The server's defences: security headers on every response (a strict
//! Content-Security-Policy among them), a request-size cap answered with 413
//! before any body is read, and the write token compared in constant time.

use crate::error::ApiError;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

/// The largest request body accepted (a batch of pages).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Only our own stylesheet and script; no inline code, no framing, no
/// plug-ins, no foreign form targets.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Middleware: refuses declared-oversized bodies and adds the security headers.
pub async fn guard(request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let mut response = match declared {
        Some(n) if n > MAX_BODY_BYTES as u64 => ApiError::PayloadTooLarge {
            limit: MAX_BODY_BYTES,
        }
        .into_response(),
        _ => next.run(request).await,
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// Checks `Authorization: Bearer <token>` against the configured token.
pub fn check_token(configured: Option<&str>, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(expected) = configured else {
        return Err(ApiError::ReadOnly);
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or(ApiError::Unauthorized)?;
    // Equal lengths are compared byte by byte in constant time; a length
    // mismatch is refused at once (the length is not the secret).
    if given.len() == expected.len() && bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
        Ok(())
    } else {
        Err(ApiError::Unauthorized)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bearer(token: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
        );
        h
    }

    #[test]
    fn the_token_must_match_exactly() {
        assert!(check_token(Some("سر-1234"), &bearer("x")).is_err());
        assert!(check_token(Some("secret-1234"), &bearer("secret-1234")).is_ok());
        assert!(matches!(
            check_token(Some("secret-1234"), &bearer("secret-1235")),
            Err(ApiError::Unauthorized)
        ));
        assert!(matches!(
            check_token(Some("secret-1234"), &HeaderMap::new()),
            Err(ApiError::Unauthorized)
        ));
        assert!(matches!(
            check_token(None, &bearer("anything")),
            Err(ApiError::ReadOnly)
        ));
    }
}
