"""Holders, holdings and the ledgers for a holding (``ledgers_for``).

Internal: users import from :mod:`cperules.testing.strategies`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from cperules.cycles import CycleSpec, ScheduledCycle
from cperules.errors import CperulesError
from cperules.holders import Holder, Holding
from cperules.ledger import Activity, ActivityKind, Ledger
from cperules.policy import Certification
from cperules.rules import RepeatExclusion
from cperules.selectors import Selector, kinds_named, topics_named
from cperules.testing.strategy_parts.activities import _activity_fields, _activity_plan, _ledger
from cperules.testing.strategy_parts.building import (
    _ASSIGNED_GROUPS,
    _ONE_DAY,
    _date,
    _date_range,
    _dates,
    _optional,
    _plus_days,
    _sizes,
)

_FAMILY_NAMES: Final = ("Adams", "Okafor", "Nguyen", "Hu", "Zhang", "Öz", "van Dyke", "O'Brien")
_OTHER_CERTIFICATION: Final = "other/cert"
_STRAY: Final = "undeclared"


# --- holders and holdings ------------------------------------------------------------------


def holders() -> st.SearchStrategy[Holder]:
    """Holders with a birth date, family name and assigned group, sometimes more dates.

    Some have admission and licence dates. Every holder can be placed by birth-month
    cycles and by schedules grouped by the initial of the family name (names include
    ``"Öz"`` and ``"van Dyke"``), by assigned group (``"1"`` or ``"2"``) or by birth
    month.

    Examples shrink towards
    ``Holder(birth_date=date(1950, 1, 1), family_name='Adams', group='1')``.
    """
    return _HOLDERS


def _coverage(certification: Certification) -> tuple[dt.date, dt.date | None]:
    return certification.versions[0].effective_from, certification.versions[-1].effective_until


def holdings(
    *,
    certification: Certification,
    min_earned: dt.date | None = None,
    max_earned: dt.date | None = None,
) -> st.SearchStrategy[Holding]:
    """Holdings of ``certification`` by a holder from :func:`holders`.

    The earned date lies in ``min_earned..max_earned``, which must fall inside the
    certification's versions. By default that is from the first version's start to three
    years after the last version starts (or to the last version's end, if sooner).

    Where the certification's schedules group holders by the group a body assigned, the
    holder's ``group`` is one of the names those schedules give (``"odd"``, ``"7"``), and
    where its cycles count their parity from the holder's admission or licence date, the
    holder has that date, so every holding can be placed.

    Examples shrink towards a holding earned on ``min_earned`` by the simplest holder.
    """

    def build() -> st.SearchStrategy[Holding]:
        if not isinstance(certification, Certification):
            raise InvalidArgument(f"certification={certification!r} must be a Certification")
        start, until = _coverage(certification)
        default_end = certification.versions[-1].effective_from + relativedelta(years=3)
        if until is not None:
            default_end = min(until, default_end)
        first, last = _date_range(
            "min_earned",
            start if min_earned is None else min_earned,
            "max_earned",
            default_end if max_earned is None else max_earned,
        )
        if first < start or (until is not None and last > until):
            raise InvalidArgument(
                f"earned dates {first}..{last} are not all inside the versions of "
                f"{certification.id!r} ({start} to {until or 'open'})"
            )
        assigned = _assigned_groups(certification)
        needed = _holder_dates_needed(certification)
        holder = _HOLDERS
        if assigned or needed:
            holder = _holders_in(assigned or _ASSIGNED_GROUPS, dates_needed=needed)
        return st.builds(
            Holding,
            certification=st.just(certification),
            earned=_dates(first, last),
            holder=holder,
        )

    return st.deferred(build)


def _holders_in(
    groups: Sequence[str], *, dates_needed: frozenset[str] = frozenset()
) -> st.SearchStrategy[Holder]:
    """Holders as :func:`holders` gives them, with an assigned group among ``groups``.

    The holder dates named in ``dates_needed`` (``"admitted"``, ``"licensed"``) are always
    given, for cycles whose parity counts from them.
    """
    dates = _dates(dt.date(1975, 1, 1), dt.date(2030, 12, 31))
    return st.builds(
        Holder,
        birth_date=_dates(dt.date(1950, 1, 1), dt.date(2005, 12, 31)),
        family_name=st.sampled_from(_FAMILY_NAMES),
        admitted=dates if "admitted" in dates_needed else _optional(dates),
        licensed=dates if "licensed" in dates_needed else _optional(dates),
        group=st.sampled_from(groups),
    )


def _holder_dates_needed(certification: Certification) -> frozenset[str]:
    """The holder dates a certification's cycles count their parity from."""
    needed = {
        {"admitted-year": "admitted", "licensed-year": "licensed"}.get(
            str(getattr(version.cycle, "parity", None)), ""
        )
        for version in certification.versions
    }
    return frozenset(needed - {""})


def _assigned_groups(certification: Certification) -> tuple[str, ...]:
    """Every group name a certification's schedules assign holders to, in order."""
    names: dict[str, None] = {}
    for version in certification.versions:
        if isinstance(version.cycle, ScheduledCycle):
            for group in version.cycle.groups:
                names.update(dict.fromkeys(group.groups or ()))
    return tuple(names)


_HOLDERS: Final = _holders_in(_ASSIGNED_GROUPS)


# --- ledgers for a holding -------------------------------------------------------------------


def _selectors_of(certification: Certification) -> list[Selector]:
    found: list[Selector] = []
    for version in certification.versions:
        found += [rule.selector for rule in version.rules if not isinstance(rule, RepeatExclusion)]
        if version.carryover is not None:
            found.append(version.carryover.selector)
    return found


def _vocabulary(
    certification: Certification,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[ActivityKind, ...]]:
    """Declared categories, named topics, named kinds."""
    codes: dict[str, None] = {}
    for version in certification.versions:
        for root in version.categories:
            codes.update((node.code, None) for node, _ in root.walk())
    found = _selectors_of(certification)
    named_topics = sorted(set().union(*(topics_named(s) for s in found)))
    kinds: dict[ActivityKind, None] = {"course": None}
    kinds.update((kind, None) for s in found for kind in sorted(kinds_named(s)))
    return tuple(codes), tuple(named_topics), tuple(kinds)


def _second_cycle_end(spec: CycleSpec, holding: Holding) -> dt.date:
    first = spec.cycle_on(holding, holding.earned)
    return spec.cycle_on(holding, first.due + _ONE_DAY).due


def _boundaries(
    certification: Certification, holding: Holding, spec: CycleSpec, as_of: dt.date
) -> list[dt.date]:
    """Dates where something changes: cycle and year edges, carry windows, grace ends.

    The earned date comes first; the rest are in order, from the day before the first
    cycle starts up to ``as_of``.
    """
    windows = {
        v.carryover.window_months
        for v in certification.versions
        if v.carryover is not None and v.carryover.window_months is not None
    }
    cycles = spec.cycles(holding, as_of=as_of)
    first = _plus_days(min(cycles[0].period.start, holding.earned), -1)
    days = {v.effective_from for v in certification.versions}
    for cycle in cycles:
        days |= {cycle.period.start, _plus_days(cycle.period.start, -1), cycle.period.end}
        days |= {year.start for year in cycle.years}
        if cycle.grace is not None:
            days |= {cycle.grace.start, cycle.grace.end}
        if cycle.suspension is not None:
            days |= {cycle.suspension.start, cycle.suspension.end}
        days |= {_plus_days(cycle.due, 1) - relativedelta(months=m) for m in windows}
    days.discard(holding.earned)
    return [holding.earned, *sorted(day for day in days if first <= day <= as_of)]


def ledgers_for(
    certification: Certification,
    holding: Holding,
    *,
    min_size: int = 0,
    max_size: int = 12,
    as_of: dt.date | None = None,
    max_credits: Decimal | int = Decimal(40),
    step: Decimal | int = Decimal("0.25"),
    fill_first_cycle: bool = True,
) -> st.SearchStrategy[Ledger]:
    """Ledgers that exercise ``certification``'s rules for ``holding``, up to ``as_of``.

    Activities (ids ``"a0"``, ``"a1"``, ...) use the categories the certification's
    versions declare (and one undeclared code, ``"undeclared"``), the topics and
    activity kinds its selectors name (and ``"course"``), and are claimed for the
    certification or for another one. They are completed inside and around the holding's
    cycles up to ``as_of``, often on a boundary: the earned date, a cycle's start, end or
    the day before its start, the start of a year, of a carryover window or of a version,
    the end of a grace window. ``as_of`` defaults to the end of the holding's second
    cycle; no activity is completed after it. Amounts are as :func:`activities` makes
    them, with ``max_credits`` and ``step``.

    A certification whose cycle ends unmet (and uncured) expires, and no later cycle is
    evaluated. So that later cycles and carryover are exercised too, with
    ``fill_first_cycle`` (the default) about half of the ledgers are completed with
    "filler" activities (ids ``"fill0"``, ...) on the first cycle's last day (or on
    ``as_of``, if that comes first): exactly what
    :meth:`~cperules.results.Evaluation.remaining` says the first cycle still needs.
    Fillers come on top of ``max_size`` and are not bound by ``max_credits``.

    Examples shrink towards fewer activities and no filler; a single activity shrinks
    towards a whole-credit course in the first declared category, completed on the earned
    date.
    """

    def build() -> st.SearchStrategy[Ledger]:
        low, high = _sizes(min_size, max_size)
        if not isinstance(certification, Certification):
            raise InvalidArgument(f"certification={certification!r} must be a Certification")
        if not isinstance(holding, Holding):
            raise InvalidArgument(f"holding={holding!r} must be a Holding")
        try:
            spec = certification.version_on(holding.earned).cycle
            end = _second_cycle_end(spec, holding) if as_of is None else _date("as_of", as_of)
            if end < holding.earned:
                raise InvalidArgument(f"as_of={end} is before the holding was earned")
            boundaries = _boundaries(certification, holding, spec, end)
        except CperulesError as error:
            raise InvalidArgument(f"cannot lay out the holding's cycles: {error}") from error
        first = min(boundaries)
        earliest = _plus_days(first, -min(60, (end - first).days // 4))
        dates = st.sampled_from(boundaries) | _dates(earliest, end)
        codes, topics, kinds = _vocabulary(certification)
        plan = _activity_plan(
            categories=codes,
            strays=(_STRAY,),
            topics=topics,
            kinds=kinds,
            max_credits=max_credits,
            step=step,
            claimed_for=(certification.id, _OTHER_CERTIFICATION),
            dates=dates,
        )
        drawn = st.lists(_activity_fields(plan), min_size=low, max_size=high).map(_ledger)
        if not fill_first_cycle:
            return drawn
        return st.tuples(drawn, st.booleans()).map(
            lambda pair: (
                _meet_first_cycle(certification, holding, pair[0], end) if pair[1] else pair[0]
            )
        )

    return st.deferred(build)


def _meet_first_cycle(
    certification: Certification, holding: Holding, ledger: Ledger, end: dt.date
) -> Ledger:
    """``ledger`` plus the least credit meeting the first cycle, on its end (or ``end``)."""
    from cperules.evaluation import evaluate  # noqa: PLC0415 - the engine loads on use

    bound = holding.model_copy(update={"certification": certification})
    spec = certification.version_on(holding.earned).cycle
    day = min(spec.cycles(holding, as_of=holding.earned)[0].due, end)
    try:
        needs = evaluate(bound, ledger, as_of=day).remaining()
    except CperulesError:  # a policy the engine refuses: checked elsewhere
        return ledger
    fillers = [
        Activity(
            id=f"fill{index}",
            title="Filler for the first cycle",
            completed=day,
            credits=need.credits,
            category=need.category,
            topics=(need.topic,) if need.topic else (),
            approved=True,
        )
        for index, need in enumerate(needs)
    ]
    return ledger.add(*fillers)
