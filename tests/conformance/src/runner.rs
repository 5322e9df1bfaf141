//! The Rust runner: builds a client for a case on either surface, dispatches the operation, converts the
//! outcome to canonical JSON and checks every expectation.

use crate::canonical;
use crate::case::{Case, ClientSettings};
use crate::emulator::Control;
use crate::matcher::match_value;
use crate::vars::resolve;
use crate::NEON_ENV_VARS;
use chrono::{DateTime, Utc};
use neon_api_keys::{
    ApiKeySecret, ClientBuilder, CreatedApiKey, Error, Keychain, RotateError, RotateOptions,
    Rotation,
};
use serde_json::{json, Map, Value};
use std::fmt;
use std::time::{Duration, Instant};

/// The language key of this runner in a case's `expect_overrides`.
pub const LANGUAGE: &str = "rust";

/// The Rust surfaces every case runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// `neon_api_keys::Client` (async, driven by a tokio runtime).
    Async,
    /// `neon_api_keys::blocking::Client`.
    Blocking,
}

impl Surface {
    /// Both surfaces.
    pub const ALL: [Surface; 2] = [Surface::Async, Surface::Blocking];
}

impl fmt::Display for Surface {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Surface::Async => "async",
            Surface::Blocking => "blocking",
        })
    }
}

/// The result of running one case on one surface.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Every expectation held.
    pub passed: bool,
    /// What did not hold (empty when passed).
    pub problems: Vec<String>,
    /// `{"result": ...}` or `{"error": ...}` (or `{"runner_error": ...}` when the case could not run).
    pub actual: Value,
    /// How long the operation took.
    pub elapsed: Duration,
}

/// Runs cases against one emulator.
#[derive(Debug)]
pub struct Runner {
    control: Control,
    base_url: String,
    runtime: tokio::runtime::Runtime,
}

/// Saves and clears the NEON_* variables; restores them on drop.
struct EnvGuard {
    saved: Vec<(&'static str, Option<std::ffi::OsString>)>,
}

impl EnvGuard {
    fn clear() -> EnvGuard {
        let saved = NEON_ENV_VARS
            .iter()
            .map(|name| (*name, std::env::var_os(name)))
            .collect();
        for name in NEON_ENV_VARS {
            std::env::remove_var(name);
        }
        EnvGuard { saved }
    }
}

impl Drop for EnvGuard {
    fn drop(&mut self) {
        for (name, value) in &self.saved {
            match value {
                Some(v) => std::env::set_var(name, v),
                None => std::env::remove_var(name),
            }
        }
    }
}

/// Typed access to a case's resolved `args`.
struct Args<'a>(&'a Map<String, Value>);

impl Args<'_> {
    fn string(&self, name: &str) -> Result<String, String> {
        self.opt_string(name)?
            .ok_or_else(|| format!("args.{name} is required"))
    }
    fn opt_string(&self, name: &str) -> Result<Option<String>, String> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!("args.{name} must be a string, got {other}")),
        }
    }
    fn id(&self, name: &str) -> Result<i64, String> {
        self.0
            .get(name)
            .and_then(Value::as_i64)
            .ok_or_else(|| format!("args.{name} must be an integer"))
    }
    fn opt_u64(&self, name: &str) -> Result<Option<u64>, String> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_u64()
                .map(Some)
                .ok_or_else(|| format!("args.{name} must be a non-negative integer")),
        }
    }
    fn since(&self) -> Result<Option<DateTime<Utc>>, String> {
        match self.opt_string("since")? {
            None => Ok(None),
            Some(s) => DateTime::parse_from_rfc3339(&s)
                .map(|t| Some(t.with_timezone(&Utc)))
                .map_err(|e| format!("args.since {s:?} is not RFC 3339: {e}")),
        }
    }
}

