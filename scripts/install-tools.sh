#!/usr/bin/env bash
# Installs what the project needs and the machine may lack, pinned and cached:
#   - Node packages from package-lock.json with `npm ci` (again only when the lock changes)
#   - the Temporal CLI (real Temporal server + Web UI), built from the Go module proxy
#   - Temporal's server, temporal-sql-tool and Web UI server (the cluster on PostgreSQL), same way
#   - tools/compose-check (compose-go), which loads docker-compose.yml as Docker Compose v2 does
#   - SeaweedFS's `weed` (the S3-compatible server of the object-store tests), built in tools/seaweedfs
#   - Temporal's Java time-skipping test server, resolved from Maven Central, behind a wrapper script
#     (--start-time='2025-09-20 00:00:00' starts its clock there, through faketime)
#   - Schemathesis, from PyPI into its own Python venv, for the OpenAPI document's fuzz test
#   - Debian's chromium and fonts-noto-cjk, for the console's browser tests
#   - Debian's LibreOffice Calc (no GUI), which saves the workbooks of another producer for the ledger tests
# Tools go to a user-level cache shared by every clone on the machine; a changed pin builds anew.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=../tools/versions.env
source tools/versions.env
CACHE="${LIFECYCLE_TOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/investment-lifecycle-engine}"
mkdir -p "$CACHE"
say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
export SCARF_ANALYTICS=false

apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing $* from Debian's packages"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    say "missing: $* (install them, then run this again)"; exit 1
  fi
}
command -v node >/dev/null || { say "Node.js 20 or later is required"; exit 1; }
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || { say "Node.js >= 20.19 is required (found $(node -v))"; exit 1; }
command -v java >/dev/null || apt_install default-jre-headless
command -v mvn >/dev/null || apt_install maven
# Lets time-skipping tests start the test server's clock on a chosen day (e.g. before a holiday).
command -v faketime >/dev/null || apt_install faketime
command -v go >/dev/null || { say "Go (1.23 or later) is required to build the Temporal CLI"; exit 1; }
command -v python3 >/dev/null || apt_install python3
# Debian's python3 has venv (and the pip it seeds) in a package of its own.
python3 -c 'import ensurepip, venv' 2>/dev/null || apt_install python3-venv
# The console's browser tests drive Debian's Chromium through playwright-core (Playwright's own
# browser download is not used); without CJK fonts every Chinese glyph in a screenshot is a box.
browser_packages=()
command -v chromium >/dev/null || browser_packages+=(chromium)
[ -n "$(fc-list 'Noto Sans CJK SC' 2>/dev/null)" ] || browser_packages+=(fonts-noto-cjk)
if [ ${#browser_packages[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null; then apt_install "${browser_packages[@]}"
  else say "missing: ${browser_packages[*]} (no apt-get here: install Chromium and Noto CJK fonts yourself)"; exit 1; fi
fi
# The ledger's import must read workbooks that LibreOffice saved, not only those exceljs wrote; the
# tests convert one with it. Without recommends: Calc alone, no desktop.
command -v soffice >/dev/null || apt_install --no-install-recommends libreoffice-calc-nogui

# One installer at a time per cache (CI and a developer may start together).
exec 9>"$CACHE/.install.lock"
flock 9

# --- Node packages ---
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.lock-hash ] || [ "$(cat node_modules/.lock-hash)" != "$lock_hash" ]; then
  say "installing Node packages"
  # `npm ci`: exactly the committed lock, which it never rewrites (so the checkout stays clean). The lock
  # lists every platform's optional packages (@swc/core, @unrs/resolver-binding); without them `ci` refuses it.
  npm ci --no-audit --no-fund --loglevel=error
  sha256sum package-lock.json | cut -d' ' -f1 > node_modules/.lock-hash
fi

# --- Temporal CLI ---
cli_dir="$CACHE/temporal-cli-$TEMPORAL_CLI_VERSION"
if [ ! -x "$cli_dir/temporal" ]; then
  say "building the Temporal CLI $TEMPORAL_CLI_VERSION from the Go module proxy (a few minutes, once per machine)"
  rm -rf "$cli_dir.tmp" && mkdir -p "$cli_dir.tmp"
  GOBIN="$cli_dir.tmp" CGO_ENABLED=0 GOFLAGS=-trimpath \
    go install -ldflags='-s -w' "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"
  rm -rf "$cli_dir" && mv "$cli_dir.tmp" "$cli_dir"
fi

# --- Temporal server and temporal-sql-tool (the cluster on PostgreSQL) ---
# Both from one module at one version; the schema and config template ship beside them, since a Go
# module cache may be cleaned.
server_dir="$CACHE/temporal-server-$TEMPORAL_SERVER_VERSION"
if [ ! -x "$server_dir/temporal-server" ] || [ ! -x "$server_dir/temporal-sql-tool" ] || [ ! -d "$server_dir/schema/postgresql/v12" ]; then
  say "building the Temporal server $TEMPORAL_SERVER_VERSION and its SQL tool from the Go module proxy (several minutes, once per machine)"
  rm -rf "$server_dir.tmp" && mkdir -p "$server_dir.tmp"
  GOBIN="$server_dir.tmp" CGO_ENABLED=0 GOFLAGS=-trimpath \
    go install -ldflags='-s -w' "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION" \
    "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION"
  mv "$server_dir.tmp/server" "$server_dir.tmp/temporal-server"
  mv "$server_dir.tmp/sql" "$server_dir.tmp/temporal-sql-tool"
  module_dir="$(go env GOMODCACHE)/go.temporal.io/server@$TEMPORAL_SERVER_VERSION"
  mkdir -p "$server_dir.tmp/schema/postgresql" "$server_dir.tmp/config"
  cp -R "$module_dir/schema/postgresql/v12" "$server_dir.tmp/schema/postgresql/v12"
  cp "$module_dir/config/development-postgres12.yaml" "$server_dir.tmp/config/"
  chmod -R u+w "$server_dir.tmp"  # the module cache is read-only; its copies need not be
  rm -rf "$server_dir" && mv "$server_dir.tmp" "$server_dir"
fi

# --- Temporal Web UI server ---
ui_dir="$CACHE/temporal-ui-server-$TEMPORAL_UI_SERVER_VERSION"
if [ ! -x "$ui_dir/temporal-ui-server" ]; then
  say "building the Temporal Web UI server $TEMPORAL_UI_SERVER_VERSION from the Go module proxy"
  rm -rf "$ui_dir.tmp" && mkdir -p "$ui_dir.tmp"
  GOBIN="$ui_dir.tmp" CGO_ENABLED=0 GOFLAGS=-trimpath \
    go install -ldflags='-s -w' "github.com/temporalio/ui-server/v2/cmd/server@$TEMPORAL_UI_SERVER_VERSION"
  mv "$ui_dir.tmp/server" "$ui_dir.tmp/temporal-ui-server"
  rm -rf "$ui_dir" && mv "$ui_dir.tmp" "$ui_dir"
fi

# --- docker-compose.yml's checker (compose-go, the loader of Docker Compose v2), for its tests ---
bash scripts/install-compose-check.sh

# --- SeaweedFS (`weed server -s3`), the object store the S3 file store is tested against ---
bash scripts/install-seaweedfs.sh

# --- Temporal's Java time-skipping test server ---
ts_dir="$CACHE/temporal-test-server-$TEMPORAL_TEST_SERVER_VERSION"
wrapper_rev=5  # bump when the wrapper below changes
if [ ! -f "$ts_dir/lib/temporal-test-server-$TEMPORAL_TEST_SERVER_VERSION.jar" ] || ! grep -q "wrapper $wrapper_rev" "$ts_dir/bin/temporal-test-server" 2>/dev/null; then
  say "resolving Temporal's test server $TEMPORAL_TEST_SERVER_VERSION from Maven Central"
  rm -rf "$ts_dir.tmp" && mkdir -p "$ts_dir.tmp/bin"
  mvn -B -q -Dstyle.color=never -f tools/temporal-test-server/pom.xml \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$ts_dir.tmp/lib" \
    -Dtemporal.test.server.version="$TEMPORAL_TEST_SERVER_VERSION"
  cat > "$ts_dir.tmp/bin/temporal-test-server" <<WRAP
#!/usr/bin/env bash
# Temporal's time-skipping test server: temporal-test-server <port> [--enable-time-skipping]  (wrapper $wrapper_rev)
# --start-time='YYYY-MM-DD HH:MM:SS' (UTC), or TEMPORAL_TEST_SERVER_START_TIME, starts the server's clock there.
start="\${TEMPORAL_TEST_SERVER_START_TIME:-}"
args=()
for a in "\$@"; do
  case "\$a" in --start-time=*) start="\${a#--start-time=}" ;; *) args+=("\$a") ;; esac
