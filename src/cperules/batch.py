"""Evaluate a whole membership: many holders in one stream, one compact row each.

:func:`evaluate_stream` takes ``(holder, holding, ledger)`` triples;
:func:`evaluate_table` takes a long table of activity records with a holder column,
each holder's records together (sorted by holder), and the holdings by holder. Both
yield one :class:`BatchRow` (a plain, JSON-compatible dict) per holding as they go, and
keep only one holder's records in memory: a stream of any length runs in bounded memory.

A problem with one holder (a bad record, an unknown certification, a holding that does
not validate) becomes that holder's error row, with the error's code and located message,
and the batch goes on; ``errors="raise"`` raises it instead.

:func:`evaluate_frames` does the same for two pandas DataFrames (holdings and
activities), the unit of work of a Dask partition or of a Spark ``applyInPandas``
group, and :func:`evaluate_dask` runs it over Dask dataframes (the ``dask`` extra).

>>> import datetime as dt
>>> from cperules import Holding
>>> holdings = {"ana": Holding(certification="CISSP", earned=dt.date(2024, 1, 15)),
...             "ben": Holding(certification="CISSP", earned=dt.date(2024, 9, 1))}
>>> table = [
...     {"holder": "ana", "id": "a1", "title": "Course", "completed": "2024-03-01",
...      "credits": "40", "category": "A"},
...     {"holder": "ben", "id": "b1", "title": "Course", "completed": "2024-13-01",
...      "credits": "4", "category": "A"},
... ]
>>> for row in evaluate_table(table, holdings, as_of=dt.date(2025, 1, 1)):
...     print(row["holder"], row["status"], row["shortfall"], row["error_code"])
ana in_progress 80 None
ben None None invalid-record
"""

from __future__ import annotations

import datetime as dt
import gc
import importlib
import math
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, Literal, TypedDict, cast

from pydantic import ValidationError

from cperules.credits import format_credits
from cperules.days import check_day
from cperules.errors import (
    ArgumentError,
    CperulesError,
    LedgerError,
    RecordProblem,
    did_you_mean,
)
from cperules.evaluation import verdict
from cperules.holders import Holder, Holding
from cperules.ledger import Ledger
from cperules.results import DeadlineKind, Standing, Status
from cperules.verdicts import Verdict

PandasFrame = Any
"""A ``pandas.DataFrame`` (pandas is imported only by the functions that need it)."""

DaskFrame = Any
"""A ``dask.dataframe.DataFrame`` (the ``dask`` extra; imported only when used)."""

__all__ = [
    "HOLDER_FIELDS",
    "HOLDING_COLUMNS",
    "ROW_FIELDS",
    "BatchRow",
    "DaskFrame",
    "Held",
    "OnError",
    "PandasFrame",
    "evaluate_dask",
    "evaluate_frames",
    "evaluate_stream",
    "evaluate_table",
    "holding_from_record",
]

OnError = Literal["row", "raise"]
"""What a problem with one holder does: become its error row, or stop the batch."""

Held = Holding | Mapping[str, object] | Sequence[Holding | Mapping[str, object]]
"""One holder's holdings: a holding, a holdings record, or several of either."""


class BatchRow(TypedDict):
    """One holding's result in a batch: plain, JSON-compatible values.

    Credits are decimal strings (exact: convert with ``Decimal`` or
    ``pandas.to_numeric``) written as :func:`~cperules.credits.format_credits` writes
    them (``3.5``, never ``3.50``: the same amount always reads the same), and dates ISO
    strings, as in ``Evaluation.to_records()``. A
    row for a holder whose evaluation failed has ``error_code`` and ``error`` (the located
    message) and ``None`` in every result field.
    """

    holder: str
    """The holder's id, as the stream or the table gave it."""
    certification: str | None
    """The certification's id (``None`` if the holding could not be read)."""
    as_of: str
    """The day evaluated."""
    status: Status | None
    """The holding's status (``Evaluation.status``)."""
    standing: Standing | None
    """The lifecycle stage in force on ``as_of`` (active, grace, suspended, expired...)."""
    due: str | None
    """When the governing cycle's credit is due (its end)."""
    counted: str | None
    """Credits applied to the governing cycle."""
    shortfall: str | None
    """The largest shortfall among the governing cycle's requirements: at least this many
    credits are still needed (``Evaluation.remaining()`` says which; requirements nest, so
    their shortfalls are not added up)."""
    carried_in: str | None
    """Credits carried into the governing cycle from the one before."""
    next_deadline: str | None
    """The first date still ahead by which something must be done (None: nothing)."""
    next_deadline_kind: DeadlineKind | None
    """What that date is: ``earn-by``, ``report-by`` or ``grace-ends``."""
    findings: int | None
    """How many findings the evaluation has (what the policy cannot read in the ledger)."""
    error_code: str | None
    """The error's code when this holder could not be evaluated."""
    error: str | None
    """The error's message, locating the problem (the table row of a bad record)."""


