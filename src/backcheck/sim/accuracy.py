"""How often the cause engine names the causes a simulated athlete was built with.

`run_case(case)` takes one athlete of `backcheck.sim.cases` the way a person's data goes:
its Strong export, pain diary and recovery log are written to files, imported by the real
importers into a fresh SQLite store, and `backcheck.why.why` ranks the causes as of the last
logged day. `summarise(outcomes)` counts, per group, hard-case kind and confounder:

- single-cause athletes: the cause ranked first (top-1);
- pair athletes: both causes in the first two;
- healthy athletes: no cause "likely";
and, for every athlete with a confounder, how often the confounder is called "likely".
Posture is left out of the ranking (a simulated athlete has no video: always "unknown").
Used by benchmarks/cause_accuracy.py (docs/accuracy.md) and tests/test_accuracy.py.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from backcheck.analysis.painlinks import Z95, PainLink
from backcheck.sim.athlete import simulate
from backcheck.sim.cases import GROUPS, HARD_KINDS, Case
from backcheck.sim.oracle import answers
from backcheck.sim.writers import write_athlete_folder


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the engine said about one athlete: causes by score (posture left out), each
    cause's level and score, and whether the answer counts as right (see `correct`).
    link_z: per cause, the z-score (ln ratio / SE) of its strongest pain link, None without
    an estimate: how clearly the athlete's own diary points at it. oracle: per oracle of
    `sim.oracle.ORACLES`, whether it picked the athlete's causes (athletes with causes, when
    run_case was asked for it)."""

    case: Case
    ranking: tuple[str, ...]
    levels: dict[str, str]
    scores: dict[str, float]
    error: str | None = None
    link_z: dict[str, float | None] = field(default_factory=dict)
    oracle: dict[str, bool] = field(default_factory=dict)

    @property
    def correct(self) -> bool:
        """Single: top-1 is the cause; pair: both causes in the top 2; healthy: nothing
        "likely". An athlete the engine failed on is never correct."""
        if self.error is not None:
            return False
        if self.case.group == "healthy":
            return "likely" not in self.levels.values()
        want = set(self.case.causes)
        return set(self.ranking[: len(want)]) == want

    @property
    def confounder_likely(self) -> bool:
        """The confounder (built in without pain) was called "likely"."""
        c = self.case.confounder
        return c is not None and self.levels.get(c) == "likely"

    @property
    def diary_favours_confounder(self) -> bool | None:
        """The confounder's strongest link is at least as clear (z) as that of some true
        cause: the diary itself points away from the answer. None without a confounder (or a
        cause) to compare; a cause without an estimate counts as z = 0."""
        c = self.case.confounder
        if c is None or not self.case.causes or self.error is not None:
            return None
        confounder = self.link_z.get(c)
        if confounder is None:
            return False
        return any(confounder >= (self.link_z.get(x) or 0.0) for x in self.case.causes)

    @property
    def any_likely(self) -> bool:
        """Some cause was called "likely"."""
        return "likely" in self.levels.values()


def last_logged_day(case: Case) -> date:
    """The last day the simulated files cover (the diary and sleep log run 2 days past the
    last week): the day a person would ask `why` right after logging."""
    p = case.profile
    return p.start + timedelta(days=7 * p.weeks + 1)


