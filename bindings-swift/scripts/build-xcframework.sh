#!/usr/bin/env bash
# Build the Apple release artefact of the Swift package (macOS only, with Xcode and rustup):
#   dist/NeonApiKeysFFI.xcframework(.zip): the static library of neon-api-keys-swift-apple (both uniffi bridges)
#   for macOS (arm64 + x86_64), iOS devices (arm64) and the iOS simulator (arm64 + x86_64), with the generated
#   headers and module maps of NeonApiKeysFFI and NeonApiKeysTestingFFI;
#   dist/Package.swift.release: the package manifest that consumes it through a binaryTarget.
#
#   bindings-swift/scripts/build-xcframework.sh [--url <where the zip will be downloadable>]
#
# The header layout, the manifest and the checksum come from xcframework-lib.sh, which check-xcframework.sh
# checks on Linux. The Swift sources are the committed ones; generate.sh --check fails if they are stale.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
pkg_dir="$(cd "$script_dir/.." && pwd -P)"
repo_root="$(cd "$pkg_dir/.." && pwd -P)"
target_dir="${CARGO_TARGET_DIR:-$repo_root/target}"
dist="$pkg_dir/dist"
url="https://example.invalid/NeonApiKeysFFI.xcframework.zip"
# shellcheck source=xcframework-lib.sh
. "$script_dir/xcframework-lib.sh"

while [ $# -gt 0 ]; do
    case "$1" in
        --url) url="$2"; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "build-xcframework.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

if [ "$(uname -s)" != Darwin ]; then
    echo "build-xcframework.sh needs macOS with Xcode (xcodebuild, lipo); on Linux, check-xcframework.sh checks" \
        "its headers, manifest and checksum" >&2
    exit 1
fi

targets=(aarch64-apple-darwin x86_64-apple-darwin aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios)
rustup target add "${targets[@]}"

cd "$repo_root"
"$script_dir/generate.sh" --check
for t in "${targets[@]}"; do
    cargo build --release -p "$XCFRAMEWORK_CRATE" --target "$t"
done

lib="$XCFRAMEWORK_LIB"
rm -rf "$dist"
mkdir -p "$dist/macos" "$dist/ios-sim"
lipo -create "$target_dir/aarch64-apple-darwin/release/$lib" "$target_dir/x86_64-apple-darwin/release/$lib" \
    -output "$dist/macos/$lib"
lipo -create "$target_dir/aarch64-apple-ios-sim/release/$lib" "$target_dir/x86_64-apple-ios/release/$lib" \
    -output "$dist/ios-sim/$lib"
stage_headers "$pkg_dir" "$dist/headers"

xcodebuild -create-xcframework \
    -library "$dist/macos/$lib" -headers "$dist/headers" \
    -library "$target_dir/aarch64-apple-ios/release/$lib" -headers "$dist/headers" \
    -library "$dist/ios-sim/$lib" -headers "$dist/headers" \
    -output "$dist/NeonApiKeysFFI.xcframework"

(cd "$dist" && ditto -c -k --sequesterRsrc --keepParent NeonApiKeysFFI.xcframework NeonApiKeysFFI.xcframework.zip)
checksum="$(package_checksum "$dist/NeonApiKeysFFI.xcframework.zip")"
write_release_manifest "$dist/Package.swift.release" "$url" "$checksum"
echo "built $dist/NeonApiKeysFFI.xcframework.zip (checksum $checksum) and $dist/Package.swift.release"
