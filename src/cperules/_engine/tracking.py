"""Tracking from the middle of a career: where evaluation starts, and what it starts with.

A holding may say where tracking starts (``Holding.tracked_from``, the first day of the
first cycle to evaluate, or ``Holding.renewed_through``, the last day of the last cycle
known to be renewed). This module finds that cycle among the cycles the policy lays out
for the holding, or refuses the date with the nearest boundaries it could have meant;
turns the credit the holder says was carried in (``Holding.carried_in``) into the entries
the first tracked cycle allocates, checked against the carryover rule of the cycle it
came from; and infers what the cycles before tracking met (they are taken as renewed, so
every requirement that applied in them was met: a once-per-career requirement among
them is not asked again).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from cperules._engine.allocation import Entry
from cperules._engine.cycle import Carried, carry_window, cycle_requirements
from cperules.credits import exact
from cperules.cycles import Cycle, CycleSpec, Period
from cperules.days import MAX_CYCLES
from cperules.errors import CycleError, did_you_mean
from cperules.holders import Holding
from cperules.policy import PolicyVersion
from cperules.results import CarriedCredit, CycleResult

__all__ = [
    "before_tracking",
    "carried_in",
    "first_tracked",
    "met_before_tracking",
]

_ONE_DAY = dt.timedelta(days=1)

_WORDS = {
    "tracked_from": "the first day of a cycle",
    "renewed_through": "the last day of a cycle",
}


def first_tracked(spec: CycleSpec, holding: Holding, certification_id: str) -> int:
    """The index of the first cycle to evaluate: 0 unless the holding says otherwise.

    ``certification_id`` is the resolved id, for messages (the holding may name an alias).

    Raises:
        CycleError: ``not-a-cycle-boundary`` if ``tracked_from`` is not the first day (or
            ``renewed_through`` the last day) of a cycle the policy lays out for the
            holding, naming the nearest days that are.
    """
    given = holding.tracking_boundary
    if given is None:
        return 0
    field, day = given
    laid = _laid_out_past(spec, holding, day)
    for cycle in laid:
        if field == "tracked_from" and cycle.period.start == day:
            return cycle.index
        if field == "renewed_through" and cycle.due == day:
            return cycle.index + 1
    days = sorted({c.period.start if field == "tracked_from" else c.due for c in laid})
    before = [d for d in days if d < day]
    after = [d for d in days if d > day]
    near = before[-1:] + after[:1]
    best = min(near, key=lambda d: (abs((d - day).days), d))
    around = " and ".join(d.isoformat() for d in near)
    kind = "starts" if field == "tracked_from" else "ends"
    raise CycleError(
        f"holding.{field}: got {day.isoformat()}; expected {_WORDS[field]} of "
        f"{certification_id!r} earned {holding.earned.isoformat()} (did you mean "
        f"{best.isoformat()}?); the cycle {kind} nearest it: {around}",
        code="not-a-cycle-boundary",
    )


def _laid_out_past(spec: CycleSpec, holding: Holding, day: dt.date) -> list[Cycle]:
    """The holding's cycles, from the first to one that starts and ends after ``day``."""
    cycles = list(spec.cycles(holding, as_of=max(day, holding.earned)))
    try:
        while len(cycles) < MAX_CYCLES and (
            cycles[-1].period.start <= day or cycles[-1].due <= day
        ):
            cycles.append(spec.cycle_on(holding, cycles[-1].due + _ONE_DAY))
    except CycleError:  # a schedule that ends: the boundaries it has are the choices
        pass
    return cycles


def before_tracking(cycle: Cycle, version: PolicyVersion) -> CycleResult:
    """The result of a cycle before tracking: not evaluated, taken as renewed."""
    return CycleResult(
        index=cycle.index,
        period=cycle.period,
        due=cycle.due,
        grace=cycle.grace,
        suspension=cycle.suspension,
        credit_from=cycle.early.start if cycle.early is not None else None,
        status="before_tracking",
        version_from=version.effective_from,
    )


def met_before_tracking(
    cycles: Sequence[Cycle], version_of: Callable[[Cycle], PolicyVersion]
) -> set[str]:
    """Ids of the requirements met in ``cycles`` (before tracking, taken as renewed).

    A renewed cycle met every requirement that applied in it (a once-per-career one among
    them is then not asked again); those asking for nothing (prorated to zero) are not
    counted as met, as an evaluated cycle would not count them.
    """
    met: set[str] = set()
    for cycle in cycles:
        version = version_of(cycle)
        applied = cycle_requirements(cycle, version, frozenset(met))
        met |= {req.rule.id for req in applied if req.required > 0}
    return met


