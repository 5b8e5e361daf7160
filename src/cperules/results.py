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
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, Protocol, Self, cast, get_args

from pydantic import Field, PrivateAttr, model_validator
from pydantic_core import PydanticCustomError

from cperules._model import FrozenModel, ResultModel, maker, render, trusted
from cperules.credits import ConversionBasis, format_credits
from cperules.cycles import Period
from cperules.errors import CperulesError, ReplayError
from cperules.holders import Holding, RenewalEvent
from cperules.ledger import ActivityKind, Delivery, planned_activities

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from cperules.cycles import CycleSpec
    from cperules.ledger import Activity, Ledger

# Also importable, for the library's own modules (not in the documented API):
# ENDED_STANDINGS, deadlines_of (shared with cperules.verdicts).
__all__ = [
    "FINDING_CODES",
    "REASON_CODES",
    "STATUS_WORDS",
    "ActivityOutcome",
    "CarriedCredit",
    "CreditTotals",
    "CycleResult",
    "Deadline",
    "DeadlineKind",
    "Evaluation",
    "Finding",
    "FindingCode",
    "GoodStanding",
    "Need",
    "NeedLimit",
    "Part",
    "ReasonCode",
    "RequirementResult",
    "Stage",
    "Standing",
    "Status",
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
    "before-tracking",
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
    "event-before-tracking",
]
"""Findings that are not about one activity's credit: cycle-level facts, and what the
policy cannot read in the ledger or the holding's events (see :func:`cperules.check_ledger`)."""

FINDING_CODES: tuple[FindingCode, ...] = get_args(FindingCode)

Status = Literal[
    "compliant", "in_progress", "in_grace", "non_compliant", "exempt", "before_tracking"
]
"""Where a cycle (or the whole holding) stands on ``as_of``.

``before_tracking`` is a cycle before the one a mid-career holding starts tracking from
(``Holding.tracked_from`` or ``renewed_through``): not evaluated, taken as renewed. The
whole holding is never ``before_tracking``: its status is that of its tracked cycles."""

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
    carried_in: Decimal = Field(
        default=Decimal(0),
        description="Of counted, the credit carried in from the previous cycle.",
    )
    carried_out: Decimal = Field(
        default=Decimal(0),
        description="Credit this requirement's activities earned in the scope beyond what "
        "counted here, carried out to the next cycle (not part of counted).",
    )

    @property
    def met(self) -> bool:
        """Whether nothing is short (by credit, or because an event renewed the cycle)."""
        return self.shortfall == 0

    @property
    def totals(self) -> CreditTotals:
        """Earned, carried in, counted toward this requirement and carried out, side by side.

        ``counted`` stops at what the requirement needs once the surplus is carried out:
        "120 of 120" can hide 145 earned. These totals show all of it.

        >>> import datetime as dt
        >>> whole = Period(start=dt.date(2024, 1, 1), end=dt.date(2026, 12, 31))
        >>> req = RequirementResult(id="total", period=whole, required=Decimal(120),
        ...     counted=Decimal(120), shortfall=Decimal(0), carried_out=Decimal(25))
        >>> print(req.totals)
        145 earned, 120 counted, 25 carried out
        """
        return CreditTotals(
            earned=self.counted - self.carried_in + self.carried_out,
            carried_in=self.carried_in,
            counted=self.counted,
            carried_out=self.carried_out,
        )


