"""One cycle's evaluation: screen its activities, allocate, and read the result.

Inputs are plain values: the cycle and the policy version that governs it, the credit
carried in and the grace credit already used by the previous cycle, the requirements met
before (for recurrences), where carried credit lands, and the :class:`Context` fixed for
the holding's evaluation. The output, an :class:`Outcome`, holds the cycle's result, the
credit it carries out, the grace credit it used, the allocation problem (kept for
planning), the day grace credit cured it, and the requirements it met. Renewal events,
cures across cycles and the lifecycle are the history's business
(:mod:`cperules._engine.history`).
"""

from __future__ import annotations

import datetime as dt
import functools
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from math import lcm
from operator import attrgetter, itemgetter
from typing import NamedTuple, cast, overload

from cperules._engine.allocation import (
    NOTHING,
    Allocation,
    Entry,
    Limit,
    Requirement,
    allocate,
    limits_for,
    requirements_for,
)
from cperules._engine.compiled import LAYOUTS_KEPT, Bounded, Single, compiled
from cperules._engine.cure import cure_day
from cperules._engine.kernel import (
    Carry,
    Claim,
    Columns,
    KernelCycle,
    Kinds,
    Statuses,
    carry_of,
    kernel_cycle,
    kernel_decide,
    kernel_ready,
    kinds_for,
    plain,
)
from cperules._engine.repeats import choose_repeats
from cperules._engine.screening import (
    Screened,
    Screening,
    credit_value,
    cured_part,
    screen_all,
)
from cperules._engine.shares import Areas, Share, areas_of, owner, shares_of
from cperules._model import maker, trusted, validating
from cperules.credits import _keep, exact, exact_sum, round_up, to_decimal
from cperules.cycles import Cycle, Grace, Period
from cperules.cycles._dates import add_months
from cperules.ledger import Activity, Chronology, irregular_between, is_simple
from cperules.policy import PolicyVersion
from cperules.results import (
    ActivityOutcome,
    CarriedCredit,
    CycleResult,
    Finding,
    Part,
    ReasonCode,
    RequirementResult,
    Status,
)
from cperules.rules import Prerequisite
from cperules.verdicts import CycleVerdict, RequirementVerdict

__all__ = [
    "NONE_MET",
    "Carried",
    "Context",
    "KernelStep",
    "Outcome",
    "Problem",
    "carry_window",
    "cure_window",
    "cycle_requirements",
    "evaluate_cycle",
    "kernel_run",
    "kernel_step",
    "make_outcome",
    "make_part",
    "plan_of",
]

_ONE_DAY = dt.timedelta(days=1)
_ZERO = Fraction(0)
_COMPLETED = attrgetter("completed")
"""An activity's completion day (the key of a date-ordered list of activities)."""
_UNKNOWN = object()  # not in a memo (whose answers may be None)
NONE_MET: frozenset[str] = frozenset()
"""No requirement met before: what a history's first cycle has met, and what a cycle is
asked by where its version has no once-per-career minimum (:meth:`_Plan.asked`)."""

Carried = tuple[Entry, CarriedCredit]
"""Credit carried from one cycle to the next: its entry there, and its record."""


@dataclass(frozen=True, slots=True)
class Context:
    """What every cycle of one holding's evaluation reads alike.

    Attributes:
        as_of: The day evaluated.
        activities: The ledger's activities, by completion date then id.
        grace: The cycle spec's grace window (and what follows it), if any.
        screening: What screening reads besides the activity.
        days: The activities' completion dates, in the same order (empty: not given).
        hypothetical: Whether any activity is hypothetical (dated any time).
        simple: Whether the ledger is simple (:attr:`cperules.ledger.Chronology.simple`).
        irregular: Where its activities that are not simple are among ``activities``
            (:attr:`cperules.ledger.Chronology.irregular`; None: not given).
        codes: The activities' categories, in the same order (empty: not given).
        credits: Their credits, in the same order (empty: not given).
    """

    as_of: dt.date
    activities: Sequence[Activity]
    grace: Grace | None
    screening: Screening
    days: Sequence[dt.date] = ()
    hypothetical: bool = True
    simple: bool = False
    irregular: Sequence[int] | None = None
    codes: Sequence[str | None] = ()
    credits: Sequence[Decimal | None] = ()

    @property
    def grace_earning(self) -> bool:
        """Whether credit may be earned in the cycles' grace windows."""
        return self.grace is not None and self.grace.earning == "allowed"

    def simple_in(self, *groups: Sequence[Activity]) -> bool:
        """Whether every activity of ``groups`` is simple.

        All of them are where the ledger is; else each is checked
        (:func:`cperules.ledger.is_simple`).
        """
        return self.simple or all(is_simple(a) for group in groups for a in group)

    def irregular_in(self, activities: Sequence[Activity], period: Period) -> Sequence[int]:
        """Where the activities of ``activities`` that are not simple are among them, in order.

        ``activities`` are those completed in ``period`` (:meth:`completed_in`'s). Read
        from the ledger's :attr:`irregular` where given, else checked one by one
        (:func:`cperules.ledger.is_simple`).
        """
        if self.simple:
            return ()
        irregular = self.irregular
        if irregular is None or self.hypothetical or len(self.days) != len(self.activities):
            return [at for at, activity in enumerate(activities) if not is_simple(activity)]
        low = bisect_left(self.days, period.start)
        within = irregular_between(irregular, low, low + len(activities))
        return [position - low for position in within]

    def _span(self, period: Period) -> tuple[int, int] | None:
        """Where the activities completed in ``period`` by ``as_of`` are among :attr:`activities`.

        Found by bisection (None: not found so, where activities may be hypothetical).
        """
        if self.hypothetical or len(self.days) != len(self.activities):
            return None
        low = bisect_left(self.days, period.start)
        return low, bisect_right(self.days, min(period.end, self.as_of))

    def completed_with_columns(self, period: Period) -> tuple[list[Activity], Columns | None]:
        """:meth:`completed_in`, with those activities' categories and credits.

        The columns are the ledger's (:attr:`codes`, :attr:`credits`), sliced where the
        activities are (None where not given or the activities are not found so).
        """
        span = self._span(period)
        if span is None or len(self.codes) != len(self.activities):
            return self.completed_in(period), None
        low, high = span
        return list(self.activities[low:high]), (self.codes[low:high], self.credits[low:high])

    def completed_in(self, period: Period) -> list[Activity]:
        """Activities completed in ``period`` by ``as_of`` (hypothetical ones: any time)."""
        span = self._span(period)
        if span is not None:
            return list(self.activities[span[0] : span[1]])
        return [
            a
            for a in self.activities
            if a.completed in period and (a.completed <= self.as_of or a.hypothetical)
        ]


