//! The public types of a two-phase rotation ([`crate::Client::rotate_api_key`]).

use crate::{ApiKey, Error, RevokedApiKey};
use std::fmt;
use std::time::Duration;

/// How often [`RotateOptions::wait_for_use`] looks at the new key's `last_used_at`, unless set.
pub const DEFAULT_USE_POLL_INTERVAL: Duration = Duration::from_secs(2);

/// Options of a rotation. Every field is optional.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
#[must_use]
pub struct RotateOptions {
    /// The new key's name. Default: derived from the old key's name the way Neon's CLI names minted keys,
    /// `<base>-<UTC yyyymmddThhmmssZ>-<4 hex>` (an earlier such suffix is replaced; at most 64 characters), so
    /// that rotating twice in one second works under Neon's unique-name rule.
    pub new_name: Option<String>,
    /// Revoke the old key only once the new key's `last_used_at` shows a use after the rotation's own check,
    /// waiting at most this long; if no use shows, the old key is left live and the result says so
    /// ([`Rotation::new_key_seen_in_use`]). Default: none (the old key is revoked as soon as the store returns).
    pub wait_for_use: Option<Duration>,
    /// How often `wait_for_use` lists the keys. Default: [`DEFAULT_USE_POLL_INTERVAL`] (2 s).
    pub poll_interval: Option<Duration>,
}

impl RotateOptions {
    /// The defaults.
    pub fn new() -> RotateOptions {
        RotateOptions::default()
    }

    /// Sets the new key's name. Default: derived from the old key's name.
    pub fn new_name(mut self, name: impl Into<String>) -> RotateOptions {
        self.new_name = Some(name.into());
        self
    }

    /// Waits up to `wait` for the new key to be used before revoking the old one. Default: no wait.
    pub fn wait_for_use(mut self, wait: Duration) -> RotateOptions {
        self.wait_for_use = Some(wait);
        self
    }

    /// How often to look for a use while waiting. Default: 2 s.
    pub fn poll_interval(mut self, interval: Duration) -> RotateOptions {
        self.poll_interval = Some(interval);
        self
    }
}

/// The result of a rotation whose store accepted the new key. The new key's secret is not in it: the store
/// received it, and nothing else keeps it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Rotation {
    /// The new key (its id, name, scope; no secret).
    pub new_key: ApiKey,
    /// The id of the key that was rotated.
    pub old_key_id: i64,
    /// The old key as revoked, when it was.
    pub revoked: Option<RevokedApiKey>,
    /// Why the old key is still live, when revoking it failed or the call was cancelled after the store
    /// returned. The new key is stored and valid either way.
    pub revoke_error: Option<Error>,
    /// With [`RotateOptions::wait_for_use`]: whether a use of the new key showed in time (`Some(false)`: the old
    /// key was left live). `None` when no wait was asked for.
    pub new_key_seen_in_use: Option<bool>,
}

impl Rotation {
    /// Whether the old key is gone.
    pub fn is_complete(&self) -> bool {
        self.revoked.is_some()
    }
}

/// Why a rotation failed. In every case the old key is still live.
#[derive(Debug)]
#[non_exhaustive]
pub enum RotateError<E> {
    /// The rotation failed before the store accepted the new key (old key missing, create refused, new key
    /// not authenticating, cancelled): the message says whether a new key was created and revoked.
    Neon(Error),
    /// The store returned an error: the new key was revoked (see [`StoreFailed`]), the old key stays live.
    Store(StoreFailed<E>),
}

/// The store refused the new key.
#[derive(Debug)]
#[non_exhaustive]
pub struct StoreFailed<E> {
    /// The store's own error.
    pub error: E,
    /// The id of the new key that was handed to the store.
    pub new_key_id: i64,
    /// Whether the new key was revoked. `false` means a live key remains: revoke it by id.
    pub new_key_revoked: bool,
    /// Why revoking the new key failed, if it did.
    pub revoke_error: Option<Error>,
}

impl<E> RotateError<E> {
    /// The SDK's error, when the store was not the cause.
    pub fn neon(&self) -> Option<&Error> {
        match self {
            RotateError::Neon(error) => Some(error),
            RotateError::Store(_) => None,
        }
    }

    /// A sentence on the new key after a failed store (`"the new key 5001 was revoked; ..."`), for bindings that
    /// re-raise the store's own error with a note.
    pub fn store_note(&self) -> Option<String> {
        let RotateError::Store(failed) = self else {
            return None;
        };
        Some(if failed.new_key_revoked {
            format!(
                "the store failed, so the new key {} was revoked; the old key stays live",
                failed.new_key_id
            )
        } else {
            let why = failed
                .revoke_error
                .as_ref()
                .map(|e| e.to_string())
                .unwrap_or_default();
            format!(
                "the store failed and revoking the new key {} failed too ({why}): a live key remains, revoke it \
                 by id; the old key stays live",
                failed.new_key_id
            )
        })
    }
}

impl<E> From<Error> for RotateError<E> {
    fn from(error: Error) -> Self {
        RotateError::Neon(error)
    }
}

impl<E: fmt::Display> fmt::Display for RotateError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RotateError::Neon(error) => error.fmt(f),
            RotateError::Store(failed) => {
                write!(f, "{}", failed.error)?;
                if let Some(note) = self.store_note() {
                    write!(f, " ({note})")?;
                }
                Ok(())
            }
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for RotateError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RotateError::Neon(error) => Some(error),
            RotateError::Store(failed) => Some(&failed.error),
        }
    }
}
