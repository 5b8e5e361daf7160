"""The Hypothesis strategies users get: sound, lazily checked, shrinking to small examples."""

import datetime as dt
import itertools
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from pydantic import TypeAdapter

from cperules import (
    Activity,
    AnniversaryCycle,
    BirthMonthCycle,
    CategoryNode,
    Certification,
    CycleSpec,
    Holder,
    Holding,
    Ledger,
    PolicyVersion,
    RollingCycle,
    ScheduledCycle,
    dump_certification,
    evaluate,
    load_certification,
)
from cperules.days import FIRST_DAY, LAST_DAY
from cperules.rules import Minimum, Rule
from cperules.selectors import (
    Selector,
    activity_kind,
    categories_named,
    category,
    everything,
    topic,
    topics_named,
)
from cperules.testing.strategies import (
    ACTIVITY_KINDS,
    CYCLE_KINDS,
    RULE_KINDS,
    activities,
    certifications,
    cycle_specs,
    holders,
    holdings,
    ledgers,
    ledgers_for,
    policies,
    rule_lists,
    rules,
    selectors,
)

# The explain phase re-runs find()'s condition on variations of the shrunk example, and
# find() returns the last value the condition accepted: leave that phase out.
# find() stops at the first example that satisfies the condition; a generous budget keeps
# rare shapes (an "all" selector) from being missed under the quick dev profile.
QUIET = settings(database=None, phases=(Phase.generate, Phase.shrink), max_examples=2000)
MIN_DATE, MAX_DATE = dt.date(2020, 1, 1), dt.date(2029, 12, 31)

CERTIFICATION = Certification(
    id="test/fixed",
    name="Fixed",
    body="Test body",
    unit="CPE",
    versions=(
        PolicyVersion(
            effective_from=dt.date(2020, 1, 1),
            cycle=AnniversaryCycle(years=1),
            categories=(CategoryNode(code="A"),),
            rules=(Minimum(id="total", credits=Decimal(10)),),
        ),
    ),
)
HOLDING = Holding(certification=CERTIFICATION, earned=dt.date(2021, 3, 1))

# Strategies drawn from inside a test are built once: each new one is validated again.
CERTIFICATIONS = certifications()
FEW_RULES = certifications(max_rules=2)

SELECTOR: TypeAdapter[Selector] = TypeAdapter(Selector)
CYCLE_SPEC: TypeAdapter[CycleSpec] = TypeAdapter(CycleSpec)
RULE: TypeAdapter[Rule] = TypeAdapter(Rule)


def anything(value: object) -> bool:
    return True


def minimal(strategy: st.SearchStrategy[Any], condition: Callable[[Any], bool] = anything) -> Any:
    """The shrunk example of ``strategy`` satisfying ``condition`` (anything, by default)."""
    return find(strategy, condition, settings=QUIET)


def second_cycle_end(certification: Certification, holding: Holding) -> dt.date:
    spec = certification.version_on(holding.earned).cycle
    first = spec.cycle_on(holding, holding.earned)
    return spec.cycle_on(holding, first.due + dt.timedelta(days=1)).due


def as_of_dates(certification: Certification, holding: Holding) -> st.SearchStrategy[dt.date]:
    """Dates from the earned date to the end of the second cycle, often on an edge."""
    end = second_cycle_end(certification, holding)
    spec = certification.version_on(holding.earned).cycle
    edges = {holding.earned, end}
    for cycle in spec.cycles(holding, as_of=end):
        edges |= {cycle.period.start, cycle.due}
        if cycle.grace is not None:
            edges |= {cycle.grace.start, cycle.grace.end}
    inside = sorted(day for day in edges if holding.earned <= day <= end)
    return st.sampled_from(inside) | st.dates(holding.earned, end)


def on_grid(amount: Decimal, step: Decimal) -> bool:
    return amount % step == 0


# --- activities and ledgers ------------------------------------------------------------------


