"""Flat records of an evaluation, for ``pandas.DataFrame``: typed values, one kind a shape.

Three kinds of record, each a :class:`~typing.TypedDict`: :class:`PartRecord` (one per
part of each activity's credit), :class:`ActivityRecord` (one per activity per cycle) and
:class:`RequirementRecord` (one per requirement per cycle). Credits are
:class:`~decimal.Decimal` (exact: ``df["counted"].sum()`` adds them), days
:class:`datetime.date`, and what does not apply ``None``. ``as_strings=True`` gives the
text form instead (decimal strings and ISO dates, JSON-ready), as records were before.

>>> import datetime as dt
>>> from cperules import Holding, Ledger, evaluate
>>> result = evaluate(Holding(certification="CISSP", earned=dt.date(2024, 1, 1)), Ledger(),
...                   as_of=dt.date(2024, 6, 1))
>>> evaluation_records(result)
[]
>>> [(r["requirement"], r["required"], r["counted"]) for r in evaluation_records(result, by="requirement")]
[('total', Decimal('120'), Decimal('0')), ('group-a', Decimal('90'), Decimal('0'))]
"""  # noqa: E501

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, TypedDict, cast

from cperules.render._shared import _not_counted
from cperules.render.text import _fate

if TYPE_CHECKING:
    from cperules.credits import ConversionBasis
    from cperules.results import (
        ActivityOutcome,
        CycleResult,
        Evaluation,
        Part,
        ReasonCode,
        RequirementResult,
    )

__all__ = [
    "ActivityRecord",
    "PartRecord",
    "RecordsBy",
    "RequirementRecord",
    "evaluation_records",
]

RecordsBy = Literal["part", "activity", "requirement"]
"""The kinds of record :func:`evaluation_records` gives."""

_KINDS: tuple[RecordsBy, ...] = ("part", "activity", "requirement")


class _Where(TypedDict):
    certification: str
    cycle: int | None
    cycle_start: dt.date | None
    cycle_end: dt.date | None


class _ActivityWhere(_Where):
    activity_id: str
    title: str
    completed: dt.date
    claimed: Decimal
    hypothetical: bool


class PartRecord(_ActivityWhere):
    """One part of one activity's credit: where it is, how much, and why (``by="part"``).

    ``cycle`` (numbered from 0), ``cycle_start`` and ``cycle_end`` are ``None`` for an
    activity outside every evaluated cycle; ``hypothetical`` marks a planned activity of
    a :meth:`~cperules.results.Evaluation.what_if` result.
    """

    reason: ReasonCode
    credits: Decimal
    category: str | None
    rule: str | None
    note: str | None


class ActivityRecord(_ActivityWhere):
    """One activity in one cycle, its credit's fates side by side (``by="activity"``).

    ``earned`` is what it earned in the cycle within the caps (``counted`` plus
    ``carried_out``); ``carried_in`` is credit it earned in the previous cycle that counts
    here; ``not_counted`` is the rest, with the ``reasons`` (codes) and ``why`` (words).
    """

    basis: ConversionBasis
    earned: Decimal
    counted: Decimal
    carried_in: Decimal
    carried_out: Decimal
    cured_previous_cycle: Decimal
    not_counted: Decimal
    reasons: str | None
    why: str | None


class RequirementRecord(_Where):
    """One requirement in one cycle, its credit side by side (``by="requirement"``).

    Required, then earned, carried in, counted toward it, carried out, and the shortfall.

    ``period_start`` and ``period_end`` are the requirement's own scope (a year of the
    cycle, for a yearly floor).
    """

    requirement: str
    period_start: dt.date
    period_end: dt.date
    required: Decimal
    earned: Decimal
    carried_in: Decimal
    counted: Decimal
    carried_out: Decimal
    shortfall: Decimal
    met: bool
    renewed: bool


