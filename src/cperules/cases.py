"""Case files: named scenarios that check a certification's policy end to end.

A cases file (``<body>/<name>.cases.toml`` beside a catalog policy, or any text of the
same shape) lists scenarios: a holding (``earned``, optional ``holder``), a ledger
(``activities``, the same records :meth:`~cperules.ledger.Ledger.from_records` reads),
``as_of``, and what to expect: the overall status and standing (active, expired...),
per-cycle status, dates, shortfalls, carried credit and the event that renewed it, the
reasons given to named activities, what is still needed, or an error code. A case may also
give the holding's renewal ``events`` (an exam passed, a higher certification earned),
where a mid-career holder's tracking starts (``tracked_from`` or ``renewed_through``, with
the credit ``carried_in``, as on :class:`~cperules.holders.Holding`), and other
certifications ``also_held`` (catalog ids), which makes it a portfolio: its
``expect.uses`` then says which certifications counted each activity, and each other
holding may carry an ``expect`` of its own.

>>> import datetime as dt
>>> from decimal import Decimal
>>> from cperules import AnniversaryCycle, Certification, PolicyVersion
>>> from cperules.rules import Minimum
>>> cert = Certification(id="example/cert", name="Example", body="Example", unit="CPE",
...     versions=(PolicyVersion(effective_from=dt.date(2020, 1, 1), cycle=AnniversaryCycle(years=1),
...                             rules=(Minimum(id="total", credits=Decimal(10)),)),))
>>> text = '''
... [[cases]]
... name = "short by four"
... earned = 2024-01-01
... as_of = 2025-01-15
... activities = [{ id = "a", title = "Course", completed = 2024-05-01, credits = 6 }]
... expect = { status = "non_compliant", cycles = [{ index = 0, shortfall = { total = 4 } }] }
... '''
>>> [str(result) for result in run_cases(cert, text)]
['short by four: passed']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, ValidationError

from cperules._model import FrozenModel
from cperules.audit_readiness import AuditCode, AuditReadiness, AuditStatus, ready_for_audit
from cperules.errors import CperulesError, ErrorCode, did_you_mean
from cperules.evaluation import evaluate
from cperules.holders import Holder, Holding, RenewalEvent
from cperules.ledger import Ledger
from cperules.policy import Certification
from cperules.policy_format import (
    PolicyFormatError,
    certification_from_data,
    located,
    parse_toml,
    schema_id,
)
from cperules.portfolio import evaluate_portfolio
from cperules.results import (
    CycleResult,
    Evaluation,
    FindingCode,
    ReasonCode,
    Standing,
    Status,
)
from cperules.rules import RenewalEventKind

__all__ = [
    "ActivityExpectation",
    "AuditCycleExpectation",
    "AuditExpectation",
    "AuditRecordExpectation",
    "Case",
    "CaseResult",
    "CycleExpectation",
    "Expectation",
    "NeedExpectation",
    "OtherHolding",
    "cases_json_schema",
    "load_cases",
    "read_cases",
    "run_cases",
]


class CycleExpectation(FrozenModel):
    """What one cycle (by index, 0 first) should show; unset fields are not checked."""

    index: int = Field(ge=0)
    status: Status | None = None
    shortfall: dict[str, Decimal] = Field(default_factory=dict)
    counted: dict[str, Decimal] = Field(default_factory=dict)
    carried_out: Decimal | None = None
    carried_in: Decimal | None = None
    findings: tuple[str, ...] | None = None
    start: dt.date | None = Field(default=None, description="The cycle's first day.")
    end: dt.date | None = Field(default=None, description="The cycle's last day.")
    credit_from: dt.date | None = Field(
        default=None,
        description="The first day of the cycle's early-credit window, before its start.",
    )
    renewed_by: RenewalEventKind | None = Field(
        default=None, description="The kind of event that renewed the cycle."
    )


class ActivityExpectation(FrozenModel):
    """What one activity's outcome in one cycle should show."""

    id: str
    cycle: int | None = Field(default=None, ge=0, description="None: outside every cycle.")
    reasons: tuple[ReasonCode, ...] | None = None
    counted: Decimal | None = None
    capped: Decimal | None = None
    carried_out: Decimal | None = None


