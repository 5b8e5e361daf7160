"""The explained evaluation's per-evaluation shortcuts give what the plain steps give (issue 16).

What an explained evaluation pays for before (and besides) its activities: a cycle with
nothing to allocate is read without allocating (:func:`cperules._engine.cycle._unallocated`,
its requirements' results kept per plan), lifecycles are kept by what their stages read
(``_history_lifecycles`` in :mod:`cperules._engine.history`), and a simple ledger's
findings are checked per run of a version's days (:func:`cperules.checking.ledger_findings`).
Each is checked against the plain step it replaces, on generated policies and on the
bundled catalog.
"""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal
from fractions import Fraction
from unittest.mock import patch

from budgets import GENERATED
from generated import Case, generated_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from cperules import Activity, Evaluation, Holding, Ledger, catalog, evaluate
from cperules._engine import cycle, history
from cperules._engine.allocation import allocate
from cperules._engine.compiled import Bounded, compiled
from cperules._model import validating
from cperules.checking import ledger_findings
from cperules.cycles import AnniversaryCycle
from cperules.errors import CperulesError
from cperules.policy import CategoryNode, Certification, PolicyVersion
from cperules.results import Finding
from cperules.rules import Minimum


def _evaluated(case: Case) -> Evaluation | tuple[object, ...]:
    """The evaluation of ``case``, or the error it raises (type, code and message)."""
    holding, ledger, as_of = case
    try:
        return evaluate(holding, ledger, as_of=as_of)
    except CperulesError as error:
        return (type(error), error.code, str(error))


def _plain(case: Case) -> Evaluation | tuple[object, ...]:
    """``case`` evaluated with every cycle allocated and every lifecycle worked out anew."""
    with (
        patch.object(cycle, "_nothing_to_allocate", lambda *_: False),
        patch.object(history, "_history_lifecycles", Bounded(0)),
    ):
        return _evaluated(case)


def _same(fast: Evaluation | tuple[object, ...], plain: Evaluation | tuple[object, ...]) -> None:
    assert fast == plain
    if isinstance(fast, Evaluation):
        assert isinstance(plain, Evaluation)
        assert fast.to_dict() == plain.to_dict()
        assert [c.model_fields_set for c in fast.cycles] == [
            c.model_fields_set for c in plain.cycles
        ]


def _simple(ledger: Ledger) -> Ledger:
    """``ledger`` with no activity claimed for a certification in particular."""
    return Ledger(activity.model_copy(update={"claimed_for": ()}) for activity in ledger)


