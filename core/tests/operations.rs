//! Every operation, on the async and the blocking client, against the emulator.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{unique, Harness};
use neon_api_keys::{AuthMethod, ErrorKind, RotateOptions};

#[tokio::test]
async fn personal_keys_list_create_revoke() {
    let h = Harness::start().await;
    let c = h.admin();
    let keys = c.list_api_keys().await.unwrap();
    assert!(keys.iter().any(|k| k.id == h.emu.seed().ids.admin));
    let name = unique("ci");
    let created = c.create_api_key(&name).await.unwrap();
    assert_eq!(created.name, name);
    assert_eq!(created.key.expose_secret().len(), 64);
    assert!(created.project_id.is_none());
    assert!(created.created_by.is_some());
    let listed = c.list_api_keys().await.unwrap();
    let item = listed.iter().find(|k| k.id == created.id).unwrap();
    assert!(item.created_by.as_ref().unwrap().name.is_some());
    assert!(item.last_used_at.is_none());
    let revoked = c.revoke_api_key(created.id).await.unwrap();
    assert!(revoked.revoked);
    assert!(!h.is_live(created.id).await);
    let again = c.revoke_api_key(created.id).await.unwrap_err();
    assert_eq!(again.kind(), ErrorKind::NotFound);
    assert_eq!(again.status(), Some(404));
}

#[tokio::test]
async fn org_keys_list_create_revoke_and_project_scope() {
    let h = Harness::start().await;
    let c = h.org_client();
    let org = h.org_id();
    let keys = c.list_org_api_keys(&org).await.unwrap();
    let project_key = keys
        .iter()
        .find(|k| k.id == h.emu.seed().ids.project)
        .unwrap();
    assert_eq!(
        project_key.project_id.as_deref(),
        Some(h.emu.seed().project_id.as_str())
    );
    let wide = c
        .create_org_api_key(&org, &unique("wide"), None)
        .await
        .unwrap();
    assert!(wide.project_id.is_none());
    let scoped = c
        .create_org_api_key(&org, &unique("scoped"), Some(&h.emu.seed().project_id))
        .await
        .unwrap();
    assert_eq!(
        scoped.project_id.as_deref(),
        Some(h.emu.seed().project_id.as_str())
    );
    let r = c.revoke_org_api_key(&org, wide.id).await.unwrap();
    assert_eq!(r.id, wide.id);
    assert!(!h.is_live(wide.id).await);
    assert!(h.is_live(scoped.id).await);
}

#[tokio::test]
async fn project_scoped_key_via_project_lookup() {
    let h = Harness::start().await;
    let c = h.admin();
    let p = c.get_project(&h.emu.seed().project_id).await.unwrap();
    assert_eq!(p.org_id.as_deref(), Some(h.emu.seed().org_id.as_str()));
    let key = c
        .create_project_api_key(&h.emu.seed().project_id, &unique("proj"))
        .await
        .unwrap();
    assert_eq!(
        key.project_id.as_deref(),
        Some(h.emu.seed().project_id.as_str())
    );
    assert!(h.is_live(key.id).await);
    // A personal project has no organization: a clear error, nothing created.
    let err = c
        .create_project_api_key(&h.emu.seed().personal_project_id, "nope")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.message().contains("personal"));
    assert!(h.requests_to("POST", "/api_keys").await.len() == 1);
}

#[tokio::test]
async fn auth_details_for_each_key_type() {
    let h = Harness::start().await;
    let a = h.admin().auth_details().await.unwrap();
    assert_eq!(a.auth_method, AuthMethod::ApiKeyUser);
    let o = h
        .builder(&h.emu.seed().keys.org)
        .build()
        .unwrap()
        .auth_details()
        .await
        .unwrap();
    assert_eq!(o.auth_method, AuthMethod::ApiKeyOrg);
    let r = h
        .builder(&h.emu.seed().keys.revoked)
        .build()
        .unwrap()
        .auth_details()
        .await
        .unwrap_err();
    assert_eq!(r.kind(), ErrorKind::Auth);
}

#[tokio::test]
async fn unused_keys() {
    let h = Harness::start().await;
    let c = h.org_client();
    let fresh = c.create_api_key(&unique("fresh")).await.unwrap();
    let unused = c.unused_api_keys(None).await.unwrap();
    assert!(unused.iter().any(|k| k.id == fresh.id));
    // The admin key was just used by these calls: not unused, unless "since" is in the future.
    assert!(!unused.iter().any(|k| k.id == h.emu.seed().ids.admin));
    let later = chrono::Utc::now() + chrono::Duration::hours(1);
    let stale = c.unused_api_keys(Some(later)).await.unwrap();
    assert!(stale.iter().any(|k| k.id == h.emu.seed().ids.admin));
    // A key made after `since` is not "unused since": an audit sweep must never revoke a key made a second ago.
    let an_hour_ago = chrono::Utc::now() - chrono::Duration::hours(1);
    let audit = c.unused_api_keys(Some(an_hour_ago)).await.unwrap();
    assert!(!audit.iter().any(|k| k.id == fresh.id), "{audit:?}");
    let org_unused = c.unused_org_api_keys(&h.org_id(), None).await.unwrap();
    assert!(org_unused.iter().all(|k| k.last_used_at.is_none()));
}

