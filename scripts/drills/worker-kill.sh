#!/usr/bin/env bash
# Fault drill (c): kill -9 the task worker mid-task (a slow document build and a slow tick).
#
#   scripts/drills/worker-kill.sh
#
# Private SQLite database and media folder under a temporary directory; a migrated template
# is kept in ${TMPDIR:-/tmp}/lift-drill-template.sqlite3 to make later runs quick. Bounded:
# 30 minutes at most.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec timeout 1800 .venv/bin/python scripts/drills/worker_kill_drill.py
