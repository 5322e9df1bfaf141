//! The values Neon returns, as frozen classes with typed attributes (mirrors the core's `models`).
//! Timestamps are timezone-aware `datetime`s in UTC; absent optionals are `None`.

use crate::errors::to_exception;
use crate::secret::{refuse_pickle, ApiKeySecret};
use chrono::{DateTime, Utc};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

/// `'text'`, as Python's `repr` would quote it.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn quote_opt(text: Option<&str>) -> String {
    text.map_or_else(|| "None".to_string(), quote)
}

fn quote_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", quoted.join(", "))
}

fn time_opt(time: Option<&DateTime<Utc>>) -> String {
    time.map_or_else(
        || "None".to_string(),
        |t| quote(&t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
    )
}

/// Who created a key. Lists give the uuid, name and avatar; create and revoke give only the uuid (`id`).
#[pyclass(module = "neon_api_keys", name = "Creator", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct Creator(pub(crate) neon_api_keys::Creator);

#[pymethods]
impl Creator {
    /// The user's uuid.
    #[getter]
    fn id(&self) -> Option<&str> {
        self.0.id.as_deref()
    }

    /// The user's display name (lists only).
    #[getter]
    fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    /// The user's avatar URL (lists only; may be missing).
    #[getter]
    fn image(&self) -> Option<&str> {
        self.0.image.as_deref()
    }

    fn __repr__(&self) -> String {
        format!(
            "Creator(id={}, name={}, image={})",
            quote_opt(self.0.id.as_deref()),
            quote_opt(self.0.name.as_deref()),
            quote_opt(self.0.image.as_deref())
        )
    }
}

/// A key as listed (personal or organization). Never carries the secret.
#[pyclass(module = "neon_api_keys", name = "ApiKey", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct ApiKey(pub(crate) neon_api_keys::ApiKey);

#[pymethods]
impl ApiKey {
    /// The key id.
    #[getter]
    fn id(&self) -> i64 {
        self.0.id
    }

    /// The key's name.
    #[getter]
    fn name(&self) -> &str {
        &self.0.name
    }

    /// When it was created (None only in malformed responses).
    #[getter]
    fn created_at(&self) -> Option<DateTime<Utc>> {
        self.0.created_at
    }

    /// Who created it.
    #[getter]
    fn created_by(&self) -> Option<Creator> {
        self.0.created_by.clone().map(Creator)
    }

    /// When it was last used; None if never.
    #[getter]
    fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }

    /// The addresses it was last used from (empty if never used).
    #[getter]
    fn last_used_from_addr(&self) -> Vec<String> {
        self.0.last_used_from_addr.clone()
    }

    /// For a project-scoped organization key, its project; None for org-wide and personal keys.
    #[getter]
    fn project_id(&self) -> Option<&str> {
        self.0.project_id.as_deref()
    }

    fn __repr__(&self) -> String {
        format!(
            "ApiKey(id={}, name={}, created_at={}, last_used_at={}, last_used_from_addr={}, project_id={})",
            self.0.id,
            quote(&self.0.name),
            time_opt(self.0.created_at.as_ref()),
            time_opt(self.0.last_used_at.as_ref()),
            quote_list(&self.0.last_used_from_addr),
            quote_opt(self.0.project_id.as_deref())
        )
    }
}

/// A newly created key. `key` holds the secret, shown once: store `key.reveal()` now or it is gone.
/// It cannot be pickled or copied.
#[pyclass(module = "neon_api_keys", name = "CreatedApiKey", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct CreatedApiKey(pub(crate) neon_api_keys::CreatedApiKey);

#[pymethods]
impl CreatedApiKey {
    /// The key id.
    #[getter]
    fn id(&self) -> i64 {
        self.0.id
    }

    /// The secret (an `ApiKeySecret`; `key.reveal()` gives the string).
    #[getter]
    fn key(&self) -> ApiKeySecret {
        ApiKeySecret(self.0.key.clone())
    }

    /// The key's name.
    #[getter]
    fn name(&self) -> &str {
        &self.0.name
    }

    /// When it was created.
    #[getter]
    fn created_at(&self) -> Option<DateTime<Utc>> {
        self.0.created_at
    }

    /// The creator's uuid.
    #[getter]
    fn created_by(&self) -> Option<&str> {
        self.0.created_by.as_deref()
    }

    /// The project a project-scoped key is limited to.
    #[getter]
    fn project_id(&self) -> Option<&str> {
        self.0.project_id.as_deref()
    }

    fn __repr__(&self) -> String {
        format!(
            "CreatedApiKey(id={}, name={}, key=ApiKeySecret('[REDACTED]'), created_at={}, created_by={}, project_id={})",
            self.0.id,
            quote(&self.0.name),
            time_opt(self.0.created_at.as_ref()),
            quote_opt(self.0.created_by.as_deref()),
            quote_opt(self.0.project_id.as_deref())
        )
    }

    fn __reduce__(&self) -> PyResult<()> {
        Err(refuse_pickle("CreatedApiKey"))
    }
}

/// A revoked key, as Neon returns it.
#[pyclass(module = "neon_api_keys", name = "RevokedApiKey", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct RevokedApiKey(pub(crate) neon_api_keys::RevokedApiKey);

#[pymethods]
impl RevokedApiKey {
    /// The key id.
    #[getter]
    fn id(&self) -> i64 {
        self.0.id
    }

    /// The key's name.
    #[getter]
    fn name(&self) -> &str {
        &self.0.name
    }

    /// When it was created.
    #[getter]
    fn created_at(&self) -> Option<DateTime<Utc>> {
        self.0.created_at
    }

    /// The creator's uuid.
    #[getter]
    fn created_by(&self) -> Option<&str> {
        self.0.created_by.as_deref()
    }

