//! The log of requests to the Neon API (`GET /_emulator/requests`). It records which seeded identity made
//! a call (`admin`, `member`, `org`, `project`, `revoked`, `unknown`, `none`), never the bearer token.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One logged request.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LogEntry {
    /// Position in the log, from 0.
    pub seq: usize,
    /// HTTP method, upper case.
    pub method: String,
    /// API path without `/api/v2` (the form fault paths use), without the query string.
    pub path: String,
    /// The query string, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// The request id (the caller's `X-Request-ID`, or the one the emulator made up).
    pub request_id: String,
    /// Who called: `admin|member|org|project|revoked|unknown|none` (`user` for a key of another user).
    pub auth: String,
    /// The id of the key used, when the bearer matched a key (live or revoked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_id: Option<i64>,
    /// The request body as JSON; a non-JSON body is logged as a string; no body is null.
    pub body: Value,
    /// The status sent; null when no response was sent (stall, reset) or not yet.
    pub status: Option<u16>,
    /// The fault action applied to this request, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<String>,
}

/// Filters of `GET /_emulator/requests[/count]?method=..&path=..`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct LogFilter {
    /// Only this method (case-insensitive).
    pub method: Option<String>,
    /// Only this path (same pattern syntax as faults: `*` matches one segment).
    pub path: Option<String>,
}

impl LogFilter {
    fn matches(&self, e: &LogEntry) -> bool {
        self.method
            .as_ref()
            .is_none_or(|m| m.eq_ignore_ascii_case(&e.method))
            && self
                .path
                .as_ref()
                .is_none_or(|p| crate::faults::path_matches(p, &e.path))
    }
}

/// All logged requests, oldest first.
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    entries: Vec<LogEntry>,
}

impl RequestLog {
    /// Appends an entry (its `seq` is set here) and returns its position.
    pub fn push(&mut self, mut entry: LogEntry) -> usize {
        let seq = self.entries.len();
        entry.seq = seq;
        self.entries.push(entry);
        seq
    }

    /// Sets the status and fault of a logged request.
    pub fn finish(&mut self, seq: usize, status: Option<u16>, fault: Option<&str>) {
        if let Some(e) = self.entries.get_mut(seq) {
            e.status = status;
            if let Some(f) = fault {
                e.fault = Some(f.to_owned());
            }
        }
    }

    /// The entries that pass `filter`.
    pub fn filtered(&self, filter: &LogFilter) -> Vec<LogEntry> {
        self.entries
            .iter()
            .filter(|e| filter.matches(e))
            .cloned()
            .collect()
    }

    /// Forgets every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}
