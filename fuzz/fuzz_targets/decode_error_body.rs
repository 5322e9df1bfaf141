//! Error responses (any status, any body) through the core's error classifier.
//!
//! Input format: three ASCII digits (the HTTP status, 100..=599), then the body. Seeds are readable that way,
//! e.g. `404{"code":"","message":"..."}`.
//!
//! Properties beyond "never panics":
//! - the status is kept, and the kind follows the status for the statuses whose kind does not depend on the
//!   message (401, 409, 423, 429, 5xx);
//! - the message is never empty and stays bounded whatever the body's size.
#![no_main]

use libfuzzer_sys::fuzz_target;
use neon_api_keys::ErrorKind;

/// The longest message accepted: the core caps Neon's message (2,000 characters today); this is a loose bound.
const MAX_MESSAGE_CHARS: usize = 4096;

fn split(data: &[u8]) -> Option<(u16, &[u8])> {
    let (digits, body) = data.split_at_checked(3)?;
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let status: u16 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    (100..=599).contains(&status).then_some((status, body))
}

fuzz_target!(|data: &[u8]| {
    let Some((status, body)) = split(data) else {
        return;
    };
    let error = neon_api_keys::fuzzing::decode_error_body(status, body);
    assert_eq!(error.status(), Some(status), "the status was not kept");
    let expected = match status {
        401 => Some(ErrorKind::Auth),
        409 => Some(ErrorKind::Conflict),
        423 => Some(ErrorKind::Locked),
        429 => Some(ErrorKind::RateLimited),
        500..=599 => Some(ErrorKind::Server),
        _ => None,
    };
    if let Some(kind) = expected {
        assert_eq!(
            error.kind(),
            kind,
            "status {status} was classified by its body"
        );
    }
    assert!(!error.message().is_empty(), "an error without a message");
    assert!(
        error.message().chars().count() <= MAX_MESSAGE_CHARS,
        "the message grew with the body"
    );
    let _ = error.to_string();
});
