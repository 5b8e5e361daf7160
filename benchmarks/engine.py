"""Benchmark the engine against a hand-written loop, in ratios (issue 16's targets).

Run it from the repository root with the project's virtual environment::

    .venv/bin/python benchmarks/engine.py            # 7 rounds of 40 ledgers per workload
    .venv/bin/python benchmarks/engine.py --quick    # 3 rounds of 10 (seconds)
    .venv/bin/python benchmarks/engine.py --profile  # cProfile of the explained CISSP case

Workloads (synthetic, deterministic: ``random.Random`` seeded per ledger), all on the
bundled catalog entries:

* CISSP (``isc2/cissp``): a holder earned 2023-03-01, ledgers of 40 activities over the
  three years of the first cycle, three of them in its 90-day grace window, evaluated on
  2026-05-15 (in that window). Holders differ in how much they earned and how much of it
  is Group B, so some meet the cycle by its end (and carry Group A credit over), some
  are cured by grace-window credit, and some are still short.
* The same ledgers through a hand-written plain-Python loop that does the same work:
  both cycles' status and shortfalls, the credit carried over, the grace-window credit
  used to cure the first cycle (the rest counting in the second), and the next deadline.
  Every ledger's answer is checked equal to the engine's (explained and verdict paths)
  before anything is timed.
* CISSP histories: 40 activities in one cycle, against 240 over six cycles.
* PMP (``pmi/pmp``), 40 activities over the same three years, across the Talent Triangle
  and Giving Back.

* The verdict path once more with each ledger's date order worked out in the call (a
  ledger keeps it once worked out, so the rounds above pay for it once): what a ledger
  evaluated only once, as in a batch, costs. Printed, not a target.

Timing: CPU time (``time.process_time``), alternating rounds (every workload once per
round, in turn), medians; the targets are ratios of medians measured in the same run.

Targets (issue 16): explained ``evaluate`` <= 15x the hand loop; the verdict path
(``cperules.verdict``) <= 3x; six cycles <= 7x one cycle; PMP at 40
activities <= 2x CISSP's time. The script exits 1 if any target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import functools
import platform
import pstats
import random
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _targets import Row, alternate, report

from cperules import (
    Activity,
    Evaluation,
    Holder,
    Holding,
    Ledger,
    Verdict,
    evaluate,
    verdict,
)

TARGETS = (
    ("CISSP 40: explained evaluate / hand loop", 15.0),
    ("CISSP 40: verdict path / hand loop", 3.0),
    ("CISSP: 6 cycles / 1 cycle", 7.0),
    ("PMP 40 / CISSP 40 (explained)", 2.0),
)
"""Each target's name and limit (a ratio of median CPU times)."""

HOLDER = Holder(birth_date=dt.date(1980, 5, 17), family_name="Moreno")
EARNED = dt.date(2023, 3, 1)
AS_OF = dt.date(2026, 5, 15)

# --- CISSP by hand ----------------------------------------------------------------------
# The dates and numbers of isc2/cissp, written out as one would by hand.
START, DUE = dt.date(2023, 3, 1), dt.date(2026, 2, 28)
GRACE_START, GRACE_END = dt.date(2026, 3, 1), dt.date(2026, 5, 29)
CARRY_FROM = dt.date(2025, 9, 1)  # the last six months of the cycle
NEXT_START, NEXT_DUE = dt.date(2026, 3, 1), dt.date(2029, 2, 28)
TOTAL, GROUP_A, CAP_B, CARRY_CAP = Decimal(120), Decimal(90), Decimal(30), Decimal(40)
ZERO = Decimal(0)

Answer = tuple[object, ...]
"""(status of both cycles, their shortfalls, credit carried, grace credit used, deadline)."""


