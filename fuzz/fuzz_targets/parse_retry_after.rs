//! `Retry-After` header values (delta-seconds, HTTP dates, garbage) through the core's parser.
//!
//! Header values reach the parser as `&str` (the transport drops values that are not visible ASCII), so
//! inputs that are not UTF-8 are skipped. Properties beyond "never panics" (no overflow on huge numbers or
//! far dates): a plain small number of seconds is read as exactly that many seconds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::time::Duration;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = neon_api_keys::fuzzing::parse_retry_after(text);
    let trimmed = text.trim();
    if !trimmed.is_empty() && trimmed.len() <= 6 && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(secs) = trimmed.parse::<u64>() {
            assert_eq!(
                parsed,
                Some(Duration::from_secs(secs)),
                "delta-seconds misread"
            );
        }
    }
});
