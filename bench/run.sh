#!/usr/bin/env bash
# The benchmark suite: installs what is missing, builds, then runs every section on a local stack of
# its own and writes BENCHMARKS.md. Not part of the test command. Arguments go to bench/run.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-tools.sh
npm run -s build
exec node --max-semi-space-size=128 dist/bench/run.js "$@"
