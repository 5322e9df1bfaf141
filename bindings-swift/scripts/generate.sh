#!/usr/bin/env bash
# Regenerate the uniffi bridges of the Swift package from the built Rust libraries, into their committed
# locations (the hand-written public API in Sources/NeonApiKeys and Sources/NeonApiKeysTesting sits on them):
#   Sources/NeonApiKeysBridge/NeonApiKeysBridge.swift                (from neon-api-keys-swift)
#   Sources/NeonApiKeysFFI/{NeonApiKeysFFI.h,module.modulemap}
#   Sources/NeonApiKeysTestingBridge/NeonApiKeysTestingBridge.swift  (from neon-api-keys-swift-testing)
#   Sources/NeonApiKeysTestingFFI/{NeonApiKeysTestingFFI.h,module.modulemap}
#   Tests/NeonApiKeysTestHooksBridge/NeonApiKeysTestHooksBridge.swift  (from neon-api-keys-swift-test-hooks, which
#   Tests/NeonApiKeysTestHooksFFI/{NeonApiKeysTestHooksFFI.h,module.modulemap}  the tests' library links)
#
#   generate.sh            build (debug) and regenerate in place
#   generate.sh --check    build and fail if the committed copies differ from fresh output
#   --no-build             use the libraries already in the target directory
#
# Needs only cargo (no Swift toolchain): uniffi-bindgen reads the metadata compiled into each library.
# Formatting is disabled (--no-format) so the output is the same with or without swift-format installed.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
pkg_dir="$(cd "$script_dir/.." && pwd -P)"
repo_root="$(cd "$pkg_dir/.." && pwd -P)"
target_dir="${CARGO_TARGET_DIR:-$repo_root/target}"
case "$target_dir" in /*) ;; *) target_dir="$repo_root/$target_dir" ;; esac

check=0
build=1
for arg in "$@"; do
    case "$arg" in
        --check) check=1 ;;
        --no-build) build=0 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "generate.sh: unknown argument $arg" >&2; exit 2 ;;
    esac
done

cd "$repo_root"
if [ "$build" = 1 ]; then
    # With the tests' hooks: their bridge is generated from the same library (the other bridges do not change).
    cargo build --quiet -p neon-api-keys-swift --features neon-api-keys-swift/test-hooks \
        -p neon-api-keys-swift-testing -p uniffi-bindgen
fi

case "$(uname -s)" in
    Darwin) dylib=dylib ;;
    *) dylib=so ;;
esac
bindgen="$target_dir/debug/uniffi-bindgen"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

files=()
# <library stem> <Swift bridge module> <C module> [<directory>]: one uniffi bridge (each crate's uniffi.toml
# names the modules), copied under <directory> (default Sources).
generate() {
    local lib="$target_dir/debug/lib$1.$dylib" swift_module="$2" ffi_module="$3" dir="${4:-Sources}"
    for f in "$lib" "$bindgen"; do
        [ -e "$f" ] || { echo "generate.sh: $f is missing (run without --no-build)" >&2; exit 1; }
    done
    [ -d "$out/raw/$1" ] || "$bindgen" generate --library "$lib" --language swift --no-format --out-dir "$out/raw/$1" >/dev/null
    [ -e "$out/raw/$1/$swift_module.swift" ] \
        || { echo "generate.sh: $lib holds no $swift_module (built without the feature test-hooks?)" >&2; exit 1; }
    mkdir -p "$out/tree/$dir/$swift_module" "$out/tree/$dir/$ffi_module"
    cp "$out/raw/$1/$swift_module.swift" "$out/tree/$dir/$swift_module/$swift_module.swift"
    cp "$out/raw/$1/$ffi_module.h" "$out/tree/$dir/$ffi_module/$ffi_module.h"
    cp "$out/raw/$1/$ffi_module.modulemap" "$out/tree/$dir/$ffi_module/module.modulemap"
    files+=(
        "$dir/$swift_module/$swift_module.swift"
        "$dir/$ffi_module/$ffi_module.h"
        "$dir/$ffi_module/module.modulemap"
    )
}
generate neon_api_keys_swift NeonApiKeysBridge NeonApiKeysFFI
generate neon_api_keys_swift_testing NeonApiKeysTestingBridge NeonApiKeysTestingFFI
generate neon_api_keys_swift NeonApiKeysTestHooksBridge NeonApiKeysTestHooksFFI Tests

if [ "$check" = 1 ]; then
    stale=0
    for f in "${files[@]}"; do
        if ! cmp -s "$out/tree/$f" "$pkg_dir/$f"; then
            echo "generate.sh --check: bindings-swift/$f is stale" >&2
            diff -u "$pkg_dir/$f" "$out/tree/$f" 2>&1 | head -n 20 >&2 || true
            stale=1
        fi
    done
    if [ "$stale" = 1 ]; then
        echo "run bindings-swift/scripts/generate.sh and commit the result" >&2
        exit 1
    fi
    echo "generated Swift sources are up to date"
    exit 0
fi

for f in "${files[@]}"; do
    mkdir -p "$(dirname "$pkg_dir/$f")"
    cp "$out/tree/$f" "$pkg_dir/$f"
done
echo "regenerated: ${files[*]}"
