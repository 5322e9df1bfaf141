//! `GET /api_keys` and `GET /organizations/{org_id}/api_keys` bodies through the core's list decoder.
//!
//! Properties beyond "never panics":
//! - no item is dropped silently: when the body is a JSON array and decoding succeeds, every item is kept;
//! - ids are exact: an integer id (even past 2^53) comes back unchanged, never rounded through an f64.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decoded = neon_api_keys::fuzzing::decode_api_key_list(data);
    let Ok(keys) = decoded else { return };
    let Ok(serde_json::Value::Array(items)) = serde_json::from_slice::<serde_json::Value>(data)
    else {
        return;
    };
    assert_eq!(
        keys.len(),
        items.len(),
        "the decoder dropped or invented list items"
    );
    for (key, item) in keys.iter().zip(&items) {
        if let Some(id) = item.get("id").and_then(serde_json::Value::as_i64) {
            assert_eq!(key.id, id, "an integer id changed in decoding");
        }
    }
});
