#!/usr/bin/env bash
# Print the Debian mirror URI to bootstrap the Swift chroot from (ensure-swift.sh calls this):
#
#   debian-mirror.sh [ROOT]
#
# - SWIFT_DEBIAN_MIRROR set and non-empty: print it, read nothing else.
# - Otherwise: the URI of the first enabled `deb` entry (not `deb-src`) whose suite is exactly the running
#   system's VERSION_CODENAME (from ROOT/etc/os-release, else ROOT/usr/lib/os-release), in the order apt reads
#   its sources: ROOT/etc/apt/sources.list (one-line format), then the files of ROOT/etc/apt/sources.list.d in
#   byte order, `*.list` as one-line format and `*.sources` as deb822; other names (`*.disabled`, `*.save`,
#   dotfiles, names with characters apt rejects) are skipped, as apt skips them. An entry lists several URIs
#   (deb822) → the first one. Only URIs debootstrap can fetch (http, https, ftp, file) count; `cdrom:`,
#   `mirror+…`, `tor+…` entries are passed over.
# - Neither: exit 1 with one line on stderr naming SWIFT_DEBIAN_MIRROR and the apt files looked at.
#
# ROOT (default: the real root) lets tests point the script at a fixture tree. No network is used.
# The mirror's host name is never written in this repository: it comes from the machine or the environment.
set -euo pipefail
export LC_ALL=C  # byte-order globbing, as apt sorts sources.list.d

root="${1:-}"
root="${root%/}"

if [ -n "${SWIFT_DEBIAN_MIRROR:-}" ]; then
    printf '%s\n' "$SWIFT_DEBIAN_MIRROR"
    exit 0
fi

sources_list="$root/etc/apt/sources.list"
sources_dir="$root/etc/apt/sources.list.d"

# The one error message: why apt gave no mirror, the files read, and the override.
fail() {
    local format='debian-mirror: no Debian mirror to bootstrap from: SWIFT_DEBIAN_MIRROR is unset and %s'
    format+=' (apt sources read: %s, %s/*.list, %s/*.sources);'
    format+=' set SWIFT_DEBIAN_MIRROR to a Debian mirror URI such as http://<host>/debian\n'
    # shellcheck disable=SC2059  # the format is the constant above
    printf "$format" "$1" "$sources_list" "$sources_dir" "$sources_dir" >&2
    exit 1
}

# os-release value of KEY (quotes removed), empty when absent.
os_release_value() {
    awk -v key="$1" -F= '
        $1 == key { v = substr($0, length(key) + 2); gsub(/^["'\'']|["'\'']$/, "", v); print v; exit }
    ' "$2"
}

os_release="$root/etc/os-release"
[ -f "$os_release" ] || os_release="$root/usr/lib/os-release"
[ -f "$os_release" ] || fail "neither $root/etc/os-release nor $root/usr/lib/os-release tells the running suite"
os_id="$(os_release_value ID "$os_release")"
[ "$os_id" = debian ] ||
    fail "the running system is not Debian (ID=${os_id:-unset} in $os_release): its apt names no Debian mirror"
suite="$(os_release_value VERSION_CODENAME "$os_release")"
[ -n "$suite" ] || fail "$os_release has no VERSION_CODENAME to tell the running suite"

# Print the URI of the first matching entry of one file (format: list | sources); print nothing if none.
# shellcheck disable=SC2016  # $-expressions below are awk's
first_entry() {
    awk -v format="$1" -v suite="$suite" '
        function fetchable(uri) { return uri ~ /^(https?|ftp|file):/ }
        function has_word(list, word,   n, i, w) {
            n = split(list, w)
            for (i = 1; i <= n; i++) if (w[i] == word) return 1
            return 0
        }
        function found(uri) { print uri; done = 1; exit }

        # One-line format: deb [options] uri suite [component...]
        # A "#" outside the [options] starts a comment, as in apt.
        function strip_comment(s,   i, c, depth) {
            for (i = 1; i <= length(s); i++) {
                c = substr(s, i, 1)
                if (c == "[") depth++
                else if (c == "]") depth--
                else if (c == "#" && depth <= 0) return substr(s, 1, i - 1)
            }
            return s
        }
        format == "list" {
            n = split(strip_comment($0), f)
            if (n < 3 || f[1] != "deb") next
            i = 2
            if (f[i] ~ /^\[/) {                       # options: skip to the word that closes them
                while (i <= n && f[i] !~ /\]$/) i++
                i++
            }
            if (i + 1 > n) next
            if (fetchable(f[i]) && f[i + 1] == suite) found(f[i])
            next
        }

        # deb822: stanzas separated by blank lines; "# ..." lines are comments; indented lines continue a field.
        function end_stanza(   n, u, i) {
            if (!seen) return
            disabled = tolower(enabled) ~ /^(no|false|without|off|disable)$/
            if (!disabled && has_word(types, "deb") && has_word(suites, suite)) {
                n = split(uris, u)
                for (i = 1; i <= n; i++) if (fetchable(u[i])) found(u[i])
            }
            seen = 0; field = ""; types = ""; uris = ""; suites = ""; enabled = ""
        }
        function set_field(value) {
            if (field == "types") types = types " " value
            else if (field == "uris") uris = uris " " value
            else if (field == "suites") suites = suites " " value
            else if (field == "enabled") enabled = enabled value
        }
        format == "sources" {
            line = $0
            if (line ~ /^#/) next
            if (line ~ /^[ \t]*$/) { end_stanza(); next }
            seen = 1
            if (line ~ /^[ \t]/) { set_field(line); next }
            colon = index(line, ":")
            if (colon == 0) { field = ""; next }
            field = tolower(substr(line, 1, colon - 1))
            sub(/[ \t]+$/, "", field)
            value = substr(line, colon + 1)
            gsub(/^[ \t]+|[ \t]+$/, "", value)
            set_field(value)
            next
        }
        END { if (!done && format == "sources") end_stanza() }
    ' "$2"
}

candidates=()
[ -f "$sources_list" ] && candidates+=("list:$sources_list")
if [ -d "$sources_dir" ]; then
    for file in "$sources_dir"/*; do
        name="${file##*/}"
        [ -f "$file" ] || continue
        [[ "$name" =~ ^[A-Za-z0-9_.:-]+$ ]] || continue
        case "$name" in
            *.list) candidates+=("list:$file") ;;
            *.sources) candidates+=("sources:$file") ;;
        esac
    done
fi

for candidate in ${candidates[@]+"${candidates[@]}"}; do
    mirror="$(first_entry "${candidate%%:*}" "${candidate#*:}")"
    if [ -n "$mirror" ]; then
        printf '%s\n' "$mirror"
        exit 0
    fi
done
fail "apt has no enabled \`deb\` entry for suite $suite"
