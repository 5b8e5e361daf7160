"""The verdict kernel: one cycle's verdict from credit totals, where totals decide it.

The general cycle evaluation (:func:`cperules._engine.cycle.evaluate_cycle`) screens every
activity into allocation entries and solves the allocation entry by entry. A verdict
needs less: each requirement's shortfall, the credit counted, carried out and used from a
grace window. Where the policy version and the ledger have the kernel's shape, those
follow from the credit of each *kind* added up (its category, and the topics, delivery,
kind or approval the rules read), and the kernel computes them in one pass, in decimals:

- the version: every minimum, cap and the carryover select by category, topic, delivery,
  kind or approval, over the whole cycle (no yearly scope), no cap takes a share; no
  credit values, exclusions, repeat exclusions or prerequisites; credit counts; the
  cycle has no early window;
- the ledger is simple (:attr:`cperules.ledger.Chronology.simple`): every activity gives
  credits under at most one category (a declared one, where the policy declares any),
  claims no particular certification, is not hypothetical; no portfolio withheld any;
- the cycle's own (and carried-in) credit leaves no choice: every cap that binds covers
  one kind of credit (one signature: the same minimums, caps and right to carry), none
  of which may carry; the credit that may carry over is of one kind.

That is the case the allocation's direct path (``_without_choice`` and ``_grace_unneeded``
in :mod:`cperules._engine.allocation`) solves without a program, read the same way:
earlier credit counts first, later credit carries first. Grace-window credit that would
cure the cycle is chosen directly where the shortfalls nest (:func:`_chain_cure`), else
by the allocation on the cycle's credit added up by kind (:func:`_cured`). Anything else
returns ``None`` and the cycle is evaluated in full. The property tests check the
kernel's verdicts equal the full evaluation's in every field, on generated policies, on
every bundled entry it serves and on CISSP ledgers rich in grace-window credit
(``tests/properties/test_verdict_kernel.py``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from cperules._engine.allocation import Entry, Limit, Requirement, allocate
from cperules._engine.compiled import Bounded, compiled
from cperules._engine.cure import cure_day
from cperules._model import trusted
from cperules.credits import exact, round_up, to_decimal
from cperules.cycles import Cycle, Period
from cperules.ledger import Activity
from cperules.policy import PolicyVersion
from cperules.results import CarriedCredit, Status
from cperules.rules import Prerequisite
from cperules.selectors import (
    Everything,
    HasCategory,
    HasDelivery,
    HasKind,
    HasTopic,
    IsApproved,
    Selector,
    leaves,
)
from cperules.verdicts import CycleVerdict, RequirementVerdict

__all__ = ["KernelCycle", "kernel_cycle", "kernel_ready"]

_ZERO = Decimal(0)

_Signature = tuple[tuple[int, ...], tuple[int, ...], bool]
"""The minimums (indices) a kind of credit serves, the caps over it, whether it may carry."""


_READS: dict[type[Selector], str | None] = {
    HasCategory: None,  # the category path the engine passes
    Everything: None,
    HasTopic: "topics",
    HasDelivery: "delivery",
    HasKind: "kind",
    IsApproved: "approved",
}
"""Selector leaves the kernel serves, and the activity field each reads besides the path."""


def _reads(selectors: Sequence[Selector]) -> tuple[str, ...] | None:
    """The activity fields ``selectors`` read besides the category path (None: others)."""
    fields: set[str] = set()
    for selector in selectors:
        for leaf in leaves(selector):
            if type(leaf) not in _READS:
                return None
            field = _READS[type(leaf)]
            if field is not None:
                fields.add(field)
    return tuple(sorted(fields))


_ready: Bounded[int, tuple[PolicyVersion, tuple[str, ...] | None]] = Bounded(256)


def kernel_reads(version: PolicyVersion) -> tuple[str, ...] | None:
    """The activity fields ``version``'s rules read besides categories.

    None if its rules do not have the kernel's form (see the module doc).
    """
    found = _ready.get_fresh(id(version))
    if found is not None and found[0] is version:
        return found[1]
    policy = compiled(version)
    selectors = [rule.selector for rule in policy.minimums]
    selectors += [rule.selector for rule in policy.caps]
    if version.carryover is not None:
        selectors.append(version.carryover.selector)
    reads = _reads(selectors)
    ready = (
        reads is not None
        and policy.credit_counts
        and not policy.credit_values
        and not policy.exclusions
        and not policy.repeats
        and not any(isinstance(rule, Prerequisite) for rule in version.rules)
        and all(rule.scope == "cycle" for rule in policy.minimums)
        and all(rule.scope == "cycle" for rule in policy.caps)
        and all(cap.share is None for cap in policy.caps)
    )
    _ready.keep(id(version), (version, reads if ready else None))
    return reads if ready else None


def kernel_ready(version: PolicyVersion) -> bool:
    """Whether ``version``'s rules have the kernel's form (see the module doc)."""
    return kernel_reads(version) is not None


@dataclass(frozen=True, slots=True)
class KernelCycle:
    """A cycle's verdict from the kernel, with what the history carries on.

    ``cure_used`` is the grace-window credit used to cure it, by activity id, and
    ``cure_day`` the day that credit first met every minimum (None: not cured by it).
    """

    result: CycleVerdict
    carried_out: list[tuple[Entry, CarriedCredit]]
    met: frozenset[str]
    eligible: frozenset[str]
    cure_used: dict[str, Fraction]
    cure_day: dt.date | None


class _Kinds:
    """The signatures of credit under one cycle's rule instances, worked out once per kind.

    A kind of credit is its category (None where the policy declares none) and the
    fields the rules read besides it (:func:`kernel_reads`): credit of one kind falls
    under the same minimums and caps and may carry alike. :meth:`of` gives a kind's
    signature outside the carry window and, if its credit may carry, inside it.
    ``required`` holds each minimum's required credit as a decimal (None if one is not
    a decimal), ``shown`` as results show it.
    """

    __slots__ = (
        "by_key",
        "carryover",
        "limits",
        "paths",
        "reads",
        "required",
        "requirements",
        "shown",
    )

    def __init__(
        self,
        requirements: Sequence[Requirement],
        limits: Sequence[Limit],
        version: PolicyVersion,
    ) -> None:
        self.requirements = requirements
        self.limits = limits
        self.carryover = version.carryover
        self.paths = compiled(version).paths
        self.reads = kernel_reads(version) or ()
        self.by_key: dict[object, tuple[_Signature, _Signature | None]] = {}
        self.shown = [to_decimal(req.required) for req in requirements]
        amounts = [_amount(req.required) for req in requirements]
        self.required: list[Decimal] | None = (
            None if any(a is None for a in amounts) else [a or _ZERO for a in amounts]
        )

    def code(self, activity: Activity) -> str | None:
        """The category the activity's credit is filed under (None: the policy has none)."""
        return activity.category if self.paths else None

    def path(self, code: str | None) -> tuple[str, ...]:
        """The category path of ``code`` (empty for no category)."""
        return () if code is None else self.paths[code]

    def of(
        self, activity: Activity, code: str | None
    ) -> tuple[_Signature, _Signature | None] | None:
        """The signatures of ``activity``'s credit under ``code`` (None: not a category)."""
        key: object = (
            code if not self.reads else (code, *(getattr(activity, f) for f in self.reads))
        )
        found = self.by_key.get(key)
        if found is None:
            if self.paths and code not in self.paths:
                return None
            path = self.path(code)
            reqs = tuple(
                r
                for r, req in enumerate(self.requirements)
                if req.rule.selector.matches(activity, categories=path)
            )
            caps = tuple(
                c
                for c, limit in enumerate(self.limits)
                if limit.rule.selector.matches(activity, categories=path)
            )
            carries = self.carryover is not None and self.carryover.selector.matches(
                activity, categories=path
            )
            found = self.by_key[key] = (
                (reqs, caps, False),
                (reqs, caps, True) if carries else None,
            )
        return found


