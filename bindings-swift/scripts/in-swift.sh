#!/usr/bin/env bash
# Run a command where Swift is available:
#   in-swift.sh swift test --package-path bindings-swift
#
# - If `swift` is on PATH, run the command directly.
# - Otherwise run it inside the Debian trixie chroot made by ensure-swift.sh (built on first use), with the
#   repository checkout bind-mounted at the same absolute path, /proc mounted and /dev bound, in the same
#   working directory (the checkout root if the current directory is outside it).
#
# Mounts are made in a private mount namespace (unshare), so they are never visible outside this command and
# vanish with it, and they are also unmounted explicitly on exit (umount, then `umount -l` as a fallback).
# The command runs in its own PID namespace too: when in-swift.sh is interrupted or killed, every process it
# started (swift, test binaries, emulators) is killed with it.
# Where unshare is not permitted, the mounts are made in the host namespace under a lock (concurrent calls
# then take turns) and unmounted by an EXIT trap. Nested calls from inside the chroot find `swift` on PATH and
# run directly.
#
# Environment:
#   SWIFT_CHROOT        chroot directory (default /var/cache/neon-api-keys/swift-chroot)
#   SWIFT_CHROOT_BINDS  extra absolute host paths to bind at the same place, separated by ':'
#                       (for example a CARGO_TARGET_DIR outside the checkout)
#   SWIFT_FORCE_CHROOT=1 use the chroot even if `swift` is on PATH
#   SWIFT_CHROOT_NO_UNSHARE=1 skip the private mount namespace (tests the fallback)
set -euo pipefail

CHROOT="${SWIFT_CHROOT:-/var/cache/neon-api-keys/swift-chroot}"
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd "$script_dir/../.." && pwd -P)"

log() { printf 'in-swift: %s\n' "$*" >&2; }

if [ "${NEON_IN_SWIFT_INNER:-}" = 1 ]; then
    # Second stage: we are the process that owns the mounts (in a private namespace or under the lock).
    unset NEON_IN_SWIFT_INNER
    cwd="$1"
    shift
    mounted=()
    group=""
    cleanup() {
        local i target
        # Stop whatever still runs from the command (also what it left in the background) before unmounting.
        if [ "$$" = 1 ]; then
            kill -KILL -1 2>/dev/null || true
        elif [ -n "$group" ]; then
            kill -TERM -- "-$group" 2>/dev/null || true
        fi
        wait 2>/dev/null || true
        for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
            target="${mounted[$i]}"
            umount -R "$target" 2>/dev/null || umount -l "$target" 2>/dev/null \
                || log "could not unmount $target"
        done
        mounted=()
    }
    trap cleanup EXIT
    trap 'exit 129' HUP
    trap 'exit 130' INT
    trap 'exit 143' TERM

    mount_bind() { # <source> <target> [recursive]
        local src="$1" dst="$2"
        if [ -d "$src" ]; then mkdir -p "$dst"; else mkdir -p "$(dirname "$dst")"; [ -e "$dst" ] || : >"$dst"; fi
        if [ "${3:-}" = recursive ]; then
            mount --rbind "$src" "$dst"
            mounted+=("$dst")
            mount --make-rslave "$dst"
        else
            mount --bind "$src" "$dst"
            mounted+=("$dst")
        fi
    }

    mount -t proc proc "$CHROOT/proc"
    mounted+=("$CHROOT/proc")
    mount_bind /dev "$CHROOT/dev" recursive
    binds=("$repo_root")
    if [ -n "${SWIFT_CHROOT_BINDS:-}" ]; then
        IFS=: read -r -a extra <<<"$SWIFT_CHROOT_BINDS"
        for p in "${extra[@]}"; do
            [ -n "$p" ] || continue
            case "$p" in /*) ;; *) log "SWIFT_CHROOT_BINDS entries must be absolute: $p"; exit 2 ;; esac
            case "$p/" in "$repo_root"/*) continue ;; esac
            binds+=("$p")
        done
    fi
    for p in "${binds[@]}"; do
        mount_bind "$p" "$CHROOT$p"
    done
    cp -L /etc/resolv.conf "$CHROOT/etc/resolv.conf" 2>/dev/null || true

    # In the background, so that a signal reaches our traps at once (bash defers traps until a foreground
    # child exits). In the fallback mode the child gets its own process group, so cleanup can stop all of it;
    # in the PID namespace (we are PID 1 there) cleanup kills everything in the namespace.
    launcher=()
    [ "$$" = 1 ] || launcher=(setsid)
    "${launcher[@]}" chroot "$CHROOT" /usr/bin/env -u TMPDIR -u LD_PRELOAD \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
        /bin/sh -c 'cd "$1" && shift && exec "$@"' in-swift "$cwd" "$@" <&0 &
    child=$!
    [ "$$" = 1 ] || group=$child
    status=0
    wait "$child" || status=$?
    exit "$status"
fi

if [ $# -eq 0 ]; then
    echo "usage: $0 <command> [args...]" >&2
    exit 2
fi

if [ "${SWIFT_FORCE_CHROOT:-0}" != 1 ] && command -v swift >/dev/null 2>&1; then
    exec "$@"
fi

"$script_dir/ensure-swift.sh"

cwd="$(pwd -P)"
case "$cwd/" in
    "$repo_root"/*) ;;
    *) cwd="$repo_root" ;;
esac

export NEON_IN_SWIFT_INNER=1 SWIFT_CHROOT="$CHROOT"
# Private mount + PID namespaces: the mounts vanish with the namespace and, if this command is killed
# (even with SIGKILL), --kill-child ends the namespace's first process and the kernel then kills every
# process left in it, so nothing outlives the command.
ns=(unshare --mount --pid --fork --kill-child=SIGTERM --propagation private --)
if [ "${SWIFT_CHROOT_NO_UNSHARE:-0}" != 1 ] && "${ns[@]}" true 2>/dev/null; then
    exec "${ns[@]}" bash "$script_dir/in-swift.sh" "$cwd" "$@"
fi
log "unshare is not permitted; mounting in the host namespace under $CHROOT.mount.lock"
exec flock -o "$CHROOT.mount.lock" bash "$script_dir/in-swift.sh" "$cwd" "$@"
