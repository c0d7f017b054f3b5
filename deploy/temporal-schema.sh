#!/bin/sh
# Creates or migrates Temporal's schema (temporal-schema job of docker-compose.yml, admin-tools
# image): each database is created if missing, set up at version 0.0 if empty, then brought to the
# newest version this image ships. Every step is a no-op when already done, so the job runs at every
# start, and an upgrade of the images migrates the schema before the new server starts.
# The connection comes from SQL_HOST, SQL_PORT and SQL_USER (the tool reads SQL_PASSWORD itself), the
# databases from DBNAME and VISIBILITY_DBNAME, as the server's config template names them.
set -eu
: "${SQL_HOST:?}" "${SQL_USER:?}" "${SQL_PASSWORD:?}" "${DBNAME:?}" "${VISIBILITY_DBNAME:?}"
sql() { temporal-sql-tool --plugin postgres12 --ep "$SQL_HOST" -p "${SQL_PORT:-5432}" -u "$SQL_USER" "$@"; }
SCHEMA_DIR=${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}
for pair in "$DBNAME:temporal" "$VISIBILITY_DBNAME:visibility"; do
  db=${pair%%:*}
  dir="$SCHEMA_DIR/${pair#*:}/versioned"
  [ -d "$dir" ] || { echo "no schema directory $dir in this image" >&2; exit 1; }
  echo "schema of $db from $dir"
  sql --db "$db" create-database
  sql --db "$db" setup-schema -v 0.0
  sql --db "$db" update-schema -d "$dir"
done
