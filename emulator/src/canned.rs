//! The response of `respond` / `respond_after`: a status, a body given as JSON, text or base64 (optionally
//! repeated or chunked), and headers that override the defaults.

use axum::body::Body;
use axum::response::Response;
use base64::Engine;
use bytes::Bytes;
use http::{header, HeaderName, HeaderValue, StatusCode};

use crate::faults::Canned;
use crate::repeat_body::RepeatBody;
use crate::response::{general_error_body, JSON_CONTENT_TYPE};

/// The response of `respond` / `respond_after`. Without a body, an error status gets a `GeneralError`.
/// JSON numbers are sent as parsed: integers within 64 bits (ids past 2^53 included) stay exact.
pub(crate) fn canned(c: &Canned, request_id: &str) -> Response {
    let status = StatusCode::from_u16(c.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let (body, content_type): (Vec<u8>, Option<&'static str>) = if let Some(j) = &c.json {
        (j.to_string().into_bytes(), Some(JSON_CONTENT_TYPE))
    } else if let Some(b) = &c.body {
        (b.clone().into_bytes(), Some("text/plain; charset=utf-8"))
    } else if let Some(b) = &c.body_base64 {
        (
            base64::engine::general_purpose::STANDARD
                .decode(b)
                .unwrap_or_default(),
            Some("application/octet-stream"),
        )
    } else if status.is_client_error() || status.is_server_error() {
        let message = status
            .canonical_reason()
            .unwrap_or("error")
            .to_ascii_lowercase();
        (
            general_error_body(&message, request_id)
                .to_string()
                .into_bytes(),
            Some(JSON_CONTENT_TYPE),
        )
    } else {
        (Vec::new(), None)
    };
    let mut resp = if c.repeat.is_some() || c.chunked {
        let body = RepeatBody::new(Bytes::from(body), c.repeat.unwrap_or(1), !c.chunked);
        let length = (!c.chunked).then(|| body.len());
        let mut resp = Response::new(Body::new(body));
        if let Some(n) = length {
            resp.headers_mut()
                .insert(header::CONTENT_LENGTH, HeaderValue::from(n));
        }
        resp
    } else {
        Response::new(Body::from(body))
    };
    *resp.status_mut() = status;
    if let Some(ct) = content_type {
        resp.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    }
    for (name, value) in c.headers.iter().flatten() {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            resp.headers_mut().insert(n, v);
        }
    }
    resp
}