def run_case(case: Case, *, workdir: str | Path | None = None, oracles: bool = False) -> Outcome:
    """Simulate `case`, write its files, import them into a new SQLite store and run `why`.

    workdir: folder for the temporary files (default: the system's temporary folder). An
    exception from the engine is caught and kept in `Outcome.error` (a wrong answer).
    oracles: also ask the Bayes oracles of `sim.oracle` (athletes with causes; they read the
    exposures the engine derives, so the causes are analysed once more for them).
    """
    import polars as pl

    from backcheck.diary import import_pain, import_recovery
    from backcheck.imports import import_files
    from backcheck.settings import zone_from_name
    from backcheck.store import open_store
    from backcheck.why import CAUSE_MODULES, analyse, load_data

    sim = simulate(case.profile)
    zone = zone_from_name(case.profile.tz)
    name = case.profile.name
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        folder = Path(tmp) / name
        write_athlete_folder(sim, folder, fmt="strong")
        store = open_store(f"sqlite:///{tmp}/accuracy.db")
        try:
            import_files(store, athlete=name, paths=[folder / "workouts.csv"], tz=zone)
            import_pain(store, athlete=name, path=folder / "pain.csv", tz=zone)
            import_recovery(store, athlete=name, path=folder / "recovery.csv", tz=zone)
            data = load_data(store, athlete=name, tz=case.profile.tz, as_of=last_logged_day(case))
            report = analyse(data)  # what why() returns
        except Exception as exc:  # a failure is a measured wrong answer
            return Outcome(case, (), {}, {}, error=f"{type(exc).__name__}: {exc}")
        finally:
            store.close()
    picked: dict[str, bool] = {}
    if oracles and case.causes:
        seen = pl.concat([m.analyze(data).exposures for m in CAUSE_MODULES])
        want = tuple(sorted(case.causes))
        picked = {name: found == want for name, found in answers(case, sim, seen).items()}
    shown = [c for c in report.causes if c.cause != "posture"]
    return Outcome(
        case,
        tuple(c.cause for c in shown),
        {c.cause: c.level for c in shown},
        {c.cause: c.score for c in shown},
        link_z={c.cause: _strongest_z(report.pain_links, c.cause) for c in shown},
        oracle=picked,
    )


def _strongest_z(links: Iterable[PainLink], cause: str) -> float | None:
    """The largest ln(ratio) / SE among `cause`'s links with an estimate (SE read back from
    the 95% interval), None when none has one."""
    zs = []
    for x in links:
        est = x.estimate
        if x.cause != cause or est is None or x.n_with == 0 or x.n_without == 0:
            continue
        ratio, (low, high) = est
        if low > 0 and high > low:
            zs.append(math.log(ratio) / (math.log(high / low) / (2 * Z95)))
    return max(zs, default=None)


@dataclass(slots=True)
class Tally:
    """Right answers out of athletes (share None when there are none)."""

    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    @property
    def share(self) -> float | None:
        return self.right / self.total if self.total else None

    def text(self) -> str:
        """E.g. "95.0% (38/40)", or "-" without athletes."""
        share = self.share
        return "-" if share is None else f"{100 * share:.1f}% ({self.right}/{self.total})"


@dataclass(slots=True)
class Summary:
    """Tallies of `Outcome.correct` by group, by (group, hard kind), by (group, confounder or
    "none"), by (group, causes), by (group, `Outcome.diary_favours_confounder`) for athletes
    with causes and a confounder, and of confounders called "likely" by confounder; of
    `Outcome.oracle` by (group, oracle); errors."""

    by_group: dict[str, Tally] = field(default_factory=dict)
    by_kind: dict[tuple[str, str], Tally] = field(default_factory=dict)
    by_confounder: dict[tuple[str, str], Tally] = field(default_factory=dict)
    confounder_likely: dict[str, Tally] = field(default_factory=dict)
    by_cause: dict[tuple[str, str], Tally] = field(default_factory=dict)
    by_diary: dict[tuple[str, bool], Tally] = field(default_factory=dict)
    oracle: dict[tuple[str, str], Tally] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def share(self, group: str) -> float | None:
        """Share right in `group` (single, pair or healthy)."""
        tally = self.by_group.get(group)
        return None if tally is None else tally.share


def summarise(outcomes: Iterable[Outcome]) -> Summary:
    """Count right answers (see `Outcome.correct`) every way the report breaks them down."""
    s = Summary(
        by_group={g: Tally() for g in GROUPS},
        by_kind={(g, k): Tally() for g in GROUPS for k in HARD_KINDS},
    )
    for o in outcomes:
        c = o.case
        ok = o.correct
        s.by_group[c.group].add(ok)
        s.by_kind[c.group, c.hard].add(ok)
        s.by_cause.setdefault((c.group, "+".join(c.causes) or "none"), Tally()).add(ok)
        s.by_confounder.setdefault((c.group, c.confounder or "none"), Tally()).add(ok)
        if c.confounder is not None:
            s.confounder_likely.setdefault(c.confounder, Tally()).add(o.confounder_likely)
        favours = o.diary_favours_confounder
        if favours is not None:
            s.by_diary.setdefault((c.group, favours), Tally()).add(ok)
        for name, right in o.oracle.items():
            s.oracle.setdefault((c.group, name), Tally()).add(right)
        if o.error is not None:
            s.errors.append(f"{c.label}: {o.error}")
    return s