#[tokio::test]
async fn neon_errors_are_classified() {
    let h = Harness::start().await;
    let member = h.builder(&h.emu.seed().keys.member).build().unwrap();
    let e = member.list_org_api_keys(&h.org_id()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied);
    let project = h.builder(&h.emu.seed().keys.project).build().unwrap();
    let e = project.list_org_api_keys(&h.org_id()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutsideProjectScope);
    let org_only = h.builder(&h.emu.seed().keys.org).build().unwrap();
    let e = org_only.list_api_keys().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PermissionDenied);
    let e = h
        .admin()
        .list_org_api_keys("org-nope-0000")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(e.request_id().is_some());
}

#[tokio::test]
async fn invalid_input_sends_nothing() {
    let h = Harness::start().await;
    let c = h.admin();
    let errs = vec![
        c.create_api_key("").await.unwrap_err(),
        c.create_api_key(&"x".repeat(65)).await.unwrap_err(),
        c.revoke_api_key(0).await.unwrap_err(),
        c.list_org_api_keys("Bad_Org").await.unwrap_err(),
        c.create_org_api_key("org-acme-1234", "n", Some("../x"))
            .await
            .unwrap_err(),
        c.create_project_api_key("proj/../x", "n")
            .await
            .unwrap_err(),
    ];
    let rotate = c
        .rotate_api_key(-1, RotateOptions::new(), |_| async {
            Ok::<(), std::io::Error>(())
        })
        .await
        .unwrap_err();
    let errs = errs.into_iter().chain(rotate.neon().cloned());
    for e in errs {
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
    }
    assert!(h.requests().await.is_empty());
}

#[test]
fn blocking_client_runs_every_operation() {
    let h = Harness::spawn();
    let seed = h.emu.seed().clone();
    let c = neon_api_keys::blocking::Client::from_builder(
        h.builder(&seed.keys.admin)
            .org_api_key(seed.keys.org.as_str()),
    )
    .unwrap();
    assert!(!c.list_api_keys().unwrap().is_empty());
    let k = c.create_api_key(&unique("b")).unwrap();
    assert_eq!(c.revoke_api_key(k.id).unwrap().id, k.id);
    assert!(!c.list_org_api_keys(&seed.org_id).unwrap().is_empty());
    let o = c
        .create_org_api_key(&seed.org_id, &unique("bo"), None)
        .unwrap();
    assert_eq!(c.revoke_org_api_key(&seed.org_id, o.id).unwrap().id, o.id);
    let p = c
        .create_project_api_key(&seed.project_id, &unique("bp"))
        .unwrap();
    assert_eq!(p.project_id.as_deref(), Some(seed.project_id.as_str()));
    assert_eq!(
        c.auth_details().unwrap().auth_method,
        AuthMethod::ApiKeyUser
    );
    assert_eq!(c.get_project(&seed.project_id).unwrap().id, seed.project_id);
    let old = c.create_api_key(&unique("bold")).unwrap();
    let mut stored = Vec::new();
    let rotation = c
        .rotate_api_key(old.id, RotateOptions::new(), |key| {
            stored.push(key);
            Ok::<(), std::io::Error>(())
        })
        .unwrap();
    assert!(rotation.is_complete());
    assert_eq!(stored[0].id, rotation.new_key.id);
    assert!(c
        .rotate_org_api_key(&seed.org_id, p.id, RotateOptions::new(), |_| Ok::<
            (),
            std::io::Error,
        >(()))
        .unwrap()
        .is_complete());
    let fresh = c.create_api_key(&unique("bu")).unwrap();
    assert!(c
        .unused_api_keys(None)
        .unwrap()
        .iter()
        .any(|k| k.id == fresh.id));
    c.unused_org_api_keys(&seed.org_id, None).unwrap();
}

#[tokio::test]
async fn blocking_client_inside_a_runtime_is_a_config_error() {
    let h = Harness::start().await;
    let c =
        neon_api_keys::blocking::Client::from_builder(h.builder(&h.emu.seed().keys.admin)).unwrap();
    let e = c.list_api_keys().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    drop(c); // must not panic inside the runtime
}
