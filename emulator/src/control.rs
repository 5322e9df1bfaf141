//! The control API under `/_emulator` (no auth): reset, state and secrets inspection, fault injection,
//! the request log, rate-limit switching and direct key seeding.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use bytes::Bytes;
use chrono::{DateTime, Utc};
use http::StatusCode;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::faults::FaultSpec;
use crate::request_log::LogFilter;
use crate::response::json_response;
use crate::seed::{ADMIN2_USER_ID, ADMIN_USER_ID, MEMBER_USER_ID};
use crate::state::{KeyScope, ResetOptions, Shared, NAME_CONFLICT_STATUSES};

/// The router of the control API (paths include `/_emulator`).
pub(crate) fn router(shared: Shared) -> Router {
    Router::new()
        .route("/_emulator/reset", post(reset))
        .route("/_emulator/seed", get(seed))
        .route("/_emulator/state", get(state))
        .route("/_emulator/secrets", get(secrets))
        .route(
            "/_emulator/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .route("/_emulator/requests", get(requests).delete(clear_requests))
        .route("/_emulator/requests/count", get(request_count))
        .route(
            "/_emulator/rate_limits",
            get(get_rate_limits).post(set_rate_limits),
        )
        .route("/_emulator/keys", post(add_key))
        .route("/_emulator/keys/{key_id}/use", post(use_key))
        .route("/_emulator/clock", get(get_clock).post(set_clock))
        .fallback(not_found)
        .with_state(shared)
}

/// A control API error: `{"code":"","message":...}` with this status.
#[derive(Debug)]
struct CtlError(StatusCode, String);

impl IntoResponse for CtlError {
    fn into_response(self) -> Response {
        json_response(self.0, &json!({"code": "", "message": self.1}))
    }
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    CtlError(status, message.into()).into_response()
}

fn bad_request(message: impl Into<String>) -> CtlError {
    CtlError(StatusCode::BAD_REQUEST, message.into())
}

fn ok(value: Value) -> Response {
    json_response(StatusCode::OK, &value)
}

/// Parses an optional JSON body (empty means the default) into `T`.
fn parse_body<T: DeserializeOwned + Default>(body: &[u8]) -> Result<T, CtlError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body)
        .map_err(|e| bad_request(format!("invalid request: decode application/json: {e}")))
}

fn seed_json(app: &Shared) -> Value {
    serde_json::to_value(app.seed()).unwrap_or(Value::Null)
}

async fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "no such control endpoint")
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ResetBody {
    rate_limits: Option<bool>,
    clock_offset_ms: Option<i64>,
    name_conflict_status: Option<u16>,
}

fn check_conflict_status(status: Option<u16>) -> Result<(), CtlError> {
    match status {
        Some(s) if !NAME_CONFLICT_STATUSES.contains(&s) => Err(bad_request(format!(
            "name_conflict_status must be 400, 409 or 422, not {s}"
        ))),
        _ => Ok(()),
    }
}

async fn reset(State(app): State<Shared>, body: Bytes) -> Result<Response, CtlError> {
    let parsed: ResetBody = parse_body(&body)?;
    check_conflict_status(parsed.name_conflict_status)?;
    app.reset(ResetOptions {
        rate_limits: parsed.rate_limits,
        clock_offset_ms: parsed.clock_offset_ms,
        name_conflict_status: parsed.name_conflict_status,
    });
    Ok(ok(seed_json(&app)))
}

