"""Settings: one pydantic-settings class, read from options and BACKCHECK_* variables.

No instance is made at import time; callers build one with `Settings(...)`.
"""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_data_dir
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from backcheck.errors import UsageError


def default_db_url() -> str:
    """SQLite file `backcheck.db` in the user data directory (created on first use)."""
    return f"sqlite:///{Path(user_data_dir('backcheck', appauthor=False)) / 'backcheck.db'}"


def local_timezone_name() -> str:
    """IANA name of this machine's time zone: $TZ, then /etc/localtime, else "UTC"."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz:
        return tz
    try:
        target = os.readlink("/etc/localtime")
    except OSError:
        return "UTC"
    marker = "zoneinfo/"
    return target.split(marker, 1)[1] if marker in target else "UTC"


class Settings(BaseSettings):
    """Where data lives and whose it is; every field also reads BACKCHECK_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="BACKCHECK_", extra="ignore")

    db: str = Field(default_factory=default_db_url, description="SQLAlchemy URL of the store.")
    athlete: str = Field("me", description="Whose data: many athletes share one store.")
    tz: str = Field(
        default_factory=local_timezone_name,
        description="IANA time zone of exports that log local times without an offset.",
    )

    @field_validator("athlete")
    @classmethod
    def _trimmed(cls, name: str) -> str:
        """Athlete names are stored trimmed (store.athletes.check_name): " ana " is ana."""
        return name.strip()

    def zone(self) -> ZoneInfo:
        """The `tz` setting as a ZoneInfo; UsageError names the option when it is unknown."""
        return zone_from_name(self.tz)


def zone_from_name(name: str) -> ZoneInfo:
    """ZoneInfo for an IANA name such as "Europe/Berlin"; UsageError('--tz') if unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UsageError(
            "--tz", f"unknown time zone {name!r} (use an IANA name like Europe/Berlin)"
        ) from exc
