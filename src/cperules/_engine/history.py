"""The history of cycles: every cycle of a holding in order, with what flows between them.

Cycles are evaluated one by one (:mod:`cperules._engine.cycle`), from the first to the one
that governs ``as_of``, so that carried credit, requirements met before, renewal events
(which may end a cycle early and re-lay the later ones) and grace cures flow forward. A
cycle that ends unmet and uncured ends the certification: no later cycle exists, and the
lifecycle (the certification's standing over time) says when it expired or lapsed.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from operator import itemgetter
from typing import cast

from dateutil.relativedelta import relativedelta

from cperules import catalog
from cperules._engine.compiled import (
    HOLDER_FREE_KINDS,
    LAYOUTS_KEPT,
    Bounded,
    LayoutKey,
    compiled,
    layout,
    layout_key,
    layout_next,
)
from cperules._engine.cycle import (
    NONE_MET,
    Carried,
    Context,
    KernelStep,
    Outcome,
    Problem,
    carry_window,
    cure_window,
    evaluate_cycle,
    kernel_run,
    kernel_step,
    make_outcome,
    make_part,
    plan_of,
)
from cperules._engine.kernel import Carry, KernelCycle, kernel_ready
from cperules._engine.planning import needs
from cperules._engine.screening import CategoryPaths, Screening
from cperules._engine.tracking import (
    before_tracking,
    carried_in,
    first_tracked,
    met_before_tracking,
)
from cperules._model import maker, trusted, validating
from cperules.checking import ledger_findings, names_of
from cperules.credits import _keep, exact, to_decimal
from cperules.cycles import Cycle, CycleSpec, Grace, Period
from cperules.errors import ArgumentError, CperulesError, CycleError, PolicyError
from cperules.holders import Holding, RenewalEvent
from cperules.ledger import (
    MAX_CYCLE_ACTIVITIES,
    MAX_LEDGER_SIZE,
    Activity,
    Chronology,
    Ledger,
    check_ledger_size,
    chronology,
    weight,
)
from cperules.policy import Certification, PolicyVersion
from cperules.results import (
    ActivityOutcome,
    CycleResult,
    Deadline,
    DeadlinePlan,
    Evaluation,
    Finding,
    Need,
    Part,
    ReasonCode,
    Stage,
    Standing,
    Status,
    deadline_plan,
    deadlines_from,
    deadlines_of,
)
from cperules.rules import RenewalPath
from cperules.verdicts import CycleVerdict, RequirementVerdict, Verdict

__all__ = ["History", "Replay", "quick_verdict", "resolve"]

_ONE_DAY = dt.timedelta(days=1)
_NIL = Decimal(0)


def resolve(holding: Holding) -> Certification:
    """The holding's certification: given, or resolved from the bundled catalog by id."""
    certification = holding.certification
    # Asked as a str first: a check against the model class is the slower one.
    if isinstance(certification, str):
        return catalog.get(certification)
    return certification


def _layout(spec: CycleSpec) -> CycleSpec:
    """A cycle spec without its citation: versions may cite the same layout differently."""
    return spec if spec.source is None else spec.model_copy(update={"source": None})


class Replay:
    """What an evaluation keeps of the run that made it: its inputs and allocation problems.

    Not the engine: a frozen record of the certification, the holding, the ledger, ``as_of``
    and what a portfolio withheld, the years each cycle was cut into, and each cycle's
    allocation problem (for planning). Pickling it keeps the inputs only (a bundled
    catalog entry by its id): the problems are rebuilt, by evaluating again, when
    planning first needs them after unpickling.
    """

    __slots__ = ("_problems", "as_of", "certification", "holding", "ledger", "withheld", "yearly")

    certification: Certification
    holding: Holding
    ledger: Ledger
    as_of: dt.date
    withheld: Mapping[str, str]
    yearly: tuple[tuple[Period, ...], ...]
    _problems: Mapping[int, Problem] | None

    def __init__(
        self,
        certification: Certification,
        holding: Holding,
        ledger: Ledger,
        *,
        as_of: dt.date,
        withheld: Mapping[str, str],
        yearly: tuple[tuple[Period, ...], ...],
        problems: Mapping[int, Problem] | None = None,
    ) -> None:
        # Set once here, past the check :meth:`__setattr__` makes of later changes.
        put = object.__setattr__
        put(self, "certification", certification)
        put(self, "holding", holding)
        put(self, "ledger", ledger)
        put(self, "as_of", as_of)
        put(self, "withheld", withheld)
        put(self, "yearly", yearly)
        put(self, "_problems", problems)

    def __setattr__(self, name: str, value: object) -> None:
        if name != "_problems" and hasattr(self, name):
            raise AttributeError(f"Replay is immutable: cannot set {name!r}")
        object.__setattr__(self, name, value)

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        inputs = (self.as_of, dict(self.withheld), self.yearly)
        return (_replay, (_reference(self.certification), self.holding, self.ledger, inputs))

    @property
    def spec(self) -> CycleSpec:
        """The cycle spec the holding was evaluated under."""
        return self.certification.version_on(self.holding.earned).cycle

    def again(self, ledger: Ledger) -> Evaluation:
        """The same evaluation over another ledger (for ``what_if``)."""
        return History(self.certification, self.holding, ledger, self.as_of, self.withheld).run()

    def needs(self, index: int) -> tuple[Need, ...]:
        """The least hypothetical credit, per category and topic, that completes cycle ``index``."""
        if self._problems is None:
            history = History(
                self.certification, self.holding, self.ledger, self.as_of, self.withheld
            )
            history.run()
            self._problems = dict(history.problems)
        problem = self._problems[index]
        return needs(problem, as_of=self.as_of, paths=compiled(problem.version).paths)

    def years(self, index: int) -> tuple[Period, ...]:
        """The years of cycle ``index``, as year-scoped rules were applied in it."""
        return self.yearly[index]


def _by_id(holding: Holding, certification_id: str) -> Holding:
    """``holding.model_copy(update={"certification": certification_id})``, made directly.

    The copy pydantic makes (the same fields, ``certification`` among those set, the same
    extra and private state, none for a holding), without its general steps: made once
    per evaluation, for the result.
    """
    copied = _new(Holding)
    data = holding.__dict__.copy()
    data["certification"] = certification_id
    _put(copied, "__dict__", data)
    _put(copied, "__pydantic_fields_set__", holding.__pydantic_fields_set__ | {"certification"})
    _put(copied, "__pydantic_extra__", holding.__pydantic_extra__)
    _put(copied, "__pydantic_private__", holding.__pydantic_private__)
    return copied


_new = object.__new__
_put = object.__setattr__


def _reference(certification: Certification) -> Certification | str:
    """A bundled catalog entry by its id (pickled small); any other certification whole."""
    try:
        bundled = catalog.get(certification.id)
    except CperulesError:
        return certification
    return certification.id if bundled is certification else certification


def _replay(
    certification: Certification | str,
    holding: Holding,
    ledger: Ledger,
    inputs: tuple[dt.date, Mapping[str, str], tuple[tuple[Period, ...], ...]],
) -> Replay:
    """A replay record rebuilt from its pickle (its problems rebuilt when first needed)."""
    if isinstance(certification, str):
        certification = catalog.get(certification)
    as_of, withheld, yearly = inputs
    return Replay(certification, holding, ledger, as_of=as_of, withheld=withheld, yearly=yearly)


