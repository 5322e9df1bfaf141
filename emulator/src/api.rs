//! The Neon API handlers (under `/api/v2`): the six API-key endpoints, `GET /auth` and
//! `GET /projects/{project_id}`. Behaviour follows `neon-api.md` and the emulator contract.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{delete, get};
use axum::{Extension, Router};
use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::{resolve, Caller, Identity};
use crate::rate_limit::ORG_CREATE_ROUTE;
use crate::response::{general_error, json_response, ApiError};
use crate::state::{format_time, KeyScope, Shared, World, NAME_CONFLICT_MESSAGE};

/// Longest accepted `key_name` (characters).
pub(crate) const MAX_KEY_NAME: usize = 64;

/// Per-request facts the dispatcher hands to the handlers.
#[derive(Debug, Clone)]
pub(crate) struct ApiCtx {
    /// The request id (the caller's `X-Request-ID` or a fresh uuid).
    pub request_id: String,
    /// The caller's IP address, recorded as `last_used_from_addr`.
    pub peer_ip: String,
}

/// The router of the Neon API (paths include `/api/v2`).
pub(crate) fn router(shared: Shared) -> Router {
    Router::new()
        .route("/api/v2/api_keys", get(list_keys).post(create_key))
        .route("/api/v2/api_keys/{key_id}", delete(revoke_key))
        .route(
            "/api/v2/organizations/{org_id}/api_keys",
            get(list_org_keys).post(create_org_key),
        )
        .route(
            "/api/v2/organizations/{org_id}/api_keys/{key_id}",
            delete(revoke_org_key),
        )
        .route("/api/v2/auth", get(auth_info))
        .route("/api/v2/projects/{project_id}", get(get_project))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(shared)
}

type ApiResult = Result<Value, ApiError>;

fn finish(ctx: &ApiCtx, result: ApiResult) -> Response {
    match result {
        Ok(v) => json_response(StatusCode::OK, &v),
        Err(e) => general_error(e.status, &e.message, &ctx.request_id),
    }
}

async fn not_found(Extension(ctx): Extension<ApiCtx>) -> Response {
    general_error(StatusCode::NOT_FOUND, "not found", &ctx.request_id)
}

async fn method_not_allowed(Extension(ctx): Extension<ApiCtx>) -> Response {
    general_error(
        StatusCode::METHOD_NOT_ALLOWED,
        "method not allowed",
        &ctx.request_id,
    )
}

/// 401 for a missing/unknown/revoked bearer; 429 over a rate limit; else the caller, whose key is
/// marked as used.
fn authorize(
    w: &mut World,
    headers: &HeaderMap,
    ctx: &ApiCtx,
    route: &str,
) -> Result<Identity, ApiError> {
    let who = match resolve(&w.data, headers) {
        Caller::Known(who) => who,
        Caller::Missing | Caller::Unknown | Caller::Revoked(_) => {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "authentication required",
            ))
        }
    };
    if !w.limiter.admit(who.account(), route) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate limit exceeded",
        ));
    }
    let now = w.data.now();
    if let Some(key) = w.data.keys.get_mut(&who.key_id()) {
        key.last_used_at = Some(now);
        key.last_used_from_addr = ctx.peer_ip.clone();
    }
    Ok(who)
}

fn scoped_error(project_id: &str) -> ApiError {
    ApiError::not_found(format!(
        "not allowed to perform actions outside the project this key is scoped to; subject_project_id:\"{project_id}\""
    ))
}

/// Only a personal key creates keys: an organization or project-scoped key gets 403 (neon CLI source, see
/// `docs/neon-api.md`, "Rules that only Neon's own code shows").
fn minting_user(who: &Identity) -> Result<&str, ApiError> {
    match who {
        Identity::Personal { user_id, .. } => Ok(user_id),
        Identity::Org { .. } => Err(ApiError::forbidden(
            "organization API keys cannot create API keys: use a personal API key of an organization admin",
        )),
        Identity::Project { .. } => Err(ApiError::forbidden(
            "project-scoped API keys cannot create API keys: use a personal API key of an organization admin",
        )),
    }
}

/// Neon keeps key names unique among an account's live keys; a duplicate answers the configured status
/// (409 by default) with Neon's message.
fn check_unique_name(w: &World, scope: &KeyScope, name: &str) -> Result<(), ApiError> {
    if !w.data.name_taken(scope, name) {
        return Ok(());
    }
    let status =
        StatusCode::from_u16(w.data.rules.name_conflict_status).unwrap_or(StatusCode::CONFLICT);
    Err(ApiError::new(
        status,
        format!("API key name {name:?} is already in use: {NAME_CONFLICT_MESSAGE}"),
    ))
}

/// The personal endpoints accept only personal keys.
fn personal_user(who: &Identity) -> Result<&str, ApiError> {
    match who {
        Identity::Personal { user_id, .. } => Ok(user_id),
        Identity::Org { .. } => Err(ApiError::forbidden(
            "personal API key required for this action",
        )),
        Identity::Project { project_id, .. } => Err(scoped_error(project_id)),
    }
}

