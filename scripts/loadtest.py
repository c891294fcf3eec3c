#!/usr/bin/env python3
"""Load test LIFT on 127.0.0.1: simulated users signing in and mixing reads and writes.

Standard library only (threads + urllib). Bounded: it stops after --seconds or --max-requests,
whichever comes first, and refuses any host but the loopback address. Run it against a
server started on bench data (see docs/performance.md), for example:

    scripts/loadtest.py --base http://127.0.0.1:8000 --users 50 --seconds 60

Each user signs in as one of the bench logins, then loops: mostly page reads (home, the
action tracker, an action, boards), and one write in ten (a progress update on an action),
pausing between pages as a person reading them would (`--think`, by default 1 to 5 seconds,
as Locust's examples do; `--think 0 0.5` turns the users into a saturation test). Users start
one after another over `--ramp` seconds, by default 60 (signing in is deliberately
expensive: a password check takes about 0.6 s of a core here) and each stays for `--seconds`
after its start. The percentiles are of the whole run, sign-in period included; the figures
after the last sign-in are printed as well. It prints throughput, latency
percentiles per kind, and every error; exit status 1 if any request failed.
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
# What each role reads: the pages that person would use (a page their role may not open is
# an error here, not noise).
READS = {
    "bench-board": ["/", "/actions/", "/actions/?status=in_progress", "/actions/overdue/"],
    "bench-lead": ["/", "/actions/ours/", "/actions/", "/training/", "/boards/"],
    "bench-auditor": ["/", "/actions/", "/actions/?status=in_progress", "/findings/"],
    "bench-trainer": ["/", "/training/", "/training/dashboard/"],
    "bench-learner": ["/", "/training/", "/public/"],
}
USERS = list(READS)
# Who writes (one request in ten): a safeguarding lead adds progress updates to their own
# agency's actions, found on "our actions".
WRITES_FROM = {"bench-lead": "/actions/ours/"}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ACTION_LINK = re.compile(r'href="/actions/(\d+)/"')


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.count = 0
        # (when the request started, kind, ms): to tell the sign-in period from the rest.
        self.samples: list[tuple[float, str, float]] = []
        self.last_login = 0.0  # when the last user finished signing in

    def add(self, kind: str, ms: float, error: str = "") -> None:
        with self.lock:
            self.count += 1
            self.times[kind].append(ms)
            now = time.monotonic()
            self.samples.append((now - ms / 1000, kind, ms))
            if kind == "login":
                self.last_login = max(self.last_login, now)
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
    def __init__(self, n: int, args: argparse.Namespace, stats: Stats, started: float) -> None:
        super().__init__(daemon=True)
        self.args, self.stats = args, stats
        self.login = USERS[n % len(USERS)]
        self.email = f"{self.login}@bench.example"
        self.jar = http.cookiejar.CookieJar(LoopbackPolicy())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.rng = random.Random(n)
        self.start_delay = args.ramp * n / max(args.users, 1)
        self.stop_at = started + self.start_delay + args.seconds
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
        time.sleep(self.start_delay)  # ramp up: not every user signs in at the same instant
        page = self.request("login", "/accounts/login/")
        after = self.request(
            "login",
            "/accounts/login/",
            {"csrfmiddlewaretoken": self.csrf(page), "username": self.email, "password": PASSWORD},
        )
        if 'name="password"' in after:  # still the sign-in form: every later read is a redirect
            self.stats.add("login", 0, f"sign-in refused for {self.email}")
            return
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
            path = self.rng.choice(READS[self.login])
            text = self.request("read", path)
            if not self.actions and WRITES_FROM.get(self.login) == path:
                self.actions = ACTION_LINK.findall(text)[:10]
            time.sleep(self.rng.uniform(*self.args.think))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument(
        "--seconds", type=float, default=60, help="How long each user stays after signing in."
    )
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument(
        "--ramp", type=float, default=60, help="Seconds over which users start (sign-ins cost)."
    )
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        default=(1.0, 5.0),
        metavar=("MIN", "MAX"),
        help="Pause between a user's requests, drawn between MIN and MAX seconds.",
    )
    parser.add_argument("--p95-target", type=float, default=0, help="Fail above this p95 (ms).")
    args = parser.parse_args()
    host = urllib.parse.urlsplit(args.base).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        parser.error("The load test only runs against the loopback address.")
    args.base = args.base.rstrip("/")
    stats = Stats()
    started = time.monotonic()
    users = [User(n, args, stats, started) for n in range(args.users)]
    for user in users:
        user.start()
    for user in users:
        user.join(timeout=args.ramp + args.seconds + 60)
    elapsed = time.monotonic() - started
    think = f"{args.think[0]:g}-{args.think[1]:g}s"
    print(
        f"{args.users} users (started over {args.ramp:g}s, each for {args.seconds:g}s, "
        f"pausing {think} between pages)"
    )
    print(f"{stats.count} requests in {elapsed:.1f}s: {stats.count / elapsed:.1f} per second")
    print(f"{'kind':8} {'n':>7} {'median':>8} {'p95':>8} {'p99':>8} {'max':>8}  (ms)")
    for kind, times in sorted(stats.times.items()):
        print(
            f"{kind:8} {len(times):7} {statistics.median(times):8.0f} "
            f"{_percentile(times, 95):8.0f} {_percentile(times, 99):8.0f} {max(times):8.0f}"
        )
    after = [
        ms for started, kind, ms in stats.samples if kind != "login" and started > stats.last_login
    ]
    if after:
        print(
            f"after the last sign-in: {len(after)} reads and writes, median "
            f"{statistics.median(after):.0f} ms, p95 {_percentile(after, 95):.0f} ms"
        )
    print(f"errors: {len(stats.errors)}")
    for error in stats.errors[:20]:
        print(f"  {error}")
    failed = bool(stats.errors) or not stats.times.get("read")
    if args.p95_target:
        served = stats.times.get("read", []) + stats.times.get("write", [])
        p95 = _percentile(served, 95) if served else float("inf")
        verdict = "meets" if p95 <= args.p95_target else "MISSES"
        target = args.p95_target
        print(f"p95 of reads and writes: {p95:.0f} ms, {verdict} the {target:.0f} ms target")
        failed = failed or p95 > args.p95_target
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
