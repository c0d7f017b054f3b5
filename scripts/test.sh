#!/usr/bin/env bash
# Quick start, part two: every check and every test, on a fresh clone. Exits non-zero on any failure.
#   format (prettier) · lint (eslint) · types (tsc) · build · unit, integration and end-to-end tests (jest)
#   · and the checkout as clean as it was (git status lists nothing the run generated)
# Integration and e2e tests start their own PostgreSQL and Temporal servers on free ports.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# What the checkout already shows before the run (a developer's own edits); anything the run adds to
# it is a file that start-up or a test generated outside .data/, dist/ or .gitignore.
status_before=$(git status --porcelain --untracked-files=all 2>/dev/null | LC_ALL=C sort)
bash scripts/install-tools.sh || exit 1

failed=()
step() {
  local name=$1; shift
  printf '\n\033[1m== %s ==\033[0m\n' "$name"
  local t0=$SECONDS
  if "$@"; then printf '%s: ok (%ss)\n' "$name" $((SECONDS - t0)); else failed+=("$name"); printf '%s: FAILED\n' "$name"; fi
}

mkdir -p .data
step format npx prettier --check --log-level warn .
step lint npx eslint . --max-warnings 0
step types npx tsc -p tsconfig.json --noEmit
step build npm run -s build
# One test file at a time (they share the servers), in a worker process that is replaced once it holds
# more than 2 GB after a file: run in band, the suite's ~125 files grew one process past Node's heap limit.
step tests npx jest --ci --maxWorkers=1 --workerIdleMemoryLimit=2G --json --outputFile=.data/jest-results.json
clean_checkout() {
  local added
  added=$(LC_ALL=C comm -13 <(printf '%s\n' "$status_before") \
    <(git status --porcelain --untracked-files=all | LC_ALL=C sort) | sed '/^$/d')
  [ -z "$added" ] && return 0
  echo "the run left these in the checkout (write them under .data/ or dist/, or .gitignore them):"
  printf '%s\n' "$added"
  return 1
}
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then step clean-checkout clean_checkout; fi

# One closing line with the totals, whatever the runner printed above it. A skipped or to-do test is
# a failure: a test that did not run (a browser that was not there, say) has shown nothing.
if [ -f .data/jest-results.json ]; then
  node -e 'const r=require("./.data/jest-results.json"); console.log(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : "") + (r.numTodoTests ? `, ${r.numTodoTests} to do` : ""))'
  node -e 'const r=require("./.data/jest-results.json"); process.exit(r.numPendingTests + r.numTodoTests > 0 ? 1 : 0)' \
    || failed+=("skipped tests")
fi
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}"
  exit 1
fi
echo "all checks passed"
