"""Audit rules of a policy version: the proof a body accepts, and how long to keep records.

A body that audits its holders publishes (some of) these facts, and a policy version
states them in one :class:`Audit` value (``[versions.audit]`` in a policy file):

- :class:`EvidenceRule` entries: which proof the body accepts for the activities a
  selector picks; the first entry whose selector matches an activity applies. An entry
  ``accepts`` any one of several kinds, or needs ``all_of`` several together.
- a :class:`Retention` rule: how long records must be kept, counted from the end of the
  cycle the activity counted in, from the activity itself, or from the renewal.
- the body's audit facts, where it publishes them: how holders are ``selected``, the
  ``share`` of holders audited, and the days allowed to answer (``respond_days``).

An activity no entry selects needs no particular proof: proof of any kind supports it.
An activity with no proof at all is unsupported whatever the entries say. A version
without an :class:`Audit` says nothing about audits, and the readiness view reports
"no evidence rules published", never "ready".

>>> import datetime as dt
>>> from cperules.selectors import category
>>> audit = Audit(
...     retention=Retention(years=3),
...     evidence=(EvidenceRule(selector=category("B"), accepts=("certificate", "transcript")),
...               EvidenceRule(all_of=("agenda", "attendance-record"))),
... )
>>> audit.retention.keep_until(cycle_end=dt.date(2026, 3, 31), completed=dt.date(2024, 5, 1))
datetime.date(2029, 3, 31)
>>> audit.evidence[1].wants()
'agenda and attendance-record'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from typing import Annotated, Literal, Self

from dateutil.relativedelta import relativedelta
from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from cperules._model import FrozenModel, class_default
from cperules.citations import SourceRef
from cperules.credits import Amount
from cperules.days import MAX_CYCLE_YEARS, MAX_GRACE_DAYS
from cperules.evidence import Evidence, EvidenceKind, Kind
from cperules.ledger import Activity
from cperules.selectors import Everything, Selector

__all__ = [
    "MAX_EVIDENCE_RULES",
    "Audit",
    "EvidenceRule",
    "Retention",
    "RetentionStart",
]

MAX_EVIDENCE_RULES = 100
"""The most evidence entries one policy version's audit may have."""

RetentionStart = Literal["cycle-end", "activity", "renewal"]
"""What a retention period counts from: ``cycle-end`` (the last day of the cycle the
activity counted in), ``activity`` (the activity's completion date) or ``renewal`` (the
day the renewal was reported; the library cannot know that day, so it reads it as the
cycle's report-by date: the day credit is due to be reported, the cycle's end when the
cycle states no later one)."""

_Share = Annotated[Amount, Field(ge=0, le=1)]
"""A share of holders, from 0 to 1, exact like credits (a float is refused)."""


