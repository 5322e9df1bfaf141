#!/usr/bin/env bash
# `make bench`: bench/run.sh [--smoke] [--rounds N] [--build-only] [--only list10,conc64]
#
# Builds what the benchmarks need (release, unless --smoke), installs the benchmark-only dependencies
# (bench/.venv from bench/python/requirements*.txt, `npm ci` in bench/node, wrk from Debian), starts one emulator
# and runs every language's driver against it in interleaved rounds (bench/harness.py), then writes
# bench/results/latest.{md,json,png} (bench/report.py).
#
# --smoke: tiny counts, debug builds that `make test` already built, no wrk/Prism, no peak-memory runs, results in
# bench/results/smoke.md (not committed). It checks that the harness works; it never fails on timings.
# --only W1,W2: just those workloads (for profiling), results in target/bench-only.md.
# Environment: BENCH_SKIP_BUILD=1 uses what is built; BENCH_NO_SWIFT=1 leaves Swift out.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
cd "$ROOT"

SMOKE=0
ROUNDS=7
BUILD_ONLY=0
ONLY=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=1 ;;
    --build-only) BUILD_ONLY=1 ;;
    --only) ONLY=(--only "$2"); shift ;;
    --rounds) ROUNDS="$2"; shift ;;
    --rounds=*) ROUNDS="${1#*=}" ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
say() { echo "[bench] $*" >&2; }
CARGO="${CARGO:-cargo}"
if [ "$SMOKE" = 1 ]; then PROFILE=debug; CARGO_PROFILE=(); else PROFILE=release; CARGO_PROFILE=(--release); fi
BUILD=$([ "${BENCH_SKIP_BUILD:-0}" = 1 ] && echo 0 || echo 1)

# ---- Rust: the emulator and the bench driver (its own workspace, its own target dir) ----
EMULATOR="$ROOT/target/$PROFILE/neon-api-keys-emulator"
if [ "$BUILD" = 1 ] && { [ "$SMOKE" = 0 ] || [ ! -x "$EMULATOR" ]; }; then
  say "building the emulator ($PROFILE)"
  "$CARGO" build -q "${CARGO_PROFILE[@]}" -p neon-api-keys-emulator
fi
# The workspace target dir: the driver reuses the dependencies `make test` (or the release build) compiled.
RUST_TARGET="$ROOT/target"
RUST_DRIVER="$RUST_TARGET/$PROFILE/neon-api-keys-bench"
if [ "$BUILD" = 1 ]; then
  say "building the Rust driver ($PROFILE)"
  cp "$ROOT/Cargo.lock" "$HERE/rust/Cargo.lock"  # exactly the versions the workspace locks
  CARGO_TARGET_DIR="$RUST_TARGET" "$CARGO" build -q "${CARGO_PROFILE[@]}" --manifest-path "$HERE/rust/Cargo.toml"
fi

# ---- Python: bench/.venv with Neon's client, httpx (and matplotlib), plus our wheel ----
VENV="$HERE/.venv"
REQS=("$HERE/python/requirements.txt")
[ "$SMOKE" = 0 ] && REQS+=("$HERE/python/requirements-report.txt")
STAMP="$VENV/.bench-stamp-$(cat "${REQS[@]}" | sha256sum | cut -c1-16)"
if [ ! -e "$STAMP" ]; then
  say "installing bench/.venv (${REQS[*]##*/})"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check $(printf -- '-r %s ' "${REQS[@]}")
  touch "$STAMP"
fi
PY="$VENV/bin/python"
if [ "$SMOKE" = 1 ]; then
  # `make test` built the binding in place (maturin develop): import it from its source tree.
  [ -e bindings-python/python/neon_api_keys/__init__.py ] && export PYTHONPATH="$ROOT/bindings-python/python"
elif [ "$BUILD" = 1 ] && [ -e bindings-python/Cargo.toml ]; then
  say "building the Python wheel (release)"
  rm -rf "$ROOT/target/bench-wheels"
  "$VENV/bin/maturin" build --quiet --release -m bindings-python/Cargo.toml -o "$ROOT/target/bench-wheels" >&2
  "$PY" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$ROOT"/target/bench-wheels/*.whl
fi

