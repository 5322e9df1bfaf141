//! `NativeEmulator`: the core's emulator (`neon-api-keys-emulator`) running inside the Node process, for
//! `neon-api-keys/testing`. The server has its own thread and tokio runtime; this class starts it, exposes its
//! URLs and seed, resets it and stops it. Faults, seeded keys and inspection go through its HTTP control API
//! (from `lib/testing.js`).

use napi::bindgen_prelude::PromiseRaw;
use napi::{Env, Status};
use napi_derive::napi;
use neon_api_keys_emulator::{Emulator, EmulatorConfig, NAME_CONFLICT_STATUSES};
use std::sync::{Mutex, MutexGuard};

/// Options of `NativeEmulator.start`.
#[napi(object, object_to_js = false)]
pub struct EmulatorOptions {
    /// Enforce Neon's rate limits (700/min per account, 40/s per route, 10/s org key creation); default off.
    pub rate_limits: Option<bool>,
}

/// An in-process Neon emulator on a free port of 127.0.0.1. Use `Emulator` from `neon-api-keys/testing`
/// instead of this class.
#[napi]
pub struct NativeEmulator {
    server: Mutex<Option<Emulator>>,
    base_url: String,
    control_url: String,
    startup_json: String,
}

impl NativeEmulator {
    fn lock(&self) -> MutexGuard<'_, Option<Emulator>> {
        match self.server.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

#[napi]
impl NativeEmulator {
    /// Starts the emulator (binding a free port and starting its thread takes a few milliseconds).
    /// Throws if it cannot bind or start its thread.
    #[napi(factory, catch_unwind)]
    pub fn start(options: Option<EmulatorOptions>) -> napi::Result<NativeEmulator> {
        let config = EmulatorConfig {
            rate_limits: options.and_then(|o| o.rate_limits).unwrap_or(false),
            ..EmulatorConfig::default()
        };
        let server = Emulator::spawn(config).map_err(|error| {
            napi::Error::new(
                Status::GenericFailure,
                format!("the Neon emulator could not start: {error}"),
            )
        })?;
        Ok(NativeEmulator {
            base_url: server.base_url().to_owned(),
            control_url: server.control_url().to_owned(),
            startup_json: server.startup_json().to_string(),
            server: Mutex::new(Some(server)),
        })
    }

    /// The Neon API base URL, `http://127.0.0.1:PORT/api/v2`.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The control API URL, `http://127.0.0.1:PORT/_emulator`.
    #[napi(getter)]
    pub fn control_url(&self) -> String {
        self.control_url.clone()
    }

    /// The JSON line the emulator binary prints at start-up (URLs, seeded keys and ids, `seed`).
    #[napi(getter)]
    pub fn startup_json(&self) -> String {
        self.startup_json.clone()
    }

    /// Whether the server is running (`stop()` not called yet).
    #[napi(getter)]
    pub fn running(&self) -> bool {
        self.lock().is_some()
    }

    /// Restores the seed and clears faults and the request log; without `rateLimits` the start-up setting
    /// is kept. Does nothing once stopped.
    #[napi]
    pub fn reset(&self, rate_limits: Option<bool>) {
        if let Some(server) = self.lock().as_ref() {
            server.reset(rate_limits);
        }
    }

    /// Makes the emulator's clock run `offsetMs` milliseconds ahead of this machine's (negative: behind) until
    /// the next reset: keys' timestamps and the `Date` header follow it. Does nothing once stopped.
    #[napi]
    pub fn set_clock_offset_ms(&self, offset_ms: i64) {
        if let Some(server) = self.lock().as_ref() {
            server.set_clock_offset_ms(offset_ms);
        }
    }

    /// Sets the status of a create whose name a live key of the account already holds (400, 409 or 422)
    /// until the next reset. Throws a `RangeError` for any other status. Does nothing once stopped.
    #[napi]
    pub fn set_name_conflict_status(&self, status: f64) -> napi::Result<()> {
        let Some(&status) = NAME_CONFLICT_STATUSES
            .iter()
            .find(|&&allowed| f64::from(allowed) == status)
        else {
            let allowed: Vec<String> = NAME_CONFLICT_STATUSES.iter().map(u16::to_string).collect();
            return Err(napi::Error::new(
                Status::InvalidArg,
                format!(
                    "nameConflictStatus must be one of {}; got {status}",
                    allowed.join(", ")
                ),
            ));
        };
        match self.lock().as_ref() {
            Some(server) => server
                .set_name_conflict_status(status)
                .map_err(|e| napi::Error::new(Status::InvalidArg, e.to_string())),
            None => Ok(()),
        }
    }

    /// Turns the emulator's rate limiting on or off (until the next reset). Does nothing once stopped.
    #[napi]
    pub fn set_rate_limits(&self, enabled: bool) {
        if let Some(server) = self.lock().as_ref() {
            server.set_rate_limits(enabled);
        }
    }

    /// Stops the server (idempotent): open connections are closed and stalled requests end. The server thread
    /// is joined off the JS thread; the Promise resolves once it has finished.
    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn stop<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, ()>> {
        let server = self.lock().take();
        env.spawn_future(async move {
            tokio::task::spawn_blocking(move || drop(server))
                .await
                .map_err(|error| napi::Error::new(Status::GenericFailure, error.to_string()))
        })
    }
}
