"""simulate(profile): a whole athlete (sets, pain diary, recovery log) with known causes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import polars as pl

from backcheck.model import SET_SCHEMA
from backcheck.sim.pain import PainRow, RecoveryRow, diary
from backcheck.sim.profile import FACTORS, Knobs, Profile, resolve
from backcheck.sim.training import SimSession, sessions, spike_weeks

PAIN_SCHEMA = {"date": pl.Date(), "level": pl.Int32(), "region": pl.String(), "note": pl.String()}
RECOVERY_SCHEMA = {"date": pl.Date(), "kind": pl.String(), "value": pl.Float64()}


@dataclass(frozen=True, slots=True)
class Truth:
    """What the athlete was built with: the answer the cause engine should find.

    exposures: per training day, the factors that were on (profile.FACTORS);
    pain_prob: per training day, the chance of pain (NRS >= 3) within 48 h;
    pain_days: every day with pain >= 3, logged in the diary or not;
    spike_weeks: first day of each week of jumped upper-back volume, with its factor.
    """

    causes: frozenset[str]
    mild: frozenset[str]
    knobs: Knobs
    exposures: dict[date, frozenset[str]]
    pain_prob: dict[date, float]
    pain_days: tuple[date, ...]
    spike_weeks: dict[date, float]

    def exposure_frame(self) -> pl.DataFrame:
        """One row per training day: `date`, a boolean column per factor, `pain_prob`."""
        days = sorted(self.exposures)
        data: dict[str, list[object]] = {"date": list(days)}
        for factor in FACTORS:
            data[factor] = [factor in self.exposures[d] for d in days]
        data["pain_prob"] = [self.pain_prob[d] for d in days]
        schema = {
            "date": pl.Date(),
            **dict.fromkeys(FACTORS, pl.Boolean()),
            "pain_prob": pl.Float64(),
        }
        return pl.DataFrame(data, schema=schema)


@dataclass(frozen=True, slots=True)
class SimAthlete:
    """A simulated athlete: canonical sets (model.SET_SCHEMA, UTC), diary rows and the truth.

    pain: dicts with date, level (0-10), region (None when level is 0), note;
    recovery: dicts with date, kind (model.RECOVERY_KINDS), value (sleep hours or minutes).
    """

    profile: Profile
    sets: pl.DataFrame
    pain: list[PainRow]
    recovery: list[RecoveryRow]
    truth: Truth

    def pain_frame(self) -> pl.DataFrame:
        """The pain rows as a frame (date, level, region, note)."""
        return pl.DataFrame(self.pain, schema=PAIN_SCHEMA)

    def recovery_frame(self) -> pl.DataFrame:
        """The recovery rows as a frame (date, kind, value)."""
        return pl.DataFrame(self.recovery, schema=RECOVERY_SCHEMA)


def to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """A naive wall-clock time in `zone` as UTC (repeated hour: the earlier instant)."""
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC)


def sets_frame(items: list[SimSession], utc_starts: list[datetime]) -> pl.DataFrame:
    """Canonical set frame (model.SET_SCHEMA) of `items`, whose starts in UTC are given."""
    cols: dict[str, list[object]] = {name: [] for name in SET_SCHEMA}
    for s, at in zip(items, utc_starts, strict=True):
        order: dict[str, int] = {}
        for st in s.sets:
            index = order.get(st.exercise, 0) + 1
            order[st.exercise] = index
            cols["session_start"].append(at)
            cols["session_name"].append(s.name)
            cols["duration_s"].append(s.duration_s)
            cols["exercise"].append(st.exercise)
            cols["set_index"].append(index)
            cols["set_type"].append(st.set_type)
            cols["weight_kg"].append(st.weight_kg)
            cols["reps"].append(st.reps)
            cols["rpe"].append(st.rpe)
            cols["rir"].append(None if st.rpe is None else 10.0 - st.rpe)
            cols["distance_m"].append(st.distance_m)
            cols["seconds"].append(st.seconds)
    n = len(cols["exercise"])
    for name in ("session_notes", "notes", "source_file", "source_line"):
        cols[name] = [None] * n
    return pl.DataFrame(cols, schema=SET_SCHEMA)


def simulate(profile: Profile) -> SimAthlete:
    """Generate the athlete described by `profile` (deterministic for a given profile)."""
    knobs = resolve(profile)
    zone = ZoneInfo(profile.tz)
    items = list(sessions(profile, knobs))
    utc_starts = [to_utc(s.start_local, zone) for s in items]
    d = diary(profile, knobs, items, utc_starts=utc_starts)
    spikes = {
        profile.start + timedelta(days=7 * week): factor
        for week, factor in sorted(spike_weeks(profile, knobs).items())
    }
    truth = Truth(
        causes=profile.causes,
        mild=profile.mild,
        knobs=knobs,
        exposures=d.exposures,
        pain_prob=d.pain_prob,
        pain_days=d.pain_days,
        spike_weeks=spikes,
    )
    return SimAthlete(profile, sets_frame(items, utc_starts), d.pain_rows, d.recovery_rows, truth)