class NeedExpectation(FrozenModel):
    """One entry of :meth:`~cperules.results.Evaluation.remaining`."""

    credits: Decimal
    category: str | None = None
    topic: str | None = None
    due: dt.date | None = None


class AuditRecordExpectation(FrozenModel):
    """What one activity's record in an audit view should show (see ``expect.audit``)."""

    id: str
    code: AuditCode | Literal["accepted"] | None = Field(
        default=None,
        description="Why its proof falls short (no-proof, proof-not-accepted), or 'accepted'.",
    )
    keep_until: dt.date | None = Field(
        default=None, description="The last day the record must be kept."
    )


class AuditCycleExpectation(FrozenModel):
    """What one cycle (by index) of :func:`cperules.ready_for_audit` should show."""

    index: int = Field(ge=0)
    status: AuditStatus | None = None
    at_risk: Decimal | None = Field(
        default=None, description="Counted credit resting on records without accepted proof."
    )
    counted_if_audited: Decimal | None = None
    shortfall_if_audited: Decimal | None = None
    status_if_audited: Status | None = None
    keep_until: dt.date | None = Field(
        default=None, description="The last day the cycle's records must be kept."
    )
    records: tuple[AuditRecordExpectation, ...] = ()


class AuditExpectation(FrozenModel):
    """What :func:`cperules.ready_for_audit` should show for the case's evaluation."""

    status: AuditStatus | None = None
    cycles: tuple[AuditCycleExpectation, ...] = ()


class Expectation(FrozenModel):
    """The expected outcome of a case."""

    status: Status | None = None
    cycles: tuple[CycleExpectation, ...] = ()
    activities: tuple[ActivityExpectation, ...] = ()
    remaining: tuple[NeedExpectation, ...] | None = None
    standing: Standing | None = Field(
        default=None, description="The certification's standing on as_of (expired, ...)."
    )
    standing_from: dt.date | None = Field(
        default=None, description="The first day of that standing."
    )
    uses: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="In a portfolio: per activity id, the certifications that counted it.",
    )
    audit: AuditExpectation | None = Field(
        default=None,
        description="The audit view: per cycle the credit at risk, what an audit would leave, "
        "and how long each record must be kept.",
    )
    findings: tuple[FindingCode, ...] | None = Field(
        default=None,
        description="The codes of what the policy cannot read in the case's ledger and "
        "events (unknown-category, ...), in order. Unset: none is checked, except that an "
        "activity in a category the policy does not know fails the case (a typo).",
    )


class _Tracking(FrozenModel):
    """Where a mid-career holding's tracking starts, as on :class:`~cperules.holders.Holding`."""

    tracked_from: dt.date | None = Field(
        default=None,
        description="The first day of the first cycle to evaluate (earlier cycles are taken "
        "as renewed).",
    )
    renewed_through: dt.date | None = Field(
        default=None,
        description="The last day of the last cycle known to be renewed (evaluation starts "
        "with the next).",
    )
    carried_in: tuple[dict[str, Any], ...] = Field(
        default=(),
        description="Credit carried into the first tracked cycle: ledger records, one per "
        "category carried, with the credits that carried.",
    )

    def tracking(self) -> dict[str, Any]:
        """The tracking fields as Holding takes them (carried credit read as a ledger)."""
        carried = Ledger.from_records(self.carried_in) if self.carried_in else ()
        return {
            "tracked_from": self.tracked_from,
            "renewed_through": self.renewed_through,
            "carried_in": tuple(carried),
        }


class OtherHolding(_Tracking):
    """Another certification the case's holder also holds (a catalog id), for a portfolio."""

    certification: str = Field(min_length=1)
    earned: dt.date
    events: tuple[RenewalEvent, ...] = ()
    expect: Expectation = Field(
        default_factory=Expectation, description="What its own evaluation shows."
    )