fn valid_id(s: &str) -> bool {
    (1..=60).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn check_id(what: &str, value: &str) -> Result<(), ApiError> {
    if valid_id(value) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "{what}: must match ^[a-z0-9-]{{1,60}}$"
        )))
    }
}

fn parse_key_id(s: &str) -> Result<i64, ApiError> {
    s.parse::<i64>()
        .map_err(|_| ApiError::bad_request(format!("key_id: {s:?} is not an integer")))
}

#[derive(Debug, Deserialize)]
struct CreateKeyBody {
    key_name: Option<String>,
    #[serde(default)]
    project_id: Option<String>,
}

/// Decodes a create body; 400 `invalid request: decode application/json: ...` when it is not one.
fn decode_create(body: &[u8]) -> Result<(String, Option<String>), ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request("decode application/json: EOF"));
    }
    let parsed: CreateKeyBody = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("decode application/json: {e}")))?;
    let Some(name) = parsed.key_name else {
        return Err(ApiError::bad_request("key_name: is required"));
    };
    if name.is_empty() {
        return Err(ApiError::bad_request("key_name: must not be empty"));
    }
    if name.chars().count() > MAX_KEY_NAME {
        return Err(ApiError::bad_request(format!(
            "key_name: must be at most {MAX_KEY_NAME} characters"
        )));
    }
    Ok((name, parsed.project_id))
}

async fn list_keys(
    State(app): State<Shared>,
    Extension(ctx): Extension<ApiCtx>,
    headers: HeaderMap,
) -> Response {
    let mut w = app.lock();
    let result = (|| {
        let who = authorize(&mut w, &headers, &ctx, "GET /api_keys")?;
        let user = personal_user(&who)?;
        let items: Vec<Value> = w
            .data
            .keys
            .values()
            .rev()
            .filter(|k| {
                !k.revoked
                    && k.scope
                        == KeyScope::Personal {
                            user_id: user.to_owned(),
                        }
            })
            .map(|k| w.data.list_item(k))
            .collect();
        Ok(Value::Array(items))
    })();
    finish(&ctx, result)
}

async fn create_key(
    State(app): State<Shared>,
    Extension(ctx): Extension<ApiCtx>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut w = app.lock();
    let result = (|| {
        let who = authorize(&mut w, &headers, &ctx, "POST /api_keys")?;
        // A `project_id` here is ignored like any unknown field: personal keys cannot be scoped.
        let (name, _project_id) = decode_create(&body)?;
        let user = minting_user(&who)?.to_owned();
        let scope = KeyScope::Personal {
            user_id: user.clone(),
        };
        check_unique_name(&w, &scope, &name)?;
        let key = w.data.create_key(&name, scope, &user);
        Ok(crate::state::State::create_response(key))
    })();
    finish(&ctx, result)
}

async fn revoke_key(
    State(app): State<Shared>,
    Extension(ctx): Extension<ApiCtx>,
    headers: HeaderMap,
    Path(key_id): Path<String>,
) -> Response {
    let mut w = app.lock();
    let result = (|| {
        let who = authorize(&mut w, &headers, &ctx, "DELETE /api_keys/{key_id}")?;
        let id = parse_key_id(&key_id)?;
        let user = personal_user(&who)?.to_owned();
        let key = w
            .data
            .keys
            .get_mut(&id)
            .filter(|k| !k.revoked && k.scope == KeyScope::Personal { user_id: user })
            .ok_or_else(|| ApiError::not_found("API key not found"))?;
        key.revoked = true;
        Ok(crate::state::State::revoke_response(key))
    })();
    finish(&ctx, result)
}

/// May this caller manage the keys of `org_id`? Returns the user id new keys are `created_by`.
fn org_access(w: &World, who: &Identity, org_id: &str) -> Result<String, ApiError> {
    let not_found = || ApiError::not_found(format!("organization {org_id:?} not found"));
    match who {
        Identity::Project { project_id, .. } => Err(scoped_error(project_id)),
        Identity::Org {
            key_id,
            org_id: own,
        } => {
            if own != org_id {
                return Err(not_found());
            }
            // Keys minted with an org key are attributed to whoever created that org key.
            Ok(w.data
                .keys
                .get(key_id)
                .map(|k| k.created_by.clone())
                .unwrap_or_default())
        }
        Identity::Personal { user_id, .. } => {
            let org = w
                .data
                .org(org_id)
                .filter(|o| o.members.contains(user_id))
                .ok_or_else(not_found)?;
            if !org.admins.contains(user_id) {
                return Err(ApiError::forbidden(
                    "permission denied: organization admin role required to manage organization API keys",
                ));
            }
            Ok(user_id.clone())
        }
    }
}