@dataclass(frozen=True, slots=True)
class Problem:
    """One cycle's allocation problem, kept for planning."""

    cycle: Cycle
    version: PolicyVersion
    entries: Sequence[Entry]
    requirements: Sequence[Requirement]
    limits: Sequence[Limit]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one cycle's evaluation gives the history.

    Attributes:
        result: The cycle's result.
        carried_out: Credit carried to the next cycle.
        cure_used: Grace-window credit used here, by activity id.
        problem: The allocation problem, for planning (None from the verdict kernel,
            which builds none: verdicts keep no replay).
        cure_day: The day grace credit first met every requirement (None: not cured by it).
        met: Ids of the requirements (asking for credit) met in this cycle.
        eligible: Ids of the activities that could count, before any cap (worked out for
            verdicts, which portfolios read; empty from the explained path).
        grace_capped: Grace-window credit a cap kept out of this cycle, by activity id
            (its story if no later cycle exists for that credit to count in).
    """

    result: CycleResult | CycleVerdict
    carried_out: list[Carried]
    cure_used: dict[str, Fraction]
    problem: Problem | None
    cure_day: dt.date | None
    met: frozenset[str]
    eligible: frozenset[str]
    grace_capped: Mapping[str, Sequence[Part]]


def cure_window(cycle: Cycle, grace: Grace | None) -> Period | None:
    """The days after ``cycle`` in which it can still be completed (None: none).

    The grace window, run on to the end of a suspension in which credit cures; none for a
    reporting window, which only records credit earned by the cycle's end (nothing done
    in it completes the cycle).
    """
    if cycle.grace is None or grace is None or grace.standing == "reporting":
        return None
    if grace.after is not None and grace.after.cures and cycle.suspension is not None:
        return Period(start=cycle.grace.start, end=cycle.suspension.end)
    return cycle.grace


def carry_window(cycle: Cycle, version: PolicyVersion) -> Period | None:
    """The part of ``cycle`` whose credit may carry over (None: nothing carries)."""
    carryover = version.carryover
    if carryover is None or cycle.exempt:
        return None
    if carryover.window_months is None:
        return cycle.period
    # ``add_months`` is ``relativedelta`` arithmetic without building one (every cycle of
    # every layout asks it once).
    start = max(cycle.period.start, add_months(cycle.due + _ONE_DAY, -carryover.window_months))
    return Period(start=start, end=cycle.due)


def evaluate_cycle(
    cycle: Cycle,
    version: PolicyVersion,
    context: Context,
    *,
    carried_in: Sequence[Carried],
    cured: Mapping[str, Fraction],
    met_before: frozenset[str],
    next_period: Period | None,
    explain: bool = True,
    kernel: bool = True,
) -> Outcome:
    """Evaluate one cycle: screen, allocate, read the allocation, judge the status.

    ``next_period`` is where credit carried out lands (given when :func:`carry_window`
    is not ``None``). With ``explain=False`` the result is a
    :class:`~cperules.verdicts.CycleVerdict`: the same allocation, read only for the
    cycle's status, shortfalls and the credit that crosses its edges; with ``kernel``
    (the default) it comes from the verdict kernel where that applies
    (:mod:`cperules._engine.kernel`), which builds no allocation problem.
    """
    as_of = context.as_of
    plan = plan_of(cycle, version)
    window = plan.window
    unsettled = False  # whether the kernel found the first options' direct path fails
    if kernel:
        inputs = _CycleInputs(
            cycle, version, context, plan, carried_in, cured, met_before, next_period
        )
        quick = _explained_by_kernel(inputs) if explain else _by_kernel(inputs)
        if quick is not None:
            return quick
        unsettled = inputs.areas is not None and inputs.areas.unsettled
    opens = cycle.period.start if cycle.early is not None else None
    own = screen_all(
        context.completed_in(cycle.claims),
        version,
        context.screening,
        source="own",
        window=window,
        cured=cured,
        opens=opens,
    )
    # Read by portfolios, whose runs are verdicts (before repeats lose their entries):
    # the explained path needs none.
    eligible = None if explain else {e.activity.id for s in own for e in s.entries}
    grace: list[Screened] = []
    curable = cure_window(cycle, context.grace)
    if curable is not None and context.grace_earning and as_of > cycle.due:
        grace = screen_all(
            context.completed_in(curable),
            version,
            context.screening,
            source="grace",
            window=None,
            cured={},
        )
    requirements, stated = plan.stated(met_before, as_of)
    limits = plan.limits
    if eligible is None and _nothing_to_allocate(own, grace, carried_in):
        return _unallocated(cycle, version, context, plan, met_before, curable)
    others = [e for s in grace for e in s.entries]
    others += [entry for entry, _ in carried_in]
    if own and compiled(version).repeats:  # which completion of a repeated course counts
        choose_repeats(
            own,
            version,
            cycle,
            lambda mine: allocate(mine + others, requirements, limits, version.carryover),
        )
    entries = [e for s in own for e in s.entries]
    mine = len(entries)
    entries += others

    problem = Problem(cycle, version, entries, requirements, limits)
    allocation = allocate(entries, requirements, limits, version.carryover, by_areas=not unsettled)

    flows_to = next_period if window is not None else None
    findings = _findings(cycle, version, context, plan.uncertain)
    if eligible is not None:
        eligible.update(e.activity.id for s in grace for e in s.entries)
        return _verdict(
            cycle=cycle,
            version=version,
            context=context,
            entries=entries,
            requirements=requirements,
            limits=limits,
            allocation=allocation,
            carried_in=carried_in,
            next_period=flows_to,
            findings=findings,
            curable=curable,
            eligible=eligible,
            problem=problem,
        )
    read = _read(
        own,
        grace,
        mine=mine,
        entries=entries,
        requirements=requirements,
        stated=stated,
        limits=limits,
        allocation=allocation,
        next_period=flows_to,
    )
    outcomes, carried_out, cure_used, grace_capped, req_results = read
    # A requirement's result is met where its shortfall (rounded up) is none: where the
    # allocation's is none (as :func:`_status` reads the results).
    shortfall = allocation.shortfall
    status = _judged(
        cycle,
        not any(shortfall) and not any(f.code == "prerequisite-unmet" for f in findings),
        as_of,
        curable,
    )
    cured_on = None
    if status == "compliant" and cure_used:
        cured_on = cure_day(entries, requirements, limits, version, allocation)
    met = frozenset(
        shown[0]
        for shown, short in zip(stated, shortfall, strict=True)
        if not short and shown[3] > 0
    )
    return _explained_outcome(
        cycle,
        version,
        status,
        tuple(req_results),
        outcomes,
        carried_in,
        carried_out,
        findings,
        cure_used=cure_used,
        problem=problem,
        cure_day=cured_on,
        met=met,
        grace_capped=grace_capped,
    )


_credit_of: Callable[[tuple[Entry, CarriedCredit]], CarriedCredit] = itemgetter(1)
"""The record of carried credit (its second field), read in C for each such credit."""


def _explained_outcome(  # noqa: PLR0917 - a result's parts, then what the history carries on
    cycle: Cycle,
    version: PolicyVersion,
    status: Status,
    requirements: tuple[RequirementResult, ...],
    outcomes: Sequence[ActivityOutcome],
    carried_in: Sequence[Carried],
    carried_out: list[Carried],
    findings: Sequence[Finding],
    *,
    cure_used: dict[str, Fraction],
    problem: Problem,
    cure_day: dt.date | None,
    met: frozenset[str],
    grace_capped: dict[str, list[Part]],
) -> Outcome:
    """A cycle's explained outcome: its result with what the history carries on.

    Read from an allocation or from the kernel alike (:func:`_cycle_result`).
    """
    result = _cycle_result(
        cycle,
        version,
        status,
        requirements,
        tuple(outcomes),
        tuple(map(_credit_of, carried_in)),
        tuple(map(_credit_of, carried_out)),
        tuple(findings),
    )
    return Outcome(
        result,
        carried_out,
        cure_used,
        problem,
        cure_day,
        met,
        frozenset(),  # read only by portfolios, whose runs are verdicts
        grace_capped,
    )


def _cycle_result(  # noqa: PLR0917 - a result's parts, in its fields' order
    cycle: Cycle,
    version: PolicyVersion,
    status: Status,
    requirements: tuple[RequirementResult, ...],
    activities: tuple[ActivityOutcome, ...],
    carried_in: tuple[CarriedCredit, ...],
    carried_out: tuple[CarriedCredit, ...],
    findings: tuple[Finding, ...],
) -> CycleResult:
    """The explained result of ``cycle`` under ``version``, made trusted (no validation)."""
    return make_cycle(
        cycle.index,
        cycle.period,
        cycle.due,
        cycle.grace,
        cycle.suspension,
        cycle.early.start if cycle.early is not None else None,
        status,
        version.effective_from,
        requirements,
        activities,
        carried_in,
        carried_out,
        findings,
        None,
    )


def _nothing_to_allocate(
    own: Sequence[Screened], grace: Sequence[Screened], carried_in: Sequence[Carried]
) -> bool:
    """Whether a cycle has nothing to allocate (no claim screened, no credit carried in).

    No activity of its own or of its grace window was screened for it. Every minimum is
    then short of all it requires, and nothing counts, carries or cures
    (:func:`_unallocated`).
    """
    return not own and not grace and not carried_in


def _unallocated(  # noqa: PLR0917 - the cycle's inputs, passed on
    cycle: Cycle,
    version: PolicyVersion,
    context: Context,
    plan: _Plan,
    met_before: frozenset[str],
    curable: Period | None,
) -> Outcome:
    """The explained outcome of a cycle with no credit at all: an allocation of nothing.

    What :func:`_read` makes of an empty allocation (each minimum short of its whole
    amount, no outcome, nothing carried or cured), without allocating: the requirements'
    results are the same for every such cycle of the plan (:meth:`_Plan.unallocated`).
    """
    as_of = context.as_of
    requirements, _ = plan.stated(met_before, as_of)
    results = plan.unallocated(met_before, as_of)
    findings = _findings(cycle, version, context, plan.uncertain)
    status = _status(cycle, results, findings, as_of, curable)
    result = _cycle_result(cycle, version, status, results, (), (), (), tuple(findings))
    return Outcome(
        result,
        [],
        {},
        Problem(cycle, version, [], requirements, plan.limits),
        None,
        frozenset(req.id for req in results if req.met and req.required > 0),
        frozenset(),
        {},
    )


class _KernelRun(NamedTuple):
    """The kernel's answer for a cycle, with what it read besides the cycle's own credit.

    ``own`` and ``grace`` are the activities of the cycle's claims and of its cure window
    (none where no credit can count there yet), ``carry`` the credit carried in as the
    kernel reads it (:func:`carry_of`) with its total, ``findings`` the cycle's findings,
    ``span`` where the activities of ``own`` earned in the carry window begin and end,
    ``split`` each split activity with where its shares begin and end in ``own``
    (:mod:`cperules._engine.shares`: each share is read as an activity), and ``kinds``
    the kinds of credit under the cycle's minimum instances (:func:`kinds_for`).
    """

    quick: KernelCycle
    own: list[Activity]
    grace: list[Activity]
    carry: tuple[list[Carry], Decimal]
    findings: list[Finding]
    span: tuple[int, int]
    split: Sequence[tuple[int, int, Activity]]
    kinds: Kinds


@dataclass(slots=True, eq=False)
class _CycleInputs:
    """One cycle's inputs, as :func:`evaluate_cycle` has them.

    What the kernel's readings (:func:`_by_kernel`, :func:`_explained_by_kernel`) read;
    never changed once made but for ``areas``, the areas of the cycle's eligible
    activities once the kernel reads them (:func:`_by_share`), with what it found of
    them (not frozen: a frozen dataclass sets each field through ``object.__setattr__``,
    and one is made for every cycle evaluated).
    """

    cycle: Cycle
    version: PolicyVersion
    context: Context
    plan: _Plan
    carried_in: Sequence[Carried]
    cured: Mapping[str, Fraction]
    met_before: frozenset[str]
    next_period: Period | None
    areas: Areas | None = None


def _kernel_run(inputs: _CycleInputs) -> _KernelRun | None:
    """The kernel's answer for the cycle (:func:`kernel_cycle`), if it applies (else None)."""
    cycle, version, context, plan = inputs.cycle, inputs.version, inputs.context, inputs.plan
    if not kernel_ready(version):
        return None
    carry = carry_of(inputs.carried_in)
    if carry is None:
        return None
    as_of = context.as_of
    curable = cure_window(cycle, context.grace)
    grace: list[Activity] = []
    if curable is not None and context.grace_earning and as_of > cycle.due:
        grace = context.completed_in(curable)
    own, columns = context.completed_with_columns(cycle.claims)
    requirements = plan.requirements(inputs.met_before)
    kinds = kinds_for(requirements, plan.limits, version)
    areas: Areas | None = None
    split: Sequence[tuple[int, int, Activity]] = ()
    if not context.simple and (own or grace):  # (a simple ledger's activities are all simple)
        irregular = context.irregular_in(own, cycle.claims)
        if irregular or not context.simple_in(grace):
            read = _by_share(inputs, own, irregular, grace, kinds)
            if read is None:
                return None  # an activity the kernel cannot read by its category alone
            own, areas, split = read
            columns = None  # own read by share: the ledger's columns are not its
            inputs.areas = areas
    window = plan.window
    if window is None:
        span = (len(own), len(own))
    else:  # ``own`` is in date order
        low = bisect_left(own, window.start, key=_COMPLETED)
        span = (low, bisect_right(own, window.end, lo=low, key=_COMPLETED))
    findings = _findings(cycle, version, context, plan.uncertain)
    # A finding besides the version's uncertain readings: an unmet prerequisite.
    unmet = len(findings) > len(plan.uncertain)
    quick = kernel_cycle(
        cycle,
        version,
        own=own,
        grace=grace,
        carried_in=carry[0],
        carried_total_in=carry[1],
        cured=inputs.cured,
        withheld=bool(context.screening.withheld),
        simple=True,
        requirements=requirements,
        limits=plan.limits,
        window=window,
        next_period=inputs.next_period if window is not None else None,
        statuses=(_judged(cycle, not unmet, as_of, curable), _judged(cycle, False, as_of, curable)),
        span=span,
        kinds=kinds,
        areas=areas,
        columns=columns,
    )
    if quick is None:
        return None
    return _KernelRun(quick, own, grace, carry, findings, span, split, kinds)


def _by_share(
    inputs: _CycleInputs,
    own: list[Activity],
    irregular: Sequence[int],
    grace: list[Activity],
    kinds: Kinds,
) -> tuple[list[Activity], Areas | None, list[tuple[int, int, Activity]]] | None:
    """The cycle's own activities read by share (:mod:`cperules._engine.shares`), if it can be.

    ``irregular`` are where those that are not simple are among ``own``; ``kinds`` the
    kinds of credit under the cycle's minimum instances. With the areas of its eligible
    activities (None: there are none) and its split activities
    (:attr:`~cperules._engine.shares.ByShare.split`). None where the kernel does not
    read the cycle so: grace-window credit, a cure of the previous cycle or credit a
    portfolio withheld, rules that read more than categories, an eligible activity whose
    options a cap or the carryover tells apart (:func:`~cperules._engine.shares.areas_of`),
    or an activity that is not simple and not read by share either.
    """
    version = inputs.version
    if grace or inputs.cured or inputs.context.screening.withheld:
        return None
    read = shares_of(own, irregular, compiled(version).single)
    if read is None:
        return None
    if kinds.reads:
        return None
    areas = None
    if read.eligible:
        known = kinds.table.areas  # by the distinct options, worked out once
        key = frozenset(read.options)
        if key in known:
            found = known[key]
        else:
            for options, activity in read.options.items():  # every option's slots known
                for code in options:
                    kinds.slots_of(activity, code)
            found = _keep(known, key, areas_of(read.options, kinds.slots, kinds.signatures))
        if found is None:
            return None
        if found:
            areas = Areas(found, tuple(sorted(found)), read.eligible)
    # A share has every field the kernel reads of an activity (its ``__dict__`` too).
    return cast("list[Activity]", read.items), areas, read.split


