"""The policy linter: findings about a certification's policy versions, not a holder's record.

:func:`lint` checks each policy version for rules that defeat each other (a cap below the
minimum it limits, a minimum no amount of credit can meet, a category whose credit can
never count, a carryover larger than the whole requirement) and for missing or stale
provenance (no citation, no ``last_verified`` date, a verification older than a number
of months). Each :class:`LintFinding` carries a stable :data:`LintCode`; every code has a
heading on ``docs/reference/lint.md``.

Gaps and overlaps between versions are not lint findings: :class:`~cperules.policy.Certification`
refuses them when it is built (``version-gap``, ``version-overlap``), so a certification
that reaches the linter has none. Likewise undeclared categories and duplicate rule ids
are refused by :class:`~cperules.policy.PolicyVersion`.

The linter is pure: it never reads the clock, so staleness is checked only when the
caller passes ``as_of``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence, Set
from decimal import Decimal
from fractions import Fraction
from itertools import product
from typing import Literal, NamedTuple, TypeGuard, assert_never, get_args

from dateutil.relativedelta import relativedelta

from cperules._engine.allocation import (
    Entry,
    Hypothetical,
    Limit,
    Requirement,
    allocate,
    limits_for,
    requirements_for,
)
from cperules._model import FrozenModel
from cperules.citations import on_domains
from cperules.credits import exact, to_decimal
from cperules.cycles import (
    AnniversaryCycle,
    BirthMonthCycle,
    CalendarCycle,
    Cycle,
    DayOfYearCycle,
    FixedCycle,
    Period,
    RollingCycle,
    ScheduledCycle,
    ScheduleGroup,
)
from cperules.errors import CycleError
from cperules.holders import Holder, Holding
from cperules.ledger import Activity, ActivityKind, Delivery
from cperules.policy import Certification, PolicyVersion
from cperules.rules import (
    Cap,
    CreditValue,
    Exclusion,
    Minimum,
    Prerequisite,
    RepeatExclusion,
    Rule,
)
from cperules.selectors import (
    Everything,
    HasDelivery,
    HasKind,
    HasTopic,
    IsApproved,
    leaves,
)

__all__ = ["LINT_CODES", "LintCode", "LintFinding", "Severity", "lint"]

LintCode = Literal[
    "cap-below-minimum",
    "unreachable-minimum",
    "unreachable-category",
    "carryover-above-total",
    "missing-citation",
    "off-domain-citation",
    "unexplained-third-party",
    "missing-last-verified",
    "stale-verification",
]
"""What a lint finding is about; findings of one version come in this order."""

LINT_CODES: tuple[LintCode, ...] = get_args(LintCode)

Severity = Literal["error", "warning"]
"""``error``: the policy cannot be right as written; ``warning``: it is suspicious."""

_SEVERITY: dict[LintCode, Severity] = {
    "cap-below-minimum": "error",
    "unreachable-minimum": "error",
    "unreachable-category": "warning",
    "carryover-above-total": "warning",
    "missing-citation": "error",
    "off-domain-citation": "error",
    "unexplained-third-party": "warning",
    "missing-last-verified": "warning",
    "stale-verification": "warning",
}

_ONE_DAY = dt.timedelta(days=1)
_BIRTH_DATE = dt.date(1970, 1, 1)
"""Any birth date gives birth-month specs a cycle; the month does not change what is met.
It also serves as the admission and licence dates, for cycles whose parity they set."""


class LintFinding(FrozenModel):
    """One problem found in one policy version of a certification.

    ``version`` is the index into ``certification.versions``; ``rule`` and ``category``
    name the rule id or category code the finding is about, when there is one.

    >>> LintFinding(code="missing-citation", severity="error", version=0,
    ...             message="the version from 2020-01-01 cites no source")
    LintFinding(code='missing-citation', severity='error', version=0, message='the version from 2020-01-01 cites no source')
    """  # noqa: E501

    code: LintCode
    severity: Severity
    version: int
    message: str
    rule: str | None = None
    category: str | None = None


def lint(
    certification: Certification,
    *,
    as_of: dt.date | None = None,
    stale_after_months: int = 18,
) -> tuple[LintFinding, ...]:
    """Check every policy version of ``certification``; return the findings, in order.

    Findings come by version, then in the order of :data:`LINT_CODES`, then in rule (or
    category-tree) order. ``stale-verification`` is reported only when ``as_of`` is given:
    a version whose ``last_verified`` is more than ``stale_after_months`` months before
    ``as_of`` is stale.

    >>> import datetime as dt
    >>> from cperules.periods import AnniversaryCycle
    >>> from cperules.policy import CategoryNode, Citation, PolicyVersion
    >>> from cperules.rules import Cap, Minimum
    >>> from cperules.selectors import category
    >>> version = PolicyVersion(
    ...     effective_from=dt.date(2020, 1, 1),
    ...     last_verified=dt.date(2023, 5, 1),
    ...     citations=(Citation(url="https://example.org/handbook.pdf", title="Handbook"),),
    ...     cycle=AnniversaryCycle(years=3),
    ...     categories=(CategoryNode(code="A"), CategoryNode(code="B")),
    ...     rules=(Minimum(id="total", credits=120),
    ...            Minimum(id="group-b", credits=40, selector=category("B")),
    ...            Cap(id="b-cap", selector=category("B"), credits=30)),
    ... )
    >>> cert = Certification(id="example/cert", name="Example", body="Example body",
    ...                      unit="CPE", versions=(version,))
    >>> for finding in lint(cert, as_of=dt.date(2025, 6, 1)):
    ...     print(finding.severity, finding.code, finding.rule, "-", finding.message)
    error cap-below-minimum b-cap - cap 'b-cap' allows at most 30 credits per cycle of
      category('B'), less than the 40 that minimum 'group-b' requires of the same selector
    warning stale-verification None - last verified 2023-05-01, more than 18 months before
      2025-06-01 (anything verified before 2023-12-01 is stale)
    >>> lint(cert)  # without as_of, staleness is not checked
    (LintFinding(code='cap-below-minimum', ...),)

    Raises:
        ValueError: ``stale_after_months`` is negative.
    """
    if stale_after_months < 0:
        raise ValueError(f"stale_after_months must be 0 or more, got {stale_after_months}")
    findings: list[LintFinding] = []
    for index, version in enumerate(certification.versions):
        findings.extend(
            _lint_version(
                version,
                index,
                domains=certification.domains,
                as_of=as_of,
                stale_after_months=stale_after_months,
            )
        )
    return tuple(findings)


class _Hit(NamedTuple):
    """A finding before it is tied to its version."""

    code: LintCode
    message: str
    rule: str | None = None
    category: str | None = None


def _lint_version(
    version: PolicyVersion,
    index: int,
    *,
    domains: tuple[str, ...],
    as_of: dt.date | None,
    stale_after_months: int,
) -> Iterator[LintFinding]:
    minimums = [rule for rule in version.rules if isinstance(rule, Minimum)]
    caps = [rule for rule in version.rules if isinstance(rule, Cap)]
    below = _caps_below_minimums(caps, minimums)
    reported = {minimum.id for _, minimum in below}
    hits: list[_Hit] = [
        _Hit(
            "cap-below-minimum",
            f"cap {cap.id!r} allows at most {cap.credits} credits per {cap.scope} of "
            f"{cap.selector!r}, less than the {minimum.credits} that minimum {minimum.id!r} "
            "requires of the same selector",
            rule=cap.id,
        )
        for cap, minimum in below
    ]
    cycle = _representative_cycle(version)
    if cycle is not None:
        hits.extend(
            _Hit("unreachable-minimum", message, rule=minimum.id)
            for minimum, message in _unreachable_minimums(version, cycle, minimums, reported)
        )
    hits.extend(
        _Hit("unreachable-category", message, category=code)
        for code, message in _unreachable_categories(version, caps)
    )
    hits.extend(_carryover_above_total(version, minimums))
    hits.extend(_provenance(version, domains, as_of, stale_after_months))
    for hit in hits:
        yield LintFinding(
            code=hit.code,
            severity=_SEVERITY[hit.code],
            version=index,
            message=hit.message,
            rule=hit.rule,
            category=hit.category,
        )


def _caps_below_minimums(
    caps: Sequence[Cap], minimums: Sequence[Minimum]
) -> list[tuple[Cap, Minimum]]:
    """Each credit cap, with each minimum of the same selector and scope that needs more."""
    return [
        (cap, minimum)
        for cap in caps
        for minimum in minimums
        if cap.credits is not None
        and cap.selector == minimum.selector
        and cap.scope == minimum.scope
        and cap.credits < minimum.credits
    ]


def _carryover_above_total(version: PolicyVersion, minimums: Sequence[Minimum]) -> list[_Hit]:
    """A carryover cap above the largest cycle minimum on everything."""
    carryover = version.carryover
    totals = [m for m in minimums if m.scope == "cycle" and isinstance(m.selector, Everything)]
    if carryover is None or carryover.cap is None or not totals:
        return []
    total = max(totals, key=lambda m: m.credits)
    if carryover.cap <= total.credits:
        return []
    return [
        _Hit(
            "carryover-above-total",
            f"the carryover may move up to {carryover.cap} credits, more than the "
            f"{total.credits} that minimum {total.id!r} requires of everything in a cycle",
            rule=total.id,
        )
    ]


def _provenance(
    version: PolicyVersion,
    domains: tuple[str, ...],
    as_of: dt.date | None,
    stale_after_months: int,
) -> Iterator[_Hit]:
    """Missing or misattributed citations, a missing or a stale verification date."""
    start = version.effective_from
    if not version.citations:
        yield _Hit("missing-citation", f"the version from {start} cites no source for its rules")
    for citation in version.citations:
        if domains and not citation.third_party and not on_domains(citation.url, domains):
            yield _Hit(
                "off-domain-citation",
                f"citation {citation.url} is presented as the body's own document but is on "
                f"none of the body's domains ({', '.join(domains)}): cite the body's URL "
                "(naming a copy in copy_url) or mark it third_party",
            )
    if any(c.third_party for c in version.citations) and not version.uncertain:
        yield _Hit(
            "unexplained-third-party",
            f"the version from {start} relies on a third-party citation but has no "
            "uncertain note saying why",
        )
    verified = version.last_verified
    if verified is None:
        yield _Hit("missing-last-verified", f"the version from {start} has no last_verified date")
    elif as_of is not None:
        threshold = as_of - relativedelta(months=stale_after_months)
        if verified < threshold:
            yield _Hit(
                "stale-verification",
                f"last verified {verified}, more than {stale_after_months} months before "
                f"{as_of} (anything verified before {threshold} is stale)",
            )


# --- a representative cycle -------------------------------------------------------------


def _group_holder(group: ScheduleGroup) -> Holder:
    """A holder the schedule places in ``group``, whichever way the group names its holders."""
    by = group.grouped_by
    if by == "letters":
        return Holder(birth_date=_BIRTH_DATE, family_name=min(group.letter_set))
    if by == "groups":
        assert group.groups is not None  # the way the group names its holders
        return Holder(birth_date=_BIRTH_DATE, group=group.groups[0])
    if by == "birth_months":
        return Holder(birth_date=_BIRTH_DATE.replace(month=min(group.month_set)))
    assert_never(by)


def _representative_cycle(version: PolicyVersion) -> Cycle | None:
    """A normal cycle laid out by the version's spec, or None if the spec cannot give one.

    The holding is earned on ``effective_from`` (or, for a schedule, on its group's first
    period if that is later). The cycle after the first is preferred, because the first
    may be an exempt stub or prorated; a schedule that ends after one period gives its
    first.
    """
    spec = version.cycle
    holders: list[tuple[Holder, dt.date]]
    if isinstance(
        spec,
        AnniversaryCycle
        | CalendarCycle
        | FixedCycle
        | BirthMonthCycle
        | DayOfYearCycle
        | RollingCycle,
    ):
        holder = Holder(birth_date=_BIRTH_DATE, admitted=_BIRTH_DATE, licensed=_BIRTH_DATE)
        holders = [(holder, version.effective_from)]
    elif isinstance(spec, ScheduledCycle):
        holders = [
            (_group_holder(group), max(version.effective_from, group.periods[0].start))
            for group in spec.groups
        ]
    else:
        assert_never(spec)
    for holder, earned in holders:
        holding = Holding(certification="lint/representative", earned=earned, holder=holder)
        try:
            first = spec.cycle_on(holding, earned)
        except CycleError:
            continue
        try:
            return spec.cycle_on(holding, first.due + _ONE_DAY)
        except CycleError:
            return first
    return None


# --- hypothetical activities ------------------------------------------------------------


def _decides_credit(rule: Rule) -> TypeGuard[Minimum | Cap | Exclusion | CreditValue]:
    """Whether the rule's selector decides whether and where credit counts.

    Every rule kind is named here (a new one fails mypy until it is): minimums and caps
    are checked for reachability, exclusions and credit values screen activities out;
    prerequisites and repeat exclusions take no part in where credit counts.
    """
    if isinstance(rule, Minimum | Cap | Exclusion | CreditValue):
        return True
    if isinstance(rule, Prerequisite | RepeatExclusion):
        return False
    assert_never(rule)


def _variants(version: PolicyVersion, code: str | None, day: dt.date) -> Iterator[Activity]:
    """One activity per combination of the attributes the version's rules look at.

    Topics: none, each named topic alone, and all named topics together. Deliveries: none
    and each named format. Kinds: ``course`` and each named kind. Approval: approved, and
    unapproved too when some rule asks about approval.
    """
    topics: set[str] = set()
    formats: set[Delivery] = set()
    kinds: set[ActivityKind] = set()
    asks_approval = False
    for rule in version.rules:
        if not _decides_credit(rule):
            continue
        for leaf in leaves(rule.selector):
            if isinstance(leaf, HasTopic):
                topics.update(leaf.topics)
            elif isinstance(leaf, HasDelivery):
                formats.update(leaf.formats)
            elif isinstance(leaf, HasKind):
                kinds.update(leaf.kinds)
            elif isinstance(leaf, IsApproved):
                asks_approval = True
    named = sorted(topics)
    topic_sets = [(), *((name,) for name in named)]
    if len(named) > 1:
        topic_sets.append(tuple(named))
    delivery_options: list[Delivery | None] = [None, *sorted(formats)]
    kind_options: list[ActivityKind] = ["course", *sorted(kinds - {"course"})]
    approvals = (True, False) if asks_approval else (True,)
    for topic_set, delivery, kind, approved in product(
        topic_sets, delivery_options, kind_options, approvals
    ):
        yield Activity(
            id="(lint)",
            title="hypothetical credit",
            completed=day,
            credits=Decimal(1),
            category=code,
            topics=topic_set,
            delivery=delivery,
            kind=kind,
            approved=approved,
            valid_until=day if kind == "credential" else None,
        )


def _screened_out_by(activity: Activity, version: PolicyVersion) -> str | None:
    """The rule that leaves the activity no credit (an exclusion, or a value of 0), if any."""
    exclusion = version.exclusion_for(activity)
    if exclusion is not None:
        return exclusion.id
    valuation = version.credit_value_for(activity)
    if valuation is not None and valuation.value(Decimal(1)) == 0:
        return valuation.id
    return None


def _codes(version: PolicyVersion) -> list[tuple[str | None, tuple[str, ...]]]:
    """Every declared category with its path, in tree order; one uncategorised if none."""
    codes: list[tuple[str | None, tuple[str, ...]]] = [*version.category_paths().items()]
    return codes or [(None, ())]


# --- unreachable minimums ---------------------------------------------------------------


def _unreachable_minimums(
    version: PolicyVersion, cycle: Cycle, minimums: Sequence[Minimum], reported: Set[str]
) -> Iterator[tuple[Minimum, str]]:
    """Minimums with a shortfall when unlimited credit of every kind is on offer.

    The minimums are met together, as in a renewal where all of them apply; those in
    ``reported`` (already found below a cap) take part but are not reported again.
    """
    requirements = requirements_for(
        cycle.period, cycle.years, applies=minimums, proration=Fraction(1)
    )
    if not requirements:
        return
    limits = limits_for(version.rules, cycle.period, cycle.years)
    scoped = any(r.scoped for r in requirements) or any(limit.scoped for limit in limits)
    days = [year.start for year in cycle.years] if scoped else [cycle.period.start]
    selectors = [r.rule.selector for r in requirements] + [limit.rule.selector for limit in limits]
    templates: dict[tuple[object, ...], Hypothetical] = {}
    for day in days:
        for code, path in _codes(version):
            for activity in _variants(version, code, day):
                if _screened_out_by(activity, version) is None:
                    # Templates that every rule sees alike are interchangeable: keep one.
                    signature = (day, *(s.matches(activity, categories=path) for s in selectors))
                    templates.setdefault(signature, Hypothetical(activity, code, path, day))
    needs = tuple(templates.values())
    joint = allocate((), requirements, limits, version.carryover, needs)
    for minimum in minimums:
        if minimum.id in reported:
            continue
        short = [
            (requirement, shortfall)
            for requirement, shortfall in zip(requirements, joint.shortfall, strict=True)
            if requirement.rule is minimum and shortfall > 0
        ]
        if not short:
            continue
        own = [r for r in requirements if r.rule is minimum]
        alone = allocate((), own, limits, version.carryover, needs)
        yield minimum, _short_message(minimum, cycle, short, alone_short=any(alone.shortfall))


def _short_message(
    minimum: Minimum,
    cycle: Cycle,
    short: Sequence[tuple[Requirement, Fraction]],
    *,
    alone_short: bool,
) -> str:
    missing = to_decimal(sum((shortfall for _, shortfall in short), Fraction(0)))
    where = f"{missing} credits" + (
        f" in {len(short)} of {len(cycle.years)} years" if minimum.scope == "year" else ""
    )
    competing = (
        "" if alone_short else " (on its own it can be met: minimums compete for capped credit)"
    )
    return (
        f"minimum {minimum.id!r} ({minimum.credits} credits per {minimum.scope} of "
        f"{minimum.selector!r}) cannot be met even with unlimited credit: under the caps "
        f"and exclusions it falls short by {where}{competing}"
    )


# --- unreachable categories -------------------------------------------------------------


def _unreachable_categories(
    version: PolicyVersion, caps: Sequence[Cap]
) -> Iterator[tuple[str, str]]:
    """Declared categories where one credit of any kind counts nothing under the caps.

    Share caps are left out: they limit credit relative to other credit, so some credit in
    a category always counts once there is credit elsewhere.
    """
    day = version.effective_from
    period = Period(start=day, end=day)
    limits = [Limit(cap, period, cap.scope == "year") for cap in caps if cap.credits is not None]
    for code, path in _codes(version):
        if code is None:
            continue
        where = f"category {code!r}" + (f" (in {path[1]!r})" if len(path) > 1 else "")
        screened = [(a, _screened_out_by(a, version)) for a in _variants(version, code, day)]
        earning = [activity for activity, by in screened if by is None]
        if not earning:
            rules = ", ".join(repr(by) for by in dict.fromkeys(by for _, by in screened))
            yield code, f"no credit in {where} can count: it is excluded or valued at 0 by {rules}"
            continue
        entries = [
            Entry(activity, exact(1), (code,), (path,), day, share=share)
            for share, activity in enumerate(earning)
        ]
        allocation = allocate(entries, (), limits)
        if any(allocation.counted_total(i) for i in range(len(entries))):
            continue
        blockers = [
            f"{limit.rule.id!r} ({limit.rule.credits} credits per {limit.rule.scope})"
            for limit, binding in zip(limits, allocation.binding, strict=True)
            if binding
            and any(limit.rule.selector.matches(e.activity, categories=path) for e in entries)
        ]
        yield code, f"no credit in {where} can count: capped by {', '.join(blockers)}"
