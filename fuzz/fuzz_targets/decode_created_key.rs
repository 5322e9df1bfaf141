//! `POST /api_keys` (and org create) bodies through the core's create decoder.
//!
//! Properties beyond "never panics":
//! - a create body that cannot be used never has its secret quoted in the error (the body holds the secret);
//! - a decoded key's `Debug` never shows the secret.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// The `key` field of the body, when it looks like a real secret (long enough that it cannot match the
/// error's own wording by chance).
fn secret_in(data: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(data).ok()?;
    let key = value.get("key")?.as_str()?;
    (key.len() >= 20 && key.bytes().all(|b| b.is_ascii_alphanumeric())).then(|| key.to_string())
}

fuzz_target!(|data: &[u8]| {
    let decoded = neon_api_keys::fuzzing::decode_created_key(data);
    let Some(secret) = secret_in(data) else {
        return;
    };
    match decoded {
        Ok(key) => {
            let shown = format!("{:?}", key.key);
            assert!(
                !shown.contains(&secret),
                "a created key's Debug showed its secret"
            );
        }
        Err(error) => {
            let shown = format!("{error} {error:?}");
            assert!(
                !shown.contains(&secret),
                "a create decode error quoted the secret"
            );
        }
    }
});
