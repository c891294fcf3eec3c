#!/usr/bin/env bash
# Fault drill (b): kill -9 gunicorn workers in the middle of API writes.
#
#   scripts/drills/web-kill.sh
#
# gunicorn with the production settings on 127.0.0.1 only (plain HTTP, a random SECRET_KEY),
# a private SQLite database and media folder under a temporary directory; the migrated
# template ${TMPDIR:-/tmp}/lift-drill-template.sqlite3 is shared with worker-kill.sh.
# Bounded: 30 minutes at most.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec timeout 1800 .venv/bin/python scripts/drills/web_kill_drill.py
