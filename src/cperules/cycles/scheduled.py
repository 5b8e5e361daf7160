"""Cycles from an explicit table of periods per group of holders."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from itertools import pairwise
from typing import Literal, Self

from dateutil.relativedelta import relativedelta
from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from cperules._model import FrozenModel
from cperules.cycles._dates import ONE_DAY, Positive, whole_months
from cperules.cycles.base import CycleSpecBase, Held, Person, Plan, Raw
from cperules.cycles.period import Period
from cperules.errors import CycleError

__all__ = ["ScheduleGroup", "ScheduledCycle"]


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
        if whole_months(first.start, first.end) < 1:
            raise PydanticCustomError(
                "invalid-cycle-spec",
                "the first period of schedule group '{group}', {period}, is shorter than a "
                "month; it sets the normal term, so it must span at least one whole month",
                {"group": self.name, "period": str(first)},
            )
        for before, after in pairwise(self.periods):
            if after.start != before.end + ONE_DAY:
                raise PydanticCustomError(
                    "invalid-cycle-spec",
                    "schedule group '{group}' is not contiguous: {before} is followed by "
                    "{after}, which should start on {expected}",
                    {
                        "group": self.name,
                        "before": str(before),
                        "after": str(after),
                        "expected": (before.end + ONE_DAY).isoformat(),
                    },
                )
        return self

    @property
    def letter_set(self) -> frozenset[str]:
        """The upper-case initials the group covers."""
        letters = _parse_letters(self.letters)
        assert letters is not None  # checked on construction
        return letters


class ScheduledCycle(CycleSpecBase):
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
    repeat_years: Positive | None = None

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
                follows = group.periods[-1].end + ONE_DAY
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

    def _plan(self, holding: Held, as_of: dt.date) -> Plan:
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
                yield start, following - ONE_DAY

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

        def raws() -> Iterator[Raw]:
            for start, end in periods():
                if end >= earned:
                    yield Raw(max(start, earned), end)

        return Plan(whole_months(table[0].start, table[0].end), raws())
