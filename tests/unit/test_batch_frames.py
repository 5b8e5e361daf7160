"""cperules.batch over pandas DataFrames and Dask dataframes (skipped where not installed)."""

import datetime as dt
from typing import Any

import pytest

from cperules import batch
from cperules.errors import ArgumentError

pd: Any = pytest.importorskip("pandas")

AS_OF = dt.date(2025, 1, 1)


def holdings_frame(count: int) -> Any:
    return pd.DataFrame(
        {
            "holder": [f"p{n:03d}" for n in range(count)],
            "certification": ["pmi/pmp" if n % 3 else "isc2/cissp" for n in range(count)],
            "earned": [dt.date(2023, 5, 2) + dt.timedelta(days=n) for n in range(count)],
        }
    )


def activities_frame(count: int) -> Any:
    holders = [f"p{n % count:03d}" for n in range(3 * count)]
    return pd.DataFrame(
        {
            "holder": holders,
            "id": [f"a{n}" for n in range(3 * count)],
            "title": "Course",
            "completed": pd.to_datetime("2024-03-01"),
            "credits": 7.5,
            "category": ["ways-of-working" if h != "p000" else "A" for h in holders],
            "eligible": None,
        }
    )


def test_frames_give_one_row_per_holding_as_the_table_path_does() -> None:
    holdings, activities = holdings_frame(7), activities_frame(6)  # p006 has no activities
    activities.loc[4, "credits"] = -1.0  # one of p004's records
    frame = batch.evaluate_frames(holdings, activities, as_of=AS_OF)
    assert list(frame.columns) == list(batch.ROW_FIELDS)
    assert sorted(frame["holder"]) == [f"p{n:03d}" for n in range(7)]
    by_holder = frame.set_index("holder")
    assert by_holder.loc["p001", "counted"] == "22.5"  # three records of 7.5
    assert by_holder.loc["p006", "counted"] == "0"
    assert by_holder.loc["p004", "error_code"] == "invalid-record"
    assert "record 4 (id 'a4'), field 'credits'" in by_holder.loc["p004", "error"]
    assert pd.isna(by_holder.loc["p001", "error_code"])
    assert str(frame["findings"].dtype) == "Int64"


def test_a_frame_is_read_as_its_records_are() -> None:
    np = pytest.importorskip("numpy")
    frame = pd.DataFrame(
        {
            "holder": ["p1", None, "p2", "p2"],
            "text": ["a", None, "c", ""],
            "string": pd.array(["a", None, "c", "d"], dtype="string"),
            "number": [1.5, np.nan, 2.0, 0.1],
            "integer": [1, 2, 3, 4],
            "nullable": pd.array([1, None, 3, 4], dtype="Int64"),
            "day": pd.to_datetime(["2024-01-01", None, "2024-01-03", "2024-01-04"]),
            "object": pd.Series(
                [dt.date(2024, 1, 1), None, np.int64(3), np.float64(0.5)], dtype=object
            ),
            "flag": [True, False, True, False],
            "category": pd.Categorical(["x", "y", None, "x"]),
        }
    )
    expected = frame.to_dict("records")
    read = list(batch._frame_records(frame, "holder"))
    assert [cell for cell, _ in read] == [record["holder"] for record in expected]
    for (_, record), wanted in zip(read, expected, strict=True):
        assert list(record) == [key for key in wanted if key != "holder"]
        for key, value in record.items():  # repr: NaN is not equal to itself
            assert (type(value), repr(value)) == (type(wanted[key]), repr(wanted[key])), key


def test_text_columns_without_empty_cells_are_read_as_their_records_are() -> None:
    # Text columns with no empty cell skip the per-cell conversion: the same cells still.
    frame = pd.DataFrame(
        {
            "holder": pd.array(["p1", "p2", "p2"], dtype="str"),
            "python": pd.array(["a", "b", ""], dtype=pd.StringDtype("python")),
            "default": pd.array(["a", "b", " "], dtype="string"),
            "mixed": pd.array(["a", None, "c"], dtype="str"),
        }
    )
    expected = frame.to_dict("records")
    read = list(batch._frame_records(frame, "holder"))
    assert [cell for cell, _ in read] == [record["holder"] for record in expected]
    for (_, record), wanted in zip(read, expected, strict=True):
        for key, value in record.items():
            assert (type(value), repr(value)) == (type(wanted[key]), repr(wanted[key])), key


def test_frames_rows_match_the_table_path_row_for_row() -> None:
    holdings, activities = holdings_frame(5), activities_frame(5)
    frame = batch.evaluate_frames(holdings, activities, as_of=AS_OF)
    by_holder = {record["holder"]: record for record in holdings.to_dict("records")}
    ordered = activities.sort_values("holder", kind="stable").to_dict("records")
    table = list(batch.evaluate_table(ordered, by_holder, as_of=AS_OF))
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    assert sorted(rows, key=lambda row: row["holder"]) == sorted(
        table, key=lambda row: row["holder"]
    )


def test_frames_without_activities() -> None:
    frame = batch.evaluate_frames(holdings_frame(2), activities_frame(0), as_of=AS_OF)
    assert list(frame["counted"]) == ["0", "0"]


def test_dask_runs_the_batch_on_a_local_cluster_of_processes() -> None:
    dd: Any = pytest.importorskip("dask.dataframe")
    distributed: Any = pytest.importorskip("distributed")
    holdings, activities = holdings_frame(40), activities_frame(30)
    activities.loc[10, "completed"] = pd.NaT  # one holder's bad record
    expected = batch.evaluate_frames(holdings, activities, as_of=AS_OF)
    holdings["holder"] = holdings["holder"].astype(object)  # ids hash alike whatever the dtype
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster),
    ):
        result = batch.evaluate_dask(
            dd.from_pandas(holdings, npartitions=3),
            dd.from_pandas(activities, npartitions=4),
            as_of=AS_OF,
        ).compute()
        # Frames already partitioned alike by holder (here: one partition each) skip the
        # shuffle.
        aligned = batch.evaluate_dask(
            dd.from_pandas(holdings, npartitions=1),
            dd.from_pandas(activities, npartitions=1),
            as_of=AS_OF,
            partitioned_by_holder=True,
        ).compute()
    assert len(result) == 40
    got = result.sort_values(["holder", "certification"]).reset_index(drop=True)
    want = expected.sort_values(["holder", "certification"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)
    assert (got["error_code"] == "invalid-record").sum() == 1
    aligned = aligned.sort_values(["holder", "certification"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(aligned, want)


def test_dask_frames_said_to_be_partitioned_alike_must_have_as_many_partitions() -> None:
    dd: Any = pytest.importorskip("dask.dataframe")
    with pytest.raises(ArgumentError, match="holdings has 2 partitions and activities 3"):
        batch.evaluate_dask(
            dd.from_pandas(holdings_frame(4), npartitions=2),
            dd.from_pandas(activities_frame(9), npartitions=3),
            as_of=AS_OF,
            partitioned_by_holder=True,
        )
