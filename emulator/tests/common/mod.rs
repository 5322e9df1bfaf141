//! Shared helpers of the emulator's integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use neon_api_keys_emulator::{Emulator, EmulatorConfig};
use reqwest::StatusCode;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// An emulator (rate limits off unless asked) plus an HTTP client.
pub struct Env {
    pub emu: Emulator,
    pub http: reqwest::Client,
}

/// A response, read fully.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub json: Value,
}

pub fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().no_proxy().build().unwrap()
}

impl Env {
    pub async fn new() -> Env {
        Self::with_limits(false).await
    }

    pub async fn with_limits(rate_limits: bool) -> Env {
        let emu = Emulator::start_with(EmulatorConfig {
            rate_limits,
            ..EmulatorConfig::default()
        })
        .await;
        Env {
            emu,
            http: client(),
        }
    }

    pub fn secret(&self, who: &str) -> String {
        let k = &self.emu.seed().keys;
        match who {
            "admin" => k.admin.clone(),
            "admin2" => k.admin2.clone(),
            "member" => k.member.clone(),
            "org" => k.org.clone(),
            "project" => k.project.clone(),
            "revoked" => k.revoked.clone(),
            "unknown" => "z".repeat(64),
            _ => String::new(),
        }
    }

    /// Calls the Neon API as `who` (`none` sends no Authorization header).
    pub async fn call(&self, method: &str, path: &str, who: &str, body: Option<&str>) -> Resp {
        let url = format!("{}{}", self.emu.base_url(), path);
        let mut req = self
            .http
            .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), url);
        if who != "none" {
            req = req.bearer_auth(self.secret(who));
        }
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_owned());
        }
        read(req.send().await.unwrap()).await
    }

    pub async fn get(&self, path: &str, who: &str) -> Resp {
        self.call("GET", path, who, None).await
    }

    pub async fn post(&self, path: &str, who: &str, body: &str) -> Resp {
        self.call("POST", path, who, Some(body)).await
    }

    pub async fn delete(&self, path: &str, who: &str) -> Resp {
        self.call("DELETE", path, who, None).await
    }

    /// Calls the control API.
    pub async fn control(&self, method: &str, path: &str, body: Option<Value>) -> Resp {
        let url = format!("{}{}", self.emu.control_url(), path);
        let mut req = self
            .http
            .request(reqwest::Method::from_bytes(method.as_bytes()).unwrap(), url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        read(req.send().await.unwrap()).await
    }

    /// Queues a fault and checks it was accepted.
    pub async fn fault(&self, spec: Value) {
        let r = self.control("POST", "/faults", Some(spec)).await;
        assert_eq!(r.status, 200, "{:?}", r.json);
    }

    pub async fn requests(&self) -> Vec<Value> {
        self.control("GET", "/requests", None)
            .await
            .json
            .as_array()
            .cloned()
            .unwrap()
    }

    pub async fn state(&self) -> Value {
        self.control("GET", "/state", None).await.json
    }

    /// Sends raw bytes on a fresh connection and reads until the server closes it.
    /// Returns what arrived and whether the close was an error (reset) rather than EOF.
    pub async fn raw(&self, request: &str) -> (Vec<u8>, bool) {
        let mut s = tokio::net::TcpStream::connect(self.emu.addr())
            .await
            .unwrap();
        s.write_all(request.as_bytes()).await.unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let r = tokio::time::timeout(Duration::from_secs(10), s.read(&mut buf))
                .await
                .expect("server did not close the connection");
            match r {
                Ok(0) => return (got, false),
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(_) => return (got, true),
            }
        }
    }

    /// A raw HTTP/1.1 request with a bearer and an optional JSON body.
    pub fn raw_request(&self, method: &str, path: &str, who: &str, body: &str) -> String {
        format!(
            "{method} /api/v2{path} HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            self.secret(who),
            body.len()
        )
    }
}

pub async fn read(r: reqwest::Response) -> Resp {
    let status = r.status();
    let headers = r.headers().clone();
    let text = r.text().await.unwrap();
    let json = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    Resp {
        status,
        headers,
        json,
    }
}

/// The ids in a list response.
pub fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|k| k["id"].as_i64().unwrap())
        .collect()
}

pub fn is_secret(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// A response read from a raw socket: the head (status line and headers) and the body.
#[derive(Debug)]
pub struct RawResponse {
    pub head: String,
    pub body: Vec<u8>,
}

impl RawResponse {
    /// A header's value (first match, name case-insensitive).
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    }
}

/// Reads one `Content-Length`-delimited response from a kept-alive socket (leaves the socket open).
pub async fn read_one(s: &mut tokio::net::TcpStream) -> RawResponse {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = tokio::time::timeout(Duration::from_secs(10), s.read(&mut buf))
            .await
            .expect("no response head")
            .unwrap();
        assert!(n > 0, "closed before the head: {got:?}");
        got.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&got[..head_end - 4]).into_owned();
    let mut resp = RawResponse {
        head,
        body: got[head_end..].to_vec(),
    };
    let length: usize = resp
        .header("content-length")
        .expect("a content-length")
        .parse()
        .unwrap();
    while resp.body.len() < length {
        let n = tokio::time::timeout(Duration::from_secs(10), s.read(&mut buf))
            .await
            .expect("body stalled")
            .unwrap();
        assert!(n > 0, "closed inside the body");
        resp.body.extend_from_slice(&buf[..n]);
    }
    resp
}
