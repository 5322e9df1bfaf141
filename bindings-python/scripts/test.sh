#!/usr/bin/env bash
# Builds the binding (scripts/build.sh, with the test-hooks feature) and the emulator, checks the stubs,
# type-checks the package (stubs included), the examples and tests/typing/ with `mypy --strict` and
# `pyright --strict` (pyproject.toml [tool.pyright]), then runs the Python tests: the conformance suite on Client and
# AsyncClient (prints `conformance python: N passed, M failed`, counting cases), the behaviour tests and the
# examples (run against the in-process emulator).
# Usage: bindings-python/scripts/test.sh [pytest args...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/.." && pwd)"

"$here/scripts/build.sh" --features test-hooks
if [ -z "${NEON_EMULATOR_BIN:-}" ]; then
    (cd "$root" && cargo build --quiet -p neon-api-keys-emulator --bin neon-api-keys-emulator)
fi
"$here/.venv/bin/python" "$here/scripts/gen-stubs.py" --check
cd "$here"
"$here/.venv/bin/python" -m mypy --strict --no-incremental --cache-dir=/dev/null --pretty \
    python/neon_api_keys/ examples/ tests/typing/
"$here/.venv/bin/pyright" --project "$here/pyproject.toml" --pythonpath "$here/.venv/bin/python"
exec "$here/.venv/bin/python" -m pytest -p no:cacheprovider "$@"
