#!/usr/bin/env bash
# Builds tools/compose-check (docker-compose.yml loaded by compose-go, the loader of Docker Compose v2)
# from the Go module proxy into the user-level cache that scripts/install-tools.sh uses, and prints
# nothing when it is already built. The folder is named by a hash of the program's go.mod, go.sum and
# main.go, so a changed pin or program builds anew; test/unit/compose-file.spec.ts computes the same.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$ROOT/tools/compose-check"
CACHE="${LIFECYCLE_TOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/investment-lifecycle-engine}"
hash=$(cat "$SRC/go.mod" "$SRC/go.sum" "$SRC/main.go" | sha256sum | cut -c1-16)
dir="$CACHE/compose-check-$hash"
[ -x "$dir/compose-check" ] && exit 0

command -v go >/dev/null || { echo "[setup] Go (1.24 or later) is required to build tools/compose-check" >&2; exit 1; }
mkdir -p "$CACHE"
# One build at a time per cache; the second to come finds the first one's result.
exec 8>"$CACHE/.compose-check.lock"
flock 8
[ -x "$dir/compose-check" ] && exit 0
printf '\033[1m[setup]\033[0m %s\n' "building tools/compose-check (compose-go) from the Go module proxy" >&2
rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
# -mod=readonly: exactly the committed go.sum; the build writes nothing into the checkout.
(cd "$SRC" && CGO_ENABLED=0 GOFLAGS='-trimpath -mod=readonly -buildvcs=false' \
  go build -ldflags='-s -w' -o "$dir.tmp/compose-check" .)
rm -rf "$dir" && mv "$dir.tmp" "$dir"