def cissp_by_hand(ledger: Ledger, as_of: dt.date = AS_OF) -> Answer:  # noqa: PLR0912, PLR0915
    """CISSP's verdict on ``as_of`` for a holder earned 2023-03-01, written by hand.

    The first cycle counts its Group A and (up to 30) Group B credit. If it is met by its
    end, Group A credit of its last six months beyond both minimums carries into the next
    cycle (up to 40); if not, credit earned in the 90-day grace window cures it (the least
    that does, earliest first; Group B only where the cap leaves room) and the rest of
    that credit counts in the next cycle.
    """
    a = b = window_a = ZERO
    grace: list[Activity] = []
    later: list[Activity] = []
    for activity in ledger:
        day, credits = activity.completed, activity.credits
        if day > as_of or credits is None:
            continue
        if day <= DUE:
            if day < START:
                continue
            if activity.category == "A":
                a += credits
                if day >= CARRY_FROM:
                    window_a += credits
            elif activity.category == "B":
                b += credits
        else:
            later.append(activity)
            if day <= GRACE_END:
                grace.append(activity)
    total = a + min(b, CAP_B)
    short_a, short_total = max(ZERO, GROUP_A - a), max(ZERO, TOTAL - total)
    carried = ZERO
    used: dict[str, Decimal] = {}
    if not short_a and not short_total:
        carried = min(window_a, a - GROUP_A, total - TOTAL, CARRY_CAP)
    else:
        grace_a = sum((x.credits or ZERO for x in grace if x.category == "A"), ZERO)
        grace_b = sum((x.credits or ZERO for x in grace if x.category == "B"), ZERO)
        room_b = max(ZERO, CAP_B - b)
        if grace_a >= short_a and grace_a + min(grace_b, room_b) >= short_total:
            goal = max(short_a, short_total)
            allow_b = min(room_b, goal - short_a)
        else:  # not curable: everything that helps
            goal = grace_a + min(grace_b, room_b, max(ZERO, short_total - grace_a))
            allow_b = min(room_b, max(ZERO, short_total - grace_a))
        taken = taken_b = ZERO
        for x in sorted(grace, key=lambda x: (x.completed, x.id)):
            credits = x.credits or ZERO
            if x.category == "A":
                take = min(credits, goal - taken)
                short_a = max(ZERO, short_a - take)
            elif x.category == "B":
                take = min(credits, goal - taken, allow_b - taken_b)
                taken_b += take
            else:
                continue
            if take:
                used[x.id] = take
                taken += take
                short_total = max(ZERO, short_total - take)
    first = "compliant" if not short_a and not short_total else "in_grace"
    a2, b2 = carried, ZERO
    for activity in later:
        credits = (activity.credits or ZERO) - used.get(activity.id, ZERO)
        if activity.category == "A":
            a2 += credits
        elif activity.category == "B":
            b2 += credits
    short_a2 = max(ZERO, GROUP_A - a2)
    short_total2 = max(ZERO, TOTAL - a2 - min(b2, CAP_B))
    second = "compliant" if not short_a2 and not short_total2 else "in_progress"
    deadline = GRACE_END if first == "in_grace" else NEXT_DUE
    shortfalls = ((short_total, short_a), (short_total2, short_a2))
    return (first, second), shortfalls, carried, sum(used.values(), ZERO), deadline


def answer_of(result: Evaluation | Verdict) -> Answer:
    """The same answer, read from an explained evaluation or from a verdict."""
    deadlines = result.next_deadlines()
    deadline = deadlines[0].date if deadlines else None
    statuses = tuple(c.status for c in result.cycles)
    if isinstance(result, Verdict):
        shortfalls = tuple(
            (c.shortfalls.get("total", ZERO), c.shortfalls.get("group-a", ZERO))
            for c in result.cycles
        )
        first = result.cycles[0]
        return statuses, shortfalls, first.carried_out, first.grace_counted, deadline
    shortfalls = tuple(
        (c.requirement("total").shortfall, c.requirement("group-a").shortfall)
        for c in result.cycles
    )
    explained = result.cycles[0]
    carried = sum((credit.credits for credit in explained.carried_out), ZERO)
    grace = sum(
        (
            part.credits
            for outcome in explained.activities
            for part in outcome.parts
            if part.reason == "counted" and outcome.completed > explained.due
        ),
        ZERO,
    )
    return statuses, shortfalls, carried, grace, deadline


