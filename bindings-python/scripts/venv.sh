#!/usr/bin/env bash
# Creates bindings-python/.venv (with the machine's python3, or $PYTHON) and installs the pinned tools of
# requirements-dev.txt into it (again only when that file changed). Used by build.sh and check-wheel.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
stamp="$venv/.requirements-dev.installed"
if ! cmp -s "$here/requirements-dev.txt" "$stamp"; then
    "$venv/bin/python" -m pip install --disable-pip-version-check --quiet -r "$here/requirements-dev.txt"
    cp "$here/requirements-dev.txt" "$stamp"
fi
