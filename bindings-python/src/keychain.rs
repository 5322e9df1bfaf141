//! `Keychain`: one entry of the platform's keychain (mirrors the core's `Keychain`), holding one key. The core
//! does the storing, the record format and the errors; this class translates arguments and results, and
//! releases the GIL while the store is asked (a macOS Keychain may wait for the user).

use crate::args::arg;
use crate::errors::IntoPyResult;
use crate::models::CreatedApiKey;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// One entry of the platform's keychain, named by `service` and `account`; it holds at most one key.
///
/// `Keychain(service, account)`: each 1-200 characters without control characters (else
/// `InvalidInputError`). `save(key)` keeps a `CreatedApiKey` (secret, id, name, organization, project, creation
/// time) in it, replacing what it held; `load()` returns that key (its secret as an `ApiKeySecret`) or None;
/// `delete()` and `exists()` say whether there was one. A `Keychain` is callable: `keychain(key)` is
/// `keychain.save(key)`, so it can be passed as a rotation's `store=`. `Client(keychain=...)` takes its key from
/// the entry, and `Client.rotate_keychain_key(keychain)` rotates that key in place. `Keychain.backend` names the
/// store this platform uses. Failures raise `KeychainError` naming the backend; `repr()` shows the service,
/// account and backend, never a secret.
#[pyclass(module = "neon_api_keys", name = "Keychain", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Keychain(pub(crate) neon_api_keys::Keychain);

#[pymethods]
impl Keychain {
    /// The entry named by `service` and `account` (nothing is read or written yet).
    #[new]
    #[pyo3(signature = (service, account))]
    fn new(
        py: Python<'_>,
        service: Bound<'_, PyAny>,
        account: Bound<'_, PyAny>,
    ) -> PyResult<Keychain> {
        let service: String = arg(py, Some(&service), "service")?;
        let account: String = arg(py, Some(&account), "account")?;
        neon_api_keys::Keychain::new(service, account)
            .map(Keychain)
            .or_raise(py)
    }

    /// The store this platform uses: "Linux kernel keyring (keyutils)", "macOS Keychain",
    /// "Windows Credential Manager", ...
    #[classattr]
    fn backend() -> &'static str {
        neon_api_keys::Keychain::backend()
    }

    /// The entry's service name.
    #[getter]
    fn service(&self) -> &str {
        self.0.service()
    }

    /// The entry's account name.
    #[getter]
    fn account(&self) -> &str {
        self.0.account()
    }

    /// Saves `key` (a `CreatedApiKey`: its secret and metadata) in the entry, replacing what it held.
    #[pyo3(signature = (key))]
    fn save(&self, py: Python<'_>, key: Bound<'_, PyAny>) -> PyResult<()> {
        let key: CreatedApiKey = arg(py, Some(&key), "key")?;
        let entry = self.0.clone();
        py.detach(move || entry.save(&key.0)).or_raise(py)
    }

    /// `save(key)`: a `Keychain` passed as a rotation's `store=` keeps the new key.
    #[pyo3(signature = (key))]
    fn __call__(&self, py: Python<'_>, key: Bound<'_, PyAny>) -> PyResult<()> {
        self.save(py, key)
    }

    /// The key the entry holds (a `CreatedApiKey`, its secret an `ApiKeySecret`), or None when it holds none.
    fn load(&self, py: Python<'_>) -> PyResult<Option<CreatedApiKey>> {
        let entry = self.0.clone();
        py.detach(move || entry.load())
            .map(|key| key.map(CreatedApiKey))
            .or_raise(py)
    }

    /// Deletes the entry; whether there was one.
    fn delete(&self, py: Python<'_>) -> PyResult<bool> {
        let entry = self.0.clone();
        py.detach(move || entry.delete()).or_raise(py)
    }

    /// Whether the entry holds something (a key, or something that `load()` would refuse).
    fn exists(&self, py: Python<'_>) -> PyResult<bool> {
        let entry = self.0.clone();
        py.detach(move || entry.exists()).or_raise(py)
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let this = slf.get();
        let py = slf.py();
        let (service, account) = (
            this.0.service().into_pyobject(py)?.repr()?,
            this.0.account().into_pyobject(py)?.repr()?,
        );
        let backend = neon_api_keys::Keychain::backend()
            .into_pyobject(py)?
            .repr()?;
        Ok(format!(
            "Keychain(service={service}, account={account}, backend={backend})"
        ))
    }

    /// Pickles as `Keychain(service, account)` (an entry's name holds no secret).
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let this = slf.get();
        let args = PyTuple::new(py, [this.0.service(), this.0.account()])?;
        PyTuple::new(py, [slf.get_type().into_any(), args.into_any()])
    }
}
