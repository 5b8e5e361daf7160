"""The allocation engine: which credit counts where, chosen best for the holder.

Within one cycle, credit flows from entries (an activity, one share of a split, credit
carried in, or grace-window credit) into categories. The engine chooses the counted
amounts so that, in this order:

1. every minimum is met if any allocation within the caps meets them all;
2. otherwise the total shortfall over all minimums is as small as possible;
3. (planning only) as little hypothetical credit as possible is asked for;
4. (grace only) as little grace-window credit as possible cures the ended cycle;
5. the counted total is as large as possible;
6. the credit carried out (taken from counted credit without breaking 1) is as large
   as possible;
7. ties break by date, then id: earlier credit counts first, later credit carries first.

This is a small linear program, solved exactly over fractions (:mod:`cperules._engine.lp`).
When no choice exists (one category per entry, no cap that binds, no carryover, no
grace, no planning) the program is skipped and everything counts as claimed; it is
skipped too where that direct answer is proved optimal with eligible credit kept in its
first category or moved where an area needs it
(:func:`~cperules._engine.allocation_flow.allocate_by_areas`), or with grace-window
credit chosen along a chain. Those direct paths
work in integer units of one scale per problem (the least common multiple of its
amounts' denominators), made fractions once, for the result; what they derive from the
rules alone is kept per cycle plan's rules (:func:`_rules`). When the
caps and the minimums each nest (a tree of categories on each side), the same optimum is
found as a minimum-cost flow (:mod:`cperules._engine.allocation_flow`), in time about
linear in the entries; the program is for the rest, and for planning.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Literal, TypeVar, cast

from cperules._engine import lp
from cperules._engine.grace_cure import Graced, carry_after_cure, chain_cure
from cperules.credits import _keep, exact
from cperules.cycles import Period
from cperules.ledger import Activity
from cperules.rules import Cap, Minimum
from cperules.rules.carryover import Carryover
from cperules.selectors import Everything, HasCategory, Selector, leaves

__all__ = [
    "NOTHING",
    "Allocation",
    "Entry",
    "Hypothetical",
    "Limit",
    "Matcher",
    "Requirement",
    "admit",
    "allocate",
    "carry_latest_first",
    "carry_nests",
    "least_need",
    "limits_for",
    "requirements_for",
]

Source = Literal["own", "carried-in", "grace"]


@dataclass(slots=True, unsafe_hash=True)
class Entry:
    """Credit that may count in a cycle: all or one share of an activity's credit.

    A value: never changed once made (compared and hashed by its fields, as a frozen
    dataclass would be). It is made for every activity of every cycle evaluated, so it
    is not frozen: a frozen dataclass sets each field through ``object.__setattr__``,
    several times the cost of a plain slotted class.

    >>> import datetime as dt
    >>> from fractions import Fraction
    >>> from cperules import Activity
    >>> day = dt.date(2024, 5, 1)
    >>> activity = Activity(id="c1", title="Course", completed=day, credits=1, category="A")
    >>> entry = Entry(activity, Fraction(3, 2), ("A",), (("A",),), day)
    >>> entry.source, entry.key
    ('own', (datetime.date(2024, 5, 1), 'c1', 'own', 0))
    """

    activity: Activity
    amount: Fraction
    options: tuple[str | None, ...]
    paths: tuple[tuple[str, ...], ...]
    day: dt.date | None
    source: Source = "own"
    share: int = 0
    carry: bool = False

    @property
    def key(self) -> tuple[dt.date, str, str, int]:
        """The order ties break in: date, then activity id."""
        return (self.activity.completed, self.activity.id, self.source, self.share)


@dataclass(frozen=True, slots=True)
class Requirement:
    """A minimum over one scope instance, with its (possibly prorated) required amount."""

    rule: Minimum
    period: Period
    scoped: bool
    required: Fraction


@dataclass(frozen=True, slots=True)
class Limit:
    """A cap over one scope instance."""

    rule: Cap
    period: Period
    scoped: bool


@dataclass(frozen=True, slots=True)
class Hypothetical:
    """A kind of hypothetical credit the planner may ask for (a category and a topic).

    ``day`` places it in a cycle's years; ``None`` for credit earned in a grace window,
    which (like any grace-window claim) counts toward the cycle but toward none of its
    years.
    """

    activity: Activity
    option: str | None
    path: tuple[str, ...]
    day: dt.date | None


class Matcher:
    """Selector matches per (selector, entry index, option), computed once each.

    An allocation keeps the matcher it used, so that reading it (which requirement a
    credit served, which cap stopped it) asks again instead of matching anew. A selector
    that reads nothing but categories (its leaves are categories or everything) is
    matched once per category path, however many entries share the path; those matches
    are kept across allocations, since selectors are frozen.
    """

    def __init__(self) -> None:
        self._cache: dict[tuple[int, int, int], bool] = {}

    @staticmethod
    def category_only(selector: Selector) -> bool:
        """Whether ``selector`` decides on an option's category path alone."""
        return _known(selector)[0]

    def __call__(
        self, selector: Selector, index: int, entry: Entry | Hypothetical, option: int
    ) -> bool:
        """Whether ``selector`` selects option ``option`` of entry ``index``."""
        key = (id(selector), index, option)
        hit = self._cache.get(key)
        if hit is None:
            path = entry.paths[option] if isinstance(entry, Entry) else entry.path
            category_only, by_path = _known(selector)
            if category_only:
                hit = by_path.get(path)
                if hit is None:
                    hit = by_path[path] = selector.matches(entry.activity, categories=path)
            else:
                hit = selector.matches(entry.activity, categories=path)
            self._cache[key] = hit
        return hit


_SELECTORS: dict[int, tuple[Selector, bool, dict[tuple[str, ...], bool]]] = {}
"""Per selector (by id, the selector kept so that its id is not reused): whether it reads
categories alone, and its matches per category path. Bounded by :data:`_KEPT`."""

_KEPT = 4096


def _known(selector: Selector) -> tuple[bool, dict[tuple[str, ...], bool]]:
    """Whether ``selector`` reads categories alone, and its kept matches per path."""
    known = _SELECTORS.get(id(selector))
    if known is None or known[0] is not selector:
        category_only = all(isinstance(leaf, HasCategory | Everything) for leaf in leaves(selector))
        known = _keep(_SELECTORS, id(selector), (selector, category_only, {}), _KEPT)
    return known[1], known[2]


Membership = tuple[tuple[int, ...], tuple[int, ...], bool]
"""Where one category option of an entry falls: the minimums (indices) that select it, the
caps that do, and whether it may carry over."""


@dataclass(frozen=True, slots=True)
class Allocation:
    """The chosen amounts: counted and carried per entry and option, shortfall, needs."""

    counted: tuple[tuple[Fraction, ...], ...]
    carried: tuple[tuple[Fraction, ...], ...]
    shortfall: tuple[Fraction, ...]
    needed: tuple[Fraction, ...] = ()
    binding: tuple[bool, ...] = field(default=())
    match: Matcher = field(default_factory=Matcher, compare=False, repr=False)
    placed: Sequence[Sequence[Membership]] | None = field(default=None, compare=False, repr=False)
    """Where each entry's options fall (:func:`memberships`), when the allocation had it."""

    def counted_total(self, index: int) -> Fraction:
        """Everything entry ``index`` counts, over its options."""
        return sum(self.counted[index], Fraction(0))