@dataclass(frozen=True, slots=True, eq=False)
class _Stopped:
    """Where :func:`quick_verdict` stopped: the cycles the kernel answered, and its state.

    Kept (the last one only) for the history that evaluates the same holding, ledger and
    ``as_of`` next (:meth:`History.verdict`): it starts from cycle ``len(results)`` with
    what the kernel carried out of the one before, instead of starting over, and goes
    straight to the allocation for that cycle, which the kernel could not answer.
    """

    certification: Certification
    holding: Holding
    ledger: Ledger
    as_of: dt.date
    plan: _VerdictPlan
    results: tuple[CycleVerdict, ...]
    cures: Mapping[int, dt.date]
    carried: Sequence[Carry]
    cured: Mapping[str, Fraction | Decimal]
    met: frozenset[str]


class _LastStop:
    """The last :class:`_Stopped`, taken by the history of the same inputs (else ignored)."""

    __slots__ = ("stopped",)

    def __init__(self) -> None:
        self.stopped: _Stopped | None = None

    def take(
        self, certification: Certification, holding: Holding, ledger: Ledger, as_of: dt.date
    ) -> _Stopped | None:
        """The stop of these very inputs (compared by identity), forgotten once taken."""
        stopped, self.stopped = self.stopped, None
        if (
            stopped is None
            or stopped.certification is not certification
            or stopped.holding is not holding
            or stopped.ledger is not ledger
            or stopped.as_of != as_of
        ):
            return None
        return stopped


_last_stop = _LastStop()


