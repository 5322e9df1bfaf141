//! Exactly-once creates under Neon's real rules (`reconcile_creates`): a name is an idempotency handle, and
//! recovery revokes only a key that is provably the call's own orphan — never a colleague's key, never a key
//! that existed before the call, never one of several candidates — measuring its window on Neon's clock.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{unique, Harness};
use neon_api_keys::{CallOptions, CancellationToken, Client, ErrorKind};
use serde_json::json;
use std::time::Duration;

fn reconciling(h: &Harness, key: &str) -> Client {
    h.builder(key)
        .reconcile_creates(true)
        .attempt_timeout(Duration::from_millis(300))
        .build()
        .unwrap()
}

const ORG_KEYS: &str = "/organizations/*/api_keys";

#[tokio::test]
async fn a_colleagues_same_named_key_made_before_is_never_revoked() {
    let h = Harness::start().await;
    let org = h.org_id();
    let theirs = h
        .admin2()
        .create_org_api_key(&org, "ci-deploy", None)
        .await
        .unwrap();
    // The admin's create is refused (the name is taken), but a proxy turns the answer into a 502.
    h.fault(json!({"method": "POST", "path": ORG_KEYS,
        "action": {"type": "respond_after", "status": 502}}))
        .await;
    let admin = reconciling(&h, &h.emu.seed().keys.admin);
    let e = admin
        .create_org_api_key(&org, "ci-deploy", None)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict, "{e}");
    assert!(e.message().contains(&theirs.id.to_string()), "{e}");
    assert!(
        h.is_live(theirs.id).await,
        "the colleague's key must stay live"
    );
    // Its holder's next call still works.
    let holder = h.builder(theirs.key.expose_secret()).build().unwrap();
    assert!(holder.auth_details().await.is_ok());
}

#[tokio::test]
async fn the_callers_own_same_named_key_made_before_is_kept() {
    let h = Harness::start().await;
    let admin = reconciling(&h, &h.emu.seed().keys.admin);
    let earlier = admin.create_api_key("ci").await.unwrap();
    h.fault(json!({"method": "POST", "path": "/api_keys",
        "action": {"type": "respond_after", "status": 502}}))
        .await;
    let e = admin.create_api_key("ci").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict, "{e}");
    assert!(h.is_live(earlier.id).await);
    assert_eq!(h.named("ci").await, vec![(earlier.id, true)]);
}

#[tokio::test]
async fn a_colleague_taking_the_name_meanwhile_is_reported_not_revoked() {
    let h = Harness::start().await;
    let org = h.org_id();
    h.fault(json!({"method": "POST", "path": ORG_KEYS, "action": {"type": "stall"}}))
        .await;
    let admin = reconciling(&h, &h.emu.seed().keys.admin);
    let call = {
        let org = org.clone();
        tokio::spawn(async move { admin.create_org_api_key(&org, "ci-deploy", None).await })
    };
    h.wait_for_request("POST", "/api_keys", 1).await;
    let theirs = h
        .admin2()
        .create_org_api_key(&org, "ci-deploy", None)
        .await
        .unwrap();
    let e = call.await.unwrap().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    let details = e.outcome_unknown().unwrap();
    assert_eq!(details.candidate_ids, vec![theirs.id]);
    assert_eq!(details.key_name, "ci-deploy");
    assert!(e.message().contains("another identity"), "{e}");
    assert!(h.is_live(theirs.id).await);
}

#[tokio::test]
async fn several_candidates_are_reported_never_revoked() {
    let h = Harness::start().await;
    h.fault(json!({"method": "POST", "path": "/api_keys", "action": {"type": "stall"}}))
        .await;
    let admin = reconciling(&h, &h.emu.seed().keys.admin);
    let call = tokio::spawn(async move { admin.create_api_key("twin").await });
    h.wait_for_request("POST", "/api_keys", 1).await;
    let a = h.add_key(json!({"owner": "admin", "name": "twin"})).await;
    let b = h
        .add_key(json!({"owner": "admin", "name": "twin", "allow_duplicate_name": true}))
        .await;
    let e = call.await.unwrap().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    let mut ids = e.outcome_unknown().unwrap().candidate_ids.clone();
    ids.sort_unstable();
    assert_eq!(ids, vec![a, b]);
    assert!(h.is_live(a).await && h.is_live(b).await);
}

