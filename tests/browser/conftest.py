"""A real `backcheck serve` on loopback and Debian's Chromium driven by Playwright.

Chromium is the system's (/usr/bin/chromium, installed by scripts/system-deps.sh); Playwright
never downloads a browser. Screenshots go to test-output/screenshots/ for people to look at.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("BACKCHECK_CHROMIUM", "/usr/bin/chromium"))
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
#: Runs the CLI (as the `backcheck` script does) in the test's Python.
SERVE = "import sys\nfrom backcheck import cli\nsys.exit(cli.main(sys.argv[1:]))\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`backcheck serve` (default host 127.0.0.1) on a free port, on a fresh SQLite store."""
    pytest.importorskip("fastapi", reason="the web extra is not installed")
    pytest.importorskip("uvicorn", reason="the web extra is not installed")
    tmp = tmp_path_factory.mktemp("server")
    port = free_port()
    env = {
        **os.environ,
        "BACKCHECK_DB": f"sqlite:///{tmp / 'web.db'}",
        "BACKCHECK_DATA_DIR": str(tmp / "web"),
        "BACKCHECK_TZ": "Europe/Berlin",
        "BACKCHECK_POLL_S": "0.1",
        "BACKCHECK_MAX_UPLOAD_MB": "8",
    }
    log = (tmp / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVE, "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp / "server.log").read_text()) from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium (skips with the reason when it or Playwright is missing)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: scripts/system-deps.sh installs Debian's chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        found = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        )
        yield found
        found.close()


@pytest.fixture
def shot() -> object:
    """shot(page, name): a full-page PNG under test-output/screenshots/."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: object, name: str) -> Path:
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
        return path

    return take