@settings(max_examples=GENERATED)
@given(generated_cases(), st.booleans())
def test_the_fixed_cost_shortcuts_give_what_the_plain_steps_give(case: Case, empty: bool) -> None:
    """Cycles with nothing to allocate, kept lifecycles: the same evaluation as allocating.

    Generated ledgers leave some cycles without credit (and an empty ledger leaves every
    cycle so); evaluated with every cycle allocated and read, and each lifecycle worked
    out anew, the evaluation is the same, field for field and as data. Lifecycles kept
    from earlier examples (other policies, holdings and days) are read by the same key.
    """
    holding, ledger, as_of = case
    if empty:
        ledger = Ledger()
    activities = sorted(ledger, key=lambda activity: (activity.completed, activity.id))
    # The ledger, then its earlier half, then the ledger again: one holding and day.
    for part in (activities, activities[: len(activities) // 2], activities):
        fast = _evaluated((holding, Ledger(part), as_of))
        _same(fast, _plain((holding, Ledger(part), as_of)))


def test_a_lifecycle_is_kept_by_the_day_its_cycle_was_cured() -> None:
    """Ledgers of one holding whose first cycle is cured in grace on different days.

    The cycles' statuses and dates are the same; the stages differ by the day of the
    cure, and each evaluation shows its own.
    """
    holding = Holding(certification="isc2/cissp", earned=dt.date(2023, 3, 1))
    as_of = dt.date(2026, 5, 15)

    def course(activity_id: str, day: dt.date, credits: int) -> Activity:
        return Activity(
            id=activity_id, title="Course", completed=day, credits=Decimal(credits), category="A"
        )

    cures = (dt.date(2026, 3, 10), dt.date(2026, 4, 10), dt.date(2026, 3, 10))
    for cure in cures:
        ledger = Ledger([course("a", dt.date(2025, 1, 1), 100), course("g", cure, 20)])
        fast = _evaluated((holding, ledger, as_of))
        _same(fast, _plain((holding, ledger, as_of)))
        assert isinstance(fast, Evaluation)
        assert [c.status for c in fast.cycles] == ["compliant", "in_progress"]
        assert [(s.standing, s.end) for s in fast.lifecycle][1] == ("grace", cure)


def test_a_cycle_with_credit_carried_in_alone_is_allocated() -> None:
    """A cycle with no activity of its own but credit carried in has something to count."""
    holding = Holding(certification="isc2/cissp", earned=dt.date(2023, 3, 1))
    ledger = Ledger(
        [
            Activity(
                id=f"a{n}",
                title="Course",
                completed=dt.date(2025, 10, 1) + dt.timedelta(days=n),
                credits=Decimal(40),
                category="A",
            )
            for n in range(4)
        ]
    )
    case = (holding, ledger, dt.date(2026, 3, 5))
    fast = _evaluated(case)
    _same(fast, _plain(case))
    assert isinstance(fast, Evaluation)
    governing = fast.governing
    assert not governing.activities or all(
        part.reason == "carried-in" for outcome in governing.activities for part in outcome.parts
    )
    assert governing.requirement("total").shortfall == 120 - sum(
        (credit.credits for credit in governing.carried_in), Decimal(0)
    )
    assert governing.carried_in


@settings(max_examples=GENERATED)
@given(generated_cases(), st.booleans())
def test_a_simple_ledgers_findings_are_those_of_every_activity_looked_at(
    case: Case, simple: bool
) -> None:
    """The findings of a ledger, checked per run of a version's days, and one by one.

    A :class:`~cperules.ledger.Ledger` whose activities are simple (one category or none,
    claimed for no certification in particular) is checked a run of activities at a
    time; its activities given as a plain list are looked at one by one.
    """
    holding, ledger, _ = case
    certification = holding.certification
    assert isinstance(certification, Certification)
    if simple:
        ledger = _simple(ledger)
    events = holding.events
    assert ledger_findings(certification, ledger, events) == ledger_findings(
        certification, list(ledger), events
    )


def test_findings_of_a_simple_ledger_over_versions_and_days_no_version_covers() -> None:
    """Activities before the first version, in each version and between declared codes."""
    versions = tuple(
        PolicyVersion(
            effective_from=start,
            effective_until=until,
            cycle=AnniversaryCycle(years=1),
            categories=tuple(CategoryNode(code=code) for code in ("A", "B")[:count]),
            rules=(Minimum(id="total", credits=Decimal(10)),),
        )
        for start, until, count in (
            (dt.date(2020, 1, 1), dt.date(2021, 12, 31), 1),
            (dt.date(2022, 1, 1), None, 2),
        )
    )
    certification = Certification(
        id="test/findings", name="Findings", body="Test", unit="CPE", versions=versions
    )
    codes = ("A", "B", "C", None)
    claimed = Activity(
        id="claimed",
        title="Course",
        completed=dt.date(2024, 1, 1),
        credits=Decimal(1),
        category="A",
        claimed_for=("CISP",),
    )
    days = (dt.date(2019, 6, 1), dt.date(2021, 12, 31), dt.date(2022, 1, 1), dt.date(2024, 2, 29))
    ledger = Ledger(
        Activity(id=f"a{n}", title="Course", completed=day, credits=Decimal(1), category=code)
        for n, (day, code) in enumerate((day, code) for day in days for code in codes)
    )
    found = ledger_findings(certification, ledger, ())
    assert found == ledger_findings(certification, list(ledger), ())
    # Undeclared on each side of the versions' change, and no category at all.
    assert {f.code for f in found} == {"unknown-category", "missing-category"}
    # Claimed for no known certification, in a ledger whose categories are declared.
    declared = Ledger(a for a in ledger if a.category == "A").add(claimed)
    assert [f.code for f in ledger_findings(certification, declared, ())] == ["unknown-claimed-for"]
    assert ("a5", "unknown-category") in {(f.activity, f.code) for f in found}  # B in 2021
    assert ("a9", "unknown-category") not in {(f.activity, f.code) for f in found}  # B in 2022
    assert isinstance(found[0], Finding)


@settings(max_examples=GENERATED)
@given(
    certification=st.sampled_from(catalog.ids()),
    earned=st.dates(min_value=dt.date(2016, 1, 1), max_value=dt.date(2025, 12, 31)),
    days=st.integers(0, 9 * 366),
)
def test_an_empty_ledger_of_a_catalog_entry_reads_as_an_allocation_of_nothing(
    certification: str, earned: dt.date, days: int
) -> None:
    """Every bundled entry's empty ledger: the same as allocating, valid, round-tripped.

    Each cycle's requirements' results, made once per plan, are what the validated
    constructors give; the result's data reads back into an equal evaluation, and its
    pickle plans as it does.
    """
    holding = Holding(certification=certification, earned=earned)
    case = (holding, Ledger(), earned + dt.timedelta(days=days))
    fast = _evaluated(case)
    _same(fast, _plain(case))
    if not isinstance(fast, Evaluation):
        return
    validating.on = True
    try:
        checked = _plain(case)
    finally:
        validating.on = False
    assert fast == checked
    assert Evaluation.model_validate(fast.to_dict()) == fast
    assert pickle.loads(pickle.dumps(fast)).remaining() == fast.remaining()


@settings(max_examples=GENERATED)
@given(generated_cases(), st.data())
def test_a_plans_unallocated_results_are_the_reading_of_an_empty_allocation(
    case: Case, data: st.DataObject
) -> None:
    """``_Plan.unallocated``: what :func:`~cperules._engine.cycle._read` makes of nothing.

    For every cycle laid out, under the requirements met before that the draw picks: the
    requirements' results of allocating no entry, read, and nothing else read.
    """
    holding, _, as_of = case
    certification = holding.certification
    assert isinstance(certification, Certification)
    try:
        state = history.History(certification, holding, Ledger(), as_of)
    except CperulesError:
        return
    for laid in state.cycles:
        try:
            version = state._version(laid)
        except CperulesError:
            return
        plan = cycle.plan_of(laid, version)
        ids = [rule.id for rule in compiled(version).minimums]
        met = frozenset(data.draw(st.lists(st.sampled_from(ids), unique=True)) if ids else ())
        requirements, stated = plan.stated(met, as_of)
        nothing = allocate([], requirements, plan.limits, version.carryover)
        assert all(
            short == max(requirement.required, Fraction(0))
            for short, requirement in zip(nothing.shortfall, requirements, strict=True)
        )
        read = cycle._read(
            [],
            [],
            mine=0,
            entries=[],
            requirements=requirements,
            stated=stated,
            limits=plan.limits,
            allocation=nothing,
            next_period=None,
        )
        outcomes, carried_out, cure_used, grace_capped, results = read
        assert (outcomes, carried_out, cure_used, grace_capped) == ([], [], {}, {})
        assert plan.unallocated(met, as_of) == tuple(results)
