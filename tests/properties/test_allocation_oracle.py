"""The engine's allocation equals a brute-force optimum on small random cases.

A case is a one-year cycle with up to six activities and a policy of up to three
minimums, three caps and a carryover. Activities are filed in one category, split across
several (``split``) or eligible for several (``eligible``), and claim credit in steps of
the policy's ``measure.step`` (1 or 0.5). The category tree has a parent with two
children and a flat category (``P(X, Y), Z``), so credit in ``X`` counts for ``P``;
activities carry topics, and rules select ``everything()``, one category of the tree or
one topic.

The oracle enumerates every allocation in the policy's step: for each entry (an activity,
or one share of a split) how much counts in each of its categories and, where the
carryover selects it, how much of that is carried out. It keeps those within every cap
and the carryover's cap and ranks them by the design's order (least total shortfall,
then most counted, then most carried). The engine's result must then be one of the
optimal allocations: every activity's parts (counted and carried per category, capped,
and the cap named on the capped part) read back into an allocation that is feasible,
whose requirement results are its own, and whose score equals the oracle's. Where every
optimum gives an activity the same parts, the engine's parts for it must be exactly
those.

Why the step grid finds the true optimum: without carryover the rules form two laminar
families over the (entry, category) amounts, the category tree on one side and on the
other each entry inside its activity inside the topic sets, generated nested (an
activity's topics are none, ``prof``, or ``ethics`` and ``prof``). The constraint matrix
of two laminar families is totally unimodular, so with bounds in whole steps an optimum
lies on the grid. Selectors that would break this (``any_of`` across the tree, topics
that cross) are not generated. Carryover adds a second use of counted credit that
minimums do not see, and no such proof covers it. Two checks stand in: the engine solves
exactly over fractions, so an optimum off the grid would show as the engine beating the
enumeration (reported as such, not as an engine error); and a separate property checks,
with carryover in play, that enumerating in half steps never does better than whole steps.

The enumeration stays small by construction: activities are drawn after the policy and
one that would take the product of the entries' choices past ``MAX_ALLOCATIONS`` is left
out (no ``assume``), so a case is at most six activities and 40,000 allocations.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import prod

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from cperules import (
    Activity,
    AnniversaryCycle,
    CategoryNode,
    Certification,
    Evaluation,
    Holding,
    Ledger,
    Measure,
    PolicyVersion,
    evaluate,
)
from cperules.results import CycleResult
from cperules.rules import Cap, Carryover, Minimum, Rule
from cperules.selectors import Selector, category, everything, topic

TREE = (
    CategoryNode(code="P", children=(CategoryNode(code="X"), CategoryNode(code="Y"))),
    CategoryNode(code="Z"),
)
PATHS = {"P": ("P",), "X": ("X", "P"), "Y": ("Y", "P"), "Z": ("Z",)}
CODES = tuple(PATHS)
TOPIC_SETS = ((), ("prof",), ("ethics", "prof"))  # nested: ethics implies prof
EARNED = dt.date(2024, 1, 1)
AS_OF = dt.date(2025, 6, 1)
MAX_ACTIVITIES = 6
MAX_ALLOCATIONS = 40_000
"""The most allocations one case may have; cases are cut to stay within it."""

Target = tuple[str, str]
"""What a rule selects: ``("all", "")``, ``("category", code)`` or ``("topic", name)``."""

TARGETS: tuple[Target, ...] = (
    ("all", ""),
    *(("category", code) for code in CODES),
    ("topic", "prof"),
    ("topic", "ethics"),
)


@dataclass(frozen=True)
class Spec:
    """One activity: its shares (category codes and whole steps), placement and topics.

    A ``category`` activity has one share; an ``eligible`` one has one share whose amount
    may count in any of its codes; a ``split`` one has a share per code.
    """

    placement: str
    codes: tuple[str, ...]
    steps: tuple[int, ...]
    topics: tuple[str, ...]

    @property
    def entries(self) -> tuple[tuple[tuple[str, ...], int], ...]:
        """(category options, amount in steps) of each share."""
        if self.placement == "split":
            return tuple(((code,), n) for code, n in zip(self.codes, self.steps, strict=True))
        return ((self.codes, self.steps[0]),)


@dataclass(frozen=True)
class Case:
    step: Decimal
    activities: tuple[Spec, ...]
    minimums: tuple[tuple[Target, int], ...]
    caps: tuple[tuple[Target, int], ...]
    carry: tuple[Target, int] | None

    def entries(self) -> Iterator[tuple[int, tuple[str, ...], int]]:
        """(activity index, options, amount in steps) of every entry."""
        for index, spec in enumerate(self.activities):
            for options, amount in spec.entries:
                yield index, options, amount


def matches(target: Target, code: str, topics: Sequence[str]) -> bool:
    kind, name = target
    if kind == "all":
        return True
    if kind == "category":
        return name in PATHS[code]
    return name in topics


def carries(case: Case, code: str, topics: Sequence[str]) -> bool:
    return case.carry is not None and matches(case.carry[0], code, topics)


def entry_choices(
    case: Case, options: tuple[str, ...], amount: int, topics: Sequence[str]
) -> list[tuple[tuple[int, int], ...]]:
    """Every (counted, carried) per option of one entry, in whole steps."""
    choices: list[tuple[tuple[int, int], ...]] = []
    for xs in itertools.product(range(amount + 1), repeat=len(options)):
        if sum(xs) > amount:
            continue
        ranges = [
            range(x + 1) if carries(case, code, topics) else range(1)
            for code, x in zip(options, xs, strict=True)
        ]
        choices.extend(tuple(zip(xs, ys, strict=True)) for ys in itertools.product(*ranges))
    return choices


def allocation_count(case: Case) -> int:
    return prod(
        len(entry_choices(case, options, amount, case.activities[i].topics))
        for i, options, amount in case.entries()
    )


# --- strategies ---------------------------------------------------------------------------

rule_targets = st.sampled_from(TARGETS)


PLACEMENTS = ("category", "category", "eligible", "split")


@st.composite
def specs(
    draw: st.DrawFn, *, placements: tuple[str, ...] = PLACEMENTS, codes: tuple[str, ...] = CODES
) -> Spec:
    placement = draw(st.sampled_from(placements))
    topics = draw(st.sampled_from(TOPIC_SETS))
    if placement == "category":
        return Spec(placement, (draw(st.sampled_from(codes)),), (draw(st.integers(1, 4)),), topics)
    codes = tuple(
        sorted(draw(st.lists(st.sampled_from(CODES), min_size=2, max_size=3, unique=True)))
    )
    if placement == "eligible":
        return Spec(placement, codes, (draw(st.integers(1, 3)),), topics)
    steps = tuple(draw(st.integers(1, 2)) for _ in codes)
    return Spec(placement, codes, steps, topics)


@st.composite
def cases(draw: st.DrawFn, *, carry: bool | None = None) -> Case:
    """Policies first, then activities while the allocations stay few enough.

    Shrinks towards one whole-credit course and no rules.
    """
    step = draw(st.sampled_from((Decimal(1), Decimal("0.5"))))
    minimums = tuple(
        draw(st.lists(st.tuples(rule_targets, st.integers(1, 8)), max_size=3, unique_by=_first))
    )
    caps = tuple(
        draw(st.lists(st.tuples(rule_targets, st.integers(0, 6)), max_size=3, unique_by=_first))
    )
    carried = st.tuples(rule_targets, st.integers(1, 4))
    drawn_carry = draw(carried if carry else st.none() if carry is False else st.none() | carried)
    case = Case(step, (), minimums, caps, drawn_carry)
    kept: list[Spec] = []
    # Half the cases file every activity in one category (in a quarter, all in the same
    # one): the engine's direct path for ledgers with no choice to make must agree too.
    shape = draw(st.sampled_from(("mixed", "mixed", "filed", "one")))
    if shape == "mixed":
        activity_specs = specs()
    else:
        codes = (draw(st.sampled_from(CODES)),) if shape == "one" else CODES
        activity_specs = specs(placements=("category",), codes=codes)
    drawn = draw(st.lists(activity_specs, min_size=1, max_size=MAX_ACTIVITIES))
    for spec in drawn:
        wider = Case(step, (*kept, spec), minimums, caps, drawn_carry)
        if allocation_count(wider) > MAX_ALLOCATIONS:
            continue  # bounded: an activity that would make too many choices is left out
        kept.append(spec)
    return Case(step, tuple(kept), case.minimums, case.caps, case.carry)


def _first(pair: tuple[Target, int]) -> Target:
    return pair[0]


# --- building the policy and ledger ----------------------------------------------------


def _selector(target: Target) -> Selector:
    kind, name = target
    if kind == "all":
        return everything()
    return category(name) if kind == "category" else topic(name)


def certification(case: Case) -> Certification:
    rules: list[Rule] = [
        Minimum(id=f"min-{i}", credits=n * case.step, selector=_selector(t))
        for i, (t, n) in enumerate(case.minimums)
    ]
    rules += [
        Cap(id=f"cap-{i}", credits=n * case.step, selector=_selector(t))
        for i, (t, n) in enumerate(case.caps)
    ]
    carry = None
    if case.carry is not None:
        carry = Carryover(selector=_selector(case.carry[0]), cap=case.carry[1] * case.step)
    version = PolicyVersion(
        effective_from=dt.date(2000, 1, 1),
        cycle=AnniversaryCycle(years=1),
        measure=Measure(step=case.step),
        categories=TREE,
        rules=tuple(rules),
        carryover=carry,
    )
    return Certification(
        id="test/oracle", name="Oracle", body="Test", unit="CPE", versions=(version,)
    )


def activity(case: Case, index: int, spec: Spec) -> Activity:
    credits = sum(spec.steps) * case.step
    where: dict[str, object]
    if spec.placement == "category":
        where = {"category": spec.codes[0]}
    elif spec.placement == "eligible":
        where = {"eligible": spec.codes}
    else:
        where = {"split": {c: n * case.step for c, n in zip(spec.codes, spec.steps, strict=True)}}
    return Activity.model_validate(
        {
            "id": f"a{index}",
            "title": f"a{index}",
            "completed": dt.date(2024, 3, 1 + index),
            "credits": credits,
            "topics": spec.topics,
            **where,
        }
    )


def ledger(case: Case) -> Ledger:
    return Ledger(activity(case, i, spec) for i, spec in enumerate(case.activities))


def _evaluate(case: Case, activities: Ledger | None = None) -> Evaluation:
    return evaluate(
        Holding(certification=certification(case), earned=EARNED),
        ledger(case) if activities is None else activities,
        as_of=AS_OF,
    )


# --- the oracle ---------------------------------------------------------------------------

PartKey = tuple[str, str | None]
"""(reason, category) of a part."""

Parts = dict[PartKey, Fraction]
"""An activity's parts: credit per (reason, category), in steps."""