/// Calls the operation on `$client`; `$($aw)*` is `.await` for the async client and nothing for the blocking
/// one. Both surfaces share this one dispatch table.
macro_rules! dispatch {
    ($client:expr, $op:expr, $args:expr; $($aw:tt)*) => {{
        let client = $client;
        let args: &Args<'_> = $args;
        let out: Result<Result<Value, Error>, String> = match $op {
            "list_api_keys" => Ok(client.list_api_keys() $($aw)* .map(|v| canonical::api_keys(&v))),
            "create_api_key" => {
                let name = args.string("key_name")?;
                Ok(client.create_api_key(&name) $($aw)* .map(|v| canonical::created_api_key(&v)))
            }
            "revoke_api_key" => {
                let id = args.id("key_id")?;
                Ok(client.revoke_api_key(id) $($aw)* .map(|v| canonical::revoked_api_key(&v)))
            }
            "list_org_api_keys" => {
                let org = args.string("org_id")?;
                Ok(client.list_org_api_keys(&org) $($aw)* .map(|v| canonical::api_keys(&v)))
            }
            "create_org_api_key" => {
                let org = args.string("org_id")?;
                let name = args.string("key_name")?;
                let project = args.opt_string("project_id")?;
                Ok(client.create_org_api_key(&org, &name, project.as_deref()) $($aw)*
                    .map(|v| canonical::created_api_key(&v)))
            }
            "revoke_org_api_key" => {
                let org = args.string("org_id")?;
                let id = args.id("key_id")?;
                Ok(client.revoke_org_api_key(&org, id) $($aw)* .map(|v| canonical::revoked_api_key(&v)))
            }
            "create_project_api_key" => {
                let project = args.string("project_id")?;
                let name = args.string("key_name")?;
                Ok(client.create_project_api_key(&project, &name) $($aw)*
                    .map(|v| canonical::created_api_key(&v)))
            }
            "auth_details" => Ok(client.auth_details() $($aw)* .map(|v| canonical::auth_details(&v))),
            "get_project" => {
                let project = args.string("project_id")?;
                Ok(client.get_project(&project) $($aw)* .map(|v| canonical::project(&v)))
            }
            "unused_api_keys" => {
                let since = args.since()?;
                Ok(client.unused_api_keys(since) $($aw)* .map(|v| canonical::api_keys(&v)))
            }
            "unused_org_api_keys" => {
                let org = args.string("org_id")?;
                let since = args.since()?;
                Ok(client.unused_org_api_keys(&org, since) $($aw)* .map(|v| canonical::api_keys(&v)))
            }
            other => Err(format!("operation {other:?} has no entry in the Rust dispatch table")),
        };
        out
    }};
}

/// The operations the Rust dispatch table handles (kept equal to [`crate::OPERATIONS`]; the suite checks
/// every case against it).
pub const DISPATCH_TABLE: [&str; 14] = crate::OPERATIONS;

/// The message of the error a failing store raises.
pub const STORE_REFUSED: &str = "store refused the key";

/// What the runner's store does with the new key of a rotation (`args.store`).
#[derive(Debug, Clone, Copy)]
enum StoreMode {
    /// Keep it.
    Ok,
    /// Refuse it with [`STORE_REFUSED`].
    Fail,
    /// Keep it, then mark it used in the emulator (`POST /_emulator/keys/{id}/use`).
    Use,
}

/// The error of a failing store.
#[derive(Debug)]
struct StoreRefused;

impl fmt::Display for StoreRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(STORE_REFUSED)
    }
}

impl std::error::Error for StoreRefused {}

/// A rotation's arguments and the runner's store.
struct Rotate<'a> {
    /// `rotate_keychain_key`: the entry rotated in place (its content after the call is `stored`).
    keychain: Option<Keychain>,
    org_id: Option<String>,
    old_id: i64,
    options: RotateOptions,
    mode: StoreMode,
    control: &'a Control,
    stored: std::sync::Mutex<Option<Value>>,
}

