"""Drill: memory per request of a long-running server. Run via soak.sh.

Starts gunicorn with the production settings (one sync worker, so one process serves every
request and its memory is the figure; plain HTTP on 127.0.0.1:8765; a SQLite demo database
under var/soak/), signs in as the demo business unit with a requests session, and requests
a fixed set of key pages (the home page and the pages it links to) round and round, N times
(LIFT_SOAK_REQUESTS, default 5,000; LIFT_SOAK_SECONDS bounds the time). After every 1,000
requests it prints the worker's VmRSS from /proc and the growth since the last report.

Checks: no request answered a server error, and the growth per thousand requests after the
warm-up (the first 1,000 requests fill the process's caches: templates, URL resolvers,
reference data) is at most LIFT_SOAK_MAX_GROWTH_MB (default 2 MB).
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests
from _common import BIN, LIFT, check, start_group, stop_group, summary

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "var" / "soak"
PORT = int(os.environ.get("LIFT_SOAK_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
REQUESTS = int(os.environ.get("LIFT_SOAK_REQUESTS", "5000"))
SECONDS = float(os.environ.get("LIFT_SOAK_SECONDS", "1200"))
MAX_GROWTH_MB = float(os.environ.get("LIFT_SOAK_MAX_GROWTH_MB", "2"))
EVERY = 1000
USER = "bu@harrowmere.example"
PASSWORD = "harrowmere-demo"  # lift.core.demo.DEMO_PASSWORD (fictional demo data)
MAX_PAGES = 25
# Links not to follow: they sign out, change something, or send a file.
SKIP = re.compile(r"logout|/export|/download|\.pdf|\.docx|\.csv|\.xlsx|\.ics|/api/|/static/")


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def worker_pid(master: int) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True
        ).stdout.split()
        if out:
            return int(out[0])
        time.sleep(0.5)
    raise RuntimeError("gunicorn started no worker")


def database(env: dict[str, str]) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    print("Migrating the soak database, adding the demo data, collecting static files...")
    subprocess.run([LIFT, "migrate", "-v0"], check=True, env=env, timeout=1800)
    subprocess.run([LIFT, "demo"], check=True, env=env, timeout=1800, stdout=subprocess.DEVNULL)
    # The production settings serve hashed static files from a manifest (whitenoise).
    subprocess.run([LIFT, "collectstatic", "--noinput", "-v0"], check=True, env=env, timeout=600)


def sign_in(session: requests.Session) -> bool:
    page = session.get(f"{BASE}/accounts/login/", timeout=30)
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    token = found.group(1) if found else ""
    response = session.post(
        f"{BASE}/accounts/login/",
        data={"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": page.url},
        timeout=30,
        allow_redirects=False,
    )
    return response.status_code == 302


def key_pages(session: requests.Session) -> list[str]:
    """The home page and the pages it links to on this site (GET only)."""
    html = session.get(f"{BASE}/", timeout=30).text
    pages = ["/"]
    for href in re.findall(r'href="(/[^"#?]*)"', html):
        if href not in pages and not SKIP.search(href):
            pages.append(href)
    return pages[:MAX_PAGES]


def main() -> int:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lift.config.settings.production",
        "LIFT_DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LIFT_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{WORK / 'soak.sqlite3'}",
        "LIFT_CACHE_DIR": str(WORK / "cache"),
        "LIFT_MEDIA_ROOT": str(WORK / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LIFT_ENFORCE_MFA": "false",  # the session signs in with the password alone
        "LIFT_LOGIN_FAILURE_LIMIT": "1000",
    }
    database(env)
    server = start_group(
        [
            str(BIN / "gunicorn"),
            "lift.config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "1",
            "--timeout",
            "120",
        ],
        env,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{BASE}/readyz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        pid = worker_pid(server.pid)
        # The cookies are __Host- and Secure: over plain HTTP they would not be sent back.
        session = _LoopbackSession()
        check(f"signed in as {USER}", sign_in(session))
        pages = key_pages(session)
        check(f"{len(pages)} key pages found on the home page", len(pages) >= 5)
        print("Pages: " + " ".join(pages), flush=True)
        errors: dict[str, int] = {}
        statuses: dict[int, int] = {}
        reports: list[tuple[int, int]] = [(0, rss_kb(pid))]
        print(f"{0:>7} requests  RSS {reports[0][1] / 1024:7.1f} MB", flush=True)
        started = time.monotonic()
        done = 0
        while done < REQUESTS and time.monotonic() - started < SECONDS:
            page = pages[done % len(pages)]
            try:
                status = session.get(f"{BASE}{page}", timeout=60, allow_redirects=False).status_code
            except requests.RequestException:
                status = 0
            statuses[status] = statuses.get(status, 0) + 1
            if status >= 500 or status == 0:
                errors[page] = errors.get(page, 0) + 1
            done += 1
            if done % EVERY == 0:
                rss = rss_kb(pid)
                growth = (rss - reports[-1][1]) / 1024
                reports.append((done, rss))
                rate = done / (time.monotonic() - started)
                print(
                    f"{done:>7} requests  RSS {rss / 1024:7.1f} MB  "
                    f"{growth:+6.2f} MB per thousand  ({rate:.0f} requests a second)",
                    flush=True,
                )
        elapsed = time.monotonic() - started
        print(f"Answers: {dict(sorted(statuses.items()))} in {elapsed:.0f} s", flush=True)
        check(f"{done} requests made (asked for {REQUESTS})", done >= min(REQUESTS, EVERY * 2))
        check(f"no server errors ({errors or 'none'})", not errors)
        after = reports[1:]  # from the end of the warm-up
        if len(after) >= 2:
            per_thousand = (
                (after[-1][1] - after[0][1]) / 1024 / ((after[-1][0] - after[0][0]) / 1000)
            )
            check(
                f"growth after the warm-up {per_thousand:+.2f} MB per thousand requests "
                f"(at most {MAX_GROWTH_MB:g})",
                per_thousand <= MAX_GROWTH_MB,
            )
        else:
            check("enough requests to measure growth after the warm-up (2,000 or more)", False)
    finally:
        stop_group(server, grace=20)
    return summary("soak")


class _LoopbackSession(requests.Session):
    """Send the Secure (__Host-) cookies back to the drill's own server over plain HTTP.

    A cookie policy set on the session's jar is not used for the requests themselves (each
    request merges the cookies into a new jar with the default policy), so each cookie is
    marked not secure once it has been received, in this client only.
    """

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        response = super().request(*args, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response


if __name__ == "__main__":
    sys.exit(main())