class Retention(FrozenModel):
    """How long a holder must keep the records of an activity.

    ``years`` and ``months`` (at least one of them) counted from ``after``: the cycle's
    end (``cycle-end``, the default), the activity's completion (``activity``) or the
    renewal (``renewal``, read as the cycle's report-by date). Month ends clamp as
    :class:`dateutil.relativedelta.relativedelta` does: a period counted from 29 February
    ends on 28 February in a common year.

    >>> Retention(years=3, after="activity").keep_until(
    ...     cycle_end=dt.date(2026, 3, 31), completed=dt.date(2024, 2, 29))
    datetime.date(2027, 2, 28)
    >>> Retention()
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for Retention
      years: expected a retention period of at least one month (years, months or both) [type=invalid-policy, input_value={}, input_type=dict]
    """  # noqa: E501

    years: int = Field(default=0, ge=0, le=MAX_CYCLE_YEARS)
    months: int = Field(default=0, ge=0, le=11 * MAX_CYCLE_YEARS)
    after: RetentionStart = "cycle-end"
    description: str | None = None
    source: SourceRef | None = None

    @model_validator(mode="after")
    def _some_period(self) -> Self:
        if self.years == 0 and self.months == 0:
            raise PydanticCustomError(
                "invalid-policy",
                "years: expected a retention period of at least one month (years, months or both)",
                {"expected": "a retention period of at least one month (years, months or both)"},
            )
        return self

    def start(
        self, *, cycle_end: dt.date, completed: dt.date, due: dt.date | None = None
    ) -> dt.date:
        """The day the period counts from, for an activity completed on ``completed``.

        ``cycle_end`` is the last day of the cycle the activity counted in; ``due`` the
        cycle's report-by date (``cycle_end`` when not given).

        >>> Retention(years=1, after="renewal").start(
        ...     cycle_end=dt.date(2026, 3, 31), completed=dt.date(2025, 1, 1),
        ...     due=dt.date(2026, 4, 30))
        datetime.date(2026, 4, 30)
        """
        if self.after == "activity":
            return completed
        if self.after == "renewal" and due is not None:
            return due
        return cycle_end

    def keep_until(
        self, *, cycle_end: dt.date, completed: dt.date, due: dt.date | None = None
    ) -> dt.date:
        """The last day the records of such an activity must be kept.

        >>> Retention(months=18).keep_until(cycle_end=dt.date(2025, 12, 31),
        ...                                 completed=dt.date(2025, 6, 1))
        datetime.date(2027, 6, 30)
        """
        start = self.start(cycle_end=cycle_end, completed=completed, due=due)
        return start + relativedelta(years=self.years, months=self.months)

    def describe(self) -> str:
        """The rule in words.

        >>> Retention(years=3, months=6, after="activity").describe()
        '3 years and 6 months after the activity'
        """
        parts = []
        if self.years:
            parts.append(f"{self.years} year{'s' if self.years != 1 else ''}")
        if self.months:
            parts.append(f"{self.months} month{'s' if self.months != 1 else ''}")
        start = {
            "cycle-end": "the end of the cycle",
            "activity": "the activity",
            "renewal": "the renewal",
        }[self.after]
        return f"{' and '.join(parts)} after {start}"


class EvidenceRule(FrozenModel):
    """The proof a body accepts for the activities ``selector`` picks.

    ``accepts`` lists kinds of which any one suffices; ``all_of`` lists kinds needed
    together (an agenda and an attendance record). Exactly one of the two is given, unless
    ``kept_by_body`` says the body keeps its own record of these activities (credit it
    verified or recorded itself, such as its own courses): then the holder needs no proof
    and neither list is given.

    >>> from cperules.selectors import activity_kind, approved
    >>> rule = EvidenceRule(selector=activity_kind("publication"), accepts=("publication",))
    >>> rule.accepted((Evidence(kind="publication"),)), rule.accepted((Evidence(kind="log"),))
    (True, False)
    >>> EvidenceRule(selector=approved(), kept_by_body=True).accepted(())
    True
    >>> EvidenceRule(accepts=("certificate",), all_of=("agenda",))
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: 1 validation error for EvidenceRule
      accepts: expected either accepts (any one kind suffices) or all_of (every kind together), not both [type=invalid-policy, input_value={'accepts': ('certificate...l_of': ('agenda',)}, input_type=dict]
    """  # noqa: E501

    selector: Selector = class_default(Everything)
    accepts: tuple[Kind, ...] = ()
    all_of: tuple[Kind, ...] = ()
    kept_by_body: bool = Field(
        default=False,
        description="The body keeps its own record of these activities: no proof is needed.",
    )
    description: str | None = None
    source: SourceRef | None = None

    @model_validator(mode="after")
    def _one_way(self) -> Self:
        if self.kept_by_body:
            if self.accepts or self.all_of:
                raise PydanticCustomError(
                    "invalid-policy",
                    "kept_by_body: expected no accepts or all_of beside it (the body keeps "
                    "the record, so no proof is asked of the holder)",
                    {},
                )
            return self
        if bool(self.accepts) == bool(self.all_of):
            both = bool(self.accepts)
            expected = (
                "either accepts (any one kind suffices) or all_of (every kind together), "
                + ("not both" if both else "one of them")
            )
            raise PydanticCustomError(
                "invalid-policy",
                "accepts: expected {expected}",
                {"expected": expected},
            )
        return self

    def matches(self, activity: Activity) -> bool:
        """Whether this entry applies to ``activity``."""
        return self.selector.matches(activity)

    def accepted(self, evidence: Collection[Evidence]) -> bool:
        """Whether the proofs ``evidence`` satisfy this entry (always: the body's record)."""
        if self.kept_by_body:
            return True
        kinds = {item.kind for item in evidence}
        if self.all_of:
            return all(kind in kinds for kind in self.all_of)
        return any(kind in kinds for kind in self.accepts)

    def wants(self) -> str:
        """The proof this entry asks for, in words.

        >>> EvidenceRule(accepts=("certificate", "transcript")).wants()
        'certificate or transcript'
        >>> EvidenceRule(kept_by_body=True).wants()
        'none (the body keeps the record)'
        """
        if self.kept_by_body:
            return "none (the body keeps the record)"
        kinds: tuple[EvidenceKind, ...] = self.all_of or self.accepts
        joiner = " and " if self.all_of else " or "
        if len(kinds) <= 2:  # "a or b"; then "a, b or c"
            return joiner.join(kinds)
        return ", ".join(kinds[:-1]) + joiner + kinds[-1]


