//! The Neon API endpoints: happy paths, response shapes, permissions and validation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{ids, is_secret, Env};
use serde_json::{json, Value};

const ORG: &str = "/organizations/org-acme-1234/api_keys";
const ADMIN_UUID: &str = "11111111-1111-4111-8111-111111111111";

fn keys_of(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

#[tokio::test]
async fn personal_list_shows_own_live_keys_with_creator_objects() {
    let env = Env::new().await;
    let r = env.get("/api_keys", "admin").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.headers["content-type"], "application/json; charset=utf-8");
    assert_eq!(
        ids(&r.json),
        vec![1001],
        "revoked 1003 and member's 1002 hidden"
    );
    let item = &r.json[0];
    assert_eq!(
        keys_of(item),
        [
            "created_at",
            "created_by",
            "id",
            "last_used_at",
            "last_used_from_addr",
            "name"
        ]
    );
    assert_eq!(item["name"], "seed-admin");
    assert_eq!(item["created_at"], "2025-01-01T00:00:00Z");
    assert_eq!(
        item["created_by"],
        json!({"id": ADMIN_UUID, "name": "Ada Admin", "image": item["created_by"]["image"]})
    );
    assert!(item["created_by"]["image"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    // The key was used by this very call.
    assert_eq!(item["last_used_from_addr"], "127.0.0.1");
    assert!(item["last_used_at"].is_string());

    let m = env.get("/api_keys", "member").await;
    assert_eq!(ids(&m.json), vec![1002]);
    assert_eq!(m.json[0]["created_by"]["name"], "Max Member");
}

#[tokio::test]
async fn personal_create_list_use_revoke() {
    let env = Env::new().await;
    let c = env
        .post("/api_keys", "admin", r#"{"key_name":"ci-key"}"#)
        .await;
    assert_eq!(c.status, 200, "create answers 200, not 201");
    assert_eq!(
        keys_of(&c.json),
        ["created_at", "created_by", "id", "key", "name"]
    );
    assert_eq!(c.json["id"], 5000);
    assert_eq!(c.json["name"], "ci-key");
    assert_eq!(c.json["created_by"], ADMIN_UUID, "uuid string on create");
    let secret = c.json["key"].as_str().unwrap().to_owned();
    assert!(is_secret(&secret), "{secret}");

    let l = env.get("/api_keys", "admin").await;
    assert_eq!(ids(&l.json), vec![5000, 1001], "newest first");
    assert_eq!(l.json[0]["last_used_at"], Value::Null);
    assert_eq!(l.json[0]["last_used_from_addr"], "");
    assert!(l.json[0]["created_by"].is_object());

    // Use the new key, then its usage shows.
    let url = format!("{}/auth", env.emu.base_url());
    let a = env.http.get(url).bearer_auth(&secret).send().await.unwrap();
    assert_eq!(a.status(), 200);
    let l = env.get("/api_keys", "admin").await;
    assert_eq!(l.json[0]["last_used_from_addr"], "127.0.0.1");
    assert!(l.json[0]["last_used_at"].is_string());

    let d = env.delete("/api_keys/5000", "admin").await;
    assert_eq!(d.status, 200);
    assert_eq!(
        keys_of(&d.json),
        [
            "created_at",
            "created_by",
            "id",
            "last_used_at",
            "last_used_from_addr",
            "name",
            "revoked"
        ]
    );
    assert_eq!(d.json["revoked"], true);
    assert_eq!(d.json["created_by"], ADMIN_UUID, "uuid string on revoke");
    assert_eq!(d.json["last_used_from_addr"], "127.0.0.1");
    assert_eq!(ids(&env.get("/api_keys", "admin").await.json), vec![1001]);

    assert_eq!(
        env.delete("/api_keys/5000", "admin").await.status,
        404,
        "second revoke"
    );
    let url = format!("{}/auth", env.emu.base_url());
    let a = env.http.get(url).bearer_auth(&secret).send().await.unwrap();
    assert_eq!(a.status(), 401, "revocation is immediate");
}

#[tokio::test]
async fn org_keys_list_create_revoke() {
    let env = Env::new().await;
    let l = env.get(ORG, "admin").await;
    assert_eq!(l.status, 200);
    assert_eq!(ids(&l.json), vec![2002, 2001]);
    assert_eq!(l.json[0]["project_id"], "proj-alpha-5678");
    assert!(
        l.json[1].get("project_id").is_none(),
        "absent for org-wide keys"
    );
    assert!(l.json[1]["created_by"].is_object());

    let wide = env.post(ORG, "admin", r#"{"key_name":"wide"}"#).await;
    assert_eq!(wide.status, 200);
    assert_eq!(
        keys_of(&wide.json),
        ["created_at", "created_by", "id", "key", "name"]
    );
    assert_eq!(wide.json["created_by"], ADMIN_UUID);

    let scoped = env
        .post(
            ORG,
            "admin",
            r#"{"key_name":"scoped","project_id":"proj-beta-9012"}"#,
        )
        .await;
    assert_eq!(scoped.status, 200);
    assert_eq!(scoped.json["project_id"], "proj-beta-9012");
    assert_eq!(scoped.json["id"], 5001, "one id counter");
    assert!(is_secret(scoped.json["key"].as_str().unwrap()));

    // Only a personal key of an admin mints keys: an org key gets 403, saying what to use instead.
    let by_org = env.post(ORG, "org", r#"{"key_name":"by-org-key"}"#).await;
    assert_eq!(by_org.status, 403);
    assert!(by_org.json["message"]
        .as_str()
        .is_some_and(|m| m.contains("personal API key of an organization admin")));

    // The scoped key works inside its project only.
    let url = format!("{}/projects/proj-beta-9012", env.emu.base_url());
    let s = scoped.json["key"].as_str().unwrap();
    assert_eq!(
        env.http
            .get(&url)
            .bearer_auth(s)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    let d = env.delete(&format!("{ORG}/5001"), "org").await;
    assert_eq!(d.status, 200);
    assert_eq!(d.json["revoked"], true);
    assert_eq!(d.json["project_id"], "proj-beta-9012");
    assert_eq!(d.json["created_by"], ADMIN_UUID);
    assert_eq!(
        env.http
            .get(&url)
            .bearer_auth(s)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );

    assert_eq!(ids(&env.get(ORG, "org").await.json), vec![5000, 2002, 2001]);
    // Org key ids are not personal ones and vice versa.
    assert_eq!(env.delete("/api_keys/2001", "admin").await.status, 404);
    assert_eq!(
        env.delete(&format!("{ORG}/1001"), "admin").await.status,
        404
    );
    assert_eq!(
        env.delete(&format!("{ORG}/5001"), "admin").await.status,
        404,
        "already revoked"
    );
}

#[tokio::test]
async fn auth_and_projects() {
    let env = Env::new().await;
    let a = env.get("/auth", "admin").await;
    assert_eq!(
        a.json,
        json!({"account_id": ADMIN_UUID, "auth_method": "api_key_user"})
    );
    let o = env.get("/auth", "org").await;
    assert_eq!(
        o.json,
        json!({"account_id": "org-acme-1234", "auth_method": "api_key_org"})
    );
    assert_eq!(env.get("/auth", "project").await.status, 200);

    let p = env.get("/projects/proj-alpha-5678", "admin").await;
    assert_eq!(p.status, 200);
    assert_eq!(p.json["project"]["id"], "proj-alpha-5678");
    assert_eq!(p.json["project"]["org_id"], "org-acme-1234");
    let solo = env.get("/projects/proj-solo-3456", "admin").await;
    assert_eq!(solo.status, 200);
    assert!(solo.json["project"].get("org_id").is_none());

    let table = [
        ("proj-alpha-5678", [200, 200, 200, 200]),
        ("proj-beta-9012", [200, 200, 200, 404]),
        ("proj-solo-3456", [200, 404, 404, 404]),
        ("proj-none-0000", [404, 404, 404, 404]),
    ];
    for (project, want) in table {
        for (who, status) in ["admin", "member", "org", "project"].iter().zip(want) {
            let r = env.get(&format!("/projects/{project}"), who).await;
            assert_eq!(r.status, status, "{who} GET /projects/{project}");
        }
    }
    let out = env.get("/projects/proj-beta-9012", "project").await;
    assert_eq!(
        out.json["message"],
        "not allowed to perform actions outside the project this key is scoped to; subject_project_id:\"proj-alpha-5678\""
    );
    assert_eq!(env.get("/projects/Bad_Id", "admin").await.status, 400);
}

#[tokio::test]
async fn permission_table() {
    let env = Env::new().await;
    let who = [
        "admin", "member", "org", "project", "revoked", "none", "unknown",
    ];
    let body = r#"{"key_name":"perm"}"#;
    let table: [(&str, &str, Option<&str>, [u16; 7]); 10] = [
        (
            "GET",
            "/api_keys",
            None,
            [200, 200, 403, 404, 401, 401, 401],
        ),
        (
            "POST",
            "/api_keys",
            Some(body),
            [200, 200, 403, 403, 401, 401, 401],
        ),
        (
            "DELETE",
            "/api_keys/999999",
            None,
            [404, 404, 403, 404, 401, 401, 401],
        ),
        ("GET", ORG, None, [200, 403, 200, 404, 401, 401, 401]),
        ("POST", ORG, Some(body), [200, 403, 403, 403, 401, 401, 401]),
        (
            "DELETE",
            "/organizations/org-acme-1234/api_keys/999999",
            None,
            [404, 403, 404, 404, 401, 401, 401],
        ),
        (
            "GET",
            "/organizations/org-other-9999/api_keys",
            None,
            [404, 404, 404, 404, 401, 401, 401],
        ),
        ("GET", "/auth", None, [200, 200, 200, 200, 401, 401, 401]),
        (
            "GET",
            "/projects/proj-alpha-5678",
            None,
            [200, 200, 200, 200, 401, 401, 401],
        ),
        (
            "GET",
            "/projects/proj-beta-9012",
            None,
            [200, 200, 200, 404, 401, 401, 401],
        ),
    ];
    for (method, path, body, want) in table {
        for (w, status) in who.iter().zip(want) {
            let r = env.call(method, path, w, body).await;
            assert_eq!(
                r.status.as_u16(),
                status,
                "{w} {method} {path}: {:?}",
                r.json
            );
            if status != 200 {
                assert_eq!(r.json["code"], "", "{w} {method} {path}");
                assert!(r.json["message"].as_str().is_some_and(|m| !m.is_empty()));
                assert!(r.json["request_id"].is_string());
            }
        }
    }
    let r = env.get("/api_keys", "org").await;
    assert_eq!(
        r.json["message"],
        "personal API key required for this action"
    );
    let r = env.get(ORG, "project").await;
    assert!(r.json["message"]
        .as_str()
        .unwrap()
        .contains("subject_project_id:\"proj-alpha-5678\""));
}

#[tokio::test]
async fn validation_errors() {
    let env = Env::new().await;
    let bad = |r: &common::Resp, what: &str| {
        assert_eq!(r.status, 400, "{what}: {:?}", r.json);
        assert!(
            r.json["message"]
                .as_str()
                .unwrap()
                .starts_with("invalid request: "),
            "{what}"
        );
    };
    for path in ["/api_keys", ORG] {
        bad(
            &env.post(path, "admin", r#"{"key_name":""}"#).await,
            "empty name",
        );
        let long = format!(r#"{{"key_name":"{}"}}"#, "x".repeat(65));
        bad(&env.post(path, "admin", &long).await, "65 chars");
        let max = format!(r#"{{"key_name":"{}"}}"#, "x".repeat(64));
        assert_eq!(
            env.post(path, "admin", &max).await.status,
            200,
            "64 chars is fine"
        );
        bad(&env.post(path, "admin", r#"{}"#).await, "missing name");
        bad(
            &env.post(path, "admin", r#"{"key_name":5}"#).await,
            "number name",
        );
        let r = env.post(path, "admin", r#"{"key_name":"#).await;
        bad(&r, "bad json");
        assert!(r.json["message"]
            .as_str()
            .unwrap()
            .starts_with("invalid request: decode application/json: "));
        bad(&env.post(path, "admin", "").await, "empty body");
    }
    bad(
        &env.get("/organizations/ORG_BAD/api_keys", "admin").await,
        "bad org id",
    );
    let long_org = format!("/organizations/{}/api_keys", "a".repeat(61));
    bad(&env.get(&long_org, "admin").await, "61-char org id");
    bad(
        &env.delete("/api_keys/abc", "admin").await,
        "non-integer key id",
    );
    bad(
        &env.post(ORG, "admin", r#"{"key_name":"k","project_id":"Bad!"}"#)
            .await,
        "bad project id",
    );
    let other = env
        .post(
            ORG,
            "admin",
            r#"{"key_name":"k","project_id":"proj-solo-3456"}"#,
        )
        .await;
    assert_eq!(other.status, 404, "project outside the org");
    let nf = env.get("/nope", "admin").await;
    assert_eq!(nf.status, 404);
    assert_eq!(nf.json["code"], "");
    assert_eq!(
        env.call("PUT", "/api_keys", "admin", None).await.status,
        405
    );
}

#[tokio::test]
async fn request_ids_are_echoed() {
    let env = Env::new().await;
    let url = format!("{}/api_keys/424242", env.emu.base_url());
    let r = env
        .http
        .delete(url)
        .bearer_auth(env.secret("admin"))
        .header("X-Request-ID", "my-request-1")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-neon-ret-request-id"], "my-request-1");
    let r = common::read(r).await;
    assert_eq!(r.json["request_id"], "my-request-1");

    let r = env.get("/api_keys", "none").await;
    let id = r.headers["x-neon-ret-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(id.len(), 36, "a fresh uuid");
    assert_eq!(r.json["request_id"], id.as_str());
    assert!(env
        .get("/auth", "admin")
        .await
        .headers
        .contains_key("x-neon-ret-request-id"));
}

#[tokio::test]
async fn new_secrets_are_distinct() {
    let env = Env::new().await;
    let mut seen = std::collections::HashSet::new();
    for i in 0..20 {
        let r = env
            .post("/api_keys", "admin", &format!(r#"{{"key_name":"k{i}"}}"#))
            .await;
        let s = r.json["key"].as_str().unwrap().to_owned();
        assert!(is_secret(&s));
        assert!(seen.insert(s));
    }
}
