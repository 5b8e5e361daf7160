"""Screening: what one activity claims in one cycle, before any allocation.

An activity's claim is its converted credit, valued by the policy's credit values, then
checked in order: claimed for another certification, assigned elsewhere by a portfolio,
a policy that counts no credit, below the minimum duration, worth nothing, excluded. What
survives becomes entries (one per category share) for the allocation; what does not
becomes parts with a reason. Inputs and outputs are plain values: the activity, the policy
version and the :class:`Screening` context in; a :class:`Screened` claim out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TypeGuard

from cperules._engine.allocation import Entry, Source
from cperules._engine.compiled import CompiledPolicy, compiled
from cperules._model import maker, trusted
from cperules.credits import Conversion, ConversionBasis, exact, to_decimal
from cperules.cycles import Period
from cperules.errors import did_you_mean
from cperules.ledger import Activity
from cperules.policy import PolicyVersion
from cperules.results import Part

__all__ = [
    "CREDIT_VALUES",
    "CategoryPaths",
    "Screened",
    "Screening",
    "credit_value",
    "cured_part",
    "screen",
    "screen_all",
]

_given = maker(Conversion)
"""A trusted :class:`Conversion` from every field (credit given: valid already)."""


class CategoryPaths:
    """Each version's category paths, from its compiled form (worked out once per version)."""

    def __call__(self, version: PolicyVersion) -> Mapping[str, tuple[str, ...]]:
        """The category paths of ``version`` (its declared codes, each with its ancestors)."""
        return compiled(version).paths