def _by_kernel(inputs: _CycleInputs) -> Outcome | None:
    """The cycle's verdict from the kernel (:mod:`cperules._engine.kernel`), if it applies."""
    run = _kernel_run(inputs)
    if run is None:
        return None
    quick = run.quick
    return Outcome(
        quick.result,
        quick.carried_out(inputs.version),
        quick.cure_used,
        None,
        quick.cure_day,
        quick.met,
        frozenset(),  # read only by portfolios, whose runs keep their problems (no kernel)
        {},
    )


def _own_entry(activity: Activity | Share, carry: bool, single: Single) -> Entry:
    """The entry of an own claim of a declared category, all of its credit, from its day.

    A share's is its activity's, with every option of it. ``single`` is each declared
    category's options and paths (:attr:`~cperules._engine.compiled.CompiledPolicy.single`).
    """
    assert activity.credits is not None  # read by the kernel: credit given
    amount = credit_value(activity.credits)[0]
    if isinstance(activity, Share):
        return Entry(
            activity.activity, amount, activity.options, activity.paths, activity.completed,
            "own", activity.share, carry,
        )  # fmt: skip
    assert activity.category is not None  # read by the kernel: a declared category
    options, paths = single[activity.category]
    return Entry(activity, amount, options, paths, activity.completed, "own", 0, carry)


class _Entries(Sequence[Entry]):
    """A cycle's entries for planning (:class:`Problem`), made when first read.

    An explanation read from the kernel needs no entry of its own claims; only planning
    (``remaining()``) reads them, so they are made on first reading from the cycle's own
    activities (``own``, those of ``window`` earned in the carry window), each counted
    whole but those a cure of the previous cycle used (``cured``: the entry of the rest,
    None where nothing is left), then ``rest`` (grace-window credit, credit carried in).
    """

    __slots__ = ("_cured", "_made", "_own", "_rest", "_single", "_window")

    def __init__(
        self,
        own: Sequence[Activity],
        window: tuple[int, int],
        single: Single,
        cured: Mapping[str, Entry | None],
        rest: list[Entry],
    ) -> None:
        self._own = own
        self._window = window
        self._single = single
        self._cured = cured
        self._rest = rest
        self._made: list[Entry] | None = None

    def _entries(self) -> list[Entry]:
        made = self._made
        if made is None:
            made = []
            lo, hi = self._window
            cured, single = self._cured, self._single
            for position, activity in enumerate(self._own):
                if activity.id in cured:
                    entry = cured[activity.id]
                    if entry is not None:
                        made.append(entry)
                else:
                    made.append(_own_entry(activity, lo <= position < hi, single))
            made += self._rest
            self._made = made
        return made

    @overload
    def __getitem__(self, index: int) -> Entry: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Entry]: ...

    def __getitem__(self, index: int | slice) -> Entry | Sequence[Entry]:
        return self._entries()[index]

    def __len__(self) -> int:
        used_up = sum(entry is None for entry in self._cured.values())
        return len(self._own) - used_up + len(self._rest)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Entries):
            return self._entries() == other._entries()
        if isinstance(other, Sequence):
            return self._entries() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # compared by value, never kept by it


def _explained_by_kernel(  # noqa: PLR0911, PLR0912, PLR0915 - one reading, each shape it leaves written out
    inputs: _CycleInputs,
) -> Outcome | None:
    """The cycle's explained outcome, read from the kernel's allocation, if it applies.

    Where the kernel decides the cycle on its own (:func:`kernel_cycle`: each kind of
    credit counts all of it or, under the one cap that binds over it, the cap's bound;
    grace-window credit cures along a chain; credit carries latest first), it has decided
    every amount the explanation shows: each activity's credit counts whole, or the
    earliest credit of a capped kind first up to the cap's bound (the allocation's
    tie-break), or carries what the kernel carries, or cures what the kernel's cure used.
    The outcome is built from those amounts as :func:`_read` builds it from an
    allocation, with the same entries for planning (:class:`Problem`); None for every
    other cycle (the full evaluation's), which a property test checks it agrees with.
    """
    cycle, version, context, plan = inputs.cycle, inputs.version, inputs.context, inputs.plan
    carried_in, cured, next_period = inputs.carried_in, inputs.cured, inputs.next_period
    if context.screening.withheld:
        return None
    policy = compiled(version)
    if (
        policy.repeats
        or not policy.single  # no categories declared: screened the long way
        or not policy.credit_counts
        or policy.credit_values
        or policy.exclusions
    ):
        return None
    run = _kernel_run(inputs)
    if run is None or run.quick.slots is None:
        return None
    quick, own, grace, carry, findings, (lo, hi), split, kinds = run
    sums, allowed = run.quick.slots
    if not own and not grace and not carried_in:
        return None  # nothing to allocate (:func:`_unallocated`)
    # The cycle's activities are simple (:func:`_kernel_run` checked): each gives its
    # credits under at most one category, for no certification in particular; those of
    # categories the version does not declare leave the cycle to the full path (the
    # kernel finds them), as do those of no credit (found below: screened the long way).
    single = policy.single
    requirements, stated = plan.stated(inputs.met_before, context.as_of)
    limits = plan.limits
    window = plan.window
    flows_to = next_period if window is not None else None
    # Where no cap binds, the kernel counts the sums themselves (the same list).
    capped = (
        _NO_SLOTS
        if allowed is sums
        else {slot for slot, amount in enumerate(allowed) if amount != sums[slot]}
    )
    carried_slots: list[int] = []  # the slot of each credit carried in
    for activity, code, _ in carry[0]:
        found = kinds.slots_of(activity, code)
        if found is None or found[0] in capped:
            return None  # credit carried in under a binding cap: counted in its own order
        carried_slots.append(found[0])
    # What each cap leaves room for once everything counts (the grace-window cure too):
    # a cap with none left is tight, and names the credit it kept out.
    left = list(kinds.bounds)
    for c, slots in enumerate(kinds.cap_slots):
        for slot in slots:
            if slot < len(allowed):
                left[c] -= allowed[slot]
    # What a cure used of each grace-window activity: in decimals, a cure the kernel chose
    # by shape (one the allocation chose leaves no slots, and the cycle is not read here).
    used_here = cast("dict[str, Decimal]", quick.cured)
    grace_slots: list[int] = []
    for activity in grace:
        found = kinds.slots_of(activity, activity.category)
        if found is None or activity.category is None:
            return None  # not a category the version declares
        grace_slots.append(found[0])
        used = used_here.get(activity.id)
        if used:
            for c in kinds.caps_of[found[0]]:
                left[c] -= used

    def capped_by(slot: int) -> str | None:
        for c in kinds.caps_of[slot]:
            if not left[c]:
                return limits[c].rule.id
        return None

    size = len(requirements)
    got: list[Decimal] = [_NO_CREDIT] * size
    got_in: list[Decimal] = [_NO_CREDIT] * size
    got_out: list[Decimal] = [_NO_CREDIT] * size
    contributors: list[dict[str, None]] = [{} for _ in range(size)]
    reqs_of = kinds.reqs_of
    kept_by_slot: list[Decimal] = [_NO_CREDIT] * len(allowed)  # own credit counted here
    # What each activity (or share) carries out, by the object the kernel read (those
    # read here, in ``own``), and the ids of the activities told the longer way: those
    # that carry, those whose kept credit the areas placed, and those a cure used some of.
    carried_here = {id(item): take for item, _, take in quick.carried}
    unusual = {item.id for item, _, _ in quick.carried}
    placed = quick.placed
    if placed:
        unusual.update(placed)
    if cured:
        unusual.update(key for key, used in cured.items() if used)
    # Split activities: each share is read as an activity of its own, told the longer way
    # with its parts kept (by the activity's id) for the activity's one outcome, made
    # where its first share stands (``joined``: that place and the activity).
    shared: dict[str, list[Part]] = {}
    joined: list[tuple[int, Activity]] = []
    if split:
        for _, _, whole in split:
            shared[whole.id] = []
        unusual.update(shared)
    # Each slot's credit carried out (as results show it).
    out_by_slot: dict[int, Decimal] = {}
    # What each capped slot keeps, earliest first: its count less what carries of it (the
    # latest credit, :func:`~cperules._engine.kernel._capped_carrying`).
    room = {slot: allowed[slot] for slot in capped}
    if room and quick.carried:
        for carrier, code, take in quick.carried:
            found = kinds.slots_of(carrier, code)
            if found is not None and found[1] in room:
                room[found[1]] -= take
    carried_note = _carried_note(flows_to) if flows_to is not None else None
    # What each claim reads as, by its credit and category (the table's, where the rules
    # read categories alone; with ``validating`` on, made afresh so each is validated).
    readings = None if kinds.reads else kinds.table.claims if not validating.on else {}
    # For planning (:class:`_Entries`): the entries of own claims a cure used (None: all
    # of it), and those after the own claims'.
    cured_entries: dict[str, Entry | None] = {}
    entries: list[Entry] = []
    carried_out: list[Carried] = []
    outcomes: list[ActivityOutcome] = []
    # In date order: before the carry window, in it (credit of a kind that may carry
    # takes its carrying slot there), after it.
    for stretch, inside in ((own[:lo], 0), (own[lo:hi], 1), (own[hi:], 0)):
        for activity in stretch:
            # The fields as pydantic keeps them: reading each through the model's attribute
            # hook costs several times a dict lookup, and the common claim reads six.
            fields = activity.__dict__
            credits = fields["credits"]
            code = fields["category"]
            claim = None if readings is None else readings.get((credits, code))
            if claim is None:
                claim = _claim_read(readings, kinds, activity, credits, code)
                if claim is None:
                    return None  # no credit, or not a category the version declares
            slot = claim[3][inside]
            activity_id = fields["id"]
            if activity_id not in unusual and (
                slot not in capped or _kept_whole(room, slot, credits)
            ):
                # Most claims: all of the credit counted, one part (as :func:`_read`'s
                # short way), under a binding cap too while its room holds all of it.
                # (Its entry for planning: made from the activity when read,
                # :class:`_Entries`.)
                kept_by_slot[slot] += credits
                for r in reqs_of[slot]:
                    contributors[r][activity_id] = None
                outcomes.append(
                    make_outcome(
                        activity_id,
                        fields["title"],
                        fields["completed"],
                        claim[1],
                        "credits",
                        None,
                        fields["hypothetical"],
                        claim[2],
                    )
                )
                continue
            value, shown = claim[0], claim[1]
            completed = fields["completed"]
            used_before = cured.get(activity_id) if cured else None
            if not used_before:
                # Capped or carried (or both): its story told in decimals. The allocation
                # keeps capped credit earliest first, up to the cap's bound less what
                # carries (``room``).
                counted = credits
                carried = carried_here.get(id(activity))
                if slot in capped:
                    kept_here = _kept_in(room, slot, credits - carried if carried else credits)
                    counted = kept_here + carried if carried else kept_here
                kept = counted - carried if carried else counted
                row = placed.get(activity_id) if placed else None
                if row is not None:
                    kept = row[0]  # an eligible activity's, in its first option
                parts: list[Part] = []
                if kept:
                    # All of its credit counted (a share of a split activity, most often):
                    # the claim's own story.
                    parts += (
                        claim[2]
                        if kept is credits
                        else (_decimal_part("counted", kept, code, None),)
                    )
                    kept_by_slot[slot] += kept
                    for r in reqs_of[slot]:
                        contributors[r][activity_id] = None
                if carried:
                    assert flows_to is not None  # only a cycle with a carry window carries
                    parts.append(_decimal_part("carried-out", carried, code, carried_note))
                    out_by_slot[slot] = out_by_slot.get(slot, _NO_CREDIT) + carried
                    whose, place = owner(activity)
                    (option,), (path,) = single[code]
                    landing = _landed(whose, exact(carried), option, path, place or 0, flows_to)
                    carried_out.append(
                        (landing, make_carried(activity_id, code, carried, flows_to))
                    )
                if row is not None:
                    parts += _moved_parts(activity, row, kinds, kept_by_slot, contributors)
                if counted != credits:
                    capped_part = _decimal_part(
                        "capped", credits - counted, code, None, capped_by=capped_by(slot)
                    )
                    parts.append(capped_part)
            else:
                # Credit a cure of the previous cycle used: the rest of it counts, as exact amounts.
                parts = [cured_part(used_before)]
                amount = value - used_before
                options, paths = single[code]
                cured_entries[activity_id] = None
                if amount:
                    entry = Entry(
                        activity, amount, options, paths, completed, "own", 0, inside == 1
                    )
                    cured_entries[activity_id] = entry
                    counted = amount
                    carried = carried_here.get(id(activity))
                    if slot in capped:
                        whole_amount = to_decimal(amount)
                        kept_here = _kept_in(
                            room, slot, whole_amount - carried if carried else whole_amount
                        )
                        counted = exact(kept_here + carried if carried else kept_here)
                    moved = exact(carried) if carried else _ZERO
                    kept = counted - moved if moved else counted
                    if kept:
                        parts.append(_part("counted", kept, code, None))
                        kept_by_slot[slot] += to_decimal(kept)
                        for r in reqs_of[slot]:
                            contributors[r][activity_id] = None
                    if moved:
                        assert flows_to is not None  # only a cycle with a carry window carries
                        assert carried is not None
                        parts.append(_part("carried-out", moved, code, carried_note))
                        out_by_slot[slot] = out_by_slot.get(slot, _NO_CREDIT) + carried
                        carried_out.append(
                            (
                                _landing(entry, 0, moved, flows_to),
                                make_carried(activity_id, code, to_decimal(moved), flows_to),
                            )
                        )
                    if not _same(amount, counted):
                        parts.append(
                            _part(
                                "capped",
                                amount - counted if counted else amount,
                                code,
                                None,
                                capped_by=capped_by(slot),
                            )
                        )
            shares_told = shared.get(activity_id) if shared else None
            if shares_told is not None:  # a share of a split activity
                if not shares_told:
                    joined.append((len(outcomes), owner(activity)[0]))
                shares_told += parts
                continue
            outcomes.append(
                make_outcome(
                    activity_id,
                    fields["title"],
                    completed,
                    shown,
                    "credits",
                    None,
                    fields["hypothetical"],
                    tuple(parts),
                )
            )
    for place, whole in reversed(joined):
        outcomes.insert(place, _split_outcome(whole, shared[whole.id]))
    # Each minimum's credit kept, and carried out, from its slots' (exact sums: any order
    # gives them).
    for slot, kept_here in enumerate(kept_by_slot):
        if kept_here:
            for r in reqs_of[slot]:
                got[r] += kept_here
    for slot, out in out_by_slot.items():
        for r in reqs_of[slot]:
            got_out[r] += out
    # Entries after the own claims': grace-window credit, then credit carried in.
    later: dict[str, list[Part]] = {}
    claimed: dict[str, Decimal] = {}  # grace-window claims: what their outcomes show
    told: dict[str, Activity] = {}  # the activities of those entries
    cure_used: dict[str, Fraction] = {}
    grace_capped: dict[str, list[Part]] = {}
    for activity, slot in zip(grace, grace_slots, strict=True):
        code = activity.category
        assert code is not None  # its slot was found above: a declared category
        credits = activity.credits
        if not credits:
            return None
        value, shown = credit_value(credits)
        options, paths = single[code]
        entries.append(Entry(activity, value, options, paths, None, "grace", 0, False))
        claimed[activity.id] = shown
        told[activity.id] = activity
        used = used_here.get(activity.id)
        rest = shown
        if used:
            cure_used[activity.id] = exact(used)
            later.setdefault(activity.id, []).append(
                _decimal_part("counted", used, code, "earned in the grace window")
            )
            shown_used = plain(used)
            for r in kinds.reqs_of[slot]:
                got[r] += shown_used
                contributors[r][activity.id] = None
            rest = shown - used
        rule = capped_by(slot) if rest else None
        if rule is not None:
            grace_capped.setdefault(activity.id, []).append(
                make_part("capped", plain(rest), code, rule, "earned in the grace window")
            )
    if carried_in:
        in_by_slot = [_NO_CREDIT] * len(allowed)  # the credit carried in (as results show it)
        for (entry, _), (_, _, shown_in), slot in zip(
            carried_in, carry[0], carried_slots, strict=True
        ):
            activity = entry.activity
            activity_id = activity.id
            entries.append(entry)
            part = _decimal_part("carried-in", shown_in, entry.options[0], None)
            known_later = later.get(activity_id)
            if known_later is None:
                later[activity_id] = [part]
                told.setdefault(activity_id, activity)
            else:
                known_later.append(part)
            in_by_slot[slot] += shown_in
            for r in reqs_of[slot]:
                contributors[r][activity_id] = None
        for slot, shown_in in enumerate(in_by_slot):
            if shown_in:
                for r in reqs_of[slot]:
                    got[r] += shown_in
                    got_in[r] += shown_in
    if later:
        if own and _told_twice(later, told, own):
            # Credit of an own claim carried back in, or earned in the grace window too
            # (cycles whose periods overlap): one story, as the full path tells it.
            return None
        rest_outcomes = []
        for activity_id, parts in later.items():
            activity = told[activity_id]
            rest_outcomes.append(
                make_outcome(
                    activity_id,
                    activity.title,
                    activity.completed,
                    claimed.get(activity_id, _NO_CREDIT),
                    "credits",
                    None,
                    activity.hypothetical,
                    tuple(parts),
                )
            )
        rest_outcomes.sort(key=_outcome_order)
        _merge_in_order(outcomes, rest_outcomes)
    verdicts = quick.result.requirements
    # (A list made in one call, rather than a generator resumed for each requirement.)
    results = tuple(
        [
            make_requirement(
                id_,
                description,
                period,
                required,
                plain(got[r]) if got[r] else _NO_CREDIT,
                verdicts[r].shortfall,
                tuple(contributors[r]),
                expected,
                False,
                plain(got_in[r]) if got_in[r] else _NO_CREDIT,
                plain(got_out[r]) if got_out[r] else _NO_CREDIT,
            )
            for r, (id_, description, period, required, expected) in enumerate(stated)
        ]
    )
    return _explained_outcome(
        cycle,
        version,
        quick.result.status,
        results,
        outcomes,
        carried_in,
        carried_out,
        findings,
        cure_used=cure_used,
        problem=Problem(
            cycle,
            version,
            _Entries(own, (lo, hi), single, cured_entries, entries),
            requirements,
            limits,
        ),
        cure_day=quick.cure_day,
        met=quick.met,
        grace_capped=grace_capped,
    )


