"""Evaluate a holding's ledger over its history of cycles.

Every cycle from the first to the one governing ``as_of`` is evaluated in order, so
carried credit and grace cures flow forward. Within a cycle, activities are screened
(claimed credit, valuation, exclusions, categories) and the remaining credit is
allocated holder-optimally (:mod:`cperules._engine`).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from dateutil.relativedelta import relativedelta

from cperules import catalog
from cperules._engine.allocation import (
    Allocation,
    Entry,
    Hypothetical,
    Limit,
    Requirement,
    Source,
    allocate,
    limits_for,
    requirements_for,
)
from cperules.credits import Conversion, exact, to_decimal
from cperules.cycles import Cycle, CycleSpec, Period
from cperules.days import check_day
from cperules.errors import PolicyError, did_you_mean
from cperules.holders import Holding, RenewalEvent, require_holding
from cperules.ledger import Activity, ActivityKind, Delivery, Ledger, require_ledger
from cperules.policy import Certification, PolicyVersion
from cperules.results import (
    ActivityOutcome,
    CarriedCredit,
    CycleResult,
    Evaluation,
    Finding,
    Need,
    Part,
    ReasonCode,
    RequirementResult,
    Stage,
    Status,
)
from cperules.rules import Minimum, Prerequisite, RenewalPath, RepeatExclusion
from cperules.selectors import deliveries_named, kinds_named, topics_named

__all__ = ["evaluate"]

_ONE_DAY = dt.timedelta(days=1)


def evaluate(holding: Holding, ledger: Ledger, *, as_of: dt.date) -> Evaluation:
    """Evaluate ``ledger`` for ``holding`` as it stands on ``as_of``.

    ``holding.certification`` is a :class:`~cperules.policy.Certification`, or an id or
    alias that the bundled catalog resolves (``"isc2/cissp"``, ``"CISSP"``).

    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> from cperules import (Activity, AnniversaryCycle, Certification, Holding, Ledger,
    ...                       PolicyVersion)
    >>> from cperules.rules import Minimum
    >>> policy = PolicyVersion(effective_from=dt.date(2000, 1, 1),
    ...                        cycle=AnniversaryCycle(years=1),
    ...                        rules=(Minimum(id="total", credits=Decimal(20)),))
    >>> cert = Certification(id="demo/cert", name="Demo", body="Demo", unit="CPE",
    ...                      versions=(policy,))
    >>> ledger = Ledger([Activity(id="c1", title="Course", completed=dt.date(2024, 5, 1),
    ...                           credits=Decimal(12))])
    >>> result = evaluate(Holding(certification=cert, earned=dt.date(2024, 1, 1)), ledger,
    ...                   as_of=dt.date(2024, 6, 30))
    >>> result.status, result.cycles[-1].requirement("total").shortfall
    ('in_progress', Decimal('8'))
    """
    holding = require_holding(holding)
    ledger = require_ledger(ledger)
    as_of = check_day(as_of, "as_of")
    certification = _resolve(holding)
    return _History(certification, holding, ledger, as_of).run()


def _layout(spec: CycleSpec) -> CycleSpec:
    """A cycle spec without its citation: versions may cite the same layout differently."""
    return spec if spec.source is None else spec.model_copy(update={"source": None})


def _resolve(holding: Holding) -> Certification:
    if isinstance(holding.certification, Certification):
        return holding.certification
    return catalog.get(holding.certification)


@dataclass(frozen=True, slots=True)
class _Problem:
    """One cycle's allocation problem, kept for planning."""

    cycle: Cycle
    version: PolicyVersion
    entries: Sequence[Entry]
    requirements: Sequence[Requirement]
    limits: Sequence[Limit]


@dataclass(slots=True)
class _Screened:
    """An activity's claim in one cycle: its credit, entries to allocate, and other parts."""

    activity: Activity
    conversion: Conversion
    value: Fraction
    valued_by: str | None
    entries: list[Entry] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)


