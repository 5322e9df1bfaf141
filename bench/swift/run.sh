#!/usr/bin/env bash
# bench/swift/run.sh --prepare debug|release
# Builds the Swift driver (bench/swift, against bindings-swift and the Rust library of that profile) and prints
# the command line that runs it. Exits non-zero, with the reason as the last line on stderr, when no Swift
# toolchain is present (`make swift` installs one): Swift is optional in `make bench`.
set -euo pipefail
[ "${1:-}" = --prepare ] || { echo "usage: $0 --prepare debug|release" >&2; exit 2; }
PROFILE="${2:-release}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
IN_SWIFT="$ROOT/bindings-swift/scripts/in-swift.sh"
CHROOT="${SWIFT_CHROOT:-/var/cache/neon-api-keys/swift-chroot}"
if ! command -v swift >/dev/null 2>&1 && [ ! -e "$CHROOT/.neon-api-keys-swift-ready" ]; then
  echo "no Swift toolchain here (make swift installs one)" >&2
  exit 1
fi
[ -x "$IN_SWIFT" ] || { echo "bindings-swift/scripts/in-swift.sh is missing" >&2; exit 1; }
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] && [ "$PROFILE" = release ]; then  # debug: what `make test` built
  "${CARGO:-cargo}" build -q $([ "$PROFILE" = release ] && echo --release) -p neon-api-keys-swift >&2
fi
LIB_DIR="$ROOT/target/$PROFILE"
[ -e "$LIB_DIR/libneon_api_keys_swift.so" ] || [ -e "$LIB_DIR/libneon_api_keys_swift.dylib" ] ||
  { echo "the Swift binding's Rust library is not built in target/$PROFILE" >&2; exit 1; }
NEON_API_KEYS_RUST_LIB_DIR="$LIB_DIR" "$IN_SWIFT" swift build -c "$PROFILE" --package-path "$ROOT/bench/swift" \
  --scratch-path "$ROOT/target/bench-swift" >&2 || { echo "the Swift driver did not build" >&2; exit 1; }
echo "$IN_SWIFT $ROOT/target/bench-swift/$PROFILE/NeonBench"
