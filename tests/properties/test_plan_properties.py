"""A plan is exact: followed as it says, it completes the cycle; its required part is not
more than needed, and what it calls required no alternative it lists can take over.

Issue 15, item 2. Each need of :meth:`Evaluation.remaining` has a part that must be of its
category (``required``) and a part that any of its categories may supply (``free``),
within its limits. Planned activities are built from the needs alone, as a user would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from cperules import Activity, Evaluation, evaluate, lint
from cperules.credits import Measure
from cperules.policy import Certification
from cperules.results import Need
from cperules.rules import Minimum, Rule
from cperules.selectors import IsApproved, category, kinds_named, leaves
from cperules.testing.strategies import certifications, holdings, ledgers_for, rule_lists

# Minimums and caps only: a plan is credit after valuation (a rule that values activities
# at a fixed amount changes what a planned activity earns), and prerequisites and
# exclusions are not credit. Flat and nested category trees, cycle and yearly scopes,
# caps by credits and by share: all as the strategies draw them.
POLICIES = certifications(
    max_versions=1,
    max_rules=4,
    categories=("A", "B", "C"),
    cycle_kinds=("anniversary", "calendar"),
    rule_kinds=("minimum", "cap"),
)


def _with_total(drawn: tuple[Certification, str, int, tuple[Rule, ...]]) -> Certification:
    """The certification with a cycle total and a minimum of one category, before its own
    minimums and caps."""
    certification, code, least, rules = drawn
    shape = (
        Minimum(id="total", credits=Decimal(20)),
        Minimum(id="core", credits=Decimal(least), selector=category(code)),
    )
    version = certification.versions[0].model_copy(update={"rules": (*shape, *rules)})
    return certification.model_copy(update={"versions": (version,)})


# A total and a minimum of one category, with minimums and caps over categories and topics
# beside them (CISSP's shape, and PMP's where the tree is nested): the shape in which part
# of a need is required and part free, and limits bound the alternatives.
SHAPED = st.tuples(
    certifications(
        max_versions=1,
        max_rules=0,
        categories=("A", "B", "C"),
        cycle_kinds=("anniversary", "calendar"),
    ),
    st.sampled_from(("A", "B", "C")),
    st.integers(1, 19),
    rule_lists(categories=("A", "B", "C"), kinds=("minimum", "cap"), max_size=2),
).map(_with_total)

# Each example evaluates the holding a few times per need: a modest number at the desk.
EXAMPLES = 150 if settings().max_examples >= 400 else 30

Split = dict[str | None, Decimal]
"""How much of one need goes to each of its categories."""


def _day(need: Need, code: str | None, as_of: dt.date) -> dt.date:
    """When a planned activity is completed: in the year a yearly rule names, else by due."""
    period = next((limit.period for limit in need.limits if code in limit.categories), None)
    period = period or need.within
    if period is not None:
        return min(max(period.start, as_of), period.end)
    return need.due


def _activities(needs: Sequence[Need], splits: Sequence[Split], as_of: dt.date) -> list[Activity]:
    return [
        Activity(
            id=f"plan{index}-{code}",
            title="Planned",
            completed=_day(need, code, as_of),
            credits=amount,
            category=code,
            topics=(need.topic,) if need.topic else (),
            kind=need.kind or "course",
            delivery=need.delivery,
            approved=True,
        )
        for index, (need, split) in enumerate(zip(needs, splits, strict=True))
        for code, amount in split.items()
        if amount > 0
    ]


def _room(need: Need, split: Split, code: str) -> Decimal:
    """How much more of ``code`` the need's limits allow, given ``split``."""
    room = need.credits
    for limit in need.limits:
        if code in limit.categories:
            used = sum((split.get(c, Decimal(0)) for c in limit.categories), Decimal(0))
            room = min(room, limit.at_most - used)
    return max(Decimal(0), room)


def _spread(need: Need, amount: Decimal, order: Sequence[str]) -> Split:
    """The required part in the category, ``amount`` spread over ``order`` within the
    limits, whatever is left in the category."""
    split: Split = {need.category: need.required}
    left = amount
    for code in order:
        take = min(left, _room(need, split, code))
        if take > 0:
            split[code] = split.get(code, Decimal(0)) + take
            left -= take
    split[need.category] = split[need.category] + left
    return split