@dataclass(frozen=True, slots=True, eq=False)
class KernelStep:
    """One cycle of a verdict plan: what the kernel reads of it, whatever the ledger.

    Worked out once per cycle laid out (:func:`kernel_step`), so a batch of ledgers
    under one layout pays for none of it again. ``claims`` are the first and last days
    of the cycle's own credit (by ``as_of``), ``cure`` those of the grace-window credit
    that can count toward it (None: none can), ``next_period`` where credit carried out
    lands, ``statuses`` the cycle's status when every minimum is met and when one is short,
    ``ready`` whether the kernel serves the version (:func:`kernel_ready`) and the cycle
    (no early window that credit counts from: :func:`kernel_cycle`), ``kinds`` the
    cycle's minimum instances and the kernel's kinds of credit under them, by the
    requirements met before that change them (:meth:`_Plan.asked`; filled as they are
    met). ``window`` are the first and last days of the carryover earning window (None:
    none). ``alone`` are the kinds of credit of a ready cycle whose minimums no
    requirement met before changes, where the kernel serves them (worked out with the
    step; else None, and :func:`kernel_run` looks them up in ``kinds``).
    """

    cycle: Cycle
    version: PolicyVersion
    plan: _Plan
    claims: tuple[dt.date, dt.date]
    cure: tuple[dt.date, dt.date] | None
    next_period: Period | None
    statuses: Statuses
    ready: bool
    kinds: dict[frozenset[str], tuple[tuple[Requirement, ...], Kinds]]
    window: tuple[dt.date, dt.date] | None
    alone: Kinds | None


def kernel_step(
    cycle: Cycle,
    version: PolicyVersion,
    *,
    as_of: dt.date,
    grace: Grace | None,
    next_period: Period | None,
) -> KernelStep:
    """``cycle`` under ``version`` as the kernel reads it on ``as_of`` (see :class:`KernelStep`).

    ``grace`` is the cycle spec's grace window, ``next_period`` where credit carried out
    of the cycle lands (read only if it has a carryover window).
    """
    plan = plan_of(cycle, version)
    curable = cure_window(cycle, grace)
    cure = None
    if (
        curable is not None
        and grace is not None
        and grace.earning == "allowed"
        and as_of > cycle.due
    ):
        cure = (curable.start, min(curable.end, as_of))
    # A version the kernel serves has no prerequisite: no finding bears on the status.
    statuses = (_judged(cycle, True, as_of, curable), _judged(cycle, False, as_of, curable))
    ready = kernel_ready(version) and (cycle.credit_from is None or cycle.early is None)
    kinds: dict[frozenset[str], tuple[tuple[Requirement, ...], Kinds]] = {}
    alone = None
    if ready and not plan.once:
        # What the cycle asks never changes: its kinds of credit, worked out now.
        found = _rules_asked(plan, version, kinds, NONE_MET)[1]
        alone = found if found.served else None
    window = plan.window
    return KernelStep(
        cycle=cycle,
        version=version,
        plan=plan,
        claims=(cycle.claims.start, min(cycle.claims.end, as_of)),
        cure=cure,
        next_period=next_period if window is not None else None,
        statuses=statuses,
        ready=ready,
        kinds=kinds,
        window=None if window is None else (window.start, window.end),
        alone=alone,
    )


def _rules_asked(
    plan: _Plan,
    version: PolicyVersion,
    kept: dict[frozenset[str], tuple[tuple[Requirement, ...], Kinds]],
    asked: frozenset[str],
) -> tuple[tuple[Requirement, ...], Kinds]:
    """The minimum instances a cycle asks given ``asked`` met before, and their kinds of credit.

    Kept in ``kept`` (a step's :attr:`KernelStep.kinds`), worked out the first time.
    """
    rules = kept.get(asked)
    if rules is None:
        requirements = plan.requirements(asked)
        rules = kept[asked] = (requirements, kinds_for(requirements, plan.limits, version))
    return rules


