"""Audit readiness as text, HTML, Markdown and records (see :mod:`cperules.audit_readiness`).

>>> import datetime as dt
>>> from cperules import Holding, Ledger, evaluate
>>> from cperules.audit_readiness import ready_for_audit
>>> result = evaluate(Holding(certification="CISSP", earned=dt.date(2024, 1, 1)), Ledger(),
...                   as_of=dt.date(2024, 6, 1))
>>> view = ready_for_audit(result)
>>> print(audit_text(view).splitlines()[0])
isc2/cissp: no evidence rules published as of 2024-06-01
>>> audit_records(view)
[]
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from cperules.audit_readiness import AUDIT_STATUS_WORDS
from cperules.render._shared import _amount
from cperules.render.html_blocks import _table, html_view
from cperules.render.markdown import _md
from cperules.results import STATUS_WORDS

if TYPE_CHECKING:
    from cperules.audit_readiness import AuditReadiness, AuditRecord, CycleAudit

__all__ = ["audit_html", "audit_markdown", "audit_records", "audit_text"]

_WORDS = AUDIT_STATUS_WORDS
_TONES = {"ready": "#2e7d32", "at-risk": "#c62828", "no-evidence-rules": "#616161"}
_CODES = {
    "no-proof": "no proof recorded",
    "proof-not-accepted": "proof not of a kind accepted",
}


def _proof(record: AuditRecord) -> str:
    return ", ".join(record.proof) or "none"


def _judgement(record: AuditRecord) -> str:
    if record.code is None:
        return "accepted" if record.proof else "not judged"
    return _CODES.get(record.code, record.code)


def _cycle_line(cycle: CycleAudit, unit: str) -> str:
    line = (
        f"cycle {cycle.index} ({cycle.period}): {_WORDS[cycle.status]}; counted "
        f"{_amount(cycle.counted, unit)}, if audited {_amount(cycle.counted_if_audited, unit)}"
    )
    if cycle.shortfall_if_audited != cycle.shortfall:
        line += f" (short {_amount(cycle.shortfall_if_audited, unit)})"
    if cycle.cycle_status_if_audited != cycle.cycle_status:
        line += (
            f"; {STATUS_WORDS[cycle.cycle_status]} now, "
            f"{STATUS_WORDS[cycle.cycle_status_if_audited]} if audited"
        )
    return line


def audit_text(view: AuditReadiness) -> str:
    """The readiness view as plain text: the summary, the facts, then each cycle's records."""
    lines = [f"{view.certification}: {_WORDS[view.status]} as of {view.as_of}"]
    lines.extend(f"  {line}" for line in view.summary)
    lines.extend(f"  {fact}" for fact in view.facts)
    for cycle in view.cycles:
        lines.append(_cycle_line(cycle, view.unit))
        if cycle.retention is not None:
            lines.append(f"  records are kept {cycle.retention}")
        for record in cycle.records:
            wants = f"; needs {record.wants}" if record.wants else ""
            keep = f"; keep until {record.keep_until}" if record.keep_until else ""
            lines.append(
                f"  {record.activity_id} {record.title!r}: {_amount(record.counted, view.unit)} "
                f"counted; proof {_proof(record)} ({_judgement(record)}){wants}{keep}"
            )
    return "\n".join(lines)


def audit_markdown(view: AuditReadiness) -> str:
    """The readiness view as compact Markdown: the summary and one row per record."""
    lines = [f"**{_md(view.certification)}**: {_WORDS[view.status]} as of {view.as_of}", ""]
    lines.extend(f"- {_md(line)}" for line in (*view.summary, *view.facts))
    rows = [
        f"| {cycle.index} | {_md(record.activity_id)} | {record.counted} | "
        f"{_md(_proof(record))} | {_md(record.wants or 'any')} | {_judgement(record)} | "
        f"{record.keep_until or ''} |"
        for cycle in view.cycles
        for record in cycle.records
    ]
    if rows:
        lines.extend(
            [
                "",
                "| cycle | activity | counted | proof | needs | judged | keep until |",
                "|---|---|--:|---|---|---|---|",
                *rows,
            ]
        )
    return "\n".join(lines)


def audit_html(view: AuditReadiness) -> str:
    """The readiness view as self-contained HTML (escaped, no external assets)."""
    style = f"border-left:.35em solid {_TONES[view.status]};padding:.3em .8em;margin:.3em 0 .8em"
    summary = "".join(f"<li>{escape(line)}</li>" for line in (*view.summary, *view.facts))
    blocks = [
        f'<div style="{style}"><strong>{escape(view.certification)}</strong>: '
        f"{escape(_WORDS[view.status])} as of {view.as_of}<ul>{summary}</ul></div>"
    ]
    for cycle in view.cycles:
        blocks.append(f"<h4>{escape(_cycle_line(cycle, view.unit))}</h4>")
        if cycle.records:
            blocks.append(
                _table(
                    ["activity", "counted", "proof", "needs", "judged", "keep until"],
                    (
                        [
                            escape(f"{record.activity_id}: {record.title}"),
                            escape(str(record.counted)),
                            escape(_proof(record)),
                            escape(record.wants or "any"),
                            escape(_judgement(record)),
                            escape(str(record.keep_until or "")),
                        ]
                        for record in cycle.records
                    ),
                    numeric=(1,),
                )
            )
    return html_view(*blocks)


def audit_records(view: AuditReadiness) -> list[dict[str, Any]]:
    """One flat, JSON-compatible record per activity per cycle, for ``pandas.DataFrame``.

    Credits are decimal strings, dates ISO strings; ``code`` is the audit code (empty
    when the proof is accepted or the cycle has no rules to judge by).
    """
    return [
        {
            "cycle": cycle.index,
            "cycle_start": cycle.period.start.isoformat(),
            "cycle_end": cycle.period.end.isoformat(),
            "cycle_audit": cycle.status,
            "activity_id": record.activity_id,
            "title": record.title,
            "counted": str(record.counted),
            "evidence": "; ".join(record.proof),
            "wants": record.wants,
            "code": record.code,
            "at_risk": record.at_risk,
            "keep_until": record.keep_until.isoformat() if record.keep_until else None,
        }
        for cycle in view.cycles
        for record in cycle.records
    ]
