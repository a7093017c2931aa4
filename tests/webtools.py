"""Helpers for the web app's tests: an app on a temporary SQLite store, a client that signs up
and keeps its cookies, form posts, job polling, a landmarks CSV.

Fixtures defined here are imported by the test_web_* modules.
"""

from __future__ import annotations

import re
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install '.[web]')")
pytest.importorskip("argon2", reason="the web extra is not installed (pip install '.[web]')")

with warnings.catch_warnings():  # Starlette suggests httpx2; httpx is what the issue asks for
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from backcheck.web.app import create_app
from backcheck.web.config import WebSettings
from backcheck.web.uploads import clean_name, sniff

__all__ = ["TestClient", "WebSettings", "clean_name", "create_app", "sniff"]

DATA = Path(__file__).parent / "data"
STRONG = DATA / "logs" / "strong" / "dakheera47_sample_strong.csv"
HEVY = DATA / "logs" / "hevy" / "dakheera47_sample_hevy.csv"
PASSWORD = "correct horse battery staple"


def make_settings(tmp_path: Path, **extra: Any) -> WebSettings:
    """Settings for an app on a fresh SQLite file in tmp_path (fast worker polling)."""
    values: dict[str, Any] = {
        "db": f"sqlite:///{tmp_path / 'web.db'}",
        "data_dir": tmp_path / "web",
        "tz": "Europe/Berlin",
        "poll_s": 0.05,
        **extra,
    }
    return WebSettings.model_validate(values)


class Web:
    """A TestClient over HTTPS (so Secure cookies are sent) with page helpers."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.athlete = ""

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)

    def form(self, url: str, data: dict[str, str]) -> Any:
        """POST a form as this site's own page does (no token: cross-site posts are refused
        by their browser headers, web.security)."""
        return self.client.post(url, data=data, follow_redirects=False)

    def signup(self, name: str = "Ann", email: str = "ann@example.com") -> Web:
        """Create an account; remembers its athlete (store name)."""
        r = self.form(
            "/signup", {"name": name, "email": email, "password": PASSWORD, "tz": "Europe/Berlin"}
        )
        assert r.status_code == 303, r.text
        self.athlete = r.headers["location"].split("/")[2]
        return self

    def api_token(self) -> dict[str, str]:
        """An API token made through the account page, as request headers."""
        r = self.form("/account", {"action": "token", "name": "tests"})
        found = re.search(r"data-token>([^<]+)<", r.text)
        assert found, r.text
        return {"Authorization": f"Bearer {found.group(1)}"}

    def wait(self, job_id: str, headers: dict[str, str], timeout: float = 90) -> dict[str, Any]:
        """Poll /api/jobs/{id} until the job is done or failed."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            job = self.client.get(f"/api/jobs/{job_id}", headers=headers).json()
            if job["state"] in ("done", "failed"):
                return dict(job)
            time.sleep(0.05)
        raise AssertionError(f"job {job_id} did not finish in {timeout} s")


@pytest.fixture(name="settings")
def settings_fixture(tmp_path: Path) -> WebSettings:
    return make_settings(tmp_path)


@pytest.fixture(name="web")
def web_fixture(settings: WebSettings) -> Iterator[Web]:
    """A signed-up user's client on a running app (worker thread on)."""
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        yield Web(client).signup()


def other_client(app: Any) -> TestClient:
    """A second browser on the same app (its own cookies)."""
    return TestClient(app, base_url="https://testserver")


def pushup_csv(path: Path, *, reps: int) -> Path:
    """A landmarks CSV of `reps` push-ups filmed from the side (the synthetic stick figure of
    tests/test_video_synthetic.py), written in the CONTRACT landmarks format."""
    pytest.importorskip("numpy")
    from backcheck.video.landmarks import write_csv
    from test_video_synthetic import pushups

    write_csv(pushups(reps), path)
    return path


def data_rows(path: Path) -> int:
    """Data records of a CSV export, counted with Python's csv module (header excluded)."""
    import csv

    with path.open(newline="", encoding="utf-8-sig") as fh:
        return sum(1 for row in csv.reader(fh) if any(cell.strip() for cell in row)) - 1