def carried_in(
    holding: Holding,
    *,
    previous: Cycle | None,
    version: PolicyVersion | None,
    landing: Period | None,
    paths: Mapping[str, tuple[str, ...]],
) -> list[Carried]:
    """The credit ``holding.carried_in`` states, as entries of the first tracked cycle.

    ``previous`` is the last cycle before tracking and ``version`` its policy version,
    whose carryover rule the credit must obey: the rule exists and the cycle is not
    exempt; each activity is of a declared category the rule's selector takes, completed
    in the cycle's carry window; and the total is within the rule's cap. ``landing`` is
    where the credit lands (the first tracked cycle, or its first year); ``paths`` the
    category paths of ``version``.

    Raises:
        CycleError: ``invalid-carried-in``, naming the activity, the field and what the
            policy's carryover allows.
    """
    if not holding.carried_in:
        return []
    ids = tuple(activity.id for activity in holding.carried_in)
    if previous is None or version is None:
        raise _refused(
            "holding.carried_in",
            "no credit: tracking starts with the holding's first cycle, so there is no "
            "earlier cycle to carry credit from",
            ids,
        )
    number = previous.index + 1
    carryover = version.carryover
    if carryover is None:
        raise _refused(
            "holding.carried_in",
            f"no credit: the policy of cycle {number} ({previous.period}, the version from "
            f"{version.effective_from}) carries no credit into the next cycle",
            ids,
        )
    window = carry_window(previous, version)
    if window is None:
        raise _refused(
            "holding.carried_in",
            f"no credit: cycle {number} ({previous.period}) is exempt, and nothing carries "
            "out of an exempt cycle",
            ids,
        )
    assert landing is not None  # a cycle that carries has somewhere to land
    entries: list[Carried] = []
    shares: dict[str, int] = {}
    total = Decimal(0)
    for index, activity in enumerate(holding.carried_in):
        where = f"holding.carried_in[{index}] (id {activity.id!r})"
        category = activity.category
        if paths and category is None:
            raise _refused(
                f"{where}.category",
                "the category the credit carried in as, one of " + ", ".join(paths),
                None,
            )
        if not paths and category is not None:
            raise _refused(
                f"{where}.category",
                "no category: this policy files no credit by category",
                category,
            )
        if category is not None and category not in paths:
            raise _refused(
                f"{where}.category",
                f"a category of this policy{did_you_mean(category, paths)}: " + ", ".join(paths),
                category,
            )
        path = paths[category] if category is not None else ()
        if not carryover.selector.matches(activity, categories=path):
            rule = carryover.description or repr(carryover.selector)
            raise _refused(
                where,
                f"credit the carryover rule takes ({rule}); {carryover.selector!r} does not "
                "take this activity, so it cannot have carried",
                activity.category,
            )
        if activity.completed not in window:
            months = carryover.window_months
            span = f"its last {months} months, " if months is not None else ""
            raise _refused(
                f"{where}.completed",
                f"a day in cycle {number}'s carry window ({span}{window}): only credit "
                "earned there carries",
                activity.completed,
            )
        assert activity.credits is not None  # the holding checks carried credit has credits
        total += activity.credits
        share = shares.get(activity.id, 0)
        shares[activity.id] = share + 1
        entry = Entry(
            activity=activity,
            amount=exact(activity.credits),
            options=(category,),
            paths=(path,),
            day=landing.start,
            source="carried-in",
            share=share,
        )
        credit = CarriedCredit(
            activity_id=activity.id,
            category=category,
            credits=activity.credits,
            lands_in=landing,
        )
        entries.append((entry, credit))
    if carryover.cap is not None and total > carryover.cap:
        raise _refused(
            "holding.carried_in",
            f"at most {carryover.cap} credits in all (the carryover cap of cycle {number}'s "
            "policy)",
            total,
        )
    return entries


def _refused(where: str, expected: str, value: object) -> CycleError:
    return CycleError(f"{where}: got {value!r}; expected {expected}", code="invalid-carried-in")