Frozen = frozenset[tuple[PartKey, Fraction]]
Score = tuple[Fraction, Fraction, Fraction]
"""(total shortfall, counted, carried), in steps."""


def add(parts: Parts, key: PartKey, amount: Fraction) -> None:
    if amount:
        parts[key] = parts.get(key, Fraction(0)) + amount


def parts_of(
    options: tuple[str, ...], amount: int, choice: Sequence[tuple[int, int]], into: Parts
) -> None:
    """Add the parts one entry reports for (counted, carried) per option."""
    for code, (x, y) in zip(options, choice, strict=True):
        add(into, ("counted", code), Fraction(x - y))
        add(into, ("carried-out", code), Fraction(y))
    capped = options[0] if len(options) == 1 else None
    add(into, ("capped", capped), Fraction(amount - sum(x for x, _ in choice)))


def frozen(parts: Parts) -> Frozen:
    return frozenset(parts.items())


@dataclass(frozen=True)
class Optimum:
    """The best score and, per activity, every part set some optimal allocation gives it."""

    score: Score
    parts: tuple[frozenset[Frozen], ...]


def oracle(case: Case) -> Optimum:
    """Enumerate every allocation in steps of ``case.step``: the best and its parts.

    Each allocation sums, per entry, a vector of what it adds to each cap, to the
    carryover, to each minimum (what counts and is not carried out), to the counted and to
    the carried total. numpy adds them up for the whole product of the entries' choices.
    """
    entries = list(case.entries())
    caps, minimums = case.caps, case.minimums
    width = len(caps) + 1 + len(minimums) + 2
    choices: list[list[tuple[tuple[int, int], ...]]] = []
    vectors: list[np.ndarray] = []
    for index, options, amount in entries:
        topics = case.activities[index].topics
        entry = entry_choices(case, options, amount, topics)
        rows = np.zeros((len(entry), width), dtype=np.int64)
        for row, choice in enumerate(entry):
            for column, (target, _) in enumerate(caps):
                rows[row, column] = sum(
                    x
                    for code, (x, _) in zip(options, choice, strict=True)
                    if matches(target, code, topics)
                )
            rows[row, len(caps)] = sum(y for _, y in choice)
            for column, (target, _) in enumerate(minimums, start=len(caps) + 1):
                rows[row, column] = sum(
                    x - y
                    for code, (x, y) in zip(options, choice, strict=True)
                    if matches(target, code, topics)
                )
            rows[row, -2] = sum(x for x, _ in choice)
            rows[row, -1] = sum(y for _, y in choice)
        choices.append(entry)
        vectors.append(rows)
    totals = np.zeros((1, width), dtype=np.int64)
    for rows in vectors:
        totals = (totals[:, None, :] + rows[None, :, :]).reshape(-1, width)
    feasible = np.ones(len(totals), dtype=bool)
    for column, (_, limit) in enumerate(caps):
        feasible &= totals[:, column] <= limit
    if case.carry is not None:
        feasible &= totals[:, len(caps)] <= case.carry[1]
    shortfall = np.zeros(len(totals), dtype=np.int64)
    for column, (_, required) in enumerate(minimums, start=len(caps) + 1):
        shortfall += np.maximum(0, required - totals[:, column])
    base = 10_000  # larger than any counted or carried total, in steps
    key = -shortfall * base * base + totals[:, -2] * base + totals[:, -1]
    key = np.where(feasible, key, np.iinfo(np.int64).min)
    winners = np.flatnonzero(key == key.max())  # the all-zero allocation is feasible
    first = int(winners[0])
    score = (
        Fraction(int(shortfall[first])),
        Fraction(int(totals[first, -2])),
        Fraction(int(totals[first, -1])),
    )
    picks = np.unravel_index(winners, tuple(len(c) for c in choices))
    found: list[set[Frozen]] = [set() for _ in case.activities]
    for winner in range(len(winners)):
        per_activity: list[Parts] = [{} for _ in case.activities]
        for e, (index, options, amount) in enumerate(entries):
            choice = choices[e][int(picks[e][winner])]
            parts_of(options, amount, choice, into=per_activity[index])
        for index, parts in enumerate(per_activity):
            found[index].add(frozen(parts))
    return Optimum(score, tuple(frozenset(f) for f in found))


