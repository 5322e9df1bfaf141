//! Rust driver of `make bench`: the floor (a bare reqwest + serde loop) and the core, async and blocking.
//!
//! Reads `BENCH_BASE_URL` and `BENCH_API_KEY`, prints `{"ready":true,"contenders":[...]}`, then answers one
//! JSON command per stdin line with one JSON line:
//! `{"contender":"rust-floor","op":"list","n":200,"warmup":20,"conc":32}` →
//! `{"ok":true,"samples_ns":[...]}` (or `{"ok":false,"error":"..."}`).
//! Ops: `list` (one sample per call), `create_revoke` (one per create + revoke cycle), `conc` (n lists with
//! `conc` in flight, one sample for the whole batch), `decode` (one sample per in-process decode of a list body).
//! `--once '<command>'` runs one command in a fresh process and adds `maxrss_kb` (peak memory).
//! `--decode-file BODY core|floor N` only decodes a saved body N times (for instruction counts).
//! `--exp-workers W N` times N blocking lists on a runtime of W workers (the bindings' fixed cost).
//! `--future-sizes` prints the size of the futures the core's calls return.

use std::io::{BufRead, Write};
use std::time::Instant;

use futures::stream::{self, StreamExt};
use serde::Deserialize;
use serde_json::{json, Value};

const CONTENDERS: &[&str] = &[
    "rust-floor",
    "rust-bytes",
    "rust-core-async",
    "rust-core-blocking",
];

