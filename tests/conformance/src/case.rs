//! The case model: one JSON object of a `cases/*.json` file (see the README for every field).

use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The languages that may appear as keys of `expect_overrides`.
pub const LANGUAGES: [&str; 4] = ["rust", "python", "node", "swift"];

impl Case {
    /// The expectation for `language` (one of [`LANGUAGES`]): its entry of `expect_overrides` when there is
    /// one (it replaces `expect` wholesale, nothing is merged), else `expect`.
    pub fn expect_for(&self, language: &str) -> &Expect {
        self.expect_overrides.get(language).unwrap_or(&self.expect)
    }
}

/// One conformance case.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Unique kebab-case name.
    pub name: String,
    /// Why the case exists.
    pub description: String,
    /// The operation (one of [`crate::OPERATIONS`]).
    pub operation: String,
    /// The operation's arguments (seed variables not yet resolved).
    #[serde(default)]
    pub args: Map<String, Value>,
    /// Keys passed explicitly to the builder.
    #[serde(default)]
    pub credentials: Option<Map<String, Value>>,
    /// Environment variables for a client built with `from_env`.
    #[serde(default)]
    pub env: Option<Map<String, Value>>,
    /// Client settings.
    #[serde(default)]
    pub client: ClientSettings,
    /// Emulator state.
    #[serde(default)]
    pub setup: Setup,
    /// What must come back.
    pub expect: Expect,
    /// Per-language replacements of `expect` (keys: [`LANGUAGES`]), only where a language's documented
    /// behaviour differs. See [`Case::expect_for`].
    #[serde(default)]
    pub expect_overrides: BTreeMap<String, Expect>,
    /// The file the case came from (filled in by the loader).
    #[serde(skip)]
    pub file: String,
}

/// Client settings of a case, with the suite's defaults (not the library's).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClientSettings {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Whole-call timeout.
    pub timeout_ms: u64,
    /// Per-attempt timeout.
    pub attempt_timeout_ms: u64,
    /// Backoff base and cap.
    pub backoff_ms: [u64; 2],
    /// Client-side throttle.
    pub throttle: bool,
    /// Reconcile creates whose outcome is unknown.
    pub reconcile_creates: bool,
}

impl Default for ClientSettings {
    fn default() -> Self {
        ClientSettings {
            max_retries: 2,
            timeout_ms: 10_000,
            attempt_timeout_ms: 5_000,
            backoff_ms: [1, 20],
            throttle: false,
            reconcile_creates: false,
        }
    }
}

/// Emulator setup of a case.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Setup {
    /// The emulator's rate limiter (default off).
    pub rate_limits: bool,
    /// Bodies for `POST /_emulator/keys`, in order.
    pub keys: Vec<Value>,
    /// Bodies for `POST /_emulator/faults`, in order.
    pub faults: Vec<Value>,
    /// Sent with the reset: how far the emulator's clock runs ahead (negative: behind).
    pub clock_offset_ms: Option<i64>,
    /// Sent with the reset: the status of a duplicate key name (400, 409 or 422).
    pub name_conflict_status: Option<u16>,
    /// Keychain entries to fill before the operation: `{"service", "account", "key": <index into keys>}`.
    pub keychain: Vec<Value>,
}

/// The expectation of a case.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The expected canonical result (exclusive with `error`).
    #[serde(default)]
    pub result: Option<Value>,
    /// The expected error (exclusive with `result`).
    #[serde(default)]
    pub error: Option<Map<String, Value>>,
    /// The number of Neon API requests the emulator must have logged.
    #[serde(default)]
    pub requests: Option<u64>,
    /// Checks of the emulator's state after the operation (one object or a list).
    #[serde(default)]
    pub state: Option<Value>,
}

impl Expect {
    /// The expectation on the error as a matcher pattern over the canonical error JSON
    /// (`message_contains` becomes `{"message": {"$includes": ...}}`).
    pub fn error_pattern(&self) -> Option<Value> {
        let error = self.error.as_ref()?;
        let mut pattern = Map::new();
        for (key, value) in error {
            if key == "message_contains" {
                pattern.insert(
                    "message".to_string(),
                    serde_json::json!({ "$includes": value }),
                );
            } else {
                pattern.insert(key.clone(), value.clone());
            }
        }
        Some(Value::Object(pattern))
    }
}

/// Loads every `*.json` file of `dir` (sorted by name) as raw JSON, for schema validation.
pub fn load_raw_files(dir: &std::path::Path) -> Result<Vec<(String, Value)>, String> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let value: Value = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.push((name, value));
    }
    Ok(files)
}

/// Turns raw case files into cases (each tagged with its file).
pub fn parse_cases(files: &[(String, Value)]) -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();
    for (file, value) in files {
        let list: Vec<Case> = serde_json::from_value(value.clone())
            .map_err(|e| format!("{file}: not a list of cases: {e}"))?;
        for mut case in list {
            case.file = file.clone();
            cases.push(case);
        }
    }
    Ok(cases)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn case(json: Value) -> Case {
        serde_json::from_value(json).expect("a valid case")
    }

    #[test]
    fn expect_overrides_replace_expect_for_their_language_only() {
        let c = case(serde_json::json!({
            "name": "n", "description": "d", "operation": "list_api_keys",
            "expect": {"result": [], "requests": 1},
            "expect_overrides": {"node": {"error": {"kind": "decode"}}}
        }));
        assert!(c.expect_for("node").result.is_none());
        assert_eq!(
            c.expect_for("node").error_pattern(),
            Some(serde_json::json!({"kind": "decode"}))
        );
        // Replaced wholesale: nothing of `expect` (here `requests`) is merged in.
        assert_eq!(c.expect_for("node").requests, None);
        for language in ["rust", "python", "swift"] {
            assert_eq!(c.expect_for(language).requests, Some(1), "{language}");
            assert!(c.expect_for(language).result.is_some(), "{language}");
        }
    }

    #[test]
    fn no_overrides_by_default() {
        let c = case(serde_json::json!({
            "name": "n", "description": "d", "operation": "list_api_keys", "expect": {"result": []}
        }));
        assert!(c.expect_overrides.is_empty());
        assert!(c.expect_for("node").result.is_some());
    }
}