class History:
    """The state carried from cycle to cycle while evaluating one holding."""

    def __init__(
        self,
        certification: Certification,
        holding: Holding,
        ledger: Ledger,
        as_of: dt.date,
        withheld: Mapping[str, str] | None = None,
        *,
        explain: bool = True,
        keep_problems: bool = False,
    ) -> None:
        check_ledger_size(ledger)
        self.explain = explain
        # Cycles come from the kernel where it applies (a verdict's builds no allocation
        # problem); asked to keep problems (a portfolio models its holdings on them),
        # every cycle is evaluated in full.
        self.kernel = not keep_problems
        self.certification = certification
        self.holding = holding
        self.ledger = ledger
        self.as_of = as_of
        # Activities a portfolio assigned to other holdings, with where they went.
        self.withheld: Mapping[str, str] = withheld or {}
        self.spec = certification.version_on(holding.earned).cycle
        # Where the verdict kernel stopped on these inputs, if it just did: the cycles it
        # answered are taken as they are (the same as evaluating them again), on its layout.
        self._stopped = (
            _last_stop.take(certification, holding, ledger, as_of)
            if self.kernel and not explain and not withheld
            else None
        )
        if self._stopped is not None:
            laid_out, following = self._stopped.plan.cycles, self._stopped.plan.after
        else:
            laid_out, following = layout_next(self.spec, holding, as_of)
        self.cycles: list[Cycle] = list(laid_out)
        # The cycle after the last laid out, and that last one (a renewal may re-lay it).
        self._after = (laid_out[-1], following)
        # A mid-career holding is evaluated from the cycle it tracks from; earlier ones
        # are taken as renewed (see cperules._engine.tracking).
        self.first = first_tracked(self.spec, holding, certification.id)
        self._check_tracked()
        order = chronology(ledger)
        self.activities = order.activities
        _check_work(self.cycles[self.first :], order)
        self.met_before: set[str] = set()
        self.problems: dict[int, Problem] = {}
        # Activities that could count, before any cap: kept where the problems are (a
        # portfolio reads it), since the kernel does not work it out.
        self.eligible: set[str] = set()
        self.cures: dict[int, dt.date] = {}  # cycle index -> day it was cured in grace
        self.used_events: set[RenewalEvent] = set()
        self.ended: dt.date | None = None  # the day the certification expired or lapsed
        # Grace-window credit a cap kept out of a cycle, by cycle index and activity id.
        self.grace_capped: dict[int, Mapping[str, Sequence[Part]]] = {}
        self.paths = CategoryPaths()
        # Renewal events before tracking belong to cycles taken as renewed: not applied.
        since = self.tracked_since
        self.events = tuple(e for e in holding.events if since is None or e.date >= since)
        self.context = Context(
            as_of=as_of,
            activities=self.activities,
            days=order.days,
            hypothetical=order.hypothetical,
            simple=order.simple,
            irregular=order.irregular,
            codes=order.codes,
            credits=order.credits,
            grace=self.spec.grace,
            screening=Screening(
                certification.id, self.withheld, self.paths, names_of(certification)
            ),
        )

    @property
    def tracked_since(self) -> dt.date | None:
        """The day after the last cycle before tracking ends (None: every cycle is tracked)."""
        return self.cycles[self.first - 1].due + _ONE_DAY if self.first else None

    def _check_tracked(self) -> None:
        """Refuse an ``as_of`` governed by a cycle before the one tracking starts from."""
        if self.first < len(self.cycles):
            return
        boundary = self.holding.tracking_boundary
        assert boundary is not None  # without one, the first cycle is tracked
        field, day = boundary
        governing = self.cycles[-1]
        raise CycleError(
            f"as_of {self.as_of.isoformat()} falls in cycle {governing.index} "
            f"({governing.period}), before tracking starts: holding.{field}={day.isoformat()} "
            f"makes cycle {self.first} the first evaluated; evaluate an as_of after "
            f"{governing.due.isoformat()}",
            code="before-first-cycle",
        )

    def _carried_in(self) -> list[Carried]:
        """The credit the holding says was carried into its first tracked cycle."""
        if not self.first:
            return carried_in(self.holding, previous=None, version=None, landing=None, paths={})
        previous = self.cycles[self.first - 1]
        version = self._version(previous)
        landing = None
        if version.carryover is not None and carry_window(previous, version) is not None:
            landing = self._next_period(previous, version)
        return carried_in(
            self.holding,
            previous=previous,
            version=version,
            landing=landing,
            paths=self.paths(version),
        )

    def _tracking_findings(self) -> list[Finding]:
        """Renewal events before tracking, which are not applied (never dropped unsaid)."""
        boundary = self.holding.tracking_boundary
        if boundary is None:
            return []
        field, day = boundary
        return [
            Finding(
                code="event-before-tracking",
                message=f"renewal event ({event}) is before tracking starts on "
                f"{self.tracked_since} (holding.{field}={day.isoformat()}): the cycles "
                "before it are taken as renewed, so it is not applied",
            )
            for event in sorted(self.holding.events, key=lambda e: (e.date, e.kind))
            if event not in self.events
        ]

    def _findings(self) -> tuple[Finding, ...]:
        """What the policy cannot read in the ledger and the events (explained or not)."""
        return (
            *ledger_findings(self.certification, self.ledger, self.events),
            *self._tracking_findings(),
        )

    def run(self) -> Evaluation:
        """Evaluate every cycle and explain every credit."""
        assert self.explain
        results, status, outside = self._cycles()
        holding = _by_id(self.holding, self.certification.id)
        replay = Replay(
            self.certification,
            holding,
            self.ledger,
            as_of=self.as_of,
            withheld=self.withheld,
            yearly=tuple(cycle.years for cycle in self.cycles),
            problems=self.problems,
        )
        return Evaluation._made(
            replay,
            certification=self.certification.id,
            unit=self.certification.unit,
            holding=holding,
            as_of=self.as_of,
            status=status,
            cycles=tuple(cast("list[CycleResult]", results)),
            outside=tuple(outside),
            lifecycle=self._lifecycle(results),
            findings=self._findings(),
            data_version=catalog.data_version(),
        )

    def verdict(self) -> Verdict:
        """Evaluate every cycle for its verdict only (no per-activity explanation)."""
        assert not self.explain
        results, status, _ = self._cycles()
        return _verdict_of(
            self.certification,
            self.spec.grace,
            self.as_of,
            status,
            self._lifecycle(results),
            cast("list[CycleVerdict]", results),
            self._findings(),
        )

    def _before_tracking(self, cycle: Cycle) -> CycleResult | CycleVerdict:
        """A cycle before tracking: taken as renewed, in the form this run gives."""
        result = before_tracking(cycle, self._version(cycle))
        if self.explain:
            return result
        return CycleVerdict(
            index=result.index,
            period=result.period,
            due=result.due,
            grace=result.grace,
            suspension=result.suspension,
            status=result.status,
            version_from=result.version_from,
        )

    def _cycles(self) -> tuple[list[CycleResult | CycleVerdict], Status, list[ActivityOutcome]]:
        """Every cycle's result in order, the overall status, and what fell outside them."""
        results: list[CycleResult | CycleVerdict] = [
            self._before_tracking(cycle) for cycle in self.cycles[: self.first]
        ]
        self.met_before = met_before_tracking(self.cycles[: self.first], self._version)
        carried: list[Carried] = self._carried_in()
        cured: dict[str, Fraction] = {}
        index = self.first
        if self._stopped is not None:
            results, carried, cured, index = self._resumed(self._stopped)
        while index < len(self.cycles):
            # A cycle that follows one still uncured in its window exists only if that one
            # is cured: no event may show it renewed meanwhile (it would be taken back).
            renewable = not results or results[-1].status != "in_grace"
            result, carried, cured = self._renewal_cycle(index, carried, cured, renewable)
            if result.status == "non_compliant":
                # The certification has ended (or is suspended): no later cycle exists.
                self.ended = self._end_day(self.cycles[index])
                del self.cycles[index + 1 :]
                if isinstance(result, CycleResult):
                    result = self._with_grace_capped(result)
                results.append(result)
                break
            results.append(result)
            index += 1
        outside = self._outside(cured if self.ended is not None else {}) if self.explain else []
        return results, _overall(results), outside

    # --- renewal events and the lifecycle ----------------------------------------------

    def _end_day(self, cycle: Cycle) -> dt.date:
        """The day an unmet, uncured ``cycle`` ends the certification (:func:`_end_day`)."""
        return _end_day(cycle, self.spec.grace)

    def _settled(self, cycle: Cycle) -> bool:
        """Whether every window after ``cycle`` has passed on ``as_of``."""
        return _settled(cycle, self.as_of)

    def _with_grace_capped(self, result: CycleResult) -> CycleResult:
        """``result`` with the grace-window credit its caps kept out, as capped parts.

        Such credit would have counted in the next cycle; the certification ended, so its
        story is the cap, told in the cycle whose cap kept it out.
        """
        capped = self.grace_capped.get(result.index, {})
        if not capped:
            return result
        outcomes = {outcome.activity_id: outcome for outcome in result.activities}
        version = self._version(self.cycles[result.index])
        for activity in self.activities:
            parts = capped.get(activity.id)
            if parts is None:
                continue
            outcome = outcomes.get(activity.id)
            if outcome is None:
                conversion = activity.claimed(version.measure)
                outcome = ActivityOutcome(
                    activity_id=activity.id,
                    title=activity.title,
                    completed=activity.completed,
                    claimed=conversion.credits,
                    basis=conversion.basis,
                    hypothetical=activity.hypothetical,
                    parts=(),
                )
            outcomes[activity.id] = outcome.model_copy(update={"parts": (*outcome.parts, *parts)})
        ordered = sorted(outcomes.values(), key=lambda o: (o.completed, o.activity_id))
        return result.model_copy(update={"activities": tuple(ordered)})

    def _renewal_cycle(
        self,
        index: int,
        carried: list[Carried],
        cured: dict[str, Fraction],
        renewable: bool = True,
    ) -> tuple[CycleResult | CycleVerdict, list[Carried], dict[str, Fraction]]:
        """Evaluate cycle ``index``, then apply any renewal event (re-laying later cycles)."""
        cycle = self.cycles[index]
        version = self._version(cycle)
        outcome = self._run(cycle, version, carried, cured)
        renewal = self._renewal(cycle, version, outcome.result) if renewable else None
        if renewal is not None:
            event, path = renewal
            if path.realign and event.date <= cycle.due:
                # The event starts the next cycle: this one ends the day before it.
                cut = self.spec.cut(cycle, event.date - _ONE_DAY)
                cut_outcome = self._run(cut, version, carried, cured)
                if path.credits is None or cut_outcome.result.counted >= path.credits:
                    self.cycles[index] = cycle = cut
                    outcome = cut_outcome
                else:  # the credit the path needs was earned only after the event
                    renewal = None
        self._commit(cycle, outcome)
        result, carried_out, cure_used = outcome.result, outcome.carried_out, outcome.cure_used
        if renewal is not None:
            event, path = renewal
            self.used_events.add(event)
            if event.date > cycle.due:
                self.cures[cycle.index] = event.date
            # The event renews the cycle: its requirements are met by it, not short.
            requirements = tuple(
                req.model_copy(update={"shortfall": Decimal(0), "renewed": True})
                for req in result.requirements
            )
            result = result.model_copy(
                update={"status": "compliant", "renewed_by": event, "requirements": requirements}
            )
            if path.realign:
                self.cycles[index + 1 :] = self.spec.restarted(
                    self.holding, event.date, as_of=self.as_of, first_index=cycle.index + 1
                )
        elif not version.renews_by_credit and not cycle.exempt:
            result = result.model_copy(update={"status": self._unmet_status(cycle)})
        return result, carried_out, cure_used

    def _renewal(
        self, cycle: Cycle, version: PolicyVersion, result: CycleResult | CycleVerdict
    ) -> tuple[RenewalEvent, RenewalPath] | None:
        """The earliest renewal path the holding's events complete for ``cycle``, if any.

        An event counts for a cycle when it falls after the cycle's first day and by its
        end (or by the end of a grace window in which earning is allowed), on or before
        ``as_of``, and was not already used by an earlier cycle.
        """
        if not version.renewal_paths or not self.events:
            return None
        last = cycle.due
        curable = cure_window(cycle, self.spec.grace)
        if curable is not None and self.context.grace_earning:
            last = curable.end
        last = min(last, self.as_of)
        found: tuple[RenewalEvent, RenewalPath] | None = None
        for path in version.renewal_paths:
            first = cycle.period.start
            if path.window_months is not None:
                opens = cycle.due + _ONE_DAY - relativedelta(months=path.window_months)
                first = max(first, opens - _ONE_DAY)
            events = sorted(
                (
                    event
                    for event in self.events
                    if event.kind == path.kind
                    and first < event.date <= last
                    and event not in self.used_events
                    and (not path.certifications or event.certification in path.certifications)
                    and (not path.tags or event.tag in path.tags)
                ),
                key=lambda event: event.date,
            )
            if len(events) < path.count:
                continue
            if path.credits is not None and result.counted < path.credits:
                continue
            event = events[path.count - 1]
            if found is None or event.date < found[0].date:
                found = (event, path)
        return found

    def _unmet_status(self, cycle: Cycle) -> Status:
        """The status of a cycle whose requirements are not (or cannot be) met by credit."""
        if self.as_of <= cycle.due:
            return "in_progress"
        curable = cure_window(cycle, self.spec.grace)
        if curable is not None and self.as_of in curable:
            return "in_grace"
        return "non_compliant"

    def _lifecycle(self, results: Sequence[CycleResult | CycleVerdict]) -> tuple[Stage, ...]:
        """The certification's standing over time, from the cycles' results.

        Kept by what the stages read (:data:`_history_lifecycles`): many ledgers of one
        holding, or holdings earned the same day, share a few lifecycles.
        """
        grace = self.spec.grace
        key = (
            id(grace),
            self.holding.earned,
            self.as_of,
            self.ended,
            tuple(self.cures.items()),
            tuple(map(_judged_dates, results)),
        )
        kept = _history_lifecycles.get_fresh(key)
        if kept is None or kept[0] is not grace:
            lifecycle = _Lifecycle(
                grace=grace,
                earned=self.holding.earned,
                as_of=self.as_of,
                cures=self.cures,
                ended=self.ended,
                cycles=self.cycles,
            ).stages(results)
            kept = _history_lifecycles.keep(key, (grace, lifecycle))
        return kept[1]

    # --- routing --------------------------------------------------------------------

    def _version(self, cycle: Cycle) -> PolicyVersion:
        start = max(cycle.period.start, self.holding.earned)
        version = self.certification.version_on(start)
        if version.cycle is not self.spec and _layout(version.cycle) != _layout(self.spec):
            raise PolicyError(
                f"{self.certification.id!r}: the version from {version.effective_from} changes "
                "the cycle spec; cycles are laid out by the version in force when the holding "
                "was earned, and a change of cycle needs a transitional rule",
                code="cycle-spec-changed",
            )
        return version

    def _outside(  # noqa: PLR0912 - each reason an activity falls outside, and the early way out
        self, used_in_grace: Mapping[str, Fraction]
    ) -> list[ActivityOutcome]:
        """Outcomes of activities that fall in no evaluated cycle.

        ``used_in_grace`` is the grace-window credit already used by the last cycle before
        the certification ended; only the rest of such an activity is reported here.
        """
        first = self.cycles[0].claims.start
        tracked = self.cycles[self.first :]
        tracking = tracked[0].claims.start if self.first else None
        windows = _windows(cycle.claims for cycle in tracked)
        unplaced = self._unplaced(windows, first, tracking)
        if not unplaced:
            return []  # every activity falls in a cycle evaluated (most ledgers)
        last = self.cycles[-1].period.end
        version = self.certification.version_on(self.holding.earned)
        capped: Mapping[str, Sequence[Part]] = {}
        number = self.cycles[-1].index
        if self.ended is not None:
            capped = self.grace_capped.get(self.cycles[-1].index, {})
        outcomes = []
        claim = self.context.screening.claim  # conversions once per activity and run
        starts = [start for start, _ in windows]
        ended_words = self._ended_words() if self.ended is not None else ""
        for activity in unplaced:
            reason: ReasonCode
            if activity.completed > self.as_of and not activity.hypothetical:
                reason, note = "after-as-of", f"completed after {self.as_of}"
            elif self.ended is not None and activity.completed > last:
                reason, note = "after-expiry", ended_words
                claimed, basis = claim(activity, version)
                credits = claimed
                used = used_in_grace.get(activity.id)
                if used:
                    credits = to_decimal(exact(credits) - used)
                    note += " (the rest was used in the grace window)"
                kept_out = sum((part.credits for part in capped.get(activity.id, ())), Decimal(0))
                if kept_out:
                    credits -= kept_out
                    note += f" ({kept_out} more was kept out of cycle {number} by a cap)"
                if (used or kept_out) and not credits:
                    continue
            elif tracking is not None and activity.completed < tracking:
                reason, note = "before-tracking", self._before_tracking_words(tracking)
            elif activity.completed < first:
                reason, note = "before-cycle", f"completed before the first cycle began on {first}"
            elif not _within(activity.completed, windows, starts):
                reason, note = "between-windows", "completed in no renewal window"
            else:
                continue
            if reason != "after-expiry":
                claimed, basis = claim(activity, version)
                credits = claimed
            outcomes.append(
                make_outcome(
                    activity.id,
                    activity.title,
                    activity.completed,
                    claimed,
                    basis,
                    None,
                    activity.hypothetical,
                    (_outside_part(reason, credits, note),),
                )
            )
        return outcomes

    def _unplaced(
        self, windows: Sequence[tuple[dt.date, dt.date]], first: dt.date, tracking: dt.date | None
    ) -> Sequence[Activity]:
        """The activities :meth:`_outside` must look at: all but some it surely passes over.

        Those are the activities completed by ``as_of`` in a run of ``windows`` (the
        tracked cycles' claims), on or after ``first`` and ``tracking``: each falls in a
        cycle evaluated. They are found by bisecting the ledger's dates, where the ledger
        has no hypothetical activity and the certification has not ended (else all are
        looked at).
        """
        activities = self.activities
        context = self.context
        days = context.days
        if self.ended is not None or context.hypothetical or len(days) != len(activities):
            return activities
        floor = first if tracking is None else max(first, tracking)
        kept: list[Activity] = []
        at = 0
        for start, end in windows:
            low, high = max(start, floor), min(end, self.as_of)
            if low > high:
                continue
            skip = bisect_left(days, low, lo=at)
            kept.extend(activities[at:skip])
            at = max(at, bisect_right(days, high, lo=skip))
        kept.extend(activities[at:])
        return kept

    def _before_tracking_words(self, tracking: dt.date) -> str:
        """Why credit before the first tracked cycle is not evaluated."""
        boundary = self.holding.tracking_boundary
        assert boundary is not None
        field, day = boundary
        return (
            f"completed before tracking starts on {tracking} (holding.{field}="
            f"{day.isoformat()}): the cycles before it are taken as renewed and not evaluated"
        )

    def _ended_words(self) -> str:
        """Why credit after the last cycle has nowhere to count, on ``as_of``."""
        assert self.ended is not None
        cycle = self.cycles[-1]
        grace = self.spec.grace
        if self._settled(cycle) or grace is None or cycle.grace is None:
            final = "lapsed" if cycle.grace is None else "expired"
            if grace is not None and grace.after is not None and cycle.suspension is not None:
                final = grace.after.then
            return (
                f"the certification {final} on {self.ended}, "
                "so there is no later cycle for it to count in"
            )
        number = cycle.index
        if self.as_of in cycle.grace:
            assert grace.standing == "reporting"  # an uncured curable window is in grace
            return (
                f"cycle {number} ended unmet on {cycle.due}; its reporting window (until "
                f"{cycle.grace.end}) is only for credit earned by then, so this credit cannot "
                "complete it, and there is no later cycle for it to count in"
            )
        assert grace.after is not None
        assert cycle.suspension is not None
        return (
            f"cycle {number} ended unmet and its grace window passed on {cycle.grace.end}: "
            f"the certification is {grace.after.standing} until {cycle.suspension.end}, and "
            "credit earned now does not complete the cycle"
        )

    def _run(
        self,
        cycle: Cycle,
        version: PolicyVersion,
        carried_in: list[Carried],
        cured: dict[str, Fraction],
    ) -> Outcome:
        """Evaluate one cycle from the state so far, changing none of it.

        The activities that could count are recorded (whether or not this outcome is
        kept: a renewal event may have a cycle evaluated twice, whole and cut short).
        """
        window = plan_of(cycle, version).window
        outcome = evaluate_cycle(
            cycle,
            version,
            self.context,
            carried_in=carried_in,
            cured=cured,
            met_before=frozenset(self.met_before),
            next_period=self._next_period(cycle, version) if window is not None else None,
            explain=self.explain,
            kernel=self.kernel and not self._unanswered(cycle),
        )
        self.eligible |= outcome.eligible
        return outcome

    def _commit(self, cycle: Cycle, outcome: Outcome) -> None:
        """Keep ``outcome`` as cycle ``cycle``'s, for later cycles, planning and portfolios."""
        if outcome.problem is not None:
            self.problems[cycle.index] = outcome.problem
        self.grace_capped[cycle.index] = outcome.grace_capped
        self.cures.pop(cycle.index, None)
        if outcome.cure_day is not None:
            self.cures[cycle.index] = outcome.cure_day
        self.met_before |= outcome.met

    def _resumed(
        self, stopped: _Stopped
    ) -> tuple[list[CycleResult | CycleVerdict], list[Carried], dict[str, Fraction], int]:
        """The results, carried and cured credit and next index where the kernel stopped.

        What :meth:`_cycles` would have made of the cycles the kernel answered: the same
        kernel, on the same inputs, answers them alike (each cycle then commits nothing
        but its cure day and the requirements it met).
        """
        results: list[CycleResult | CycleVerdict] = list(stopped.results)
        for result in stopped.results:
            self.grace_capped[result.index] = {}
        self.cures.update(stopped.cures)
        self.met_before |= stopped.met
        carried: list[Carried] = []
        cured: dict[str, Fraction] = {}
        if results:
            step = stopped.plan.steps[len(results) - 1]
            last = KernelCycle(
                result=stopped.results[-1],
                carried=list(stopped.carried),
                next_period=step.next_period,
                met=stopped.met,
                cured=stopped.cured,
                cure_day=None,
            )
            if stopped.carried:
                carried = last.carried_out(step.version)
            cured = last.cure_used
        return results, carried, cured, len(results)

    def _unanswered(self, cycle: Cycle) -> bool:
        """Whether the verdict kernel already tried ``cycle`` on these inputs and could not."""
        stopped = self._stopped
        return (
            stopped is not None
            and cycle.index == len(stopped.results)
            and cycle is stopped.plan.cycles[cycle.index]
        )

    def _next_period(self, cycle: Cycle, version: PolicyVersion) -> Period:
        """Where credit carried out of ``cycle`` lands (:func:`_next_period`)."""
        last, following = self._after
        after = following if cycle is last else None
        return _next_period(self.spec, self.holding, self.cycles, cycle, version, after)