@dataclass(frozen=True, slots=True)
class Screening:
    """What screening reads besides the activity: fixed for one holding's evaluation.

    Attributes:
        certification_id: The certification evaluated (activities claimed for others are out).
        withheld: Activities a portfolio assigned to other holdings, with where they went.
        paths: The category paths of each version.
        names: The names, case-folded, an activity may claim the certification by (its id,
            aliases and short name); empty: its id alone.
    """

    certification_id: str
    withheld: Mapping[str, str]
    paths: CategoryPaths
    names: frozenset[str] = frozenset()
    _conversions: dict[tuple[int, int], tuple[Activity, Conversion]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def conversion(self, activity: Activity, version: PolicyVersion) -> Conversion:
        """``activity.claimed(version.measure)``, worked out once per evaluation."""
        measure = version.measure
        key = (id(activity), id(measure))
        found = self._conversions.get(key)
        if found is not None and found[0] is activity:
            return found[1]
        credits = activity.credits
        if _given_credits(credits):
            # Credit given (most activities): what ``claimed`` makes, valid already.
            conversion = _given(credits, "credits", credits, False)
        else:
            conversion = activity.claimed(measure)
        self._conversions[key] = (activity, conversion)
        return conversion

    def claim(self, activity: Activity, version: PolicyVersion) -> tuple[Decimal, ConversionBasis]:
        """The credit ``activity`` claims under ``version``, and what it is based on.

        Credit given (most activities) is its own claim, read without making the
        :meth:`conversion` that says so; any other is converted.
        """
        credits = activity.credits
        if _given_credits(credits):
            return credits, "credits"
        conversion = self.conversion(activity, version)
        return conversion.credits, conversion.basis

    def claims(self, activity: Activity) -> bool:
        """Whether ``activity`` is claimed for this certification (or for none in particular)."""
        if not activity.claimed_for:
            return True
        names = self.names or {self.certification_id.casefold()}
        return any(name.casefold() in names for name in activity.claimed_for)


def _given_credits(credits: Decimal | None) -> TypeGuard[Decimal]:
    """Whether ``credits`` are credit given as is (a finite amount, not below zero)."""
    return credits is not None and credits.is_finite() and credits >= 0


@dataclass(slots=True)
class Screened:
    """An activity's claim in one cycle: its credit, entries to allocate, and other parts.

    ``basis`` is what its conversion was based on (``"credits"``: credits given).
    """

    activity: Activity
    basis: ConversionBasis
    value: Fraction
    valued_by: str | None
    entries: list[Entry] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    shown: Decimal | None = field(default=None, compare=False)
    """``value`` as the decimal results show (None: not worked out yet)."""

    def claimed(self) -> Decimal:
        """The credit claimed, as results show it (``to_decimal(value)``)."""
        shown = self.shown
        return shown if shown is not None else to_decimal(self.value)


def screen(
    activity: Activity,
    version: PolicyVersion,
    context: Screening,
    *,
    source: Source,
    window: Period | None,
    used: Fraction | None,
    opens: dt.date | None = None,
) -> Screened:
    """An activity's claim: conversion, valuation, exclusions, then category entries.

    ``source`` says whether the activity was completed in the cycle (``"own"``) or in its
    grace window (``"grace"``); ``window`` is the cycle's carryover earning window, if any;
    ``used`` is the credit of the activity already used to cure the previous cycle;
    ``opens`` is the first day of a cycle with an early-credit window: an activity
    completed before it counts as if completed that day (toward the first year).
    """
    policy = compiled(version)
    conversion = context.conversion(activity, version)
    valuation = (
        next((r for r in policy.credit_values if r.selector.matches(activity)), None)
        if policy.credit_values
        else None
    )
    value = (
        exact(valuation.value(conversion.credits))
        if valuation is not None
        else _fraction(conversion.credits)
    )
    screened = Screened(activity, conversion.basis, value, valuation.id if valuation else None)
    if used:
        screened.parts.append(cured_part(used))
        value -= used
    out = _screened_out(activity, version, context, conversion, value=value, policy=policy)
    if out is not None:
        screened.parts.append(out)
        return screened
    if value == 0:
        if not used:
            screened.parts.append(trusted(Part, reason="no-credit", credits=Decimal(0)))
        return screened
    exclusion = (
        next((r for r in policy.exclusions if r.selector.matches(activity)), None)
        if policy.exclusions
        else None
    )
    if exclusion is not None:
        screened.parts.append(
            trusted(
                Part,
                reason="excluded",
                credits=to_decimal(value),
                rule=exclusion.id,
                note=exclusion.description,
            )
        )
        return screened
    carry = source == "own" and window is not None and activity.completed in window
    day = None
    if source == "own":
        day = activity.completed if opens is None else max(activity.completed, opens)
    declared = policy.paths
    code = activity.category
    if code is not None and activity.split is None and not activity.eligible and code in declared:
        # One declared category (most activities): one entry, nothing to check.
        screened.entries.append(
            Entry(activity, value, (code,), (declared[code],), day, source, 0, carry)
        )
        return screened
    for share, (options, amount) in enumerate(_shares(activity, declared, value, screened)):
        paths = tuple(declared[o] if o is not None else () for o in options)
        screened.entries.append(Entry(activity, amount, options, paths, day, source, share, carry))
    return screened


def screen_all(
    activities: Sequence[Activity],
    version: PolicyVersion,
    context: Screening,
    *,
    source: Source,
    window: Period | None,
    cured: Mapping[str, Fraction],
    opens: dt.date | None = None,
) -> list[Screened]:
    """:func:`screen` of each of ``activities`` (``used``: its credit in ``cured``), in order.

    The common claim (credit given, one declared category, eligible for several declared
    ones or split across declared ones in shares adding up to the credit, nothing
    claimed for others, withheld, valued or excluded) is screened here in a few steps,
    to the same entries and parts :func:`screen` makes: credit already used to cure the
    previous cycle (not of a split) is a part, and the rest (if any) the entry. Any
    other claim goes through :func:`screen`.
    """
    policy = compiled(version)
    single = policy.single
    declared = policy.paths
    # Rules that read more of an activity than its category send it the long way.
    plain = policy.credit_counts and not policy.credit_values and not policy.exclusions
    withheld = context.withheld
    fractions = CREDIT_VALUES
    own = source == "own"
    # The carryover earning window's first and last days (none: a window no day falls in,
    # so nothing carries).
    low = window.start if window is not None else dt.date.max
    high = window.end if window is not None else dt.date.min
    screened: list[Screened] = []
    for activity in activities:
        credits = activity.credits
        known = fractions.get(credits) if credits is not None else None
        if (
            plain
            and known is not None
            and credits  # the same as its exact value being nonzero, without a fraction
            and not activity.claimed_for
            and not (withheld and activity.id in withheld)
        ):
            split = activity.split
            eligible = activity.eligible
            code = activity.category
            used = cured.get(activity.id) if cured else None
            entries: list[Entry] | None = None
            day = None
            carry = False
            if own:
                completed = activity.completed
                day = completed if opens is None or completed >= opens else opens
                carry = low <= completed <= high
            value, shown = known
            amount = value - used if used else value
            options: tuple[str, ...]
            paths: tuple[tuple[str, ...], ...]
            if split is not None:
                if not used:
                    entries = _split(activity, credits, single, day=day, source=source, carry=carry)
            elif eligible:
                # Eligible for several declared categories: one entry with those options.
                if all(option in declared for option in eligible):
                    options = tuple(eligible)
                    paths = tuple(declared[option] for option in options)
                    entries = [Entry(activity, amount, options, paths, day, source, 0, carry)]
            elif code is not None and code in single:
                options, paths = single[code]
                entries = [Entry(activity, amount, options, paths, day, source, 0, carry)]
            if entries is not None:
                parts: list[Part] = []
                if used:
                    parts.append(cured_part(used))
                    if not amount:
                        # All of it cured the previous cycle: nothing left to allocate.
                        entries = []
                screened.append(Screened(activity, "credits", value, None, entries, parts, shown))
                continue
        screened.append(
            screen(
                activity,
                version,
                context,
                source=source,
                window=window,
                used=cured.get(activity.id) if cured else None,
                opens=opens,
            )
        )
    return screened


def _split(
    activity: Activity,
    credits: Decimal,
    single: Mapping[str, tuple[tuple[str], tuple[tuple[str, ...]]]],
    *,
    day: dt.date | None,
    source: Source,
    carry: bool,
) -> list[Entry] | None:
    """The entries of a split across declared categories adding up to ``credits``, or None.

    Each share is then its own amount (:func:`_shares` multiplies it by value / claimed,
    here 1), in the order of its code; any other split takes :func:`screen`'s way.
    """
    split = activity.split
    if (
        split is None
        or not all(code in single for code in split)
        or sum(split.values(), Decimal(0)) != credits
    ):
        return None
    entries = []
    for share, code in enumerate(sorted(split)):
        options, paths = single[code]
        entries.append(
            Entry(activity, _fraction(split[code]), options, paths, day, source, share, carry)
        )
    return entries


def cured_part(used: Fraction) -> Part:
    """The part of an activity's credit used to cure the previous cycle."""
    return trusted(
        Part,
        reason="cured-previous-cycle",
        credits=to_decimal(used),
        note="earned in the grace window and used to complete the previous cycle",
    )


CREDIT_VALUES: dict[Decimal, tuple[Fraction, Decimal]] = {}
"""Credit amounts seen, as exact fractions and as results show them (a few hundred
distinct values in practice)."""


def credit_value(credits: Decimal) -> tuple[Fraction, Decimal]:
    """``exact(credits)`` and the decimal results show of it, remembered.

    The same amounts recur across ledgers and cycles (:data:`CREDIT_VALUES`).

    >>> credit_value(Decimal("2.50"))
    (Fraction(5, 2), Decimal('2.5'))
    """
    found = CREDIT_VALUES.get(credits)
    if found is None:
        value = exact(credits)
        found = (value, to_decimal(value))
        if len(CREDIT_VALUES) < 4096:
            CREDIT_VALUES[credits] = found
    return found


def _fraction(credits: Decimal) -> Fraction:
    """``exact(credits)``, remembered (:func:`credit_value`)."""
    return credit_value(credits)[0]


def _screened_out(
    activity: Activity,
    version: PolicyVersion,
    context: Screening,
    conversion: Conversion,
    *,
    value: Fraction,
    policy: CompiledPolicy,
) -> Part | None:
    """Why the activity is out before its value matters (checked in this order)."""
    if activity.claimed_for and not context.claims(activity):
        note = f"claimed only for {', '.join(activity.claimed_for)}"
        return trusted(Part, reason="not-claimed-for", credits=to_decimal(value), note=note)
    elsewhere = context.withheld.get(activity.id) if context.withheld else None
    if elsewhere is not None:
        return trusted(Part, reason="assigned-elsewhere", credits=to_decimal(value), note=elsewhere)
    if not policy.credit_counts:
        return trusted(Part, reason="event-only", credits=to_decimal(value))
    if conversion.below_minimum:
        note = (
            f"{activity.minutes} minutes is below the minimum of {version.measure.smallest} credit"
        )
        return trusted(Part, reason="below-minimum-duration", credits=Decimal(0), note=note)
    return None


def _shares(
    activity: Activity, declared: Mapping[str, object], value: Fraction, screened: Screened
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
            trusted(
                Part,
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
                trusted(
                    Part,
                    reason="unrecognised-category",
                    credits=to_decimal(amount),
                    category=options[0],
                    note=f"not a category of this policy{hint}",
                )
            )
    return kept
