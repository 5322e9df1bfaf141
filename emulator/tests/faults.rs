//! Every fault action, checked at the HTTP and (where it matters) the TCP level.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use common::{ids, Env};
use serde_json::json;

fn personal_key_count(state: &serde_json::Value) -> usize {
    state["api_keys"].as_array().unwrap().len()
}

#[tokio::test]
async fn respond_replaces_the_handler_once() {
    let env = Env::new().await;
    env.fault(json!({"method": "GET", "path": "/api_keys", "action": {
        "type": "respond", "status": 503, "json": {"code": "", "message": "busy"},
        "headers": {"retry-after": "1"}}}))
        .await;
    let r = env.get("/api_keys", "admin").await;
    assert_eq!(r.status, 503);
    assert_eq!(r.json["message"], "busy");
    assert_eq!(r.headers["retry-after"], "1");
    assert!(r.headers.contains_key("x-neon-ret-request-id"));
    assert_eq!(
        env.get("/api_keys", "admin").await.status,
        200,
        "times defaults to 1"
    );

    // No body given: an error status gets a GeneralError; a raw body is sent as is.
    env.fault(json!({"path": "/auth", "action": {"type": "respond", "status": 429}}))
        .await;
    env.fault(
        json!({"path": "/auth", "action": {"type": "respond", "status": 200, "body": "not json"}}),
    )
    .await;
    env.fault(json!({"path": "/auth", "action": {"type": "respond", "status": 502, "body_base64": "PGh0bWw+"}}))
        .await;
    let r = env.get("/auth", "admin").await;
    assert_eq!(r.status, 429);
    assert_eq!(r.json["code"], "");
    assert!(r.json["request_id"].is_string());
    let r = env.get("/auth", "admin").await;
    assert_eq!(r.json, "not json");
    let r = env.get("/auth", "admin").await;
    assert_eq!((r.status.as_u16(), r.json.as_str()), (502, Some("<html>")));
    // respond does not run the handler: no key was created.
    env.fault(json!({"method": "POST", "path": "/api_keys", "action": {"type": "respond", "status": 500}}))
        .await;
    assert_eq!(
        env.post("/api_keys", "admin", r#"{"key_name":"x"}"#)
            .await
            .status,
        500
    );
    assert_eq!(personal_key_count(&env.state().await), 4);
}

#[tokio::test]
async fn respond_after_runs_the_handler_first() {
    let env = Env::new().await;
    env.fault(json!({"method": "POST", "path": "/api_keys", "action": {"type": "respond_after", "status": 503}}))
        .await;
    let r = env
        .post("/api_keys", "admin", r#"{"key_name":"ghost"}"#)
        .await;
    assert_eq!(r.status, 503);
    let listed = env.get("/api_keys", "admin").await;
    assert_eq!(
        ids(&listed.json),
        vec![5000, 1001],
        "the key was created anyway"
    );
    let log = env.requests().await;
    assert_eq!(log[0]["fault"], "respond_after");
    assert_eq!(log[0]["status"], 503);
}

#[tokio::test]
async fn delay_then_real() {
    let env = Env::new().await;
    env.fault(json!({"path": "/auth", "action": {"type": "delay", "ms": 60}}))
        .await;
    let t = Instant::now();
    let r = env.get("/auth", "admin").await;
    assert!(t.elapsed() >= Duration::from_millis(60));
    assert_eq!(r.status, 200);
    assert_eq!(r.json["auth_method"], "api_key_user");
}

#[tokio::test]
async fn stall_never_answers() {
    let env = Env::new().await;
    env.fault(json!({"path": "/api_keys", "action": {"type": "stall"}}))
        .await;
    let url = format!("{}/api_keys", env.emu.base_url());
    let err = env
        .http
        .get(url)
        .bearer_auth(env.secret("admin"))
        .timeout(Duration::from_millis(300))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
    let log = env.requests().await;
    assert_eq!(log[0]["fault"], "stall");
    assert!(log[0]["status"].is_null());
    assert_eq!(env.get("/api_keys", "admin").await.status, 200);
}

#[tokio::test]
async fn reset_before_sends_nothing_and_changes_nothing() {
    let env = Env::new().await;
    env.fault(json!({"method": "POST", "path": "/api_keys", "action": {"type": "reset_before"}}))
        .await;
    let (got, _) = env
        .raw(&env.raw_request("POST", "/api_keys", "admin", r#"{"key_name":"x"}"#))
        .await;
    assert!(got.is_empty(), "{}", String::from_utf8_lossy(&got));
    assert_eq!(personal_key_count(&env.state().await), 4, "no key created");

    // Through an HTTP client: a connection error, then the same client works again.
    env.fault(json!({"path": "/auth", "action": {"type": "reset_before"}}))
        .await;
    assert_eq!(env.get("/api_keys", "admin").await.status, 200);
    let url = format!("{}/auth", env.emu.base_url());
    let err = env
        .http
        .get(&url)
        .bearer_auth(env.secret("admin"))
        .send()
        .await;
    assert!(err.is_err());
    assert_eq!(env.get("/auth", "admin").await.status, 200);
    let log = env.requests().await;
    assert_eq!(log[0]["fault"], "reset_before");
    assert!(log[0]["status"].is_null());
}

#[tokio::test]
async fn reset_after_creates_the_key_but_sends_nothing() {
    let env = Env::new().await;
    env.fault(json!({"method": "POST", "path": "/api_keys", "action": {"type": "reset_after"}}))
        .await;
    let (got, _) = env
        .raw(&env.raw_request("POST", "/api_keys", "admin", r#"{"key_name":"lost"}"#))
        .await;
    assert!(got.is_empty(), "{}", String::from_utf8_lossy(&got));
    let state = env.state().await;
    let lost: Vec<_> = state["api_keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["name"] == "lost")
        .collect();
    assert_eq!(lost.len(), 1, "the key IS created: {state}");
    assert_eq!(lost[0]["id"], 5000);
    assert_eq!(lost[0]["revoked"], false);
    let secrets = env.control("GET", "/secrets", None).await.json;
    assert!(common::is_secret(secrets["5000"].as_str().unwrap()));
}

#[tokio::test]
async fn truncate_cuts_the_body_after_n_bytes() {
    let env = Env::new().await;
    env.fault(
        json!({"method": "GET", "path": "/api_keys", "action": {"type": "truncate", "bytes": 10}}),
    )
    .await;
    let (got, _) = env
        .raw(&env.raw_request("GET", "/api_keys", "admin", ""))
        .await;
    let text = String::from_utf8_lossy(&got).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("a full head");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(str::to_owned)
        })
        .unwrap()
        .parse()
        .unwrap();
    assert!(length > 10, "the head announces the full body ({length})");
    assert_eq!(body.len(), 10, "{body}");
    assert_eq!(body, "[{\"created");

    // A client sees an error, not a short success.
    env.fault(json!({"path": "/api_keys", "action": {"type": "truncate", "bytes": 0}}))
        .await;
    let url = format!("{}/api_keys", env.emu.base_url());
    let r = env
        .http
        .get(&url)
        .bearer_auth(env.secret("admin"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.is_err());
}

#[tokio::test]
async fn patch_json_edits_objects_and_array_items() {
    let env = Env::new().await;
    env.fault(json!({"method": "GET", "path": "/organizations/*/api_keys", "action": {
        "type": "patch_json", "set": {"extra_field": 1}, "remove": ["created_by.image", "last_used_from_addr"]}}))
    .await;
    let r = env
        .get("/organizations/org-acme-1234/api_keys", "admin")
        .await;
    assert_eq!(r.status, 200);
    for item in r.json.as_array().unwrap() {
        assert_eq!(item["extra_field"], 1);
        assert!(item.get("last_used_from_addr").is_none());
        assert!(item["created_by"].get("image").is_none());
        assert!(item["created_by"]["name"].is_string());
    }
    env.fault(json!({"method": "POST", "path": "/api_keys", "action": {
        "type": "patch_json", "remove": ["created_by"]}}))
        .await;
    let c = env
        .post("/api_keys", "admin", r#"{"key_name":"old-shape"}"#)
        .await;
    assert!(
        c.json.get("created_by").is_none(),
        "an old-style create response"
    );
    assert!(c.json["key"].is_string());
}

#[tokio::test]
async fn faults_queue_in_order_with_wildcards_times_and_clear() {
    let env = Env::new().await;
    env.fault(
        json!({"method": "DELETE", "path": "/api_keys/*", "times": 2,
        "action": {"type": "respond", "status": 503}}),
    )
    .await;
    env.fault(json!({"method": "delete", "path": "/api/v2/api_keys/*",
        "action": {"type": "respond", "status": 423}}))
        .await;
    env.fault(json!({"path": "/auth", "times": 0, "action": {"type": "respond", "status": 500}}))
        .await;
    let listed = env.control("GET", "/faults", None).await.json;
    assert_eq!(listed.as_array().unwrap().len(), 3);
    assert_eq!(
        env.get("/api_keys", "admin").await.status,
        200,
        "method and path must match"
    );
    let statuses = [
        env.delete("/api_keys/1", "admin").await.status,
        env.delete("/api_keys/2", "admin").await.status,
        env.delete("/api_keys/3", "admin").await.status,
        env.delete("/api_keys/4", "admin").await.status,
    ];
    assert_eq!(statuses.map(|s| s.as_u16()), [503, 503, 423, 404]);
    for _ in 0..3 {
        assert_eq!(
            env.get("/auth", "admin").await.status,
            500,
            "times 0 = forever"
        );
    }
    assert_eq!(env.control("DELETE", "/faults", None).await.status, 200);
    assert_eq!(env.get("/auth", "admin").await.status, 200);
}

#[tokio::test]
async fn invalid_faults_are_rejected() {
    let env = Env::new().await;
    for bad in [
        json!({"path": "/auth"}),
        json!({"path": "/auth", "action": {"type": "explode"}}),
        json!({"path": "/auth", "action": {"type": "respond", "status": 42}}),
        json!({"path": "/auth", "action": {"type": "respond", "status": 200, "json": {}, "body": "x"}}),
        json!({"path": "auth", "action": {"type": "stall"}}),
        json!({"path": "/auth", "tims": 2, "action": {"type": "stall"}}),
    ] {
        let r = env.control("POST", "/faults", Some(bad.clone())).await;
        assert_eq!(r.status, 400, "{bad}");
    }
    assert_eq!(env.control("GET", "/faults", None).await.json, json!([]));
}
