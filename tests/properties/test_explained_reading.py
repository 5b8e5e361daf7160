"""The explained path's shortcuts give what the general steps give (issue 16).

An explained evaluation reads each claim's credit as results show it from what screening
remembered (:meth:`cperules._engine.screening.Screened.claimed`), finds the activities
outside every cycle by bisecting the cycles' windows (``_windows`` and ``_within`` in
:mod:`cperules._engine.history`), and builds outcomes with a constructor written out for
the model (:func:`cperules._model.maker`). It looks only at the activities bisection
cannot place inside a cycle (``History._unplaced``), finds each kind of entry's binding
cap once per reading, and merges each cycle's outcomes instead of sorting them. Each is
checked against the plain step it replaces.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any
from unittest.mock import patch

from budgets import GENERATED
from generated import Case, generated_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from cperules import Evaluation, Holding, Ledger, catalog, evaluate
from cperules._engine import cycle
from cperules._engine.allocation import Allocation, Entry, Limit
from cperules._engine.history import History, _windows, _within
from cperules._engine.screening import CategoryPaths, Screening, screen_all
from cperules._model import maker, validating
from cperules.credits import to_decimal
from cperules.cycles import Period
from cperules.errors import CperulesError
from cperules.ledger import Activity
from cperules.results import ActivityOutcome, Part

_day = st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2026, 12, 31))


@st.composite
def _periods(draw: st.DrawFn) -> Period:
    start = draw(_day)
    return Period(start=start, end=start + dt.timedelta(days=draw(st.integers(0, 400))))


@given(periods=st.lists(_periods(), max_size=6), days=st.lists(_day, max_size=20))
def test_bisected_windows_hold_the_days_some_period_holds(
    periods: list[Period], days: list[dt.date]
) -> None:
    runs = _windows(periods)
    starts = [start for start, _ in runs]
    assert all(earlier[1] < later[0] for earlier, later in itertools.pairwise(runs))
    for day in days:
        assert _within(day, runs, starts) == any(day in period for period in periods)


@given(
    amounts=st.lists(
        st.sampled_from(("0.5", "1", "1.0", "1.25", "2", "3.50", "40", "0.20")),
        min_size=1,
        max_size=8,
    )
)
def test_a_claim_shows_its_credit_as_to_decimal_of_its_value(amounts: list[str]) -> None:
    version = catalog.get("isc2/cissp").versions[-1]
    activities = [
        Activity(
            id=f"a{n}",
            title="Course",
            completed=dt.date(2024, 1, 1),
            credits=Decimal(amount),
            category="A",
        )
        for n, amount in enumerate(amounts)
    ]
    context = Screening("isc2/cissp", {}, CategoryPaths())
    for _ in range(2):  # the first time the long way, then the short way
        for claim in screen_all(activities, version, context, source="own", window=None, cured={}):
            assert claim.claimed() == to_decimal(claim.value)
            assert str(claim.claimed()) == str(to_decimal(claim.value))


@given(
    claimed=st.decimals(min_value=0, max_value=100, places=2),
    hypothetical=st.booleans(),
    valued_by=st.none() | st.just("book"),
)
def test_a_written_out_outcome_equals_the_validated_one(
    claimed: Decimal, hypothetical: bool, valued_by: str | None
) -> None:
    parts = (Part(reason="counted", credits=claimed, category="A"),)
    values = ("a1", "Course", dt.date(2024, 1, 1), claimed, "credits", valued_by, hypothetical)
    made = maker(ActivityOutcome)(*values, parts)
    validated = ActivityOutcome(
        activity_id="a1",
        title="Course",
        completed=dt.date(2024, 1, 1),
        claimed=claimed,
        basis="credits",
        valued_by=valued_by,
        hypothetical=hypothetical,
        parts=parts,
    )
    assert made == validated
    assert made.model_fields_set == validated.model_fields_set
    assert made.model_dump() == validated.model_dump()
    validating.on = True
    try:
        assert maker(ActivityOutcome)(*values, parts) == validated
    finally:
        validating.on = False


def _plain_binding_cap(
    entry: Entry,
    index: int,
    limits: Sequence[Limit],
    allocation: Allocation,
    memo: dict[int, str | None] | None = None,
) -> str | None:
    """The binding cap found anew for every entry (no reading's memo)."""
    return _found_cap(entry, index, limits, allocation)


_found_cap = cycle._binding_cap


def _evaluated(case: Case) -> object:
    holding, ledger, as_of = case
    try:
        return evaluate(holding, ledger, as_of=as_of)
    except CperulesError as error:
        return (type(error), error.code, str(error))


@settings(max_examples=GENERATED)
@given(generated_cases())
def test_the_reading_shortcuts_give_what_the_plain_steps_give(case: Case) -> None:
    """Bisected activities outside the cycles, memoised binding caps, merged outcomes.

    The explained path looks at only the activities it cannot place by bisection
    (``History._unplaced``), finds each kind of entry's binding cap once per reading,
    and lists each cycle's outcomes by merging the own claims' (made in date order)
    with the others'. Evaluated with every activity looked at and every cap found anew,
    the evaluation is the same; every cycle lists its outcomes by date, then id.
    """
    fast = _evaluated(case)
    with (
        patch.object(History, "_unplaced", lambda self, *_: self.activities),
        patch.object(cycle, "_binding_cap", _plain_binding_cap),
    ):
        plain = _evaluated(case)
    assert fast == plain
    if isinstance(fast, Evaluation):
        assert isinstance(plain, Evaluation)
        assert fast.to_dict() == plain.to_dict()
        for result in fast.cycles:
            order = [(outcome.completed, outcome.activity_id) for outcome in result.activities]
            assert order == sorted(order)
            assert len(set(order)) == len(order)


@given(
    as_of=st.dates(min_value=dt.date(2023, 3, 1), max_value=dt.date(2030, 12, 31)),
    offsets=st.lists(st.integers(-3, 3), min_size=1, max_size=6),
)
def test_activities_about_the_edges_are_placed_as_the_plain_steps_place_them(
    as_of: dt.date, offsets: list[int]
) -> None:
    """Activities a few days about the first cycle's start, ``as_of`` and each cycle's due.

    Where bisection draws its lines (``History._unplaced``): each such activity is told
    outside the cycles exactly when looking at every activity tells it so.
    """
    holding = Holding(certification="isc2/cissp", earned=dt.date(2023, 3, 1))
    edges = [holding.earned, as_of, dt.date(2026, 2, 28), dt.date(2029, 2, 28)]
    days = sorted({edge + dt.timedelta(days=offset) for edge in edges for offset in offsets})
    ledger = Ledger(
        [
            Activity(id=f"a{n}", title="Course", completed=day, credits=Decimal(2), category="A")
            for n, day in enumerate(days)
        ]
    )
    case = (holding, ledger, as_of)
    fast = _evaluated(case)
    with patch.object(History, "_unplaced", lambda self, *_: self.activities):
        plain = _evaluated(case)
    assert fast == plain


_AREAS = ("ways-of-working", "power-skills", "business-acumen")
_GIVING_BACK = ("volunteer", "create-content", "working-as-a-practitioner")


@st.composite
def _pmp_ledgers(draw: st.DrawFn) -> Ledger:
    """PMP ledgers of area and giving-back credit, some eligible for several areas."""
    count = draw(st.integers(min_value=1, max_value=30))
    activities = []
    for index in range(count):
        credits = Decimal(draw(st.integers(min_value=1, max_value=48))) / 4
        where: dict[str, object]
        if draw(st.booleans()):
            where = {
                "eligible": tuple(
                    draw(st.lists(st.sampled_from(_AREAS), min_size=2, max_size=3, unique=True))
                )
            }
        else:
            where = {"category": draw(st.sampled_from(_AREAS + _GIVING_BACK))}
        activities.append(
            Activity.model_validate(
                {
                    "id": f"a{index:02d}",
                    "title": "Course",
                    "completed": draw(
                        st.dates(min_value=dt.date(2023, 3, 1), max_value=dt.date(2026, 5, 31))
                    ),
                    "credits": credits,
                    **where,
                }
            )
        )
    return Ledger(activities)


def _pmp(ledger: Ledger, as_of: dt.date) -> object:
    return _evaluated((Holding(certification="pmi/pmp", earned=dt.date(2023, 3, 1)), ledger, as_of))


@settings(max_examples=GENERATED)
@given(
    ledger=_pmp_ledgers(),
    as_of=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 6, 30)),
)
def test_an_entry_counted_in_its_first_option_alone_reads_as_the_general_step(
    ledger: Ledger, as_of: dt.date
) -> None:
    """An entry of several options whose first alone counts is read as one of one option.

    The reading takes the one-option way for it (``cycle._first_alone``); with that way
    closed, every such entry goes through the general steps, to the same evaluation.
    """
    fast = _pmp(ledger, as_of)
    with patch.object(cycle, "_first_alone", lambda *_: False):
        plain = _pmp(ledger, as_of)
    assert fast == plain
    if isinstance(fast, Evaluation):
        assert isinstance(plain, Evaluation)
        assert fast.to_dict() == plain.to_dict()


