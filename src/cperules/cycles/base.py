"""What every cycle kind shares: what it reads of a holding, and how cycles are built.

A kind (one a module beside this one) subclasses :class:`CycleSpecBase` and writes only
``_plan``: its normal term and the lazy sequence of its cycles' dates (:class:`Raw`).
The first-cycle rule, the years, the grace window, cuts and restarts are the base's.
"""

from __future__ import annotations

import datetime as dt
from abc import abstractmethod
from collections.abc import Iterator
from typing import Any, Literal, NamedTuple, Protocol

from pydantic_core import PydanticCustomError

from cperules._model import FrozenModel, validating
from cperules.citations import SourceRef
from cperules.cycles._dates import ONE_DAY, whole_months
from cperules.cycles.cycle import Cycle
from cperules.cycles.grace import Grace
from cperules.cycles.period import Period, YearsBy, made_period
from cperules.days import MAX_CYCLES
from cperules.errors import ArgumentError, CperulesError, CycleError

__all__ = ["FirstCycle", "Held", "Parity", "Person"]


FirstCycle = Literal["normal", "exempt", "prorated"]
"""How a spec treats cycle 0: like any other, exempt from requirements, or prorated by
whole months when it is shorter than the normal term."""


class Person(Protocol):
    """What a cycle spec reads of a holder (a :class:`~cperules.holders.Holder` is one)."""

    @property
    def birth_date(self) -> dt.date | None:
        """Birth-month cycles end in this month."""

    @property
    def family_name(self) -> str | None:
        """Schedules grouped by letter key on its initial."""

    @property
    def group(self) -> str | None:
        """The group a body assigned the holder, for schedules grouped by assigned group."""

    @property
    def admitted(self) -> dt.date | None:
        """When the holder was admitted (to a bar), for cycles whose parity it sets."""

    @property
    def licensed(self) -> dt.date | None:
        """When the holder was first licensed, for cycles whose parity it sets."""


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


Parity = Literal["odd", "even", "birth-year", "earned-year", "admitted-year", "licensed-year"]
"""Which years a cycle may end in: odd or even years, or years of the same parity as the
year of a date: the holder's birth (``birth-year``), the date the holding was earned
(``earned-year``), the holder's admission (``admitted-year``) or first licence
(``licensed-year``)."""

_PARITY_DATES: dict[str, tuple[str, str]] = {
    "birth-year": ("birth_date", "birth date"),
    "admitted-year": ("admitted", "admission date"),
    "licensed-year": ("licensed", "licence date"),
}


def parity_remainder(parity: Parity | None, holding: Held, kind: str) -> int | None:
    """The remainder (``year % 2``) of the years a cycle may end in, or None for any year.

    Raises:
        CycleError: ``invalid-cycle-spec`` if the parity counts from a holder date the
            holder lacks, naming the field to give.
    """
    if parity is None:
        return None
    if parity == "odd":
        return 1
    if parity == "even":
        return 0
    if parity == "earned-year":
        return holding.earned.year % 2
    field, words = _PARITY_DATES[parity]
    day: dt.date | None = getattr(holding.holder, field)
    if day is None:
        raise CycleError(
            f"{kind} with parity {parity!r} needs the holder's {words}: give "
            f"Holder({field}=...) (holding of {holding.certification_id!r} earned "
            f"{holding.earned.isoformat()})",
            code="invalid-cycle-spec",
        )
    return day.year % 2


def check_parity(parity: Parity | None, years: int) -> None:
    """Raise a validation error if ``parity`` is given with an odd number of ``years``."""
    if parity is not None and years % 2:
        raise PydanticCustomError(
            "invalid-cycle-spec",
            "parity '{parity}' needs an even number of years, got years={years}",
            {"parity": parity, "years": years},
        )


class _Anchored(NamedTuple):
    """A holding re-anchored on a renewal date (see :meth:`CycleSpecBase.restarted`)."""

    earned: dt.date
    holder: Person
    certification_id: str


class Raw(NamedTuple):
    """A cycle's dates before the common rules (first cycle, grace, years) are applied.

    ``joined`` says the first of the cycle's years runs on into the second (a calendar
    stub that belongs to the first full year); ``credit_from``, before ``start``, opens an
    early-credit window whose credit counts toward the cycle.
    """

    start: dt.date
    end: dt.date
    exempt: bool = False
    joined: bool = False
    credit_from: dt.date | None = None


class Plan(NamedTuple):
    """What a spec kind contributes: its normal term and its cycles' dates, in order."""

    full_term_months: int
    raws: Iterator[Raw]