class Case(_Tracking):
    """One named scenario: a holding, a ledger, a date, and what to expect (or an error)."""

    name: str = Field(min_length=1)
    description: str | None = None
    earned: dt.date
    holder: Holder = Holder()
    events: tuple[RenewalEvent, ...] = ()
    also_held: tuple[OtherHolding, ...] = Field(
        default=(),
        description="Other certifications held: the case then evaluates a portfolio.",
    )
    as_of: dt.date
    activities: tuple[dict[str, Any], ...] = ()
    expect: Expectation = Expectation()
    error: ErrorCode | None = None


class CaseResult(FrozenModel):
    """The outcome of running one case: passed, or the differences found."""

    name: str
    source: str | None = None
    differences: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        """Whether every expectation held."""
        return not self.differences

    def __str__(self) -> str:
        where = f"{self.source} :: " if self.source else ""
        if self.passed:
            return f"{where}{self.name}: passed"
        lines = "\n".join(f"    {line}" for line in self.differences)
        return f"{where}{self.name}: FAILED\n{lines}"


class _Cases(FrozenModel):
    certification: str | None = Field(
        default=None, description="A catalog id to test, when no policy file sits beside."
    )
    cases: tuple[Case, ...] = Field(min_length=1)


def cases_json_schema() -> dict[str, Any]:
    """The JSON Schema of a cases file, for editors that validate TOML or JSON.

    ``make schema`` writes it into the package (``schema_file("cases")`` in
    :mod:`cperules.policy_format`); a test keeps that file current. A case's
    ``activities`` are ledger records, as :meth:`cperules.ledger.Ledger.from_records`
    reads them.

    >>> schema = cases_json_schema()
    >>> schema["$id"], schema["required"]
    ('https://cperules.readthedocs.io/en/latest/cases.schema.json', ['cases'])
    """
    body = _Cases.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id("cases"),
        **body,
        "title": "Cases",
        "description": "A cperules cases file: worked scenarios of a policy and what each "
        "should show.",
    }


def load_cases(text: str, *, source: str | None = None) -> tuple[Case, ...]:
    """Parse a cases file's TOML text (no file access).

    Raises:
        PolicyFormatError: the text is not TOML, or not valid cases; problems are located.
    """
    return read_cases(text, source=source)[1]


def read_cases(text: str, *, source: str | None = None) -> tuple[str | None, tuple[Case, ...]]:
    """A cases file's ``certification`` key (a catalog id, if given) and its cases.

    Raises:
        PolicyFormatError: the text is not TOML, or not valid cases; problems are located.
    """
    try:
        data = parse_toml(text, source=source)
    except PolicyFormatError as error:
        raise PolicyFormatError(
            list(error.problems), code=error.code, subject="the cases file"
        ) from None
    try:
        parsed = _Cases.model_validate(data)
    except ValidationError as error:
        problems = located(error, data, where=source, model=_Cases)
        raise PolicyFormatError(problems, subject="the cases file").located_in(text) from None
    return parsed.certification, parsed.cases


def run_cases(
    certification: Certification | Mapping[str, Any], cases: str, *, source: str | None = None
) -> tuple[CaseResult, ...]:
    """Run every case in ``cases`` (a cases file's text) against ``certification``."""
    if not isinstance(certification, Certification):
        certification = certification_from_data(certification)
    parsed = load_cases(cases, source=source)
    return tuple(run_case(certification, case, source=source) for case in parsed)


def run_case(certification: Certification, case: Case, *, source: str | None = None) -> CaseResult:
    """Run one case and compare what happened with what it expects."""
    differences: list[str] = []
    try:
        ledger = Ledger.from_records(case.activities)
        holding = Holding(
            certification=certification,
            earned=case.earned,
            holder=case.holder,
            events=case.events,
            **case.tracking(),
        )
        others = [
            Holding(
                certification=other.certification,
                earned=other.earned,
                holder=case.holder,
                events=other.events,
                **other.tracking(),
            )
            for other in case.also_held
        ]
        if others:
            portfolio = evaluate_portfolio([holding, *others], ledger, as_of=case.as_of)
            result = portfolio.evaluations[0]
        else:
            result = evaluate(holding, ledger, as_of=case.as_of)
    except CperulesError as error:
        if case.error != error.code:
            differences.append(f"error: expected {case.error or 'none'}, got {error.code}: {error}")
        return CaseResult(name=case.name, source=source, differences=tuple(differences))
    if case.error is not None:
        differences.append(f"error: expected {case.error}, got none (status {result.status})")
    differences.extend(_compare(case.expect, result))
    if others:
        uses = {use.activity_id: use.certifications for use in portfolio.uses()}
        for activity_id, expected in case.expect.uses.items():
            actual = uses.get(activity_id, ())
            if tuple(expected) != actual:
                differences.append(f"uses[{activity_id}]: expected {expected!r}, got {actual!r}")
        for other, evaluation in zip(case.also_held, portfolio.evaluations[1:], strict=True):
            differences.extend(
                f"also_held[{other.certification}].{difference}"
                for difference in _compare(other.expect, evaluation)
            )
    return CaseResult(name=case.name, source=source, differences=tuple(differences))