def ranked(score: Score) -> Score:
    """A score as the design orders it: the larger the better."""
    return (-score[0], score[1], score[2])


# --- reading the engine's result back ----------------------------------------------------


@dataclass(frozen=True)
class Read:
    """The engine's allocation in steps: (counted, carried) per entry and option."""

    choices: tuple[tuple[tuple[Fraction, Fraction], ...], ...]
    parts: tuple[Parts, ...]


def read(case: Case, cycle: CycleResult) -> Read:
    """The engine's parts as an allocation, checking they account for every claim."""
    step = Fraction(case.step)
    outcomes = {o.activity_id: o for o in cycle.activities}
    assert set(outcomes) == {f"a{i}" for i in range(len(case.activities))}
    per_activity: list[Parts] = []
    for index, spec in enumerate(case.activities):
        outcome = outcomes[f"a{index}"]
        assert outcome.claimed == sum(spec.steps) * case.step
        parts: Parts = {}
        for part in outcome.parts:
            assert part.reason in {"counted", "carried-out", "capped"}, part
            add(parts, (part.reason, part.category), Fraction(part.credits) / step)
        assert sum(parts.values()) == sum(spec.steps), outcome
        per_activity.append(parts)
    choices = []
    for index, options, _ in case.entries():
        parts = per_activity[index]
        zero = Fraction(0)
        choices.append(
            tuple(
                (
                    parts.get(("counted", code), zero) + parts.get(("carried-out", code), zero),
                    parts.get(("carried-out", code), zero),
                )
                for code in options
            )
        )
    return Read(tuple(choices), tuple(per_activity))


