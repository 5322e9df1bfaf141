//! A tour against the embedded emulator: create → list → rotate (two-phase, into a store) → audit → revoke.
//!
//! Run: `cargo run -p neon-api-keys --example demo`. Secrets print as `[REDACTED]`.

use neon_api_keys::{ApiKeySecret, Client, RotateOptions};
use neon_api_keys_emulator::Emulator;
use std::sync::Mutex;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start().await;
    let client = Client::builder()
        .base_url(emulator.base_url())
        .api_key(emulator.seed().keys.admin.as_str())
        .build()?;

    let key = client.create_api_key("demo-deploy").await?;
    println!("created  {} {:?} secret={}", key.id, key.name, key.key);
    // Where the application keeps its key (a secret manager, the OS keychain, ...).
    let vault: Mutex<Option<ApiKeySecret>> = Mutex::new(Some(key.key.clone()));

    let keys = client.list_api_keys().await?;
    println!(
        "listed   {} keys: {:?}",
        keys.len(),
        keys.iter().map(|k| &k.name).collect::<Vec<_>>()
    );

    // The old key is revoked only after the store has the new one: nobody is locked out.
    let rotation = client
        .rotate_api_key(key.id, RotateOptions::new(), |new_key| {
            let stored = vault.lock().map(|mut slot| *slot = Some(new_key.key));
            async move { stored.map_err(|_| std::io::Error::other("the vault is poisoned")) }
        })
        .await?;
    println!(
        "rotated  {} -> {} {:?} (old revoked: {})",
        key.id,
        rotation.new_key.id,
        rotation.new_key.name,
        rotation.is_complete()
    );

    let a_day_ago = chrono::Utc::now() - chrono::Duration::days(1);
    let unused = client.unused_api_keys(Some(a_day_ago)).await?;
    println!(
        "unused   since a day ago: {:?}",
        unused.iter().map(|k| (k.id, &k.name)).collect::<Vec<_>>()
    );

    let revoked = client.revoke_api_key(rotation.new_key.id).await?;
    println!("revoked  {} {:?}", revoked.id, revoked.name);

    match client.revoke_api_key(revoked.id).await {
        Ok(_) => println!("revoked twice?"),
        Err(e) => println!("again    {} (kind {})", e, e.kind()),
    }
    Ok(())
}
