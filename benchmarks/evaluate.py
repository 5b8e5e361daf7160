"""Benchmark ``cperules.evaluate`` against the policies of scenarios S1 and S3.

Run it from the repository root with the project's virtual environment::

    .venv/bin/python benchmarks/evaluate.py            # full run (100,000-ledger stream)
    .venv/bin/python benchmarks/evaluate.py --quick    # small smoke-test run (seconds)
    .venv/bin/python benchmarks/evaluate.py --stream 20000

Synthetic holders (deterministic: ``random.Random`` seeded per ledger from ``--seed``)
each hold one certification, earned 2023-03-01, and a ledger of 40 or 400 activities
spread over the first three-year cycle (2023-03-01..2026-02-28), in 0.25-credit steps.
Every ledger is evaluated on ``as_of`` 2026-03-15, so that cycle has ended and S1's
carryover moves credit into the next one.

* S1: categories A (most activities) and B; 120 in total, 90 of A, at most 30 of B count,
  up to 40 A credits from the last six months carry over.
* S3: the education tree (WoW, PS, BA) and giving back (GB with its child practitioner),
  60 in total, 35 of education, 8 each of WoW, PS and BA, caps of 25 on GB and 8 on
  practitioner; a tenth of the activities are split between two skill areas.

The same pre-validated ledgers also go through a hand-written plain-Python loop that
computes only S1's verdict, in the same run, and the two verdicts are checked to agree.

Figures: microseconds per ledger (the median of ``--repeats`` timed passes over a batch
of ledgers built beforehand, ``time.perf_counter``), ledgers per second, and the
``tracemalloc`` peak of one further pass over the batch that keeps every result (with
the memory retained per result). The stream evaluates ``--stream`` S1 ledgers built one
at a time by a generator, keeping only a count of the statuses, in a fresh process, and
reports its elapsed time, the ``tracemalloc`` peak and the process's peak resident set
size (``resource`` ``ru_maxrss``). Tracing slows Python down several times; the stream's
elapsed time includes it and the time spent building the ledgers, so its
evaluation-only time is reported as well (``--stream-untraced`` skips tracing).

Targets (from the issue): the engine at most 4x the hand-written loop on S1 with 40
activities; 400-activity S1 ledgers at most 12x the time of 40-activity ones; 100,000
ledgers evaluated as a stream under 300 MB peak memory. The script measures, it does
not test: it exits with status 0 whether or not the targets are met.

The hand-written loop computes only S1's first-cycle verdict, while ``evaluate`` explains
every credit of both cycles; the like-for-like comparison is ``cperules.verdict`` (the
verdict path of issue 16: status, shortfalls, carried credit, deadlines, no per-activity
explanation), measured and reported against the same 4x limit as its own row. The
explained engine's row keeps the original target. Issue 16's own targets (with a hand
loop that does all of the engine's work) are in ``benchmarks/engine.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import math
import multiprocessing
import platform
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path

from cperules import (
    Activity,
    AnniversaryCycle,
    Certification,
    Evaluation,
    Holder,
    Holding,
    Ledger,
    PolicyVersion,
    Verdict,
    evaluate,
    verdict,
)
from cperules.policy import CategoryNode
from cperules.rules import Cap, Carryover, Minimum
from cperules.selectors import category

# --- the policies of scenarios S1 and S3 (as built in tests/scenarios) --------------------

S1 = Certification(
    id="bench/s1",
    name="Scenario S1",
    body="Benchmark body",
    unit="CPE",
    versions=(
        PolicyVersion(
            effective_from=dt.date(2000, 1, 1),
            cycle=AnniversaryCycle(years=3, years_by="anniversary"),
            categories=(CategoryNode(code="A"), CategoryNode(code="B")),
            rules=(
                Minimum(id="total", credits=Decimal(120)),
                Minimum(id="group-a", credits=Decimal(90), selector=category("A")),
                Cap(id="group-b", selector=category("B"), credits=Decimal(30)),
            ),
            carryover=Carryover(selector=category("A"), window_months=6, cap=Decimal(40)),
        ),
    ),
)

S3 = Certification(
    id="bench/s3",
    name="Scenario S3",
    body="Benchmark body",
    unit="PDU",
    versions=(
        PolicyVersion(
            effective_from=dt.date(2000, 1, 1),
            cycle=AnniversaryCycle(years=3),
            categories=(
                CategoryNode(
                    code="education",
                    children=(
                        CategoryNode(code="WoW"),
                        CategoryNode(code="PS"),
                        CategoryNode(code="BA"),
                    ),
                ),
                CategoryNode(code="GB", children=(CategoryNode(code="practitioner"),)),
            ),
            rules=(
                Minimum(id="total", credits=Decimal(60)),
                Minimum(id="education", credits=Decimal(35), selector=category("education")),
                Minimum(id="ways-of-working", credits=Decimal(8), selector=category("WoW")),
                Minimum(id="power-skills", credits=Decimal(8), selector=category("PS")),
                Minimum(id="business-acumen", credits=Decimal(8), selector=category("BA")),
                Cap(id="giving-back", selector=category("GB"), credits=Decimal(25)),
                Cap(id="practitioner", selector=category("practitioner"), credits=Decimal(8)),
            ),
        ),
    ),
)

EARNED = dt.date(2023, 3, 1)
"""Both holdings are earned on this day, so both first cycles are 2023-03-01..2026-02-28."""
CYCLE_START, CYCLE_END = EARNED, dt.date(2026, 2, 28)
CYCLE_DAYS = (CYCLE_END - CYCLE_START).days + 1
AS_OF = dt.date(2026, 3, 15)
"""After the first cycle's end: it is judged, and S1's carryover lands in the next one."""

SMALL, LARGE = 40, 400
"""Activities per ledger."""

# --- targets ---------------------------------------------------------------------------

TARGET_VS_HAND = 4.0
TARGET_LARGE_VS_SMALL = 12.0
TARGET_STREAM_MB = 300.0
TARGET_STREAM_COUNT = 100_000

# --- synthetic data -------------------------------------------------------------------

Case = tuple[Holding, Ledger]

_KINDS = ("course", "webinar", "conference", "seminar", "self-study")
_PROVIDERS = ("ISC2 chapter", "SANS", "Coursera", "BSides", "Vendor academy", "University")
_FAMILY_NAMES = ("Okafor", "Nguyen", "Schmidt", "Garcia", "Kowalski", "Tanaka", "Dubois")
_S3_AREAS = ("WoW", "PS", "BA")
_S3_CODES = ("WoW", "PS", "BA", "GB", "practitioner")
_S3_WEIGHTS = (28, 22, 22, 18, 10)


def _rng(seed: int, scenario: str, size: int, index: int) -> random.Random:
    """One generator per ledger, so a ledger never depends on how many others are made."""
    return random.Random(f"{seed}/{scenario}/{size}/{index}")


def _holding(certification: Certification, rng: random.Random) -> Holding:
    holder = Holder(
        family_name=rng.choice(_FAMILY_NAMES),
        birth_date=dt.date(rng.randint(1960, 1999), rng.randint(1, 12), rng.randint(1, 28)),
    )
    return Holding(certification=certification, earned=EARNED, holder=holder)


def _credits(rng: random.Random, quarters: int) -> Decimal:
    """0.5 to ``quarters / 4`` credits, in 0.25 steps."""
    return Decimal(rng.randint(2, quarters)) / 4


def _activity(
    rng: random.Random, number: int, credits: Decimal, where: dict[str, object]
) -> Activity:
    """An activity on a random day of the cycle, filed as ``where`` says."""
    kind = rng.choice(_KINDS)
    return Activity.model_validate(
        {
            "id": f"act-{number:04d}",
            "title": f"{kind.title()} {rng.randint(1, 999)}",
            "completed": CYCLE_START + dt.timedelta(days=rng.randrange(CYCLE_DAYS)),
            "credits": credits,
            "kind": kind,
            "provider": rng.choice(_PROVIDERS),
            **where,
        }
    )


def s1_case(seed: int, size: int, index: int) -> Case:
    """A holder of S1 with ``size`` activities, mostly of category A, some of B.

    Holders differ in how large their activities are and how much of them is B, so some
    meet the requirements and some do not.
    """
    rng = _rng(seed, "S1", size, index)
    quarters = rng.randint(12, 36)  # largest activity: 3 to 9 credits
    share_b = rng.uniform(0.1, 0.35)
    activities = [
        _activity(
            rng,
            n,
            _credits(rng, quarters),
            {"category": "B" if rng.random() < share_b else "A"},
        )
        for n in range(size)
    ]
    return _holding(S1, rng), Ledger(activities)


def _s3_where(rng: random.Random, credits: Decimal) -> dict[str, object]:
    """One category of S3, or (one time in ten) a split between two skill areas."""
    if rng.random() < 0.1:
        first, second = rng.sample(_S3_AREAS, 2)
        part = Decimal(rng.randint(1, int(credits * 4) - 1)) / 4
        return {"split": {first: part, second: credits - part}}
    return {"category": rng.choices(_S3_CODES, weights=_S3_WEIGHTS)[0]}


def s3_case(seed: int, size: int, index: int) -> Case:
    """A holder of S3 with ``size`` activities across the skill areas and giving back."""
    rng = _rng(seed, "S3", size, index)
    quarters = rng.randint(6, 20)  # largest activity: 1.5 to 5 credits
    activities = []
    for n in range(size):
        credits = _credits(rng, quarters)
        activities.append(_activity(rng, n, credits, _s3_where(rng, credits)))
    return _holding(S3, rng), Ledger(activities)


def cases(make: Callable[[int, int, int], Case], seed: int, size: int, count: int) -> list[Case]:
    """``count`` pre-validated holdings and ledgers, built before anything is timed."""
    return [make(seed, size, index) for index in range(count)]


def stream_cases(seed: int, size: int, count: int) -> Iterator[Case]:
    """S1 holdings and ledgers built one at a time, for the streaming run."""
    for index in range(count):
        yield s1_case(seed, size, index)


# --- what is measured -------------------------------------------------------------------

_CREDIT_A_MINIMUM = Decimal(90)
_TOTAL_MINIMUM = Decimal(120)
_CAP_B = Decimal(30)


def s1_compliant_by_hand(ledger: Ledger) -> bool:
    """S1's verdict for the first cycle, as one would write it by hand.

    Sum the A and B credits completed within the cycle; B counts up to 30. Compliant
    when A plus the counted B reach 120 and A alone reaches 90.
    """
    group_a = group_b = Decimal(0)
    for activity in ledger:
        if CYCLE_START <= activity.completed <= CYCLE_END and activity.credits is not None:
            if activity.category == "A":
                group_a += activity.credits
            elif activity.category == "B":
                group_b += activity.credits
    return group_a >= _CREDIT_A_MINIMUM and group_a + min(group_b, _CAP_B) >= _TOTAL_MINIMUM


def run_engine(holding: Holding, ledger: Ledger) -> Evaluation:
    return evaluate(holding, ledger, as_of=AS_OF)


def run_verdict(holding: Holding, ledger: Ledger) -> object:
    return verdict(holding, ledger, as_of=AS_OF)


def run_by_hand(holding: Holding, ledger: Ledger) -> bool:
    return s1_compliant_by_hand(ledger)


MIN_REPEAT_SECONDS = 0.2
"""Fast runners loop over their batch until one timed repeat lasts at least this long."""


def _timed_pass(
    run: Callable[[Holding, Ledger], object], batch: Sequence[Case], loops: int
) -> float:
    start = time.perf_counter()
    for _ in range(loops):
        for holding, ledger in batch:
            run(holding, ledger)
    return time.perf_counter() - start


@dataclass
class Measurement:
    """One runner over one batch: timing, memory and what it answered."""

    label: str
    size: int
    ledgers: int
    seconds_per_ledger: list[float]
    traced_seconds: float
    peak_mb: float
    retained_kb: float
    answers: list[object] = field(repr=False)

    @property
    def median_us(self) -> float:
        return statistics.median(self.seconds_per_ledger) * 1e6

    @property
    def per_second(self) -> float:
        return 1e6 / self.median_us

    @property
    def tracing_factor(self) -> float:
        """How much slower a pass runs under ``tracemalloc``."""
        return self.traced_seconds / self.ledgers / (self.median_us / 1e6)


def measure(
    label: str, run: Callable[[Holding, Ledger], object], batch: Sequence[Case], repeats: int
) -> Measurement:
    """Time ``repeats`` passes over ``batch``, then trace one pass that keeps the results."""
    print(f"  {label}, {len(batch[0][1])} activities, {len(batch)} ledgers ...", flush=True)
    warm = _timed_pass(run, batch, 1)  # warms caches and calibrates the loop count
    loops = max(1, math.ceil(MIN_REPEAT_SECONDS / max(warm, 1e-9)))
    seconds = []
    for _ in range(repeats):
        seconds.append(_timed_pass(run, batch, loops) / (loops * len(batch)))
    gc.collect()
    tracemalloc.start()
    start = time.perf_counter()
    answers: list[object] = [run(holding, ledger) for holding, ledger in batch]
    traced = time.perf_counter() - start
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return Measurement(
        label=label,
        size=len(batch[0][1]),
        ledgers=len(batch),
        seconds_per_ledger=seconds,
        traced_seconds=traced,
        peak_mb=peak / 2**20,
        retained_kb=current / len(batch) / 2**10,
        answers=answers,
    )


def agreement(engine: Measurement, by_hand: Measurement) -> tuple[int, int, int]:
    """(agreeing, compliant by hand, total) over S1's first-cycle verdicts."""
    agree = compliant = 0
    for result, by_hand_says in zip(engine.answers, by_hand.answers, strict=True):
        assert isinstance(result, Evaluation | Verdict)
        agree += (result.cycles[0].status == "compliant") == by_hand_says
        compliant += by_hand_says is True
    return agree, compliant, len(engine.answers)


