#!/usr/bin/env bash
# Build and test the Swift binding end to end:
#   0. tests/test-debian-mirror.sh: how ensure-swift.sh picks the Debian mirror (fixtures; no network, no Swift);
#   1. cargo build the Rust library (neon-api-keys-swift), the bindgen and the emulator;
#   2. check that the committed generated Swift sources are fresh (generate.sh --check);
#   3. cargo test + clippy for the binding crate;
#   4. `swift test` (XCTest suites + the conformance runner), inside the trixie chroot on Debian
#      (in-swift.sh, built on first use by ensure-swift.sh) or directly where `swift` is on PATH.
#
#   bindings-swift/scripts/test.sh [extra swift test args, e.g. --filter ConformanceTests]
#
# Environment: CONFORMANCE_FILTER (only some conformance cases), CONFORMANCE_VERBOSE=1 (progress on stderr),
# CARGO_TARGET_DIR (bound into the chroot when outside the checkout), SWIFT_CHROOT and SWIFT_DEBIAN_MIRROR
# (see ensure-swift.sh).
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
pkg_dir="$(cd "$script_dir/.." && pwd -P)"
repo_root="$(cd "$pkg_dir/.." && pwd -P)"
cd "$repo_root"

target_dir="${CARGO_TARGET_DIR:-$repo_root/target}"
case "$target_dir" in /*) ;; *) target_dir="$repo_root/$target_dir" ;; esac
export NEON_API_KEYS_RUST_LIB_DIR="$target_dir/debug"
export NEON_EMULATOR_BIN="${NEON_EMULATOR_BIN:-$target_dir/debug/neon-api-keys-emulator}"
case "$target_dir/" in
    "$repo_root"/*) ;;
    *) export SWIFT_CHROOT_BINDS="${SWIFT_CHROOT_BINDS:+$SWIFT_CHROOT_BINDS:}$target_dir" ;;
esac

echo "== Debian mirror selection (debian-mirror.sh on fixtures)"
"$script_dir/tests/test-debian-mirror.sh"

echo "== cargo build (binding, bindgen, emulator)"
cargo build -p neon-api-keys-swift -p uniffi-bindgen -p neon-api-keys-emulator

echo "== generated Swift sources are fresh"
"$script_dir/generate.sh" --check --no-build

echo "== cargo test + clippy (neon-api-keys-swift)"
cargo test -q -p neon-api-keys-swift
cargo clippy -q -p neon-api-keys-swift -p uniffi-bindgen --all-targets --no-deps -- -D warnings

echo "== swift test"
"$script_dir/in-swift.sh" swift test --package-path "$pkg_dir" "$@"
