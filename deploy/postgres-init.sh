#!/bin/sh
# Run once by the postgres image on an empty data directory (docker-entrypoint-initdb.d), as the
# superuser: the app's database and Temporal's two, each owned by a login of its own, so that the
# app's credentials cannot reach Temporal's persistence and Temporal's cannot reach the event log.
#   lifecycle  owns `lifecycle`; CREATEROLE so its migrations can make the lifecycle_app group role and
#              the login the API and the worker use (scripts/migrate.ts, from DATABASE_APP_URL)
#   temporal   owns `temporal` and `temporal_visibility` (temporal-sql-tool's create finds them made)
# The extensions are made here, by the superuser, so neither owner needs more than its database.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v lifecycle_password="$LIFECYCLE_DB_PASSWORD" -v temporal_password="$TEMPORAL_DB_PASSWORD" <<'SQL'
CREATE ROLE lifecycle LOGIN CREATEROLE PASSWORD :'lifecycle_password';
CREATE DATABASE lifecycle OWNER lifecycle;
CREATE ROLE temporal LOGIN CREATEDB PASSWORD :'temporal_password';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
-- Only Temporal's login connects to its databases (PUBLIC may connect to a new database by default).
REVOKE ALL ON DATABASE temporal, temporal_visibility FROM PUBLIC;
\connect lifecycle
CREATE EXTENSION IF NOT EXISTS pg_trgm;
\connect temporal_visibility
CREATE EXTENSION IF NOT EXISTS btree_gin;
SQL
