//! Verification of created keys, deadlines, cancellation and base URL rules (rotation: `rotation.rs`;
//! exactly-once creates: `exactly_once.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{unique, Harness};
use neon_api_keys::{CallOptions, CancellationToken, Client, ErrorKind};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn wrong_scope_is_revoked_and_reported() {
    let h = Harness::start().await;
    let c = h.org_client();
    let org = h.org_id();
    h.fault(
        json!({"method": "POST", "path": "/organizations/*/api_keys",
        "action": {"type": "patch_json", "set": {"project_id": h.emu.seed().other_project_id}}}),
    )
    .await;
    let e = c
        .create_org_api_key(&org, &unique("scope"), Some(&h.emu.seed().project_id))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::VerificationFailed);
    let v = e.verification().unwrap();
    assert!(v.revoked, "{e}");
    assert!(!h.is_live(v.key_id).await);
    assert!(e.message().contains("revoked"));
}

#[tokio::test]
async fn personal_key_coming_back_scoped_or_empty_is_revoked() {
    let h = Harness::start().await;
    let c = h.admin();
    h.fault(json!({"method": "POST", "path": "/api_keys",
        "action": {"type": "patch_json", "set": {"project_id": "proj-alpha-5678"}}}))
        .await;
    let e = c.create_api_key(&unique("p")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::VerificationFailed);
    assert!(!h.is_live(e.verification().unwrap().key_id).await);
    h.fault(json!({"method": "POST", "path": "/api_keys",
        "action": {"type": "patch_json", "set": {"key": ""}}}))
        .await;
    let e = c.create_api_key(&unique("e")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::VerificationFailed);
    assert!(e.verification().unwrap().revoked);
}

#[tokio::test]
async fn failed_cleanup_revoke_says_a_live_key_remains() {
    let h = Harness::start().await;
    let c = h.admin();
    h.fault(json!({"method": "POST", "path": "/api_keys",
        "action": {"type": "patch_json", "set": {"key": ""}}}))
        .await;
    h.fault(
        json!({"method": "DELETE", "path": "/api_keys/*", "times": 0,
        "action": {"type": "respond", "status": 403, "json": {"code": "", "message": "no"}}}),
    )
    .await;
    let e = c.create_api_key(&unique("stuck")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::VerificationFailed);
    let v = e.verification().unwrap();
    assert!(!v.revoked);
    assert!(h.is_live(v.key_id).await);
    assert!(e.message().contains("live key remains"), "{e}");
    assert!(e.message().contains(&v.key_id.to_string()));
}

#[tokio::test]
async fn stalled_read_hits_the_call_deadline() {
    let h = Harness::start().await;
    h.fault(json!({"method": "GET", "path": "/api_keys", "times": 0, "action": {"type": "stall"}}))
        .await;
    let c = h
        .admin()
        .with_options(CallOptions::new().timeout(Duration::from_millis(300)));
    let e = c.list_api_keys().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(e.request_id().is_some());
}

#[tokio::test]
async fn stalled_attempts_time_out_and_reads_retry() {
    let h = Harness::start().await;
    let c = h
        .builder(&h.emu.seed().keys.admin)
        .attempt_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    h.fault(json!({"method": "GET", "path": "/api_keys", "action": {"type": "stall"}}))
        .await;
    c.list_api_keys().await.unwrap();
    h.fault(json!({"method": "POST", "path": "/api_keys", "action": {"type": "stall"}}))
        .await;
    let e = c.create_api_key("stalled").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(e.outcome_unknown().unwrap().key_name, "stalled");
    assert_eq!(h.requests_to("POST", "/api_keys").await.len(), 1);
}

#[tokio::test]
async fn create_cut_by_the_call_deadline_is_outcome_unknown() {
    let h = Harness::start().await;
    h.fault(json!({"method": "POST", "path": "/api_keys", "action": {"type": "stall"}}))
        .await;
    let c = h
        .admin()
        .with_options(CallOptions::new().timeout(Duration::from_millis(300)));
    let e = c.create_api_key("deadline").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
}

#[tokio::test]
async fn cancellation_in_flight_and_before_start() {
    let h = Harness::start().await;
    h.fault(json!({"method": "GET", "path": "/api_keys", "times": 0, "action": {"type": "stall"}}))
        .await;
    let token = CancellationToken::new();
    let c = h
        .admin()
        .with_options(CallOptions::new().cancellation(token.clone()));
    let canceller = {
        let token = token.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            token.cancel();
        })
    };
    let e = c.list_api_keys().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    canceller.await.unwrap();
    // Already cancelled: nothing is sent.
    let before = h.requests().await.len();
    let e = c.create_api_key("never").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert_eq!(h.requests().await.len(), before);
}

#[tokio::test]
async fn cancelled_create_in_flight_carries_the_window() {
    let h = Harness::start().await;
    h.fault(json!({"method": "POST", "path": "/api_keys", "action": {"type": "stall"}}))
        .await;
    let token = CancellationToken::new();
    let c = h
        .admin()
        .with_options(CallOptions::new().cancellation(token.clone()));
    let t = token.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        t.cancel();
    });
    let e = c.create_api_key("cancelled").await.unwrap_err();
    // The request was written: a key may exist, so the caller gets the name and window, not a bare cancel.
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(e.outcome_unknown().unwrap().key_name, "cancelled");
    assert!(e.message().contains("cancelled"), "{e}");
}

#[tokio::test]
async fn cancellation_interrupts_a_retry_wait() {
    let h = Harness::start().await;
    h.fault(json!({"method": "GET", "path": "/api_keys", "times": 0,
        "action": {"type": "respond", "status": 429, "headers": {"retry-after": "5"}}}))
        .await;
    let token = CancellationToken::new();
    let c = h
        .builder(&h.emu.seed().keys.admin)
        .build()
        .unwrap()
        .with_options(CallOptions::new().cancellation(token.clone()));
    let t = token.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        t.cancel();
    });
    let e = c.list_api_keys().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
}

#[test]
fn plain_http_only_to_loopback() {
    let e = Client::builder()
        .api_key("k".repeat(64))
        .base_url("http://api.example.com/api/v2")
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(!e.message().contains(&"k".repeat(64)));
    assert!(Client::builder()
        .base_url("http://127.0.0.1:1/api/v2")
        .build()
        .is_ok());
    assert!(Client::builder()
        .base_url("http://[::1]:1/api/v2")
        .build()
        .is_ok());
    assert!(Client::builder()
        .base_url("http://localhost:1/api/v2")
        .build()
        .is_ok());
    assert!(
        Client::builder().build().is_ok(),
        "https default needs no provider installed by the caller"
    );
}

#[tokio::test]
async fn missing_key_is_a_config_error_at_first_use() {
    let h = Harness::start().await;
    let c = Client::builder()
        .base_url(h.emu.base_url())
        .build()
        .unwrap();
    let e = c.list_api_keys().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(e.message().contains("NEON_API_KEY"));
    assert!(h.requests().await.is_empty());
}

#[tokio::test]
async fn throttle_on_still_serves_bursts() {
    let h = Harness::start().await;
    let c = h
        .builder(&h.emu.seed().keys.admin)
        .throttle(true)
        .build()
        .unwrap();
    let calls = (0..12).map(|_| {
        let c = c.clone();
        tokio::spawn(async move { c.list_api_keys().await })
    });
    for call in calls {
        call.await.unwrap().unwrap();
    }
}