_kinds: Bounded[tuple[int, int], _Kinds] = Bounded(4096)


def _kinds_for(
    requirements: Sequence[Requirement], limits: Sequence[Limit], version: PolicyVersion
) -> _Kinds:
    key = (id(requirements), id(limits))
    found = _kinds.get_fresh(key)
    if found is not None and found.requirements is requirements and found.limits is limits:
        return found
    return _kinds.keep(key, _Kinds(requirements, limits, version))


def _plain(value: Decimal) -> Decimal:
    """An exact decimal written as the full path writes it: ``to_decimal(exact(value))``.

    That is, with no trailing zeros after the point and no exponent (``92.50`` is
    ``92.5``, ``120.00`` is ``120``); a property test checks the two agree.
    """
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def _amount(value: Fraction | Decimal) -> Decimal | None:
    """``value`` as an exact decimal, or None."""
    if isinstance(value, Decimal):
        return value
    decimal = to_decimal(value)
    return decimal if exact(decimal) == value else None


def kernel_cycle(  # noqa: PLR0911, PLR0912, PLR0915 - one pass, each early return a shape it leaves to the full path
    cycle: Cycle,
    version: PolicyVersion,
    *,
    own: Sequence[Activity],
    grace: Sequence[Activity],
    carried_in: Sequence[tuple[Entry, CarriedCredit]],
    cured: Mapping[str, Fraction],
    withheld: bool,
    simple: bool,
    requirements: Sequence[Requirement],
    limits: Sequence[Limit],
    window: Period | None,
    next_period: Period | None,
    judge: Judge,
) -> KernelCycle | None:
    """The cycle's verdict when it has the no-choice shape (module doc); else None.

    ``own`` are the activities completed in the cycle's claim period by ``as_of``,
    ``grace`` those in its cure window (empty when none can count), ``window`` the
    carryover earning window, ``next_period`` where carried credit lands, ``withheld``
    whether a portfolio withheld any activity, ``simple`` whether the ledger is simple
    (:attr:`cperules.ledger.Chronology.simple`). ``judge`` gives the status from the
    requirement verdicts (the full path's own judgement).
    """
    if not simple or withheld or cycle.early is not None or not kernel_ready(version):
        return None
    if any(req.scoped for req in requirements) or any(limit.scoped for limit in limits):
        return None
    kinds = _kinds_for(requirements, limits, version)
    if kinds.required is None:
        return None
    by_key = kinds.by_key
    simple_keys = not kinds.reads and bool(kinds.paths)
    available: dict[_Signature, Decimal] = {}
    first: dict[_Signature, tuple[Activity, str | None]] = {}  # each kind's earliest credit
    carriers: list[_Carrier] = []
    eligible: set[str] = set()
    opens, closes = (window.start, window.end) if window is not None else (None, None)
    for activity in own:  # each gives credits under at most one category (a simple ledger)
        code = activity.category if kinds.paths else None
        found = by_key.get(code) if simple_keys else None
        if found is None:
            found = kinds.of(activity, code)
            if found is None:
                return None  # not a category of this policy: the full path says so
        credits = activity.credits
        assert credits is not None
        if cured:
            used = cured.get(activity.id)
            if used:
                spent = _amount(used)
                if spent is None:
                    return None
                credits -= spent
        if not credits:
            continue
        eligible.add(activity.id)
        signature, carrying = found
        if (
            carrying is not None
            and opens is not None
            and closes is not None
            and opens <= activity.completed <= closes
        ):
            signature = carrying
            carriers.append(((activity.completed, activity.id), activity, code, credits))
        available[signature] = available.get(signature, _ZERO) + credits
        if signature not in first:
            first[signature] = (activity, code)
    carried_total_in = _ZERO
    for entry, credit in carried_in:
        code = entry.options[0] if len(entry.options) == 1 else None
        found = kinds.of(entry.activity, code)
        amount = _amount(entry.amount)
        if found is None or amount is None:
            return None
        carried_total_in += credit.credits
        signature = found[0]
        available[signature] = available.get(signature, _ZERO) + amount
        if signature not in first:
            first[signature] = (entry.activity, code)
    grace_credit: list[tuple[Activity, _Signature]] = []
    for activity in grace:
        found = kinds.of(activity, kinds.code(activity))
        if found is None:
            return None
        if activity.credits:
            grace_credit.append((activity, found[0]))
    direct = _direct(available, kinds.required, limits)
    if direct is None:
        return None
    allowed, got, short = direct.allowed, direct.got, direct.short
    required = kinds.required
    eligible.update(activity.id for activity, _ in grace_credit)
    carried_kinds = {signature[0] for signature in allowed if signature[2]}
    if len(carried_kinds) > 1:
        return None  # carrying one kind or another is a choice
    if grace_credit and any(short):
        # Grace-window credit would cure the cycle: which of it counts is the
        # allocation's choice: made directly where the shortfalls nest (a chain), else
        # on the cycle's credit added up by kind.
        cure = (
            None
            if direct.pooled
            else _chain_cure(grace_credit, allowed, short, limits, carried_kinds)
        )
        if cure is not None:
            cure_used, total, remaining, cured_on = cure
            result, met = _result(
                cycle,
                version,
                requirements,
                kinds,
                short=[_plain(gap) for gap in remaining],
                counted=_plain(direct.counted + total),
                carried_in=carried_total_in,
                carried_out=_ZERO,
                grace_counted=_plain(total),
                judge=judge,
            )
            if result.status != "compliant":
                cured_on = None
            return KernelCycle(result, [], met, frozenset(eligible), cure_used, cured_on)
        return _cured(
            cycle,
            version,
            available=available,
            first=first,
            grace=grace_credit,
            carriers=carriers,
            carried_total_in=carried_total_in,
            requirements=requirements,
            kinds=kinds,
            limits=limits,
            next_period=next_period,
            judge=judge,
            eligible=frozenset(eligible),
        )
    spare = _ZERO
    if carried_kinds:
        spare = sum((amount for signature, amount in allowed.items() if signature[2]), _ZERO)
        (kind,) = carried_kinds
        for r in kind:
            spare = min(spare, max(_ZERO, got[r] - required[r]))
        carryover = version.carryover
        if carryover is not None and carryover.cap is not None:
            spare = min(spare, carryover.cap)
    carried_out = _carry(spare, carriers, kinds, next_period)
    counted = direct.counted - spare
    result, met = _result(
        cycle,
        version,
        requirements,
        kinds,
        short=[_plain(gap) for gap in short],
        counted=_plain(counted),
        carried_in=carried_total_in,
        carried_out=_plain(spare),
        grace_counted=_ZERO,
        judge=judge,
    )
    return KernelCycle(result, carried_out, met, frozenset(eligible), {}, None)