class CreditTotals(FrozenModel):
    """Where a cycle's (or a requirement's) credit went, in one place.

    ``earned`` is the credit earned in the cycle that its rules recognise (within the
    caps, before carryover); ``counted`` is the credit applied toward the cycle:
    ``earned - carried_out + carried_in``. Capped and otherwise excluded credit is in none
    of them (see each activity's parts).

    >>> totals = CreditTotals(earned=Decimal(145), carried_in=Decimal(10),
    ...                       counted=Decimal(130), carried_out=Decimal(25))
    >>> print(totals)
    145 earned, 10 carried in, 130 counted, 25 carried out
    >>> totals.words("CPE")
    '145 CPE earned, 10 CPE carried in, 130 CPE counted, 25 CPE carried out'
    """

    earned: Decimal
    carried_in: Decimal = Decimal(0)
    counted: Decimal
    carried_out: Decimal = Decimal(0)

    def words(self, unit: str | None = None) -> str:
        """The totals in words, each with ``unit`` (carried credit only when there is some)."""
        parts = [f"{format_credits(self.earned, unit)} earned"]
        if self.carried_in:
            parts.append(f"{format_credits(self.carried_in, unit)} carried in")
        parts.append(f"{format_credits(self.counted, unit)} counted")
        if self.carried_out:
            parts.append(f"{format_credits(self.carried_out, unit)} carried out")
        return ", ".join(parts)

    def __str__(self) -> str:
        return self.words()


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


def _listed(words: tuple[str, ...], last: str) -> str:
    """``a``; ``a or b``; ``a, b or c``."""
    if len(words) < 3:
        return f" {last} ".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


class NeedLimit(FrozenModel):
    """How much of a need's free part some of its categories may supply, and why.

    A cap (``kind="cap"``) leaves room for at most ``at_most`` more credit of
    ``categories`` (earned in ``period``, for a yearly cap); a minimum (``kind="minimum"``)
    stays met only while credit of ``categories``, which it does not count, replaces at
    most ``at_most`` of the credit it does. ``rule`` is the rule's id.

    >>> print(NeedLimit(rule="group-b", kind="cap", categories=("B",), at_most=Decimal(30)))
    B: at most 30, cap group-b
    """

    rule: str
    kind: Literal["cap", "minimum"]
    categories: tuple[str, ...] = Field(min_length=1)
    at_most: Decimal = Field(ge=0)
    period: Period | None = Field(
        default=None, description="The year of a yearly rule: the credit is earned in it."
    )

    def __str__(self) -> str:
        within = f" in {self.period}" if self.period is not None else ""
        together = " together" if len(self.categories) > 1 else ""
        return (
            f"{_listed(self.categories, 'and')}{together}: at most "
            f"{format_credits(self.at_most)}{within},"
            f" {self.kind} {self.rule}"
        )


