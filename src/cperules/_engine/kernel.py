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
cure the cycle is chosen directly where the shortfalls nest
(:func:`cperules._engine.grace_cure.chain_cure`), else
by the allocation on the cycle's credit added up by kind (:func:`_cured`). Anything else
returns ``None`` and the cycle is evaluated in full. The property tests check the
kernel's verdicts equal the full evaluation's in every field, on generated policies, on
every bundled entry it serves and on CISSP ledgers rich in grace-window credit
(``tests/properties/test_verdict_kernel.py``).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from cperules._engine.allocation import (
    Entry,
    Limit,
    Requirement,
    admit,
    allocate,
    carry_latest_first,
    carry_nests,
)
from cperules._engine.compiled import Bounded, compiled
from cperules._engine.cure import cure_day
from cperules._engine.grace_cure import Graced, chain_cure
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

__all__ = ["Carry", "Judge", "KernelCycle", "carry_of", "kernel_cycle", "kernel_ready"]

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
_recent_ready: tuple[PolicyVersion, tuple[str, ...] | None] | None = None


def kernel_reads(version: PolicyVersion) -> tuple[str, ...] | None:
    """The activity fields ``version``'s rules read besides categories.

    None if its rules do not have the kernel's form (see the module doc).
    """
    global _recent_ready  # noqa: PLW0603 - a one-item cache in front of the bounded one
    recent = _recent_ready
    if recent is not None and recent[0] is version:
        return recent[1]
    found = _ready.get_fresh(id(version))
    if found is not None and found[0] is version:
        _recent_ready = found
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


Carry = tuple[Activity, str | None, Decimal]
"""Credit carried across a cycle's end as the kernel keeps it: the activity, its category
and the amount (written as the full path writes it, :func:`_plain`)."""


@dataclass(frozen=True, slots=True)
class KernelCycle:
    """A cycle's verdict from the kernel, with what the history carries on.

    ``carried`` is the credit carried out (in date order), landing in ``next_period``;
    ``cured`` the grace-window credit used to cure the cycle, by activity id (decimals
    where the kernel chose it directly, fractions where the allocation did: the next
    cycle's kernel reads either), and ``cure_day`` the day that credit first met every
    minimum (None: not cured by it).
    """

    result: CycleVerdict
    carried: list[Carry]
    next_period: Period | None
    met: frozenset[str]
    cured: Mapping[str, Decimal | Fraction]
    cure_day: dt.date | None

    @property
    def cure_used(self) -> dict[str, Fraction]:
        """The grace-window credit used to cure the cycle, exact, as the history keeps it."""
        return {
            key: amount if isinstance(amount, Fraction) else exact(amount)
            for key, amount in self.cured.items()
        }

    def carried_out(self, version: PolicyVersion) -> list[tuple[Entry, CarriedCredit]]:
        """The carried credit as the full path carries it: entries of the next cycle."""
        paths = compiled(version).paths
        carried_out: list[tuple[Entry, CarriedCredit]] = []
        for activity, code, take in self.carried:
            assert self.next_period is not None  # only a cycle with a carry window carries
            amount = exact(take)
            landing = Entry(
                activity=activity,
                amount=amount,
                options=(code,),
                paths=(() if code is None else paths[code],),
                day=self.next_period.start,
                source="carried-in",
            )
            credit = trusted(
                CarriedCredit,
                activity_id=activity.id,
                category=code,
                credits=take,
                lands_in=self.next_period,
            )
            carried_out.append((landing, credit))
        return carried_out