# --- synthetic ledgers ------------------------------------------------------------------


def _credits(rng: random.Random, largest_quarters: int) -> Decimal:
    return Decimal(rng.randint(2, largest_quarters)) / 4


def cissp_ledger(seed: int, size: int = 40, *, first: dt.date = START, cycles: int = 0) -> Ledger:
    """``size`` CISSP activities per cycle, over ``cycles`` three-year cycles from ``first``.

    With ``cycles=0``: over the first cycle, three of them in its grace window (by
    ``AS_OF``).
    """
    rng = random.Random(f"cissp/{seed}/{size}/{first}/{cycles}")
    largest = rng.randint(18, 30)  # 4.5 to 7.5 credits: some holders meet it, some do not
    share_b = rng.uniform(0.1, 0.4)
    last = dt.date(first.year + 3 * max(cycles, 1), first.month, first.day) - dt.timedelta(days=1)
    days = (last - first).days + 1
    activities = []
    for n in range(size * max(cycles, 1)):
        if n < 3 and not cycles:
            day = GRACE_START + dt.timedelta(days=rng.randrange((AS_OF - GRACE_START).days + 1))
        else:
            day = first + dt.timedelta(days=rng.randrange(days))
        activities.append(
            Activity(
                id=f"a{n:04d}",
                title=f"Course {rng.randint(1, 999)}",
                completed=day,
                credits=_credits(rng, largest),
                category="B" if rng.random() < share_b else "A",
            )
        )
    return Ledger(activities)


_PMP_CODES = (
    "ways-of-working",
    "power-skills",
    "business-acumen",
    "working-as-a-practitioner",
    "volunteer",
    "create-content",
)
_PMP_WEIGHTS = (30, 24, 22, 8, 8, 8)


def pmp_ledger(seed: int, size: int = 40) -> Ledger:
    """``size`` PMP activities over the first cycle, three in its grace year."""
    rng = random.Random(f"pmp/{seed}/{size}")
    largest = rng.randint(8, 14)
    days = (DUE - START).days + 1
    activities = []
    for n in range(size):
        if n < 3:
            day = GRACE_START + dt.timedelta(days=rng.randrange((AS_OF - GRACE_START).days + 1))
        else:
            day = START + dt.timedelta(days=rng.randrange(days))
        activities.append(
            Activity(
                id=f"p{n:04d}",
                title=f"Course {rng.randint(1, 999)}",
                completed=day,
                credits=_credits(rng, largest),
                category=rng.choices(_PMP_CODES, weights=_PMP_WEIGHTS)[0],
            )
        )
    return Ledger(activities)


# --- the run ----------------------------------------------------------------------------


def _each(run: Callable[[Ledger], object], ledgers: Sequence[Ledger]) -> None:
    for ledger in ledgers:
        run(ledger)


def _afresh(run: Callable[[Ledger], object], ledgers: Sequence[Ledger]) -> None:
    """``run`` on each ledger as if first seen: its date order not yet worked out.

    A ledger keeps its date order once worked out (``cperules.ledger.chronology``), so
    the rounds above time it once per ledger; this shows what a ledger evaluated once
    (a batch) pays for it.
    """
    for ledger in ledgers:
        with contextlib.suppress(AttributeError):
            object.__delattr__(ledger, "_chronology")
        run(ledger)


