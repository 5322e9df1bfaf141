//! Two-phase rotation that cannot lock anyone out: check the old key exists → create the new key (an org
//! key's project scope kept) → check the new key authenticates (`GET /auth` with it) → hand it to the caller's
//! store → only when the store returns, revoke the old key (optionally once the new key shows a use).
//!
//! Until the store returns, every failure and a cancellation revoke the new key and leave the old one live.
//! After it returns, nothing fails the rotation any more: a revoke that fails or is cancelled is reported in
//! [`Rotation::revoke_error`], because the new key is stored.

use crate::execute::{CallContext, CreateTarget};
use crate::validate::{self, MAX_KEY_NAME_CHARS};
use crate::{
    ApiKey, AuthMethod, Client, CreatedApiKey, Creator, Error, ErrorKind, Result, RevokedApiKey,
    RotateError, RotateOptions, Rotation, StoreFailed, Verification,
};
use chrono::{DateTime, Utc};
use std::future::Future;

/// Whose key is rotated.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Account<'a> {
    /// The caller's personal keys.
    Personal,
    /// An organization's keys.
    Org(&'a str),
}

impl Account<'_> {
    async fn list(self, client: &Client, ctx: &CallContext) -> Result<Vec<ApiKey>> {
        match self {
            Account::Personal => super::personal::list(client, ctx).await,
            Account::Org(org_id) => super::org::list(client, ctx, org_id).await,
        }
    }

    async fn revoke(
        self,
        client: &Client,
        ctx: &CallContext,
        key_id: i64,
    ) -> Result<RevokedApiKey> {
        match self {
            Account::Personal => super::personal::revoke(client, ctx, key_id).await,
            Account::Org(org_id) => super::org::revoke(client, ctx, org_id, key_id).await,
        }
    }

    fn among(self) -> String {
        match self {
            Account::Personal => "your personal keys".to_string(),
            Account::Org(org_id) => format!("the keys of organization {org_id}"),
        }
    }
}

/// Rotates `old_id` of `account`, handing the new key to `store`. Callers run it inside the call's span
/// ([`CallContext::span`]), so that its steps are logged with the call's op and request id.
pub(crate) async fn rotate<S, Fut, E>(
    client: &Client,
    ctx: &CallContext,
    account: Account<'_>,
    old_id: i64,
    options: &RotateOptions,
    store: S,
) -> Result<Rotation, RotateError<E>>
where
    S: FnOnce(CreatedApiKey) -> Fut,
    Fut: Future<Output = Result<(), E>>,
{
    validate::key_id(old_id)?;
    if let Account::Org(org_id) = account {
        validate::org_id(org_id)?;
    }
    if let Some(name) = &options.new_name {
        validate::key_name(name)?;
    }
    let keys = account.list(client, ctx).await?;
    let old = keys.iter().find(|k| k.id == old_id).ok_or_else(|| {
        Error::new(
            ErrorKind::NotFound,
            format!(
                "key {old_id} was not found among {}; nothing was created",
                account.among()
            ),
        )
    })?;
    let target = CreateTarget {
        key_name: match &options.new_name {
            Some(name) => name.clone(),
            None => derived_name(&old.name, client.inner.clock.now()),
        },
        org_id: match account {
            Account::Personal => None,
            Account::Org(org_id) => Some(org_id.to_string()),
        },
        project_id: old.project_id.clone(),
    };
    let created = super::create::create(client, ctx, &target).await?;
    let new_id = created.id;
    tracing::info!(
        old_key_id = old_id,
        new_key_id = new_id,
        "rotation: created the new key"
    );
    // From here on the new key exists and only this call holds it: until the store returns, every way out
    // revokes it.
    if let Err(error) = check_authenticates(client, ctx, &target, &created).await {
        return Err(discard(client, account, new_id, error).await.into());
    }
    let baseline = match options.wait_for_use {
        Some(_) => Some(
            last_used(client, ctx, account, new_id)
                .await
                .unwrap_or(None),
        ),
        None => None,
    };
    if ctx.is_cancelled() {
        let error = ctx.cancelled_error("before the store was called");
        return Err(discard(client, account, new_id, error).await.into());
    }
    let new_key = new_key_info(&created);
    match ctx.unless_cancelled(store(created)).await {
        None => {
            let error = ctx.cancelled_error("while the store ran");
            return Err(discard(client, account, new_id, error).await.into());
        }
        Some(Err(error)) => {
            tracing::warn!(
                new_key_id = new_id,
                "rotation: the store failed; revoking the new key"
            );
            let revoke = account
                .revoke(
                    client,
                    &CallContext::cleanup(client, "rotate_discard"),
                    new_id,
                )
                .await;
            return Err(RotateError::Store(StoreFailed {
                error,
                new_key_id: new_id,
                new_key_revoked: revoke.is_ok(),
                revoke_error: revoke.err(),
            }));
        }
        Some(Ok(())) => {}
    }
    tracing::info!(new_key_id = new_id, "rotation: the new key is stored");
    let mut rotation = Rotation {
        new_key,
        old_key_id: old_id,
        revoked: None,
        revoke_error: None,
        new_key_seen_in_use: None,
    };
    if let (Some(wait), Some(baseline)) = (options.wait_for_use, baseline) {
        let interval = options
            .poll_interval
            .unwrap_or(crate::rotation::DEFAULT_USE_POLL_INTERVAL);
        match wait_for_use(client, ctx, account, new_id, baseline, wait, interval).await {
            Used::Yes => rotation.new_key_seen_in_use = Some(true),
            Used::No => {
                tracing::info!(
                    new_key_id = new_id,
                    "rotation: no use seen; the old key stays live"
                );
                rotation.new_key_seen_in_use = Some(false);
                return Ok(rotation);
            }
            Used::Cancelled => {
                rotation.revoke_error = Some(ctx.cancelled_error(
                    "while waiting for the new key's first use; the new key is stored and the old key stays live",
                ));
                return Ok(rotation);
            }
        }
    }
    match account.revoke(client, &ctx.renewed(), old_id).await {
        Ok(revoked) => {
            tracing::info!(old_key_id = old_id, "rotation: revoked the old key");
            rotation.revoked = Some(revoked);
        }
        Err(error) => {
            tracing::warn!(kind = %error.kind(), "rotation: revoking the old key failed");
            rotation.revoke_error = Some(error);
        }
    }
    Ok(rotation)
}