@dataclass(slots=True)
class _Unit:
    """Credit counted together: one kind, or kinds a binding cap pooled (same minimums)."""

    kinds: frozenset[_Signature]
    amount: Decimal
    reqs: tuple[int, ...]
    carries: bool


@dataclass(frozen=True, slots=True)
class _Direct:
    """The cycle's own credit counted directly.

    Attributes:
        allowed: What each kind counts, for kinds no binding cap pooled with others.
        got: Each minimum's credit.
        short: Each minimum's shortfall.
        counted: All the credit counted.
        pooled: Whether a binding cap pooled several kinds (which of them it admits is
            left open: it changes no total, since they serve the same minimums).
    """

    allowed: dict[_Signature, Decimal]
    got: list[Decimal]
    short: list[Decimal]
    counted: Decimal
    pooled: bool


def _direct(
    available: Mapping[_Signature, Decimal],
    required: Sequence[Decimal],
    limits: Sequence[Limit],
) -> _Direct | None:
    """Each kind's counted credit, each minimum's credit and shortfall, all counted.

    Every kind counts all of it, up to the caps, inner caps first. A binding cap over
    kinds that serve the same minimums and may not carry admits its bound of them
    together: which of them fills it changes no minimum's credit. None where a cap that
    binds leaves a real choice (kinds serving different minimums, or credit that may
    carry) or the caps do not nest.
    """
    units = [_Unit(frozenset((s,)), a, s[0], s[2]) for s, a in available.items()]
    allowed = dict(available)
    pooled = False
    covers = [frozenset(s for s in available if c in s[1]) for c in range(len(limits))]
    for c in sorted(range(len(limits)), key=lambda c: len(covers[c])):
        covered = covers[c]
        if not covered:
            continue
        inside = [unit for unit in units if unit.kinds <= covered]
        if any(unit.kinds & covered and not unit.kinds <= covered for unit in units):
            return None  # caps that overlap without nesting
        bound = limits[c].rule.credits or _ZERO
        if sum((unit.amount for unit in inside), _ZERO) <= bound:
            continue
        if any(unit.carries for unit in inside) or len({unit.reqs for unit in inside}) != 1:
            return None  # a choice between kinds of credit, or capped credit that may carry
        if len(inside) == 1 and len(inside[0].kinds) == 1:
            (kind,) = inside[0].kinds
            allowed[kind] = inside[0].amount = bound
            continue
        merged = _Unit(frozenset().union(*(u.kinds for u in inside)), bound, inside[0].reqs, False)
        units = [unit for unit in units if unit not in inside]
        units.append(merged)
        for kind in merged.kinds:
            allowed.pop(kind, None)
        pooled = True
    got = [_ZERO] * len(required)
    for unit in units:
        for r in unit.reqs:
            got[r] += unit.amount
    short = [max(_ZERO, need - have) for need, have in zip(required, got, strict=True)]
    counted = sum((unit.amount for unit in units), _ZERO)
    return _Direct(allowed, got, short, counted, pooled)


