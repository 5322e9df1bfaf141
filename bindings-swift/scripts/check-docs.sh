#!/usr/bin/env bash
# Check the DocC documentation of the public modules, NeonApiKeys and NeonApiKeysTesting:
#   1. every public symbol has a doc comment (read from the symbol graph; members Swift synthesizes from the
#      standard library's protocols, such as `hashValue`, excepted);
#   2. each module's catalog (Sources/<Module>/<Module>.docc) builds with docc, every ``link`` resolving, with
#      warnings as errors.
#
#   bindings-swift/scripts/check-docs.sh      (after a debug build; test.sh runs it)
#
# Swift and docc run through in-swift.sh (the trixie chroot on Debian, directly where `swift` is on PATH); the
# symbol graphs are read with jq on this machine.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
pkg_dir="$(cd "$script_dir/.." && pwd -P)"
modules=(NeonApiKeys NeonApiKeysTesting)
work="$pkg_dir/.build/docs-check"

command -v jq >/dev/null || { echo "check-docs.sh needs jq" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
"$script_dir/in-swift.sh" swift package --package-path "$pkg_dir" dump-symbol-graph \
    --minimum-access-level public >/dev/null
graphs="$(find "$pkg_dir/.build" -path '*/symbolgraph/*' -name 'NeonApiKeys.symbols.json' -newer "$work" -printf '%h\n' | head -n 1)"
[ -n "$graphs" ] || { echo "check-docs.sh: no fresh symbol graph under $pkg_dir/.build" >&2; exit 1; }

status=0
for module in "${modules[@]}"; do
    graph="$graphs/$module.symbols.json"
    undocumented="$(jq -r '.symbols[]
        | select(.accessLevel == "public")
        | select(.identifier.precise | contains("::SYNTHESIZED::") | not)
        | select(.docComment == null)
        | "\(.kind.displayName) \(.pathComponents | join("."))"' "$graph")"
    count="$(jq '[.symbols[] | select(.accessLevel == "public")] | length' "$graph")"
    if [ -n "$undocumented" ]; then
        echo "check-docs.sh: public symbols of $module without a doc comment:" >&2
        printf '  %s\n' "$undocumented" >&2
        status=1
    else
        echo "$module: $count public symbols, every one documented"
    fi
    mkdir -p "$work/$module/graphs"
    cp "$graph" "$work/$module/graphs/"
done

# docc: on PATH, through xcrun, or next to the swift driver (the Linux toolchain keeps it there).
"$script_dir/in-swift.sh" bash -c '
    set -euo pipefail
    docc="$(command -v docc || xcrun --find docc 2>/dev/null || echo "$(dirname "$(readlink -f "$(command -v swift)")")/docc")"
    pkg_dir="$1" work="$2"
    shift 2
    for module in "$@"; do
        "$docc" convert "$pkg_dir/Sources/$module/$module.docc" \
            --additional-symbol-graph-dir "$work/$module/graphs" \
            --fallback-display-name "$module" --fallback-bundle-identifier "tech.neon.$module" \
            --output-dir "$work/$module/$module.doccarchive" --warnings-as-errors >"$work/$module/docc.log" 2>&1 \
            || { cat "$work/$module/docc.log" >&2; echo "check-docs.sh: docc failed for $module" >&2; exit 1; }
        echo "$module: the DocC catalog builds, every link resolves"
    done
' check-docs "$pkg_dir" "$work" "${modules[@]}" || status=1
exit "$status"
