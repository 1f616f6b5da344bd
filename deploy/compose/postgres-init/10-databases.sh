#!/bin/sh
# Runs once, when the postgres container initialises an empty data directory
# (docker-entrypoint-initdb.d). Creates the demo target database with its fake-PII data, and the
# `gatehouse` database that the ledger and approval services migrate and use.
set -e

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<'SQL'
CREATE DATABASE demo;
CREATE DATABASE gatehouse;
SQL

# demo.sql is mounted in a subdirectory so that the entrypoint does not also run it against the
# default database; it belongs in `demo`.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname demo \
  --file /docker-entrypoint-initdb.d/demo/demo.sql