def _met(evaluation: Evaluation, index: int) -> bool:
    cycles = evaluation.cycles
    return index < len(cycles) and all(r.met for r in cycles[index].requirements)


def _below(measure: Measure, amount: Decimal) -> Decimal:
    """The amount one step of the measure's grid below ``amount`` (0 below its smallest)."""
    lower = amount - measure.step
    return lower if lower >= measure.smallest else Decimal(0)


@pytest.mark.parametrize("policies", [POLICIES, SHAPED], ids=["any", "total-and-categories"])
@settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_following_the_plan_completes_the_cycle_and_its_required_part_is_required(
    policies: st.SearchStrategy[Certification], data: st.DataObject
) -> None:
    certification = data.draw(policies, label="certification")
    holding = data.draw(holdings(certification=certification), label="holding")
    as_of = data.draw(
        st.dates(min_value=holding.earned, max_value=holding.earned + dt.timedelta(days=730)),
        label="as_of",
    )
    ledger = data.draw(
        ledgers_for(certification, holding, max_size=4, as_of=as_of, fill_first_cycle=False),
        label="ledger",
    )
    # A minimum that nothing can reach, or that a cap holds below itself, has no plan.
    unreachable = {"unreachable-minimum", "cap-below-minimum"}
    assume(not any(f.code in unreachable for f in lint(certification)))
    # Credentials carry no credit, and planned credit is approved credit: minimums that
    # name either are out of scope (as in the portfolio's planning property).
    assume(
        not any(
            "credential" in kinds_named(r.selector)
            or any(isinstance(leaf, IsApproved) for leaf in leaves(r.selector))
            for v in certification.versions
            for r in v.rules
            if isinstance(r, Minimum)
        )
    )
    result = evaluate(holding, ledger, as_of=as_of)
    needs = result.remaining()
    assume(needs)
    # A yearly floor left unmet in a year already over cannot be made up (a limitation
    # stated on Evaluation.remaining).
    assume(
        not any(
            not r.met and r.period != c.period and r.period.end < as_of
            for c in result.cycles
            for r in c.requirements
        )
    )
    target = next((c for c in result.cycles if c.status == "in_grace"), result.governing).index
    measure = certification.versions[0].measure

    def follow(splits: Sequence[Split]) -> bool:
        return _met(result.what_if(_activities(needs, splits, as_of)), target)

    at_base = [{n.category: n.credits} for n in needs]
    if not follow(at_base):
        # Where yearly caps leave too little room, no credit completes the cycle and the
        # needs are only the most that still counts: then a thousand times as much fails.
        saturated = [{n.category: n.credits * 1000} for n in needs]
        assert not follow(saturated)
        event("no plan completes the cycle")
        return
    event(
        f"alternatives: {any(n.alternatives for n in needs)}; limits: {any(n.limits for n in needs)}"
    )

    # 1. Any choice the plan offers completes the cycle: the free part in the category,
    # spread over the alternatives first to last, or last to first.
    for order in ("forward", "backward"):
        splits = []
        for need in needs:
            codes = need.alternatives if order == "forward" else need.alternatives[::-1]
            splits.append(_spread(need, need.free, codes))
        assert follow(splits), (order, splits)

    for index, need in enumerate(needs):
        if not need.required:
            continue
        # 2. The need cannot be reduced: one step of the grid less leaves the cycle unmet.
        fewer = [*at_base]
        fewer[index] = {need.category: _below(measure, need.credits)}
        assert not follow(fewer), need
        # 3. No alternative the plan lists can take over required credit: with the free
        # part and one step of the required part in the alternatives, within the limits,
        # the cycle is unmet.
        step = min(measure.step, need.required)
        moved = _spread(need, need.free + step, need.alternatives)
        moved[need.category] -= step
        if moved[need.category] > need.required - step or not need.alternatives:
            continue  # the limits leave no room for more than the free part
        event("required credit moved into the alternatives")
        moved_splits = [*at_base]
        moved_splits[index] = moved
        assert not follow(moved_splits), (need, moved)
