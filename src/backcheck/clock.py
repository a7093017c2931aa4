"""Today, in the athlete's time zone: the one place the package reads the wall clock for a date.

Every "today" (the default analysis day, a diary entry without a date, the future-date check of
an import, the recorded day of a video with no other date) comes from `local_today`, so a test
or a client that fixes the day fixes it everywhere.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo


def local_today(tz: str | tzinfo) -> date:
    """Today's date in time zone `tz` (an IANA name such as "Europe/Berlin", or a tzinfo)."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    return datetime.now(zone).date()