class _History:
    """The state carried from cycle to cycle while evaluating one holding."""

    def __init__(
        self,
        certification: Certification,
        holding: Holding,
        ledger: Ledger,
        as_of: dt.date,
        withheld: Mapping[str, str] | None = None,
    ) -> None:
        self.certification = certification
        self.holding = holding
        self.ledger = ledger
        self.as_of = as_of
        # Activities a portfolio assigned to other holdings, with where they went.
        self.withheld: Mapping[str, str] = withheld or {}
        self.spec = certification.version_on(holding.earned).cycle
        self.cycles: list[Cycle] = list(self.spec.cycles(holding, as_of=as_of))
        self.activities = sorted(ledger, key=lambda a: (a.completed, a.id))
        self.met_before: set[str] = set()
        self.problems: dict[int, _Problem] = {}
        self.eligible: set[str] = set()  # activities that could count, before any cap
        self.cures: dict[int, dt.date] = {}  # cycle index -> day it was cured in grace
        self.used_events: set[RenewalEvent] = set()
        self.ended: dt.date | None = None  # the day the certification expired or lapsed
        self._category_paths: dict[dt.date, dict[str, tuple[str, ...]]] = {}

    def again(self, ledger: Ledger) -> Evaluation:
        """The same evaluation over another ledger (for ``what_if``)."""
        return _History(self.certification, self.holding, ledger, self.as_of, self.withheld).run()

    def _paths(self, version: PolicyVersion) -> dict[str, tuple[str, ...]]:
        """The version's category paths, worked out once per evaluation."""
        paths = self._category_paths.get(version.effective_from)
        if paths is None:
            paths = self._category_paths[version.effective_from] = version.category_paths()
        return paths

    def run(self) -> Evaluation:
        results: list[CycleResult] = []
        carried: list[tuple[Entry, CarriedCredit]] = []
        cured: dict[str, Fraction] = {}
        index = 0
        while index < len(self.cycles):
            result, carried, cured = self._renewal_cycle(index, carried, cured)
            results.append(result)
            if result.status == "non_compliant":
                # The certification has expired or lapsed: no later cycle exists.
                grace = self.cycles[index].grace
                self.ended = (grace.end if grace is not None else result.due) + _ONE_DAY
                del self.cycles[index + 1 :]
                break
            index += 1
        outside = self._outside(cured if self.ended is not None else {})
        status = _overall(results)
        evaluation = Evaluation(
            certification=self.certification.id,
            unit=self.certification.unit,
            holding=self.holding.model_copy(update={"certification": self.certification.id}),
            as_of=self.as_of,
            status=status,
            cycles=tuple(results),
            outside=tuple(outside),
            lifecycle=self._lifecycle(results),
            data_version=catalog.data_version(),
        )
        evaluation._bind(self)
        return evaluation

    # --- renewal events and the lifecycle ----------------------------------------------

    def _renewal_cycle(
        self,
        index: int,
        carried: list[tuple[Entry, CarriedCredit]],
        cured: dict[str, Fraction],
    ) -> tuple[CycleResult, list[tuple[Entry, CarriedCredit]], dict[str, Fraction]]:
        """Evaluate cycle ``index``, then apply any renewal event (re-laying later cycles)."""
        cycle = self.cycles[index]
        version = self._version(cycle)
        met_before = set(self.met_before)
        result, carried_out, cure_used = self._cycle(cycle, version, carried, cured)
        renewal = self._renewal(cycle, version, result)
        if renewal is not None:
            event, path = renewal
            if path.realign and event.date <= cycle.due:
                # The event starts the next cycle: this one ends the day before it.
                cut = self.spec.cut(cycle, event.date - _ONE_DAY)
                self.met_before = set(met_before)
                cut_result, cut_carried, cut_cure = self._cycle(cut, version, carried, cured)
                if path.credits is None or cut_result.counted >= path.credits:
                    self.cycles[index] = cycle = cut
                    result, carried_out, cure_used = cut_result, cut_carried, cut_cure
                else:  # the credit the path needs was earned only after the event
                    self.met_before = set(met_before)
                    result, carried_out, cure_used = self._cycle(cycle, version, carried, cured)
                    renewal = None
        if renewal is not None:
            event, path = renewal
            self.used_events.add(event)
            if event.date > cycle.due:
                self.cures[cycle.index] = event.date
            result = result.model_copy(update={"status": "compliant", "renewed_by": event})
            if path.realign:
                self.cycles[index + 1 :] = self.spec.restarted(
                    self.holding, event.date, as_of=self.as_of, first_index=cycle.index + 1
                )
        elif not version.renews_by_credit and not cycle.exempt:
            result = result.model_copy(update={"status": self._unmet_status(cycle)})
        return result, carried_out, cure_used

    def _renewal(
        self, cycle: Cycle, version: PolicyVersion, result: CycleResult
    ) -> tuple[RenewalEvent, RenewalPath] | None:
        """The earliest renewal path the holding's events complete for ``cycle``, if any.

        An event counts for a cycle when it falls after the cycle's first day and by its
        end (or by the end of a grace window in which earning is allowed), on or before
        ``as_of``, and was not already used by an earlier cycle.
        """
        if not version.renewal_paths or not self.holding.events:
            return None
        last = cycle.due
        grace = self.spec.grace
        if cycle.grace is not None and grace is not None and grace.earning == "allowed":
            last = cycle.grace.end
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
                    for event in self.holding.events
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
        if cycle.grace is not None and self.as_of in cycle.grace:
            return "in_grace"
        return "non_compliant"

    def _lifecycle(self, results: Sequence[CycleResult]) -> tuple[Stage, ...]:
        """The certification's standing over time, from the cycles' results."""
        window = self.spec.grace.standing if self.spec.grace is not None else "grace"
        stages: list[Stage] = []
        active_from: dt.date | None = self.holding.earned

        def close_active(before: dt.date) -> None:
            if active_from is not None and active_from < before:
                stages.append(Stage(standing="active", start=active_from, end=before - _ONE_DAY))

        for result in results:
            cure = self.cures.get(result.index)
            if result.grace is not None and (cure is not None or result.status == "in_grace"):
                close_active(result.grace.start)
                end = cure if cure is not None else result.grace.end
                note = (
                    f"cured on {cure}"
                    if cure is not None
                    else f"cycle {result.index + 1} ended unmet; it can be cured until {end}"
                )
                stages.append(
                    Stage(
                        standing=window,
                        start=result.grace.start,
                        end=end,
                        cycle=result.index,
                        note=note,
                    )
                )
                if cure is None:
                    return tuple(stages)
                active_from = cure + _ONE_DAY
            elif result.status == "non_compliant":
                assert self.ended is not None
                if result.grace is not None:
                    close_active(result.grace.start)
                    stages.append(
                        Stage(
                            standing=window,
                            start=result.grace.start,
                            end=result.grace.end,
                            cycle=result.index,
                            note=f"cycle {result.index + 1} ended unmet and was not cured",
                        )
                    )
                    standing: Literal["expired", "lapsed"] = "expired"
                else:
                    close_active(self.ended)
                    standing = "lapsed"
                stages.append(
                    Stage(
                        standing=standing,
                        start=self.ended,
                        cycle=result.index,
                        note=f"cycle {result.index + 1} ended unmet"
                        + ("" if result.grace is None else " and its grace window passed"),
                    )
                )
                return tuple(stages)
        assert active_from is not None
        stages.append(Stage(standing="active", start=active_from))
        return tuple(stages)

    # --- routing --------------------------------------------------------------------

    def _version(self, cycle: Cycle) -> PolicyVersion:
        start = max(cycle.period.start, self.holding.earned)
        version = self.certification.version_on(start)
        if _layout(version.cycle) != _layout(self.spec):
            raise PolicyError(
                f"{self.certification.id!r}: the version from {version.effective_from} changes "
                "the cycle spec; cycles are laid out by the version in force when the holding "
                "was earned, and a change of cycle needs a transitional rule",
                code="cycle-spec-changed",
            )
        return version

    def _outside(self, used_in_grace: Mapping[str, Fraction]) -> list[ActivityOutcome]:
        """Outcomes of activities that fall in no evaluated cycle.

        ``used_in_grace`` is the grace-window credit already used by the last cycle before
        the certification ended; only the rest of such an activity is reported here.
        """
        first = self.cycles[0].period.start
        last = self.cycles[-1].period.end
        version = self.certification.version_on(self.holding.earned)
        outcomes = []
        for activity in self.activities:
            reason: ReasonCode
            conversion = activity.claimed(version.measure)
            credits = conversion.credits
            if activity.completed > self.as_of and not activity.hypothetical:
                reason, note = "after-as-of", f"completed after {self.as_of}"
            elif self.ended is not None and activity.completed > last:
                lapsed = self.cycles[-1].grace is None
                reason = "after-expiry"
                note = (
                    f"the certification {'lapsed' if lapsed else 'expired'} on {self.ended}, "
                    "so there is no later cycle for it to count in"
                )
                used = used_in_grace.get(activity.id)
                if used:
                    credits = to_decimal(exact(credits) - used)
                    note += " (the rest was used in the grace window)"
                    if not credits:
                        continue
            elif activity.completed < first:
                reason, note = "before-cycle", f"completed before the first cycle began on {first}"
            elif not any(activity.completed in cycle.period for cycle in self.cycles):
                reason, note = "between-windows", "completed in no renewal window"
            else:
                continue
            outcomes.append(
                ActivityOutcome(
                    activity_id=activity.id,
                    title=activity.title,
                    completed=activity.completed,
                    claimed=conversion.credits,
                    basis=conversion.basis,
                    hypothetical=activity.hypothetical,
                    parts=(Part(reason=reason, credits=credits, note=note),),
                )
            )
        return outcomes

    def _in(self, period: Period) -> list[Activity]:
        """Activities completed in ``period`` by ``as_of`` (hypothetical ones: any time)."""
        return [
            a
            for a in self.activities
            if a.completed in period and (a.completed <= self.as_of or a.hypothetical)
        ]

    # --- one cycle ------------------------------------------------------------------

    def _cycle(
        self,
        cycle: Cycle,
        version: PolicyVersion,
        carried_in: list[tuple[Entry, CarriedCredit]],
        cured: dict[str, Fraction],
    ) -> tuple[CycleResult, list[tuple[Entry, CarriedCredit]], dict[str, Fraction]]:
        window = _carry_window(cycle, version)
        own = [
            self._screen(a, version, source="own", window=window, used=cured.get(a.id))
            for a in self._in(cycle.period)
        ]
        _mark_repeats(own, version, cycle)
        grace: list[_Screened] = []
        if (
            cycle.grace is not None
            and self.spec.grace is not None
            and self.spec.grace.earning == "allowed"
            and self.as_of > cycle.due
        ):
            grace = [
                self._screen(a, version, source="grace", window=None, used=None)
                for a in self._in(cycle.grace)
            ]
        entries = [e for s in own for e in s.entries]
        entries += [e for s in grace for e in s.entries]
        entries += [entry for entry, _ in carried_in]

        requirements = self._requirements(cycle, version)
        limits = limits_for(version.rules, cycle.period, cycle.years)
        self.problems[cycle.index] = _Problem(cycle, version, entries, requirements, limits)
        allocation = allocate(entries, requirements, limits, version.carryover)

        next_period = self._next_period(cycle, version) if window is not None else None
        outcomes, carried_out, cure_used = self._read(
            own,
            grace,
            entries=entries,
            limits=limits,
            allocation=allocation,
            next_period=next_period,
        )
        req_results = self._requirement_results(cycle, requirements, entries, allocation)
        findings = self._findings(cycle, version)
        status = self._status(cycle, req_results, findings)
        self.cures.pop(cycle.index, None)
        if status == "compliant" and cure_used:
            cure = self._cure_day(entries, requirements, limits, version)
            if cure is not None:
                self.cures[cycle.index] = cure
        for req in req_results:
            if req.met and req.required > 0:
                self.met_before.add(req.id)
        result = CycleResult(
            index=cycle.index,
            period=cycle.period,
            due=cycle.due,
            grace=cycle.grace,
            status=status,
            version_from=version.effective_from,
            requirements=tuple(req_results),
            activities=tuple(outcomes),
            carried_in=tuple(credit for _, credit in carried_in),
            carried_out=tuple(credit for _, credit in carried_out),
            findings=tuple(findings),
        )
        return result, carried_out, cure_used

    def _screen(
        self,
        activity: Activity,
        version: PolicyVersion,
        *,
        source: Source,
        window: Period | None,
        used: Fraction | None,
    ) -> _Screened:
        """An activity's claim: conversion, valuation, exclusions, then category entries."""
        conversion = activity.claimed(version.measure)
        valuation = version.credit_value_for(activity)
        value = exact(valuation.value(conversion.credits) if valuation else conversion.credits)
        screened = _Screened(activity, conversion, value, valuation.id if valuation else None)
        if used:
            screened.parts.append(
                Part(
                    reason="cured-previous-cycle",
                    credits=to_decimal(used),
                    note="earned in the grace window and used to complete the previous cycle",
                )
            )
            value -= used
        out = self._screened_out(activity, version, conversion, value)
        if out is not None:
            screened.parts.append(out)
            return screened
        if value == 0:
            if not used:
                screened.parts.append(Part(reason="no-credit", credits=Decimal(0)))
            return screened
        exclusion = version.exclusion_for(activity)
        if exclusion is not None:
            screened.parts.append(
                Part(
                    reason="excluded",
                    credits=to_decimal(value),
                    rule=exclusion.id,
                    note=exclusion.description,
                )
            )
            return screened
        carry = source == "own" and window is not None and activity.completed in window
        day = activity.completed if source == "own" else None
        declared = self._paths(version)
        for share, (options, amount) in enumerate(_shares(activity, declared, value, screened)):
            paths = tuple(declared[o] if o is not None else () for o in options)
            screened.entries.append(
                Entry(activity, amount, options, paths, day, source, share, carry)
            )
            self.eligible.add(activity.id)
        return screened

    def _screened_out(
        self, activity: Activity, version: PolicyVersion, conversion: Conversion, value: Fraction
    ) -> Part | None:
        """Why the activity is out before its value matters (checked in this order)."""
        credits = to_decimal(value)
        if activity.claimed_for and self.certification.id not in activity.claimed_for:
            note = f"claimed only for {', '.join(activity.claimed_for)}"
            return Part(reason="not-claimed-for", credits=credits, note=note)
        elsewhere = self.withheld.get(activity.id)
        if elsewhere is not None:
            return Part(reason="assigned-elsewhere", credits=credits, note=elsewhere)
        if not version.credit_counts:
            return Part(reason="event-only", credits=credits)
        if conversion.below_minimum:
            note = (
                f"{activity.minutes} minutes is below the minimum of "
                f"{version.measure.smallest} credit"
            )
            return Part(reason="below-minimum-duration", credits=Decimal(0), note=note)
        return None

    def _cure_day(
        self,
        entries: Sequence[Entry],
        requirements: Sequence[Requirement],
        limits: Sequence[Limit],
        version: PolicyVersion,
    ) -> dt.date | None:
        """The day grace-window credit first met every requirement (None: not needed)."""

        def met(by: dt.date | None) -> bool:
            chosen = [
                e
                for e in entries
                if e.source != "grace" or (by is not None and e.activity.completed <= by)
            ]
            return not any(allocate(chosen, requirements, limits, version.carryover).shortfall)

        if met(None):
            return None
        days = sorted({e.activity.completed for e in entries if e.source == "grace"})
        return next(day for day in days if met(day))

    def _requirements(self, cycle: Cycle, version: PolicyVersion) -> tuple[Requirement, ...]:
        if cycle.exempt:
            return ()
        renewal = cycle.index + 1
        applies = [
            rule
            for rule in version.rules
            if isinstance(rule, Minimum)
            and rule.recurrence.applies(renewal=renewal, met_before=rule.id in self.met_before)
        ]
        return requirements_for(
            cycle.period, cycle.years, applies=applies, proration=cycle.proration
        )

    def _next_period(self, cycle: Cycle, version: PolicyVersion) -> Period:
        """Where credit carried out of ``cycle`` lands (laid out only if not already known)."""
        if cycle.index + 1 < len(self.cycles):
            following = self.cycles[cycle.index + 1]
        else:
            following = self.spec.cycle_on(self.holding, cycle.due + _ONE_DAY)
        assert version.carryover is not None
        if version.carryover.lands == "first-year":
            return following.years[0]
        return following.period

    def needs(self, index: int) -> tuple[Need, ...]:
        """The least hypothetical credit, per category and topic, that completes cycle ``index``.

        Where the policy has yearly minimums or caps, credit may be asked for in each year
        still to come, due by that year's end.
        """
        problem = self.problems[index]
        cycle, version = problem.cycle, problem.version
        ended = self.as_of > cycle.due
        due = cycle.grace.end if ended and cycle.grace is not None else cycle.due
        day = cycle.due if ended else min(max(self.as_of, cycle.period.start), cycle.due)
        days = {day: due}
        yearly = any(r.scoped for r in problem.requirements) or any(
            limit.scoped for limit in problem.limits
        )
        if yearly and not ended:
            days = {max(year.start, day): year.end for year in cycle.years if year.end >= day}
        codes: list[str | None] = [*self._paths(version)] or [None]
        topics: list[str | None] = [None]
        kinds: list[ActivityKind | None] = [None]
        deliveries: list[Delivery | None] = [None]
        # What requirements ask for, and what caps leave room for, may need a topic, kind
        # or delivery of its own.
        selectors = [r.rule.selector for r in problem.requirements]
        selectors += [limit.rule.selector for limit in problem.limits]
        for selector in selectors:
            topics.extend(sorted(n for n in topics_named(selector) if n not in topics))
            kinds.extend(
                sorted(k for k in kinds_named(selector) - {"credential"} if k not in kinds)
            )
            deliveries.extend(sorted(d for d in deliveries_named(selector) if d not in deliveries))
        templates = []
        for when, code, topic, kind, delivery in itertools.product(
            days, codes, topics, kinds, deliveries
        ):
            activity = Activity(
                id="(needed)",
                title="credit still needed",
                completed=when,
                credits=Decimal(1),
                category=code,
                topics=(topic,) if topic else (),
                kind=kind or "course",
                delivery=delivery,
                approved=True,
            )
            path = self._paths(version)[code] if code is not None else ()
            # Credit that cures an ended cycle is earned in its grace window, so it counts
            # toward the cycle but toward none of its years (as a grace-window claim does).
            templates.append(Hypothetical(activity, code, path, None if ended else when))
        allocation = allocate(
            problem.entries, problem.requirements, problem.limits, version.carryover, templates
        )
        step, smallest = exact(version.measure.step), exact(version.measure.smallest)
        asked: list[Fraction] = []
        for amount in allocation.needed:
            steps = max(0, -((smallest - amount) // step))  # ceiling onto the grid
            asked.append(max(smallest, smallest + steps * step) if amount else Fraction(0))
        if asked != list(allocation.needed):
            # Only rounding can ask for more than needed: the exact optimum is least.
            asked = self._trim(problem, templates, asked, step, smallest)
        needs = []
        for template, amount in zip(templates, asked, strict=True):
            if amount:
                on_grid = amount
                needs.append(
                    Need(
                        credits=to_decimal(on_grid),
                        category=template.option,
                        topic=template.activity.topics[0] if template.activity.topics else None,
                        kind=None if template.activity.kind == "course" else template.activity.kind,
                        delivery=template.activity.delivery,
                        due=days[template.activity.completed],
                    )
                )
        return tuple(needs)

    def _trim(
        self,
        problem: _Problem,
        templates: Sequence[Hypothetical],
        asked: list[Fraction],
        step: Fraction,
        smallest: Fraction,
    ) -> list[Fraction]:
        """Lower each rounded need to the least grid amount that still completes the cycle.

        Rounding the exact optimum up onto the measure's grid can ask for more than
        needed (a quarter credit capped in one category, rounded up to a whole one); each
        need is cut back, one at a time, by a search over its grid points.
        """

        def completes(amounts: Sequence[Fraction]) -> bool:
            extra = [
                Entry(
                    t.activity, amount, (t.option,), (t.path,), t.day, "own" if t.day else "grace"
                )
                for t, amount in zip(templates, amounts, strict=True)
                if amount
            ]
            entries = [*problem.entries, *extra]
            allocation = allocate(
                entries, problem.requirements, problem.limits, problem.version.carryover
            )
            return not any(allocation.shortfall)

        if not any(asked) or not completes(asked):
            return asked  # nothing asked, or no credit can complete it: keep the best effort
        trimmed = list(asked)
        for index, amount in enumerate(asked):
            if not amount:
                continue
            # Grid points below ``amount``: 0, smallest, smallest + step, ...
            low, high = -1, int((amount - smallest) / step)  # k = -1 stands for 0
            while low < high:
                middle = (low + high) // 2
                trimmed[index] = Fraction(0) if middle < 0 else smallest + middle * step
                if completes(trimmed):
                    high = middle
                else:
                    low = middle + 1
            trimmed[index] = Fraction(0) if high < 0 else smallest + high * step
        return trimmed

    # --- reading the allocation -----------------------------------------------------

    def _read(
        self,
        own: Sequence[_Screened],
        grace: Sequence[_Screened],
        *,
        entries: Sequence[Entry],
        limits: Sequence[Limit],
        allocation: Allocation,
        next_period: Period | None,
    ) -> tuple[list[ActivityOutcome], list[tuple[Entry, CarriedCredit]], dict[str, Fraction]]:
        """Turn the allocation into outcomes, credit carried out, and grace credit used.

        Grace-window claims report only what they counted here; the rest of their story
        (and any reason they could not count) belongs to the next cycle.
        """
        claims = {claim.activity.id: claim for claim in (*grace, *own)}
        parts: dict[str, list[Part]] = defaultdict(list)
        for claim in own:
            parts[claim.activity.id].extend(claim.parts)
        activities = {activity_id: claim.activity for activity_id, claim in claims.items()}
        carried_out: list[tuple[Entry, CarriedCredit]] = []
        cure_used: dict[str, Fraction] = defaultdict(Fraction)
        for index, entry in enumerate(entries):
            activities.setdefault(entry.activity.id, entry.activity)
            parts[entry.activity.id].extend(
                _entry_parts(
                    entry,
                    index,
                    allocation=allocation,
                    limits=limits,
                    next_period=next_period,
                    carried_out=carried_out,
                )
            )
            if entry.source == "grace":
                cure_used[entry.activity.id] += allocation.counted_total(index)
        outcomes = [
            _outcome(activities[activity_id], claims.get(activity_id), activity_parts)
            for activity_id, activity_parts in parts.items()
            if activity_parts
        ]
        outcomes.sort(key=lambda o: (o.completed, o.activity_id))
        return outcomes, carried_out, {k: v for k, v in cure_used.items() if v}

    def _requirement_results(
        self,
        cycle: Cycle,
        requirements: Sequence[Requirement],
        entries: Sequence[Entry],
        allocation: Allocation,
    ) -> list[RequirementResult]:
        results = []
        elapsed = _elapsed(cycle.period, self.as_of)
        for req_index, requirement in enumerate(requirements):
            got = Fraction(0)
            contributors: dict[str, None] = {}
            for index, entry in enumerate(entries):
                if requirement.scoped and (
                    entry.day is None or entry.day not in requirement.period
                ):
                    continue
                for option in range(len(entry.options)):
                    kept = allocation.counted[index][option] - allocation.carried[index][option]
                    if kept and allocation.match(requirement.rule.selector, index, entry, option):
                        got += kept
                        contributors[entry.activity.id] = None
            shortfall = allocation.shortfall[req_index]
            results.append(
                RequirementResult(
                    id=requirement.rule.id,
                    description=requirement.rule.description,
                    period=requirement.period,
                    required=to_decimal(requirement.required),
                    counted=to_decimal(got),
                    shortfall=_round_up(shortfall),
                    activities=tuple(contributors),
                    expected_to_date=(
                        to_decimal(requirement.required * elapsed) if elapsed is not None else None
                    ),
                )
            )
        return results

    def _findings(self, cycle: Cycle, version: PolicyVersion) -> list[Finding]:
        findings = [Finding(code="uncertain-reading", message=note) for note in version.uncertain]
        if cycle.exempt:
            return findings
        for rule in version.rules:
            if isinstance(rule, Prerequisite) and not self._prerequisite_met(rule, cycle):
                findings.append(
                    Finding(
                        code="prerequisite-unmet",
                        rule=rule.id,
                        message=rule.description
                        or f"no activity matching {rule.selector!r} is valid on {cycle.due}",
                    )
                )
        return findings

    def _prerequisite_met(self, rule: Prerequisite, cycle: Cycle) -> bool:
        by = min(cycle.due, self.as_of)
        return any(
            a.completed <= by
            and a.valid_until is not None
            and a.valid_until >= cycle.due
            and rule.selector.matches(a)
            for a in self.activities
        )

    def _status(
        self, cycle: Cycle, requirements: Sequence[RequirementResult], findings: Sequence[Finding]
    ) -> Status:
        if cycle.exempt:
            return "exempt"
        if all(r.met for r in requirements) and not any(
            f.code == "prerequisite-unmet" for f in findings
        ):
            return "compliant"
        if self.as_of <= cycle.due:
            return "in_progress"
        if cycle.grace is not None and self.as_of in cycle.grace:
            return "in_grace"
        return "non_compliant"


def _entry_parts(
    entry: Entry,
    index: int,
    *,
    allocation: Allocation,
    limits: Sequence[Limit],
    next_period: Period | None,
    carried_out: list[tuple[Entry, CarriedCredit]],
) -> list[Part]:
    """What became of one entry: counted (or carried in), carried out, capped."""
    parts: list[Part] = []
    counted, carried = allocation.counted[index], allocation.carried[index]
    for option, category in enumerate(entry.options):
        kept = counted[option] - carried[option]
        if kept:
            parts.append(
                Part(
                    reason="carried-in" if entry.source == "carried-in" else "counted",
                    credits=to_decimal(kept),
                    category=category,
                    note="earned in the grace window" if entry.source == "grace" else None,
                )
            )
        if carried[option]:
            assert next_period is not None  # only cycles with a carryover window carry
            credit = CarriedCredit(
                activity_id=entry.activity.id,
                category=category,
                credits=to_decimal(carried[option]),
                lands_in=next_period,
            )
            parts.append(
                Part(
                    reason="carried-out",
                    credits=credit.credits,
                    category=category,
                    note=f"to {next_period}",
                )
            )
            landing = Entry(
                activity=entry.activity,
                amount=carried[option],
                options=(category,),
                paths=(entry.paths[option],),
                day=next_period.start,
                source="carried-in",
                share=entry.share,
            )
            carried_out.append((landing, credit))
    left = entry.amount - allocation.counted_total(index)
    if left and entry.source == "own":
        parts.append(
            Part(
                reason="capped",
                credits=to_decimal(left),
                category=entry.options[0] if len(entry.options) == 1 else None,
                rule=_binding_cap(entry, index, limits, allocation),
            )
        )
    return parts


def _outcome(activity: Activity, claim: _Screened | None, parts: Sequence[Part]) -> ActivityOutcome:
    return ActivityOutcome(
        activity_id=activity.id,
        title=activity.title,
        completed=activity.completed,
        claimed=to_decimal(claim.value) if claim is not None else Decimal(0),
        basis=claim.conversion.basis if claim is not None else "credits",
        valued_by=claim.valued_by if claim is not None else None,
        hypothetical=activity.hypothetical,
        parts=tuple(parts),
    )


def _shares(
    activity: Activity, declared: Mapping[str, object], value: Fraction, screened: _Screened
) -> list[tuple[tuple[str | None, ...], Fraction]]:
    """The activity's credit as (category options, amount) shares; bad categories are parts."""
    if not declared:
        return [((None,), value)]
    if activity.split is not None:
        claimed = exact(sum(activity.split.values(), Decimal(0)))
        split = sorted(activity.split.items())
        shares: list[tuple[tuple[str, ...], Fraction]] = [
            # A split of nothing that a rule values at a fixed amount shares it equally.
            ((code,), exact(amount) * value / claimed if claimed else value / len(split))
            for code, amount in split
        ]
    elif activity.eligible:
        shares = [(activity.eligible, value)]
    elif activity.category is not None:
        shares = [((activity.category,), value)]
    else:
        screened.parts.append(
            Part(
                reason="uncategorised",
                credits=to_decimal(value),
                note="this policy files credit by category and the activity names none",
            )
        )
        return []
    kept: list[tuple[tuple[str | None, ...], Fraction]] = []
    for options, amount in shares:
        known = tuple(code for code in options if code in declared)
        if known:
            kept.append((known, amount))
        else:
            hint = did_you_mean(options[0], declared)
            screened.parts.append(
                Part(
                    reason="unrecognised-category",
                    credits=to_decimal(amount),
                    category=options[0],
                    note=f"not a category of this policy{hint}",
                )
            )
    return kept


def _mark_repeats(own: Sequence[_Screened], version: PolicyVersion, cycle: Cycle) -> None:
    """Later repeats of the same course in one scope lose their entries (reason ``repeat``)."""
    for rule in version.rules:
        if not isinstance(rule, RepeatExclusion):
            continue
        seen: set[tuple[object, str, str]] = set()
        for screened in own:
            activity = screened.activity
            if not screened.entries:
                continue
            scope: object = "cycle"
            if rule.scope == "year":
                scope = next(i for i, year in enumerate(cycle.years) if activity.completed in year)
            key = (
                scope,
                activity.title.strip().casefold(),
                (activity.provider or "").strip().casefold(),
            )
            if key in seen:
                screened.entries.clear()
                screened.parts.append(
                    Part(
                        reason="repeat",
                        credits=to_decimal(screened.value),
                        rule=rule.id,
                        note="the same course was already counted in this period",
                    )
                )
            seen.add(key)


def _binding_cap(
    entry: Entry, index: int, limits: Sequence[Limit], allocation: Allocation
) -> str | None:
    """The first tight cap, in policy order, that covers the entry."""
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


def _carry_window(cycle: Cycle, version: PolicyVersion) -> Period | None:
    carryover = version.carryover
    if carryover is None or cycle.exempt:
        return None
    if carryover.window_months is None:
        return cycle.period
    start = max(
        cycle.period.start, cycle.due + _ONE_DAY - relativedelta(months=carryover.window_months)
    )
    return Period(start=start, end=cycle.due)


def _elapsed(period: Period, as_of: dt.date) -> Fraction | None:
    """The straight-line share of the period gone by on ``as_of`` (None once it is over)."""
    if as_of > period.end or as_of < period.start:
        return None
    return Fraction((as_of - period.start).days + 1, period.days)


def _round_up(value: Fraction) -> Decimal:
    """A shortfall rounded up to 6 places, so a fraction of a credit is never hidden."""
    decimal = to_decimal(value)
    return decimal if exact(decimal) == value else decimal + Decimal("0.000001")


def _overall(cycles: Sequence[CycleResult]) -> Status:
    """Non-compliant if any cycle is, else in grace if any cycle is, else the governing one's."""
    statuses = {cycle.status for cycle in cycles}
    worst: tuple[Status, ...] = ("non_compliant", "in_grace")
    return next((status for status in worst if status in statuses), cycles[-1].status)
