//! `uniffi-bindgen`, built from the workspace's pinned uniffi so the generated Swift always matches the
//! scaffolding compiled into `neon-api-keys-swift`. Used by `bindings-swift/scripts/generate.sh`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
