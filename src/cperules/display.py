"""Rich display of results, ledgers and policies: HTML for notebooks, Markdown, records, a plot.

The HTML has no external CSS, scripts or fonts, escapes every string that came from a
user, states each status in words (colour only repeats it), and uses inherited text
colours, transparent backgrounds and translucent borders so that it reads in light and
dark notebook themes. The layout that matters (progress bars, status labels) is in inline
styles, so it survives notebook viewers that strip ``<style>`` elements.

The views are built from small blocks that other views can reuse: :func:`html_view`
wraps blocks with the style, :func:`banner` states a status, :func:`requirement_table`
draws requirements with progress bars, :func:`deadlines` gives a cycle's dates and
:func:`activity_table` explains every activity's credit in a collapsible table.

>>> import datetime as dt
>>> from cperules import Holding, Ledger, evaluate
>>> result = evaluate(Holding(certification="CISSP", earned=dt.date(2024, 1, 1)), Ledger(),
...                   as_of=dt.date(2024, 6, 1))
>>> "in progress" in evaluation_html(result)
True
>>> print(evaluation_markdown(result))
**isc2/cissp**: in progress as of 2024-06-01
<BLANKLINE>
| cycle | status | due | requirement | counted | required | shortfall |
|---|---|---|---|--:|--:|--:|
| 1: 2024-01-01..2026-12-31 | in progress | 2026-12-31 | total | 0 | 120 | 120 |
| 1: 2024-01-01..2026-12-31 | in progress | 2026-12-31 | group-a | 0 | 90 | 90 |
<BLANKLINE>
Still needed: 120 CPE of category A by 2026-12-31.
>>> evaluation_records(result)
[]
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING, Any, Literal

from cperules.results import STATUS_WORDS, _fate
from cperules.selectors import Everything

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from cperules.citations import Citation, SourceRef
    from cperules.credits import Measure
    from cperules.ledger import Activity, Ledger
    from cperules.periods import CycleSpec, Period
    from cperules.policy import CategoryNode, Certification, PolicyVersion
    from cperules.portfolio import PortfolioEvaluation
    from cperules.results import (
        ActivityOutcome,
        CycleResult,
        Evaluation,
        Need,
        Part,
        ReasonCode,
        RequirementResult,
        Status,
    )
    from cperules.rules import Rule

__all__ = [
    "STYLE",
    "activity_table",
    "banner",
    "certification_html",
    "cycle_html",
    "cycle_markdown",
    "cycle_section",
    "deadlines",
    "describe_cycle",
    "describe_measure",
    "describe_rule",
    "describe_total",
    "evaluation_html",
    "evaluation_markdown",
    "evaluation_records",
    "html_view",
    "ledger_html",
    "plot_evaluation",
    "progress_bar",
    "requirement_table",
    "status_badge",
]

# Each status's colour: dark enough for white text (contrast 4.5:1 or more) and visible on
# light and dark backgrounds alike. The words always come with it.
_TONES: dict[str, str] = {
    "compliant": "#2e7d32",
    "in_progress": "#1565c0",
    "in_grace": "#9a4d00",
    "non_compliant": "#c62828",
    "exempt": "#616161",
}
_LINE = "rgba(127,127,127,.45)"

STYLE = (
    "<style>"
    ".cperules{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:inherit;"
    "background:transparent;max-width:64em;line-height:1.45}"
    ".cperules table{border-collapse:collapse;margin:.3em 0 .8em}"
    f".cperules th,.cperules td{{border:1px solid {_LINE};padding:.2em .5em;text-align:left;"
    "vertical-align:top;color:inherit;background:transparent}"
    ".cperules td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    ".cperules h4{margin:.9em 0 .2em}"
    ".cperules p{margin:.2em 0}"
    ".cperules summary{cursor:pointer;margin:.3em 0}"
    ".cperules .muted{opacity:.75}"
    ".cperules ul{margin:.2em 0 .5em;padding-left:1.4em}"
    "</style>"
)
"""The scoped style sheet every view starts with (it styles only ``.cperules`` elements)."""

_NOT_COUNTED_EXCEPT: frozenset[ReasonCode] = frozenset(
    {"counted", "carried-in", "carried-out", "cured-previous-cycle"}
)


def _not_counted(part: Part) -> bool:
    return part.reason not in _NOT_COUNTED_EXCEPT


def _amount(value: Decimal, unit: str | None) -> str:
    return f"{value} {unit}" if unit else str(value)


def _days(day: dt.date, as_of: dt.date | None) -> str:
    if as_of is None:
        return ""
    delta = (day - as_of).days
    if delta == 0:
        return " (today)"
    if delta > 0:
        return f" (in {delta} day{'s' * (delta != 1)})"
    return f" ({-delta} day{'s' * (delta != -1)} ago)"


def _need_words(need: Need, unit: str | None) -> str:
    kind = " and ".join(
        filter(
            None,
            (
                need.category and f"category {need.category}",
                need.topic and f"topic {need.topic}",
            ),
        )
    )
    return f"{_amount(need.credits, unit)}{' of ' + kind if kind else ''} by {need.due}"


def _remaining(evaluation: Evaluation) -> tuple[Need, ...] | None:
    """What is still needed, or None for an evaluation rebuilt from data (no history)."""
    try:
        return evaluation.remaining()
    except RuntimeError:
        return None


# --- HTML building blocks ---------------------------------------------------------------


def html_view(*blocks: str) -> str:
    """Blocks of HTML wrapped in one self-contained, styled container.

    >>> html_view("<p>hello</p>").endswith('<div class="cperules"><p>hello</p></div>')
    True
    """
    return f'{STYLE}<div class="cperules">{"".join(blocks)}</div>'


def status_badge(status: Status) -> str:
    """A status in words on a coloured label; the colour only repeats the words.

    >>> status_badge("non_compliant")
    '<span style="...">NOT compliant</span>'
    """
    style = (
        "display:inline-block;padding:0 .45em;border-radius:.3em;font-weight:600;"
        f"color:#fff;background:{_TONES[status]}"
    )
    return f'<span style="{style}">{escape(STATUS_WORDS[status])}</span>'


def banner(title: str, status: Status, lines: Iterable[str] = ()) -> str:
    """A heading block: ``title`` (plain text, escaped), the status, then lines of HTML.

    >>> html = banner("Team <A>", "compliant", ["<p>due 2026-02-28</p>"])
    >>> "Team &lt;A&gt;" in html and ">compliant</span>" in html
    True
    """
    body = "".join(lines)
    style = f"border-left:.35em solid {_TONES[status]};padding:.3em .8em;margin:.3em 0 .8em"
    return (
        f'<div style="{style}"><div style="font-size:1.15em"><strong>{escape(title)}</strong> '
        f"{status_badge(status)}</div>{body}</div>"
    )


def _share(part: Decimal, whole: Decimal) -> Decimal:
    return min(Decimal(1), part / whole) if whole > 0 else Decimal(1)


def progress_bar(
    counted: Decimal, required: Decimal, *, status: Status, expected: Decimal | None = None
) -> str:
    """A progress bar drawn in plain HTML, with its share in words beside it.

    The bar is green when ``counted`` reaches ``required`` and takes the colour of
    ``status`` otherwise; while it has not, ``expected`` (credit expected by now at a
    steady pace) draws a tick where the pace line is.

    >>> html = progress_bar(Decimal(30), Decimal(120), status="in_progress", expected=Decimal(40))
    >>> "25%" in html, "33% expected by now" in html
    (True, True)
    """
    share = _share(counted, required)
    tone = _TONES["compliant" if counted >= required else status]
    words = f"{share:.0%}"
    tick = ""
    if expected is not None and counted < required:
        pace = _share(expected, required)
        words += f"; {pace:.0%} expected by now"
        tick = (
            f'<div style="position:absolute;left:{pace:.1%};top:-.2em;bottom:-.2em;'
            'border-left:2px solid currentColor"></div>'
        )
    track = (
        "position:relative;display:inline-block;vertical-align:middle;width:8em;height:.75em;"
        f"border:1px solid {_LINE};border-radius:2px;background:transparent"
    )
    return (
        f'<div role="img" aria-label="{words} of the requirement" style="white-space:nowrap">'
        f'<div style="{track}"><div style="width:{share:.1%};height:100%;background:{tone}">'
        f"</div>{tick}</div> <small>{words}</small></div>"
    )


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], numeric: Iterable[int] = ()) -> str:
    """An HTML table of cells that are already HTML; columns in ``numeric`` align right."""
    right = set(numeric)
    header = "".join(f"<th>{cell}</th>" for cell in head)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{cell}</td>' if column in right else f"<td>{cell}</td>"
            for column, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    # A wide table scrolls inside its own box rather than overflowing a narrow page.
    return f'<div style="overflow-x:auto"><table><tr>{header}</tr>{body}</table></div>'


def _standing(requirement: RequirementResult) -> str:
    if requirement.met:
        return "met"
    words = f"short by {requirement.shortfall}"
    expected = requirement.expected_to_date
    if expected is not None:
        words += (
            ", on pace"
            if requirement.counted >= expected
            else f", behind pace ({expected:.2f} expected by now)"
        )
    return words


def requirement_table(
    requirements: Sequence[RequirementResult],
    *,
    status: Status,
    unit: str | None = None,
    period: Period | None = None,
) -> str:
    """The requirements with required, counted and shortfall, in words and as bars.

    A requirement whose period differs from ``period`` (a yearly floor inside a cycle)
    names its own period; ``status`` colours the bars of requirements not yet met.

    >>> import datetime as dt
    >>> from cperules.periods import Period
    >>> from cperules.results import RequirementResult
    >>> whole = Period(start=dt.date(2024, 1, 1), end=dt.date(2026, 12, 31))
    >>> req = RequirementResult(id="total", period=whole, required=Decimal(120),
    ...                         counted=Decimal(30), shortfall=Decimal(90))
    >>> "short by 90" in requirement_table([req], status="non_compliant", period=whole)
    True
    """
    if not requirements:
        return "<p>No requirement applies to this cycle.</p>"
    head = (
        "requirement",
        f"required{f' ({escape(unit)})' if unit else ''}",
        "counted",
        "shortfall",
        "standing",
        "progress",
    )
    rows = []
    for req in requirements:
        name = escape(req.id)
        if period is None or req.period != period:
            name += f' <span class="muted">in {escape(str(req.period))}</span>'
        if req.description:
            name += f'<br><small class="muted">{escape(req.description)}</small>'
        rows.append(
            (
                name,
                str(req.required),
                str(req.counted),
                str(req.shortfall),
                escape(_standing(req)),
                progress_bar(
                    req.counted, req.required, status=status, expected=req.expected_to_date
                ),
            )
        )
    return _table(head, rows, numeric=(1, 2, 3))


def deadlines(cycle: CycleResult, as_of: dt.date | None = None) -> str:
    """A cycle's dates: when it is due and its grace window, counted from ``as_of``.

    >>> import datetime as dt
    >>> from cperules.periods import Period
    >>> from cperules.results import CycleResult
    >>> cycle = CycleResult(index=0, period=Period(start=dt.date(2024, 1, 1),
    ...     end=dt.date(2026, 12, 31)), due=dt.date(2026, 12, 31), status="in_progress",
    ...     version_from=dt.date(2020, 1, 1))
    >>> deadlines(cycle, as_of=dt.date(2026, 12, 1))
    '<p>Due <strong>2026-12-31</strong> (in 30 days).</p>'
    """
    text = f"Due <strong>{cycle.due}</strong>{_days(cycle.due, as_of)}"
    if cycle.grace is not None:
        text += (
            f"; grace window {cycle.grace.start} to <strong>{cycle.grace.end}</strong>"
            f"{_days(cycle.grace.end, as_of)}"
        )
    return f"<p>{text}.</p>"


def _fates(outcome: ActivityOutcome, unit: str | None) -> str:
    return "<br>".join(
        f"<code>{escape(part.reason)}</code> {escape(_fate(part, unit or 'credits'))}"
        for part in outcome.parts
    )


def activity_table(
    outcomes: Sequence[ActivityOutcome],
    *,
    unit: str | None = None,
    label: str = "Activities",
    expanded: bool = False,
) -> str:
    """A collapsible table of activities: claimed, counted, and what became of every part.

    Each part of each activity's credit gives its reason code and the reason in words, so
    every credit that did not count says why. The summary line counts what did not.

    >>> import datetime as dt
    >>> from cperules.results import ActivityOutcome, Part
    >>> outcome = ActivityOutcome(activity_id="b1", title="Workshop",
    ...     completed=dt.date(2024, 1, 10), claimed=Decimal(45), basis="credits",
    ...     parts=(Part(reason="counted", credits=Decimal(30), category="B"),
    ...            Part(reason="capped", credits=Decimal(15), category="B", rule="group-b")))
    >>> html = activity_table([outcome], unit="CPE")
    >>> "Activities (1): 30 CPE counted; 15 CPE not counted (1 activity)" in html
    True
    >>> "the cap &#x27;group-b&#x27; was reached" in html
    True
    """
    if not outcomes:
        return ""
    counted = sum((outcome.counted for outcome in outcomes), Decimal(0))
    lost = [
        sum((part.credits for part in outcome.parts if _not_counted(part)), Decimal(0))
        for outcome in outcomes
    ]
    missing = sum(lost, Decimal(0))
    summary = f"{escape(label)} ({len(outcomes)}): {escape(_amount(counted, unit))} counted"
    short = sum(1 for amount in lost if amount)
    if short:
        summary += (
            f"; {escape(_amount(missing, unit))} not counted "
            f"({short} activit{'y' if short == 1 else 'ies'})"
        )
    head = (
        "id",
        "title",
        "completed",
        f"claimed{f' ({escape(unit)})' if unit else ''}",
        "counted",
        "not counted",
        "what became of it",
    )
    rows = [
        (
            escape(outcome.activity_id),
            escape(outcome.title),
            str(outcome.completed),
            str(outcome.claimed),
            str(outcome.counted),
            str(amount) if amount else "",
            _fates(outcome, unit),
        )
        for outcome, amount in zip(outcomes, lost, strict=True)
    ]
    opened = " open" if expanded else ""
    return (
        f"<details{opened}><summary>{summary}</summary>"
        f"{_table(head, rows, numeric=(3, 4, 5))}</details>"
    )


def _carried(cycle: CycleResult, unit: str | None) -> str:
    lines = [
        f"Carried in: {escape(_amount(c.credits, unit))} from {escape(c.activity_id)}"
        f"{escape(f' (category {c.category})' if c.category else '')}, "
        f"landing in {escape(str(c.lands_in))}"
        for c in cycle.carried_in
    ]
    lines += [
        f"Carried out: {escape(_amount(c.credits, unit))} from {escape(c.activity_id)}"
        f"{escape(f' (category {c.category})' if c.category else '')} "
        f"into {escape(str(c.lands_in))}"
        for c in cycle.carried_out
    ]
    return "".join(f"<li>{line}</li>" for line in lines)


def cycle_section(
    cycle: CycleResult,
    *,
    unit: str | None = None,
    as_of: dt.date | None = None,
    expanded: bool = False,
) -> str:
    """One cycle: heading and status, deadlines, requirements, carryover, findings, activities.

    >>> import datetime as dt
    >>> from cperules import Holding, Ledger, evaluate
    >>> result = evaluate(Holding(certification="CISSP", earned=dt.date(2024, 1, 1)),
    ...                   Ledger(), as_of=dt.date(2024, 6, 1))
    >>> "Cycle 1, 2024-01-01..2026-12-31" in cycle_section(result.governing, unit="CPE")
    True
    """
    parts = [
        f"<h4>Cycle {cycle.index + 1}, {escape(str(cycle.period))} "
        f"{status_badge(cycle.status)}</h4>",
        deadlines(cycle, as_of),
        requirement_table(cycle.requirements, status=cycle.status, unit=unit, period=cycle.period),
    ]
    notes = _carried(cycle, unit) + "".join(
        f"<li><code>{escape(finding.code)}</code> {escape(finding.message)}</li>"
        for finding in cycle.findings
        if finding.code != "uncertain-reading"
    )
    if notes:
        parts.append(f"<ul>{notes}</ul>")
    parts.append(activity_table(cycle.activities, unit=unit, expanded=expanded))
    return "".join(parts)


# --- whole views ------------------------------------------------------------------------


def evaluation_html(evaluation: Evaluation, *, expanded: bool = False) -> str:
    """The evaluation as self-contained HTML (what Jupyter shows for it).

    A banner gives the overall status, the governing cycle's deadline and what is still
    needed; the governing cycle (and one in its grace period) follow in full, earlier
    cycles collapsed. ``expanded=True`` opens the activity tables (for a static page).

    >>> import datetime as dt
    >>> from cperules import Activity, Holding, Ledger, evaluate
    >>> ledger = Ledger([Activity(id="b1", title="Workshop", completed=dt.date(2024, 2, 1),
    ...                           credits=Decimal(40), category="B")])
    >>> html = evaluation_html(evaluate(Holding(certification="CISSP",
    ...     earned=dt.date(2024, 1, 1)), ledger, as_of=dt.date(2024, 6, 1)))
    >>> "Still needed: 90 CPE of category A by 2026-12-31" in html
    True
    >>> "<code>capped</code> 10 CPE not counted" in html
    True
    """
    return html_view(*_evaluation_blocks(evaluation, expanded=expanded))


def _evaluation_blocks(evaluation: Evaluation, *, expanded: bool = False) -> list[str]:
    unit = evaluation.unit
    governing = evaluation.governing
    lines = [
        f"<p>As of {evaluation.as_of}: cycle {governing.index + 1} "
        f"({escape(str(governing.period))}) is {escape(STATUS_WORDS[governing.status])}, "
        f"due {governing.due}{_days(governing.due, evaluation.as_of)}.</p>"
    ]
    if evaluation.lifecycle and evaluation.standing.standing != "active":
        lines.append(f"<p>Standing: {escape(str(evaluation.standing))}.</p>")
    renewed = [c for c in evaluation.cycles if c.renewed_by is not None]
    lines.extend(
        f"<p>Cycle {c.index + 1} renewed: {escape(str(c.renewed_by))}.</p>" for c in renewed
    )
    needs = _remaining(evaluation)
    if needs:
        lines.append(
            "<p>Still needed: "
            + "; ".join(escape(_need_words(need, unit)) for need in needs)
            + ".</p>"
        )
    elif needs is not None and evaluation.status in {"compliant", "exempt"}:
        lines.append("<p>Nothing more is needed for this cycle.</p>")
    blocks = [banner(evaluation.certification, evaluation.status, lines)]
    current = [c for c in evaluation.cycles if c is governing or c.status == "in_grace"]
    earlier = [c for c in evaluation.cycles if c not in current]
    for cycle in current:
        blocks.append(cycle_section(cycle, unit=unit, as_of=evaluation.as_of, expanded=expanded))
    if earlier:
        inner = "".join(cycle_section(c, unit=unit, as_of=evaluation.as_of) for c in earlier)
        blocks.append(
            f"<details><summary>Earlier cycles ({len(earlier)})</summary>{inner}</details>"
        )
    if evaluation.outside:
        blocks.append(
            activity_table(
                evaluation.outside, unit=unit, label="Activities outside every evaluated cycle"
            )
        )
    notes = evaluation.uncertain_readings
    if notes:
        items = "".join(f"<li>{escape(note)}</li>" for note in notes)
        blocks.append(
            "<details><summary>Readings chosen where the policy's sources conflict "
            f"({len(notes)})</summary><ul>{items}</ul></details>"
        )
    blocks.append(
        f'<p class="muted"><small>Catalog data {escape(evaluation.data_version)}</small></p>'
    )
    return blocks


def portfolio_html(portfolio: PortfolioEvaluation) -> str:
    """A portfolio as self-contained HTML: one line per holding, then each in full.

    >>> import datetime as dt
    >>> from cperules import Holding, Ledger, evaluate_portfolio
    >>> html = portfolio_html(evaluate_portfolio(
    ...     [Holding(certification="isc2/cissp", earned=dt.date(2024, 1, 1))], Ledger(),
    ...     as_of=dt.date(2024, 6, 1)))
    >>> "<td>isc2/cissp</td>" in html and "Next deadlines" in html
    True
    """
    rows = []
    for evaluation in portfolio.evaluations:
        upcoming = evaluation.next_deadlines()
        rows.append(
            (
                escape(evaluation.certification),
                status_badge(evaluation.status),
                escape(str(evaluation.standing)) if evaluation.lifecycle else "",
                escape(str(upcoming[0].date)) if upcoming else "",
            )
        )
    lines = [f"<p>As of {portfolio.as_of}, {len(portfolio.evaluations)} certifications.</p>"]
    blocks = [
        banner("Portfolio", portfolio.status, lines),
        _table(("Certification", "Status", "Standing", "Next deadline"), rows),
    ]
    if portfolio.assignments:
        assigned = [
            (
                escape(a.activity_id),
                escape(", ".join(a.serves)),
                escape(f"at most {a.allowance} of {', '.join(a.eligible)} ({a.pool})"),
            )
            for a in portfolio.assignments
        ]
        blocks.append("<h4>Where shared credit went</h4>")
        blocks.append(_table(("Activity", "Serves", "Limit"), assigned))
    upcoming = portfolio.next_deadlines()
    if upcoming:
        items = "".join(f"<li>{escape(str(d))}</li>" for d in upcoming)
        blocks.append(f"<h4>Next deadlines</h4><ul>{items}</ul>")
    blocks.extend(f"<p>{escape(note)}</p>" for note in portfolio.notes)
    for evaluation in portfolio.evaluations:
        inner = "".join(_evaluation_blocks(evaluation))
        summary = f"{escape(evaluation.certification)}: {escape(STATUS_WORDS[evaluation.status])}"
        blocks.append(f"<details><summary>{summary}</summary>{inner}</details>")
    return html_view(*blocks)


def cycle_html(cycle: CycleResult, *, unit: str | None = None) -> str:
    """One cycle's result as self-contained HTML (what Jupyter shows for a cycle).

    >>> import datetime as dt
    >>> from cperules import Holding, Ledger, evaluate
    >>> result = evaluate(Holding(certification="CISSP", earned=dt.date(2024, 1, 1)),
    ...                   Ledger(), as_of=dt.date(2024, 6, 1))
    >>> ">in progress</span>" in cycle_html(result.governing)
    True
    """
    return html_view(cycle_section(cycle, unit=unit))


def _activity_amount(activity: Activity) -> str:
    if activity.credits is not None:
        return f"{activity.credits} credits"
    if activity.minutes is not None:
        return f"{activity.minutes} min"
    if activity.units is not None:
        return f"{activity.units} {activity.unit}"
    return "none"


def _activity_categories(activity: Activity) -> str:
    if activity.split is not None:
        return "split: " + ", ".join(f"{code} {share}" for code, share in activity.split.items())
    if activity.eligible:
        return "any of: " + ", ".join(activity.eligible)
    return activity.category or ""


def ledger_html(ledger: Ledger) -> str:
    """A ledger as self-contained HTML: a summary line and one row per activity.

    >>> from cperules import Ledger
    >>> ledger = Ledger.from_records([{"id": "w1", "title": "<b>Webinar</b>",
    ...     "completed": "2024-05-02", "minutes": "100", "category": "A"}])
    >>> html = ledger_html(ledger)
    >>> "&lt;b&gt;Webinar&lt;/b&gt;" in html, "100 min" in html
    (True, True)
    """
    activities = ledger.activities
    if not activities:
        return html_view("<p><strong>Ledger</strong>: no activities.</p>")
    first = min(a.first_day for a in activities)
    last = max(a.completed for a in activities)
    credits = sum((a.credits for a in activities if a.credits is not None), Decimal(0))
    minutes = sum(a.minutes for a in activities if a.credits is None and a.minutes is not None)
    summary = (
        f"<p><strong>Ledger</strong>: {len(activities)} "
        f"activit{'y' if len(activities) == 1 else 'ies'} from {first} to {last}; "
        f"{credits} credits given"
        + (f" and {minutes} minutes to convert" if minutes else "")
        + ".</p>"
    )
    head = (
        "id",
        "title",
        "completed",
        "amount",
        "category",
        "topics",
        "kind",
        "delivery",
        "provider",
        "claimed for",
    )
    rows = [
        (
            escape(a.id),
            escape(a.title),
            str(a.completed) if a.started is None else f"{a.started} to {a.completed}",
            escape(_activity_amount(a)),
            escape(_activity_categories(a)),
            escape(", ".join(a.topics)),
            escape(a.kind),
            escape(a.delivery or ""),
            escape(a.provider or ""),
            escape(", ".join(a.claimed_for)),
        )
        for a in activities
    ]
    return html_view(summary, _table(head, rows, numeric=(3,)))


# --- policies in words ------------------------------------------------------------------


def describe_cycle(spec: CycleSpec) -> str:
    """A cycle spec in words: its length and anchor, first-cycle rule and grace.

    >>> from cperules.periods import AnniversaryCycle, CalendarCycle, Grace
    >>> describe_cycle(AnniversaryCycle(years=3, grace=Grace(days=90, earning="allowed")))
    '3 years from the date earned, ending the day before each anniversary; 90-day grace (earning allowed)'
    >>> describe_cycle(CalendarCycle(years=3, stub="first-year",
    ...                              grace=Grace(months=12, earning="allowed", standing="suspended")))
    '3 years from 1 January after the date earned (the months before join its first year); 12-month suspension (earning allowed)'
    """  # noqa: E501
    words: str
    if spec.kind == "anniversary":
        ends = {
            "day-before": "ending the day before each anniversary",
            "anniversary": "ending on each anniversary",
            "end-of-month": "ending at the end of each anniversary's month",
        }
        words = f"{_years(spec.years)} from the date earned, {ends[spec.end]}"
    elif spec.kind == "calendar":
        stub = {
            "exempt": "the months before are exempt",
            "merged": "the months before join it",
            "first-year": "the months before join its first year",
        }
        words = f"{_years(spec.years)} from 1 January after the date earned ({stub[spec.stub]})"
    elif spec.kind == "fixed":
        start = spec.anchor
        words = (
            f"fixed periods of {_years(spec.years)} for every holder, one starting "
            f"{start.day} {calendar.month_name[start.month]} {start.year}"
            + (" (a part-period joins the next full one)" if spec.stub == "merged" else "")
        )
    elif spec.kind == "birth-month":
        parity = {
            None: "",
            "odd": ", in odd years",
            "even": ", in even years",
            "birth-year": ", in years of the birth year's parity",
        }
        words = f"{_years(spec.years)} ending with the birth month{parity[spec.parity]}"
    elif spec.kind == "scheduled":
        words = f"scheduled by family-name group ({len(spec.groups)} groups)"
        if spec.repeat_years:
            words += f", repeating every {_years(spec.repeat_years)}"
    else:
        words = (
            f"a check every {spec.every_months} months over the previous "
            f"{spec.window_months} months, first at the end of "
            f"{calendar.month_name[spec.checkpoint_month]}"
        )
    if spec.first_cycle != "normal":
        words += f"; first cycle {'exempt' if spec.first_cycle == 'exempt' else 'prorated'}"
    if spec.grace is not None:
        grace = spec.grace
        earning = "earning allowed" if grace.earning == "allowed" else "reporting only"
        length = f"{grace.days}-day" if grace.days is not None else f"{grace.months}-month"
        window = "suspension" if grace.standing == "suspended" else "grace"
        words += f"; {length} {window} ({earning})"
    return words


def _years(years: int) -> str:
    return f"{years} year{'s' * (years != 1)}"


def describe_measure(measure: Measure, unit: str = "credit") -> str:
    """How a measure turns time into credit, in words.

    >>> from cperules.credits import Measure
    >>> describe_measure(Measure(minutes_per_credit=50, step=Decimal("0.2")), "CPE")
    '1 CPE per 50 minutes, in steps of 0.2, rounded down; 1 ceu = 10 CPE'
    """
    words = f"1 {unit} per {measure.minutes_per_credit} minutes"
    if measure.step != 1:
        words += f", in steps of {measure.step}"
    words += ", rounded down" if measure.rounding == "down" else ", rounded to nearest"
    if measure.minimum is not None:
        words += f", at least {measure.minimum} to count"
    conversions = ", ".join(
        f"1 {name} = {value} {unit}" for name, value in measure.conversions.items()
    )
    return f"{words}; {conversions}" if conversions else words


_RECURRENCE = {
    "first-renewal": ", at the first renewal only",
    "once-per-career": ", once per career",
}


def describe_rule(rule: Rule, unit: str = "credits") -> str:
    """A rule in words (selectors shown as the calls that make them).

    >>> from cperules.rules import Cap, Minimum
    >>> from cperules.selectors import category
    >>> describe_rule(Minimum(id="total", credits=120), "CPE")
    'at least 120 CPE per cycle'
    >>> describe_rule(Cap(id="b", selector=category("B"), credits=30, scope="year"), "CPE")
    "at most 30 CPE of category('B') count per year"
    """
    scope = " per year" if getattr(rule, "scope", "cycle") == "year" else " per cycle"
    of = ""
    selector = getattr(rule, "selector", None)
    if selector is not None and not isinstance(selector, Everything):
        of = f" of {selector!r}"
    if rule.kind == "minimum":
        recurrence = rule.recurrence
        repeat = _RECURRENCE.get(recurrence.applies_to, "")
        if recurrence.every > 1:
            repeat = f", every {recurrence.every} renewals"
        return f"at least {rule.credits} {unit}{of}{scope}{repeat}"
    if rule.kind == "cap":
        limit = (
            f"{rule.credits} {unit}" if rule.credits is not None else f"{rule.share:%} of the total"
        )
        return f"at most {limit}{of} count{scope}"
    if rule.kind == "credit-value":
        parts = []
        if rule.fixed is not None:
            parts.append(f"worth {rule.fixed} {unit} each")
        if rule.multiplier is not None:
            parts.append(f"counted {rule.multiplier} times")
        if rule.max_per_entry is not None:
            parts.append(f"at most {rule.max_per_entry} {unit} per entry")
        return f"{selector!r}: {', '.join(parts)}"
    if rule.kind == "prerequisite":
        return f"{selector!r} must be valid at the end of the cycle"
    if rule.kind == "exclusion":
        return f"{selector!r} never counts"
    return f"the same activity counts once{scope}"


def describe_total(version: PolicyVersion, unit: str = "credits") -> str:
    """The total a version requires: its largest minimum over everything, per cycle or year.

    >>> from cperules import catalog
    >>> describe_total(catalog.get("isc2/cissp").versions[-1], "CPE")
    '120 CPE per cycle'
    """
    totals = [
        rule
        for rule in version.rules
        if rule.kind == "minimum"
        and isinstance(rule.selector, Everything)
        and rule.recurrence.applies_to == "every-renewal"
        and rule.recurrence.every == 1
    ]
    cycle = [rule.credits for rule in totals if rule.scope == "cycle"]
    if cycle:
        return f"{max(cycle)} {unit} per cycle"
    yearly = [rule.credits for rule in totals if rule.scope == "year"]
    if yearly:
        return f"{max(yearly)} {unit} per year"
    return "no overall minimum"


def _category_tree(nodes: Sequence[CategoryNode]) -> str:
    if not nodes:
        return ""
    items = "".join(
        f"<li><code>{escape(node.code)}</code>"
        f"{escape(': ' + node.name) if node.name else ''}{_category_tree(node.children)}</li>"
        for node in nodes
    )
    return f"<ul>{items}</ul>"


def _link(url: str, text: str) -> str:
    if re.match(r"https?://", url):
        return f'<a href="{escape(url)}">{escape(text)}</a>'
    return escape(text)  # pragma: no cover - citations are validated as http(s) URLs


def _source_html(version: PolicyVersion, source: SourceRef | None) -> str:
    """A rule's source as a link to its citation, with the clause; empty when it has none."""
    if source is None:
        return ""
    citation = version.citation(source.citation)
    clause = f", {source.clause}" if source.clause else ""
    return _link(citation.url, citation.title) + escape(clause)


