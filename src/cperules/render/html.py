"""Whole HTML views for notebooks: an evaluation, a portfolio, a cycle, a ledger, a policy.

Each view is built from the blocks of :mod:`cperules.render.html_blocks`.

>>> import datetime as dt
>>> from cperules import Holding, Ledger, evaluate
>>> result = evaluate(Holding(certification="CISSP", earned=dt.date(2024, 1, 1)), Ledger(),
...                   as_of=dt.date(2024, 6, 1))
>>> "in progress" in evaluation_html(result)
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING

from cperules.credits import format_credits
from cperules.describe import (
    describe_cycle,
    describe_measure,
    describe_rule,
    describe_selector,
    describe_total,
)
from cperules.render._shared import _days, _need_words, _remaining, _status_words
from cperules.render.html_blocks import (
    _table,
    activity_table,
    banner,
    cycle_section,
    html_view,
    status_badge,
)
from cperules.selectors import Everything

if TYPE_CHECKING:
    from cperules.citations import Citation, SourceRef
    from cperules.ledger import Activity, Ledger
    from cperules.policy import CategoryNode, Certification, PolicyVersion
    from cperules.portfolio import PortfolioEvaluation
    from cperules.results import (
        CycleResult,
        Evaluation,
    )

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
        f"<p>As of {evaluation.as_of}: cycle {governing.index} "
        f"({escape(str(governing.period))}) is {escape(_status_words(governing.status))}, "
        f"due {governing.due}{_days(governing.due, evaluation.as_of)}.</p>"
    ]
    if evaluation.lifecycle and evaluation.standing.standing != "active":
        lines.append(f"<p>Standing: {escape(str(evaluation.standing))}.</p>")
    if evaluation.lifecycle:
        verdict = evaluation.verdict
        words = "In good standing" if verdict.good else "<strong>Not in good standing</strong>"
        lines.append(f"<p>{words}: {escape(verdict.reason)}.</p>")
    planned = evaluation.planned
    if planned:
        lines.append(
            "<p><strong>What if</strong>: with planned activities "
            f"{escape(', '.join(planned))} (marked <em>planned</em> below).</p>"
        )
    renewed = [c for c in evaluation.cycles if c.renewed_by is not None]
    lines.extend(f"<p>Cycle {c.index} renewed: {escape(str(c.renewed_by))}.</p>" for c in renewed)
    needs = _remaining(evaluation)
    if needs:
        lines.append(
            "<p>Still needed: "
            + "; ".join(escape(_need_words(need, unit)) for need in needs)
            + ".</p>"
        )
    elif needs is not None and evaluation.status in {"compliant", "exempt"}:
        lines.append("<p>Nothing more is needed for this cycle.</p>")
    if evaluation.findings:
        items = "".join(
            f"<li><code>{escape(f.code)}</code> {escape(f.message)}</li>"
            for f in evaluation.findings
        )
        lines.append(f"<p>Input the policy cannot read:</p><ul>{items}</ul>")
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
    >>> '<td style="text-align:left">isc2/cissp</td>' in html and "Next deadlines" in html
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
    planned = tuple(dict.fromkeys(i for e in portfolio.evaluations for i in e.planned))
    if planned:
        lines.append(
            "<p><strong>What if</strong>: with planned activities "
            f"{escape(', '.join(planned))}.</p>"
        )
    blocks = [
        banner("Portfolio", portfolio.status, lines),
        _table(("Certification", "Status", "Standing", "Next deadline"), rows),
    ]
    blocks.extend(_plan_blocks(portfolio))
    uses = portfolio.uses()
    if uses:
        units = {e.certification: e.unit for e in portfolio.evaluations}
        where = [
            (
                escape(use.activity_id),
                escape(use.title) + (" <em>(planned)</em>" if use.activity_id in planned else ""),
                escape(
                    "; ".join(
                        f"{certification} {format_credits(credits, units.get(certification))}"
                        for certification, credits in use.counted
                    )
                ),
            )
            for use in uses
        ]
        blocks.append(
            "<details><summary>Where each activity counted "
            f"({len(uses)} activit{'y' if len(uses) == 1 else 'ies'})</summary>"
            f"{_table(('Activity', 'Title', 'Counted for'), where)}</details>"
        )
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
        summary = f"{escape(evaluation.certification)}: {escape(_status_words(evaluation.status))}"
        blocks.append(f"<details><summary>{summary}</summary>{inner}</details>")
    return html_view(*blocks)


def _plan_blocks(portfolio: PortfolioEvaluation) -> list[str]:
    """What the portfolio still needs, per holding, and where one activity serves several."""
    try:
        plan = portfolio.remaining()
    except RuntimeError:  # pragma: no cover - a portfolio rebuilt from data has no inputs
        return []
    if not plan.needs:
        return []
    items = "".join(f"<li>{escape(str(need))}</li>" for need in plan.needs)
    blocks = [f"<h4>Still needed</h4><ul>{items}</ul>"]
    if plan.shared:
        shared = "".join(f"<li>{escape(str(need))}</li>" for need in plan.shared)
        blocks.append(f"<p>One activity can serve several:</p><ul>{shared}</ul>")
    return blocks


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
        return format_credits(activity.credits, "credits")
    if activity.minutes is not None:
        return f"{activity.minutes} min"
    if activity.units is not None:
        return format_credits(activity.units, activity.unit)
    return "none"


def _activity_categories(activity: Activity) -> str:
    if activity.split is not None:
        return "split: " + ", ".join(
            f"{code} {format_credits(share)}" for code, share in activity.split.items()
        )
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
        f"{format_credits(credits, 'credits')} given"
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
            words += f" of {describe_selector(carry.selector)}"
        if carry.window_months:
            words += f" earned in the last {carry.window_months} months"
        if carry.cap is not None:
            words += f", up to {format_credits(carry.cap, unit)}"
        words += ", into the next cycle" + ("'s first year" if carry.lands == "first-year" else "")
        parts.append(f"<li>Carryover: {escape(words)}</li>")
    vocabulary = version.vocabulary()
    for label, values in (
        ("Topics rules select on", vocabulary.topics),
        ("Activity kinds rules select on", vocabulary.kinds),
        ("Deliveries rules select on", vocabulary.deliveries),
        ("Renewal events accepted", vocabulary.renewal_events),
        ("Renewal event tags accepted", vocabulary.event_tags),
    ):
        if values:
            codes = ", ".join(f"<code>{escape(value)}</code>" for value in values)
            parts.append(f"<li>{label}: {codes}</li>")
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
    >>> "at least 90 CPE of category A per cycle" in html
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
