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
- the cycle's activities (its own and its grace window's) are simple
  (:func:`cperules.ledger.is_simple`; all of them where the whole ledger is,
  :attr:`cperules.ledger.Chronology.simple`): each gives credits under at most one
  category (a declared one, where the policy declares any), claims no particular
  certification, is not hypothetical; no portfolio withheld any. Credit carried in may
  come from any activity: it lands under one category;
- the cycle's own (and carried-in) credit leaves no choice: every cap that binds covers
  one kind of credit (one signature: the same minimums, caps and right to carry), none
  of which may carry; the credit that may carry over is of one kind. Or a cap binds over
  credit that may carry, where no minimum or carryover cap limits what carries
  (:func:`_capped_carrying`: the latest of it carries up to the cap's bound, the rest of
  the bound is kept earliest first).

That is the case the allocation's direct path (``_without_choice`` and ``_grace_unneeded``
in :mod:`cperules._engine.allocation`) solves without a program, read the same way:
earlier credit counts first, later credit carries first.

What is fixed per cycle's rule instances is compiled once (:class:`Kinds`, kept by each
cycle step of a verdict plan): each kind's signature gets a *slot*, with the slots each
minimum and each cap reads, in a :class:`SlotTable` that belongs to the rules and so
serves every holder's cycles alike, whatever their dates. A ledger's credit is added
up by category, then by slot, in a flat list; a cycle where no cap binds, or one cap
binds over the one kind of its credit, is decided by the slots' sums (:func:`_direct`, by
a tally the table compiles once per number of slots: :meth:`SlotTable.tally`), any other by
:func:`~cperules._engine.allocation.admit` on the same sums. Grace-window credit that would
cure the cycle is chosen directly where the shortfalls nest
(:func:`cperules._engine.grace_cure.cure_by_shape`, read by slot and compiled per shape
of cure), else
by the allocation on the cycle's credit added up by kind (:func:`_cured`); what the
cycle's own credit carries after such a cure is decided as the allocation's direct path
decides it (:func:`~cperules._engine.grace_cure.carry_after_cure`). Anything else
returns ``None`` and the cycle is evaluated in full. The property tests check the
kernel's verdicts equal the full evaluation's in every field, on generated policies, on
every bundled entry it serves and on CISSP ledgers rich in grace-window credit
(``tests/properties/test_verdict_kernel.py``).

The explained evaluation reads its cycles from the kernel too, where the version declares
its categories and the kernel decided the cycle on the slots' sums
(:attr:`KernelCycle.slots`): each activity's story follows from what its slot counts,
carries and cures (``_explained_by_kernel`` in :mod:`cperules._engine.cycle`, checked
equal to the full evaluation in ``tests/properties/test_explained_kernel.py``).

