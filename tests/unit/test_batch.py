"""cperules.batch: a whole membership in one stream, one compact row per holding."""

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from cperules import CperulesError, Holder, Holding, Ledger, LedgerError, batch, evaluate
from cperules.errors import ArgumentError

AS_OF = dt.date(2025, 1, 1)
CISSP = Holding(certification="isc2/cissp", earned=dt.date(2024, 1, 15))
PMP = Holding(certification="pmi/pmp", earned=dt.date(2023, 5, 2))


def activity(holder: str, number: int, **changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "holder": holder,
        "id": f"{holder}-{number}",
        "title": "Course",
        "completed": "2024-03-01",
        "credits": "10",
        "category": "A",
    }
    return {**record, **changes}


TABLE = [activity("ana", 1), activity("ana", 2, credits="30"), activity("ben", 1)]


def test_each_holding_gets_a_row_with_its_evaluations_figures() -> None:
    rows = list(batch.evaluate_table(TABLE, {"ana": CISSP, "ben": CISSP}, as_of=AS_OF))
    assert [row["holder"] for row in rows] == ["ana", "ben"]
    ana = rows[0]
    ledger = Ledger.from_records([{k: v for k, v in r.items() if k != "holder"} for r in TABLE[:2]])
    result = evaluate(CISSP, ledger, as_of=AS_OF)
    assert ana["certification"] == "isc2/cissp"
    assert ana["as_of"] == "2025-01-01"
    assert ana["status"] == result.status
    assert ana["standing"] == result.standing.standing
    assert ana["due"] == result.governing.due.isoformat()
    assert ana["counted"] == "40" == str(result.governing.counted)
    assert ana["shortfall"] == "80"  # the total's 80; group A's 50 is part of it, not added
    assert ana["carried_in"] == "0"
    deadline = result.next_deadlines()[0]
    assert (ana["next_deadline"], ana["next_deadline_kind"]) == (
        deadline.date.isoformat(),
        deadline.kind,
    )
    assert ana["findings"] == len(result.findings) == 0
    assert (ana["error_code"], ana["error"]) == (None, None)
    assert tuple(ana) == batch.ROW_FIELDS
    json.dumps(rows)  # plain, JSON-compatible values


def test_findings_are_counted() -> None:
    table = [activity("ana", 1, category="a")]  # 'a' is not a category of CISSP
    (row,) = batch.evaluate_table(table, {"ana": CISSP}, as_of=AS_OF)
    assert row["findings"] == 1


def test_a_bad_record_becomes_an_error_row_located_by_its_table_row_and_the_batch_goes_on() -> None:
    table = [*TABLE, activity("cy", 1), activity("cy", 2, completed="2024-13-01")]
    holdings = {"ana": CISSP, "ben": CISSP, "cy": CISSP}
    rows = list(batch.evaluate_table(table, holdings, as_of=AS_OF))
    assert [(row["holder"], row["error_code"]) for row in rows] == [
        ("ana", None),
        ("ben", None),
        ("cy", "invalid-record"),
    ]
    error = rows[2]
    assert error["certification"] == "isc2/cissp"
    assert (error["status"], error["counted"], error["findings"]) == (None, None, None)
    assert error["error"] is not None
    assert error["error"].startswith("holder 'cy': record 4 (id 'cy-2'), field 'completed'")


def test_errors_raise_stops_at_the_first_bad_holder() -> None:
    table = [activity("ana", 1, credits="-1"), *TABLE[2:]]
    rows = batch.evaluate_table(table, {"ana": CISSP, "ben": CISSP}, as_of=AS_OF, errors="raise")
    with pytest.raises(LedgerError, match="record 0 \\(id 'ana-1'\\), field 'credits'"):
        next(rows)


def test_holders_without_records_are_evaluated_with_an_empty_ledger_unless_skipped() -> None:
    holdings = {"ana": CISSP, "ben": CISSP, "dee": PMP}
    rows = list(batch.evaluate_table(TABLE, holdings, as_of=AS_OF))
    assert [(row["holder"], row["certification"]) for row in rows][-1] == ("dee", "pmi/pmp")
    assert rows[-1]["counted"] == "0"
    skipped = list(batch.evaluate_table(TABLE, holdings, as_of=AS_OF, absent="skip"))
    assert [row["holder"] for row in skipped] == ["ana", "ben"]


