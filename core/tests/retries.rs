//! The retry matrix of `docs/neon-api.md`, driven by the emulator's faults.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{unique, Harness};
use neon_api_keys::{CallOptions, ErrorKind};
use serde_json::json;
use std::time::{Duration, SystemTime};

fn respond(method: &str, path: &str, status: u16, times: u32) -> serde_json::Value {
    json!({"method": method, "path": path, "times": times,
           "action": {"type": "respond", "status": status, "json": {"code": "", "message": format!("injected {status}")}}})
}

#[tokio::test]
async fn retryable_statuses_are_retried_for_every_method() {
    for status in [423u16, 429, 503] {
        let h = Harness::start().await;
        let c = h.admin();
        h.fault(respond("GET", "/api_keys", status, 2)).await;
        c.list_api_keys().await.unwrap();
        assert_eq!(
            h.requests_to("GET", "/api_keys").await.len(),
            3,
            "GET {status}"
        );

        h.fault(respond("POST", "/api_keys", status, 1)).await;
        let k = c.create_api_key(&unique("r")).await.unwrap();
        assert_eq!(
            h.requests_to("POST", "/api_keys").await.len(),
            2,
            "POST {status}"
        );

        h.fault(respond("DELETE", "/api_keys/*", status, 1)).await;
        c.revoke_api_key(k.id).await.unwrap();
        assert!(!h.is_live(k.id).await);
    }
}

#[tokio::test]
async fn exhausted_retries_return_the_last_error() {
    let h = Harness::start().await;
    h.fault(respond("GET", "/api_keys", 503, 0)).await;
    let c = h.admin().with_options(CallOptions::new().max_retries(1));
    let e = c.list_api_keys().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server);
    assert_eq!(e.status(), Some(503));
    assert_eq!(h.requests_to("GET", "/api_keys").await.len(), 2);
}

#[tokio::test]
async fn server_errors_retry_reads_but_not_creates() {
    for status in [408u16, 500, 502, 504] {
        let h = Harness::start().await;
        let c = h.admin();
        h.fault(respond("GET", "/api_keys", status, 1)).await;
        c.list_api_keys().await.unwrap();
        assert_eq!(h.requests_to("GET", "/api_keys").await.len(), 2);

        let name = unique("five");
        h.fault(json!({"method": "POST", "path": "/api_keys",
            "action": {"type": "respond_after", "status": status, "json": {"code": "", "message": "oops"}}}))
            .await;
        let before = SystemTime::now();
        let e = c.create_api_key(&name).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{status}");
        assert_eq!(e.status(), Some(status));
        let w = e.outcome_unknown().unwrap();
        assert_eq!(w.key_name, name);
        assert!(w.not_before >= before - Duration::from_secs(5) && w.not_before <= w.not_after);
        assert_eq!(
            h.requests_to("POST", "/api_keys").await.len(),
            1,
            "a create was repeated"
        );
    }
}

#[tokio::test]
async fn lost_response_to_a_create_is_outcome_unknown_with_window() {
    let h = Harness::start().await;
    let c = h.org_client();
    let org = h.org_id();
    h.fault(json!({"method": "POST", "path": "/organizations/*/api_keys", "action": {"type": "reset_after"}}))
        .await;
    let name = unique("lost");
    let e = c
        .create_org_api_key(&org, &name, Some(&h.emu.seed().project_id))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    let w = e.outcome_unknown().unwrap();
    assert_eq!(w.org_id.as_deref(), Some(org.as_str()));
    assert_eq!(
        w.project_id.as_deref(),
        Some(h.emu.seed().project_id.as_str())
    );
    assert_eq!(h.requests_to("POST", "/api_keys").await.len(), 1);
    // The key does exist: it is in the list with that name.
    let keys = c.list_org_api_keys(&org).await.unwrap();
    assert!(keys.iter().any(|k| k.name == name));
}

#[tokio::test]
async fn reset_before_sending_is_retried_even_for_creates() {
    let h = Harness::start().await;
    let c = h.admin();
    h.fault(json!({"method": "GET", "path": "/api_keys", "action": {"type": "reset_before"}}))
        .await;
    c.list_api_keys().await.unwrap();
    // reset_before closes the connection before handling; for a POST the client cannot know whether the
    // request was read, so it is an unknown outcome, never a silent repeat.
    h.fault(json!({"method": "POST", "path": "/api_keys", "action": {"type": "reset_before"}}))
        .await;
    let e = c.create_api_key(&unique("rb")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(h.requests_to("POST", "/api_keys").await.len(), 1);
}

#[tokio::test]
async fn connection_refused_is_retried_then_network_error() {
    let h = Harness::start().await;
    let base = h.emu.base_url().to_string();
    drop(h); // nothing listens there any more
    let c = neon_api_keys::Client::builder()
        .base_url(base)
        .api_key("k".repeat(64))
        .throttle(false)
        .max_retries(2)
        .backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .unwrap();
    let e = c.create_api_key("never-sent").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network, "{e}");
    assert!(e.outcome_unknown().is_none());
}