@given(activities())
def test_activities_are_valid_and_round_trip(activity: Activity) -> None:
    assert Activity.model_validate(activity.model_dump()) == activity
    assert Activity.model_validate_json(activity.model_dump_json()) == activity
    assert Ledger.from_records([activity.to_record()]) == Ledger([activity])
    assert MIN_DATE <= activity.completed <= MAX_DATE
    assert set(activity.categories) <= {"A", "B"}
    assert activity.topics == ()
    if activity.credits is not None:
        assert Decimal(0) <= activity.credits <= Decimal(40)
        assert on_grid(activity.credits, Decimal("0.25"))
    if activity.split is not None:
        assert all(on_grid(share, Decimal("0.25")) for share in activity.split.values())
    if activity.minutes is not None:
        assert activity.minutes <= 40 * 60
    if activity.started is not None:
        assert activity.started <= activity.completed
    if activity.valid_until is not None:
        assert activity.kind == "credential"
        assert activity.valid_until >= activity.completed


@given(
    activities(
        categories=(),
        topics=("ethics", "law"),
        min_date=dt.date(2024, 2, 1),
        max_date=dt.date(2024, 2, 29),
        max_credits=Decimal(3),
        step=Decimal("0.2"),
        kinds=("book", "credential"),
        ids=st.sampled_from(["x", " y ", "   "]),
        claimed_for=("test/cert-1",),
    )
)
def test_activities_follow_their_arguments(activity: Activity) -> None:
    assert activity.id in {"x", "y"}
    assert activity.categories == ()
    assert set(activity.topics) <= {"ethics", "law"}
    assert dt.date(2024, 2, 1) <= activity.completed <= dt.date(2024, 2, 29)
    assert activity.kind in {"book", "credential"}
    assert set(activity.claimed_for) <= {"test/cert-1"}
    if activity.credits is not None:
        assert activity.credits <= 3
        assert on_grid(activity.credits, Decimal("0.2"))
    if activity.minutes is not None:
        assert activity.minutes <= 180
    if activity.kind == "book":
        assert activity.credits is not None or activity.minutes is not None


@given(activities(max_credits=Decimal("0.1"), categories=("A", "B", "C")))
def test_activities_with_less_than_a_step_claim_nothing_on_the_grid(activity: Activity) -> None:
    assert activity.credits in {None, Decimal(0)}
    if activity.split is not None:
        assert set(activity.split) <= {"A", "B", "C"}
        assert sum(activity.split.values()) == 0


@given(
    activities(
        min_date=LAST_DAY - dt.timedelta(days=3),
        max_date=LAST_DAY,
        kinds=("credential",),
    )
    | activities(min_date=FIRST_DAY, max_date=FIRST_DAY + dt.timedelta(days=3))
)
def test_activities_at_the_ends_of_the_accepted_dates(activity: Activity) -> None:
    assert activity.started is None or activity.started <= activity.completed
    assert activity.valid_until is None or activity.valid_until >= activity.completed
    assert (activity.started or activity.completed) >= FIRST_DAY
    assert (activity.valid_until or activity.completed) <= LAST_DAY


@pytest.mark.parametrize(("low", "high"), [(dt.date.min, FIRST_DAY), (LAST_DAY, dt.date.max)])
def test_activities_refuse_dates_cperules_does_not_accept(low: dt.date, high: dt.date) -> None:
    with pytest.raises(InvalidArgument, match="outside the dates cperules accepts"):
        find(activities(min_date=low, max_date=high), lambda _: True)


@given(ledgers(max_size=6, categories=("A", "B", "C"), topics=("ethics",)))
def test_ledgers_have_numbered_unique_ids_and_round_trip(ledger: Ledger) -> None:
    assert len(ledger) <= 6
    drawn = [i for i in ledger.ids if not i.startswith("fill")]
    assert drawn == [f"a{index}" for index in range(len(drawn))]
    assert ledger.ids[: len(drawn)] == tuple(drawn)  # fillers come last
    assert Ledger.from_records(ledger.to_records()) == ledger
    assert TypeAdapter(Ledger).validate_python(list(ledger)) == ledger
    for activity in ledger:
        assert Activity.model_validate(activity.model_dump()) == activity


