//! A tour against the embedded emulator: create → list → rotate → unused → revoke.
//!
//! Run: `cargo run -p neon-api-keys --example demo`. Secrets print as `[REDACTED]`.

use neon_api_keys::{Client, Result};
use neon_api_keys_emulator::Emulator;

#[tokio::main]
async fn main() -> Result<()> {
    let emulator = Emulator::start().await;
    let client = Client::builder()
        .base_url(emulator.base_url())
        .api_key(emulator.seed().keys.admin.as_str())
        .build()?;

    let key = client.create_api_key("demo-deploy").await?;
    println!("created  {} {:?} secret={}", key.id, key.name, key.key);

    let keys = client.list_api_keys().await?;
    println!(
        "listed   {} keys: {:?}",
        keys.len(),
        keys.iter().map(|k| &k.name).collect::<Vec<_>>()
    );

    let rotation = client.rotate_api_key(key.id, "demo-deploy-2").await?;
    println!(
        "rotated  {} -> {} (old revoked: {})",
        key.id,
        rotation.new_key.id,
        rotation.is_complete()
    );

    let unused = client.unused_api_keys(None).await?;
    println!(
        "unused   {:?}",
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
