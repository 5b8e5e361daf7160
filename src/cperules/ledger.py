"""Activities (one thing a person did) and the immutable ledger that holds them.

A ledger is built from :class:`Activity` objects, or from plain records (dicts, rows of a
CSV or a DataFrame) with :meth:`Ledger.from_records`, which locates every bad value by
record index, id and field.

>>> ledger = Ledger.from_records([
...     {"id": "w1", "title": "Zero trust webinar", "completed": "2024-05-02",
...      "minutes": "100", "category": "A"},
...     {"id": "c1", "title": "Cloud course", "completed": "2024-06-10", "credits": "12.5",
...      "category": "A", "topics": "cloud, iam"},
... ])
>>> len(ledger), ledger.ids
(2, ('w1', 'c1'))
>>> ledger["c1"].topics
('cloud', 'iam')
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, Protocol, cast

from pydantic import (
    GetCoreSchemaHandler,
    TypeAdapter,
    ValidationError,
)
from pydantic_core import core_schema

from cperules._model import render
from cperules.activity import (
    AMOUNTLESS_KINDS,
    MAX_ACTIVITY_CATEGORIES,
    Activity,
    ActivityKind,
    Delivery,
)
from cperules.errors import (
    ArgumentError,
    LedgerError,
    RecordProblem,
    did_you_mean,
    expected_in_words,
)

# Also importable, for the library's own modules (not in the documented API):
# require_ledger, check_ledger_size, ledger_size.
__all__ = [
    "AMOUNTLESS_KINDS",
    "MAX_ACTIVITY_CATEGORIES",
    "MAX_CYCLE_ACTIVITIES",
    "MAX_LEDGER_SIZE",
    "Activity",
    "ActivityKind",
    "Delivery",
    "Ledger",
    "TableLike",
    "is_simple",
    "planned_activities",
]

MAX_LEDGER_SIZE = 2_000
"""The most a ledger may hold to be evaluated: its activities, an activity that names
``k`` categories (``eligible`` or ``split``) counting ``k`` times, for the choices it gives
the allocation. Evaluating a ledger at the limit takes seconds, not minutes."""

MAX_CYCLE_ACTIVITIES = 6_000
"""The most activities the evaluated cycles of one holding may hold together: an activity
counts once for each cycle (or grace window) it falls in, as each cycle is evaluated on
its own, and once per category it names. Rolling windows that overlap see an activity
several times."""


def ledger_size(ledger: Iterable[Activity]) -> int:
    """How much of :data:`MAX_LEDGER_SIZE` a ledger takes.

    Its activities, each once per category it names (at least once).

    >>> ledger_size([Activity(id="a", title="T", completed=dt.date(2024, 1, 1),
    ...                       credits=Decimal(1), eligible=("A", "B", "C"))])
    3
    """
    return sum(map(weight, ledger))


def weight(activity: Activity) -> int:
    """How much of :data:`MAX_LEDGER_SIZE` one activity takes: once per category it names.

    >>> weight(Activity(id="a", title="T", completed=dt.date(2024, 1, 1), credits=Decimal(1)))
    1
    """
    return len(activity.split) if activity.split else len(activity.eligible) or 1


def check_ledger_size(ledger: Iterable[Activity], argument: str = "ledger") -> None:
    """Refuse a ledger past :data:`MAX_LEDGER_SIZE` before it is evaluated.

    Raises:
        ArgumentError: ``beyond-limits``, naming the size and the limit.
    """
    known = getattr(ledger, "_chronology", None) if isinstance(ledger, Ledger) else None
    size = known.size if known is not None else ledger_size(ledger)
    if size > MAX_LEDGER_SIZE:
        raise ArgumentError(
            f"{argument}: a ledger of size {size} is beyond the {MAX_LEDGER_SIZE} cperules "
            "evaluates (each activity counts once per category it names, eligible or "
            "split); evaluate each person's ledger on its own, or only the activities of "
            "the cycles that matter",
            code="beyond-limits",
        )


_FIELDS: tuple[str, ...] = tuple(Activity.model_fields)
_DATE_FIELDS = frozenset({"completed", "started", "valid_until"})
_AMOUNT_FIELDS = frozenset({"credits", "units"})


@dataclass(frozen=True, slots=True)
class Chronology:
    """A ledger's activities by completion date, worked out once per ledger.

    Attributes:
        activities: The activities, by completion date, then id.
        days: Their completion dates, in the same order (for bisection).
        codes: Their categories, in the same order.
        credits: Their credits, in the same order (columns the verdict kernel adds up
            without reading each activity's fields).
        size: The ledger's :func:`ledger_size`.
        hypothetical: Whether any activity is hypothetical (planned, dated any time).
        irregular: Where the activities that are not simple (:func:`is_simple`) are
            among ``activities``, in order (none where the ledger is simple).
    """

    activities: tuple[Activity, ...]
    days: tuple[dt.date, ...]
    codes: tuple[str | None, ...]
    credits: tuple[Decimal | None, ...]
    size: int
    hypothetical: bool
    irregular: tuple[int, ...] = ()

    @property
    def simple(self) -> bool:
        """Whether every activity is simple (none :attr:`irregular`).

        Each gives its credits under at most one category, claimed for no certification
        in particular, and none is hypothetical.
        """
        return not self.irregular


def irregular_between(irregular: Sequence[int], low: int, high: int) -> Sequence[int]:
    """The positions of ``irregular`` (ascending) from ``low`` up to, not including, ``high``.

    Where a chronology's activities that are not simple (:attr:`Chronology.irregular`)
    are among ``activities[low:high]``, found by bisection.

    >>> irregular_between((1, 4, 6, 9), 2, 9)
    (4, 6)
    """
    first = bisect_left(irregular, low)
    return irregular[first : bisect_left(irregular, high, lo=first)]


def is_simple(activity: Activity) -> bool:
    """Whether ``activity`` is simple: read by its category alone.

    It gives its credits under at most one category, for no certification in
    particular, and is not hypothetical (the verdict kernel's shape; a ledger of such
    activities only is :attr:`Chronology.simple`).

    >>> is_simple(Activity(id="a", title="T", completed=dt.date(2024, 1, 5),
    ...                    credits=Decimal(2), category="A"))
    True
    >>> is_simple(Activity(id="b", title="T", completed=dt.date(2024, 1, 5),
    ...                    credits=Decimal(2), eligible=("A", "B")))
    False
    """
    return _simple(activity.__dict__)


def _simple(fields: Mapping[str, Any]) -> bool:
    """:func:`is_simple` of an activity's fields as pydantic keeps them.

    Its ``__dict__``: cheaper to read than five attributes.
    """
    return not (
        fields["hypothetical"]
        or fields["credits"] is None
        or fields["split"] is not None
        or fields["eligible"]
        or fields["claimed_for"]
    )


_FIELDS_OF = operator.attrgetter("__dict__")
"""An activity's fields as pydantic keeps them."""

_BY_DATE_AND_ID = operator.attrgetter("completed", "id")
"""The order of a ledger's activities as the engine reads them: by date, then id."""

_COMPLETED_FIELD = operator.itemgetter("completed")
_CATEGORY_FIELD = operator.itemgetter("category")
_CREDITS_FIELD = operator.itemgetter("credits")
"""One field of an activity's fields as pydantic keeps them: a chronology's columns."""


def chronology(ledger: Ledger) -> Chronology:
    """``ledger``'s :class:`Chronology`, kept with the (immutable) ledger once built.

    >>> ledger = Ledger([Activity(id=i, title="T", completed=dt.date(2024, 1, d),
    ...                           credits=Decimal(1)) for i, d in (("b", 9), ("a", 2))])
    >>> [a.id for a in chronology(ledger).activities], chronology(ledger).size
    (['a', 'b'], 2)
    """
    try:
        return ledger._chronology
    except AttributeError:
        pass
    ordered = tuple(sorted(ledger, key=_BY_DATE_AND_ID))
    rows = list(map(_FIELDS_OF, ordered))
    irregular: list[int] = []
    if all(map(_simple, rows)):
        # Most ledgers: one category each (a size of one), none hypothetical.
        size, hypothetical = len(ordered), False
    else:
        size, hypothetical = 0, False
        for position, fields in enumerate(rows):  # one pass: ledger_size, the flags
            split, eligible = fields["split"], fields["eligible"]
            size += len(split) if split else len(eligible) or 1
            if fields["hypothetical"]:
                hypothetical = True
            if not _simple(fields):
                irregular.append(position)
    found = Chronology(
        activities=ordered,
        days=tuple(map(_COMPLETED_FIELD, rows)),
        codes=tuple(map(_CATEGORY_FIELD, rows)),
        credits=tuple(map(_CREDITS_FIELD, rows)),
        size=size,
        hypothetical=hypothetical,
        irregular=tuple(irregular),
    )
    object.__setattr__(ledger, "_chronology", found)
    return found


class Ledger:
    """An immutable collection of activities with unique ids, in the order given.

    Iterate it, take its ``len``, look an activity up by id, or build a new ledger with
    :meth:`add`; nothing changes the ledger itself.

    >>> a = Activity(id="a", title="T", completed=dt.date(2024, 1, 5), credits=Decimal(1))
    >>> ledger = Ledger([a])
    >>> ledger
    Ledger([Activity(id='a', title='T', completed=datetime.date(2024, 1, 5), credits=Decimal('1'))])
    >>> "a" in ledger, len(ledger.add(a.model_copy(update={"id": "b"})))
    (True, 2)
    """

    __slots__ = ("_activities", "_by_id", "_chronology")

    _activities: tuple[Activity, ...]
    _by_id: dict[str, Activity]
    _chronology: Chronology

    def __init__(self, activities: Iterable[Activity] = ()) -> None:
        items = tuple(activities)
        problems: list[RecordProblem] = []
        by_id: dict[str, Activity] = {}
        first_index: dict[str, int] = {}
        for index, activity in enumerate(items):
            if not _is_activity(activity):  # callers may pass anything at run time
                problems.append(
                    RecordProblem(index, None, None, activity, "an Activity (or use from_records)")
                )
            elif activity.id in by_id:
                problems.append(_duplicate(index, activity.id, first_index[activity.id]))
            else:
                by_id[activity.id] = activity
                first_index[activity.id] = index
        if problems:
            raise LedgerError(problems)
        object.__setattr__(self, "_activities", items)
        object.__setattr__(self, "_by_id", by_id)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Ledger is immutable; use add() to make a new ledger")

    def __reduce__(self) -> tuple[type[Ledger], tuple[tuple[Activity, ...]]]:
        return (type(self), (self._activities,))

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, object]] | TableLike) -> Ledger:
        """Build a ledger from plain records, validating every one.

        Records are mappings with :class:`Activity`'s field names: rows of a CSV file
        (``csv.DictReader``) or of a DataFrame. A DataFrame itself may be passed: its rows
        are read as ``df.to_dict("records")`` gives them (pandas is not imported). Dates may be
        ISO strings, dates, or datetimes and pandas Timestamps at midnight (which count
        on their calendar date; one with a time of day is refused, never cut); amounts
        numeric strings, ints, Decimals, or floats from a DataFrame's numeric columns,
        read by their shortest decimal text (``0.3``, not the binary float nearest to it;
        a float such as ``0.1 + 0.2`` with more than six decimal places is refused); ``topics``, ``eligible`` and
        ``claimed_for`` comma-separated strings; ``split`` a mapping or ``"A=3; B=2"``.
        ``None``, empty strings and a DataFrame's empty cells (NaN, ``NaT``,
        ``pandas.NA``) mean "not given"; numpy numbers are read as the Python numbers
        they hold. Neither pandas nor numpy is imported. Every problem in every record is
        collected and raised together as a :class:`~cperules.errors.LedgerError`.

        >>> Ledger.from_records([{"id": "a", "title": "T", "completed": "2024-01-05",
        ...                       "credts": "1"}])
        Traceback (most recent call last):
        ...
        cperules.errors.LedgerError: record 0 (id 'a'), field 'credts': got '1'; expected a known field (did you mean 'credits'?)
        """  # noqa: E501
        items = list(_records(records))
        fast = _from_clean_records(items)
        if fast is not None:
            return cls._trusted(fast)
        # Something is wrong (or unusual): every record again, each problem located.
        problems: list[RecordProblem] = []
        activities: list[Activity] = []
        first_index: dict[str, int] = {}
        for index, record in enumerate(items):
            activity = _activity_from_record(index, record, problems)
            if activity is None:
                continue
            if activity.id in first_index:
                problems.append(_duplicate(index, activity.id, first_index[activity.id]))
                continue
            first_index[activity.id] = index
            activities.append(activity)
        if problems:
            raise LedgerError(problems)
        return cls(activities)

    @classmethod
    def _trusted(cls, activities: list[Activity]) -> Ledger:
        """A ledger of validated activities whose ids are known to be unique."""
        ledger = object.__new__(cls)
        object.__setattr__(ledger, "_activities", tuple(activities))
        object.__setattr__(ledger, "_by_id", {activity.id: activity for activity in activities})
        return ledger

    @property
    def activities(self) -> tuple[Activity, ...]:
        """The activities, in the order given."""
        return self._activities

    @property
    def ids(self) -> tuple[str, ...]:
        """The activity ids, in the order given."""
        return tuple(self._by_id)

    def add(self, *activities: Activity) -> Ledger:
        """A new ledger with ``activities`` appended (ids must stay unique)."""
        return Ledger((*self._activities, *activities))

    def plan(self, activities: Iterable[Activity | Mapping[str, object]]) -> Ledger:
        """A new ledger with ``activities`` appended as planned (``hypothetical``) ones.

        Each is an :class:`Activity` or a record as :meth:`from_records` reads it. The
        activities passed in are not changed; copies are marked.

        Raises:
            ArgumentError: ``activities`` is not a list (or other iterable) of activities
                and records, or holds something else.
            LedgerError: a record is invalid, or an id is already in the ledger.

        >>> import datetime as dt
        >>> course = Activity(id="p1", title="Planned course", completed=dt.date(2026, 5, 1),
        ...                   credits=Decimal(10))
        >>> Ledger().plan([course])["p1"].hypothetical, course.hypothetical
        (True, False)
        """
        planned = planned_activities(activities)
        return self.add(
            *(a if a.hypothetical else a.model_copy(update={"hypothetical": True}) for a in planned)
        )

    def to_records(self) -> list[dict[str, Any]]:
        """Flat JSON-compatible records, one per activity, that :meth:`from_records` reads.

        Every record has the same keys (each field some activity uses, in field order),
        with ``None`` where an activity does not give it, so the records make a table
        directly: ``pandas.DataFrame(ledger.to_records())`` or a ``csv.DictWriter``.
        Values are as :meth:`Activity.to_record` gives them.

        >>> ledger = Ledger.from_records([
        ...     {"id": "a", "title": "T", "completed": "2024-01-05", "credits": "2"},
        ...     {"id": "b", "title": "U", "completed": "2024-02-05", "minutes": 90},
        ... ])
        >>> ledger.to_records()[1]
        {'id': 'b', 'title': 'U', 'completed': '2024-02-05', 'credits': None, 'minutes': 90}
        >>> Ledger.from_records(ledger.to_records()) == ledger
        True
        """
        records = [activity.to_record() for activity in self._activities]
        used = [field for field in _FIELDS if any(field in record for record in records)]
        return [{field: record.get(field) for field in used} for record in records]

    def _repr_html_(self) -> str:
        """Self-contained HTML for Jupyter (see :mod:`cperules.render`)."""
        return str(render("ledger_html", self))

    def __iter__(self) -> Iterator[Activity]:
        return iter(self._activities)

    def __len__(self) -> int:
        return len(self._activities)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, Activity):
            return self._by_id.get(item.id) == item
        return isinstance(item, str) and item in self._by_id

    def __getitem__(self, activity_id: str) -> Activity:
        key: object = activity_id  # callers may pass anything at run time
        if not isinstance(key, str):
            hint = ""
            if isinstance(key, int | slice):
                hint = f"; for a position use ledger.activities[{key!r}]"
            raise ArgumentError(
                f"ledger[...]: activities are looked up by their id (a str), got the "
                f"{type(key).__name__} {key!r}{hint}"
            )
        try:
            return self._by_id[activity_id]
        except KeyError:
            hint = did_you_mean(activity_id, self._by_id)
            raise KeyError(f"no activity with id {activity_id!r} in this ledger{hint}") from None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ledger):
            return NotImplemented
        return self._activities == other._activities

    def __hash__(self) -> int:
        return hash(self._activities)

    def __repr__(self) -> str:
        return f"Ledger({list(self._activities)!r})"

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: object, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """Let a ledger be a field of other models: validated from a list of activities."""
        from_list = core_schema.no_info_after_validator_function(
            cls, core_schema.list_schema(handler.generate_schema(Activity))
        )
        return core_schema.json_or_python_schema(
            json_schema=from_list,
            python_schema=core_schema.union_schema(
                [core_schema.is_instance_schema(cls), from_list]
            ),
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda ledger: list(ledger.activities),
                return_schema=core_schema.list_schema(handler.generate_schema(Activity)),
            ),
        )