def _citation_html(citation: Citation) -> str:
    marks = ""
    if citation.copy_url is not None:
        marks += " (" + _link(citation.copy_url, "read from a copy") + ")"
    if citation.third_party:
        marks += " <em>(third party, not the body's own document)</em>"
    return (
        _link(citation.url, citation.title)
        + escape(f", version {citation.version}" if citation.version else "")
        + escape(f", {citation.clause}" if citation.clause else "")
        + marks
    )


def _version_html(version: PolicyVersion, unit: str) -> str:
    until = f" until {version.effective_until}" if version.effective_until else ""
    rows = [
        (
            escape(rule.id),
            escape(rule.kind),
            escape(describe_rule(rule, unit)),
            escape(rule.description or ""),
            _source_html(version, rule.source),
        )
        for rule in version.rules
    ]
    cycle_source = _source_html(version, version.cycle.source)
    parts = [
        f"<p><strong>In force from {version.effective_from}{until}</strong>"
        + (f"; last verified {version.last_verified}" if version.last_verified else "")
        + ".</p>",
        "<ul>",
        f"<li>Cycle: {escape(describe_cycle(version.cycle))}"
        + (f" ({cycle_source})" if cycle_source else "")
        + "</li>",
        f"<li>Measure: {escape(describe_measure(version.measure, unit))}</li>",
        f"<li>Total: {escape(describe_total(version, unit))}</li>",
    ]
    if version.carryover is not None:
        carry = version.carryover
        words = "credit beyond the requirement"
        if not isinstance(carry.selector, Everything):
            words += f" of {carry.selector!r}"
        if carry.window_months:
            words += f" earned in the last {carry.window_months} months"
        if carry.cap is not None:
            words += f", up to {carry.cap} {unit}"
        words += ", into the next cycle" + ("'s first year" if carry.lands == "first-year" else "")
        parts.append(f"<li>Carryover: {escape(words)}</li>")
    parts.append("</ul>")
    if version.categories:
        parts.append(f"<p>Categories:</p>{_category_tree(version.categories)}")
    if rows:
        parts.append(_table(("rule", "kind", "in words", "description", "source"), rows))
    if version.citations:
        items = "".join(f"<li>{_citation_html(c)}</li>" for c in version.citations)
        parts.append(f"<p>Sources:</p><ul>{items}</ul>")
    if version.uncertain:
        items = "".join(f"<li>{escape(note)}</li>" for note in version.uncertain)
        parts.append(
            "<details><summary>Readings chosen where sources conflict "
            f"({len(version.uncertain)})</summary><ul>{items}</ul></details>"
        )
    return "".join(parts)