# ---- Node: Neon's clients, undici and Prism from bench/node's lockfile, plus our addon ----
npm_ci() {  # npm ci in bench/$1 unless its node_modules matches its lockfile
  if ! cmp -s "$HERE/$1/package-lock.json" "$HERE/$1/node_modules/.bench-lock"; then
    say "npm ci in bench/$1"
    (cd "$HERE/$1" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp "$HERE/$1/package-lock.json" "$HERE/$1/node_modules/.bench-lock"
  fi
}
npm_ci node
[ "$SMOKE" = 0 ] && npm_ci prism  # Prism (90 MB) only for the throughput comparison of full runs
if [ "$SMOKE" = 1 ]; then
  export BENCH_NODE_BINDING="$ROOT/bindings-node"  # the debug addon `make test` built
else
  # The release addon beside a copy of the package's JavaScript, so bindings-node/ keeps its own build.
  export BENCH_NODE_BINDING="$ROOT/target/bench-node"
  if [ "$BUILD" = 1 ]; then
    say "building the Node addon (release)"
    "$CARGO" build -q --release -p neon-api-keys-node
    rm -rf "$BENCH_NODE_BINDING" && mkdir -p "$BENCH_NODE_BINDING"
    cp -r bindings-node/lib bindings-node/index.js bindings-node/package.json "$BENCH_NODE_BINDING/"
    cp "$ROOT/target/release/libneon_api_keys_node.so" "$BENCH_NODE_BINDING/neon-api-keys.linux-x64-gnu.node"
  fi
fi
NODE_ADDON="$(ls -t "$BENCH_NODE_BINDING"/*.node 2>/dev/null | head -1 || true)"

# ---- Swift (optional: the toolchain lives in a chroot on Linux) ----
SWIFT_ARGS=()
if [ "${BENCH_NO_SWIFT:-0}" != 1 ] && [ -x "$HERE/swift/run.sh" ]; then
  if SWIFT_CMD="$("$HERE/swift/run.sh" --prepare "$PROFILE" 2>"$ROOT/target/bench-swift.log")"; then
    SWIFT_ARGS=(--swift-driver "$SWIFT_CMD")
  else
    say "Swift left out: $(tail -1 "$ROOT/target/bench-swift.log")"
    SWIFT_ARGS=(--left-out "swift=$(tail -1 "$ROOT/target/bench-swift.log") (see target/bench-swift.log)")
  fi
fi

# ---- wrk (Debian) for the emulator-vs-Prism throughput ----
if [ "$SMOKE" = 0 ] && ! command -v wrk >/dev/null; then
  say "installing wrk from Debian"
  { apt-get install -y -qq wrk || { apt-get update -qq && apt-get install -y -qq wrk; }; } >/dev/null 2>&1 ||
    say "wrk not installable: throughput left out"
fi

[ "$BUILD_ONLY" = 1 ] && { say "built; not running (--build-only)"; exit 0; }

# ---- run ----
mkdir -p "$HERE/results"
if [ "$SMOKE" = 1 ]; then OUT="$HERE/results/smoke"; elif [ ${#ONLY[@]} -gt 0 ]; then OUT="$ROOT/target/bench-only";
else OUT="$HERE/results/latest"; fi
ARTIFACTS=(--artifact "emulator=$EMULATOR")
PY_SO="$("$PY" -c 'import neon_api_keys, os, glob; d = os.path.dirname(neon_api_keys.__file__); print(next(iter(glob.glob(d + "/*.so")), ""))' 2>/dev/null || true)"
[ -n "$PY_SO" ] && ARTIFACTS+=(--artifact "python=$PY_SO")
[ -n "$NODE_ADDON" ] && ARTIFACTS+=(--artifact "node=$NODE_ADDON")
SWIFT_LIB="$(ls -t target/$PROFILE/libneon_api_keys_swift.so 2>/dev/null | head -1 || true)"
[ -n "$SWIFT_LIB" ] && ARTIFACTS+=(--artifact "swift=$ROOT/$SWIFT_LIB")
say "running ($([ "$SMOKE" = 1 ] && echo smoke || echo "$ROUNDS rounds"))"
python3 "$HERE/harness.py" $([ "$SMOKE" = 1 ] && echo --smoke) --rounds "$ROUNDS" \
  --emulator "$EMULATOR" --rust-driver "$RUST_DRIVER" --python "$PY" "${SWIFT_ARGS[@]}" "${ARTIFACTS[@]}" \
  "${ONLY[@]}" --out "$OUT.jsonl"
"$PY" "$HERE/report.py" "$OUT.jsonl" --md "$OUT.md" $([ "$SMOKE" = 0 ] && echo --chart "$OUT.png")
echo "bench: wrote ${OUT#$ROOT/}.md"