def require_ledger(value: object, argument: str = "ledger") -> Ledger:
    """Return ``value`` if it is a :class:`Ledger`, else raise a located error.

    >>> require_ledger([{"id": "a"}])
    Traceback (most recent call last):
    ...
    cperules.errors.ArgumentError: ledger: expected a Ledger, got a list; build one with Ledger.from_records(records) for dicts or Ledger(activities) for Activity objects
    """  # noqa: E501
    if isinstance(value, Ledger):
        return value
    raise ArgumentError(
        f"{argument}: expected a Ledger, got a {type(value).__name__}; build one with "
        "Ledger.from_records(records) for dicts or Ledger(activities) for Activity objects"
    )


class TableLike(Protocol):
    """What :meth:`Ledger.from_records` reads of a DataFrame: its columns and records."""

    @property
    def columns(self) -> Any:
        """The table's column names."""

    def to_dict(self, orient: Any) -> Any:
        """The rows, with ``orient="records"``: one dict per row."""


def _records(records: object) -> Iterable[object]:
    """The records to read: a DataFrame's rows (duck-typed), or the iterable given."""
    to_dict = getattr(records, "to_dict", None)
    if not isinstance(records, Mapping) and callable(to_dict) and hasattr(records, "columns"):
        rows = to_dict("records")  # a pandas DataFrame: one dict per row
        if isinstance(rows, list):
            return rows
    if isinstance(records, Mapping | str | bytes) or not isinstance(records, Iterable):
        raise ArgumentError(
            f"records: expected a list of records (dicts with Activity's fields), a "
            f"csv.DictReader or a DataFrame, got a single {type(records).__name__}; "
            "for one record pass [record]"
        )
    return records


