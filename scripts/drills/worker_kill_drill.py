"""Drill: kill -9 the task worker mid-task. Run via worker-kill.sh.

On a private SQLite database (a temporary directory, nothing shared), it queues a slow
document build and a tick whose slow step sends reminders (the fictional `drill_workload`
app), starts `lift db_worker`, kills it with SIGKILL in the middle of each task, starts a new
worker and checks:

- the half-built document is not published (not "ready", no file) while the worker is dead;
- the killed tasks are retried and complete once a worker runs again;
- every reminder is sent exactly once (one notification and one e-mail per key), however
  often the tick runs;
- the rebuilt document is published whole (a readable PDF).
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import HERE, LIFT, check, lift_py, private_database, start_group, stop_group, summary

STALE_SECONDS = "20"
# One worker runs, one after another, the killed build (a minute), the killed tick and the
# new one (24 seconds each): about 110 seconds of work, so 180 leaves room on a busy machine.
RETRY_SECONDS = int(os.environ.get("LIFT_DRILL_RETRY_SECONDS", "180"))


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="lift-worker-drill-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "drill_settings",
        "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
        "LIFT_DEBUG": "false",
        "LIFT_MEDIA_ROOT": str(work / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # A task still "running" this long after it started has lost its worker: the tick
        # queues it again (LIFT's production default is far longer than any task).
        "LIFT_TASK_STALE_SECONDS": STALE_SECONDS,
    }
    env.pop("DATABASE_URL", None)
    db = private_database(env, work)

    def py(code: str) -> dict:
        return lift_py(env, code)

    setup = py(
        """
import json
from django_tasks import default_task_backend
from lift.core.roles import Role
from lift.core.services import partnership_create, person_create
from lift.core.documents import document_request
from lift.core.tasks import tick_task
p = partnership_create(name="Kingsbrook Drill Partnership", short_name="Kingsbrook Drill",
    slug="kingsbrook-drill", area="Kingsbrook (fictional)", regime="current")
person = person_create(partnership=p, email="drill.owner@kingsbrook.example",
    full_name="Drill Owner", job_title="Business manager", role=Role.BUSINESS_UNIT,
    agency=None, password="drill-password-not-used")
doc = document_request(kind="drill-slow", subject=p, fmt="pdf", user=person)
tick = tick_task.enqueue()
print(json.dumps({"doc": doc.pk, "tick": str(tick.id)}))
"""
    )

    def state() -> dict:
        # Read straight from the SQLite file: fast enough to catch a task mid-way.
        with sqlite3.connect(db, timeout=30) as c:
            doc_status, progress, file_name = c.execute(
                "SELECT status, progress, file FROM core_generateddocument WHERE id = ?",
                (setup["doc"],),
            ).fetchone()
            tasks = dict(c.execute("SELECT id, status FROM django_tasks_database_dbtaskresult"))
            keys = [
                k
                for (k,) in c.execute("SELECT key FROM core_notification WHERE key LIKE 'drill:%'")
            ]
            mails = [
                k
                for (k,) in c.execute("SELECT key FROM core_outboundemail WHERE key LIKE 'drill:%'")
            ]
        pdf = b""
        if file_name:
            path = work / "media" / file_name
            pdf = path.read_bytes() if path.exists() else b""
        return {
            "doc": doc_status,
            "progress": progress,
            "file": bool(file_name),
            "pdf_ok": pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:],
            "tasks": {str(k): v for k, v in tasks.items()},
            "keys": keys,
            "mails": mails,
        }

    def start_worker() -> subprocess.Popen:
        return start_group([LIFT, "db_worker", "--interval", "0.5"], env)

    worker = start_worker()
    try:
        # Wait until both tasks are under way: the document partly built, some reminders sent.
        deadline = time.monotonic() + 300
        s = state()
        while time.monotonic() < deadline and not (
            (s["doc"] == "building" and s["progress"] >= 9) or len(s["keys"]) >= 2
        ):
            time.sleep(0.5)
            s = state()
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        s = state()
        running = [i for i, st in s["tasks"].items() if st == "RUNNING"]
        check(
            f"worker killed with SIGKILL mid-task (document {s['doc']} at {s['progress']}%, "
            f"{len(s['keys'])} reminders sent, {len(running)} task(s) left running)",
            bool(running),
        )
        if not running:
            print("The worker finished before it could be killed: the drill proves nothing.")
            return 1
        check(
            "the half-built document is not published (not ready, no file)",
            s["doc"] != "ready" and not s["file"],
        )
        check(
            "no reminder was sent twice before the kill",
            len(s["keys"]) == len(set(s["keys"])) and len(s["mails"]) == len(set(s["mails"])),
        )
        # A new worker (and the next tick, as cron would run it, once the killed task is
        # older than LIFT_TASK_STALE_SECONDS) must finish the work.
        time.sleep(int(STALE_SECONDS) + 1)
        worker = start_worker()
        py("import json; from lift.core.tasks import tick_task; tick_task.enqueue(); print('{}')")
        deadline = time.monotonic() + RETRY_SECONDS
        s = state()
        while time.monotonic() < deadline and (
            s["doc"] != "ready"
            or any(st in ("READY", "RUNNING") for st in s["tasks"].values())
            or len(s["keys"]) < 12
        ):
            time.sleep(1)
            s = state()
        stuck = {i: st for i, st in s["tasks"].items() if st in ("READY", "RUNNING")}
        took = RETRY_SECONDS - max(0, round(deadline - time.monotonic()))
        check(
            f"the killed tasks were retried and finished in {took}s (limit {RETRY_SECONDS}s) "
            f"(tasks: {sorted(s['tasks'].values())})",
            not stuck,
        )
        check(
            f"the document was rebuilt and published whole (status {s['doc']}, PDF complete)",
            s["doc"] == "ready" and s["pdf_ok"],
        )
        check(
            f"every reminder sent exactly once ({len(s['keys'])} notifications, "
            f"{len(s['mails'])} e-mails for 12 keys)",
            sorted(s["keys"]) == sorted(set(s["keys"]))
            and len(s["keys"]) == 12
            and sorted(s["mails"]) == sorted(s["keys"]),
        )
    finally:
        stop_group(worker, grace=10)
        shutil.rmtree(work, ignore_errors=True)
    return summary("worker-kill drill")


if __name__ == "__main__":
    sys.exit(main())