_Carrier = tuple[tuple[dt.date, str], Activity, str | None, Decimal]
"""Credit that may carry out: its order key, activity, category and amount."""


def _carry(
    spare: Decimal,
    carriers: list[_Carrier],
    kinds: _Kinds,
    next_period: Period | None,
) -> list[tuple[Entry, CarriedCredit]]:
    """``spare`` credit carried out, later credit first, listed in date order."""
    carried_out: list[tuple[Entry, CarriedCredit]] = []
    if not spare:
        return carried_out
    assert next_period is not None  # only a cycle with a carry window has carriers
    carriers.sort(key=lambda carrier: carrier[0], reverse=True)
    for _, activity, code, credits in carriers:
        if not spare:
            break
        take = min(credits, spare)
        spare -= take
        amount = exact(take)
        landing = Entry(
            activity=activity,
            amount=amount,
            options=(code,),
            paths=(kinds.path(code),),
            day=next_period.start,
            source="carried-in",
        )
        credit = trusted(
            CarriedCredit,
            activity_id=activity.id,
            category=code,
            credits=to_decimal(amount),
            lands_in=next_period,
        )
        carried_out.append((landing, credit))
    carried_out.reverse()
    return carried_out


Judge = Callable[[Cycle, Sequence[RequirementVerdict]], Status]
"""The cycle's status from its requirement verdicts (the full path's own judgement)."""


