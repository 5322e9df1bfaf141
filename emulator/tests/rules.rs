//! Neon's rules that only its own code shows: unique key names per account, keys minted only by personal keys,
//! a `Date` header on every response, and a clock a test can shift.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::Env;
use serde_json::json;

const ORG: &str = "/organizations/org-acme-1234/api_keys";
const CONFLICT: &str = "choose another unique name for api key";

#[tokio::test]
async fn a_live_name_is_unique_per_account_and_free_again_once_revoked() {
    let env = Env::new().await;
    assert_eq!(
        env.post("/api_keys", "admin", r#"{"key_name":"ci"}"#)
            .await
            .status,
        200
    );
    let dup = env.post("/api_keys", "admin", r#"{"key_name":"ci"}"#).await;
    assert_eq!(dup.status, 409);
    assert!(dup.json["message"].as_str().unwrap().contains(CONFLICT));
    // Another user's personal keys are another account.
    assert_eq!(
        env.post("/api_keys", "admin2", r#"{"key_name":"ci"}"#)
            .await
            .status,
        200
    );
    // Personal and organization keys are different accounts too.
    assert_eq!(
        env.post(ORG, "admin", r#"{"key_name":"ci"}"#).await.status,
        200
    );
    // Within the organization, a colleague's (or a project-scoped) key with the name conflicts.
    let colleague = env
        .post(
            ORG,
            "admin2",
            r#"{"key_name":"ci","project_id":"proj-beta-9012"}"#,
        )
        .await;
    assert_eq!(colleague.status, 409, "{:?}", colleague.json);
    // A revoked key's name is free again.
    assert_eq!(env.delete("/api_keys/5000", "admin").await.status, 200);
    assert_eq!(
        env.post("/api_keys", "admin", r#"{"key_name":"ci"}"#)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn the_conflict_status_can_be_400_or_422_until_reset() {
    let env = Env::new().await;
    for status in [400u16, 422] {
        let r = env
            .control(
                "POST",
                "/reset",
                Some(json!({"name_conflict_status": status})),
            )
            .await;
        assert_eq!(r.status, 200);
        env.post("/api_keys", "admin", r#"{"key_name":"dup"}"#)
            .await;
        let dup = env
            .post("/api_keys", "admin", r#"{"key_name":"dup"}"#)
            .await;
        assert_eq!(dup.status.as_u16(), status);
        assert!(dup.json["message"].as_str().unwrap().contains(CONFLICT));
    }
    let bad = env
        .control("POST", "/reset", Some(json!({"name_conflict_status": 418})))
        .await;
    assert_eq!(bad.status, 400);
    env.control("POST", "/reset", None).await;
    env.post("/api_keys", "admin", r#"{"key_name":"dup"}"#)
        .await;
    assert_eq!(
        env.post("/api_keys", "admin", r#"{"key_name":"dup"}"#)
            .await
            .status,
        409
    );
    env.emu.set_name_conflict_status(422).unwrap();
    assert!(env.emu.set_name_conflict_status(418).is_err());
    assert_eq!(
        env.post("/api_keys", "admin", r#"{"key_name":"dup"}"#)
            .await
            .status,
        422
    );
}

#[tokio::test]
async fn only_personal_keys_mint_and_a_second_admin_mints_as_themself() {
    let env = Env::new().await;
    for who in ["org", "project"] {
        for path in ["/api_keys", ORG] {
            let r = env.post(path, who, r#"{"key_name":"minted"}"#).await;
            assert_eq!(r.status, 403, "{who} {path}");
            assert!(r.json["message"]
                .as_str()
                .unwrap()
                .contains("cannot create API keys"));
        }
    }
    let by_colleague = env.post(ORG, "admin2", r#"{"key_name":"bo-key"}"#).await;
    assert_eq!(by_colleague.status, 200);
    assert_eq!(
        by_colleague.json["created_by"],
        "33333333-3333-4333-8333-333333333333"
    );
    let listed = env.get(ORG, "admin").await;
    let item = listed
        .json
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "bo-key")
        .unwrap();
    assert_eq!(item["created_by"]["name"], "Bo Admin");
    assert_eq!(
        env.get("/auth", "admin2").await.json["account_id"],
        "33333333-3333-4333-8333-333333333333"
    );
}

#[tokio::test]
async fn every_response_has_a_date_that_follows_the_shifted_clock() {
    let env = Env::new().await;
    let date = |r: &common::Resp| {
        let text = r.headers.get("date").unwrap().to_str().unwrap().to_string();
        chrono::DateTime::parse_from_rfc2822(&text)
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    let now = chrono::Utc::now();
    let r = env.get("/auth", "admin").await;
    assert!((date(&r) - now).num_seconds().abs() <= 2);
    // Errors and fault answers carry one too.
    assert!(env.get("/auth", "none").await.headers.contains_key("date"));
    env.fault(json!({"path": "/auth", "action": {"type": "respond", "status": 503}}))
        .await;
    assert!(env.get("/auth", "admin").await.headers.contains_key("date"));

    let r = env
        .control("POST", "/clock", Some(json!({"offset_ms": 3_600_000})))
        .await;
    assert_eq!(r.json["offset_ms"], 3_600_000);
    let ahead = env.get("/auth", "admin").await;
    let skew = date(&ahead) - chrono::Utc::now();
    assert!(
        skew.num_seconds() >= 3597 && skew.num_seconds() <= 3602,
        "{skew}"
    );
    // Keys' timestamps follow the same clock.
    let created = env
        .post("/api_keys", "admin", r#"{"key_name":"late"}"#)
        .await;
    let at =
        chrono::DateTime::parse_from_rfc3339(created.json["created_at"].as_str().unwrap()).unwrap();
    assert!(
        (at.with_timezone(&chrono::Utc) - date(&ahead))
            .num_seconds()
            .abs()
            <= 2
    );

    // A reset restores the start-up clock, or sets another.
    env.control("POST", "/reset", None).await;
    assert!(
        (date(&env.get("/auth", "admin").await) - chrono::Utc::now())
            .num_seconds()
            .abs()
            <= 2
    );
    env.control("POST", "/reset", Some(json!({"clock_offset_ms": -5000})))
        .await;
    let behind = date(&env.get("/auth", "admin").await) - chrono::Utc::now();
    assert!(
        behind.num_seconds() <= -3 && behind.num_seconds() >= -7,
        "{behind}"
    );
}

#[tokio::test]
async fn setup_keys_follow_the_rules_unless_told_otherwise() {
    let env = Env::new().await;
    let add = |body: serde_json::Value| env.control("POST", "/keys", Some(body));
    assert_eq!(
        add(json!({"owner": "org", "name": "dup", "created_by": "admin2"}))
            .await
            .status,
        200
    );
    let state = env.state().await;
    let dup = state["org_api_keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "dup")
        .unwrap()
        .clone();
    assert_eq!(dup["created_by"], "33333333-3333-4333-8333-333333333333");
    assert_eq!(
        add(json!({"owner": "org", "name": "dup"})).await.status,
        409
    );
    assert_eq!(
        add(json!({"owner": "org", "name": "dup", "allow_duplicate_name": true}))
            .await
            .status,
        200
    );
    assert_eq!(
        add(json!({"owner": "admin2", "name": "dup"})).await.status,
        200
    );
    assert_eq!(
        add(json!({"owner": "admin", "name": "x", "created_by": "admin2"}))
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn a_use_can_be_marked_a_second_later_on_the_emulators_clock() {
    let env = Env::new().await;
    let before = env.emu.seed().ids.admin;
    env.get("/auth", "admin").await;
    let state = env.state().await;
    let used = |state: &serde_json::Value| {
        state["api_keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["id"] == before)
            .unwrap()["last_used_at"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let first = used(&state);
    let r = env
        .control(
            "POST",
            &format!("/keys/{before}/use"),
            Some(json!({"from": "10.0.0.1"})),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["last_used_from_addr"], "10.0.0.1");
    assert!(used(&env.state().await) > first);
    assert_eq!(
        env.control("POST", "/keys/999999/use", None).await.status,
        404
    );
}
