"""Periods of dates and the cycle specs that turn a holding into concrete cycles.

A :class:`Period` is an inclusive range of dates. A cycle spec (one of the kinds in
:data:`CycleSpec`) describes how a certification's renewal cycles fall; given a
:class:`~cperules.holders.Holding` and a date it produces the concrete :class:`Cycle` values
from the first cycle up to the one that governs that date.

Month and year arithmetic uses :class:`dateutil.relativedelta.relativedelta`, which clamps
to the end of a shorter month: 31 January plus one month is 28 (or 29) February, and
29 February plus one year is 28 February. Repeated steps are always taken from the
original date (``earned + k years``), never from the previous, already clamped, result.

>>> from cperules.holders import Holding
>>> spec = AnniversaryCycle(years=3)
>>> holding = Holding(certification="isc2/cissp", earned=dt.date(2023, 3, 1))
>>> print(spec.cycle_on(holding, dt.date(2027, 1, 1)).period)
2026-03-01..2029-02-28
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from abc import abstractmethod
from collections.abc import Iterator
from fractions import Fraction
from itertools import pairwise
from typing import Annotated, Literal, NamedTuple, Protocol, Self, get_args

from dateutil.relativedelta import relativedelta
from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from cperules._model import FrozenModel
from cperules.citations import SourceRef
from cperules.days import Day
from cperules.errors import CycleError

__all__ = [
    "CYCLE_KINDS",
    "AnniversaryCycle",
    "BirthMonthCycle",
    "CalendarCycle",
    "Cycle",
    "CycleSpec",
    "FirstCycle",
    "FixedCycle",
    "Grace",
    "Held",
    "Period",
    "Person",
    "RollingCycle",
    "ScheduleGroup",
    "ScheduledCycle",
    "YearsBy",
]

_ONE_DAY = dt.timedelta(days=1)

FirstCycle = Literal["normal", "exempt", "prorated"]
"""How a spec treats cycle 0: like any other, exempt from requirements, or prorated by
whole months when it is shorter than the normal term."""

YearsBy = Literal["calendar", "anniversary"]
"""How a period is cut into years: at each 1 January, or at each anniversary of its start."""


# --- validation helpers -----------------------------------------------------------------


def _check_positive(value: int, info: ValidationInfo) -> int:
    if value < 1:
        raise PydanticCustomError(
            "invalid-cycle-spec",
            "{field} must be at least 1, got {value}",
            {"field": info.field_name, "value": value},
        )
    return value


def _check_month(value: int, info: ValidationInfo) -> int:
    if not 1 <= value <= 12:
        raise PydanticCustomError(
            "invalid-cycle-spec",
            "{field} must be a month number from 1 to 12, got {value}",
            {"field": info.field_name, "value": value},
        )
    return value


_Positive = Annotated[int, AfterValidator(_check_positive), Field(json_schema_extra={"minimum": 1})]
_MonthNumber = Annotated[
    int, AfterValidator(_check_month), Field(json_schema_extra={"minimum": 1, "maximum": 12})
]


# --- date helpers -----------------------------------------------------------------------


def _month_end(day: dt.date) -> dt.date:
    """Return the last day of ``day``'s month."""
    return day + relativedelta(day=31)


def _whole_months(start: dt.date, end: dt.date) -> int:
    """Whole months in the inclusive range ``start..end``; leftover days are ignored."""
    delta = relativedelta(end + _ONE_DAY, start)
    return delta.years * 12 + delta.months


def _initial(name: str) -> str | None:
    """Return the upper-case base letter of the first letter in ``name`` ('Öz' gives 'O')."""
    for char in name:
        if char.isalpha():
            return unicodedata.normalize("NFKD", char)[0].upper()[0]
    return None


def _parse_letters(spec: str) -> frozenset[str] | None:
    """Parse a letters spec such as ``"H-M,Q"``; ``None`` if it is malformed."""
    letters: set[str] = set()
    for item in spec.split(","):
        parts = [part.strip().upper() for part in item.split("-")]
        if len(parts) > 2 or not all(len(p) == 1 and "A" <= p <= "Z" for p in parts):
            return None
        low, high = parts[0], parts[-1]
        if low > high:
            return None
        letters.update(chr(code) for code in range(ord(low), ord(high) + 1))
    return frozenset(letters)


# --- periods ----------------------------------------------------------------------------


class Person(Protocol):
    """What a cycle spec reads of a holder (a :class:`~cperules.holders.Holder` is one)."""

    @property
    def birth_date(self) -> dt.date | None:
        """Birth-month cycles end in this month."""

    @property
    def family_name(self) -> str | None:
        """Schedules grouped by letter key on its initial."""