ROW_FIELDS: tuple[str, ...] = tuple(BatchRow.__annotations__)
"""The keys of every :class:`BatchRow`, in order (the columns of a result table)."""

HOLDER_FIELDS: tuple[str, ...] = tuple(Holder.model_fields)
"""Holder attributes a holdings record may give in its own columns (``birth_date``...)."""

HOLDING_COLUMNS: tuple[str, ...] = ("certification", "earned", *HOLDER_FIELDS)
"""The columns a holdings record may have besides its holder id."""


def _judged(holding: Holding, ledger: Ledger, as_of: dt.date) -> Verdict:
    """The one place a batch evaluates a holding: its verdict (no per-credit story)."""
    return verdict(holding, ledger, as_of=as_of)


def _row(holder: str, judged: Verdict) -> BatchRow:
    """A holding's row: every column is in its verdict (no explanation is built)."""
    governing = judged.governing
    deadlines = judged.deadlines
    shortfall = max((req.shortfall for req in governing.requirements), default=Decimal(0))
    return BatchRow(
        holder=holder,
        certification=judged.certification,
        as_of=judged.as_of.isoformat(),
        status=judged.status,
        standing=judged.standing.standing,
        due=governing.due.isoformat(),
        counted=format_credits(governing.counted),
        shortfall=format_credits(shortfall),
        carried_in=format_credits(governing.carried_in),
        next_deadline=deadlines[0].date.isoformat() if deadlines else None,
        next_deadline_kind=deadlines[0].kind if deadlines else None,
        findings=len(judged.findings),
        error_code=None,
        error=None,
    )


def _error_row(
    holder: str, certification: str | None, as_of: dt.date, code: str, message: str
) -> BatchRow:
    return BatchRow(
        holder=holder,
        certification=certification,
        as_of=as_of.isoformat(),
        status=None,
        standing=None,
        due=None,
        counted=None,
        shortfall=None,
        carried_in=None,
        next_deadline=None,
        next_deadline_kind=None,
        findings=None,
        error_code=code,
        error=message,
    )


def _require_on_error(errors: object) -> OnError:
    if errors == "row" or errors == "raise":  # noqa: PLR1714 - narrows to the Literal
        return errors
    raise ArgumentError(f"errors: expected 'row' or 'raise', got {errors!r}")


def _one(
    holder: str,
    holding: Holding | Mapping[str, object],
    ledger: Ledger | Iterable[Mapping[str, object]],
    *,
    as_of: dt.date,
    errors: OnError,
    rows: Sequence[int] | None = None,
    holder_column: str = "holder",
) -> BatchRow:
    """One holding's row; its problems become an error row unless ``errors="raise"``."""
    certification: str | None = None
    try:
        if not isinstance(holding, Holding):
            holding = _holding_of(holding, holder, holder_column)
        certification = holding.certification_id
        if not isinstance(ledger, Ledger):
            ledger = _ledger(ledger, rows)
        return _row(holder, _judged(holding, ledger, as_of))
    except CperulesError as error:
        if errors == "raise":
            raise
        return _error_row(holder, certification, as_of, error.code, f"holder {holder!r}: {error}")


HOLDINGS_KEPT = 4096
"""Holdings read from records kept, by the record's cells (one per certification, earned
day and holder attributes seen recently): a membership's holders share a few thousand."""

_holdings: dict[tuple[tuple[str, type, object], ...], Holding] = {}


