//! Hooks for the SDK's own tests and the bindings' test builds (feature `test-hooks`, never in a release
//! artifact).

use crate::{Error, ErrorKind};
use std::fmt;

/// A stand-in for the I/O or TLS error under a core error: a text and an optional source.
#[derive(Debug)]
struct TestCause {
    text: String,
    source: Option<Box<TestCause>>,
}

impl fmt::Display for TestCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::error::Error for TestCause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// A core error of the kind named `kind` (`internal` when unknown) with `message`, whose source chain has these
/// texts (outermost first): how a binding's tests reach its error conversion without a real failure.
pub fn error_with_causes(kind: &str, message: impl Into<String>, causes: Vec<String>) -> Error {
    let kind = ErrorKind::from_name(kind).unwrap_or(ErrorKind::Internal);
    let chain = causes.into_iter().rev().fold(None, |source, text| {
        Some(Box::new(TestCause { text, source }))
    });
    let error = Error::new(kind, message);
    match chain {
        Some(cause) => error.with_source(*cause),
        None => error,
    }
}
