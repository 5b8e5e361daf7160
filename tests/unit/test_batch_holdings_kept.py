"""Holdings read from a batch's records are read once per distinct record, and shared."""

from __future__ import annotations

import datetime as dt

from cperules import batch
from cperules.batch import evaluate_table


def test_holders_with_the_same_record_share_one_holding() -> None:
    record = {"holder": "a", "certification": "pmi/pmp", "earned": "2023-05-02"}
    first = batch._holding_of(record, "a", "holder")
    second = batch._holding_of({**record, "holder": "b"}, "b", "holder")
    assert first is second
    assert first == batch.holding_from_record(record)


def test_cells_equal_in_value_but_not_in_type_are_read_apart() -> None:
    as_text = {"holder": "a", "certification": "pmi/pmp", "earned": "2023-05-02"}
    as_date = {"holder": "a", "certification": "pmi/pmp", "earned": dt.date(2023, 5, 2)}
    assert batch._holding_of(as_text, "a", "holder") == batch._holding_of(as_date, "a", "holder")
    assert batch._holding_of(as_text, "a", "holder") is not batch._holding_of(
        as_date, "a", "holder"
    )


def test_a_bad_record_is_an_error_row_of_each_holder_that_has_it() -> None:
    holdings = {
        "ana": {"certification": "pmi/pmp", "earnd": "2023-05-02"},
        "ben": {"certification": "pmi/pmp", "earnd": "2023-05-02"},
    }
    rows = list(evaluate_table([], holdings, as_of=dt.date(2024, 1, 1)))
    assert [(row["holder"], row["error_code"]) for row in rows] == [
        ("ana", "invalid-record"),
        ("ben", "invalid-record"),
    ]
    assert "'ana'" in str(rows[0]["error"])
    assert "'ben'" in str(rows[1]["error"])


def test_an_unhashable_cell_is_read_as_it_is() -> None:
    record = {"holder": "a", "certification": "pmi/pmp", "earned": ["2023-05-02"]}
    rows = list(evaluate_table([], {"a": record}, as_of=dt.date(2024, 1, 1)))
    assert rows[0]["error_code"] == "invalid-record"
