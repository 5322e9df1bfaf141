#!/usr/bin/env bash
# Builds the package (debug, with the `test-hooks` feature the tests call), checks the generated files and the
# TypeScript types, then runs every `node --test` file (conformance included) against the emulator binary.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(cd .. && pwd)"

export NEON_EMULATOR_BIN="${NEON_EMULATOR_BIN:-$root/target/debug/neon-api-keys-emulator}"
if [[ ! -x "$NEON_EMULATOR_BIN" ]]; then
  (cd "$root" && cargo build -q -p neon-api-keys-emulator)
fi

scripts/build.sh --features test-hooks
(cd "$root" && cargo test -q -p neon-api-keys-node --features test-hooks)
scripts/check-generated.sh --no-build
npm run --silent check-types
node --test --test-reporter=spec test/*.test.mjs