def in_scope(day: dt.date | None, period: Period, scoped: bool) -> bool:
    """Whether credit placed on ``day`` falls under a rule instance over ``period``."""
    return not scoped or (day is not None and day in period)


_in_scope = in_scope


def allocate(
    entries: Sequence[Entry],
    requirements: Sequence[Requirement],
    limits: Sequence[Limit],
    carryover: Carryover | None = None,
    needs: Sequence[Hypothetical] = (),
    *,
    by_areas: bool = True,
) -> Allocation:
    """Choose counted, carried and needed amounts holder-optimally (see the module doc).

    ``by_areas=False`` skips the direct path over eligible credit's first options
    (:func:`~cperules._engine.allocation_flow.allocate_by_areas`), for a caller that
    knows it finds no answer (the verdict kernel's ``_unsettled``): the flow decides.
    """
    match = Matcher()
    # A cap that takes a share of the total is for the LP alone.
    if not needs and all(limit.rule.share is None for limit in limits):
        # The rules' memberships, worked out once for the direct paths and the flow.
        placed = memberships(entries, requirements, limits, carryover, match)
        grace = False
        several: list[int] = []  # the entries with several options, when no grace
        for index, entry in enumerate(entries):
            if entry.source == "grace":
                grace = True
            elif len(entry.options) != 1:
                several.append(index)
        direct: Allocation | None
        if grace:
            # Both grace paths start from the cycle's own credit alone: allocated once.
            alone = _Alone(entries, requirements, limits, carryover, placed)
            direct = _grace_unneeded(
                entries, requirements, limits, carryover, match, placed=placed, alone=alone
            )
            if direct is None:
                direct = _grace_by_chain(
                    entries, requirements, limits, carryover, match, placed=placed, alone=alone
                )
        elif several:
            # Eligible credit in its first option, or moved where an area needs it.
            direct = (
                allocation_flow.allocate_by_areas(
                    entries, requirements, limits, carryover, match, placed=placed, several=several
                )
                if by_areas
                else None
            )
        else:
            direct = _without_choice(entries, requirements, limits, carryover, match, placed=placed)
        if direct is not None:
            return direct
        nested = allocation_flow.allocate_by_flow(
            entries, requirements, limits, carryover, match, placed=placed
        )
        if nested is not None:
            return nested
    return _solve(entries, requirements, limits, carryover=carryover, needs=needs, match=match)


def memberships(
    entries: Sequence[Entry],
    requirements: Sequence[Requirement],
    limits: Sequence[Limit],
    carryover: Carryover | None,
    match: Matcher,
) -> list[list[Membership]]:
    """Per entry and category option, where its credit falls (matched once for all paths).

    Where every rule reads categories alone, entries with the same category paths, in the
    same rule instances' scope, with the same right to carry, fall alike: matched once.
    """
    rules = _rules(requirements, limits, carryover)
    seen = rules.seen
    everywhere = rules.everywhere
    if seen is not None and everywhere is not None:
        # Every rule reads categories alone and none is scoped to a year (most
        # policies): each entry's kind is known by its paths and right to carry, and
        # most are known from earlier allocations.
        reqs, caps = everywhere
        known = seen.get
        placed: list[list[Membership] | None] = [
            known((entry.paths, reqs, caps, entry.carry)) for entry in entries
        ]
        if None in placed:
            for index, entry in enumerate(entries):
                if placed[index] is None:
                    key = (entry.paths, reqs, caps, entry.carry)
                    found = seen.get(key)
                    if found is None:
                        found = _keep(
                            seen,
                            key,
                            _options(
                                requirements, limits, carryover, match, index, entry, everywhere
                            ),
                            _KEPT,
                        )
                    placed[index] = found
        return cast("list[list[Membership]]", placed)  # every one filled in
    alike = seen is not None
    if seen is None:
        seen = {}
    kinds: list[list[Membership]] = []
    # The rule instances whose scope a day falls in, worked out once per day (once for
    # all when no rule instance is scoped to a year).
    scopes: dict[dt.date | None, tuple[tuple[int, ...], tuple[int, ...]]] = {}
    for index, entry in enumerate(entries):
        day = entry.day
        scoped = everywhere or scopes.get(day)
        if scoped is None:
            scoped = scopes[day] = (
                tuple(
                    r
                    for r, requirement in enumerate(requirements)
                    if in_scope(day, requirement.period, requirement.scoped)
                ),
                tuple(
                    c for c, limit in enumerate(limits) if in_scope(day, limit.period, limit.scoped)
                ),
            )
        key = (entry.paths, *scoped, entry.carry)
        if alike:
            hit = seen.get(key)
            if hit is not None:
                kinds.append(hit)
                continue
        options = _options(requirements, limits, carryover, match, index, entry, scoped)
        kinds.append(_keep(seen, key, options, _KEPT))
    return kinds


def _options(  # noqa: PLR0917 - the rules, and one entry
    requirements: Sequence[Requirement],
    limits: Sequence[Limit],
    carryover: Carryover | None,
    match: Matcher,
    index: int,
    entry: Entry,
    scoped: tuple[tuple[int, ...], tuple[int, ...]],
) -> list[Membership]:
    """Where each category option of entry ``index`` falls (its :data:`Membership`).

    Among the rule instances in whose scope it is (``scoped``: the minimums' and the
    caps' indices).
    """
    reqs, caps = scoped
    return [
        (
            tuple(r for r in reqs if match(requirements[r].rule.selector, index, entry, o)),
            tuple(c for c in caps if match(limits[c].rule.selector, index, entry, o)),
            entry.carry and carryover is not None and match(carryover.selector, index, entry, o),
        )
        for o in range(len(entry.options))
    ]


_Layout = tuple[tuple[Selector, ...], tuple[Selector, ...], Selector | None]
_LAYOUTS: dict[tuple[object, ...], tuple[_Layout, dict[tuple[object, ...], list[Membership]]]] = {}
"""Per layout of rules that read categories alone (by the ids of its selectors, the
selectors kept so that no id is reused): the memberships of each kind of entry, kept
across allocations (every cycle of a policy version has the same layout). Bounded by
:data:`_KEPT`."""


def _seen(layout: _Layout) -> dict[tuple[object, ...], list[Membership]] | None:
    """The kept memberships of ``layout`` (None: a rule reads more than categories)."""
    requirements, limits, carry = layout
    key = (tuple(map(id, requirements)), tuple(map(id, limits)), id(carry))
    known = _LAYOUTS.get(key)
    if (
        known is not None
        and all(
            a is b for a, b in zip(known[0][0] + known[0][1], requirements + limits, strict=True)
        )
        and known[0][2] is carry
    ):
        return known[1]
    selectors = requirements + limits + (() if carry is None else (carry,))
    if not all(_known(selector)[0] for selector in selectors):
        return None
    return _keep(_LAYOUTS, key, (layout, {}), _KEPT)[1]