#[tokio::test]
async fn broken_bodies() {
    let h = Harness::start().await;
    let c = h.admin();
    // A truncated list is read again once.
    h.fault(
        json!({"method": "GET", "path": "/api_keys", "action": {"type": "truncate", "bytes": 10}}),
    )
    .await;
    c.list_api_keys().await.unwrap();
    assert_eq!(h.requests_to("GET", "/api_keys").await.len(), 2);
    // Twice broken: the second is not retried.
    h.fault(json!({"method": "GET", "path": "/api_keys", "times": 2,
        "action": {"type": "respond", "status": 200, "body": "not json"}}))
        .await;
    let e = c.list_api_keys().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(h.requests_to("GET", "/api_keys").await.len(), 4);
    // A truncated create: the key exists, the secret is lost: OutcomeUnknown, and no second POST.
    h.fault(
        json!({"method": "POST", "path": "/api_keys", "action": {"type": "truncate", "bytes": 20}}),
    )
    .await;
    let e = c.create_api_key(&unique("trunc")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(h.requests_to("POST", "/api_keys").await.len(), 1);
}

#[tokio::test]
async fn other_client_errors_are_not_retried() {
    let h = Harness::start().await;
    let c = h.admin();
    for status in [400u16, 401, 403, 404, 409] {
        h.fault(respond("GET", "/api_keys", status, 1)).await;
        let e = c.list_api_keys().await.unwrap_err();
        assert_eq!(e.status(), Some(status));
        assert_eq!(e.message(), format!("injected {status}"));
    }
    assert_eq!(h.requests_to("GET", "/api_keys").await.len(), 5);
}

#[tokio::test]
async fn retry_after_is_honoured_and_too_long_stops() {
    let h = Harness::start().await;
    let c = h.admin();
    // Retry-After 0: retried.
    h.fault(json!({"method": "GET", "path": "/api_keys",
        "action": {"type": "respond", "status": 429, "headers": {"retry-after": "0"}, "json": {"message": "slow"}}}))
        .await;
    c.list_api_keys().await.unwrap();
    // Retry-After beyond max_retry_wait: not retried, RateLimited with the hint.
    h.fault(json!({"method": "GET", "path": "/api_keys",
        "action": {"type": "respond", "status": 429, "headers": {"retry-after": "3600"}, "json": {"message": "slow"}}}))
        .await;
    let e = c.list_api_keys().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(3600)));
    // An HTTP date far in the future counts the same.
    h.fault(json!({"method": "GET", "path": "/api_keys",
        "action": {"type": "respond", "status": 503, "headers": {"retry-after": "Fri, 01 Jan 2100 00:00:00 GMT"}}}))
        .await;
    let e = c.list_api_keys().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server);
    assert!(e.retry_after().is_some());
    assert_eq!(h.requests_to("GET", "/api_keys").await.len(), 4);
}

#[tokio::test]
async fn retry_after_past_the_call_deadline_stops() {
    let h = Harness::start().await;
    let c = h
        .builder(&h.emu.seed().keys.admin)
        .max_retry_wait(Duration::from_secs(60))
        .build()
        .unwrap()
        .with_options(CallOptions::new().timeout(Duration::from_secs(2)));
    h.fault(json!({"method": "GET", "path": "/api_keys",
        "action": {"type": "respond", "status": 429, "headers": {"retry-after": "30"}}}))
        .await;
    let e = c.list_api_keys().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(30)));
}

#[tokio::test]
async fn request_id_is_sent_and_kept_across_retries() {
    let h = Harness::start().await;
    h.fault(respond("GET", "/api_keys", 503, 1)).await;
    let c = h
        .admin()
        .with_options(CallOptions::new().request_id("req-fixed-123"));
    c.list_api_keys().await.unwrap();
    let reqs = h.requests_to("GET", "/api_keys").await;
    assert_eq!(reqs.len(), 2);
    assert!(reqs.iter().all(|r| r["request_id"] == "req-fixed-123"));
    // Without one, a fresh UUID per call, the same across its retries, reported on errors.
    h.fault(respond("GET", "/api_keys", 503, 0)).await;
    let e = h
        .admin()
        .with_options(CallOptions::new().max_retries(1))
        .list_api_keys()
        .await
        .unwrap_err();
    let reqs = h.requests_to("GET", "/api_keys").await;
    let last_two: Vec<_> = reqs
        .iter()
        .rev()
        .take(2)
        .map(|r| r["request_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(last_two[0], last_two[1]);
    assert_ne!(last_two[0], "req-fixed-123");
    assert_eq!(e.request_id(), Some(last_two[0].as_str()));
    assert!(uuid::Uuid::parse_str(&last_two[0]).is_ok());
}

#[tokio::test]
async fn zero_retries_disables_retrying() {
    let h = Harness::start().await;
    h.fault(respond("GET", "/api_keys", 503, 1)).await;
    let e = h
        .builder(&h.emu.seed().keys.admin)
        .max_retries(0)
        .build()
        .unwrap()
        .list_api_keys()
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(503));
    assert_eq!(h.requests_to("GET", "/api_keys").await.len(), 1);
}

#[tokio::test]
async fn revoke_whose_answer_was_lost_says_the_key_is_likely_gone() {
    let h = Harness::start().await;
    let c = h.admin();
    let k = c.create_api_key(&unique("gone")).await.unwrap();
    h.fault(json!({"method": "DELETE", "path": "/api_keys/*", "action": {"type": "reset_after"}}))
        .await;
    let e = c.revoke_api_key(k.id).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(e.message().contains("most likely revoked"), "{e}");
    assert!(!h.is_live(k.id).await);
}