_Dates = tuple[int, Status, dt.date, dt.date | None, dt.date | None, dt.date | None, dt.date | None]


def _judged_dates(result: CycleResult | CycleVerdict) -> _Dates:
    """What the lifecycle reads of a cycle's result (:data:`_Dates`).

    Its index, status, due date, and the first and last days of its grace window and of
    its suspension (None: none).
    """
    grace, suspension = result.grace, result.suspension
    return (
        result.index,
        result.status,
        result.due,
        None if grace is None else grace.start,
        None if grace is None else grace.end,
        None if suspension is None else suspension.start,
        None if suspension is None else suspension.end,
    )


_history_lifecycles: Bounded[
    tuple[
        int,
        dt.date,
        dt.date,
        dt.date | None,
        tuple[tuple[int, dt.date], ...],
        tuple[_Dates, ...],
    ],
    tuple[Grace | None, tuple[Stage, ...]],
] = Bounded(LAYOUTS_KEPT)
"""The lifecycles histories worked out, by what :class:`_Lifecycle` reads: the spec's grace
window (by identity, kept with the stages), the day the holding was earned, ``as_of``, the
day the certification ended, the days cycles were cured, and each cycle's
:func:`_judged_dates` (the cycles laid out are read only where a result's are)."""


def _end_day(cycle: Cycle, grace: Grace | None) -> dt.date:
    """The day an unmet, uncured ``cycle`` ends the certification.

    The day after its last window (grace, suspension); after a reporting window, which
    only records credit earned by the cycle's end, the day after that end.
    """
    if cycle.suspension is not None:
        return cycle.suspension.end + _ONE_DAY
    if cycle.grace is None or (grace is not None and grace.standing == "reporting"):
        return cycle.due + _ONE_DAY
    return cycle.grace.end + _ONE_DAY