@given(ledgers(min_size=2, max_size=3))
def test_ledgers_respect_min_size(ledger: Ledger) -> None:
    assert 2 <= len(ledger) <= 3


def test_activities_shrink_to_one_whole_credit_course_in_the_first_category() -> None:
    assert minimal(activities()) == Activity(
        id="a0", title="Training", completed=MIN_DATE, credits=Decimal(1), category="A"
    )
    odd = minimal(activities(categories=("Z",), step=Decimal("0.3"), min_date=dt.date(2024, 5, 6)))
    assert (odd.credits, odd.category, odd.completed) == (Decimal("0.9"), "Z", dt.date(2024, 5, 6))
    books = minimal(activities(categories=(), kinds=("book",), step=Decimal(2)))
    assert (books.kind, books.credits, books.categories) == ("book", Decimal(2), ())


def test_ledgers_shrink_towards_few_activities() -> None:
    assert minimal(ledgers()) == Ledger()
    (only,) = minimal(ledgers(min_size=1))
    assert only == minimal(activities())
    big = minimal(ledgers(), lambda ledger: len(ledger) >= 3)
    assert len(big) == 3
    assert {activity.credits for activity in big} == {Decimal(1)}


# --- holders and holdings ----------------------------------------------------------------


@given(holders())
def test_holders_always_have_a_birth_date_and_family_name(holder: Holder) -> None:
    assert Holder.model_validate(holder.model_dump()) == holder
    assert holder.birth_date is not None
    assert holder.family_name is not None


@given(st.data())
def test_holdings_are_earned_inside_the_versions(data: st.DataObject) -> None:
    certification = data.draw(CERTIFICATIONS, label="certification")
    holding = data.draw(holdings(certification=certification), label="holding")
    assert Holding.model_validate(holding.model_dump()) == holding
    assert holding.certification == certification
    version = certification.version_on(holding.earned)
    assert version.cycle.cycles(holding, as_of=holding.earned)


@given(
    holdings(
        certification=CERTIFICATION,
        min_earned=dt.date(2022, 1, 1),
        max_earned=dt.date(2022, 1, 31),
    )
)
def test_holdings_follow_their_bounds(holding: Holding) -> None:
    assert dt.date(2022, 1, 1) <= holding.earned <= dt.date(2022, 1, 31)


PARITY = Certification(
    id="test/parity",
    name="Parity",
    body="Test",
    unit="CPE",
    versions=(
        PolicyVersion(
            effective_from=dt.date(2020, 1, 1),
            cycle=ScheduledCycle.model_validate(
                {
                    "repeat_years": 2,
                    "groups": [
                        {
                            "name": "Odd licence numbers",
                            "groups": ["odd"],
                            "periods": [{"start": "2019-07-01", "end": "2021-06-30"}],
                        },
                        {
                            "name": "Even licence numbers",
                            "groups": ["even"],
                            "periods": [{"start": "2018-07-01", "end": "2020-06-30"}],
                        },
                    ],
                }
            ),
            rules=(Minimum(id="total", credits=Decimal(80)),),
        ),
    ),
)


@given(holdings(certification=PARITY))
def test_holdings_take_the_groups_the_certifications_schedules_assign(holding: Holding) -> None:
    assert holding.holder.group in {"odd", "even"}
    assert PARITY.versions[0].cycle.cycles(holding, as_of=holding.earned)


ADMITTED = Certification(
    id="test/admitted",
    name="Admitted",
    body="Test",
    unit="CLE",
    versions=(
        PolicyVersion(
            effective_from=dt.date(2020, 1, 1),
            cycle=BirthMonthCycle(years=2, end="birthday", parity="admitted-year"),
            rules=(Minimum(id="total", credits=Decimal(24)),),
        ),
    ),
)


