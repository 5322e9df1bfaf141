//! The canonical JSON of the core's results and errors (README, "Canonical JSON"). Every runner produces exactly
//! this shape; this module is the Rust one.

use chrono::{DateTime, SecondsFormat, Utc};
use neon_api_keys::{
    ApiKey, AuthDetails, CreatedApiKey, Creator, Error, Project, RevokedApiKey, Rotation,
};
use serde_json::{json, Value};
use std::time::SystemTime;

/// RFC 3339 in UTC with `Z` (fractional seconds only when present).
pub fn datetime(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

fn opt_datetime(t: &Option<DateTime<Utc>>) -> Value {
    t.as_ref()
        .map_or(Value::Null, |t| Value::String(datetime(t)))
}

fn system_time(t: &SystemTime) -> Value {
    Value::String(datetime(&DateTime::<Utc>::from(*t)))
}

fn creator(c: &Option<Creator>) -> Value {
    match c {
        Some(c) => json!({"id": c.id, "name": c.name, "image": c.image}),
        None => Value::Null,
    }
}

/// ApiKey `{"id","name","created_at","created_by","last_used_at","last_used_from_addr","project_id"}`.
pub fn api_key(k: &ApiKey) -> Value {
    json!({
        "id": k.id,
        "name": k.name,
        "created_at": opt_datetime(&k.created_at),
        "created_by": creator(&k.created_by),
        "last_used_at": opt_datetime(&k.last_used_at),
        "last_used_from_addr": k.last_used_from_addr,
        "project_id": k.project_id,
    })
}

/// A list of keys.
pub fn api_keys(keys: &[ApiKey]) -> Value {
    Value::Array(keys.iter().map(api_key).collect())
}

/// CreatedApiKey `{"id","key","name","created_at","created_by","project_id"}` (the secret revealed).
pub fn created_api_key(k: &CreatedApiKey) -> Value {
    json!({
        "id": k.id,
        "key": k.key.expose_secret(),
        "name": k.name,
        "created_at": opt_datetime(&k.created_at),
        "created_by": k.created_by,
        "project_id": k.project_id,
    })
}

/// RevokedApiKey `{"id","name","created_at","created_by","last_used_at","last_used_from_addr","revoked","project_id"}`.
pub fn revoked_api_key(k: &RevokedApiKey) -> Value {
    json!({
        "id": k.id,
        "name": k.name,
        "created_at": opt_datetime(&k.created_at),
        "created_by": k.created_by,
        "last_used_at": opt_datetime(&k.last_used_at),
        "last_used_from_addr": k.last_used_from_addr,
        "revoked": k.revoked,
        "project_id": k.project_id,
    })
}

/// AuthDetails `{"account_id","auth_method","auth_data"}`.
pub fn auth_details(a: &AuthDetails) -> Value {
    json!({
        "account_id": a.account_id,
        "auth_method": a.auth_method.as_str(),
        "auth_data": a.auth_data,
    })
}

/// Project `{"id","name","org_id"}`.
pub fn project(p: &Project) -> Value {
    json!({"id": p.id, "name": p.name, "org_id": p.org_id})
}

/// Rotation `{"new_key":ApiKey,"old_key_id","revoked","revoke_error":{"kind","status","message"}|null,
/// "new_key_seen_in_use","stored":CreatedApiKey|null}` (`stored`: what the runner's store received).
pub fn rotation(r: &Rotation, stored: Option<Value>) -> Value {
    json!({
        "new_key": api_key(&r.new_key),
        "old_key_id": r.old_key_id,
        "new_key_seen_in_use": r.new_key_seen_in_use,
        "stored": stored.unwrap_or(Value::Null),
        "revoked": r.revoked.as_ref().map_or(Value::Null, revoked_api_key),
        "revoke_error": r.revoke_error.as_ref().map_or(Value::Null, |e| json!({
            "kind": e.kind().as_str(),
            "status": e.status(),
            "message": e.message(),
        })),
    })
}

/// The error a runner's failing store raises: `{"kind": "store", "message"}` with every other field null.
pub fn store_error(message: &str) -> Value {
    json!({
        "kind": "store",
        "status": null,
        "message": message,
        "code": null,
        "request_id": null,
        "retry_after_ms": null,
        "outcome_unknown": null,
        "verification": null,
    })
}

/// Error `{"kind","status","message","code","request_id","retry_after_ms","outcome_unknown","verification"}`.
pub fn error(e: &Error) -> Value {
    json!({
        "kind": e.kind().as_str(),
        "status": e.status(),
        "message": e.message(),
        "code": e.code(),
        "request_id": e.request_id(),
        // Saturating: a hint past 2^63 - 1 ms (a `Retry-After` of u64::MAX seconds parses) is clamped.
        "retry_after_ms": e.retry_after().map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
        "outcome_unknown": e.outcome_unknown().map_or(Value::Null, |o| json!({
            "key_name": o.key_name,
            "org_id": o.org_id,
            "project_id": o.project_id,
            "not_before": system_time(&o.not_before),
            "not_after": system_time(&o.not_after),
            "candidate_ids": o.candidate_ids,
        })),
        "verification": e.verification().map_or(Value::Null, |v| json!({
            "key_id": v.key_id,
            "revoked": v.revoked,
        })),
    })
}