def test_the_first_option_reading_is_taken_for_eligible_entries() -> None:
    """An eligible activity counted in its first area takes the one-option reading."""
    ledger = Ledger(
        Activity(
            id=f"a{index}",
            title="Course",
            completed=dt.date(2024, 1, 1) + dt.timedelta(days=index),
            credits=Decimal(5),
            eligible=_AREAS[:2],
        )
        for index in range(3)
    )
    taken: list[bool] = []

    def first_alone(counted: Sequence[object], carried: Sequence[object]) -> bool:
        taken.append(answer := _first_alone(counted, carried))  # type: ignore[arg-type]
        return answer

    with patch.object(cycle, "_first_alone", first_alone):
        fast = _pmp(ledger, dt.date(2026, 3, 15))
    assert any(taken)
    assert fast == _pmp(ledger, dt.date(2026, 3, 15))


_first_alone = cycle._first_alone


def _closed_way() -> bool:
    return False


@settings(max_examples=GENERATED)
@given(generated_cases())
def test_a_one_entry_claim_reads_on_the_short_way_as_on_the_general_steps(case: Case) -> None:
    """A claim counted, capped or carried out whole has its outcome made on the short way.

    With that way closed (``cycle._short_way``), every claim goes through the general
    steps (``_entry_parts``, ``_add_options``), to the same evaluation.
    """
    fast = _evaluated(case)
    with patch.object(cycle, "_short_way", _closed_way):
        plain = _evaluated(case)
    assert fast == plain
    if isinstance(fast, Evaluation):
        assert isinstance(plain, Evaluation)
        assert fast.to_dict() == plain.to_dict()