class _Rules:
    """What an allocation derives from its rules alone (:func:`_rules`).

    The kept memberships of their layout (:func:`_seen`), the rule instances every entry
    falls in the scope of (None: some are scoped to a year), whether a cap takes a share,
    the caps' and the carryover cap's credits, and the least common multiple of the
    denominators of those and of the minimums' requirements; with, per scale, all of
    them in integer units (:meth:`scaled`).
    """

    __slots__ = (
        "_scaled",
        "bounds",
        "carry_cap",
        "carryover",
        "denominator",
        "everywhere",
        "limits",
        "requirements",
        "seen",
        "shares",
    )

    def __init__(
        self,
        requirements: Sequence[Requirement],
        limits: Sequence[Limit],
        carryover: Carryover | None,
    ) -> None:
        self.requirements = requirements
        self.limits = limits
        self.carryover = carryover
        self.seen = _seen(
            (
                tuple(requirement.rule.selector for requirement in requirements),
                tuple(limit.rule.selector for limit in limits),
                None if carryover is None else carryover.selector,
            )
        )
        self.everywhere: tuple[tuple[int, ...], tuple[int, ...]] | None = None
        if not any(r.scoped for r in requirements) and not any(c.scoped for c in limits):
            self.everywhere = (tuple(range(len(requirements))), tuple(range(len(limits))))
        self.shares = any(limit.rule.share is not None for limit in limits)
        self.bounds = tuple(exact(limit.rule.credits or 0) for limit in limits)
        self.carry_cap = (
            exact(carryover.cap) if carryover is not None and carryover.cap is not None else None
        )
        self.denominator = math.lcm(
            *{requirement.required.denominator for requirement in requirements},
            *{bound.denominator for bound in self.bounds},
            1 if self.carry_cap is None else self.carry_cap.denominator,
        )
        self._scaled: dict[int, tuple[tuple[int, ...], tuple[int, ...], int | None]] = {}

    def scaled(self, scale: int) -> tuple[tuple[int, ...], tuple[int, ...], int | None]:
        """The caps' credits, the minimums' requirements and the carryover cap, in units.

        The units are ``1 / scale``, ``scale`` a multiple of :attr:`denominator`.
        """
        found = self._scaled.get(scale)
        if found is None:
            found = _keep(
                self._scaled,
                scale,
                (
                    tuple(_units(bound, scale) for bound in self.bounds),
                    tuple(_units(requirement.required, scale) for requirement in self.requirements),
                    None if self.carry_cap is None else _units(self.carry_cap, scale),
                ),
                _SCALES_KEPT,
            )
        return found


_RULES: dict[tuple[int, int, int], _Rules] = {}
"""Per rules (the ids of the requirements, the limits and the carryover, those kept so
that no id is reused): what the allocation derives from them. A cycle plan's rules are
the same tuples for every ledger. Bounded by :data:`_RULES_KEPT`."""

_RULES_KEPT = 2048
"""How many rules :data:`_RULES` keeps: as many as the cycle plans that hold those tuples
(``cperules._engine.compiled.LAYOUTS_KEPT``, a layer above); kept longer, an entry would
keep the rules of a plan already let go alive (a Dask worker's memory)."""

_SCALES_KEPT = 64
"""How many scales each :class:`_Rules` keeps its amounts in."""


def _rules(
    requirements: Sequence[Requirement], limits: Sequence[Limit], carryover: Carryover | None
) -> _Rules:
    """What the allocation derives from these rules, kept where they are tuples (frozen)."""
    if type(requirements) is not tuple or type(limits) is not tuple:
        return _Rules(requirements, limits, carryover)
    key = (id(requirements), id(limits), id(carryover))
    found = _RULES.get(key)
    if (
        found is None
        or found.requirements is not requirements
        or found.limits is not limits
        or found.carryover is not carryover
    ):
        found = _keep(_RULES, key, _Rules(requirements, limits, carryover), _RULES_KEPT)
    return found


