import datetime as dt
from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from cperules import Activity
from cperules.selectors import (
    AllOf,
    AnyOf,
    Selector,
    activity_kind,
    all_of,
    any_of,
    approved,
    category,
    claimed_for,
    delivery,
    everything,
    not_,
    topic,
)

SELECTOR = TypeAdapter(Selector)


def activity(**changes: object) -> Activity:
    base: dict[str, object] = {
        "id": "a",
        "title": "T",
        "completed": dt.date(2024, 1, 1),
        "credits": Decimal(2),
        "category": "A",
    }
    return Activity.model_validate({**base, **changes})


def test_each_selector_kind_matches() -> None:
    a = activity(topics=["ethics"], delivery="in-person", kind="course", approved=True)
    assert category("A").matches(a)
    assert not category("B").matches(a)
    assert topic("ethics", "law").matches(a)
    assert not topic("law").matches(a)
    assert delivery("in-person").matches(a)
    assert not delivery("on-demand").matches(a)
    assert activity_kind("course").matches(a)
    assert not activity_kind("book").matches(a)
    assert approved().matches(a)
    assert not approved().matches(activity(approved=None))
    assert not approved().matches(activity(approved=False))
    assert everything().matches(a)


def test_split_activities_match_any_share() -> None:
    split = activity(category=None, split={"BA": Decimal(1), "PS": Decimal(1)})
    assert category("PS").matches(split)
    assert not category("A").matches(split)


def test_claimed_for_defaults_to_every_certification() -> None:
    assert claimed_for("isc2/cissp").matches(activity())
    assert claimed_for("isc2/cissp").matches(activity(claimed_for=["isc2/cissp"]))
    assert not claimed_for("isc2/cissp").matches(activity(claimed_for=["isaca/cisa"]))


def test_combinators_and_operators() -> None:
    a = activity(topics=["ethics"])
    assert (category("A") & topic("ethics")).matches(a)
    assert not (category("A") & topic("law")).matches(a)
    assert (category("B") | topic("ethics")).matches(a)
    assert not (category("B") | topic("law")).matches(a)
    assert (~category("B")).matches(a)
    assert not not_(category("A")).matches(a)
    assert all_of(category("A")).matches(a)
    assert any_of(category("A")).matches(a)


def test_operators_flatten() -> None:
    combined = category("A") & topic("x") & delivery("in-person")
    assert isinstance(combined, AllOf)
    assert len(combined.selectors) == 3
    either = topic("x") | (topic("y") | topic("z"))
    assert isinstance(either, AnyOf)
    assert len(either.selectors) == 3


@pytest.mark.parametrize(
    ("selector", "text"),
    [
        (category("B", "A"), "category('A', 'B')"),
        ((category("A") | topic("x")) & ~approved(), "(category('A') | topic('x')) & ~approved()"),
        (~(topic("a") & topic("b")), "~(topic('a') & topic('b'))"),
        (all_of(everything()), "all_of(everything())"),
        (any_of(claimed_for("c")), "any_of(claimed_for('c'))"),
        (activity_kind("book", "book"), "activity_kind('book')"),
    ],
)
def test_repr_reads_like_the_call(selector: Selector, text: str) -> None:
    assert repr(selector) == text


@pytest.mark.parametrize(
    "selector",
    [
        category("A"),
        (category("A") | topic("x")) & ~approved() & delivery("on-demand"),
        not_(activity_kind("book") | claimed_for("isc2/cissp") | everything()),
    ],
)
def test_selectors_round_trip(selector: Selector) -> None:
    assert SELECTOR.validate_python(SELECTOR.dump_python(selector)) == selector
    assert SELECTOR.validate_json(SELECTOR.dump_json(selector)) == selector
    assert hash(SELECTOR.validate_python(SELECTOR.dump_python(selector))) == hash(selector)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"kind": "categry", "codes": ["A"]}, "union_tag_invalid"),
        ({"kind": "category", "codes": []}, "too_short"),
        ({"kind": "category", "codes": ["A"], "extra": 1}, "extra_forbidden"),
        ({"kind": "delivery", "formats": ["webinar"]}, "literal_error"),
        ({"kind": "all", "selectors": []}, "too_short"),
    ],
)
def test_bad_selector_data_is_rejected(data: object, error: str) -> None:
    with pytest.raises(ValidationError) as info:
        SELECTOR.validate_python(data)
    assert info.value.errors()[0]["type"] == error


def test_selector_values_accept_a_single_string_and_reject_other_shapes() -> None:
    assert SELECTOR.validate_python({"kind": "category", "codes": "A"}) == category("A")
    with pytest.raises(ValidationError):
        SELECTOR.validate_python({"kind": "topic", "topics": 5})


def test_category_override_reaches_through_combinators() -> None:
    a = activity(category="leaf", topics=["ethics"])
    path = ("leaf", "parent")
    assert not category("parent").matches(a)
    assert category("parent").matches(a, categories=path)
    assert (category("parent") & topic("ethics")).matches(a, categories=path)
    assert (category("x") | category("parent")).matches(a, categories=path)
    assert not (~category("parent")).matches(a, categories=path)
    assert topic("ethics").matches(a, categories=())
