"""Shared helpers of the plan tests: simulated athletes as AthleteData, independent limits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from backcheck.analysis.context import AthleteData
from backcheck.analysis.triage import list_keys
from backcheck.sim import Profile, SimAthlete, simulate

NO_FLAGS = dict.fromkeys(list_keys(), False)
PAIN_SCHEMA = {
    "at": pl.Datetime("us", "UTC"),
    "day": pl.Date(),
    "level": pl.Int32(),
    "region": pl.String(),
    "note": pl.String(),
}


def sim_data(
    sim: SimAthlete,
    *,
    as_of: date | None = None,
    answers: dict[str, bool] | None = NO_FLAGS,
    videos: list[dict] | None = None,
    extra_pain: Sequence[tuple[date, int]] = (),
) -> AthleteData:
    """AthleteData of a simulated athlete, as backcheck.why.load_data would build it."""
    from backcheck.why import with_catalog

    tz = sim.profile.tz
    zone = ZoneInfo(tz)
    sets = sim.sets.with_columns(
        pl.lit("me").alias("athlete"),
        pl.col("session_start").rank("dense").cast(pl.Int64).alias("session_id"),
        pl.col("session_start").dt.convert_time_zone(tz).dt.date().alias("day"),
    )
    sets = with_catalog(sets)
    as_of = as_of or last_day(sim)
    rows = [(r["date"], r["level"], r["region"], r["note"]) for r in sim.pain]
    rows += [(d, level, "between-shoulder-blades", None) for d, level in extra_pain]
    pain = pl.DataFrame(
        [
            {
                "at": datetime.combine(d, time(12), zone).astimezone(UTC),
                "day": d,
                "level": level,
                "region": region,
                "note": note,
            }
            for d, level, region, note in rows
        ],
        schema=PAIN_SCHEMA,
    )
    rec = sim.recovery_frame().rename({"date": "day"}).with_columns(pl.lit("csv").alias("source"))
    return AthleteData(
        athlete="me",
        as_of=as_of,
        tz=tz,
        sets=sets.filter(pl.col("day") <= as_of),
        pain=pain.filter(pl.col("day") <= as_of),
        recovery=rec.filter(pl.col("day") <= as_of),
        videos=videos or [],
        answers=answers,
    )


def profile(causes: tuple[str, ...] = (), **kw: Any) -> Profile:
    return Profile(causes=frozenset(causes), **kw)


def sim(causes: tuple[str, ...] = (), **kw: Any) -> SimAthlete:
    return simulate(profile(causes, **kw))


def last_day(s: SimAthlete) -> date:
    """The simulated athlete's last training day, on their wall clock."""
    zone = ZoneInfo(s.profile.tz)
    return max(at.astimezone(zone).date() for at in s.sets["session_start"].to_list())


def monday_after(d: date) -> date:
    return d + timedelta(days=7 - d.weekday())


WORKING = ("working", "drop", "failure")


def independent_limits(data: AthleteData, *, addresses: tuple[str, ...]):
    """The rules' Limits worked out row by row in plain Python (not with backcheck.plan.basis).

    Working sets (working/drop/failure, reps >= 1) of catalog exercises other than cardio and
    mobility, up to as_of; end = the last such day. Chronic: sets over the last 28 days per
    7-day bin the log reaches (bins end on `end`); pre-spike: days 8-28 back likewise (the
    chronic figure when the log is shorter); acute: the last 7 days. Max loads: per catalog
    exercise over the last 56 days, under every name it was logged as.
    """
    from backcheck.catalog import load_catalog
    from backcheck.model import UPPER_BACK_REGIONS
    from backcheck.plan.rules import Limits

    catalog = load_catalog()
    rows = []
    for r in data.sets.iter_rows(named=True):
        ex = catalog.lookup(r["exercise"])
        if ex is None or ex.pattern in ("cardio", "mobility") or r["day"] > data.as_of:
            continue
        if r["set_type"] not in WORKING or not r["reps"] or r["reps"] < 1:
            continue
        ub = any(ex.regions[x] >= 0.5 for x in UPPER_BACK_REGIONS)
        rows.append((r["day"], r["exercise"], ex.key, ub, r["weight_kg"]))
    pain = [
        r
        for r in data.pain.iter_rows(named=True)
        if 0 <= (data.as_of - r["day"]).days < 7 and r["level"] >= 7
    ]
    if not rows:
        return Limits(0, 0, 0, 0, "overexertion" in addresses, {}, {}, bool(pain))
    end = max(d for d, *_ in rows)
    first = min(d for d, *_ in rows)

    def bins(lo: int, hi: int) -> int:  # 7-day bins with days lo..hi back that the log reaches
        newest = end - timedelta(days=lo)
        oldest = max(first, end - timedelta(days=hi))
        return 0 if oldest > newest else (end - oldest).days // 7 - lo // 7 + 1

    def count(lo: int, hi: int, upper: bool) -> int:
        return sum(1 for d, _, _, ub, _ in rows if lo <= (end - d).days <= hi and (ub or not upper))

    weeks_c, weeks_pre = bins(0, 27), bins(7, 27)
    chronic = (count(0, 27, False) / weeks_c, count(0, 27, True) / weeks_c)
    pre = (
        (count(7, 27, False) / weeks_pre, count(7, 27, True) / weeks_pre) if weeks_pre else chronic
    )
    acute = (count(0, 6, False), count(0, 6, True))
    spike = any(p and a > 1.3 * p for a, p in zip(acute, pre, strict=True))
    top: dict[str, float] = {}
    names: dict[str, set[str]] = {}
    for d, name, key, _, w in rows:
        names.setdefault(key, set()).add(name)
        if (end - d).days < 56 and w and w > 0:
            top[key] = max(top.get(key, 0.0), w)
    max_loads = {n: top[k] for k, ns in names.items() if k in top for n in ns}
    return Limits(
        chronic_total=chronic[0],
        chronic_upper_back=chronic[1],
        pre_spike_total=pre[0],
        pre_spike_upper_back=pre[1],
        spike=spike or "overexertion" in addresses,
        max_loads=max_loads,
        cues={},
        severe_pain=bool(pain),
        last_upper_back=max((d for d, _, _, ub, _ in rows if ub), default=None),
    )