#[tokio::test]
async fn the_orphan_is_found_on_neons_clock_whichever_way_it_is_skewed() {
    for offset_ms in [5_000, -5_000, 90_000] {
        let h = Harness::start().await;
        h.emu.set_clock_offset_ms(offset_ms);
        let name = unique("skew");
        // The create happens, its answer is lost.
        h.fault(json!({"method": "POST", "path": "/api_keys", "action": {"type": "reset_after"}}))
            .await;
        let admin = reconciling(&h, &h.emu.seed().keys.admin);
        let key = admin.create_api_key(&name).await.unwrap();
        let named = h.named(&name).await;
        assert_eq!(
            named.len(),
            2,
            "the orphan and the key handed out ({offset_ms} ms)"
        );
        assert_eq!(
            named.iter().filter(|(_, live)| *live).collect::<Vec<_>>(),
            vec![&(key.id, true)],
            "exactly the key handed out is live ({offset_ms} ms)"
        );
    }
}

#[tokio::test]
async fn a_create_that_never_happened_is_made_once() {
    let h = Harness::start().await;
    h.fault(json!({"method": "POST", "path": "/api_keys",
        "action": {"type": "respond", "status": 502}}))
        .await;
    let admin = reconciling(&h, &h.emu.seed().keys.admin);
    let name = unique("once");
    let key = admin.create_api_key(&name).await.unwrap();
    assert_eq!(h.named(&name).await, vec![(key.id, true)]);
    assert_eq!(h.requests_to("DELETE", "/api_keys/*").await.len(), 0);
}

#[tokio::test]
async fn recovery_failing_keeps_the_outcome_unknown() {
    let h = Harness::start().await;
    let c = h
        .builder(&h.emu.seed().keys.admin)
        .reconcile_creates(true)
        .max_retries(0)
        .build()
        .unwrap();
    h.fault(json!({"method": "POST", "path": "/api_keys", "action": {"type": "reset_after"}}))
        .await;
    h.fault(json!({"method": "POST", "path": "/api_keys",
        "action": {"type": "respond", "status": 500}}))
        .await;
    let e = c.create_api_key(&unique("recfail")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    assert!(e.outcome_unknown().unwrap().candidate_ids.is_empty());
    assert_eq!(h.requests_to("POST", "/api_keys").await.len(), 2);
}

#[tokio::test]
async fn a_cancelled_create_reports_what_may_exist_and_stops() {
    let h = Harness::start().await;
    h.fault(json!({"method": "POST", "path": "/api_keys", "action": {"type": "stall"}}))
        .await;
    let token = CancellationToken::new();
    let admin = h
        .builder(&h.emu.seed().keys.admin)
        .reconcile_creates(true)
        .build()
        .unwrap()
        .with_options(CallOptions::new().cancellation(token.clone()));
    let call = tokio::spawn(async move { admin.create_api_key("aborted").await });
    h.wait_for_request("POST", "/api_keys", 1).await;
    token.cancel();
    let e = call.await.unwrap().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown, "{e}");
    let details = e.outcome_unknown().unwrap();
    assert_eq!(details.key_name, "aborted");
    assert!(details.not_before < details.not_after);
    assert_eq!(
        h.requests_to("POST", "/api_keys").await.len(),
        1,
        "no work after the cancel"
    );
}

#[tokio::test]
async fn a_duplicate_name_is_a_conflict_whatever_status_neon_picks() {
    for status in [409u16, 400, 422] {
        let h = Harness::start().await;
        h.emu.set_name_conflict_status(status).unwrap();
        let admin = h.admin();
        admin.create_api_key("dup").await.unwrap();
        let e = admin.create_api_key("dup").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Conflict, "{status}: {e}");
        assert_eq!(e.status(), Some(status));
        assert!(e.message().contains("choose another unique name"));
    }
}

#[tokio::test]
async fn org_keys_cannot_mint_and_the_error_names_the_fix() {
    let h = Harness::start().await;
    let org = h.org_id();
    let org_only = h.builder(&h.emu.seed().keys.org).build().unwrap();
    let e = org_only
        .create_org_api_key(&org, "minted", None)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied);
    assert!(
        e.message()
            .contains("personal API key of an organization admin"),
        "{e}"
    );
    let project_only = Client::builder()
        .base_url(h.emu.base_url())
        .org_api_key(h.emu.seed().keys.project.as_str())
        .build()
        .unwrap();
    let e = project_only
        .create_org_api_key(&org, "minted", Some(&h.emu.seed().project_id))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied, "{e}");
    // With both keys configured, organization keys are minted with the personal key.
    let both = h.org_client();
    let key = both.create_org_api_key(&org, "minted", None).await.unwrap();
    assert_eq!(
        key.created_by.as_deref(),
        Some(h.emu.seed().users.admin.as_str())
    );
}