def planned_activities(activities: object, argument: str = "activities") -> list[Activity]:
    """Activities given as Activity objects or records (dicts), validated.

    >>> planned_activities({"id": "p1"}, "extra")
    Traceback (most recent call last):
    ...
    cperules.errors.ArgumentError: extra: expected a list of Activity objects or records (dicts with Activity's fields), got a single dict; wrap it in a list: [...]
    """  # noqa: E501
    expected = "a list of Activity objects or records (dicts with Activity's fields)"
    if isinstance(activities, Activity | Mapping | str) or not isinstance(activities, Iterable):
        what = type(activities).__name__
        raise ArgumentError(
            f"{argument}: expected {expected}, got a single {what}; wrap it in a list: [...]"
        )
    items = list(activities)
    for index, item in enumerate(items):
        if not isinstance(item, Activity | Mapping):
            raise ArgumentError(
                f"{argument}[{index}]: expected an Activity or a record (a dict), got the "
                f"{type(item).__name__} {item!r}"
            )
    records = [(i, item) for i, item in enumerate(items) if isinstance(item, Mapping)]
    if not records:
        return cast("list[Activity]", items)
    built = iter(Ledger.from_records(record for _, record in records))
    return [item if isinstance(item, Activity) else next(built) for item in items]


_FIELD_SET = frozenset(_FIELDS)
_PLAIN_TYPES = frozenset({int, bool, Decimal, dt.date})
"""Value types a record cell keeps as it is (no DataFrame cleaning, never "not given")."""