def total(case: Case, engine: Read, target: Target, *, kept: bool) -> Fraction:
    """What the engine counts (less what it carries out, if ``kept``) of ``target``."""
    return sum(
        (
            x - y if kept else x
            for (index, options, _), choice in zip(case.entries(), engine.choices, strict=True)
            for code, (x, y) in zip(options, choice, strict=True)
            if matches(target, code, case.activities[index].topics)
        ),
        Fraction(0),
    )


def check_feasible(case: Case, engine: Read) -> None:
    """Each entry within its amount, every cap and the carryover's cap held."""
    for (index, options, amount), choice in zip(case.entries(), engine.choices, strict=True):
        assert sum(x for x, _ in choice) <= amount
        for code, (x, y) in zip(options, choice, strict=True):
            assert 0 <= y <= x
            assert y == 0 or carries(case, code, case.activities[index].topics)
    for target, limit in case.caps:
        assert total(case, engine, target, kept=False) <= limit, f"cap on {target} exceeded"
    carried = sum((y for choice in engine.choices for _, y in choice), Fraction(0))
    assert carried <= (0 if case.carry is None else case.carry[1])


def check_reported(case: Case, engine: Read, cycle: CycleResult) -> Score:
    """Requirements, carried credit and capped parts as the engine's allocation makes them.

    Returns the allocation's score.
    """
    step = Fraction(case.step)
    assert [r.id for r in cycle.requirements] == [f"min-{i}" for i in range(len(case.minimums))]
    shortfall = Fraction(0)
    for result, (target, required) in zip(cycle.requirements, case.minimums, strict=True):
        got = total(case, engine, target, kept=True)
        assert result.required == required * case.step
        assert Fraction(result.counted) == got * step
        assert Fraction(result.shortfall) == max(Fraction(0), required - got) * step
        shortfall += max(Fraction(0), required - got)
    assert cycle.shortfall == shortfall * step
    out: Parts = {}
    for credit in cycle.carried_out:
        add(out, ("carried-out", credit.category), Fraction(credit.credits) / step)
    out_parts: Parts = {}
    for parts in engine.parts:
        for key, amount in parts.items():
            if key[0] == "carried-out":
                add(out_parts, key, amount)
    assert out == out_parts
    tight = [total(case, engine, target, kept=False) == limit for target, limit in case.caps]
    for index, spec in enumerate(case.activities):
        for part in cycle.outcome(f"a{index}").parts:
            if part.reason != "capped":
                continue
            options = spec.codes if part.category is None else (part.category,)  # its entry
            over = [
                f"cap-{c}"
                for c, (target, _) in enumerate(case.caps)
                if tight[c] and any(matches(target, code, spec.topics) for code in options)
            ]
            assert part.rule == (over[0] if over else None), (part, over)
    counted = sum((x for choice in engine.choices for x, _ in choice), Fraction(0))
    carried = sum((y for choice in engine.choices for _, y in choice), Fraction(0))
    return (shortfall, counted, carried)


