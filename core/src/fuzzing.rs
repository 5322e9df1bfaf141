//! Entry points for the fuzz targets in `fuzz/` (not part of the supported API; may change at any time).

use crate::{ApiKey, CreatedApiKey, Error};
use std::time::Duration;

/// Decodes a list body as `GET /api_keys` does.
pub fn decode_api_key_list(body: &[u8]) -> Result<Vec<ApiKey>, Error> {
    crate::decode::key_list(body).map_err(crate::decode::DecodeFailure::into_error)
}

/// Decodes a create body as `POST /api_keys` does (the error never quotes the body).
pub fn decode_created_key(body: &[u8]) -> Result<CreatedApiKey, Error> {
    crate::decode::created_key(body).map_err(crate::decode::DecodeFailure::into_error)
}

/// Classifies an error response (no headers; the request id sent is `"fuzz"`).
pub fn decode_error_body(status: u16, body: &[u8]) -> Error {
    crate::decode::api_error(status, &http::HeaderMap::new(), body, "fuzz")
}

/// Parses a `Retry-After` value.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    crate::retry::parse_retry_after(value)
}