/// Rotates the key held by `keychain`, saving the new key over the entry as the store.
pub(crate) async fn rotate_keychain(
    client: &Client,
    ctx: &CallContext,
    keychain: &crate::Keychain,
    options: &RotateOptions,
) -> Result<Rotation> {
    let Some(old) = keychain.load()? else {
        return Err(Error::new(
            ErrorKind::NotFound,
            format!(
                "the keychain entry {:?}/{:?} holds no key to rotate; nothing was created",
                keychain.service(),
                keychain.account()
            ),
        ));
    };
    let account = match &old.org_id {
        None => Account::Personal,
        Some(org_id) => Account::Org(org_id),
    };
    // The save runs to its end inside one poll (no await point), so a cancellation cannot cut it in half; a
    // finished save wins over a cancellation that came meanwhile.
    let store = |new_key: CreatedApiKey| {
        let saved = keychain.save(&new_key);
        if saved.is_ok() {
            client.inner.credentials.replace(&old.key, &new_key.key);
        }
        std::future::ready(saved)
    };
    match rotate(client, ctx, account, old.id, options, store).await {
        Ok(rotation) => Ok(rotation),
        Err(RotateError::Neon(error)) => Err(error),
        Err(failed @ RotateError::Store(_)) => {
            let note = failed.store_note().unwrap_or_default();
            match failed {
                RotateError::Store(StoreFailed { error, .. }) => Err(error.with_hint(&note)),
                RotateError::Neon(error) => Err(error),
            }
        }
    }
}

/// Proves the new key works: `GET /auth` with it must answer as the kind of key and account asked for.
async fn check_authenticates(
    client: &Client,
    ctx: &CallContext,
    target: &CreateTarget,
    created: &CreatedApiKey,
) -> Result<()> {
    let details = match crate::ops::project::auth_with(client, ctx, &created.key).await {
        Ok(details) => details,
        Err(error) if error.kind() == ErrorKind::Auth => {
            return Err(error.reworded(
                ErrorKind::VerificationFailed,
                "the new key does not authenticate (GET /auth answered 401)",
            ))
        }
        Err(error) => return Err(error),
    };
    let expected = match &target.org_id {
        None => details.auth_method == AuthMethod::ApiKeyUser,
        Some(org_id) => {
            details.auth_method == AuthMethod::ApiKeyOrg && &details.account_id == org_id
        }
    };
    if expected {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::VerificationFailed,
        format!(
            "the new key authenticates as {} of account {}, not as the key asked for",
            details.auth_method.as_str(),
            details.account_id
        ),
    ))
}

/// Revokes the new key after `error` stopped the rotation before the store accepted it, and says so.
async fn discard(client: &Client, account: Account<'_>, new_id: i64, error: Error) -> Error {
    tracing::warn!(new_key_id = new_id, kind = %error.kind(), "rotation stopped; revoking the new key");
    let ctx = CallContext::cleanup(client, "rotate_discard");
    let revoke = account.revoke(client, &ctx, new_id).await;
    let outcome = match &revoke {
        Ok(_) => format!("the new key {new_id} was revoked; the old key stays live"),
        Err(e) => format!(
            "revoking the new key {new_id} failed ({}): a live key remains, revoke it by id; the old key \
             stays live",
            e.message()
        ),
    };
    let kind = error.kind();
    let message = format!("{}; {outcome}", error.message());
    let error = error.reworded(kind, message);
    if kind == ErrorKind::VerificationFailed {
        error.with_verification(Verification {
            key_id: new_id,
            revoked: revoke.is_ok(),
        })
    } else {
        error
    }
}

