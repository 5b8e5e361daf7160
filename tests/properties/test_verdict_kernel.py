"""The verdict kernel gives exactly the verdict of the full cycle evaluation.

The kernel (:mod:`cperules._engine.kernel`) answers a cycle's verdict from credit totals
where the policy and the ledger have its shape, and leaves every other cycle to the full
evaluation. Here every verdict is computed twice, with the kernel and with it switched
off, and the two must be equal in every field and in their data (``to_dict``: the same
decimal strings), on generated policies, on the bundled entries it serves, on
CISSP-shaped ledgers rich in grace-window credit (the cure it chooses directly), and on
PMP-shaped ones (credit carried after a cure, Giving Back's cap over credit that may carry).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from budgets import GENERATED, budget
from generated import Case, generated_cases
from hypothesis import example, given, settings
from hypothesis import strategies as st
from kernel_switch import DUE, EARNED, SERVED, cissp_ledgers, kernel_off, with_and_without

from cperules import Activity, Holding, Ledger, catalog, evaluate, verdict
from cperules._engine import allocation, grace_cure, kernel
from cperules._engine import cycle as cycle_module
from cperules.credits import exact, to_decimal
from cperules.testing.strategies import holdings, ledgers_for
from cperules.verdicts import Verdict


def _both(holding: Holding, ledger: Ledger, as_of: dt.date) -> tuple[object, object]:
    """The verdict (or the error code) with the kernel, and with it off."""
    return with_and_without(verdict, holding, ledger, as_of)


def _same(with_kernel: object, without: object) -> None:
    if isinstance(with_kernel, Verdict) and isinstance(without, Verdict):
        assert with_kernel.to_dict() == without.to_dict()
        assert with_kernel == without
    else:
        assert with_kernel == without


@settings(max_examples=GENERATED)
@given(generated_cases())
def test_the_kernel_agrees_with_the_full_evaluation_on_generated_policies(case: Case) -> None:
    _same(*_both(*case))


PER_ENTRY = 15
"""Examples per bundled entry: over 150 entries, some 2,300 in all whatever the profile
(the generated-policies property above takes ``budgets.GENERATED``)."""


def test_the_kernel_serves_bundled_entries() -> None:
    assert "isc2/cissp" in SERVED
    assert len(SERVED) >= 10


@pytest.mark.parametrize("entry", SERVED)
@settings(max_examples=PER_ENTRY)
@given(data=st.data())
def test_the_kernel_agrees_with_the_full_evaluation_on_bundled_entries(
    entry: str, data: st.DataObject
) -> None:
    certification = catalog.get(entry)
    holding = data.draw(holdings(certification=certification))
    ledger = data.draw(ledgers_for(certification, holding))
    as_of = holding.earned + dt.timedelta(days=data.draw(st.integers(0, 7 * 366)))
    _same(*_both(holding, ledger, as_of))


@given(
    ledger=cissp_ledgers(size=30, quarters=(0, 60)),
    as_of=st.dates(DUE - dt.timedelta(days=30), DUE + dt.timedelta(days=200)),
    scale=st.sampled_from((1, 3, 5)),
)
def test_the_kernel_cures_cissp_as_the_full_evaluation_does(
    ledger: Ledger, as_of: dt.date, scale: int
) -> None:
    # Scaling credit moves ledgers between short, cured in grace and carrying over.
    scaled = Ledger(
        [a.model_copy(update={"credits": (a.credits or Decimal(0)) * scale}) for a in ledger]
    )
    holding = Holding(certification="isc2/cissp", earned=EARNED)
    with_kernel, without = _both(holding, scaled, as_of)
    _same(with_kernel, without)
    explained = evaluate(holding, scaled, as_of=as_of)
    assert isinstance(with_kernel, Verdict)
    assert with_kernel.status == explained.status
    assert with_kernel.next_deadlines() == explained.next_deadlines()


def test_a_cissp_cure_is_chosen_by_the_kernel() -> None:
    """Both cycles of a ledger cured in the grace window come from the kernel."""
    ledger = Ledger(
        [
            Activity(
                id="a", title="A", completed=dt.date(2024, 1, 5), credits=Decimal(80), category="A"
            ),
            Activity(
                id="b", title="B", completed=dt.date(2024, 2, 5), credits=Decimal(35), category="B"
            ),
            Activity(
                id="g1",
                title="G1",
                completed=dt.date(2026, 3, 10),
                credits=Decimal(4),
                category="B",
            ),
            Activity(
                id="g2",
                title="G2",
                completed=dt.date(2026, 3, 20),
                credits=Decimal(15),
                category="A",
            ),
        ]
    )
    holding = Holding(certification="isc2/cissp", earned=EARNED)
    answered: list[bool] = []
    real = kernel.kernel_decide

    def counting(*args: object, **kwargs: object) -> object:
        found = real(*args, **kwargs)  # type: ignore[arg-type]
        answered.append(found is not None)
        return found

    with mock.patch.object(cycle_module, "kernel_decide", counting):
        judged = verdict(holding, ledger, as_of=dt.date(2026, 4, 1))
    assert answered == [True, True]
    first = judged.cycles[0]
    # Group A short 10, total short 10 (B capped at 30): the 15 of Group A cures both
    # with 10; the earlier Group B activity cannot help Group A, so it is not used.
    assert first.status == "compliant"
    assert first.grace_counted == Decimal(10)
    assert judged.cycles[1].counted == Decimal(9)
    _same(*_both(holding, ledger, dt.date(2026, 4, 1)))


@settings(max_examples=2 * settings().max_examples)  # each of its two kinds of decimal
@given(
    st.one_of(
        st.decimals(min_value=0, max_value=10**9, allow_nan=False, allow_infinity=False, places=6),
        st.builds(
            lambda digits, exponent, negative: Decimal((negative, digits, exponent)),
            st.lists(st.integers(0, 9), min_size=1, max_size=12).map(tuple),
            st.integers(-8, 4),
            st.booleans(),
        ),
    )
)
def test_plain_decimals_are_written_as_the_full_path_writes_them(value: Decimal) -> None:
    """Amounts of up to six places, and decimals written any way (trailing zeros,
    exponents, negative zero): written as the full path writes them (those written plain
    already come back as they are)."""
    written = kernel.plain(value)
    expected = to_decimal(exact(value))
    assert written == expected
    assert str(written) == str(expected)


PMP_EARNED = dt.date(2022, 6, 1)
PMP_DUE = dt.date(2025, 5, 31)
PMP_CATEGORIES = (
    "ways-of-working",
    "power-skills",
    "business-acumen",
    "working-as-a-practitioner",
    "volunteer",
)


@st.composite
def _pmp_ledgers(draw: st.DrawFn) -> Ledger:
    """Ledgers around PMP's first cycle end, in the shapes the kernel must answer.

    Credit of the cycle's last year (which may carry), in the grace window (which may
    cure a cycle short) and of Giving Back (capped at 25, over kinds of which one may
    carry): short cycles cured with credit to carry, Giving Back pooled with nothing to
    spare, and their neighbours the kernel leaves to the full path.
    """
    size = draw(st.integers(1, 24))
    # A few categories and times a ledger: Giving Back alone binds its cap, no grace-window
    # credit leaves a short cycle as it is.
    categories = draw(st.lists(st.sampled_from(PMP_CATEGORIES), min_size=1, max_size=5))
    times = draw(st.lists(st.sampled_from(("early", "last-year", "grace")), min_size=1))
    last_year = PMP_DUE - dt.timedelta(days=364)
    activities = []
    for n in range(size):
        when = draw(st.sampled_from(times))
        if when == "early":
            day = PMP_EARNED + dt.timedelta(
                days=draw(st.integers(0, (last_year - PMP_EARNED).days))
            )
        elif when == "last-year":
            day = last_year + dt.timedelta(days=draw(st.integers(0, 364)))
        else:
            day = PMP_DUE + dt.timedelta(days=draw(st.integers(1, 365)))
        activities.append(
            Activity(
                id=f"a{n:02d}",
                title="Course",
                completed=day,
                credits=Decimal(draw(st.integers(0, 48))) / 2,
                category=draw(st.sampled_from(categories)),
            )
        )
    return Ledger(activities)


def _pmp_ledger(*rows: tuple[dt.date, int, str]) -> Ledger:
    """A PMP ledger of (day, credits, category) rows."""
    return Ledger(
        [
            Activity(
                id=f"a{n:02d}",
                title="Course",
                completed=day,
                credits=Decimal(credits),
                category=code,
            )
            for n, (day, credits, code) in enumerate(rows)
        ]
    )


_EARLY = PMP_EARNED + dt.timedelta(days=100)
_LAST_YEAR = PMP_DUE - dt.timedelta(days=100)
_GRACE = PMP_DUE + dt.timedelta(days=30)

_CURED_THEN_CARRIED = _pmp_ledger(
    (_EARLY, 40, "power-skills"),
    (_EARLY, 10, "business-acumen"),
    (_EARLY, 10, "volunteer"),
    (_LAST_YEAR, 10, "power-skills"),
    (_LAST_YEAR, 2, "ways-of-working"),
    (_GRACE, 10, "ways-of-working"),
)
"""Short of Ways of Working only (by 6), cured in the grace window; the last year's
Power Skills credit, clear of the shortfall, carries out what the total spares."""

_GIVING_BACK_POOLED = _pmp_ledger(
    (_EARLY, 20, "volunteer"),
    (_LAST_YEAR, 10, "volunteer"),
    (_EARLY, 5, "working-as-a-practitioner"),
)
"""Giving Back's cap binds over volunteering (of the last year: may carry) and practice;
the total is short, so none of it can carry."""

_GIVING_BACK_SHARED = _pmp_ledger(
    (_EARLY, 9, "ways-of-working"),
    (_EARLY, 9, "power-skills"),
    (_EARLY, 9, "business-acumen"),
    (_EARLY, 23, "volunteer"),
    (_GRACE, 4, "volunteer"),
    (_GRACE + dt.timedelta(days=10), 4, "working-as-a-practitioner"),
    (_GRACE + dt.timedelta(days=20), 3, "ways-of-working"),
)
"""Short 10 in all and 8 of Education; in the grace window, volunteering and practice
share the 2 Giving Back still admits (volunteering, the earlier, takes both), Ways of
Working gives 3: the cycle stays short 5 of each."""


def test_the_kernel_answers_pmp_cures_and_pooled_caps_as_the_full_evaluation_does() -> None:
    """PMP ledgers: the kernel's verdict is the full path's, and it answers the new shapes.

    Counted: cycles cured in the grace window whose own credit carries out after the
    cure, and cycles where Giving Back's cap pools credit that may carry (both answered
    by the kernel, not left to the full path).
    """
    answered: Counter[str] = Counter()
    real_carry = kernel._carried_after_cure
    real_admitted = kernel._admitted
    real_cure = grace_cure.cure_by_kind
    real_capped = grace_cure._Rooms.capped
    shared_rooms: list[object] = []

    def carry_counted(*args: Any, **kwargs: Any) -> Any:
        found = real_carry(*args, **kwargs)
        if found is not None and found[1]:
            answered["carried after a cure"] += 1
        return found

    def cure_counted(*args: Any, **kwargs: Any) -> Any:
        found = real_cure(*args, **kwargs)
        if found is not None and found.used and shared_rooms:
            answered["a cap's room shared by kinds"] += 1
        shared_rooms.clear()
        return found

    def capped_counted(rooms: Any, earned: Any) -> Any:
        shared_rooms.append(rooms)
        return real_capped(rooms, earned)

    def admitted_counted(*args: Any, **kwargs: Any) -> Any:
        found = real_admitted(*args, **kwargs)
        if found is not None and found.carrying_pooled:
            answered["pooled credit that may carry"] += 1
        return found

    @settings(max_examples=budget(300), database=None)
    @example(ledger=_CURED_THEN_CARRIED, as_of=PMP_DUE + dt.timedelta(days=200), scale=1)
    @example(ledger=_GIVING_BACK_POOLED, as_of=PMP_DUE + dt.timedelta(days=200), scale=1)
    @example(ledger=_GIVING_BACK_SHARED, as_of=PMP_DUE + dt.timedelta(days=200), scale=1)
    @given(
        ledger=_pmp_ledgers(),
        as_of=st.dates(PMP_DUE + dt.timedelta(days=1), PMP_DUE + dt.timedelta(days=500)),
        scale=st.sampled_from((1, 2, 4)),
    )
    def check(ledger: Ledger, as_of: dt.date, scale: int) -> None:
        scaled = Ledger(
            [a.model_copy(update={"credits": (a.credits or Decimal(0)) * scale}) for a in ledger]
        )
        holding = Holding(certification="pmi/pmp", earned=PMP_EARNED)
        with (
            mock.patch.object(kernel, "_carried_after_cure", carry_counted),
            mock.patch.object(kernel, "_admitted", admitted_counted),
            mock.patch.object(grace_cure, "cure_by_kind", cure_counted),
            mock.patch.object(grace_cure._Rooms, "capped", capped_counted),
        ):
            with_kernel = verdict(holding, scaled, as_of=as_of)
        # The full evaluation with the allocation's own direct cure off too (it shares
        # the cure's code with the kernel): the flow or the program decides.
        with kernel_off(), mock.patch.object(allocation, "_grace_by_chain", return_value=None):
            without = verdict(holding, scaled, as_of=as_of)
        _same(with_kernel, without)

    check()
    assert answered["carried after a cure"] > 0
    assert answered["pooled credit that may carry"] > 0
    assert answered["a cap's room shared by kinds"] > 0


def test_credit_capped_alone_carries_at_most_what_the_cap_counts() -> None:
    """Tennessee 2017: 8.25 distance-learning hours in December under the cap of 8, and
    15.25 in person. 8.25 hours carry, but only 8 of the capped credit counts: the latest
    8 of it carry and 0.25 of the in-person hours (found by the bundled-entries property;
    the kernel once carried all 8.25 capped hours, which the next year's cap then cut)."""
    holding = Holding(certification="cle/tennessee", earned=dt.date(2016, 3, 20))
    ledger = Ledger(
        [
            Activity(
                id="online",
                title="T",
                completed=dt.date(2017, 12, 31),
                credits=Decimal("8.25"),
                delivery="live-online",
            ),
            Activity(
                id="in-person",
                title="T",
                completed=dt.date(2017, 1, 1),
                credits=Decimal("15.25"),
                topics=("ethics-professionalism",),
            ),
        ]
    )
    with_kernel, without = _both(holding, ledger, dt.date(2018, 1, 1))
    _same(with_kernel, without)
    assert isinstance(with_kernel, Verdict)
    assert with_kernel.cycles[-1].counted == Decimal("8.25")
