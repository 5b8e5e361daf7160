import copy
import datetime as dt
import pickle
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from cperules import Activity, Ledger, LedgerError, Measure
from cperules.errors import RecordProblem
from cperules.ledger import _activity_from_record, _from_clean_records

GOOD: dict[str, Any] = {
    "id": "w1",
    "title": "Zero trust webinar",
    "completed": "2024-05-02",
    "credits": "1.5",
    "category": "A",
}


def record(**changes: Any) -> dict[str, Any]:
    merged = {**GOOD, **changes}
    return {key: value for key, value in merged.items() if value is not ...}


def make(**changes: Any) -> Activity:
    return Activity.model_validate(record(**changes))


def test_from_records_accepts_strings_and_blank_cells() -> None:
    ledger = Ledger.from_records(
        [
            record(provider="", approved="true", topics="ethics; law", delivery="live-online"),
            record(id="w2", credits=None, minutes="90", claimed_for="isc2/cissp,isc2/ccsp"),
        ]
    )
    first, second = ledger
    assert first.credits == Decimal("1.5")
    assert first.completed == dt.date(2024, 5, 2)
    assert first.provider is None
    assert first.approved is True
    assert first.topics == ("ethics", "law")
    assert second.minutes == 90
    assert second.claimed_for == ("isc2/ccsp", "isc2/cissp")


def test_from_records_does_not_mutate_its_input() -> None:
    rows = [record(topics=["b", "a"])]
    snapshot = [dict(row) for row in rows]
    Ledger.from_records(rows)
    assert rows == snapshot


# Each bad record: (the record, the field named, words the expectation must contain).
BAD_RECORDS: list[tuple[Any, str | None, str]] = [
    (record(credts="1", credits=...), "credts", "did you mean 'credits'?"),
    (record(id=...), "id", "required"),
    (record(completed=...), "completed", "required"),
    (record(completed="2024-13-01"), "completed", "ISO date"),
    (record(credits="-2"), "credits", ">= 0"),
    (record(credits="two"), "credits", "a number"),
    (record(credits=..., minutes="90.5"), "minutes", "whole number"),
    (record(kind="cource"), "kind", "did you mean 'course'?"),
    (record(delivery="online"), "delivery", "one of in-person, live-online"),
    (record(started="2024-05-03"), "started", "on or before completed (2024-05-02)"),
    (
        record(category=..., credits="5", split={"A": "3", "B": "1"}),
        "split",
        "adding up to credits (5), not 4",
    ),
    (record(category=..., credits=..., split={"A": "3"}), "credits", "sum of the split"),
    (record(split={"B": "1.5"}), "split", "either a category or a split"),
    (record(category=..., split={}), "split", "at least one category"),
    (record(eligible="X, Y"), "eligible", "eligible categories alone"),
    (record(credits=...), "credits", "credits, minutes or units"),
    (record(credits=..., units="1.5"), "unit", "units and unit together"),
    (record(credits=..., unit="ceu"), "units", "units and unit together"),
    (record(kind="credential", credits=...), "valid_until", "valid until"),
    (record(valid_until="2025-01-01"), "valid_until", "only kind='credential'"),
    (record(title="   ", id="x"), "title", "required"),
    (record(id="  "), "id", "required"),
    (record(category=..., split={"A": "x"}), "split.A", "a number"),
    (record(approved="perhaps"), "approved", "true or false"),
    ("not a mapping", None, "a mapping"),
]


@pytest.mark.parametrize(("bad", "field", "words"), BAD_RECORDS)
def test_bad_records_raise_located_errors(bad: Any, field: str | None, words: str) -> None:
    with pytest.raises(LedgerError) as info:
        Ledger.from_records([record(id="ok"), bad])
    error = info.value
    assert error.code == "invalid-record"
    assert len(error.problems) == 1
    problem = error.problems[0]
    assert problem.index == 1
    assert problem.field == field
    assert words in problem.expected
    message = str(error)
    assert "record 1" in message
    assert words in message
    if isinstance(bad, Mapping) and isinstance(bad.get("id"), str) and bad["id"].strip():
        assert f"(id {bad['id']!r})" in message
    if field is not None:
        assert f"field {field!r}" in message