def _units(value: Fraction, scale: int) -> int:
    """``value`` in units of ``1 / scale`` (``scale`` a multiple of its denominator)."""
    return value.numerator * (scale // value.denominator)


def _without_choice(
    entries: Sequence[Entry],
    requirements: Sequence[Requirement],
    limits: Sequence[Limit],
    carryover: Carryover | None,
    match: Matcher,
    *,
    placed: Sequence[Sequence[Membership]] | None = None,
    relaxed: Collection[int] = (),
    settle: bool | Callable[[], frozenset[int]] = True,
    first: bool = False,
) -> Allocation | None:
    """The allocation, computed directly, when the rules leave no real choice; else None.

    That is so when every entry has one category, no credit comes from a grace window,
    no cap is a share, every cap that binds covers only interchangeable credit (the same
    signature: the minimums and caps it falls under, and whether it may carry) or kinds
    that serve the same minimums (:func:`admit`), and the credit that may carry over is
    uncapped, of kinds whose minimums nest (:func:`carry_nests`). Then the optimum counts
    all it can, earliest first, and carries the most the minimums can spare, latest
    first: the same result the linear program reaches, found without it. Amounts are
    worked in integer units of the problem's finest denominator (:func:`_direct`).

    With ``relaxed`` minimums (indices), None too where one of them is short, or where
    the credit carried would differ if they required nothing (what counts does not
    depend on the minimums, only what carries does).

    A cap that binds over credit that may carry is a choice (count the credit that can
    carry, to carry it), except where that credit serves a minimum that no allocation
    within the caps can exceed (:func:`_never_exceeded`, or the minimums ``settle``
    returns, found by the caller over a larger problem and asked for only when a cap
    binds over such credit; none if ``settle`` is False; not
    one of the ``relaxed``): then no optimum carries any of it, since carrying some would leave that
    minimum short where keeping it would not, and it is taken as credit that may not
    carry. The direct path then pools it under the cap as :func:`admit` does.

    With ``first``, each entry is read as if it had its first option alone (``placed``
    must be given): each row of the allocation has one amount.
    """
    if placed is None:
        if (
            (not first and any(len(entry.options) != 1 for entry in entries))
            or any(entry.source == "grace" for entry in entries)
            or any(limit.rule.share is not None for limit in limits)
        ):
            return None
        placed = memberships(entries, requirements, limits, carryover, match)
    direct = _direct(
        entries,
        requirements,
        limits,
        carryover,
        placed,
        relaxed=relaxed,
        settle=settle,
        first=first,
    )
    if direct is None:
        return None
    counted, carried = direct.rows(entries)
    return direct.allocation(counted, carried, match, placed)


class _Direct:
    """A direct allocation in integer units of ``1 / scale``: one amount per entry.

    What :func:`_direct` finds, kept in units so that the grace paths work on from it
    without fractions; :meth:`rows` and :meth:`shortfall` give an allocation's rows.
    """

    __slots__ = (
        "available",
        "bounds",
        "carried",
        "carry_cap",
        "counted",
        "left",
        "required",
        "scale",
        "short",
        "units",
    )

    def __init__(
        self,
        scale: int,
        units: list[int],
        counted: list[int],
        carried: list[int],
        *,
        available: dict[Membership, int],
        required: Sequence[int],
        short: list[int],
        bounds: Sequence[int],
        left: list[int],
        carry_cap: int | None,
    ) -> None:
        self.scale = scale
        self.units = units  # each entry's amount
        self.counted = counted  # what each counts (``units`` itself where all count)
        self.carried = carried
        self.available = available  # each kind's credit (by the entries' memberships)
        self.required = required  # each minimum's requirement
        self.short = short  # each minimum's shortfall
        self.bounds = bounds  # each cap's credits
        self.left = left  # what each cap leaves room for
        self.carry_cap = carry_cap

    @property
    def binding(self) -> list[bool]:
        """Whether each cap is tight, as the linear program reports it."""
        return [not room for room in self.left]

    def rows(
        self, entries: Sequence[Entry]
    ) -> tuple[list[tuple[Fraction, ...]], list[tuple[Fraction, ...]]]:
        """The counted and carried rows of ``entries`` (one amount each), as fractions.

        All of an entry's credit counted (most entries) is its own amount, the same
        object (so reading it finds it whole at once); nothing carried is one shared row.
        """
        fraction = _Fractions(self.scale)
        counted: list[tuple[Fraction, ...]]
        if self.counted is self.units:  # everything counts
            counted = [(entry.amount,) for entry in entries]
        else:
            counted = [
                (entry.amount,) if amount == whole else (fraction(amount),)
                for entry, amount, whole in zip(entries, self.counted, self.units, strict=True)
            ]
        carried: list[tuple[Fraction, ...]] = [
            (fraction(amount),) if amount else NOTHING for amount in self.carried
        ]
        return counted, carried

    def shortfall(self) -> tuple[Fraction, ...]:
        """Each minimum's shortfall, as a fraction."""
        fraction = _Fractions(self.scale)
        return tuple([fraction(short) for short in self.short])

    def allocation(
        self,
        counted: list[tuple[Fraction, ...]],
        carried: list[tuple[Fraction, ...]],
        match: Matcher,
        placed: Sequence[Sequence[Membership]],
    ) -> Allocation:
        """The allocation of these rows (:meth:`rows`, perhaps widened), with its shortfalls."""
        return Allocation(
            counted=tuple(counted),
            carried=tuple(carried),
            shortfall=self.shortfall(),
            binding=tuple(self.binding),
            match=match,
            placed=placed,
        )


def _direct(  # noqa: PLR0912 - one pass over the entries, then the rules'
    entries: Sequence[Entry],
    requirements: Sequence[Requirement],
    limits: Sequence[Limit],
    carryover: Carryover | None,
    placed: Sequence[Sequence[Membership]],
    *,
    relaxed: Collection[int] = (),
    settle: bool | Callable[[], frozenset[int]] = True,
    first: bool = False,
    base: int = 1,
    carry: _Carry | None = None,
) -> _Direct | None:
    """:func:`_without_choice`'s allocation in integer units (None where it has none).

    The units are ``1 / scale``, ``scale`` the least common multiple of the entries',
    the minimums', the caps' and the carryover cap's denominators and of ``base`` (a
    caller that goes on with other amounts, such as grace-window credit, passes theirs).

    ``carry``, where given, decides what carries instead of :func:`_carried_directly`
    (and a ``relaxed`` minimum may then be short: the caller answers for those).
    """
    rules = _rules(requirements, limits, carryover)
    if rules.shares:
        return None
    signatures: list[Membership] = []
    ratios: list[tuple[int, int]] = []
    for entry, options in zip(entries, placed, strict=True):
        if entry.source == "grace" or (len(options) != 1 and not first):
            return None
        signatures.append(options[0])
        ratios.append(entry.amount.as_integer_ratio())
    scale = math.lcm(base, rules.denominator, *{denominator for _, denominator in ratios})
    if scale == 1:
        units = [numerator for numerator, _ in ratios]
    else:
        units = [numerator * (scale // denominator) for numerator, denominator in ratios]
    available: dict[Membership, int] = {}
    for signature, amount in zip(signatures, units, strict=True):
        available[signature] = available.get(signature, 0) + amount
    cap_units, required, carry_units = rules.scaled(scale)
    pooled = admit(available, cap_units)
    if pooled is None:
        settled = (
            None
            if settle is False
            else _settled(
                signatures,
                units,
                cap_units,
                required,
                relaxed,
                given=None if settle is True else settle(),
            )
        )
        if settled is None:
            return None
        signatures, pooled = settled
    allowed, groups = pooled
    got = [0] * len(requirements)
    for reqs, amount in groups:
        for r in reqs:
            got[r] += amount
    if not carry_nests({signature[0] for signature in allowed if signature[2]}) or (
        carry is None and any(got[r] < required[r] for r in relaxed)
    ):
        # Which kind of credit carries would be a choice the program makes; or a relaxed
        # minimum is short (told before any entry is read).
        return None
    # Earlier credit counts first, within every cap over it: only capped credit depends
    # on the order, and none of it where no cap binds (every entry counts all of it).
    left = list(cap_units)
    for signature, amount in available.items():
        for c in signature[1]:
            left[c] -= amount
    if all(room >= 0 for room in left):
        counted = units
    else:
        counted = list(units)
        left = list(cap_units)
        for index in _in_order(entries, [i for i, s in enumerate(signatures) if s[1]]):
            caps = signatures[index][1]
            take = min((units[index], *(left[c] for c in caps)))
            counted[index] = take
            for c in caps:
                left[c] -= take
    carriers = _in_order(entries, [i for i, s in enumerate(signatures) if s[2]])
    carriers.reverse()  # latest first
    carried = [0] * len(entries)
    if carriers:
        amounts = (
            _carried_directly(
                [(counted[index], signatures[index][0]) for index in carriers],
                got,
                required,
                carry_units,
                relaxed,
            )
            if carry is None
            else carry(carriers, counted, got, required, carry_units)
        )
        if amounts is None:
            return None
        for index, amount in zip(carriers, amounts, strict=True):
            carried[index] = amount
    short = [max(0, need - got[r]) for r, need in enumerate(required)]
    return _Direct(
        scale,
        units,
        counted,
        carried,
        available=available,
        required=required,
        short=short,
        bounds=cap_units,
        left=left,
        carry_cap=carry_units,
    )


_Carry = Callable[[list[int], list[int], list[int], Sequence[int], int | None], list[int] | None]
"""What each carrier carries (None: no direct answer), given the carriers (entry indices,
latest first), what each entry counts, what each minimum gets, what each requires and
the carryover cap, all in units."""


def _in_order(entries: Sequence[Entry], indices: list[int]) -> list[int]:
    """``indices`` (ascending) of ``entries`` in the order ties break in (:attr:`Entry.key`).

    The same as a stable sort by key; entries mostly come in that order already (claims
    by date, then id), which is checked on their dates, and on their keys only where
    two dates are equal.
    """
    previous: Entry | None = None
    for index in indices:
        entry = entries[index]
        if previous is not None:
            day, before = entry.activity.completed, previous.activity.completed
            if day < before or (day == before and entry.key < previous.key):
                return sorted(indices, key=lambda i: entries[i].key)
        previous = entry
    return indices


def _settled(
    signatures: Sequence[Membership],
    units: Sequence[_Amount],
    bounds: Sequence[_Amount],
    required: Sequence[_Amount],
    relaxed: Collection[int],
    *,
    given: Collection[int] | None = None,
) -> (
    tuple[list[Membership], tuple[dict[Membership, _Amount], list[tuple[tuple[int, ...], _Amount]]]]
    | None
):
    """The signatures, credit that carries in no optimum marked so, and what admit makes.

    None where that leaves a choice still (:func:`admit`). Credit that may carry but
    serves a minimum that nothing can exceed (and that is not one of the ``relaxed``)
    carries nothing in any optimum. Those minimums are ``given`` where the caller knows
    them from a larger problem (one with grace-window credit too). Amounts are integer
    units (the allocation) or decimals (the verdict kernel's ``_unsettled``).
    """
    if not any(signature[2] for signature in signatures):
        return None
    available = _by_signature(signatures, units)
    if given is None:
        never = _never_exceeded(available, bounds, required) - set(relaxed)
    else:
        never = set(given) - set(relaxed)
    if not never:
        return None
    settled = [(reqs, caps, carry and never.isdisjoint(reqs)) for reqs, caps, carry in signatures]
    pooled = admit(_by_signature(settled, units), bounds)
    return None if pooled is None else (settled, pooled)


def _by_signature(
    signatures: Sequence[Membership], units: Sequence[_Amount]
) -> dict[Membership, _Amount]:
    """The credit of each signature, added up."""
    available: dict[Membership, _Amount] = {}
    for signature, amount in zip(signatures, units, strict=True):
        available[signature] = available[signature] + amount if signature in available else amount
    return available


def _never_exceeded(
    available: Mapping[Membership, _Amount],
    bounds: Sequence[_Amount],
    required: Sequence[_Amount],
) -> set[int]:
    """The minimums that no allocation within the caps gives more than they require.

    A minimum gets at most the credit of the kinds that serve it, each cap (inner caps
    first) letting through at most its bound of what it covers. Empty where the caps do
    not nest.

    >>> serves, also = ((0, 1), (), True), ((0,), (0,), True)
    >>> sorted(_never_exceeded({serves: 5, also: 9}, [4], [10, 3]))
    [0]
    >>> sorted(_never_exceeded({serves: 5, also: 9}, [4], [8, 3]))
    []
    """
    covers = [frozenset(k for k in available if c in k[1]) for c in range(len(bounds))]
    order = sorted((c for c in range(len(bounds)) if covers[c]), key=lambda c: len(covers[c]))
    never: set[int] = set()
    for r, need in enumerate(required):
        groups = {
            frozenset((kind,)): amount if r in kind[0] else 0 for kind, amount in available.items()
        }
        for c in order:
            covered = covers[c]
            inside = [group for group in groups if group & covered]
            if any(not group <= covered for group in inside):
                return set()  # caps that overlap without nesting
            groups[covered] = min(bounds[c], sum(groups.pop(group) for group in inside))
        if sum(groups.values()) <= need:
            never.add(r)
    return never


def _carried_directly(
    offered: Sequence[tuple[int, tuple[int, ...]]],
    got: Sequence[int],
    required: Sequence[int],
    cap: int | None,
    relaxed: Collection[int],
) -> list[int] | None:
    """What each credit offered (latest first) carries (:func:`carry_latest_first`).

    None where what carries would differ if the ``relaxed`` minimums (none of them short:
    the caller sees to it) required nothing.
    """
    spare = [max(0, have - need) for have, need in zip(got, required, strict=True)]
    amounts = carry_latest_first(offered, spare, cap)
    if relaxed:
        for r in relaxed:
            spare[r] = got[r]
        if carry_latest_first(offered, spare, cap) != amounts:
            return None
    return amounts


_Amount = TypeVar("_Amount", int, Decimal, Fraction)


def admit(
    available: Mapping[Membership, _Amount],
    bounds: Sequence[_Amount],
    *,
    pool_carrying: bool = False,
) -> tuple[dict[Membership, _Amount], list[tuple[tuple[int, ...], _Amount]]] | None:
    """What the caps admit of the credit of each kind, inner caps first (None: a choice).

    Amounts are integer units (the allocation) or decimals (the verdict kernel).

    A cap that binds over one kind admits its bound of it. A cap that binds over several
    kinds that serve the same minimums and may not carry admits its bound of them
    together: which of them fills it changes no minimum's credit (earlier credit fills it
    first). Returns what each kind counts (for kinds no such cap pooled) and, for every
    group of credit counted together, the minimums it serves and its amount. None where
    a cap that binds leaves a real choice (kinds serving different minimums, or credit
    that may carry) or the caps do not nest.

    With ``pool_carrying``, credit that may carry is pooled like any other: for a caller
    that has checked none of it carries (the minimums each such kind serves leave nothing
    to spare, :func:`cperules._engine.kernel._admitted`).
    """
    allowed = dict(available)
    if all(
        sum((amount for kind, amount in available.items() if c in kind[1]), bound - bound) <= bound
        for c, bound in enumerate(bounds)
    ):  # no cap binds: every kind counts all its credit
        return allowed, [(kind[0], amount) for kind, amount in available.items()]
    groups: list[tuple[frozenset[Membership], _Amount, tuple[int, ...], bool]] = [
        (frozenset((kind,)), amount, kind[0], kind[2]) for kind, amount in available.items()
    ]
    covers = [frozenset(k for k in available if c in k[1]) for c in range(len(bounds))]
    for c in sorted(range(len(bounds)), key=lambda c: len(covers[c])):
        covered = covers[c]
        if not covered:
            continue
        if any(kinds & covered and not kinds <= covered for kinds, _, _, _ in groups):
            return None  # caps that overlap without nesting
        inside = [group for group in groups if group[0] <= covered]
        if sum(group[1] for group in inside) <= bounds[c]:
            continue
        if (not pool_carrying and any(group[3] for group in inside)) or len(
            {group[2] for group in inside}
        ) != 1:
            return None  # a choice between kinds of credit, or capped credit that may carry
        merged = frozenset().union(*(group[0] for group in inside))
        if len(merged) == 1:
            (kind,) = merged
            allowed[kind] = bounds[c]
        else:
            for kind in merged:
                allowed.pop(kind, None)
        groups = [group for group in groups if group not in inside]
        groups.append((merged, bounds[c], inside[0][2], False))
    return allowed, [(reqs, amount) for _, amount, reqs, _ in groups]


def carry_nests(kinds: set[tuple[int, ...]]) -> bool:
    """Whether credit of these kinds (the minimums each serves) carries without a choice.

    The minimums constrain carried credit through the sets of kinds each serves; where
    those sets nest (any two are disjoint or one holds the other: one kind, or PMP's
    areas inside education inside the total), carrying later credit first as far as each
    minimum can spare is the program's choice (:func:`carry_latest_first`).
    """
    served: dict[int, set[tuple[int, ...]]] = {}
    for kind in kinds:
        for r in kind:
            served.setdefault(r, set()).add(kind)
    sets = list(served.values())
    return all(a <= b or b <= a or not a & b for a, b in itertools.combinations(sets, 2))


def carry_latest_first(
    carriers: Iterable[tuple[_Amount, tuple[int, ...]]],
    spare: Sequence[_Amount],
    cap: _Amount | None,
) -> list[_Amount]:
    """What each credit that may carry carries, given latest first: (amount, minimums).

    Each carries the most it can while every minimum it serves keeps what it needs
    (``spare``: each minimum's credit beyond its need) and the carryover cap holds. The
    carried total is the most possible, and later credit carries first: with nested
    minimums (:func:`carry_nests`) these limits form a polymatroid, on which the greedy
    choice is what the program's tie-break (a weight rising with the date) chooses.
    """
    left = list(spare)
    total = cap
    carried: list[_Amount] = []
    for amount, reqs in carriers:
        take = amount
        for r in reqs:
            room = left[r]
            if room < take:  # noqa: PLR1730 - a comparison, not a call per minimum
                take = room
        if total is not None and total < take:
            take = total
        if take > 0:
            for r in reqs:
                left[r] -= take
            if total is not None:
                total -= take
        else:
            take = amount - amount  # nothing, in the amounts' own type
        carried.append(take)
    return carried


class _Fractions:
    """Amounts in units of ``1 / scale`` as fractions, each distinct amount made once.

    Fractions of one scale are kept across problems (the same amounts recur): at most
    :data:`_FRACTIONS_KEPT` per scale, forgotten all at once beyond that.
    """

    __slots__ = ("made", "scale")

    def __init__(self, scale: int) -> None:
        self.scale = scale
        made = _FRACTIONS.get(scale)
        if made is None or len(made) > _FRACTIONS_KEPT:
            made = _keep(_FRACTIONS, scale, {0: _ZERO}, _FRACTIONS_KEPT)
        self.made = made

    def __call__(self, units: int) -> Fraction:
        """``units / scale``."""
        found = self.made.get(units)
        if found is None:
            found = self.made[units] = Fraction(units, self.scale)
        return found


_ZERO = Fraction(0)
NOTHING = (_ZERO,)
"""The row of an entry with one option that carries nothing, shared (readers may test it
by identity before looking inside a row)."""
_FRACTIONS: dict[int, dict[int, Fraction]] = {}
_FRACTIONS_KEPT = 4096


def _grace_unneeded(
    entries: Sequence[Entry],
    requirements: Sequence[Requirement],
    limits: Sequence[Limit],
    carryover: Carryover | None,
    match: Matcher | None = None,
    *,
    placed: Sequence[Sequence[Membership]] | None = None,
    alone: _Alone | None = None,
) -> Allocation | None:
    """The allocation, computed directly, when the cycle's own credit meets it; else None.

    Grace-window credit is used only to lessen a shortfall (objective 4 comes after 1 and
    2, and before 5 to 7; 3 is planning's): if the credit earned in the cycle (and carried
    into it) meets every minimum, no grace-window credit counts and the rest of the
    allocation is that of the cycle's own credit alone. Computed directly only when that
    one has no real choice.
    ``placed`` is the whole problem's memberships (an entry's do not depend on the others)
    found with ``match``, when the caller has them.
    """
    if match is None:
        match = Matcher()
    if alone is None:
        if all(entry.source != "grace" for entry in entries):
            return None
        if placed is None:
            if any(limit.rule.share is not None for limit in limits):
                return None  # no direct path for a cap that takes a share
            placed = memberships(entries, requirements, limits, carryover, match)
        alone = _Alone(entries, requirements, limits, carryover, placed)
    if not alone.grace:
        return None
    own, direct = alone.own, alone.direct()
    if direct is None or any(direct.short):
        return None
    counted: list[tuple[Fraction, ...]] = [(_ZERO,) * len(entry.options) for entry in entries]
    carried = list(counted)
    own_counted, own_carried = direct.rows([entries[index] for index in own])
    for position, index in enumerate(own):
        counted[index] = own_counted[position]
        carried[index] = own_carried[position]
    return Allocation(
        counted=tuple(counted),
        carried=tuple(carried),
        shortfall=direct.shortfall(),
        binding=tuple(direct.binding),
        match=match,
        placed=placed,
    )


def _never_exceeded_by(
    entries: Sequence[Entry],
    requirements: Sequence[Requirement],
    limits: Sequence[Limit],
    placed: Sequence[Sequence[Membership]],
) -> frozenset[int]:
    """The minimums that no allocation of all ``entries`` (one option each) can exceed."""
    if any(len(options) != 1 for options in placed):
        return frozenset()
    available: dict[Membership, Fraction] = {}
    for entry, options in zip(entries, placed, strict=True):
        available[options[0]] = available.get(options[0], _ZERO) + entry.amount
    bounds = [exact(limit.rule.credits or 0) for limit in limits]
    return frozenset(
        _never_exceeded(available, bounds, [requirement.required for requirement in requirements])
    )


class _Alone:
    """The direct allocation of a problem's own entries alone (not grace-window credit).

    Worked out on first call, once for the grace paths that both start from it, in
    integer units fine enough for the grace-window credit too (:func:`_direct`). Credit
    that may carry and serves a minimum that not even all the grace-window credit can let
    be exceeded carries nothing (:func:`_never_exceeded`, over every entry): it counts as
    credit that may not carry.
    """

    __slots__ = ("_args", "_done", "_found", "grace", "own")

    def __init__(
        self,
        entries: Sequence[Entry],
        requirements: Sequence[Requirement],
        limits: Sequence[Limit],
        carryover: Carryover | None,
        placed: Sequence[Sequence[Membership]],
    ) -> None:
        sources = [entry.source for entry in entries]
        self.own = [index for index, source in enumerate(sources) if source != "grace"]
        self.grace = [index for index, source in enumerate(sources) if source == "grace"]
        self._args = (entries, requirements, limits, carryover, placed)
        self._found: _Direct | None = None
        self._done = False

    def direct(self) -> _Direct | None:
        """The own entries' direct allocation (None: they leave a choice)."""
        if not self._done:
            entries, requirements, limits, carryover, placed = self._args
            own = self.own
            if not own or own[-1] == len(own) - 1:  # the own credit first (most problems)
                own_entries, own_placed = list(entries[: len(own)]), list(placed[: len(own)])
            else:
                own_entries = [entries[index] for index in own]
                own_placed = [placed[index] for index in own]
            self._found = _direct(
                own_entries,
                requirements,
                limits,
                carryover,
                own_placed,
                settle=functools.partial(_never_exceeded_by, entries, requirements, limits, placed),
                base=math.lcm(*{entries[index].amount.denominator for index in self.grace}),
            )
            self._done = True
        return self._found


def _grace_by_chain(  # noqa: PLR0912 - the cure, then what carries after it
    entries: Sequence[Entry],
    requirements: Sequence[Requirement],
    limits: Sequence[Limit],
    carryover: Carryover | None,
    match: Matcher,
    *,
    placed: Sequence[Sequence[Membership]],
    alone: _Alone | None = None,
) -> Allocation | None:
    """The allocation, computed directly, when grace-window credit cures along a chain.

    The cycle's own credit (and credit carried in) leaves no choice and falls short; the
    grace-window credit is then chosen by :func:`cperules._engine.grace_cure.chain_cure`
    where the shortfalls nest (else None): the least that lessens them most, earlier
    credit first, the same choice the program makes. Worked in the integer units of the
    own credit's direct allocation (:class:`_Alone`).
    """
    memo = alone if alone is not None else _Alone(entries, requirements, limits, carryover, placed)
    if not memo.grace or any(len(entries[index].options) != 1 for index in memo.grace):
        return None
    own, direct = memo.own, memo.direct()
    if direct is None or not any(direct.short):
        return None
    grace = _in_order(entries, memo.grace)
    scale, short = direct.scale, direct.short
    allowed: dict[Membership, int]
    if direct.counted is direct.units:  # every kind counts all its credit
        allowed = direct.available
    else:
        allowed = {}
        for index, amount in zip(own, direct.counted, strict=True):
            signature = placed[index][0]  # the direct path has one option per entry
            allowed[signature] = allowed.get(signature, 0) + amount
    # Each entry's amount, what it counts and carries: the own credit's first (mostly
    # the first entries), the grace-window credit's filled in.
    size = len(entries)
    if not own or own[-1] == len(own) - 1:
        pad = [0] * (size - len(own))
        units = direct.units + pad
        counted = direct.counted + pad
        carried = direct.carried + pad
    else:
        units, counted, carried = [0] * size, [0] * size, [0] * size
        for position, index in enumerate(own):
            units[index] = direct.units[position]
            counted[index] = direct.counted[position]
            carried[index] = direct.carried[position]
    for index in grace:
        units[index] = _units(entries[index].amount, scale)
    cure = chain_cure(
        [
            Graced(index, units[index], entries[index].activity.completed, placed[index][0])
            for index in grace
        ],
        allowed,
        short,
        bounds=direct.bounds,
        carried_kinds=set(),
        zero=0,
    )
    if cure is None:
        return None
    # What carries after the cure, or whether that makes the cure a choice (the program's).
    gaps = {r for r, gap in enumerate(short) if gap}
    curing = [placed[index][0][0] for index in grace if gaps.intersection(placed[index][0][0])]
    free = carry_after_cure(
        short, cure, [signature[0] for signature in allowed if signature[2]], curing
    )
    if free is None:
        return None
    left = list(direct.left)  # what the caps leave room for, the cure counted too
    for index, amount in cure.used.items():
        counted[index] = amount
        for c in placed[index][0][1]:
            left[c] -= amount
    if free:
        _carry_after_cure(entries, own, direct, placed, counted, carried)
    fraction = _Fractions(scale)
    return Allocation(
        counted=tuple(
            [
                (entry.amount,) if amount == whole else (fraction(amount),)
                for entry, amount, whole in zip(entries, counted, units, strict=True)
            ]
        ),
        carried=tuple([(fraction(amount),) if amount else NOTHING for amount in carried]),
        shortfall=tuple([fraction(gap) for gap in cure.remaining]),
        binding=tuple([not room for room in left]),
        match=match,
        placed=placed,
    )


def _carry_after_cure(  # noqa: PLR0917 - the problem's parts, passed on
    entries: Sequence[Entry],
    own: Sequence[int],
    direct: _Direct,
    placed: Sequence[Sequence[Membership]],
    counted: Sequence[int],
    carried: list[int],
) -> None:
    """Carry own credit, latest first, within what the minimums spare after the cure.

    ``counted`` holds the cycle's own credit and the grace-window credit that cures it
    (one option per entry), in the units of ``direct`` (the own credit's direct
    allocation); ``carried`` is rewritten for the cycle's own credit.
    """
    kept = [0] * len(direct.required)
    for index, amount in enumerate(counted):
        for r in placed[index][0][0]:
            kept[r] += amount
    spare = [max(0, have - need) for have, need in zip(kept, direct.required, strict=True)]
    carriers = sorted(
        (index for index in own if placed[index][0][2]),
        key=lambda index: entries[index].key,
        reverse=True,
    )
    amounts = carry_latest_first(
        [(counted[index], placed[index][0][0]) for index in carriers], spare, direct.carry_cap
    )
    for index, amount in zip(carriers, amounts, strict=True):
        carried[index] = amount


class _Program:
    """The allocation's linear program: variables, constraints and objectives."""

    def __init__(
        self,
        entries: Sequence[Entry],
        carryover: Carryover | None,
        needs: Sequence[Hypothetical],
        match: Matcher,
    ) -> None:
        self.entries = entries
        self.needs = needs
        self.match = match
        self.count = 0
        self.upper: dict[int, Fraction] = {}
        self.constraints: list[lp.Constraint] = []
        self.x = [[self.variable() for _ in entry.options] for entry in entries]
        self.y = [
            [
                self.variable()
                if entry.carry
                and carryover is not None
                and match(carryover.selector, index, entry, option)
                else None
                for option in range(len(entry.options))
            ]
            for index, entry in enumerate(entries)
        ]
        self.z = [self.variable() for _ in needs]
        for index, entry in enumerate(entries):
            self._capacity(index, entry)
        self.carry = [v for row in self.y for v in row if v is not None]
        if carryover is not None and carryover.cap is not None and self.carry:
            self._add({v: Fraction(1) for v in self.carry}, "<=", exact(carryover.cap))

    def variable(self) -> int:
        """A new variable's index."""
        self.count += 1
        return self.count - 1

    def _add(self, row: dict[int, Fraction], sense: lp.Sense, bound: Fraction) -> lp.Constraint:
        constraint = lp.Constraint(row, sense, bound)
        self.constraints.append(constraint)
        return constraint

    def _capacity(self, index: int, entry: Entry) -> None:
        """An entry counts at most its amount, over all its options."""
        if len(entry.options) == 1:
            self.upper[self.x[index][0]] = entry.amount
        else:
            self._add({v: Fraction(1) for v in self.x[index]}, "<=", entry.amount)
        for option, carried in enumerate(self.y[index]):
            if carried is not None:  # only counted credit can be carried out
                self._add(
                    {carried: Fraction(1), self.x[index][option]: Fraction(-1)}, "<=", Fraction(0)
                )

    def _terms(self, selector: Selector, period: Period, scoped: bool) -> dict[int, bool]:
        """For each counted or needed variable in scope: whether ``selector`` matches it."""
        terms: dict[int, bool] = {}
        for index, entry in enumerate(self.entries):
            if _in_scope(entry.day, period, scoped):
                for option, variable in enumerate(self.x[index]):
                    terms[variable] = self.match(selector, index, entry, option)
        for offset, need in enumerate(self.needs):
            if _in_scope(need.day, period, scoped):
                terms[self.z[offset]] = self.match(selector, -1 - offset, need, 0)
        return terms

    def cap(self, limit: Limit) -> lp.Constraint:
        """At most the cap's credits (or share of everything in scope) of what it selects."""
        share = None if limit.rule.share is None else exact(limit.rule.share)
        row: dict[int, Fraction] = {}
        for variable, matched in self._terms(
            limit.rule.selector, limit.period, limit.scoped
        ).items():
            weight = (Fraction(1) if matched else Fraction(0)) - (share or 0)
            if weight:
                row[variable] = weight
        bound = Fraction(0) if limit.rule.credits is None else exact(limit.rule.credits)
        return self._add(row, "<=", bound)

    def minimum(self, requirement: Requirement, shortfall: int) -> None:
        """What it selects, less what is carried out, plus the shortfall, meets the minimum."""
        row = {shortfall: Fraction(1)}
        carried_of = {
            self.x[i][o]: self.y[i][o]
            for i in range(len(self.entries))
            for o in range(len(self.x[i]))
            if self.y[i][o] is not None
        }
        rule = requirement.rule
        for variable, matched in self._terms(
            rule.selector, requirement.period, requirement.scoped
        ).items():
            if matched:
                row[variable] = Fraction(1)
                carried = carried_of.get(variable)
                if carried is not None:
                    row[carried] = Fraction(-1)
        self._add(row, ">=", requirement.required)

    def within(self, total: Fraction, pinned: Mapping[int, Fraction]) -> None:
        """Needs of at most ``total`` in all, the ``pinned`` ones exactly their amounts."""
        self._add({v: Fraction(1) for v in self.z}, "<=", total)
        for offset, amount in pinned.items():
            self._add({self.z[offset]: Fraction(1)}, "==", amount)

    def tie_break(self) -> dict[int, Fraction]:
        """Earlier entries (by date, then id) count first; later ones carry first.

        Among equally small needs, those listed first (the policy's categories in
        declaration order) are preferred.
        """
        order = sorted(range(len(self.entries)), key=lambda i: self.entries[i].key)
        size = len(self.entries) + 1
        weights: dict[int, Fraction] = {}
        for position, index in enumerate(order):
            for option, variable in enumerate(self.x[index]):
                weights[variable] = Fraction(size - position) + Fraction(1, size * (option + 2))
                carried = self.y[index][option]
                if carried is not None:
                    weights[carried] = Fraction(position + 1)
        for offset, variable in enumerate(self.z):
            weights[variable] = -Fraction(offset + 1)
        return weights


def _solve(
    entries: Sequence[Entry],
    requirements: Sequence[Requirement],
    limits: Sequence[Limit],
    *,
    carryover: Carryover | None,
    needs: Sequence[Hypothetical],
    match: Matcher,
) -> Allocation:
    program = _Program(entries, carryover, needs, match)
    cap_rows = [program.cap(limit) for limit in limits]
    shortfalls = [program.variable() for _ in requirements]
    for requirement, shortfall in zip(requirements, shortfalls, strict=True):
        program.minimum(requirement, shortfall)

    objectives: list[dict[int, Fraction]] = [{v: Fraction(-1) for v in shortfalls}]
    if program.z:
        # Credit still to earn before the grace-window credit already earned: a plan asks
        # for the least new credit, using what the holder has first.
        objectives.append({v: Fraction(-1) for v in program.z})
    grace = [v for i, entry in enumerate(entries) if entry.source == "grace" for v in program.x[i]]
    if grace:
        objectives.append({v: Fraction(-1) for v in grace})
    objectives.append({v: Fraction(1) for row in program.x for v in row})
    if program.carry:
        objectives.append({v: Fraction(1) for v in program.carry})
    objectives.append(program.tie_break())

    problem = lp.Problem(
        variables=program.count, constraints=tuple(program.constraints), upper=program.upper
    )
    values = lp.maximise(problem, objectives).values
    return Allocation(
        counted=tuple(tuple(values[v] for v in row) for row in program.x),
        carried=tuple(
            tuple(Fraction(0) if v is None else values[v] for v in row) for row in program.y
        ),
        shortfall=tuple(values[v] for v in shortfalls),
        needed=tuple(values[v] for v in program.z),
        binding=tuple(
            sum((c * values[v] for v, c in row.coefficients.items()), Fraction(0)) == row.bound
            for row in cap_rows
        ),
        match=match,
    )


def least_need(
    entries: Sequence[Entry],
    requirements: Sequence[Requirement],
    limits: Sequence[Limit],
    carryover: Carryover | None,
    needs: Sequence[Hypothetical],
    *,
    pinned: Mapping[int, Fraction],
    total: Fraction,
    index: int,
) -> Fraction | None:
    """The least of need ``index`` in any plan that completes the cycle (None: none does).

    The plan asks ``pinned`` needs for exactly their amounts and at most ``total`` in all;
    the other needs are free. Planning asks this to tell the part of a need that no other
    category can supply.
    """
    program = _Program(entries, carryover, needs, Matcher())
    for limit in limits:
        program.cap(limit)
    for requirement in requirements:
        shortfall = program.variable()
        program.upper[shortfall] = Fraction(0)  # complete: nothing may be short
        program.minimum(requirement, shortfall)
    program.within(total, pinned)
    problem = lp.Problem(
        variables=program.count, constraints=tuple(program.constraints), upper=program.upper
    )
    try:
        values = lp.maximise(problem, [{program.z[index]: Fraction(-1)}]).values
    except lp.Infeasible:
        return None
    return values[program.z[index]]


def requirements_for(
    period: Period,
    years: Iterable[Period],
    *,
    applies: Iterable[Minimum],
    proration: Fraction,
) -> tuple[Requirement, ...]:
    """The minimum instances of a cycle: one per cycle-scope rule, one per year otherwise.

    Proration scales cycle-scope minimums only; yearly floors apply in full.
    """
    instances: list[Requirement] = []
    year_list = tuple(years)
    whole = proration == 1
    for rule in applies:
        required = exact(rule.credits) if whole else exact(rule.credits) * proration
        if rule.scope == "cycle":
            instances.append(Requirement(rule, period, False, required))
        else:
            instances.extend(
                Requirement(rule, year, True, exact(rule.credits)) for year in year_list
            )
    return tuple(instances)


def limits_for(
    rules: Iterable[object], period: Period, years: Iterable[Period]
) -> tuple[Limit, ...]:
    """The cap instances of a cycle: one per cycle-scope cap, one per year otherwise."""
    limits: list[Limit] = []
    year_list = tuple(years)
    for rule in rules:
        if isinstance(rule, Cap):
            if rule.scope == "cycle":
                limits.append(Limit(rule, period, False))
            else:
                limits.extend(Limit(rule, year, True) for year in year_list)
    return tuple(limits)


# The flow path reads this module's types; imported last, so either module may load first.
from cperules._engine import allocation_flow  # noqa: E402
