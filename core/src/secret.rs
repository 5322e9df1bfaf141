//! Secret handling: the caller's API key and every created key live in [`ApiKeySecret`].
//!
//! Every `ApiKeySecret` of 8 characters or more is known to [`scrub`] for exactly as long as it is alive:
//! the client's own credentials for the client's lifetime, a created key until the caller drops it. Nothing
//! is evicted while alive (there is no capacity), and nothing is remembered after the value is gone: the
//! registry holds weak references, never a second copy of a secret.

use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::sync::{Arc, RwLock, Weak};

/// An API key secret. `Debug` and `Display` print `ApiKeySecret([REDACTED])`; the value is zeroized when the
/// last clone is dropped. Only [`ApiKeySecret::expose_secret`] gives the value out.
///
/// While any clone is alive, [`scrub`] (and so every error message of the SDK) replaces the value with
/// `[REDACTED]`.
#[derive(Clone)]
pub struct ApiKeySecret(Arc<Entry>);

/// One secret value; removed from the registry when dropped.
struct Entry {
    value: SecretString,
}

impl Drop for Entry {
    fn drop(&mut self) {
        let me: *const Entry = self;
        let mut registry = write_registry();
        registry.retain(|weak| !std::ptr::eq(weak.as_ptr(), me) && weak.strong_count() > 0);
    }
}

impl ApiKeySecret {
    /// Wraps a secret value. Surrounding whitespace (a trailing newline of a key read from a file, say) is
    /// removed: Neon's keys never contain any.
    pub fn new(value: impl Into<String>) -> ApiKeySecret {
        let mut value: String = value.into();
        let trimmed = value.trim();
        if trimmed.len() != value.len() {
            let kept = trimmed.to_string();
            // Zeroize the untrimmed copy before it is freed.
            drop(SecretString::from(std::mem::replace(&mut value, kept)));
        }
        let entry = Arc::new(Entry {
            value: SecretString::from(value),
        });
        if entry.value.expose_secret().chars().count() >= MIN_SCRUB_LEN {
            write_registry().push(Arc::downgrade(&entry));
        }
        ApiKeySecret(entry)
    }

    /// The secret itself. Handle with care: never log it.
    pub fn expose_secret(&self) -> &str {
        self.0.value.expose_secret()
    }

    /// Whether the secret is empty (a created key must never be).
    pub fn is_empty(&self) -> bool {
        self.expose_secret().is_empty()
    }
}

impl From<String> for ApiKeySecret {
    fn from(value: String) -> Self {
        ApiKeySecret::new(value)
    }
}

impl From<&str> for ApiKeySecret {
    fn from(value: &str) -> Self {
        ApiKeySecret::new(value)
    }
}

impl fmt::Debug for ApiKeySecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKeySecret([REDACTED])")
    }
}

impl fmt::Display for ApiKeySecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl PartialEq for ApiKeySecret {
    /// Compares the values (for tests and for finding a key; no attacker controls the timing here).
    fn eq(&self, other: &Self) -> bool {
        self.expose_secret() == other.expose_secret()
    }
}

impl Eq for ApiKeySecret {}

/// The text that replaces a known secret in scrubbed text.
pub const REDACTED: &str = "[REDACTED]";

/// Secrets shorter than this are not scrubbed (too likely to match ordinary text).
const MIN_SCRUB_LEN: usize = 8;

/// The shortest start of a secret that is redacted when a cut leaves it at the end of a text.
const MIN_PARTIAL_CHARS: usize = 4;

type Registry = Vec<Weak<Entry>>;

fn registry() -> &'static RwLock<Registry> {
    static REGISTRY: RwLock<Registry> = RwLock::new(Vec::new());
    &REGISTRY
}

fn write_registry() -> std::sync::RwLockWriteGuard<'static, Registry> {
    match registry().write() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// The secrets alive right now. The registry's lock is released before the caller uses (and drops) them, so
/// that dropping the last clone of one (which takes the write lock) cannot deadlock.
fn alive() -> Vec<ApiKeySecret> {
    let guard = match registry().read() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    guard
        .iter()
        .filter_map(Weak::upgrade)
        .map(ApiKeySecret)
        .collect()
}

/// How many secrets [`scrub`] knows right now (for tests of the registry's lifetime rules).
#[doc(hidden)]
pub fn registered_secrets() -> usize {
    alive().len()
}

/// Replaces every secret alive in this process (every [`ApiKeySecret`] of 8 characters or more) with
/// `[REDACTED]`. Every error message of the SDK passes through it; bindings use it for their own text.
pub fn scrub(text: &str) -> String {
    let mut out = text.to_string();
    for secret in alive() {
        let value = secret.expose_secret();
        if out.contains(value) {
            out = out.replace(value, REDACTED);
        }
    }
    out
}