def _result(
    cycle: Cycle,
    version: PolicyVersion,
    requirements: Sequence[Requirement],
    kinds: _Kinds,
    *,
    short: Sequence[Decimal],
    counted: Decimal,
    carried_in: Decimal,
    carried_out: Decimal,
    grace_counted: Decimal,
    judge: Judge,
) -> tuple[CycleVerdict, frozenset[str]]:
    """The cycle's verdict (built as the full path builds it) and the minimums it met.

    Amounts come in as the full path writes them (:func:`_plain`, or ``to_decimal`` and
    ``round_up`` of fractions).
    """
    verdicts = tuple(
        trusted(
            RequirementVerdict,
            id=req.rule.id,
            period=req.period,
            required=shown,
            shortfall=gap,
        )
        for req, shown, gap in zip(requirements, kinds.shown, short, strict=True)
    )
    result = trusted(
        CycleVerdict,
        index=cycle.index,
        period=cycle.period,
        due=cycle.due,
        grace=cycle.grace,
        suspension=cycle.suspension,
        status=judge(cycle, verdicts),
        version_from=version.effective_from,
        requirements=verdicts,
        counted=counted,
        carried_in=carried_in,
        carried_out=carried_out,
        grace_counted=grace_counted,
    )
    met = frozenset(
        req.rule.id
        for req, gap in zip(requirements, short, strict=True)
        if not gap and req.required > 0
    )
    return result, met


