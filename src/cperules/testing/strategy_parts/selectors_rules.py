"""Selectors and rules: :func:`selectors`, :func:`rules` and :func:`rule_lists`.

Internal: users import from :mod:`cperules.testing.strategies`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from hypothesis import strategies as st
from pydantic import TypeAdapter

from cperules.audit import Audit, EvidenceRule, Retention
from cperules.evidence import EVIDENCE_KINDS
from cperules.rules import Carryover, Recurrence, Rule
from cperules.selectors import (
    Selector,
    activity_kind,
    approved,
    category,
    delivery,
    everything,
    topic,
)
from cperules.testing.strategy_parts.building import (
    _DELIVERIES,
    ACTIVITY_KINDS,
    RULE_KINDS,
    _amounts,
    _choices,
    _ids,
    _integer,
    _names,
    _optional,
    _sizes,
)

_RULE_ADAPTER: Final[TypeAdapter[Rule]] = TypeAdapter(Rule)


# --- selectors ---------------------------------------------------------------------------


def _leaf_selectors(
    categories: tuple[str, ...], topics: tuple[str, ...]
) -> st.SearchStrategy[Selector]:
    leaves: list[st.SearchStrategy[Selector]] = [st.just(everything())]
    if categories:
        leaves.append(
            st.lists(st.sampled_from(categories), min_size=1, max_size=2, unique=True).map(
                lambda codes: category(*codes)
            )
        )
    if topics:
        leaves.append(
            st.lists(st.sampled_from(topics), min_size=1, max_size=2, unique=True).map(
                lambda names: topic(*names)
            )
        )
    leaves += [
        st.lists(st.sampled_from(ACTIVITY_KINDS), min_size=1, max_size=2, unique=True).map(
            lambda kinds: activity_kind(*kinds)
        ),
        st.lists(st.sampled_from(_DELIVERIES), min_size=1, max_size=2, unique=True).map(
            lambda formats: delivery(*formats)
        ),
        st.just(approved()),
    ]
    return st.one_of(leaves)


def _and(pair: tuple[Selector, Selector]) -> Selector:
    return pair[0] & pair[1]


def _or(pair: tuple[Selector, Selector]) -> Selector:
    return pair[0] | pair[1]


def _not(inner: Selector) -> Selector:
    return ~inner


def _selector_strategy(
    categories: tuple[str, ...], topics: tuple[str, ...], max_leaves: int
) -> st.SearchStrategy[Selector]:
    return st.recursive(
        _leaf_selectors(categories, topics),
        lambda inner: st.one_of(
            st.tuples(inner, inner).map(_and),
            st.tuples(inner, inner).map(_or),
            inner.map(_not),
        ),
        max_leaves=max_leaves,
    )


def selectors(
    *,
    categories: Sequence[str] = ("A", "B"),
    topics: Sequence[str] = ("ethics",),
    max_leaves: int = 4,
) -> st.SearchStrategy[Selector]:
    """Selectors built from leaves combined with ``&``, ``|`` and ``~``.

    Leaves are ``everything()``, ``category(...)`` over one or two of ``categories``,
    ``topic(...)`` over one or two of ``topics``, ``activity_kind(...)``,
    ``delivery(...)`` and ``approved()``; a selector has at most ``max_leaves`` leaves.
    Only names from ``categories`` and ``topics`` appear.

    Examples shrink towards ``everything()``.
    """

    def build() -> st.SearchStrategy[Selector]:
        return _selector_strategy(
            _names("categories", categories),
            _names("topics", topics),
            _integer("max_leaves", max_leaves, minimum=1),
        )

    return st.deferred(build)


# --- rules -------------------------------------------------------------------------------

_RECURRENCES: Final = (
    Recurrence(),
    Recurrence(every=2),
    Recurrence(every=3),
    Recurrence(applies_to="first-renewal"),
    Recurrence(applies_to="once-per-career"),
)
_SHARES: Final = (Decimal("0.5"), Decimal("0.25"), Decimal(1), Decimal("0.1"))
_MULTIPLIERS: Final = (Decimal(2), Decimal("0.5"), Decimal("1.5"), Decimal(3))
_CREDIT_VALUES: Final = ("multiplier", "fixed", "max", "multiplier+max", "fixed+max")


@dataclass(frozen=True)
class _RulePlan:
    kinds: tuple[str, ...]
    selectors: st.SearchStrategy[Selector]
    amounts: st.SearchStrategy[Decimal]
    fixed: st.SearchStrategy[Decimal]
    prerequisites: st.SearchStrategy[Selector]
    carryovers: st.SearchStrategy[Carryover | None]
    audits: st.SearchStrategy[Audit | None]


def _rule_plan(categories: object, topics: object, kinds: object) -> _RulePlan:
    chosen = _selector_strategy(_names("categories", categories), _names("topics", topics), 4)
    amounts = _amounts(Decimal("0.25"), Decimal(120))
    credential = st.just(activity_kind("credential"))
    return _RulePlan(
        kinds=_choices("kinds", kinds, RULE_KINDS),
        selectors=chosen,
        amounts=amounts,
        fixed=amounts | st.just(Decimal(0)),
        prerequisites=credential | st.tuples(credential, chosen).map(_and),
        carryovers=_optional(
            st.builds(
                Carryover,
                selector=chosen,
                window_months=_optional(st.integers(1, 12)),
                cap=_optional(amounts),
                lands=st.sampled_from(("first-year", "next-cycle")),
            )
        ),
        audits=_optional(_audits(chosen)),
    )


def _audits(chosen: st.SearchStrategy[Selector]) -> st.SearchStrategy[Audit]:
    """Audit rules: up to three evidence entries, sometimes a retention rule and facts.

    Shrinks towards an audit with no entries (any proof supports every activity).
    """
    kinds = st.lists(st.sampled_from(EVIDENCE_KINDS), min_size=1, max_size=3, unique=True).map(
        tuple
    )
    entry = st.builds(EvidenceRule, selector=chosen, accepts=kinds) | st.builds(
        EvidenceRule, selector=chosen, all_of=kinds
    )
    retention = st.builds(
        Retention,
        years=st.integers(1, 7),
        months=st.integers(0, 11),
        after=st.sampled_from(("cycle-end", "activity", "renewal")),
    )
    return st.builds(
        Audit,
        evidence=st.lists(entry, max_size=3).map(tuple),
        retention=_optional(retention),
        share=_optional(st.sampled_from((Decimal("0.05"), Decimal("0.1")))),
        respond_days=_optional(st.integers(30, 90)),
    )


def _draw_credit_value(draw: st.DrawFn, plan: _RulePlan) -> dict[str, object]:
    form = draw(st.sampled_from(_CREDIT_VALUES))
    fields: dict[str, object] = {"selector": draw(plan.selectors)}
    if form.startswith("multiplier"):
        fields["multiplier"] = draw(st.sampled_from(_MULTIPLIERS))
    if form.startswith("fixed"):
        fields["fixed"] = draw(plan.fixed)
    if form.endswith("max"):
        fields["max_per_entry"] = draw(plan.amounts)
    return fields


_SCOPES: Final = st.sampled_from(("cycle", "year"))
_RECURRENCE_CHOICES: Final = st.sampled_from(_RECURRENCES)
_SHARE_CHOICES: Final = st.sampled_from(_SHARES)
_PLAIN_MINIMUM: Final = st.integers(0, 7)


def _minimum_fields(draw: st.DrawFn, plan: _RulePlan) -> dict[str, object]:
    # One plain minimum in eight: it draws as few choices as the simplest other rule,
    # so that shrinking ends at Minimum(credits=1) rather than at another kind.
    if draw(_PLAIN_MINIMUM) == 0:
        return {"credits": Decimal(1)}
    return {
        "credits": draw(plan.amounts),
        "selector": draw(plan.selectors),
        "scope": draw(_SCOPES),
        "recurrence": draw(_RECURRENCE_CHOICES),
    }


def _cap_fields(draw: st.DrawFn, plan: _RulePlan) -> dict[str, object]:
    limit = draw(st.sampled_from(("credits", "share")))
    amount = draw(plan.fixed if limit == "credits" else _SHARE_CHOICES)
    return {"selector": draw(plan.selectors), limit: amount, "scope": draw(_SCOPES)}


def _prerequisite_fields(draw: st.DrawFn, plan: _RulePlan) -> dict[str, object]:
    return {"selector": draw(plan.prerequisites)}


def _exclusion_fields(draw: st.DrawFn, plan: _RulePlan) -> dict[str, object]:
    return {"selector": draw(plan.selectors)}


def _repeat_fields(draw: st.DrawFn, plan: _RulePlan) -> dict[str, object]:
    return {"scope": draw(_SCOPES)}


_RULE_FIELDS: Final[dict[str, Callable[[st.DrawFn, _RulePlan], dict[str, object]]]] = {
    "minimum": _minimum_fields,
    "cap": _cap_fields,
    "credit-value": _draw_credit_value,
    "prerequisite": _prerequisite_fields,
    "exclusion": _exclusion_fields,
    "repeat-exclusion": _repeat_fields,
}


@st.composite
def _rule_drafts(draw: st.DrawFn, plan: _RulePlan) -> dict[str, object]:
    """Everything a rule needs except its id."""
    kind = draw(st.sampled_from(plan.kinds))
    fields = _RULE_FIELDS[kind](draw, plan)
    fields["kind"] = kind
    if draw(st.booleans()):
        fields["description"] = f"A {kind} rule"
    return fields


def _rule(fields: dict[str, object], rule_id: str) -> Rule:
    return _RULE_ADAPTER.validate_python({**fields, "id": rule_id})


def _rule_tuple(drafts: list[dict[str, object]]) -> tuple[Rule, ...]:
    return tuple(_rule(fields, f"r{index}") for index, fields in enumerate(drafts))


def rules(
    *,
    categories: Sequence[str] = ("A", "B"),
    topics: Sequence[str] = ("ethics",),
    kinds: Sequence[str] = RULE_KINDS,
    ids: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Rule]:
    """Single rules of the given ``kinds`` (any of :data:`RULE_KINDS`).

    Minimums and caps (by credits or by share) are per cycle or per year, minimums
    with every kind of recurrence; credit values use a multiplier, a fixed amount or a
    per-entry maximum; prerequisites select credentials. Selectors come from
    :func:`selectors` over ``categories`` and ``topics``. Ids come from ``ids``
    (``"r0"``, ``"r1"``, ... by default); for several rules with distinct ids use
    :func:`rule_lists`.

    Examples shrink towards ``Minimum(id='r0', credits=Decimal('1'))`` (or the first of
    ``kinds``, with an ``everything()`` selector).
    """

    def build() -> st.SearchStrategy[Rule]:
        plan = _rule_plan(categories, topics, kinds)
        return st.builds(_rule, _rule_drafts(plan), _ids("r", ids))

    return st.deferred(build)


def rule_lists(
    *,
    categories: Sequence[str] = ("A", "B"),
    topics: Sequence[str] = ("ethics",),
    kinds: Sequence[str] = RULE_KINDS,
    min_size: int = 0,
    max_size: int = 4,
) -> st.SearchStrategy[tuple[Rule, ...]]:
    """Tuples of ``min_size`` to ``max_size`` rules with distinct ids ``"r0"``, ``"r1"``, ...

    Each rule is as :func:`rules` makes it, so any tuple can be the ``rules`` of one
    :class:`~cperules.policy.PolicyVersion` (whose tree declares ``categories``).

    Examples shrink towards fewer rules (the empty tuple by default).
    """

    def build() -> st.SearchStrategy[tuple[Rule, ...]]:
        low, high = _sizes(min_size, max_size)
        plan = _rule_plan(categories, topics, kinds)
        return st.lists(_rule_drafts(plan), min_size=low, max_size=high).map(_rule_tuple)

    return st.deferred(build)
