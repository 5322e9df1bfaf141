//! Test helpers: an emulator per test, clients pointed at it, and its control API.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use neon_api_keys::{Client, ClientBuilder};
use neon_api_keys_emulator::{Emulator, EmulatorConfig};
use serde_json::Value;
use std::time::Duration;

/// A running emulator plus an HTTP client for its control API.
pub struct Harness {
    pub emu: Emulator,
    control: reqwest::Client,
}

impl Harness {
    /// An emulator with rate limits off (tests are not about the server's limits unless they say so).
    pub async fn start() -> Harness {
        let emu = Emulator::start_with(EmulatorConfig {
            rate_limits: false,
            ..EmulatorConfig::default()
        })
        .await;
        Harness::around(emu)
    }

    /// Like [`Harness::start`] without an async context (for blocking-client tests).
    pub fn spawn() -> Harness {
        let emu = Emulator::spawn(EmulatorConfig {
            rate_limits: false,
            ..EmulatorConfig::default()
        })
        .unwrap();
        Harness::around(emu)
    }

    fn around(emu: Emulator) -> Harness {
        // The control client is a test tool; the SDK itself never installs a process-wide provider.
        let _ = rustls::crypto::ring::default_provider().install_default();
        Harness {
            emu,
            control: reqwest::Client::new(),
        }
    }

    /// Fast-retrying builder for `key`, throttle off.
    pub fn builder(&self, key: &str) -> ClientBuilder {
        Client::builder()
            .base_url(self.emu.base_url())
            .api_key(key)
            .throttle(false)
            .backoff(Duration::from_millis(1), Duration::from_millis(20))
            .timeout(Duration::from_secs(20))
    }

    /// A client with the admin's personal key.
    pub fn admin(&self) -> Client {
        self.builder(&self.emu.seed().keys.admin).build().unwrap()
    }

    /// A client with the second admin's personal key (a colleague in the same organization).
    pub fn admin2(&self) -> Client {
        self.builder(&self.emu.seed().keys.admin2).build().unwrap()
    }

    /// The id of the newest key named `name` (live or revoked), and whether it is live.
    pub async fn named(&self, name: &str) -> Vec<(i64, bool)> {
        let state = self.state().await;
        let mut found: Vec<(i64, bool)> = ["api_keys", "org_api_keys"]
            .iter()
            .flat_map(|list| state[*list].as_array().cloned().unwrap_or_default())
            .filter(|k| k["name"] == name)
            .map(|k| (k["id"].as_i64().unwrap(), k["revoked"] != true))
            .collect();
        found.sort_unstable();
        found
    }

    /// Waits until the emulator has logged `method path` at least `n` times.
    pub async fn wait_for_request(&self, method: &str, path: &str, n: usize) {
        for _ in 0..500 {
            if self.requests_to(method, path).await.len() >= n {
                return;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        panic!("{method} {path} was not sent {n} times");
    }

    /// A client with the org's own key (org ops) and the admin key (personal ops).
    pub fn org_client(&self) -> Client {
        self.builder(&self.emu.seed().keys.admin)
            .org_api_key(self.emu.seed().keys.org.as_str())
            .build()
            .unwrap()
    }

    pub fn org_id(&self) -> String {
        self.emu.seed().org_id.clone()
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emu.control_url())
    }

    /// Queues a fault (`POST /_emulator/faults`).
    pub async fn fault(&self, spec: Value) {
        let resp = self
            .control
            .post(self.url("/faults"))
            .json(&spec)
            .send()
            .await
            .unwrap();
        assert!(
            resp.status().is_success(),
            "fault rejected: {}",
            resp.text().await.unwrap_or_default()
        );
    }

    /// Adds a key through the control API (`POST /_emulator/keys`); returns its id.
    pub async fn add_key(&self, spec: Value) -> i64 {
        let resp = self
            .control
            .post(self.url("/keys"))
            .json(&spec)
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "key rejected: {spec}");
        resp.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
    }

    /// `GET /_emulator/requests`.
    pub async fn requests(&self) -> Vec<Value> {
        self.get("/requests")
            .await
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The logged requests to `method path` (path without `/api/v2`).
    pub async fn requests_to(&self, method: &str, path: &str) -> Vec<Value> {
        self.requests()
            .await
            .into_iter()
            .filter(|r| {
                r["method"] == method && r["path"].as_str().is_some_and(|p| p.ends_with(path))
            })
            .collect()
    }

    /// `GET /_emulator/state`.
    pub async fn state(&self) -> Value {
        self.get("/state").await
    }

    /// Whether the key with `id` is live (exists and not revoked) in the emulator.
    pub async fn is_live(&self, id: i64) -> bool {
        let state = self.state().await;
        ["api_keys", "org_api_keys"].iter().any(|list| {
            state[*list]
                .as_array()
                .is_some_and(|keys| keys.iter().any(|k| k["id"] == id && k["revoked"] != true))
        })
    }

    /// Every secret the emulator ever issued.
    pub async fn secrets(&self) -> Vec<String> {
        let v = self.get("/secrets").await;
        v.as_object()
            .map(|m| {
                m.values()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    async fn get(&self, path: &str) -> Value {
        self.control
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }
}

/// A unique key name per call.
pub fn unique(prefix: &str) -> String {
    let id = uuid::Uuid::new_v4().simple().to_string();
    format!("{prefix}-{}", id.get(..8).unwrap_or("x"))
}
