#!/usr/bin/env bash
# Check on Linux what build-xcframework.sh (macOS only) packs and writes, with the same functions
# (xcframework-lib.sh):
#   1. the Headers directory it packs: one subdirectory per C module with its header and module map, the module
#      map naming the module and its header;
#   2. the library it packs: every function the packed headers declare is defined in the static library of
#      neon-api-keys-swift-apple (built here for this machine), and none of the tests' hooks is;
#   3. both Swift bridges compile against the packed Headers directory alone (clang finding each module map in
#      the subdirectory named after it, as with the XCFramework);
#   4. the checksum step: package_checksum of a zip equals its SHA-256;
#   5. the release Package.swift: SwiftPM loads it, with the binary target's URL and checksum as given, the
#      products and targets of the package, and every source path it names present.
#
#   bindings-swift/scripts/check-xcframework.sh      (test.sh runs it)
#
# Swift runs through in-swift.sh; jq, nm and sha256sum on this machine.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
pkg_dir="$(cd "$script_dir/.." && pwd -P)"
repo_root="$(cd "$pkg_dir/.." && pwd -P)"
target_dir="${CARGO_TARGET_DIR:-$repo_root/target}"
case "$target_dir" in /*) ;; *) target_dir="$repo_root/$target_dir" ;; esac
work="$pkg_dir/.build/xcframework-check"
# shellcheck source=xcframework-lib.sh
. "$script_dir/xcframework-lib.sh"
SWIFT_RUN="$script_dir/in-swift.sh"

fail() { echo "check-xcframework.sh: $*" >&2; exit 1; }
for tool in jq nm sha256sum python3; do
    command -v "$tool" >/dev/null || fail "needs $tool"
done

rm -rf "$work"
mkdir -p "$work"

# 1. The Headers directory.
headers="$work/Headers"
stage_headers "$pkg_dir" "$headers"
for module in "${XCFRAMEWORK_MODULES[@]}"; do
    listing="$(cd "$headers/$module" && ls | tr '\n' ' ')"
    [ "$listing" = "$module.h module.modulemap " ] || fail "Headers/$module holds $listing"
    grep -q "^module $module {" "$headers/$module/module.modulemap" || fail "Headers/$module/module.modulemap does not declare module $module"
    grep -q "header \"$module.h\"" "$headers/$module/module.modulemap" || fail "Headers/$module/module.modulemap does not name $module.h"
done
[ ! -e "$headers/module.modulemap" ] || fail "a top-level module.modulemap would clash with other XCFrameworks"
echo "headers: ${XCFRAMEWORK_MODULES[*]}, one subdirectory each"

# 2. The library.
(cd "$repo_root" && cargo build --quiet -p "$XCFRAMEWORK_CRATE")
archive="$target_dir/debug/$XCFRAMEWORK_LIB"
grep -ohE '\b(uniffi|ffi)_[a-z0-9_]+\(' "$headers"/*/*.h | tr -d '(' | sort -u >"$work/declared.txt"
nm -g --defined-only "$archive" 2>/dev/null | awk '$2 ~ /^[TDRB]$/ { print $3 }' | sort -u >"$work/defined.txt"
missing="$(comm -23 "$work/declared.txt" "$work/defined.txt")"
[ -z "$missing" ] || fail "declared in the packed headers but not defined in $XCFRAMEWORK_LIB: $missing"
hooks="$(grep -c 'test_hooks' "$work/defined.txt" || true)"
[ "$hooks" = 0 ] || fail "$XCFRAMEWORK_LIB defines $hooks functions of the tests' hooks (feature test-hooks)"
! grep -rq 'test_hooks' "$headers" || fail "the packed Headers declare the tests' hooks"
echo "library: all $(wc -l <"$work/declared.txt") functions of the packed headers are defined in $XCFRAMEWORK_LIB," \
    "none of the tests' hooks"

# 3. The bridges against the packed headers alone.
for bridge in NeonApiKeysBridge NeonApiKeysTestingBridge; do
    "$SWIFT_RUN" swiftc -typecheck -swift-version 6 -module-name "$bridge" -I "$headers" \
        "$pkg_dir/Sources/$bridge/$bridge.swift" || fail "$bridge does not compile against the packed headers"
done
echo "bridges: NeonApiKeysBridge and NeonApiKeysTestingBridge compile against the packed Headers"

# 4. The checksum step.
zip="$work/NeonApiKeysFFI.xcframework.zip"
python3 -m zipfile -c "$zip" "$headers" >/dev/null
checksum="$(package_checksum "$zip")"
expected="$(sha256sum "$zip" | cut -d' ' -f1)"
[ "$checksum" = "$expected" ] || fail "package_checksum gave $checksum, the zip's SHA-256 is $expected"
echo "checksum: package_checksum is the zip's SHA-256"

# 5. The release manifest.
release="$work/release"
url="https://example.invalid/v0.0.0/NeonApiKeysFFI.xcframework.zip"
mkdir -p "$release/Sources"
write_release_manifest "$release/Package.swift" "$url" "$checksum"
for source in "${XCFRAMEWORK_SOURCES[@]}"; do
    cp -R "$pkg_dir/Sources/$source" "$release/Sources/$source"
done
"$SWIFT_RUN" swift package --package-path "$release" dump-package >"$work/manifest.json" \
    || fail "SwiftPM cannot load the release manifest"
jq -e --arg url "$url" --arg checksum "$checksum" '
    [.targets[] | select(.type == "binary") | {name, url, checksum}] == [{name: "NeonApiKeysFFI", url: $url, checksum: $checksum}]
    and ([.products[].name] | sort == ["NeonApiKeys", "NeonApiKeysTesting"])
' "$work/manifest.json" >/dev/null || fail "the release manifest's binary target or products are not as written: $(jq -c '[.targets[] | {name, type, url, checksum}], [.products[].name]' "$work/manifest.json")"
jq -r '.targets[] | select(.type != "binary") | .path' "$work/manifest.json" | while read -r path; do
    [ -d "$release/$path" ] || fail "the release manifest names $path, which the package does not hold"
done
deps="$(jq -r '.targets[] | select(.type != "binary") | "\(.name) <- \([.dependencies[] | .byName[0]] | join(","))"' "$work/manifest.json" | sort | tr '\n' ';')"
want="NeonApiKeys <- NeonApiKeysBridge;NeonApiKeysBridge <- NeonApiKeysFFI;NeonApiKeysTesting <- NeonApiKeys,NeonApiKeysTestingBridge;NeonApiKeysTestingBridge <- NeonApiKeysFFI;"
[ "$deps" = "$want" ] || fail "the release manifest's targets depend as $deps, not $want"
echo "manifest: SwiftPM loads it; binary target NeonApiKeysFFI at the URL with the checksum; products and targets as the package"