def _holding_of(record: Mapping[str, object], holder: str, holder_column: str) -> Holding:
    """:func:`holding_from_record`, read once per distinct record (holdings are immutable).

    Holders earned the same day with the same attributes share one holding: the record's
    cells (with their types) but the holder's id are its key. A record that does not read
    is read each time (its error names the holder).
    """
    try:
        key = tuple(
            (name, type(value), value) for name, value in record.items() if name != holder_column
        )
        found = _holdings.get(key)
    except TypeError:  # a cell that cannot be a key (a list, say): read it as it is
        return holding_from_record(record, holder=holder, holder_column=holder_column)
    if found is None:
        found = holding_from_record(record, holder=holder, holder_column=holder_column)
        if len(_holdings) >= HOLDINGS_KEPT:
            _holdings.clear()
        _holdings[key] = found
    return found


def _ledger(records: Iterable[Mapping[str, object]], rows: Sequence[int] | None) -> Ledger:
    """A holder's ledger; a bad record is located by its row in the table, when known."""
    try:
        return Ledger.from_records(records)
    except LedgerError as error:
        if rows is None:
            raise
        raise LedgerError(
            [
                RecordProblem(
                    rows[problem.index],
                    problem.record_id,
                    problem.field,
                    problem.value,
                    problem.expected,
                    code=problem.code,
                )
                for problem in error.problems
            ]
        ) from None


def holding_from_record(
    record: Mapping[str, object], *, holder: str | None = None, holder_column: str = "holder"
) -> Holding:
    """A holding from a holdings table's record: certification, earned, holder attributes.

    ``certification`` is a catalog id or alias; ``earned`` and the holder's dates are
    dates or ISO strings; the holder's attributes (:data:`HOLDER_FIELDS`) sit in their own
    columns, beside ``holder_column`` (the holder's id, read by the caller). Empty cells
    (``None``, blank text, a DataFrame's NaN or ``NaT``) are not given; any other column
    is refused rather than ignored (a misspelt ``birth_dat`` would change the cycles).

    >>> holding_from_record({"holder": "ana", "certification": "PMP",
    ...                      "earned": "2023-05-02", "birth_date": None})
    Holding(certification='PMP', earned=datetime.date(2023, 5, 2))
    >>> holding_from_record({"holder": "ana", "certification": "PMP", "earnd": "2023-05-02"})
    Traceback (most recent call last):
    ...
    cperules.errors.CperulesError: holdings record of 'ana': column 'earnd': got '2023-05-02'; expected a holdings column (did you mean 'earned'?); column 'earned': expected a value (field required)

    Raises:
        CperulesError: ``invalid-record``, naming the holder (``holder``, else the
            record's ``holder_column``), each column, its value and what was expected.
    """  # noqa: E501
    label = holder if holder is not None else record.get(holder_column)
    where = "holdings record" + (f" of {str(label)!r}" if label is not None else "")
    problems = [
        f"column {key!r}: got {_short(value)}; expected a holdings column"
        f"{did_you_mean(str(key), HOLDING_COLUMNS)}"
        for key, value in record.items()
        if key not in HOLDING_COLUMNS and key != holder_column
    ]
    given = {key: _cell(value) for key, value in record.items() if key in HOLDING_COLUMNS}
    given = {key: value for key, value in given.items() if value is not None}
    person = {key: given.pop(key) for key in HOLDER_FIELDS if key in given}
    try:
        holding = Holding.model_validate({**given, "holder": person})
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            column = ".".join(str(part) for part in detail["loc"] if part != "holder")
            shown = "" if detail["type"] == "missing" else f"got {_short(detail['input'])}; "
            expected = "a value (field required)" if detail["type"] == "missing" else detail["msg"]
            problems.append(f"column {column!r}: {shown}expected {expected}")
    if problems:
        raise CperulesError(f"{where}: {'; '.join(problems)}", code="invalid-record")
    return holding


