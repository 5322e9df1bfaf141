#!/usr/bin/env bash
# Regenerate the Swift sources, C header and module map of the Swift binding from the built Rust library,
# into their committed locations:
#   Sources/NeonApiKeys/Generated/NeonApiKeys.swift
#   Sources/NeonApiKeysFFI/NeonApiKeysFFI.h
#   Sources/NeonApiKeysFFI/module.modulemap
#
#   generate.sh            build (debug) and regenerate in place
#   generate.sh --check    build and fail if the committed copies differ from fresh output
#   --no-build             use the library already in the target directory
#
# Needs only cargo (no Swift toolchain): uniffi-bindgen reads the metadata compiled into the library.
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
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "generate.sh: unknown argument $arg" >&2; exit 2 ;;
    esac
done

cd "$repo_root"
if [ "$build" = 1 ]; then
    cargo build --quiet -p neon-api-keys-swift -p uniffi-bindgen
fi

case "$(uname -s)" in
    Darwin) lib="$target_dir/debug/libneon_api_keys_swift.dylib" ;;
    *) lib="$target_dir/debug/libneon_api_keys_swift.so" ;;
esac
bindgen="$target_dir/debug/uniffi-bindgen"
for f in "$lib" "$bindgen"; do
    [ -e "$f" ] || { echo "generate.sh: $f is missing (run without --no-build)" >&2; exit 1; }
done

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# uniffi.toml next to the crate's Cargo.toml sets the module names (NeonApiKeys / NeonApiKeysFFI).
"$bindgen" generate --library "$lib" --language swift --no-format --out-dir "$out/raw" >/dev/null

mkdir -p "$out/tree/Sources/NeonApiKeys/Generated" "$out/tree/Sources/NeonApiKeysFFI"
cp "$out/raw/NeonApiKeys.swift" "$out/tree/Sources/NeonApiKeys/Generated/NeonApiKeys.swift"
cp "$out/raw/NeonApiKeysFFI.h" "$out/tree/Sources/NeonApiKeysFFI/NeonApiKeysFFI.h"
cp "$out/raw/NeonApiKeysFFI.modulemap" "$out/tree/Sources/NeonApiKeysFFI/module.modulemap"

files=(
    Sources/NeonApiKeys/Generated/NeonApiKeys.swift
    Sources/NeonApiKeysFFI/NeonApiKeysFFI.h
    Sources/NeonApiKeysFFI/module.modulemap
)

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