class CycleSpecBase(FrozenModel):
    """What every cycle spec shares: the first-cycle rule, years, grace, and the engine."""

    kind: str
    first_cycle: FirstCycle = "normal"
    years_by: YearsBy = "calendar"
    grace: Grace | None = None
    source: SourceRef | None = None

    @abstractmethod
    def _plan(self, holding: Held, as_of: dt.date) -> Plan:
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
        return self._laid_out(holding, as_of, following=False)[0]

    def cycles_and_next(
        self, holding: Held, *, as_of: dt.date
    ) -> tuple[tuple[Cycle, ...], Cycle | None]:
        """:meth:`cycles`, and the cycle after the last of them, laid out in the same pass.

        The next cycle is where credit carried out of the governing one lands. It is the
        last of ``cycles(holding, as_of=<the day after the governing cycle's due date>)``;
        ``None`` when the spec cannot lay it out (beyond ``MAX_CYCLES``, or after the end
        of a schedule that does not repeat): asking :meth:`cycles` for it then says why.

        >>> from cperules.cycles import AnniversaryCycle
        >>> from cperules.holders import Holding
        >>> holding = Holding(certification="pmi/pmp", earned=dt.date(2023, 5, 2))
        >>> cycles, following = AnniversaryCycle(years=3).cycles_and_next(
        ...     holding, as_of=dt.date(2024, 1, 1))
        >>> [str(cycle.period) for cycle in cycles], str(following.period)
        (['2023-05-02..2026-05-01'], '2026-05-02..2029-05-01')

        Raises:
            CycleError: as :meth:`cycles` does.
        """
        return self._laid_out(holding, as_of, following=True)

    def _laid_out(
        self, holding: Held, as_of: dt.date, *, following: bool
    ) -> tuple[tuple[Cycle, ...], Cycle | None]:
        """The cycles up to ``as_of`` and, if asked (and the spec gives it), the next one."""
        if as_of < holding.earned:
            raise CycleError(
                f"as_of {as_of.isoformat()} is before the first cycle of "
                f"{holding.certification_id!r}, which starts when it was earned on "
                f"{holding.earned.isoformat()}",
                code="before-first-cycle",
            )
        plan = self._plan(holding, as_of)
        raws = plan.raws
        built: list[Cycle] = []
        for index, raw in enumerate(raws):
            if index == MAX_CYCLES:
                raise ArgumentError(
                    f"as_of {as_of.isoformat()} is more than {MAX_CYCLES} cycles after "
                    f"{holding.certification_id!r} was earned on {holding.earned.isoformat()} "
                    f"(cycle {MAX_CYCLES + 1} would start {raw.start.isoformat()}); cperules "
                    f"evaluates at most {MAX_CYCLES} cycles of a holding: evaluate an earlier "
                    "as_of, or a holding re-earned nearer to it",
                    code="beyond-limits",
                )
            built.append(self._build(index, raw, plan.full_term_months))
            if raw.end >= as_of:
                break
        else:  # pragma: no cover - the dates are endless or raise
            raise AssertionError("cycle dates ran out without an error")
        after: Cycle | None = None
        if following and len(built) < MAX_CYCLES:
            # The same sequence of dates, one further: what a layout up to the day after
            # the governing cycle would end with (the spec reads as_of only for messages).
            try:
                raw = next(raws)
            except (CperulesError, ValueError, OverflowError):
                after = None  # cycles() up to that day says why
            else:
                after = self._build(len(built), raw, plan.full_term_months)
        return tuple(built), after

    def cycle_on(self, holding: Held, day: dt.date) -> Cycle:
        """The cycle of ``holding`` that governs ``day`` (the last of :meth:`cycles`)."""
        return self.cycles(holding, as_of=day)[-1]

    def cut(self, cycle: Cycle, end: dt.date) -> Cycle:
        """``cycle`` ended early on ``end`` (a renewal event started the next one).

        >>> from cperules.cycles import AnniversaryCycle
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
                "term_months": whole_months(period.start, end),
                "grace": None if self.grace is None else self.grace.window(period),
                "suspension": None if self.grace is None else self.grace.suspension_after(period),
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

        >>> from cperules.cycles import AnniversaryCycle
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

    def _build(self, index: int, raw: Raw, full_term_months: int) -> Cycle:
        if raw.start > raw.end or full_term_months < 1:
            # Dates no spec should give: validated, so that the error says what is wrong.
            period = Period(start=raw.start, end=raw.end)
        else:
            period = made_period(raw.start, raw.end)
        years = period.years(self.years_by)
        if raw.joined and len(years) > 1:
            years = (made_period(years[0].start, years[1].end), *years[2:])
        term_months = whole_months(raw.start, raw.end)
        rule: FirstCycle = self.first_cycle if index == 0 and not raw.exempt else "normal"
        grace = self.grace
        values: dict[str, Any] = {
            "index": index,
            "period": period,
            "due": raw.end,
            "exempt": raw.exempt or rule == "exempt",
            "term_months": term_months,
            "full_term_months": full_term_months,
            "grace": None if grace is None else grace.window(period),
            "suspension": None if grace is None else grace.suspension_after(period),
            "years": years,
            "prorated": rule == "prorated" and term_months < full_term_months,
            "credit_from": raw.credit_from,
        }
        if validating.on:
            return Cycle(**values)
        # Built without validating: every field is made here, of its type and in range,
        # and the cycles share one set of the fields given (as the periods do).
        cycle = _new(Cycle)
        _set(cycle, "__dict__", values)
        _set(cycle, "__pydantic_fields_set__", _CYCLE_FIELDS)
        _set(cycle, "__pydantic_extra__", None)
        _set(cycle, "__pydantic_private__", None)
        return cycle


_CYCLE_FIELDS = set(Cycle.model_fields)
"""The fields set of every cycle a spec builds (all of them): one set shared by them all."""

_new = object.__new__
_set = object.__setattr__


def contiguous(ends: Iterator[dt.date], start: dt.date) -> Iterator[Raw]:
    """Turn a sequence of cycle ends into contiguous cycles, the first starting on ``start``."""
    for end in ends:  # pragma: no branch - the ends never run out
        yield Raw(start, end)
        start = end + ONE_DAY