def _cell(value: object) -> object:
    """A table cell as a plain value: empty cells are ``None``, timestamps their day."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in {"NaTType", "NAType"}:
        return None
    if isinstance(value, dt.datetime) and value.time() == dt.time(0) and value.tzinfo is None:
        return value.date()
    item = getattr(value, "item", None)
    if getattr(value, "ndim", None) == 0 and callable(item):  # a numpy scalar
        return _cell(item())
    return value


def evaluate_stream(
    items: Iterable[
        tuple[str, Holding | Mapping[str, object], Ledger | Iterable[Mapping[str, object]]]
    ],
    *,
    as_of: dt.date,
    errors: OnError = "row",
) -> Iterator[BatchRow]:
    """One :class:`BatchRow` per ``(holder, holding, ledger)`` triple, as the stream goes.

    ``ledger`` is a :class:`~cperules.ledger.Ledger` or the holder's records (built with
    :meth:`Ledger.from_records <cperules.ledger.Ledger.from_records>`, so a bad record
    becomes an error row); ``holding`` a :class:`~cperules.holders.Holding` or a record
    that :func:`holding_from_record` reads. Nothing is kept between items.

    >>> import datetime as dt
    >>> from cperules import Holding, Ledger
    >>> pmp = Holding(certification="PMP", earned=dt.date(2023, 5, 2))
    >>> rows = evaluate_stream([("p1", pmp, Ledger()), ("p2", pmp, [{"id": "x"}])],
    ...                        as_of=dt.date(2024, 1, 1))
    >>> [(row["holder"], row["status"], row["error_code"]) for row in rows]
    [('p1', 'in_progress', None), ('p2', None, 'invalid-record')]

    Raises:
        ArgumentError: ``as_of`` is not a date or ``errors`` is neither ``"row"`` nor
            ``"raise"`` (raised when the first row is asked for); with
            ``errors="raise"``, the first holder's error.
    """
    day = check_day(as_of, "as_of")
    on_error = _require_on_error(errors)
    for position, item in enumerate(items):
        given: object = item  # callers may pass anything at run time
        if not isinstance(given, tuple) or len(given) != 3:
            message = (
                f"items[{position}]: expected a (holder, holding, ledger) tuple, got the "
                f"{type(item).__name__} {_short(item)}"
            )
            if on_error == "raise":
                raise ArgumentError(message)
            yield _error_row(str(position), None, day, "invalid-argument", message)
            continue
        holder, holding, ledger = item
        yield _one(str(holder), holding, ledger, as_of=day, errors=on_error)


def evaluate_table(
    records: Iterable[Mapping[str, object]],
    holdings: Mapping[str, Held],
    *,
    as_of: dt.date,
    holder_column: str = "holder",
    absent: Literal["evaluate", "skip"] = "evaluate",
    errors: OnError = "row",
) -> Iterator[BatchRow]:
    """One :class:`BatchRow` per holding, from a long table of everyone's activity records.

    Each record is an activity record (as :meth:`Ledger.from_records
    <cperules.ledger.Ledger.from_records>` reads it) plus ``holder_column``, naming whose
    it is; each holder's records come together (sort the table by holder), so only one
    holder's records are in memory at a time. ``holdings`` gives each holder's holding
    (or several, or a holdings record that :func:`holding_from_record` reads). Holders
    in ``holdings`` that have no records are evaluated with an empty ledger afterwards,
    unless ``absent="skip"``.

    A bad record is located by its row in the whole table (``record 1041 ...``). A holder
    with records and no holding gets an ``unknown-holder`` error row; a holder whose
    records appear again after another holder's gets an ``invalid-argument`` error row
    for the later records (sort the table).

    A record that names no holder gets an ``invalid-record`` error row of its own
    (holder ``""``).

    Raises:
        ArgumentError: ``as_of``, ``errors`` or ``absent`` is invalid (raised when the
            first row is asked for); with ``errors="raise"``, the first holder's error.
    """
    day = check_day(as_of, "as_of")
    on_error = _require_on_error(errors)
    if absent not in ("evaluate", "skip"):
        raise ArgumentError(f"absent: expected 'evaluate' or 'skip', got {absent!r}")
    yield from _table(
        _split(records, holder_column), holdings, day, on_error, holder_column, absent=absent
    )


def _split(
    records: Iterable[Mapping[str, object]], holder_column: str
) -> Iterator[tuple[object, Mapping[str, object] | None]]:
    """Each record's holder cell and the record without it (``None``: not a record)."""
    for record in records:
        given: object = record  # callers may pass anything at run time
        if isinstance(given, Mapping):
            yield (
                given.get(holder_column),
                {key: value for key, value in given.items() if key != holder_column},
            )
        else:
            yield None, None


