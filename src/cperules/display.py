"""Rich display of results: self-contained HTML for notebooks, and flat records for tables.

The HTML has no external CSS, scripts or fonts, escapes every string that came from a
user, states each status in words (colour only repeats it), and uses borders and
inherited text colours so that it reads in light and dark notebook themes.

>>> import datetime as dt
>>> from cperules import Holding, Ledger, evaluate
>>> result = evaluate(Holding(certification="CISSP", earned=dt.date(2024, 1, 1)), Ledger(),
...                   as_of=dt.date(2024, 6, 1))
>>> "in progress" in evaluation_html(result)
True
>>> evaluation_records(result)
[]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING, Any

from cperules.results import STATUS_WORDS

if TYPE_CHECKING:
    from cperules.results import (
        ActivityOutcome,
        CycleResult,
        Evaluation,
        Part,
        RequirementResult,
        Status,
    )

__all__ = ["evaluation_html", "evaluation_records"]

_TONES: dict[str, str] = {
    "compliant": "#2e7d32",
    "in_progress": "#1565c0",
    "in_grace": "#ef6c00",
    "non_compliant": "#c62828",
    "exempt": "#6d6d6d",
}
_STYLE = (
    "<style>"
    ".cpe{font-family:system-ui,sans-serif;color:inherit;max-width:60em}"
    ".cpe table{border-collapse:collapse;margin:.3em 0 .8em}"
    ".cpe th,.cpe td{border:1px solid rgba(127,127,127,.45);padding:.2em .5em;text-align:left}"
    ".cpe td.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".cpe .bar{width:8em;height:.7em;border:1px solid rgba(127,127,127,.6)}"
    ".cpe .bar span{display:block;height:100%}"
    ".cpe .status{display:inline-block;padding:.1em .5em;border-radius:.3em;color:#fff}"
    "</style>"
)


def _status(status: Status) -> str:
    words = escape(STATUS_WORDS[status])
    return f'<span class="status" style="background:{_TONES[status]}">{words}</span>'


def _bar(requirement: RequirementResult, status: Status) -> str:
    share = (
        min(Decimal(1), requirement.counted / requirement.required) if requirement.required else 1
    )
    tone = _TONES["compliant" if requirement.met else status]
    width = f"{share * 100:.0f}%"
    return (
        f'<div class="bar" role="img" aria-label="{width} of the requirement">'
        f'<span style="width:{width};background:{tone}"></span></div>'
    )


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], numeric: set[int]) -> str:
    """An HTML table of cells that are already HTML; columns in ``numeric`` align right."""
    header = "".join(f"<th>{cell}</th>" for cell in head)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td class='n'>{cell}</td>" if column in numeric else f"<td>{cell}</td>"
            for column, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><tr>{header}</tr>{body}</table>"


def _requirements(cycle: CycleResult, unit: str) -> str:
    if not cycle.requirements:
        return "<p>No requirement applies to this cycle.</p>"
    head = ("requirement", f"required ({escape(unit)})", "counted", "shortfall", "", "progress")
    rows = [
        (
            escape(req.id)
            + ("" if req.period == cycle.period else f" ({escape(str(req.period))})"),
            str(req.required),
            str(req.counted),
            str(req.shortfall),
            "met" if req.met else "short",
            _bar(req, cycle.status),
        )
        for req in cycle.requirements
    ]
    return _table(head, rows, numeric={1, 2, 3})


def _fates(outcome: ActivityOutcome) -> str:
    return "; ".join(
        escape(
            f"{part.credits} {part.reason}"
            + (f" ({part.category})" if part.category else "")
            + (f", rule {part.rule}" if part.rule else "")
            + (f": {part.note}" if part.note else "")
        )
        for part in outcome.parts
    )


def _activities(cycle: CycleResult, unit: str) -> str:
    if not cycle.activities:
        return ""
    head = ("id", "title", "completed", f"claimed ({escape(unit)})", "counted", "what became of it")
    rows = [
        (
            escape(outcome.activity_id),
            escape(outcome.title),
            str(outcome.completed),
            str(outcome.claimed),
            str(outcome.counted),
            _fates(outcome),
        )
        for outcome in cycle.activities
    ]
    summary = f"<summary>{len(cycle.activities)} activities</summary>"
    return f"<details>{summary}{_table(head, rows, numeric={3, 4})}</details>"


def evaluation_html(evaluation: Evaluation) -> str:
    """The evaluation as self-contained HTML (what Jupyter shows for it)."""
    parts = [
        _STYLE,
        '<div class="cpe">',
        f"<p><strong>{escape(evaluation.certification)}</strong>: "
        f"{_status(evaluation.status)} as of {evaluation.as_of}</p>",
    ]
    for cycle in evaluation.cycles:
        deadlines = f"due {cycle.due}"
        if cycle.grace is not None:
            deadlines += f"; grace until {cycle.grace.end}"
        parts.append(
            f"<h4>Cycle {cycle.index + 1}, {escape(str(cycle.period))}: "
            f"{_status(cycle.status)} <small>({deadlines})</small></h4>"
        )
        parts.append(_requirements(cycle, evaluation.unit))
        for finding in cycle.findings:
            if finding.code != "uncertain-reading":
                parts.append(f"<p>{escape(finding.code)}: {escape(finding.message)}</p>")
        parts.append(_activities(cycle, evaluation.unit))
    notes = evaluation.uncertain_readings
    if notes:
        items = "".join(f"<li>{escape(note)}</li>" for note in notes)
        parts.append(
            "<details><summary>Readings chosen where the policy's sources conflict</summary>"
            f"<ul>{items}</ul></details>"
        )
    parts.append("</div>")
    return "".join(parts)


def evaluation_records(evaluation: Evaluation) -> list[dict[str, Any]]:
    """One flat, JSON-compatible record per part of every activity outcome.

    ``pandas.DataFrame(evaluation_records(result))`` makes a table of every credit's fate;
    activities outside every cycle have no cycle fields.
    """
    records = [
        _record(evaluation, cycle, outcome, part)
        for cycle in evaluation.cycles
        for outcome in cycle.activities
        for part in outcome.parts
    ]
    records.extend(
        _record(evaluation, None, outcome, part)
        for outcome in evaluation.outside
        for part in outcome.parts
    )
    return records


def _record(
    evaluation: Evaluation, cycle: CycleResult | None, outcome: ActivityOutcome, part: Part
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
        "reason": part.reason,
        "credits": str(part.credits),
        "category": part.category,
        "rule": part.rule,
        "note": part.note,
    }