def check_against_oracle(case: Case) -> None:
    """The engine's allocation is feasible, reported consistently and optimal."""
    cycle = _evaluate(case).cycles[0]
    engine = read(case, cycle)
    check_feasible(case, engine)
    score = check_reported(case, engine, cycle)
    best = oracle(case)
    assert ranked(score) <= ranked(best.score), (
        f"the engine's {score} beats every allocation in whole steps {best.score}: "
        "the grid does not hold the optimum"
    )
    assert score == best.score, f"engine {score}, optimum {best.score}"
    # Exact parts wherever every optimum agrees on an activity's parts.
    for index, found in enumerate(best.parts):
        if len(found) == 1:
            (expected,) = found
            got = frozen(engine.parts[index])
            assert got == expected, f"a{index}: engine {sorted(got)}, optimum {sorted(expected)}"


# --- the properties -----------------------------------------------------------------------


def _course(code: str, steps: int, topics: tuple[str, ...] = ()) -> Spec:
    return Spec("category", (code,), (steps,), topics)


@given(cases())
@example(  # the direct path: carrying out must leave the minimum its credit
    Case(Decimal(1), (_course("X", 4),), ((("all", ""), 3),), (), (("all", ""), 4))
)
@example(  # two minimums compete for an eligible credit: one optimum of several
    Case(
        Decimal(1),
        (Spec("eligible", ("X", "Z"), (2,), ()),),
        ((("category", "X"), 2), (("category", "Z"), 2)),
        (),
        None,
    )
)
@example(  # a parent's cap binds its children; a topic minimum picks what counts
    Case(
        Decimal("0.5"),
        (
            Spec("split", ("X", "Y"), (2, 2), ("ethics", "prof")),
            _course("Y", 3),
            Spec("eligible", ("P", "Z"), (3,), ("prof",)),
        ),
        ((("topic", "ethics"), 3), (("all", ""), 8)),
        ((("category", "P"), 4), (("category", "Z"), 1)),
        (("all", ""), 2),
    )
)
def test_allocation_is_a_brute_force_optimum(case: Case) -> None:
    check_against_oracle(case)


