#!/bin/sh
# Runs once, when the PostgreSQL volume is first initialised: Keycloak gets a role and database of its own beside
# mcs-fhir's, so that neither can read the other's tables.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=password="$KEYCLOAK_DB_PASSWORD" <<'SQL'
CREATE ROLE keycloak LOGIN PASSWORD :'password';
CREATE DATABASE keycloak OWNER keycloak;
SQL
