//! No created key is ever lost: N creates against the emulator, one in five answered ambiguously (the key IS
//! created, then the connection is reset or a 500/502/504 comes back), and then the emulator's own state is
//! compared with what the callers were handed.
//!
//! - `reconcile_creates(true)`: the live keys equal exactly the keys handed to callers (no orphan, no loss).
//! - `reconcile_creates(false)`: every live key a caller did not get lies inside the name and time window of
//!   an `OutcomeUnknown` error that a caller did get.
//! - Both: the request log shows no automatic duplicate create. Each name is POSTed once, or (reconcile on)
//!   twice with a revoke of the first key between the two POSTs.
//!
//! `NO_LOSS_CREATES` sets N (default 2000 in release builds, 1000 in debug builds so that `make test` stays
//! well under a minute); `NO_LOSS_CREATES=2000 cargo test -p neon-api-keys --test no_loss -- --nocapture`
//! prints the figures (see docs/reliability.md).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, Utc};
use neon_api_keys::{Client, ErrorKind, OutcomeUnknown};
use neon_api_keys_emulator::{Emulator, EmulatorConfig};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, SystemTime};

/// One create in this many is answered ambiguously (20 %).
const FAULT_EVERY: usize = 5;
/// The emulator stamps `created_at` to the second (as Neon does): a key made at 12:00:00.8 reads 12:00:00.
const TIMESTAMP_RESOLUTION: Duration = Duration::from_secs(1);

