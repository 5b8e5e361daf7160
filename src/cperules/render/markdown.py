"""Compact Markdown for an evaluation and a cycle (``_repr_markdown_``).

>>> import datetime as dt
>>> from cperules import Holding, Ledger, evaluate
>>> result = evaluate(Holding(certification="CISSP", earned=dt.date(2024, 1, 1)), Ledger(),
...                   as_of=dt.date(2024, 6, 1))
>>> print(evaluation_markdown(result))
**isc2/cissp**: in progress as of 2024-06-01
<BLANKLINE>
| cycle | status | due | requirement | counted | required | shortfall |
|---|---|---|---|--:|--:|--:|
| 0: 2024-01-01..2026-12-31 | in progress | 2026-12-31 | total | 0 | 120 | 120 |
| 0: 2024-01-01..2026-12-31 | in progress | 2026-12-31 | group-a | 0 | 90 | 90 |
<BLANKLINE>
Still needed: 120 CPE of category A by 2026-12-31.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING

from cperules.credits import format_credits
from cperules.render._shared import (
    _amount,
    _need_words,
    _not_counted,
    _remaining,
    _status_words,
)

if TYPE_CHECKING:
    from cperules.results import (
        ActivityOutcome,
        CycleResult,
        Evaluation,
    )

# --- Markdown ---------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def _md(text: str) -> str:
    """Text made inert in Markdown: HTML escaped, Markdown punctuation backslashed."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escape(text, quote=False))


def _carries(cycles: Iterable[CycleResult]) -> bool:
    """Whether any requirement of ``cycles`` had credit carried in or out.

    Only then do the tables show earned, carried in and carried out beside counted;
    otherwise earned is counted and the extra columns would only repeat it.
    """
    return any(r.carried_in or r.carried_out for c in cycles for r in c.requirements)


def _md_rows(cycle: CycleResult, *, carries: bool = False) -> list[str]:
    rows = []
    status = _md(_status_words(cycle.status))
    for req in cycle.requirements:
        scope = "" if req.period == cycle.period else f" in {req.period}"
        extra = ""
        if carries:
            totals = req.totals
            extra = " | ".join(
                (
                    "",
                    *(
                        format_credits(v)
                        for v in (totals.earned, totals.carried_in, totals.carried_out)
                    ),
                )
            )
        rows.append(
            f"| {cycle.index}: {cycle.period} | {status} "
            f"| {cycle.due} | {_md(req.id)}{scope} | {format_credits(req.counted)} "
            f"| {format_credits(req.required)} | {format_credits(req.shortfall)}{extra} |"
        )
    if not cycle.requirements:
        blanks = " | | |" if carries else ""
        rows.append(
            f"| {cycle.index}: {cycle.period} | {status} | {cycle.due} | none | | |{blanks} |"
        )
    return rows


def _md_lost(outcomes: Iterable[ActivityOutcome], unit: str | None) -> list[str]:
    lost = []
    for outcome in outcomes:
        for part in outcome.parts:
            if _not_counted(part):
                planned = " planned" if outcome.hypothetical else ""
                lost.append(
                    f"{_md(outcome.activity_id)}{planned} {_md(_amount(part.credits, unit))} "
                    f"({_md(part.reason)})"
                )
    return ["Not counted: " + "; ".join(lost) + "."] if lost else []


_MD_HEAD = [
    "| cycle | status | due | requirement | counted | required | shortfall |",
    "|---|---|---|---|--:|--:|--:|",
]
_MD_HEAD_CARRIES = [
    "| cycle | status | due | requirement | counted | required | shortfall "
    "| earned | carried in | carried out |",
    "|---|---|---|---|--:|--:|--:|--:|--:|--:|",
]


def _md_head(carries: bool) -> list[str]:
    return _MD_HEAD_CARRIES if carries else _MD_HEAD


def evaluation_markdown(evaluation: Evaluation) -> str:
    r"""A compact Markdown summary: status, one table row per requirement, what is missing.

    Every user string is escaped for Markdown and HTML alike (the module's example shows
    a whole summary).

    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> from cperules import Activity, Holding, Ledger, evaluate
    >>> ledger = Ledger([Activity(id="x_1", title="T", completed=dt.date(2024, 2, 1),
    ...                           credits=Decimal(2), category="Z")])
    >>> text = evaluation_markdown(evaluate(Holding(certification="CISSP",
    ...     earned=dt.date(2024, 1, 1)), ledger, as_of=dt.date(2024, 6, 1)))
    >>> print(text.splitlines()[-1])
    Not counted: x\_1 2 CPE (unrecognised-category).
    """
    unit = evaluation.unit
    carries = _carries(evaluation.cycles)
    lines = [
        f"**{_md(evaluation.certification)}**: {_md(_status_words(evaluation.status))} "
        f"as of {evaluation.as_of}",
        "",
        *_md_head(carries),
    ]
    for cycle in evaluation.cycles:
        lines += _md_rows(cycle, carries=carries)
    notes: list[str] = []
    if evaluation.lifecycle and not evaluation.verdict.good:
        notes.append(_md(str(evaluation.verdict)[:1].upper() + str(evaluation.verdict)[1:]) + ".")
    planned = evaluation.planned
    if planned:
        notes.append("What if: with planned activities " + _md(", ".join(planned)) + ".")
    needs = _remaining(evaluation)
    if needs:
        notes.append("Still needed: " + "; ".join(_md(_need_words(n, unit)) for n in needs) + ".")
    notes += _md_lost((o for c in evaluation.cycles for o in c.activities), unit)
    outside = len(evaluation.outside)
    if outside:
        notes.append(f"{outside} activit{'y' if outside == 1 else 'ies'} outside every cycle.")
    if notes:
        lines += ["", *notes]
    return "\n".join(lines)


def cycle_markdown(cycle: CycleResult, *, unit: str | None = None) -> str:
    """One cycle as compact Markdown: its requirements and the credit that did not count.

    >>> import datetime as dt
    >>> from cperules import Holding, Ledger, evaluate
    >>> result = evaluate(Holding(certification="CISSP", earned=dt.date(2024, 1, 1)),
    ...                   Ledger(), as_of=dt.date(2024, 6, 1))
    >>> print(cycle_markdown(result.governing).splitlines()[0])
    **Cycle 0, 2024-01-01..2026-12-31**: in progress, due 2026-12-31
    """
    carries = _carries((cycle,))
    lines = [
        f"**Cycle {cycle.index}, {cycle.period}**: {_md(_status_words(cycle.status))}, "
        f"due {cycle.due}",
        "",
        *_md_head(carries),
        *_md_rows(cycle, carries=carries),
    ]
    if cycle.activities:
        lines += ["", f"Credit: {_md(cycle.totals.words(unit))}."]
    lost = _md_lost(cycle.activities, unit)
    if lost:
        lines += ["", *lost]
    return "\n".join(lines)
