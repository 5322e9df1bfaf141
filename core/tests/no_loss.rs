//! No created key is ever lost: N creates against the emulator, one in five answered ambiguously (the key IS
//! created, then the connection is reset or a 500/502/504 comes back), and then the emulator's own state is
//! compared with what the callers were handed.
//!
//! - `reconcile_creates(true)`: the live keys equal exactly the keys handed to callers (no orphan, no loss).
//! - `reconcile_creates(false)`: every live key a caller did not get lies inside the name and time window of
//!   an `OutcomeUnknown` error that a caller did get.
//! - Both: the request log shows no automatic duplicate create. Each name is POSTed once, or (reconcile on)
//!   three times: the ambiguous create, a second create that Neon's unique-name rule refuses (409), and a
//!   last one after the first key was revoked.
//! - With a colleague: organization keys, where for one name in seven the second admin already holds a key
//!   of that name. The caller gets `Conflict` for those names, and no colleague's key is ever revoked.
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
fn ambiguous_fault(i: usize, path: &str) -> Value {
    let action = match (i / FAULT_EVERY) % 4 {
        0 => json!({"type": "reset_after"}),
        1 => json!({"type": "respond_after", "status": 500,
                    "json": {"code": "", "message": "internal server error"}}),
        2 => json!({"type": "respond_after", "status": 502,
                    "body": "<html><body><h1>502 Bad Gateway</h1></body></html>",
                    "headers": {"content-type": "text/html"}}),
        _ => json!({"type": "respond_after", "status": 504, "body": ""}),
    };
    json!({"method": "POST", "path": path, "times": 1, "action": action})
}

/// What a run creates: personal keys, or organization keys with (for one name in `colleague_every`) a
/// same-named key the second admin made first.
#[derive(Clone, Copy)]
struct Scenario {
    reconcile: bool,
    org: bool,
    colleague_every: Option<usize>,
}

impl Scenario {
    fn create_path(&self, org_id: &str) -> String {
        if self.org {
            format!("/organizations/{org_id}/api_keys")
        } else {
            "/api_keys".to_string()
        }
    }

    fn colleague_holds(&self, i: usize) -> bool {
        self.colleague_every.is_some_and(|every| i % every == 1)
    }
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
    /// Names a colleague held first, with the id of the colleague's key.
    colleague: BTreeMap<String, i64>,
    /// Creates refused with `Conflict`.
    conflicts: Vec<String>,
}