fn creates() -> usize {
    let default = if cfg!(debug_assertions) { 1000 } else { 2000 };
    std::env::var("NO_LOSS_CREATES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// The ambiguous answer given to the `i`-th faulty create: the real handler runs (the key exists), then the
/// caller gets a reset connection or a 5xx that does not say whether anything happened.
fn ambiguous_fault(i: usize) -> Value {
    let action = match (i / FAULT_EVERY) % 4 {
        0 => json!({"type": "reset_after"}),
        1 => json!({"type": "respond_after", "status": 500,
                    "json": {"code": "", "message": "internal server error"}}),
        2 => json!({"type": "respond_after", "status": 502,
                    "body": "<html><body><h1>502 Bad Gateway</h1></body></html>",
                    "headers": {"content-type": "text/html"}}),
        _ => json!({"type": "respond_after", "status": 504, "body": ""}),
    };
    json!({"method": "POST", "path": "/api_keys", "times": 1, "action": action})
}

/// The emulator's control API (`/_emulator`).
struct Control {
    http: reqwest::Client,
    url: String,
}

impl Control {
    fn new(emu: &Emulator) -> Control {
        let _ = rustls::crypto::ring::default_provider().install_default();
        Control {
            http: reqwest::Client::builder().no_proxy().build().unwrap(),
            url: emu.control_url().to_string(),
        }
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        let resp = self
            .http
            .post(format!("{}{path}", self.url))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(
            resp.status().is_success(),
            "control POST {path}: {}",
            resp.status()
        );
        resp.json().await.unwrap_or(Value::Null)
    }

    async fn get(&self, path: &str) -> Value {
        let resp = self
            .http
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .unwrap();
        assert!(
            resp.status().is_success(),
            "control GET {path}: {}",
            resp.status()
        );
        resp.json().await.unwrap()
    }
}

/// What one run saw.
#[derive(Default)]
struct Run {
    /// id → name of every key handed to a caller.
    handed: BTreeMap<i64, String>,
    /// Every `OutcomeUnknown` a caller got.
    unknown: Vec<OutcomeUnknown>,
    /// Errors of any other kind (should be none).
    unexpected: Vec<String>,
    /// Faults injected.
    ambiguous: usize,
}

async fn run_creates(reconcile: bool, prefix: &str) -> (Emulator, Control, Run) {
    let emu = Emulator::start_with(EmulatorConfig {
        rate_limits: false,
        ..EmulatorConfig::default()
    })
    .await;
    let control = Control::new(&emu);
    control.post("/reset", json!({"rate_limits": false})).await;
    let client = Client::builder()
        .api_key(emu.seed().keys.admin.as_str())
        .base_url(emu.base_url())
        .throttle(false)
        .backoff(Duration::from_millis(1), Duration::from_millis(20))
        .attempt_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .reconcile_creates(reconcile)
        .build()
        .unwrap();
    let mut run = Run::default();
    for i in 0..creates() {
        let name = format!("{prefix}-{i:06}");
        if i % FAULT_EVERY == FAULT_EVERY / 2 {
            control.post("/faults", ambiguous_fault(i)).await;
            run.ambiguous += 1;
        }
        match client.create_api_key(&name).await {
            Ok(key) => {
                assert_eq!(key.name, name, "a create handed back another key");
                assert!(!key.key.is_empty(), "a create handed back an empty secret");
                assert!(
                    run.handed.insert(key.id, name).is_none(),
                    "key {} handed out twice",
                    key.id
                );
            }
            Err(e) if e.kind() == ErrorKind::OutcomeUnknown => {
                let details = e
                    .outcome_unknown()
                    .cloned()
                    .expect("OutcomeUnknown without details");
                assert_eq!(details.key_name, name, "OutcomeUnknown names another key");
                run.unknown.push(details);
            }
            Err(e) => run.unexpected.push(format!("{name}: {e}")),
        }
    }
    // Nothing may be left queued: every fault must have been consumed by its own create.
    let _ = control
        .http
        .delete(format!("{}/faults", control.url))
        .send()
        .await;
    (emu, control, run)
}

/// Live (not revoked) personal keys whose name starts with `prefix`: id → (name, created_at).
async fn live_keys(control: &Control, prefix: &str) -> BTreeMap<i64, (String, DateTime<Utc>)> {
    let state = control.get("/state").await;
    let mut live = BTreeMap::new();
    for key in state["api_keys"].as_array().expect("state.api_keys") {
        let name = key["name"].as_str().unwrap_or_default();
        if key["revoked"].as_bool() == Some(true) || !name.starts_with(prefix) {
            continue;
        }
        let created_at = DateTime::parse_from_rfc3339(key["created_at"].as_str().unwrap())
            .unwrap()
            .with_timezone(&Utc);
        live.insert(key["id"].as_i64().unwrap(), (name.to_string(), created_at));
    }
    live
}

/// POSTs of a create per name, and every revoked id with its log position.
struct Log {
    posts: HashMap<String, Vec<(u64, bool)>>,
    deletes: HashMap<i64, u64>,
}

async fn request_log(control: &Control, prefix: &str) -> Log {
    let entries = control.get("/requests").await;
    let mut log = Log {
        posts: HashMap::new(),
        deletes: HashMap::new(),
    };
    for e in entries.as_array().expect("requests array") {
        let seq = e["seq"].as_u64().unwrap_or_default();
        let method = e["method"].as_str().unwrap_or_default();
        let path = e["path"].as_str().unwrap_or_default();
        if method == "POST" && path == "/api_keys" {
            let name = e["body"]["key_name"].as_str().unwrap_or_default();
            if name.starts_with(prefix) {
                let faulted = e.get("fault").is_some_and(|f| !f.is_null());
                log.posts
                    .entry(name.to_string())
                    .or_default()
                    .push((seq, faulted));
            }
        } else if method == "DELETE" {
            if let Some(id) = path
                .strip_prefix("/api_keys/")
                .and_then(|id| id.parse().ok())
            {
                log.deletes.insert(id, seq);
            }
        }
    }
    log
}

fn within(window: &OutcomeUnknown, created_at: DateTime<Utc>) -> bool {
    let at = SystemTime::from(created_at);
    at + TIMESTAMP_RESOLUTION >= window.not_before && at <= window.not_after + TIMESTAMP_RESOLUTION
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconcile_on_every_live_key_was_handed_out() {
    let prefix = "noloss-on";
    let (_emu, control, run) = run_creates(true, prefix).await;
    let live = live_keys(&control, prefix).await;
    let log = request_log(&control, prefix).await;
    let state = control.get("/state").await;
    let name_of: HashMap<i64, String> = state["api_keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["id"].as_i64().unwrap(),
                k["name"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();

    // No automatic duplicate create: a name is POSTed once, or twice when the first answer was ambiguous
    // and the orphan it left was revoked before the second POST.
    let mut reconciled = 0;
    let mut duplicates = Vec::new();
    for (name, posts) in &log.posts {
        match posts.as_slice() {
            [_] => {}
            [(first, true), (second, _)] => {
                let revoked_between = log
                    .deletes
                    .iter()
                    .any(|(id, seq)| name_of.get(id) == Some(name) && seq > first && seq < second);
                if revoked_between {
                    reconciled += 1;
                } else {
                    duplicates.push(format!(
                        "{name}: created again without revoking the orphan first"
                    ));
                }
            }
            other => duplicates.push(format!("{name}: {} POSTs {other:?}", other.len())),
        }
    }
    let handed: BTreeSet<i64> = run.handed.keys().copied().collect();
    let live_ids: BTreeSet<i64> = live.keys().copied().collect();
    let lost: Vec<_> = live_ids.difference(&handed).collect();
    let dead: Vec<_> = handed.difference(&live_ids).collect();
    println!(
        "no_loss reconcile=on: creates={} ambiguous={} reconciled={} outcome_unknown={} handed={} live={} lost={} handed_but_dead={} duplicate_creates={} unexpected_errors={}",
        creates(),
        run.ambiguous,
        reconciled,
        run.unknown.len(),
        handed.len(),
        live_ids.len(),
        lost.len(),
        dead.len(),
        duplicates.len(),
        run.unexpected.len(),
    );
    assert!(
        run.unexpected.is_empty(),
        "unexpected errors: {:?}",
        run.unexpected
    );
    assert!(duplicates.is_empty(), "duplicate creates: {duplicates:?}");
    assert!(lost.is_empty(), "live keys nobody was handed: {lost:?}");
    assert!(
        dead.is_empty(),
        "keys handed out that are not live: {dead:?}"
    );
    assert!(
        run.unknown.is_empty(),
        "OutcomeUnknown despite reconciliation: {}",
        run.unknown.len()
    );
    assert_eq!(
        handed.len(),
        creates(),
        "every create should end with a key"
    );
    assert_eq!(
        reconciled, run.ambiguous,
        "every ambiguous create should be reconciled"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconcile_off_every_unseen_key_is_reported() {
    let prefix = "noloss-off";
    let (_emu, control, run) = run_creates(false, prefix).await;
    let live = live_keys(&control, prefix).await;
    let log = request_log(&control, prefix).await;

    let duplicates: Vec<String> = log
        .posts
        .iter()
        .filter(|(_, posts)| posts.len() != 1)
        .map(|(name, posts)| format!("{name}: {} POSTs", posts.len()))
        .collect();
    let windows: HashMap<&str, &OutcomeUnknown> = run
        .unknown
        .iter()
        .map(|u| (u.key_name.as_str(), u))
        .collect();
    let mut reported = 0;
    let mut lost = Vec::new();
    for (id, (name, created_at)) in &live {
        if run.handed.contains_key(id) {
            continue;
        }
        match windows.get(name.as_str()) {
            Some(window) if within(window, *created_at) => reported += 1,
            Some(window) => lost.push(format!("{id} {name} at {created_at} outside {window:?}")),
            None => lost.push(format!("{id} {name}: no OutcomeUnknown names it")),
        }
    }
    let dead: Vec<_> = run
        .handed
        .keys()
        .filter(|id| !live.contains_key(id))
        .collect();
    println!(
        "no_loss reconcile=off: creates={} ambiguous={} outcome_unknown={} handed={} live={} unseen_live_reported={} lost={} handed_but_dead={} duplicate_creates={} unexpected_errors={}",
        creates(),
        run.ambiguous,
        run.unknown.len(),
        run.handed.len(),
        live.len(),
        reported,
        lost.len(),
        dead.len(),
        duplicates.len(),
        run.unexpected.len(),
    );
    assert!(
        run.unexpected.is_empty(),
        "unexpected errors: {:?}",
        run.unexpected
    );
    assert!(
        duplicates.is_empty(),
        "a create was sent again automatically: {duplicates:?}"
    );
    assert!(lost.is_empty(), "live keys nobody knows about: {lost:?}");
    assert!(
        dead.is_empty(),
        "keys handed out that are not live: {dead:?}"
    );
    assert_eq!(
        run.unknown.len(),
        run.ambiguous,
        "every ambiguous create should be OutcomeUnknown"
    );
    assert_eq!(run.handed.len() + run.unknown.len(), creates());
}
