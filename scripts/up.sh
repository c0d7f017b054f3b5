#!/usr/bin/env bash
# Quick start, part one: installs what is missing, builds, and brings the whole system up.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/install-tools.sh
echo "[setup] building" >&2
npm run -s build
exec node --enable-source-maps dist/scripts/up.js
