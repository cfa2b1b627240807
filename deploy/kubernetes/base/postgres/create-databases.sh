#!/bin/bash
# Run once by the postgres image on an empty data directory: one role and one database per service, each role
# owning only its own database. The passwords come from the Secret carbonstream-postgres (create-secrets.sh).
set -euo pipefail
for service in trainer telemetry carbon; do
  var="$(echo "$service" | tr a-z A-Z)_PASSWORD"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v role="$service" -v password="${!var}" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role";
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
SQL
done
