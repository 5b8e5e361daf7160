"""Flat records of an evaluation's outcomes, for ``pandas.DataFrame``.

>>> import datetime as dt
>>> from cperules import Holding, Ledger, evaluate
>>> result = evaluate(Holding(certification="CISSP", earned=dt.date(2024, 1, 1)), Ledger(),
...                   as_of=dt.date(2024, 6, 1))
>>> evaluation_records(result)
[]
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from cperules.render._shared import _not_counted
from cperules.render.text import _fate

if TYPE_CHECKING:
    from cperules.results import (
        ActivityOutcome,
        CycleResult,
        Evaluation,
        Part,
    )

# --- records ----------------------------------------------------------------------------

RecordsBy = Literal["part", "activity"]


def evaluation_records(evaluation: Evaluation, by: RecordsBy = "part") -> list[dict[str, Any]]:
    """Flat, JSON-compatible records of every activity's outcome, for ``pandas.DataFrame``.

    ``by="part"`` gives one record per part of every outcome (its reason code, credits,
    category, rule and note); ``by="activity"`` one record per activity per cycle, with
    claimed, counted, carried and not-counted credit side by side and the reasons for
    what did not count in words. Credits are decimal strings (exact; convert with
    ``Decimal`` or ``pandas.to_numeric``); activities outside every cycle have no cycle
    fields.

    Raises:
        ValueError: ``by`` is neither ``"part"`` nor ``"activity"``.

    >>> import datetime as dt
    >>> from cperules import Activity, Holding, Ledger, evaluate
    >>> ledger = Ledger([Activity(id="b1", title="Workshop", completed=dt.date(2024, 2, 1),
    ...                           credits=Decimal(40), category="B")])
    >>> result = evaluate(Holding(certification="CISSP", earned=dt.date(2024, 1, 1)), ledger,
    ...                   as_of=dt.date(2024, 6, 1))
    >>> [(r["reason"], r["credits"], r["rule"]) for r in evaluation_records(result)]
    [('counted', '30', None), ('capped', '10', 'group-b')]
    >>> row, = evaluation_records(result, by="activity")
    >>> row["counted"], row["not_counted"], row["why"]
    ('30', '10', "10 CPE not counted because the cap 'group-b' was reached in category B")
    """
    if by not in ("part", "activity"):
        raise ValueError(f"by must be 'part' or 'activity', got {by!r}")
    placed: list[tuple[CycleResult | None, ActivityOutcome]] = [
        (cycle, outcome) for cycle in evaluation.cycles for outcome in cycle.activities
    ]
    placed += [(None, outcome) for outcome in evaluation.outside]
    if by == "activity":
        return [_activity_record(evaluation, cycle, outcome) for cycle, outcome in placed]
    return [
        {**_where(evaluation, cycle, outcome), **_part_fields(part)}
        for cycle, outcome in placed
        for part in outcome.parts
    ]


def _where(
    evaluation: Evaluation, cycle: CycleResult | None, outcome: ActivityOutcome
) -> dict[str, Any]:
    return {
        "certification": evaluation.certification,
        "cycle": cycle.index if cycle else None,
        "cycle_start": cycle.period.start.isoformat() if cycle else None,
        "cycle_end": cycle.period.end.isoformat() if cycle else None,
        "activity_id": outcome.activity_id,
        "title": outcome.title,
        "completed": outcome.completed.isoformat(),
        "claimed": str(outcome.claimed),
    }


def _part_fields(part: Part) -> dict[str, Any]:
    return {
        "reason": part.reason,
        "credits": str(part.credits),
        "category": part.category,
        "rule": part.rule,
        "note": part.note,
    }


def _activity_record(
    evaluation: Evaluation, cycle: CycleResult | None, outcome: ActivityOutcome
) -> dict[str, Any]:
    lost = [part for part in outcome.parts if _not_counted(part)]
    return {
        **_where(evaluation, cycle, outcome),
        "basis": outcome.basis,
        "counted": str(outcome.total("counted")),
        "carried_in": str(outcome.total("carried-in")),
        "carried_out": str(outcome.total("carried-out")),
        "cured_previous_cycle": str(outcome.total("cured-previous-cycle")),
        "not_counted": str(sum((part.credits for part in lost), Decimal(0))),
        "reasons": "; ".join(dict.fromkeys(part.reason for part in lost)) or None,
        "why": "; ".join(_fate(part, evaluation.unit) for part in lost) or None,
    }