@settings(max_examples=GENERATED)
@given(
    ledger=_pmp_ledgers(),
    as_of=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 6, 30)),
)
def test_pmp_claims_read_on_the_short_way_as_on_the_general_steps(
    ledger: Ledger, as_of: dt.date
) -> None:
    """PMP's claims (capped giving back, credit carried out of the third year) alike."""
    fast = _pmp(ledger, as_of)
    with patch.object(cycle, "_short_way", _closed_way):
        plain = _pmp(ledger, as_of)
    assert fast == plain
    if isinstance(fast, Evaluation):
        assert isinstance(plain, Evaluation)
        assert fast.to_dict() == plain.to_dict()


def test_the_short_way_tells_counted_capped_and_carried_claims() -> None:
    """The short way is taken, and its claims are counted, capped and carried out whole.

    CISSP: Group B credit beyond its cap is capped whole, credit of the carryover window
    beyond the minimums carried out whole, the rest counted whole. The reading of the
    allocation is what is compared, so the kernel's reading (which CISSP's cycles take
    otherwise: ``test_explained_kernel``) is switched off.
    """
    holding = Holding(certification="isc2/cissp", earned=dt.date(2023, 3, 1))
    day = dt.date(2023, 4, 1)
    ledger = Ledger(
        Activity(
            id=f"a{index:02d}",
            title="Course",
            completed=day + dt.timedelta(days=index * 30),
            credits=Decimal(10),
            category="B" if index < 8 else "A",
        )
        for index in range(34)
    )
    general: list[str] = []  # the claims read the general way (``_entry_parts``)

    def entry_parts(*arguments: Any) -> list[Part]:
        general.append(arguments[-2].activity.id)
        return _entry_parts(*arguments)

    with (
        patch.object(cycle, "kernel_ready", return_value=False),
        patch.object(cycle, "_entry_parts", entry_parts),
    ):
        fast = evaluate(holding, ledger, as_of=dt.date(2026, 3, 15))
        assert not general
        with patch.object(cycle, "_short_way", _closed_way):
            plain = evaluate(holding, ledger, as_of=dt.date(2026, 3, 15))
        assert general
    assert fast.to_dict() == plain.to_dict()
    reasons = {part.reason for outcome in fast.cycles[0].activities for part in outcome.parts}
    assert {"counted", "capped", "carried-out"} <= reasons