def _table(
    records: Iterable[tuple[object, Mapping[str, object] | None]],
    holdings: Mapping[str, Held],
    day: dt.date,
    on_error: OnError,
    holder_column: str,
    *,
    absent: Literal["evaluate", "skip"] = "evaluate",
    labels: Sequence[int] | None = None,
) -> Iterator[BatchRow]:
    """:func:`evaluate_table`'s rows from each record's holder cell and the rest of it.

    ``labels`` number the records (a DataFrame's index).
    """
    seen: set[str] = set()
    for holder, rows, group in _groups(records, labels):
        yield from _group_rows(holder, rows, group, holdings, seen, day, on_error, holder_column)
    if absent == "evaluate":
        for holder, held in holdings.items():
            if holder not in seen:
                for holding in _holdings_of(held):
                    yield _one(
                        str(holder),
                        holding,
                        Ledger(),
                        as_of=day,
                        errors=on_error,
                        holder_column=holder_column,
                    )


def _group_rows(  # noqa: PLR0917 - one call site, read in order
    holder: str,
    rows: list[int],
    group: list[Mapping[str, object]] | None,
    holdings: Mapping[str, Held],
    seen: set[str],
    day: dt.date,
    on_error: OnError,
    holder_column: str,
) -> Iterator[BatchRow]:
    """The rows of one run of a holder's records (or of a record naming no holder)."""
    problem: CperulesError | None = None
    if group is None:
        problem = CperulesError(
            f"record {rows[0]}: expected a record with a {holder_column!r} column naming "
            "its holder",
            code="invalid-record",
        )
    elif holder in seen:
        problem = ArgumentError(
            f"holder {holder!r}: records again from record {rows[0]}, after other holders' "
            f"records; each holder's records must come together (sort the table by "
            f"{holder_column!r})"
        )
    elif holder not in holdings:
        problem = CperulesError(
            f"holder {holder!r} (record {rows[0]}): holdings has no holding for them",
            code="unknown-holder",
        )
    if problem is not None:
        if on_error == "raise":
            raise problem
        yield _error_row(holder, None, day, problem.code, str(problem))
        return
    seen.add(holder)
    for holding in _holdings_of(holdings[holder]):
        yield _one(
            holder,
            holding,
            group or [],
            as_of=day,
            errors=on_error,
            rows=rows,
            holder_column=holder_column,
        )


def _holdings_of(held: Held) -> Sequence[Holding | Mapping[str, object]]:
    if isinstance(held, Holding | Mapping):
        return (held,)
    return held


def _groups(
    records: Iterable[tuple[object, Mapping[str, object] | None]], labels: Sequence[int] | None
) -> Iterator[tuple[str, list[int], list[Mapping[str, object]] | None]]:
    """Runs of consecutive records of one holder: the holder, the rows, the records.

    ``records`` are each record's holder cell and the record without it. A record that
    names no holder comes alone, with ``None`` for records, and does not break the run
    around it.
    """
    holder: str | None = None
    rows: list[int] = []
    group: list[Mapping[str, object]] = []
    for position, (cell, record) in enumerate(records):
        index = position if labels is None else labels[position]
        who = cell if type(cell) is str and cell.strip() else _cell(cell)
        if who is None or record is None:
            yield "", [index], None
            continue
        if str(who) != holder and group:
            yield cast("str", holder), rows, group
            rows, group = [], []
        holder = str(who)
        rows.append(index)
        group.append(record)
    if group:
        yield cast("str", holder), rows, group


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def evaluate_frames(
    holdings: PandasFrame,
    activities: PandasFrame,
    *,
    as_of: dt.date,
    holder_column: str = "holder",
    errors: OnError = "row",
) -> PandasFrame:
    """:func:`evaluate_table` for two pandas DataFrames, as a DataFrame of :data:`ROW_FIELDS`.

    ``holdings`` has one row per holding: ``holder_column``, ``certification`` (a catalog
    id), ``earned`` and any holder attributes (:data:`HOLDER_FIELDS`); ``activities`` has
    ``holder_column`` and activity fields. This is the unit of work of a Dask partition
    (:func:`evaluate_dask`) or a Spark ``cogroup(...).applyInPandas`` group; every
    holding gets a row, with an empty ledger if it has no activities. Needs pandas.

    While it evaluates, the process's first garbage-collector threshold is raised to
    20,000 (never lowered) and restored afterwards, unless something else changed it
    meanwhile: a setting of the whole process, for the call's duration only (a worker's
    kept tables made collections at Python's default cost about a tenth of its time).

    >>> import datetime as dt
    >>> import pandas as pd
    >>> holdings = pd.DataFrame({"holder": ["p1"], "certification": ["pmi/pmp"],
    ...                          "earned": [dt.date(2023, 5, 2)]})
    >>> activities = pd.DataFrame({"holder": ["p1"], "id": ["a"], "title": ["Course"],
    ...                            "completed": ["2023-09-01"], "credits": [12.5],
    ...                            "category": ["ways-of-working"]})
    >>> evaluate_frames(holdings, activities, as_of=dt.date(2024, 1, 1))[["holder", "counted"]]
      holder counted
    0     p1    12.5
    """
    pd = importlib.import_module("pandas")  # needed only here (untyped: no stubs)

    by_holder: dict[str, Held] = {}
    for record in holdings.to_dict("records"):
        key = _cell(record.get(holder_column))
        cast("list[Mapping[str, object]]", by_holder.setdefault(str(key), [])).append(record)
    ordered = (
        activities.sort_values(holder_column, kind="stable") if len(activities) else activities
    )
    # A bad record is named by its label in the DataFrame's index (its row number, usually).
    labels = [int(label) for label in ordered.index] if _integer_index(ordered) else None
    rows = _table(
        _frame_records(ordered, holder_column),
        by_holder,
        check_day(as_of, "as_of"),
        _require_on_error(errors),
        holder_column,
        labels=labels,
    )
    # Column by column as the rows come: no list of every row's dict at once.
    columns: dict[str, list[object]] = {name: [] for name in ROW_FIELDS}
    cells = [(columns[name].append, name) for name in ROW_FIELDS]
    with _young_collections_spaced():
        for row in rows:
            for append, name in cells:
                append(row[name])  # type: ignore[literal-required]
    return pd.DataFrame(columns, columns=list(ROW_FIELDS)).astype(_frame_types())