/// [`scrub`]s `text`, then keeps at most `max_chars` characters (plus `…` when cut). Scrubbing comes first, so
/// a cut never splits a secret before it is recognised; a start of a secret left at the end of the cut text
/// (4 characters or more) is redacted too.
pub fn scrub_and_cap(text: &str, max_chars: usize) -> String {
    let scrubbed = scrub(text);
    if scrubbed.chars().count() <= max_chars {
        return scrubbed;
    }
    let mut cut: String = scrubbed.chars().take(max_chars).collect();
    for secret in alive() {
        if let Some(partial) = partial_secret_at_end(&cut, secret.expose_secret()) {
            cut.truncate(cut.len() - partial);
            cut.push_str(REDACTED);
            break;
        }
    }
    cut.push('…');
    cut
}

/// The length in bytes of the longest start of `secret` (at least [`MIN_PARTIAL_CHARS`] characters, shorter
/// than the whole secret) that `text` ends with.
fn partial_secret_at_end(text: &str, secret: &str) -> Option<usize> {
    let bounds: Vec<usize> = secret.char_indices().map(|(i, _)| i).skip(1).collect();
    bounds
        .into_iter()
        .rev()
        .filter(|&end| secret[..end].chars().count() >= MIN_PARTIAL_CHARS)
        .find(|&end| text.ends_with(&secret[..end]))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn scrub_replaces_live_secrets_only() {
        let long = ApiKeySecret::new("sentinel-secret-value-123");
        let short = ApiKeySecret::new("short");
        let text = "key sentinel-secret-value-123 and short and sentinel-secret-value-123";
        assert_eq!(scrub(text), "key [REDACTED] and short and [REDACTED]");
        drop((long, short));
    }

    #[test]
    fn a_dropped_secret_is_forgotten() {
        let value = "forgotten-secret-value-0001";
        let secret = ApiKeySecret::new(value);
        let clone = secret.clone();
        drop(secret);
        assert_eq!(scrub(value), REDACTED, "a clone keeps it registered");
        drop(clone);
        assert_eq!(scrub(value), value, "gone with the last clone");
    }

    #[test]
    fn thousands_of_other_secrets_evict_nothing() {
        let mine = ApiKeySecret::new("my-own-bearer-token-000000000000");
        let others: Vec<ApiKeySecret> = (0..5000)
            .map(|i| ApiKeySecret::new(format!("another-secret-{i:08}")))
            .collect();
        assert!(registered_secrets() >= 5001);
        assert_eq!(scrub("my-own-bearer-token-000000000000"), REDACTED);
        assert_eq!(scrub("another-secret-00004999"), REDACTED);
        drop(others);
        assert_eq!(scrub("my-own-bearer-token-000000000000"), REDACTED);
        drop(mine);
    }

    #[test]
    fn cap_scrubs_first_and_redacts_a_partial_secret_at_the_cut() {
        let secret = ApiKeySecret::new("0123456789abcdefghijklmnopqrstuv");
        let value = secret.expose_secret();
        // A whole secret across the cut: scrubbed before the cut, so none of it is kept.
        let capped = scrub_and_cap(
            &format!("{}{value}{}", ".".repeat(100), ",".repeat(50)),
            120,
        );
        assert!(!capped.contains("0123"), "{capped}");
        assert!(capped.contains(REDACTED), "{capped}");
        // Only a start of the secret in the text (an echo cut short): what the cut leaves of it is redacted.
        let capped = scrub_and_cap(&format!("{}{}", ".".repeat(100), &value[..30]), 120);
        assert_eq!(capped, format!("{}[REDACTED]…", ".".repeat(100)));
        // Fewer than 4 characters are not worth hiding.
        let capped = scrub_and_cap(&format!("{}{}", ".".repeat(117), &value[..30]), 120);
        assert_eq!(capped, format!("{}012…", ".".repeat(117)));
        drop(secret);
    }

    #[test]
    fn surrounding_whitespace_is_trimmed() {
        let secret = ApiKeySecret::new("  file-secret-value-1234\n");
        assert_eq!(secret.expose_secret(), "file-secret-value-1234");
    }

    #[test]
    fn debug_and_display_redact() {
        let secret = ApiKeySecret::new("x".repeat(64));
        assert_eq!(format!("{secret:?}"), "ApiKeySecret([REDACTED])");
        assert_eq!(format!("{secret}"), "[REDACTED]");
        assert!(!secret.is_empty());
    }
}
