//! Keys kept in the platform's keychain (here: the Linux kernel keyring): round trips, overwrite, delete,
//! missing and corrupted entries, a client reading its key from an entry, and rotation in place — including a
//! failing save, after which the entry and the old key are as they were.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{unique, Harness};
use neon_api_keys::{
    keychain_test_hooks, ApiKeySecret, Client, CreatedApiKey, ErrorKind, Keychain, RotateOptions,
};

/// An entry with a unique service name, deleted when dropped.
struct Entry(Keychain);

impl Entry {
    fn new() -> Entry {
        Entry(Keychain::new(unique("neon-api-keys-test"), "deploy").unwrap())
    }
}

impl Drop for Entry {
    fn drop(&mut self) {
        let _ = self.0.delete();
    }
}

fn key(id: i64, secret: &str, name: &str) -> CreatedApiKey {
    let mut key = CreatedApiKey::new(id, ApiKeySecret::new(secret), name);
    key.created_by = Some("11111111-1111-4111-8111-111111111111".to_string());
    key
}

#[test]
fn save_load_overwrite_delete() {
    let entry = Entry::new();
    let k = &entry.0;
    assert!(!k.exists().unwrap());
    assert!(
        k.load().unwrap().is_none(),
        "a missing entry is None, not an error"
    );
    assert!(!k.delete().unwrap());

    let mut first = key(5000, &"s".repeat(64), "ci");
    first.org_id = Some("org-acme-1234".to_string());
    first.project_id = Some("proj-alpha-5678".to_string());
    first.created_at = chrono::DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z")
        .ok()
        .map(|d| d.with_timezone(&chrono::Utc));
    k.save(&first).unwrap();
    assert!(k.exists().unwrap());
    let loaded = k.load().unwrap().unwrap();
    assert_eq!(loaded, first);
    assert!(
        !format!("{loaded:?} {k:?}").contains(&"s".repeat(64)),
        "Debug never shows the secret"
    );

    let second = key(5001, &"t".repeat(64), "ci-2");
    k.save(&second).unwrap();
    assert_eq!(
        k.load().unwrap().unwrap(),
        second,
        "a save replaces the entry"
    );
    // Another handle on the same entry sees it.
    let same = Keychain::new(k.service(), k.account()).unwrap();
    assert_eq!(same.load().unwrap().unwrap().id, 5001);

    assert!(k.delete().unwrap());
    assert!(!k.exists().unwrap());
    assert!(same.load().unwrap().is_none());
}

#[cfg(target_os = "linux")]
#[test]
fn a_corrupted_entry_is_a_clear_error_that_shows_nothing_it_holds() {
    use linux_keyutils::{KeyRing, KeyRingIdentifier};
    let entry = Entry::new();
    let description = format!("neon-api-keys:{}:{}", entry.0.service(), entry.0.account());
    let user = KeyRing::from_special_id(KeyRingIdentifier::User, true).unwrap();
    for raw in [
        "not json at all, hunter2-secret-value".to_string(),
        r#"{"version":1,"id":5,"name":"x"}"#.to_string(),
        r#"{"version":1,"id":5,"name":"x","key":"hunter2-secret-value","extra":true}"#.to_string(),
        r#"{"version":9,"id":5,"name":"x","key":"hunter2-secret-value"}"#.to_string(),
    ] {
        user.add_key(&description, raw.as_bytes()).unwrap();
        let error = entry.0.load().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Keychain, "{raw}");
        assert!(error.message().contains(Keychain::backend()), "{error}");
        assert!(!error.message().contains("hunter2"), "{error}");
    }
}

#[tokio::test]
async fn a_client_takes_its_key_from_the_entry_after_explicit_keys_and_the_environment() {
    let h = Harness::start().await;
    let entry = Entry::new();
    entry
        .0
        .save(&key(
            h.emu.seed().ids.admin,
            &h.emu.seed().keys.admin,
            "seed-admin",
        ))
        .unwrap();
    let from_keychain = Client::builder()
        .base_url(h.emu.base_url())
        .api_key_from_keychain(entry.0.service(), entry.0.account())
        .build()
        .unwrap();
    assert_eq!(
        from_keychain.auth_details().await.unwrap().account_id,
        h.emu.seed().users.admin
    );
    // An explicit key wins.
    let explicit = Client::builder()
        .base_url(h.emu.base_url())
        .api_key(h.emu.seed().keys.member.as_str())
        .api_key_from_keychain(entry.0.service(), entry.0.account())
        .build()
        .unwrap();
    assert_eq!(
        explicit.auth_details().await.unwrap().account_id,
        h.emu.seed().users.member
    );
    // An empty entry: the first call says which entry was empty.
    entry.0.delete().unwrap();
    let empty = Client::builder()
        .base_url(h.emu.base_url())
        .api_key_from_keychain(entry.0.service(), entry.0.account())
        .build()
        .unwrap();
    let error = empty.list_api_keys().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Config);
    assert!(error.message().contains(entry.0.service()), "{error}");
}