# --- the stream -----------------------------------------------------------------------


def _max_rss_mb() -> float:
    """``ru_maxrss`` in MB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def _proc_status_mb(key: str) -> float | None:
    """A memory figure of this process from ``/proc/self/status`` in MB (Linux only)."""
    status = Path("/proc/self/status")
    if not status.exists():
        return None
    for line in status.read_text(encoding="ascii").splitlines():
        name, _, value = line.partition(":")
        if name == key:
            return int(value.split()[0]) / 2**10
    return None


@dataclass(frozen=True)
class StreamResult:
    """What the streaming run measured (returned from its own process)."""

    count: int
    traced: bool
    elapsed: float
    evaluating: float
    traced_peak_mb: float | None
    rss_start_mb: float | None
    hwm_mb: float | None
    maxrss_mb: float
    checkpoints: tuple[tuple[int, float], ...]
    statuses: dict[str, int]
    disagreements: int

    @property
    def peak_mb(self) -> float:
        """The peak RSS (VmHWM where known, else ru_maxrss), or the traced peak if larger."""
        rss = self.hwm_mb if self.hwm_mb is not None else self.maxrss_mb
        return max(rss, self.traced_peak_mb or 0.0)


def run_stream(seed: int, count: int, traced: bool) -> StreamResult:
    """Evaluate ``count`` S1 ledgers from a generator, keeping only a count of statuses."""
    gc.collect()
    rss_start = _proc_status_mb("VmRSS")
    if traced:
        tracemalloc.start()
    statuses: Counter[str] = Counter()
    disagreements = 0
    evaluating = 0.0
    checkpoints: list[tuple[int, float]] = []
    every = max(1, count // 10)
    start = time.perf_counter()
    for done, (holding, ledger) in enumerate(stream_cases(seed, SMALL, count), start=1):
        began = time.perf_counter()
        result = evaluate(holding, ledger, as_of=AS_OF)
        evaluating += time.perf_counter() - began
        statuses[result.status] += 1
        disagreements += (result.cycles[0].status == "compliant") != s1_compliant_by_hand(ledger)
        if done % every == 0:
            if traced:
                checkpoints.append((done, tracemalloc.get_traced_memory()[0] / 2**20))
            took = time.perf_counter() - start
            print(f"    {done:,} of {count:,} ledgers in {took:,.0f} s", flush=True)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if traced else None
    tracemalloc.stop()
    return StreamResult(
        count=count,
        traced=traced,
        elapsed=elapsed,
        evaluating=evaluating,
        traced_peak_mb=peak,
        rss_start_mb=rss_start,
        hwm_mb=_proc_status_mb("VmHWM"),
        maxrss_mb=_max_rss_mb(),
        checkpoints=tuple(checkpoints),
        statuses=dict(statuses),
        disagreements=disagreements,
    )


def stream_in_fresh_process(seed: int, count: int, traced: bool) -> StreamResult:
    """Run the stream in a new interpreter, so its peak RSS is its own."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(run_stream, seed, count, traced).result()


