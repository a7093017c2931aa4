"""Which weekdays the plan trains on, and which of them load the upper back.

Sessions are of two kinds: "A" sessions hold every exercise that trains an upper-back
region (and the pressing that goes with it); "B" sessions hold only legs and core work
that trains no upper-back region. A sessions are kept at least 2 days apart, also across
the week boundary (the pattern repeats weekly), so the same upper-back region always gets
48 h between hard sessions (ACSM 2009 position stand, Ratamess et al., MSSE 41:687; grade B).
B sessions are kept 2 days apart among themselves too, and share no muscle group with the A
sessions (plan.slots.b_keys), so every muscle group gets its 48 h.
At most 3 A sessions fit in a 7-day cycle that way; at most 5 sessions a week in all (at
least 2 rest days).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from itertools import combinations
from typing import Final

MAX_SESSIONS: Final = 5
MAX_A: Final = 3
MIN_GAP_DAYS: Final = 2


def cyclic_gap(a: int, b: int) -> int:
    """Days between weekdays a and b (0 = Monday) in a repeating week, the shorter way."""
    d = abs(a - b) % 7
    return min(d, 7 - d)


def split(n: int, *, has_b_work: bool) -> tuple[int, int]:
    """(A sessions, B sessions) for n training days a week (n clamped to 1-5).

    Up to 3 days: all A (full-body or upper-body days). 4 days: 2 A + 2 B; 5 days: 3 A +
    2 B, when the athlete has legs or core work for the B days; else 3 A at most.
    """
    n = max(1, min(MAX_SESSIONS, n))
    if n <= MAX_A:
        return n, 0
    if not has_b_work:
        return MAX_A, 0
    return n - 2, 2


def choose_days(
    counts: Sequence[int], *, n_a: int, n_b: int, no_a: frozenset[int] = frozenset()
) -> list[tuple[int, str]]:
    """Weekdays (0 = Monday) and kinds ("A" or "B"), ascending by weekday.

    `counts`: the athlete's training days per weekday (7 numbers). Picks the days that keep
    the athlete's habits best (most logged days on the chosen weekdays, A days first) among
    the choices whose A days, and whose B days, are pairwise at least 2 days apart cyclically,
    the A days not in `no_a` (at most 2 weekdays: 3 A days still fit). Ties go to the
    earliest weekdays. n_a 0-3, n_b 0-4, n_a + n_b <= 5.
    """
    if not 0 <= n_a <= MAX_A or n_b < 0 or n_a + n_b > MAX_SESSIONS:
        raise ValueError(f"cannot schedule {n_a} A and {n_b} B sessions a week")
    best: tuple[tuple[int, int], list[tuple[int, str]]] | None = None
    if len(no_a) > 2:
        raise ValueError(f"at most 2 weekdays can be closed to A sessions, got {sorted(no_a)}")
    for a_days in combinations([d for d in range(7) if d not in no_a], n_a):
        if any(cyclic_gap(x, y) < MIN_GAP_DAYS for x, y in combinations(a_days, 2)):
            continue
        rest = [d for d in range(7) if d not in a_days]
        for b_days in combinations(rest, n_b):
            if any(cyclic_gap(x, y) < MIN_GAP_DAYS for x, y in combinations(b_days, 2)):
                continue  # B days share their legs and core work: 48 h apart too
            score = (
                sum(counts[d] for d in (*a_days, *b_days)),
                sum(counts[d] for d in a_days),
            )
            plan = sorted([(d, "A") for d in a_days] + [(d, "B") for d in b_days])
            if best is None or score > best[0]:
                best = (score, plan)
    assert best is not None  # n_a <= 3 always fits
    return best[1]


def week_dates(start: date, week: int) -> list[date]:
    """The 7 dates of plan week `week` (1-based) from `start`."""
    first = start + timedelta(days=7 * (week - 1))
    return [first + timedelta(days=i) for i in range(7)]


def session_dates(
    start: date, week: int, days: Sequence[tuple[int, str]]
) -> list[tuple[date, str]]:
    """The dates (and kinds) of week `week`'s sessions on the chosen weekdays, ascending."""
    by_weekday = {d.weekday(): d for d in week_dates(start, week)}
    return sorted((by_weekday[wd], kind) for wd, kind in days)


def next_monday(day: date) -> date:
    """The first Monday strictly after `day`."""
    return day + timedelta(days=7 - day.weekday())