def kernel_run(  # noqa: PLR0917 - the ledger and what the cycle before passed on
    step: KernelStep,
    order: Chronology,
    carried_in: Sequence[Carry],
    carried_total_in: Decimal,
    cured: Mapping[str, Fraction | Decimal],
    met_before: frozenset[str],
) -> KernelCycle | None:
    """The verdict of ``step``'s cycle from the kernel, if it applies (else None).

    ``order`` is a simple ledger's chronology (its activities in date order, then id,
    with their days and their categories and credits as columns), nothing withheld:
    what :func:`_by_kernel` gives the kernel, found by bisection and added up from the
    columns. ``carried_in`` (with its total), ``cured`` and ``met_before`` are what
    the cycle before passed on (:class:`~cperules._engine.kernel.KernelCycle`). The
    shape :func:`~cperules._engine.kernel.kernel_cycle` checks is checked once per step
    (``ready``) and per minimum instances (:attr:`Kinds.served`).
    """
    kinds = step.alone
    if kinds is None:
        if not step.ready:
            return None
        plan = step.plan
        kinds = _rules_asked(plan, step.version, step.kinds, plan.asked(met_before))[1]
        if not kinds.served:
            return None
    activities, days = order.activities, order.days
    claims = step.claims
    low = bisect_left(days, claims[0])
    high = bisect_right(days, claims[1], low)
    window = step.window
    if window is None:
        lo = hi = high - low
    else:  # where the credit that may carry begins and ends
        start = bisect_left(days, window[0], low, high)
        lo, hi = start - low, bisect_right(days, window[1], start, high) - low
    grace: Sequence[Activity] = ()
    cure = step.cure
    if cure is not None:
        first = bisect_left(days, cure[0])
        grace = activities[first : bisect_right(days, cure[1], first)]
    return kernel_decide(
        step.cycle, step.version, kinds, activities[low:high], lo, hi, grace, carried_in,
        carried_total_in, cured, step.next_period, step.statuses,
        columns=(order.codes[low:high], order.credits[low:high]),
    )  # fmt: skip


def _landing(entry: Entry, option: int, amount: Fraction, next_period: Period) -> Entry:
    """Credit of ``entry`` carried out under ``option``, as it lands in the next cycle."""
    return _landed(
        entry.activity,
        amount,
        entry.options[option],
        entry.paths[option],
        entry.share,
        next_period,
    )


def _landed(  # noqa: PLR0917 - an entry's fields, in order
    activity: Activity,
    amount: Fraction,
    category: str | None,
    path: tuple[str, ...],
    share: int,
    next_period: Period,
) -> Entry:
    """Credit of ``activity`` carried out under ``category``, landing in ``next_period``."""
    return Entry(activity, amount, (category,), (path,), next_period.start, "carried-in", share)


def _verdict(
    *,
    cycle: Cycle,
    version: PolicyVersion,
    context: Context,
    entries: Sequence[Entry],
    requirements: Sequence[Requirement],
    limits: Sequence[Limit],
    allocation: Allocation,
    carried_in: Sequence[Carried],
    next_period: Period | None,
    findings: Sequence[Finding],
    curable: Period | None,
    eligible: set[str],
    problem: Problem,
) -> Outcome:
    """The cycle's verdict from its allocation: no per-activity outcomes are built.

    Its totals add up what the explained result's parts show (each part's credit is
    rounded down to 6 places where it has no exact decimal), so the two always agree.
    """
    carried_out: list[Carried] = []
    cure_used: dict[str, Fraction] = {}
    kept = grace_counted = carried_total = Decimal(0)
    for index, entry in enumerate(entries):
        counted_here = allocation.counted[index]
        carried_here = allocation.carried[index]
        if entry.source == "grace":
            total = counted_here[0] if len(counted_here) == 1 else exact_sum(counted_here)
            if total:
                cure_used[entry.activity.id] = cure_used.get(entry.activity.id, 0) + total
                shown = sum((to_decimal(a) for a in counted_here if a), Decimal(0))
                grace_counted += shown
                kept += shown
            continue
        for option, category in enumerate(entry.options):
            counted, carried = counted_here[option], carried_here[option]
            if counted != carried:
                kept += to_decimal(counted - carried)
            if not carried:
                continue
            assert next_period is not None  # only cycles with a carryover window carry
            credit = CarriedCredit(
                activity_id=entry.activity.id,
                category=category,
                credits=to_decimal(carried),
                lands_in=next_period,
            )
            carried_total += credit.credits
            carried_out.append((_landing(entry, option, carried, next_period), credit))
    verdicts = tuple(
        RequirementVerdict(
            id=requirement.rule.id,
            period=requirement.period,
            required=to_decimal(requirement.required),
            shortfall=round_up(shortfall),
        )
        for requirement, shortfall in zip(requirements, allocation.shortfall, strict=True)
    )
    status = _status(cycle, verdicts, findings, context.as_of, curable)
    cured_on = None
    if status == "compliant" and cure_used:
        cured_on = cure_day(entries, requirements, limits, version, allocation)
    met = frozenset(
        requirement.rule.id
        for requirement, shortfall in zip(requirements, allocation.shortfall, strict=True)
        if not shortfall and requirement.required > 0
    )
    result = CycleVerdict(
        index=cycle.index,
        period=cycle.period,
        due=cycle.due,
        grace=cycle.grace,
        suspension=cycle.suspension,
        status=status,
        version_from=version.effective_from,
        requirements=verdicts,
        counted=to_decimal(exact(kept)),
        carried_in=sum((credit.credits for _, credit in carried_in), Decimal(0)),
        carried_out=to_decimal(exact(carried_total)),
        grace_counted=to_decimal(exact(grace_counted)),
    )
    return Outcome(result, carried_out, cure_used, problem, cured_on, met, frozenset(eligible), {})


@dataclass(frozen=True, slots=True, eq=False)
class _Plan:
    """What one cycle under one version asks, whatever the ledger: worked out once.

    Cycles are laid out once per holding's dates and ``as_of`` (and shared by every
    ledger evaluated so), so a cycle's carryover window, caps, minimums and the policy's
    uncertain readings are kept with it. ``once`` are the ids of the version's minimums
    that apply until met once: what the cycle asks depends on the requirements met
    before only through them (:meth:`asked`).
    """

    cycle: Cycle
    version: PolicyVersion
    window: Period | None
    limits: tuple[Limit, ...]
    uncertain: tuple[Finding, ...]
    once: frozenset[str]
    _requirements: dict[frozenset[str], tuple[Requirement, ...]]
    _stated: dict[tuple[frozenset[str], dt.date], _Stated] = field(default_factory=dict)
    _unallocated: dict[tuple[frozenset[str], dt.date], _Unallocated] = field(default_factory=dict)

    def asked(self, met_before: frozenset[str]) -> frozenset[str]:
        """Of the requirements met in earlier cycles, those that change what the cycle asks.

        Only minimums that apply until met once read them, so cycles met alike in those
        share their requirement instances (and what is kept with them).
        """
        once = self.once
        return met_before & once if once else NONE_MET

    def requirements(self, met_before: frozenset[str]) -> tuple[Requirement, ...]:
        """The cycle's minimum instances, given the requirements met in earlier cycles."""
        asked = self.asked(met_before)
        found = self._requirements.get(asked)
        if found is None:
            found = self._requirements[asked] = cycle_requirements(self.cycle, self.version, asked)
        return found

    def stated(self, met_before: frozenset[str], as_of: dt.date) -> _Stated:
        """:meth:`requirements`, with what their results show whatever the ledger.

        Each requirement's id, description, period, required amount and the share
        expected by ``as_of`` (:func:`_shown`), worked out once per plan and day.
        """
        requirements = self.requirements(met_before)
        key = (self.asked(met_before), as_of)
        found = self._stated.get(key)
        if found is None or found[0] is not requirements:
            found = self._stated[key] = (requirements, _shown(self.cycle, requirements, as_of))
        return found

    def unallocated(
        self, met_before: frozenset[str], as_of: dt.date
    ) -> tuple[RequirementResult, ...]:
        """The requirements' results when nothing is allocated (:func:`_unallocated`).

        Each shows :meth:`stated`'s values, nothing counted, carried or contributed, and
        the whole required amount short (rounded up): what reading an allocation of no
        entry gives. Worked out once per plan and day.
        """
        stated = self.stated(met_before, as_of)
        key = (self.asked(met_before), as_of)
        found = self._unallocated.get(key)
        if found is None or found[0] is not stated:
            results = tuple(
                make_requirement(
                    id_,
                    description,
                    period,
                    required,
                    Decimal(0),
                    _round_up(max(requirement.required, _ZERO)),
                    (),
                    expected,
                    False,
                    Decimal(0),
                    Decimal(0),
                )
                for requirement, (id_, description, period, required, expected) in zip(
                    *stated, strict=True
                )
            )
            found = self._unallocated[key] = (stated, results)
        return found[1]


_Shown = tuple[str, str | None, Period, Decimal, Decimal | None]
"""What a requirement's result shows whatever the ledger: its id, description, period,
required amount, and the amount expected to date (None: none)."""

_Stated = tuple[tuple[Requirement, ...], tuple[_Shown, ...]]
"""A cycle's requirements, and what the result of each shows whatever the ledger."""

_Unallocated = tuple[_Stated, tuple[RequirementResult, ...]]
"""A cycle's stated requirements, and their results when nothing is allocated."""


def _shown(cycle: Cycle, requirements: Sequence[Requirement], as_of: dt.date) -> tuple[_Shown, ...]:
    """What each requirement's result shows whatever the ledger (:data:`_Shown`)."""
    elapsed = _elapsed(cycle.period, as_of)
    return tuple(
        (
            requirement.rule.id,
            requirement.rule.description,
            requirement.period,
            to_decimal(requirement.required),
            to_decimal(requirement.required * elapsed) if elapsed is not None else None,
        )
        for requirement in requirements
    )


_plans: Bounded[tuple[int, int], _Plan] = Bounded(LAYOUTS_KEPT)  # one per cycle laid out


def plan_of(cycle: Cycle, version: PolicyVersion) -> _Plan:
    """What ``cycle`` under ``version`` asks whatever the ledger (kept per cycle)."""
    key = (id(cycle), id(version))
    found = _plans.get_fresh(key)
    if found is not None and found.cycle is cycle and found.version is version:
        return found
    return _plans.keep(
        key,
        _Plan(
            cycle=cycle,
            version=version,
            window=carry_window(cycle, version),
            limits=limits_for(compiled(version).caps, cycle.period, cycle.years),
            uncertain=compiled(version).uncertain,
            once=compiled(version).once,
            _requirements={},
        ),
    )


def cycle_requirements(
    cycle: Cycle, version: PolicyVersion, met_before: frozenset[str]
) -> tuple[Requirement, ...]:
    """The minimums that apply in ``cycle`` (none if it is exempt), given those met before."""
    if cycle.exempt:
        return ()
    renewal = cycle.index + 1
    applies = [
        rule
        for rule in compiled(version).minimums
        if rule.recurrence.applies(renewal=renewal, met_before=rule.id in met_before)
    ]
    return requirements_for(cycle.period, cycle.years, applies=applies, proration=cycle.proration)


