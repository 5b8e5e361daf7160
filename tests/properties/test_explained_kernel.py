"""Explanations read from the verdict kernel are exactly those of the full cycle evaluation.

Where the kernel decides a cycle on its own, the explained evaluation reads every
activity's story from the kernel's amounts (``_explained_by_kernel`` in
:mod:`cperules._engine.cycle`) instead of screening, allocating and reading the
allocation. Here every evaluation is made twice, with the kernel and with it switched
off, and the two must be equal in every field, in their data (``to_dict``: the same
decimal strings), in what they still need (``remaining``, planned on the entries the
kernel's reading keeps) and in their text: on generated policies, on ledgers of the
kernel's shape for every bundled entry it serves with declared categories (most of their
cycles are read from the kernel), on CISSP-shaped ledgers rich in capped, carried and
grace-window credit, and on PMP ledgers of activities split between areas or eligible for
two of them (read by share: :mod:`cperules._engine.shares`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from budgets import GENERATED, budget
from generated import Case, generated_cases
from hypothesis import given, settings
from hypothesis import strategies as st
from kernel_switch import DUE, EARNED, SERVED, cissp_ledgers, with_and_without

from cperules import Activity, Holding, Ledger, catalog, evaluate, verdict
from cperules._engine import cycle as cycle_module
from cperules._engine import kernel
from cperules._engine.allocation import Allocation, Matcher, allocate, memberships
from cperules._engine.allocation_flow import allocate_by_areas
from cperules.cycles import CalendarCycle, Grace, RollingCycle, Suspension
from cperules.policy import CategoryNode, Certification, PolicyVersion
from cperules.results import Evaluation
from cperules.rules import Cap, Carryover, Minimum
from cperules.selectors import category


def _both(holding: Holding, ledger: Ledger, as_of: dt.date) -> tuple[object, object]:
    """The evaluation (or the error code) with the kernel, and with it off."""
    return with_and_without(evaluate, holding, ledger, as_of)


def _same(with_kernel: object, without: object) -> None:
    if isinstance(with_kernel, Evaluation) and isinstance(without, Evaluation):
        assert with_kernel.to_dict() == without.to_dict()
        assert with_kernel == without
        assert str(with_kernel) == str(without)
        assert with_kernel.remaining() == without.remaining()
    else:
        assert with_kernel == without


@contextlib.contextmanager
def _kernel_reads() -> Iterator[list[bool]]:
    """Whether each cycle explained inside the block was read from the kernel, in order."""
    read: list[bool] = []
    real = cycle_module._explained_by_kernel

    def counting(*args: object) -> object:
        found = real(*args)  # type: ignore[arg-type]
        read.append(found is not None)
        return found

    with mock.patch.object(cycle_module, "_explained_by_kernel", counting):
        yield read


@settings(max_examples=GENERATED)
@given(generated_cases())
def test_kernel_explanations_agree_with_the_full_evaluation_on_generated_policies(
    case: Case,
) -> None:
    _same(*_both(*case))


@st.composite
def _simple_cases(draw: st.DrawFn, entry: str) -> tuple[Holding, Ledger, dt.date]:
    """A holding of ``entry`` and a ledger of the kernel's shape: each activity of one of
    the version's declared categories, with credit, over its first cycles and their grace
    windows."""
    certification = catalog.get(entry)
    version = next(v for v in certification.versions if kernel.kernel_ready(v))
    codes = sorted(version.category_paths())
    earned = version.effective_from + dt.timedelta(days=draw(st.integers(0, 3 * 366)))
    holding = Holding(certification=certification, earned=earned)
    activities = [
        Activity(
            id=f"a{n:02d}",
            title="Course",
            completed=earned + dt.timedelta(days=draw(st.integers(0, 5 * 366))),
            credits=Decimal(draw(st.integers(1, 80))) / 4,
            category=draw(st.sampled_from(codes)),
        )
        for n in range(draw(st.integers(1, 40)))
    ]
    as_of = earned + dt.timedelta(days=draw(st.integers(0, 6 * 366)))
    return holding, Ledger(activities), as_of


DECLARING = tuple(
    entry
    for entry in SERVED
    if any(
        kernel.kernel_ready(version) and version.category_paths()
        for version in catalog.get(entry).versions
    )
)
"""Bundled entries the kernel serves with a version that declares categories."""


@pytest.mark.parametrize("entry", DECLARING)
@settings(max_examples=10)
@given(data=st.data())
def test_kernel_explanations_agree_with_the_full_evaluation_on_simple_ledgers(
    entry: str, data: st.DataObject
) -> None:
    _same(*_both(*data.draw(_simple_cases(entry))))


@given(
    ledger=cissp_ledgers(size=40, quarters=(1, 80), places=("cycle", "cycle", "window", "grace")),
    as_of=st.dates(DUE - dt.timedelta(days=30), dt.date(2029, 6, 30)),
    scale=st.sampled_from((1, 3, 5)),
)
def test_kernel_explanations_of_cissp_agree_with_the_full_evaluation(
    ledger: Ledger, as_of: dt.date, scale: int
) -> None:
    # Scaling credit moves ledgers between short, cured in grace and carrying over.
    scaled = Ledger(
        [a.model_copy(update={"credits": (a.credits or Decimal(0)) * scale}) for a in ledger]
    )
    _same(*_both(Holding(certification="isc2/cissp", earned=EARNED), scaled, as_of))


def _cissp_ledger(*claims: tuple[str, dt.date, int, str]) -> Ledger:
    """A ledger of one activity per claim: its id (its title upper-cased), day, credits
    and category."""
    return Ledger(
        Activity(id=id_, title=id_.upper(), completed=day, credits=Decimal(credits), category=code)
        for id_, day, credits, code in claims
    )


def test_the_kernel_explains_capped_carried_and_cured_credit() -> None:
    """A CISSP ledger whose first cycle caps Group B and is cured in the grace window, and
    one that carries part of its last Group A credit out (40 of 50, the carryover's cap):
    each cycle is read from the kernel, and agrees."""
    cured = _cissp_ledger(
        ("a", dt.date(2024, 1, 5), 80, "A"),
        ("b", dt.date(2024, 2, 5), 35, "B"),
        ("g", dt.date(2026, 3, 20), 15, "A"),
    )
    carried = _cissp_ledger(
        ("a", dt.date(2024, 1, 5), 100, "A"),
        ("b", dt.date(2024, 2, 5), 30, "B"),
        ("w", dt.date(2026, 1, 5), 50, "A"),
    )
    holding = Holding(certification="isc2/cissp", earned=EARNED)
    with _kernel_reads() as read:
        first = evaluate(holding, cured, as_of=dt.date(2026, 4, 1))
        second = evaluate(holding, carried, as_of=dt.date(2026, 4, 1))
    assert read == [True, True, True, True]
    parts = {o.activity_id: [p.reason for p in o.parts] for o in first.cycles[0].activities}
    assert parts == {"a": ["counted"], "b": ["counted", "capped"], "g": ["counted"]}
    assert [p.reason for p in second.cycles[0].activities[-1].parts] == ["counted", "carried-out"]
    _same(*_both(holding, cured, dt.date(2026, 4, 1)))
    _same(*_both(holding, carried, dt.date(2026, 4, 1)))


_PMP_AREAS = ("ways-of-working", "power-skills", "business-acumen")


def _pmp_claim(
    draw: st.DrawFn,
    activity_id: str,
    completed: dt.date,
    credits: Decimal,
    categories: dict[str, tuple[str, ...]],
) -> Activity:
    """A PMP activity of a drawn shape: eligible for two areas, split between two, or
    filed under one category of a drawn kind (``categories``: each kind's)."""
    shape = draw(st.sampled_from(("eligible", "split", *categories)))
    where: dict[str, object]
    if shape == "eligible":
        where = {"eligible": tuple(sorted(draw(st.permutations(_PMP_AREAS))[:2]))}
    elif shape == "split" and credits > Decimal("0.25"):
        first, second = draw(st.permutations(_PMP_AREAS))[:2]
        part = Decimal(draw(st.integers(1, int(credits * 4) - 1))) / 4
        where = {"split": {first: part, second: credits - part}}
    else:
        kind = shape if shape in categories else next(iter(categories))
        where = {"category": draw(st.sampled_from(categories[kind]))}
    return Activity.model_validate(
        {"id": activity_id, "title": "T", "completed": completed, "credits": credits, **where}
    )


def _after_the_cycle(draw: st.DrawFn, most: int, categories: tuple[str, ...]) -> list[Activity]:
    """Up to ``most`` activities of ``categories`` after PMP's first cycle."""
    return [
        Activity(
            id=f"q{n}",
            title="T",
            completed=draw(st.dates(DUE + dt.timedelta(days=1), dt.date(2029, 2, 1))),
            credits=Decimal(draw(st.integers(1, 40))) / 4,
            category=draw(st.sampled_from(categories)),
        )
        for n in range(draw(st.integers(0, most)))
    ]


@st.composite
def _pmp_mixed_ledgers(draw: st.DrawFn) -> Ledger:
    """PMP ledgers whose first cycle has activities eligible for two areas or split
    between them (read by share where the areas leave the kernel the allocation's
    answer), and whose second cycle has simple ones."""
    activities = [
        _pmp_claim(
            draw,
            f"p{n}",
            draw(st.dates(EARNED, DUE)),
            Decimal(draw(st.integers(2, 48))) / 4,
            {"category": (*_PMP_AREAS, "volunteer")},
        )
        for n in range(draw(st.integers(4, 24)))
    ]
    activities += _after_the_cycle(draw, 6, (*_PMP_AREAS, "create-content"))
    return Ledger(activities)


@given(ledger=_pmp_mixed_ledgers(), as_of=st.dates(DUE, dt.date(2029, 3, 1)))
def test_a_cycle_of_simple_activities_is_read_from_the_kernel_in_any_ledger(
    ledger: Ledger, as_of: dt.date
) -> None:
    """The kernel reads a cycle whose own and grace-window activities are simple, whatever
    the rest of the ledger (here PMP's first cycle, of activities eligible for two areas or
    split between them, and its carried credit): the same explanation as the full path."""
    _same(*_both(Holding(certification="pmi/pmp", earned=EARNED), ledger, as_of))


def test_the_kernel_reads_the_simple_cycle_of_a_ledger_that_is_not_simple() -> None:
    """PMP's first cycle has an activity eligible for two areas and nothing else: no
    option serves business acumen, which stays short whatever the options (the full path
    decides it); the second has simple activities only, and is read from the kernel."""
    ledger = Ledger(
        [
            Activity(
                id="e",
                title="E",
                completed=dt.date(2024, 1, 5),
                credits=Decimal(20),
                eligible=("power-skills", "ways-of-working"),
            ),
            Activity(
                id="s",
                title="S",
                completed=dt.date(2026, 6, 5),
                credits=Decimal(10),
                category="business-acumen",
            ),
        ]
    )
    holding = Holding(certification="pmi/pmp", earned=EARNED)
    with _kernel_reads() as read:
        evaluated = evaluate(holding, ledger, as_of=dt.date(2026, 7, 1))
    assert read == [False, True]
    assert [o.activity_id for o in evaluated.cycles[1].activities] == ["s"]
    _same(*_both(holding, ledger, dt.date(2026, 7, 1)))


def _pmp_activity(activity_id: str, day: dt.date, credits: int, **where: object) -> Activity:
    return Activity.model_validate(
        {"id": activity_id, "title": "T", "completed": day, "credits": credits, **where}
    )


def _read_from_the_kernel(ledger: Ledger) -> Evaluation:
    """PMP's evaluation of ``ledger`` on 2026-03-15: its first cycle read from the kernel,
    and the same as the full path's."""
    holding = Holding(certification="pmi/pmp", earned=EARNED)
    with _kernel_reads() as read:
        evaluated = evaluate(holding, ledger, as_of=dt.date(2026, 3, 15))
    assert read[0] is True
    _same(*_both(holding, ledger, dt.date(2026, 3, 15)))
    return evaluated


def test_the_kernel_reads_split_and_eligible_activities_in_their_first_options() -> None:
    """Every Talent Triangle area is met with each eligible activity in its first option
    and nothing carries: the kernel reads PMP's first cycle, each share of the split
    activity a part of its one outcome."""
    day = dt.date(2024, 1, 5)
    ledger = Ledger(
        [
            _pmp_activity("a", day, 12, category="ways-of-working"),
            _pmp_activity("b", day, 12, split={"power-skills": 9, "business-acumen": 3}),
            _pmp_activity("c", day, 10, eligible=("business-acumen", "power-skills")),
            _pmp_activity("d", day, 20, category="volunteer"),
        ]
    )
    split = _read_from_the_kernel(ledger).cycles[0].activities[1]
    assert [(p.reason, p.category, p.credits) for p in split.parts] == [
        ("counted", "business-acumen", Decimal(3)),
        ("counted", "power-skills", Decimal(9)),
    ]
    assert (split.activity_id, split.claimed) == ("b", Decimal(12))


def test_the_kernel_moves_eligible_credit_where_an_area_needs_it() -> None:
    """Ways of working has nothing of its own: 8 of the activity eligible for it and power
    skills moves there (the least that meets it), the rest stays in its first option, as
    the allocation places it; and the latest credit carries out, every area still met."""
    ledger = Ledger(
        [
            _pmp_activity(
                "a", dt.date(2024, 1, 5), 20, eligible=("power-skills", "ways-of-working")
            ),
            _pmp_activity("b", dt.date(2024, 2, 5), 10, category="business-acumen"),
            _pmp_activity("c", dt.date(2024, 3, 5), 25, category="volunteer"),
            _pmp_activity("d", dt.date(2025, 12, 5), 10, category="power-skills"),
        ]
    )
    first = _read_from_the_kernel(ledger).cycles[0]
    moved, latest = first.activities[0], first.activities[-1]
    assert [(p.reason, p.category, p.credits) for p in moved.parts] == [
        ("counted", "power-skills", Decimal(12)),
        ("counted", "ways-of-working", Decimal(8)),
    ]
    assert [(p.reason, p.credits) for p in latest.parts] == [
        ("counted", Decimal(5)),
        ("carried-out", Decimal(5)),
    ]
    assert first.status == "compliant"


def test_the_kernel_carries_less_where_the_most_would_leave_an_area_short() -> None:
    """Ways of working's own credit is final-year credit that may carry: carrying all of it
    (what the total and education spare) would leave that area 4 short even with the
    activity eligible for it moved there, though the credit counted meets every area. So
    less carries, the most that keeps every area met (15 of 19, the allocation's choice
    within Hall's limits), and the eligible activity counts in ways of working."""
    ledger = Ledger(
        [
            _pmp_activity("a", dt.date(2023, 6, 1), 8, category="power-skills"),
            _pmp_activity("b", dt.date(2023, 7, 1), 8, category="business-acumen"),
            _pmp_activity("c", dt.date(2023, 8, 1), 25, category="volunteer"),
            _pmp_activity("d", dt.date(2023, 9, 1), 20, category="power-skills"),
            _pmp_activity(
                "e", dt.date(2023, 10, 1), 4, eligible=("power-skills", "ways-of-working")
            ),
            _pmp_activity("w", dt.date(2025, 12, 1), 19, category="ways-of-working"),
        ]
    )
    first = _read_from_the_kernel(ledger).cycles[0]
    eligible, latest = first.activities[-2], first.activities[-1]
    assert [(p.reason, p.category, p.credits) for p in eligible.parts] == [
        ("counted", "ways-of-working", Decimal(4))
    ]
    assert [(p.reason, p.credits) for p in latest.parts] == [
        ("counted", Decimal(4)),
        ("carried-out", Decimal(15)),
    ]
    assert first.requirement("ways-of-working").shortfall == 0


def test_an_own_claim_carried_back_into_its_cycle_is_told_once() -> None:
    """Rolling cycles whose periods overlap: credit of an own claim carries out to a cycle
    whose period holds the claim too. Its story there is one outcome (own claim, then the
    credit carried in), as the full path tells it: the kernel leaves that cycle to it."""
    cycle = RollingCycle(
        grace=Grace(days=90, earning="allowed", after=Suspension(months=24)),
        every_months=12,
        window_months=13,
        checkpoint_month=3,
    )
    categories = (CategoryNode(code="A"), CategoryNode(code="B"))
    certification = Certification(
        id="test/overlap",
        name="Overlapping cycles",
        body="Test body",
        unit="CPE",
        versions=(
            PolicyVersion(
                effective_from=dt.date(2021, 2, 21), cycle=cycle, categories=categories,
                carryover=Carryover(),
            ),
        ),
    )  # fmt: skip
    holding = Holding(certification=certification, earned=dt.date(2021, 6, 27))
    ledger = Ledger(
        [
            Activity(id=f"a{n}", title="T", completed=day, credits=Decimal(1), category="A")
            for n, day in enumerate(
                (dt.date(2021, 6, 27), dt.date(2021, 6, 27), dt.date(2023, 3, 31))
            )
        ]
    )
    _same(*_both(holding, ledger, dt.date(2023, 4, 1)))


@st.composite
def _pmp_giving_back_ledgers(draw: st.DrawFn) -> Ledger:
    """PMP first cycles of eligible, split and area credit with much giving back, some
    of it in the carry window: the giving-back cap often binds over credit that may carry."""
    activities = list(draw(_pmp_mixed_ledgers()))
    for n in range(draw(st.integers(0, 8))):
        activities.append(
            _pmp_activity(
                f"g{n}",
                draw(st.dates(EARNED, DUE)),
                draw(st.integers(1, 12)),
                category=draw(st.sampled_from(("volunteer", "create-content"))),
            )
        )
    return Ledger(activities)


@given(ledger=_pmp_giving_back_ledgers(), explain=st.booleans())
def test_the_kernel_skips_the_first_options_only_where_they_find_no_answer(
    ledger: Ledger, explain: bool
) -> None:
    """Where the kernel leaves a cycle of eligible activities to the full path because the
    caps leave a choice, it tells the allocation the first options' direct path finds no
    answer either (``Areas.unsettled``): that path, run anyway, finds none; and the
    evaluation is the same as with the kernel off."""

    def checking(*args: Any, by_areas: bool = True, **kwargs: Any) -> Allocation:
        if not by_areas:
            entries, requirements, limits, carryover = args
            match = Matcher()
            placed = memberships(entries, requirements, limits, carryover, match)
            found = allocate_by_areas(
                entries, requirements, limits, carryover, match, placed=placed
            )
            assert found is None
        return allocate(*args, by_areas=by_areas, **kwargs)

    holding = Holding(certification="pmi/pmp", earned=EARNED)
    run = evaluate if explain else verdict
    with mock.patch.object(cycle_module, "allocate", checking):
        with_kernel, without = with_and_without(run, holding, ledger, dt.date(2026, 3, 15))
    if explain:
        _same(with_kernel, without)
    else:
        assert with_kernel == without


_GIVING_BACK = ("volunteer", "create-content", "give-presentation", "working-as-a-practitioner")
_FINAL_YEAR = dt.date(2025, 3, 1)


@st.composite
def _pmp_capped_ledgers(draw: st.DrawFn) -> Ledger:
    """PMP first cycles where giving back often exceeds its cap, some of it in the final
    year (where it may carry), alongside area, eligible and split credit, with sometimes
    enough earlier area credit that the total never limits what carries."""
    activities = []
    for n in range(draw(st.integers(2, 40))):
        credits = Decimal(draw(st.integers(1, 40))) / 4
        if draw(st.integers(0, 3)) == 0:
            day = draw(st.dates(_FINAL_YEAR, DUE))
        else:
            day = draw(st.dates(EARNED, DUE))
        kinds = {"giving-back": _GIVING_BACK, "area": _PMP_AREAS}
        activities.append(_pmp_claim(draw, f"p{n}", day, credits, kinds))
    for n in range(draw(st.integers(0, 8))):
        activities.append(
            Activity(
                id=f"e{n}",
                title="T",
                completed=draw(st.dates(EARNED, _FINAL_YEAR - dt.timedelta(days=1))),
                credits=Decimal(draw(st.integers(16, 60))) / 4,
                category=draw(st.sampled_from(_PMP_AREAS)),
            )
        )
    activities += _after_the_cycle(draw, 4, (*_PMP_AREAS, *_GIVING_BACK))
    return Ledger(activities)


@settings(max_examples=budget(300))
@given(ledger=_pmp_capped_ledgers(), as_of=st.dates(DUE, dt.date(2029, 3, 1)))
def test_the_kernel_decides_a_cap_binding_over_credit_that_may_carry(
    ledger: Ledger, as_of: dt.date
) -> None:
    """PMP's giving-back cap binds over final-year credit that may carry and earlier
    credit (and working as a practitioner, capped inside it): where the minimums never
    limit what carries, the kernel decides it (``_capped_carrying``); its explanation and
    verdict are the full path's, which the flow decides."""
    holding = Holding(certification="pmi/pmp", earned=EARNED)
    _same(*_both(holding, ledger, as_of))
    with_kernel, without = with_and_without(verdict, holding, ledger, as_of)
    assert with_kernel == without


def test_the_kernel_carries_the_latest_capped_credit_and_keeps_the_earliest() -> None:
    """Giving back of 40 PDUs, 25 counted: 15 of the final year carry (all of it: the most
    carried), the other 10 of the bound are kept earliest first, within the 8 of working
    as a practitioner; the rest is capped, as the allocation's flow decides."""
    final = dt.date(2025, 6, 1)
    ledger = Ledger(
        [
            *(
                _pmp_activity(f"a{n}", dt.date(2023, 6, 1 + n), 12, category=area)
                for n, area in enumerate(_PMP_AREAS * 2)
            ),
            _pmp_activity("p", dt.date(2023, 7, 1), 6, category="working-as-a-practitioner"),
            _pmp_activity("v", dt.date(2023, 8, 1), 6, category="volunteer"),
            _pmp_activity("w", dt.date(2023, 9, 1), 4, category="working-as-a-practitioner"),
            _pmp_activity("x", dt.date(2024, 1, 1), 9, category="create-content"),
            _pmp_activity("f", final, 10, category="volunteer"),
            _pmp_activity("g", final + dt.timedelta(days=30), 5, category="give-presentation"),
        ]
    )
    with mock.patch.object(kernel, "_capped_carrying", wraps=kernel._capped_carrying) as spy:
        first = _read_from_the_kernel(ledger).cycles[0]
    assert spy.call_count >= 1
    told = {o.activity_id: [(p.reason, p.credits) for p in o.parts] for o in first.activities}
    assert told["p"] == [("counted", Decimal(6))]
    assert told["v"] == [("counted", Decimal(4)), ("capped", Decimal(2))]
    assert told["w"] == [("capped", Decimal(4))]
    assert told["x"] == [("capped", Decimal(9))]
    assert told["f"] == [("carried-out", Decimal(10))]
    assert told["g"] == [("carried-out", Decimal(5))]


def test_the_kernel_carries_only_the_latest_credit_up_to_the_cap() -> None:
    """Final-year giving back beyond the cap: its latest 25 PDUs carry, nothing else of
    giving back counts (carrying them is the most carried), as the flow decides."""
    ledger = Ledger(
        [
            *(
                _pmp_activity(f"a{n}", dt.date(2023, 6, 1 + n), 12, category=area)
                for n, area in enumerate(_PMP_AREAS * 2)
            ),
            _pmp_activity("early", dt.date(2023, 9, 1), 5, category="volunteer"),
            *(
                _pmp_activity(f"f{n}", dt.date(2025, 6, 1 + n), 7, category="volunteer")
                for n in range(4)
            ),
        ]
    )
    first = _read_from_the_kernel(ledger).cycles[0]
    told = {o.activity_id: [(p.reason, p.credits) for p in o.parts] for o in first.activities}
    assert told["early"] == [("capped", Decimal(5))]
    assert told["f0"] == [("carried-out", Decimal(4)), ("capped", Decimal(3))]
    assert [told[f"f{n}"] for n in (1, 2, 3)] == [[("carried-out", Decimal(7))]] * 3


@st.composite
def _capped_carrying_cases(draw: st.DrawFn) -> tuple[Holding, Ledger, dt.date]:
    """A two-year policy of core credit and service credit: service capped (its bound
    drawn), practice capped inside it and never carrying, mentoring and core carrying
    from a drawn window at the end of the cycle, with or without a carryover cap; ledgers
    of quarter credits over two cycles."""
    service, practice = draw(st.integers(2, 16)), draw(st.integers(1, 6))
    version = PolicyVersion(
        effective_from=dt.date(2020, 1, 1),
        cycle=CalendarCycle(years=2),
        categories=(
            CategoryNode(code="core"),
            CategoryNode(
                code="service",
                children=(CategoryNode(code="mentoring"), CategoryNode(code="practice")),
            ),
        ),
        rules=(
            Minimum(id="total", credits=Decimal(draw(st.integers(4, 24)))),
            Minimum(id="core", credits=Decimal(draw(st.integers(1, 8))), selector=category("core")),
            Cap(id="service", credits=Decimal(service), selector=category("service")),
            Cap(id="practice", credits=Decimal(practice), selector=category("practice")),
        ),
        carryover=Carryover(
            selector=category("core", "mentoring"),
            window_months=draw(st.sampled_from((None, 6, 12))),
            cap=draw(st.sampled_from((None, Decimal(5), Decimal(30)))),
            lands="next-cycle",
        ),
    )
    certification = Certification(
        id="test/capped-carry", name="Capped carry", body="Test", unit="hour", versions=(version,)
    )
    earned = dt.date(2021, 1, 1)
    activities = [
        Activity(
            id=f"a{n}",
            title="T",
            completed=draw(st.dates(earned, dt.date(2024, 12, 31))),
            credits=Decimal(draw(st.integers(1, 24))) / 4,
            category=draw(st.sampled_from(("core", "mentoring", "mentoring", "practice"))),
        )
        for n in range(draw(st.integers(1, 24)))
    ]
    as_of = draw(st.dates(dt.date(2022, 12, 31), dt.date(2025, 1, 31)))
    return Holding(certification=certification, earned=earned), Ledger(activities), as_of


@settings(max_examples=budget(300))
@given(_capped_carrying_cases())
def test_a_cap_binding_over_credit_that_may_carry_is_read_alike_on_any_bounds(
    case: tuple[Holding, Ledger, dt.date],
) -> None:
    """The kernel's reading of a cap binding over credit that may carry
    (``_capped_carrying``), under any bounds, carry window and carryover cap: the same
    explanation and verdict as the full path."""
    _same(*_both(*case))
    with_kernel, without = with_and_without(verdict, *case)
    assert with_kernel == without
