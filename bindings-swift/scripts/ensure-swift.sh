#!/usr/bin/env bash
# Make a Swift toolchain available for building and testing the Swift binding.
#
# - If `swift` is already on PATH (macOS, Linux distributions that ship it), do nothing.
# - Otherwise (Debian 12 CI machines, which ship no Swift), build a Debian 13 (trixie) chroot with
#   `swiftlang` in it, outside the repository checkout, at
#   ${SWIFT_CHROOT:-/var/cache/neon-api-keys/swift-chroot}. Use `in-swift.sh <cmd...>` to run commands there.
#
# Idempotent and unattended (run as root): a stamp file marks a finished chroot; a chroot without it is wiped
# and rebuilt. A lock (flock) serialises concurrent runs. Every mount made here lives in a private mount
# namespace (unshare) and is also unmounted explicitly, so nothing stays mounted after the script exits.
#
# Environment:
#   SWIFT_CHROOT         chroot directory (default /var/cache/neon-api-keys/swift-chroot)
#   SWIFT_DEBIAN_MIRROR  Debian mirror to bootstrap from; unset: the mirror of the machine's own apt sources
#                        (the first `deb` entry for the running suite, see debian-mirror.sh). Neither: exit 1.
#   SWIFT_FORCE_CHROOT=1 build/use the chroot even if `swift` is on PATH
set -euo pipefail

CHROOT="${SWIFT_CHROOT:-/var/cache/neon-api-keys/swift-chroot}"
STAMP_BOOTSTRAP="$CHROOT/.neon-api-keys-debootstrap-done"
STAMP_READY="$CHROOT/.neon-api-keys-swift-ready"
PACKAGES="swiftlang libc6-dev libstdc++-14-dev pkg-config"

log() { printf 'ensure-swift: %s\n' "$*" >&2; }

if [ "${SWIFT_FORCE_CHROOT:-0}" != 1 ] && command -v swift >/dev/null 2>&1; then
    exit 0
fi

# Fast path without the lock: already finished.
if [ -f "$STAMP_READY" ]; then
    exit 0
fi

if [ "$(id -u)" != 0 ]; then
    log "swift is not on PATH and building the chroot at $CHROOT needs root"
    exit 1
fi

case "$CHROOT" in
    /*) ;;
    *) log "SWIFT_CHROOT must be an absolute path: $CHROOT"; exit 1 ;;
esac
if [ "$CHROOT" = / ] || [ "$(dirname "$CHROOT")" = / ]; then
    log "refusing to use $CHROOT as the chroot"
    exit 1
fi
# The chroot must never live inside a repository checkout (CI sweeps and mounts go wrong there).
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd "$script_dir/../.." && pwd -P)"
inside_checkout() { case "$1/" in "$repo_root"/*) return 0 ;; *) return 1 ;; esac; }
if inside_checkout "$CHROOT"; then
    log "SWIFT_CHROOT ($CHROOT) must be outside the checkout ($repo_root)"
    exit 1
fi
mkdir -p "$(dirname "$CHROOT")"
if inside_checkout "$(cd "$(dirname "$CHROOT")" && pwd -P)"; then  # through a symlink
    log "SWIFT_CHROOT ($CHROOT) must be outside the checkout ($repo_root)"
    exit 1
fi

exec 9>"$CHROOT.lock"
flock 9

# Someone else may have finished while we waited for the lock.
if [ -f "$STAMP_READY" ]; then
    exit 0
fi

# Unmount anything left mounted under the chroot (from an interrupted older run), deepest first.
unmount_under() {
    local root="$1" target
    [ -d "$root" ] || return 0
    while read -r target; do
        [ -n "$target" ] || continue
        umount "$target" 2>/dev/null || umount -l "$target" 2>/dev/null || true
    done < <(awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/self/mounts | sort -r)
}

still_mounted_under() {
    awk -v r="$1" '$2 == r || index($2, r "/") == 1 { found = 1 } END { exit !found }' /proc/self/mounts
}

start=$(date +%s)

if [ ! -f "$STAMP_BOOTSTRAP" ]; then
    # Before anything is deleted or installed: without a mirror there is nothing to do but say why (one line).
    mirror="$("$script_dir/debian-mirror.sh")" || exit 1
    if [ -e "$CHROOT" ]; then
        log "removing unfinished chroot at $CHROOT"
        unmount_under "$CHROOT"
        if still_mounted_under "$CHROOT"; then
            log "something is still mounted under $CHROOT; refusing to delete it"
            exit 1
        fi
        rm -rf --one-file-system "$CHROOT"
    fi
    if ! command -v debootstrap >/dev/null 2>&1; then
        log "installing debootstrap"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
    fi
    log "debootstrap trixie from $mirror into $CHROOT (about 30 s)"
    # debootstrap mounts /proc and /sys in the target while it works: keep those mounts in a private
    # namespace so that an interrupted run can never leave them mounted on the host.
    ns=()
    if unshare --mount --propagation private -- true 2>/dev/null; then
        ns=(unshare --mount --propagation private --)
    fi
    "${ns[@]}" debootstrap --variant=minbase trixie "$CHROOT" "$mirror" >"$CHROOT.debootstrap.log" 2>&1 || {
        log "debootstrap failed; see $CHROOT.debootstrap.log"
        tail -n 30 "$CHROOT.debootstrap.log" >&2 || true
        exit 1
    }
    touch "$STAMP_BOOTSTRAP"
fi

log "installing $PACKAGES into the chroot (about 30 s)"
cp -L /etc/resolv.conf "$CHROOT/etc/resolv.conf" 2>/dev/null || true
# A private mount namespace: /proc is mounted only there and disappears with it, whatever happens. The
# toolchain needs /proc even for `swift --version` (the loader resolves $ORIGIN through /proc/self/exe).
version="$(unshare --mount --propagation private -- /bin/sh -eu -c '
    chroot_dir="$1"; packages="$2"
    mount -t proc proc "$chroot_dir/proc"
    trap "umount \"$chroot_dir/proc\" 2>/dev/null || umount -l \"$chroot_dir/proc\" 2>/dev/null || true" EXIT
    chroot "$chroot_dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        DEBIAN_FRONTEND=noninteractive LC_ALL=C sh -euc "
            apt-get update -qq >&2
            apt-get install -y -qq --no-install-recommends $packages >/dev/null 2>&1 ||
                apt-get install -y --no-install-recommends $packages >&2
            apt-get clean >&2
            swift --version 2>&1 | head -n 1
        "
' ensure-swift "$CHROOT" "$PACKAGES")"
case "$version" in
    *"Swift version"*) ;;
    *) log "swift does not run in the chroot: $version"; exit 1 ;;
esac
touch "$STAMP_READY"
log "ready in $(( $(date +%s) - start )) s: $version"