def test_a_holder_of_several_certifications_gets_a_row_for_each() -> None:
    rows = list(batch.evaluate_table(TABLE[:2], {"ana": [CISSP, PMP]}, as_of=AS_OF))
    assert [(row["holder"], row["certification"]) for row in rows] == [
        ("ana", "isc2/cissp"),
        ("ana", "pmi/pmp"),
    ]


def test_a_holder_without_a_holding_gets_an_unknown_holder_row() -> None:
    rows = list(batch.evaluate_table(TABLE, {"ana": CISSP}, as_of=AS_OF))
    assert rows[1]["holder"] == "ben"
    assert rows[1]["error_code"] == "unknown-holder"
    assert rows[1]["error"] == "holder 'ben' (record 2): holdings has no holding for them"
    with pytest.raises(CperulesError) as info:
        list(batch.evaluate_table(TABLE, {"ana": CISSP}, as_of=AS_OF, errors="raise"))
    assert info.value.code == "unknown-holder"


def test_a_holder_whose_records_are_not_together_gets_an_error_row() -> None:
    table = [activity("ana", 1), activity("ben", 1), activity("ana", 2)]
    rows = list(batch.evaluate_table(table, {"ana": CISSP, "ben": CISSP}, as_of=AS_OF))
    assert [(row["holder"], row["error_code"]) for row in rows] == [
        ("ana", None),
        ("ben", None),
        ("ana", "invalid-argument"),
    ]
    assert "records again from record 2" in str(rows[2]["error"])
    assert "sort the table by 'holder'" in str(rows[2]["error"])


def test_a_record_without_a_holder_gets_its_own_error_row() -> None:
    table = [activity("ana", 1), activity("", 9), activity("ana", 2)]
    rows = list(batch.evaluate_table(table, {"ana": CISSP}, as_of=AS_OF))
    assert [(row["holder"], row["error_code"]) for row in rows] == [
        ("", "invalid-record"),
        ("ana", None),
    ]
    assert rows[1]["counted"] == "20"  # the run around the bad record is not broken
    assert (
        rows[0]["error"] == "record 1: expected a record with a 'holder' column naming its holder"
    )


def test_an_unknown_certification_becomes_an_error_row() -> None:
    holding = Holding(certification="isc2/cisssp", earned=dt.date(2024, 1, 15))
    (row,) = batch.evaluate_table(TABLE[2:], {"ben": holding}, as_of=AS_OF)
    assert row["error_code"] == "unknown-certification"
    assert row["certification"] == "isc2/cisssp"
    assert "did you mean 'isc2/cissp'" in str(row["error"])


def test_the_table_is_read_as_a_stream_one_holder_at_a_time() -> None:
    consumed: list[int] = []

    def table() -> Iterator[dict[str, Any]]:
        for number in range(1_000):
            consumed.append(number)
            yield activity(f"h{number // 2:04d}", number)

    holdings = {f"h{n:04d}": CISSP for n in range(500)}
    rows = batch.evaluate_table(table(), holdings, as_of=AS_OF)
    first = next(rows)
    assert first["holder"] == "h0000"
    assert len(consumed) == 3  # the first holder's two records, and one of the next
    assert sum(1 for _ in rows) == 499


def test_the_inputs_are_not_changed() -> None:
    table = [dict(record) for record in TABLE]
    holdings: dict[str, batch.Held] = {
        "ana": CISSP,
        "ben": {"certification": "CISSP", "earned": "2024-01-15"},
    }
    list(batch.evaluate_table(table, holdings, as_of=AS_OF))
    assert table == TABLE
    assert holdings["ben"] == {"certification": "CISSP", "earned": "2024-01-15"}


def test_a_stream_of_holder_holding_ledger_triples() -> None:
    ledger = Ledger.from_records([{k: v for k, v in r.items() if k != "holder"} for r in TABLE[:2]])
    items: list[tuple[str, Any, Any]] = [
        ("ana", CISSP, ledger),
        ("ben", PMP, [{"id": "x", "title": "T", "completed": "2024-01-01"}]),  # no amount
        ("cy", {"certification": "pmi/pmp", "earned": "2023-05-02"}, Ledger()),
        ("dee", CISSP, Ledger()),
    ]
    rows = list(batch.evaluate_stream(items, as_of=AS_OF))
    assert [(row["holder"], row["error_code"]) for row in rows] == [
        ("ana", None),
        ("ben", "invalid-record"),
        ("cy", None),
        ("dee", None),
    ]
    assert rows[0]["counted"] == "40"
    assert rows[2]["certification"] == "pmi/pmp"