def carry_of(carried: Sequence[tuple[Entry, CarriedCredit]]) -> tuple[list[Carry], Decimal] | None:
    """Carried entries (of the full path) as the kernel reads them, and their total.

    None where an amount is not an exact decimal (the full path evaluates the cycle).
    """
    plain: list[Carry] = []
    total = _ZERO
    for entry, credit in carried:
        amount = _amount(entry.amount)
        if amount is None:
            return None
        code = entry.options[0] if len(entry.options) == 1 else None
        plain.append((entry.activity, code, amount))
        total += credit.credits
    return plain, total


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
        "bounds",
        "by_key",
        "carryover",
        "limits",
        "met",
        "nests",
        "paths",
        "reads",
        "required",
        "requirements",
        "scoped",
        "shown",
        "version",
    )

    def __init__(
        self,
        requirements: Sequence[Requirement],
        limits: Sequence[Limit],
        version: PolicyVersion,
    ) -> None:
        self.requirements = requirements
        self.limits = limits
        self.version = version
        self.carryover = version.carryover
        self.paths = compiled(version).paths
        self.reads = kernel_reads(version) or ()
        self.by_key: dict[object, tuple[_Signature, _Signature | None]] = {}
        self.shown = [to_decimal(req.required) for req in requirements]
        amounts = [_amount(req.required) for req in requirements]
        self.required: list[Decimal] | None = (
            None if any(a is None for a in amounts) else [a or _ZERO for a in amounts]
        )
        self.bounds = [limit.rule.credits or _ZERO for limit in limits]
        self.scoped = any(req.scoped for req in requirements) or any(
            limit.scoped for limit in limits
        )
        # Whether credit of these kinds carries without a choice (:func:`carry_nests`).
        self.nests: dict[frozenset[tuple[int, ...]], bool] = {}
        # Each minimum's verdict when nothing of it is short (immutable: shared).
        self.met = [
            trusted(
                RequirementVerdict,
                id=req.rule.id,
                period=req.period,
                required=shown,
                shortfall=_ZERO,
            )
            for req, shown in zip(requirements, self.shown, strict=True)
        ]

    def carry_nests(self, carried: frozenset[tuple[int, ...]]) -> bool:
        """:func:`~cperules._engine.allocation.carry_nests`, worked out once per set of kinds."""
        found = self.nests.get(carried)
        if found is None:
            found = self.nests[carried] = carry_nests(set(carried))
        return found

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


_kinds: Bounded[tuple[int, int, int], _Kinds] = Bounded(4096)
_recent_kinds: _Kinds | None = None


def _kinds_for(
    requirements: Sequence[Requirement], limits: Sequence[Limit], version: PolicyVersion
) -> _Kinds:
    global _recent_kinds  # noqa: PLW0603 - a one-item cache in front of the bounded one
    recent = _recent_kinds
    if (
        recent is not None
        and recent.requirements is requirements
        and recent.limits is limits
        and recent.version is version
    ):
        return recent
    # Keyed by the version too: versions without minimums or caps share the empty tuple.
    key = (id(requirements), id(limits), id(version))
    found = _kinds.get_fresh(key)
    if (
        found is not None
        and found.requirements is requirements
        and found.limits is limits
        and found.version is version
    ):
        _recent_kinds = found
        return found
    _recent_kinds = _kinds.keep(key, _Kinds(requirements, limits, version))
    return _recent_kinds


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