Activities split across categories or eligible for several are read by share
(:mod:`cperules._engine.shares`): each share as an activity of its category, an eligible
activity in its first option. A cycle with such activities is decided here where that is
the allocation's answer (``areas`` of :func:`kernel_decide`), or where the allocation
moves eligible credit straight to a short area (:func:`_placed_in_areas`), carrying less
where carrying the most would leave an area short (the allocation's greedy within
Hall's limits, :func:`~cperules._engine.allocation_flow.carry_within`).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from functools import partial
from operator import itemgetter
from typing import NamedTuple, cast

from cperules._engine.allocation import (
    Entry,
    Limit,
    Requirement,
    _settled,
    admit,
    allocate,
    carry_latest_first,
    carry_nests,
)
from cperules._engine.allocation_flow import _hall_slack, _taken, carry_within, moved_one_step
from cperules._engine.compiled import Bounded, compiled
from cperules._engine.cure import cure_day
from cperules._engine.grace_cure import (
    Cure,
    Shape,
    ShapedCure,
    carry_after_cure,
    cure_by_shape,
)
from cperules._engine.shares import Areas, owner
from cperules._model import maker, new_tuple, trusted
from cperules.credits import _keep, exact, round_up, to_decimal
from cperules.cycles import Cycle, Period
from cperules.ledger import Activity
from cperules.policy import PolicyVersion
from cperules.results import CarriedCredit, Part, Status
from cperules.rules import Cap, Minimum, Prerequisite
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

__all__ = [
    "Carry",
    "KernelCycle",
    "Kinds",
    "SlotTable",
    "Statuses",
    "carry_of",
    "kernel_cycle",
    "kernel_decide",
    "kernel_ready",
    "kinds_for",
    "plain",
    "slot_table",
]

_ZERO = Decimal(0)
_NO_KINDS: frozenset[tuple[int, ...]] = frozenset()

_Head = tuple[Cycle, "Callable[..., CycleVerdict]", dt.date]
"""A cycle, the maker of its verdicts with the fields the cycle gives them bound (index,
period, due, grace, suspension), and the version's first day: made once per cycle of a
plan, for the kinds of credit under its rules (which are of one version)."""

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
and the amount (written as the full path writes it, :func:`plain`)."""


class KernelCycle(NamedTuple):
    """A cycle's verdict from the kernel, with what the history carries on.

    ``carried`` is the credit carried out (in date order), landing in ``next_period``;
    ``cured`` the grace-window credit used to cure the cycle, by activity id (decimals
    where the kernel chose it directly, fractions where the allocation did: the next
    cycle's kernel reads either), and ``cure_day`` the day that credit first met every
    minimum (None: not cured by it). ``slots`` holds, where the kernel decided the cycle
    on its own, each slot's credit (the cycle's own and what was carried in) and what it
    counts under the caps, before any grace-window credit (what the explained path reads
    each activity's story from); None where it decided otherwise. ``placed`` holds, where
    an activity eligible for several areas keeps credit outside its first option, every
    such activity's kept credit per option, by id (:func:`_placed_in_areas`).
    """

    result: CycleVerdict
    carried: list[Carry]
    next_period: Period | None
    met: frozenset[str]
    cured: Mapping[str, Decimal | Fraction]
    cure_day: dt.date | None
    slots: tuple[list[Decimal], list[Decimal]] | None = None
    placed: Mapping[str, Sequence[Decimal]] | None = None

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
        for carrier, code, take in self.carried:
            assert self.next_period is not None  # only a cycle with a carry window carries
            activity, share = owner(carrier)
            amount = exact(take)
            landing = Entry(
                activity=activity,
                amount=amount,
                options=(code,),
                paths=(() if code is None else paths[code],),
                day=self.next_period.start,
                source="carried-in",
                share=share or 0,
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
    Where it is, the record's credits are the same amount as a decimal (every carry
    writes them so), read instead of converting it again.
    """
    plain: list[Carry] = []
    total = _ZERO
    for entry, credit in carried:
        if _DECIMAL_DENOMINATORS % entry.amount.denominator:
            return None
        code = entry.options[0] if len(entry.options) == 1 else None
        amount = credit.credits
        plain.append((entry.activity, code, amount))
        total += amount
    return plain, total


Claim = tuple[Fraction, Decimal, tuple[Part, ...], tuple[int, int]]
"""A claim of all of an activity's credit under one category met, as the explained path
reads it (:attr:`SlotTable.claims`): the credit exact and as shown, its story (counted
whole), and its kind's slots outside and inside the carry window (the same where its
credit may not carry)."""


_DECIMAL_DENOMINATORS = 10**40
"""A multiple of every denominator of an exact decimal of up to 40 places (none other)."""


class SlotTable:
    """The kinds of credit under one version's rules, each given a slot once.

    A kind of credit is its category (None where the policy declares none) and the
    fields the rules read besides it (:func:`kernel_reads`): credit of one kind falls
    under the same minimums and caps and may carry alike. :meth:`of` gives a kind's
    signature outside the carry window and, if its credit may carry, inside it.

    Each signature met is given a *slot*, once: a cycle adds its credit up in a flat
    list indexed by slot (:meth:`slots_of` gives a kind's slots outside and inside the
    carry window), and ``req_slots`` and ``cap_slots`` list the slots each minimum and
    each cap reads, so a cycle with no choice is decided by a few sums and comparisons
    (:func:`_direct`); ``reqs_of`` and ``caps_of`` hold the minimums and caps of each
    slot's signature (what the grace cure reads).

    All of it reads the rules alone (their selectors and the carryover's), never a
    cycle's dates or amounts: one table serves every cycle of every holder whose cycle
    asks the same minimums and caps of the version (:func:`slot_table`), however many
    cycle layouts a membership spreads over. Slots are numbered in the order kinds are
    first met; no result depends on that order.
    """

    __slots__ = (
        "adders",
        "amounts",
        "area_bits",
        "areas",
        "beside",
        "bounds",
        "by_key",
        "cap_slots",
        "caps",
        "caps_of",
        "carriers",
        "carry_cap",
        "carrying",
        "carryover",
        "claims",
        "cures",
        "kind_alone",
        "minimums",
        "nests",
        "paths",
        "reads",
        "req_slots",
        "reqs_of",
        "signatures",
        "slot_of",
        "slots",
        "tallies",
        "version",
    )

    def __init__(
        self, minimums: Sequence[Minimum], caps: Sequence[Cap], version: PolicyVersion
    ) -> None:
        self.minimums = tuple(minimums)
        self.caps = tuple(caps)
        self.version = version
        self.carryover = version.carryover
        # What may carry over at most, in all (None: no cap).
        self.carry_cap = self.carryover.cap if self.carryover is not None else None
        self.paths = compiled(version).paths
        self.reads = kernel_reads(version) or ()
        # Each cap's bound, and what the minimums' required credit reads as (by amounts).
        self.bounds = [rule.credits or _ZERO for rule in self.caps]
        self.amounts: dict[tuple[int, ...], _Amounts] = {}
        self.by_key: dict[object, tuple[_Signature, _Signature | None]] = {}
        # Whether credit of these kinds carries without a choice (:func:`carry_nests`).
        self.nests: dict[frozenset[tuple[int, ...]], bool] = {}
        # The slots: signature by slot, slot by signature, the slots of each kind's key.
        self.signatures: list[_Signature] = []
        self.slot_of: dict[_Signature, int] = {}
        self.slots: dict[object, tuple[int, int | None]] = {}
        self.carrying: list[bool] = []
        self.carriers: list[int] = []  # the slots of credit that may carry
        self.req_slots: list[list[int]] = [[] for _ in minimums]
        self.cap_slots: list[list[int]] = [[] for _ in caps]
        # By slot: the minimums its credit serves and the caps over it (its signature's).
        self.reqs_of: list[tuple[int, ...]] = []
        self.caps_of: list[tuple[int, ...]] = []
        # By slot: the set of the one kind of credit it holds, by the minimums it serves.
        self.kind_alone: list[frozenset[tuple[int, ...]]] = []
        # The compiled tally of the slots' sums, by how many slots a cycle has met.
        self.tallies: dict[int, _Tally] = {}
        # The compiled adding up of a cycle's credit, by the kinds met and slots
        # (:meth:`adder`; None: the kernel adds it up by its loops).
        self.adders: dict[tuple[int, int, bool], _Adder | None] = {}
        # The grace cure compiled by its shape (:func:`cure_by_shape`; None: not compiled).
        self.cures: dict[Shape, ShapedCure[str, Decimal] | None] = {}
        # What the explained path reads of a claim of all its credit under a category met
        # (by the credit and the category; kept by :mod:`cperules._engine.cycle`).
        self.claims: dict[tuple[Decimal, str | None], Claim] = {}
        # The areas of eligible activities, by their distinct options (None: options a
        # cap or the carryover tells apart), and by the areas the minimums each slot's
        # credit serves but those areas (:func:`_carried_relaxed`): worked out once.
        self.areas: dict[frozenset[tuple[str, ...]], frozenset[int] | None] = {}
        self.beside: dict[frozenset[int], list[tuple[int, ...]]] = {}
        # Each slot's area, and the slots under an area out of its shape (:func:`_area_bits`),
        # by the areas and how many slots there were.
        self.area_bits: dict[
            tuple[tuple[int, ...], int], tuple[dict[int, int], tuple[int, ...]]
        ] = {}

    def tally(self, size: int) -> _Tally:
        """What :func:`_direct` decides from ``size`` slots' sums, compiled (kept).

        ``tally(sums, required)`` is the :class:`_Direct` of ``sums`` (by slot) where no
        cap binds or one binds over the one kind of its credit, which may not carry; None
        where the choice is :func:`~cperules._engine.allocation.admit`'s. Written out
        once per number of slots met (slots are only ever added), so a cycle's tally
        is a few additions and comparisons of locals, with no loop over the rules.
        """
        found = self.tallies.get(size)
        if found is None:
            source = _tally_source(size, self.cap_slots, self.req_slots, self.carrying)
            found = self.tallies[size] = _tally_of(source, self.bounds)
        return found

    def adder(self, columnar: bool = True) -> _Adder | None:
        """:func:`_by_category`'s adding up of a cycle's credit, compiled for the kinds met (kept).

        ``adder()(own, lo, hi, cured, codes, credits)`` is the cycle's sums by slot and
        the credit that may carry out (as :func:`_by_category_loops` gives them, less what
        a cure of the previous cycle used) where every activity of ``own`` is of a
        category met before; None otherwise (the loops add it up, meeting the new kinds).
        ``codes`` and ``credits`` are the activities' columns; not ``columnar``, the adder
        reads them from the activities (``adder(columnar=False)(own, lo, hi, cured)``). Each
        category's credit is added up in a local, found by comparing the category with
        each one met (there are few: None where the rules read more than categories or
        more than :data:`_ADDER_CATEGORIES` were met), so the pass over a ledger's
        activities looks nothing up. Written out once per number of kinds and slots met
        (both only ever grow).
        """
        known = self.slots
        key = (len(known), len(self.signatures), columnar)
        if key in self.adders:
            return self.adders[key]
        found = None
        if self.paths and not self.reads and len(known) <= _ADDER_CATEGORIES:
            found = _adder_of(
                _adder_source(
                    [(cast("str", code), slots) for code, slots in known.items()],
                    len(self.signatures),
                    columnar=columnar,
                )
            )
        self.adders[key] = found
        return found

    def amounts_of(self, requirements: Sequence[Requirement]) -> _Amounts:
        """What the required credit of ``requirements`` (of these minimums) reads as (kept).

        The same for every cycle that asks the same amounts: worked out once. Kept by the
        amounts' identity (a rule's own amount is one object in every cycle laid out; a
        prorated share is made per cycle, and found again only in that cycle's plans):
        each entry holds its amounts, so an identity in a key is never reused meanwhile.
        """
        requireds = tuple(req.required for req in requirements)
        key = tuple(map(id, requireds))
        found = self.amounts.get(key)
        if found is None:
            shown = [to_decimal(required) for required in requireds]
            exacts = [_amount(required) for required in requireds]
            counts = tuple(required > 0 for required in requireds)
            found = _Amounts(
                requireds,
                shown,
                None if any(a is None for a in exacts) else [a or _ZERO for a in exacts],
                counts,
                frozenset(
                    rule.id for rule, count in zip(self.minimums, counts, strict=True) if count
                ),
            )
            if len(self.amounts) >= _AMOUNTS_KEPT:
                self.amounts.clear()
            self.amounts[key] = found
        return found

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

    def key(self, activity: Activity, code: str | None) -> object:
        """What tells ``activity``'s kind of credit apart under ``code``."""
        if not self.reads:
            return code
        return (code, *(getattr(activity, f) for f in self.reads))

    def of(
        self, activity: Activity, code: str | None
    ) -> tuple[_Signature, _Signature | None] | None:
        """The signatures of ``activity``'s credit under ``code`` (None: not a category)."""
        key = self.key(activity, code)
        found = self.by_key.get(key)
        if found is None:
            if self.paths and code not in self.paths:
                return None
            path = self.path(code)
            reqs = tuple(
                r
                for r, rule in enumerate(self.minimums)
                if rule.selector.matches(activity, categories=path)
            )
            caps = tuple(
                c
                for c, rule in enumerate(self.caps)
                if rule.selector.matches(activity, categories=path)
            )
            carries = self.carryover is not None and self.carryover.selector.matches(
                activity, categories=path
            )
            found = self.by_key[key] = (
                (reqs, caps, False),
                (reqs, caps, True) if carries else None,
            )
        return found

    def slots_of(self, activity: Activity, code: str | None) -> tuple[int, int | None] | None:
        """The slots of ``activity``'s credit under ``code``: outside, inside the window.

        None: ``code`` is not a category of the policy. Inside the carry window, credit
        that may not carry keeps its plain slot (None there).
        """
        key = self.key(activity, code)
        found = self.slots.get(key)
        if found is None:
            signatures = self.of(activity, code)
            if signatures is None:
                return None
            plain, carrying = signatures
            found = self.slots[key] = (
                self._slot(plain),
                None if carrying is None else self._slot(carrying),
            )
        return found

    def _slot(self, signature: _Signature) -> int:
        """The slot of ``signature``, given one the first time it is met."""
        slot = self.slot_of.get(signature)
        if slot is None:
            slot = self.slot_of[signature] = len(self.signatures)
            self.signatures.append(signature)
            self.reqs_of.append(signature[0])
            self.caps_of.append(signature[1])
            self.kind_alone.append(frozenset((signature[0],)))
            self.carrying.append(signature[2])
            if signature[2]:
                self.carriers.append(slot)
            for r in signature[0]:
                self.req_slots[r].append(slot)
            for c in signature[1]:
                self.cap_slots[c].append(slot)
        return slot


class _Amounts(NamedTuple):
    """What a cycle's minimums require, as its verdicts read it (shared: never changed).

    Attributes:
        requireds: Each minimum's required credit, exact (what the entry is kept by).
        shown: The same as results show it.
        required: The same as exact decimals (None if one is not a decimal).
        counts: Whether each minimum requires something (meeting it counts as met).
        met_ids: The ids of those minimums.
    """

    requireds: tuple[Fraction, ...]
    shown: list[Decimal]
    required: list[Decimal] | None
    counts: tuple[bool, ...]
    met_ids: frozenset[str]


_AMOUNTS_KEPT = 64
"""Required amounts kept per slot table (a few: the rules' own and prorated shares)."""

_tables: Bounded[tuple[int, tuple[int, ...], tuple[int, ...]], SlotTable] = Bounded(256)


def slot_table(
    requirements: Sequence[Requirement], limits: Sequence[Limit], version: PolicyVersion
) -> SlotTable:
    """The slot table of the rules behind ``requirements`` and ``limits`` (kept).

    Keyed by the rules themselves (a version's compiled minimums and caps, the same
    objects in every cycle laid out), so that the cycles of every holder share it.
    """
    minimums = tuple(req.rule for req in requirements)
    caps = tuple(limit.rule for limit in limits)
    key = (id(version), tuple(map(id, minimums)), tuple(map(id, caps)))
    # A table holds the version and rules it is kept by: their identities are not reused
    # while it is kept, so a key found is theirs.
    found = _tables.get_fresh(key)
    if found is not None:
        return found
    return _tables.keep(key, SlotTable(minimums, caps, version))


class Kinds:
    """The kinds of credit under one cycle's rule instances: a slot table and amounts.

    The slots (``signatures``, ``slots``, ``req_slots``, ``cap_slots``, ``carriers`` and
    the rest, and :meth:`of`, :meth:`slots_of`) are the :class:`SlotTable` of the
    instances' rules, shared with every cycle under the same rules (the same lists and
    mappings, growing as kinds are met). So are what the instances' amounts read as
    (:meth:`SlotTable.amounts_of`, shared by cycles asking the same amounts, never
    changed): ``required`` holds each minimum's required credit as a decimal (None if one
    is not a decimal), ``shown`` as results show it, ``bounds`` each cap's, ``met_ids``
    the minimums a cycle short of nothing meets. What belongs to the instances is here:
    ``met`` each minimum's verdict when nothing of it is short (shared: immutable),
    ``head`` the cycle (and version) last given a verdict, with the fields the verdict
    shows of them.
    """

    __slots__ = (
        "bounds",
        "cap_slots",
        "caps_of",
        "carriers",
        "carry_cap",
        "carrying",
        "head",
        "limits",
        "met",
        "met_ids",
        "paths",
        "reads",
        "req_slots",
        "reqs_of",
        "required",
        "requirements",
        "rows",
        "scoped",
        "served",
        "shown",
        "signatures",
        "slots",
        "table",
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
        table = self.table = slot_table(requirements, limits, version)
        # The table's own containers (shared, grown in place), read here without a hop.
        self.carry_cap = table.carry_cap
        self.paths = table.paths
        self.reads = table.reads
        self.signatures = table.signatures
        self.slots = table.slots
        self.carrying = table.carrying
        self.carriers = table.carriers
        self.req_slots = table.req_slots
        self.cap_slots = table.cap_slots
        self.reqs_of = table.reqs_of
        self.caps_of = table.caps_of
        amounts = table.amounts_of(requirements)
        self.shown = amounts.shown
        self.required = amounts.required
        self.met_ids = amounts.met_ids
        self.bounds = table.bounds
        self.scoped = any(req.scoped for req in requirements) or any(
            limit.scoped for limit in limits
        )
        # Whether the kernel serves these instances: over the whole cycle, in decimals.
        self.served = not self.scoped and self.required is not None
        # Each minimum's verdict when nothing of it is short (immutable: shared).
        self.met = tuple(
            _requirement_verdict(req.rule.id, req.period, shown, _ZERO, False)
            for req, shown in zip(requirements, self.shown, strict=True)
        )
        # Per minimum: its id, period, required credit shown, whether meeting it counts as
        # met (something required), and its verdict when met.
        self.rows = [
            (req.rule.id, req.period, shown, counts, met)
            for req, shown, counts, met in zip(
                requirements, self.shown, amounts.counts, self.met, strict=True
            )
        ]
        # The cycle and version last read, with what its verdict shows of them.
        self.head: _Head | None = None

    def carry_nests(self, carried: frozenset[tuple[int, ...]]) -> bool:
        """:meth:`SlotTable.carry_nests` of the rules' table."""
        return self.table.carry_nests(carried)

    def code(self, activity: Activity) -> str | None:
        """:meth:`SlotTable.code` of the rules' table."""
        return activity.category if self.paths else None

    def path(self, code: str | None) -> tuple[str, ...]:
        """:meth:`SlotTable.path` of the rules' table."""
        return () if code is None else self.paths[code]

    def of(
        self, activity: Activity, code: str | None
    ) -> tuple[_Signature, _Signature | None] | None:
        """:meth:`SlotTable.of` of the rules' table."""
        return self.table.of(activity, code)

    def slots_of(self, activity: Activity, code: str | None) -> tuple[int, int | None] | None:
        """:meth:`SlotTable.slots_of` of the rules' table.

        Where the rules read categories alone, a kind met before is found by its
        category directly (its key there).
        """
        if not self.reads:
            found = self.slots.get(code)
            if found is not None:
                return found
        return self.table.slots_of(activity, code)


_kinds: Bounded[tuple[int, int, int], Kinds] = Bounded(4096)
_recent_kinds: Kinds | None = None


def kinds_for(
    requirements: Sequence[Requirement], limits: Sequence[Limit], version: PolicyVersion
) -> Kinds:
    """The kinds of credit under a cycle's rule instances, compiled once (kept)."""
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
    _recent_kinds = _kinds.keep(key, Kinds(requirements, limits, version))
    return _recent_kinds


def plain(value: Decimal) -> Decimal:
    """An exact decimal written as the full path writes it: ``to_decimal(exact(value))``.

    That is, with no trailing zeros after the point and no exponent (``92.50`` is
    ``92.5``, ``120.00`` is ``120``); a property test checks the two agree. Kept by the
    written form (:data:`_plains`): amounts of credit repeat, and writing a decimal out
    costs less than rewriting it.
    """
    key = str(value)
    found = _plains.get(key)
    if found is None:
        written = Decimal(int(value)) if value == value.to_integral_value() else value.normalize()
        found = _keep(_plains, key, written, _PLAINS_KEPT)
    return found


_PLAINS_KEPT = 4096
"""Decimals kept as :func:`plain` writes them (forgotten all at once beyond)."""
_plains: dict[str, Decimal] = {}


def _amount(value: Fraction | Decimal) -> Decimal | None:
    """``value`` as an exact decimal, or None."""
    if isinstance(value, Decimal):
        return value
    decimal = to_decimal(value)
    return decimal if exact(decimal) == value else None


def kernel_cycle(
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
    statuses: Statuses,
    span: tuple[int, int] | None = None,
    kinds: Kinds | None = None,
    areas: Areas | None = None,
    columns: Columns | None = None,
) -> KernelCycle | None:
    """The cycle's verdict when it has the no-choice shape (module doc); else None.

    ``own`` are the activities completed in the cycle's claim period by ``as_of``,
    ``grace`` those in its cure window (empty when none can count), ``carried_in`` the
    credit carried in and ``carried_total_in`` its total as results show it, ``window`` the
    carryover earning window, ``next_period`` where carried credit lands, ``withheld``
    whether a portfolio withheld any activity, ``simple`` whether the activities of
    ``own`` and ``grace`` are simple (:func:`cperules.ledger.is_simple`). ``statuses``
    are the cycle's status when every minimum is met and when one is short (the full
    path's own judgement). ``span`` is where the activities earned in ``window`` begin
    and end in ``own``, and ``kinds`` the kinds of credit under ``requirements`` and
    ``limits`` (:func:`kinds_for`), if known. ``areas`` are the areas of the activities
    of ``own`` eligible for several categories, each read in its first option
    (:class:`~cperules._engine.shares.Areas`; None: there are none). The caller has
    checked that ``version`` is one the kernel serves (:func:`kernel_ready`).
    """
    if not simple or withheld or (cycle.credit_from is not None and cycle.early is not None):
        return None
    if kinds is None:
        kinds = kinds_for(requirements, limits, version)
    if not kinds.served:
        return None
    # Where the carry window's credit begins and ends among the cycle's own.
    if span is not None:
        lo, hi = span
    elif window is not None:
        lo = bisect_left(own, window.start, key=_completed)
        hi = bisect_right(own, window.end, lo=lo, key=_completed)
    else:
        lo = hi = len(own)
    return kernel_decide(
        cycle, version, kinds, own, lo, hi, grace, carried_in, carried_total_in, cured,
        next_period, statuses, areas=areas, columns=columns,
    )  # fmt: skip


def kernel_decide(  # noqa: PLR0911, PLR0912, PLR0915, PLR0917 - one pass, each early return a shape it leaves to the full path
    cycle: Cycle,
    version: PolicyVersion,
    kinds: Kinds,
    own: Sequence[Activity],
    lo: int,
    hi: int,
    grace: Sequence[Activity],
    carried_in: Sequence[Carry],
    carried_total_in: Decimal,
    cured: Mapping[str, Fraction | Decimal],
    next_period: Period | None,
    statuses: Statuses,
    *,
    areas: Areas | None = None,
    columns: Columns | None = None,
) -> KernelCycle | None:
    """:func:`kernel_cycle` once its shape is checked: the kernel's pass over the cycle.

    ``kinds`` are the kinds of credit under the cycle's rule instances, which the kernel
    serves (:attr:`Kinds.served`); ``own[lo:hi]`` the activities earned in the carry
    window (``lo == hi``: none). The caller has checked the rest of the shape (simple
    activities, none withheld, no early window, a version the kernel serves). The
    verdict plan calls it directly (:func:`cperules._engine.cycle.kernel_run`), having
    checked those once per cycle laid out, with ``columns``: the categories and credits
    of ``own`` from the ledger's chronology (:data:`Columns`).

    With ``areas`` (activities eligible for several categories, each read in its first
    option, :mod:`cperules._engine.shares`), the cycle is decided here only where the
    allocation's answer (``allocate_by_areas`` in :mod:`cperules._engine.allocation_flow`)
    is the first options' or moves eligible credit straight to a short area
    (:func:`_carried_by_areas`): no grace-window credit, and no cap binding but over one
    kind of credit that may not carry (the compiled tally's: any other is settled with
    the areas relaxed; where that finds no answer either, ``areas.unsettled`` says so),
    or over credit that may carry where :func:`_capped_carrying` decides it and no
    eligible credit has to move.
    """
    required = kinds.required
    assert required is not None  # Kinds.served
    reads = kinds.reads
    own_credit = (
        _by_kind(own, lo, hi, kinds, cured)
        if reads
        else _by_category(own, lo, hi, kinds, cured, columns)
    )
    if own_credit is None:
        return None
    sums, carriers = own_credit
    if carried_in:
        known = None if reads else kinds.slots  # where a kind's key is its category
        for activity, code, amount in carried_in:
            found = None if known is None else known.get(code)
            if found is None:
                found = kinds.slots_of(activity, code)
                if found is None:
                    return None
            slot = found[0]
            if slot >= len(sums):
                sums.extend([_ZERO] * (slot + 1 - len(sums)))
            sums[slot] += amount
    grace_credit: list[tuple[Activity, int]] = []
    if grace:
        paths = bool(kinds.paths)
        known = kinds.slots
        for activity in grace:
            code = activity.category if paths else None
            found = None if reads else known.get(code)
            if found is None:
                found = kinds.slots_of(activity, code)
                if found is None:
                    return None
            if activity.credits:
                grace_credit.append((activity, found[0]))
    signatures = kinds.signatures
    if len(sums) < len(signatures):
        sums.extend([_ZERO] * (len(signatures) - len(sums)))
    if areas is not None and grace_credit:
        return None  # a cure the first options may not answer: the allocation's
    # With areas, only the compiled tally decides: a cap binding over several kinds is
    # settled with the areas relaxed (the allocation's).
    direct = _direct(sums, required, kinds, admitting=areas is None)
    by_flow = direct is None  # where the full path's allocation is the flow's
    if direct is None:
        # A cap binding over credit that may carry, decided where its shape allows.
        capped = (
            None
            if grace_credit or cured
            else _capped_carrying(
                sums,
                required,
                kinds,
                carriers,
                own,
                (lo, hi),
                carried_in,
            )
        )
        if capped is None:
            if areas is not None:
                areas.unsettled = _unsettled(sums, required, kinds, areas)
            return None
        direct, carriers = capped
    got, short = direct.got, direct.short
    carrier_slots = kinds.carriers
    if not carrier_slots:
        carried_kinds = _NO_KINDS
    elif len(carrier_slots) == 1:  # one kind of credit may carry (most policies)
        slot = carrier_slots[0]
        carried_kinds = kinds.table.kind_alone[slot] if sums[slot] else _NO_KINDS
    else:
        carried_kinds = _kinds_with_credit(carrier_slots, sums, signatures)
    if len(carried_kinds) > 1 and not kinds.carry_nests(carried_kinds):
        return None  # which kind of credit carries would be a choice the program makes
    if grace_credit and any(short):
        if direct.carrying_pooled:
            return None  # the cure could leave pooled credit that may carry something to spare
        # Grace-window credit would cure the cycle: which of it counts is the
        # allocation's choice: made directly where the shortfalls nest (a chain), else
        # on the cycle's credit added up by kind.
        cure = (
            None
            if direct.pooled
            # Chosen as if nothing carried: _carried_after_cure decides what carries.
            else cure_by_shape(
                kinds.table.cures,
                [(a.id, a.credits or _ZERO, a.completed, slot) for a, slot in grace_credit],
                direct.by_slot(sums, kinds),
                short,
                reqs=kinds.reqs_of,
                caps=kinds.caps_of,
                under=kinds.cap_slots,
                bounds=kinds.bounds,
                zero=_ZERO,
            )
        )
        carried_after = (
            None
            if cure is None
            else _carried_after_cure(
                cure,
                sums,
                direct,
                kinds,
                required=required,
                grace_credit=grace_credit,
                carriers=carriers,
                carried_kinds=carried_kinds,
            )
        )
        if cure is not None and carried_after is not None:
            carried_after_cure, spare = carried_after
            result, met = _result(
                cycle,
                version,
                kinds,
                short=cure.remaining,
                counted=plain(direct.counted + cure.total - spare),
                carried_in=carried_total_in,
                carried_out=plain(spare) if spare else _ZERO,
                grace_counted=plain(cure.total),
                statuses=statuses,
            )
            cured_on = cure.cured_on if result.status == "compliant" else None
            return new_tuple(  # a KernelCycle, made as a tuple
                KernelCycle,
                (
                    result,
                    carried_after_cure,
                    next_period,
                    met,
                    dict(cure.used),
                    cured_on,
                    None if direct.allowed is None else (sums, direct.allowed),
                    None,
                ),
            )
        if len(carried_kinds) > 1 and not _serve_every_gap(carried_kinds, short):
            # Several kinds might carry: which would be chosen on their totals alone.
            # (Where every short minimum is in every carry kind, nothing carries: the
            # least cure leaves one of them with nothing to spare.)
            return None
        return _cured(
            cycle,
            version,
            available=_credit_by_signature(sums, signatures),
            first=_first(own, kinds, cured, (lo, hi), carried_in),
            grace=_signed(grace_credit, signatures),
            carriers=carriers,
            carried_total_in=carried_total_in,
            requirements=kinds.requirements,
            kinds=kinds,
            limits=kinds.limits,
            next_period=next_period,
            statuses=statuses,
        )
    carried_out: list[Carry] = []
    spare = _ZERO
    placed: dict[str, list[Decimal]] | None = None
    if areas is not None:
        placing = _carried_by_areas(areas, kinds, sums, carriers, got, required, short)
        if placing is None or (placing[1] is not None and by_flow):
            # Eligible credit moved to a short area where a cap binds: the full path's
            # flow moves it, and where several moves tie, its choice is not the earliest
            # activities' first (``allocate_by_areas``, which the placement follows).
            return None
        amounts, placed, short = placing
        if amounts:
            spare = sum(amounts, _ZERO)
            carried_out = _carry(amounts, carriers)
    elif carriers:
        cap = kinds.carry_cap
        if len(carried_kinds) == 1:
            spare, carried_out = _carry_one_kind(
                carriers, got, required, next(iter(carried_kinds)), cap
            )
        else:
            carriers.reverse()  # later credit first
            amounts = carry_latest_first(
                _carried_serving(carriers, kinds.reqs_of), _spare_of(got, required), cap
            )
            spare = sum(amounts, _ZERO)
            carried_out = _carry(amounts, carriers)
    result, met = _result(
        cycle,
        version,
        kinds,
        short=short,
        counted=plain(direct.counted - spare),
        carried_in=carried_total_in,
        carried_out=plain(spare) if spare else _ZERO,
        grace_counted=_ZERO,
        statuses=statuses,
    )
    return new_tuple(  # a KernelCycle, made as a tuple
        KernelCycle,
        (
            result,
            carried_out,
            next_period,
            met,
            {},
            None,
            None if direct.allowed is None else (sums, direct.allowed),
            placed,
        ),
    )


# Helpers of kernel_decide's rarer branches: a comprehension there over its locals would
# make those locals closure cells, built on every call.


def _kinds_with_credit(
    slots: Sequence[int], sums: Sequence[Decimal], signatures: Sequence[_Signature]
) -> frozenset[tuple[int, ...]]:
    """The minimums served by each kind of ``slots`` with credit in ``sums``."""
    return frozenset([signatures[slot][0] for slot in slots if sums[slot]])


def _serve_every_gap(kinds: Iterable[tuple[int, ...]], short: Sequence[Decimal]) -> bool:
    """Whether each of ``kinds`` (the minimums it serves) serves every minimum ``short``."""
    for kind in kinds:  # loops: a verdict with a cure asks on every call
        for r, gap in enumerate(short):
            if gap and r not in kind:
                return False
    return True


def _credit_by_signature(
    sums: Sequence[Decimal], signatures: Sequence[_Signature]
) -> dict[_Signature, Decimal]:
    """The sums with credit, by their slots' signatures."""
    return {signatures[slot]: amount for slot, amount in enumerate(sums) if amount}


def _signed(
    credit: Sequence[tuple[Activity, int]], signatures: Sequence[_Signature]
) -> list[tuple[Activity, _Signature]]:
    """Each activity of ``credit`` (with its slot) with its slot's signature."""
    return [(activity, signatures[slot]) for activity, slot in credit]


def _curing(
    credit: Sequence[tuple[Activity, int]],
    reqs_of: Sequence[tuple[int, ...]],
    short: Sequence[Decimal],
) -> list[tuple[int, ...]]:
    """The minimums served by each of ``credit`` (activities with slots) serving one short."""
    return [reqs_of[slot] for _, slot in credit if any(short[r] for r in reqs_of[slot])]


def _held_below(
    counts: Sequence[Decimal | None], sums: Sequence[Decimal], carriers: Sequence[_Carrier]
) -> bool:
    """Whether a cap holds the kind of a carrier below its credit (``counts`` by slot)."""
    return any(counts[slot] != sums[slot] for _, _, _, slot in carriers)


def _carried_serving(
    carriers: Sequence[_Carrier], reqs_of: Sequence[tuple[int, ...]]
) -> Iterable[tuple[Decimal, tuple[int, ...]]]:
    """Each carrier's credit with the minimums ``reqs_of`` its slot (read as it goes, in C)."""
    return zip(
        map(_credits_of, carriers), map(reqs_of.__getitem__, map(_slot_of, carriers)), strict=True
    )


def _carried_by_areas(  # noqa: PLR0917 - the cycle's credit and minimums, as decided
    areas: Areas,
    kinds: Kinds,
    sums: Sequence[Decimal],
    carriers: list[_Carrier],
    got: Sequence[Decimal],
    required: Sequence[Decimal],
    short: Sequence[Decimal],
) -> tuple[list[Decimal], dict[str, list[Decimal]] | None, list[Decimal]] | None:
    """What carries out of a cycle of eligible activities, where they count, the shortfalls.

    :func:`kernel_decide` with ``areas``. What carries is what would if the areas needed
    nothing (``carriers`` reversed: later credit first): where that keeps every area
    met, the first options are the answer (no placement: None); otherwise the kept
    credit of eligible activities moves where an area needs it (:func:`_placed_in_areas`,
    as ``allocate_by_areas`` decides it), or, where the allocation would decide
    otherwise, None.
    """
    carriers.reverse()  # later credit first
    amounts = _carried_relaxed(carriers, got, required, areas.areas, kinds)
    # Where what carries so leaves every area its need, it is also what carries with the
    # needs kept: both carry each credit's most, latest first, within limits that only
    # lower what carries (the needs add limits), so the first credit where the two
    # differed would carry less with the needs kept, and these amounts, which keep them,
    # would not be the most. The first options are then the allocation's answer.
    if _keeps(areas.order, carriers, amounts, got, required, kinds.reqs_of):
        return amounts, None, list(short)
    placing = _placed_in_areas(areas, kinds, sums, (got, required), short, carriers, amounts)
    if placing is None:
        return None
    placed, shortfalls, amounts = placing
    return amounts, placed, shortfalls


def _unsettled(
    sums: Sequence[Decimal], required: Sequence[Decimal], kinds: Kinds, areas: Areas
) -> bool:
    """Whether the allocation's direct path over the first options cannot settle the caps.

    ``sums`` are the cycle's credit by slot, each eligible activity's in its first
    option: the kinds of credit that path reads (``_direct`` in
    :mod:`cperules._engine.allocation`, with the ``areas`` relaxed). It finds no answer
    where the caps admit no credit without a choice (:func:`admit`) and settling what
    may carry does not help (its own ``_settled``, run here on decimals). Entries of no
    credit only add to its choices, so True here is certain (False: it may find one).
    """
    signatures = kinds.signatures
    bounds = kinds.bounds
    available = {signatures[slot]: amount for slot, amount in enumerate(sums) if amount}
    if admit(available, bounds) is not None or not any(kind[2] for kind in available):
        return False
    return (
        _settled(list(available), list(available.values()), bounds, required, areas.areas) is None
    )


def _capped_carrying(  # noqa: PLR0917 - the cycle's credit, as added up, and the carryover cap
    sums: Sequence[Decimal],
    required: Sequence[Decimal],
    kinds: Kinds,
    carriers: Sequence[_Carrier],
    own: Sequence[Activity],
    window: tuple[int, int],
    carried_in: Sequence[Carry],
) -> tuple[_Direct, list[_Carrier]] | None:
    """What each kind counts where a cap binds over credit that may carry, and what may.

    The shape decided here (None for any other: the allocation's): each cap that binds
    over credit that may carry (``carriers``, in date order) is the only cap over that
    credit and holds one kind of it, the caps binding or inside it nest within it, and
    no credit carried in (``carried_in``) falls under it (:func:`_carrying_caps`); and
    each minimum its credit serves keeps its requirement even if everything that may
    carry, and that it serves, carried (as does the carryover cap, if any). Then the
    allocation's optimum (the program's objectives in turn) is, under each such cap:

    - the most counted: the cap's bound, or all its credit where the caps inside it let
      less through;
    - the most carried: of the credit that may carry, the latest, up to the cap's bound
      (what carries is counted, so under the cap);
    - the rest of the bound kept from its other credit, earliest first, within the caps
      inside it (the tie-break: kept credit is worth the more the earlier it is; carried
      credit is worth alike from every entry, and latest first is how it is read).

    The minimums the cap's credit serves keep their requirement whichever credit fills
    it, and never limit what carries, so the rest of the cycle is decided as if no cap
    bound. Returns the :class:`_Direct` of that (what each slot counts, carried credit
    included) and ``carriers`` with each one's credit what it may carry at most.
    """
    regions = _carrying_caps(sums, kinds, carried_in)
    if regions is None:
        return None
    bounds, reqs_of = kinds.bounds, kinds.reqs_of
    allowed = list(sums)
    offered = [credits for _, _, credits, _ in carriers]
    for top, (carrying, slots, inner) in regions.items():
        for slot in slots:
            allowed[slot] = _ZERO
        bound = bounds[top]
        if sums[carrying] >= bound:
            # Its latest credit carries, up to the bound; nothing else under it counts.
            allowed[carrying] = bound
            _latest_up_to(offered, carriers, carrying, bound)
            continue
        # All of it carries; the rest of the bound is kept, earliest first.
        allowed[carrying] = sums[carrying]
        left = {c: bounds[c] for c in inner}
        left[top] -= sums[carrying]
        if not _kept_earliest(allowed, slots - {carrying}, left, sums, own, window, kinds):
            return None
    size = len(sums)
    got = [
        sum((allowed[slot] for slot in slots if slot < size), _ZERO) for slots in kinds.req_slots
    ]
    served = {r for _, slots, _ in regions.values() for slot in slots for r in reqs_of[slot]}
    if not _keeps(served, carriers, offered, got, required, reqs_of):
        return None  # a minimum that would limit what carries: the allocation weighs it
    cap = kinds.carry_cap
    if cap is not None and sum(offered, _ZERO) > cap:
        return None  # the carryover cap would limit what carries
    direct = _Direct(allowed, None, got, _short_of(required, got), sum(allowed, _ZERO), False)
    offers = [
        (activity, code, most, slot)
        for (activity, code, _, slot), most in zip(carriers, offered, strict=True)
    ]
    return direct, offers


def _carrying_caps(
    sums: Sequence[Decimal], kinds: Kinds, carried_in: Sequence[Carry]
) -> dict[int, tuple[int, set[int], set[int]]] | None:
    """The caps that bind over credit that may carry, where :func:`_capped_carrying` reads them.

    Each such cap with: the one slot of its credit that may carry (under that cap alone),
    the slots of its credit (``sums``: by slot), and the caps over them (it and those
    inside it, nesting). None where the caps bind otherwise (no such cap, credit that may
    carry under another cap or of several kinds, a binding cap outside them, caps that
    do not nest), or where credit carried in (``carried_in``) falls under such a cap (it
    is counted in its own order).
    """
    size = len(sums)
    caps_of, bounds = kinds.caps_of, kinds.bounds
    held = [{slot for slot in slots if slot < size and sums[slot]} for slots in kinds.cap_slots]
    binding = {
        c for c, slots in enumerate(held) if sum((sums[s] for s in slots), _ZERO) > bounds[c]
    }
    tops: dict[int, int] = {}
    for slot in kinds.carriers:
        if slot < size and sums[slot] and binding.intersection(caps_of[slot]):
            if len(caps_of[slot]) != 1 or caps_of[slot][0] in tops:
                return None  # a cap inside, or several kinds that may carry: a choice
            tops[caps_of[slot][0]] = slot
    if not tops:
        return None
    if any(not any(held[c] <= held[top] for top in tops) for c in binding):
        return None  # a binding cap outside every such cap: the allocation's
    regions: dict[int, tuple[int, set[int], set[int]]] = {}
    for top, carrying in tops.items():
        slots = held[top]
        inner = {c for slot in slots for c in caps_of[slot]}
        for c in inner:
            if not held[c] <= slots or any(
                held[c] & held[o] and not (held[c] <= held[o] or held[o] <= held[c]) for o in inner
            ):
                return None  # a cap over this credit and more, or caps that do not nest
        regions[top] = (carrying, slots, inner)
    for activity, code, _ in carried_in:
        found = kinds.slots_of(activity, code)
        if found is None or any(found[0] in slots for _, slots, _ in regions.values()):
            return None
    return regions


def _latest_up_to(
    offered: list[Decimal], carriers: Sequence[_Carrier], slot: int, bound: Decimal
) -> None:
    """Lower ``offered`` (by carrier, in date order) so that ``slot``'s latest fill ``bound``."""
    for index in range(len(carriers) - 1, -1, -1):
        if carriers[index][3] == slot:
            take = offered[index] if offered[index] <= bound else bound
            offered[index] = take
            bound -= take


def _kept_earliest(  # noqa: PLR0917 - the cap's slots and room, and the cycle's credit
    allowed: list[Decimal],
    slots: set[int],
    left: dict[int, Decimal],
    sums: Sequence[Decimal],
    own: Sequence[Activity],
    window: tuple[int, int],
    kinds: Kinds,
) -> bool:
    """Add to ``allowed`` what each of ``slots`` keeps, earliest first, within ``left``.

    ``left`` is the room of each cap over them. One slot keeps its sum, within its caps'
    room; several keep their own activities' credit (``own``, in date order: those in
    ``window`` in their carrying slot) earliest first, each within its caps' room as it
    is taken. False where an activity's category is not one of the policy's.
    """
    caps_of = kinds.caps_of
    if len(slots) == 1:
        (slot,) = slots
        allowed[slot] += min(sums[slot], *(left[c] for c in caps_of[slot]))
        return True
    lo, hi = window
    for position, item in enumerate(own):
        found = kinds.slots_of(item, kinds.code(item))
        if found is None:
            return False
        slot = found[1] if lo <= position < hi and found[1] is not None else found[0]
        if slot in slots:
            take = min(item.credits or _ZERO, *(left[c] for c in caps_of[slot]))
            if take > 0:
                allowed[slot] += take
                for c in caps_of[slot]:
                    left[c] -= take
    return True


def _placed_in_areas(  # noqa: PLR0917 - the cycle's credit, then what carries
    areas: Areas,
    kinds: Kinds,
    sums: Sequence[Decimal],
    needs: tuple[Sequence[Decimal], Sequence[Decimal]],
    short: Sequence[Decimal],
    carriers: Sequence[_Carrier],
    amounts: list[Decimal],
) -> tuple[dict[str, list[Decimal]], list[Decimal], list[Decimal]] | None:
    """Where each eligible activity's kept credit counts, the shortfalls then, what carries.

    As ``allocate_by_areas`` (:mod:`cperules._engine.allocation_flow`) places it once
    ``amounts`` (what each carrier, later first, carries with the areas relaxed) carry:
    where every area's credit is under that area alone, no cap, and the same other
    minimums (the shape it reads), each eligible activity's kept credit stays in its first
    option but for what moves straight to a short area
    (:func:`~cperules._engine.allocation_flow.moved_one_step`), earlier activities
    keeping theirs first. Where the credit kept so leaves an area short whatever the
    options (Hall's condition fails), less carries: each carrier's most, later first,
    within what every set of areas has to spare of the credit counted
    (:func:`~cperules._engine.allocation_flow.carry_within`, the allocation's choice),
    or None where that credit cannot meet them all. ``needs`` are each minimum's credit
    (what carries included) and requirement. Returns each eligible activity's kept
    credit per option (by id; carried credit is its first option's), the shortfalls
    (every area's none) and what each carrier carries. None where the allocation
    decides otherwise (a flow over the areas): the full path's.
    """
    order = areas.order
    bits = _area_bits(kinds, order, sums)
    if bits is None:
        return None
    slots = kinds.slots
    # Each eligible activity's areas, by option, and as a mask (the set it may serve).
    where_of: dict[int, tuple[tuple[int, ...], int]] = {}
    for share in areas.shares:
        where = tuple([bits.get(slots[code][0], -1) for code in share.options])
        if -1 in where:
            return None  # an option under no area, or not in the shape
        mask = 0
        for bit in where:
            mask |= 1 << bit
        where_of[id(share)] = where, mask
    got, required = needs
    wanted = [required[r] for r in order]
    groups, kept_by_mask, filed = _kept_by_areas(areas, bits, where_of, sums, carriers, amounts)
    if _hall_slack(list(kept_by_mask), list(kept_by_mask.values()), wanted) is None:
        # What carries with the areas relaxed leaves one short: less carries, within what
        # the credit counted (the credit kept and what carried, by the areas it serves)
        # has to spare.
        masks = [_carrier_mask(item, slot, bits, where_of) for item, _, _, slot in carriers]
        counted = dict(kept_by_mask)
        for mask, take in zip(masks, amounts, strict=True):
            if mask and take:
                counted[mask] = counted.get(mask, _ZERO) + take
        slack = _hall_slack(list(counted), list(counted.values()), wanted)
        if slack is None:
            return None  # an area stays short whatever the options: the allocation's
        beside = _beside(kinds, areas.areas)
        amounts = carry_within(
            [
                (credits, beside[slot], mask)
                for (_, _, credits, slot), mask in zip(carriers, masks, strict=True)
            ],
            _spare_of(got, required),
            kinds.carry_cap,
            slack,
        )
        groups, kept_by_mask, filed = _kept_by_areas(areas, bits, where_of, sums, carriers, amounts)
    supplies = [sum((kept for _, kept in members), _ZERO) for members in groups.values()]
    moved = moved_one_step(
        list(groups), supplies, [need - have for need, have in zip(wanted, filed, strict=True)]
    )
    if moved is None:
        return None  # the flow over the areas decides
    placed: dict[str, list[Decimal]] = {}
    for members, per_option in zip(groups.values(), moved, strict=True):
        for activity_id, kept in members:  # earlier activities in their first option
            placed[activity_id] = _taken(kept, per_option)
    return placed, [_ZERO if r in areas.areas else gap for r, gap in enumerate(short)], amounts


def _kept_by_areas(  # noqa: PLR0917 - the areas' shape, then the credit and what carries
    areas: Areas,
    bits: Mapping[int, int],
    where_of: Mapping[int, tuple[tuple[int, ...], int]],
    sums: Sequence[Decimal],
    carriers: Sequence[_Carrier],
    amounts: Sequence[Decimal],
) -> tuple[dict[tuple[int, ...], list[tuple[str, Decimal]]], dict[int, Decimal], list[Decimal]]:
    """The credit kept once each carrier carries its amount, by the areas it may serve.

    Each eligible activity's kept credit by the areas of its options (``where_of``: in
    order, and as a mask; activities in date order), all kept credit by the set of areas
    it may serve (a mask: what :func:`~cperules._engine.allocation_flow._hall_slack`
    reads), and each area's own credit kept, eligible activities' not included
    (:func:`_filed`).
    """
    filed = _filed(areas, bits, sums, carriers, amounts)
    groups: dict[tuple[int, ...], list[tuple[str, Decimal]]] = {}
    kept_by_mask: dict[int, Decimal] = {}
    carried_by = {id(item): take for (item, _, _, _), take in zip(carriers, amounts, strict=True)}
    for share in areas.shares:
        where, mask = where_of[id(share)]
        kept = share.credits - carried_by.get(id(share), _ZERO)
        filed[where[0]] -= share.credits  # summed in its first option's slot
        groups.setdefault(where, []).append((share.id, kept))
        kept_by_mask[mask] = kept_by_mask.get(mask, _ZERO) + kept
    for bit, amount in enumerate(filed):
        kept_by_mask[1 << bit] = kept_by_mask.get(1 << bit, _ZERO) + amount
    return groups, kept_by_mask, filed


def _carrier_mask(
    item: object,
    slot: int,
    bits: Mapping[int, int],
    where_of: Mapping[int, tuple[tuple[int, ...], int]],
) -> int:
    """The areas a carrier's credit may serve, as a mask.

    An eligible activity's options' (``where_of``), else its slot's area (``bits``;
    under none: 0).
    """
    found = where_of.get(id(item))
    if found is not None:
        return found[1]
    bit = bits.get(slot, -1)
    return 1 << bit if bit >= 0 else 0


def _filed(
    areas: Areas,
    bits: Mapping[int, int],
    sums: Sequence[Decimal],
    carriers: Sequence[_Carrier],
    amounts: Sequence[Decimal],
) -> list[Decimal]:
    """Each area's credit kept: its slots' (``bits``) less what carries out of them.

    Eligible activities' credit is still in it, all of it, in their first options'
    slots: :func:`_placed_in_areas` takes it off.
    """
    filed = [_ZERO] * len(areas.order)
    for slot, amount in enumerate(sums):
        if amount and bits[slot] >= 0:
            filed[bits[slot]] += amount
    eligible = {id(share) for share in areas.shares}
    for (item, _, _, slot), take in zip(carriers, amounts, strict=True):
        if take and id(item) not in eligible and bits[slot] >= 0:
            filed[bits[slot]] -= take
    return filed


def _area_bits(
    kinds: Kinds, order: tuple[int, ...], sums: Sequence[Decimal]
) -> dict[int, int] | None:
    """Each slot's area: its place in ``order`` (the areas, ascending), -1 for none.

    None where credit (``sums``, by slot) under an area is not in the shape
    ``allocate_by_areas`` reads: under that area alone, no cap, and the same other
    minimums as all such credit. A slot of no credit out of that shape has no area
    (only an eligible activity's option could name it: it then leaves the cycle to the
    full path). The slots' areas are worked out once per set of rules and areas.
    """
    table = kinds.table
    key = (order, len(table.signatures))
    shape = table.area_bits.get(key)
    if shape is None:
        common: tuple[int, ...] | None = None
        bits: dict[int, int] = {}
        off: list[int] = []
        for slot, (reqs, caps, _) in enumerate(table.signatures):
            inside = [bit for bit, r in enumerate(order) if r in reqs]
            if not inside:
                bits[slot] = -1
                continue
            others = tuple(r for r in reqs if r not in order)
            if len(inside) != 1 or caps or (common is not None and others != common):
                off.append(slot)
                continue
            common = others
            bits[slot] = inside[0]
        shape = _keep(table.area_bits, key, (bits, tuple(off)))
    bits, off_shape = shape
    size = len(sums)
    if any(slot < size and sums[slot] for slot in off_shape):
        return None
    return bits


def _keeps(  # noqa: PLR0917 - the minimums, the carry, and what they have and need
    minimums: Iterable[int],
    carriers: Sequence[_Carrier],
    amounts: Sequence[Decimal],
    got: Sequence[Decimal],
    required: Sequence[Decimal],
    reqs_of: Sequence[tuple[int, ...]],
) -> bool:
    """Whether each of ``minimums`` keeps its requirement once each carrier carries its amount.

    ``got`` is each minimum's credit, what carries included; ``reqs_of`` the minimums
    each slot's credit serves (a carrier's slot is its last field).

    >>> carrier = (None, None, Decimal(4), 0)
    >>> _keeps([0], [carrier], [Decimal(4)], [Decimal(10)], [Decimal(6)], [(0,)])
    True
    >>> _keeps([0], [carrier], [Decimal(5)], [Decimal(10)], [Decimal(6)], [(0,)])
    False
    """
    spare: dict[int, Decimal] = {}
    for r in minimums:
        if got[r] < required[r]:
            return False
        spare[r] = got[r] - required[r]
    for (_, _, _, slot), take in zip(carriers, amounts, strict=True):
        if take:
            for r in reqs_of[slot]:
                if r in spare:
                    left = spare[r] = spare[r] - take
                    if left < 0:
                        return False
    return True


def _carried_relaxed(
    carriers: Sequence[_Carrier],
    got: Sequence[Decimal],
    required: Sequence[Decimal],
    areas: frozenset[int],
    kinds: Kinds,
) -> list[Decimal]:
    """What each carrier (later first) would carry if the ``areas`` required nothing.

    :func:`carry_latest_first` with each area's credit all to spare: where that is what
    carries with the areas' needs kept, every area stays met whatever carries, and the
    first options are the allocation's answer (``_AreaCarry`` in
    :mod:`cperules._engine.allocation_flow`).
    """
    spare = _spare_of(got, required)
    # An area never limits it (what carries of its credit is at most its credit): only
    # the other minimums a carrier serves are read.
    return carry_latest_first(
        _carried_serving(carriers, _beside(kinds, areas)), spare, kinds.carry_cap
    )


def _beside(kinds: Kinds, areas: frozenset[int]) -> list[tuple[int, ...]]:
    """By slot, the minimums its credit serves but the ``areas`` (worked out once per areas)."""
    table = kinds.table
    beside = table.beside.get(areas)
    if beside is None or len(beside) < len(table.reqs_of):
        beside = table.beside[areas] = [
            tuple(r for r in reqs if r not in areas) for reqs in table.reqs_of
        ]
    return beside


def _carried_after_cure(
    cure: Cure[str, Decimal],
    sums: Sequence[Decimal],
    direct: _Direct,
    kinds: Kinds,
    *,
    required: Sequence[Decimal],
    grace_credit: Sequence[tuple[Activity, int]],
    carriers: Sequence[_Carrier],
    carried_kinds: frozenset[tuple[int, ...]],
) -> tuple[list[Carry], Decimal] | None:
    """What the cycle's own credit carries out once ``cure`` counts, and its total.

    None where that makes the cure a choice (:func:`carry_after_cure`, as the
    allocation's direct path decides it), or where credit that may carry is of a kind a
    cap holds below its credit (only counted credit carries: left to the full path).
    Credit of kinds clear of every minimum short carries, latest first, what the minimums
    it serves spare with the grace-window credit used counted (:func:`carry_latest_first`,
    the program's choice where those minimums nest: ``carried_kinds`` passed
    :func:`carry_nests`).
    """
    if not carried_kinds:
        return [], _ZERO
    short = direct.short
    if _serve_every_gap(carried_kinds, short):
        # Every minimum short is served by every kind that may carry (CISSP's group A
        # credit, say): the least cure meets the largest gap exactly, so that minimum has
        # nothing to spare and nothing carries (what carry_after_cure finds, sooner).
        return [], _ZERO
    reqs_of = kinds.reqs_of
    free = carry_after_cure(short, cure, carried_kinds, _curing(grace_credit, reqs_of, short))
    if free is None:
        return None
    if not free:
        return [], _ZERO
    if _held_below(direct.by_slot(sums, kinds), sums, carriers):
        return None
    kept = list(direct.got)
    for activity, slot in grace_credit:
        used = cure.used.get(activity.id)
        if used:
            for r in reqs_of[slot]:
                kept[r] += used
    latest = carriers[::-1]
    amounts = carry_latest_first(
        _carried_serving(latest, kinds.reqs_of), _spare_of(kept, required), kinds.carry_cap
    )
    return _carry(amounts, latest), sum(amounts, _ZERO)


def _carry_one_kind(
    carriers: Sequence[_Carrier],
    got: Sequence[Decimal],
    required: Sequence[Decimal],
    serves: tuple[int, ...],
    cap: Decimal | None,
) -> tuple[Decimal, list[Carry]]:
    """:func:`carry_latest_first` where all the credit that may carry is of one kind.

    ``carriers`` in date order. Every carrier serves the same minimums (``serves``), so
    each one's take lowers what all of them can spare alike: the most that carries is
    the least any of those minimums spares (and the cap), taken latest first. The total
    carried and the credit each carrier carries (as :func:`_carry` lists it), in one pass.
    """
    budget = cap
    for r in serves:
        have, need = got[r], required[r]
        spare = have - need if have > need else _ZERO
        if budget is None or spare < budget:
            budget = spare
    total = _ZERO  # the takes added up in turn (from zero, as ``sum`` adds them)
    carried: list[Carry] = []
    for activity, code, credits, _ in reversed(carriers):
        if budget is None:
            take = credits
        elif budget <= 0:
            break  # nothing more carries: the earlier carriers carry none
        else:
            take = credits if credits <= budget else budget
            budget -= take
        total += take
        if take:
            carried.append((activity, code, plain(take)))
    carried.reverse()
    return total, carried


def _add(sums: list[Decimal], slot: int, amount: Decimal) -> None:
    """Add ``amount`` to ``sums[slot]`` (the list grown to hold the slot)."""
    if slot >= len(sums):
        sums.extend([_ZERO] * (slot + 1 - len(sums)))
    sums[slot] += amount


_Carrier = tuple[Activity, str | None, Decimal, int]
"""Credit that may carry out: its activity, category, amount and slot."""

_credits_of: Callable[[_Carrier], Decimal] = itemgetter(2)
"""A carrier's amount (read in C where a loop reads every carrier's)."""
_slot_of: Callable[[_Carrier], int] = itemgetter(3)
"""A carrier's slot."""


def _by_kind(
    own: Sequence[Activity],
    lo: int,
    hi: int,
    kinds: Kinds,
    cured: Mapping[str, Fraction | Decimal],
) -> tuple[list[Decimal], list[_Carrier]] | None:
    """The cycle's own credit by slot, and the credit that may carry out (in date order).

    ``own`` is in date order (then id). Credit earned in the carryover window
    (``own[lo:hi]``) takes its kind's carrying slot; the rest its plain one. Credit a
    grace-window cure of the previous cycle used (``cured``) is taken off. None if an
    activity's category is not one of the policy's (the full path says so). Activity by
    activity: for rules that read more than categories (else :func:`_by_category`).
    """
    sums = [_ZERO] * len(kinds.signatures)
    slots_of = kinds.slots_of
    carriers: list[_Carrier] = []
    for part, in_window in (((*own[:lo], *own[hi:]), False), (own[lo:hi], True)):
        for activity in part:
            code = kinds.code(activity)
            found = slots_of(activity, code)
            if found is None:
                return None
            credits = _credit_left(activity, cured) if cured else activity.credits
            if credits is None:
                return None
            if not credits:
                continue
            slot, carrying = found
            if in_window and carrying is not None:
                slot = carrying
                carriers.append((activity, code, credits, slot))
            _add(sums, slot, credits)
    return sums, carriers


def _by_category(  # noqa: PLR0917 - _by_kind's arguments, and the columns if known
    own: Sequence[Activity],
    lo: int,
    hi: int,
    kinds: Kinds,
    cured: Mapping[str, Fraction | Decimal],
    columns: Columns | None = None,
) -> tuple[list[Decimal], list[_Carrier]] | None:
    """:func:`_by_kind` for rules that read categories only.

    Where the policy declares categories and every activity is of a category met
    before, the table's compiled adder (:meth:`SlotTable.adder`) adds the credit up (less
    what a cure used) from ``columns``, the categories and credits of ``own`` (from the
    activities where not given); else :func:`_by_category_loops` does (and meets the
    new kinds).
    """
    if kinds.paths:
        add_up = kinds.table.adder(columns is not None)
        if add_up is not None:
            found = (
                add_up(own, lo, hi, cured)
                if columns is None
                else add_up(own, lo, hi, cured, columns[0], columns[1])
            )
            if found is not None:
                return found
    return _by_category_loops(own, lo, hi, kinds, cured)


Columns = tuple[Sequence[str | None], Sequence[Decimal | None]]
"""The categories and credits of a cycle's activities, in their order (a chronology's
columns, :class:`cperules.ledger.Chronology`): what the adder reads."""


def _by_category_loops(
    own: Sequence[Activity],
    lo: int,
    hi: int,
    kinds: Kinds,
    cured: Mapping[str, Fraction | Decimal],
) -> tuple[list[Decimal], list[_Carrier]] | None:
    """:func:`_by_category` by loops over the activities, meeting kinds not met before.

    Outside the carry window (``own[lo:hi]``) the credit is added up by category first
    (:func:`_by_code`), then by slot; inside it, by slot, activity by activity (the credit
    that may carry out is listed).
    """
    known = kinds.slots
    by_code = _by_code((own[:lo], own[hi:]) if lo < hi else (own,), kinds, cured)
    if by_code is None:
        return None
    signatures = kinds.signatures
    sums = [_ZERO] * len(signatures)
    paths = bool(kinds.paths)
    for code, amount in by_code.items():
        found = known.get(code)
        if found is None:
            sample = next(a for a in own if (a.category if paths else None) == code)
            found = kinds.slots_of(sample, cast("str | None", code))
            if found is None:
                return None
            sums.extend([_ZERO] * (len(signatures) - len(sums)))  # slots first met
        if amount:
            sums[found[0]] += amount
    carriers: list[_Carrier] = []
    # The credit earned in the carry window, by slot, with what may carry out (in date
    # order).
    for activity in own[lo:hi]:
        code = activity.category if paths else None
        found = known.get(code)
        if found is None:
            found = kinds.slots_of(activity, code)
            if found is None:
                return None
            sums.extend([_ZERO] * (len(signatures) - len(sums)))
        left = activity.credits
        if cured:
            left = _credit_left(activity, cured)
            if left is None:
                return None
        if not left:
            continue  # (None too: a simple activity gives credit)
        slot, carrying = found
        if carrying is not None:
            slot = carrying
            carriers.append((activity, code, left, slot))
        sums[slot] += left
    return sums, carriers


_ADDER_CATEGORIES = 8
"""The most categories met for which a slot table compiles its adder (:meth:`SlotTable.adder`):
each activity is compared with them in turn, which a dictionary outruns beyond a few."""

_Adder = Callable[..., "tuple[list[Decimal], list[_Carrier]] | None"]
"""A slot table's compiled adder (:meth:`SlotTable.adder`): of ``(own, lo, hi, cured,
codes, credits)``, or not columnar of ``(own, lo, hi, cured)``."""


def _adder_of(source: str) -> _Adder:
    """The adder written in ``source`` (:func:`_adder_source`)."""
    scope: dict[str, object] = {"Z": _ZERO, "decimal_of": _amount}
    code = compile(source, "<cperules: adder>", "exec")  # named for tracebacks
    exec(code, scope)  # the source is written by _adder_source, from reprs of str
    return cast("_Adder", scope["add_up"])


def _adder_source(
    known: Sequence[tuple[str, tuple[int, int | None]]], size: int, *, columnar: bool = True
) -> str:
    """The source of a :meth:`SlotTable.adder` for the categories ``known`` and ``size`` slots.

    ``known`` pairs each category met with its slots (outside, inside the carry window).
    ``columnar``: the adder reads each activity's category and credit from ``codes`` and
    ``credits`` (the columns of ``own``, in its order), so its pass over the cycle reads
    two lists rather than every activity's fields; else from the activities (their
    columns are not kept: shares). The credit outside the carry window is added up
    per category (``c0``, ...), then into the slots (``s0``, ...) in the order the
    categories were met, a total of zero adding nothing; the credit inside it into its
    slots activity by activity. Where a cure of the previous cycle used some of an
    activity's credit (``cured``), the rest counts (an amount not a decimal: None, the
    loops say so). The same additions in the same order as :func:`_by_category_loops`,
    so each decimal comes out written alike.
    """
    totals = [f"c{n}" for n in range(len(known))]
    sums = [f"s{slot}" for slot in range(size)]

    def chain(each: Callable[[int, tuple[int, int | None]], list[str]], indent: str) -> list[str]:
        lines = []
        for n, (code, slots) in enumerate(known):
            lines.append(f"{indent}{'if' if n == 0 else 'elif'} k == {code!r}:")
            lines += [f"{indent}    {line}" for line in each(n, slots)]
        if not lines:
            return [f"{indent}return None"]  # no category met: the loops meet them
        return [*lines, f"{indent}else:", f"{indent}    return None"]

    def outside(n: int, _: tuple[int, int | None]) -> list[str]:
        return [f"c{n} += x or Z"]  # as _by_code reads credit (None: none)

    def outside_left(n: int, _: tuple[int, int | None]) -> list[str]:
        return [f"c{n} += x"]

    def inside(_: int, slots: tuple[int, int | None]) -> list[str]:
        plain, carrying = slots
        if carrying is None:
            return ["if x:", f"    s{plain} += x"]
        return ["if x:", f"    s{carrying} += x", f"    carriers.append((a, k, x, {carrying}))"]

    def loop(part: str, indent: str, *, window: bool, left: bool) -> list[str]:
        """A loop over the activities ``part`` names, adding their credit (or credit left) up."""
        columns = f"codes{part}, credits{part}"
        if not columnar:
            lines = [f"for a in own{part}:", "    k, x = a.category, a.credits"]
        elif window or left:  # the activity too: carried out, or looked up among the cured
            lines = [f"for a, k, x in zip(own{part}, {columns}):"]
        else:
            lines = [f"for k, x in zip({columns}):"]
        if left:  # as _by_code and _credit_left read it
            lines += [
                "    x = x or Z",
                "    u = cured.get(a.id)",
                "    if u:",
                "        u = decimal_of(u)",
                "        if u is None:",
                "            return None",
                "        x -= u",
            ]
        each = inside if window else outside_left if left else outside
        return [f"{indent}{line}" for line in lines] + chain(each, f"{indent}    ")

    columns = ", codes, credits" if columnar else ""
    lines = [f"def add_up(own, lo, hi, cured{columns}):", "    n = len(own)"]
    if totals:
        lines.append(f"    {' = '.join(totals)} = Z")
    for left in (True, False):
        lines += [
            "    if cured:" if left else "    else:",
            "        if lo >= n:",
            *loop("", "            ", window=False, left=left),
            "        else:",
            *loop("[:lo]", "            ", window=False, left=left),
            "        if hi < n:",
            *loop("[hi:]", "            ", window=False, left=left),
        ]
    if sums:
        lines.append(f"    {' = '.join(sums)} = Z")
    for n, (_, (plain, _)) in enumerate(known):
        lines += [f"    if c{n}:", f"        s{plain} += c{n}"]
    lines.append("    carriers = []")
    for left in (True, False):
        lines += [
            "    if cured:" if left else "    else:",
            *loop("[lo:hi]", "        ", window=True, left=left),
        ]
    lines.append(f"    return [{', '.join(sums)}], carriers")
    return "\n".join(lines) + "\n"


def _by_code(
    parts: Iterable[Sequence[Activity]], kinds: Kinds, cured: Mapping[str, Fraction | Decimal]
) -> dict[object, Decimal] | None:
    """The credit of ``parts`` added up by category (None where the policy declares none).

    Less what a cure of the previous cycle used (None: an amount not a decimal). Where
    the policy declares categories, this is the way after a category not met before (the
    table's adder adds the others up: :func:`_by_category`).
    """
    paths = bool(kinds.paths)
    # Without fields read besides it, a kind's key is its category.
    by_code: dict[object, Decimal] = (
        {} if paths and not cured else dict.fromkeys(kinds.slots, _ZERO)
    )
    get = by_code.get
    for part in parts:
        for activity in part:
            code = activity.category if paths else None
            credits = activity.credits or _ZERO
            if cured:
                used = cured.get(activity.id)
                if used:
                    spent = _amount(used)
                    if spent is None:
                        return None
                    credits -= spent
            by_code[code] = get(code, _ZERO) + credits
    return by_code


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
    kinds: Kinds,
    cured: Mapping[str, Fraction | Decimal],
    window: tuple[int, int],
    carried_in: Sequence[Carry],
) -> dict[_Signature, tuple[Activity, str | None]]:
    """Each signature's earliest credit (own, then carried in), with its category.

    ``own[lo:hi]`` (``window``) are the activities earned in the carry window. Only
    called on credit :func:`_by_kind` or :func:`_by_category` accepted, so every
    category is known.
    """
    lo, hi = window
    first: dict[_Signature, tuple[Activity, str | None]] = {}
    for position, activity in enumerate(own):
        code = kinds.code(activity)
        found = kinds.of(activity, code)
        assert found is not None
        if not _credit_left(activity, cured):
            continue
        signature, carrying = found
        if carrying is not None and lo <= position < hi:
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
        allowed: What each slot counts (no cap pooled several kinds), else None.
        admitted: What each kind counts, for kinds no binding cap pooled with others,
            where :func:`~cperules._engine.allocation.admit` worked it out (else None).
        got: Each minimum's credit.
        short: Each minimum's shortfall.
        counted: All the credit counted.
        pooled: Whether a binding cap pooled several kinds (which of them it admits is
            left open: it changes no total, since they serve the same minimums).
        carrying_pooled: Whether such a cap pooled credit that may carry (none of it can,
            unless grace-window credit cures the cycle: :func:`_admitted`).
    """

    allowed: list[Decimal] | None
    admitted: dict[_Signature, Decimal] | None
    got: list[Decimal]
    short: list[Decimal]
    counted: Decimal
    pooled: bool
    carrying_pooled: bool = False

    def by_slot(self, sums: Sequence[Decimal], kinds: Kinds) -> list[Decimal | None]:
        """What each kind counts, by slot (None: a kind with no credit in ``sums``)."""
        allowed = self.allowed
        if allowed is None:
            assert self.admitted is not None
            admitted = self.admitted
            return [
                admitted[signature] if amount else None
                for signature, amount in zip(kinds.signatures, sums, strict=True)
            ]
        return [have if amount else None for have, amount in zip(allowed, sums, strict=True)]

    def by_signature(self, sums: Sequence[Decimal], kinds: Kinds) -> dict[_Signature, Decimal]:
        """What each kind with credit (``sums``, by slot) counts, by signature."""
        if self.admitted is not None:
            return self.admitted
        allowed = self.allowed
        assert allowed is not None
        signatures = kinds.signatures
        return {signatures[slot]: allowed[slot] for slot, amount in enumerate(sums) if amount}


_Tally = Callable[[list[Decimal], Sequence[Decimal]], "_Direct | None"]
"""A slot table's compiled tally (:meth:`SlotTable.tally`)."""


def _direct(
    sums: list[Decimal], required: Sequence[Decimal], kinds: Kinds, *, admitting: bool = True
) -> _Direct | None:
    """Each kind's counted credit, each minimum's credit and shortfall, all counted.

    Every kind counts all of it, up to the caps (:func:`cperules._engine.allocation.admit`:
    a binding cap over kinds that serve the same minimums admits its bound of them
    together). Decided by the slots' sums where no cap binds, or one binds over the one
    kind of its credit (which may not carry): the table's compiled tally
    (:meth:`SlotTable.tally`); else by ``admit`` (not ``admitting``: None instead). None
    where a cap that binds leaves a real choice.
    """
    table = kinds.table
    tally = table.tallies.get(len(sums)) or table.tally(len(sums))
    found = tally(sums, required)
    if found is None and admitting:
        return _admitted(sums, required, kinds)
    return found


def _tally_of(source: str, bounds: Sequence[Decimal]) -> _Tally:
    """The tally written in ``source`` (:func:`_tally_source`), for caps of these ``bounds``."""
    scope: dict[str, object] = {"Direct": _Direct, "Z": _ZERO, "new": new_tuple}
    scope.update((f"b{c}", bound) for c, bound in enumerate(bounds))
    code = compile(source, "<cperules: tally>", "exec")  # named for tracebacks
    exec(code, scope)  # the source is written by _tally_source, from slot numbers only
    return cast("_Tally", scope["tally"])


def _tally_source(
    size: int,
    cap_slots: Sequence[Sequence[int]],
    req_slots: Sequence[Sequence[int]],
    carrying: Sequence[bool],
) -> str:
    """The source of a :meth:`SlotTable.tally` over ``size`` slots.

    The function reads one cycle's sums by slot and its minimums' required credit, and
    gives the :class:`_Direct` of them where no cap binds, or one binds over the one kind
    of its credit, which may not carry (it counts the cap's bound); None for any other
    binding (``admit``'s choice). Each slot's sum is a local (``s0``, ``s1``, ...), what
    it counts another (``a0``, ...), each cap's bound a constant of the function's scope
    (``b0``, ...), and every total is added up left to right from zero, as a loop over
    the slots adds it up, so each decimal comes out written alike.
    """
    sums = [f"s{slot}" for slot in range(size)]
    counts = [f"a{slot}" for slot in range(size)]
    cap_slots = [[slot for slot in under if slot < size] for under in cap_slots]
    req_slots = [[slot for slot in under if slot < size] for under in req_slots]
    # List targets: ``[] = sums`` unpacks no slot at all.
    lines = ["def tally(sums, required):", f"    [{', '.join(sums)}] = sums", "    binding = -1"]
    for c, under in enumerate(cap_slots):
        if under:
            total = " + ".join(f"s{slot}" for slot in under)
            lines += [f"    if {total} > b{c}:", f"        binding = {c} if binding == -1 else -2"]
    lines += [
        "    if binding == -1:",
        f"        [{', '.join(counts)}] = sums",
        "        allowed = sums",
    ]
    for c, under in enumerate(cap_slots):
        for held in under:
            if carrying[held]:
                continue  # credit that may carry under a binding cap: admit's choice
            alone = " and ".join([f"s{held}", *(f"not s{o}" for o in under if o != held)])
            kept = [f"b{c}" if slot == held else f"s{slot}" for slot in range(size)]
            lines += [
                f"    elif binding == {c} and {alone}:",
                f"        [{', '.join(counts)}] = [{', '.join(kept)}]",
                f"        allowed = [{', '.join(counts)}]",
            ]
    lines += ["    else:", "        return None"]
    got = []
    short = []
    # Each total written once: a minimum's credit that is all counted credit is that.
    totals: dict[str, str] = {}
    for r, under in enumerate(req_slots):
        total = " + ".join(["Z", *(f"a{slot}" for slot in under)])
        if total not in totals:
            totals[total] = f"g{r}"
            lines.append(f"    g{r} = {total}")
        got.append(totals[total])
        short.append(f"r{r} - {totals[total]} if r{r} > {totals[total]} else Z")
    lines.append(f"    [{', '.join(f'r{r}' for r in range(len(req_slots)))}] = required")
    total = " + ".join(["Z", *counts])
    counted = totals.get(total, total)
    # Built as a tuple of every field (``new`` is tuple.__new__): no constructor frame.
    fields = f"allowed, None, [{', '.join(got)}], [{', '.join(short)}], {counted}, False, False"
    lines.append(f"    return new(Direct, ({fields}))")
    return "\n".join(lines) + "\n"


def _admitted(sums: list[Decimal], required: Sequence[Decimal], kinds: Kinds) -> _Direct | None:
    """:func:`_direct` by :func:`~cperules._engine.allocation.admit`, for binding caps.

    A binding cap over kinds serving the same minimums, some of which may carry (one
    kind, or several pooled), is admitted where none of its credit can carry: each kind
    of it that may carry serves a minimum with nothing to spare (short or just met,
    whichever credit of the pool counts). Carrying any of it would then leave a larger
    shortfall, so in every optimum it carries nothing, and the allocation is that of
    credit that may not carry. Grace-window credit could leave that minimum something to
    spare: such a cycle is marked (``carrying_pooled``) and left to the full path when it
    would be cured.
    """
    signatures = kinds.signatures
    available = {signatures[slot]: amount for slot, amount in enumerate(sums) if amount}
    admitted = admit(available, kinds.bounds)
    carrying_pooled = False
    if admitted is None:
        admitted = admit(available, kinds.bounds, pool_carrying=True)
        if admitted is None:
            return None
        carrying_pooled = True
    allowed, groups = admitted
    got = [_ZERO] * len(required)
    for reqs, amount in groups:
        for r in reqs:
            got[r] += amount
    short = _short_of(required, got)
    counted = sum((amount for _, amount in groups), _ZERO)
    if carrying_pooled and not all(
        any(got[r] <= required[r] for r in kind[0])
        for kind, amount in available.items()
        if kind[2] and (kind not in allowed or allowed[kind] != amount)
    ):
        # Capped credit that may carry could carry: pooled, which would be a choice; a
        # kind capped alone, what of it carries is at most what the cap counts
        # (:func:`_capped_carrying`).
        return None
    return _Direct(
        None, allowed, got, short, counted, len(groups) < len(available), carrying_pooled
    )


def _short_of(required: Sequence[Decimal], got: Sequence[Decimal]) -> list[Decimal]:
    """Each minimum's shortfall: what it requires beyond its credit ``got``, else none."""
    return [need - have if need > have else _ZERO for need, have in zip(required, got, strict=True)]


def _spare_of(got: Sequence[Decimal], required: Sequence[Decimal]) -> list[Decimal]:
    """What each minimum has to spare: its credit ``got`` beyond what it requires."""
    return [have - need if have > need else _ZERO for have, need in zip(got, required, strict=True)]


def _carry(amounts: Sequence[Decimal], carriers: Sequence[_Carrier]) -> list[Carry]:
    """The credit each carrier (later first) carries out, listed in date order."""
    carried_out = [
        (activity, code, plain(take))
        for (activity, code, _, _), take in zip(carriers, amounts, strict=True)
        if take
    ]
    carried_out.reverse()
    return carried_out


Statuses = tuple[Status, Status]
"""The cycle's status when every minimum is met, and when one is short (the full path's
own judgement, worked out once per cycle)."""

_requirement_verdict = maker(RequirementVerdict)
_cycle_verdict = maker(CycleVerdict)


_ShortRow = tuple["Kinds", tuple[RequirementVerdict, ...], frozenset[str]]
"""Requirement verdicts of a cycle short of something, and the minimums it met, with the
kinds of credit they are of."""

_SHORT_ROWS_KEPT = 1024
"""Requirement verdicts kept by kinds of credit and shortfalls (forgotten all at once)."""
_short_rows: dict[tuple[object, ...], _ShortRow] = {}


def _short_row(kinds: Kinds, short: Sequence[Decimal]) -> _ShortRow:
    """The requirement verdicts of a cycle short by ``short`` (as shown), and those it met.

    A minimum short of nothing has its verdict when met (``kinds.met``, shared); one short
    of something gets its own.
    """
    verdicts = []
    met = []
    for row, gap in enumerate(short):
        rule, period, shown, counts, kept = kinds.rows[row]
        if gap:
            verdicts.append(_requirement_verdict(rule, period, shown, gap, False))
        else:
            verdicts.append(kept)
            if counts:
                met.append(rule)
    return kinds, tuple(verdicts), frozenset(met)


def _result(
    cycle: Cycle,
    version: PolicyVersion,
    kinds: Kinds,
    *,
    short: Sequence[Decimal],
    counted: Decimal,
    carried_in: Decimal,
    carried_out: Decimal,
    grace_counted: Decimal,
    statuses: Statuses,
    canonical: bool = True,
) -> tuple[CycleVerdict, frozenset[str]]:
    """The cycle's verdict (built as the full path builds it) and the minimums it met.

    ``short`` holds each minimum's shortfall, a shortfall of nothing falsy. ``canonical``:
    as the kernel adds them up, in any writing: the verdicts show each as the full path
    writes it (:func:`plain`), and cycles short of the same amounts share their
    requirement verdicts (immutable), kept by value in :data:`_short_rows`. Not
    ``canonical`` (``to_decimal`` and ``round_up`` of fractions, which may write trailing
    zeros): written as they come, each time. Other amounts come in as the full path
    writes them.
    """
    if any(short):
        if canonical:
            # Keyed by the shortfalls' written forms: a fresh decimal's first hash costs
            # several times its ``str`` where it has a fraction (``2.5`` and ``2.50``,
            # equal, are kept apart, each shown as ``plain`` writes it).
            key = (id(kinds), *map(str, short))
            found = _short_rows.get(key)
            if found is None or found[0] is not kinds:
                shown = [plain(gap) if gap else gap for gap in short]
                found = _keep(_short_rows, key, _short_row(kinds, shown), _SHORT_ROWS_KEPT)
            requirements, met_ids = found[1], found[2]
        else:
            requirements, met_ids = _short_row(kinds, short)[1:]
        status = statuses[1]
    else:
        requirements, status, met_ids = kinds.met, statuses[0], kinds.met_ids
    head = kinds.head
    if head is None or head[0] is not cycle:
        # The kinds are of one version (kinds_for): a cycle's verdicts are told apart by
        # the cycle alone.
        made = partial(
            _cycle_verdict, cycle.index, cycle.period, cycle.due, cycle.grace, cycle.suspension
        )
        head = kinds.head = (cycle, made, version.effective_from)
    result = head[1](
        status, head[2], requirements, counted, carried_in, carried_out, grace_counted, None
    )
    return result, met_ids


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
    kinds: Kinds,
    limits: Sequence[Limit],
    next_period: Period | None,
    statuses: Statuses,
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
    carriers.reverse()  # of one kind: later first
    amounts = []
    for _, _, credits, _ in carriers:
        take = min(credits, spare)
        spare -= take
        amounts.append(take)
    carried_out = _carry(amounts, carriers)
    counted = sum((allocation.counted[index][0] for index in range(len(entries))), Fraction(0))
    result, met = _result(
        cycle,
        version,
        kinds,
        short=[round_up(gap) if gap else _ZERO for gap in allocation.shortfall],
        canonical=False,
        counted=to_decimal(counted - carried),
        carried_in=carried_total_in,
        carried_out=to_decimal(carried),
        grace_counted=to_decimal(grace_counted),
        statuses=statuses,
    )
    cured_on = None
    if result.status == "compliant" and cure_used:
        cured_on = cure_day(entries, requirements, limits, version, allocation)
    return KernelCycle(result, carried_out, next_period, met, cure_used, cured_on)