@cache
def _activity_list() -> TypeAdapter[list[Activity]]:
    """Pydantic's validator of a list of activities (built when first needed)."""
    return TypeAdapter(list[Activity])


def _from_clean_records(records: list[object]) -> list[Activity] | None:
    """The activities of records that are all valid, in one validation; ``None`` otherwise.

    The common case of :meth:`Ledger.from_records`, kept cheap: mappings with known keys
    only, cleaned as :func:`_activity_from_record` cleans them, validated by pydantic as
    one list, with unique ids. Anything else (a problem to locate) returns ``None`` and
    the caller reads each record on its own.
    """
    cleaned_records: list[dict[str, object]] = []
    for record in records:
        if not isinstance(record, Mapping) or not record.keys() <= _FIELD_SET:
            return None
        cleaned: dict[str, object] = {}
        for key, value in record.items():
            kind = type(value)
            if kind is str:
                if value and not value.isspace():
                    cleaned[key] = value
            elif kind in _PLAIN_TYPES:
                cleaned[key] = value
            elif value is not None and not _missing(value):
                plain = _plain(key, value)
                if not _missing(plain):
                    cleaned[key] = plain
        cleaned_records.append(cleaned)
    try:
        activities = _activity_list().validate_python(cleaned_records)
    except ValidationError:
        return None
    if len({activity.id for activity in activities}) != len(activities):
        return None
    return activities


