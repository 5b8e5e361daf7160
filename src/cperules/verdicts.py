"""Verdicts: where a holding stands, without the story of every credit.

:func:`cperules.verdict` returns a :class:`Verdict`: the
overall status and standing, each cycle's status, shortfalls, credit carried in and out
and grace-window credit counted, and the deadlines ahead. It is what an explained
:class:`~cperules.results.Evaluation` says about the same ledger (the same allocation
decides both), without the per-activity outcomes: a fraction of the work, for batches.

>>> import datetime as dt
>>> from decimal import Decimal
>>> from cperules import Activity, Holding, Ledger, verdict
>>> ledger = Ledger([Activity(id="c1", title="Course", completed=dt.date(2024, 5, 2),
...                           credits=Decimal(30), category="A")])
>>> result = verdict(Holding(certification="isc2/cissp", earned=dt.date(2023, 3, 1)),
...                  ledger, as_of=dt.date(2024, 6, 30))
>>> result.status, result.governing.shortfalls
('in_progress', {'total': Decimal('90'), 'group-a': Decimal('60')})
>>> [str(deadline) for deadline in result.next_deadlines()]
['2026-02-28 earn-by isc2/cissp: total short 90 CPE; group-a short 60 CPE']
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import Field

from cperules._model import FrozenModel
from cperules.cycles import Period
from cperules.holders import RenewalEvent
from cperules.results import Deadline, Finding, Stage, Status

__all__ = ["CycleVerdict", "RequirementVerdict", "Verdict"]


class RequirementVerdict(FrozenModel):
    """One minimum over one scope instance: what it required and what is still short.

    ``renewed`` is true when an event renewed the cycle (nothing is short then).
    """

    id: str
    period: Period
    required: Decimal
    shortfall: Decimal
    renewed: bool = False

    @property
    def met(self) -> bool:
        """Whether nothing is short (by credit, or because an event renewed the cycle)."""
        return self.shortfall == 0


class CycleVerdict(FrozenModel):
    """One cycle's verdict: its status, shortfalls and the credit that crossed its edges.

    The same figures as the explained :class:`~cperules.results.CycleResult`:
    ``counted`` is its ``counted``, ``carried_in`` and ``carried_out`` are the totals of
    its carried credit, ``grace_counted`` the credit earned in the cycle's grace window
    that counted toward it (curing it).
    """

    index: int
    period: Period
    due: dt.date
    grace: Period | None = None
    suspension: Period | None = None
    status: Status
    version_from: dt.date
    requirements: tuple[RequirementVerdict, ...] = ()
    counted: Decimal = Decimal(0)
    carried_in: Decimal = Decimal(0)
    carried_out: Decimal = Decimal(0)
    grace_counted: Decimal = Decimal(0)
    renewed_by: RenewalEvent | None = None

    @property
    def shortfalls(self) -> dict[str, Decimal]:
        """Each minimum's shortfall by rule id (summed over a yearly rule's years)."""
        found: dict[str, Decimal] = {}
        for requirement in self.requirements:
            found[requirement.id] = found.get(requirement.id, Decimal(0)) + requirement.shortfall
        return found

    @property
    def shortfall(self) -> Decimal:
        """The total still short over every minimum."""
        return sum((r.shortfall for r in self.requirements), Decimal(0))


class Verdict(FrozenModel):
    """Where one holding stands on ``as_of``, cycle by cycle, without per-activity stories.

    ``standing`` is the lifecycle stage in force on ``as_of``; ``deadlines`` the dates
    still ahead (the same as :meth:`Evaluation.next_deadlines
    <cperules.results.Evaluation.next_deadlines>`); ``findings`` the same as
    :attr:`Evaluation.findings <cperules.results.Evaluation.findings>` (what the policy
    cannot read in the ledger). For the story of each credit, use
    :func:`cperules.evaluate`.
    """

    certification: str
    unit: str
    as_of: dt.date
    status: Status
    standing: Stage
    cycles: tuple[CycleVerdict, ...]
    deadlines: tuple[Deadline, ...] = ()
    findings: tuple[Finding, ...] = Field(
        default=(),
        description="What the policy cannot read in the ledger and the holding's events "
        "(the same as the explained evaluation's findings).",
    )
    data_version: str = Field(description="The bundled catalog's data version when evaluated.")

    @property
    def governing(self) -> CycleVerdict:
        """The cycle that governs ``as_of`` (the last one evaluated)."""
        return self.cycles[-1]

    def next_deadlines(self) -> tuple[Deadline, ...]:
        """The dates still ahead by which something must be done, sorted by date."""
        return self.deadlines

    def to_dict(self) -> dict[str, Any]:
        """JSON-compatible data: dates as ISO strings, credits as decimal strings."""
        return self.model_dump(mode="json")