class Need(FrozenModel):
    """Credit still needed: how much, of which categories, topic, kind and delivery, by when.

    ``credits`` is the whole need. Of it, ``free`` may be of any of :attr:`categories`
    (``category``, then the ``alternatives``), within the ``limits`` that caps and
    minimums set; the rest, :attr:`required`, must be of ``category``, because no
    alternative within the caps can supply it. ``category`` is what the plan suggests for
    all of it. ``kind`` and ``delivery`` are set only where a requirement asks for them
    (at least 2 credits from a conference); otherwise any kind or delivery will do.
    ``due`` is the due date of the requirement the credit serves: a yearly minimum's year
    end, else the cycle's due date (a cap never sets it). ``within`` is the year the
    credit must be earned in, where a yearly rule applies to it.

    ``unit`` is the policy's unit of credit: :meth:`Evaluation.remaining` fills it in, so
    that a need reads in the same unit as the rest of the result.

    >>> print(Need(credits=Decimal(2), category="A", kind="conference", due=dt.date(2026, 2, 28)))
    2 credits of category A kind conference by 2026-02-28
    >>> print(Need(credits=Decimal("2.50"), category="A", due=dt.date(2026, 2, 28), unit="CPE"))
    2.5 CPE of category A by 2026-02-28
    >>> need = Need(credits=Decimal("92.5"), category="A", free=Decimal(30), alternatives=("B",),
    ...             limits=(NeedLimit(rule="group-b", kind="cap", categories=("B",),
    ...                               at_most=Decimal(30)),),
    ...             due=dt.date(2026, 8, 31))
    >>> print(need)
    92.5 credits: 62.5 of category A, and 30 more of category A or B (B: at most 30, cap group-b) by 2026-08-31
    >>> need.required, need.categories
    (Decimal('62.5'), ('A', 'B'))
    """  # noqa: E501

    credits: Decimal
    category: str | None = None
    topic: str | None = None
    kind: ActivityKind | None = None
    delivery: Delivery | None = None
    due: dt.date
    unit: str = Field(default="credits", description="The policy's unit of credit.")
    free: Decimal = Field(
        default=Decimal(0),
        ge=0,
        description="How much of credits any of the categories may supply (the rest must "
        "be of category).",
    )
    alternatives: tuple[str, ...] = Field(
        default=(),
        description="The categories besides category that can supply the free part.",
    )
    limits: tuple[NeedLimit, ...] = Field(
        default=(),
        description="Bounds on how much of the free part some alternatives may supply.",
    )
    within: Period | None = Field(
        default=None, description="The year the credit must be earned in (yearly rules)."
    )

    @model_validator(mode="after")
    def _check_parts(self) -> Self:
        if self.free > self.credits:
            raise PydanticCustomError(
                "need-free-exceeds-credits",
                "a need's free part {free} is more than its credits {credits}",
                {"free": str(self.free), "credits": str(self.credits)},
            )
        if bool(self.free) != bool(self.alternatives):
            raise PydanticCustomError(
                "need-free-without-alternatives",
                "a need's free part ({free}) and its alternatives ({alternatives}) go "
                "together: give both or neither",
                {"free": str(self.free), "alternatives": ", ".join(self.alternatives) or "none"},
            )
        if self.alternatives and self.category is None:
            raise PydanticCustomError(
                "need-alternatives-without-category",
                "a need with alternatives {alternatives} needs a category",
                {"alternatives": ", ".join(self.alternatives)},
            )
        if self.category in self.alternatives:
            raise PydanticCustomError(
                "need-category-in-alternatives",
                "a need's category {category} is listed again among its alternatives",
                {"category": str(self.category)},
            )
        for limit in self.limits:
            stray = [code for code in limit.categories if code not in self.alternatives]
            if stray:
                raise PydanticCustomError(
                    "need-limit-outside-alternatives",
                    "limit {rule} names {stray}, which is not among the alternatives "
                    "({alternatives})",
                    {
                        "rule": limit.rule,
                        "stray": ", ".join(stray),
                        "alternatives": ", ".join(self.alternatives) or "none",
                    },
                )
        return self

    @property
    def required(self) -> Decimal:
        """The part that must be of ``category``: no alternative can supply it."""
        return self.credits - self.free

    @property
    def categories(self) -> tuple[str, ...]:
        """Every category that can serve the need: ``category``, then the alternatives."""
        if self.category is None:
            return ()
        return (self.category, *self.alternatives)

    @property
    def described(self) -> str:
        """What kind of credit, in words (``"category A topic ethics"``; empty: any)."""
        return self._words(self.category and f"category {self.category}")

    def _words(self, categories: str | None) -> str:
        return " ".join(
            filter(
                None,
                (
                    categories,
                    self.topic and f"topic {self.topic}",
                    self.kind and f"kind {self.kind}",
                    self.delivery and f"delivered {self.delivery}",
                ),
            )
        )

    def parts_in_words(self, unit: str | None = None) -> str:
        """The need in words, in ``unit`` (default: the need's own), without its date.

        >>> Need(credits=Decimal(20), category="A", free=Decimal(20), alternatives=("B",),
        ...      due=dt.date(2024, 11, 29)).parts_in_words("CPE")
        '20 CPE of category A or B'
        """
        either = self._words(
            self.category
            and ("categories " if self.alternatives[1:] else "category ")
            + _listed(self.categories, "or")
        )
        unit = unit or self.unit
        choice = f"of {either}"
        if self.limits:
            choice += " (" + "; ".join(str(limit) for limit in self.limits) + ")"
        amount = format_credits(self.credits, unit)
        if not self.free:
            kind = self.described
            words = f"{amount}{' of ' + kind if kind else ''}"
        elif self.free == self.credits:
            words = f"{amount} {choice}"
        else:
            words = (
                f"{amount}: {format_credits(self.required)} of {self.described},"
                f" and {format_credits(self.free)} more {choice}"
            )
        if self.within is not None:
            words += f", earned in {self.within}"
        return words

    def __str__(self) -> str:
        return f"{self.parts_in_words()} by {self.due}"


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


