#!/usr/bin/env bash
# Fault drill (a): PostgreSQL stops and restarts under a running server.
#
#   scripts/drills/readyz.sh
#
# Uses its own PostgreSQL cluster "15 liftdrill" (created on first run, on a free loopback
# port) so stopping it never disturbs the shared "15 main" cluster; set LIFT_PG_CLUSTER=main to
# drill that one instead. Needs root or sudo (to run pg_ctlcluster). Bounded: 15 minutes at most (the first run migrates a new database; later runs take about a minute).
set -euo pipefail
cd "$(dirname "$0")/../.."
export LIFT_PG_CLUSTER="${LIFT_PG_CLUSTER:-liftdrill}"
exec timeout 900 scripts/postgres-test-env .venv/bin/python scripts/drills/readyz_drill.py
