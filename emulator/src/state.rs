//! The in-memory world of the emulator: users, organizations, projects and API keys, plus the shared,
//! mutex-protected handle that the HTTP handlers use.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, SecondsFormat, Utc};
use rand::Rng;
use serde_json::{json, Value};

use crate::faults::FaultQueue;
use crate::rate_limit::RateLimiter;
use crate::request_log::RequestLog;
use crate::seed::Seed;

/// A Neon user (owner of personal keys, creator of keys).
#[derive(Debug, Clone)]
pub(crate) struct User {
    pub id: String,
    pub name: String,
    pub image: String,
}

/// An organization with its admins and members (admins are members too).
#[derive(Debug, Clone)]
pub(crate) struct Org {
    pub id: String,
    pub admins: Vec<String>,
    pub members: Vec<String>,
}

/// A project, either in an organization or owned personally by a user.
#[derive(Debug, Clone)]
pub(crate) struct Project {
    pub id: String,
    pub name: String,
    pub org_id: Option<String>,
    pub owner_user_id: String,
    pub created_at: DateTime<Utc>,
}

/// What a key belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum KeyScope {
    /// A personal key of a user.
    Personal { user_id: String },
    /// An organization key; with `project_id` it is project-scoped.
    Org {
        org_id: String,
        project_id: Option<String>,
    },
}

/// One API key, live or revoked.
#[derive(Debug, Clone)]
pub(crate) struct ApiKey {
    pub id: i64,
    pub name: String,
    pub secret: String,
    pub scope: KeyScope,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub last_used_at: Option<DateTime<Utc>>,
    pub last_used_from_addr: String,
    pub revoked: bool,
}

impl ApiKey {
    /// The project this key is bound to, if it is project-scoped.
    pub fn project_id(&self) -> Option<&str> {
        match &self.scope {
            KeyScope::Org { project_id, .. } => project_id.as_deref(),
            KeyScope::Personal { .. } => None,
        }
    }

    /// The organization this key belongs to, if it is an org key.
    pub fn org_id(&self) -> Option<&str> {
        match &self.scope {
            KeyScope::Org { org_id, .. } => Some(org_id),
            KeyScope::Personal { .. } => None,
        }
    }
}

/// Formats a time the way Neon does: `2025-01-16T21:01:58Z`.
pub(crate) fn format_time(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Parses an RFC 3339 time; falls back to the Unix epoch for input that is not one (only fixed seeds use it).
pub(crate) fn parse_time(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

/// The rules of Neon that a test may vary: the emulator's clock skew and the status of a duplicate key name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rules {
    /// How far the emulator's clock (keys' timestamps, the `Date` header) runs ahead of this machine's
    /// (negative: behind).
    pub clock_offset_ms: i64,
    /// The status of a create whose name a live key of the account holds: 409 (default), 400 or 422 (Neon's
    /// status is not documented; its message is).
    pub name_conflict_status: u16,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            clock_offset_ms: 0,
            name_conflict_status: 409,
        }
    }
}

/// The statuses a duplicate key name may be answered with.
pub const NAME_CONFLICT_STATUSES: [u16; 3] = [400, 409, 422];

/// Neon's message for a duplicate key name (the part every client matches on).
pub(crate) const NAME_CONFLICT_MESSAGE: &str = "choose another unique name for api key";

/// A fresh secret: 64 characters of `[a-z0-9]` from the thread-local CSPRNG.
pub(crate) fn new_secret() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..64)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// Users, orgs, projects and keys.
#[derive(Debug, Clone)]
pub(crate) struct State {
    pub users: Vec<User>,
    pub orgs: Vec<Org>,
    pub projects: Vec<Project>,
    pub keys: BTreeMap<i64, ApiKey>,
    pub next_id: i64,
    pub rules: Rules,
}

impl State {
    /// A state from its parts.
    pub fn new(
        users: Vec<User>,
        orgs: Vec<Org>,
        projects: Vec<Project>,
        keys: Vec<ApiKey>,
        next_id: i64,
    ) -> Self {
        State {
            users,
            orgs,
            projects,
            keys: keys.into_iter().map(|k| (k.id, k)).collect(),
            next_id,
            rules: Rules::default(),
        }
    }

    /// Now on the emulator's clock (this machine's, shifted by [`Rules::clock_offset_ms`]).
    pub fn clock(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::milliseconds(self.rules.clock_offset_ms)
    }