def _read(  # noqa: PLR0912, PLR0915 - one pass over the entries, both readings
    own: Sequence[Screened],
    grace: Sequence[Screened],
    *,
    mine: int,
    entries: Sequence[Entry],
    requirements: Sequence[Requirement],
    stated: Sequence[_Shown],
    limits: Sequence[Limit],
    allocation: Allocation,
    next_period: Period | None,
) -> tuple[
    list[ActivityOutcome],
    list[tuple[Entry, CarriedCredit]],
    dict[str, Fraction],
    dict[str, list[Part]],
    list[RequirementResult],
]:
    """Read the allocation: outcomes, credit carried and grace credit used, requirements.

    In one pass over the entries: the outcomes, credit carried out, grace credit used
    and capped, and the requirements' results. ``entries`` are the own claims' entries
    in order (the first ``mine``), then the grace-window claims', then credit carried
    in. Grace-window claims report only what they counted here; the rest of their
    story (and any reason they could not count) belongs to the next cycle, or, where no
    later cycle exists, to the cap that kept it out (returned apart, by activity id).
    An own claim whose story no later entry continues (most) has its outcome made as
    soon as its entries are read; own claims come in outcome order (date, then id).
    A claim of one entry and nothing else to tell, counted, capped or carried out
    whole, takes a short way there (:func:`_short_way`): its one part is found, not
    built from the general steps (``_add_options``, ``_entry_parts``).
    """
    counted_all, carried_all, placed = allocation.counted, allocation.carried, allocation.placed
    size = len(requirements)
    # Sums kept as numerators per denominator (whole credits: one integer each), added
    # up exactly once per requirement (as :func:`~cperules.credits.exact_sum` would).
    got: list[dict[int, int]] = [{} for _ in range(size)]
    carried_in: list[dict[int, int]] = [{} for _ in range(size)]
    carried_sums: list[dict[int, int]] = [{} for _ in range(size)]
    sums = (got, carried_in, carried_sums)
    contributors: list[dict[str, None]] = [{} for _ in range(size)]
    carried_out: list[tuple[Entry, CarriedCredit]] = []
    cure_used: dict[str, Fraction] = {}
    grace_capped: dict[str, list[Part]] = {}
    # The part of the most common kind (all of one option's credit counted or carried in),
    # per amount object, category and source: made once per reading (amounts are shared).
    simple: dict[tuple[int, str | None, str], Part] = {}
    counted_parts: dict[tuple[int, str | None], Part] = {}  # the same, of own claims
    carried_note = _carried_note(next_period) if next_period is not None else None
    caps: dict[int, str | None] = {}  # binding caps by memberships (:func:`_binding_cap`)
    entry_parts = functools.partial(
        _entry_parts, allocation, limits, next_period, carried_out, carried_note, caps
    )
    # Activities whose story entries after the own claims' continue (few): their own
    # claims are kept to be told with the rest.
    later = {entries[index].activity.id for index in range(mine, len(entries))}
    claims: dict[str, Screened] = {claim.activity.id: claim for claim in grace}
    parts: dict[str, list[Part]] = {}
    outcomes: list[ActivityOutcome] = []
    short = placed if _short_way() else None  # the requirements each entry serves
    # Counted parts already made (:func:`_counted_part`'s, looked up here without the
    # call); none with validating on, so every part is then made by the constructor.
    whole = _WHOLE if not validating.on else {}
    index = 0
    for claim in own:
        activity = claim.activity
        if (
            short is not None
            and not claim.parts
            and len(claim.entries) == 1
            and activity.id not in later
        ):
            # The common claim: one entry, nothing else to tell, no later story. Counted
            # whole, capped whole or carried out whole (and no early note), it has one
            # part, and its outcome is made here; any other goes the general way below.
            entry = claim.entries[0]
            amount = entry.amount
            counted, carried = counted_all[index], carried_all[index]
            kept = counted[0]
            kept_n, kept_d = kept.as_integer_ratio()
            part = None
            if carried is NOTHING or _first_alone(counted, carried):
                if kept is amount or _same(kept, amount):
                    if kept_n and (entry.day is None or activity.completed >= entry.day):
                        # All of its first option's credit counted.
                        serves = short[index][0][0]
                        if serves:
                            activity_id = activity.id
                            for r in serves:
                                table = got[r]
                                table[kept_d] = table.get(kept_d, 0) + kept_n
                                contributors[r][activity_id] = None
                        category = entry.options[0]
                        kept_part = whole.get((id(kept), category))
                        part = (
                            kept_part[1]
                            if kept_part is not None and kept_part[0] is kept
                            else _counted_part(kept, category)
                        )
                elif (
                    not kept_n
                    and len(counted) == 1
                    and (entry.day is None or activity.completed >= entry.day)
                ):
                    # None of it counted: a cap kept all of it out.
                    part = _part(
                        "capped",
                        amount,
                        entry.options[0],
                        None,
                        capped_by=_binding_cap(entry, index, limits, allocation, caps),
                    )
            elif (
                len(counted) == 1
                and (carried[0] is kept or _same(carried[0], kept))
                and (kept is amount or _same(kept, amount))
            ):
                # All of it carried out to the next cycle (whatever its day).
                assert next_period is not None  # only cycles with a carryover window carry
                moved = carried[0]
                serves = short[index][0][0]
                if serves:
                    moved_n, moved_d = moved.as_integer_ratio()
                    for r in serves:
                        table = carried_sums[r]
                        table[moved_d] = table.get(moved_d, 0) + moved_n
                category = entry.options[0]
                part = _part("carried-out", moved, category, carried_note)
                carried_out.append(
                    (
                        _landing(entry, 0, moved, next_period),
                        make_carried(activity.id, category, to_decimal(moved), next_period),
                    )
                )
            if part is not None:
                shown = claim.shown
                outcomes.append(
                    make_outcome(
                        activity.id,
                        activity.title,
                        activity.completed,
                        shown if shown is not None else to_decimal(claim.value),
                        claim.basis,
                        claim.valued_by,
                        activity.hypothetical,
                        (part,),
                    )
                )
                index += 1
                continue
        activity_id = activity.id
        found: list[Part] = list(claim.parts) if claim.parts else []
        for entry in claim.entries:
            counted, carried = counted_all[index], carried_all[index]
            if placed is not None and (carried is NOTHING or _first_alone(counted, carried)):
                # Most entries: one option, nothing carried out, the requirements it
                # serves known.
                kept = counted[0]
                kept_n = kept.numerator
                if kept_n:
                    serves = placed[index][0][0]
                    if serves:
                        kept_d = kept.denominator
                        for r in serves:
                            table = got[r]
                            table[kept_d] = table.get(kept_d, 0) + kept_n
                            contributors[r][activity_id] = None
                    amount = entry.amount
                    if (kept is amount or _same(kept, amount)) and (
                        entry.day is None or activity.completed >= entry.day
                    ):
                        # All of it counted (nothing capped, no early note): one part.
                        category = entry.options[0]
                        made = (id(kept), category)
                        part = counted_parts.get(made)
                        if part is None:
                            part = counted_parts[made] = _part("counted", kept, category, None)
                        found.append(part)
                        index += 1
                        continue
            else:
                _add_options(
                    requirements, allocation, index, entry, sums=sums, contributors=contributors
                )
            if (
                len(counted) == 1
                and (carried is NOTHING or not carried[0])
                and _same(counted[0], entry.amount)
                and (entry.day is None or activity.completed >= entry.day)
            ):
                # Most entries: one option, nothing carried out, nothing capped, no early
                # note.
                kept = counted[0]
                if kept:
                    category = entry.options[0]
                    key = (id(kept), category, "own")
                    part = simple.get(key)
                    if part is None:
                        part = simple[key] = _part("counted", kept, category, None)
                    found.append(part)
            else:
                found += entry_parts(entry, index)
            index += 1
        if activity_id in later:
            claims[activity_id] = claim  # an own claim tells the story (over a grace one)
            if found:
                parts[activity_id] = found
        elif found:
            outcomes.append(_claim_outcome(claim, found))
    # Activities with parts that no claim names (credit carried in), by id.
    others: dict[str, Activity] = {}
    for index in range(mine, len(entries)):
        entry = entries[index]
        activity = entry.activity
        activity_id = activity.id
        counted, source = counted_all[index], entry.source
        carried = carried_all[index]
        if len(counted) == 1 and (carried is NOTHING or not carried[0]):
            # One option, nothing carried out (grace-window credit and credit carried in
            # never count early; what a cap kept out is told apart).
            kept = counted[0]
            listed = None
            kept_n = kept.numerator
            if kept_n:
                if short is not None:  # its requirements known: added up here
                    _add_kept(
                        short[index][0][0],
                        kept_n,
                        kept.denominator,
                        activity_id,
                        into_in=source == "carried-in",
                        got=got,
                        carried_in=carried_in,
                        contributors=contributors,
                    )
                else:
                    _add_options(
                        requirements, allocation, index, entry, sums=sums, contributors=contributors
                    )
                category = entry.options[0]
                key = (id(kept), category, source)
                part = simple.get(key)
                if part is None:
                    part = simple[key] = _part(
                        "carried-in" if source == "carried-in" else "counted",
                        kept,
                        category,
                        "earned in the grace window" if source == "grace" else None,
                    )
                listed = [part]
        else:
            _add_options(
                requirements, allocation, index, entry, sums=sums, contributors=contributors
            )
            listed = entry_parts(entry, index)
        if listed:
            known = parts.get(activity_id)
            if known is None:
                parts[activity_id] = listed
            else:
                known.extend(listed)
            if activity_id not in claims:
                others[activity_id] = activity
        if source == "grace":
            _grace_used(entry, index, limits, allocation, cure_used, grace_capped, caps)
    if parts:
        _merge_in_order(outcomes, _outcomes(parts, claims, others))
    shortfall = allocation.shortfall
    results = [
        make_requirement(
            id_,
            description,
            period,
            required,
            _decimal_sum(got[r]),
            _round_up(shortfall[r]),
            tuple(contributors[r]),
            expected,
            False,
            _decimal_sum(carried_in[r]),
            _decimal_sum(carried_sums[r]),
        )
        for r, (id_, description, period, required, expected) in enumerate(stated)
    ]
    used = {k: v for k, v in cure_used.items() if v}
    return outcomes, carried_out, used, grace_capped, results


def _short_way() -> bool:
    """Whether one-entry claims may take the short way to their outcomes in :func:`_read`.

    Tests close the way (patched to return False) to compare it with the general steps.
    (A claim whose story a later entry, grace-window credit or credit carried in,
    continues never takes it.)

    >>> _short_way()
    True
    """
    return True


def _claim_read(
    readings: dict[tuple[Decimal, str | None], Claim] | None,
    kinds: Kinds,
    activity: Activity,
    credits: Decimal | None,
    code: str | None,
) -> Claim | None:
    """A claim of all of ``credits`` under ``code`` as the explained path reads it.

    Kept in ``readings`` (a slot table's :attr:`~cperules._engine.kernel.SlotTable.claims`,
    where the rules read categories alone) unless None. None where it gives no credit or
    its category is none the version declares.
    """
    if not credits or code is None:
        return None
    found = kinds.slots_of(activity, code)
    if found is None:
        return None
    value, shown = credit_value(credits)
    outside, inside = found
    claim = (
        value,
        shown,
        (_counted_part(value, code),),
        (outside, outside if inside is None else inside),
    )
    if readings is not None:
        _keep(readings, (credits, code), claim, _PARTS_KEPT)
    return claim