def kernel_cycle(  # noqa: PLR0911, PLR0912 - one pass, each early return a shape it leaves to the full path
    cycle: Cycle,
    version: PolicyVersion,
    *,
    own: Sequence[Activity],
    grace: Sequence[Activity],
    carried_in: Sequence[Carry],
    carried_total_in: Decimal,
    cured: Mapping[str, Fraction | Decimal],
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
    ``grace`` those in its cure window (empty when none can count), ``carried_in`` the
    credit carried in and ``carried_total_in`` its total as results show it, ``window`` the
    carryover earning window, ``next_period`` where carried credit lands, ``withheld``
    whether a portfolio withheld any activity, ``simple`` whether the ledger is simple
    (:attr:`cperules.ledger.Chronology.simple`). ``judge`` gives the status from the
    requirement verdicts (the full path's own judgement).
    """
    if not simple or withheld or cycle.early is not None or not kernel_ready(version):
        return None
    kinds = _kinds_for(requirements, limits, version)
    if kinds.scoped or kinds.required is None:
        return None
    own_credit = _own_credit(own, kinds, cured, window)
    if own_credit is None:
        return None
    available, carriers = own_credit
    for activity, code, amount in carried_in:
        found = kinds.of(activity, code)
        if found is None:
            return None
        signature = found[0]
        available[signature] = available.get(signature, _ZERO) + amount
    grace_credit: list[tuple[Activity, _Signature]] = []
    by_key = None if kinds.reads or not kinds.paths else kinds.by_key
    for activity in grace:
        found = None if by_key is None else by_key.get(activity.category)
        if found is None:
            found = kinds.of(activity, kinds.code(activity))
            if found is None:
                return None
        if activity.credits:
            grace_credit.append((activity, found[0]))
    direct = _direct(available, kinds.required, kinds)
    if direct is None:
        return None
    allowed, got, short = direct.allowed, direct.got, direct.short
    required = kinds.required
    carried_kinds = frozenset(signature[0] for signature in allowed if signature[2])
    if not kinds.carry_nests(carried_kinds):
        return None  # which kind of credit carries would be a choice the program makes
    if grace_credit and any(short):
        # Grace-window credit would cure the cycle: which of it counts is the
        # allocation's choice: made directly where the shortfalls nest (a chain), else
        # on the cycle's credit added up by kind.
        cure = (
            None
            if direct.pooled
            else chain_cure(
                [Graced(a.id, a.credits or _ZERO, a.completed, sig) for a, sig in grace_credit],
                allowed,
                short,
                bounds=kinds.bounds,
                carried_kinds=set(carried_kinds),
                zero=_ZERO,
            )
        )
        if cure is not None:
            result, met = _result(
                cycle,
                version,
                requirements,
                kinds,
                short=[_plain(gap) for gap in cure.remaining],
                counted=_plain(direct.counted + cure.total),
                carried_in=carried_total_in,
                carried_out=_ZERO,
                grace_counted=_plain(cure.total),
                judge=judge,
            )
            cured_on = cure.cured_on if result.status == "compliant" else None
            return KernelCycle(result, [], next_period, met, dict(cure.used), cured_on)
        gaps = [r for r, gap in enumerate(short) if gap]
        if len(carried_kinds) > 1 and not all(r in k for k in carried_kinds for r in gaps):
            # Several kinds might carry: which would be chosen on their totals alone.
            # (Where every short minimum is in every carry kind, nothing carries: the
            # least cure leaves one of them with nothing to spare.)
            return None
        return _cured(
            cycle,
            version,
            available=available,
            first=_first(own, kinds, cured, window, carried_in),
            grace=grace_credit,
            carriers=carriers,
            carried_total_in=carried_total_in,
            requirements=requirements,
            kinds=kinds,
            limits=limits,
            next_period=next_period,
            judge=judge,
        )
    carriers.sort(key=lambda carrier: carrier[0], reverse=True)  # later credit first
    carryover = version.carryover
    amounts = carry_latest_first(
        [(credits, signature[0]) for _, _, _, credits, signature in carriers],
        [max(_ZERO, have - need) for have, need in zip(got, required, strict=True)],
        carryover.cap if carryover is not None else None,
    )
    spare = sum(amounts, _ZERO)
    carried_out = _carry(amounts, carriers)
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
    return KernelCycle(result, carried_out, next_period, met, {}, None)


def _own_credit(
    own: Sequence[Activity],
    kinds: _Kinds,
    cured: Mapping[str, Fraction | Decimal],
    window: Period | None,
) -> tuple[dict[_Signature, Decimal], list[_Carrier]] | None:
    """The cycle's own credit by signature, and the credit that may carry out.

    ``own`` is in date order (then id). Credit earned in the carryover ``window`` takes
    its kind's carrying signature; the rest its plain one. Credit a grace-window cure of
    the previous cycle used (``cured``) is taken off. None if an activity's category is
    not one of the policy's (the full path says so).
    """
    available: dict[_Signature, Decimal] = {}
    carriers: list[_Carrier] = []
    lo, hi = len(own), len(own)
    if window is not None:
        lo = bisect_left(own, window.start, key=_completed)
        hi = bisect_right(own, window.end, lo=lo, key=_completed)
    if not kinds.reads and kinds.paths and not cured:
        return _by_category(own, lo, hi, kinds)
    outside, inside = (*own[:lo], *own[hi:]), own[lo:hi]
    for part, in_window in ((outside, False), (inside, True)):
        for activity in part:
            code = kinds.code(activity)
            found = kinds.of(activity, code)
            if found is None:
                return None
            credits = _credit_left(activity, cured)
            if credits is None:
                return None
            if not credits:
                continue
            signature, carrying = found
            if in_window and carrying is not None:
                signature = carrying
                carriers.append(
                    ((activity.completed, activity.id), activity, code, credits, signature)
                )
            available[signature] = available.get(signature, _ZERO) + credits
    return available, carriers


def _by_category(
    own: Sequence[Activity], lo: int, hi: int, kinds: _Kinds
) -> tuple[dict[_Signature, Decimal], list[_Carrier]] | None:
    """:func:`_own_credit` for rules that read categories only, and no cured credit.

    Outside the carry window (``own[lo:hi]``) each kind's credit only adds up: by
    category, then by kind. None if a category is not one of the policy's.
    """
    sums: dict[str | None, Decimal] = {}
    get = sums.get
    for part in (own[:lo], own[hi:]):
        for activity in part:
            code = activity.category
            sums[code] = get(code, _ZERO) + (activity.credits or _ZERO)
    available: dict[_Signature, Decimal] = {}
    by_key = kinds.by_key
    for code, amount in sums.items():
        found = by_key.get(code)
        if found is None:
            sample = next(a for a in (*own[:lo], *own[hi:]) if a.category == code)
            found = kinds.of(sample, code)
            if found is None:
                return None
        if amount:
            signature = found[0]
            available[signature] = available.get(signature, _ZERO) + amount
    carriers: list[_Carrier] = []
    for activity in own[lo:hi]:
        code = activity.category
        found = by_key.get(code)
        if found is None:
            found = kinds.of(activity, code)
            if found is None:
                return None
        credits = activity.credits
        if not credits:
            continue
        signature, carrying = found
        if carrying is not None:
            signature = carrying
            carriers.append(((activity.completed, activity.id), activity, code, credits, signature))
        available[signature] = available.get(signature, _ZERO) + credits
    return available, carriers


def _credit_left(activity: Activity, cured: Mapping[str, Fraction | Decimal]) -> Decimal | None:
    """The activity's credit less what a cure of the previous cycle used (None: inexact)."""
    credits = activity.credits or _ZERO
    used = cured.get(activity.id) if cured else None
    if used:
        spent = _amount(used)
        if spent is None:
            return None
        credits -= spent
    return credits


def _first(
    own: Sequence[Activity],
    kinds: _Kinds,
    cured: Mapping[str, Fraction | Decimal],
    window: Period | None,
    carried_in: Sequence[Carry],
) -> dict[_Signature, tuple[Activity, str | None]]:
    """Each signature's earliest credit (own, then carried in), with its category.

    Only called on credit :func:`_own_credit` accepted, so every category is known.
    """
    first: dict[_Signature, tuple[Activity, str | None]] = {}
    for activity in own:
        code = kinds.code(activity)
        found = kinds.of(activity, code)
        assert found is not None
        if not _credit_left(activity, cured):
            continue
        signature, carrying = found
        if carrying is not None and window is not None and activity.completed in window:
            signature = carrying
        first.setdefault(signature, (activity, code))
    for activity, code, _ in carried_in:
        found = kinds.of(activity, code)
        assert found is not None
        first.setdefault(found[0], (activity, code))
    return first


def _completed(activity: Activity) -> dt.date:
    return activity.completed


class _Direct(NamedTuple):
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
    available: Mapping[_Signature, Decimal], required: Sequence[Decimal], kinds: _Kinds
) -> _Direct | None:
    """Each kind's counted credit, each minimum's credit and shortfall, all counted.

    Every kind counts all of it, up to the caps (:func:`cperules._engine.allocation.admit`:
    a binding cap over kinds that serve the same minimums admits its bound of them
    together). None where a cap that binds leaves a real choice.
    """
    admitted = admit(available, kinds.bounds)
    if admitted is None:
        return None
    allowed, groups = admitted
    got = [_ZERO] * len(required)
    for reqs, amount in groups:
        for r in reqs:
            got[r] += amount
    short = [max(_ZERO, need - have) for need, have in zip(required, got, strict=True)]
    counted = sum((amount for _, amount in groups), _ZERO)
    return _Direct(allowed, got, short, counted, len(groups) < len(available))


_Carrier = tuple[tuple[dt.date, str], Activity, str | None, Decimal, _Signature]
"""Credit that may carry out: its order key, activity, category, amount and signature."""


def _carry(amounts: Sequence[Decimal], carriers: Sequence[_Carrier]) -> list[Carry]:
    """The credit each carrier (later first) carries out, listed in date order."""
    carried_out = [
        (activity, code, _plain(take))
        for (_, activity, code, _, _), take in zip(carriers, amounts, strict=True)
        if take
    ]
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
        if gap
        else met
        for req, shown, gap, met in zip(requirements, kinds.shown, short, kinds.met, strict=True)
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
    carriers.sort(key=lambda carrier: carrier[0], reverse=True)  # of one kind: later first
    amounts = []
    for *_, credits, _ in carriers:
        take = min(credits, spare)
        spare -= take
        amounts.append(take)
    carried_out = _carry(amounts, carriers)
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
    return KernelCycle(result, carried_out, next_period, met, cure_used, cured_on)