def test_a_malformed_stream_item_becomes_an_error_row_or_raises() -> None:
    items: list[Any] = [("ana", CISSP), ("ben", CISSP, Ledger())]
    rows = list(batch.evaluate_stream(items, as_of=AS_OF))
    assert rows[0]["holder"] == "0"
    assert rows[0]["error_code"] == "invalid-argument"
    assert "items[0]: expected a (holder, holding, ledger) tuple" in str(rows[0]["error"])
    assert rows[1]["error_code"] is None
    with pytest.raises(ArgumentError, match="items\\[0\\]"):
        list(batch.evaluate_stream(items, as_of=AS_OF, errors="raise"))


def test_bad_arguments_are_refused_when_the_first_row_is_asked_for() -> None:
    with pytest.raises(ArgumentError, match="errors: expected 'row' or 'raise', got 'skip'"):
        next(batch.evaluate_stream([], as_of=AS_OF, errors="skip"))  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="as_of"):
        next(batch.evaluate_table([], {}, as_of="2025-01-01"))  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="absent: expected 'evaluate' or 'skip'"):
        next(batch.evaluate_table([], {}, as_of=AS_OF, absent="no"))  # type: ignore[arg-type]


def test_holdings_records_give_the_holder_attributes_in_their_own_columns() -> None:
    holding = batch.holding_from_record(
        {
            "holder": "ana",
            "certification": "isc2/cissp",
            "earned": dt.datetime(2024, 1, 15),  # a DataFrame's Timestamp at midnight
            "birth_date": "1985-07-14",
            "family_name": "Okafor",
            "group": float("nan"),  # an empty cell
        }
    )
    assert holding == Holding(
        certification="isc2/cissp",
        earned=dt.date(2024, 1, 15),
        holder=Holder(birth_date=dt.date(1985, 7, 14), family_name="Okafor"),
    )


def test_a_holdings_record_that_does_not_validate_is_located() -> None:
    with pytest.raises(CperulesError) as info:
        batch.holding_from_record({"holder": "ana", "certification": "CISSP", "earned": "soon"})
    assert info.value.code == "invalid-record"
    assert str(info.value).startswith("holdings record of 'ana': column 'earned': got 'soon'; ")
    with pytest.raises(CperulesError, match="column 'birth_date': got 'x'"):
        batch.holding_from_record(
            {"certification": "CISSP", "earned": "2024-01-01", "birth_date": "x"}, holder="ana"
        )
    rows = list(batch.evaluate_table(TABLE[:1], {"ana": {"certification": "CISSP"}}, as_of=AS_OF))
    assert rows[0]["error_code"] == "invalid-record"
    assert "column 'earned': expected a value (field required)" in str(rows[0]["error"])


def test_a_holdings_column_that_is_not_known_is_refused_not_ignored() -> None:
    record = {"member": "ana", "certification": "CISSP", "earned": "2024-01-01", "birth_dat": "x"}
    with pytest.raises(CperulesError) as info:
        batch.holding_from_record(record, holder_column="member")
    assert str(info.value) == (
        "holdings record of 'ana': column 'birth_dat': got 'x'; expected a holdings column "
        "(did you mean 'birth_date'?)"
    )
    # The holder column itself is the caller's, whatever its name.
    record = {**activity("ana", 1), "member": "ana"}
    del record["holder"]
    (row,) = batch.evaluate_table(
        [record],
        {"ana": {"member": "ana", "certification": "CISSP", "earned": "2024-01-15"}},
        as_of=AS_OF,
        holder_column="member",
    )
    assert row["error_code"] is None


def test_carried_credit_is_reported() -> None:
    # CISSP carries up to 40 Group A credits earned in the cycle's last six months.
    table = [activity("ana", n, completed="2026-12-01", credits="40") for n in range(5)]
    (row,) = batch.evaluate_table(table, {"ana": CISSP}, as_of=dt.date(2027, 3, 1))
    assert Decimal(str(row["carried_in"])) > 0
