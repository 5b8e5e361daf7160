"""Cycles from an explicit table of periods per group of holders.

Bodies assign their holders to a schedule's groups in one of three ways, and a
:class:`ScheduleGroup` names its holders in exactly one of them: by family-name initial
(``letters``: California's bar), by the group the body assigned (``groups``, matched
against ``Holder.group``: Pennsylvania's compliance groups, Florida's reporting months, a
licence number's parity or an ID's last digit given as the holder's group), or by birth
month (``birth_months``: New Jersey's bar groups by birth half-year).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from itertools import pairwise
from typing import Annotated, Literal, Self

from dateutil.relativedelta import relativedelta
from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from cperules._model import FrozenModel
from cperules.cycles._dates import ONE_DAY, Years, whole_months
from cperules.cycles.base import CycleSpecBase, Held, Person, Plan, Raw
from cperules.cycles.period import Period
from cperules.days import FIRST_DAY, LAST_DAY
from cperules.errors import CycleError, did_you_mean

__all__ = ["GroupedBy", "ScheduleGroup", "ScheduledCycle"]

GroupedBy = Literal["letters", "groups", "birth_months"]
"""How a schedule's groups name their holders: by family-name initial, by the group a
body assigned (``Holder.group``), or by birth month."""

_BY_WORDS: dict[GroupedBy, str] = {
    "letters": "family-name initial",
    "groups": "assigned group",
    "birth_months": "birth month",
}


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


def _parse_months(spec: str) -> frozenset[int] | None:
    """Parse a months spec such as ``"1-6"`` or ``"1,3,5-7"``; ``None`` if it is malformed."""
    months: set[int] = set()
    for item in spec.split(","):
        parts = [part.strip() for part in item.split("-")]
        if len(parts) > 2 or not all(p.isdigit() and 1 <= int(p) <= 12 for p in parts):
            return None
        low, high = int(parts[0]), int(parts[-1])
        if low > high:
            return None
        months.update(range(low, high + 1))
    return frozenset(months)


class ScheduleGroup(FrozenModel):
    """One group of an explicit schedule: the holders it covers and its periods.

    A group names its holders in exactly one of three ways:

    - ``letters``: family-name initials, single letters and ranges, comma-separated
      (``"A-G"``, ``"H-M,Q"``), case-insensitive;
    - ``groups``: the names of the groups a body assigns its holders (``("Group 1",)``,
      ``("odd",)``, ``("7",)``), matched exactly against ``Holder.group``;
    - ``birth_months``: month numbers and ranges, comma-separated (``"1-6"``,
      ``"1,3,5"``), matched against the month of ``Holder.birth_date``.

    The periods must be contiguous, each starting the day after the previous one ends.
    The first period sets the normal term (``full_term_months``), so it must span at least
    one whole month.

    Attributes:
        name: The group's name as the body uses it.
        letters: The initials of the family names in the group.
        groups: The assigned group names in the group.
        birth_months: The birth months in the group.
        periods: The group's compliance periods, in order.

    >>> group = ScheduleGroup(
    ...     name="Group 1",
    ...     letters="H-M,q",
    ...     periods=(Period(start=dt.date(2023, 2, 1), end=dt.date(2026, 1, 31)),),
    ... )
    >>> "".join(sorted(group.letter_set)), group.grouped_by
    ('HIJKLMQ', 'letters')
    >>> first_half = ScheduleGroup(
    ...     name="born January to June",
    ...     birth_months="1-6",
    ...     periods=(Period(start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31)),),
    ... )
    >>> sorted(first_half.month_set), first_half.grouped_by
    ([1, 2, 3, 4, 5, 6], 'birth_months')
    """

    name: str = Field(min_length=1)
    letters: str | None = None
    groups: tuple[Annotated[str, Field(min_length=1)], ...] | None = None
    birth_months: str | None = None
    periods: tuple[Period, ...]

    @field_validator("letters")
    @classmethod
    def _check_letters(cls, value: str | None) -> str | None:
        if value is not None and _parse_letters(value) is None:
            raise PydanticCustomError(
                "invalid-cycle-spec",
                "letters '{letters}' is not a comma-separated list of letters and ranges "
                "such as 'A-G' or 'H-M,Q'",
                {"letters": value},
            )
        return value

    @field_validator("birth_months")
    @classmethod
    def _check_birth_months(cls, value: str | None) -> str | None:
        if value is not None and _parse_months(value) is None:
            raise PydanticCustomError(
                "invalid-cycle-spec",
                "birth_months '{months}' is not a comma-separated list of month numbers "
                "(1 to 12) and ranges such as '1-6' or '1,3,5'",
                {"months": value},
            )
        return value

    @model_validator(mode="after")
    def _check_one_way(self) -> Self:
        given = [
            key
            for key, value in (
                ("letters", self.letters),
                ("groups", self.groups),
                ("birth_months", self.birth_months),
            )
            if value is not None
        ]
        if len(given) != 1:
            raise PydanticCustomError(
                "invalid-cycle-spec",
                "schedule group '{group}' needs exactly one of letters (family-name "
                "initials), groups (assigned group names) or birth_months, got {given}",
                {"group": self.name, "given": ", ".join(given) or "none"},
            )
        if self.groups is not None:
            if not self.groups:
                raise PydanticCustomError(
                    "invalid-cycle-spec",
                    "schedule group '{group}' has an empty list of groups",
                    {"group": self.name},
                )
            repeated = sorted({g for g in self.groups if self.groups.count(g) > 1})
            if repeated:
                raise PydanticCustomError(
                    "invalid-cycle-spec",
                    "schedule group '{group}' lists group '{repeated}' more than once",
                    {"group": self.name, "repeated": repeated[0]},
                )
        return self

    @model_validator(mode="after")
    def _check_periods(self) -> Self:
        if not self.periods:
            raise PydanticCustomError(
                "invalid-cycle-spec",
                "schedule group '{group}' has no periods",
                {"group": self.name},
            )
        outside = [p for p in self.periods if p.start < FIRST_DAY or p.end > LAST_DAY]
        if outside:
            raise PydanticCustomError(
                "invalid-cycle-spec",
                "schedule group '{group}' has a period {period} outside {expected}",
                {
                    "group": self.name,
                    "period": str(outside[0]),
                    "expected": f"periods within {FIRST_DAY} to {LAST_DAY}, not {outside[0]}",
                },
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
    def grouped_by(self) -> GroupedBy:
        """How the group names its holders: the one of its three fields that is set."""
        if self.letters is not None:
            return "letters"
        if self.groups is not None:
            return "groups"
        return "birth_months"

    @property
    def letter_set(self) -> frozenset[str]:
        """The upper-case initials the group covers (none unless it groups by letters)."""
        if self.letters is None:
            return frozenset()
        letters = _parse_letters(self.letters)
        assert letters is not None  # checked on construction
        return letters

    @property
    def month_set(self) -> frozenset[int]:
        """The birth months the group covers (none unless it groups by birth month)."""
        if self.birth_months is None:
            return frozenset()
        months = _parse_months(self.birth_months)
        assert months is not None  # checked on construction
        return months


class ScheduledCycle(CycleSpecBase):
    """Cycles from an explicit table of periods per group of holders.

    Every group of a schedule names its holders the same way (see :class:`ScheduleGroup`).
    By letters, the holder's group is the one covering the first letter of
    ``holder.family_name`` (case-insensitive; leading non-letters are skipped and accents
    dropped); by assigned group, the one listing ``holder.group``; by birth month, the one
    covering the month of ``holder.birth_date``. Cycle 0 is the
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

    Groups a body assigns (Pennsylvania's compliance groups) are matched by name:

    >>> assigned = ScheduledCycle(
    ...     groups=(
    ...         ScheduleGroup(name="Group 1", groups=("1",), periods=(three_years(2020),)),
    ...         ScheduleGroup(name="Group 2", groups=("2",), periods=(three_years(2021),)),
    ...     ),
    ...     repeat_years=3,
    ... )
    >>> holding = Holding(
    ...     certification="pa/bar", earned=dt.date(2022, 6, 1), holder=Holder(group="2")
    ... )
    >>> print(assigned.cycle_on(holding, dt.date(2025, 1, 1)).period)
    2024-02-01..2027-01-31

    Attributes:
        groups: The schedule's groups, all naming their holders the same way; what they
            cover (letters, group names, birth months) must not overlap.
        repeat_years: How many years the table spans, if it repeats.
    """

    kind: Literal["scheduled"] = "scheduled"
    groups: tuple[ScheduleGroup, ...] = Field(json_schema_extra={"minItems": 1})
    repeat_years: Years | None = None

    @model_validator(mode="after")
    def _check_groups(self) -> Self:
        if not self.groups:
            raise PydanticCustomError(
                "invalid-cycle-spec", "a ScheduledCycle needs at least one schedule group"
            )
        ways = sorted({group.grouped_by for group in self.groups})
        if len(ways) > 1:
            raise PydanticCustomError(
                "invalid-cycle-spec",
                "the groups of a schedule must name their holders the same way, got "
                "{ways}: give every group letters, or every group groups, or every group "
                "birth_months",
                {"ways": " and ".join(ways)},
            )
        named: dict[str, ScheduleGroup] = {}
        born: dict[int, ScheduleGroup] = {}
        owner: dict[str, ScheduleGroup] = {}
        for group in self.groups:
            for assigned in group.groups or ():
                other = named.setdefault(assigned, group)
                if other is not group:
                    raise PydanticCustomError(
                        "invalid-cycle-spec",
                        "assigned group '{assigned}' is in both group '{first}' and group "
                        "'{second}'",
                        {"assigned": assigned, "first": other.name, "second": group.name},
                    )
            for month in sorted(group.month_set):
                other = born.setdefault(month, group)
                if other is not group:
                    raise PydanticCustomError(
                        "invalid-cycle-spec",
                        "birth month {month} is in both group '{first}' and group '{second}'",
                        {"month": month, "first": other.name, "second": group.name},
                    )
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

    @property
    def grouped_by(self) -> GroupedBy:
        """How the schedule's groups name their holders (the same for every group)."""
        return self.groups[0].grouped_by

    def group_for(self, holder: Person) -> ScheduleGroup:
        """The group covering the holder: by family name, assigned group or birth month.

        Raises:
            CycleError: ``no-schedule-group`` if the holder lacks what the schedule groups
                by (a family name, an assigned group, a birth date), or no group covers it.
        """
        by = self.grouped_by
        if by == "groups":
            return self._by_assigned_group(holder.group)
        if by == "birth_months":
            return self._by_birth_month(holder.birth_date)
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

    def _by_assigned_group(self, assigned: str | None) -> ScheduleGroup:
        known = [name for group in self.groups for name in group.groups or ()]
        listed = ", ".join(repr(name) for name in known)
        if assigned is None:
            raise CycleError(
                "this schedule groups holders by assigned group: give Holder(group=...), "
                f"one of {listed}",
                code="no-schedule-group",
            )
        for group in self.groups:
            if assigned in (group.groups or ()):
                return group
        raise CycleError(
            f"no schedule group is assigned {assigned!r}{did_you_mean(assigned, known)}; "
            f"the groups this schedule knows: {listed}",
            code="no-schedule-group",
        )

    def _by_birth_month(self, born: dt.date | None) -> ScheduleGroup:
        covered = ", ".join(f"{group.name!r} ({group.birth_months})" for group in self.groups)
        if born is None:
            raise CycleError(
                "this schedule groups holders by birth month: give Holder(birth_date=...); "
                f"the groups cover months {covered}",
                code="no-schedule-group",
            )
        for group in self.groups:
            if born.month in group.month_set:
                return group
        raise CycleError(
            f"no schedule group covers birth month {born.month} (born {born.isoformat()}); "
            f"the groups cover months {covered}",
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
