//! `_Emulator`: the core's emulator (`neon-api-keys-emulator`) running inside the Python process, for
//! `neon_api_keys.testing.Emulator`. The server has its own thread and runtime; this class starts it, exposes
//! its URLs and seed, resets it and stops it. Faults, keys and inspection go through its HTTP control API
//! (from `testing.py`).

use neon_api_keys_emulator::{Emulator, EmulatorConfig};
use pyo3::prelude::*;
use std::sync::{Mutex, MutexGuard};

/// An in-process Neon emulator (use `neon_api_keys.testing.Emulator`). `_Emulator(rate_limits=False)` starts
/// it on a free port of 127.0.0.1; `stop()` (or dropping it) stops it.
#[pyclass(module = "neon_api_keys._native", name = "_Emulator", frozen)]
pub struct PyEmulator {
    server: Mutex<Option<Emulator>>,
    base_url: String,
    control_url: String,
    startup_json: String,
}

impl PyEmulator {
    fn lock(&self) -> MutexGuard<'_, Option<Emulator>> {
        match self.server.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

#[pymethods]
impl PyEmulator {
    /// Starts the emulator (an `OSError` if it cannot bind or start its thread).
    #[new]
    #[pyo3(signature = (rate_limits=false))]
    fn new(py: Python<'_>, rate_limits: bool) -> PyResult<PyEmulator> {
        let config = EmulatorConfig {
            rate_limits,
            ..EmulatorConfig::default()
        };
        let server = py.detach(|| Emulator::spawn(config))?;
        Ok(PyEmulator {
            base_url: server.base_url().to_string(),
            control_url: server.control_url().to_string(),
            startup_json: server.startup_json().to_string(),
            server: Mutex::new(Some(server)),
        })
    }

    /// The Neon API base URL, `http://127.0.0.1:PORT/api/v2`.
    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The control API URL, `http://127.0.0.1:PORT/_emulator`.
    #[getter]
    fn control_url(&self) -> &str {
        &self.control_url
    }

    /// The JSON line the emulator binary prints at start-up (URLs, seeded keys and ids, `seed`).
    #[getter]
    fn startup_json(&self) -> &str {
        &self.startup_json
    }

    /// Whether the server is still running (`stop()` not called yet).
    #[getter]
    fn running(&self) -> bool {
        self.lock().is_some()
    }

    /// Restores the seed and clears faults and the request log; `rate_limits=None` keeps the start-up setting.
    #[pyo3(signature = (rate_limits=None))]
    fn reset(&self, rate_limits: Option<bool>) {
        if let Some(server) = self.lock().as_ref() {
            server.reset(rate_limits);
        }
    }

    /// Turns the emulator's rate limiting on or off.
    fn set_rate_limits(&self, enabled: bool) {
        if let Some(server) = self.lock().as_ref() {
            server.set_rate_limits(enabled);
        }
    }

    /// Runs the emulator's clock `offset_ms` ahead of this machine's (negative: behind), until the next reset.
    fn set_clock_offset_ms(&self, offset_ms: i64) {
        if let Some(server) = self.lock().as_ref() {
            server.set_clock_offset_ms(offset_ms);
        }
    }

    /// The status of a duplicate key name until the next reset: 400, 409 (Neon's) or 422; anything else is a
    /// `ValueError`.
    fn set_name_conflict_status(&self, status: u16) -> PyResult<()> {
        match self.lock().as_ref() {
            Some(server) => server
                .set_name_conflict_status(status)
                .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string())),
            None => Ok(()),
        }
    }

    /// Stops the server (idempotent): open connections are closed and stalled requests end.
    fn stop(&self, py: Python<'_>) {
        let server = self.lock().take();
        py.detach(move || drop(server));
    }
}