def _next_period(  # noqa: PLR0917 - the layout, then the cycle asked about
    spec: CycleSpec,
    holding: Holding,
    cycles: Sequence[Cycle],
    cycle: Cycle,
    version: PolicyVersion,
    after: Cycle | None = None,
) -> Period:
    """Where credit carried out of ``cycle`` lands (laid out only if not already known).

    ``after`` is the cycle after the last of ``cycles`` when the layout gave it
    (:func:`~cperules._engine.compiled.layout_next`); else it is laid out here.
    """
    if cycle.index + 1 < len(cycles):
        following = cycles[cycle.index + 1]
    elif after is not None and cycle is cycles[-1]:
        following = after
    else:
        following = layout(spec, holding, cycle.due + _ONE_DAY)[-1]
    assert version.carryover is not None
    if version.carryover.lands == "first-year":
        return following.years[0]
    return following.period


def _verdict_of(  # noqa: PLR0917 - the parts of a verdict, in the order it shows them
    certification: Certification,
    grace: Grace | None,
    as_of: dt.date,
    status: Status,
    lifecycle: Sequence[Stage],
    results: Sequence[CycleVerdict],
    findings: tuple[Finding, ...],
    standing: Stage | None = None,
) -> Verdict:
    """The verdict from a history's cycle verdicts, lifecycle and findings.

    ``grace`` is the cycle spec's grace window (a reporting-only one makes deadlines
    report-by dates); ``standing`` the stage of ``lifecycle`` in force on ``as_of``, if
    known.
    """
    if standing is None:
        standing = _standing(lifecycle, as_of)
    cycles = tuple(results)
    deadlines = deadlines_of(
        certification=certification.id,
        as_of=as_of,
        standing=standing,
        cycles=cycles,
        reporting_only=grace is not None and grace.earning == "submission-only",
        unit=certification.unit,
    )
    return _make_verdict(
        certification.id,
        certification.unit,
        as_of,
        status,
        standing,
        cycles,
        deadlines,
        findings,
        catalog.data_version(),
    )


_make_verdict = maker(Verdict)


def _standing(lifecycle: Sequence[Stage], as_of: dt.date) -> Stage:
    """The stage of ``lifecycle`` in force on ``as_of`` (the last begun by then)."""
    return next(stage for stage in reversed(lifecycle) if stage.start <= as_of)


