//! The static library of the Swift package's XCFramework: both uniffi bridges in one archive.
//!
//! Apple apps link the Rust code statically. Two Rust static libraries in one binary each bring the Rust
//! runtime, so the release packs one archive holding the NeonApiKeys bridge (`neon-api-keys-swift`) and the
//! NeonApiKeysTesting bridge (`neon-api-keys-swift-testing`). The linker takes from an archive only the members
//! a binary uses, so an app that imports only NeonApiKeys does not link the emulator. On Linux the development
//! package links the two crates' shared libraries instead.

pub use neon_api_keys_swift as bridge;
pub use neon_api_keys_swift_testing as testing_bridge;