    /// Now on the emulator's clock, truncated to whole seconds like Neon's timestamps.
    pub fn now(&self) -> DateTime<Utc> {
        let now = self.clock();
        DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now)
    }

    /// Whether a live key of the same account (a user's personal keys; an organization's keys) is named `name`.
    pub fn name_taken(&self, scope: &KeyScope, name: &str) -> bool {
        self.keys.values().any(|k| {
            !k.revoked
                && k.name == name
                && match (&k.scope, scope) {
                    (KeyScope::Personal { user_id: a }, KeyScope::Personal { user_id: b }) => {
                        a == b
                    }
                    (KeyScope::Org { org_id: a, .. }, KeyScope::Org { org_id: b, .. }) => a == b,
                    _ => false,
                }
        })
    }

    /// The key with this exact secret (live or revoked).
    pub fn key_by_secret(&self, secret: &str) -> Option<&ApiKey> {
        self.keys.values().find(|k| k.secret == secret)
    }

    /// The user with this id.
    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    /// The organization with this id.
    pub fn org(&self, id: &str) -> Option<&Org> {
        self.orgs.iter().find(|o| o.id == id)
    }

    /// The project with this id.
    pub fn project(&self, id: &str) -> Option<&Project> {
        self.projects.iter().find(|p| p.id == id)
    }

    /// Mints a new key with a fresh id and secret.
    pub fn create_key(&mut self, name: &str, scope: KeyScope, created_by: &str) -> &ApiKey {
        let id = self.next_id;
        self.next_id += 1;
        let key = ApiKey {
            id,
            name: name.to_owned(),
            secret: new_secret(),
            scope,
            created_at: self.now(),
            created_by: created_by.to_owned(),
            last_used_at: None,
            last_used_from_addr: String::new(),
            revoked: false,
        };
        self.keys.entry(id).or_insert(key)
    }

    /// The `created_by` object of list responses: `{id, name, image}`.
    pub fn creator_object(&self, user_id: &str) -> Value {
        match self.user(user_id) {
            Some(u) => json!({"id": u.id, "name": u.name, "image": u.image}),
            None => json!({"id": user_id, "name": "", "image": ""}),
        }
    }

    /// A key as a list item (`created_by` is an object; org items carry `project_id` when scoped).
    pub fn list_item(&self, key: &ApiKey) -> Value {
        let mut v = json!({
            "id": key.id,
            "name": key.name,
            "created_at": format_time(&key.created_at),
            "created_by": self.creator_object(&key.created_by),
            "last_used_at": key.last_used_at.as_ref().map(format_time),
            "last_used_from_addr": key.last_used_from_addr,
        });
        add_project_id(&mut v, key);
        v
    }

    /// A key as a create response (includes the secret; `created_by` is a uuid string).
    pub fn create_response(key: &ApiKey) -> Value {
        let mut v = json!({
            "id": key.id,
            "key": key.secret,
            "name": key.name,
            "created_at": format_time(&key.created_at),
            "created_by": key.created_by,
        });
        add_project_id(&mut v, key);
        v
    }

    /// A key as a revoke response (`created_by` is a uuid string, `revoked: true`).
    pub fn revoke_response(key: &ApiKey) -> Value {
        let mut v = json!({
            "id": key.id,
            "name": key.name,
            "created_at": format_time(&key.created_at),
            "created_by": key.created_by,
            "last_used_at": key.last_used_at.as_ref().map(format_time),
            "last_used_from_addr": key.last_used_from_addr,
            "revoked": key.revoked,
        });
        add_project_id(&mut v, key);
        v
    }

    /// A key for `GET /_emulator/state`: every field except the secret.
    pub fn state_item(&self, key: &ApiKey) -> Value {
        let mut v = json!({
            "id": key.id,
            "name": key.name,
            "created_at": format_time(&key.created_at),
            "created_by": key.created_by,
            "last_used_at": key.last_used_at.as_ref().map(format_time),
            "last_used_from_addr": key.last_used_from_addr,
            "revoked": key.revoked,
        });
        if let Some(obj) = v.as_object_mut() {
            match &key.scope {
                KeyScope::Personal { user_id } => {
                    obj.insert("owner_id".into(), json!(user_id));
                }
                KeyScope::Org { org_id, project_id } => {
                    obj.insert("org_id".into(), json!(org_id));
                    if let Some(p) = project_id {
                        obj.insert("project_id".into(), json!(p));
                    }
                }
            }
        }
        v
    }
}

fn add_project_id(v: &mut Value, key: &ApiKey) {
    if let (Some(p), Some(obj)) = (key.project_id(), v.as_object_mut()) {
        obj.insert("project_id".into(), json!(p));
    }
}

/// Everything mutable in one emulator, guarded by a single mutex.
#[derive(Debug)]
pub(crate) struct World {
    pub data: State,
    pub faults: FaultQueue,
    pub log: RequestLog,
    pub limiter: RateLimiter,
}

/// Shared handle to the world; cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct Shared {
    inner: Arc<Mutex<World>>,
    default_rate_limits: bool,
    default_rules: Rules,
    seed: Arc<Seed>,
}

/// What a reset may change from the start-up settings (`None` keeps the start-up value).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ResetOptions {
    pub rate_limits: Option<bool>,
    pub clock_offset_ms: Option<i64>,
    pub name_conflict_status: Option<u16>,
}

impl Shared {
    /// A world seeded from `seed`, with these rules.
    pub fn new(rate_limits: bool, rules: Rules, seed: Seed) -> Self {
        let mut data = crate::seed::seeded_state(&seed);
        data.rules = rules;
        let world = World {
            data,
            faults: FaultQueue::default(),
            log: RequestLog::default(),
            limiter: RateLimiter::new(rate_limits),
        };
        Shared {
            inner: Arc::new(Mutex::new(world)),
            default_rate_limits: rate_limits,
            default_rules: rules,
            seed: Arc::new(seed),
        }
    }

    /// The seed this emulator restores on reset.
    pub fn seed(&self) -> &Seed {
        &self.seed
    }

    /// Locks the world (a poisoned lock is recovered: the data stays usable).
    pub fn lock(&self) -> MutexGuard<'_, World> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Restores the seed, clears faults and log; rate limits and rules go back to the given values or the
    /// start-up ones.
    pub fn reset(&self, options: ResetOptions) {
        let mut w = self.lock();
        w.data = crate::seed::seeded_state(&self.seed);
        w.data.rules = Rules {
            clock_offset_ms: options
                .clock_offset_ms
                .unwrap_or(self.default_rules.clock_offset_ms),
            name_conflict_status: options
                .name_conflict_status
                .unwrap_or(self.default_rules.name_conflict_status),
        };
        w.faults = FaultQueue::default();
        w.log = RequestLog::default();
        w.limiter = RateLimiter::new(options.rate_limits.unwrap_or(self.default_rate_limits));
    }
}