class _Lifecycle:
    """The certification's standing over time, read from a history's cycle results.

    What it reads of the history: the spec's grace window, the day the holding was
    earned, ``as_of``, the days cycles were cured in grace (by index), the day the
    certification ended (None: it did not) and the cycles laid out.
    """

    __slots__ = ("as_of", "cures", "cycles", "earned", "ended", "grace")

    def __init__(
        self,
        *,
        grace: Grace | None,
        earned: dt.date,
        as_of: dt.date,
        cures: Mapping[int, dt.date],
        ended: dt.date | None,
        cycles: Sequence[Cycle],
    ) -> None:
        self.grace = grace
        self.earned = earned
        self.as_of = as_of
        self.cures = cures
        self.ended = ended
        self.cycles = cycles

    def stages(self, results: Sequence[CycleResult | CycleVerdict]) -> tuple[Stage, ...]:
        """The certification's standing over time, from the cycles' results.

        After a cycle that ended unmet: its window (grace, suspension or reporting, as the
        spec's grace names it), then any suspension that follows an uncured window, then
        the end (expired, revoked, terminated; lapsed with no window at all). Stages that
        begin after ``as_of`` are left out.
        """
        grace = self.grace
        window: Standing = grace.standing if grace is not None else "grace"
        after = grace.after if grace is not None else None
        stages: list[Stage] = []
        active_from: dt.date | None = self.earned

        def close_active(before: dt.date) -> None:
            if active_from is not None and active_from < before:
                stages.append(
                    trusted(Stage, standing="active", start=active_from, end=before - _ONE_DAY)
                )

        for result in results:
            cure = self.cures.get(result.index)
            number = result.index
            if result.grace is not None and (cure is not None or result.status == "in_grace"):
                close_active(result.grace.start)
                suspension = result.suspension if after is not None and after.cures else None
                last = suspension.end if suspension is not None else result.grace.end
                end = cure if cure is not None else last
                note = (
                    f"cured on {cure}"
                    if cure is not None
                    else f"cycle {number} ended unmet; it can be cured until {end}"
                )
                if suspension is None or end <= result.grace.end:
                    self._stage(
                        stages, window, Period(start=result.grace.start, end=end), result, note
                    )
                else:
                    self._stage(stages, window, result.grace, result, f"cycle {number} ended unmet")
                    assert after is not None
                    span = Period(start=suspension.start, end=end)
                    self._stage(stages, after.standing, span, result, note)
                if cure is None:
                    return tuple(stages)
                active_from = cure + _ONE_DAY
            elif result.status == "non_compliant":
                assert self.ended is not None
                close_active(self.ended if result.grace is None else result.grace.start)
                stages.extend(self._ended_stages(result))
                return tuple(stages)
        assert active_from is not None
        stages.append(trusted(Stage, standing="active", start=active_from))
        return tuple(stages)

    def _stage(
        self,
        stages: list[Stage],
        standing: Standing,
        period: Period,
        result: CycleResult | CycleVerdict,
        note: str,
    ) -> None:
        """Add the stage ``standing`` over ``period`` for ``result``'s cycle, if it began."""
        if period.start <= self.as_of:
            stages.append(
                trusted(
                    Stage,
                    standing=standing,
                    start=period.start,
                    end=period.end,
                    cycle=result.index,
                    note=note,
                )
            )

    def _ended_stages(self, result: CycleResult | CycleVerdict) -> list[Stage]:
        """The stages after ``result``'s cycle ended unmet and uncured, up to ``as_of``.

        Its window (unless a reporting window already passed: the certification then
        expired on its expiration date), any suspension, then the end once all passed.
        """
        assert self.ended is not None
        grace = self.grace
        window: Standing = grace.standing if grace is not None else "grace"
        after = grace.after if grace is not None else None
        words = "reporting window" if window == "reporting" else "grace window"
        number = result.index
        settled = _settled(self.cycles[result.index], self.as_of)
        stages: list[Stage] = []

        final: Standing = "lapsed" if result.grace is None else "expired"
        if result.grace is not None and not (window == "reporting" and settled):
            note = (
                f"cycle {number} ended unmet on {result.due}; credit earned by then may be "
                f"reported until {result.grace.end}, and nothing earned or done later "
                "completes it"
                if window == "reporting"
                else f"cycle {number} ended unmet and was not cured"
            )
            self._stage(stages, window, result.grace, result, note)
            if after is not None and result.suspension is not None:
                final = after.then
                cures = "" if after.cures else "; credit earned now does not complete it"
                self._stage(
                    stages,
                    after.standing,
                    result.suspension,
                    result,
                    f"cycle {number} ended unmet and its {words} passed{cures}; "
                    f"{final} from {self.ended} unless reinstated",
                )
        if settled:
            passed = ""
            if result.grace is not None:
                also = " and suspension" if result.suspension is not None else ""
                passed = f" and its {words}{also} passed"
            stages.append(
                trusted(
                    Stage,
                    standing=final,
                    start=self.ended,
                    cycle=result.index,
                    note=f"cycle {number} ended unmet{passed}",
                )
            )
        return stages


def _settled(cycle: Cycle, as_of: dt.date) -> bool:
    """Whether every window after ``cycle`` has passed on ``as_of``."""
    last = cycle.suspension or cycle.grace
    return as_of > (last.end if last is not None else cycle.due)


@dataclass(frozen=True, slots=True, eq=False)
class _VerdictPlan:
    """A holding's history of cycles as the verdict kernel reads it: worked out once.

    Per certification and cycle layout (the holding's dates, ``as_of``): each cycle's
    :class:`~cperules._engine.cycle.KernelStep` and the day it ends the certification if
    it ends unmet, and ``codes``, the categories every version declaring any declares
    (None: none declares any), for which a simple ledger has no finding; ``checked``
    whether the kernel's own reading of categories settles that for the activities it
    reads (each cycle's version declares exactly ``codes``, and the cycles' claim periods
    follow each other without a gap), so only the others need a look. No steps: the
    history is not of the kernel's shape (a version it does not serve, a change of
    cycle spec, a renewal other than by credit, an early window). ``after`` is the cycle
    after the last laid out (None: the spec does not give it).
    """

    certification: Certification
    spec: CycleSpec
    cycles: tuple[Cycle, ...]
    after: Cycle | None
    grace: Grace | None
    steps: tuple[KernelStep, ...]
    ends: tuple[dt.date, ...]
    codes: frozenset[str] | None
    checked: bool


@dataclass(frozen=True, slots=True, eq=False)
class _Served:
    """What verdict plans read of a certification under one cycle spec, whatever the dates.

    ``codes`` as :class:`_VerdictPlan` has them; ``versions``, for each version (by
    identity), whether the kernel serves its cycles under ``spec`` (the same cycle
    layout, a version the kernel reads, renewed by credit) and whether it declares
    exactly ``codes``. The same for every holder of the certification: worked out once.
    """

    certification: Certification
    spec: CycleSpec
    codes: frozenset[str] | None
    versions: Mapping[int, tuple[bool, bool]]


VERDICT_PLANS_KEPT = LAYOUTS_KEPT
"""Verdict plans kept (one per certification and layout): as many as the layouts
(:data:`~cperules._engine.compiled.LAYOUTS_KEPT`, whose doc gives the figures)."""

