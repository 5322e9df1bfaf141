//! Secret sweep: every path runs with tracing at TRACE into a buffer; no seeded, created or sentinel secret
//! may appear in the logs or in the Display/Debug of any value or error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{unique, Harness};
use neon_api_keys::{CallOptions, ErrorKind, RotateOptions};
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Not issued by the emulator: sent back by a fault, as if Neon echoed a secret.
const SENTINEL: &str = "sentinelsecretsentinelsecretsentinelsecretsentinelsecret12345678";

#[tokio::test]
async fn no_secret_in_logs_errors_or_values() {
    let logs = Buffer::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .try_init()
        .unwrap();

    let h = Harness::start().await;
    let seed = h.emu.seed().clone();
    let c = h.org_client();
    let mut shown: Vec<String> = vec![format!("{c:?}")];
    let mut show = |text: String| shown.push(text);

    // Every operation, successful.
    let keys = c.list_api_keys().await.unwrap();
    show(format!("{keys:?}"));
    let k = c.create_api_key(&unique("sweep")).await.unwrap();
    show(format!("{k:?} {}", k.key));
    show(format!("{:?}", c.revoke_api_key(k.id).await.unwrap()));
    show(format!(
        "{:?}",
        c.list_org_api_keys(&seed.org_id).await.unwrap()
    ));
    let o = c
        .create_org_api_key(&seed.org_id, &unique("sweep-org"), None)
        .await
        .unwrap();
    show(format!("{o:?}"));
    show(format!(
        "{:?}",
        c.revoke_org_api_key(&seed.org_id, o.id).await.unwrap()
    ));
    let p = c
        .create_project_api_key(&seed.project_id, &unique("sweep-p"))
        .await
        .unwrap();
    show(format!("{p:?}"));
    show(format!("{:?}", c.auth_details().await.unwrap()));
    show(format!(
        "{:?}",
        c.get_project(&seed.project_id).await.unwrap()
    ));
    let old = c.create_api_key(&unique("sweep-old")).await.unwrap();
    let stored_texts = std::sync::Mutex::new(Vec::new());
    let stored = &stored_texts;
    show(format!(
        "{:?}",
        c.rotate_api_key(
            old.id,
            RotateOptions::new().new_name(unique("sweep-new")),
            |key| async move {
                stored.lock().unwrap().push(format!("{key:?} {}", key.key));
                Ok::<(), std::io::Error>(())
            }
        )
        .await
        .unwrap()
    ));
    show(format!(
        "{:?}",
        c.rotate_org_api_key(&seed.org_id, p.id, RotateOptions::new(), |key| async move {
            stored.lock().unwrap().push(format!("{key:?}"));
            Ok::<(), std::io::Error>(())
        })
        .await
        .unwrap()
    ));
    for text in stored_texts.lock().unwrap().drain(..) {
        show(text);
    }
    show(format!("{:?}", c.unused_api_keys(None).await.unwrap()));
    show(format!(
        "{:?}",
        c.unused_org_api_keys(&seed.org_id, None).await.unwrap()
    ));

    // Failures.
    let mut errors = Vec::new();
    let revoked = h.builder(&seed.keys.revoked).build().unwrap();
    errors.push(revoked.list_api_keys().await.unwrap_err());
    h.fault(json!({"method": "POST", "path": "/api_keys", "action": {"type": "patch_json", "set": {"project_id": seed.project_id}}})).await;
    errors.push(c.create_api_key(&unique("sweep-v")).await.unwrap_err());
    h.fault(json!({"method": "POST", "path": "/api_keys", "action": {"type": "reset_after"}}))
        .await;
    errors.push(c.create_api_key(&unique("sweep-ou")).await.unwrap_err());
    h.fault(
        json!({"method": "POST", "path": "/api_keys", "action": {"type": "truncate", "bytes": 30}}),
    )
    .await;
    errors.push(c.create_api_key(&unique("sweep-tr")).await.unwrap_err());
    h.fault(json!({"method": "POST", "path": "/api_keys",
        "action": {"type": "respond", "status": 200, "json": {"id": "nope", "key": SENTINEL}}}))
        .await;
    errors.push(c.create_api_key(&unique("sweep-bad")).await.unwrap_err());
    h.fault(json!({"method": "POST", "path": "/api_keys",
        "action": {"type": "respond", "status": 200, "body": format!("{{\"id\":5,\"key\":\"{SENTINEL}\",")}}))
        .await;
    errors.push(c.create_api_key(&unique("sweep-cut")).await.unwrap_err());
    h.fault(json!({"method": "GET", "path": "/api_keys",
        "action": {"type": "respond", "status": 400, "json": {"code": "", "message": format!("bad key {}", seed.keys.admin)}}}))
        .await;
    errors.push(c.list_api_keys().await.unwrap_err());
    h.fault(json!({"method": "GET", "path": "/api_keys", "times": 2,
        "action": {"type": "respond", "status": 200, "body": format!("[{{\"id\":1,\"name\":\"{}\"", seed.keys.org)}}))
        .await;
    errors.push(c.list_api_keys().await.unwrap_err());
    errors.push(
        h.builder(&seed.keys.project)
            .build()
            .unwrap()
            .list_org_api_keys(&seed.org_id)
            .await
            .unwrap_err(),
    );
    errors.push(
        c.with_options(CallOptions::new().timeout(std::time::Duration::ZERO))
            .list_api_keys()
            .await
            .unwrap_err(),
    );
    assert!(errors.iter().any(|e| e.kind() == ErrorKind::OutcomeUnknown));
    assert!(errors
        .iter()
        .any(|e| e.kind() == ErrorKind::VerificationFailed));
    assert!(
        errors.iter().any(|e| e.message() == "bad key [REDACTED]"),
        "Neon's echo of a key is scrubbed"
    );
    for e in &errors {
        show(format!("{e} {e:?} {}", e.message()));
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            show(format!("{s} {s:?}"));
            source = s.source();
        }
    }

    let mut secrets = h.secrets().await;
    secrets.extend([
        seed.keys.admin.clone(),
        seed.keys.member.clone(),
        seed.keys.org.clone(),
        seed.keys.project.clone(),
        seed.keys.revoked.clone(),
        SENTINEL.to_string(),
    ]);
    assert!(secrets.len() > 10, "the sweep created keys");
    let log_text = String::from_utf8_lossy(&logs.0.lock().unwrap()).to_string();
    if std::env::var_os("SWEEP_SHOW_LOGS").is_some() {
        println!("{log_text}");
    }
    assert!(
        log_text.contains("neon_api_keys"),
        "tracing captured nothing"
    );
    for secret in &secrets {
        assert!(
            !log_text.contains(secret.as_str()),
            "a secret reached the logs"
        );
        for text in &shown {
            assert!(
                !text.contains(secret.as_str()),
                "a secret reached Display/Debug: {text}"
            );
        }
    }
    let chars: usize = shown.iter().map(String::len).sum::<usize>() + log_text.len();
    println!(
        "secrets sweep rust: {} secrets (seeded, created, sentinel), {} errors, {} texts + {} log bytes at TRACE, \
         {chars} chars scanned: 0 leaks",
        secrets.len(),
        errors.len(),
        shown.len(),
        log_text.len()
    );
}