@given(holdings(certification=ADMITTED))
def test_holdings_carry_the_date_a_cycles_parity_counts_from(holding: Holding) -> None:
    assert holding.holder.admitted is not None
    assert ADMITTED.versions[0].cycle.cycles(holding, as_of=holding.earned)


def test_holders_and_holdings_shrink_to_the_simplest() -> None:
    # Holders carry an assigned group (issue 17): schedules may group by it.
    simplest = Holder(birth_date=dt.date(1950, 1, 1), family_name="Adams", group="1")
    assert minimal(holders()) == simplest
    assert minimal(holdings(certification=CERTIFICATION)) == Holding(
        certification=CERTIFICATION, earned=dt.date(2020, 1, 1), holder=simplest
    )


# --- selectors, cycle specs, rules ------------------------------------------------------------


@given(selectors(categories=("A", "B", "C"), topics=("ethics", "law"), max_leaves=6))
def test_selectors_round_trip_and_name_only_their_arguments(selector: Selector) -> None:
    assert SELECTOR.validate_python(selector.model_dump()) == selector
    assert SELECTOR.validate_json(SELECTOR.dump_json(selector)) == selector
    assert categories_named(selector) <= {"A", "B", "C"}
    assert topics_named(selector) <= {"ethics", "law"}


@given(selectors(categories=(), topics=()))
def test_selectors_without_names_name_nothing(selector: Selector) -> None:
    assert categories_named(selector) == topics_named(selector) == frozenset()


def test_selectors_shrink_to_everything() -> None:
    assert minimal(selectors()) == everything()
    assert minimal(selectors(), lambda s: bool(categories_named(s))) == category("A")
    assert minimal(selectors(), lambda s: bool(topics_named(s))) == topic("ethics")
    assert minimal(selectors(), lambda s: s.kind == "all") == everything() & everything()


@given(
    cycle_specs(kinds=CYCLE_KINDS, schedule_start=dt.date(2015, 6, 1)),
    holders(),
    st.dates(dt.date(2015, 6, 1), dt.date(2030, 12, 31)),
)
def test_cycle_specs_are_valid_and_lay_out_cycles(
    spec: CycleSpec, holder: Holder, earned: dt.date
) -> None:
    assert CYCLE_SPEC.validate_python(spec.model_dump()) == spec
    holding = Holding(certification="test/any", earned=earned, holder=holder)
    cycles = spec.cycles(holding, as_of=earned + dt.timedelta(days=3 * 366))
    for before, after in itertools.pairwise(cycles):
        assert before.index + 1 == after.index


@given(cycle_specs(kinds=("calendar", "birth-month")))
def test_cycle_specs_follow_their_kinds(spec: CycleSpec) -> None:
    assert spec.kind in {"calendar", "birth-month"}


def test_cycle_specs_shrink_to_a_one_year_anniversary_cycle() -> None:
    assert minimal(cycle_specs()) == AnniversaryCycle(years=1)
    assert minimal(cycle_specs(kinds=("rolling",))) == RollingCycle(
        every_months=12, window_months=12, checkpoint_month=1
    )
    scheduled = minimal(cycle_specs(kinds=("scheduled",), schedule_start=dt.date(2021, 7, 9)))
    assert isinstance(scheduled, ScheduledCycle)
    (group,) = scheduled.groups
    assert (group.letters, scheduled.repeat_years) == ("A-Z", 1)
    assert [str(period) for period in group.periods] == ["2021-07-01..2022-06-30"]


@given(rules(kinds=RULE_KINDS, categories=("A",), topics=()))
def test_rules_round_trip(rule: Rule) -> None:
    assert RULE.validate_python(rule.model_dump()) == rule
    assert RULE.validate_json(RULE.dump_json(rule)) == rule
    if rule.kind != "repeat-exclusion":
        assert categories_named(rule.selector) <= {"A"}
        assert topics_named(rule.selector) == frozenset()


