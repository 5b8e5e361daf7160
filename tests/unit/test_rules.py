from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from cperules.rules import (
    Cap,
    Carryover,
    CreditValue,
    Exclusion,
    Minimum,
    Prerequisite,
    Recurrence,
    RepeatExclusion,
    Rule,
)
from cperules.selectors import activity_kind, approved, category, topic

RULE = TypeAdapter(Rule)

EXAMPLES: list[Rule] = [
    Minimum(id="total", credits=Decimal(120)),
    Minimum(
        id="dv",
        credits=Decimal(2),
        selector=topic("dv"),
        scope="year",
        recurrence=Recurrence(every=3),
    ),
    Cap(id="b", selector=category("B"), credits=Decimal(30)),
    Cap(id="self-study", selector=activity_kind("self-study"), share=Decimal("0.5"), scope="year"),
    CreditValue(
        id="book", selector=activity_kind("book"), fixed=Decimal(40), max_per_entry=Decimal(40)
    ),
    CreditValue(id="talk", selector=activity_kind("presentation"), multiplier=Decimal(3)),
    Prerequisite(id="cpr", selector=activity_kind("credential") & topic("cpr")),
    Exclusion(id="unapproved", selector=~approved()),
    RepeatExclusion(id="repeats", scope="year"),
]


@pytest.mark.parametrize("rule", EXAMPLES, ids=lambda rule: rule.id)
def test_rules_round_trip_through_data(rule: Rule) -> None:
    assert RULE.validate_python(RULE.dump_python(rule)) == rule
    assert RULE.validate_json(RULE.dump_json(rule)) == rule


def test_carryover_round_trips() -> None:
    carry = Carryover(selector=category("A"), window_months=6, cap=Decimal(40))
    assert Carryover.model_validate(carry.model_dump()) == carry


@pytest.mark.parametrize(
    ("renewal", "met_before", "recurrence", "expected"),
    [
        (1, False, Recurrence(), True),
        (2, False, Recurrence(every=3), False),
        (3, False, Recurrence(every=3), True),
        (6, True, Recurrence(every=3), True),
        (1, False, Recurrence(applies_to="first-renewal"), True),
        (2, False, Recurrence(applies_to="first-renewal"), False),
        (4, False, Recurrence(applies_to="once-per-career"), True),
        (4, True, Recurrence(applies_to="once-per-career"), False),
    ],
)
def test_recurrence(renewal: int, met_before: bool, recurrence: Recurrence, expected: bool) -> None:
    assert recurrence.applies(renewal=renewal, met_before=met_before) is expected


def test_credit_values() -> None:
    book = EXAMPLES[4]
    talk = EXAMPLES[5]
    assert isinstance(book, CreditValue)
    assert isinstance(talk, CreditValue)
    assert book.value(Decimal(3)) == 40
    assert talk.value(Decimal("2.5")) == Decimal("7.5")
    capped = CreditValue(id="c", selector=topic("x"), max_per_entry=Decimal(5))
    assert capped.value(Decimal(8)) == 5
    assert capped.value(Decimal(3)) == 3


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"kind": "cap", "id": "c", "selector": {"kind": "everything"}}, "invalid-rule"),
        (
            {
                "kind": "cap",
                "id": "c",
                "selector": {"kind": "everything"},
                "credits": 1,
                "share": "0.5",
            },
            "invalid-rule",
        ),
        (
            {"kind": "cap", "id": "c", "selector": {"kind": "everything"}, "share": "1.5"},
            "less_than_equal",
        ),
        ({"kind": "credit-value", "id": "v", "selector": {"kind": "everything"}}, "invalid-rule"),
        (
            {
                "kind": "credit-value",
                "id": "v",
                "selector": {"kind": "everything"},
                "fixed": 1,
                "multiplier": 2,
            },
            "invalid-rule",
        ),
        ({"kind": "minimum", "id": "m", "credits": 0}, "greater_than"),
        ({"kind": "minimum", "id": "m", "credits": -1}, "greater_than_equal"),
        ({"kind": "minimum", "id": "", "credits": 1}, "string_too_short"),
        ({"kind": "minimum", "id": "m", "credits": 1, "credts": 2}, "extra_forbidden"),
        ({"kind": "minmum", "id": "m", "credits": 1}, "union_tag_invalid"),
        (
            {
                "kind": "minimum",
                "id": "m",
                "credits": 1,
                "recurrence": {"applies_to": "first-renewal", "every": 2},
            },
            "invalid-rule",
        ),
    ],
)
def test_bad_rules_are_rejected_with_codes(data: dict[str, object], code: str) -> None:
    with pytest.raises(ValidationError) as info:
        RULE.validate_python(data)
    assert info.value.errors()[0]["type"] == code


def test_rule_messages_name_the_rule() -> None:
    with pytest.raises(ValidationError, match="cap 'c' needs exactly one of credits or share"):
        RULE.validate_python({"kind": "cap", "id": "c", "selector": {"kind": "everything"}})
    with pytest.raises(ValidationError, match="credit-value rule 'v' needs fixed"):
        RULE.validate_python(
            {"kind": "credit-value", "id": "v", "selector": {"kind": "everything"}}
        )
