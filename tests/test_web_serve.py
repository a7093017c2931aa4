"""`backcheck serve --workers 2` on a real PostgreSQL server: several processes, one store."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("fastapi")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.mark.postgres
def test_serve_with_two_workers_on_postgres(pg_url: str, tmp_path: Path) -> None:
    port = _free_port()
    backcheck = str(Path(sys.executable).parent / "backcheck")
    env = {**os.environ, "BACKCHECK_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.Popen(
        [backcheck, "--db", pg_url, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        status = 0
        while time.monotonic() < deadline and status != 200:
            try:
                status, _ = _get(f"{base}/openapi.json")
            except OSError:
                time.sleep(0.3)
        assert status == 200, "server did not answer"
        # Many requests spread over both processes: all answer, anonymous API calls get 401.
        for _ in range(20):
            assert _get(f"{base}/openapi.json")[0] == 200
            code, body = _get(f"{base}/api/athletes")
            assert code == 401 and b'"error"' in body
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        output = proc.communicate(timeout=30)[0]
    assert output.count("Application startup complete") == 2, output
