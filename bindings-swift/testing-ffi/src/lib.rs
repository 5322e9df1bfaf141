//! The uniffi bridge of the Swift library `NeonApiKeysTesting`: the SDK's Neon emulator
//! (`neon-api-keys-emulator`) running inside the test process.
//!
//! uniffi generates the Swift module `NeonApiKeysTestingBridge` from [`FfiEmulator`]; the public Swift type is
//! the hand-written `NeonEmulator` over it. The server has its own thread and runtime; this object starts it,
//! gives its URLs and seed, resets it, shifts its clock, sets its duplicate-name status and stops it. Faults,
//! seeded keys and inspection go through the emulator's HTTP control API (from Swift).

uniffi::setup_scaffolding!("neon_api_keys_testing");

use neon_api_keys_emulator::{Emulator, EmulatorConfig};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

/// Why the emulator could not start.
#[derive(uniffi::Error, Debug, Clone, PartialEq, Eq)]
pub enum FfiEmulatorError {
    /// Binding a port, starting its thread or a setting failed.
    Start {
        /// What went wrong.
        message: String,
    },
}

impl fmt::Display for FfiEmulatorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FfiEmulatorError::Start { message } => {
                write!(f, "the emulator could not start: {message}")
            }
        }
    }
}

impl std::error::Error for FfiEmulatorError {}

/// An emulator serving on a free port of 127.0.0.1 until [`FfiEmulator::stop`] (or until it is dropped).
#[derive(uniffi::Object, Debug)]
pub struct FfiEmulator {
    server: Mutex<Option<Emulator>>,
    base_url: String,
    control_url: String,
    startup_json: String,
}

impl FfiEmulator {
    fn lock(&self) -> MutexGuard<'_, Option<Emulator>> {
        match self.server.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    fn with_server(&self, f: impl FnOnce(&Emulator)) {
        if let Some(server) = self.lock().as_ref() {
            f(server);
        }
    }
}

#[uniffi::export]
impl FfiEmulator {
    /// Starts an emulator with Neon's rate limits on or off, its clock `clock_offset_ms` ahead of this
    /// machine's, and `name_conflict_status` (400, 409 or 422) for a duplicate key name.
    #[uniffi::constructor]
    pub fn start(
        rate_limits: bool,
        clock_offset_ms: i64,
        name_conflict_status: u16,
    ) -> Result<Arc<FfiEmulator>, FfiEmulatorError> {
        let config = EmulatorConfig {
            rate_limits,
            clock_offset_ms,
            name_conflict_status,
            ..EmulatorConfig::default()
        };
        let server = Emulator::spawn(config).map_err(|e| FfiEmulatorError::Start {
            message: e.to_string(),
        })?;
        Ok(Arc::new(FfiEmulator {
            base_url: server.base_url().to_string(),
            control_url: server.control_url().to_string(),
            startup_json: server.startup_json().to_string(),
            server: Mutex::new(Some(server)),
        }))
    }

    /// The Neon API base URL, `http://127.0.0.1:PORT/api/v2`.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The control API URL, `http://127.0.0.1:PORT/_emulator`.
    pub fn control_url(&self) -> String {
        self.control_url.clone()
    }

    /// The JSON line the emulator binary prints at start-up (URLs, seeded keys and ids, `seed`).
    pub fn startup_json(&self) -> String {
        self.startup_json.clone()
    }

    /// Whether the server is running ([`FfiEmulator::stop`] not called yet).
    pub fn is_running(&self) -> bool {
        self.lock().is_some()
    }

    /// Restores the seed, clears faults and the request log; `rate_limits: None` keeps the start-up setting.
    /// The clock offset and the duplicate-name status return to their start-up values.
    pub fn reset(&self, rate_limits: Option<bool>) {
        self.with_server(|server| server.reset(rate_limits));
    }

    /// Turns Neon's rate limits on or off.
    pub fn set_rate_limits(&self, enabled: bool) {
        self.with_server(|server| server.set_rate_limits(enabled));
    }

    /// Runs the emulator's clock `offset_ms` ahead of this machine's (negative: behind) until the next reset.
    pub fn set_clock_offset_ms(&self, offset_ms: i64) {
        self.with_server(|server| server.set_clock_offset_ms(offset_ms));
    }

    /// Answers a duplicate key name with `status` (400, 409 or 422) until the next reset. The Swift layer passes
    /// only those three (`NameConflictStatus` is an enum); the emulator refuses anything else and changes nothing.
    pub fn set_name_conflict_status(&self, status: u16) {
        self.with_server(|server| {
            let _ = server.set_name_conflict_status(status);
        });
    }

    /// Stops the server (idempotent): open connections close and stalled requests end.
    pub fn stop(&self) {
        let server = self.lock().take();
        drop(server);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_tells_its_urls_and_stops() {
        let emulator = FfiEmulator::start(false, 0, 409);
        assert!(emulator.is_ok(), "{emulator:?}");
        if let Ok(emulator) = emulator {
            assert!(emulator.base_url().ends_with("/api/v2"));
            assert!(emulator.startup_json().contains("\"admin2\""));
            assert!(emulator.is_running());
            emulator.stop();
            emulator.stop();
            assert!(!emulator.is_running());
        }
    }

    #[test]
    fn a_bad_conflict_status_does_not_start() {
        let error = FfiEmulator::start(false, 0, 418).err();
        assert!(matches!(error, Some(FfiEmulatorError::Start { .. })));
    }
}
