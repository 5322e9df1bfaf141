//! An in-memory emulator of Neon's API-key endpoints (`/api/v2/api_keys`, org and project-scoped keys,
//! `GET /auth`, `GET /projects/{id}`) with a control API (`/_emulator`) for seeding, inspection, rate
//! limits and fault injection down to the TCP connection.
//!
//! ```no_run
//! # async fn demo() {
//! let emu = neon_api_keys_emulator::Emulator::start().await;
//! let base = emu.base_url(); // http://127.0.0.1:PORT/api/v2
//! let admin_secret = &emu.seed().keys.admin;
//! # let _ = (base, admin_secret);
//! # }
//! ```
//!
//! The server runs on its own thread with its own Tokio runtime, so it works under any runtime flavour
//! (and from plain `#[test]`s via [`Emulator::spawn`]). Dropping the [`Emulator`] stops it.

mod api;
mod auth;
mod canned;
mod conn;
mod control;
mod faults;
mod rate_limit;
mod repeat_body;
mod request_log;
mod response;
pub mod seed;
mod server;
mod slow_body;
mod state;

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::thread::JoinHandle;

use tokio_util::sync::CancellationToken;

pub use seed::{Seed, SeedIds, SeedKeys, SeedUsers};
pub use state::NAME_CONFLICT_STATUSES;

/// How to start an emulator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmulatorConfig {
    /// TCP port; `None` (the default) picks a free one.
    pub port: Option<u16>,
    /// Address to listen on; default `127.0.0.1`.
    pub host: String,
    /// Enforce Neon's rate limits (700/min per account, 40/s per route, 10/s org key creation);
    /// default `true`. Switchable later through `POST /_emulator/rate_limits`.
    pub rate_limits: bool,
    /// The seeded values (default [`Seed::fixed`]); the binary's `--org-id`, `--project-id` and
    /// `--*-api-key` options override parts of it. Reset restores this seed.
    pub seed: Seed,
    /// How far the emulator's clock runs ahead of this machine's, in milliseconds (negative: behind), to model
    /// clock skew: keys' timestamps and the `Date` header follow it. Default 0; `--clock-offset-ms`, and
    /// per reset through `POST /_emulator/reset` or [`Emulator::set_clock_offset_ms`].
    pub clock_offset_ms: i64,
    /// The status of a create whose name a live key of the same account already holds: 409 (default), 400 or
    /// 422; the message always contains `choose another unique name for api key`. `--name-conflict-status`.
    pub name_conflict_status: u16,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            port: None,
            host: "127.0.0.1".to_owned(),
            rate_limits: true,
            seed: Seed::fixed(),
            clock_offset_ms: 0,
            name_conflict_status: 409,
        }
    }
}

/// A running emulator; dropping it stops the server.
#[derive(Debug)]
pub struct Emulator {
    addr: SocketAddr,
    base_url: String,
    control_url: String,
    seed: Seed,
    shared: state::Shared,
    shutdown: CancellationToken,
    thread: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Starts an emulator on a free port of 127.0.0.1 with rate limits on.
    ///
    /// # Panics
    /// If it cannot start (no free port, no thread): tests cannot go on without it. Use
    /// [`Emulator::try_start_with`] to handle that case.
    pub async fn start() -> Emulator {
        Self::start_with(EmulatorConfig::default()).await
    }

    /// Starts an emulator with this configuration.
    ///
    /// # Panics
    /// If it cannot start (port taken, bad host); [`Emulator::try_start_with`] returns the error instead.
    #[allow(clippy::panic)]
    pub async fn start_with(config: EmulatorConfig) -> Emulator {
        match Self::spawn(config) {
            Ok(e) => e,
            Err(e) => panic!("neon-api-keys-emulator failed to start: {e}"),
        }
    }

    /// Starts an emulator with this configuration, or says why it could not.
    pub async fn try_start_with(config: EmulatorConfig) -> io::Result<Emulator> {
        Self::spawn(config)
    }

