//! Credentials and base URL from the environment. One test function: the environment is process-wide.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::Harness;
use neon_api_keys::{AuthMethod, Client, ErrorKind};

const VARS: [&str; 4] = [
    "NEON_API_KEY",
    "NEON_ORG_API_KEY",
    "NEON_PROJECT_API_KEY",
    "NEON_API_HOST",
];

fn clear() {
    for v in VARS {
        std::env::remove_var(v);
    }
}

#[tokio::test]
async fn credentials_and_host_from_the_environment() {
    let h = Harness::start().await;
    let seed = h.emu.seed().clone();
    clear();
    std::env::set_var("NEON_API_HOST", h.emu.base_url());

    // Nothing configured: a Config error naming the variables, at first use.
    let c = Client::from_env().unwrap();
    assert_eq!(c.base_url(), h.emu.base_url());
    let e = c.list_api_keys().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(e.message().contains("NEON_API_KEY") && e.message().contains("NEON_ORG_API_KEY"));

    // Only a project-scoped key: it may read, but not manage keys.
    std::env::set_var("NEON_PROJECT_API_KEY", &seed.keys.project);
    let c = Client::builder()
        .from_env()
        .throttle(false)
        .build()
        .unwrap();
    assert_eq!(
        c.auth_details().await.unwrap().auth_method,
        AuthMethod::ApiKeyOrg
    );
    assert_eq!(
        c.get_project(&seed.project_id).await.unwrap().id,
        seed.project_id
    );
    for e in [
        c.list_api_keys().await.unwrap_err(),
        c.list_org_api_keys(&seed.org_id).await.unwrap_err(),
        c.create_project_api_key(&seed.project_id, "x")
            .await
            .unwrap_err(),
    ] {
        assert_eq!(e.kind(), ErrorKind::Config);
        assert!(e.message().contains("project-scoped"), "{e}");
    }

    // Org key for org ops, personal key for personal ops.
    std::env::set_var("NEON_ORG_API_KEY", &seed.keys.org);
    std::env::set_var("NEON_API_KEY", &seed.keys.member);
    let c = Client::builder()
        .from_env()
        .throttle(false)
        .build()
        .unwrap();
    c.list_org_api_keys(&seed.org_id).await.unwrap(); // the member could not; the org key can
    assert_eq!(
        c.auth_details().await.unwrap().auth_method,
        AuthMethod::ApiKeyUser
    );
    let reqs = h
        .requests_to("GET", "/organizations/org-acme-1234/api_keys")
        .await;
    assert_eq!(reqs.last().unwrap()["auth"], "org");

    // Explicit settings win over the environment.
    let c = Client::builder()
        .from_env()
        .api_key(seed.keys.admin.as_str())
        .base_url("http://127.0.0.1:9/api/v2")
        .build()
        .unwrap();
    assert_eq!(c.base_url(), "http://127.0.0.1:9/api/v2");

    // Without from_env() the environment is not read.
    let c = Client::builder()
        .base_url(h.emu.base_url())
        .build()
        .unwrap();
    assert_eq!(
        c.list_api_keys().await.unwrap_err().kind(),
        ErrorKind::Config
    );

    // A remote http host from the environment is refused like an explicit one.
    std::env::set_var("NEON_API_HOST", "http://neon.example.com/api/v2");
    assert_eq!(Client::from_env().unwrap_err().kind(), ErrorKind::Config);
    clear();
}