def certification_html(certification: Certification) -> str:
    """A certification and its policy versions as self-contained HTML, newest first.

    >>> from cperules import catalog
    >>> html = certification_html(catalog.get("isc2/cissp"))
    >>> "at least 90 CPE of category(&#x27;A&#x27;) per cycle" in html
    True
    """
    unit = certification.unit
    aliases = f"; also known as {', '.join(certification.aliases)}" if certification.aliases else ""
    head = (
        f"<p><strong>{escape(certification.name)}</strong> ({escape(certification.id)}): "
        f"{escape(certification.body)}, credit in {escape(unit)}{escape(aliases)}.</p>"
    )
    newest, *older = reversed(certification.versions)
    blocks = [head, _version_html(newest, unit)]
    for version in older:
        blocks.append(
            f"<details><summary>Version in force from {version.effective_from}</summary>"
            f"{_version_html(version, unit)}</details>"
        )
    return html_view(*blocks)


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


# --- the progress picture ---------------------------------------------------------------

PLOT_EXTRA = "pip install 'cperules[plot]'"


def plot_evaluation(
    evaluation: Evaluation, ax: Axes | None = None, cycle: int | CycleResult | None = None
) -> Axes:
    """Draw cumulative counted credit over a cycle against the pace and the requirement.

    ``cycle`` is a cycle index (0 is the first) or a :class:`CycleResult`; by default the
    governing cycle. Counted credit steps up on each activity's completion date (credit
    carried in starts the line at the cycle's first day); a dashed line is the
    straight-line pace towards the cycle's overall requirement and a dotted line the
    requirement itself. Capped and carried-out credit and the grace window are marked,
    and ``as_of`` is a vertical line. matplotlib is imported only here.

    >>> import datetime as dt
    >>> import matplotlib
    >>> matplotlib.use("Agg")  # no window: draw to an image
    >>> from cperules import Holding, Ledger, evaluate
    >>> result = evaluate(Holding(certification="CISSP", earned=dt.date(2024, 1, 1)), Ledger(),
    ...                   as_of=dt.date(2024, 6, 1))
    >>> ax = plot_evaluation(result)
    >>> [line.get_label() for line in ax.get_lines()]
    ['counted (0 CPE)', 'straight-line pace', 'requirement total (120 CPE)', 'as of 2024-06-01']

    Raises:
        ImportError: matplotlib is not installed (the message names the extra).
        IndexError: no cycle with that index was evaluated.
    """
    try:
        import matplotlib.dates as mdates  # noqa: PLC0415 - optional, imported on use
        import matplotlib.pyplot as plt  # noqa: PLC0415 - optional, imported on use
    except ImportError as error:
        raise ImportError(
            f"Evaluation.plot() needs matplotlib: {PLOT_EXTRA} (or pip install matplotlib)"
        ) from error
    chosen = _chosen_cycle(evaluation, cycle)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5))
    unit = evaluation.unit
    start, end = chosen.period.start, chosen.period.end
    steps = _steps(chosen)
    last = max([end, *(day for day, _ in steps)])
    if chosen.grace is not None and last > end:
        last = max(last, chosen.grace.end)
    xs: list[dt.date] = [start]
    ys: list[float] = [0.0]
    for day, total in steps:
        xs += [day, day]
        ys += [ys[-1], float(total)]
    stop = min(max(evaluation.as_of, start), last)
    if xs[-1] < stop:
        xs.append(stop)
        ys.append(ys[-1])
    counted = steps[-1][1] if steps else Decimal(0)
    ax.plot(_dates(xs), ys, color="#1565c0", linewidth=2, label=f"counted ({counted} {unit})")
    goal = _overall(chosen)
    if goal is not None:
        ax.plot(
            _dates([start, end]),
            [0, float(goal.required)],
            linestyle="--",
            color="gray",
            label="straight-line pace",
        )
        ax.axhline(
            float(goal.required),
            linestyle=":",
            color="black",
            label=f"requirement {goal.id} ({goal.required} {unit})",
        )
    _mark(ax, chosen, unit, steps)
    if chosen.grace is not None:
        ax.axvspan(
            _dates(chosen.grace.start),
            _dates(chosen.grace.end),
            color="#9a4d00",
            alpha=0.12,
            label="grace window",
        )
    if start <= evaluation.as_of <= last:
        ax.axvline(
            _dates(evaluation.as_of),
            color="#c62828",
            linewidth=1,
            label=f"as of {evaluation.as_of}",
        )
    ax.set_title(
        f"{evaluation.certification}: cycle {chosen.index + 1}, {chosen.period} "
        f"({STATUS_WORDS[chosen.status]})"
    )
    locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call]  # untyped module
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(
        mdates.ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]  # untyped module
    )
    ax.set_ylabel(f"cumulative {unit}")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", fontsize="small")
    return ax