def check_equal(holding: Holding, ledgers: Sequence[Ledger]) -> tuple[int, dict[str, int]]:
    """Check the hand loop, the explained path and the verdict path agree on every ledger."""
    kinds: dict[str, int] = {}
    for ledger in ledgers:
        by_hand = cissp_by_hand(ledger)
        explained = answer_of(evaluate(holding, ledger, as_of=AS_OF))
        verdicts = answer_of(verdict(holding, ledger, as_of=AS_OF))
        if not by_hand == explained == verdicts:
            raise SystemExit(
                f"answers differ on a ledger:\n  hand      {by_hand}\n  explained {explained}\n"
                f"  verdict   {verdicts}\n{ledger.to_records()}"
            )
        statuses, _, carried, cured, _ = by_hand
        kind = "carried" if carried else "cured" if cured else str(statuses[0])  # type: ignore[index]
        kinds[kind] = kinds.get(kind, 0) + 1
    return len(ledgers), kinds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds of 10 ledgers")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--batch", type=int, default=40, help="ledgers per workload")
    parser.add_argument("--profile", action="store_true", help="profile the explained case")
    args = parser.parse_args(argv)
    rounds, batch = (3, 10) if args.quick else (args.rounds, args.batch)
    print(
        f"cperules {version('cperules')}, pydantic {version('pydantic')}, "
        f"Python {platform.python_version()} ({platform.machine()}, {platform.system()})"
    )
    cissp = Holding(certification="isc2/cissp", earned=EARNED, holder=HOLDER)
    pmp = Holding(certification="pmi/pmp", earned=EARNED, holder=HOLDER)
    ledgers = [cissp_ledger(seed) for seed in range(batch)]
    # Histories, evaluated a month before the last cycle's end: one cycle, or six.
    before_due = dt.date(2035, 2, 1)
    recent = Holding(certification="isc2/cissp", earned=dt.date(2032, 3, 1), holder=HOLDER)
    old = Holding(certification="isc2/cissp", earned=dt.date(2017, 3, 1), holder=HOLDER)
    one_cycle = [cissp_ledger(seed, first=recent.earned, cycles=1) for seed in range(batch)]
    six_cycles = [cissp_ledger(seed, first=old.earned, cycles=6) for seed in range(batch)]
    pmps = [pmp_ledger(seed) for seed in range(batch)]
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(10):
            _each(functools.partial(evaluate, cissp, as_of=AS_OF), ledgers)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        return 0
    checked, kinds = check_equal(cissp, ledgers)
    print(f"{checked} CISSP ledgers: hand loop, explained and verdict paths agree ({kinds})")
    explain = functools.partial(evaluate, cissp, as_of=AS_OF)
    verdict_path = functools.partial(verdict, cissp, as_of=AS_OF)
    workloads: dict[str, Callable[[], object]] = {
        "hand": functools.partial(_each, cissp_by_hand, ledgers),
        "explained": functools.partial(_each, explain, ledgers),
        "verdict": functools.partial(_each, verdict_path, ledgers),
        "verdict afresh": functools.partial(_afresh, verdict_path, ledgers),
        "one cycle": functools.partial(
            _each, functools.partial(evaluate, recent, as_of=before_due), one_cycle
        ),
        "six cycles": functools.partial(
            _each, functools.partial(evaluate, old, as_of=before_due), six_cycles
        ),
        "pmp": functools.partial(_each, functools.partial(evaluate, pmp, as_of=AS_OF), pmps),
    }
    seconds = alternate(workloads, rounds, dict.fromkeys(workloads, batch))
    print(f"CPU microseconds per ledger, median of {rounds} alternating rounds of {batch}:")
    for name, value in seconds.items():
        print(f"  {name:<15}{value * 1e6:>10,.1f}")
    print(
        "  (verdict afresh: the ledger's date order worked out in each call, as in a batch;"
        f" {seconds['verdict afresh'] / seconds['hand']:.1f}x the hand loop, not a target)"
    )
    rows = [
        Row(TARGETS[0][0], seconds["explained"] / seconds["hand"], TARGETS[0][1]),
        Row(TARGETS[1][0], seconds["verdict"] / seconds["hand"], TARGETS[1][1]),
        Row(TARGETS[2][0], seconds["six cycles"] / seconds["one cycle"], TARGETS[2][1]),
        Row(TARGETS[3][0], seconds["pmp"] / seconds["explained"], TARGETS[3][1]),
    ]
    return report(rows)


if __name__ == "__main__":
    sys.exit(main())
