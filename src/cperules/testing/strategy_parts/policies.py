"""Policy versions and certifications: :func:`policies` and :func:`certifications`.

Internal: users import from :mod:`cperules.testing.strategies`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st

from cperules.credits import Measure
from cperules.cycles import CycleSpec
from cperules.policy import CategoryNode, Certification, Citation, PolicyVersion
from cperules.rules import Rule
from cperules.testing.strategy_parts.building import (
    _MAX_DATE,
    _MIN_DATE,
    CYCLE_KINDS,
    RULE_KINDS,
    _choices,
    _date_range,
    _dates,
    _integer,
    _names,
    _optional,
    _plus_days,
    _towards,
)
from cperules.testing.strategy_parts.cycle_specs import _draw_cycle_spec
from cperules.testing.strategy_parts.selectors_rules import (
    _rule_drafts,
    _rule_plan,
    _rule_tuple,
    _RulePlan,
)

_FAR_FUTURE: Final = dt.date(2099, 12, 31)
_VERSION_MONTHS: Final = _towards(1, 48, 12)
_POLICY_MONTHS: Final = _towards(1, 120, 12)
_CITATION_VERSIONS: Final = _optional(st.sampled_from(("2024", "v3")))
_CLAUSES: Final = _optional(st.sampled_from(("section 3.2", "appendix B")))
_VERIFIED_DAYS: Final = _optional(st.integers(0, 5 * 366))


# --- policies and certifications -----------------------------------------------------------


@dataclass(frozen=True)
class _PolicyPlan:
    categories: tuple[str, ...]
    rules: _RulePlan
    rule_lists: st.SearchStrategy[tuple[Rule, ...]]
    cycle_kinds: tuple[str, ...]
    first: dt.date
    last: dt.date


def _policy_plan(
    *,
    categories: object,
    topics: object,
    cycle_kinds: object,
    rule_kinds: object,
    max_rules: object,
    min_date: object,
    max_date: object,
) -> _PolicyPlan:
    first, last = _date_range("min_date", min_date, "max_date", max_date)
    plan = _rule_plan(categories, topics, rule_kinds)
    return _PolicyPlan(
        categories=_names("categories", categories),
        rules=plan,
        rule_lists=st.lists(
            _rule_drafts(plan), max_size=_integer("max_rules", max_rules, minimum=0)
        ).map(_rule_tuple),
        cycle_kinds=_choices("cycle_kinds", cycle_kinds, CYCLE_KINDS),
        first=first,
        last=last,
    )


def _draw_tree(draw: st.DrawFn, codes: tuple[str, ...]) -> tuple[CategoryNode, ...]:
    """The categories flat, or the first as the parent of the next few."""
    named = draw(st.booleans())

    def node(code: str, children: tuple[CategoryNode, ...] = ()) -> CategoryNode:
        return CategoryNode(
            code=code, name=f"Category {code}" if named else None, children=children
        )

    if len(codes) < 2 or draw(st.sampled_from(("flat", "nested"))) == "flat":
        return tuple(node(code) for code in codes)
    count = draw(st.integers(1, len(codes) - 1))
    children = tuple(node(code) for code in codes[1 : count + 1])
    return (node(codes[0], children), *(node(code) for code in codes[count + 1 :]))


def _draw_citations(draw: st.DrawFn) -> tuple[Citation, ...]:
    count = draw(st.integers(0, 2))
    return tuple(
        Citation(
            url=f"https://example.org/handbook-{index}.pdf",
            title=draw(st.sampled_from(("CPE handbook", "Renewal policy"))),
            version=draw(_CITATION_VERSIONS),
            clause=draw(_CLAUSES),
        )
        for index in range(count)
    )


_MEASURES: Final = st.builds(
    Measure,
    minutes_per_credit=st.sampled_from((60, 50)),
    step=st.sampled_from((Decimal(1), Decimal("0.5"), Decimal("0.25"), Decimal("0.2"))),
    minimum=_optional(st.sampled_from((Decimal(1), Decimal("0.5")))),
    rounding=st.sampled_from(("down", "nearest")),
)


def _draw_policy(
    draw: st.DrawFn,
    plan: _PolicyPlan,
    period: tuple[dt.date, dt.date | None],
    cycle: CycleSpec,
) -> PolicyVersion:
    carryover = draw(plan.rules.carryovers)
    verified = draw(_VERIFIED_DAYS)
    return PolicyVersion(
        effective_from=period[0],
        effective_until=period[1],
        last_verified=None if verified is None else _plus_days(period[0], verified),
        citations=_draw_citations(draw),
        uncertain=draw(st.sampled_from(((), ("Read 'hours' as 60-minute hours.",)))),
        cycle=cycle,
        measure=draw(_MEASURES),
        categories=_draw_tree(draw, plan.categories),
        rules=draw(plan.rule_lists),
        carryover=carryover,
        audit=draw(plan.rules.audits),
    )


def _draw_spec_for(draw: st.DrawFn, plan: _PolicyPlan, start: dt.date) -> CycleSpec:
    return _draw_cycle_spec(draw, plan.cycle_kinds, start)


def _draw_version_end(
    draw: st.DrawFn, start: dt.date, months_strategy: st.SearchStrategy[int]
) -> dt.date:
    """The last day of a version from ``start``: whole months (a year, shrinking) and days."""
    months = draw(months_strategy)
    days = draw(st.integers(0, 30))
    return _plus_days(start + relativedelta(months=months), days - 1)


@st.composite
def _policies(draw: st.DrawFn, plan: _PolicyPlan) -> PolicyVersion:
    start = draw(_dates(plan.first, plan.last))
    until = _draw_version_end(draw, start, _POLICY_MONTHS) if draw(st.booleans()) else None
    return _draw_policy(draw, plan, (start, until), _draw_spec_for(draw, plan, start))


def policies(
    *,
    categories: Sequence[str] = ("A", "B"),
    topics: Sequence[str] = ("ethics",),
    cycle_kinds: Sequence[str] = CYCLE_KINDS,
    rule_kinds: Sequence[str] = RULE_KINDS,
    max_rules: int = 4,
    min_date: dt.date = _MIN_DATE,
    max_date: dt.date = _MAX_DATE,
) -> st.SearchStrategy[PolicyVersion]:
    """Valid :class:`~cperules.policy.PolicyVersion` values.

    A version starts between ``min_date`` and ``max_date`` and is open-ended or ends
    within ten years. Its category tree declares every one of ``categories`` (flat, or
    the first as the parent of the next few), so every category its selectors name is
    declared; it has up to two citations, sometimes a last-verified date and an
    uncertain-reading note, a measure (60 or 50 minutes per credit, steps of 1, 0.5,
    0.25 or 0.2, sometimes a minimum, either rounding), up to ``max_rules`` rules from
    :func:`rule_lists`, sometimes a carryover and sometimes audit rules (evidence entries
    over the same selectors, a retention rule, audit facts). Its cycle spec is one of
    ``cycle_kinds``; a schedule starts no later than the version does.

    Examples shrink towards a version starting on ``min_date`` with an
    ``AnniversaryCycle(years=1)``, the default measure, flat categories, and no rules,
    citations, carryover or audit rules.
    """

    def build() -> st.SearchStrategy[PolicyVersion]:
        return _policies(
            _policy_plan(
                categories=categories,
                topics=topics,
                cycle_kinds=cycle_kinds,
                rule_kinds=rule_kinds,
                max_rules=max_rules,
                min_date=min_date,
                max_date=max_date,
            )
        )

    return st.deferred(build)


@st.composite
def _certifications(draw: st.DrawFn, plan: _PolicyPlan, max_versions: int) -> Certification:
    count = draw(st.integers(1, max_versions))
    start = draw(_dates(plan.first, plan.last))
    cycle = _draw_spec_for(draw, plan, start)
    versions = []
    for index in range(count):
        if index == count - 1:
            until = draw(st.sampled_from((None, _FAR_FUTURE)))
        else:
            until = _draw_version_end(draw, start, _VERSION_MONTHS)
        versions.append(_draw_policy(draw, plan, (start, until), cycle))
        start = _plus_days(until or start, 1)
    number = draw(st.integers(1, 99))
    return Certification(
        id=f"test/cert-{number}",
        name=f"Test certification {number}",
        body="Test body",
        unit=draw(st.sampled_from(("CPE", "PDU", "CEU"))),
        aliases=draw(st.sampled_from(((), (f"TC{number}",)))),
        versions=tuple(versions),
    )


def certifications(
    *,
    max_versions: int = 2,
    categories: Sequence[str] = ("A", "B"),
    topics: Sequence[str] = ("ethics",),
    cycle_kinds: Sequence[str] = CYCLE_KINDS,
    rule_kinds: Sequence[str] = RULE_KINDS,
    max_rules: int = 4,
    min_date: dt.date = _MIN_DATE,
    max_date: dt.date = _MAX_DATE,
) -> st.SearchStrategy[Certification]:
    """Valid :class:`~cperules.policy.Certification` values with ids like ``"test/cert-1"``.

    One to ``max_versions`` contiguous policy versions, each as :func:`policies` makes
    it, the first starting between ``min_date`` and ``max_date``. Every version has the
    same cycle spec (the engine refuses a change of spec between versions). The last
    version is open-ended or ends on 2099-12-31, so a holding earned inside the versions
    can be evaluated for decades.

    Examples shrink towards ``"test/cert-1"`` with one open-ended version as
    :func:`policies` shrinks.
    """

    def build() -> st.SearchStrategy[Certification]:
        versions = _integer("max_versions", max_versions, minimum=1)
        plan = _policy_plan(
            categories=categories,
            topics=topics,
            cycle_kinds=cycle_kinds,
            rule_kinds=rule_kinds,
            max_rules=max_rules,
            min_date=min_date,
            max_date=max_date,
        )
        return _certifications(plan, versions)

    return st.deferred(build)
