//! Fault injection: what `POST /_emulator/faults` accepts, how a request is matched to a queued fault,
//! and the JSON patching of `patch_json`.

use std::collections::BTreeMap;

use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A fault as posted to `POST /_emulator/faults`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FaultSpec {
    /// HTTP method to match (case-insensitive); any method when absent.
    #[serde(default)]
    pub method: Option<String>,
    /// API path without `/api/v2` (a leading `/api/v2` is accepted and dropped); `*` matches one segment.
    pub path: String,
    /// How many matching requests it applies to; 0 means forever. Default 1.
    #[serde(default = "one")]
    pub times: u32,
    /// What to do.
    pub action: FaultAction,
}

fn one() -> u32 {
    1
}

/// The fault actions.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum FaultAction {
    /// Answer with this response instead of running the real handler.
    Respond(Canned),
    /// Run the real handler (its effects happen), then answer with this response instead.
    RespondAfter(Canned),
    /// Wait `ms` milliseconds, then run the real handler.
    Delay {
        /// Milliseconds to wait.
        ms: u64,
    },
    /// Never answer (the connection stays open until the client gives up or the emulator stops).
    Stall,
    /// Close the connection (TCP reset) without running the handler or sending anything.
    ResetBefore,
    /// Run the real handler (its effects happen), then close the connection without sending anything.
    ResetAfter,
    /// Send the real response's head with its full `Content-Length`, then only `bytes` body bytes, then close.
    Truncate {
        /// Body bytes to send (clamped to one less than the body length so the body is always cut).
        bytes: usize,
    },
    /// Run the real handler and patch its JSON body (each array item when it is an array).
    PatchJson {
        /// Fields to set (dotted names like `created_by.image` reach into objects).
        #[serde(default)]
        set: Map<String, Value>,
        /// Fields to remove (dotted names allowed).
        #[serde(default)]
        remove: Vec<String>,
    },
    /// Run the real handler, send the head at once, then the body `bytes_per_chunk` bytes at a time with a
    /// pause of `interval_ms` before each chunk (a slowloris from the server side).
    Trickle {
        /// Body bytes per chunk (at least 1).
        bytes_per_chunk: usize,
        /// Milliseconds to wait before each chunk.
        interval_ms: u64,
    },
    /// Run the real handler and send its full response with no `Connection: close` header, then close the
    /// connection: a client that pools it holds a stale connection.
    CloseAfter {
        /// Keep the connection open instead and reset it, unanswered, when the next request arrives on it
        /// (the client cannot see the close coming).
        #[serde(default)]
        defer: bool,
    },
}

impl FaultAction {
    /// The action's `type` name.
    pub fn name(&self) -> &'static str {
        match self {
            FaultAction::Respond(_) => "respond",
            FaultAction::RespondAfter(_) => "respond_after",
            FaultAction::Delay { .. } => "delay",
            FaultAction::Stall => "stall",
            FaultAction::ResetBefore => "reset_before",
            FaultAction::ResetAfter => "reset_after",
            FaultAction::Truncate { .. } => "truncate",
            FaultAction::PatchJson { .. } => "patch_json",
            FaultAction::Trickle { .. } => "trickle",
            FaultAction::CloseAfter { .. } => "close_after",
        }
    }
}

/// A canned response of `respond` / `respond_after`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Canned {
    /// HTTP status.
    pub status: u16,
    /// A JSON body (sent with `content-type: application/json; charset=utf-8`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<Value>,
    /// A raw text body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// A raw body, base64-encoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_base64: Option<String>,
    /// Extra response headers (they override the defaults).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<BTreeMap<String, String>>,
    /// Send the body (`json`, `body` or `body_base64`) this many times over, streamed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<u64>,
    /// Send the body with chunked transfer encoding instead of a `Content-Length`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub chunked: bool,
}