_WHOLE: dict[tuple[int, str | None], tuple[Fraction, Part]] = {}
"""Counted parts by the amount (by identity: amounts are shared, screening's
:data:`~cperules._engine.screening.CREDIT_VALUES`) and category; bounded by :data:`_PARTS_KEPT`."""


def _counted_part(amount: Fraction, category: str | None) -> Part:
    """``_part("counted", amount, category, None)``, found by the amount's identity.

    >>> from fractions import Fraction
    >>> half = Fraction(1, 2)
    >>> _counted_part(half, "A") is _counted_part(half, "A")
    True
    >>> _counted_part(half, "A") == _part("counted", Fraction(1, 2), "A", None)
    True
    """
    key = (id(amount), category)
    found = _WHOLE.get(key)
    if found is not None and found[0] is amount and not validating.on:
        return found[1]
    part = _part("counted", amount, category, None)
    _keep(_WHOLE, key, (amount, part), _PARTS_KEPT)
    return part


_NOTES: dict[int, tuple[Period, str]] = {}
"""How credit carried out to a period is explained, by the period (kept with it)."""


def _carried_note(next_period: Period) -> str:
    """``f"to {next_period}"``, worked out once per period laid out.

    >>> import datetime as dt
    >>> _carried_note(Period(start=dt.date(2026, 3, 1), end=dt.date(2029, 2, 28)))
    'to 2026-03-01..2029-02-28'
    """
    found = _NOTES.get(id(next_period))
    if found is not None and found[0] is next_period:
        return found[1]
    return _keep(_NOTES, id(next_period), (next_period, f"to {next_period}"))[1]


def _first_alone(counted: Sequence[Fraction], carried: Sequence[Fraction]) -> bool:
    """Whether an entry's row counts in its first option alone and carries nothing.

    Such an entry (most eligible entries: the first option chosen) is read as one of one
    option: its other options add nothing to any requirement and tell no part.

    >>> from fractions import Fraction
    >>> _first_alone((Fraction(2), Fraction(0)), (Fraction(0), Fraction(0)))
    True
    >>> _first_alone((Fraction(1), Fraction(1)), (Fraction(0), Fraction(0)))
    False
    """
    return not any(carried) and not any(counted[1:])


def _grace_used(  # noqa: PLR0917 - the entry and where its story goes
    entry: Entry,
    index: int,
    limits: Sequence[Limit],
    allocation: Allocation,
    cure_used: dict[str, Fraction],
    grace_capped: dict[str, list[Part]],
    caps: dict[int, str | None],
) -> None:
    """Record what grace-window entry ``index`` counted here, and what a cap kept out.

    ``caps`` keeps the reading's binding caps (:func:`_binding_cap`).
    """
    activity_id = entry.activity.id
    total = _counted_total(allocation, index)
    if total:
        known = cure_used.get(activity_id)  # most grace-window credit: one entry, one total
        cure_used[activity_id] = total if known is None else known + total
    amount = entry.amount
    left = _ZERO if _same(amount, total) else amount - total if total else amount
    rule = _binding_cap(entry, index, limits, allocation, caps) if left else None
    if rule is not None:
        grace_capped.setdefault(activity_id, []).append(
            make_part(
                "capped",
                to_decimal(left),
                entry.options[0] if len(entry.options) == 1 else None,
                rule,
                "earned in the grace window",
            )
        )


def _merge_in_order(outcomes: list[ActivityOutcome], rest: list[ActivityOutcome]) -> None:
    """Merge ``rest`` into ``outcomes`` (both in :func:`_outcome_order`), in place.

    Most often all of ``rest`` comes after (or before) every outcome: appended (or put
    first) without sorting.
    """
    if not rest:
        return
    if not outcomes or _outcome_order(outcomes[-1]) < _outcome_order(rest[0]):
        outcomes += rest
    elif _outcome_order(rest[-1]) < _outcome_order(outcomes[0]):
        outcomes[:0] = rest
    else:
        outcomes += rest
        outcomes.sort(key=_outcome_order)


def _outcomes(
    parts: Mapping[str, Sequence[Part]],
    claims: Mapping[str, Screened],
    others: Mapping[str, Activity],
) -> list[ActivityOutcome]:
    """One outcome per activity with parts (its claim's, or credit carried in), in order."""
    outcomes = []
    for activity_id, activity_parts in parts.items():
        if not activity_parts:
            continue
        claim = claims.get(activity_id)
        if claim is not None:
            outcomes.append(_claim_outcome(claim, activity_parts))
        else:
            activity = others[activity_id]
            outcomes.append(
                make_outcome(
                    activity_id,
                    activity.title,
                    activity.completed,
                    Decimal(0),
                    "credits",
                    None,
                    activity.hypothetical,
                    tuple(activity_parts),
                )
            )
    outcomes.sort(key=_outcome_order)
    return outcomes


def _told_twice(
    later: Mapping[str, object], told: Mapping[str, Activity], own: Sequence[Activity]
) -> bool:
    """Whether an activity with a story ``later`` (by id; ``told``: each one's) is own too.

    ``own`` is in date order: only an activity earned between its first and last days
    can be one of them (rare: cycles whose periods overlap).
    """
    first, last = own[0].completed, own[-1].completed
    if all(not first <= told[activity_id].completed <= last for activity_id in later):
        return False
    return any(activity.id in later for activity in own)


def _moved_parts(
    activity: Activity | Share,
    row: Sequence[Decimal],
    kinds: Kinds,
    kept_by_slot: list[Decimal],
    contributors: list[dict[str, None]],
) -> list[Part]:
    """The parts of an eligible activity's credit the areas placed in its later options.

    ``row`` is its kept credit per option (:attr:`KernelCycle.placed`); each later
    option's is counted there, added to its slot's credit (``kept_by_slot``) and to the
    contributors of the minimums it serves.
    """
    share = activity
    assert isinstance(share, Share)  # only eligible activities are placed
    parts: list[Part] = []
    for option in range(1, len(row)):
        moved = row[option]
        if moved:
            code = share.options[option]
            slot = kinds.slots[code][0]
            parts.append(_decimal_part("counted", moved, code, None))
            kept_by_slot[slot] += moved
            for r in kinds.reqs_of[slot]:
                contributors[r][share.id] = None
    return parts


def _kept_in(room: dict[int, Decimal], slot: int, credit: Decimal) -> Decimal:
    """What of ``credit`` a capped ``slot`` keeps: as much as its ``room`` has (taken off it).

    >>> room = {0: Decimal(3)}
    >>> _kept_in(room, 0, Decimal(2)), _kept_in(room, 0, Decimal(2)), room
    (Decimal('2'), Decimal('1'), {0: Decimal('0')})
    """
    have = room[slot]
    take = credit if credit <= have else have
    room[slot] = have - take
    return take


def _kept_whole(room: dict[int, Decimal], slot: int, credit: Decimal) -> bool:
    """Whether a capped ``slot`` keeps all of ``credit`` (then taken off its ``room``).

    Where it does, :func:`_kept_in` would keep ``credit`` itself; where not, ``room`` is
    left as it was, for :func:`_kept_in` to keep what it has.

    >>> room = {0: Decimal(3)}
    >>> _kept_whole(room, 0, Decimal(2)), _kept_whole(room, 0, Decimal(2)), room
    (True, False, {0: Decimal('1')})
    """
    have = room[slot]
    if credit <= have:
        room[slot] = have - credit
        return True
    return False


def _split_outcome(activity: Activity, parts: Sequence[Part]) -> ActivityOutcome:
    """The outcome of a split activity, whose shares told ``parts`` in turn.

    The kernel reads each share of a split activity as an activity of its own
    (:mod:`cperules._engine.shares`); the activity's outcome tells every share's parts,
    and the credit the activity claims (as :func:`_read` tells it).
    """
    # The fields as pydantic keeps them (cheaper than its attributes).
    fields = activity.__dict__
    credits = fields["credits"]
    assert credits is not None  # read by share: it gives credits
    return make_outcome(
        fields["id"],
        fields["title"],
        fields["completed"],
        credit_value(credits)[1],
        "credits",
        None,
        False,
        tuple(parts),
    )


def _claim_outcome(claim: Screened, parts: Sequence[Part]) -> ActivityOutcome:
    """The outcome of ``claim``'s activity in the cycle, with its ``parts``."""
    activity = claim.activity
    return make_outcome(
        activity.id,
        activity.title,
        activity.completed,
        claim.claimed(),
        claim.basis,
        claim.valued_by,
        activity.hypothetical,
        tuple(parts),
    )


_outcome_order: Callable[[ActivityOutcome], tuple[dt.date, str]] = attrgetter(
    "completed", "activity_id"
)
"""Outcomes are listed by completion date, then activity id (read without a frame)."""


make_outcome = maker(ActivityOutcome)
"""A trusted :class:`ActivityOutcome` from every field, in field order (:func:`maker`)."""

make_part = maker(Part)
"""A trusted :class:`Part` from every field, in field order (:func:`maker`)."""

make_carried = maker(CarriedCredit)
"""A trusted :class:`CarriedCredit` from every field, in field order (:func:`maker`)."""

make_cycle = maker(CycleResult)
"""A trusted :class:`CycleResult` from every field, in field order (:func:`maker`)."""

make_requirement = maker(RequirementResult)
"""A trusted :class:`RequirementResult` from every field, in field order (:func:`maker`)."""


def _add_options(
    requirements: Sequence[Requirement],
    allocation: Allocation,
    index: int,
    entry: Entry,
    *,
    sums: tuple[list[dict[int, int]], list[dict[int, int]], list[dict[int, int]]],
    contributors: list[dict[str, None]],
) -> None:
    """Add entry ``index``'s credit, per option, to the requirements it serves.

    ``sums`` are the credit counted, carried in and carried out per requirement, kept as
    numerators per denominator (:func:`_requirement_results`).
    """
    got, carried_in, carried_out = sums
    placed = allocation.placed
    counted_here, carried_here = allocation.counted[index], allocation.carried[index]
    for option, counted in enumerate(counted_here):
        carried = carried_here[option]
        if not counted and not carried:
            continue
        # The requirements (in scope) whose selector takes this option's credit.
        serves = (
            placed[index][option][0]
            if placed is not None
            else _serves(requirements, allocation, index, entry, option)
        )
        if not serves:
            continue
        activity_id = entry.activity.id
        into_in = entry.source == "carried-in"
        if carried:
            kept = counted - carried
            carried_n, carried_d = carried.numerator, carried.denominator
        else:
            kept = counted
            carried_n = carried_d = 0
        if carried_n:
            for r in serves:
                table = carried_out[r]
                table[carried_d] = table.get(carried_d, 0) + carried_n
        if kept.numerator:
            _add_kept(
                serves,
                kept.numerator,
                kept.denominator,
                activity_id,
                into_in=into_in,
                got=got,
                carried_in=carried_in,
                contributors=contributors,
            )


