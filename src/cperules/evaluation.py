"""Evaluate a holding's ledger over its history of cycles.

Every cycle from the first to the one governing ``as_of`` is evaluated in order, so
carried credit and grace cures flow forward. Within a cycle, activities are screened
(claimed credit, valuation, exclusions, categories) and the remaining credit is
allocated holder-optimally. The stages live in the private engine
(:mod:`cperules._engine`): screening, one cycle, the history of cycles, planning.
"""

from __future__ import annotations

import datetime as dt

from cperules._engine.history import History, quick_verdict, resolve
from cperules.days import check_day
from cperules.holders import Holding, require_holding
from cperules.ledger import Ledger, require_ledger
from cperules.results import Evaluation
from cperules.verdicts import Verdict

__all__ = ["evaluate", "verdict"]


def evaluate(holding: Holding, ledger: Ledger, *, as_of: dt.date) -> Evaluation:
    """Evaluate ``ledger`` for ``holding`` as it stands on ``as_of``.

    ``holding.certification`` is a :class:`~cperules.policy.Certification`, or an id or
    alias that the bundled catalog resolves (``"isc2/cissp"``, ``"CISSP"``).

    The result is an :class:`~cperules.results.Evaluation` that explains every credit.
    :func:`verdict` gives a :class:`~cperules.verdicts.Verdict` instead: the same status,
    standing, shortfalls, carried credit and deadlines, without the per-activity
    explanation, for a fraction of the work (batches of ledgers).

    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> from cperules import (Activity, AnniversaryCycle, Certification, Holding, Ledger,
    ...                       PolicyVersion)
    >>> from cperules.rules import Minimum
    >>> policy = PolicyVersion(effective_from=dt.date(2000, 1, 1),
    ...                        cycle=AnniversaryCycle(years=1),
    ...                        rules=(Minimum(id="total", credits=Decimal(20)),))
    >>> cert = Certification(id="demo/cert", name="Demo", body="Demo", unit="CPE",
    ...                      versions=(policy,))
    >>> ledger = Ledger([Activity(id="c1", title="Course", completed=dt.date(2024, 5, 1),
    ...                           credits=Decimal(12))])
    >>> result = evaluate(Holding(certification=cert, earned=dt.date(2024, 1, 1)), ledger,
    ...                   as_of=dt.date(2024, 6, 30))
    >>> result.status, result.cycles[-1].requirement("total").shortfall
    ('in_progress', Decimal('8'))
    """
    holding = require_holding(holding)
    ledger = require_ledger(ledger)
    as_of = check_day(as_of, "as_of")
    certification = resolve(holding)
    return History(certification, holding, ledger, as_of).run()


def verdict(holding: Holding, ledger: Ledger, *, as_of: dt.date) -> Verdict:
    """Where ``holding`` stands on ``as_of`` under ``ledger``, without explaining each credit.

    The same evaluation as :func:`evaluate` (the same screening, allocation and history
    of cycles), read only for what a batch needs: the overall status and standing, each
    cycle's status, shortfalls, credit carried in and out and grace-window credit
    counted, and the deadlines ahead. No per-activity outcome is built, so it takes a
    fraction of the time and memory.

    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> from cperules import Activity, Holding, Ledger
    >>> ledger = Ledger([Activity(id="c1", title="Course", completed=dt.date(2024, 5, 2),
    ...                           credits=Decimal(100), category="A")])
    >>> holding = Holding(certification="isc2/cissp", earned=dt.date(2023, 3, 1))
    >>> result = verdict(holding, ledger, as_of=dt.date(2024, 6, 30))
    >>> result.status, result.governing.shortfalls
    ('in_progress', {'total': Decimal('20'), 'group-a': Decimal('0')})
    >>> result.status == evaluate(holding, ledger, as_of=dt.date(2024, 6, 30)).status
    True
    """
    holding = require_holding(holding)
    ledger = require_ledger(ledger)
    as_of = check_day(as_of, "as_of")
    certification = resolve(holding)
    found = quick_verdict(certification, holding, ledger, as_of)
    if found is not None:
        return found
    return History(certification, holding, ledger, as_of, explain=False).verdict()