impl<'a> Rotate<'a> {
    fn parse(op: &str, args: &Args<'_>, control: &'a Control) -> Result<Rotate<'a>, String> {
        let mut options = RotateOptions::new();
        if let Some(name) = args.opt_string("new_name")? {
            options = options.new_name(name);
        }
        if let Some(ms) = args.opt_u64("wait_for_use_ms")? {
            options = options
                .wait_for_use(Duration::from_millis(ms))
                .poll_interval(Duration::from_millis(50));
        }
        let mode = match args.opt_string("store")?.as_deref() {
            None | Some("ok") => StoreMode::Ok,
            Some("fail") => StoreMode::Fail,
            Some("use") => StoreMode::Use,
            Some(other) => return Err(format!("args.store {other:?} is not ok, fail or use")),
        };
        let keychain = match op {
            "rotate_keychain_key" => Some(
                Keychain::new(args.string("service")?, args.string("account")?)
                    .map_err(|e| format!("bad keychain entry: {e}"))?,
            ),
            _ => None,
        };
        Ok(Rotate {
            old_id: match keychain {
                Some(_) => 0,
                None => args.id("old_id")?,
            },
            keychain,
            org_id: match op {
                "rotate_org_api_key" => Some(args.string("org_id")?),
                _ => None,
            },
            options,
            mode,
            control,
            stored: std::sync::Mutex::new(None),
        })
    }

    /// The store: records the key's canonical JSON, then refuses it or marks it used as asked.
    fn store(&self, key: CreatedApiKey) -> Result<(), StoreRefused> {
        if let StoreMode::Fail = self.mode {
            return Err(StoreRefused);
        }
        if let Ok(mut slot) = self.stored.lock() {
            *slot = Some(canonical::created_api_key(&key));
        }
        if let StoreMode::Use = self.mode {
            self.control.use_key(key.id).map_err(|_| StoreRefused)?;
        }
        Ok(())
    }

    /// The canonical result or error of an in-place keychain rotation: `stored` is what the entry holds now.
    fn finish_keychain(self, outcome: Result<Rotation, Error>) -> Result<Value, Value> {
        let held = self
            .keychain
            .as_ref()
            .and_then(|k| k.load().ok().flatten())
            .map(|k| canonical::created_api_key(&k));
        match outcome {
            Ok(rotation) => Ok(canonical::rotation(&rotation, held)),
            Err(error) => Err(canonical::error(&error)),
        }
    }

    /// The canonical result or error of the rotation.
    fn finish(self, outcome: Result<Rotation, RotateError<StoreRefused>>) -> Result<Value, Value> {
        let stored = self.stored.into_inner().ok().flatten();
        match outcome {
            Ok(rotation) => Ok(canonical::rotation(&rotation, stored)),
            Err(RotateError::Store(failed)) => {
                Err(canonical::store_error(&failed.error.to_string()))
            }
            Err(RotateError::Neon(error)) => Err(canonical::error(&error)),
            Err(other) => Err(canonical::store_error(&other.to_string())),
        }
    }
}

const ROTATIONS: [&str; 3] = [
    "rotate_api_key",
    "rotate_org_api_key",
    "rotate_keychain_key",
];

async fn call_async(
    client: &neon_api_keys::Client,
    op: &str,
    args: &Args<'_>,
    control: &Control,
) -> Result<Result<Value, Value>, String> {
    if ROTATIONS.contains(&op) {
        let rotate = Rotate::parse(op, args, control)?;
        if let Some(keychain) = &rotate.keychain {
            let outcome = client
                .rotate_keychain_key(keychain, rotate.options.clone())
                .await;
            return Ok(rotate.finish_keychain(outcome));
        }
        let store = |key| std::future::ready(rotate.store(key));
        let options = rotate.options.clone();
        let outcome = match &rotate.org_id {
            None => client.rotate_api_key(rotate.old_id, options, store).await,
            Some(org) => {
                client
                    .rotate_org_api_key(org, rotate.old_id, options, store)
                    .await
            }
        };
        return Ok(rotate.finish(outcome));
    }
    let out: Result<Result<Value, Error>, String> = dispatch!(client, op, args; .await);
    Ok(out?.map_err(|e| canonical::error(&e)))
}