def _add_kept(
    serves: Iterable[int],
    numerator: int,
    denominator: int,
    activity_id: str,
    *,
    into_in: bool,
    got: list[dict[int, int]],
    carried_in: list[dict[int, int]],
    contributors: list[dict[str, None]],
) -> None:
    """Add credit kept in the cycle (``numerator / denominator``) to each requirement served.

    Into what each counts (``got``, kept as numerators per denominator), naming the
    activity among its contributors; credit carried in (``into_in``) is added to what each
    was carried, too.
    """
    for r in serves:
        table = got[r]
        table[denominator] = table.get(denominator, 0) + numerator
        contributors[r][activity_id] = None
        if into_in:
            table = carried_in[r]
            table[denominator] = table.get(denominator, 0) + numerator


def _decimal_sum(sums: dict[int, int]) -> Decimal:
    """``to_decimal(exact_sum(...))`` of amounts kept as numerators by denominator.

    Over several denominators, the sum over their least common multiple is shown once
    per numerator and denominator (:data:`_SUMS`): no fraction is made for a sum seen.

    >>> _decimal_sum({1: 3, 2: 1, 4: 3}), _decimal_sum({4: 6}), _decimal_sum({})
    (Decimal('4.25'), Decimal('1.5'), Decimal('0'))
    >>> _decimal_sum({3: 1, 1: 2})
    Decimal('2.333333')
    """
    if not sums:
        return _NO_CREDIT
    if len(sums) == 1:
        ((denominator, numerator),) = sums.items()
        if denominator == 1:
            return Decimal(numerator)
    else:
        denominator = lcm(*sums)
        numerator = 0
        for each, amount in sums.items():
            numerator += amount * (denominator // each)
    key = (numerator, denominator)
    found = _SUMS.get(key)
    if found is None:
        found = _keep(_SUMS, key, to_decimal(Fraction(numerator, denominator)))
    return found


_NO_CREDIT = Decimal(0)
"""No credit, as results show it (decimals are values: one serves every result)."""

_NO_SLOTS: frozenset[int] = frozenset()
"""No slot (of a cycle where no cap binds: none is capped)."""

_SUMS: dict[tuple[int, int], Decimal] = {}
"""Sums shown by :func:`_decimal_sum`, by numerator and common denominator (not reduced)."""


def _same(a: Fraction, b: Fraction) -> bool:
    """``a == b`` for two fractions (in lowest terms), without the general comparison."""
    return a is b or a.as_integer_ratio() == b.as_integer_ratio()


def _round_up(shortfall: Fraction) -> Decimal:
    """:func:`~cperules.credits.round_up`, whole amounts (most shortfalls) made directly.

    Other amounts are shown once per numerator and denominator (:data:`_ROUNDED`): the
    same partial shortfalls recur (a cycle that starts with credit carried in).
    """
    numerator, denominator = shortfall.numerator, shortfall.denominator
    if denominator == 1:
        return Decimal(numerator) if numerator else _NO_CREDIT
    key = (numerator, denominator)
    found = _ROUNDED.get(key)
    if found is None:
        found = _keep(_ROUNDED, key, round_up(shortfall))
    return found


_ROUNDED: dict[tuple[int, int], Decimal] = {}
"""Shortfalls shown by :func:`_round_up`, by numerator and denominator. Bounded by
:func:`~cperules.credits._keep`'s default."""


def _serves(
    requirements: Sequence[Requirement],
    allocation: Allocation,
    index: int,
    entry: Entry,
    option: int,
) -> list[int]:
    """The requirements whose scope and selector take option ``option`` of entry ``index``.

    For an allocation made without memberships (the linear program's).
    """
    return [
        r
        for r, requirement in enumerate(requirements)
        if not (requirement.scoped and (entry.day is None or entry.day not in requirement.period))
        and allocation.match(requirement.rule.selector, index, entry, option)
    ]


def _findings(
    cycle: Cycle, version: PolicyVersion, context: Context, uncertain: Sequence[Finding]
) -> list[Finding]:
    findings = list(uncertain)
    if cycle.exempt:
        return findings
    for rule in compiled(version).prerequisites:
        if not _prerequisite_met(rule, cycle, context):
            findings.append(
                Finding(
                    code="prerequisite-unmet",
                    rule=rule.id,
                    message=rule.description
                    or f"no activity matching {rule.selector!r} is valid on {cycle.due}",
                )
            )
    return findings


def _prerequisite_met(rule: Prerequisite, cycle: Cycle, context: Context) -> bool:
    by = min(cycle.due, context.as_of)
    return any(
        a.completed <= by
        and a.valid_until is not None
        and a.valid_until >= cycle.due
        and rule.selector.matches(a)
        for a in context.activities
    )


def _status(
    cycle: Cycle,
    requirements: Sequence[RequirementResult] | Sequence[RequirementVerdict],
    findings: Sequence[Finding],
    as_of: dt.date,
    curable: Period | None,
) -> Status:
    met = all(r.met for r in requirements) and not any(
        f.code == "prerequisite-unmet" for f in findings
    )
    return _judged(cycle, met, as_of, curable)


def _judged(cycle: Cycle, met: bool, as_of: dt.date, curable: Period | None) -> Status:
    """The cycle's status on ``as_of``, given whether it met every minimum (and prerequisite).

    ``curable`` is the window in which grace-window credit may still cure it.
    """
    if cycle.exempt:
        return "exempt"
    if met:
        return "compliant"
    if as_of <= cycle.due:
        return "in_progress"
    if curable is not None and as_of in curable:
        return "in_grace"
    return "non_compliant"


def _entry_parts(  # noqa: PLR0917 - the reading's, bound once (a partial), then the entry
    allocation: Allocation,
    limits: Sequence[Limit],
    next_period: Period | None,
    carried_out: list[tuple[Entry, CarriedCredit]],
    carried_note: str | None,
    caps: dict[int, str | None],
    entry: Entry,
    index: int,
) -> list[Part]:
    """What became of one entry: counted (or carried in), carried out, capped.

    ``carried_note`` is how credit carried out is explained (``f"to {next_period}"``,
    made once per cycle); ``caps`` the reading's binding caps (:func:`_binding_cap`).
    The reading binds all but the entry and its index, positionally (a partial's
    keywords would be merged into a new dict on every call).
    """
    parts: list[Part] = []
    counted, carried = allocation.counted[index], allocation.carried[index]
    source = entry.source
    early = _early_note(entry) if source == "own" else None
    kept_reason: ReasonCode = "carried-in" if source == "carried-in" else "counted"
    kept_note = "earned in the grace window" if source == "grace" else early
    for option, category in enumerate(entry.options):
        carried_here = carried[option]
        kept = counted[option]
        if carried_here:
            # All of it carried out (most credit that carries): nothing kept, unworked.
            kept = _ZERO if _same(kept, carried_here) else kept - carried_here
        if kept:
            parts.append(_part(kept_reason, kept, category, kept_note))
        if carried_here:
            assert next_period is not None  # only cycles with a carryover window carry
            credit = make_carried(
                entry.activity.id, category, to_decimal(carried_here), next_period
            )
            parts.append(_part("carried-out", carried_here, category, carried_note))
            landing = _landing(entry, option, carried_here, next_period)
            carried_out.append((landing, credit))
    if source == "own":
        total = counted[0] if len(counted) == 1 else exact_sum(counted)
        amount = entry.amount
        if not _same(amount, total):
            parts.append(
                _part(
                    "capped",
                    amount - total if total else amount,  # most capped entries: all of it
                    entry.options[0] if len(entry.options) == 1 else None,
                    early,
                    capped_by=_binding_cap(entry, index, limits, allocation, caps),
                )
            )
    return parts


_PARTS: dict[tuple[object, ...], Part] = {}
"""Parts made by :func:`_part`: the same few recur across entries, cycles and ledgers."""
_PARTS_KEPT = 8192


def _part(
    reason: ReasonCode,
    amount: Fraction,
    category: str | None,
    note: str | None,
    *,
    capped_by: str | None = None,
) -> Part:
    """A part (a ``"capped"`` one names its cap), made once per distinct value (frozen)."""
    numerator, denominator = amount.as_integer_ratio()
    key = (reason, numerator, denominator, category, note, capped_by)
    found = _PARTS.get(key)
    if found is None or validating.on:
        found = _new_part(key, reason, to_decimal(amount), category, note, capped_by)
    return found


def _decimal_part(
    reason: ReasonCode,
    credits: Decimal,
    category: str | None,
    note: str | None,
    *,
    capped_by: str | None = None,
) -> Part:
    """:func:`_part` of an exact decimal amount: written as :func:`plain` writes it.

    Kept in :data:`_PARTS` too, by the amount as written (hashing a new decimal costs
    several times writing it out; equal decimals written apart give equal parts, each
    written plain), apart from :func:`_part`'s keys by their shape.
    """
    key = (reason, str(credits), category, note, capped_by)
    found = _PARTS.get(key)
    if found is None or validating.on:
        found = _new_part(key, reason, plain(credits), category, note, capped_by)
    return found


def _new_part(  # noqa: PLR0917 - a part's key and fields, in order
    key: tuple[object, ...],
    reason: ReasonCode,
    credits: Decimal,
    category: str | None,
    note: str | None,
    capped_by: str | None,
) -> Part:
    """A part of ``credits`` (as shown), kept in :data:`_PARTS` under ``key``."""
    if reason != "capped":
        part = trusted(Part, reason=reason, credits=credits, category=category, note=note)
    else:
        part = trusted(
            Part, reason=reason, credits=credits, category=category, rule=capped_by, note=note
        )
    return _keep(_PARTS, key, part, _PARTS_KEPT)


def _counted_total(allocation: Allocation, index: int) -> Fraction:
    """Everything entry ``index`` counts (its one option's, for most entries)."""
    counted = allocation.counted[index]
    return counted[0] if len(counted) == 1 else exact_sum(counted)


def _early_note(entry: Entry) -> str | None:
    """How an entry earned in a cycle's early-credit window is explained (None: it is not)."""
    if entry.source != "own" or entry.day is None or entry.activity.completed >= entry.day:
        return None
    return (
        f"earned in the early-credit window before the period began on {entry.day}; "
        "it counts as if earned that day"
    )


def _binding_cap(
    entry: Entry,
    index: int,
    limits: Sequence[Limit],
    allocation: Allocation,
    memo: dict[int, str | None] | None = None,
) -> str | None:
    """The first tight cap, in policy order, that covers the entry.

    ``memo`` keeps the answers of one reading of ``allocation`` by the entry's
    memberships (entries of one kind share them).
    """
    placed = allocation.placed
    if placed is not None:
        options = placed[index]
        if memo is not None:
            known = memo.get(id(options), _UNKNOWN)
            if known is not _UNKNOWN:
                return cast("str | None", known)
        covering = {c for _, caps, _ in options for c in caps}
        found = None
        for c, (limit, binding) in enumerate(zip(limits, allocation.binding, strict=False)):
            if binding and c in covering:
                found = limit.rule.id
                break
        if memo is not None:
            memo[id(options)] = found
        return found
    for limit, binding in zip(limits, allocation.binding, strict=False):
        in_scope = not limit.scoped or (entry.day is not None and entry.day in limit.period)
        if (
            binding
            and in_scope
            and any(
                allocation.match(limit.rule.selector, index, entry, option)
                for option in range(len(entry.options))
            )
        ):
            return limit.rule.id
    return None


def _elapsed(period: Period, as_of: dt.date) -> Fraction | None:
    """The straight-line share of the period gone by on ``as_of`` (None once it is over)."""
    if as_of > period.end or as_of < period.start:
        return None
    return Fraction((as_of - period.start).days + 1, period.days)