/// What the floor decodes into: the list item as the spec gives it, strings left as strings.
#[allow(dead_code)]
#[derive(Deserialize)]
struct FloorCreator {
    id: String,
    name: String,
    #[serde(default)]
    image: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct FloorKey {
    id: i64,
    name: String,
    created_at: String,
    created_by: Option<FloorCreator>,
    last_used_at: Option<String>,
    last_used_from_addr: String,
    #[serde(default)]
    project_id: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct FloorCreated {
    id: i64,
    key: String,
    name: String,
}

#[derive(Deserialize)]
struct Command {
    contender: String,
    op: String,
    #[serde(default = "one")]
    n: usize,
    #[serde(default)]
    warmup: usize,
    #[serde(default = "one")]
    conc: usize,
}

fn one() -> usize {
    1
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

struct Driver {
    rt: tokio::runtime::Runtime,
    base: String,
    key: String,
    floor: reqwest::Client,
    core: neon_api_keys::Client,
    blocking: neon_api_keys::blocking::Client,
}

impl Driver {
    fn new() -> Result<Driver, BoxError> {
        let base = std::env::var("BENCH_BASE_URL")?
            .trim_end_matches('/')
            .to_string();
        let key = std::env::var("BENCH_API_KEY")?;
        // reqwest is built without a default TLS provider (as in the core); plain http needs none, but
        // building a client wants one installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?;
        let builder = || {
            neon_api_keys::Client::builder()
                .api_key(key.clone())
                .base_url(base.clone())
                .throttle(false)
        };
        let (floor, core) = {
            let _guard = rt.enter();
            (
                reqwest::Client::builder().no_proxy().build()?,
                builder().build()?,
            )
        };
        let blocking = neon_api_keys::blocking::Client::from_builder(builder())?;
        Ok(Driver {
            rt,
            base,
            key,
            floor,
            core,
            blocking,
        })
    }

    async fn floor_get(&self) -> Result<reqwest::Response, BoxError> {
        let resp = self
            .floor
            .get(format!("{}/api_keys", self.base))
            .bearer_auth(&self.key)
            .header("accept", "application/json")
            .send()
            .await?
            .error_for_status()?;
        Ok(resp)
    }

    /// One list call by `contender`; returns the number of keys seen (or bytes, for rust-bytes).
    async fn list_async(&self, contender: &str) -> Result<usize, BoxError> {
        Ok(match contender {
            "rust-floor" => {
                serde_json::from_slice::<Vec<FloorKey>>(&self.floor_get().await?.bytes().await?)?
                    .len()
            }
            "rust-bytes" => self.floor_get().await?.bytes().await?.len(),
            "rust-core-async" => self.core.list_api_keys().await?.len(),
            other => return Err(format!("skip: {other} has no async list").into()),
        })
    }

    async fn create_revoke_async(&self, contender: &str, i: usize) -> Result<(), BoxError> {
        let name = format!("bench-{i}");
        match contender {
            "rust-floor" => {
                let created: FloorCreated = self
                    .floor
                    .post(format!("{}/api_keys", self.base))
                    .bearer_auth(&self.key)
                    .json(&json!({ "key_name": name }))
                    .send()
                    .await?
                    .error_for_status()?
                    .json()
                    .await?;
                let revoked: Value = self
                    .floor
                    .delete(format!("{}/api_keys/{}", self.base, created.id))
                    .bearer_auth(&self.key)
                    .send()
                    .await?
                    .error_for_status()?
                    .json()
                    .await?;
                if revoked["revoked"] != json!(true) {
                    return Err("not revoked".into());
                }
            }
            "rust-core-async" => {
                let created = self.core.create_api_key(&name).await?;
                self.core.revoke_api_key(created.id).await?;
            }
            other => return Err(format!("skip: {other} does not create keys").into()),
        }
        Ok(())
    }

    fn run(&self, cmd: &Command) -> Result<Vec<u64>, BoxError> {
        let c = cmd.contender.as_str();
        if !CONTENDERS.contains(&c) {
            return Err(format!("unknown contender {c}").into());
        }
        match (cmd.op.as_str(), c) {
            ("list", "rust-core-blocking") => time_each(cmd, |_| {
                self.blocking.list_api_keys()?;
                Ok(())
            }),
            ("create_revoke", "rust-core-blocking") => time_each(cmd, |i| {
                let created = self.blocking.create_api_key(&format!("bench-{i}"))?;
                self.blocking.revoke_api_key(created.id)?;
                Ok(())
            }),
            ("list", _) => self.rt.block_on(async {
                let mut samples = Vec::with_capacity(cmd.n);
                for i in 0..cmd.warmup + cmd.n {
                    let t = Instant::now();
                    self.list_async(c).await?;
                    if i >= cmd.warmup {
                        samples.push(t.elapsed().as_nanos() as u64);
                    }
                }
                Ok(samples)
            }),
            ("create_revoke", _) => self.rt.block_on(async {
                let mut samples = Vec::with_capacity(cmd.n);
                for i in 0..cmd.warmup + cmd.n {
                    let t = Instant::now();
                    self.create_revoke_async(c, i).await?;
                    if i >= cmd.warmup {
                        samples.push(t.elapsed().as_nanos() as u64);
                    }
                }
                Ok(samples)
            }),
            ("conc", "rust-core-blocking") => {
                Err("skip: the blocking client runs one call at a time".into())
            }
            ("conc", _) => self.rt.block_on(async {
                let batch = |n: usize| async move {
                    let results: Vec<Result<usize, BoxError>> = stream::iter(0..n)
                        .map(|_| self.list_async(c))
                        .buffer_unordered(cmd.conc.max(1))
                        .collect()
                        .await;
                    results.into_iter().collect::<Result<Vec<_>, _>>()
                };
                batch(cmd.warmup).await?;
                let t = Instant::now();
                batch(cmd.n).await?;
                Ok(vec![t.elapsed().as_nanos() as u64])
            }),
            ("decode", "rust-floor") => {
                let body = self.rt.block_on(async {
                    self.floor_get()
                        .await?
                        .bytes()
                        .await
                        .map_err(BoxError::from)
                })?;
                time_each(cmd, |_| {
                    let keys: Vec<FloorKey> = serde_json::from_slice(&body)?;
                    std::hint::black_box(keys);
                    Ok(())
                })
            }
            ("decode", "rust-core-async") => {
                // The core's own list decoder (exposed for its fuzz targets): serde, dates, addresses, creators.
                let body = self.rt.block_on(async {
                    self.floor_get()
                        .await?
                        .bytes()
                        .await
                        .map_err(BoxError::from)
                })?;
                time_each(cmd, |_| {
                    std::hint::black_box(neon_api_keys::fuzzing::decode_api_key_list(&body)?);
                    Ok(())
                })
            }
            ("decode", _) => Err("skip: measured as the core's decoder (rust-core-async)".into()),
            (op, _) => Err(format!("unknown op {op}").into()),
        }
    }
}

fn time_each(
    cmd: &Command,
    mut f: impl FnMut(usize) -> Result<(), BoxError>,
) -> Result<Vec<u64>, BoxError> {
    let mut samples = Vec::with_capacity(cmd.n);
    for i in 0..cmd.warmup + cmd.n {
        let t = Instant::now();
        f(i)?;
        if i >= cmd.warmup {
            samples.push(t.elapsed().as_nanos() as u64);
        }
    }
    Ok(samples)
}

/// Peak resident memory of this process in KiB (VmHWM).
fn maxrss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn answer(driver: &Driver, line: &str) -> Value {
    let cmd: Command = match serde_json::from_str(line) {
        Ok(c) => c,
        Err(e) => return json!({"ok": false, "error": format!("bad command: {e}")}),
    };
    match driver.run(&cmd) {
        Ok(samples) => json!({"ok": true, "samples_ns": samples}),
        Err(e) => {
            let msg = e.to_string();
            match msg.strip_prefix("skip: ") {
                Some(why) => json!({"ok": false, "skip": why}),
                None => json!({"ok": false, "error": msg}),
            }
        }
    }
}

/// `--decode-file BODY core|floor N`: decodes a saved list body N times and nothing else, for
/// instruction counts (`valgrind --tool=callgrind`, `perf stat`) that a loaded machine cannot disturb.
fn decode_file(path: &str, decoder: &str, n: usize) -> Result<(), BoxError> {
    let body = std::fs::read(path)?;
    for _ in 0..n {
        let count = match decoder {
            "core" => neon_api_keys::fuzzing::decode_api_key_list(&body)?.len(),
            "floor" => serde_json::from_slice::<Vec<FloorKey>>(&body)?.len(),
            other => return Err(format!("unknown decoder {other}").into()),
        };
        std::hint::black_box(count);
    }
    Ok(())
}

/// `--exp-workers W N`: N lists through the core, one `block_on` per call on a runtime of W workers (what the
/// blocking client and the Python binding do); prints the median µs. For profiling the bindings' fixed cost.
fn exp_workers(workers: usize, n: usize) -> Result<(), BoxError> {
    let base = std::env::var("BENCH_BASE_URL")?;
    let key = std::env::var("BENCH_API_KEY")?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()?;
    let client = {
        let _guard = rt.enter();
        neon_api_keys::Client::builder()
            .api_key(key)
            .base_url(base)
            .throttle(false)
            .build()?
    };
    let mut samples = Vec::with_capacity(n);
    for i in 0..n + n / 10 {
        let t = Instant::now();
        rt.block_on(client.list_api_keys())?;
        if i >= n / 10 {
            samples.push(t.elapsed().as_nanos() as u64);
        }
    }
    samples.sort_unstable();
    println!("{}", samples[samples.len() / 2] / 1000);
    Ok(())
}

/// `--future-sizes`: bytes of the futures the core's calls return (every move of one is a memcpy of that size).
fn future_sizes() -> Result<(), BoxError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let _guard = rt.enter();
    let c = neon_api_keys::Client::builder()
        .api_key("k".repeat(64))
        .base_url("http://127.0.0.1:9/api/v2")
        .build()?;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let floor = reqwest::Client::new();
    println!(
        "core list_api_keys: {} bytes",
        std::mem::size_of_val(&c.list_api_keys())
    );
    println!(
        "core create_api_key: {} bytes",
        std::mem::size_of_val(&c.create_api_key("x"))
    );
    println!(
        "core revoke_api_key: {} bytes",
        std::mem::size_of_val(&c.revoke_api_key(1))
    );
    println!(
        "reqwest send (the floor): {} bytes",
        std::mem::size_of_val(&floor.get("http://127.0.0.1:9/").send())
    );
    Ok(())
}

fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 2 && args[1] == "--future-sizes" {
        return future_sizes();
    }
    if args.len() == 4 && args[1] == "--exp-workers" {
        return exp_workers(args[2].parse()?, args[3].parse()?);
    }
    if args.len() == 5 && args[1] == "--decode-file" {
        return decode_file(&args[2], &args[3], args[4].parse()?);
    }
    let driver = Driver::new()?;
    let mut out = std::io::stdout().lock();
    if args.len() == 3 && args[1] == "--once" {
        let mut reply = answer(&driver, &args[2]);
        reply["maxrss_kb"] = json!(maxrss_kb());
        writeln!(out, "{reply}")?;
        return Ok(());
    }
    writeln!(out, "{}", json!({"ready": true, "contenders": CONTENDERS}))?;
    out.flush()?;
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        writeln!(out, "{}", answer(&driver, &line))?;
        out.flush()?;
    }
    Ok(())
}
