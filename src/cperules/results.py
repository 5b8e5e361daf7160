"""Evaluation results: immutable values that explain every credit.

An :class:`Evaluation` holds one :class:`CycleResult` per cycle from the first to the one
governing ``as_of``. Each cycle lists its requirements (required, counted, shortfall)
and an :class:`ActivityOutcome` per activity, made of :class:`Part` values that each carry
a stable :data:`ReasonCode`. Every code has a heading on ``docs/reference/reasons.md``.

The module is over 600 lines because it is one concept: the explained result of an
evaluation, whose value classes (cycle, requirement, outcome, part, carried credit,
finding, need, stage, deadline) are read together and refer to each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast, get_args

from pydantic import Field, PrivateAttr

from cperules._model import FrozenModel, ResultModel, render
from cperules.credits import ConversionBasis
from cperules.cycles import Period
from cperules.errors import CperulesError, ReplayError
from cperules.holders import Holding, RenewalEvent
from cperules.ledger import ActivityKind, Delivery, planned_activities

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from cperules.cycles import CycleSpec
    from cperules.ledger import Activity, Ledger

__all__ = [
    "ENDED_STANDINGS",
    "FINDING_CODES",
    "REASON_CODES",
    "STATUS_WORDS",
    "ActivityOutcome",
    "CarriedCredit",
    "CycleResult",
    "Deadline",
    "DeadlineKind",
    "Evaluation",
    "Finding",
    "FindingCode",
    "Need",
    "Part",
    "ReasonCode",
    "RequirementResult",
    "Stage",
    "Standing",
    "Status",
    "deadlines_of",
]

ReasonCode = Literal[
    "counted",
    "capped",
    "carried-out",
    "carried-in",
    "cured-previous-cycle",
    "before-cycle",
    "after-as-of",
    "between-windows",
    "below-minimum-duration",
    "no-credit",
    "unrecognised-category",
    "uncategorised",
    "excluded",
    "repeat",
    "not-claimed-for",
    "assigned-elsewhere",
    "after-expiry",
    "event-only",
]
"""Why (part of) an activity's credit did or did not count."""

REASON_CODES: tuple[ReasonCode, ...] = get_args(ReasonCode)

FindingCode = Literal[
    "prerequisite-unmet",
    "uncertain-reading",
    "unknown-category",
    "missing-category",
    "unknown-claimed-for",
    "no-renewal-path",
]
"""Findings that are not about one activity's credit: cycle-level facts, and what the
policy cannot read in the ledger or the holding's events (see :func:`cperules.check_ledger`)."""

FINDING_CODES: tuple[FindingCode, ...] = get_args(FindingCode)

Status = Literal["compliant", "in_progress", "in_grace", "non_compliant", "exempt"]
"""Where a cycle (or the whole holding) stands on ``as_of``."""

Standing = Literal[
    "active",
    "grace",
    "suspended",
    "inactive",
    "reporting",
    "expired",
    "revoked",
    "terminated",
    "lapsed",
]
"""Where the certification itself stands: active; in a grace window or suspended after a
cycle ended unmet (curable); in a reporting window, which is not a grace period (expired
unless the credit earned by the cycle's end, reported in the window, met it); suspended or
inactive after an uncured grace window, as a body's suspension stage names it (curable by
credit only where the policy says so); expired, revoked or terminated (the body's word)
once the windows passed uncured; lapsed when the policy allows no window at all."""

ENDED_STANDINGS: frozenset[Standing] = frozenset({"expired", "revoked", "terminated", "lapsed"})
"""The standings after which nothing renews the certification (but re-certifying)."""
_ENDED = ENDED_STANDINGS

DeadlineKind = Literal["earn-by", "report-by", "grace-ends"]
"""A date that matters: the cycle's end, the last day to report credit already earned, or
the last day to earn and report what cures a cycle in its grace window or suspension."""

_COUNTING: frozenset[ReasonCode] = frozenset({"counted", "carried-in"})


