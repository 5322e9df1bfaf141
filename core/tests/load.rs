//! Load: 64 concurrent callers run a mix of operations against the emulator with Neon's rate limits ON
//! (700 requests/minute per account, 40/s per route, 10/s org key creation), with the client's throttle on.
//!
//! Held: 0 errors of any kind reach a caller, in particular no 429; the figures printed are the latency
//! percentiles (throttle waits included: that is what a caller sees) and how many 429s the emulator sent.
//! There are no timing assertions.
//!
//! The throttle belongs to a `Client` and its clones, and Neon counts per account, so there is one client per
//! account (admin's personal key, member's personal key, the second admin's key, doing the organization's work) and each of the 64 callers uses a clone
//! of its account's client. Separate `Client`s for ONE account would each allow the full rate: share clones.
//!
//! `LOAD_OPS` sets the total number of operations (default 640: about 20 s, since the throttle allows about
//! 11 requests/s per account). The full run: `LOAD_OPS=10000 cargo test --release -p neon-api-keys --test load
//! -- --nocapture` (about 5 minutes).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use neon_api_keys::{Client, RotateOptions};
use neon_api_keys_emulator::{Emulator, EmulatorConfig};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CALLERS: usize = 64;

fn total_ops() -> usize {
    std::env::var("LOAD_OPS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(640)
}

/// Which account a caller acts for.
#[derive(Clone, Copy, Debug)]
enum Account {
    Admin,
    Member,
    Org,
}

/// What the callers saw.
#[derive(Default)]
struct Tally {
    latencies: BTreeMap<&'static str, Vec<Duration>>,
    errors: Vec<String>,
    rate_limited: usize,
}

impl Tally {
    fn record(
        &mut self,
        op: &'static str,
        took: Duration,
        result: Result<(), neon_api_keys::Error>,
    ) {
        self.latencies.entry(op).or_default().push(took);
        if let Err(e) = result {
            if e.status() == Some(429) || e.kind() == neon_api_keys::ErrorKind::RateLimited {
                self.rate_limited += 1;
            }
            self.errors.push(format!("{op}: {e}"));
        }
    }
}

async fn timed<T>(
    tally: &Mutex<Tally>,
    op: &'static str,
    fut: impl std::future::Future<Output = neon_api_keys::Result<T>>,
) -> Option<T> {
    let started = Instant::now();
    let result = fut.await;
    let took = started.elapsed();
    let (unit, value) = match result {
        Ok(v) => (Ok(()), Some(v)),
        Err(e) => (Err(e), None),
    };
    tally.lock().unwrap().record(op, took, unit);
    value
}

/// One caller: `ops` operations from the mix of its account, starting at a different point per caller.
async fn caller(
    n: usize,
    account: Account,
    client: Client,
    org_id: String,
    project_id: String,
    ops: usize,
    tally: Arc<Mutex<Tally>>,
) {
    let mut owned: Vec<i64> = Vec::new();
    for i in 0..ops {
        let step = (n + i) % 5;
        let name = format!("load-{n:02}-{i:05}");
        match account {
            Account::Admin | Account::Member => match step {
                0 => {
                    timed(&tally, "list_api_keys", client.list_api_keys()).await;
                }
                1 => {
                    if let Some(k) =
                        timed(&tally, "create_api_key", client.create_api_key(&name)).await
                    {
                        owned.push(k.id);
                    }
                }
                2 => {
                    timed(&tally, "auth_details", client.auth_details()).await;
                }
                3 => match owned.pop() {
                    Some(old) => {
                        let rotate = client.rotate_api_key(
                            old,
                            RotateOptions::new().new_name(name.as_str()),
                            |_key| async { Ok::<(), neon_api_keys::Error>(()) },
                        );
                        let rotation = timed(&tally, "rotate_api_key", async {
                            rotate.await.map_err(|e| match e {
                                neon_api_keys::RotateError::Neon(e) => e,
                                other => neon_api_keys::Error::new(
                                    neon_api_keys::ErrorKind::Internal,
                                    other.to_string(),
                                ),
                            })
                        })
                        .await;
                        if let Some(r) = rotation {
                            owned.push(r.new_key.id);
                            if let Some(e) = r.revoke_error {
                                tally
                                    .lock()
                                    .unwrap()
                                    .errors
                                    .push(format!("rotate revoke: {e}"));
                            }
                        }
                    }
                    None => {
                        timed(&tally, "unused_api_keys", client.unused_api_keys(None)).await;
                    }
                },
                _ => match owned.pop() {
                    Some(id) => {
                        timed(&tally, "revoke_api_key", client.revoke_api_key(id)).await;
                    }
                    None => {
                        timed(&tally, "list_api_keys", client.list_api_keys()).await;
                    }
                },
            },
            Account::Org => match step {
                0 => {
                    timed(
                        &tally,
                        "list_org_api_keys",
                        client.list_org_api_keys(&org_id),
                    )
                    .await;
                }
                1 => {
                    let scope = (i % 2 == 0).then_some(project_id.as_str());
                    let created = timed(
                        &tally,
                        "create_org_api_key",
                        client.create_org_api_key(&org_id, &name, scope),
                    )
                    .await;
                    if let Some(k) = created {
                        owned.push(k.id);
                    }
                }
                2 => {
                    timed(&tally, "get_project", client.get_project(&project_id)).await;
                }
                3 => {
                    timed(&tally, "auth_details", client.auth_details()).await;
                }
                _ => match owned.pop() {
                    Some(id) => {
                        timed(
                            &tally,
                            "revoke_org_api_key",
                            client.revoke_org_api_key(&org_id, id),
                        )
                        .await;
                    }
                    None => {
                        timed(
                            &tally,
                            "list_org_api_keys",
                            client.list_org_api_keys(&org_id),
                        )
                        .await;
                    }
                },
            },
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn client_for(emu: &Emulator, secret: &str, throttle: bool) -> Client {
    Client::builder()
        .api_key(secret)
        .base_url(emu.base_url())
        .throttle(throttle)
        .build()
        .unwrap()
}

/// What one load run produced.
struct Outcome {
    tally: Tally,
    expected_ops: usize,
    requests: usize,
    sent_429: usize,
    elapsed: Duration,
}

/// 64 callers over three accounts (one client per account, cloned per caller), rate limits on.
async fn run_load(throttle: bool) -> Outcome {
    let emu = Emulator::start_with(EmulatorConfig {
        rate_limits: true,
        ..EmulatorConfig::default()
    })
    .await;
    let seed = emu.seed().clone();
    let admin = client_for(&emu, &seed.keys.admin, throttle);
    let member = client_for(&emu, &seed.keys.member, throttle);
    // Only a personal key of an org admin creates org keys: the organization's work is the second admin's.
    let org = client_for(&emu, &seed.keys.admin2, throttle);

    let per_caller = total_ops().div_ceil(CALLERS);
    let tally = Arc::new(Mutex::new(Tally::default()));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for n in 0..CALLERS {
        let (account, client) = match n % 3 {
            0 => (Account::Admin, admin.clone()),
            1 => (Account::Member, member.clone()),
            _ => (Account::Org, org.clone()),
        };
        tasks.push(tokio::spawn(caller(
            n,
            account,
            client,
            seed.org_id.clone(),
            seed.project_id.clone(),
            per_caller,
            tally.clone(),
        )));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let elapsed = started.elapsed();

    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let log: Value = http
        .get(format!("{}/requests", emu.control_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let log = log.as_array().cloned().unwrap_or_default();
    let sent_429 = log.iter().filter(|e| e["status"] == json!(429)).count();
    let tally = std::mem::take(&mut *tally.lock().unwrap());
    Outcome {
        tally,
        expected_ops: per_caller * CALLERS,
        requests: log.len(),
        sent_429,
        elapsed,
    }
}

fn report(label: &str, outcome: &Outcome) -> usize {
    let tally = &outcome.tally;
    let mut all: Vec<Duration> = tally.latencies.values().flatten().copied().collect();
    all.sort();
    println!(
        "load {label}: callers={CALLERS} operations={} requests={} in {:.1} s; errors={} rate_limited_to_caller={} emulator_sent_429={}",
        all.len(),
        outcome.requests,
        outcome.elapsed.as_secs_f64(),
        tally.errors.len(),
        tally.rate_limited,
        outcome.sent_429
    );
    println!(
        "load {label} latency ms (throttle waits included): p50={} p90={} p99={} max={}",
        ms(percentile(&all, 50.0)),
        ms(percentile(&all, 90.0)),
        ms(percentile(&all, 99.0)),
        ms(all.last().copied().unwrap_or_default())
    );
    for (op, lat) in &tally.latencies {
        let mut lat = lat.clone();
        lat.sort();
        println!(
            "load {label}   {op:<20} n={:<5} p50={} p99={} max={}",
            lat.len(),
            ms(percentile(&lat, 50.0)),
            ms(percentile(&lat, 99.0)),
            ms(lat.last().copied().unwrap_or_default())
        );
    }
    all.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_callers_rate_limits_on_no_errors() {
    let outcome = run_load(true).await;
    let ran = report("throttle=on", &outcome);
    let tally = &outcome.tally;
    assert!(
        tally.errors.is_empty(),
        "errors reached callers: {:?}",
        tally.errors
    );
    assert_eq!(tally.rate_limited, 0, "a 429 reached a caller");
    assert_eq!(ran, outcome.expected_ops, "every operation should have run");
}

/// The comparison: the same load with the throttle off. Neon's limits then answer 429 and the retries
/// absorb what they can; whatever reaches a caller must be a clean `RateLimited`, never anything else.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_throttle_only_rate_limited_errors() {
    let outcome = run_load(false).await;
    let ran = report("throttle=off", &outcome);
    let tally = &outcome.tally;
    let other: Vec<_> = tally
        .errors
        .iter()
        .filter(|e| !e.contains("rate_limited"))
        .collect();
    assert!(other.is_empty(), "errors other than rate limits: {other:?}");
    assert_eq!(ran, outcome.expected_ops, "every operation should have run");
}
