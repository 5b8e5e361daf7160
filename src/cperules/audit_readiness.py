"""Audit readiness: which counted credit would fail an audit, and how long to keep records.

For each cycle of an :class:`~cperules.results.Evaluation`, the readiness view checks the
proof of every activity with an outcome in the cycle against the audit rules of the
policy version that governs the cycle (:class:`cperules.audit.Audit`): an activity whose
counted credit rests on no proof (``no-proof``) or on proof the body does not accept
(``proof-not-accepted``) is at risk. It then evaluates the ledger again, through the
engine, without every activity whose proof falls short: what that evaluation counts is
the "if audited" view (counted credit, shortfall and status per cycle), not an estimate.
Each record gets the day until which it must be kept, from the policy's retention rule.

A cycle whose policy version states no audit rules is ``no-evidence-rules``: nothing is
judged there, and the holder is never reported ready on its strength. Get the view with
:func:`ready_for_audit`.

>>> import datetime as dt
>>> from decimal import Decimal
>>> from cperules import Activity, Certification, Holding, Ledger, PolicyVersion, evaluate
>>> from cperules.audit import Audit, EvidenceRule, Retention
>>> from cperules.periods import AnniversaryCycle
>>> from cperules.rules import Minimum
>>> policy = PolicyVersion(effective_from=dt.date(2000, 1, 1), cycle=AnniversaryCycle(years=1),
...     rules=(Minimum(id="total", credits=Decimal(20)),),
...     audit=Audit(retention=Retention(years=3),
...                 evidence=(EvidenceRule(accepts=("certificate",)),)))
>>> cert = Certification(id="demo/cert", name="Demo", body="Demo", unit="CPE",
...                      versions=(policy,))
>>> ledger = Ledger([
...     Activity(id="a1", title="Course", completed=dt.date(2024, 3, 1), credits=Decimal(12),
...              evidence="certificate:#81"),
...     Activity(id="a2", title="Webinar", completed=dt.date(2024, 5, 1), credits=Decimal(8))])
>>> result = evaluate(Holding(certification=cert, earned=dt.date(2024, 1, 1)), ledger,
...                   as_of=dt.date(2025, 1, 15))
>>> audit = ready_for_audit(result)
>>> audit.status, audit.status_if_audited
('at-risk', 'non_compliant')
>>> for line in audit.summary:
...     print(line)
at risk: 8 CPE without certificate
if audited, cycle 2024-01-01..2024-12-31 would be NOT compliant: 8 CPE short
keep a1's certificate until 2027-12-31
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Literal, Protocol, cast, get_args

from cperules._model import FrozenModel, render
from cperules.audit import Audit
from cperules.cycles import Period
from cperules.errors import ArgumentError
from cperules.evidence import EvidenceKind
from cperules.ledger import Activity, Ledger
from cperules.policy import Certification, PolicyVersion
from cperules.results import (
    STATUS_WORDS,
    CycleResult,
    Evaluation,
    RequirementResult,
    Status,
)

__all__ = [
    "AUDIT_CODES",
    "AuditCode",
    "AuditReadiness",
    "AuditRecord",
    "AuditStatus",
    "CycleAudit",
    "ready_for_audit",
]

AuditCode = Literal["no-proof", "proof-not-accepted", "no-evidence-rules"]
"""Why a record or a cycle cannot be called ready for an audit (see the reasons page)."""

AUDIT_CODES: tuple[AuditCode, ...] = get_args(AuditCode)

AuditStatus = Literal["ready", "at-risk", "no-evidence-rules"]
"""A cycle's or a holder's readiness: ``ready`` (every counted credit has accepted proof,
under published rules), ``at-risk`` (some counted credit has none, or leaving out the
activities without it would change what the cycle counts or its status) or
``no-evidence-rules`` (the policy publishes no audit rules, so nothing can be judged)."""

AUDIT_STATUS_WORDS: dict[AuditStatus, str] = {
    "ready": "ready for an audit",
    "at-risk": "at risk",
    "no-evidence-rules": "no evidence rules published",
}
"""Each readiness status in words."""


class AuditRecord(FrozenModel):
    """One activity's record in one cycle: its proof, what the body asks, how long to keep it.

    ``counted`` is the credit the activity counts in the cycle (its own or carried in).
    ``wants`` is the proof the policy's evidence entry asks for (``None``: any proof);
    ``code`` says why the proof falls short (``None``: it is accepted, or the cycle has no
    rules to judge by). ``keep_until`` is the last day the record must be kept, when the
    policy states a retention rule.
    """

    activity_id: str
    title: str
    completed: dt.date
    counted: Decimal
    proof: tuple[EvidenceKind, ...] = ()
    wants: str | None = None
    code: AuditCode | None = None
    keep_until: dt.date | None = None

    @property
    def at_risk(self) -> bool:
        """Whether counted credit rests on this record without accepted proof."""
        return self.code is not None and self.counted > 0


class CycleAudit(FrozenModel):
    """One cycle's readiness: its records and what an audit would leave of its credit.

    ``counted``, ``shortfall`` and ``status`` are the evaluation's; the ``_if_audited``
    fields come from evaluating the ledger again without the activities whose proof falls
    short. ``at_risk`` is the counted credit that rests on such activities.
    ``open_on_as_of`` is false once every record's retention has run out (an audit can no
    longer ask for them). ``reached_if_audited`` is false when the evaluation without
    those activities ends before this cycle (the certification would have ended unmet):
    the cycle is then at risk if it counts any credit, and its ``_if_audited`` fields are
    its own (status, shortfall) or nothing (credit counted).
    """

    index: int
    period: Period
    version_from: dt.date
    status: AuditStatus
    records: tuple[AuditRecord, ...] = ()
    at_risk: Decimal = Decimal(0)
    counted: Decimal
    counted_if_audited: Decimal
    shortfall: Decimal
    shortfall_if_audited: Decimal
    cycle_status: Status
    cycle_status_if_audited: Status
    requirements_if_audited: tuple[RequirementResult, ...] = ()
    retention: str | None = None
    keep_until: dt.date | None = None
    open_on_as_of: bool = True
    reached_if_audited: bool = True

    def record(self, activity_id: str) -> AuditRecord:
        """The record of ``activity_id`` in this cycle.

        Raises:
            KeyError: the activity has no record in this cycle.
        """
        for record in self.records:
            if record.activity_id == activity_id:
                return record
        raise KeyError(f"activity {activity_id!r} has no record in cycle {self.period}")


class AuditReadiness(FrozenModel):
    """A holder's readiness for an audit of one certification on ``as_of``.

    ``status`` is ``at-risk`` when any cycle still open to an audit is; otherwise
    ``no-evidence-rules`` when any such cycle has no published rules (never a false
    "ready"); otherwise ``ready``. ``status_if_audited`` is the certification's status
    in the evaluation without the activities whose proof falls short. ``summary`` says it
    in sentences; ``facts`` gives the body's published audit facts (how holders are
    picked, the share audited, the days to answer).
    """

    certification: str
    unit: str
    as_of: dt.date
    status: AuditStatus
    status_if_audited: Status
    cycles: tuple[CycleAudit, ...]
    summary: tuple[str, ...]
    facts: tuple[str, ...] = ()

    @property
    def at_risk(self) -> Decimal:
        """Counted credit without accepted proof, over the cycles still open to an audit."""
        return sum((c.at_risk for c in self.cycles if c.open_on_as_of), Decimal(0))

    def to_records(self) -> list[dict[str, Any]]:
        """One flat record per activity per cycle, for ``pandas.DataFrame``."""
        return cast("list[dict[str, Any]]", render("audit_records", self))

    def _repr_html_(self) -> str:
        """Self-contained HTML for Jupyter (see :mod:`cperules.render`)."""
        return str(render("audit_html", self))

    def _repr_markdown_(self) -> str:
        """A compact Markdown summary (see :mod:`cperules.render`)."""
        return str(render("audit_markdown", self))

    def __str__(self) -> str:
        return str(render("audit_text", self))


class _Replay(Protocol):
    """What the readiness view needs of the run that made an evaluation."""

    @property
    def certification(self) -> Certification:
        """The certification evaluated, with its policy versions."""

    @property
    def ledger(self) -> Ledger:
        """The ledger evaluated."""

    def again(self, ledger: Ledger) -> Evaluation:
        """The same evaluation over another ledger."""


def ready_for_audit(evaluation: Evaluation) -> AuditReadiness:
    """How ready ``evaluation``'s holder is for an audit (see the module's description).

    Evaluates the ledger again, once, without the activities whose proof falls short
    (not at all when every activity's proof is accepted or no rules are published);
    ``evaluation`` is left unchanged.

    Raises:
        ArgumentError: ``evaluation`` is not an :class:`~cperules.results.Evaluation`
            made by :func:`cperules.evaluate`.
    """
    if not isinstance(evaluation, Evaluation):
        raise ArgumentError(
            "evaluation: expected the Evaluation that cperules.evaluate() returns, got the "
            f"{type(evaluation).__name__} {evaluation!r:.80}"
        )
    # The run that made the evaluation is private to results; this view is its sibling.
    replay = cast("_Replay", evaluation._require_history("the audit view"))
    return _readiness(evaluation, replay)


def _readiness(evaluation: Evaluation, replay: _Replay) -> AuditReadiness:
    certification = replay.certification
    ledger = replay.ledger
    by_id = {activity.id: activity for activity in ledger}
    versions = {c.index: certification.version_on(c.version_from) for c in evaluation.cycles}
    # Each activity is judged by the audit rules of the cycle it counted in on its own
    # (carried-in credit follows the activity); the first cycle with an outcome decides.
    judged: dict[str, AuditCode | None] = {}
    for cycle in evaluation.cycles:
        audit = versions[cycle.index].audit
        if audit is None:
            continue
        for outcome in cycle.activities:
            activity = by_id.get(outcome.activity_id)
            if activity is not None and outcome.activity_id not in judged:
                judged[outcome.activity_id] = _code(audit, activity)
    disallowed = {activity_id for activity_id, code in judged.items() if code is not None}
    audited = (
        replay.again(Ledger([a for a in ledger if a.id not in disallowed]))
        if disallowed
        else evaluation
    )
    cycles = tuple(
        _cycle(cycle, versions[cycle.index], by_id, judged, audited, evaluation.as_of)
        for cycle in evaluation.cycles
    )
    open_cycles = [c for c in cycles if c.open_on_as_of] or list(cycles[-1:])
    status: AuditStatus
    if any(c.status == "at-risk" for c in open_cycles):
        status = "at-risk"
    elif not open_cycles or any(c.status == "no-evidence-rules" for c in open_cycles):
        status = "no-evidence-rules"
    else:
        status = "ready"
    governing = versions[evaluation.cycles[-1].index].audit if evaluation.cycles else None
    return AuditReadiness(
        certification=evaluation.certification,
        unit=evaluation.unit,
        as_of=evaluation.as_of,
        status=status,
        status_if_audited=audited.status,
        cycles=cycles,
        summary=_summary(status, open_cycles, evaluation.unit, evaluation.as_of),
        facts=_facts(governing),
    )


def _code(audit: Audit, activity: Activity) -> AuditCode | None:
    if audit.supported(activity):
        return None
    return "proof-not-accepted" if activity.evidence else "no-proof"


def _cycle(  # noqa: PLR0917 - one cycle's inputs, each from the view's setup
    cycle: CycleResult,
    version: PolicyVersion,
    by_id: dict[str, Activity],
    judged: dict[str, AuditCode | None],
    audited: Evaluation,
    as_of: dt.date,
) -> CycleAudit:
    audit = version.audit
    after = next((c for c in audited.cycles if c.period == cycle.period), None)
    records = []
    for outcome in cycle.activities:
        activity = by_id.get(outcome.activity_id)
        if activity is None:
            continue
        rule = audit.rule_for(activity) if audit is not None else None
        retention = audit.retention if audit is not None else None
        keep = (
            retention.keep_until(
                cycle_end=cycle.period.end,
                completed=activity.completed,
                due=_report_by(cycle, version),
            )
            if retention is not None
            else None
        )
        records.append(
            AuditRecord(
                activity_id=activity.id,
                title=activity.title,
                completed=activity.completed,
                counted=outcome.counted,
                proof=tuple(dict.fromkeys(item.kind for item in activity.evidence)),
                wants=rule.wants() if rule is not None else None,
                code=judged.get(activity.id) if audit is not None else None,
                keep_until=keep,
            )
        )
    at_risk = sum((r.counted for r in records if r.at_risk), Decimal(0))
    keeps = [r.keep_until for r in records if r.keep_until is not None]
    status: AuditStatus = (
        "no-evidence-rules" if audit is None else "at-risk" if at_risk > 0 else "ready"
    )
    # Some unproven activities count nothing here and still change the cycle when left
    # out: a credential or exam that meets a prerequisite, credit carried out of the
    # cycle (without it, other credit carries instead of counting), or an earlier cycle
    # they completed (without them the certification ends before this one, and the
    # credit counted here is lost).
    if status == "ready" and (
        (after is None and cycle.counted > 0)
        or (after is not None and (after.status != cycle.status or after.counted != cycle.counted))
    ):
        status = "at-risk"
    return CycleAudit(
        index=cycle.index,
        period=cycle.period,
        version_from=cycle.version_from,
        status=status,
        records=tuple(records),
        at_risk=at_risk,
        counted=cycle.counted,
        counted_if_audited=after.counted if after is not None else Decimal(0),
        shortfall=cycle.shortfall,
        shortfall_if_audited=after.shortfall if after is not None else cycle.shortfall,
        cycle_status=cycle.status,
        cycle_status_if_audited=after.status if after is not None else cycle.status,
        requirements_if_audited=after.requirements if after is not None else (),
        retention=audit.retention.describe() if audit and audit.retention else None,
        keep_until=max(keeps) if keeps else None,
        open_on_as_of=not keeps or max(keeps) >= as_of or cycle.period.end >= as_of,
        reached_if_audited=after is not None,
    )


def _report_by(cycle: CycleResult, version: PolicyVersion) -> dt.date:
    """The day credit is due to be reported.

    The end of a window for reporting only (credit earned by the cycle's end, reported in
    it), else the cycle's due day.
    """
    grace = version.cycle.grace
    if cycle.grace is not None and grace is not None and grace.earning == "submission-only":
        return cycle.grace.end
    return cycle.due


def _summary(
    status: AuditStatus, cycles: Iterable[CycleAudit], unit: str, as_of: dt.date
) -> tuple[str, ...]:
    cycles = list(cycles)
    lines: list[str] = []
    if status == "no-evidence-rules":
        lines.append(
            "no evidence rules published: the policy states no accepted proof or retention "
            "for " + ", ".join(str(c.period) for c in cycles if c.status == "no-evidence-rules")
        )
    elif status == "ready":
        lines.append("ready for an audit: every counted credit has accepted proof")
    missing: dict[str, Decimal] = {}
    for cycle in cycles:
        for record in cycle.records:
            if record.at_risk:
                wanted = record.wants or "any proof"
                missing[wanted] = missing.get(wanted, Decimal(0)) + record.counted
    if missing:
        lines.append(
            "at risk: "
            + "; ".join(
                f"{_n(amount)} {unit} without {wanted}" for wanted, amount in missing.items()
            )
        )
    for cycle in cycles:
        line = _if_audited(cycle, unit) if cycle.status == "at-risk" else None
        if line is not None:
            lines.append(line)
    for cycle in cycles:
        for record in cycle.records:
            keep = record.keep_until
            if record.code is None and record.proof and keep is not None and keep >= as_of:
                lines.append(
                    f"keep {record.activity_id}'s {' and '.join(record.proof)} until {keep}"
                )
    return tuple(dict.fromkeys(lines))


def _if_audited(cycle: CycleAudit, unit: str) -> str | None:
    """What an audit would change in ``cycle``, at risk: its reach, status or credit."""
    if not cycle.reached_if_audited:
        return (
            f"if audited, cycle {cycle.period} would not be reached (the certification "
            f"would end unmet before it), and its {_n(cycle.counted)} {unit} would be lost"
        )
    if cycle.cycle_status_if_audited != cycle.cycle_status:
        short = (
            f": {_n(cycle.shortfall_if_audited)} {unit} short"
            if cycle.shortfall_if_audited > 0
            else ""
        )
        return (
            f"if audited, cycle {cycle.period} would be "
            f"{STATUS_WORDS[cycle.cycle_status_if_audited]}{short}"
        )
    if cycle.counted_if_audited != cycle.counted:
        return (
            f"if audited, cycle {cycle.period} would count "
            f"{_n(cycle.counted_if_audited)} {unit} instead of {_n(cycle.counted)}"
        )
    return None


def _facts(audit: Audit | None) -> tuple[str, ...]:
    if audit is None:
        return ()
    facts = []
    if audit.selected is not None:
        facts.append(f"holders are selected: {audit.selected}")
    if audit.share is not None:
        facts.append(f"share of holders audited: {_n(audit.share * 100)}%")
    if audit.respond_days is not None:
        facts.append(f"days to answer an audit notice: {audit.respond_days}")
    if audit.retention is not None:
        facts.append(f"records are kept {audit.retention.describe()}")
    return tuple(facts)


def _n(value: Decimal) -> str:
    """A decimal without trailing zeros (``12`` for ``12.00``)."""
    return format(value.normalize(), "f")