class Part(FrozenModel):
    """Some of an activity's credit and what became of it.

    >>> Part(reason="capped", credits=Decimal(15), category="B", rule="group-b")
    Part(reason='capped', credits=Decimal('15'), category='B', rule='group-b')
    """

    reason: ReasonCode
    credits: Decimal
    category: str | None = None
    rule: str | None = None
    note: str | None = None


class ActivityOutcome(FrozenModel):
    """What one activity claimed in one cycle, and the fate of every part of it."""

    activity_id: str
    title: str
    completed: dt.date
    claimed: Decimal
    basis: ConversionBasis
    valued_by: str | None = None
    hypothetical: bool = False
    parts: tuple[Part, ...]

    def total(self, *reasons: ReasonCode) -> Decimal:
        """Credits in the parts with any of ``reasons``.

        >>> outcome = ActivityOutcome(activity_id="b1", title="T", completed=dt.date(2024, 1, 1),
        ...     claimed=Decimal(45), basis="credits",
        ...     parts=(Part(reason="counted", credits=Decimal(30)),
        ...            Part(reason="capped", credits=Decimal(15))))
        >>> outcome.total("capped"), outcome.counted
        (Decimal('15'), Decimal('30'))
        """
        return sum((part.credits for part in self.parts if part.reason in reasons), Decimal(0))

    @property
    def counted(self) -> Decimal:
        """Credits that count in this cycle (its own and any carried in)."""
        return self.total(*_COUNTING)

    @property
    def reasons(self) -> tuple[ReasonCode, ...]:
        """The distinct reason codes of the parts, in order."""
        return tuple(dict.fromkeys(part.reason for part in self.parts))


class RequirementResult(FrozenModel):
    """One minimum over one scope (the cycle, or one year of it)."""

    id: str
    description: str | None = None
    period: Period
    required: Decimal
    counted: Decimal
    shortfall: Decimal
    activities: tuple[str, ...] = ()
    expected_to_date: Decimal | None = None
    renewed: bool = Field(
        default=False,
        description="Met by the cycle's renewal event (an exam, a higher certification), not "
        "by credit: nothing is short whatever was counted.",
    )

    @property
    def met(self) -> bool:
        """Whether nothing is short (by credit, or because an event renewed the cycle)."""
        return self.shortfall == 0


class CarriedCredit(FrozenModel):
    """Credit carried from one cycle into the next, linked to the activity that earned it."""

    activity_id: str
    category: str | None
    credits: Decimal
    lands_in: Period


class Finding(FrozenModel):
    """A fact beside the credit, with the activity it is about and a "did you mean".

    An unmet prerequisite, an uncertain reading of a source, or input the policy cannot
    read (an unknown category, an unknown ``claimed_for``, a renewal event no path accepts).

    >>> print(Finding(code="unknown-category", activity="c1",
    ...               message="activity 'c1': category 'a' is not a category of this policy"))
    unknown-category: activity 'c1': category 'a' is not a category of this policy
    """

    code: FindingCode
    message: str
    rule: str | None = None
    activity: str | None = None

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class Need(FrozenModel):
    """Credit still needed: how much, of which category, topic, kind and delivery, by when.

    ``kind`` and ``delivery`` are set only where a requirement asks for them (at least 2
    credits from a conference); otherwise any kind or delivery will do.

    >>> print(Need(credits=Decimal(2), category="A", kind="conference", due=dt.date(2026, 2, 28)))
    2 credits of category A kind conference by 2026-02-28
    """

    credits: Decimal
    category: str | None = None
    topic: str | None = None
    kind: ActivityKind | None = None
    delivery: Delivery | None = None
    due: dt.date

    @property
    def described(self) -> str:
        """What kind of credit, in words (``"category A topic ethics"``; empty: any)."""
        return " ".join(
            filter(
                None,
                (
                    self.category and f"category {self.category}",
                    self.topic and f"topic {self.topic}",
                    self.kind and f"kind {self.kind}",
                    self.delivery and f"delivered {self.delivery}",
                ),
            )
        )

    def __str__(self) -> str:
        kind = self.described
        return f"{self.credits} credits{' of ' + kind if kind else ''} by {self.due}"