# --- report ---------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def print_table(rows: Sequence[Measurement]) -> None:
    header = (
        f"{'scenario':<24}{'size':>6}{'ledgers':>9}{'us/ledger':>13}{'ledgers/s':>13}"
        f"{'peak MB':>10}{'KB/result':>11}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row.label:<24}{row.size:>6}{row.ledgers:>9}{row.median_us:>13,.1f}"
            f"{row.per_second:>13,.1f}{row.peak_mb:>10.2f}{row.retained_kb:>11.1f}"
        )
    print(
        "us/ledger: median of the repeats; peak MB: tracemalloc peak of one pass over the\n"
        "batch that keeps every result; KB/result: traced memory still held per result."
    )


def print_stream(stream: StreamResult) -> None:
    rate = stream.count / stream.elapsed
    print(
        f"stream of {stream.count:,} S1 ledgers of {SMALL} activities "
        f"({'traced' if stream.traced else 'untraced'}, in a fresh process):"
    )
    print(f"  elapsed {stream.elapsed:,.1f} s ({rate:,.1f} ledgers/s, building included)")
    print(f"  evaluating only: {stream.evaluating / stream.count * 1e6:,.1f} us/ledger")
    if stream.traced_peak_mb is not None:
        print(f"  tracemalloc peak {stream.traced_peak_mb:.2f} MB")
        marks = ", ".join(f"{n:,}: {mb:.2f}" for n, mb in stream.checkpoints)
        print(f"  traced MB held after n ledgers: {marks}")
    if stream.hwm_mb is not None:
        print(
            f"  peak RSS (VmHWM) {stream.hwm_mb:.1f} MB; "
            f"{stream.rss_start_mb or 0:.1f} MB resident when the stream began"
        )
    print(f"  ru_maxrss {stream.maxrss_mb:.1f} MB")
    statuses = ", ".join(f"{k} {v:,}" for k, v in sorted(stream.statuses.items()))
    print(f"  statuses: {statuses}")
    print(f"  first-cycle verdicts differing from the hand-written loop: {stream.disagreements}")