@given(rule_lists(max_size=6))
def test_rule_lists_have_distinct_ids_and_fit_one_policy(found: tuple[Rule, ...]) -> None:
    assert [rule.id for rule in found] == [f"r{index}" for index in range(len(found))]
    PolicyVersion(
        effective_from=dt.date(2020, 1, 1),
        cycle=AnniversaryCycle(years=1),
        categories=(CategoryNode(code="A"), CategoryNode(code="B")),
        rules=found,
    )


def test_rules_shrink_to_a_one_credit_minimum() -> None:
    assert minimal(rules()) == Minimum(id="r0", credits=Decimal(1))
    assert minimal(rule_lists()) == ()
    assert minimal(rule_lists(min_size=2)) == (
        Minimum(id="r0", credits=Decimal(1)),
        Minimum(id="r1", credits=Decimal(1)),
    )
    prerequisite = minimal(rules(kinds=("prerequisite",), ids=st.just("cpr")))
    assert (prerequisite.id, prerequisite.selector) == ("cpr", activity_kind("credential"))


# --- policies and certifications ----------------------------------------------------------


@given(policies(categories=("A", "B", "C")))
def test_policies_round_trip_and_declare_what_they_select(policy: PolicyVersion) -> None:
    assert PolicyVersion.model_validate(policy.model_dump()) == policy
    assert policy.category_codes == {"A", "B", "C"}
    assert MIN_DATE <= policy.effective_from <= MAX_DATE


@given(certifications(max_versions=3))
def test_certifications_are_valid_and_round_trip(certification: Certification) -> None:
    assert Certification.model_validate(certification.model_dump()) == certification
    assert load_certification(dump_certification(certification)) == certification
    assert 1 <= len(certification.versions) <= 3
    assert len({version.cycle for version in certification.versions}) == 1
    assert certification.versions[-1].effective_until in {None, dt.date(2099, 12, 31)}


def test_policies_and_certifications_shrink_to_one_plain_version() -> None:
    plain = PolicyVersion(
        effective_from=MIN_DATE,
        cycle=AnniversaryCycle(years=1),
        categories=(CategoryNode(code="A"), CategoryNode(code="B")),
    )
    assert minimal(policies()) == plain
    assert minimal(certifications()) == Certification(
        id="test/cert-1",
        name="Test certification 1",
        body="Test body",
        unit="CPE",
        versions=(plain,),
    )
    two = minimal(certifications(), lambda c: len(c.versions) == 2)
    assert [v.effective_from for v in two.versions] == [MIN_DATE, dt.date(2021, 1, 1)]


# --- ledgers for a holding, and evaluation -------------------------------------------------------


@given(st.data())
def test_ledgers_for_use_the_certifications_vocabulary(data: st.DataObject) -> None:
    certification = data.draw(CERTIFICATIONS, label="certification")
    holding = data.draw(holdings(certification=certification), label="holding")
    as_of = data.draw(as_of_dates(certification, holding), label="as_of")
    ledger = data.draw(ledgers_for(certification, holding, as_of=as_of), label="ledger")
    drawn = [i for i in ledger.ids if not i.startswith("fill")]
    assert drawn == [f"a{index}" for index in range(len(drawn))]
    assert ledger.ids[: len(drawn)] == tuple(drawn)  # fillers come last
    assert Ledger.from_records(ledger.to_records()) == ledger
    declared = {code for v in certification.versions for code in v.category_codes}
    selected = [
        r.selector for v in certification.versions for r in v.rules if r.kind != "repeat-exclusion"
    ]
    selected += [v.carryover.selector for v in certification.versions if v.carryover]
    named_topics = frozenset().union(*(topics_named(s) for s in selected))
    for activity in ledger:
        assert activity.completed <= as_of
        assert set(activity.categories) <= declared | {"undeclared"}
        assert set(activity.topics) <= named_topics
        assert set(activity.claimed_for) <= {certification.id, "other/cert"}