async fn run_creates(scenario: Scenario, prefix: &str) -> (Emulator, Control, Run) {
    let emu = Emulator::start_with(EmulatorConfig {
        rate_limits: false,
        ..EmulatorConfig::default()
    })
    .await;
    let control = Control::new(&emu);
    control.post("/reset", json!({"rate_limits": false})).await;
    let builder = |key: &str| {
        Client::builder()
            .api_key(key)
            .base_url(emu.base_url())
            .throttle(false)
            .backoff(Duration::from_millis(1), Duration::from_millis(20))
            .attempt_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
    };
    let client = builder(&emu.seed().keys.admin)
        .reconcile_creates(scenario.reconcile)
        .build()
        .unwrap();
    let colleague = builder(&emu.seed().keys.admin2).build().unwrap();
    let org_id = emu.seed().org_id.clone();
    let path = scenario.create_path(&org_id);
    let mut run = Run::default();
    for i in 0..creates() {
        let name = format!("{prefix}-{i:06}");
        if scenario.colleague_holds(i) {
            let theirs = colleague
                .create_org_api_key(&org_id, &name, None)
                .await
                .unwrap();
            run.colleague.insert(name.clone(), theirs.id);
        }
        if i % FAULT_EVERY == FAULT_EVERY / 2 {
            control
                .post(
                    "/faults",
                    ambiguous_fault(i, path.trim_start_matches("/api/v2")),
                )
                .await;
            run.ambiguous += 1;
        }
        let created = if scenario.org {
            client.create_org_api_key(&org_id, &name, None).await
        } else {
            client.create_api_key(&name).await
        };
        match created {
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
            Err(e) if e.kind() == ErrorKind::Conflict && run.colleague.contains_key(&name) => {
                run.conflicts.push(name);
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

/// Live (not revoked) keys, personal and org, whose name starts with `prefix`: id → (name, created_at).
async fn live_keys(control: &Control, prefix: &str) -> BTreeMap<i64, (String, DateTime<Utc>)> {
    let state = control.get("/state").await;
    let mut live = BTreeMap::new();
    let personal = state["api_keys"].as_array().expect("state.api_keys");
    let org = state["org_api_keys"]
        .as_array()
        .expect("state.org_api_keys");
    for key in personal.iter().chain(org) {
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

/// One logged create: its position, whether a fault answered it, and the status sent.
#[derive(Debug, Clone, Copy)]
struct Post {
    seq: u64,
    faulted: bool,
    status: Option<u64>,
}

/// POSTs of a create per name, and every revoked id with its log position.
struct Log {
    posts: HashMap<String, Vec<Post>>,
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
        if method == "POST" && path.ends_with("/api_keys") {
            let name = e["body"]["key_name"].as_str().unwrap_or_default();
            if name.starts_with(prefix) && e["auth"] == "admin" {
                log.posts.entry(name.to_string()).or_default().push(Post {
                    seq,
                    faulted: e.get("fault").is_some_and(|f| !f.is_null()),
                    status: e["status"].as_u64(),
                });
            }
        } else if method == "DELETE" {
            if let Some(id) = path
                .rsplit_once("/api_keys/")
                .and_then(|(_, id)| id.parse().ok())
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

/// Checks a reconcile-on run: every live key of the caller was handed out, each ambiguous create was recovered
/// by the unique-name rule without a duplicate, and no colleague's key was touched.
async fn check_reconciled(scenario: Scenario, prefix: &str) {
    let (_emu, control, run) = run_creates(scenario, prefix).await;
    let mut live = live_keys(&control, prefix).await;
    let log = request_log(&control, prefix).await;
    let state = control.get("/state").await;
    let name_of: HashMap<i64, String> = ["api_keys", "org_api_keys"]
        .iter()
        .flat_map(|list| state[*list].as_array().cloned().unwrap_or_default())
        .map(|k| {
            (
                k["id"].as_i64().unwrap(),
                k["name"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();

    // The colleague's keys: all still live, none ever revoked.
    let colleague_ids: BTreeSet<i64> = run.colleague.values().copied().collect();
    let touched: Vec<_> = colleague_ids
        .iter()
        .filter(|id| log.deletes.contains_key(id) || !live.contains_key(id))
        .collect();
    live.retain(|id, _| !colleague_ids.contains(id));

    // No automatic duplicate create: a name is POSTed once; or the ambiguous create, a second create refused
    // by the unique-name rule (409), and a last create after the orphan of the first was revoked.
    let mut reconciled = 0;
    let mut duplicates = Vec::new();
    for (name, posts) in &log.posts {
        let colleague_holds = run.colleague.contains_key(name);
        match posts.as_slice() {
            [_] => {}
            [first, refused] if first.faulted && colleague_holds && refused.status == Some(409) => {
            }
            [first, refused, last] if first.faulted && refused.status == Some(409) => {
                let revoked_between = log.deletes.iter().any(|(id, seq)| {
                    name_of.get(id) == Some(name) && *seq > refused.seq && *seq < last.seq
                });
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
    let ambiguous_on_free_names = (0..creates())
        .filter(|i| i % FAULT_EVERY == FAULT_EVERY / 2 && !scenario.colleague_holds(*i))
        .count();
    println!(
        "no_loss reconcile=on {}: creates={} ambiguous={} reconciled={} conflicts={} colleague_keys={} colleague_keys_touched={} outcome_unknown={} handed={} live={} lost={} handed_but_dead={} duplicate_creates={} unexpected_errors={}",
        if scenario.org { "org+colleague" } else { "personal" },
        creates(),
        run.ambiguous,
        reconciled,
        run.conflicts.len(),
        run.colleague.len(),
        touched.len(),
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
    assert!(touched.is_empty(), "colleague's keys revoked: {touched:?}");
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
        run.conflicts.len(),
        run.colleague.len(),
        "a held name is a conflict"
    );
    assert_eq!(
        handed.len() + run.conflicts.len(),
        creates(),
        "every create should end with a key or a conflict"
    );
    assert_eq!(
        reconciled, ambiguous_on_free_names,
        "every ambiguous create of a free name should be reconciled"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconcile_on_every_live_key_was_handed_out() {
    let scenario = Scenario {
        reconcile: true,
        org: false,
        colleague_every: None,
    };
    check_reconciled(scenario, "noloss-on").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconcile_on_never_touches_a_colleagues_same_named_key() {
    let scenario = Scenario {
        reconcile: true,
        org: true,
        colleague_every: Some(7),
    };
    check_reconciled(scenario, "noloss-org").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconcile_off_every_unseen_key_is_reported() {
    let prefix = "noloss-off";
    let scenario = Scenario {
        reconcile: false,
        org: false,
        colleague_every: None,
    };
    let (_emu, control, run) = run_creates(scenario, prefix).await;
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