def _compare(expect: Expectation, result: Evaluation) -> list[str]:
    found: list[str] = []

    def check(label: str, expected: object, actual: object) -> None:
        if expected is not None and expected != actual:
            found.append(f"{label}: expected {expected!r}, got {actual!r}")

    check("status", expect.status, result.status)
    found.extend(_compare_findings(expect.findings, result))
    check("standing", expect.standing, result.standing.standing)
    check("standing_from", expect.standing_from, result.standing.start)
    for wanted in expect.cycles:
        if wanted.index >= len(result.cycles):
            count = len(result.cycles)
            found.append(f"cycles[{wanted.index}]: expected a cycle, got {count} cycles")
            continue
        cycle = result.cycles[wanted.index]
        where = f"cycles[{wanted.index}] ({cycle.period})"
        check(f"{where}.status", wanted.status, cycle.status)
        check(f"{where}.start", wanted.start, cycle.period.start)
        check(f"{where}.end", wanted.end, cycle.period.end)
        check(f"{where}.credit_from", wanted.credit_from, cycle.credit_from)
        renewed_by = cycle.renewed_by.kind if cycle.renewed_by is not None else None
        check(f"{where}.renewed_by", wanted.renewed_by, renewed_by)
        known = dict.fromkeys(req.id for req in cycle.requirements)
        for field, wanted_amounts in (("shortfall", wanted.shortfall), ("counted", wanted.counted)):
            for rule_id, amount in wanted_amounts.items():
                if rule_id not in known:
                    found.append(
                        f"{where}.{field}[{rule_id}]: no requirement {rule_id!r} in this cycle "
                        f"(requirements: {', '.join(known) or 'none'})"
                        f"{did_you_mean(rule_id, known)}"
                    )
                else:
                    check(f"{where}.{field}[{rule_id}]", amount, _per_rule(cycle, rule_id, field))
        carried_out = _sum(credit.credits for credit in cycle.carried_out)
        check(f"{where}.carried_out", wanted.carried_out, carried_out)
        check(f"{where}.carried_in", wanted.carried_in, _sum(c.credits for c in cycle.carried_in))
        if wanted.findings is not None:
            check(f"{where}.findings", wanted.findings, tuple(f.code for f in cycle.findings))
    for wanted_activity in expect.activities:
        found.extend(_compare_activity(wanted_activity, result))
    if expect.audit is not None:
        found.extend(_compare_audit(expect.audit, ready_for_audit(result)))
    if expect.remaining is not None:
        actual = tuple((n.credits, n.category, n.topic) for n in result.remaining())
        expected = tuple((n.credits, n.category, n.topic) for n in expect.remaining)
        check("remaining", expected, actual)
        for wanted_need, need in zip(expect.remaining, result.remaining(), strict=False):
            check("remaining.due", wanted_need.due, need.due)
    return found


def _compare_findings(expected: tuple[FindingCode, ...] | None, result: Evaluation) -> list[str]:
    """Unset: an unknown category is a difference (a typo); set: the input findings' codes."""
    if expected is None:
        return [
            f"unexpected finding {finding.code}: {finding.message} (list it in expect.findings "
            "if the case means it)"
            for finding in result.findings
            if finding.code == "unknown-category"
        ]
    actual = tuple(f.code for f in result.findings if f.code in _INPUT_FINDINGS)
    return [] if actual == expected else [f"findings: expected {expected!r}, got {actual!r}"]