def _chain_cure(
    graced: Sequence[tuple[Activity, _Signature]],
    allowed: Mapping[_Signature, Decimal],
    short: Sequence[Decimal],
    limits: Sequence[Limit],
    carried_kinds: set[tuple[int, ...]],
) -> _Cure | None:
    """The grace-window credit that counts toward the ended cycle, chosen directly.

    Direct (else None) when the minimums still short nest as the grace-window credit
    serves them: each kind of it serves an upper part of one chain of them (CISSP:
    Group A serves both minimums, Group B only the total), and a cap over it covers no
    other kind or does not bind. Then, with ``E_r`` the credit minimum ``r`` may draw on
    (nested sets) and ``t_r`` the least of its shortfall and all ``E_r`` can give, the
    allocations with the least shortfall are those giving each ``r`` at least ``t_r``;
    the least grace-window credit among them is the largest ``t_r``; and the allocation's
    tie-break (a weight falling with the date) over those is met by taking, in date
    order, the most of each activity that still lets the rest reach every ``t_r`` within
    that total: nested lower bounds and caps per kind make a g-polymatroid, on whose
    bases the greedy choice is optimal for any weights falling with the date. Credit
    short of a minimum the carry kind serves carries nothing (carrying would add to that
    shortfall or break the cure), so a cycle with credit that may carry is direct only
    when every short minimum is in the carry kind.
    """
    gaps = {r: gap for r, gap in enumerate(short) if gap}
    if carried_kinds and not all(r in kind for kind in carried_kinds for r in gaps):
        return None
    room = _grace_room(graced, allowed, limits)
    if room is None:
        return None
    serves = {signature: frozenset(r for r in signature[0] if r in gaps) for _, signature in graced}
    supply = _supply(graced, room)
    target = {
        r: min(gap, sum((a for sig, a in supply.items() if r in serves[sig]), _ZERO))
        for r, gap in gaps.items()
    }
    needs = {r: t for r, t in target.items() if t}
    chain = sorted(
        {frozenset(r for r in served if r in needs) for served in serves.values()} - {frozenset()},
        key=len,
    )
    if any(not small <= large for small, large in itertools.pairwise(chain)):
        return None  # the shortfalls do not nest
    total = max(needs.values(), default=_ZERO)
    used = _greedy(graced, serves, needs, room, total)
    if used is None:
        return None
    remaining = [gap - target.get(r, _ZERO) for r, gap in enumerate(short)]
    cured_on = None
    if used and not any(remaining):
        days = sorted({activity.completed for activity, _ in graced})
        cured_on = next(
            day
            for day in days
            if _reaches(gaps, serves, _supply([g for g in graced if g[0].completed <= day], room))
        )
    return used, total, remaining, cured_on


_Cure = tuple[dict[str, Fraction], Decimal, list[Decimal], dt.date | None]
"""Grace-window credit used by activity id, its total, each minimum's shortfall left,
and the day the cycle was cured (None: not cured)."""


def _greedy(
    graced: Sequence[tuple[Activity, _Signature]],
    serves: Mapping[_Signature, frozenset[int]],
    needs: Mapping[int, Decimal],
    room: Mapping[_Signature, Decimal | None],
    total: Decimal,
) -> dict[str, Fraction] | None:
    """In date order, the most of each activity that still lets the rest reach ``needs``.

    Within ``total`` in all; None if the pass does not reach them (not expected).
    """
    budget = total
    need = dict(needs)
    left = dict(room)
    used: dict[str, Fraction] = {}
    for activity, signature in graced:  # in date order (then id)
        served = serves[signature]
        if not budget or not any(r in needs for r in served):
            continue
        take = min(activity.credits or _ZERO, budget)
        bound = left[signature]
        if bound is not None:
            take = min(take, bound)
        for r, gap in need.items():
            if r not in served:
                take = min(take, budget - max(gap, _ZERO))
        if take <= 0:
            continue
        used[activity.id] = exact(take)
        budget -= take
        if bound is not None:
            left[signature] = bound - take
        for r in served:
            if r in need:
                need[r] -= take
    if budget or any(gap > 0 for gap in need.values()):
        return None
    return used


def _grace_room(
    graced: Sequence[tuple[Activity, _Signature]],
    allowed: Mapping[_Signature, Decimal],
    limits: Sequence[Limit],
) -> dict[_Signature, Decimal | None] | None:
    """What each kind of grace-window credit may still add under its caps (None: no cap).

    None when a cap over several kinds binds: which kind it admits is a choice.
    """
    room: dict[_Signature, Decimal | None] = {}
    for _, signature in graced:
        if signature in room:
            continue
        bound: Decimal | None = None
        for c in signature[1]:
            limit = limits[c].rule.credits or _ZERO
            under = [other for other in allowed if c in other[1]]
            graced_under = {other for _, other in graced if c in other[1]}
            if (set(under) | graced_under) - {signature}:
                total = sum((allowed[other] for other in under), _ZERO) + sum(
                    (a.credits or _ZERO for a, other in graced if other in graced_under), _ZERO
                )
                if total > limit:
                    return None
                continue
            left = limit - allowed.get(signature, _ZERO)
            bound = left if bound is None else min(bound, left)
        room[signature] = bound
    return room