#[tokio::test]
async fn rotation_in_place_replaces_the_entry_and_the_clients_own_key() {
    let h = Harness::start().await;
    let admin = h.admin();
    let old = admin.create_api_key("app-key").await.unwrap();
    let entry = Entry::new();
    entry.0.save(&old).unwrap();
    // The client itself uses the key the entry holds.
    let client = h
        .builder(old.key.expose_secret())
        .api_key_from_keychain(entry.0.service(), entry.0.account())
        .build()
        .unwrap();
    let rotation = client
        .rotate_keychain_key(&entry.0, RotateOptions::new())
        .await
        .unwrap();
    assert!(rotation.is_complete());
    let held = entry.0.load().unwrap().unwrap();
    assert_eq!(held.id, rotation.new_key.id);
    assert!(held.name.starts_with("app-key-"), "{}", held.name);
    assert!(!h.is_live(old.id).await);
    assert!(h.is_live(held.id).await);
    // The client moved to the new key: it keeps working after its old key was revoked.
    assert!(client.list_api_keys().await.is_ok());
    // And again: rotating twice in a row works (derived names never collide).
    let again = client
        .rotate_keychain_key(&entry.0, RotateOptions::new())
        .await
        .unwrap();
    assert!(again.is_complete());
    assert_eq!(entry.0.load().unwrap().unwrap().id, again.new_key.id);
}

#[tokio::test]
async fn a_failing_save_leaves_the_entry_and_the_old_key_as_they_were() {
    let h = Harness::start().await;
    let admin = h.admin();
    let old = admin.create_api_key(&unique("org-app")).await.unwrap();
    let entry = Entry::new();
    entry.0.save(&old).unwrap();
    keychain_test_hooks::refuse_next_saves(1);
    let error = admin
        .rotate_keychain_key(&entry.0, RotateOptions::new())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Keychain);
    assert!(error.message().contains("was revoked"), "{error}");
    let held = entry.0.load().unwrap().unwrap();
    assert_eq!(held.id, old.id, "the entry still holds the old key");
    assert_eq!(held.key, old.key);
    assert!(h.is_live(old.id).await, "the old key stays live");
    let state = h.state().await;
    let new_live: Vec<_> = state["api_keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["id"].as_i64() > Some(old.id) && k["revoked"] != true)
        .collect();
    assert!(new_live.is_empty(), "the new key was revoked: {new_live:?}");
}

#[tokio::test]
async fn an_org_key_in_the_entry_is_rotated_as_an_org_key_keeping_its_scope() {
    let h = Harness::start().await;
    let admin = h.admin();
    let org = h.org_id();
    let scoped = admin
        .create_org_api_key(&org, "scoped-app", Some(&h.emu.seed().project_id))
        .await
        .unwrap();
    assert_eq!(scoped.org_id.as_deref(), Some(org.as_str()));
    let entry = Entry::new();
    entry.0.save(&scoped).unwrap();
    let rotation = admin
        .rotate_keychain_key(&entry.0, RotateOptions::new())
        .await
        .unwrap();
    let held = entry.0.load().unwrap().unwrap();
    assert_eq!(
        held.project_id.as_deref(),
        Some(h.emu.seed().project_id.as_str())
    );
    assert_eq!(held.org_id.as_deref(), Some(org.as_str()));
    assert_eq!(rotation.new_key.id, held.id);
    assert!(!h.is_live(scoped.id).await);
    // An empty entry has nothing to rotate.
    entry.0.delete().unwrap();
    let error = admin
        .rotate_keychain_key(&entry.0, RotateOptions::new())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound);
}
