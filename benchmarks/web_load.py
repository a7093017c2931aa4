"""Web load: the dashboard of an athlete with 10 years of data, 20 concurrent users.

Target (issue: web app): p95 < 150 ms with 20 concurrent users on 2 cores, against a real
`backcheck serve` on loopback. The athlete is simulated (backcheck.sim: 10 years, 5 training
days a week, ~125,000 sets, a pain diary and a sleep log), uploaded through the web pages
like a person would; 19 coaches are invited, and the athlete and the coaches (20 users, each
with their own session) load the dashboard at once for --seconds. The first dashboard after
the upload computes the report (reported as "cold"); later ones reuse it while the data is
unchanged. The load generator runs on the same 2 cores as the server.
Run: .venv/bin/python benchmarks/web_load.py [--users 20] [--seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx

from common import write_section

PASSWORD = "benchmark passphrase"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def simulate(folder: Path) -> dict[str, int]:
    """Ten years of an athlete's files (Strong export, pain diary, recovery log)."""
    from backcheck.sim.athlete import simulate as run
    from backcheck.sim.profile import Profile
    from backcheck.sim.writers import write_athlete_folder

    sim = run(
        Profile(
            name="bench",
            start=date(2016, 11, 7),
            weeks=522,
            days_per_week=5,
            seed=7,
            volume=1.6,
            causes=frozenset({"imbalance", "recovery"}),
            tz="Europe/Berlin",
            diary_rate=0.6,
        )
    )
    write_athlete_folder(sim, folder)
    return {"sets": sim.sets.height, "pain": len(sim.pain), "recovery": len(sim.recovery)}


def signup(url: str, name: str, email: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=url, timeout=300)
    r = client.post(
        "/signup",
        data={
            "name": name,
            "email": email,
            "password": PASSWORD,
            "tz": "Europe/Berlin",
        },
    )
    assert r.status_code == 303, r.text
    return client, r.headers["location"].split("/")[2]


def upload(client: httpx.Client, url: str, path: Path) -> float:
    """Upload a file from a page, wait for its job; returns seconds until done."""
    start = time.perf_counter()
    with path.open("rb") as fh:
        r = client.post(
            url,
            files={"files": (path.name, fh, "text/csv")},
        )
    assert r.status_code == 303, r.text
    job = r.headers["location"]
    while 'data-state="done"' not in (html := client.get(job + "/status").text):
        assert 'data-state="failed"' not in html, html
        time.sleep(0.2)
    return time.perf_counter() - start


async def load(url: str, cookies: list[httpx.Cookies], path: str, seconds: float) -> list[float]:
    """Every user loads `path` over and over for `seconds` on its own keep-alive connection;
    returns the latencies (s). A minimal HTTP/1.1 client (like wrk's), so that the load
    generator, which shares the machine's cores with the server, costs little."""
    latencies: list[float] = []
    end = time.perf_counter() + seconds
    host, port = httpx.URL(url).host, httpx.URL(url).port

    async def user(jar: httpx.Cookies) -> None:
        cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nCookie: {cookie}\r\n"
            "Accept: text/html\r\n\r\n"
        ).encode()
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while time.perf_counter() < end:
                t0 = time.perf_counter()
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
                body = await reader.readexactly(length)
                latencies.append(time.perf_counter() - t0)
                if not head.startswith(b"HTTP/1.1 200") or b"Why does" not in body:
                    raise RuntimeError(f"bad answer: {head[:40]!r}")
        finally:
            writer.close()

    await asyncio.gather(*(user(jar) for jar in cookies))
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "athlete"
        sizes = simulate(folder)
        port = free_port()
        env = {
            **os.environ,
            "BACKCHECK_DB": f"sqlite:///{tmp}/web.db",
            "BACKCHECK_DATA_DIR": f"{tmp}/web",
            "BACKCHECK_TZ": "Europe/Berlin",
            "BACKCHECK_COOKIE_SECURE": "false",  # plain http on loopback: httpx sends it
            "BACKCHECK_MAX_UPLOAD_MB": "200",
        }
        log = Path(tmp) / "server.log"
        server = subprocess.Popen(
            [sys.executable, "-m", "backcheck.cli", "serve", "--port", str(port)],
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    httpx.get(url + "/signin", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            owner, athlete = signup(url, "Athlete", "athlete@example.com")
            base = f"/a/{athlete}"
            import_s = upload(owner, f"{base}/import", folder / "workouts.csv")
            upload(owner, f"{base}/pain/files", folder / "pain.csv")
            upload(owner, f"{base}/recovery/files", folder / "recovery.csv")
            jars = [owner.cookies]
            for i in range(args.users - 1):
                coach, _ = signup(url, f"Coach {i}", f"coach{i}@example.com")
                owner.post(
                    "/account",
                    data={
                        "action": "invite",
                        "athlete": athlete,
                        "email": f"coach{i}@example.com",
                    },
                )
                jars.append(coach.cookies)
            t0 = time.perf_counter()
            assert owner.get(f"{base}/").status_code == 200
            cold = time.perf_counter() - t0
            asyncio.run(load(url, jars, f"{base}/", 3))  # warm-up
            lat = sorted(asyncio.run(load(url, jars, f"{base}/", args.seconds)))
        except BaseException:
            print(log.read_text()[-5000:], file=sys.stderr)
            raise
        finally:
            server.terminate()
            server.wait(10)
    q = statistics.quantiles(lat, n=100)
    p50, p95, p99 = (q[49] * 1000, q[94] * 1000, q[98] * 1000)
    verdict = "meets" if p95 < 150 else "misses"
    body = (
        f"`backcheck serve` (one process) on loopback; {args.users} users (the athlete and "
        f"{args.users - 1} invited coaches, each signed in) load the dashboard of an athlete "
        f"with 10 years of data ({sizes['sets']:,} sets, {sizes['pain']:,} pain diary rows, "
        f"{sizes['recovery']:,} recovery rows) at once for {args.seconds:g} s; the load "
        f"generator shares the machine's {os.cpu_count()} cores.\n\n"
        "| measure | value | target |\n|---|---|---|\n"
        f"| requests | {len(lat):,} ({len(lat) / args.seconds:.0f}/s) | |\n"
        f"| p50 | {p50:.0f} ms | |\n| p95 | {p95:.0f} ms | < 150 ms ({verdict}) |\n"
        f"| p99 | {p99:.0f} ms | |\n| slowest | {lat[-1] * 1000:.0f} ms | |\n"
        f"| first dashboard after the upload (computes the report) | {cold * 1000:.0f} ms | |\n"
        f"| upload and import of the 10-year Strong export (job) | {import_s:.1f} s | |\n\n"
        "Users send their next request as soon as an answer arrives (no think time), each on "
        "its own keep-alive connection. The report is computed once per change of the "
        "athlete's data and cached in the server (web/reportcache.py); each request checks "
        "the session and the athlete's access, re-reads the data stamp at most once a second "
        "(writes through the app refresh it at once), and renders the page, whose charts show "
        "the last 2 years (the full report, every year, is one click away)."
    )
    print(body)
    write_section("Web dashboard under load (benchmarks/web_load.py)", body)


if __name__ == "__main__":
    main()