def _supply(
    graced: Sequence[tuple[Activity, _Signature]], room: Mapping[_Signature, Decimal | None]
) -> dict[_Signature, Decimal]:
    """The grace-window credit of each kind, up to its room under the caps."""
    supply: dict[_Signature, Decimal] = {}
    for activity, signature in graced:
        supply[signature] = supply.get(signature, _ZERO) + (activity.credits or _ZERO)
    for signature, amount in supply.items():
        bound = room[signature]
        if bound is not None:
            supply[signature] = min(amount, bound)
    return supply


def _reaches(
    gaps: Mapping[int, Decimal],
    serves: Mapping[_Signature, frozenset[int]],
    supply: Mapping[_Signature, Decimal],
) -> bool:
    """Whether ``supply`` can close every gap (each minimum draws on the kinds serving it)."""
    return all(
        sum((a for sig, a in supply.items() if r in serves[sig]), _ZERO) >= gap
        for r, gap in gaps.items()
    )


def _cured(
    cycle: Cycle,
    version: PolicyVersion,
    *,
    available: Mapping[_Signature, Decimal],
    first: Mapping[_Signature, tuple[Activity, str | None]],
    grace: Sequence[tuple[Activity, _Signature]],
    carriers: list[_Carrier],
    carried_total_in: Decimal,
    requirements: Sequence[Requirement],
    kinds: _Kinds,
    limits: Sequence[Limit],
    next_period: Period | None,
    judge: Judge,
    eligible: frozenset[str],
) -> KernelCycle:
    """A cycle that grace-window credit may cure, allocated on its credit by kind.

    The cycle's own (and carried-in) credit leaves no choice, so each kind of it is one
    entry of its whole amount, dated by its earliest credit; grace-window activities stay
    entries of their own. All of them come after the cycle's own credit in date order, so
    their tie-break weights are those of the full problem: the allocation of this small
    problem counts the same grace-window credit as the full one, and the same amounts of
    each kind. Credit of the one kind that may carry carries later credit first.
    """
    entries = [
        Entry(
            activity=activity,
            amount=exact(available[signature]),
            options=(code,),
            paths=(kinds.path(code),),
            day=None,
            source="own",
            carry=signature[2],
        )
        for signature, (activity, code) in first.items()
    ]
    own = len(entries)
    entries += [
        Entry(
            activity=activity,
            amount=exact(activity.credits or _ZERO),
            options=(kinds.code(activity),),
            paths=(kinds.path(kinds.code(activity)),),
            day=None,
            source="grace",
        )
        for activity, _ in grace
    ]
    allocation = allocate(entries, requirements, limits, version.carryover)
    cure_used: dict[str, Fraction] = {}
    grace_counted = Fraction(0)
    for index in range(own, len(entries)):
        used = allocation.counted[index][0]
        if used:
            cure_used[entries[index].activity.id] = used
            grace_counted += used
    carried = sum((allocation.carried[index][0] for index in range(own)), Fraction(0))
    spare = _amount(carried)
    assert spare is not None  # decimal credit, decimal caps: the optimum is decimal
    carried_out = _carry(spare, carriers, kinds, next_period)
    counted = sum((allocation.counted[index][0] for index in range(len(entries))), Fraction(0))
    result, met = _result(
        cycle,
        version,
        requirements,
        kinds,
        short=[round_up(gap) for gap in allocation.shortfall],
        counted=to_decimal(counted - carried),
        carried_in=carried_total_in,
        carried_out=to_decimal(carried),
        grace_counted=to_decimal(grace_counted),
        judge=judge,
    )
    cured_on = None
    if result.status == "compliant" and cure_used:
        cured_on = cure_day(entries, requirements, limits, version, allocation)
    return KernelCycle(result, carried_out, met, eligible, cure_used, cured_on)