class GoodStanding(FrozenModel):
    """Is the certification in good standing on ``as_of``, and why: the one answer.

    A result states where things stand in three places, each with its own question:
    a cycle's ``status`` (is this cycle's credit complete?), the lifecycle's
    :class:`Stage` (:attr:`Evaluation.standing`: active, in grace, suspended, expired...)
    and :attr:`Evaluation.status` (the status of the last cycle evaluated). The answer
    joins them: ``good`` is true while the certification is active and no cycle is overdue
    (the current cycle may still be in progress); ``certified`` is true while the holder
    still holds it (in good standing, or in a grace window that can still cure it). The
    ``reason`` says why in words, and ``cycle`` names the cycle the answer rests on: the
    one that ended unmet, for a certification in grace, suspended or ended; else the cycle
    that governs ``as_of``.

    >>> import datetime as dt
    >>> from cperules import Holding, Ledger, evaluate
    >>> holding = Holding(certification="CISSP", earned=dt.date(2021, 1, 1))
    >>> answer = evaluate(holding, Ledger(), as_of=dt.date(2024, 2, 1)).good_standing
    >>> answer.good, answer.certified, answer.standing, answer.cycle, answer.status
    (False, True, 'grace', 0, 'in_grace')
    >>> print(answer)
    NOT in good standing on 2024-02-01: grace since 2024-01-01 until 2024-03-30; cycle 0 (2021-01-01..2023-12-31) ended unmet; it can be cured until 2024-03-30
    >>> later = evaluate(holding, Ledger(), as_of=dt.date(2026, 6, 1)).good_standing
    >>> later.certified, later.standing, str(later.since)
    (False, 'terminated', '2026-03-31')
    """  # noqa: E501

    as_of: dt.date
    good: bool = Field(description="Active, with no cycle overdue.")
    certified: bool = Field(description="Still held: in good standing or in a grace window.")
    standing: Standing = Field(description="The lifecycle stage in force on as_of.")
    since: dt.date | None = Field(default=None, description="The first day of that stage.")
    until: dt.date | None = Field(
        default=None, description="The stage's last day, when it has one."
    )
    cycle: int | None = Field(default=None, description="The cycle the answer rests on.")
    period: Period | None = Field(default=None, description="That cycle's period.")
    status: Status | None = Field(default=None, description="That cycle's status.")
    reason: str

    def __str__(self) -> str:
        words = "in good standing" if self.good else "NOT in good standing"
        return f"{words} on {self.as_of}: {self.reason}"


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
        """Credits applied to this cycle (counted, less what was carried out).

        See :attr:`totals` for what was earned and carried out beside it.
        """
        return sum((outcome.counted for outcome in self.activities), Decimal(0))

    @property
    def totals(self) -> CreditTotals:
        """Earned, carried in, counted toward this cycle and carried out, side by side.

        ``earned`` is what this cycle's activities earned within the caps (and grace
        credit that cured it); ``counted`` adds what was carried in and leaves out what
        was carried out.
        """
        parts = [part for outcome in self.activities for part in outcome.parts]

        def total(reason: ReasonCode) -> Decimal:
            return sum((p.credits for p in parts if p.reason == reason), Decimal(0))

        return CreditTotals(
            earned=total("counted") + total("carried-out"),
            carried_in=total("carried-in"),
            counted=self.counted,
            carried_out=total("carried-out"),
        )

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
    "before_tracking": "before tracking (not evaluated)",
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

    @classmethod
    def _made(cls, history: _Replay, /, **values: Any) -> Evaluation:
        """An evaluation of the engine's own values, bound to ``history``.

        Built as :func:`~cperules._model.trusted` builds (no validation of values the
        engine made), with the private state the constructor gives: ``history`` and no
        needs found yet.
        """
        made = (
            _make_evaluation(*map(values.__getitem__, _EVALUATION_FIELDS))
            if cls is Evaluation and values.keys() == _EVALUATION_NAMES
            else trusted(cls, **values)
        )
        if made.__pydantic_private__ is None:  # built without the constructor
            object.__setattr__(made, "__pydantic_private__", {"_history": history, "_needs": {}})
        else:
            made._bind(history)
        return made

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
        """The lifecycle stage in force on ``as_of``: active, grace, suspended, expired...

        For the whole answer (in good standing or not, and why) see :attr:`verdict`.
        """
        return next(stage for stage in reversed(self.lifecycle) if stage.start <= self.as_of)

    @property
    def good_standing(self) -> GoodStanding:
        """Whether the certification is in good standing on ``as_of``, and why.

        One answer joining the cycles' statuses and the lifecycle (see :class:`GoodStanding`).
        """
        stage = self.standing if self.lifecycle else None
        grace = next((c for c in self.cycles if c.status == "in_grace"), None)
        if stage is not None and stage.standing != "active" and stage.cycle is not None:
            cycle = self.cycle(stage.cycle)
        else:
            cycle = grace or self.governing
        if stage is None:
            state: Standing = "active" if cycle.status != "non_compliant" else "expired"
        else:
            state = stage.standing
        certified = state in {"active", "grace"}
        good = state == "active" and cycle.status in {"compliant", "in_progress", "exempt"}
        return GoodStanding(
            as_of=self.as_of,
            good=good,
            certified=certified,
            standing=state,
            since=stage.start if stage is not None else None,
            until=stage.end if stage is not None else None,
            cycle=cycle.index,
            period=cycle.period,
            status=cycle.status,
            reason=self._reason(stage, cycle),
        )

    def _reason(self, stage: Stage | None, cycle: CycleResult) -> str:
        where = f"cycle {cycle.index} ({cycle.period})"
        if stage is not None and stage.standing != "active":
            since = f"{stage.standing} since {stage.start}"
            if stage.end is not None:
                since += f" until {stage.end}"
            note = stage.note or f"{where} is {STATUS_WORDS.get(cycle.status, cycle.status)}"
            if stage.note and f"cycle {cycle.index} " in note:
                note = note.replace(f"cycle {cycle.index} ", f"{where} ", 1)
            return f"{since}; {note}"
        words = f"{where} is {STATUS_WORDS.get(cycle.status, cycle.status)}"
        if cycle.renewed_by is not None:
            return f"{words}, renewed: {cycle.renewed_by}"
        if cycle.status == "in_progress":
            total = cycle.totals
            return (
                f"{words}: {format_credits(total.counted, self.unit)} counted, "
                f"{_shortfall_words(cycle, self.unit) or 'nothing short'}, due {cycle.due}"
            )
        if cycle.status == "in_grace" and cycle.grace is not None:
            return (
                f"{words}: it ended unmet on {cycle.due} and can be cured until {cycle.grace.end}"
            )
        return words

    def cycle(self, which: int | dt.date) -> CycleResult:
        """One evaluated cycle, by its index (0 is the first) or by a day in its period.

        Cycles are numbered from 0 everywhere: here, in ``CycleResult.index``, in case files,
        ``plot(cycle=...)``, deadlines and lifecycle stages, and on screen ("cycle 0").
        A day finds the cycle whose period holds it, so a cycle can be named by its dates.

        >>> import datetime as dt
        >>> from cperules import Holding, Ledger, evaluate
        >>> result = evaluate(Holding(certification="CISSP", earned=dt.date(2021, 1, 1)),
        ...                   Ledger(), as_of=dt.date(2023, 6, 1))
        >>> str(result.cycle(0).period), result.cycle(dt.date(2022, 5, 1)).index
        ('2021-01-01..2023-12-31', 0)

        Raises:
            IndexError: no evaluated cycle has that index or holds that day.
        """
        if isinstance(which, dt.date):
            for cycle in self.cycles:
                if which in cycle.period:
                    return cycle
            spans = ", ".join(f"{c.index}: {c.period}" for c in self.cycles)
            raise IndexError(f"no evaluated cycle holds {which} (cycles {spans})")
        if isinstance(which, bool) or not isinstance(which, int):
            raise TypeError(
                f"a cycle is named by its index (an int, 0 is the first) or by a date in it, "
                f"got {type(which).__name__}"
            )
        for cycle in self.cycles:
            if cycle.index == which:
                return cycle
        known = ", ".join(str(c.index) for c in self.cycles)
        raise IndexError(f"no cycle {which} was evaluated (cycles: {known}); 0 is the first")

    @property
    def planned(self) -> tuple[str, ...]:
        """The ids of the planned (``hypothetical``) activities in this result, once each.

        Empty for an evaluation of the ledger as it is; a :meth:`what_if` result lists the
        activities it added, and every rendering marks them.
        """
        outcomes = [o for c in self.cycles for o in c.activities] + list(self.outside)
        return tuple(dict.fromkeys(o.activity_id for o in outcomes if o.hypothetical))

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

    def to_records(
        self,
        by: Literal["part", "activity", "requirement"] = "part",
        *,
        as_strings: bool = False,
    ) -> list[dict[str, Any]]:
        """Flat, typed records for ``pandas.DataFrame``: credits ``Decimal``, days ``date``.

        One record per part of each activity outcome; with ``by="activity"`` one per
        activity per cycle (earned, counted, carried in and out, not counted); with
        ``by="requirement"`` one per requirement per cycle (required, earned, counted,
        carried out, shortfall). ``as_strings=True`` gives credits and days as text
        (JSON-ready), the form records had before they were typed. See
        :func:`cperules.render.evaluation_records` and its record types.
        """
        return cast(
            "list[dict[str, Any]]", render("evaluation_records", self, by, as_strings=as_strings)
        )

    def plot(
        self, ax: Axes | None = None, cycle: int | dt.date | CycleResult | None = None
    ) -> Axes:
        """Cumulative counted credit against the pace and the requirement (needs matplotlib).

        ``cycle`` names the cycle as :meth:`cycle` does (its index from 0, or a day in its
        period), or is a :class:`CycleResult`; by default the governing cycle.

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

        Needs are given per category (and topic), with the date they are due: the due
        date of the requirement each one serves (a yearly minimum's year end, else the
        cycle's due date; a cap never sets it). Each need says which part must be of its
        category (:attr:`Need.required`) and which any of :attr:`Need.categories` may
        supply, within :attr:`Need.limits` (:attr:`Need.free`). The cycle
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
            self._needs[target.index] = tuple(
                need.model_copy(update={"unit": self.unit}) for need in history.needs(target.index)
            )
        return self._needs[target.index]

    def explain(self, activity_id: str) -> str:
        """The story of one activity, in words: what it claimed and what became of it.

        Raises:
            KeyError: no activity with that id was evaluated.
        """
        return str(render("activity_story", self, activity_id))

    def __str__(self) -> str:
        return str(render("evaluation_text", self))


_EVALUATION_FIELDS = tuple(Evaluation.model_fields)
_EVALUATION_NAMES = frozenset(_EVALUATION_FIELDS)
_make_evaluation = maker(Evaluation)
"""A trusted :class:`Evaluation` from every field, in field order (:func:`maker`)."""


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

    >>> from cperules.verdicts import CycleVerdict, RequirementVerdict
    >>> whole = Period(start=dt.date(2023, 3, 1), end=dt.date(2026, 2, 28))
    >>> short = RequirementVerdict(id="total", period=whole, required=Decimal(120),
    ...                            shortfall=Decimal("20.50"))
    >>> cycle = CycleVerdict(index=0, period=whole, due=whole.end, status="in_progress",
    ...                      version_from=whole.start, requirements=(short,))
    >>> active = Stage(standing="active", start=whole.start)
    >>> [str(d) for d in deadlines_of(certification="isc2/cissp", as_of=dt.date(2025, 1, 1),
    ...     standing=active, cycles=[cycle], reporting_only=False, unit="CPE")]
    ['2026-02-28 earn-by isc2/cissp: total short 20.5 CPE']
    """
    cycles = tuple(cycles)
    return deadlines_from(
        deadline_plan(as_of=as_of, standing=standing, cycles=cycles, reporting_only=reporting_only),
        cycles,
        certification=certification,
        unit=unit,
    )


