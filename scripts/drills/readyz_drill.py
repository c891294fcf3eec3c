"""Drill: /readyz reports unready while PostgreSQL is down, pages fail with the friendly error
page, and the same server process recovers when PostgreSQL is back. Run via readyz.sh."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

VERSION = os.environ.get("LIFT_PG_VERSION", "15")
CLUSTER = os.environ.get("LIFT_PG_CLUSTER", "liftdrill")
LIFT = os.path.join(os.path.dirname(sys.executable), "lift")
results: list[tuple[str, bool]] = []


def check(what: str, ok: bool) -> None:
    results.append((what, ok))
    print(f"{'PASS' if ok else 'FAIL'}  {what}", flush=True)


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError as exc:
        return 0, str(exc)


def cluster(action: str) -> None:
    command = ["pg_ctlcluster", VERSION, CLUSTER, action]
    if os.geteuid() != 0:
        command.insert(0, "sudo")
    subprocess.run(command, check=True, timeout=60)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, status: int, seconds: float = 30) -> tuple[int, str]:
    deadline = time.monotonic() + seconds
    code, body = get(url)
    while code != status and time.monotonic() < deadline:
        time.sleep(0.5)
        code, body = get(url)
    return code, body


def main() -> int:
    env = {
        **os.environ,
        "LIFT_DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "lift.config.settings.dev",
    }
    subprocess.run([LIFT, "migrate", "-v0"], check=True, env=env, timeout=600)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [LIFT, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        code, _ = wait_for(f"{base}/readyz", 200)
        check("server up and /readyz is 200 with the database running", code == 200)
        cluster("stop")
        code, body = wait_for(f"{base}/readyz", 503)
        check("/readyz is 503 while PostgreSQL is stopped", code == 503 and "unreachable" in body)
        # A public page that reads the database (a report-form link with an unknown token).
        code, body = get(f"{base}/public/cdop/report/drill-unknown-token/")
        check(
            f"a page that reads the database fails with the friendly error page, no traceback "
            f"(HTTP {code})",
            code >= 500
            and "Sorry, there is a problem with the service" in body
            and "Traceback" not in body,
        )
        cluster("start")
        code, _ = wait_for(f"{base}/readyz", 200, seconds=60)
        check("/readyz recovers to 200 without restarting the server", code == 200)
        check("the same server process is still running", server.poll() is None)
        code, _ = get(f"{base}/accounts/login/")
        check("pages work again after recovery", code == 200)
    finally:
        subprocess.run(
            ["pg_ctlcluster", VERSION, CLUSTER, "start"], check=False, capture_output=True
        )
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    failed = [what for what, ok in results if not ok]
    passed = len(results) - len(failed)
    print(f"{'FAIL' if failed else 'PASS'}: readyz drill, {passed}/{len(results)} checks passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