def refined(case: Case) -> Case:
    """The same case in half steps: every amount and bound counted in twice as many."""
    return Case(
        case.step / 2,
        tuple(
            Spec(s.placement, s.codes, tuple(2 * n for n in s.steps), s.topics)
            for s in case.activities
        ),
        tuple((target, 2 * n) for target, n in case.minimums),
        tuple((target, 2 * n) for target, n in case.caps),
        None if case.carry is None else (case.carry[0], 2 * case.carry[1]),
    )


@given(cases(carry=True))
def test_half_steps_never_beat_whole_steps(case: Case) -> None:
    """The grid assumption itself, where carryover leaves no proof of it.

    Enumerating half steps multiplies the choices, so only the first activities that
    keep the finer enumeration within the bound are kept.
    """
    while allocation_count(refined(case)) > MAX_ALLOCATIONS:
        case = Case(case.step, case.activities[:-1], case.minimums, case.caps, case.carry)
    whole, half = oracle(case).score, oracle(refined(case)).score
    assert half == (2 * whole[0], 2 * whole[1], 2 * whole[2])


@given(cases(), st.randoms(use_true_random=False))
def test_ledger_order_never_changes_the_result(case: Case, rng: random.Random) -> None:
    activities = list(ledger(case))
    shuffled = activities[:]
    rng.shuffle(shuffled)
    assert _evaluate(case, Ledger(activities)) == _evaluate(case, Ledger(shuffled))


@given(cases(), st.integers(1, 3), st.sampled_from(CODES))
def test_adding_an_activity_never_hurts(case: Case, steps: int, code: str) -> None:
    before = _evaluate(case)
    extra = Activity(
        id="extra",
        title="extra",
        completed=dt.date(2024, 6, 1),
        credits=steps * case.step,
        category=code,
    )
    after = _evaluate(case, ledger(case).add(extra))
    old, new = before.cycles[0], after.cycles[0]
    counted_before = sum((o.total("counted", "carried-out") for o in old.activities), Decimal(0))
    counted_after = sum((o.total("counted", "carried-out") for o in new.activities), Decimal(0))
    assert counted_after >= counted_before
    assert new.shortfall <= old.shortfall
    if old.status == "compliant":
        assert new.status == "compliant"


def test_the_bound_keeps_six_activities_possible() -> None:
    """Six small courses fit the enumeration bound, so the strategy can reach six."""
    case = Case(
        Decimal(1),
        tuple(_course(CODES[i % 4], 2) for i in range(MAX_ACTIVITIES)),
        ((("all", ""), 8),),
        ((("category", "P"), 3),),
        None,
    )
    assert allocation_count(case) <= MAX_ALLOCATIONS
    check_against_oracle(case)