DeadlinePlan = tuple[tuple[DeadlineKind, dt.date, int], ...]
"""The deadlines ahead as what they read of the cycles: each one's kind, day and the
position of its cycle, sorted as the deadlines are (:func:`deadline_plan`)."""


def deadline_plan(
    *, as_of: dt.date, standing: Stage, cycles: Sequence[_Judged], reporting_only: bool
) -> DeadlinePlan:
    """Which deadlines :func:`deadlines_of` gives, without their words (the shortfalls).

    They read only each cycle's status, dates, index and renewal, ``standing`` and
    ``as_of``: the same for every ledger whose cycles end alike, so a verdict plan works
    them out once per outcome and writes only the shortfalls (:func:`deadlines_from`).
    """
    if standing.standing in _ENDED:
        return ()
    found: list[tuple[DeadlineKind, dt.date, int]] = []
    for position, cycle in enumerate(cycles):
        status = cycle.status
        if status == "before_tracking":
            continue
        grace = cycle.grace
        if status == "in_progress" and cycle.due >= as_of:
            found.append(("earn-by", cycle.due, position))
        if grace is None or status == "exempt" or cycle.renewed_by is not None:
            continue
        kind: DeadlineKind | None = (
            "report-by" if reporting_only else "grace-ends" if status == "in_grace" else None
        )
        if kind is not None and grace.end >= as_of:
            found.append((kind, grace.end, position))
    if len(found) > 1:
        found.sort(key=_by_day_and_kind)
    return tuple(found)