/// The new key's `last_used_at` as listed now.
async fn last_used(
    client: &Client,
    ctx: &CallContext,
    account: Account<'_>,
    key_id: i64,
) -> Result<Option<DateTime<Utc>>> {
    let keys = account.list(client, ctx).await?;
    Ok(keys
        .into_iter()
        .find(|k| k.id == key_id)
        .and_then(|k| k.last_used_at))
}

/// What waiting for the new key's first use found.
enum Used {
    Yes,
    No,
    Cancelled,
}

/// Looks (now, then every `interval` for up to `wait`) for a `last_used_at` later than `baseline`, the value
/// right after the rotation's own check used the key.
async fn wait_for_use(
    client: &Client,
    ctx: &CallContext,
    account: Account<'_>,
    key_id: i64,
    baseline: Option<DateTime<Utc>>,
    wait: std::time::Duration,
    interval: std::time::Duration,
) -> Used {
    let until = tokio::time::Instant::now() + wait;
    loop {
        if let Ok(Some(used)) = last_used(client, &ctx.renewed(), account, key_id).await {
            if baseline.is_none_or(|b| used > b) {
                return Used::Yes;
            }
        }
        let left = until.saturating_duration_since(tokio::time::Instant::now());
        if left.is_zero() {
            return Used::No;
        }
        if ctx
            .unless_cancelled(tokio::time::sleep(interval.min(left)))
            .await
            .is_none()
        {
            return Used::Cancelled;
        }
    }
}

/// The new key without its secret, for the result.
fn new_key_info(created: &CreatedApiKey) -> ApiKey {
    ApiKey {
        id: created.id,
        name: created.name.clone(),
        created_at: created.created_at,
        created_by: created.created_by.clone().map(Creator::new),
        last_used_at: None,
        last_used_from_addr: Vec::new(),
        project_id: created.project_id.clone(),
    }
}

/// The length of a rotation suffix: `-yyyymmddThhmmssZ-abcd`.
const SUFFIX_CHARS: usize = 22;

/// A fresh name for a rotated key, as Neon's CLI mints them: `<base>-<UTC yyyymmddThhmmssZ>-<4 hex>`, an
/// earlier such suffix replaced and the base shortened so that the name stays within 64 characters.
pub(crate) fn derived_name(old: &str, now: DateTime<Utc>) -> String {
    let base = strip_suffix(old);
    let base = if base.trim().is_empty() { "key" } else { base };
    let suffix = format!(
        "-{}-{:04x}",
        now.format("%Y%m%dT%H%M%SZ"),
        rand::random::<u16>()
    );
    let room = MAX_KEY_NAME_CHARS - SUFFIX_CHARS;
    let base: String = base.chars().take(room).collect();
    format!("{base}{suffix}")
}

/// `name` without a rotation suffix at its end.
fn strip_suffix(name: &str) -> &str {
    let Some(start) = name.len().checked_sub(SUFFIX_CHARS) else {
        return name;
    };
    if !name.is_char_boundary(start) {
        return name;
    }
    let tail = &name.as_bytes()[start..];
    let digits = |range: std::ops::Range<usize>| tail[range].iter().all(u8::is_ascii_digit);
    let is_suffix = tail[0] == b'-'
        && digits(1..9)
        && tail[9] == b'T'
        && digits(10..16)
        && tail[16] == b'Z'
        && tail[17] == b'-'
        && tail[18..]
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b));
    if is_suffix {
        &name[..start]
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-07T06:05:04Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn derived_names_follow_the_cli() {
        let name = derived_name("deploy", now());
        assert!(name.starts_with("deploy-20261207T060504Z-"), "{name}");
        assert_eq!(name.len(), "deploy".len() + SUFFIX_CHARS);
        assert!(validate::key_name(&name).is_ok());
        // An earlier suffix is replaced, not stacked.
        let again = derived_name(&name, now());
        assert!(again.starts_with("deploy-20261207T060504Z-"), "{again}");
        assert_eq!(again.len(), name.len());
    }

    #[test]
    fn derived_names_stay_within_64_characters() {
        let long = "é".repeat(64);
        let name = derived_name(&long, now());
        assert_eq!(name.chars().count(), 64);
        assert!(validate::key_name(&name).is_ok());
        assert!(derived_name("", now()).starts_with("key-"));
    }

    #[test]
    fn two_names_in_one_second_differ_almost_always() {
        let names: std::collections::HashSet<String> =
            (0..50).map(|_| derived_name("ci", now())).collect();
        assert!(names.len() > 40, "{}", names.len());
    }

    #[test]
    fn only_a_real_suffix_is_stripped() {
        assert_eq!(strip_suffix("ci-20250101T000000Z-0a9f"), "ci");
        assert_eq!(
            strip_suffix("ci-20250101T000000Z-0A9F"),
            "ci-20250101T000000Z-0A9F"
        );
        assert_eq!(
            strip_suffix("ci-2025010xT000000Z-0a9f"),
            "ci-2025010xT000000Z-0a9f"
        );
        assert_eq!(strip_suffix("short"), "short");
    }
}
