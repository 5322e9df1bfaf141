#!/usr/bin/env bash
# Builds the Python binding into bindings-python/.venv (created with the machine's python3, or $PYTHON):
# installs the pinned tools of requirements-dev.txt (scripts/venv.sh), then `maturin develop` (debug build, workspace target/).
# Usage: bindings-python/scripts/build.sh [--release]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$here/.venv"

"$here/scripts/venv.sh"

cd "$here"
export VIRTUAL_ENV="$venv"
export PATH="$venv/bin:$PATH"
unset CONDA_PREFIX || true
maturin develop --quiet "$@"
"$venv/bin/python" -c 'import neon_api_keys as n; print("built neon_api_keys", n.__version__)'