def deadlines_from(
    plan: DeadlinePlan, cycles: Sequence[_Judged], *, certification: str, unit: str
) -> tuple[Deadline, ...]:
    """The deadlines of ``plan`` (:func:`deadline_plan`), each with its cycle's shortfalls."""
    if not plan:
        return ()
    deadlines = []
    for kind, day, position in plan:
        cycle = cycles[position]
        words = _shortfall_words(cycle, unit)
        deadlines.append(_deadline(kind, day, certification, cycle.index, words))
    return tuple(deadlines)


def _by_day_and_kind(planned: tuple[DeadlineKind, dt.date, int]) -> tuple[dt.date, str]:
    return planned[1], planned[0]


_make_deadline = maker(Deadline)
_DEADLINES: dict[tuple[DeadlineKind, dt.date, str, int, str | None], Deadline] = {}
_DEADLINES_KEPT = 4096


def _deadline(
    kind: DeadlineKind, day: dt.date, certification: str, cycle: int, note: str | None
) -> Deadline:
    """The deadline of these fields (immutable: equal ones are shared, a few thousand kept)."""
    key = (kind, day, certification, cycle, note)
    found = _DEADLINES.get(key)
    if found is None:
        if len(_DEADLINES) >= _DEADLINES_KEPT:
            _DEADLINES.clear()
        found = _DEADLINES[key] = _make_deadline(kind, day, certification, cycle, note)
    return found


def _shortfall_words(cycle: _Judged, unit: str) -> str | None:
    words = [
        f"{r.id} short {_credits_text(r.shortfall, unit)}" for r in cycle.requirements if not r.met
    ]
    return "; ".join(words) if words else None


_CREDIT_TEXTS: dict[tuple[Decimal, str], str] = {}
_CREDIT_TEXTS_KEPT = 4096


def _credits_text(value: Decimal, unit: str) -> str:
    """``format_credits(value, unit)``, kept per amount.

    The text depends on the value only, not on how the decimal is written (``4.50`` and
    ``4.5`` both read ``4.5``): equal amounts share it.
    """
    key = (value, unit)
    found = _CREDIT_TEXTS.get(key)
    if found is None:
        if len(_CREDIT_TEXTS) >= _CREDIT_TEXTS_KEPT:
            _CREDIT_TEXTS.clear()
        found = _CREDIT_TEXTS[key] = format_credits(value, unit)
    return found
