//! Creating a key exactly once although a response may be lost (opt-in: [`crate::ClientBuilder::reconcile_creates`]).
//!
//! Neon keeps key names unique among an account's live keys, so a name is an idempotency handle: after a create
//! whose outcome is unknown, a second create with the same name either succeeds (the first never happened) or
//! conflicts (a live key holds the name). Only a key that is provably this call's own orphan is revoked:
//! absent from the list taken just before the create was sent, created by the caller's own identity, inside
//! the window measured on Neon's clock, and the only candidate. Anything else is reported as
//! [`ErrorKind::OutcomeUnknown`] with the candidates' ids, never guessed at.

use crate::execute::{CallContext, CreateTarget};
use crate::ops::create::send_create;
use crate::{ApiKey, AuthMethod, Client, CreatedApiKey, Error, ErrorKind, Result};
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use std::time::SystemTime;

/// Creates `target`'s key exactly once, or fails with an error that says what may exist.
pub(crate) async fn create_exactly_once(
    client: &Client,
    ctx: &CallContext,
    target: &CreateTarget,
) -> Result<CreatedApiKey> {
    // The keys holding the name before the create is sent (and, through the list's `Date`, Neon's time).
    let before = named(client, ctx, target).await?;
    let started = client.inner.clock.now();
    let first = match send_create(client, ctx, target).await {
        Err(error) if error.kind() == ErrorKind::OutcomeUnknown => error,
        other => return other,
    };
    if ctx.is_cancelled() {
        // The caller stopped the call: report what may exist rather than keep working.
        return Err(first);
    }
    tracing::info!(
        op = ctx.op,
        "create outcome unknown; creating again under the same name"
    );
    match send_create(client, ctx, target).await {
        Ok(created) => {
            tracing::debug!(key_id = created.id, "the first create had not happened");
            return Ok(created);
        }
        Err(error) if error.kind() == ErrorKind::Conflict => {}
        Err(error) => {
            tracing::debug!(kind = %error.kind(), "second create failed; the outcome stays unknown");
            return Err(first);
        }
    }
    // A live key holds the name: the lost create's, or someone else's.
    let Ok(after) = named(client, ctx, target).await else {
        return Err(first);
    };
    let window = crate::clock::window(started, client.inner.clock.now());
    let existed: HashSet<i64> = before.iter().map(|k| k.id).collect();
    let candidates: Vec<&ApiKey> = after.iter().filter(|k| !existed.contains(&k.id)).collect();
    let ids: Vec<i64> = candidates.iter().map(|k| k.id).collect();
    if candidates.is_empty() {
        if !before.is_empty() {
            return Err(taken_before(first, target, &before));
        }
        return Err(unresolved(
            first,
            window,
            ids,
            "the key holding the name is gone",
        ));
    }
    let me = identity(client, ctx).await;
    let [only] = candidates.as_slice() else {
        return Err(unresolved(
            first,
            window,
            ids,
            "there are several candidates",
        ));
    };
    if let Some(reason) = not_provably_ours(only, target, me.as_deref(), window) {
        return Err(unresolved(first, window, ids, reason));
    }
    let revoked = match &target.org_id {
        None => crate::ops::personal::revoke(client, ctx, only.id).await,
        Some(org_id) => crate::ops::org::revoke(client, ctx, org_id, only.id).await,
    };
    if let Err(error) = revoked {
        tracing::warn!(key_id = only.id, kind = %error.kind(), "revoking the orphan failed");
        return Err(unresolved(first, window, ids, "revoking it failed"));
    }
    tracing::info!(
        key_id = only.id,
        "revoked this call's orphan; creating once more"
    );
    send_create(client, ctx, target).await
}

/// Why `key` cannot be proven to be this call's orphan, if it cannot.
fn not_provably_ours(
    key: &ApiKey,
    target: &CreateTarget,
    me: Option<&str>,
    (not_before, not_after): (SystemTime, SystemTime),
) -> Option<&'static str> {
    let creator = key.created_by.as_ref().and_then(|c| c.id.as_deref());
    if me.is_none() || creator != me {
        return Some("it was created by another identity");
    }
    if key.project_id != target.project_id {
        return Some("its scope differs from the one asked for");
    }
    let low: DateTime<Utc> = not_before.into();
    let high: DateTime<Utc> = not_after.into();
    if !key.created_at.is_some_and(|at| at >= low && at <= high) {
        return Some("it was created outside the window on Neon's clock");
    }
    None
}

