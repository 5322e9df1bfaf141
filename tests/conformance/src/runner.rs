//! The Rust runner: builds a client for a case on either surface, dispatches the operation, converts the
//! outcome to canonical JSON and checks every expectation.

use crate::canonical;
use crate::case::{Case, ClientSettings};
use crate::emulator::Control;
use crate::matcher::match_value;
use crate::vars::resolve;
use crate::NEON_ENV_VARS;
use chrono::{DateTime, Utc};
use neon_api_keys::{ClientBuilder, Error};
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
            "rotate_api_key" => {
                let old = args.id("old_id")?;
                let name = args.string("new_name")?;
                Ok(client.rotate_api_key(old, &name) $($aw)* .map(|v| canonical::rotation(&v)))
            }
            "rotate_org_api_key" => {
                let org = args.string("org_id")?;
                let old = args.id("old_id")?;
                let name = args.string("new_name")?;
                Ok(client.rotate_org_api_key(&org, old, &name) $($aw)* .map(|v| canonical::rotation(&v)))
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
pub const DISPATCH_TABLE: [&str; 13] = crate::OPERATIONS;

async fn call_async(
    client: &neon_api_keys::Client,
    op: &str,
    args: &Args<'_>,
) -> Result<Result<Value, Error>, String> {
    dispatch!(client, op, args; .await)
}

fn call_blocking(
    client: &neon_api_keys::blocking::Client,
    op: &str,
    args: &Args<'_>,
) -> Result<Result<Value, Error>, String> {
    dispatch!(client, op, args;)
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
        let seed = self.control.reset(case.setup.rate_limits)?;
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
        for key in &case.setup.keys {
            self.control.add_key(&resolve(key, &seed)?)?;
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
                    Ok(client) => call_async(&client, op, &args).await,
                    Err(e) => Ok(Err(e)),
                }
            })?,
            Surface::Blocking => match neon_api_keys::blocking::Client::from_builder(b) {
                Ok(client) => call_blocking(&client, op, &args)?,
                Err(e) => Err(e),
            },
        };
        let elapsed = started.elapsed();
        drop(_env_guard);

        // 4. Check, against this language's expectation (`expect_overrides.rust` if the case has one).
        let expect = case.expect_for(LANGUAGE);
        let mut problems = Vec::new();
        let actual = match &outcome {
            Ok(result) => json!({ "result": result }),
            Err(error) => json!({ "error": canonical::error(error) }),
        };
        match (&expect.result, expect.error_pattern(), &outcome) {
            (Some(expected), _, Ok(result)) => {
                problems.extend(
                    match_value(expected, result)
                        .into_iter()
                        .map(|p| format!("result {p}")),
                );
            }
            (Some(_), _, Err(error)) => problems.push(format!(
                "expected a result, got an error: {}",
                canonical::error(error)
            )),
            (None, Some(pattern), Err(error)) => {
                let canonical = canonical::error(error);
                problems.extend(
                    match_value(&pattern, &canonical)
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

    fn check_state(&self, expected: &Map<String, Value>) -> Result<Vec<String>, String> {
        let name = expected
            .get("key_named")
            .and_then(Value::as_str)
            .ok_or("expect.state.key_named must be a string")?;
        let keys: Vec<Value> = Control::all_keys(&self.control.state()?)
            .into_iter()
            .filter(|k| k.get("name").and_then(Value::as_str) == Some(name))
            .collect();
        let mut problems = Vec::new();
        if expected.get("absent").and_then(Value::as_bool) == Some(true) {
            if !keys.is_empty() {
                problems.push(format!(
                    "state: expected no key named {name:?}, found {}",
                    Value::Array(keys)
                ));
            }
        } else if let Some(want) = expected.get("revoked").and_then(Value::as_bool) {
            let newest = keys
                .iter()
                .max_by_key(|k| k.get("id").and_then(Value::as_i64).unwrap_or(i64::MIN));
            match newest {
                None => problems.push(format!("state: expected a key named {name:?}, found none")),
                Some(key) => {
                    let revoked = key.get("revoked").and_then(Value::as_bool).unwrap_or(false);
                    if revoked != want {
                        problems.push(format!(
                            "state: expected the newest key named {name:?} to have revoked={want}, found {key}"
                        ));
                    }
                }
            }
        }
        Ok(problems)
    }
}
