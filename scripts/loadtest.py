#!/usr/bin/env python3
"""Load test LIFT on 127.0.0.1: simulated users signing in and mixing reads and writes.

Standard library only (threads + urllib). Bounded: it stops after --seconds or --max-requests,
whichever comes first, and refuses any host but the loopback address. Run it against a
server started on bench data (see docs/performance.md), for example:

    scripts/loadtest.py --base http://127.0.0.1:8000 --users 50 --seconds 60

Each user signs in as one of the bench logins, then loops: mostly page reads (home, the
action tracker, an action, boards), and one write in ten (a progress update on an action).
It prints throughput, latency percentiles per kind, and every error; exit status 1 if any
request failed.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import random
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict

PASSWORD = "bench-password-not-secret"  # the fictional bench accounts (lift bench-data)
USERS = ["bench-board", "bench-lead", "bench-auditor", "bench-trainer", "bench-learner"]
READS = ["/", "/actions/", "/actions/?status=in_progress", "/actions/overdue/", "/boards/"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ACTION_LINK = re.compile(r'href="/actions/(\d+)/"')


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.count = 0

    def add(self, kind: str, ms: float, error: str = "") -> None:
        with self.lock:
            self.count += 1
            self.times[kind].append(ms)
            if error:
                self.errors.append(f"{kind}: {error}")


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


class LoopbackPolicy(http.cookiejar.DefaultCookiePolicy):
    """Production settings mark cookies Secure; on the loopback address there is no TLS, so
    the script plays the TLS proxy (X-Forwarded-Proto: https) and sends them anyway."""

    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request: object) -> bool:
        return True


class User(threading.Thread):
    def __init__(self, n: int, args: argparse.Namespace, stats: Stats, stop: float) -> None:
        super().__init__(daemon=True)
        self.args, self.stats, self.stop_at = args, stats, stop
        self.email = f"{USERS[n % len(USERS)]}@bench.example"
        self.jar = http.cookiejar.CookieJar(LoopbackPolicy())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.rng = random.Random(n)
        self.actions: list[str] = []

    def request(self, kind: str, path: str, data: dict[str, str] | None = None) -> str:
        url = self.args.base + path
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {
            "Referer": url.replace("http://", "https://", 1),
            "X-Forwarded-Proto": "https",
        }
        req = urllib.request.Request(url, data=body, headers=headers)
        t0 = time.perf_counter()
        error, text = "", ""
        try:
            with self.opener.open(req, timeout=30) as response:
                text = response.read().decode("utf-8", "replace")
                if response.status >= 400:
                    error = f"{response.status} {path}"
        except urllib.error.HTTPError as exc:
            error = f"{exc.code} {path}"
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            error = f"{type(exc).__name__} {path}"
        self.stats.add(kind, (time.perf_counter() - t0) * 1000, error)
        return text

    def csrf(self, page: str) -> str:
        found = CSRF.search(page)
        return found.group(1) if found else ""

    def run(self) -> None:
        page = self.request("login", "/accounts/login/")
        self.request(
            "login",
            "/accounts/login/",
            {"csrfmiddlewaretoken": self.csrf(page), "username": self.email, "password": PASSWORD},
        )
        while time.monotonic() < self.stop_at and self.stats.count < self.args.max_requests:
            if self.actions and self.rng.random() < 0.1:
                action = self.rng.choice(self.actions)
                form = self.request("read", f"/actions/{action}/updates/add/")
                self.request(
                    "write",
                    f"/actions/{action}/updates/add/",
                    {"csrfmiddlewaretoken": self.csrf(form), "text": "Load test progress note."},
                )
                continue
            text = self.request("read", self.rng.choice(READS))
            if not self.actions:
                self.actions = ACTION_LINK.findall(text)[:10]
            time.sleep(self.rng.uniform(0, self.args.think))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--think", type=float, default=0.5, help="Max pause between requests.")
    args = parser.parse_args()
    host = urllib.parse.urlsplit(args.base).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        parser.error("The load test only runs against the loopback address.")
    args.base = args.base.rstrip("/")
    stats = Stats()
    started = time.monotonic()
    users = [User(n, args, stats, started + args.seconds) for n in range(args.users)]
    for user in users:
        user.start()
    for user in users:
        user.join(timeout=args.seconds + 60)
    elapsed = time.monotonic() - started
    print(f"{stats.count} requests in {elapsed:.1f}s: {stats.count / elapsed:.1f} per second")
    print(f"{'kind':8} {'n':>7} {'median':>8} {'p95':>8} {'p99':>8} {'max':>8}  (ms)")
    for kind, times in sorted(stats.times.items()):
        print(
            f"{kind:8} {len(times):7} {statistics.median(times):8.0f} "
            f"{_percentile(times, 95):8.0f} {_percentile(times, 99):8.0f} {max(times):8.0f}"
        )
    print(f"errors: {len(stats.errors)}")
    for error in stats.errors[:20]:
        print(f"  {error}")
    return 1 if stats.errors else 0


if __name__ == "__main__":
    sys.exit(main())
