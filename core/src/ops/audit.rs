//! Finding keys that are not in use.

use crate::ApiKey;
use chrono::{DateTime, Utc};

/// Keys never used, or (with `since`) not used since then.
pub(crate) fn unused(keys: Vec<ApiKey>, since: Option<DateTime<Utc>>) -> Vec<ApiKey> {
    keys.into_iter()
        .filter(|k| match (k.last_used_at, since) {
            (None, _) => true,
            (Some(used), Some(since)) => used < since,
            (Some(_), None) => false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: i64, used: Option<&str>) -> ApiKey {
        ApiKey {
            id,
            name: format!("k{id}"),
            created_at: None,
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
}
