#!/usr/bin/env bash
# Tests for debian-mirror.sh against the fixture trees in debian-mirror/<case>/ (each a fake root with
# etc/os-release and etc/apt/...). No network, no Swift, no root. Every fixture directory must be used by a
# case below. Hosts in the fixtures are placeholders under .invalid; the mirror every positive case must pick is
# http(s)://mirror.example.invalid/debian[/].
#
#   bindings-swift/scripts/tests/test-debian-mirror.sh
#
# Prints one line per case and `debian-mirror tests: N passed, M failed`; exits 1 when M > 0.
set -euo pipefail

tests_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
script="$tests_dir/../debian-mirror.sh"
fixtures="$tests_dir/debian-mirror"
unset SWIFT_DEBIAN_MIRROR

passed=0
failed=0
used=()
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$1"; }
not_ok() { failed=$((failed + 1)); printf 'FAIL %s: %s\n' "$1" "$2"; }

# run <root> [VAR=value...]: sets status, out, err.
run() {
    local root="$1"
    shift
    status=0
    env "$@" "$script" "$root" >"$scratch/out" 2>"$scratch/err" || status=$?
    out="$(cat "$scratch/out")"
    err="$(cat "$scratch/err")"
}

# expect_mirror <case> <mirror> [VAR=value...]: exit 0, exactly <mirror> on stdout, nothing on stderr.
expect_mirror() {
    local name="$1" want="$2" root="$fixtures/$1"
    shift 2
    used+=("$name")
    run "$root" "$@"
    if [ "$status" != 0 ]; then not_ok "$name" "exit $status, stderr: $err"
    elif [ "$out" != "$want" ]; then not_ok "$name" "got '$out', want '$want'"
    elif [ -n "$err" ]; then not_ok "$name" "unexpected stderr: $err"
    else ok "$name → $out"
    fi
}

# expect_error <case|path> <reason substring>: exit 1, nothing on stdout, ONE stderr line that names
# SWIFT_DEBIAN_MIRROR, the apt files looked at and the reason.
expect_error() {
    local name="$1" reason="$2" root
    case "$name" in /*) root="$name" ;; *) root="$fixtures/$name"; used+=("$name") ;; esac
    run "$root"
    local missing=()
    for part in "debian-mirror: no Debian mirror" SWIFT_DEBIAN_MIRROR "$root/etc/apt/sources.list," \
        "$root/etc/apt/sources.list.d/*.list" "$root/etc/apt/sources.list.d/*.sources" "$reason"; do
        case "$err" in *"$part"*) ;; *) missing+=("'$part'") ;; esac
    done
    if [ "$status" != 1 ]; then not_ok "$name" "exit $status (want 1), stdout: $out"
    elif [ -n "$out" ]; then not_ok "$name" "unexpected stdout: $out"
    elif [ "$(printf '%s\n' "$err" | wc -l)" != 1 ]; then not_ok "$name" "want one stderr line, got: $err"
    elif [ ${#missing[@]} != 0 ]; then not_ok "$name" "message lacks ${missing[*]}: $err"
    else ok "$name → error ($reason)"
    fi
}

mirror=http://mirror.example.invalid/debian
override=http://override.example.invalid/debian
no_entry="no enabled \`deb\` entry for suite bookworm"

# The entry for the running suite, in both formats and in apt's reading order.
expect_mirror deb822-stock "$mirror"                 # -security stanza first; *.disabled-by-farm files ignored
expect_mirror classic "$mirror"                      # deb-src, other suites skipped; [options]; first of two
expect_mirror classic-options https://mirror.example.invalid/debian/  # cdrom: skipped; "[ a=b c=d ]"
expect_mirror deb822-details "$mirror"               # Enabled: no skipped; folded fields; first fetchable URI
expect_mirror order-sources-list-first "$mirror"
expect_mirror order-byte-order "$mirror"             # B.sources before a.list
expect_mirror os-release-usr-lib "$mirror"           # quoted values, /usr/lib/os-release fallback

# SWIFT_DEBIAN_MIRROR wins over apt, and needs no apt sources at all; empty means unset.
expect_mirror deb822-stock "$override" SWIFT_DEBIAN_MIRROR="$override"
expect_mirror none-empty-apt "$override" SWIFT_DEBIAN_MIRROR="$override"
expect_mirror classic "$mirror" SWIFT_DEBIAN_MIRROR=

# No mirror: one message naming SWIFT_DEBIAN_MIRROR and the apt files.
expect_error none-other-suites "$no_entry"
expect_error none-deb-src-only "$no_entry"
expect_error none-disabled "$no_entry"
expect_error none-ignored-files "$no_entry"
expect_error none-cdrom-only "$no_entry"
expect_error none-empty-apt "$no_entry"
expect_error none-not-debian 'not Debian (ID=ubuntu'
expect_error none-no-codename 'has no VERSION_CODENAME'
empty="$scratch/empty-root"
mkdir "$empty"
expect_error "$empty" "neither $empty/etc/os-release nor $empty/usr/lib/os-release tells the running suite"

# Every fixture is exercised by some case above.
for dir in "$fixtures"/*/; do
    name="$(basename "$dir")"
    case " ${used[*]} " in *" $name "*) ;; *) not_ok "$name" "fixture has no test case" ;; esac
done

echo "debian-mirror tests: $passed passed, $failed failed"
[ "$failed" = 0 ]