def _is_activity(value: object) -> bool:
    return isinstance(value, Activity)


def _duplicate(index: int, activity_id: str, first: int) -> RecordProblem:
    return RecordProblem(
        index,
        activity_id,
        "id",
        activity_id,
        f"a unique id (record {first} already uses it)",
        code="duplicate-activity-id",
    )


def _activity_from_record(
    index: int, record: object, problems: list[RecordProblem]
) -> Activity | None:
    """Validate one record into an Activity, appending located problems on failure."""
    if not isinstance(record, Mapping):
        problems.append(
            RecordProblem(index, None, None, record, "a mapping of field names to values")
        )
        return None
    raw_id = record.get("id")
    record_id = raw_id.strip() or None if isinstance(raw_id, str) else None
    found = len(problems)
    cleaned: dict[str, object] = {}
    for key, value in record.items():
        if key not in _FIELD_SET:
            problems.append(
                RecordProblem(
                    index,
                    record_id,
                    str(key),
                    value,
                    f"a known field{did_you_mean(str(key), _FIELDS)}",
                )
            )
        elif not _missing(value):
            plain = _plain(key, value)
            if not _missing(plain):
                cleaned[key] = plain
    if len(problems) > found:
        return None
    try:
        return Activity.model_validate(cleaned)
    except ValidationError as error:
        problems.extend(_locate(index, record_id, record, error))
        return None


