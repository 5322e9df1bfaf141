//! Transport failures keep their underlying cause as `source()`, without the URL, so bindings can chain it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use neon_api_keys::{Client, ErrorKind};
use std::error::Error as _;

#[tokio::test]
async fn connection_refused_has_a_source_without_the_url() {
    // Port 9 (discard) is closed on loopback here: the connect is refused.
    let client = Client::builder()
        .api_key("k".repeat(64))
        .base_url("http://127.0.0.1:9/api/v2?token=query-secret")
        .max_retries(0)
        .build();
    let client = match client {
        Ok(c) => c,
        Err(e) => {
            // A base URL with a query may be refused outright; that error must not echo it either.
            assert!(!e.to_string().contains("query-secret"));
            Client::builder()
                .api_key("k".repeat(64))
                .base_url("http://127.0.0.1:9/api/v2")
                .max_retries(0)
                .build()
                .unwrap()
        }
    };
    let err = client.list_api_keys().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    let source = err.source().expect("a network error carries its cause");
    let text = source.to_string();
    assert!(!text.is_empty());
    assert!(
        !text.contains("127.0.0.1:9/api"),
        "the cause must not echo the URL: {text}"
    );
    assert!(!text.contains(&"k".repeat(64)));
}
