"""Plain text for results: ``str(evaluation)`` and the story of one activity.

>>> import datetime as dt
>>> from cperules import Holding, Ledger, evaluate
>>> result = evaluate(Holding(certification="CISSP", earned=dt.date(2024, 1, 1)), Ledger(),
...                   as_of=dt.date(2024, 6, 1))
>>> print(evaluation_text(result).splitlines()[0])
isc2/cissp: in progress as of 2024-06-01
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cperules.credits import format_credits
from cperules.errors import did_you_mean
from cperules.render._shared import _status_words

if TYPE_CHECKING:
    from cperules.results import ActivityOutcome, CycleResult, Evaluation, Part, ReasonCode

__all__ = ["activity_story", "evaluation_text"]


def evaluation_text(evaluation: Evaluation) -> str:
    """An evaluation in plain text: what ``str(evaluation)`` gives.

    The verdict first (in good standing or not, and why), then each cycle with its
    credit earned, counted and carried out side by side. Cycles are numbered from 0, as
    everywhere in the library.
    """
    unit = evaluation.unit
    lines = [
        f"{evaluation.certification}: {_status_words(evaluation.status)} as of {evaluation.as_of}",
    ]
    if evaluation.lifecycle:
        lines.append(f"Standing: {evaluation.standing}")
        verdict = str(evaluation.verdict)
        lines.append(verdict[:1].upper() + verdict[1:])
    planned = evaluation.planned
    if planned:
        lines.append(f"What if: with planned activities {', '.join(planned)}")
    lines.extend(_notes(evaluation))
    for cycle in evaluation.cycles:
        lines.append("")
        lines.extend(_cycle_lines(cycle, unit))
    return "\n".join(lines)


def _cycle_lines(cycle: CycleResult, unit: str) -> list[str]:
    """One cycle's lines: heading, credit, requirements, findings, carried credit, stories."""
    lines = [
        f"Cycle {cycle.index}, {cycle.period} (due {cycle.due}): {_status_words(cycle.status)}"
    ]
    if cycle.renewed_by is not None:
        lines.append(f"  renewed: {cycle.renewed_by}")
    if cycle.activities:
        lines.append(f"  credit: {cycle.totals.words(unit)}")
    for req in cycle.requirements:
        scope = "" if req.period == cycle.period else f" in {req.period}"
        mark = "met" if req.met else f"short {format_credits(req.shortfall)}"
        if req.expected_to_date is not None and not req.met:
            expected = format_credits(req.expected_to_date, places=2)
            mark += f"; {expected} expected by now at a steady pace"
        if req.carried_in or req.carried_out:
            mark += f"; {req.totals.words()}"
        lines.append(
            f"  {req.id}{scope}: {format_credits(req.counted)} of "
            f"{format_credits(req.required, unit)} ({mark})"
        )
    for finding in cycle.findings:
        if finding.code != "uncertain-reading":
            lines.append(f"  {finding.code}: {finding.message}")
    for credit in cycle.carried_in:
        lines.append(
            f"  carried in: {format_credits(credit.credits, unit)} from {credit.activity_id}"
        )
    for credit in cycle.carried_out:
        lines.append(
            f"  carried out: {format_credits(credit.credits, unit)} from "
            f"{credit.activity_id} into {credit.lands_in}"
        )
    for outcome in cycle.activities:
        other = [p for p in outcome.parts if p.reason not in {"counted", "carried-in"}]
        if other or outcome.hypothetical:
            lines.append("  " + _story(outcome, cycle, unit))
    return lines


def _notes(evaluation: Evaluation) -> list[str]:
    """Input the policy cannot read, and readings chosen where sources conflict."""
    lines = []
    if evaluation.findings:
        lines.append("Input the policy cannot read:")
        lines.extend(f"  - {finding}" for finding in evaluation.findings)
    notes = evaluation.uncertain_readings
    if notes:
        lines.append("Readings chosen where the policy's sources conflict:")
        lines.extend(f"  - {note}" for note in notes)
    return lines


def activity_story(evaluation: Evaluation, activity_id: str) -> str:
    """The story of one activity: what ``evaluation.explain(activity_id)`` gives.

    Raises:
        KeyError: no activity with that id was evaluated.
    """
    stories = []
    for outcome in evaluation.outside:
        if outcome.activity_id == activity_id:
            stories.append(_story(outcome, None, evaluation.unit))
    for cycle in evaluation.cycles:
        for outcome in cycle.activities:
            if outcome.activity_id == activity_id:
                stories.append(_story(outcome, cycle, evaluation.unit))
    if not stories:
        known = [o.activity_id for c in evaluation.cycles for o in c.activities]
        known += [o.activity_id for o in evaluation.outside]
        raise KeyError(
            f"no activity {activity_id!r} was evaluated{did_you_mean(activity_id, known)}"
        )
    return "\n".join(stories)


def _story(outcome: ActivityOutcome, cycle: CycleResult | None, unit: str) -> str:
    where = f" in cycle {cycle.period}" if cycle is not None else ""
    if (
        cycle is not None
        and cycle.credit_from is not None
        and outcome.completed < cycle.period.start
    ):
        where += (
            f" (earned in its early-credit window, {cycle.credit_from} to the day before it "
            "began, which counts toward it)"
        )
    claimed = (
        "hypothetical, " if outcome.hypothetical else ""
    ) + f"claimed {format_credits(outcome.claimed, unit)}"
    if outcome.valued_by:
        claimed += f" (valued by rule {outcome.valued_by!r})"
    fates = []
    for part in outcome.parts:
        fates.append(_fate(part, unit))
    return (
        f"{outcome.title!r} ({outcome.activity_id}, {outcome.completed}){where}: {claimed}; "
        + "; ".join(fates)
        + "."
    )


_FATES: dict[ReasonCode, str] = {
    "counted": "{credits} counted{category}",
    "capped": "{credits} not counted because the cap {rule} was reached{category}",
    "carried-out": "{credits} carried out{category} {note}",
    "carried-in": "{credits} carried in from the previous cycle{category}",
    "cured-previous-cycle": "{credits} used to complete the previous cycle",
    "before-cycle": "not counted: {note}",
    "after-as-of": "not counted: {note}",
    "between-windows": "not counted: {note}",
    "below-minimum-duration": "nothing counted: {note}",
    "no-credit": "carries no credit (it can still satisfy a prerequisite)",
    "unrecognised-category": "{credits} not counted: category {raw_category} is {note}",
    "uncategorised": "{credits} not counted: {note}",
    "excluded": "{credits} not counted: excluded by rule {rule}{described}",
    "repeat": "{credits} not counted: {note}",
    "not-claimed-for": "{credits} not counted: {note}",
    "assigned-elsewhere": "{credits} not counted here: {note}",
    "after-expiry": "{credits} not counted: {note}",
    "before-tracking": "{credits} not evaluated: {note}",
    "event-only": "{credits} not counted: only an event (an exam) renews this certification",
}


def _fate(part: Part, unit: str) -> str:
    return _FATES[part.reason].format(
        credits=format_credits(part.credits, unit),
        category=f" in category {part.category}" if part.category else "",
        raw_category=repr(part.category),
        rule=repr(part.rule) if part.rule else "",
        note=part.note or "",
        described=f" ({part.note})" if part.note else "",
    )
