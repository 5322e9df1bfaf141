//! Building HTTP responses the way Neon sends them: JSON with `charset=utf-8`, errors as `GeneralError`.

use axum::body::Body;
use axum::response::Response;
use http::{header, HeaderValue, StatusCode};
use serde_json::{json, Value};

/// The content type Neon answers with.
pub(crate) const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";
/// The response header that echoes the request id.
pub(crate) const REQUEST_ID_HEADER: &str = "x-neon-ret-request-id";

/// A JSON response with Neon's content type.
pub(crate) fn json_response(status: StatusCode, value: &Value) -> Response {
    bytes_response(status, value.to_string().into_bytes())
}

/// A response with a JSON body given as bytes.
pub(crate) fn bytes_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    resp
}

/// A `GeneralError` body: `{"code":"","message":...,"request_id":...}`.
pub(crate) fn general_error_body(message: &str, request_id: &str) -> Value {
    json!({"code": "", "message": message, "request_id": request_id})
}

/// A `GeneralError` response.
pub(crate) fn general_error(status: StatusCode, message: &str, request_id: &str) -> Response {
    json_response(status, &general_error_body(message, request_id))
}

/// An error of a Neon handler: the status and the message of its `GeneralError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    /// An error with this status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }

    /// 400 `invalid request: ...`.
    pub fn bad_request(detail: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            format!("invalid request: {detail}"),
        )
    }

    /// 404 with this message.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// 403 with this message.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }
}