class Held(Protocol):
    """What a cycle spec reads of a holding (a :class:`~cperules.holders.Holding` is one).

    Cycle specs take only what they use, so that they sit below the holdings that name
    a certification (and its cycle spec).
    """

    @property
    def earned(self) -> dt.date:
        """When the certification was earned: the first cycle starts here."""

    @property
    def holder(self) -> Person:
        """The person, for cycles keyed on a birth month or a family name."""

    @property
    def certification_id(self) -> str:
        """The certification's id, for messages."""


class _Anchored(NamedTuple):
    """A holding re-anchored on a renewal date (see :meth:`_CycleSpecBase.restarted`)."""

    earned: dt.date
    holder: Person
    certification_id: str


class Period(FrozenModel):
    """An inclusive range of dates: ``start <= day <= end``.

    Attributes:
        start: The first day of the period.
        end: The last day of the period (on or after ``start``).

    >>> period = Period(start=dt.date(2023, 3, 1), end=dt.date(2026, 2, 28))
    >>> str(period), dt.date(2026, 2, 28) in period, period.days
    ('2023-03-01..2026-02-28', True, 1096)
    >>> [str(year) for year in period.years()]
    ['2023-03-01..2023-12-31', '2024-01-01..2024-12-31', '2025-01-01..2025-12-31', '2026-01-01..2026-02-28']
    """  # noqa: E501

    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _check_order(self) -> Self:
        if self.start > self.end:
            raise PydanticCustomError(
                "invalid-period",
                "a period's start {start} is after its end {end}",
                {"start": self.start.isoformat(), "end": self.end.isoformat()},
            )
        return self

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def days(self) -> int:
        """The number of days in the period, both ends included (a one-day period has 1)."""
        return (self.end - self.start).days + 1

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one day.

        >>> a = Period(start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 30))
        >>> a.overlaps(Period(start=dt.date(2024, 6, 30), end=dt.date(2024, 12, 31)))
        True
        """
        return self.start <= other.end and other.start <= self.end

    def intersection(self, other: Period) -> Period | None:
        """The days both periods share, or ``None`` when they do not overlap.

        >>> a = Period(start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 30))
        >>> print(a.intersection(Period(start=dt.date(2024, 6, 1), end=dt.date(2025, 1, 1))))
        2024-06-01..2024-06-30
        """
        if not self.overlaps(other):
            return None
        return Period(start=max(self.start, other.start), end=min(self.end, other.end))

    def calendar_years(self) -> tuple[Period, ...]:
        """The period cut at each 1 January; the first and last pieces may be partial.

        >>> period = Period(start=dt.date(2023, 7, 1), end=dt.date(2024, 6, 30))
        >>> [str(piece) for piece in period.calendar_years()]
        ['2023-07-01..2023-12-31', '2024-01-01..2024-06-30']
        """
        return tuple(
            Period(
                start=max(self.start, dt.date(year, 1, 1)),
                end=min(self.end, dt.date(year, 12, 31)),
            )
            for year in range(self.start.year, self.end.year + 1)
        )

    def anniversary_years(self) -> tuple[Period, ...]:
        """The period cut at each anniversary of its start; the last piece may be partial.

        Anniversaries are counted from the original start, so a period starting on
        29 February has pieces starting on 28 February in common years and on 29 February
        again in leap years.

        >>> period = Period(start=dt.date(2024, 2, 29), end=dt.date(2026, 12, 31))
        >>> [str(piece) for piece in period.anniversary_years()]
        ['2024-02-29..2025-02-27', '2025-02-28..2026-02-27', '2026-02-28..2026-12-31']
        """
        pieces: list[Period] = []
        start = self.start
        years = 1
        while start <= self.end:
            following = self.start + relativedelta(years=years)
            pieces.append(Period(start=start, end=min(self.end, following - _ONE_DAY)))
            start = following
            years += 1
        return tuple(pieces)

    def years(self, by: YearsBy = "calendar") -> tuple[Period, ...]:
        """The period cut into years, by calendar year or by anniversary of its start.

        >>> period = Period(start=dt.date(2023, 7, 1), end=dt.date(2024, 6, 30))
        >>> [str(piece) for piece in period.years("anniversary")]
        ['2023-07-01..2024-06-30']
        """
        if by == "anniversary":
            return self.anniversary_years()
        return self.calendar_years()


class Grace(FrozenModel):
    """A window of ``days`` days (or ``months`` months) after a cycle's end.

    With ``earning="submission-only"`` the holder may still report credit earned within the
    cycle; with ``"allowed"`` credit may still be earned during the window (how such credit
    cures the old cycle is the engine's business).

    ``standing`` names what the holding is during the window when the cycle's requirements
    are not yet met: still certified in a grace period (``"grace"``), or ``"suspended"``
    (PMI's one-year suspension). Either way the window can cure the cycle; once it has
    passed uncured the certification has expired.

    Attributes:
        days: The length of the window in days (at least 1).
        months: The length of the window in calendar months, instead of ``days``.
        earning: Whether credit may still be earned during the window.
        standing: What the holding is while the window runs uncured.

    >>> cycle = Period(start=dt.date(2023, 1, 1), end=dt.date(2025, 12, 31))
    >>> print(Grace(days=90).window(cycle))
    2026-01-01..2026-03-31
    >>> print(Grace(months=12, earning="allowed", standing="suspended").window(cycle))
    2026-01-01..2026-12-31
    """

    days: _Positive | None = None
    months: _Positive | None = None
    earning: Literal["submission-only", "allowed"] = "submission-only"
    standing: Literal["grace", "suspended"] = "grace"

    @model_validator(mode="after")
    def _one_length(self) -> Self:
        if (self.days is None) == (self.months is None):
            raise PydanticCustomError(
                "invalid-cycle-spec", "a grace window needs exactly one of days or months", {}
            )
        return self

    def window(self, after: Period) -> Period:
        """The grace window following ``after``: the days or months after its end."""
        if self.months is not None:
            return Period(
                start=after.end + _ONE_DAY, end=after.end + relativedelta(months=self.months)
            )
        assert self.days is not None  # one of the two, by validation
        return Period(start=after.end + _ONE_DAY, end=after.end + dt.timedelta(days=self.days))


# --- concrete cycles --------------------------------------------------------------------


class Cycle(FrozenModel):
    """One concrete renewal cycle of a holding, as produced by a cycle spec.

    ``term_months`` counts whole months in ``period``: with
    ``r = relativedelta(period.end + 1 day, period.start)`` it is ``r.years * 12 + r.months``,
    leftover days ignored (2024-03-15..2024-07-31 has 4 whole months). A prorated cycle
    shorter than a whole month therefore has a proration of 0.

    Attributes:
        index: The cycle's position, 0 for the first cycle of the holding.
        period: The days the cycle covers.
        due: The renewal (reporting) date; the period's end for every kind of spec.
        exempt: Whether the cycle carries no requirements.
        term_months: Whole months in ``period``.
        full_term_months: The spec's normal term in months (36 for three years).
        grace: The grace window after the cycle, if the spec grants one.
        years: The sub-periods of the cycle, cut as the spec's ``years_by`` says.
        prorated: Whether requirements scale by :attr:`proration`.

    >>> from cperules.holders import Holding
    >>> holding = Holding(certification="isaca/cisa", earned=dt.date(2022, 5, 10))
    >>> first = CalendarCycle(years=3).cycle_on(holding, dt.date(2022, 6, 1))
    >>> str(first.period), first.exempt, first.term_months, first.full_term_months
    ('2022-05-10..2022-12-31', True, 7, 36)
    """

    index: int = Field(ge=0)
    period: Period
    due: dt.date
    exempt: bool = False
    term_months: int = Field(ge=0)
    full_term_months: int = Field(ge=1)
    grace: Period | None = None
    years: tuple[Period, ...]
    prorated: bool = False

    @property
    def first(self) -> bool:
        """Whether this is the holding's first cycle (index 0)."""
        return self.index == 0

    @property
    def proration(self) -> Fraction:
        """The share of full requirements that applies: ``term/full`` if prorated, else 1."""
        if not self.prorated:
            return Fraction(1)
        return Fraction(min(self.term_months, self.full_term_months), self.full_term_months)


class _Raw(NamedTuple):
    """A cycle's dates before the common rules (first cycle, grace, years) are applied.

    ``joined`` says the first of the cycle's years runs on into the second (a calendar
    stub that belongs to the first full year).
    """

    start: dt.date
    end: dt.date
    exempt: bool = False
    joined: bool = False


class _Plan(NamedTuple):
    """What a spec kind contributes: its normal term and its cycles' dates, in order."""

    full_term_months: int
    raws: Iterator[_Raw]


class _CycleSpecBase(FrozenModel):
    """What every cycle spec shares: the first-cycle rule, years, grace, and the engine."""

    kind: str
    first_cycle: FirstCycle = "normal"
    years_by: YearsBy = "calendar"
    grace: Grace | None = None
    source: SourceRef | None = None

    @abstractmethod
    def _plan(self, holding: Held, as_of: dt.date) -> _Plan:
        """Return the normal term and a lazy sequence of cycle dates, in order.

        The sequence is endless, or raises :class:`CycleError` when asked for a cycle
        beyond what the spec can produce (``as_of`` is passed for that message).
        """
        raise NotImplementedError

    def cycles(self, holding: Held, *, as_of: dt.date) -> tuple[Cycle, ...]:
        """Every cycle of ``holding`` from the first to the one that governs ``as_of``.

        The governing cycle is the one whose period contains ``as_of`` (for a rolling spec:
        the first whose checkpoint is on or after ``as_of``).

        Raises:
            CycleError: ``before-first-cycle`` if ``as_of`` is before the holding was
                earned; other codes as the spec kind documents.
        """
        if as_of < holding.earned:
            raise CycleError(
                f"as_of {as_of.isoformat()} is before the first cycle of "
                f"{holding.certification_id!r}, which starts when it was earned on "
                f"{holding.earned.isoformat()}",
                code="before-first-cycle",
            )
        plan = self._plan(holding, as_of)
        built: list[Cycle] = []
        for index, raw in enumerate(plan.raws):
            built.append(self._build(index, raw, plan.full_term_months))
            if raw.end >= as_of:
                return tuple(built)
        raise AssertionError("cycle dates ran out without an error")  # pragma: no cover

    def cycle_on(self, holding: Held, day: dt.date) -> Cycle:
        """The cycle of ``holding`` that governs ``day`` (the last of :meth:`cycles`)."""
        return self.cycles(holding, as_of=day)[-1]

    def cut(self, cycle: Cycle, end: dt.date) -> Cycle:
        """``cycle`` ended early on ``end`` (a renewal event started the next one).

        >>> from cperules.holders import Holding
        >>> spec = AnniversaryCycle(years=3, years_by="anniversary")
        >>> holding = Holding(certification="comptia/a-plus", earned=dt.date(2023, 1, 10))
        >>> cut = spec.cut(spec.cycle_on(holding, holding.earned), dt.date(2024, 5, 31))
        >>> str(cut.period), cut.due, [str(year) for year in cut.years]
        ('2023-01-10..2024-05-31', datetime.date(2024, 5, 31), ['2023-01-10..2024-01-09', '2024-01-10..2024-05-31'])
        """  # noqa: E501
        period = Period(start=cycle.period.start, end=end)
        return cycle.model_copy(
            update={
                "period": period,
                "due": end,
                "term_months": _whole_months(period.start, end),
                "grace": None if self.grace is None else self.grace.window(period),
                "years": period.years(self.years_by),
            }
        )

    def restarted(
        self, holding: Held, anchor: dt.date, *, as_of: dt.date, first_index: int
    ) -> tuple[Cycle, ...]:
        """The cycles after a renewal that re-anchors them on ``anchor``, up to ``as_of``.

        They are laid out as if the certification had been earned on ``anchor`` (the
        first of them is a normal cycle, never exempt or prorated), numbered on from
        ``first_index``.

        >>> from cperules.holders import Holding
        >>> holding = Holding(certification="comptia/a-plus", earned=dt.date(2023, 1, 10))
        >>> [(c.index, str(c.period)) for c in AnniversaryCycle(years=3).restarted(
        ...     holding, dt.date(2024, 6, 1), as_of=dt.date(2024, 6, 1), first_index=1)]
        [(1, '2024-06-01..2027-05-31')]
        """
        spec = self.model_copy(update={"first_cycle": "normal"})
        anchored = _Anchored(anchor, holding.holder, holding.certification_id)
        return tuple(
            cycle.model_copy(update={"index": first_index + cycle.index})
            for cycle in spec.cycles(anchored, as_of=as_of)
        )

    def _build(self, index: int, raw: _Raw, full_term_months: int) -> Cycle:
        period = Period(start=raw.start, end=raw.end)
        years = period.years(self.years_by)
        if raw.joined and len(years) > 1:
            years = (Period(start=years[0].start, end=years[1].end), *years[2:])
        term_months = _whole_months(raw.start, raw.end)
        rule: FirstCycle = self.first_cycle if index == 0 and not raw.exempt else "normal"
        return Cycle(
            index=index,
            period=period,
            due=raw.end,
            exempt=raw.exempt or rule == "exempt",
            term_months=term_months,
            full_term_months=full_term_months,
            grace=None if self.grace is None else self.grace.window(period),
            years=years,
            prorated=rule == "prorated" and term_months < full_term_months,
        )


def _contiguous(ends: Iterator[dt.date], start: dt.date) -> Iterator[_Raw]:
    """Turn a sequence of cycle ends into contiguous cycles, the first starting on ``start``."""
    for end in ends:  # pragma: no branch - the ends never run out
        yield _Raw(start, end)
        start = end + _ONE_DAY


class AnniversaryCycle(_CycleSpecBase):
    """Cycles of ``years`` years counted from the date the certification was earned.

    With ``A_k = earned + k * years`` years (always from the original date), cycle ``k-1``
    ends on ``A_k`` minus one day (``end="day-before"``), on ``A_k`` itself
    (``"anniversary"``) or on the last day of ``A_k``'s month (``"end-of-month"``); each
    cycle starts the day after the previous one ends. A 29 February anniversary falls on
    28 February in common years, so with ``"day-before"`` such a cycle ends on 27 February,
    and the next one starts on 28 February:

    >>> from cperules.holders import Holding
    >>> holding = Holding(certification="isc2/cissp", earned=dt.date(2024, 2, 29))
    >>> spec = AnniversaryCycle(years=3)
    >>> [str(c.period) for c in spec.cycles(holding, as_of=dt.date(2030, 3, 1))]
    ['2024-02-29..2027-02-27', '2027-02-28..2030-02-27', '2030-02-28..2033-02-27']
    >>> AnniversaryCycle(years=1, end="end-of-month").cycle_on(holding, holding.earned).due
    datetime.date(2025, 2, 28)

    Attributes:
        years: The length of each cycle in years.
        end: Which day near each anniversary ends a cycle.
    """

    kind: Literal["anniversary"] = "anniversary"
    years: _Positive
    end: Literal["day-before", "anniversary", "end-of-month"] = "day-before"

    def _plan(self, holding: Held, as_of: dt.date) -> _Plan:
        earned = holding.earned

        def ends() -> Iterator[dt.date]:
            k = 1
            while True:
                anniversary = earned + relativedelta(years=k * self.years)
                if self.end == "day-before":
                    yield anniversary - _ONE_DAY
                elif self.end == "anniversary":
                    yield anniversary
                else:
                    yield _month_end(anniversary)
                k += 1

        return _Plan(12 * self.years, _contiguous(ends(), earned))


class CalendarCycle(_CycleSpecBase):
    """Cycles of ``years`` calendar years, aligned on 1 January.

    The first full cycle starts on the 1 January after the certification was earned. The
    stub from the earned date to 31 December of that year is its own exempt cycle 0
    (``stub="exempt"``, whatever ``first_cycle`` says), is merged into the first full
    cycle as a year of its own (``"merged"``), or is merged into the first full cycle as
    part of its first year (``"first-year"``), so that what is earned in the stub counts
    toward that year's floors and caps as if earned in it. ``"first-year"`` needs
    calendar years (``years_by="calendar"``).

    >>> from cperules.holders import Holding
    >>> holding = Holding(certification="isaca/cisa", earned=dt.date(2022, 5, 10))
    >>> [str(c.period) for c in CalendarCycle(years=3).cycles(holding, as_of=dt.date(2023, 1, 1))]
    ['2022-05-10..2022-12-31', '2023-01-01..2025-12-31']
    >>> print(CalendarCycle(years=3, stub="merged").cycle_on(holding, holding.earned).period)
    2022-05-10..2025-12-31
    >>> first = CalendarCycle(years=3, stub="first-year").cycle_on(holding, holding.earned)
    >>> [str(year) for year in first.years]
    ['2022-05-10..2023-12-31', '2024-01-01..2024-12-31', '2025-01-01..2025-12-31']

    Attributes:
        years: The length of each full cycle in calendar years.
        stub: What happens to the part of the earned year.
    """

    kind: Literal["calendar"] = "calendar"
    years: _Positive
    stub: Literal["exempt", "merged", "first-year"] = "exempt"

    @model_validator(mode="after")
    def _check_stub(self) -> Self:
        if self.stub == "first-year" and self.years_by != "calendar":
            raise PydanticCustomError(
                "invalid-cycle-spec",
                "stub 'first-year' joins the stub to the first calendar year, so it needs "
                "years_by='calendar', got years_by='{years_by}'",
                {"years_by": self.years_by},
            )
        return self

    def _plan(self, holding: Held, as_of: dt.date) -> _Plan:
        earned = holding.earned

        def raws() -> Iterator[_Raw]:
            year = earned.year + 1
            if self.stub == "exempt":
                yield _Raw(earned, dt.date(earned.year, 12, 31), exempt=True)
            else:
                year += self.years
                yield _Raw(earned, dt.date(year - 1, 12, 31), joined=self.stub == "first-year")
            while True:
                yield _Raw(dt.date(year, 1, 1), dt.date(year + self.years - 1, 12, 31))
                year += self.years

        return _Plan(12 * self.years, raws())


class FixedCycle(_CycleSpecBase):
    """Periods the body fixes for every holder alike (statewide periods), ``years`` long.

    One of the periods starts on ``anchor``; the others follow and precede it, each
    starting the day after the previous one ends (``anchor + k * years`` years). Cycle 0
    runs from the date earned to the end of the period that date falls in (its treatment
    is ``first_cycle``'s: a full requirement, exempt, or prorated by whole months); with
    ``stub="merged"`` a part-period joins the next full period instead. No holder
    attribute is needed: the periods are the same for everyone.

    >>> from cperules.holders import Holding
    >>> spec = FixedCycle(anchor=dt.date(2021, 10, 1), years=3)
    >>> holding = Holding(certification="cpa/illinois", earned=dt.date(2023, 5, 10))
    >>> [str(c.period) for c in spec.cycles(holding, as_of=dt.date(2025, 1, 1))]
    ['2023-05-10..2024-09-30', '2024-10-01..2027-09-30']
    >>> merged = FixedCycle(anchor=dt.date(2020, 6, 1), years=2, stub="merged")
    >>> print(merged.cycle_on(holding, holding.earned).period)
    2023-05-10..2026-05-31

    Attributes:
        anchor: The first day of any one of the body's periods (day 1 to 28 of a month).
        years: The length of every period in years.
        stub: Whether the part-period before the first full period is its own cycle 0
            (``"own"``) or joins the first full period (``"merged"``).
    """

    kind: Literal["fixed"] = "fixed"
    anchor: Day
    years: Annotated[_Positive, Field(le=100, json_schema_extra={"maximum": 100})]
    stub: Literal["own", "merged"] = "own"

    @field_validator("anchor")
    @classmethod
    def _check_anchor(cls, value: dt.date) -> dt.date:
        if value.day > 28:
            raise PydanticCustomError(
                "invalid-cycle-spec",
                "anchor {anchor} falls on day {day}: give the first day of one of the body's "
                "periods, on day 1 to 28 of a month (days 29 to 31 do not exist in every "
                "month, so later periods would be ambiguous)",
                {"anchor": str(value), "day": value.day},
            )
        return value

    def _start(self, k: int) -> dt.date:
        """The first day of the period ``k`` periods after the one starting on ``anchor``."""
        return self.anchor + relativedelta(years=k * self.years)

    def _plan(self, holding: Held, as_of: dt.date) -> _Plan:
        earned = holding.earned
        k = (earned.year - self.anchor.year) // self.years
        while self._start(k) > earned:
            k -= 1
        while self._start(k + 1) <= earned:
            k += 1
        first_end = k + 1
        if self.stub == "merged" and self._start(k) < earned:
            first_end += 1

        def raws() -> Iterator[_Raw]:
            yield _Raw(earned, self._start(first_end) - _ONE_DAY)
            j = first_end
            while True:
                yield _Raw(self._start(j), self._start(j + 1) - _ONE_DAY)
                j += 1

        return _Plan(12 * self.years, raws())


class BirthMonthCycle(_CycleSpecBase):
    """Cycles ending on the last day of the holder's birth month, every ``years`` years.

    ``parity`` limits the years a cycle may end in: odd or even years, or years of the same
    parity as the birth year (a parity needs an even ``years``). The first cycle ends in the
    first allowed year on or after ``earned + years`` (``first_end="after-full-term"``) or
    at the first allowed birth-month end after the earned date (``"next-occurrence"``);
    later cycles end ``years`` years after the previous end.

    >>> from cperules.holders import Holder, Holding
    >>> holder = Holder(birth_date=dt.date(1980, 7, 2))
    >>> holding = Holding(certification="ny/attorney", earned=dt.date(2019, 4, 10), holder=holder)
    >>> [str(c.period) for c in BirthMonthCycle(years=2).cycles(holding, as_of=dt.date(2022, 1, 1))]
    ['2019-04-10..2021-07-31', '2021-08-01..2023-07-31']

    Attributes:
        years: The number of years between cycle ends.
        parity: Which years a cycle may end in (``None``: any year).
        first_end: How the first cycle's end is found.
    """

    kind: Literal["birth-month"] = "birth-month"
    years: _Positive
    parity: Literal["odd", "even", "birth-year"] | None = None
    first_end: Literal["after-full-term", "next-occurrence"] = "after-full-term"

    @model_validator(mode="after")
    def _check_parity(self) -> Self:
        if self.parity is not None and self.years % 2:
            raise PydanticCustomError(
                "invalid-cycle-spec",
                "parity '{parity}' needs an even number of years, got years={years}",
                {"parity": self.parity, "years": self.years},
            )
        return self

    def _plan(self, holding: Held, as_of: dt.date) -> _Plan:
        born = holding.holder.birth_date
        if born is None:
            raise CycleError(
                f"BirthMonthCycle needs the holder's birth_date (holding of "
                f"{holding.certification_id!r} earned {holding.earned.isoformat()})",
                code="invalid-cycle-spec",
            )
        earned = holding.earned
        wanted: int | None = None  # the remainder (year % 2) of allowed end years
        if self.parity is not None:
            wanted = {"odd": 1, "even": 0, "birth-year": born.year % 2}[self.parity]
        if self.first_end == "after-full-term":
            after = earned + relativedelta(years=self.years) - _ONE_DAY
        else:
            after = earned
        year = after.year
        while True:
            first = _month_end(dt.date(year, born.month, 1))
            if first > after and (wanted is None or year % 2 == wanted):
                break
            year += 1

        def ends() -> Iterator[dt.date]:
            k = 0
            while True:
                yield _month_end(dt.date(first.year + k * self.years, born.month, 1))
                k += 1

        return _Plan(12 * self.years, _contiguous(ends(), earned))


class ScheduleGroup(FrozenModel):
    """One group of an explicit schedule: the family-name initials it covers and its periods.

    ``letters`` lists single letters and ranges, comma-separated (``"A-G"``, ``"H-M,Q"``),
    case-insensitive. The periods must be contiguous, each starting the day after the
    previous one ends. The first period sets the normal term (``full_term_months``), so it
    must span at least one whole month.

    Attributes:
        name: The group's name as the body uses it.
        letters: The initials of the family names in the group.
        periods: The group's compliance periods, in order.

    >>> group = ScheduleGroup(
    ...     name="Group 1",
    ...     letters="H-M,q",
    ...     periods=(Period(start=dt.date(2023, 2, 1), end=dt.date(2026, 1, 31)),),
    ... )
    >>> "".join(sorted(group.letter_set))
    'HIJKLMQ'
    """

    name: str = Field(min_length=1)
    letters: str
    periods: tuple[Period, ...]

    @field_validator("letters")
    @classmethod
    def _check_letters(cls, value: str) -> str:
        if _parse_letters(value) is None:
            raise PydanticCustomError(
                "invalid-cycle-spec",
                "letters '{letters}' is not a comma-separated list of letters and ranges "
                "such as 'A-G' or 'H-M,Q'",
                {"letters": value},
            )
        return value

    @model_validator(mode="after")
    def _check_periods(self) -> Self:
        if not self.periods:
            raise PydanticCustomError(
                "invalid-cycle-spec",
                "schedule group '{group}' has no periods",
                {"group": self.name},
            )
        first = self.periods[0]
        if _whole_months(first.start, first.end) < 1:
            raise PydanticCustomError(
                "invalid-cycle-spec",
                "the first period of schedule group '{group}', {period}, is shorter than a "
                "month; it sets the normal term, so it must span at least one whole month",
                {"group": self.name, "period": str(first)},
            )
        for before, after in pairwise(self.periods):
            if after.start != before.end + _ONE_DAY:
                raise PydanticCustomError(
                    "invalid-cycle-spec",
                    "schedule group '{group}' is not contiguous: {before} is followed by "
                    "{after}, which should start on {expected}",
                    {
                        "group": self.name,
                        "before": str(before),
                        "after": str(after),
                        "expected": (before.end + _ONE_DAY).isoformat(),
                    },
                )
        return self

    @property
    def letter_set(self) -> frozenset[str]:
        """The upper-case initials the group covers."""
        letters = _parse_letters(self.letters)
        assert letters is not None  # checked on construction
        return letters


class ScheduledCycle(_CycleSpecBase):
    """Cycles from an explicit table of periods per group of family-name initials.

    The holder's group is the one covering the first letter of ``holder.family_name``
    (case-insensitive; leading non-letters are skipped and accents dropped). Cycle 0 is the
    group's period containing the earned date, starting on the earned date; the rest follow
    the table. With ``repeat_years`` the table repeats, shifted by that many years each
    time (the shift must continue the table without a gap); without it, a date past the
    table's end is an error. ``full_term_months`` is the length of the group's first period.

    >>> from cperules.holders import Holder, Holding
    >>> def three_years(start: int) -> Period:
    ...     return Period(start=dt.date(start, 2, 1), end=dt.date(start + 3, 1, 31))
    >>> spec = ScheduledCycle(
    ...     groups=(
    ...         ScheduleGroup(name="1", letters="A-G", periods=(three_years(2020),)),
    ...         ScheduleGroup(name="2", letters="H-Z", periods=(three_years(2021),)),
    ...     ),
    ...     repeat_years=3,
    ... )
    >>> holding = Holding(
    ...     certification="ca/bar", earned=dt.date(2022, 6, 1), holder=Holder(family_name="Hu")
    ... )
    >>> [str(c.period) for c in spec.cycles(holding, as_of=dt.date(2025, 1, 1))]
    ['2022-06-01..2024-01-31', '2024-02-01..2027-01-31']

    Attributes:
        groups: The schedule's groups; their letters must not overlap.
        repeat_years: How many years the table spans, if it repeats.
    """

    kind: Literal["scheduled"] = "scheduled"
    groups: tuple[ScheduleGroup, ...] = Field(json_schema_extra={"minItems": 1})
    repeat_years: _Positive | None = None

    @model_validator(mode="after")
    def _check_groups(self) -> Self:
        if not self.groups:
            raise PydanticCustomError(
                "invalid-cycle-spec", "a ScheduledCycle needs at least one schedule group"
            )
        owner: dict[str, ScheduleGroup] = {}
        for group in self.groups:
            for letter in sorted(group.letter_set):
                other = owner.setdefault(letter, group)
                if other is not group:
                    raise PydanticCustomError(
                        "invalid-cycle-spec",
                        "letter '{letter}' is in both group '{first}' and group '{second}'",
                        {"letter": letter, "first": other.name, "second": group.name},
                    )
            if self.repeat_years is not None:
                follows = group.periods[-1].end + _ONE_DAY
                shifted = group.periods[0].start + relativedelta(years=self.repeat_years)
                if follows != shifted:
                    raise PydanticCustomError(
                        "invalid-cycle-spec",
                        "repeat_years={years} does not continue group '{group}': its table "
                        "ends {end}, so the repeat must start {follows}, but its first period "
                        "shifted by {years} years starts {shifted}",
                        {
                            "years": self.repeat_years,
                            "group": group.name,
                            "end": group.periods[-1].end.isoformat(),
                            "follows": follows.isoformat(),
                            "shifted": shifted.isoformat(),
                        },
                    )
        return self

    def group_for(self, holder: Person) -> ScheduleGroup:
        """The group covering the holder's family name.

        Raises:
            CycleError: ``no-schedule-group`` if the holder has no family name, or no group
                covers its initial.
        """
        name = holder.family_name
        initial = None if name is None else _initial(name)
        if initial is None:
            raise CycleError(
                "ScheduledCycle needs the holder's family_name (with at least one letter) "
                f"to choose a schedule group; got {name!r}",
                code="no-schedule-group",
            )
        for group in self.groups:
            if initial in group.letter_set:
                return group
        covered = ", ".join(f"{group.name!r} ({group.letters})" for group in self.groups)
        raise CycleError(
            f"no schedule group covers family name {name!r} (initial {initial!r}); "
            f"the groups cover: {covered}",
            code="no-schedule-group",
        )

    def _plan(self, holding: Held, as_of: dt.date) -> _Plan:
        group = self.group_for(holding.holder)
        table = group.periods
        earned = holding.earned
        if earned < table[0].start:
            raise CycleError(
                f"{holding.certification_id!r} was earned on {earned.isoformat()}, before the "
                f"schedule of group {group.name!r} starts on {table[0].start.isoformat()}",
                code="before-first-cycle",
            )
        repeat = self.repeat_years

        def periods() -> Iterator[tuple[dt.date, dt.date]]:
            if repeat is None:
                yield from ((period.start, period.end) for period in table)
                raise CycleError(
                    f"as_of {as_of.isoformat()} is after the schedule of group "
                    f"{group.name!r}, which ends {table[-1].end.isoformat()} and does "
                    "not repeat",
                    code="schedule-exhausted",
                )
            for start, following in pairwise(starts(repeat)):  # pragma: no branch - endless
                yield start, following - _ONE_DAY

        def starts(repeat: int) -> Iterator[dt.date]:
            previous: dt.date | None = None
            shift = 0
            while True:
                for period in table:
                    start = period.start + relativedelta(years=shift)
                    # Clamping 29 February can make two starts collide; keep the first.
                    if previous is None or start > previous:
                        yield start
                        previous = start
                shift += repeat

        def raws() -> Iterator[_Raw]:
            for start, end in periods():
                if end >= earned:
                    yield _Raw(max(start, earned), end)

        return _Plan(_whole_months(table[0].start, table[0].end), raws())


class RollingCycle(_CycleSpecBase):
    """Renewals at month-end checkpoints, each looking back over a window of months.

    The first checkpoint is the first last-day-of-``checkpoint_month`` on or after the
    earned date; later ones follow every ``every_months`` months (on month ends). Each
    cycle's period is the window of the ``window_months`` whole months ending on its
    checkpoint, so windows overlap when the window is longer than the step, and the first
    windows may start before the earned date.

    >>> from cperules.holders import Holding
    >>> holding = Holding(certification="cpa/ny", earned=dt.date(2018, 1, 1))
    >>> spec = RollingCycle(every_months=12, window_months=36, checkpoint_month=12)
    >>> cycles = spec.cycles(holding, as_of=dt.date(2024, 12, 1))
    >>> [str(c.period) for c in cycles[:2]], str(cycles[-1].period)
    (['2016-01-01..2018-12-31', '2017-01-01..2019-12-31'], '2022-01-01..2024-12-31')

    Attributes:
        every_months: Months between checkpoints.
        window_months: Months each checkpoint looks back over.
        checkpoint_month: The month (1 to 12) whose last day is the first checkpoint.
    """

    kind: Literal["rolling"] = "rolling"
    every_months: _Positive
    window_months: _Positive
    checkpoint_month: _MonthNumber

    def _plan(self, holding: Held, as_of: dt.date) -> _Plan:
        earned = holding.earned
        first = dt.date(earned.year, self.checkpoint_month, 1)
        if _month_end(first) < earned:
            first = first.replace(year=first.year + 1)

        def raws() -> Iterator[_Raw]:
            k = 0
            while True:
                month = first + relativedelta(months=k * self.every_months)
                start = month - relativedelta(months=self.window_months - 1)
                yield _Raw(start, _month_end(month))
                k += 1

        return _Plan(self.window_months, raws())


CycleSpec = Annotated[
    AnniversaryCycle | CalendarCycle | FixedCycle | BirthMonthCycle | ScheduledCycle | RollingCycle,
    Field(discriminator="kind"),
]
"""Any cycle spec, told apart by its ``kind`` tag."""

CYCLE_KINDS: tuple[str, ...] = tuple(
    kind.model_fields["kind"].default for kind in get_args(get_args(CycleSpec)[0])
)
"""Every cycle kind's tag, in the order of :data:`CycleSpec` (derived from it)."""
