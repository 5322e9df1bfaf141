//! Opt-in recovery from a create whose outcome is unknown: find keys with the same name created in the
//! window, revoke them, then let the caller create once more.

use crate::execute::{CallContext, CreateTarget};
use crate::{ApiKey, Client, Error, ErrorKind, Result};
use chrono::{DateTime, Utc};

/// Allowed clock skew between this machine and Neon.
const CLOCK_SKEW: chrono::Duration = chrono::Duration::seconds(2);
/// Most list-and-revoke rounds.
const MAX_ROUNDS: usize = 3;

/// The keys that may be the orphan of the lost create.
pub(crate) fn orphans(
    keys: &[ApiKey],
    target: &CreateTarget,
    not_before: DateTime<Utc>,
    not_after: DateTime<Utc>,
) -> Vec<i64> {
    let low = not_before - CLOCK_SKEW;
    let high = not_after + CLOCK_SKEW;
    keys.iter()
        .filter(|k| k.name == target.key_name && k.project_id == target.project_id)
        .filter(|k| k.created_at.is_some_and(|at| at >= low && at <= high))
        .map(|k| k.id)
        .collect()
}

/// Revokes any orphan of the lost create. `Ok(())` means none is left; on any failure the original
/// `OutcomeUnknown` error is returned.
pub(crate) async fn reconcile(
    client: &Client,
    ctx: &CallContext,
    target: &CreateTarget,
    original: Error,
) -> Result<()> {
    let Some(window) = original.outcome_unknown() else {
        return Err(original);
    };
    let not_before: DateTime<Utc> = window.not_before.into();
    let not_after: DateTime<Utc> = window.not_after.into();
    for round in 1..=MAX_ROUNDS {
        let keys = match &target.org_id {
            None => crate::ops::personal::list(client, ctx).await,
            Some(org_id) => crate::ops::org::list(client, ctx, org_id).await,
        };
        let Ok(keys) = keys else {
            tracing::debug!(round, "reconcile: listing failed");
            return Err(original);
        };
        let found = orphans(&keys, target, not_before, not_after);
        tracing::debug!(round, orphans = found.len(), "reconcile: listed");
        if found.is_empty() {
            return Ok(());
        }
        for key_id in found {
            let revoked = match &target.org_id {
                None => crate::ops::personal::revoke(client, ctx, key_id).await,
                Some(org_id) => crate::ops::org::revoke(client, ctx, org_id, key_id).await,
            };
            if let Err(e) = revoked {
                if e.kind() != ErrorKind::NotFound {
                    tracing::debug!(round, key_id, kind = %e.kind(), "reconcile: revoke failed");
                    return Err(original);
                }
            }
        }
    }
    Err(original)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: i64, name: &str, at: Option<&str>, project: Option<&str>) -> ApiKey {
        ApiKey {
            id,
            name: name.to_string(),
            created_at: at
                .and_then(|a| DateTime::parse_from_rfc3339(a).ok())
                .map(|d| d.with_timezone(&Utc)),
            created_by: None,
            last_used_at: None,
            last_used_from_addr: Vec::new(),
            project_id: project.map(str::to_string),
        }
    }

    #[test]
    fn matches_name_scope_and_window_with_skew() {
        let t = CreateTarget {
            key_name: "ci".to_string(),
            org_id: Some("o".to_string()),
            project_id: Some("p".to_string()),
        };
        let at = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|d| d.with_timezone(&Utc))
                .unwrap_or_default()
        };
        let keys = vec![
            key(1, "ci", Some("2025-01-01T00:00:10Z"), Some("p")),
            key(2, "ci", Some("2025-01-01T00:00:08Z"), Some("p")),
            key(3, "ci", Some("2025-01-01T00:00:05Z"), Some("p")),
            key(4, "other", Some("2025-01-01T00:00:10Z"), Some("p")),
            key(5, "ci", Some("2025-01-01T00:00:10Z"), None),
            key(6, "ci", None, Some("p")),
            key(7, "ci", Some("2025-01-01T00:00:22Z"), Some("p")),
        ];
        let found = orphans(
            &keys,
            &t,
            at("2025-01-01T00:00:10Z"),
            at("2025-01-01T00:00:20Z"),
        );
        assert_eq!(found, vec![1, 2, 7]);
    }
}
