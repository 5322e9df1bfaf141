#!/usr/bin/env bash
# Fuzz the core's decoders with cargo-fuzz (libFuzzer), on the stable toolchain.
#
#   scripts/fuzz.sh smoke            each target for FUZZ_SMOKE_SECS (default 10) seconds (what `make test` runs)
#   scripts/fuzz.sh long [SECS]      each target for SECS seconds (default 600): the documented long run
#   scripts/fuzz.sh run TARGET SECS  one target
#   scripts/fuzz.sh list             the targets
#
# cargo-fuzz needs nightly-only flags (-Z sanitizer, coverage instrumentation); RUSTC_BOOTSTRAP=1 lets the
# stable toolchain accept them (no other toolchain can be fetched here). cargo-fuzz 0.13.x is installed
# with `cargo install --locked` when missing. Seeds (recorded Neon responses and known-bad shapes) are in
# fuzz/seeds/<target>/ and are never written to; the growing corpus goes to fuzz/corpus/<target>/ and any
# crash to fuzz/artifacts/<target>/ (both git-ignored). Prints one line per target:
#   fuzz <target>: <executions> execs in <secs> s, <crashes> crashes
# and exits non-zero if any target crashed. See docs/reliability.md.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FUZZ_DIR="$REPO/fuzz"
TARGETS=(decode_api_key_list decode_created_key decode_error_body parse_retry_after)
CARGO_FUZZ_VERSION="${CARGO_FUZZ_VERSION:-0.13.2}"
# ASan finds memory errors in unsafe code; the core has none (unsafe_code = deny), so the default is no
# sanitizer: faster builds and more executions. FUZZ_SANITIZER=address turns it back on.
FUZZ_SANITIZER="${FUZZ_SANITIZER:-none}"
# Large enough for "huge body" inputs, small enough to keep executions fast.
FUZZ_MAX_LEN="${FUZZ_MAX_LEN:-65536}"

export RUSTC_BOOTSTRAP=1
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

ensure_cargo_fuzz() {
    if cargo fuzz --version >/dev/null 2>&1; then
        return
    fi
    echo "fuzz: installing cargo-fuzz $CARGO_FUZZ_VERSION (cargo install --locked)" >&2
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked >&2
}

build() {
    ensure_cargo_fuzz
    echo "fuzz: building ${#TARGETS[@]} targets (sanitizer: $FUZZ_SANITIZER)" >&2
    (cd "$FUZZ_DIR" && cargo fuzz build --sanitizer "$FUZZ_SANITIZER" >&2)
}

# run_one TARGET SECS: fuzz one target, print its summary line, return 1 on a crash.
run_one() {
    local target="$1" secs="$2"
    local corpus="$FUZZ_DIR/corpus/$target" seeds="$FUZZ_DIR/seeds/$target"
    local artifacts="$FUZZ_DIR/artifacts/$target" log
    mkdir -p "$corpus" "$artifacts"
    log="$(mktemp)"
    local status=0
    # libFuzzer: the first directory is the writable corpus, the seeds are read only.
    (cd "$FUZZ_DIR" && cargo fuzz run --sanitizer "$FUZZ_SANITIZER" "$target" "$corpus" "$seeds" -- \
        -max_total_time="$secs" -max_len="$FUZZ_MAX_LEN" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$artifacts/") >"$log" 2>&1 || status=$?
    local execs crashes
    execs="$(grep -o -E '^stat::number_of_executed_units: *[0-9]+' "$log" | grep -o -E '[0-9]+$' || true)"
    # Only artifacts written by this run count (older ones are kept as evidence, not recounted).
    crashes="$(find "$artifacts" -type f -newer "$log" \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' \) | wc -l)"
    echo "fuzz $target: ${execs:-0} execs in $secs s, $crashes crashes"
    if [[ $status -ne 0 || $crashes -ne 0 ]]; then
        echo "fuzz $target: FAILED (exit $status); log tail:" >&2
        tail -n 40 "$log" >&2
        echo "fuzz $target: reproduce with: (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer $FUZZ_SANITIZER $target <artifact>)" >&2
        rm -f "$log"
        return 1
    fi
    rm -f "$log"
}

run_all() {
    local secs="$1" failed=0
    build
    for target in "${TARGETS[@]}"; do
        run_one "$target" "$secs" || failed=1
    done
    return "$failed"
}

case "${1:-smoke}" in
    smoke) run_all "${FUZZ_SMOKE_SECS:-10}" ;;
    long) run_all "${2:-600}" ;;
    run)
        [[ $# -ge 2 ]] || { echo "usage: $0 run TARGET [SECS]" >&2; exit 2; }
        build
        run_one "$2" "${3:-60}"
        ;;
    list) printf '%s\n' "${TARGETS[@]}" ;;
    *)
        echo "usage: $0 smoke | long [SECS] | run TARGET [SECS] | list" >&2
        exit 2
        ;;
esac
