#!/usr/bin/env bash
# Builds the binding (scripts/build.sh) and the emulator, then runs the Python tests: the conformance suite on
# Client and AsyncClient (prints `conformance python: N passed, M failed`) and the behaviour tests.
# Usage: bindings-python/scripts/test.sh [pytest args...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/.." && pwd)"

"$here/scripts/build.sh"
if [ -z "${NEON_EMULATOR_BIN:-}" ]; then
    (cd "$root" && cargo build --quiet -p neon-api-keys-emulator --bin neon-api-keys-emulator)
fi
"$here/.venv/bin/python" "$here/scripts/gen-stubs.py" --check
cd "$here"
exec "$here/.venv/bin/python" -m pytest -p no:cacheprovider "$@"
