//! Hooks for the package's own tests, compiled only with the `test-hooks` feature (scripts/test.sh builds with
//! it; release builds never do) and left out of the generated types. They let the tests prove that a Rust panic
//! rejects instead of crashing the process, check how a core error's source chain becomes `cause`, make keychain
//! saves fail, write entries that hold no key record, and see what the log bridge forwarded.

use crate::errors::to_js_error;
use crate::runtime::spawn;
use napi::bindgen_prelude::PromiseRaw;
use napi::Env;
use napi_derive::napi;
use neon_api_keys::Error;

/// Panics inside the addon, synchronously (`inFuture` false) or inside a call running on the runtime
/// (`inFuture` true).
#[napi(js_name = "__panicForTests", catch_unwind, skip_typescript)]
#[allow(clippy::panic)]
pub fn panic_for_tests(env: &Env, in_future: bool) -> napi::Result<PromiseRaw<'_, bool>> {
    if !in_future {
        panic!("neon-api-keys: deliberate test panic (sync)");
    }
    spawn(env, async move {
        if in_future {
            panic!("neon-api-keys: deliberate test panic (async)");
        }
        Ok::<_, Error>(true)
    })
}

/// The native error (as a rejected call would produce it) for a core error of `kind` whose source chain has
/// these texts.
#[napi(js_name = "__errorForTests", skip_typescript)]
pub fn error_for_tests(
    env: Env,
    kind: String,
    message: String,
    causes: Vec<String>,
) -> napi::Error {
    to_js_error(&env, &error_with_causes(&kind, message, causes))
}

/// Makes the next `count` keychain saves of the process fail with kind `keychain` before they touch the store
/// (`neon_api_keys::keychain_test_hooks::refuse_next_saves`).
#[cfg(feature = "test-hooks")]
#[napi(js_name = "__refuseNextKeychainSavesForTests", skip_typescript)]
pub fn refuse_next_keychain_saves_for_tests(count: u32) {
    neon_api_keys::keychain_test_hooks::refuse_next_saves(count as usize);
}

/// Writes `text` as it is into the keychain entry `service`/`account` (on Linux, the user keyring's key
/// `neon-api-keys:<service>:<account>`, the description the core's keyutils backend gives an entry, `%` and `:`
/// escaped), so that the tests can hand the core entries that hold no key record. Throws elsewhere.
#[cfg(feature = "test-hooks")]
#[napi(js_name = "__writeKeychainEntryForTests", skip_typescript)]
pub fn write_keychain_entry_for_tests(
    service: String,
    account: String,
    text: String,
) -> napi::Result<()> {
    raw_entry::write(&service, &account, &text)
        .map_err(|why| napi::Error::new(napi::Status::GenericFailure, why))
}

#[cfg(all(feature = "test-hooks", target_os = "linux"))]
mod raw_entry {
    use linux_keyutils::{KeyRing, KeyRingIdentifier};

    pub(super) fn write(service: &str, account: &str, text: &str) -> Result<(), String> {
        let escape = |s: &str| s.replace('%', "%25").replace(':', "%3A");
        let description = format!("neon-api-keys:{}:{}", escape(service), escape(account));
        KeyRing::from_special_id(KeyRingIdentifier::User, true)
            .and_then(|user| user.add_key(&description, text.as_bytes()))
            .map(drop)
            .map_err(|e| format!("could not write the raw entry: {e:?}"))
    }
}

#[cfg(all(feature = "test-hooks", not(target_os = "linux")))]
mod raw_entry {
    pub(super) fn write(_: &str, _: &str, _: &str) -> Result<(), String> {
        Err("raw keychain entries are written on Linux only".to_owned())
    }
}

/// What the log bridge did so far (`crate::logging`): `{installed, forwarded, listeners}` — whether the core's
/// sink is installed, how many records went to a listener's queue since the process started, how many listeners
/// there are now.
#[cfg(feature = "test-hooks")]
#[napi(js_name = "__logStatsForTests", skip_typescript)]
pub fn log_stats_for_tests() -> serde_json::Value {
    let (installed, forwarded, listeners) = crate::logging::stats();
    serde_json::json!({ "installed": installed, "forwarded": forwarded, "listeners": listeners })
}

/// A core error of `kind` (`internal` when unknown) with `message` whose source chain has these texts
/// (outermost first): the core's test hook.
fn error_with_causes(kind: &str, message: String, causes: Vec<String>) -> Error {
    neon_api_keys::test_hooks::error_with_causes(kind, message, causes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errors::ErrorInfo;

    #[test]
    fn causes_follow_the_source_chain_scrubbed() {
        let secret = neon_api_keys::ApiKeySecret::new(format!("cause-sentinel-{}", "k".repeat(49)));
        let error = error_with_causes(
            "network",
            "could not connect".to_owned(),
            vec![
                "client error (Connect)".to_owned(),
                format!("tcp connect error: {}", secret.expose_secret()),
                "Connection refused (os error 111)".to_owned(),
            ],
        );
        assert_eq!(error.kind(), neon_api_keys::ErrorKind::Network);
        let info = ErrorInfo::from(&error);
        assert_eq!(
            info.causes,
            [
                "client error (Connect)",
                "tcp connect error: [REDACTED]",
                "Connection refused (os error 111)"
            ]
        );
        drop(secret);
    }
}
