#!/usr/bin/env bash
# Build and test the Swift package end to end:
#   0. tests/test-debian-mirror.sh: how ensure-swift.sh picks the Debian mirror (fixtures; no network, no Swift);
#   1. cargo build the Rust libraries (neon-api-keys-swift with the tests' hooks: feature test-hooks;
#      neon-api-keys-swift-testing), the bindgen and the emulator;
#   2. check that the committed generated Swift sources are fresh (generate.sh --check);
#   3. cargo test + clippy for the bridge crates (neon-api-keys-swift with and without the hooks);
#   4. in Swift (inside the trixie chroot on Debian: in-swift.sh, built on first use by ensure-swift.sh; directly
#      where `swift` is on PATH), with every compiler warning an error: `swift build` of every target, the DocC
#      check (check-docs.sh), what build-xcframework.sh packs and writes (check-xcframework.sh), `swift test`
#      (XCTest suites + the conformance runner) and the example against the in-process emulator.
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

# The library the Swift tests load carries the tests' hooks (a keychain that refuses saves, raw keychain entries);
# the XCFramework's crate (-apple) is built without them, in invocations of its own: cargo unifies the features of
# every package of one invocation.
crates=(-p neon-api-keys-swift -p neon-api-keys-swift-testing -p neon-api-keys-swift-test-hooks)
hooks=(--features neon-api-keys-swift/test-hooks)

echo "== cargo build (bridges with the tests' hooks, bindgen, emulator)"
cargo build "${crates[@]}" "${hooks[@]}" -p uniffi-bindgen -p neon-api-keys-emulator

echo "== generated Swift sources are fresh"
"$script_dir/generate.sh" --check --no-build

echo "== cargo test + clippy (neon-api-keys-swift with and without the hooks, -testing, -test-hooks, -apple)"
cargo test -q "${crates[@]}" "${hooks[@]}"
cargo test -q -p neon-api-keys-swift-apple
cargo clippy -q "${crates[@]}" "${hooks[@]}" -p uniffi-bindgen --all-targets --no-deps -- -D warnings
cargo clippy -q -p neon-api-keys-swift -p neon-api-keys-swift-apple --all-targets --no-deps -- -D warnings

export NEON_API_KEYS_SWIFT_WARNINGS_AS_ERRORS=1
echo "== swift build (every target, warnings are errors)"
"$script_dir/in-swift.sh" swift build --package-path "$pkg_dir" --build-tests

echo "== DocC (check-docs.sh: every public symbol documented, the catalogs build)"
"$script_dir/check-docs.sh"

echo "== XCFramework parts (check-xcframework.sh: headers, library, bridges, checksum, release manifest)"
"$script_dir/check-xcframework.sh"

echo "== swift test"
"$script_dir/in-swift.sh" swift test --skip-build --package-path "$pkg_dir" "$@"

echo "== example (neon-api-keys-example --emulator)"
"$script_dir/in-swift.sh" swift run --skip-build --package-path "$pkg_dir" neon-api-keys-example --emulator
