//! Two-phase rotation that cannot lock anyone out: the old key is revoked only after the caller's store has
//! the new key (and, with `wait_for_use`, only once the new key is seen in use); a failing or cancelled store
//! leaves the old key live and the new one revoked.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{unique, Harness};
use neon_api_keys::{
    ApiKeySecret, CallOptions, CancellationToken, Client, CreatedApiKey, ErrorKind, RotateError,
    RotateOptions,
};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A store that keeps the key, and how many requests the emulator had seen when it was called.
#[derive(Clone, Default)]
struct Vault {
    key: Arc<Mutex<Option<CreatedApiKey>>>,
}

impl Vault {
    fn secret(&self) -> Option<ApiKeySecret> {
        self.key.lock().unwrap().as_ref().map(|k| k.key.clone())
    }
}

async fn rotate_into(
    c: &Client,
    old: i64,
    options: RotateOptions,
    vault: &Vault,
) -> Result<neon_api_keys::Rotation, RotateError<std::io::Error>> {
    let vault = vault.clone();
    c.rotate_api_key(old, options, move |key| async move {
        *vault.key.lock().unwrap() = Some(key);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn the_old_key_is_revoked_only_after_the_store_has_the_new_one() {
    let h = Harness::start().await;
    let c = h.admin();
    let old = c.create_api_key(&unique("old")).await.unwrap();
    let requests_at_store = Arc::new(Mutex::new(Vec::new()));
    let seen = requests_at_store.clone();
    let emu_control = h.emu.control_url().to_string();
    let stored: Arc<Mutex<Option<CreatedApiKey>>> = Arc::default();
    let slot = stored.clone();
    let rotation = c
        .rotate_api_key(old.id, RotateOptions::new(), move |key| async move {
            let log: serde_json::Value = reqwest::get(format!("{emu_control}/requests"))
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            *seen.lock().unwrap() = log.as_array().unwrap().clone();
            *slot.lock().unwrap() = Some(key);
            Ok::<(), std::io::Error>(())
        })
        .await
        .unwrap();
    // When the store ran: the old key was listed, the new key created and checked with its own secret, and
    // nothing was revoked yet.
    let at_store = requests_at_store.lock().unwrap().clone();
    let steps: Vec<String> = at_store
        .iter()
        .skip(1) // the create of the old key
        .map(|r| {
            format!(
                "{} {}",
                r["method"].as_str().unwrap(),
                r["path"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(steps, ["GET /api_keys", "POST /api_keys", "GET /auth"]);
    assert_eq!(at_store.last().unwrap()["key_id"], rotation.new_key.id);
    assert!(rotation.is_complete());
    assert_eq!(rotation.old_key_id, old.id);
    assert!(!h.is_live(old.id).await);
    let stored = stored.lock().unwrap().take().unwrap();
    assert_eq!(stored.id, rotation.new_key.id);
    assert_eq!(stored.key.expose_secret().len(), 64);
    assert!(h.is_live(stored.id).await);
}

#[tokio::test]
async fn without_a_name_the_new_one_is_minted_like_the_cli_and_twice_a_second_works() {
    let h = Harness::start().await;
    let c = h.admin();
    let old = c.create_api_key("deploy").await.unwrap();
    let vault = Vault::default();
    let first = rotate_into(&c, old.id, RotateOptions::new(), &vault)
        .await
        .unwrap();
    let second = rotate_into(&c, first.new_key.id, RotateOptions::new(), &vault)
        .await
        .unwrap();
    for name in [&first.new_key.name, &second.new_key.name] {
        let (base, rest) = name.split_at("deploy".len());
        assert_eq!(base, "deploy");
        assert_eq!(rest.len(), 22, "{name}");
        assert!(
            rest.starts_with('-') && rest.as_bytes()[9] == b'T',
            "{name}"
        );
    }
    assert_ne!(first.new_key.name, second.new_key.name);
    assert!(second.is_complete());
    assert!(h.is_live(second.new_key.id).await);
}

#[tokio::test]
async fn a_failing_store_revokes_the_new_key_and_keeps_the_old_one() {
    let h = Harness::start().await;
    let c = h.admin();
    let old = c.create_api_key(&unique("old")).await.unwrap();
    let handed = Arc::new(Mutex::new(None));
    let seen = handed.clone();
    let e = c
        .rotate_api_key(old.id, RotateOptions::new(), move |key| async move {
            *seen.lock().unwrap() = Some(key.id);
            Err(std::io::Error::other("the disk is full"))
        })
        .await
        .unwrap_err();
    let RotateError::Store(failed) = &e else {
        panic!("{e}")
    };
    assert_eq!(failed.error.to_string(), "the disk is full");
    assert!(failed.new_key_revoked);
    assert_eq!(Some(failed.new_key_id), *handed.lock().unwrap());
    assert!(!h.is_live(failed.new_key_id).await);
    assert!(h.is_live(old.id).await);
    assert!(e.store_note().unwrap().contains("old key stays live"));
}

#[tokio::test]
async fn a_failing_store_whose_cleanup_fails_says_a_live_key_remains() {
    let h = Harness::start().await;
    let c = h
        .builder(&h.emu.seed().keys.admin)
        .max_retries(0)
        .build()
        .unwrap();
    let old = c.create_api_key(&unique("old")).await.unwrap();
    h.fault(
        json!({"method": "DELETE", "path": "/api_keys/*", "times": 0,
        "action": {"type": "respond", "status": 500}}),
    )
    .await;
    let e = c
        .rotate_api_key(old.id, RotateOptions::new(), |_| async {
            Err(std::io::Error::other("no"))
        })
        .await
        .unwrap_err();
    let RotateError::Store(failed) = &e else {
        panic!("{e}")
    };
    assert!(!failed.new_key_revoked);
    assert_eq!(
        failed.revoke_error.as_ref().unwrap().kind(),
        ErrorKind::Server
    );
    assert!(h.is_live(failed.new_key_id).await);
    assert!(e.to_string().contains("a live key remains"), "{e}");
    assert!(h.is_live(old.id).await);
}

#[tokio::test]
async fn cancelling_while_the_store_runs_revokes_the_new_key() {
    let h = Harness::start().await;
    let token = CancellationToken::new();
    let c = h
        .admin()
        .with_options(CallOptions::new().cancellation(token.clone()));
    let old = c.create_api_key(&unique("old")).await.unwrap();
    let cancel = token.clone();
    let e = c
        .rotate_api_key(old.id, RotateOptions::new(), move |_key| async move {
            cancel.cancel();
            std::future::pending::<Result<(), std::io::Error>>().await
        })
        .await
        .unwrap_err();
    let error = e.neon().unwrap();
    assert_eq!(error.kind(), ErrorKind::Cancelled);
    assert!(error.message().contains("was revoked"), "{error}");
    assert!(h.is_live(old.id).await);
    let state = h.state().await;
    let live: Vec<_> = state["api_keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["revoked"] != true && k["id"].as_i64() > Some(old.id))
        .collect();
    assert!(live.is_empty(), "the new key was revoked: {live:?}");
}

#[tokio::test]
async fn a_slow_revoke_after_the_store_locks_nobody_out() {
    // The caller's deadline passes while the old key's revoke is slow: the new key is already stored.
    let h = Harness::start().await;
    let c = h
        .admin()
        .with_options(CallOptions::new().timeout(Duration::from_millis(400)));
    let old = c.create_api_key(&unique("old")).await.unwrap();
    h.fault(
        json!({"method": "DELETE", "path": "/api_keys/*", "times": 0,
        "action": {"type": "delay", "ms": 2000}}),
    )
    .await;
    let vault = Vault::default();
    let rotation = rotate_into(&c, old.id, RotateOptions::new(), &vault)
        .await
        .unwrap();
    assert!(!rotation.is_complete());
    assert_eq!(
        rotation.revoke_error.as_ref().unwrap().kind(),
        ErrorKind::Timeout
    );
    let secret = vault.secret().unwrap();
    let with_new_key = h.builder(secret.expose_secret()).build().unwrap();
    assert!(
        with_new_key.auth_details().await.is_ok(),
        "the stored key works"
    );
}

#[tokio::test]
async fn a_new_key_that_does_not_authenticate_is_revoked_before_the_store() {
    let h = Harness::start().await;
    let c = h.admin();
    let old = c.create_api_key(&unique("old")).await.unwrap();
    h.fault(json!({"method": "GET", "path": "/auth",
        "action": {"type": "respond", "status": 401, "json": {"code": "", "message": "authentication required"}}}))
        .await;
    let called = Arc::new(Mutex::new(false));
    let flag = called.clone();
    let e = c
        .rotate_api_key(old.id, RotateOptions::new(), move |_| async move {
            *flag.lock().unwrap() = true;
            Ok::<(), std::io::Error>(())
        })
        .await
        .unwrap_err();
    let error = e.neon().unwrap();
    assert_eq!(error.kind(), ErrorKind::VerificationFailed, "{error}");
    let v = error.verification().unwrap();
    assert!(v.revoked);
    assert!(!h.is_live(v.key_id).await);
    assert!(
        !*called.lock().unwrap(),
        "the store never saw a key that does not work"
    );
    assert!(h.is_live(old.id).await);
}

#[tokio::test]
async fn wait_for_use_leaves_the_old_key_live_until_the_new_one_is_used() {
    let h = Harness::start().await;
    let c = h.admin();
    let options = || {
        RotateOptions::new()
            .wait_for_use(Duration::from_millis(300))
            .poll_interval(Duration::from_millis(50))
    };
    // Nobody uses the new key: the old one stays live and the result says so.
    let old = c.create_api_key(&unique("old")).await.unwrap();
    let vault = Vault::default();
    let rotation = rotate_into(&c, old.id, options(), &vault).await.unwrap();
    assert_eq!(rotation.new_key_seen_in_use, Some(false));
    assert!(!rotation.is_complete());
    assert!(h.is_live(old.id).await);
    assert!(h.is_live(rotation.new_key.id).await);

    // The application starts using the new key (a second later on Neon's clock): the old one goes.
    let old = c.create_api_key(&unique("old2")).await.unwrap();
    let base_url = h.emu.base_url().to_string();
    let rotation = c
        .rotate_api_key(
            old.id,
            options().wait_for_use(Duration::from_secs(5)),
            |key| {
                h.emu.set_clock_offset_ms(1_500);
                async move {
                    let app = Client::builder()
                        .base_url(base_url)
                        .api_key(key.key)
                        .build()
                        .unwrap();
                    app.auth_details().await.map(|_| ())
                }
            },
        )
        .await
        .unwrap();
    assert_eq!(rotation.new_key_seen_in_use, Some(true));
    assert!(rotation.is_complete());
    assert!(!h.is_live(old.id).await);
}

#[tokio::test]
async fn org_rotation_keeps_the_project_scope_and_unknown_ids_create_nothing() {
    let h = Harness::start().await;
    let c = h.org_client();
    let org = h.org_id();
    let project_key = h.emu.seed().ids.project;
    let rotation = c
        .rotate_org_api_key(
            &org,
            project_key,
            RotateOptions::new().new_name("rot"),
            |key| async move {
                assert_eq!(key.project_id.as_deref(), Some("proj-alpha-5678"));
                Ok::<(), std::io::Error>(())
            },
        )
        .await
        .unwrap();
    assert!(rotation.is_complete());
    assert_eq!(
        rotation.new_key.project_id.as_deref(),
        Some(h.emu.seed().project_id.as_str())
    );
    assert!(!h.is_live(project_key).await);

    let before = h.requests_to("POST", "/api_keys").await.len();
    let store = |_| async { Ok::<(), std::io::Error>(()) };
    let e = c
        .rotate_org_api_key(&org, 999_999, RotateOptions::new(), store)
        .await
        .unwrap_err();
    assert_eq!(e.neon().map(|e| e.kind()), Some(ErrorKind::NotFound));
    let e = c
        .rotate_api_key(999_999, RotateOptions::new(), store)
        .await
        .unwrap_err();
    assert_eq!(e.neon().map(|e| e.kind()), Some(ErrorKind::NotFound));
    assert_eq!(h.requests_to("POST", "/api_keys").await.len(), before);
}

#[tokio::test]
async fn an_org_key_cannot_rotate_and_nothing_changes() {
    let h = Harness::start().await;
    let org = h.org_id();
    let org_only = h.builder(&h.emu.seed().keys.org).build().unwrap();
    let store = |_| async { Ok::<(), std::io::Error>(()) };
    let e = org_only
        .rotate_org_api_key(&org, h.emu.seed().ids.project, RotateOptions::new(), store)
        .await
        .unwrap_err();
    let error = e.neon().unwrap();
    assert_eq!(error.kind(), ErrorKind::PermissionDenied);
    assert!(error.message().contains("personal API key"), "{error}");
    assert!(h.is_live(h.emu.seed().ids.project).await);
}
