//! Finding keys that are not in use.

use crate::ApiKey;
use chrono::{DateTime, Utc};

/// Without `since`: keys never used. With `since`: keys created before `since` (a key whose creation time is
/// unknown is left out) and not used since then, so a key made after `since` never shows as unused.
pub(crate) fn unused(keys: Vec<ApiKey>, since: Option<DateTime<Utc>>) -> Vec<ApiKey> {
    keys.into_iter()
        .filter(|k| match since {
            None => k.last_used_at.is_none(),
            Some(since) => {
                k.created_at.is_some_and(|created| created < since)
                    && k.last_used_at.is_none_or(|used| used < since)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|d| d.with_timezone(&Utc))
    }

    fn key(id: i64, used: Option<&str>) -> ApiKey {
        ApiKey {
            id,
            name: format!("k{id}"),
            created_at: at("2024-12-01T00:00:00Z"),
            created_by: None,
            last_used_at: used
                .and_then(|u| DateTime::parse_from_rfc3339(u).ok())
                .map(|d| d.with_timezone(&Utc)),
            last_used_from_addr: Vec::new(),
            project_id: None,
        }
    }

    #[test]
    fn never_used_and_stale() {
        let keys = vec![
            key(1, None),
            key(2, Some("2025-01-01T00:00:00Z")),
            key(3, Some("2025-06-01T00:00:00Z")),
        ];
        let ids = |v: Vec<ApiKey>| v.into_iter().map(|k| k.id).collect::<Vec<_>>();
        assert_eq!(ids(unused(keys.clone(), None)), vec![1]);
        let since = DateTime::parse_from_rfc3339("2025-03-01T00:00:00Z")
            .map(|d| d.with_timezone(&Utc))
            .ok();
        assert_eq!(ids(unused(keys, since)), vec![1, 2]);
    }

    #[test]
    fn a_key_created_after_since_is_not_unused() {
        let mut fresh = key(4, None);
        fresh.created_at = at("2025-03-02T00:00:00Z");
        let mut unknown = key(5, None);
        unknown.created_at = None;
        let old = key(6, None);
        let since = at("2025-03-01T00:00:00Z");
        let listed: Vec<i64> = unused(vec![fresh.clone(), unknown, old], since)
            .into_iter()
            .map(|k| k.id)
            .collect();
        assert_eq!(listed, vec![6]);
        // Without `since`, "never used" is all that counts.
        assert_eq!(unused(vec![fresh], None).len(), 1);
    }
}
