"""Settings of the web app: the core Settings plus limits, cookies and where uploads go.

Every field also reads BACKCHECK_<NAME> (BACKCHECK_MAX_UPLOAD_MB=100, ...).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field

from backcheck.settings import Settings


def default_data_dir() -> Path:
    """`web/` in the user data directory: uploads waiting for the worker, annotated videos."""
    return Path(user_data_dir("backcheck", appauthor=False)) / "web"


class WebSettings(Settings):
    """What `backcheck serve` and `create_app` need on top of the core settings."""

    serve_started: datetime | None = Field(
        None,
        description="When `backcheck serve` started (set by serve for its worker processes): "
        "jobs running since before then are queued again at start-up, later ones are not.",
    )

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Folder for uploads waiting to be processed and annotated videos.",
    )
    max_upload_mb: float = Field(
        64.0, gt=0, description="Largest upload of exports or diaries, MB (whole request)."
    )
    max_video_mb: float = Field(256.0, gt=0, description="Largest video upload, MB.")
    cookie_secure: bool | None = Field(
        None,
        description="Mark cookies Secure: unset (the default) marks them exactly when the "
        "request came over https (behind a TLS proxy run with --proxy-headers); true or false "
        "forces it.",
    )
    session_days: int = Field(14, ge=1, le=365, description="Days a sign-in lasts.")
    login_attempts: int = Field(
        5,
        ge=1,
        description="Failed password checks allowed per email and address a window (4x per "
        "email, 20x per address: see backcheck.web.auth.Throttle).",
    )
    login_window_s: int = Field(900, ge=1, description="Rate-limit window for sign-ins, seconds.")
    worker: bool = Field(True, description="Run the background worker thread in this process.")
    poll_s: float = Field(1.0, gt=0, description="Worker: seconds between looks for new jobs.")

    @property
    def max_upload_bytes(self) -> int:
        """`max_upload_mb` in bytes."""
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def max_video_bytes(self) -> int:
        """`max_video_mb` in bytes."""
        return int(self.max_video_mb * 1024 * 1024)


def web_settings(settings: Settings | None) -> WebSettings:
    """`settings` as WebSettings (web fields at their defaults or BACKCHECK_* values)."""
    if isinstance(settings, WebSettings):
        return settings
    if settings is None:
        return WebSettings.model_validate({})
    return WebSettings(**settings.model_dump())
