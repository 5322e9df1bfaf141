//! The log bridge bindings use: a retried call's events reach the sink with the retry's reason and wait and
//! the request id, and no secret is in any of them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::Harness;
use neon_api_keys::log::{set_log_sink, LogLevel, LogRecord, LogSink};
use serde_json::json;
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct Captured(Mutex<Vec<LogRecord>>);

impl LogSink for Captured {
    fn enabled(&self, level: LogLevel) -> bool {
        level >= LogLevel::Debug
    }
    fn log(&self, record: &LogRecord) {
        self.0.lock().unwrap().push(record.clone());
    }
}

#[tokio::test]
async fn a_retried_call_is_logged_without_secrets() {
    let sink = Arc::new(Captured::default());
    set_log_sink(sink.clone()).unwrap();
    let h = Harness::start().await;
    h.fault(json!({"method": "GET", "path": "/api_keys",
        "action": {"type": "respond", "status": 503, "headers": {"retry-after": "0"}}}))
        .await;
    let admin = h.admin();
    admin.list_api_keys().await.unwrap();
    let created = admin.create_api_key("logged").await.unwrap();

    let records = sink.0.lock().unwrap().clone();
    let retry = records
        .iter()
        .find(|r| r.message == "retrying")
        .expect("a retry record");
    assert_eq!(retry.level, LogLevel::Info);
    assert_eq!(retry.field("failure"), Some("status 503"), "{retry}");
    assert!(retry.field("wait_ms").is_some(), "{retry}");
    assert_eq!(retry.field("op"), Some("list_api_keys"));
    assert_eq!(retry.field("route"), Some("/api_keys"));
    assert!(retry.field("request_id").is_some_and(|id| id.len() == 36));
    let responses: Vec<&LogRecord> = records.iter().filter(|r| r.message == "response").collect();
    assert!(responses
        .iter()
        .any(|r| r.field("status") == Some("200") && r.field("elapsed_ms").is_some()));
    assert!(responses.iter().any(|r| r.field("method") == Some("POST")));

    let text: String = records.iter().map(|r| format!("{r}\n")).collect();
    for secret in [
        h.emu.seed().keys.admin.as_str(),
        created.key.expose_secret(),
    ] {
        assert!(!text.contains(secret), "a secret reached the log");
    }
    // A rotation's own steps carry its op and request id, once.
    let old = admin.create_api_key("rotated-logged").await.unwrap();
    admin
        .rotate_api_key(old.id, neon_api_keys::RotateOptions::new(), |_| async {
            Ok::<(), std::io::Error>(())
        })
        .await
        .unwrap();
    let records = sink.0.lock().unwrap().clone();
    let stored = records
        .iter()
        .find(|r| r.message == "rotation: the new key is stored")
        .expect("a rotation record");
    assert_eq!(stored.field("op"), Some("rotate_api_key"), "{stored}");
    assert!(stored.field("request_id").is_some(), "{stored}");
    assert_eq!(
        stored.fields.iter().filter(|(n, _)| n == "op").count(),
        1,
        "{stored}"
    );
    // Other crates' events never reach the sink.
    tracing::info!(target: "someone_else", "not ours");
    assert!(!sink
        .0
        .lock()
        .unwrap()
        .iter()
        .any(|r| r.message == "not ours"));
}