class Stage(FrozenModel):
    """A stretch of the certification's life with one standing, from ``start`` to ``end``.

    ``end`` is ``None`` while the stage is open-ended (active with no known end, expired,
    lapsed); a grace or suspension stage ends on its window's last day, or on the day the
    cycle was cured.

    >>> Stage(standing="suspended", start=dt.date(2026, 3, 1), end=dt.date(2027, 2, 28), cycle=0)
    Stage(standing='suspended', start=datetime.date(2026, 3, 1), end=datetime.date(2027, 2, 28), cycle=0)
    """  # noqa: E501

    standing: Standing
    start: dt.date
    end: dt.date | None = None
    cycle: int | None = Field(default=None, description="The cycle that caused the stage.")
    note: str | None = None

    def __contains__(self, day: object) -> bool:
        return (
            isinstance(day, dt.date) and self.start <= day and (self.end is None or day <= self.end)
        )

    def __str__(self) -> str:
        until = f" until {self.end}" if self.end is not None else ""
        return f"{self.standing} from {self.start}{until}"


class Deadline(FrozenModel):
    """A date by which something must be done for one certification.

    >>> print(Deadline(kind="earn-by", date=dt.date(2026, 2, 28), certification="isc2/cissp",
    ...                cycle=1, note="120 CPE still short by 12"))
    2026-02-28 earn-by isc2/cissp: 120 CPE still short by 12
    """

    kind: DeadlineKind
    date: dt.date
    certification: str
    cycle: int
    note: str | None = None

    def __str__(self) -> str:
        return f"{self.date} {self.kind} {self.certification}" + (
            f": {self.note}" if self.note else ""
        )


class CycleResult(FrozenModel):
    """One cycle's standing: its dates, status, requirements and activity outcomes.

    ``renewed_by`` names the event (an exam passed, a higher certification earned) that
    renewed the cycle, when one did; such a cycle is compliant whatever its credit, and its
    requirements are met (``renewed``), not short.

    ``credit_from`` is the first day of an early-credit window before ``period`` (the
    certification date, for a body whose periods start on the 1 January after it): credit
    earned from that day counts toward the cycle although the period has not begun.
    ``suspension`` is the stage after an uncured grace window, if the policy has one.
    """

    index: int
    period: Period
    due: dt.date
    grace: Period | None = None
    suspension: Period | None = None
    credit_from: dt.date | None = None
    status: Status
    version_from: dt.date
    requirements: tuple[RequirementResult, ...] = ()
    activities: tuple[ActivityOutcome, ...] = ()
    carried_in: tuple[CarriedCredit, ...] = ()
    carried_out: tuple[CarriedCredit, ...] = ()
    findings: tuple[Finding, ...] = ()
    renewed_by: RenewalEvent | None = None

    @property
    def counted(self) -> Decimal:
        """Credits applied to this cycle (counted, less what was carried out)."""
        return sum((outcome.counted for outcome in self.activities), Decimal(0))

    @property
    def shortfall(self) -> Decimal:
        """The sum of the requirements' shortfalls."""
        return sum((req.shortfall for req in self.requirements), Decimal(0))

    def requirement(self, rule_id: str, period: Period | None = None) -> RequirementResult:
        """The result of the requirement ``rule_id`` (in ``period``, for a yearly one).

        Raises:
            KeyError: no such requirement in this cycle.
        """
        for req in self.requirements:
            if req.id == rule_id and (period is None or req.period == period):
                return req
        known = ", ".join(dict.fromkeys(req.id for req in self.requirements)) or "none"
        raise KeyError(f"no requirement {rule_id!r} in cycle {self.period} (known: {known})")

    def outcome(self, activity_id: str) -> ActivityOutcome:
        """The outcome of ``activity_id`` in this cycle.

        Raises:
            KeyError: the activity has no outcome in this cycle.
        """
        for outcome in self.activities:
            if outcome.activity_id == activity_id:
                return outcome
        raise KeyError(f"activity {activity_id!r} has no outcome in cycle {self.period}")

    def _repr_html_(self) -> str:
        """Self-contained HTML for Jupyter (see :mod:`cperules.render`)."""
        return str(render("cycle_html", self))

    def _repr_markdown_(self) -> str:
        """A compact Markdown summary (see :mod:`cperules.render`)."""
        return str(render("cycle_markdown", self))


