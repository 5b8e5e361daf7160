r"""Compact Markdown for an evaluation and a cycle (``_repr_markdown_``).

>>> import datetime as dt
>>> from cperules import Holding, Ledger, evaluate
>>> result = evaluate(Holding(certification="CISSP", earned=dt.date(2024, 1, 1)), Ledger(),
...                   as_of=dt.date(2024, 6, 1))
>>> print(evaluation_markdown(result))
**isc2/cissp**: in progress as of 2024-06-01
<BLANKLINE>
| cycle | status | due | requirement | counted | required | shortfall |
|---|---|---|---|--:|--:|--:|
| 1: 2024-01-01..2026-12-31 | in progress | 2026-12-31 | total | 0 | 120 | 120 |
| 1: 2024-01-01..2026-12-31 | in progress | 2026-12-31 | group-a | 0 | 90 | 90 |
<BLANKLINE>
Still needed: 120 CPE: 90 of category A, and 30 more of category A or B \(B: at most 30, cap group-b\) by 2026-12-31.
"""  # noqa: E501

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING

from cperules.render._shared import _amount, _need_words, _not_counted, _remaining
from cperules.results import STATUS_WORDS

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


def _md_rows(cycle: CycleResult) -> list[str]:
    rows = []
    for req in cycle.requirements:
        scope = "" if req.period == cycle.period else f" in {req.period}"
        rows.append(
            f"| {cycle.index + 1}: {cycle.period} | {_md(STATUS_WORDS[cycle.status])} "
            f"| {cycle.due} | {_md(req.id)}{scope} | {req.counted} | {req.required} "
            f"| {req.shortfall} |"
        )
    if not cycle.requirements:
        rows.append(
            f"| {cycle.index + 1}: {cycle.period} | {_md(STATUS_WORDS[cycle.status])} "
            f"| {cycle.due} | none | | | |"
        )
    return rows


def _md_lost(outcomes: Iterable[ActivityOutcome], unit: str | None) -> list[str]:
    lost = []
    for outcome in outcomes:
        for part in outcome.parts:
            if _not_counted(part):
                lost.append(
                    f"{_md(outcome.activity_id)} {_md(_amount(part.credits, unit))} "
                    f"({_md(part.reason)})"
                )
    return ["Not counted: " + "; ".join(lost) + "."] if lost else []


_MD_HEAD = [
    "| cycle | status | due | requirement | counted | required | shortfall |",
    "|---|---|---|---|--:|--:|--:|",
]


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
    lines = [
        f"**{_md(evaluation.certification)}**: {_md(STATUS_WORDS[evaluation.status])} "
        f"as of {evaluation.as_of}",
        "",
        *_MD_HEAD,
    ]
    for cycle in evaluation.cycles:
        lines += _md_rows(cycle)
    notes: list[str] = []
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
    **Cycle 1, 2024-01-01..2026-12-31**: in progress, due 2026-12-31
    """
    lines = [
        f"**Cycle {cycle.index + 1}, {cycle.period}**: {_md(STATUS_WORDS[cycle.status])}, "
        f"due {cycle.due}",
        "",
        *_MD_HEAD,
        *_md_rows(cycle),
    ]
    lost = _md_lost(cycle.activities, unit)
    if lost:
        lines += ["", *lost]
    return "\n".join(lines)