_YOUNG_THRESHOLD = 20_000
"""The garbage collector's first threshold while :func:`evaluate_frames` evaluates a
frame (Python's default is 700): the youngest objects are collected every 20,000 net
allocations instead of every 700.

A worker's engine keeps some hundred thousand objects in its bounded tables (verdict
plans, kinds of credit, lifecycles). At Python's default, the collector runs in the
middle of each holder's evaluation and promotes that holder's working objects, alive
at that moment, to the older generations; their growth then sets off full collections,
which traverse every kept object. Collected less often, most of those objects are
already gone when it runs: in alternating rounds of 2,000 PMP holders a frame, about a
tenth less CPU a holder, the same peak memory. The collector still runs (garbage stays
bounded); its thresholds are restored when the frame is done."""

_collector_lock = threading.Lock()
_collector_users = 0
_collector_before: tuple[int, int, int] | None = None


@contextmanager
def _young_collections_spaced() -> Iterator[None]:
    """Raise the collector's first threshold to :data:`_YOUNG_THRESHOLD` for the block.

    Never lowers a threshold set higher; frames evaluated in several threads at once
    share one raise, and the last to finish restores the thresholds, unless they were
    changed meanwhile (someone else's setting is left as it is).

    >>> before = gc.get_threshold()
    >>> with _young_collections_spaced():
    ...     gc.get_threshold()[0] >= _YOUNG_THRESHOLD
    True
    >>> gc.get_threshold() == before
    True
    """
    global _collector_users, _collector_before  # noqa: PLW0603 - one process-wide setting
    with _collector_lock:
        _collector_users += 1
        if _collector_users == 1:
            current = gc.get_threshold()
            if current[0] < _YOUNG_THRESHOLD:
                _collector_before = current
                gc.set_threshold(_YOUNG_THRESHOLD, *current[1:])
            else:
                _collector_before = None
    try:
        yield
    finally:
        with _collector_lock:
            _collector_users -= 1
            before = _collector_before
            if _collector_users == 0 and before is not None:
                _collector_before = None
                if gc.get_threshold() == (_YOUNG_THRESHOLD, *before[1:]):
                    gc.set_threshold(*before)


def _frame_records(
    frame: PandasFrame, holder_column: str
) -> Iterator[tuple[object, Mapping[str, object]]]:
    """Each row's holder cell and its other cells, as ``frame.to_dict("records")`` has them.

    Read column by column: several times faster than pandas' row by row.
    """
    columns = [name for name in frame.columns if name != holder_column]
    cells = [_column(frame[name]) for name in columns]
    holders = _column(frame[holder_column]) if holder_column in frame.columns else None
    records = (dict(zip(columns, row, strict=True)) for row in zip(*cells, strict=True))
    if holders is None:
        return ((None, record) for record in records)
    return zip(holders, records, strict=True)