class _Replay(Protocol):
    """What an evaluation keeps of the run that made it, to plan and to ask "what if".

    The engine's history of cycles is one; results name only what they use of it, so
    that they sit below the engine that builds them.
    """

    @property
    def spec(self) -> CycleSpec:
        """The cycle spec the holding was evaluated under."""

    @property
    def ledger(self) -> Ledger:
        """The ledger evaluated."""

    def again(self, ledger: Ledger) -> Evaluation:
        """The same evaluation over another ledger."""

    def needs(self, index: int) -> tuple[Need, ...]:
        """The least credit that makes cycle ``index`` compliant."""

    def years(self, index: int) -> tuple[Period, ...]:
        """The years of cycle ``index`` as the engine cut them."""


STATUS_WORDS: dict[Status, str] = {
    "compliant": "compliant",
    "in_progress": "in progress",
    "in_grace": "in its grace period",
    "non_compliant": "NOT compliant",
    "exempt": "exempt",
}
"""Each status in words, for text and HTML (never colour alone)."""


class Evaluation(ResultModel):
    """The standing of one holding on ``as_of``, cycle by cycle, with every credit explained.

    ``outside`` holds activities that fall in no evaluated cycle (completed before the
    first cycle or after ``as_of``); ``data_version`` records the bundled catalog's data
    version, so that the result can be reproduced. ``str()`` gives a readable summary,
    :meth:`explain` one activity's story, :meth:`to_dict` JSON-compatible data and
    :meth:`remaining` what is still needed.
    """

    certification: str
    unit: str
    holding: Holding
    as_of: dt.date
    status: Status
    cycles: tuple[CycleResult, ...]
    outside: tuple[ActivityOutcome, ...] = ()
    lifecycle: tuple[Stage, ...] = Field(
        default=(), description="The certification's standing over time, up to as_of."
    )
    findings: tuple[Finding, ...] = Field(
        default=(),
        description="What the policy cannot read in the ledger and the holding's events "
        "(the same as cperules.check_ledger gives before evaluating).",
    )
    data_version: str = Field(description="The bundled catalog's data version when evaluated.")
    _history: _Replay | None = PrivateAttr(default=None)
    # What remaining() found, by cycle: planning solves once, every view reuses it.
    _needs: dict[int, tuple[Need, ...]] = PrivateAttr(default_factory=dict)

    def _bind(self, history: _Replay) -> None:
        self._history = history

    @property
    def uncertain_readings(self) -> tuple[str, ...]:
        """The policy's notes on readings chosen where its sources conflict, once each."""
        return tuple(
            dict.fromkeys(
                f.message for c in self.cycles for f in c.findings if f.code == "uncertain-reading"
            )
        )

    @property
    def governing(self) -> CycleResult:
        """The cycle that governs ``as_of`` (the last one evaluated)."""
        return self.cycles[-1]

    @property
    def standing(self) -> Stage:
        """The lifecycle stage in force on ``as_of``: active, grace, suspended, expired..."""
        return next(stage for stage in reversed(self.lifecycle) if stage.start <= self.as_of)

    def next_deadlines(self) -> tuple[Deadline, ...]:
        """The dates still ahead (on or after ``as_of``) by which something must be done.

        A cycle still running that is short has its ``earn-by`` date (its end). Where the
        policy's grace is for reporting only, every cycle whose reporting window is still
        open has a ``report-by`` date; where earning is allowed in grace, a cycle in its
        window or suspension has a ``grace-ends`` date. A cycle renewed by an event has
        nothing to report. Ended certifications (expired, revoked, terminated, lapsed) have
        none. Sorted by date.
        """
        return deadlines_of(
            certification=self.certification,
            as_of=self.as_of,
            standing=self.standing,
            cycles=self.cycles,
            reporting_only=self._grace_is_for_reporting(),
            unit=self.unit,
        )

    def _grace_is_for_reporting(self) -> bool:
        if self._history is not None:
            spec = self._history.spec
        else:
            # Rebuilt from data: the bundled catalog entry it names, if there is one.
            from cperules import catalog  # noqa: PLC0415 - only for results rebuilt from data

            try:
                certification = catalog.get(self.certification)
            except CperulesError:
                self._require_history("next_deadlines()")
                raise  # pragma: no cover - _require_history raised
            spec = certification.version_on(self.holding.earned).cycle
        grace = spec.grace
        return grace is not None and grace.earning == "submission-only"

    def _require_history(self, what: str) -> _Replay:
        if self._history is None:
            raise ReplayError(
                f"{what} needs the run that made this evaluation: its ledger and policy "
                "are not part of its data, and this one was rebuilt from data "
                "(Evaluation.model_validate of to_dict(), or built by hand), not made by "
                "cperules.evaluate(); evaluate the holding's ledger again "
                "(cperules.evaluate(holding, ledger, as_of=...)) to plan or ask what if; "
                "pickle an Evaluation (it keeps that run) to keep remaining() working"
            )
        return self._history

    def cycle_years(self, index: int) -> tuple[Period, ...]:
        """The years of cycle ``index``, within which year-scoped rules apply.

        These are the years the engine used: yearly minimums and caps with
        ``scope="year"`` count within each. They follow the cycle spec's ``years_by``,
        except that a calendar stub joined to its first full year
        (``CalendarCycle(stub="first-year")``) is part of that year, credit from an
        early-credit window (``stub="early-credit"``, ISACA's) counts in the first year,
        and a cycle a renewal event ended early is cut into years as it ran.

        >>> import datetime as dt
        >>> from cperules import Holding, Ledger, evaluate
        >>> holding = Holding(certification="isaca/cisa", earned=dt.date(2023, 8, 23))
        >>> result = evaluate(holding, Ledger(), as_of=dt.date(2024, 6, 1))
        >>> [str(year) for year in result.cycle_years(0)]
        ['2024-01-01..2024-12-31', '2025-01-01..2025-12-31', '2026-01-01..2026-12-31']

        Raises:
            IndexError: no cycle ``index`` in this evaluation.
        """
        if not 0 <= index < len(self.cycles):
            raise IndexError(
                f"no cycle {index}: this evaluation has cycles 0..{len(self.cycles) - 1}"
            )
        return self._require_history("cycle_years()").years(index)

    def what_if(self, extra: Iterable[Activity | Mapping[str, object]]) -> Evaluation:
        """A new evaluation with hypothetical ``extra`` activities added to the ledger.

        ``extra`` is a list of :class:`~cperules.ledger.Activity` objects or records
        (dicts as :meth:`Ledger.from_records <cperules.ledger.Ledger.from_records>` reads
        them). The extra activities are marked ``hypothetical`` in the new result (and in
        its text, records and HTML); this evaluation, its ledger and the activities passed
        in are left unchanged.

        Raises:
            ArgumentError: ``extra`` is not a list of activities or records.
            LedgerError: a record is invalid, or an extra activity reuses an id already in
                the ledger.
        """
        history = self._require_history("what_if()")
        return history.again(history.ledger.plan(planned_activities(extra, "extra")))

    def to_dict(self) -> dict[str, Any]:
        """JSON-compatible data: dates as ISO strings, credits as decimal strings."""
        return self.model_dump(mode="json")

    def to_records(self, by: Literal["part", "activity"] = "part") -> list[dict[str, Any]]:
        """Flat records of every activity outcome, for ``pandas.DataFrame``.

        One record per part of each outcome, or with ``by="activity"`` one per activity
        per cycle (see :func:`cperules.render.evaluation_records`).
        """
        return cast("list[dict[str, Any]]", render("evaluation_records", self, by))

    def plot(self, ax: Axes | None = None, cycle: int | CycleResult | None = None) -> Axes:
        """Cumulative counted credit against the pace and the requirement (needs matplotlib).

        See :func:`cperules.render.plot_evaluation`; install ``cperules[plot]`` for it.
        """
        return cast("Axes", render("plot_evaluation", self, ax, cycle))

    def _repr_html_(self) -> str:
        """Self-contained HTML for Jupyter (see :mod:`cperules.render`)."""
        return str(render("evaluation_html", self))

    def _repr_markdown_(self) -> str:
        """A compact Markdown summary (see :mod:`cperules.render`)."""
        return str(render("evaluation_markdown", self))

    def remaining(self) -> tuple[Need, ...]:
        """The least additional credit that makes the cycle that matters compliant.

        Needs are given per category (and topic), with the date they are due. The cycle
        that matters is one in its grace period if there is one, else the
        governing cycle. Caps are respected: credit of a capped kind is never asked for
        beyond its cap. Needed credit is taken to be approved, of any kind and delivery
        unless a rule names one. Empty when nothing is needed, when only an event (an exam)
        can renew the certification, once it has expired or lapsed, and for a cycle in a
        grace window that is for reporting only (no new credit can cure it), in a reporting
        window or a suspension in which credit does not cure.

        Limitation: a yearly floor left unmet in a year already over cannot be made up;
        the needs cover the years still to come.
        """
        history = self._require_history("remaining()")
        if self.standing.standing in _ENDED:
            return ()
        target = next((c for c in self.cycles if c.status == "in_grace"), self.governing)
        if target.status in {"compliant", "exempt", "non_compliant"}:
            return ()
        if target.status == "in_grace" and self._grace_is_for_reporting():
            return ()
        if target.index not in self._needs:
            self._needs[target.index] = history.needs(target.index)
        return self._needs[target.index]

    def explain(self, activity_id: str) -> str:
        """The story of one activity, in words: what it claimed and what became of it.

        Raises:
            KeyError: no activity with that id was evaluated.
        """
        return str(render("activity_story", self, activity_id))

    def __str__(self) -> str:
        return str(render("evaluation_text", self))