@given(st.data())
def test_evaluation_never_raises(data: st.DataObject) -> None:
    certification = data.draw(CERTIFICATIONS, label="certification")
    holding = data.draw(holdings(certification=certification), label="holding")
    as_of = data.draw(as_of_dates(certification, holding), label="as_of")
    ledger = data.draw(ledgers_for(certification, holding, as_of=as_of), label="ledger")
    result = evaluate(holding, ledger, as_of=as_of)
    assert result.as_of == as_of
    assert len(result.cycles) in {1, 2}
    result.remaining()
    assert str(result)
    assert result.to_dict()["certification"] == certification.id


@given(st.data())
def test_ledgers_for_default_to_the_end_of_the_second_cycle(data: st.DataObject) -> None:
    certification = data.draw(FEW_RULES, label="certification")
    holding = data.draw(holdings(certification=certification), label="holding")
    ledger = data.draw(ledgers_for(certification, holding, max_size=5), label="ledger")
    end = second_cycle_end(certification, holding)
    assert all(activity.completed <= end for activity in ledger)
    cycles = evaluate(holding, ledger, as_of=end).cycles
    # Two cycles, unless the first ended unmet and the certification expired with it.
    assert len(cycles) == (1 if cycles[0].status == "non_compliant" else 2)


@given(
    ledgers_for(
        CERTIFICATION,
        HOLDING,
        as_of=dt.date(2021, 3, 1),
        max_credits=2,
        step=1,
        fill_first_cycle=False,
    )
)
def test_ledgers_for_stop_at_as_of(ledger: Ledger) -> None:
    for activity in ledger:
        assert activity.completed <= dt.date(2021, 3, 1)
        assert activity.credits is None or activity.credits in {0, 1, 2}
        assert set(activity.categories) <= {"A", "undeclared"}
        assert activity.kind == "course"


def test_ledgers_for_shrink_to_one_course_on_the_earned_date() -> None:
    assert minimal(ledgers_for(CERTIFICATION, HOLDING)) == Ledger()
    (only,) = minimal(ledgers_for(CERTIFICATION, HOLDING, min_size=1))
    assert only == Activity(
        id="a0", title="Training", completed=HOLDING.earned, credits=Decimal(1), category="A"
    )


# --- arguments are checked lazily --------------------------------------------------------