fn call_blocking(
    client: &neon_api_keys::blocking::Client,
    op: &str,
    args: &Args<'_>,
    control: &Control,
) -> Result<Result<Value, Value>, String> {
    if ROTATIONS.contains(&op) {
        let rotate = Rotate::parse(op, args, control)?;
        if let Some(keychain) = &rotate.keychain {
            let outcome = client.rotate_keychain_key(keychain, rotate.options.clone());
            return Ok(rotate.finish_keychain(outcome));
        }
        let store = |key| rotate.store(key);
        let options = rotate.options.clone();
        let outcome = match &rotate.org_id {
            None => client.rotate_api_key(rotate.old_id, options, store),
            Some(org) => client.rotate_org_api_key(org, rotate.old_id, options, store),
        };
        return Ok(rotate.finish(outcome));
    }
    let out: Result<Result<Value, Error>, String> = dispatch!(client, op, args;);
    Ok(out?.map_err(|e| canonical::error(&e)))
}

fn builder(
    settings: &ClientSettings,
    base_url: &str,
    credentials: Option<&Value>,
    from_env: bool,
) -> Result<ClientBuilder, String> {
    let mut b = ClientBuilder::new()
        .max_retries(settings.max_retries)
        .timeout(Duration::from_millis(settings.timeout_ms))
        .attempt_timeout(Duration::from_millis(settings.attempt_timeout_ms))
        .backoff(
            Duration::from_millis(settings.backoff_ms[0]),
            Duration::from_millis(settings.backoff_ms[1]),
        )
        .throttle(settings.throttle)
        .reconcile_creates(settings.reconcile_creates);
    if from_env {
        // The base URL comes from NEON_API_HOST, so that reading it is tested too.
        b = b.from_env();
    } else {
        b = b.base_url(base_url);
    }
    if let Some(creds) = credentials {
        for (name, value) in creds.as_object().into_iter().flatten() {
            if name == "keychain" {
                let entry = keychain_entry(value)?;
                b = b.api_key_from_keychain(entry.service(), entry.account());
                continue;
            }
            let secret = value
                .as_str()
                .ok_or_else(|| format!("credentials.{name} must be a string"))?
                .to_string();
            b = match name.as_str() {
                "api_key" => b.api_key(secret),
                "org_api_key" => b.org_api_key(secret),
                other => return Err(format!("unknown credentials field {other:?}")),
            };
        }
    }
    Ok(b)
}

