"""Settings: one pydantic-settings class, read from options, BACKCHECK_* variables and an
optional config file, in that order of precedence.

The config file is TOML, `config.toml` in the user config folder (platformdirs; on Linux
~/.config/backcheck/config.toml), or the file named by BACKCHECK_CONFIG:

    db = "sqlite:////home/ann/training/backcheck.db"
    athlete = "ann"
    tz = "Europe/Berlin"

A missing file is no error; a broken one, or an unknown key, is (UsageError naming the file).
No instance is made at import time; callers build one with `Settings(...)`.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_config_dir, user_data_dir
from pydantic import Field, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

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


def config_path() -> Path:
    """The config file: $BACKCHECK_CONFIG, else config.toml in the user config folder."""
    given = os.environ.get("BACKCHECK_CONFIG", "").strip()
    if given:
        return Path(given).expanduser()
    return Path(user_config_dir("backcheck", appauthor=False)) / "config.toml"


def read_config(path: Path, known: set[str]) -> dict[str, Any]:
    """The settings in the TOML file at `path` ({} when there is none). UsageError for a file
    that is not TOML, an unknown key or a value that is not a string."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError("config", f"{path}: cannot read the config file ({exc})") from None
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError("config", f"{path}: not a TOML file ({exc})") from None
    for key, value in values.items():
        if key not in known:
            raise UsageError(
                "config", f"{path}: unknown key {key!r}; known: {', '.join(sorted(known))}"
            )
        if not isinstance(value, str | int | float | bool):
            raise UsageError("config", f"{path}: {key} must be a single value, not {value!r}")
    return values


class ConfigFileSource(PydanticBaseSettingsSource):
    """Settings from the config file (see the module docstring)."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # __call__ reads the whole file at once

    def __call__(self) -> dict[str, Any]:
        return read_config(config_path(), set(self.settings_cls.model_fields))


class Settings(BaseSettings):
    """Where data lives and whose it is; every field also reads BACKCHECK_<NAME> and the
    config file (options win over variables, variables over the file)."""

    model_config = SettingsConfigDict(env_prefix="BACKCHECK_", extra="ignore")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, ConfigFileSource(settings_cls))

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
