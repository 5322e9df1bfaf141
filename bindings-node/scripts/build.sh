#!/usr/bin/env bash
# Builds the npm package in place: `npm ci` from the committed lockfile, then the native addon
# (neon-api-keys.<platform>.node) and napi's generated loader (index.js, index.d.ts).
# Usage: scripts/build.sh [--release] [napi build options]   (debug by default: the release profile uses fat LTO
# and is slow). scripts/test.sh adds `--features test-hooks`; a release build never has it.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v node >/dev/null || { echo "build.sh: node (>= 20.17) is required" >&2; exit 1; }
npm ci --no-audit --no-fund --loglevel=error
npx napi build --platform "$@"