    /// Starts an emulator without needing an async context (for plain `#[test]`s and binaries).
    pub fn spawn(config: EmulatorConfig) -> io::Result<Emulator> {
        config
            .seed
            .validate()
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        if !state::NAME_CONFLICT_STATUSES.contains(&config.name_conflict_status) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "name_conflict_status must be 400, 409 or 422",
            ));
        }
        let rules = state::Rules {
            clock_offset_ms: config.clock_offset_ms,
            name_conflict_status: config.name_conflict_status,
        };
        let ip: IpAddr = config.host.parse().map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("host {:?}: {e}", config.host),
            )
        })?;
        let listener = std::net::TcpListener::bind(SocketAddr::new(ip, config.port.unwrap_or(0)))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let seed = config.seed.clone();
        let shared = state::Shared::new(config.rate_limits, rules, config.seed);
        let shutdown = CancellationToken::new();
        let dispatcher = server::Dispatcher::new(shared.clone(), shutdown.clone());
        let stop = shutdown.clone();
        let thread = std::thread::Builder::new()
            .name(format!("neon-emulator-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(async move {
                    if let Ok(listener) = tokio::net::TcpListener::from_std(listener) {
                        server::serve(listener, dispatcher, stop).await;
                    }
                });
            })?;
        let url_host = match addr.ip() {
            IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST).to_string(),
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) if v6.is_unspecified() => format!("[{}]", Ipv6Addr::LOCALHOST),
            IpAddr::V6(v6) => format!("[{v6}]"),
        };
        let root = format!("http://{url_host}:{}", addr.port());
        Ok(Emulator {
            addr,
            base_url: format!("{root}/api/v2"),
            control_url: format!("{root}/_emulator"),
            seed,
            shared,
            shutdown,
            thread: Some(thread),
        })
    }

    /// The Neon API base URL, e.g. `http://127.0.0.1:PORT/api/v2` (what `NEON_API_HOST` would hold).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The control API URL, e.g. `http://127.0.0.1:PORT/_emulator`.
    pub fn control_url(&self) -> &str {
        &self.control_url
    }

    /// The seeded ids, secrets and project/org ids.
    pub fn seed(&self) -> &Seed {
        &self.seed
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Restores the seed and clears faults and the request log (like `POST /_emulator/reset`);
    /// `rate_limits: None` keeps the start-up setting.
    pub fn reset(&self, rate_limits: Option<bool>) {
        self.shared.reset(state::ResetOptions {
            rate_limits,
            ..Default::default()
        });
    }

    /// Shifts the emulator's clock to run `offset_ms` ahead of this machine's (negative: behind), until the
    /// next reset (like `POST /_emulator/clock`).
    pub fn set_clock_offset_ms(&self, offset_ms: i64) {
        self.shared.lock().data.rules.clock_offset_ms = offset_ms;
    }

    /// Sets the status of a duplicate key name until the next reset.
    ///
    /// # Errors
    /// `InvalidInput` for a status other than 400, 409 or 422 (nothing changes).
    pub fn set_name_conflict_status(&self, status: u16) -> io::Result<()> {
        if !state::NAME_CONFLICT_STATUSES.contains(&status) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("the status of a duplicate key name must be 400, 409 or 422, not {status}"),
            ));
        }
        self.shared.lock().data.rules.name_conflict_status = status;
        Ok(())
    }

    /// Turns rate limiting on or off (like `POST /_emulator/rate_limits`).
    pub fn set_rate_limits(&self, enabled: bool) {
        self.shared.lock().limiter.enabled = enabled;
    }

    /// The start-up JSON line the binary prints: `{"base_url", "personal_api_key", "org_id", "org_api_key",
    /// "project_id", "project_api_key", "control_url", "seed":{...}}` (the personal key is the admin's).
    pub fn startup_json(&self) -> serde_json::Value {
        serde_json::json!({
            "base_url": self.base_url,
            "personal_api_key": self.seed.keys.admin,
            "org_id": self.seed.org_id,
            "org_api_key": self.seed.keys.org,
            "project_id": self.seed.project_id,
            "project_api_key": self.seed.keys.project,
            "control_url": self.control_url,
            "seed": self.seed,
        })
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.shutdown.cancel();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