_entry_parts = cycle._entry_parts


def test_the_short_way_takes_a_kept_counted_part_only_for_its_own_amount() -> None:
    """The short way finds a counted part kept by the amount's identity, never a stale one.

    Every kept part is replaced by a wrong one kept for another amount object of the
    same value (as an amount freed and its id reused would leave): the reading makes the
    right parts again, the same evaluation as before.
    """
    holding = Holding(certification="isc2/cissp", earned=dt.date(2023, 3, 1))
    ledger = Ledger(
        Activity(
            id=f"a{index:02d}",
            title="Course",
            completed=dt.date(2023, 4, 1) + dt.timedelta(days=index * 30),
            credits=Decimal(10),
            category="B" if index < 8 else "A",
        )
        for index in range(34)
    )
    first = evaluate(holding, ledger, as_of=dt.date(2026, 3, 15))
    assert cycle._WHOLE
    wrong = cycle._part("counted", Fraction(999), "Z", None)
    kept = dict(cycle._WHOLE)
    try:
        for key, (amount, _) in kept.items():
            cycle._WHOLE[key] = (Fraction(amount.numerator, amount.denominator), wrong)
        again = evaluate(holding, ledger, as_of=dt.date(2026, 3, 15))
    finally:
        cycle._WHOLE.clear()
        cycle._WHOLE.update(kept)
    assert again.to_dict() == first.to_dict()
    assert all(
        part is not wrong
        for result in again.cycles
        for outcome in result.activities
        for part in outcome.parts
    )


@given(
    sums=st.dictionaries(
        st.sampled_from((1, 2, 3, 4, 5, 8, 10, 20, 25, 100)), st.integers(-400, 400), max_size=4
    )
)
def test_a_sum_kept_by_denominator_shows_as_its_exact_sum(sums: dict[int, int]) -> None:
    """``_decimal_sum`` (kept sums by numerator and common denominator) is the plain step."""
    plain = to_decimal(sum((Fraction(n, d) for d, n in sums.items()), Fraction(0)))
    for _ in range(2):  # the first time worked out, then as kept
        shown = cycle._decimal_sum(dict(sums))
        assert shown == plain
        assert str(shown) == str(plain)


@given(
    amount=st.fractions(min_value=0, max_value=100, max_denominator=20),
    category=st.none() | st.sampled_from(("A", "B")),
)
def test_a_counted_part_found_by_its_amount_is_the_part_made(
    amount: Fraction, category: str | None
) -> None:
    """``_counted_part`` (kept by the amount's identity) gives the part ``_part`` makes."""
    for _ in range(2):
        found = cycle._counted_part(amount, category)
        assert found == cycle._part("counted", amount, category, None)
        assert (
            found.model_fields_set
            == cycle._part("counted", amount, category, None).model_fields_set
        )