done
java_cmd=(java -Xss1m -XX:+UseSerialGC -cp "$ts_dir/lib/*" io.temporal.testserver.TestServer "\${args[@]}")
if [ -n "\$start" ]; then
  # libfaketime preloaded into Java itself (the faketime program would fork, and outlive a kill).
  lib=\$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n 1)
  [ -n "\$lib" ] || { echo "libfaketime is not installed (Debian package faketime)" >&2; exit 1; }
  export LD_PRELOAD="\$lib" FAKETIME="@\$start" TZ=UTC
fi
exec "\${java_cmd[@]}"
WRAP
  chmod +x "$ts_dir.tmp/bin/temporal-test-server"
  rm -rf "$ts_dir" && mv "$ts_dir.tmp" "$ts_dir"
fi

# --- Schemathesis ---
st_dir="$CACHE/schemathesis-$SCHEMATHESIS_VERSION"
# A venv's scripts name their own path, so it is built where it stays; .installed marks it complete.
if [ ! -f "$st_dir/.installed" ]; then
  say "installing Schemathesis $SCHEMATHESIS_VERSION from PyPI"
  rm -rf "$st_dir"
  python3 -m venv "$st_dir"
  "$st_dir/bin/pip" install --quiet --disable-pip-version-check --no-input "schemathesis==$SCHEMATHESIS_VERSION"
  "$st_dir/bin/st" --version >/dev/null
  touch "$st_dir/.installed"
fi