_verdict_plans: Bounded[tuple[int, LayoutKey], _VerdictPlan] = Bounded(VERDICT_PLANS_KEPT)
_served: Bounded[tuple[int, int], _Served] = Bounded(LAYOUTS_KEPT)


def _served_by(certification: Certification, spec: CycleSpec) -> _Served:
    """What the kernel serves of ``certification``'s versions under ``spec`` (kept)."""
    key = (id(certification), id(spec))
    found = _served.get_fresh(key)
    if found is not None and found.certification is certification and found.spec is spec:
        return found
    codes: frozenset[str] | None = None
    for version in certification.versions:
        declared = version.category_paths() if version.credit_counts else {}
        if declared:
            codes = frozenset(declared) if codes is None else codes & frozenset(declared)
    versions = {
        id(version): (
            (version.cycle is spec or _layout(version.cycle) == _layout(spec))
            and kernel_ready(version)
            and version.renews_by_credit,
            codes is not None and frozenset(compiled(version).paths) == codes,
        )
        for version in certification.versions
    }
    return _served.keep(key, _Served(certification, spec, codes, versions))


def _verdict_plan(certification: Certification, holding: Holding, as_of: dt.date) -> _VerdictPlan:
    """The verdict plan of ``holding``'s cycles on ``as_of`` (kept per layout).

    What is the same for every holding of the certification (which versions the kernel
    serves, the categories) is worked out once (:func:`_served_by`); the cycles are laid
    out once, with the one after them (where the governing cycle's carried credit lands).
    """
    global _recent_plan  # noqa: PLW0603 - a one-item cache in front of the bounded one
    earned, named = holding.earned, holding.certification_id
    recent = _recent_plan
    if (
        recent is not None
        and recent.certification is certification
        and recent.earned == earned
        and recent.named == named
        and recent.as_of == as_of
        and (recent.holder_free or recent.holder == holding.holder)
    ):
        return recent.plan
    spec = certification.version_on(earned).cycle
    key = (id(certification), layout_key(spec, holding, as_of))
    found = _verdict_plans.get_fresh(key)
    if found is not None and found.certification is certification and found.spec is spec:
        _recent_plan = _RecentPlan(
            certification,
            earned,
            named,
            as_of,
            holding.holder,
            spec.kind in HOLDER_FREE_KINDS,
            found,
        )
        return found
    served = _served_by(certification, spec)
    cycles, following = layout_next(spec, holding, as_of)
    steps: list[KernelStep] = []
    ends: list[dt.date] = []
    exact = True
    try:
        for cycle in cycles:
            version = certification.version_on(max(cycle.period.start, holding.earned))
            kernel, declares = served.versions[id(version)]
            if not kernel or cycle.early is not None:
                steps = []
                break
            exact = exact and declares
            landing = None
            if plan_of(cycle, version).window is not None:
                landing = _next_period(spec, holding, cycles, cycle, version, following)
            steps.append(
                kernel_step(cycle, version, as_of=as_of, grace=spec.grace, next_period=landing)
            )
            ends.append(_end_day(cycle, spec.grace))
    except CperulesError:
        # A cycle no version covers, say: the history raises it, after checking the
        # ledger as it does first.
        steps = []
    checked = (
        bool(steps)
        and exact
        and all(after.claims[0] == step.claims[1] + _ONE_DAY for step, after in pairwise(steps))
    )
    plan = _VerdictPlan(
        certification,
        spec,
        cycles,
        following,
        spec.grace,
        tuple(steps),
        tuple(ends),
        served.codes,
        checked,
    )
    _recent_plan = _RecentPlan(
        certification, earned, named, as_of, holding.holder, spec.kind in HOLDER_FREE_KINDS, plan
    )
    return _verdict_plans.keep(key, plan)


@dataclass(frozen=True, slots=True, eq=False)
class _RecentPlan:
    """The verdict plan last given, with what it was given for (:func:`_verdict_plan`).

    A batch asks for one plan ledger after ledger (holders earned the same day): this
    answers those by comparing the holding's dates, not by finding the policy version,
    building the layout key and looking it up. ``holder`` is compared only where the
    layout reads it (not ``holder_free``: :data:`~cperules._engine.compiled.HOLDER_FREE_KINDS`).
    """

    certification: Certification
    earned: dt.date
    named: str
    as_of: dt.date
    holder: object
    holder_free: bool
    plan: _VerdictPlan


_recent_plan: _RecentPlan | None = None


def quick_verdict(  # noqa: PLR0911, PLR0912 - each early return a shape it leaves to the history
    certification: Certification, holding: Holding, ledger: Ledger, as_of: dt.date
) -> Verdict | None:
    """The verdict from the kernel alone, where the whole history has its shape; else None.

    The shape: a holding with no renewal event, tracked from its first cycle; a simple
    ledger (:attr:`cperules.ledger.Chronology.simple`) whose categories give no finding;
    every cycle of a version the kernel serves, renewed by credit, and answered by the
    kernel (:func:`cperules._engine.cycle.kernel_run`). The same verdict as
    :meth:`History.verdict` (which the property tests check), without building the
    history: what every cycle reads alike is planned once per layout, and the ledger's
    activities are found by bisection.
    """
    if holding.events or holding.tracking_boundary is not None or holding.carried_in:
        return None
    # The ledger's date order where already worked out (its size with it).
    order: Chronology | None = getattr(ledger, "_chronology", None)
    if order is None or order.size > MAX_LEDGER_SIZE:
        check_ledger_size(ledger)  # refuses a ledger too large before sorting it
    plan = _verdict_plan(certification, holding, as_of)
    if not plan.steps:
        return None
    if order is None:
        order = chronology(ledger)
    if not order.simple:
        return None
    activities, days = order.activities, order.days
    codes = plan.codes
    if codes is not None and not plan.checked and not {a.category for a in activities} <= codes:
        return None  # a finding to report: the history says it
    _check_work(plan.cycles, order)  # refuses a ledger too much for its cycles
    results: list[CycleVerdict] = []
    statuses: list[Status] = []
    cures: dict[int, dt.date] = {}
    carried: Sequence[Carry] = ()
    carried_total = _NIL
    cured: Mapping[str, Fraction | Decimal] = {}
    met: frozenset[str] = NONE_MET
    ended: dt.date | None = None
    earned = holding.earned
    for step in plan.steps:
        quick = kernel_run(step, order, carried, carried_total, cured, met)
        if quick is None:
            _last_stop.stopped = _Stopped(
                certification, holding, ledger, as_of, plan, tuple(results), cures, carried,
                cured, met,
            )  # fmt: skip
            return None
        result = quick.result
        results.append(result)
        status = result.status
        statuses.append(status)
        if quick.cure_day is not None:
            cures[result.index] = quick.cure_day
        if quick.met:
            met = met | quick.met if met else quick.met
        carried, cured = quick.carried, quick.cured
        carried_total = sum(map(_AMOUNT, carried), _NIL) if carried else _NIL
        if status == "non_compliant":
            ended = plan.ends[len(results) - 1]  # the day this cycle ends the certification
            break
    if codes is not None and plan.checked:
        # The kernel read the categories of the activities in the cycles it answered (a
        # category not of the version sends the ledger to the history): the others.
        low = bisect_left(days, plan.steps[0].claims[0])
        high = bisect_right(days, step.claims[1], lo=low)
        if (low and not {a.category for a in activities[:low]} <= codes) or (
            high < len(days) and not {a.category for a in activities[high:]} <= codes
        ):
            return None
    kept = _outcome_of(plan, earned, as_of, tuple(statuses), cures, ended, results)
    cycles = tuple(results)
    name, unit = certification.id, certification.unit
    return _make_verdict(
        name,
        unit,
        as_of,
        kept[2],
        kept[1],
        cycles,
        _deadlines(kept[3], cycles, name, unit) if kept[3] else (),
        (),
        catalog.data_version(),
    )