def print_targets(
    s1: Measurement,
    s1_large: Measurement,
    hand: Measurement,
    stream: StreamResult,
    verdicts: Measurement,
) -> None:
    vs_hand = s1.median_us / hand.median_us
    verdict_vs_hand = verdicts.median_us / hand.median_us
    large = s1_large.median_us / s1.median_us
    peak = stream.peak_mb
    rows = [
        (
            "engine / hand-written loop, S1, 40 activities",
            f"{vs_hand:,.1f}x",
            f"<= {TARGET_VS_HAND:g}x",
            _verdict(vs_hand <= TARGET_VS_HAND),
        ),
        (
            "verdict path / hand-written loop, S1, 40",
            f"{verdict_vs_hand:,.1f}x",
            f"<= {TARGET_VS_HAND:g}x",
            _verdict(verdict_vs_hand <= TARGET_VS_HAND),
        ),
        (
            "S1: 400 activities / 40 activities",
            f"{large:,.2f}x",
            f"<= {TARGET_LARGE_VS_SMALL:g}x",
            _verdict(large <= TARGET_LARGE_VS_SMALL),
        ),
        (
            f"stream of {stream.count:,} ledgers, peak MB",
            f"{peak:,.1f}",
            f"< {TARGET_STREAM_MB:g}",
            _verdict(peak < TARGET_STREAM_MB),
        ),
    ]
    header = f"{'target':<48}{'measured':>12}{'limit':>10}  result"
    print(header)
    print("-" * len(header))
    for name, measured, limit, result in rows:
        print(f"{name:<48}{measured:>12}{limit:>10}  {result}")
    print(
        "stream peak MB: the stream process's peak RSS (VmHWM where /proc has it, else\n"
        "ru_maxrss), or its tracemalloc peak if that is larger."
    )
    if stream.count != TARGET_STREAM_COUNT:
        print(
            f"note: the stream target is for {TARGET_STREAM_COUNT:,} ledgers; this run "
            f"streamed {stream.count:,} (see the traced MB held after n ledgers for growth)."
        )