def _dates(value: object) -> Any:
    """Dates as matplotlib takes them: its unit converters accept dates, its stubs only numbers."""
    return value


def _chosen_cycle(evaluation: Evaluation, cycle: int | CycleResult | None) -> CycleResult:
    if cycle is None:
        return evaluation.governing
    if isinstance(cycle, int):
        for candidate in evaluation.cycles:
            if candidate.index == cycle:
                return candidate
        known = ", ".join(str(c.index) for c in evaluation.cycles)
        raise IndexError(f"no cycle {cycle} was evaluated (cycles: {known})")
    return cycle


def _overall(cycle: CycleResult) -> RequirementResult | None:
    """The requirement the pace is drawn for: the largest over the whole cycle."""
    whole = [req for req in cycle.requirements if req.period == cycle.period]
    return max(whole, key=lambda req: req.required, default=None)


def _steps(cycle: CycleResult) -> list[tuple[dt.date, Decimal]]:
    """Cumulative counted credit after each day on which some counted.

    Credit carried in counts from the cycle's first day.
    """
    start = cycle.period.start
    added: dict[dt.date, Decimal] = {}
    for outcome in cycle.activities:
        for part in outcome.parts:
            if part.reason in {"counted", "carried-in"}:
                day = start if part.reason == "carried-in" else max(outcome.completed, start)
                added[day] = added.get(day, Decimal(0)) + part.credits
    total = Decimal(0)
    steps = []
    for day in sorted(added):
        total += added[day]
        steps.append((day, total))
    return steps