def evaluation_records(
    evaluation: Evaluation, by: RecordsBy = "part", *, as_strings: bool = False
) -> list[dict[str, Any]]:
    """Flat records of every activity's outcome (or every requirement), for a DataFrame.

    ``by="part"`` gives one :class:`PartRecord` per part of every outcome (its reason
    code, credits, category, rule and note); ``by="activity"`` one :class:`ActivityRecord`
    per activity per cycle, with claimed, earned, counted, carried and not-counted credit
    side by side and the reasons for what did not count in words; ``by="requirement"`` one
    :class:`RequirementRecord` per requirement per cycle. Credits are ``Decimal``, days
    ``date``, cycles their index from 0; activities outside every cycle have ``None`` for
    the cycle fields.

    ``as_strings=True`` gives every credit as a decimal string and every day as an ISO
    date (JSON-ready; what ``csv.DictWriter`` writes either way), the form records had
    before they were typed.

    Each record has the keys of its :class:`~typing.TypedDict` (``cast`` a list to
    ``list[PartRecord]`` and so on to have them checked).

    Raises:
        ValueError: ``by`` is not ``"part"``, ``"activity"`` or ``"requirement"``.

    >>> import datetime as dt
    >>> from cperules import Activity, Holding, Ledger, evaluate
    >>> ledger = Ledger([Activity(id="b1", title="Workshop", completed=dt.date(2024, 2, 1),
    ...                           credits=Decimal(40), category="B")])
    >>> result = evaluate(Holding(certification="CISSP", earned=dt.date(2024, 1, 1)), ledger,
    ...                   as_of=dt.date(2024, 6, 1))
    >>> [(r["reason"], r["credits"], r["rule"]) for r in evaluation_records(result)]
    [('counted', Decimal('30'), None), ('capped', Decimal('10'), 'group-b')]
    >>> row, = evaluation_records(result, by="activity")
    >>> row["counted"], row["not_counted"], row["completed"]
    (Decimal('30'), Decimal('10'), datetime.date(2024, 2, 1))
    >>> row["why"]
    "10 CPE not counted because the cap 'group-b' was reached in category B"
    >>> row, = evaluation_records(result, by="activity", as_strings=True)
    >>> row["counted"], row["completed"]
    ('30', '2024-02-01')
    """
    if by not in _KINDS:
        raise ValueError(
            f"by must be 'part' or 'activity', got {by!r} "
            "(or 'requirement', for one record per requirement)"
        )
    records: list[Any]
    if by == "requirement":
        records = [
            _requirement_record(evaluation, cycle, requirement)
            for cycle in evaluation.cycles
            for requirement in cycle.requirements
        ]
    else:
        placed: list[tuple[CycleResult | None, ActivityOutcome]] = [
            (cycle, outcome) for cycle in evaluation.cycles for outcome in cycle.activities
        ]
        placed += [(None, outcome) for outcome in evaluation.outside]
        if by == "activity":
            records = [_activity_record(evaluation, cycle, outcome) for cycle, outcome in placed]
        else:
            records = [
                _part_record(evaluation, cycle, outcome, part)
                for cycle, outcome in placed
                for part in outcome.parts
            ]
    if as_strings:
        return [{key: _text(value) for key, value in record.items()} for record in records]
    return cast("list[dict[str, Any]]", records)


def _text(value: object) -> object:
    """A credit or a day as text; every other value as it is."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _where(evaluation: Evaluation, cycle: CycleResult | None) -> _Where:
    return {
        "certification": evaluation.certification,
        "cycle": cycle.index if cycle else None,
        "cycle_start": cycle.period.start if cycle else None,
        "cycle_end": cycle.period.end if cycle else None,
    }


def _activity_where(
    evaluation: Evaluation, cycle: CycleResult | None, outcome: ActivityOutcome
) -> _ActivityWhere:
    return {
        **_where(evaluation, cycle),
        "activity_id": outcome.activity_id,
        "title": outcome.title,
        "completed": outcome.completed,
        "claimed": outcome.claimed,
        "hypothetical": outcome.hypothetical,
    }


def _part_record(
    evaluation: Evaluation, cycle: CycleResult | None, outcome: ActivityOutcome, part: Part
) -> PartRecord:
    return {
        **_activity_where(evaluation, cycle, outcome),
        "reason": part.reason,
        "credits": part.credits,
        "category": part.category,
        "rule": part.rule,
        "note": part.note,
    }


def _activity_record(
    evaluation: Evaluation, cycle: CycleResult | None, outcome: ActivityOutcome
) -> ActivityRecord:
    lost = [part for part in outcome.parts if _not_counted(part)]
    counted = outcome.total("counted")
    carried_out = outcome.total("carried-out")
    return {
        **_activity_where(evaluation, cycle, outcome),
        "basis": outcome.basis,
        "earned": counted + carried_out,
        "counted": counted,
        "carried_in": outcome.total("carried-in"),
        "carried_out": carried_out,
        "cured_previous_cycle": outcome.total("cured-previous-cycle"),
        "not_counted": sum((part.credits for part in lost), Decimal(0)),
        "reasons": "; ".join(dict.fromkeys(part.reason for part in lost)) or None,
        "why": "; ".join(_fate(part, evaluation.unit) for part in lost) or None,
    }


def _requirement_record(
    evaluation: Evaluation, cycle: CycleResult, requirement: RequirementResult
) -> RequirementRecord:
    totals = requirement.totals
    return {
        **_where(evaluation, cycle),
        "requirement": requirement.id,
        "period_start": requirement.period.start,
        "period_end": requirement.period.end,
        "required": requirement.required,
        "earned": totals.earned,
        "carried_in": totals.carried_in,
        "counted": totals.counted,
        "carried_out": totals.carried_out,
        "shortfall": requirement.shortfall,
        "met": requirement.met,
        "renewed": requirement.renewed,
    }