# --- main -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """Batch sizes and repeats for a run."""

    small: int
    large: int
    repeats: int
    stream: int


def parse(argv: Sequence[str] | None = None) -> tuple[Plan, int, bool]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="a small run, to smoke-test")
    parser.add_argument(
        "--stream",
        type=int,
        metavar="N",
        help=f"ledgers in the streaming run (default {TARGET_STREAM_COUNT:,}; 300 with --quick)",
    )
    parser.add_argument("--repeats", type=int, help="timed passes per batch (default 5; 3 quick)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the synthetic data")
    parser.add_argument(
        "--stream-untraced",
        action="store_true",
        help="run the stream without tracemalloc (faster; peak RSS only)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        plan = Plan(small=20, large=3, repeats=3, stream=300)
    else:
        plan = Plan(small=200, large=20, repeats=5, stream=TARGET_STREAM_COUNT)
    plan = Plan(
        small=plan.small,
        large=plan.large,
        repeats=args.repeats if args.repeats is not None else plan.repeats,
        stream=args.stream if args.stream is not None else plan.stream,
    )
    return plan, args.seed, not args.stream_untraced


def main(argv: Sequence[str] | None = None) -> int:
    plan, seed, traced = parse(argv)
    started = time.perf_counter()
    print(
        f"cperules {version('cperules')}, pydantic {version('pydantic')}, "
        f"Python {platform.python_version()} ({platform.machine()}, {platform.system()})"
    )
    print(f"seed {seed}; as_of {AS_OF}; {plan.repeats} repeats per batch")
    # The stream runs first, while this process is small: on Linux a new process's
    # ru_maxrss starts from its parent's resident size at the time it was started.
    print(
        f"streaming {plan.stream:,} S1 ledgers in a fresh process "
        f"({'with' if traced else 'without'} tracemalloc) ...",
        flush=True,
    )
    stream = stream_in_fresh_process(seed, plan.stream, traced)
    print("building pre-validated ledgers ...", flush=True)
    s1_small = cases(s1_case, seed, SMALL, plan.small)
    s1_large = cases(s1_case, seed, LARGE, plan.large)
    s3_small = cases(s3_case, seed, SMALL, plan.small)
    s3_large = cases(s3_case, seed, LARGE, plan.large)
    print("measuring:")
    rows = [
        measure("S1 engine", run_engine, s1_small, plan.repeats),
        measure("S1 engine", run_engine, s1_large, plan.repeats),
        measure("S1 hand-written loop", run_by_hand, s1_small, plan.repeats),
        measure("S1 hand-written loop", run_by_hand, s1_large, plan.repeats),
        measure("S3 engine", run_engine, s3_small, plan.repeats),
        measure("S3 engine", run_engine, s3_large, plan.repeats),
        measure("S1 verdict path", run_verdict, s1_small, plan.repeats),
    ]
    engine, engine_large, hand, hand_large = rows[:4]
    verdicts = rows[-1]
    print()
    print_table(rows)
    print(f"(tracemalloc slowed the S1 engine pass {engine.tracing_factor:.1f}x)")
    print()
    for by_engine, by_hand in ((engine, hand), (engine_large, hand_large), (verdicts, hand)):
        agree, compliant, total = agreement(by_engine, by_hand)
        print(
            f"S1 verdicts, {by_engine.size} activities: {by_engine.label} and hand-written loop "
            "agree on "
            f"{agree}/{total} ledgers ({compliant} compliant)"
        )
    print()
    print_stream(stream)
    print()
    print_targets(engine, engine_large, hand, stream, verdicts)
    print(f"\ntotal run time {time.perf_counter() - started:,.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
