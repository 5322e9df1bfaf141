//! The emulator process (`neon-api-keys-emulator`) and its control API (`/_emulator`).

use crate::http::BaseUrl;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// Where the emulator binary is: `$NEON_EMULATOR_BIN`, else `<workspace>/target/debug/neon-api-keys-emulator`.
pub fn emulator_binary(workspace_root: &Path) -> PathBuf {
    match std::env::var_os("NEON_EMULATOR_BIN") {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| workspace_root.join("target"));
            target.join("debug").join(format!(
                "neon-api-keys-emulator{}",
                std::env::consts::EXE_SUFFIX
            ))
        }
    }
}

/// A running emulator child process. Dropping it kills the process (also when a runner panics).
#[derive(Debug)]
pub struct EmulatorProcess {
    child: Child,
    /// The Neon API base URL, including `/api/v2`.
    pub base_url: String,
    /// The control API base URL (`.../_emulator`).
    pub control_url: String,
    /// The seed JSON printed at start.
    pub seed: Value,
}

impl EmulatorProcess {
    /// Starts `binary --port 0 --host 127.0.0.1` and reads its JSON line. Set `CONFORMANCE_EMULATOR_LOG=1` to
    /// see the emulator's stderr.
    pub fn start(binary: &Path) -> Result<EmulatorProcess, String> {
        if !binary.exists() {
            return Err(format!(
                "emulator binary {} not found: run `cargo build -p neon-api-keys-emulator` or set NEON_EMULATOR_BIN",
                binary.display()
            ));
        }
        let stderr = if std::env::var_os("CONFORMANCE_EMULATOR_LOG").is_some() {
            Stdio::inherit()
        } else {
            Stdio::null()
        };
        let mut child = Command::new(binary)
            .args(["--port", "0", "--host", "127.0.0.1"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        // From here on the guard kills the child on every early return.
        let stdout = child.stdout.take();
        let mut guard = EmulatorProcess {
            child,
            base_url: String::new(),
            control_url: String::new(),
            seed: Value::Null,
        };
        let stdout = stdout.ok_or("the emulator's stdout is not captured")?;
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        reader
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the emulator's first line: {e}"))?;
        let info: Value = serde_json::from_str(line.trim())
            .map_err(|e| format!("the emulator's first line is not JSON ({e}): {line:?}"))?;
        // Keep draining stdout so the emulator never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sink = String::new();
            while reader.read_line(&mut sink).map(|n| n > 0).unwrap_or(false) {
                sink.clear();
            }
        });
        let field = |name: &str| {
            info.get(name)
                .and_then(Value::as_str)
                .map(|s| s.trim_end_matches('/').to_string())
                .ok_or_else(|| format!("the emulator's first line has no {name:?}: {line}"))
        };
        guard.base_url = field("base_url")?;
        guard.control_url = field("control_url")?;
        guard.seed = info.get("seed").cloned().unwrap_or(Value::Null);
        Ok(guard)
    }

    /// A control API client for this emulator.
    pub fn control(&self) -> Result<Control, String> {
        Control::new(&self.control_url)
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The emulator's control API.
#[derive(Debug, Clone)]
pub struct Control {
    base: BaseUrl,
}

impl Control {
    /// A client for the control API at `control_url` (`http://127.0.0.1:PORT/_emulator`).
    pub fn new(control_url: &str) -> Result<Control, String> {
        Ok(Control {
            base: BaseUrl::parse(control_url)?,
        })
    }

    fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
        let (status, value) = self.base.request(method, path, body)?;
        if !(200..300).contains(&status) {
            return Err(format!(
                "control {method} {path} answered {status}: {value} (request body: {})",
                body.map(|b| b.to_string()).unwrap_or_default()
            ));
        }
        Ok(value)
    }

    /// `POST /reset` with the case's setup (rate limits, clock offset, status of a duplicate name): restores
    /// the seed, clears faults and the request log; returns the seed JSON.
    pub fn reset(&self, setup: &crate::case::Setup) -> Result<Value, String> {
        let mut body = json!({ "rate_limits": setup.rate_limits });
        if let Some(offset) = setup.clock_offset_ms {
            body["clock_offset_ms"] = json!(offset);
        }
        if let Some(status) = setup.name_conflict_status {
            body["name_conflict_status"] = json!(status);
        }
        self.call("POST", "/reset", Some(&body))
    }

    /// `POST /keys/{id}/use`: the key shows a use one second from now on the emulator's clock.
    pub fn use_key(&self, key_id: i64) -> Result<Value, String> {
        self.call("POST", &format!("/keys/{key_id}/use"), Some(&json!({})))
    }

    /// `POST /keys`: seeds a key directly.
    pub fn add_key(&self, key: &Value) -> Result<Value, String> {
        self.call("POST", "/keys", Some(key))
    }

    /// `POST /faults`: queues a fault.
    pub fn add_fault(&self, fault: &Value) -> Result<Value, String> {
        self.call("POST", "/faults", Some(fault))
    }

    /// `GET /requests`: the Neon API requests logged since the last reset.
    pub fn requests(&self) -> Result<Vec<Value>, String> {
        match self.call("GET", "/requests", None)? {
            Value::Array(items) => Ok(items),
            other => Err(format!("GET /requests is not an array: {other}")),
        }
    }

    /// `GET /state`: every key (`api_keys` + `org_api_keys`), revoked ones included, without secrets.
    pub fn state(&self) -> Result<Value, String> {
        self.call("GET", "/state", None)
    }

    /// Every key of a `GET /state` answer, personal and org.
    pub fn all_keys(state: &Value) -> Vec<Value> {
        ["api_keys", "org_api_keys"]
            .iter()
            .filter_map(|k| state.get(*k).and_then(Value::as_array))
            .flatten()
            .cloned()
            .collect()
    }
}