def _compare_audit(expect: AuditExpectation, view: AuditReadiness) -> list[str]:
    found: list[str] = []

    def check(label: str, expected: object, actual: object) -> None:
        if expected is not None and expected != actual:
            found.append(f"audit.{label}: expected {expected!r}, got {actual!r}")

    check("status", expect.status, view.status)
    for wanted in expect.cycles:
        if wanted.index >= len(view.cycles):
            found.append(f"audit.cycles[{wanted.index}]: expected a cycle, got {len(view.cycles)}")
            continue
        cycle = view.cycles[wanted.index]
        where = f"cycles[{wanted.index}] ({cycle.period})"
        check(f"{where}.status", wanted.status, cycle.status)
        check(f"{where}.at_risk", wanted.at_risk, cycle.at_risk)
        check(f"{where}.counted_if_audited", wanted.counted_if_audited, cycle.counted_if_audited)
        check(
            f"{where}.shortfall_if_audited", wanted.shortfall_if_audited, cycle.shortfall_if_audited
        )
        check(f"{where}.status_if_audited", wanted.status_if_audited, cycle.cycle_status_if_audited)
        check(f"{where}.keep_until", wanted.keep_until, cycle.keep_until)
        by_id = {record.activity_id: record for record in cycle.records}
        for record in wanted.records:
            actual = by_id.get(record.id)
            if actual is None:
                found.append(
                    f"audit.{where}.records[{record.id}]: expected a record, got none "
                    f"(records: {', '.join(by_id) or 'none'}){did_you_mean(record.id, by_id)}"
                )
                continue
            check(f"{where}.records[{record.id}].code", record.code, actual.code or "accepted")
            check(f"{where}.records[{record.id}].keep_until", record.keep_until, actual.keep_until)
    return found


_INPUT_FINDINGS = frozenset(
    {"unknown-category", "missing-category", "unknown-claimed-for", "no-renewal-path"}
)
"""Findings about the case's own input (see :func:`cperules.check_ledger`)."""


def _compare_activity(wanted: ActivityExpectation, result: Evaluation) -> list[str]:
    pool = (
        result.outside
        if wanted.cycle is None
        else (result.cycles[wanted.cycle].activities if wanted.cycle < len(result.cycles) else ())
    )
    label = f"activities[{wanted.id}]"
    if wanted.cycle is not None:
        label += f" in cycles[{wanted.cycle}]"
    outcome = next((o for o in pool if o.activity_id == wanted.id), None)
    if outcome is None:
        return [f"{label}: expected an outcome, got none; {_landed(wanted.id, result)}"]
    found = []
    pairs = (
        ("reasons", wanted.reasons, outcome.reasons),
        ("counted", wanted.counted, outcome.counted),
        ("capped", wanted.capped, outcome.total("capped")),
        ("carried_out", wanted.carried_out, outcome.total("carried-out")),
    )
    for name, expected, actual in pairs:
        if expected is not None and expected != actual:
            found.append(f"{label}.{name}: expected {expected!r}, got {actual!r}")
    return found


def _landed(activity_id: str, result: Evaluation) -> str:
    """Where an activity's outcomes are, for a case that looked for it elsewhere."""
    places = [
        f"cycles[{index}] ({cycle.period})"
        for index, cycle in enumerate(result.cycles)
        if any(o.activity_id == activity_id for o in cycle.activities)
    ]
    outside = next((o for o in result.outside if o.activity_id == activity_id), None)
    if outside is not None:
        places.append(f"outside every cycle ({', '.join(outside.reasons)})")
    if places:
        return f"it landed in {' and '.join(places)}"
    known = {o.activity_id for c in result.cycles for o in c.activities}
    known |= {o.activity_id for o in result.outside}
    return f"the case's ledger has no activity {activity_id!r}{did_you_mean(activity_id, known)}"


def _sum(values: Any) -> Decimal:
    return sum(values, Decimal(0))


def _per_rule(cycle: CycleResult, rule_id: str, field: str) -> Decimal:
    """A requirement's amount summed over its scopes (the years of a yearly rule)."""
    return _sum(getattr(req, field) for req in cycle.requirements if req.id == rule_id)