impl Runner {
    /// A runner against the emulator at `base_url` / `control_url`.
    pub fn new(base_url: &str, control_url: &str) -> Result<Runner, String> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start a tokio runtime: {e}"))?;
        Ok(Runner {
            control: Control::new(control_url)?,
            base_url: base_url.to_string(),
            runtime,
        })
    }

    /// Runs one case on one surface (sequentially: the process environment is shared).
    pub fn run(&self, case: &Case, surface: Surface) -> Outcome {
        let started = Instant::now();
        match self.try_run(case, surface) {
            Ok((actual, problems, elapsed)) => Outcome {
                passed: problems.is_empty(),
                problems,
                actual,
                elapsed,
            },
            Err(problem) => Outcome {
                passed: false,
                problems: vec![format!("the case could not run: {problem}")],
                actual: json!({ "runner_error": problem }),
                elapsed: started.elapsed(),
            },
        }
    }

    fn try_run(
        &self,
        case: &Case,
        surface: Surface,
    ) -> Result<(Value, Vec<String>, Duration), String> {
        // 1. Reset and set the emulator up.
        let seed = self.control.reset(&case.setup)?;
        let args = resolve(&Value::Object(case.args.clone()), &seed)?;
        let args_map = args.as_object().cloned().unwrap_or_default();
        let credentials = case
            .credentials
            .as_ref()
            .map(|c| resolve(&Value::Object(c.clone()), &seed))
            .transpose()?;
        let env = case
            .env
            .as_ref()
            .map(|e| resolve(&Value::Object(e.clone()), &seed))
            .transpose()?;
        let mut added = Vec::new();
        for key in &case.setup.keys {
            let spec = resolve(key, &seed)?;
            added.push((spec.clone(), self.control.add_key(&spec)?));
        }
        let entries = keychain_entries(case, &args_map, credentials.as_ref())?;
        let _entries_guard = EntriesGuard::clear(entries);
        for item in &case.setup.keychain {
            let entry = keychain_entry(item)?;
            let index = item
                .get("key")
                .and_then(Value::as_u64)
                .ok_or("setup.keychain[].key must index setup.keys")?;
            let (spec, created) = added
                .get(usize::try_from(index).unwrap_or(usize::MAX))
                .ok_or("setup.keychain[].key is past setup.keys")?;
            let key = created_from_control(spec, created, &seed)?;
            entry
                .save(&key)
                .map_err(|e| format!("keychain setup: {e}"))?;
        }
        for fault in &case.setup.faults {
            self.control.add_fault(&resolve(fault, &seed)?)?;
        }

        // 2. Environment: always cleared; with `env`, NEON_API_HOST plus the case's variables.
        let _env_guard = EnvGuard::clear();
        if let Some(env) = &env {
            std::env::set_var("NEON_API_HOST", &self.base_url);
            for (name, value) in env.as_object().into_iter().flatten() {
                let value = value
                    .as_str()
                    .ok_or_else(|| format!("env.{name} must be a string"))?;
                std::env::set_var(name, value);
            }
        }

        // 3. Build the client and run the operation.
        let b = builder(
            &case.client,
            &self.base_url,
            credentials.as_ref(),
            env.is_some(),
        )?;
        let args = Args(&args_map);
        let op = case.operation.as_str();
        let started = Instant::now();
        let outcome = match surface {
            Surface::Async => self.runtime.block_on(async {
                match b.build() {
                    Ok(client) => call_async(&client, op, &args, &self.control).await,
                    Err(e) => Ok(Err(canonical::error(&e))),
                }
            })?,
            Surface::Blocking => match neon_api_keys::blocking::Client::from_builder(b) {
                Ok(client) => call_blocking(&client, op, &args, &self.control)?,
                Err(e) => Err(canonical::error(&e)),
            },
        };
        let elapsed = started.elapsed();
        drop(_env_guard);

        // 4. Check, against this language's expectation (`expect_overrides.rust` if the case has one).
        let expect = case.expect_for(LANGUAGE);
        let mut problems = Vec::new();
        let actual = match &outcome {
            Ok(result) => json!({ "result": result }),
            Err(error) => json!({ "error": error }),
        };
        match (&expect.result, expect.error_pattern(), &outcome) {
            (Some(expected), _, Ok(result)) => {
                problems.extend(
                    match_value(expected, result)
                        .into_iter()
                        .map(|p| format!("result {p}")),
                );
            }
            (Some(_), _, Err(error)) => {
                problems.push(format!("expected a result, got an error: {error}"))
            }
            (None, Some(pattern), Err(error)) => {
                problems.extend(
                    match_value(&pattern, error)
                        .into_iter()
                        .map(|p| format!("error {p}")),
                );
            }
            (None, Some(_), Ok(result)) => {
                problems.push(format!("expected an error, got a result: {result}"))
            }
            (None, None, _) => {
                problems.push("the case expects neither result nor error".to_string())
            }
        }
        if let Some(want) = expect.requests {
            let logged = self.control.requests()?;
            if logged.len() as u64 != want {
                let summary: Vec<String> = logged
                    .iter()
                    .map(|r| {
                        format!(
                            "{} {} -> {}",
                            r.get("method").and_then(Value::as_str).unwrap_or("?"),
                            r.get("path").and_then(Value::as_str).unwrap_or("?"),
                            r.get("status").map(Value::to_string).unwrap_or_default()
                        )
                    })
                    .collect();
                problems.push(format!(
                    "requests: expected {want}, the emulator logged {}: [{}]",
                    logged.len(),
                    summary.join(", ")
                ));
            }
        }
        if let Some(state) = &expect.state {
            problems.extend(self.check_state(state)?);
        }
        Ok((actual, problems, elapsed))
    }

    /// Checks `expect.state`: one check or a list of them, each against `GET /_emulator/state`.
    fn check_state(&self, expected: &Value) -> Result<Vec<String>, String> {
        let checks: Vec<&Value> = match expected {
            Value::Array(items) => items.iter().collect(),
            one => vec![one],
        };
        let all = Control::all_keys(&self.control.state()?);
        let mut problems = Vec::new();
        for check in checks {
            problems.extend(state_check(&all, check)?);
        }
        Ok(problems)
    }
}

