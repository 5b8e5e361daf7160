"""Schedules whose groups a body assigns: by family-name initial, assigned group or birth month.

Issue 17's real kind: Pennsylvania's compliance groups, Florida's reporting months, Ohio's
licence-number parity and the IRS's SSN last digit are given as ``Holder.group``; New
Jersey's bar groups by birth half-year (``birth_months``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from pydantic import ValidationError

from cperules import linter
from cperules.describe import describe_cycle
from cperules.errors import CycleError
from cperules.holders import Holder, Holding
from cperules.periods import Period, ScheduledCycle, ScheduleGroup
from cperules.policy_format import dump_certification, load_certification
from cperules.testing import strategies

D = dt.date


def two_years(start: int) -> tuple[Period, ...]:
    return (Period(start=D(start, 1, 1), end=D(start + 1, 12, 31)),)


def assigned() -> ScheduledCycle:
    return ScheduledCycle(
        groups=(
            ScheduleGroup(name="Group 1", groups=("Group 1",), periods=two_years(2020)),
            ScheduleGroup(name="Group 2", groups=("Group 2",), periods=two_years(2021)),
        ),
        repeat_years=2,
    )


def by_birth_half_year() -> ScheduledCycle:
    return ScheduledCycle(
        groups=(
            ScheduleGroup(name="January to June", birth_months="1-6", periods=two_years(2020)),
            ScheduleGroup(name="July to December", birth_months="7-12", periods=two_years(2021)),
        ),
        repeat_years=2,
    )


def holding(**holder: Any) -> Holding:
    return Holding(certification="x/y", earned=D(2022, 3, 1), holder=Holder(**holder))


def spans(spec: ScheduledCycle, held: Holding) -> list[str]:
    return [str(c.period) for c in spec.cycles(held, as_of=D(2024, 6, 1))]


def test_holders_are_placed_by_their_assigned_group() -> None:
    assert spans(assigned(), holding(group="Group 1")) == [
        "2022-03-01..2023-12-31",
        "2024-01-01..2025-12-31",
    ]
    assert spans(assigned(), holding(group="Group 2")) == [
        "2022-03-01..2022-12-31",
        "2023-01-01..2024-12-31",
    ]


def test_a_group_may_list_several_assigned_names() -> None:
    spec = ScheduledCycle(
        groups=(
            ScheduleGroup(name="odd", groups=("1", "3", "5", "7", "9"), periods=two_years(2020)),
            ScheduleGroup(name="even", groups=("0", "2", "4", "6", "8"), periods=two_years(2021)),
        ),
        repeat_years=2,
    )
    assert spec.group_for(Holder(group="7")).name == "odd"
    assert spec.group_for(Holder(group="0")).name == "even"


@pytest.mark.parametrize(
    ("born", "group"),
    [
        (D(1980, 1, 1), "January to June"),
        (D(1980, 6, 30), "January to June"),
        (D(1980, 7, 1), "July to December"),
        (D(1980, 12, 31), "July to December"),
    ],
)
def test_holders_are_placed_by_birth_month_on_each_side_of_the_half_year(
    born: dt.date, group: str
) -> None:
    assert by_birth_half_year().group_for(Holder(birth_date=born)).name == group


def test_an_assigned_schedule_needs_the_holders_group() -> None:
    with pytest.raises(CycleError) as caught:
        assigned().cycles(holding(family_name="Adams"), as_of=D(2023, 1, 1))
    assert caught.value.code == "no-schedule-group"
    message = str(caught.value)
    assert "this schedule groups holders by assigned group: give Holder(group=...)" in message
    assert "'Group 1', 'Group 2'" in message


def test_an_unknown_assigned_group_suggests_the_nearest() -> None:
    with pytest.raises(CycleError) as caught:
        assigned().cycles(holding(group="group 2"), as_of=D(2023, 1, 1))
    assert caught.value.code == "no-schedule-group"
    message = str(caught.value)
    assert "no schedule group is assigned 'group 2' (did you mean 'Group 2'?)" in message
    assert "'Group 1', 'Group 2'" in message


def test_a_birth_month_schedule_needs_a_birth_date() -> None:
    with pytest.raises(CycleError) as caught:
        by_birth_half_year().cycles(holding(group="1"), as_of=D(2023, 1, 1))
    assert caught.value.code == "no-schedule-group"
    assert "groups holders by birth month: give Holder(birth_date=...)" in str(caught.value)


def test_a_birth_month_no_group_covers_is_an_error() -> None:
    spec = ScheduledCycle(
        groups=(ScheduleGroup(name="spring", birth_months="3-5", periods=two_years(2020)),)
    )
    with pytest.raises(CycleError) as caught:
        spec.group_for(Holder(birth_date=D(1980, 6, 1)))
    assert caught.value.code == "no-schedule-group"
    assert "birth month 6" in str(caught.value)
    assert "'spring' (3-5)" in str(caught.value)


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"letters": "A-Z", "groups": ("1",)},
        {"letters": "A-Z", "birth_months": "1-12"},
        {"groups": ("1",), "birth_months": "1-12"},
    ],
)
def test_a_group_names_its_holders_exactly_one_way(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="needs exactly one of letters"):
        ScheduleGroup(name="g", periods=two_years(2020), **fields)


@pytest.mark.parametrize("months", ["0-6", "1-13", "6-1", "1-2-3", "x", "", "1,,2"])
def test_malformed_birth_months_are_rejected(months: str) -> None:
    with pytest.raises(ValidationError, match="not a comma-separated list of month numbers"):
        ScheduleGroup(name="g", birth_months=months, periods=two_years(2020))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"groups": ()}, "empty list of groups"),
        ({"groups": ("1", "1")}, "lists group '1' more than once"),
        ({"groups": ("",)}, "at least 1 character"),
    ],
)
def test_assigned_group_names_are_checked(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ScheduleGroup(name="g", periods=two_years(2020), **fields)


def test_the_groups_of_a_schedule_name_their_holders_the_same_way() -> None:
    with pytest.raises(ValidationError, match="the same way, got groups and letters"):
        ScheduledCycle(
            groups=(
                ScheduleGroup(name="a", letters="A-M", periods=two_years(2020)),
                ScheduleGroup(name="b", groups=("2",), periods=two_years(2021)),
            )
        )


def test_assigned_groups_and_birth_months_must_not_overlap() -> None:
    with pytest.raises(ValidationError, match="assigned group '2' is in both group 'a'"):
        ScheduledCycle(
            groups=(
                ScheduleGroup(name="a", groups=("1", "2"), periods=two_years(2020)),
                ScheduleGroup(name="b", groups=("2",), periods=two_years(2021)),
            )
        )
    with pytest.raises(ValidationError, match="birth month 6 is in both group 'a'"):
        ScheduledCycle(
            groups=(
                ScheduleGroup(name="a", birth_months="1-6", periods=two_years(2020)),
                ScheduleGroup(name="b", birth_months="6-12", periods=two_years(2021)),
            )
        )


def test_described_in_words() -> None:
    assert describe_cycle(assigned()) == (
        "scheduled by assigned group (2 groups), repeating every 2 years"
    )
    assert describe_cycle(by_birth_half_year()).startswith("scheduled by birth-month group")


def test_the_linter_finds_a_representative_holder_for_each_way() -> None:
    for spec in (assigned(), by_birth_half_year()):
        for group in spec.groups:
            held = linter._group_holder(group)
            assert spec.group_for(held) is group


def test_round_trips_through_the_policy_format() -> None:
    toml = """
id = "demo/assigned"
name = "Assigned groups"
body = "Demo"
unit = "CLE"

[[versions]]
effective_from = 2020-01-01

[versions.cycle]
kind = "scheduled"
repeat_years = 2

[[versions.cycle.groups]]
name = "Group 1"
groups = ["Group 1"]
periods = [{start = 2020-01-01, end = 2021-12-31}]

[[versions.cycle.groups]]
name = "Group 2"
groups = ["Group 2"]
periods = [{start = 2021-01-01, end = 2022-12-31}]
"""
    certification = load_certification(toml)
    assert load_certification(dump_certification(certification)) == certification
    spec = certification.versions[0].cycle
    assert isinstance(spec, ScheduledCycle)
    assert spec.grouped_by == "groups"


@given(strategies.cycle_specs(kinds=("scheduled",)), strategies.holders())
def test_generated_schedules_place_every_generated_holder(
    spec: ScheduledCycle, holder: Holder
) -> None:
    assert spec.group_for(holder) in spec.groups