async fn list_org_keys(
    State(app): State<Shared>,
    Extension(ctx): Extension<ApiCtx>,
    headers: HeaderMap,
    Path(org_id): Path<String>,
) -> Response {
    let mut w = app.lock();
    let result = (|| {
        let who = authorize(
            &mut w,
            &headers,
            &ctx,
            "GET /organizations/{org_id}/api_keys",
        )?;
        check_id("org_id", &org_id)?;
        org_access(&w, &who, &org_id)?;
        let items: Vec<Value> = w
            .data
            .keys
            .values()
            .rev()
            .filter(|k| !k.revoked && k.org_id() == Some(org_id.as_str()))
            .map(|k| w.data.list_item(k))
            .collect();
        Ok(Value::Array(items))
    })();
    finish(&ctx, result)
}

async fn create_org_key(
    State(app): State<Shared>,
    Extension(ctx): Extension<ApiCtx>,
    headers: HeaderMap,
    Path(org_id): Path<String>,
    body: Bytes,
) -> Response {
    let mut w = app.lock();
    let result = (|| {
        let who = authorize(&mut w, &headers, &ctx, ORG_CREATE_ROUTE)?;
        check_id("org_id", &org_id)?;
        let (name, project_id) = decode_create(&body)?;
        if let Some(p) = &project_id {
            check_id("project_id", p)?;
        }
        minting_user(&who)?;
        let creator = org_access(&w, &who, &org_id)?;
        if let Some(p) = &project_id {
            w.data
                .project(p)
                .filter(|proj| proj.org_id.as_deref() == Some(org_id.as_str()))
                .ok_or_else(|| ApiError::not_found(format!("project {p:?} not found")))?;
        }
        let scope = KeyScope::Org {
            org_id: org_id.clone(),
            project_id,
        };
        check_unique_name(&w, &scope, &name)?;
        let key = w.data.create_key(&name, scope, &creator);
        Ok(crate::state::State::create_response(key))
    })();
    finish(&ctx, result)
}

async fn revoke_org_key(
    State(app): State<Shared>,
    Extension(ctx): Extension<ApiCtx>,
    headers: HeaderMap,
    Path((org_id, key_id)): Path<(String, String)>,
) -> Response {
    let mut w = app.lock();
    let result = (|| {
        let who = authorize(
            &mut w,
            &headers,
            &ctx,
            "DELETE /organizations/{org_id}/api_keys/{key_id}",
        )?;
        check_id("org_id", &org_id)?;
        let id = parse_key_id(&key_id)?;
        org_access(&w, &who, &org_id)?;
        let key = w
            .data
            .keys
            .get_mut(&id)
            .filter(|k| !k.revoked && k.org_id() == Some(org_id.as_str()))
            .ok_or_else(|| ApiError::not_found("API key not found"))?;
        key.revoked = true;
        Ok(crate::state::State::revoke_response(key))
    })();
    finish(&ctx, result)
}

async fn auth_info(
    State(app): State<Shared>,
    Extension(ctx): Extension<ApiCtx>,
    headers: HeaderMap,
) -> Response {
    let mut w = app.lock();
    let result = (|| {
        let who = authorize(&mut w, &headers, &ctx, "GET /auth")?;
        Ok(match &who {
            Identity::Personal { user_id, .. } => {
                json!({"account_id": user_id, "auth_method": "api_key_user"})
            }
            // Neon's enum has no value for project-scoped keys; they are org keys, so they answer like one.
            Identity::Org { org_id, .. } | Identity::Project { org_id, .. } => {
                json!({"account_id": org_id, "auth_method": "api_key_org"})
            }
        })
    })();
    finish(&ctx, result)
}

async fn get_project(
    State(app): State<Shared>,
    Extension(ctx): Extension<ApiCtx>,
    headers: HeaderMap,
    Path(project_id): Path<String>,
) -> Response {
    let mut w = app.lock();
    let result = (|| {
        let who = authorize(&mut w, &headers, &ctx, "GET /projects/{project_id}")?;
        check_id("project_id", &project_id)?;
        if let Identity::Project {
            project_id: own, ..
        } = &who
        {
            if own != &project_id {
                return Err(scoped_error(own));
            }
        }
        let not_found = || ApiError::not_found(format!("project {project_id:?} not found"));
        let project = w.data.project(&project_id).ok_or_else(not_found)?;
        let visible = match &who {
            Identity::Project { .. } => true,
            Identity::Org { org_id, .. } => project.org_id.as_deref() == Some(org_id.as_str()),
            Identity::Personal { user_id, .. } => match &project.org_id {
                Some(o) => w.data.org(o).is_some_and(|o| o.members.contains(user_id)),
                None => &project.owner_user_id == user_id,
            },
        };
        if !visible {
            return Err(not_found());
        }
        let mut p = json!({
            "id": project.id,
            "name": project.name,
            "owner_id": project.org_id.clone().unwrap_or_else(|| project.owner_user_id.clone()),
            "region_id": "aws-us-east-2",
            "platform_id": "aws",
            "pg_version": 17,
            "proxy_host": "us-east-2.aws.neon.tech",
            "created_at": format_time(&project.created_at),
            "updated_at": format_time(&project.created_at),
        });
        if let (Some(o), Some(obj)) = (&project.org_id, p.as_object_mut()) {
            obj.insert("org_id".into(), json!(o));
        }
        Ok(json!({ "project": p }))
    })();
    finish(&ctx, result)
}
