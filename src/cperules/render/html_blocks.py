"""HTML building blocks that views reuse: the style, status badges, banners, tables.

The HTML has no external CSS, scripts or fonts, escapes every string that came from a
user, states each status in words (colour only repeats it), and uses inherited text
colours, transparent backgrounds and translucent borders so that it reads in light and
dark notebook themes. The layout that matters (progress bars, status labels) is in inline
styles, so it survives notebook viewers that strip ``<style>`` elements.

:func:`html_view` wraps blocks with the style, :func:`banner` states a status,
:func:`requirement_table` draws requirements with progress bars, :func:`deadlines` gives a
cycle's dates and :func:`activity_table` explains every activity's credit in a
collapsible table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING

from cperules.credits import format_credits
from cperules.render._shared import _amount, _days, _not_counted, _status_words
from cperules.render.text import _fate

if TYPE_CHECKING:
    from cperules.cycles import Period
    from cperules.results import (
        ActivityOutcome,
        CycleResult,
        RequirementResult,
        Status,
    )

_TONES: dict[str, str] = {
    "compliant": "#2e7d32",
    "in_progress": "#1565c0",
    "in_grace": "#9a4d00",
    "non_compliant": "#c62828",
    "exempt": "#616161",
    "before_tracking": "#616161",
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
        f"color:#fff;background:{_TONES.get(status, _TONES['exempt'])}"
    )
    return f'<span style="{style}">{escape(_status_words(status))}</span>'


def banner(title: str, status: Status, lines: Iterable[str] = ()) -> str:
    """A heading block: ``title`` (plain text, escaped), the status, then lines of HTML.

    >>> html = banner("Team <A>", "compliant", ["<p>due 2026-02-28</p>"])
    >>> "Team &lt;A&gt;" in html and ">compliant</span>" in html
    True
    """
    body = "".join(lines)
    tone = _TONES.get(status, _TONES["exempt"])
    style = f"border-left:.35em solid {tone};padding:.3em .8em;margin:.3em 0 .8em"
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
    tone = _TONES["compliant"] if counted >= required else _TONES.get(status, _TONES["exempt"])
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


_LEFT = "text-align:left"
_RIGHT = "text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap"


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], numeric: Iterable[int] = ()) -> str:
    """An HTML table of cells that are already HTML; columns in ``numeric`` align right.

    Every cell states its alignment inline (text left, numbers right), so the table reads
    the same under a notebook's own table styles (JupyterLab right-aligns cells) and in
    viewers that strip ``<style>`` elements.

    >>> _table(("name", "credits"), [("a", "2")], numeric=(1,))
    '<div ...><table><tr><th style="text-align:left">name</th><th style="text-align:right;...">credits</th></tr><tr><td style="text-align:left">a</td><td class="n" style="text-align:right;...">2</td></tr></table></div>'
    """  # noqa: E501
    right = set(numeric)

    def cell(tag: str, column: int, content: str) -> str:
        if column in right:
            klass = ' class="n"' if tag == "td" else ""
            return f'<{tag}{klass} style="{_RIGHT}">{content}</{tag}>'
        return f'<{tag} style="{_LEFT}">{content}</{tag}>'

    header = "".join(cell("th", column, text) for column, text in enumerate(head))
    body = "".join(
        "<tr>" + "".join(cell("td", column, text) for column, text in enumerate(row)) + "</tr>"
        for row in rows
    )
    # A wide table scrolls inside its own box rather than overflowing a narrow page.
    return f'<div style="overflow-x:auto"><table><tr>{header}</tr>{body}</table></div>'


def _standing(requirement: RequirementResult) -> str:
    if requirement.met:
        return "met"
    words = f"short by {format_credits(requirement.shortfall)}"
    expected = requirement.expected_to_date
    if expected is not None:
        words += (
            ", on pace"
            if requirement.counted >= expected
            else f", behind pace ({format_credits(expected, places=2)} expected by now)"
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
    carries = any(req.carried_in or req.carried_out for req in requirements)
    head = (
        "requirement",
        f"required{f' ({escape(unit)})' if unit else ''}",
        *(("earned", "carried in") if carries else ()),
        "counted",
        *(("carried out",) if carries else ()),
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
        totals = req.totals
        rows.append(
            (
                name,
                format_credits(req.required),
                *(
                    (format_credits(totals.earned), format_credits(totals.carried_in))
                    if carries
                    else ()
                ),
                format_credits(req.counted),
                *((format_credits(totals.carried_out),) if carries else ()),
                format_credits(req.shortfall),
                escape(_standing(req)),
                progress_bar(
                    req.counted, req.required, status=status, expected=req.expected_to_date
                ),
            )
        )
    # Every column from "required" to "shortfall" is a number.
    return _table(head, rows, numeric=range(1, len(head) - 2))


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
    carried = [outcome.total("carried-out") for outcome in outcomes]
    carries = any(carried)
    planned = sum(1 for outcome in outcomes if outcome.hypothetical)
    if planned:
        summary += f"; {planned} planned"
    head = (
        "id",
        "title",
        "completed",
        f"claimed{f' ({escape(unit)})' if unit else ''}",
        "counted",
        *(("carried out",) if carries else ()),
        "not counted",
        "what became of it",
    )
    rows = [
        (
            escape(outcome.activity_id),
            escape(outcome.title) + (" <em>(planned)</em>" if outcome.hypothetical else ""),
            str(outcome.completed),
            format_credits(outcome.claimed),
            format_credits(outcome.counted),
            *((format_credits(out) if out else "",) if carries else ()),
            format_credits(amount) if amount else "",
            _fates(outcome, unit),
        )
        for outcome, amount, out in zip(outcomes, lost, carried, strict=True)
    ]
    opened = " open" if expanded else ""
    numeric = (3, 4, 5, 6) if carries else (3, 4, 5)
    return (
        f"<details{opened}><summary>{summary}</summary>"
        f"{_table(head, rows, numeric=numeric)}</details>"
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
    >>> "Cycle 0, 2024-01-01..2026-12-31" in cycle_section(result.governing, unit="CPE")
    True
    """
    heading = (
        f"<h4>Cycle {cycle.index}, {escape(str(cycle.period))} {status_badge(cycle.status)}</h4>"
    )
    if cycle.status == "before_tracking":
        return (
            f"{heading}<p>Not evaluated: tracking starts after this cycle, which is taken "
            "as renewed.</p>"
        )
    parts = [
        heading,
        deadlines(cycle, as_of),
    ]
    if cycle.activities:
        parts.append(f"<p>Credit: {escape(cycle.totals.words(unit))}.</p>")
    parts.append(
        requirement_table(cycle.requirements, status=cycle.status, unit=unit, period=cycle.period)
    )
    notes = _carried(cycle, unit) + "".join(
        f"<li><code>{escape(finding.code)}</code> {escape(finding.message)}</li>"
        for finding in cycle.findings
        if finding.code != "uncertain-reading"
    )
    if notes:
        parts.append(f"<ul>{notes}</ul>")
    parts.append(activity_table(cycle.activities, unit=unit, expanded=expanded))
    return "".join(parts)