INVALID: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
    "negative max_credits": lambda: activities(max_credits=Decimal(-1)),
    "infinite max_credits": lambda: activities(max_credits=Decimal("Infinity")),
    "zero step": lambda: activities(step=Decimal(0)),
    "too many steps": lambda: activities(max_credits=Decimal("1e30"), step=Decimal("0.25")),
    "float step": lambda: activities(step=0.5),  # type: ignore[arg-type]
    "dates in the wrong order": lambda: activities(min_date=MAX_DATE, max_date=MIN_DATE),
    "a datetime": lambda: activities(min_date=dt.datetime(2020, 1, 1)),
    "categories as one string": lambda: activities(categories="AB"),
    "a repeated category": lambda: activities(categories=("A", "A")),
    "a padded topic": lambda: activities(topics=(" ethics",)),
    "an unknown kind": lambda: activities(kinds=("lecture",)),  # type: ignore[arg-type]
    "no kinds": lambda: activities(kinds=()),
    "ids not a strategy": lambda: activities(ids="a0"),  # type: ignore[arg-type]
    "ledger sizes reversed": lambda: ledgers(min_size=3, max_size=2),
    "negative ledger size": lambda: ledgers(min_size=-1),
    "ledger ids": lambda: ledgers(ids=st.just("x")),  # type: ignore[call-arg]
    "unknown activity option": lambda: ledgers(colour="red"),  # type: ignore[call-arg]
    "bad activity option": lambda: ledgers(step=Decimal(-1)),
    "holding of an id": lambda: holdings(certification="isc2/cissp"),  # type: ignore[arg-type]
    "earned before the versions": lambda: holdings(
        certification=CERTIFICATION, min_earned=dt.date(2019, 1, 1)
    ),
    "earned after a closed version": lambda: holdings(
        certification=CERTIFICATION.model_copy(
            update={
                "versions": (
                    CERTIFICATION.versions[0].model_copy(
                        update={"effective_until": dt.date(2020, 12, 31)}
                    ),
                )
            }
        ),
        max_earned=dt.date(2021, 1, 1),
    ),
    "earned bounds reversed": lambda: holdings(
        certification=CERTIFICATION,
        min_earned=dt.date(2022, 1, 1),
        max_earned=dt.date(2021, 1, 1),
    ),
    "no leaves": lambda: selectors(max_leaves=0),
    "an empty topic": lambda: selectors(topics=("",)),
    "a category that is not a string": lambda: selectors(categories=(1,)),  # type: ignore[arg-type]
    "an unknown cycle kind": lambda: cycle_specs(kinds=("weekly",)),
    "a schedule start string": lambda: cycle_specs(schedule_start="2020-01-01"),  # type: ignore[arg-type]
    "an unknown rule kind": lambda: rules(kinds=("penalty",)),
    "rule ids not a strategy": lambda: rules(ids=["r0"]),  # type: ignore[arg-type]
    "negative rule list size": lambda: rule_lists(max_size=-1),
    "negative max_rules": lambda: policies(max_rules=-1),
    "no cycle kinds": lambda: policies(cycle_kinds=()),
    "policy dates reversed": lambda: policies(min_date=MAX_DATE, max_date=MIN_DATE),
    "no versions": lambda: certifications(max_versions=0),
    "boolean versions": lambda: certifications(max_versions=True),
    "as_of before earned": lambda: ledgers_for(CERTIFICATION, HOLDING, as_of=dt.date(2021, 2, 28)),
    "ledgers_for of an id": lambda: ledgers_for("test/fixed", HOLDING),  # type: ignore[arg-type]
    "ledgers_for of a record": lambda: ledgers_for(CERTIFICATION, {"earned": "2021-03-01"}),  # type: ignore[arg-type]
    "holding outside the versions": lambda: ledgers_for(
        CERTIFICATION, Holding(certification=CERTIFICATION, earned=dt.date(2019, 1, 1))
    ),
    "ledgers_for sizes reversed": lambda: ledgers_for(
        CERTIFICATION, HOLDING, min_size=2, max_size=1
    ),
}


@pytest.mark.parametrize("make", INVALID.values(), ids=INVALID.keys())
def test_invalid_arguments_raise_only_when_the_strategy_is_used(
    make: Callable[[], st.SearchStrategy[Any]],
) -> None:
    strategy = make()  # creating the strategy checks nothing yet
    with pytest.raises(InvalidArgument):
        strategy.validate()
    with pytest.raises(InvalidArgument):
        find(strategy, lambda _: True, settings=QUIET)


def test_invalid_arguments_fail_a_given_test() -> None:
    calls = []

    @given(activities(max_credits=Decimal(-1)))
    @settings(suppress_health_check=list(HealthCheck))
    def uses(activity: Activity) -> None:
        calls.append(activity)

    with pytest.raises(InvalidArgument, match="max_credits"):
        uses()
    assert calls == []


def test_public_constants() -> None:
    assert ACTIVITY_KINDS[0] == "course"
    assert CYCLE_KINDS[0] == "anniversary"
    assert RULE_KINDS[0] == "minimum"


def test_the_testing_package_imports_without_hypothesis() -> None:
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "import cperules.testing\n"
        "try:\n"
        "    import cperules.testing.strategies\n"
        "except ImportError:\n"
        "    print('needs hypothesis')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "needs hypothesis"
