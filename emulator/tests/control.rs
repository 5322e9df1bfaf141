//! The control API (reset, state, secrets, request log, keys, rate limits) and the binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{ids, Env};
use serde_json::{json, Value};

#[tokio::test]
async fn reset_restores_the_seed_and_clears_everything() {
    let env = Env::new().await;
    env.post("/api_keys", "admin", r#"{"key_name":"temp"}"#)
        .await;
    env.delete("/api_keys/1002", "member").await;
    env.fault(json!({"path": "/auth", "times": 0, "action": {"type": "respond", "status": 500}}))
        .await;
    let r = env.control("POST", "/reset", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json, serde_json::to_value(env.emu.seed()).unwrap());
    assert_eq!(r.json["ids"]["admin"], 1001);
    assert_eq!(r.json["keys"]["org"], "o".repeat(64));
    assert!(env.requests().await.is_empty(), "log cleared");
    assert_eq!(
        env.get("/auth", "admin").await.status,
        200,
        "faults cleared"
    );
    assert_eq!(ids(&env.get("/api_keys", "member").await.json), vec![1002]);
    let c = env
        .post("/api_keys", "admin", r#"{"key_name":"again"}"#)
        .await;
    assert_eq!(c.json["id"], 5000, "ids count from 5000 again");

    // The rate limit switch of reset.
    env.control("POST", "/reset", Some(json!({"rate_limits": true})))
        .await;
    assert_eq!(
        env.control("GET", "/rate_limits", None).await.json["enabled"],
        true
    );
    assert_eq!(
        env.control("POST", "/reset", Some(json!({"bogus": 1})))
            .await
            .status,
        400
    );
    env.emu.reset(None);
    assert_eq!(
        env.control("GET", "/rate_limits", None).await.json["enabled"],
        false
    );
}

#[tokio::test]
async fn state_lists_every_key_without_secrets_and_secrets_lists_them() {
    let env = Env::new().await;
    env.post("/api_keys", "admin", r#"{"key_name":"mine"}"#)
        .await;
    let state = env.state().await;
    let personal = state["api_keys"].as_array().unwrap();
    let org = state["org_api_keys"].as_array().unwrap();
    let pids: Vec<i64> = personal.iter().map(|k| k["id"].as_i64().unwrap()).collect();
    assert_eq!(pids, vec![1001, 1002, 1003, 1004, 5000]);
    assert_eq!(personal[2]["revoked"], true);
    assert_eq!(org.len(), 2);
    assert_eq!(org[1]["project_id"], "proj-alpha-5678");
    let secrets = env.control("GET", "/secrets", None).await.json;
    let text = state.to_string();
    for (id, secret) in secrets.as_object().unwrap() {
        assert!(
            !text.contains(secret.as_str().unwrap()),
            "state leaks the secret of {id}"
        );
    }
    assert_eq!(secrets["1001"], "a".repeat(64));
    assert_eq!(secrets["1003"], "r".repeat(64));
    assert_eq!(secrets["1004"], "b".repeat(64));
    assert!(common::is_secret(secrets["5000"].as_str().unwrap()));
    assert_eq!(secrets.as_object().unwrap().len(), 7);
}

#[tokio::test]
async fn request_log_records_identities_never_secrets() {
    let env = Env::new().await;
    for who in [
        "admin", "member", "org", "project", "revoked", "none", "unknown",
    ] {
        env.get("/auth", who).await;
    }
    env.post("/api_keys?x=1", "admin", r#"{"key_name":"logged"}"#)
        .await;
    let log = env.requests().await;
    let labels: Vec<&str> = log.iter().map(|e| e["auth"].as_str().unwrap()).collect();
    assert_eq!(
        labels,
        ["admin", "member", "org", "project", "revoked", "none", "unknown", "admin"]
    );
    let statuses: Vec<u64> = log.iter().map(|e| e["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, [200, 200, 200, 200, 401, 401, 401, 200]);
    assert_eq!(log[0]["method"], "GET");
    assert_eq!(log[0]["path"], "/auth");
    assert_eq!(log[0]["key_id"], 1001);
    assert_eq!(log[0]["body"], Value::Null);
    assert!(log[0]["request_id"].is_string());
    assert_eq!(log[7]["path"], "/api_keys");
    assert_eq!(log[7]["query"], "x=1");
    assert_eq!(log[7]["body"], json!({"key_name": "logged"}));
    let text = serde_json::to_string(&log).unwrap();
    for s in ["a", "m", "o", "p", "r", "z"] {
        assert!(!text.contains(&s.repeat(64)), "the log holds a secret");
    }
    let count = env.control("GET", "/requests/count", None).await.json;
    assert_eq!(count, json!({"count": 8}));
    let posts = env
        .control("GET", "/requests/count?method=post&path=/api_keys", None)
        .await;
    assert_eq!(posts.json["count"], 1);
    env.control("DELETE", "/requests", None).await;
    assert!(env.requests().await.is_empty());
    // Control calls are not logged.
    assert_eq!(
        env.control("GET", "/requests/count", None).await.json["count"],
        0
    );
}

#[tokio::test]
async fn keys_can_be_seeded_directly() {
    let env = Env::new().await;
    let r = env
        .control(
            "POST",
            "/keys",
            Some(
                json!({"owner": "org", "name": "old-scoped", "project_id": "proj-beta-9012",
                "created_at": "2024-05-01T10:00:00Z", "last_used_at": "2024-06-01T10:00:00Z"}),
            ),
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.json);
    assert_eq!(r.json["id"], 5000);
    let secret = r.json["key"].as_str().unwrap().to_owned();
    let listed = env
        .get("/organizations/org-acme-1234/api_keys", "org")
        .await;
    let item = &listed.json[0];
    assert_eq!(item["name"], "old-scoped");
    assert_eq!(item["project_id"], "proj-beta-9012");
    assert_eq!(item["created_at"], "2024-05-01T10:00:00Z");
    assert_eq!(item["last_used_at"], "2024-06-01T10:00:00Z");
    let url = format!("{}/projects/proj-beta-9012", env.emu.base_url());
    let used = env.http.get(url).bearer_auth(&secret).send().await.unwrap();
    assert_eq!(used.status(), 200);
    let r = env
        .control("POST", "/keys", Some(json!({"owner": "member"})))
        .await;
    assert_eq!(r.json["created_by"], "22222222-2222-4222-8222-222222222222");
    for bad in [
        json!({"owner": "nobody"}),
        json!({"owner": "admin", "project_id": "proj-alpha-5678"}),
        json!({"owner": "org", "project_id": "proj-solo-3456"}),
        json!({"owner": "org", "created_at": "yesterday"}),
    ] {
        assert_eq!(
            env.control("POST", "/keys", Some(bad.clone())).await.status,
            400,
            "{bad}"
        );
    }
}

#[tokio::test]
async fn rate_limits_answer_429_and_can_be_switched_off() {
    let env = Env::with_limits(true).await;
    // 40/s per route (and 700/min per account): a 429 must come within 800 requests.
    let mut limited = None;
    for _ in 0..800 {
        let r = env.get("/api_keys", "member").await;
        if r.status == 429 {
            limited = Some(r);
            break;
        }
        assert_eq!(r.status, 200);
    }
    let r = limited.expect("no 429");
    assert_eq!(r.json["code"], "");
    assert!(r.json["message"].is_string());
    assert!(r.json["request_id"].is_string());
    // Another account is not affected by the member's burst.
    assert_eq!(env.get("/api_keys", "admin").await.status, 200);

    let off = env
        .control("POST", "/rate_limits", Some(json!({"enabled": false})))
        .await;
    assert_eq!(off.json["enabled"], false);
    for _ in 0..50 {
        assert_eq!(env.get("/api_keys", "member").await.status, 200);
    }

    // Org key creation has its own, lower limit.
    env.control(
        "POST",
        "/rate_limits",
        Some(json!({"enabled": true, "per_minute": 10000})),
    )
    .await;
    let mut created = 0;
    let mut hit = false;
    for i in 0..800 {
        let r = env
            .post(
                "/organizations/org-acme-1234/api_keys",
                "org",
                &format!(r#"{{"key_name":"k{i}"}}"#),
            )
            .await;
        if r.status == 429 {
            hit = true;
            break;
        }
        created += 1;
    }
    assert!(hit, "no 429 after {created} org key creations");
    let log = env.requests().await;
    assert!(log.iter().any(|e| e["status"] == 429));
}

fn spawn_binary(args: &[&str]) -> (std::process::Child, Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_neon-api-keys-emulator"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, serde_json::from_str(&line).unwrap())
}

#[tokio::test]
async fn binary_prints_one_json_line_and_stops_on_sigterm() {
    let (mut child, info) = spawn_binary(&["--no-rate-limits"]);
    let base = info["base_url"].as_str().unwrap();
    assert!(
        base.starts_with("http://127.0.0.1:") && base.ends_with("/api/v2"),
        "{base}"
    );
    assert!(info["control_url"]
        .as_str()
        .unwrap()
        .ends_with("/_emulator"));
    assert_eq!(info["seed"]["org_id"], "org-acme-1234");
    assert_eq!(info["seed"]["keys"]["admin"], "a".repeat(64));
    let http = common::client();
    let r = http
        .get(format!("{base}/api_keys"))
        .bearer_auth("a".repeat(64))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let limits = http
        .get(format!(
            "{}/rate_limits",
            info["control_url"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(common::read(limits).await.json["enabled"], false);
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    assert!(child.wait().unwrap().success());
}

#[tokio::test]
async fn binary_exits_when_stdin_closes_if_asked() {
    let (mut child, info) = spawn_binary(&["--exit-on-stdin-close", "--port", "0"]);
    assert!(info["base_url"].is_string());
    drop(child.stdin.take());
    assert!(child.wait().unwrap().success());
}

#[test]
fn binary_rejects_unknown_flags() {
    let out = Command::new(env!("CARGO_BIN_EXE_neon-api-keys-emulator"))
        .arg("--bogus")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn spawn_works_without_an_async_runtime() {
    let emu = neon_api_keys_emulator::Emulator::spawn(Default::default()).unwrap();
    let stream = std::net::TcpStream::connect(emu.addr());
    assert!(stream.is_ok());
    assert!(emu.base_url().ends_with("/api/v2"));
}

#[tokio::test]
async fn binary_options_replace_the_seeded_values() {
    let personal = "k".repeat(64);
    let (mut child, info) = spawn_binary(&[
        "--listen",
        "127.0.0.1:0",
        "--personal-api-key",
        &personal,
        "--org-api-key=orgsecret123",
        "--project-api-key",
        "projsecret456",
        "--org-id",
        "org-custom-1",
        "--project-id",
        "proj-custom-2",
    ]);
    assert_eq!(info["personal_api_key"], personal.as_str());
    assert_eq!(info["org_id"], "org-custom-1");
    assert_eq!(info["org_api_key"], "orgsecret123");
    assert_eq!(info["project_id"], "proj-custom-2");
    assert_eq!(info["project_api_key"], "projsecret456");
    assert_eq!(info["seed"]["keys"]["admin"], personal.as_str());
    assert_eq!(info["seed"]["org_id"], "org-custom-1");
    let base = info["base_url"].as_str().unwrap();
    let control = info["control_url"].as_str().unwrap();
    let http = common::client();
    for _ in 0..2 {
        let r = http
            .get(format!("{base}/organizations/org-custom-1/api_keys"))
            .bearer_auth(&personal)
            .send()
            .await
            .unwrap();
        let r = common::read(r).await;
        assert_eq!(r.status, 200, "{:?}", r.json);
        assert_eq!(r.json[0]["project_id"], "proj-custom-2");
        let p = http
            .get(format!("{base}/projects/proj-custom-2"))
            .bearer_auth("projsecret456")
            .send()
            .await
            .unwrap();
        assert_eq!(p.status(), 200);
        let a = http
            .get(format!("{base}/auth"))
            .bearer_auth("a".repeat(64))
            .send()
            .await
            .unwrap();
        assert_eq!(a.status(), 401, "the default admin key is replaced");
        // Reset restores the overridden seed, not the default one.
        let reset = common::read(http.post(format!("{control}/reset")).send().await.unwrap()).await;
        assert_eq!(reset.json["org_id"], "org-custom-1");
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn invalid_seeds_are_refused() {
    let mut config = neon_api_keys_emulator::EmulatorConfig::default();
    config.seed.keys.org = config.seed.keys.admin.clone();
    assert!(neon_api_keys_emulator::Emulator::spawn(config).is_err());
    let mut config = neon_api_keys_emulator::EmulatorConfig::default();
    config.seed.org_id = "Bad Org".into();
    assert!(neon_api_keys_emulator::Emulator::spawn(config).is_err());
}
