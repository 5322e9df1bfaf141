//! The README's Rust quickstart, compiled by `cargo test` (and kept identical by `tests/readme.rs`).
//! It talks to Neon itself (`NEON_API_KEY`), so it is built, not run, by the tests.

use neon_api_keys::{Client, ErrorKind, Keychain, RotateOptions};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Against Neon: NEON_API_KEY (personal), NEON_ORG_API_KEY (org operations), NEON_API_HOST (optional).
    let client = Client::from_env()?;
    let key = client.create_api_key("ci-deploy").await?;
    println!("{key:?}"); // the secret prints as ApiKeySecret([REDACTED])

    // Keep it where the platform keeps secrets, and rotate it there in place: the entry gets the new key
    // before the old one is revoked.
    let entry = Keychain::new("my-app", "ci-deploy")?;
    entry.save(&key)?;
    let rotation = client
        .rotate_keychain_key(&entry, RotateOptions::new())
        .await?;
    println!("now {} ({})", rotation.new_key.name, rotation.new_key.id);

    // Audit: keys created more than a week ago and not used since.
    let week_ago = chrono::Utc::now() - chrono::Duration::days(7);
    for k in client.unused_api_keys(Some(week_ago)).await? {
        println!("unused: {} ({})", k.name, k.id);
    }
    match client.revoke_api_key(rotation.new_key.id).await {
        Err(e) if e.kind() == ErrorKind::NotFound => println!("already gone"),
        other => {
            other?;
        }
    }
    Ok(())
}
