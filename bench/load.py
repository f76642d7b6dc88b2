"""The load test: gunicorn with four workers on the benchmark's database, logged in through the
real login form (production settings: CSRF on), then 50 concurrent clients per URL.

The benchmark's server runs with TWO_FACTOR_REQUIRED_ROLES= (coordinators would otherwise
need an authenticator code), RATELIMIT_ENABLED=0 and a high LOGIN_MAX_FAILURES (so repeated
runs are never locked out), SESSION_COOKIE_SECURE=0 and HSTS_SECONDS=0 (plain HTTP on
loopback). Uses wrk when /usr/bin/wrk exists (`apt-get install -y wrk`), else a threaded
Python client.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from bench import dataset

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 4
#: As production runs (gunicorn.conf.py, which gunicorn also reads from the working
#: directory): threads in each worker, connections kept alive.
WORKER_CLASS = ("--worker-class", "gthread", "--threads", "4", "--keep-alive", "5")
CONNECTIONS = 50


@dataclass(frozen=True)
class Target:
    name: str
    role: str | None
    url: str  # formatted with the data set's facts, as measure.PAGES


#: What the load test fetches; adjust here when the pages change. The follow-up is of the
#: data set's first year (its few imported grants): a long one ends in a worker timeout today.
TARGETS = [
    Target("/healthz", None, "/healthz"),
    Target("dashboard", "coordinator", "/"),
    Target("review list, page 1", "coordinator", "/calls/{call_id}"),
    Target("follow-up PDF", "coordinator", "/reports/followup/samverkan/{first_year}.pdf"),
]

WRK_SCRIPT = """
local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then wrk.headers["Cookie"] = cookie end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %f, "p50_ms": %f, "p99_ms": %f, "errors": %d, '
    .. '"non_2xx": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(url: str, port: int, redis: str | None = None) -> dict:
    """The server's environment: production settings on `url`, and with `redis` the figures
    cache in Redis as several machines would share it (else each worker keeps its own)."""
    env = dict(os.environ)
    env.update({
        "APP_ENV": "production", "DATABASE_URL": url, "SECRET_KEY": "bench-secret-key",
        "SITE_URL": f"http://127.0.0.1:{port}", "SESSION_COOKIE_SECURE": "0",
        "HSTS_SECONDS": "0", "TWO_FACTOR_REQUIRED_ROLES": "", "RATELIMIT_ENABLED": "0",
        "LOGIN_MAX_FAILURES": "100000", "LOGIN_CLIENT_MAX_FAILURES": "100000",
        "THROTTLE_KEY_PREFIX": "bench:",
    })
    env.pop("REDIS_URL", None)
    env.pop("RATELIMIT_STORAGE_URI", None)
    if redis:
        env["REDIS_URL"] = redis
    return env


def start_server(url: str, redis: str | None = None) -> tuple[subprocess.Popen, int]:
    """Start gunicorn on a free loopback port and wait until /readyz answers 200."""
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn) if gunicorn.exists() else "gunicorn", "--workers", str(WORKERS),
               *WORKER_CLASS, "--bind", f"127.0.0.1:{port}", "--timeout", "30",
               "--log-level", "warning", "wsgi:app"]
    log = open(Path(tempfile.gettempdir()) / f"bench-gunicorn-{port}.log", "w")  # noqa: SIM115
    server = subprocess.Popen(command, cwd=ROOT, env=server_env(url, port, redis), stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    server.log_file = log  # closed by stop_server
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.close()
            raise SystemExit(f"bench: gunicorn stopped; see {log.name}")
        try:
            status, _ = request(port, "/readyz")
            if status == 200:
                return server, port
        except OSError:
            pass
        time.sleep(0.3)
    stop_server(server)
    raise SystemExit(f"bench: gunicorn did not answer /readyz within 60 s; see {log.name}")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    server.log_file.close()


def request(port: int, path: str, *, method: str = "GET", body: str | None = None,
            cookie: str = "") -> tuple[int, http.client.HTTPResponse]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response.status, response


def _cookies(response, jar: dict) -> str:
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def log_in(port: int, email: str) -> str:
    """Log in through the real form (fetch it, post its CSRF token); return the Cookie header."""
    jar: dict = {}
    status, form = request(port, "/login")
    cookie = _cookies(form, jar)
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', form.body)
    if status != 200 or token is None:
        raise SystemExit(f"bench: the login form did not answer with a CSRF token ({status})")
    body = urllib.parse.urlencode({"csrf_token": token.group(1).decode(), "email": email,
                                   "password": dataset.PASSWORD})
    status, answer = request(port, "/login", method="POST", body=body, cookie=cookie)
    if status != 302:
        raise SystemExit(f"bench: {email} could not log in to gunicorn (HTTP {status})")
    return _cookies(answer, jar)


def with_wrk(port: int, path: str, cookie: str, seconds: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        out = subprocess.run(
            ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--timeout", "60s",
             "-s", script.name, f"http://127.0.0.1:{port}{path}"],
            capture_output=True, text=True, env={**os.environ, "BENCH_COOKIE": cookie},
            timeout=seconds + 120, check=False).stdout
    finally:
        os.unlink(script.name)
    line = next((x for x in out.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        return {"error": out[-300:] or "wrk printed nothing"}
    figures = json.loads(line[len("BENCH "):])
    figures["errors"] += figures.pop("non_2xx")
    return figures


def with_threads(port: int, path: str, cookie: str, seconds: int) -> dict:
    """A threaded client: CONNECTIONS keep-alive connections for `seconds`."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
                response = conn.getresponse()
                response.read()
                ok = 200 <= response.status < 400
            except OSError:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            with lock:
                latencies.append((time.perf_counter() - start) * 1000)
                errors[0] += not ok
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {"requests": len(latencies), "seconds": elapsed, "p50_ms": cuts[49],
            "p99_ms": cuts[98], "errors": errors[0]}


def warm_up(port: int, path: str, cookie: str) -> None:
    """Fetch the page as many times at once as the test will, twice over, so that every
    worker has compiled its templates and kept the page's figures (each worker keeps its own
    without Redis): the first view in a cold worker would otherwise stand in the p99."""
    for _ in range(2):
        threads = [threading.Thread(target=request, args=(port, path), kwargs={"cookie": cookie})
                   for _ in range(CONNECTIONS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


def load_test(url: str, facts: dataset.Facts, seconds: int,
              redis: str | None = None) -> dict[str, dict]:
    """Return requests/s, p50/p99 and errors per target, and the tool that measured them."""
    server, port = start_server(url, redis)
    tool = "wrk" if shutil.which("wrk") else "python threads"
    results: dict[str, dict] = {}
    try:
        cookies = {None: ""}
        for role in {t.role for t in TARGETS if t.role}:
            cookies[role] = log_in(port, {"coordinator": dataset.COORDINATOR,
                                          "admin": dataset.ADMIN,
                                          "applicant": dataset.APPLICANT}[role])
        for target in TARGETS:
            path = target.url.format(**vars(facts))
            warm_up(port, path, cookies[target.role])
            run = with_wrk if tool == "wrk" else with_threads
            figures = run(port, path, cookies[target.role], seconds)
            if "requests" in figures:
                figures["rps"] = round(figures["requests"] / figures["seconds"], 1)
                figures = {k: round(v, 1) if isinstance(v, float) else v
                           for k, v in figures.items()}
            results[target.name] = {"url": path, "tool": tool, **figures}
    finally:
        stop_server(server)
    return results