class _Judged(Protocol):
    """What deadlines read of a cycle: an explained one, or a verdict's."""

    @property
    def index(self) -> int: ...
    @property
    def due(self) -> dt.date: ...
    @property
    def grace(self) -> Period | None: ...
    @property
    def status(self) -> Status: ...
    @property
    def renewed_by(self) -> RenewalEvent | None: ...
    @property
    def requirements(self) -> tuple[_Short, ...]: ...


class _Short(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def shortfall(self) -> Decimal: ...
    @property
    def met(self) -> bool: ...


def deadlines_of(
    *,
    certification: str,
    as_of: dt.date,
    standing: Stage,
    cycles: Iterable[_Judged],
    reporting_only: bool,
    unit: str,
) -> tuple[Deadline, ...]:
    """The dates still ahead of ``as_of`` (see :meth:`Evaluation.next_deadlines`).

    Shared by explained evaluations and verdicts (:class:`cperules.verdicts.Verdict`), so
    that both give the same deadlines.
    """
    if standing.standing in _ENDED:
        return ()
    deadlines: list[Deadline] = []

    def add(kind: DeadlineKind, day: dt.date, cycle: _Judged, note: str | None) -> None:
        if day >= as_of:
            deadlines.append(
                Deadline(
                    kind=kind,
                    date=day,
                    certification=certification,
                    cycle=cycle.index,
                    note=note,
                )
            )

    for cycle in cycles:
        short = _shortfall_words(cycle, unit)
        if cycle.status == "in_progress":
            add("earn-by", cycle.due, cycle, short)
        if cycle.grace is None or cycle.status == "exempt" or cycle.renewed_by is not None:
            continue
        if reporting_only:
            add("report-by", cycle.grace.end, cycle, short)
        elif cycle.status == "in_grace":
            add("grace-ends", cycle.grace.end, cycle, short)
    return tuple(sorted(deadlines, key=lambda d: (d.date, d.kind)))


def _shortfall_words(cycle: _Judged, unit: str) -> str | None:
    short = [r for r in cycle.requirements if not r.met]
    if not short:
        return None
    return "; ".join(f"{r.id} short {r.shortfall} {unit}" for r in short)
