"""Drill: kill -9 web workers in the middle of writes. Run via web-kill.sh.

Starts gunicorn with the production settings (plain HTTP on 127.0.0.1 only, a private SQLite
database in a temporary directory), has several clients create agencies through the API as
fast as they can (each create writes the agency and its change-log entry in one
transaction), and SIGKILLs a gunicorn worker every fraction of a second while they do. Then
checks:

- workers really were killed while requests were in flight (some requests broke off);
- every agency that exists has its change-log "create" entry, and every such entry has its
  agency: no partial record, whatever was cut off;
- every create the server confirmed (201) is there;
- the server kept serving: a new worker took over, /readyz is 200 and a create still works.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from _common import BIN, check, lift_py, private_database, start_group, stop_group, summary

STORM_SECONDS = float(os.environ.get("LIFT_DRILL_STORM_SECONDS", "20"))
CLIENTS = 6


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True
    ).stdout
    return [int(p) for p in out.split()]


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="lift-web-drill-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lift.config.settings.production",
        "LIFT_DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LIFT_SECURE_SSL_REDIRECT": "false",
        "LIFT_MEDIA_ROOT": str(work / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LIFT_DB_CONN_MAX_AGE": "0",
    }
    private_database(env, work)

    def py(code: str) -> dict:
        return lift_py(env, code)

    setup = py(
        """
import json
from rest_framework.authtoken.models import Token
from lift.core.roles import Role
from lift.core.services import partnership_create, person_create
p = partnership_create(name="Kingsbrook Drill Partnership", short_name="Kingsbrook Drill",
    slug="kingsbrook-drill", area="Kingsbrook (fictional)", regime="current")
person = person_create(partnership=p, email="drill.bu@kingsbrook.example",
    full_name="Drill Business Unit", job_title="Business manager", role=Role.BUSINESS_UNIT,
    agency=None, password="drill-password-not-used")
print(json.dumps({"token": Token.objects.create(user=person).key, "partnership": p.pk}))
"""
    )
    env["LIFT_ENFORCE_MFA"] = "false"  # token clients cannot answer a second factor
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_group(
        [
            str(BIN / "gunicorn"),
            "lift.config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--timeout",
            "30",
        ],
        env,
    )
    headers = {
        "Authorization": f"Token {setup['token']}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    confirmed: list[int] = []
    broken = 0
    refused: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()

    def post(name: str) -> tuple[int, dict]:
        body = json.dumps({"name": name, "agency_type": "voluntary"}).encode()
        request = urllib.request.Request(
            f"{base}/api/v1/agencies/", data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, {}

    def client(n: int) -> None:
        nonlocal broken
        i = 0
        while not stop.is_set():
            i += 1
            try:
                status, data = post(f"Drill agency {n}-{i}")
            except (OSError, ValueError):
                with lock:
                    broken += 1
                continue
            with lock:
                if status == 201:
                    confirmed.append(int(data["id"]))
                else:
                    refused.append(status)

    def get(path: str) -> int:
        try:
            with urllib.request.urlopen(f"{base}{path}", timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            return 0

    try:
        deadline = time.monotonic() + 120
        while get("/readyz") != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
        check("gunicorn (production settings) is serving on 127.0.0.1", get("/readyz") == 200)
        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for t in threads:
            t.start()
        kills = 0
        end = time.monotonic() + STORM_SECONDS
        while time.monotonic() < end:
            time.sleep(random.uniform(0.2, 0.6))
            pids = worker_pids(server.pid)
            if pids:
                try:
                    os.kill(random.choice(pids), signal.SIGKILL)
                    kills += 1
                except ProcessLookupError:
                    pass
        stop.set()
        for t in threads:
            t.join(timeout=60)
        check(
            f"{kills} workers killed with SIGKILL during {len(confirmed)} confirmed creates; "
            f"{broken} requests broke off mid-flight",
            kills >= 5 and broken >= 1,
        )
        deadline = time.monotonic() + 60
        while get("/readyz") != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
        check("the server kept serving: /readyz is 200 after the kills", get("/readyz") == 200)
        status, data = post("Drill agency after the storm")
        check(f"a create after the storm works (HTTP {status})", status == 201)
        if status == 201:
            confirmed.append(int(data["id"]))
        check(
            f"no server errors among answered requests ({sorted(set(refused)) or 'none'})",
            not [s for s in refused if s >= 500],
        )
    finally:
        stop_group(server, grace=20)
    state = py(
        f"""
import json
from django.contrib.contenttypes.models import ContentType
from lift.core.models import Agency, ChangeLog
ct = ContentType.objects.get_for_model(Agency)
agencies = set(str(pk) for pk in Agency.objects.filter(partnership_id={setup["partnership"]},
    name__startswith="Drill agency").values_list("pk", flat=True))
logged = set(ChangeLog.objects.filter(content_type=ct, action="create",
    object_repr__startswith="Drill agency").values_list("object_id", flat=True))
print(json.dumps({{"agencies": sorted(agencies), "logged": sorted(logged)}}))
"""
    )
    agencies, logged = set(state["agencies"]), set(state["logged"])
    check(
        f"every agency has its change-log entry ({len(agencies)} agencies, "
        f"{len(agencies - logged)} without)",
        bool(agencies) and not agencies - logged,
    )
    check(
        f"every change-log entry has its agency ({len(logged - agencies)} orphaned entries)",
        not logged - agencies,
    )
    missing = {str(pk) for pk in confirmed} - agencies
    check(
        f"every confirmed create (201) was kept ({len(missing)} lost)",
        bool(confirmed) and not missing,
    )
    shutil.rmtree(work, ignore_errors=True)
    return summary("web-worker-kill drill")


if __name__ == "__main__":
    sys.exit(main())
