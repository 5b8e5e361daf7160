"""Ledgers and results as tables: flat records in, flat records out, with or without pandas.

The duck-typed cases (numpy scalars, pandas' empty-cell markers) are tested first with
stand-ins, so they run everywhere; the same cases run again with the real libraries when
they are installed (CI installs them).
"""

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError
from sample_ledger import SAMPLE_CSV, sample_ledger

from cperules import Activity, Holding, Ledger, LedgerError, catalog, evaluate


class FakeScalar:
    """What a numpy scalar looks like from outside: a 0-d value with a dtype and .item()."""

    ndim = 0

    def __init__(self, value: object, kind: str = "f") -> None:
        self.value = value
        self.dtype = type("dtype", (), {"kind": kind})()

    def item(self) -> object:
        return self.value

    def astype(self, unit: str) -> "FakeScalar":
        assert unit == "datetime64[us]"
        return self


class NAType:
    """Stands in for pandas.NA, which refuses to be truthy."""

    def __bool__(self) -> bool:
        raise TypeError("boolean value of NA is ambiguous")

    def __eq__(self, other: object) -> bool:
        raise TypeError("NA is not comparable")

    __hash__ = None  # type: ignore[assignment]


class NaTType(dt.datetime):
    """Stands in for pandas.NaT, which is a datetime whose fields are meaningless."""


def test_ledger_records_share_one_set_of_keys() -> None:
    ledger = Ledger(
        [
            Activity(id="a", title="A", completed=dt.date(2024, 1, 1), credits=Decimal(2)),
            Activity(
                id="b",
                title="B",
                completed=dt.date(2024, 2, 1),
                credits=Decimal(5),
                split={"ways-of-working": Decimal(3), "business-acumen": Decimal(2)},
                topics=("ethics", "ai"),
                kind="webinar",
            ),
        ]
    )
    records = ledger.to_records()
    assert records == json.loads(json.dumps(records))
    assert [list(r) for r in records] == [
        ["id", "title", "completed", "credits", "split", "topics", "kind"]
    ] * 2
    assert records[0]["split"] is None
    assert records[1]["split"] == "ways-of-working=3; business-acumen=2"
    assert records[1]["topics"] == "ai, ethics"
    assert Ledger.from_records(records) == ledger
    assert Ledger().to_records() == []


def test_names_holding_a_separator_stay_lists_so_they_round_trip() -> None:
    odd = Activity(
        id="o",
        title="Odd",
        completed=dt.date(2024, 1, 1),
        credits=Decimal(1),
        split={"a;b": Decimal(1)},
        topics=("x, y",),
        claimed_for=("p", "q"),
    )
    record = odd.to_record()
    assert record["topics"] == ["x, y"]
    assert record["split"] == {"a;b": "1"}
    assert record["claimed_for"] == "p, q"
    assert Ledger.from_records([record]) == Ledger([odd])


def test_split_as_text_is_read_and_bad_text_is_located() -> None:
    (activity,) = Ledger.from_records(
        [
            {
                "id": "p",
                "title": "PMI course",
                "completed": "2024-03-01",
                "credits": "5",
                "split": " ways-of-working = 3 ; business-acumen=2; ",
            }
        ]
    )
    assert activity.split == {"ways-of-working": Decimal(3), "business-acumen": Decimal(2)}
    for bad in ("ways-of-working 3", "=3", "a=", "a=1; a=2"):
        with pytest.raises(LedgerError) as caught:
            Ledger.from_records(
                [{"id": "p", "title": "T", "completed": "2024-03-01", "credits": 3, "split": bad}]
            )
        (problem,) = caught.value.problems
        assert (problem.field, problem.value) == ("split", bad)
        assert "text such as 'A=3; B=2'" in problem.expected


def test_dataframe_cells_are_read_without_pandas_or_numpy() -> None:
    records: list[dict[str, Any]] = [
        {
            "id": FakeScalar("a1", kind="U"),
            "title": "Course",
            "completed": dt.datetime(2024, 5, 2),  # a Timestamp at midnight: its date
            "credits": FakeScalar(12.5),
            "minutes": float("nan"),
            "category": "A",
            "topics": NAType(),
            "approved": FakeScalar(True, kind="b"),
            "provider": NaTType(2000, 1, 1),
        },
        {
            "id": "w1",
            "title": "Webinar",
            "completed": FakeScalar(dt.datetime(2024, 6, 1), kind="M"),
            "started": FakeScalar(None, kind="M"),  # numpy's NaT holds None
            "credits": None,
            "minutes": FakeScalar(90, kind="i"),
        },
    ]
    snapshot = repr(records)
    course, webinar = Ledger.from_records(records)
    assert repr(records) == snapshot  # nothing a caller passes is changed
    assert course == Activity(
        id="a1",
        title="Course",
        completed=dt.date(2024, 5, 2),
        credits=Decimal("12.5"),
        category="A",
        approved=True,
    )
    assert (webinar.completed, webinar.started, webinar.minutes) == (dt.date(2024, 6, 1), None, 90)


