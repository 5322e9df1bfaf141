#!/usr/bin/env bash
# Fails when the committed napi-generated files (index.js, index.d.ts) differ from what the Rust sources
# generate. Regenerates them with a debug build first unless --no-build is given (scripts/test.sh has
# just built). Fix a failure with `scripts/build.sh` and commit the two files.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" != "--no-build" ]]; then
  [[ -d node_modules/@napi-rs/cli ]] || npm ci --no-audit --no-fund --loglevel=error
  npx napi build --platform
fi
if ! git diff --exit-code -- index.js index.d.ts; then
  echo "check-generated: index.js / index.d.ts are stale: run bindings-node/scripts/build.sh and commit them" >&2
  exit 1
fi
if [[ -n "$(git status --porcelain -- index.js index.d.ts)" ]]; then
  echo "check-generated: index.js / index.d.ts are not committed" >&2
  exit 1
fi
echo "check-generated: index.js and index.d.ts are up to date"