def _column(series: PandasFrame) -> list[object]:
    """A column's cells as ``to_dict("records")`` gives them.

    Numpy scalars in an object column become Python's, ``pandas.NA`` ``None``.
    """
    values: list[object] = series.tolist()
    if type(series.dtype).__module__ == "numpy" and series.dtype.kind != "O":
        return values  # tolist() gives Python's numbers (a datetime column's Timestamps)
    if type(series.dtype).__name__ == "StringDtype" and not series.hasnans:
        return values  # text only: tolist() gives Python's str
    return [_native(value) for value in values]


def _native(value: object) -> object:
    """A cell of an object or extension column as a Python value (pandas' own boxing)."""
    if type(value) is str or value is None:
        return value
    if type(value).__name__ == "NAType":
        return None
    if type(value).__module__ == "numpy":
        kind = type(value).__name__
        if kind in {"datetime64", "timedelta64"}:
            pd = importlib.import_module("pandas")
            return pd.Timestamp(value) if kind == "datetime64" else pd.Timedelta(value)
        item = getattr(value, "item", None)
        if callable(item) and getattr(value, "ndim", None) == 0:
            return item()
    return value


def _integer_index(frame: PandasFrame) -> bool:
    """Whether a DataFrame's rows are labelled by integers (numpy's included)."""
    return all(
        isinstance(label, int) or type(label).__name__.startswith(("int", "uint"))
        for label in frame.index
    )


def _frame_types() -> dict[str, str]:
    """The result table's column types: text (pandas' string type) and a nullable count."""
    return {name: "Int64" if name == "findings" else "string" for name in ROW_FIELDS}


def evaluate_dask(
    holdings: DaskFrame,
    activities: DaskFrame,
    *,
    as_of: dt.date,
    holder_column: str = "holder",
    partitioned_by_holder: bool = False,
    errors: OnError = "row",
) -> DaskFrame:
    """:func:`evaluate_frames` over Dask dataframes: a lazy Dask dataframe of result rows.

    Each holder's holdings and activities must meet in one partition: by default both
    frames are shuffled on ``holder_column`` into as many partitions as the larger has.
    When they already are (both read partition by partition from files written per
    range of holders, say: partition ``i`` of each holds the same holders), pass
    ``partitioned_by_holder=True`` to skip the shuffle; both must then have the same
    number of partitions. Each partition is evaluated on a worker with
    :func:`evaluate_frames`, which builds the ledgers there. Call ``.compute()``, or
    write the result with ``.to_parquet(...)``. Needs the ``dask`` extra
    (``pip install cperules[dask]``); runs on whatever scheduler is active (a
    ``distributed.Client`` for a cluster).

    Raises:
        ArgumentError: ``partitioned_by_holder=True`` with frames of different numbers of
            partitions, or ``as_of``/``errors`` is invalid.
        ModuleNotFoundError: dask is not installed (install ``cperules[dask]``).
    """
    pd = importlib.import_module("pandas")  # the dask extra brings pandas

    check_day(as_of, "as_of")
    _require_on_error(errors)
    if partitioned_by_holder:
        if holdings.npartitions != activities.npartitions:
            raise ArgumentError(
                f"partitioned_by_holder: holdings has {holdings.npartitions} partitions and "
                f"activities {activities.npartitions}; partition i of each must hold the same "
                "holders (or pass partitioned_by_holder=False to shuffle them)"
            )
    else:
        partitions = max(holdings.npartitions, activities.npartitions)
        # Holder ids as text on both sides, so that equal ids hash to the same partition.
        holdings, activities = (
            frame.assign(**{holder_column: frame[holder_column].astype("string")}).shuffle(
                on=holder_column, npartitions=partitions
            )
            for frame in (holdings, activities)
        )
    meta = pd.DataFrame({name: pd.Series(dtype=kind) for name, kind in _frame_types().items()})
    return holdings.map_partitions(
        _frames_partition,
        activities,
        as_of=as_of,
        holder_column=holder_column,
        errors=errors,
        meta=meta,
        align_dataframes=False,
    )


def _frames_partition(
    holdings: PandasFrame, activities: PandasFrame, **options: Any
) -> PandasFrame:
    return evaluate_frames(holdings, activities, **options)