fn clock_json(app: &Shared) -> Value {
    let w = app.lock();
    json!({
        "offset_ms": w.data.rules.clock_offset_ms,
        "now": crate::state::format_time(&w.data.now()),
        "name_conflict_status": w.data.rules.name_conflict_status,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct UseBody {
    from: Option<String>,
}

/// Marks a key as used one second from now on the emulator's clock (later than any use so far, at Neon's
/// one-second resolution), as an application starting to use a rotated key would.
async fn use_key(
    State(app): State<Shared>,
    Path(key_id): Path<i64>,
    body: Bytes,
) -> Result<Response, CtlError> {
    let parsed: UseBody = parse_body(&body)?;
    let mut w = app.lock();
    let at = w.data.now() + chrono::Duration::seconds(1);
    let key = w
        .data
        .keys
        .get_mut(&key_id)
        .ok_or_else(|| CtlError(StatusCode::NOT_FOUND, format!("no key {key_id}")))?;
    key.last_used_at = Some(at);
    key.last_used_from_addr = parsed.from.unwrap_or_else(|| "127.0.0.1".to_owned());
    let item = w
        .data
        .keys
        .get(&key_id)
        .map(|k| w.data.state_item(k))
        .unwrap_or(Value::Null);
    Ok(ok(item))
}

async fn get_clock(State(app): State<Shared>) -> Response {
    ok(clock_json(&app))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockBody {
    offset_ms: i64,
}

async fn set_clock(State(app): State<Shared>, body: Bytes) -> Result<Response, CtlError> {
    let parsed: ClockBody = parse_body(&body)?;
    app.lock().data.rules.clock_offset_ms = parsed.offset_ms;
    Ok(ok(clock_json(&app)))
}

async fn seed(State(app): State<Shared>) -> Response {
    ok(seed_json(&app))
}

async fn state(State(app): State<Shared>) -> Response {
    let w = app.lock();
    let (mut personal, mut org) = (Vec::new(), Vec::new());
    for k in w.data.keys.values() {
        let item = w.data.state_item(k);
        match k.scope {
            KeyScope::Personal { .. } => personal.push(item),
            KeyScope::Org { .. } => org.push(item),
        }
    }
    ok(json!({"api_keys": personal, "org_api_keys": org}))
}

async fn secrets(State(app): State<Shared>) -> Response {
    let w = app.lock();
    let map: BTreeMap<String, String> = w
        .data
        .keys
        .values()
        .map(|k| (k.id.to_string(), k.secret.clone()))
        .collect();
    ok(json!(map))
}

async fn list_faults(State(app): State<Shared>) -> Response {
    ok(json!(app.lock().faults.list()))
}

async fn add_fault(State(app): State<Shared>, body: Bytes) -> Response {
    let spec: FaultSpec = match serde_json::from_slice(&body) {
        Ok(s) => s,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("invalid fault: {e}")),
    };
    match app.lock().faults.add(spec) {
        Ok(f) => ok(json!(f)),
        Err(e) => error(StatusCode::BAD_REQUEST, format!("invalid fault: {e}")),
    }
}

async fn clear_faults(State(app): State<Shared>) -> Response {
    app.lock().faults.clear();
    ok(json!({"cleared": true}))
}

async fn requests(State(app): State<Shared>, Query(filter): Query<LogFilter>) -> Response {
    ok(json!(app.lock().log.filtered(&filter)))
}

async fn request_count(State(app): State<Shared>, Query(filter): Query<LogFilter>) -> Response {
    ok(json!({"count": app.lock().log.filtered(&filter).len()}))
}

async fn clear_requests(State(app): State<Shared>) -> Response {
    app.lock().log.clear();
    ok(json!({"cleared": true}))
}

fn rate_limits_json(app: &Shared) -> Value {
    let w = app.lock();
    json!({
        "enabled": w.limiter.enabled,
        "per_minute": w.limiter.limits.per_minute,
        "per_second": w.limiter.limits.per_second,
        "org_create_per_second": w.limiter.limits.org_create_per_second,
    })
}

async fn get_rate_limits(State(app): State<Shared>) -> Response {
    ok(rate_limits_json(&app))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RateLimitsBody {
    enabled: Option<bool>,
    per_minute: Option<u32>,
    per_second: Option<u32>,
    org_create_per_second: Option<u32>,
}

async fn set_rate_limits(State(app): State<Shared>, body: Bytes) -> Result<Response, CtlError> {
    let b: RateLimitsBody = parse_body(&body)?;
    {
        let mut w = app.lock();
        let limiter = &mut w.limiter;
        if let Some(e) = b.enabled {
            limiter.enabled = e;
        }
        if let Some(n) = b.per_minute {
            limiter.limits.per_minute = n;
        }
        if let Some(n) = b.per_second {
            limiter.limits.per_second = n;
        }
        if let Some(n) = b.org_create_per_second {
            limiter.limits.org_create_per_second = n;
        }
    }
    Ok(ok(rate_limits_json(&app)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AddKeyBody {
    owner: String,
    name: Option<String>,
    /// For org keys: who created it (`admin`, default, or `admin2`).
    created_by: Option<String>,
    /// Allows a name a live key of the account already holds (Neon never does; for modelling odd states).
    #[serde(default)]
    allow_duplicate_name: bool,
    project_id: Option<String>,
    created_at: Option<String>,
    last_used_at: Option<String>,
    last_used_from_addr: Option<String>,
    #[serde(default)]
    revoked: bool,
}

fn time_field(name: &str, value: Option<&str>) -> Result<Option<DateTime<Utc>>, CtlError> {
    value
        .map(|v| {
            DateTime::parse_from_rfc3339(v)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|e| bad_request(format!("{name}: {e}")))
        })
        .transpose()
}

async fn add_key(State(app): State<Shared>, body: Bytes) -> Result<Response, CtlError> {
    let b: AddKeyBody =
        serde_json::from_slice(&body).map_err(|e| bad_request(format!("invalid request: {e}")))?;
    let org_id = app.seed().org_id.clone();
    let personal = |user: &str| {
        (
            KeyScope::Personal {
                user_id: user.to_owned(),
            },
            user.to_owned(),
        )
    };
    let (scope, mut creator) = match (b.owner.as_str(), &b.project_id) {
        ("admin", None) => personal(ADMIN_USER_ID),
        ("admin2", None) => personal(ADMIN2_USER_ID),
        ("member", None) => personal(MEMBER_USER_ID),
        ("admin" | "admin2" | "member", Some(_)) => {
            return Err(bad_request(
                "project_id needs owner \"org\": personal keys cannot be scoped",
            ))
        }
        ("org", project_id) => (
            KeyScope::Org {
                org_id: org_id.clone(),
                project_id: project_id.clone(),
            },
            ADMIN_USER_ID.to_owned(),
        ),
        (other, _) => {
            return Err(bad_request(format!(
                "owner must be admin, admin2, member or org, not {other:?}"
            )))
        }
    };
    match (b.created_by.as_deref(), &scope) {
        (None, _) => {}
        (Some("admin"), KeyScope::Org { .. }) => creator = ADMIN_USER_ID.to_owned(),
        (Some("admin2"), KeyScope::Org { .. }) => creator = ADMIN2_USER_ID.to_owned(),
        (Some(other), _) => {
            return Err(bad_request(format!(
                "created_by must be admin or admin2, and only for owner \"org\" (got {other:?})"
            )))
        }
    }
    let created_at = time_field("created_at", b.created_at.as_deref())?;
    let last_used_at = time_field("last_used_at", b.last_used_at.as_deref())?;
    let mut w = app.lock();
    if let Some(p) = &b.project_id {
        if w.data.project(p).and_then(|p| p.org_id.as_deref()) != Some(org_id.as_str()) {
            return Err(bad_request(format!("project {p:?} is not in {org_id}")));
        }
    }
    let next = w.data.next_id;
    let name = b.name.unwrap_or_else(|| format!("key-{next}"));
    if !b.revoked && !b.allow_duplicate_name && w.data.name_taken(&scope, &name) {
        return Err(CtlError(
            StatusCode::CONFLICT,
            format!(
                "a live key of this account is already named {name:?} (Neon keeps names unique; pass \
                 allow_duplicate_name to model it anyway)"
            ),
        ));
    }
    let id = w.data.create_key(&name, scope, &creator).id;
    let key =
        w.data.keys.get_mut(&id).ok_or_else(|| {
            CtlError(StatusCode::INTERNAL_SERVER_ERROR, "key vanished".to_owned())
        })?;
    if let Some(t) = created_at {
        key.created_at = t;
    }
    key.last_used_at = last_used_at;
    if let Some(addr) = b.last_used_from_addr {
        key.last_used_from_addr = addr;
    } else if last_used_at.is_some() {
        key.last_used_from_addr = "127.0.0.1".to_owned();
    }
    key.revoked = b.revoked;
    let mut v = crate::state::State::create_response(key);
    if let Some(obj) = v.as_object_mut() {
        obj.insert("revoked".into(), json!(key.revoked));
    }
    Ok(ok(v))
}
