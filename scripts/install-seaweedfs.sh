#!/usr/bin/env bash
# Builds SeaweedFS's `weed` (the S3-compatible server the object-store tests start) from the Go module
# proxy into the user-level cache that scripts/install-tools.sh uses, and prints nothing when it is
# already built. The pin is SEAWEEDFS_VERSION in tools/versions.env, required by tools/seaweedfs/go.mod:
# SeaweedFS's go.mod has a replace directive, which `go install …@version` refuses, so it is built
# inside that module of ours, which copies the directive. A changed pin builds into a new folder.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../tools/versions.env
source "$ROOT/tools/versions.env"
SRC="$ROOT/tools/seaweedfs"
CACHE="${LIFECYCLE_TOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/investment-lifecycle-engine}"
dir="$CACHE/seaweedfs-$SEAWEEDFS_VERSION"
[ -x "$dir/weed" ] && exit 0

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
grep -Eq "^(require)?[[:space:]]*github.com/seaweedfs/seaweedfs $SEAWEEDFS_VERSION( |\$)" "$SRC/go.mod" || {
  say "tools/seaweedfs/go.mod does not require github.com/seaweedfs/seaweedfs $SEAWEEDFS_VERSION (tools/versions.env): change both"
  exit 1
}
command -v go >/dev/null || { say "Go (1.26.6 or later) is required to build SeaweedFS"; exit 1; }
mkdir -p "$CACHE"
# One build at a time per cache; the second to come finds the first one's result.
exec 7>"$CACHE/.seaweedfs.lock"
flock 7
[ -x "$dir/weed" ] && exit 0
say "building SeaweedFS $SEAWEEDFS_VERSION from the Go module proxy (several minutes, once per machine)"
rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
# -mod=readonly: exactly the committed go.sum; nice: a long build that leaves the machine usable.
(cd "$SRC" && CGO_ENABLED=0 GOFLAGS='-trimpath -mod=readonly -buildvcs=false' \
  nice -n 10 go build -ldflags='-s -w' -o "$dir.tmp/weed" github.com/seaweedfs/seaweedfs/weed)
"$dir.tmp/weed" version >/dev/null
rm -rf "$dir" && mv "$dir.tmp" "$dir"