    /// When it was last used.
    #[getter]
    fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }

    /// The addresses it was last used from.
    #[getter]
    fn last_used_from_addr(&self) -> Vec<String> {
        self.0.last_used_from_addr.clone()
    }

    /// True once revoked.
    #[getter]
    fn revoked(&self) -> bool {
        self.0.revoked
    }

    /// The project a project-scoped key was limited to.
    #[getter]
    fn project_id(&self) -> Option<&str> {
        self.0.project_id.as_deref()
    }

    fn __repr__(&self) -> String {
        format!(
            "RevokedApiKey(id={}, name={}, revoked={}, project_id={})",
            self.0.id,
            quote(&self.0.name),
            if self.0.revoked { "True" } else { "False" },
            quote_opt(self.0.project_id.as_deref())
        )
    }
}

/// How the client is authenticated (`GET /auth`).
#[pyclass(module = "neon_api_keys", name = "AuthDetails", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct AuthDetails(pub(crate) neon_api_keys::AuthDetails);

#[pymethods]
impl AuthDetails {
    /// The user or organization id the key belongs to.
    #[getter]
    fn account_id(&self) -> &str {
        &self.0.account_id
    }

    /// Neon's name of the credential kind: "api_key_user", "api_key_org", "keycloak", "session_cookie",
    /// "oauth", or a newer value verbatim.
    #[getter]
    fn auth_method(&self) -> &str {
        self.0.auth_method.as_str()
    }

    /// Extra data Neon may send.
    #[getter]
    fn auth_data(&self) -> Option<&str> {
        self.0.auth_data.as_deref()
    }

    fn __repr__(&self) -> String {
        format!(
            "AuthDetails(account_id={}, auth_method={}, auth_data={})",
            quote(&self.0.account_id),
            quote(self.0.auth_method.as_str()),
            quote_opt(self.0.auth_data.as_deref())
        )
    }
}

/// The part of a project this SDK uses (`GET /projects/{id}`).
#[pyclass(module = "neon_api_keys", name = "Project", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct Project(pub(crate) neon_api_keys::Project);

#[pymethods]
impl Project {
    /// The project id.
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }

    /// The project name.
    #[getter]
    fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    /// The organization owning the project; None for a personal project.
    #[getter]
    fn org_id(&self) -> Option<&str> {
        self.0.org_id.as_deref()
    }

    fn __repr__(&self) -> String {
        format!(
            "Project(id={}, name={}, org_id={})",
            quote(&self.0.id),
            quote_opt(self.0.name.as_deref()),
            quote_opt(self.0.org_id.as_deref())
        )
    }
}

/// The result of a rotation: the new key is always handed back, even when revoking the old one failed.
/// It cannot be pickled or copied (it holds the new secret).
#[pyclass(module = "neon_api_keys", name = "Rotation", frozen)]
pub struct Rotation {
    inner: neon_api_keys::Rotation,
    revoke_error: PyOnceLock<Option<Py<PyAny>>>,
}

impl From<neon_api_keys::Rotation> for Rotation {
    fn from(inner: neon_api_keys::Rotation) -> Self {
        Rotation {
            inner,
            revoke_error: PyOnceLock::new(),
        }
    }
}

#[pymethods]
impl Rotation {
    /// The new key (store its secret now).
    #[getter]
    fn new_key(&self) -> CreatedApiKey {
        CreatedApiKey(self.inner.new_key.clone())
    }

    /// The revoked old key, when the revoke succeeded.
    #[getter]
    fn revoked(&self) -> Option<RevokedApiKey> {
        self.inner.revoked.clone().map(RevokedApiKey)
    }

    /// Why revoking the old key failed (a `NeonError` instance), or None. The new key is valid either way.
    #[getter]
    fn revoke_error(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let cached = self.revoke_error.get_or_try_init(py, || {
            self.inner
                .revoke_error
                .as_ref()
                .map(|e| to_exception(py, e).map(Bound::unbind))
                .transpose()
        })?;
        Ok(cached.as_ref().map(|e| e.clone_ref(py)))
    }

    /// Whether the old key is gone (revoked and no revoke error).
    #[getter]
    fn complete(&self) -> bool {
        self.inner.is_complete()
    }

    fn __eq__(&self, other: PyRef<'_, Rotation>) -> bool {
        let same_error = match (&self.inner.revoke_error, &other.inner.revoke_error) {
            (None, None) => true,
            (Some(a), Some(b)) => a.kind() == b.kind() && a.to_string() == b.to_string(),
            _ => false,
        };
        same_error
            && self.inner.new_key == other.inner.new_key
            && self.inner.revoked == other.inner.revoked
    }

    fn __repr__(&self) -> String {
        format!(
            "Rotation(new_key=CreatedApiKey(id={}, name={}, key=ApiKeySecret('[REDACTED]')), revoked={}, revoke_error={})",
            self.inner.new_key.id,
            quote(&self.inner.new_key.name),
            self.inner
                .revoked
                .as_ref()
                .map_or_else(|| "None".to_string(), |r| format!("RevokedApiKey(id={})", r.id)),
            self.inner
                .revoke_error
                .as_ref()
                .map_or_else(|| "None".to_string(), |e| quote(&e.to_string()))
        )
    }

    fn __reduce__(&self) -> PyResult<()> {
        Err(refuse_pickle("Rotation"))
    }
}

/// Registers every value class on the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ApiKeySecret>()?;
    m.add_class::<Creator>()?;
    m.add_class::<ApiKey>()?;
    m.add_class::<CreatedApiKey>()?;
    m.add_class::<RevokedApiKey>()?;
    m.add_class::<AuthDetails>()?;
    m.add_class::<Project>()?;
    m.add_class::<Rotation>()?;
    Ok(())
}