/// The live keys named like the target (in its account: the caller's personal keys, or the organization's).
async fn named(client: &Client, ctx: &CallContext, target: &CreateTarget) -> Result<Vec<ApiKey>> {
    let keys = match &target.org_id {
        None => crate::ops::personal::list(client, ctx).await?,
        Some(org_id) => crate::ops::org::list(client, ctx, org_id).await?,
    };
    Ok(keys
        .into_iter()
        .filter(|k| k.name == target.key_name)
        .collect())
}

/// The user id of the key that creates keys (`GET /auth`), if it is a personal key.
async fn identity(client: &Client, ctx: &CallContext) -> Option<String> {
    let credentials = &client.inner.credentials;
    let key = credentials.org_minting().ok()?.0;
    let details = crate::ops::project::auth_with(client, ctx, &key)
        .await
        .ok()?;
    (details.auth_method == AuthMethod::ApiKeyUser).then_some(details.account_id)
}

/// The name was held before this call's create was sent: the create was refused.
fn taken_before(first: Error, target: &CreateTarget, before: &[ApiKey]) -> Error {
    let ids: Vec<String> = before.iter().map(|k| k.id.to_string()).collect();
    first.reworded(
        ErrorKind::Conflict,
        format!(
            "a live key named {:?} already existed before this call (id {}): Neon keeps key names unique, so \
             the create was refused; choose another unique name for api key",
            target.key_name,
            ids.join(", ")
        ),
    )
}

/// The outcome stays unknown: name the window (Neon's clock) and the candidates, and why none was revoked.
fn unresolved(
    first: Error,
    (not_before, not_after): (SystemTime, SystemTime),
    candidate_ids: Vec<i64>,
    reason: &str,
) -> Error {
    let Some(mut details) = first.outcome_unknown().cloned() else {
        return first;
    };
    details.not_before = details.not_before.min(not_before);
    details.not_after = details.not_after.max(not_after);
    details.candidate_ids = candidate_ids;
    let listed: Vec<String> = details.candidate_ids.iter().map(i64::to_string).collect();
    let message = format!(
        "the create of key {:?} may or may not have happened, and recovery could not prove which live key is \
         this call's own ({reason}); candidates: [{}]. Revoke the one that is yours, if any",
        details.key_name,
        listed.join(", ")
    );
    first
        .reworded(ErrorKind::OutcomeUnknown, message)
        .with_outcome_unknown(details)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::Creator;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn key(creator: &str, created: &str, project: Option<&str>) -> ApiKey {
        ApiKey {
            id: 7,
            name: "ci".to_string(),
            created_at: Some(at(created)),
            created_by: Some(Creator {
                id: Some(creator.to_string()),
                name: None,
                image: None,
            }),
            last_used_at: None,
            last_used_from_addr: Vec::new(),
            project_id: project.map(str::to_string),
        }
    }

    #[test]
    fn only_the_callers_own_key_in_the_window_and_scope_is_ours() {
        let target = CreateTarget {
            key_name: "ci".to_string(),
            org_id: Some("o".to_string()),
            project_id: Some("p".to_string()),
        };
        let window = (
            at("2025-01-01T00:00:10Z").into(),
            at("2025-01-01T00:00:20Z").into(),
        );
        let mine = key("me", "2025-01-01T00:00:15Z", Some("p"));
        assert_eq!(not_provably_ours(&mine, &target, Some("me"), window), None);
        let theirs = key("colleague", "2025-01-01T00:00:15Z", Some("p"));
        assert!(not_provably_ours(&theirs, &target, Some("me"), window).is_some());
        assert!(not_provably_ours(&mine, &target, None, window).is_some());
        let early = key("me", "2025-01-01T00:00:09Z", Some("p"));
        assert!(not_provably_ours(&early, &target, Some("me"), window).is_some());
        let other_scope = key("me", "2025-01-01T00:00:15Z", None);
        assert!(not_provably_ours(&other_scope, &target, Some("me"), window).is_some());
    }
}