def test_a_datetime_with_a_time_of_day_is_refused_not_cut_to_its_date() -> None:
    # Issue 18: strict means rejected; a time of day is never dropped silently.
    with pytest.raises(LedgerError) as caught:
        Ledger.from_records(
            [{"id": "a", "title": "T", "completed": dt.datetime(2024, 3, 1, 12), "credits": 1}]
        )
    (problem,) = caught.value.problems
    assert problem.field == "completed"
    assert problem.expected == "a date, not a datetime (pass datetime.date(2024, 3, 1))"
    with pytest.raises(ValidationError, match="a date, not a datetime"):
        Activity(id="a", title="T", completed=dt.datetime(2024, 3, 1), credits=Decimal(1))


def test_float_cells_are_read_by_their_shortest_decimal_text_and_inexact_ones_refused() -> None:
    (activity,) = Ledger.from_records(
        [{"id": "a", "title": "T", "completed": "2024-03-01", "credits": 0.3}]
    )
    assert activity.credits == Decimal("0.3")
    with pytest.raises(LedgerError) as caught:
        Ledger.from_records(
            [{"id": "a", "title": "T", "completed": "2024-03-01", "credits": 0.1 + 0.2}]
        )
    (problem,) = caught.value.problems
    assert (problem.field, problem.value) == ("credits", Decimal("0.30000000000000004"))
    assert "6 decimal places" in problem.expected
    with pytest.raises(ValidationError, match=r"an exact amount: a string such as '0\.3'"):
        Activity(id="a", title="T", completed=dt.date(2024, 3, 1), credits=0.3)  # type: ignore[arg-type]


def test_a_datetime_outside_a_date_field_is_not_turned_into_a_date() -> None:
    with pytest.raises(LedgerError) as caught:
        Ledger.from_records(
            [{"id": "a", "title": dt.datetime(2024, 1, 1), "completed": "2024-01-01", "credits": 1}]
        )
    (problem,) = caught.value.problems
    assert problem.field == "title"
    assert problem.value == dt.datetime(2024, 1, 1)


def test_numpy_scalars_are_read_as_python_numbers() -> None:
    np = pytest.importorskip("numpy")
    (activity,) = Ledger.from_records(
        [
            {
                "id": np.str_("n1"),
                "title": "Numbers",
                "completed": np.datetime64("2024-05-02T00:00:00.000000000"),
                "started": np.datetime64("NaT"),
                "credits": np.float64(2.25),
                "minutes": np.int64(135),
                "approved": np.bool_(False),
                "category": np.float64("nan"),
            }
        ]
    )
    assert activity == Activity(
        id="n1",
        title="Numbers",
        completed=dt.date(2024, 5, 2),
        credits=Decimal("2.25"),
        minutes=135,
        approved=False,
    )


def test_a_dataframe_of_results_and_a_ledger_round_trip() -> None:
    pd = pytest.importorskip("pandas")
    ledger = sample_ledger()
    result = evaluate(
        Holding(certification=catalog.get("isc2/cissp"), earned=dt.date(2023, 3, 1)),
        ledger,
        as_of=dt.date(2026, 11, 24),
    )
    parts = pd.DataFrame(result.to_records())
    assert len(parts) == len(result.to_records())
    assert list(parts.columns)[:3] == ["certification", "cycle", "cycle_start"]
    capped = parts[parts["reason"] == "capped"]
    assert capped["credits"].map(Decimal).sum() == Decimal(15)
    activities = pd.DataFrame(result.to_records(by="activity"))
    assert activities.groupby("cycle")["counted"].apply(
        lambda s: s.map(Decimal).sum()
    ).to_dict() == {
        0: Decimal(120),
        1: Decimal("2.5"),
    }
    frame = pd.DataFrame(ledger.to_records())
    assert Ledger.from_records(frame.to_dict("records")) == ledger


def test_a_csv_read_by_pandas_gives_the_same_ledger() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(io.StringIO(SAMPLE_CSV), parse_dates=["completed"])
    assert str(frame["completed"].dtype).startswith("datetime64")
    assert frame["minutes"].isna().any()  # empty cells are NaN in a float column
    frame["approved"] = pd.array([True, None, False, None, None, None, None], dtype="boolean")
    records = frame.to_dict("records")
    ledger = Ledger.from_records(records)
    expected = sample_ledger()
    assert ledger.ids == expected.ids
    assert [a.model_copy(update={"approved": None}) for a in ledger] == list(expected)
    assert [a.approved for a in ledger][:3] == [True, None, False]
    nullable = pd.DataFrame({"id": ["m"], "title": ["T"], "completed": ["2024-01-01"]})
    nullable["minutes"] = pd.array([None], dtype="Int64")
    nullable["credits"] = pd.array([3], dtype="Int64")
    nullable["started"] = pd.to_datetime(pd.Series([None], dtype="object"))
    (record,) = nullable.to_dict("records")
    assert record["started"] is pd.NaT
    (row,) = (row._asdict() for row in nullable.itertuples(index=False))
    assert row["minutes"] is pd.NA  # rows as tuples keep pandas' own markers and numpy numbers
    assert type(row["credits"]).__module__ == "numpy"
    for given in (record, row):
        (activity,) = Ledger.from_records([given])
        assert (activity.minutes, activity.credits, activity.started) == (None, Decimal(3), None)