impl Canned {
    /// Checks what serde cannot: a valid status, at most one body, valid base64 and headers.
    pub fn validate(&self) -> Result<(), String> {
        http::StatusCode::from_u16(self.status)
            .map_err(|_| format!("invalid status {}", self.status))?;
        let bodies = [
            self.json.is_some(),
            self.body.is_some(),
            self.body_base64.is_some(),
        ];
        if bodies.iter().filter(|b| **b).count() > 1 {
            return Err("give at most one of json, body, body_base64".into());
        }
        if self.repeat.is_some() && !bodies.contains(&true) {
            return Err("repeat needs json, body or body_base64".into());
        }
        if let Some(b) = &self.body_base64 {
            base64::engine::general_purpose::STANDARD
                .decode(b)
                .map_err(|e| format!("body_base64: {e}"))?;
        }
        for (name, value) in self.headers.iter().flatten() {
            http::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("invalid header name {name:?}"))?;
            http::HeaderValue::from_str(value)
                .map_err(|_| format!("invalid value for header {name:?}"))?;
        }
        Ok(())
    }
}

/// A queued fault and how often it may still fire.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct QueuedFault {
    /// Id given at creation (from 1).
    pub id: u64,
    /// Method to match, upper case, or none for any.
    pub method: Option<String>,
    /// Path pattern (without `/api/v2`).
    pub path: String,
    /// Remaining uses; `None` is forever.
    pub remaining: Option<u32>,
    /// How often it has fired.
    pub hits: u32,
    /// The action.
    pub action: FaultAction,
}

/// The queued faults, in the order they were added.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    faults: Vec<QueuedFault>,
    next_id: u64,
}

impl FaultQueue {
    /// Queues a fault after checking it; returns it as stored.
    pub fn add(&mut self, spec: FaultSpec) -> Result<QueuedFault, String> {
        match &spec.action {
            FaultAction::Respond(c) | FaultAction::RespondAfter(c) => c.validate()?,
            FaultAction::Trickle {
                bytes_per_chunk: 0, ..
            } => return Err("bytes_per_chunk must be at least 1".into()),
            _ => {}
        }
        let path = normalize_pattern(&spec.path);
        if !path.starts_with('/') {
            return Err("path must start with /".into());
        }
        if let Some(m) = &spec.method {
            http::Method::from_bytes(m.to_ascii_uppercase().as_bytes())
                .map_err(|_| format!("invalid method {m:?}"))?;
        }
        self.next_id += 1;
        let fault = QueuedFault {
            id: self.next_id,
            method: spec.method.map(|m| m.to_ascii_uppercase()),
            path,
            remaining: (spec.times > 0).then_some(spec.times),
            hits: 0,
            action: spec.action,
        };
        self.faults.push(fault.clone());
        Ok(fault)
    }

    /// The action of the first queued fault matching this request, used up by one.
    pub fn take(&mut self, method: &str, path: &str) -> Option<FaultAction> {
        let idx = self.faults.iter().position(|f| {
            f.method
                .as_ref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
                && path_matches(&f.path, path)
        })?;
        let fault = self.faults.get_mut(idx)?;
        fault.hits += 1;
        let action = fault.action.clone();
        if let Some(n) = fault.remaining.as_mut() {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.faults.remove(idx);
            }
        }
        Some(action)
    }

    /// The queued faults.
    pub fn list(&self) -> Vec<QueuedFault> {
        self.faults.clone()
    }

    /// Drops every queued fault.
    pub fn clear(&mut self) {
        self.faults.clear();
    }
}

fn normalize_pattern(p: &str) -> String {
    let p = p.trim();
    let p = p.strip_prefix("/api/v2").unwrap_or(p);
    if p.is_empty() {
        "/".to_owned()
    } else {
        p.to_owned()
    }
}

/// Whether `path` matches `pattern` segment by segment (`*` matches exactly one segment; a trailing
/// slash is ignored; a leading `/api/v2` on the pattern is ignored).
pub(crate) fn path_matches(pattern: &str, path: &str) -> bool {
    let pattern = normalize_pattern(pattern);
    let segs = |s: &str| -> Vec<String> {
        s.trim_end_matches('/')
            .split('/')
            .map(str::to_owned)
            .collect()
    };
    let (pat, got) = (segs(&pattern), segs(path));
    pat.len() == got.len() && pat.iter().zip(&got).all(|(p, g)| p == "*" || p == g)
}