/// A keychain entry named by `{"service", "account"}`.
fn keychain_entry(value: &Value) -> Result<Keychain, String> {
    let field = |name: &str| {
        value
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("a keychain entry needs a string {name}: {value}"))
    };
    Keychain::new(field("service")?, field("account")?).map_err(|e| e.to_string())
}

/// Every keychain entry a case names (setup, arguments, credentials), to empty before and after it.
fn keychain_entries(
    case: &Case,
    args: &Map<String, Value>,
    credentials: Option<&Value>,
) -> Result<Vec<Keychain>, String> {
    let mut entries = Vec::new();
    for item in &case.setup.keychain {
        entries.push(keychain_entry(item)?);
    }
    if case.operation == "rotate_keychain_key" {
        entries.push(keychain_entry(&Value::Object(args.clone()))?);
    }
    if let Some(entry) = credentials.and_then(|c| c.get("keychain")) {
        entries.push(keychain_entry(entry)?);
    }
    Ok(entries)
}

/// Empties the case's keychain entries now and again when dropped (also when the case fails).
struct EntriesGuard(Vec<Keychain>);

impl EntriesGuard {
    fn clear(entries: Vec<Keychain>) -> EntriesGuard {
        for entry in &entries {
            let _ = entry.delete();
        }
        EntriesGuard(entries)
    }
}

impl Drop for EntriesGuard {
    fn drop(&mut self) {
        for entry in &self.0 {
            let _ = entry.delete();
        }
    }
}

/// The created key a setup key's control answer describes (an org key's organization is the seed's).
fn created_from_control(
    spec: &Value,
    created: &Value,
    seed: &Value,
) -> Result<CreatedApiKey, String> {
    let id = created.get("id").and_then(Value::as_i64).ok_or("no id")?;
    let secret = created.get("key").and_then(Value::as_str).ok_or("no key")?;
    let name = created
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut key = CreatedApiKey::new(id, ApiKeySecret::new(secret), name);
    key.created_by = created
        .get("created_by")
        .and_then(Value::as_str)
        .map(str::to_string);
    key.project_id = created
        .get("project_id")
        .and_then(Value::as_str)
        .map(str::to_string);
    key.created_at = created
        .get("created_at")
        .and_then(Value::as_str)
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc));
    if spec.get("owner").and_then(Value::as_str) == Some("org") {
        key.org_id = seed
            .get("org_id")
            .and_then(Value::as_str)
            .map(str::to_string);
    }
    Ok(key)
}

/// One state check: the keys named `key_named` (the newest of them) or the key `key_id` is `revoked: B`, or
/// no such key exists (`absent: true`).
fn state_check(all: &[Value], check: &Value) -> Result<Vec<String>, String> {
    let (what, keys): (String, Vec<&Value>) = match (check.get("key_named"), check.get("key_id")) {
        (Some(Value::String(name)), None) => (
            format!("key named {name:?}"),
            all.iter()
                .filter(|k| k.get("name").and_then(Value::as_str) == Some(name))
                .collect(),
        ),
        (None, Some(id)) if id.is_i64() => (
            format!("key {id}"),
            all.iter().filter(|k| k.get("id") == Some(id)).collect(),
        ),
        _ => return Err(format!("a state check needs key_named or key_id: {check}")),
    };
    let mut problems = Vec::new();
    if check.get("absent").and_then(Value::as_bool) == Some(true) {
        if !keys.is_empty() {
            problems.push(format!("state: expected no {what}, found {keys:?}"));
        }
    } else if let Some(want) = check.get("revoked").and_then(Value::as_bool) {
        let newest = keys
            .iter()
            .max_by_key(|k| k.get("id").and_then(Value::as_i64).unwrap_or(i64::MIN));
        match newest {
            None => problems.push(format!("state: expected a {what}, found none")),
            Some(key) => {
                let revoked = key.get("revoked").and_then(Value::as_bool).unwrap_or(false);
                if revoked != want {
                    problems.push(format!(
                        "state: expected the newest {what} to have revoked={want}, found {key}"
                    ));
                }
            }
        }
    }
    Ok(problems)
}