class Audit(FrozenModel):
    """What a policy version says about audits: accepted proof, retention, audit facts.

    ``evidence`` entries are tried in order; the first whose selector matches an activity
    says which proof it needs (:meth:`rule_for`). ``selected`` says in the body's words how
    holders are picked ("random"), ``share`` the share of holders audited and
    ``respond_days`` the days allowed to answer a notice, where the body publishes them.

    >>> from cperules.selectors import category
    >>> audit = Audit(evidence=(EvidenceRule(selector=category("A"), accepts=("certificate",)),))
    >>> a = Activity(id="a", title="T", completed=dt.date(2024, 1, 1), credits=1, category="A",
    ...              evidence=(Evidence(kind="log"),))
    >>> audit.rule_for(a).wants(), audit.supported(a)
    ('certificate', False)
    """

    selected: Annotated[str, Field(min_length=1)] | None = None
    share: _Share | None = None
    respond_days: int | None = Field(default=None, ge=1, le=MAX_GRACE_DAYS)
    retention: Retention | None = None
    evidence: tuple[EvidenceRule, ...] = Field(default=(), max_length=MAX_EVIDENCE_RULES)
    description: str | None = None
    source: SourceRef | None = None

    def rule_for(self, activity: Activity) -> EvidenceRule | None:
        """The first evidence entry that selects ``activity`` (``None``: any proof will do)."""
        return next((rule for rule in self.evidence if rule.matches(activity)), None)

    def supported(self, activity: Activity) -> bool:
        """Whether ``activity``'s proof is what this audit accepts for it.

        An activity whose entry says the body keeps the record needs no proof; otherwise,
        with no proof at all it is unsupported, and with some proof it is supported when no
        entry selects it or the entry that does accepts its proof.
        """
        rule = self.rule_for(activity)
        if rule is not None and rule.kept_by_body:
            return True
        if not activity.evidence:
            return False
        return rule is None or rule.accepted(activity.evidence)

    def selectors(self) -> tuple[Selector, ...]:
        """The selectors of the evidence entries."""
        return tuple(rule.selector for rule in self.evidence)

    def sources(self) -> Iterator[tuple[str, SourceRef]]:
        """Each part that names its source, where it is (as a policy file spells it).

        >>> audit = Audit(source=SourceRef(citation="h"),
        ...     retention=Retention(years=3, source=SourceRef(citation="h", clause="5")),
        ...     evidence=(EvidenceRule(accepts=("certificate",)),))
        >>> [where for where, _ in audit.sources()]
        ['audit', 'audit.retention']
        """
        if self.source is not None:
            yield "audit", self.source
        if self.retention is not None and self.retention.source is not None:
            yield "audit.retention", self.retention.source
        for index, rule in enumerate(self.evidence):
            if rule.source is not None:
                yield f"audit.evidence[{index}]", rule.source