def _mark(
    ax: Axes, cycle: CycleResult, unit: str, steps: Sequence[tuple[dt.date, Decimal]]
) -> None:
    """Mark capped and carried-out credit on the counted line at the activity's date."""
    styles = {
        "capped": ("x", "#c62828", "capped (not counted)"),
        "carried-out": ("^", "#2e7d32", "carried out to the next cycle"),
        "carried-in": ("v", "#2e7d32", "carried in from the previous cycle"),
    }
    labelled: set[str] = set()
    start = cycle.period.start
    for outcome in cycle.activities:
        for part in outcome.parts:
            if part.reason not in styles:
                continue
            marker, colour, label = styles[part.reason]
            day = start if part.reason == "carried-in" else max(outcome.completed, start)
            height = next((total for when, total in reversed(steps) if when <= day), Decimal(0))
            ax.scatter(
                _dates([day]),
                [float(height)],
                marker=marker,
                color=colour,
                zorder=3,
                label=None if part.reason in labelled else label,
            )
            ax.annotate(
                f"{outcome.activity_id}: {part.credits} {part.reason}",
                (day, float(height)),
                textcoords="offset points",
                xytext=(5, -11 - 9 * (len(ax.texts) % 3)),  # staggered, so neighbours stay legible
                fontsize="x-small",
            )
            labelled.add(part.reason)