/// Applies `set` and `remove` to an object, or to every object in an array. Other values are left alone.
pub(crate) fn patch_json(value: &mut Value, set: &Map<String, Value>, remove: &[String]) {
    match value {
        Value::Array(items) => {
            for item in items {
                patch_object(item, set, remove);
            }
        }
        other => patch_object(other, set, remove),
    }
}

/// Sets `value[parts[0]][parts[1]]... = new`, creating (or replacing non-object) intermediate objects.
fn set_path(value: &mut Value, parts: &[&str], new: Value) {
    let Some(obj) = value.as_object_mut() else {
        return;
    };
    match parts {
        [] => {}
        [last] => {
            obj.insert((*last).to_owned(), new);
        }
        [first, rest @ ..] => {
            let next = obj
                .entry((*first).to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if !next.is_object() {
                *next = Value::Object(Map::new());
            }
            set_path(next, rest, new);
        }
    }
}

fn patch_object(value: &mut Value, set: &Map<String, Value>, remove: &[String]) {
    if !value.is_object() {
        return;
    }
    for (name, new) in set {
        let parts: Vec<&str> = name.split('.').collect();
        set_path(value, &parts, new.clone());
    }
    for name in remove {
        let mut parts: Vec<&str> = name.split('.').collect();
        let Some(last) = parts.pop() else { continue };
        let mut cur = Some(&mut *value);
        for p in parts {
            cur = cur.and_then(|c| c.get_mut(p));
        }
        if let Some(obj) = cur.and_then(Value::as_object_mut) {
            obj.remove(last);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wildcard_matches_one_segment() {
        assert!(path_matches("/api_keys/*", "/api_keys/5000"));
        assert!(path_matches("/api/v2/api_keys", "/api_keys"));
        assert!(path_matches("/api_keys/", "/api_keys"));
        assert!(!path_matches("/api_keys/*", "/api_keys"));
        assert!(!path_matches("/*", "/api_keys/1"));
        assert!(path_matches(
            "/organizations/*/api_keys/*",
            "/organizations/org-acme-1234/api_keys/2001"
        ));
    }

    #[test]
    fn queue_fires_in_order_and_counts() {
        let mut q = FaultQueue::default();
        let spec = |times, ms| FaultSpec {
            method: Some("post".into()),
            path: "/api_keys".into(),
            times,
            action: FaultAction::Delay { ms },
        };
        q.add(spec(2, 1)).ok();
        q.add(spec(1, 2)).ok();
        let ms = |a: Option<FaultAction>| match a {
            Some(FaultAction::Delay { ms }) => ms,
            _ => 0,
        };
        assert!(q.take("GET", "/api_keys").is_none());
        assert_eq!(ms(q.take("POST", "/api_keys")), 1);
        assert_eq!(ms(q.take("POST", "/api_keys")), 1);
        assert_eq!(ms(q.take("POST", "/api_keys")), 2);
        assert!(q.take("POST", "/api_keys").is_none());
        q.add(spec(0, 3)).ok();
        for _ in 0..5 {
            assert_eq!(ms(q.take("POST", "/api_keys")), 3);
        }
    }

    #[test]
    fn patch_sets_and_removes_nested() {
        let mut v = json!([{"a": 1, "created_by": {"id": "x", "image": "i"}}, {"a": 2}]);
        let set = json!({"b": true, "created_by.name": "n"});
        let set = set.as_object().cloned().unwrap_or_default();
        patch_json(&mut v, &set, &["a".into(), "created_by.image".into()]);
        assert_eq!(
            v,
            json!([{"b": true, "created_by": {"id": "x", "name": "n"}}, {"b": true, "created_by": {"name": "n"}}])
        );
    }
}