def _missing(value: object) -> bool:
    """None, blank text, and the empty cells of a DataFrame (NaN, NaT, pandas.NA)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    if isinstance(value, float):
        return math.isnan(value)
    # pandas' markers, recognised by their type's name so that pandas is never imported.
    return type(value).__name__ in {"NaTType", "NAType"}


def _plain(field: str, value: object) -> object:
    """A DataFrame cell as a plain Python value, duck-typed (numpy and pandas not imported).

    A numpy scalar (``numpy.int64``, ``numpy.float64``, ``numpy.bool_``, ``numpy.str_``,
    ``numpy.datetime64``) becomes the Python value it holds, and a datetime (a pandas
    ``Timestamp`` included) in a date field becomes its calendar date.
    """
    if getattr(value, "ndim", None) == 0 and hasattr(value, "dtype") and hasattr(value, "item"):
        scalar: Any = value
        if scalar.dtype.kind == "M":  # numpy.datetime64: as microseconds, a datetime
            scalar = scalar.astype("datetime64[us]")
        value = scalar.item()
    if field in _DATE_FIELDS and isinstance(value, dt.datetime):
        if value.time() != dt.time(0) or value.tzinfo is not None:
            return value  # refused by validation: a time of day is never dropped
        return value.date()
    if field in _AMOUNT_FIELDS and isinstance(value, float):
        # A DataFrame holds "0.3" as the float nearest to it; its shortest text is what
        # was written. A float that is not a short decimal fails the places bound.
        return Decimal(repr(value))
    return value


def _locate(
    index: int, record_id: str | None, record: Mapping[str, object], error: ValidationError
) -> list[RecordProblem]:
    """Turn pydantic's errors into located problems with plain-language expectations."""
    located: list[RecordProblem] = []
    for detail in error.errors(include_url=False):
        loc = detail["loc"]
        ctx = detail.get("ctx") or {}
        if loc:
            field = ".".join(str(part) for part in loc)
            value = record.get(field) if detail["type"] == "missing" else detail["input"]
        else:  # a model-level rule names its own field
            field = str(ctx.get("field"))
            value = ctx.get("value", record.get(field))
            if value is None and field in record:  # an empty cell: show what was there
                value = record[field]
        located.append(
            RecordProblem(
                index,
                record_id,
                field,
                value,
                expected_in_words(detail["type"], ctx, detail["msg"], value),
            )
        )
    return located
