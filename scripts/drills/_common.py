"""What the kill drills (web_kill_drill.py, worker_kill_drill.py) share: PASS/FAIL checks and
the final line, a private SQLite database copied from a migrated template, Django code run
through `lift shell`, and servers started in a process group of their own (so a kill reaches
the master and every worker it forked) and stopped again, whatever happened.

Imported as `_common` (the drills run as scripts from this folder).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
LIFT = str(BIN / "lift")
# Migrated once and copied for each run; shared by both drills.
TEMPLATE = Path(tempfile.gettempdir()) / "lift-drill-template.sqlite3"

results: list[tuple[str, bool]] = []


def check(what: str, ok: bool) -> None:
    results.append((what, ok))
    print(f"{'PASS' if ok else 'FAIL'}  {what}", flush=True)


def summary(drill: str) -> int:
    """Print the final PASS/FAIL line; the exit code (1 when any check failed)."""
    failed = [what for what, ok in results if not ok]
    passed = len(results) - len(failed)
    print(f"{'FAIL' if failed else 'PASS'}: {drill}, {passed}/{len(results)} checks passed")
    return 1 if failed else 0


def private_database(env: dict[str, str], work: Path) -> Path:
    """Migrate the template (quick when it is up to date), copy it into `work` and point
    `env` at the copy; the copy's path."""
    template_env = {**env, "DATABASE_URL": f"sqlite:///{TEMPLATE}"}
    print("Migrating the drill database (quick when it is up to date)...", flush=True)
    subprocess.run([LIFT, "migrate", "-v0"], check=True, env=template_env, timeout=1800)
    db = work / "drill.sqlite3"
    shutil.copy(TEMPLATE, db)
    env["DATABASE_URL"] = f"sqlite:///{db}"
    return db


def lift_py(env: dict[str, str], code: str) -> dict:
    """Run `code` with `lift shell -c`; its last line of output, parsed as JSON."""
    out = subprocess.run(
        [LIFT, "shell", "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    if out.returncode != 0:
        print(out.stderr[-3000:], file=sys.stderr)
        raise RuntimeError("drill helper failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def start_group(command: list[str], env: dict[str, str]) -> subprocess.Popen:
    """Start `command` as the leader of a new process group, its output discarded."""
    return subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop_group(process: subprocess.Popen, grace: float) -> None:
    """SIGTERM the process group of `process` (what is left of it), then SIGKILL it if
    the leader has not exited within `grace` seconds."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:  # the whole group is gone already
        return
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