def _outcome_of(  # noqa: PLR0917 - what a lifecycle reads, in the order it is kept by
    plan: _VerdictPlan,
    earned: dt.date,
    as_of: dt.date,
    statuses: tuple[Status, ...],
    cures: dict[int, dt.date],
    ended: dt.date | None,
    results: Sequence[CycleVerdict],
) -> tuple[_VerdictPlan, Stage, Status, DeadlinePlan]:
    """What the verdict shows of the lifecycle of ``plan`` for these outcomes (kept).

    The standing on ``as_of``, the overall status and the deadlines but for their words:
    worked out from the first ledger with these statuses, cure days and end, then shared.
    """
    key = (id(plan), earned, statuses, tuple(cures.items()), ended)
    kept = _lifecycles.get_fresh(key)
    if kept is not None and kept[0] is plan:
        return kept
    lifecycle = _Lifecycle(
        grace=plan.grace,
        earned=earned,
        as_of=as_of,
        cures=cures,
        ended=ended,
        cycles=plan.cycles[: len(results)],
    ).stages(results)
    standing = _standing(lifecycle, as_of)
    grace = plan.grace
    deadlines = deadline_plan(
        as_of=as_of,
        standing=standing,
        cycles=results,
        reporting_only=grace is not None and grace.earning == "submission-only",
    )
    return _lifecycles.keep(key, (plan, standing, _overall(results), deadlines))


_OUTSIDE_PARTS: dict[tuple[ReasonCode, Decimal, str, str], Part] = {}
"""Parts of activities outside every cycle, by reason, credit and note (frozen: shared)."""


def _outside_part(reason: ReasonCode, credits: Decimal, note: str) -> Part:
    """``make_part(reason, credits, None, None, note)``, made once per distinct value.

    Kept by the credit's written form too (``2.50`` and ``2.5`` are equal decimals, shown
    apart).
    """
    key = (reason, credits, str(credits), note)
    found = _OUTSIDE_PARTS.get(key)
    if found is None or validating.on:
        found = _keep(_OUTSIDE_PARTS, key, make_part(reason, credits, None, None, note))
    return found


_AMOUNT = itemgetter(2)
"""The amount of carried credit as the kernel keeps it (:data:`~cperules._engine.kernel.Carry`)."""

_DEADLINES_KEPT = 1024
"""Deadlines kept by the deadline plan and the requirement verdicts they read (forgotten
all at once beyond)."""
_deadlines_kept: dict[
    tuple[int, ...],
    tuple[DeadlinePlan, tuple[tuple[RequirementVerdict, ...], ...], tuple[Deadline, ...]],
] = {}


def _deadlines(
    planned: DeadlinePlan, cycles: Sequence[CycleVerdict], name: str, unit: str
) -> tuple[Deadline, ...]:
    """The deadlines of ``planned`` (a verdict plan's, :func:`_outcome_of`) for ``cycles``.

    Their words read only the requirement verdicts of the cycles they are of, which the
    kernel shares between cycles short of the same amounts: the deadlines are kept by
    those (by identity; each entry holds what its key names, so no id is reused while it
    is kept), and written only for requirement verdicts not seen before.
    """
    shown = tuple([cycles[position].requirements for _, _, position in planned])
    key = (id(planned), *map(id, shown))
    found = _deadlines_kept.get(key)
    if found is None:
        deadlines = deadlines_from(planned, cycles, certification=name, unit=unit)
        found = _keep(_deadlines_kept, key, (planned, shown, deadlines), _DEADLINES_KEPT)
    return found[2]


_lifecycles: Bounded[
    tuple[int, dt.date, tuple[Status, ...], tuple[tuple[int, dt.date], ...], dt.date | None],
    tuple[_VerdictPlan, Stage, Status, DeadlinePlan],
] = Bounded(LAYOUTS_KEPT)
"""What a verdict shows of verdict plans' lifecycles, by the holding's earning day and
what the stages read of the cycles' verdicts (their statuses, the days cures were made,
the day the certification ended): the stage in force on the plan's ``as_of``, the overall
status and the deadlines ahead but for their shortfalls (which read nothing more of the
cycles). Many ledgers under one layout share a few."""


def _windows(periods: Iterable[Period]) -> list[tuple[dt.date, dt.date]]:
    """The days of ``periods`` as disjoint (first, last) runs, in order."""
    runs: list[tuple[dt.date, dt.date]] = []
    for period in sorted(periods, key=lambda period: period.start):
        if runs and period.start <= runs[-1][1] + _ONE_DAY:
            runs[-1] = (runs[-1][0], max(runs[-1][1], period.end))
        else:
            runs.append((period.start, period.end))
    return runs


def _within(
    day: dt.date, runs: Sequence[tuple[dt.date, dt.date]], starts: Sequence[dt.date]
) -> bool:
    """Whether ``day`` falls in one of ``runs`` (:func:`_windows`; ``starts``: their firsts)."""
    at = bisect_right(starts, day) - 1
    return at >= 0 and day <= runs[at][1]


def _check_work(cycles: Sequence[Cycle], order: Chronology) -> None:
    """Refuse, before evaluating, cycles that hold more activities than MAX_CYCLE_ACTIVITIES.

    ``activities`` are sorted by completion date. Each cycle is evaluated on the
    activities completed in it or its grace window, so overlapping cycles (rolling
    windows) see an activity more than once. A cycle holds at most the whole ledger's
    size: where that many in each cycle is within the limit (most ledgers), nothing is
    counted.
    """
    if order.size * len(cycles) <= MAX_CYCLE_ACTIVITIES:
        return
    days = order.days
    whole = len(days) == order.size  # one category each: the count is the size
    sizes = None if whole else [weight(activity) for activity in order.activities]
    total = 0
    for cycle in cycles:
        last = cycle.grace.end if cycle.grace is not None else cycle.period.end
        low, high = bisect_left(days, cycle.period.start), bisect_right(days, last)
        total += high - low if sizes is None else sum(sizes[low:high])
    if total > MAX_CYCLE_ACTIVITIES:
        raise ArgumentError(
            f"ledger: its activities fall {total} times in the {len(cycles)} cycles up to "
            f"as_of, beyond the {MAX_CYCLE_ACTIVITIES} cperules evaluates (each activity "
            "counts once for each cycle or grace window it falls in, and once per category "
            "it names); evaluate an earlier as_of, or fewer activities",
            code="beyond-limits",
        )


def _overall(cycles: Sequence[CycleResult | CycleVerdict]) -> Status:
    """Non-compliant if any cycle is, else in grace if any cycle is, else the governing one's."""
    statuses = {cycle.status for cycle in cycles}
    worst: tuple[Status, ...] = ("non_compliant", "in_grace")
    return next((status for status in worst if status in statuses), cycles[-1].status)