def test_blank_cells_report_their_own_value() -> None:
    with pytest.raises(LedgerError) as info:
        Ledger.from_records([record(title=" ")])
    assert info.value.problems[0].value == " "


def test_every_problem_in_every_record_is_reported() -> None:
    with pytest.raises(LedgerError) as info:
        Ledger.from_records(
            [record(id="a", credits="-1"), record(id="b"), record(id="c", completed="x", kind="y")]
        )
    located = [(p.index, p.record_id, p.field) for p in info.value.problems]
    assert located == [(0, "a", "credits"), (2, "c", "completed"), (2, "c", "kind")]
    first_line = str(info.value).splitlines()[0]
    assert first_line == (
        "record 0 (id 'a'), field 'credits': got '-1'; expected a number >= 0 "
        "(1 of 3 problems in ledger records)"
    )


def test_duplicate_ids_name_both_records() -> None:
    with pytest.raises(LedgerError) as info:
        Ledger.from_records([record(id="a"), record(id="b"), record(id=" a ")])
    assert info.value.code == "duplicate-activity-id"
    (problem,) = info.value.problems
    assert (problem.index, problem.record_id, problem.field) == (2, "a", "id")
    assert "record 0 already uses it" in str(info.value)


def test_ledger_constructor_rejects_duplicates_and_non_activities() -> None:
    a = make(id="a")
    with pytest.raises(LedgerError, match="record 0 already uses it") as info:
        Ledger([a, a])
    assert info.value.code == "duplicate-activity-id"
    with pytest.raises(LedgerError, match="an Activity") as info:
        Ledger([GOOD])  # type: ignore[list-item]
    assert info.value.code == "invalid-record"


def test_ledger_is_immutable_and_add_returns_a_new_ledger() -> None:
    ledger = Ledger([make(id="a")])
    bigger = ledger.add(make(id="b"))
    assert len(ledger) == 1
    assert bigger.ids == ("a", "b")
    with pytest.raises(AttributeError, match="immutable"):
        ledger._activities = ()
    with pytest.raises(ValidationError):
        ledger["a"].credits = Decimal(3)  # type: ignore[misc]


def test_ledger_lookup_and_membership() -> None:
    a = make(id="alpha")
    ledger = Ledger([a])
    assert ledger["alpha"] is a
    assert "alpha" in ledger
    assert a in ledger
    assert make(id="alpha", credits="2") not in ledger
    assert 3 not in ledger
    with pytest.raises(KeyError, match="did you mean 'alpha'"):
        ledger["alpah"]


def test_ledger_equality_hash_repr_and_records_round_trip() -> None:
    ledger = Ledger.from_records([record(id="a", topics="x"), record(id="b", minutes=30)])
    again = Ledger.from_records(ledger.to_records())
    assert again == ledger
    assert hash(again) == hash(ledger)
    assert ledger != Ledger()
    assert ledger != "ledger"
    assert repr(Ledger()) == "Ledger([])"
    assert (
        eval(
            repr(ledger),
            {"Ledger": Ledger, "Activity": Activity, "datetime": dt, "Decimal": Decimal},
        )
        == ledger
    )


class Holder(BaseModel):
    ledger: Ledger


def test_ledger_is_a_pydantic_field() -> None:
    dumped = Holder(ledger=Ledger([make(id="a")])).model_dump(mode="json")
    assert dumped == {"ledger": [{**make(id="a").model_dump(mode="json")}]}
    assert Holder.model_validate(dumped).ledger == Ledger([make(id="a")])
    assert Holder.model_validate_json(Holder(ledger=Ledger()).model_dump_json()).ledger == Ledger()


