"""What every benchmark with targets shares: alternating rounds, CPU time, a verdict table.

A benchmark script under ``benchmarks/`` that sets targets defines a module-level
``TARGETS`` (``make bench`` runs exactly the scripts that do), measures its workloads
with :func:`alternate` and ends with ``sys.exit(report(rows))``: a table of target,
measured, limit and PASS or MISS, and a non-zero exit status when any target is missed.

Timing: every workload runs once per round, in turn, so that load on the (shared)
machine falls on all of them alike; each round is timed with ``time.process_time``
(CPU time of this process) and the figure is the median over rounds.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Row", "alternate", "report"]


def alternate(
    workloads: Mapping[str, Callable[[], object]], rounds: int, per_call: Mapping[str, int]
) -> dict[str, float]:
    """Median CPU seconds per unit of each workload, over ``rounds`` alternating rounds.

    ``per_call[name]`` is how many units (ledgers) one call of workload ``name`` does.
    Every workload is called once before timing (warming caches and imports).
    """
    for work in workloads.values():
        work()
    samples: dict[str, list[float]] = {name: [] for name in workloads}
    for _ in range(rounds):
        for name, work in workloads.items():
            started = time.process_time()
            work()
            samples[name].append((time.process_time() - started) / per_call[name])
    return {name: statistics.median(values) for name, values in samples.items()}


@dataclass(frozen=True)
class Row:
    """One target: what is measured (a ratio, or an absolute figure) and its limit."""

    target: str
    measured: float
    limit: float
    unit: str = "x"

    @property
    def passed(self) -> bool:
        return self.measured <= self.limit


def report(rows: Sequence[Row]) -> int:
    """Print the table of targets; 0 when every one passed, 1 otherwise."""
    header = f"{'target':<58}{'measured':>12}{'limit':>10}  result"
    print(header)
    print("-" * len(header))
    for row in rows:
        measured = f"{row.measured:,.2f}{row.unit}"
        limit = f"<= {row.limit:g}{row.unit}"
        print(f"{row.target:<58}{measured:>12}{limit:>10}  {'PASS' if row.passed else 'MISS'}")
    missed = [row.target for row in rows if not row.passed]
    if missed:
        print(f"{len(missed)} target(s) missed: {'; '.join(missed)}")
        return 1
    return 0
