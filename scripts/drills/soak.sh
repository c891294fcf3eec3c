#!/usr/bin/env bash
# Soak drill: does a long-running server hold memory per request?
#
#   scripts/drills/soak.sh                 # 5,000 requests
#   LIFT_SOAK_REQUESTS=3000 scripts/drills/soak.sh
#
# gunicorn (one sync worker, the production settings, plain HTTP) on 127.0.0.1:8765 with its
# own SQLite demo database under var/soak/ (made once with `lift migrate` and `lift demo`);
# a signed-in demo business unit requests the key pages over and over, and the worker's RSS
# (VmRSS) is printed after every 1,000 requests with the growth per thousand. Fails when the
# growth per thousand after the warm-up exceeds LIFT_SOAK_MAX_GROWTH_MB (default 2).
# Bounded: LIFT_SOAK_SECONDS (default 1200) for the requests, 40 minutes in all.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec timeout 2400 .venv/bin/python scripts/drills/soak_drill.py