def test_claimed_credits_say_what_they_came_from() -> None:
    cpa = Measure(minutes_per_credit=50, minimum=Decimal(1), step=Decimal("0.5"))
    assert make(minutes=140).claimed(cpa).basis == "credits"
    by_minutes = make(credits=..., minutes=140).claimed(cpa)
    assert (by_minutes.credits, by_minutes.basis) == (Decimal("2.5"), "minutes")
    by_units = make(credits=..., units="0.3", unit="CEU").claimed(cpa)
    assert (by_units.credits, by_units.basis) == (Decimal("3.0"), "units")
    card = make(credits=..., kind="credential", valid_until="2026-01-01").claimed(cpa)
    assert card.credits == 0


def test_eligible_categories() -> None:
    either = make(category=..., eligible="Y; X")
    assert either.eligible == ("X", "Y")
    assert either.categories == ("X", "Y")


def test_categories_and_first_day() -> None:
    split = make(category=..., credits="3", split={"PS": "1", "BA": "2"}, started="2024-05-01")
    assert split.categories == ("BA", "PS")
    assert split.first_day == dt.date(2024, 5, 1)
    with pytest.raises(TypeError):
        split.split["PS"] = Decimal(3)  # type: ignore[index]
    assert hash(split) == hash(Activity.model_validate(split.model_dump()))


def test_record_problem_value_semantics() -> None:
    one = RecordProblem(1, "a", "credits", "-1", "x")
    assert one == RecordProblem(1, "a", "credits", "-1", "x")
    assert one != RecordProblem(1, "a", "credits", "-1", "x", code="duplicate-activity-id")
    assert one != "problem"
    assert len({one, RecordProblem(1, "a", "credits", "-1", "x")}) == 1
    assert repr(one) == "RecordProblem(1, 'a', 'credits', '-1', 'x')"
    assert (
        str(RecordProblem(0, None, None, 5, "a mapping")) == "record 0: got 5; expected a mapping"
    )


def test_unexpected_shapes_fall_back_to_pydantics_words() -> None:
    with pytest.raises(LedgerError) as info:
        Ledger.from_records([record(topics=5)])
    (problem,) = info.value.problems
    assert (problem.field, problem.value) == ("topics", 5)
    assert "valid tuple" in problem.expected


def test_activities_copy_and_pickle() -> None:
    split = make(category=..., credits="3", split={"PS": "1", "BA": "2"})
    assert copy.deepcopy(split) == split
    assert copy.copy(split.split) == split.split
    assert pickle.loads(pickle.dumps(Ledger([split]))) == Ledger([split])


_CELLS: dict[str, list[Any]] = {
    "id": ["a", "b", " a ", "", None],
    "title": ["T", "", "  "],
    "completed": ["2024-01-05", dt.date(2024, 1, 5), dt.datetime(2024, 1, 5), "bad", None],
    "credits": ["1.5", 2, Decimal("0.25"), 0.5, float("nan"), "", None, -1, True],
    "category": ["A", "  ", None],
    "kind": ["course", "credential", "nope"],
    "credts": ["1"],
}


@st.composite
def _table_records(draw: st.DrawFn) -> dict[str, Any]:
    # Mostly valid rows (a few cells changed, or dropped), so both paths are exercised.
    base: dict[str, Any] = {
        "id": draw(st.sampled_from(["a", "b", "c", " d "])),
        "title": "T",
        "completed": "2024-01-05",
        "credits": "1.5",
    }
    for key in draw(st.lists(st.sampled_from(sorted(_CELLS)), unique=True, max_size=2)):
        if draw(st.booleans()) and key in base:
            del base[key]
        else:
            base[key] = draw(st.sampled_from(_CELLS[key]))
    return base


@given(st.lists(_table_records(), max_size=5))
def test_from_records_reads_a_whole_table_as_it_reads_each_record(records: list[Any]) -> None:
    # The one-validation path of from_records agrees with reading record by record.
    problems: list[RecordProblem] = []
    one_by_one = [_activity_from_record(i, r, problems) for i, r in enumerate(records)]
    at_once = _from_clean_records(list(records))
    ids = [activity.id for activity in one_by_one if activity is not None]
    if at_once is None:
        assert problems or len(set(ids)) < len(ids)
    else:
        assert not problems
        assert at_once == one_by_one
        assert [repr(a) for a in at_once] == [repr(a) for a in one_by_one]
