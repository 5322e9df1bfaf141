//! `trickle` (a slow response body) and `close_after` (a kept-alive connection closed under the client),
//! checked on raw sockets and through an HTTP client.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use common::{read_one, Env};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn trickle_sends_the_head_then_the_body_in_paced_chunks() {
    let env = Env::new().await;
    let expected = env.get("/api_keys", "admin").await.json;
    env.fault(json!({"method": "GET", "path": "/api_keys", "action": {
        "type": "trickle", "bytes_per_chunk": 64, "interval_ms": 30}}))
        .await;
    let mut s = tokio::net::TcpStream::connect(env.emu.addr())
        .await
        .unwrap();
    let start = Instant::now();
    s.write_all(env.raw_request("GET", "/api_keys", "admin", "").as_bytes())
        .await
        .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let mut reads = 0;
    loop {
        let n = tokio::time::timeout(Duration::from_secs(10), s.read(&mut buf))
            .await
            .expect("trickle stalled")
            .unwrap();
        assert!(n > 0, "closed early: {}", String::from_utf8_lossy(&got));
        got.extend_from_slice(&buf[..n]);
        reads += 1;
        let text = String::from_utf8_lossy(&got);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length: ")
                        .map(str::to_owned)
                })
                .expect("the full length is announced")
                .parse()
                .unwrap();
            if body.len() >= length {
                assert_eq!(serde_json::from_str::<Value>(body).unwrap(), expected);
                let chunks = length.div_ceil(64) as u32;
                assert!(chunks >= 3, "a body of {length} bytes");
                assert!(
                    start.elapsed() >= Duration::from_millis(30) * chunks,
                    "a pause before each of {chunks} chunks"
                );
                assert!(reads >= 2, "the body came in pieces ({reads} reads)");
                break;
            }
        }
    }
    // The connection stays usable afterwards.
    s.write_all(env.raw_request("GET", "/auth", "admin", "").as_bytes())
        .await
        .unwrap();
    assert!(read_one(&mut s).await.head.starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn trickle_trips_a_client_timeout_and_is_logged_as_answered() {
    let env = Env::new().await;
    env.fault(json!({"path": "/api_keys", "action": {
        "type": "trickle", "bytes_per_chunk": 1, "interval_ms": 50}}))
        .await;
    let url = format!("{}/api_keys", env.emu.base_url());
    let r = env
        .http
        .get(&url)
        .bearer_auth(env.secret("admin"))
        .timeout(Duration::from_millis(300))
        .send()
        .await
        .expect("the head arrives at once");
    assert_eq!(r.status(), 200);
    let err = r.text().await.unwrap_err();
    assert!(err.is_timeout(), "{err}");
    let log = env.requests().await;
    assert_eq!(log[0]["fault"], "trickle");
    assert_eq!(log[0]["status"], 200);
    assert_eq!(env.get("/api_keys", "admin").await.status, 200);
}

#[tokio::test]
async fn close_after_sends_a_complete_keep_alive_response_then_closes() {
    let env = Env::new().await;
    env.fault(json!({"method": "POST", "path": "/api_keys", "action": {"type": "close_after"}}))
        .await;
    let mut s = tokio::net::TcpStream::connect(env.emu.addr())
        .await
        .unwrap();
    s.write_all(
        env.raw_request("POST", "/api_keys", "admin", r#"{"key_name":"kept"}"#)
            .as_bytes(),
    )
    .await
    .unwrap();
    let resp = read_one(&mut s).await;
    assert!(resp.head.starts_with("HTTP/1.1 200"), "{}", resp.head);
    assert_eq!(resp.header("connection"), None, "no Connection: close");
    let created: Value = serde_json::from_slice(&resp.body).unwrap();
    assert_eq!(created["name"], "kept", "the real handler ran");
    // Then the server closes: end of file, nothing more.
    let mut rest = Vec::new();
    let n = tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut rest))
        .await
        .expect("the server closes the connection")
        .unwrap();
    assert_eq!(n, 0);
    let log = env.requests().await;
    assert_eq!(
        (&log[0]["fault"], &log[0]["status"]),
        (&json!("close_after"), &json!(200))
    );
}

#[tokio::test]
async fn close_after_with_defer_resets_the_next_request_on_the_connection() {
    let env = Env::new().await;
    env.fault(json!({"path": "/auth", "action": {"type": "close_after", "defer": true}}))
        .await;
    let mut s = tokio::net::TcpStream::connect(env.emu.addr())
        .await
        .unwrap();
    s.write_all(env.raw_request("GET", "/auth", "admin", "").as_bytes())
        .await
        .unwrap();
    let resp = read_one(&mut s).await;
    assert!(resp.head.starts_with("HTTP/1.1 200"), "{}", resp.head);
    assert_eq!(resp.header("connection"), None);
    // The connection looks alive; the next request on it gets no answer at all.
    s.write_all(
        env.raw_request("POST", "/api_keys", "admin", r#"{"key_name":"never"}"#)
            .as_bytes(),
    )
    .await
    .unwrap();
    let mut rest = Vec::new();
    let r = tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut rest))
        .await
        .expect("the server drops the connection");
    assert!(rest.is_empty(), "{}", String::from_utf8_lossy(&rest));
    assert!(r.is_err(), "a reset, not a clean close: {r:?}");
    // Not handled, not logged; a new connection works.
    let log = env.requests().await;
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["path"], "/auth");
    assert_eq!(env.state().await["api_keys"].as_array().unwrap().len(), 4);
    assert_eq!(env.get("/auth", "admin").await.status, 200);
}
