//! What `respond` can send: huge repeated bodies, chunked bodies, arbitrary headers (redirects, content
//! types, encodings), exact 64-bit JSON integers and bytes that are not UTF-8.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{read_one, Env};
use serde_json::json;
use tokio::io::AsyncWriteExt;

/// Sends one API request on a fresh connection and reads the response (by its Content-Length).
async fn exchange(env: &Env, path: &str) -> common::RawResponse {
    let mut s = tokio::net::TcpStream::connect(env.emu.addr())
        .await
        .unwrap();
    s.write_all(env.raw_request("GET", path, "admin", "").as_bytes())
        .await
        .unwrap();
    read_one(&mut s).await
}

#[tokio::test]
async fn repeat_streams_a_64_mib_body() {
    let env = Env::new().await;
    let size = 64 * 1024 * 1024;
    env.fault(json!({"path": "/api_keys", "action": {
        "type": "respond", "status": 200, "body": "ab", "repeat": size / 2,
        "headers": {"content-type": "application/json"}}}))
        .await;
    let url = format!("{}/api_keys", env.emu.base_url());
    let mut r = env
        .http
        .get(&url)
        .bearer_auth(env.secret("admin"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.content_length(), Some(size));
    assert_eq!(r.headers()["content-type"], "application/json");
    // Count every byte; check the content of the first MiB (byte-by-byte checks of 64 MiB are slow in debug).
    let (mut total, mut head) = (0u64, Vec::new());
    while let Some(chunk) = r.chunk().await.unwrap() {
        if head.len() < 1 << 20 {
            head.extend_from_slice(&chunk);
        }
        total += chunk.len() as u64;
    }
    assert_eq!(total, size);
    assert!(head.chunks_exact(2).all(|c| c == b"ab"));
}

#[tokio::test]
async fn repeat_of_base64_and_chunked_encoding() {
    let env = Env::new().await;
    // Not UTF-8, and labelled gzip: sent byte for byte (concatenated gzip members make a gzip bomb).
    let unit = [0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x00];
    env.fault(json!({"path": "/api_keys", "action": {
        "type": "respond", "status": 200, "body_base64": "H4sIAP/+AA==", "repeat": 3,
        "headers": {"content-encoding": "gzip"}}}))
        .await;
    let r = exchange(&env, "/api_keys").await;
    assert_eq!(r.header("content-encoding").as_deref(), Some("gzip"));
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/octet-stream")
    );
    assert_eq!(r.body, unit.repeat(3));

    env.fault(json!({"path": "/api_keys", "action": {
        "type": "respond", "status": 200, "body": "xyz", "repeat": 5000, "chunked": true}}))
        .await;
    let r = env.get("/api_keys", "admin").await;
    assert_eq!(r.headers["transfer-encoding"], "chunked");
    assert!(r.headers.get("content-length").is_none());
    assert_eq!(r.json, "xyz".repeat(5000));
}

#[tokio::test]
async fn headers_can_redirect_and_relabel() {
    let env = Env::new().await;
    let port = env.emu.addr().port();
    let location = format!("http://127.0.0.2:{port}/api/v2/api_keys");
    env.fault(json!({"path": "/api_keys", "action": {
        "type": "respond", "status": 307, "headers": {"location": location}}}))
        .await;
    let r = exchange(&env, "/api_keys").await;
    assert!(r.head.starts_with("HTTP/1.1 307"), "{}", r.head);
    assert_eq!(r.header("location"), Some(location));
    assert!(r.body.is_empty());

    env.fault(json!({"path": "/api_keys", "action": {
        "type": "respond", "status": 502, "body": "<html><body>Bad gateway</body></html>",
        "headers": {"content-type": "text/html", "retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}}}))
        .await;
    let r = exchange(&env, "/api_keys").await;
    assert!(r.head.starts_with("HTTP/1.1 502"), "{}", r.head);
    assert_eq!(r.header("content-type").as_deref(), Some("text/html"));
    assert_eq!(
        r.header("retry-after").as_deref(),
        Some("Wed, 21 Oct 2015 07:28:00 GMT")
    );
    assert!(r.header("x-neon-ret-request-id").is_some());
}

#[tokio::test]
async fn json_integers_past_2_pow_53_are_sent_exactly() {
    let env = Env::new().await;
    env.fault(json!({"path": "/api_keys", "action": {
        "type": "respond", "status": 200, "json": [{"id": 9007199254740993_u64,
        "max": u64::MAX, "min": i64::MIN, "name": "big"}]}}))
        .await;
    let r = exchange(&env, "/api_keys").await;
    let body = String::from_utf8(r.body).unwrap();
    assert!(body.contains("\"id\":9007199254740993"), "{body}");
    assert!(body.contains("\"max\":18446744073709551615"), "{body}");
    assert!(body.contains("\"min\":-9223372036854775808"), "{body}");
    // The same literal posted as text (no client-side JSON value in between).
    let spec = r#"{"path":"/auth","action":{"type":"respond","status":200,"json":{"id":9007199254740993}}}"#;
    let url = format!("{}/faults", env.emu.control_url());
    let posted = env.http.post(&url).body(spec).send().await.unwrap();
    assert_eq!(posted.status(), 200);
    let r = exchange(&env, "/auth").await;
    assert_eq!(r.body, br#"{"id":9007199254740993}"#);
}

#[tokio::test]
async fn invalid_utf8_and_plain_text_bodies() {
    let env = Env::new().await;
    env.fault(json!({"path": "/api_keys", "action": {
        "type": "respond", "status": 200, "body_base64": "/+7A", "headers": {"content-type": "text/plain"}}}))
    .await;
    let r = exchange(&env, "/api_keys").await;
    assert!(r.head.starts_with("HTTP/1.1 200"));
    assert_eq!(r.header("content-type").as_deref(), Some("text/plain"));
    assert_eq!(r.body, [0xff, 0xee, 0xc0]);
    assert!(std::str::from_utf8(&r.body).is_err());

    env.fault(
        json!({"path": "/api_keys", "action": {"type": "respond", "status": 200, "body": "ok"}}),
    )
    .await;
    let r = exchange(&env, "/api_keys").await;
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(r.body, b"ok");
}

#[tokio::test]
async fn new_actions_are_validated_and_listed() {
    let env = Env::new().await;
    for bad in [
        json!({"path": "/auth", "action": {"type": "respond", "status": 200, "repeat": 3}}),
        json!({"path": "/auth", "action": {"type": "trickle", "bytes_per_chunk": 0, "interval_ms": 5}}),
        json!({"path": "/auth", "action": {"type": "trickle", "bytes_per_chunk": 4}}),
        json!({"path": "/auth", "action": {"type": "close_after", "defered": true}}),
        json!({"path": "/auth", "action": {"type": "delay", "ms": 5, "extra": 1}}),
    ] {
        let r = env.control("POST", "/faults", Some(bad.clone())).await;
        assert_eq!(r.status, 400, "{bad}");
    }
    env.fault(json!({"path": "/auth", "action": {"type": "trickle", "bytes_per_chunk": 4, "interval_ms": 5}}))
        .await;
    env.fault(json!({"path": "/auth", "action": {"type": "close_after"}}))
        .await;
    let listed = env.control("GET", "/faults", None).await.json;
    assert_eq!(
        listed[0]["action"],
        json!({"type": "trickle", "bytes_per_chunk": 4, "interval_ms": 5})
    );
    assert_eq!(
        listed[1]["action"],
        json!({"type": "close_after", "defer": false})
    );
}
