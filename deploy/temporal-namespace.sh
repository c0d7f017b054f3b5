#!/bin/sh
# Registers the app's namespace and the search attributes its project workflows set (temporal-setup
# job of docker-compose.yml, admin-tools image), and exits 0 only once the frontend lists every one
# of them with its type. A workflow that sets an attribute its namespace lacks fails every task with
# BadSearchAttributes (POST /api/projects then hangs), so the worker and the API wait for this job,
# and a failure here stops the start with the server's own message.
#   TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_NAMESPACE_RETENTION (e.g. 720h)
#   SEARCH_ATTRIBUTES   "Name=Type ..." (docker-compose.yml; the same as PROJECT_SEARCH_ATTRIBUTES)
#   SETUP_TIMEOUT_SECONDS  how long to wait for the server, the namespace and the attributes (300)
set -eu
: "${TEMPORAL_ADDRESS:?}" "${TEMPORAL_NAMESPACE:?}" "${TEMPORAL_NAMESPACE_RETENTION:?}" "${SEARCH_ATTRIBUTES:?}"
ns=$TEMPORAL_NAMESPACE
deadline=$(($(date +%s) + ${SETUP_TIMEOUT_SECONDS:-300}))
out=$(mktemp)
list=$(mktemp)
trap 'rm -f "$out" "$list"' EXIT

# Runs "$@" until it succeeds; past the deadline, prints its last output and fails.
retry() {
  what=$1
  shift
  until "$@" >"$out" 2>&1; do
    # An attribute the namespace has with another type never heals by waiting.
    if [ "$(date +%s)" -ge "$deadline" ] || grep -qi 'different type' "$out"; then
      echo "failed waiting for $what; the last answer was:" >&2
      cat "$out" >&2
      exit 1
    fi
    sleep 2
  done
}

retry "the frontend at $TEMPORAL_ADDRESS" temporal operator cluster health

if temporal operator namespace describe --namespace "$ns" >"$out" 2>&1; then
  echo "namespace $ns is registered"
else
  echo "registering namespace $ns (retention $TEMPORAL_NAMESPACE_RETENTION)"
  # Another start may register it at the same moment: that is the one failure taken as success.
  if ! temporal operator namespace create --namespace "$ns" --retention "$TEMPORAL_NAMESPACE_RETENTION" >"$out" 2>&1; then
    grep -qi 'already' "$out" || { cat "$out" >&2; exit 1; }
  fi
fi
retry "namespace $ns to be described" temporal operator namespace describe --namespace "$ns"

# Whether the frontend lists the attribute with this type (its table: Name, then Type).
listed() {
  temporal operator search-attribute list --namespace "$ns" >"$list" 2>&1 || { cat "$list"; return 1; }
  grep -Eq "(^|[[:space:]])$1[[:space:]]+$2([[:space:]]|\$)" "$list"
}
# Creating one the namespace already has with the same type is a no-op; with another type it fails.
# The frontend's namespace cache lags a registration by about 10 s: until then creating fails with
# NotFound, so each attribute is retried until it is listed or the deadline passes.
ensure_attribute() {
  listed "$1" "$2" && return 0
  temporal operator search-attribute create --namespace "$ns" --name "$1" --type "$2" || return 1
  listed "$1" "$2" || { echo "created, but not listed as $1 $2 yet"; return 1; }
}
for pair in $SEARCH_ATTRIBUTES; do
  name=${pair%%=*}
  type=${pair#*=}
  retry "search attribute $name ($type) in namespace $ns" ensure_attribute "$name" "$type"
  echo "search attribute $name ($type) is listed in namespace $ns"
done
