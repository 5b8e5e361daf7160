"""Repeats of a course: which completion counts, chosen for the holder.

A :class:`~cperules.rules.RepeatExclusion` lets a course taken more than once in one scope
(the cycle, or each year of it) count once. The rule does not say which completion
counts, so the engine chooses for the holder, cycle by cycle: the completion whose
counting leaves the cycle with the least total shortfall, then the most credit counted in
the cycle (not carried out of it), then the most carried out; ties go to the earliest.
Credit the cycle counts comes before credit it carries (as in the allocation), and the
choice never depends on what a later cycle does with carried credit. Where
every repeat of a course would count alike (the same credit under the same options,
rule days and carry, of an activity the rules read alike), the earliest counts without
trying the others; otherwise each combination of choices is allocated and compared.

Completions are grouped as the rule says: the same title and provider (ignoring case and
surrounding spaces) in the same scope. The others lose their entries and show a part of
reason ``repeat``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from itertools import product

from cperules._engine.allocation import Allocation, Entry
from cperules._engine.screening import Screened
from cperules.credits import to_decimal
from cperules.cycles import Cycle
from cperules.errors import ArgumentError
from cperules.ledger import Activity
from cperules.policy import PolicyVersion
from cperules.results import Part
from cperules.rules import RepeatExclusion

__all__ = ["MAX_REPEAT_CHOICES", "choose_repeats"]

MAX_REPEAT_CHOICES = 4_096
"""The most combinations of repeat choices one cycle's evaluation tries."""

_READ_ALIKE = frozenset({"id", "title", "completed", "started", "evidence", "notes"})
"""Activity fields no rule reads to count credit (beyond the entries' own amounts and days)."""

Solve = Callable[[list[Entry]], Allocation]
"""The cycle's allocation of its own entries (the grace-window and carried-in ones added)."""


def choose_repeats(
    own: Sequence[Screened], version: PolicyVersion, cycle: Cycle, solve: Solve
) -> None:
    """Keep one completion of each repeated course in ``own`` (module doc); mark the rest.

    ``own`` is the cycle's screened activities in date order (then id); the completions
    not kept lose their entries and gain a ``repeat`` part. ``solve`` allocates a list of
    the cycle's own entries with the rest of its problem.

    Raises:
        ArgumentError: the repeats leave more than :data:`MAX_REPEAT_CHOICES`
            combinations to compare (code ``beyond-limits``).
    """
    for rule in version.rules:
        if not isinstance(rule, RepeatExclusion):
            continue
        groups = _groups(own, rule, cycle)
        if not groups:
            continue
        choices = [_distinct(group) for group in groups]
        combinations = 1
        for options in choices:
            combinations *= len(options)
        if combinations > MAX_REPEAT_CHOICES:
            raise ArgumentError(
                f"ledger: {len(groups)} courses are repeated in cycle "
                f"{cycle.period.start}..{cycle.period.end} (rule {rule.id!r}) with "
                f"completions that count differently, {combinations:,} ways to choose "
                f"which of each counts, beyond the {MAX_REPEAT_CHOICES:,} cperules compares; "
                "leave out repeats that cannot count, or evaluate fewer cycles at once",
                code="beyond-limits",
            )
        kept = _best(own, groups, choices, solve) if combinations > 1 else [0] * len(groups)
        for group, keep in zip(groups, kept, strict=True):
            chosen = group[keep]
            for screened in group:
                if screened is not chosen:
                    _mark(screened, chosen, rule)


def _groups(own: Sequence[Screened], rule: RepeatExclusion, cycle: Cycle) -> list[list[Screened]]:
    """The completions of each course taken more than once in one of ``rule``'s scopes."""
    by_course: dict[tuple[object, str, str], list[Screened]] = {}
    for screened in own:
        activity = screened.activity
        if not screened.entries:
            continue
        scope: object = "cycle"
        if rule.scope == "year":
            # Early-credit window activities belong to the first year.
            day = max(activity.completed, cycle.period.start)
            scope = next(i for i, year in enumerate(cycle.years) if day in year)
        key = (
            scope,
            activity.title.strip().casefold(),
            (activity.provider or "").strip().casefold(),
        )
        by_course.setdefault(key, []).append(screened)
    return [group for group in by_course.values() if len(group) > 1]


def _distinct(group: Sequence[Screened]) -> list[int]:
    """The completions of ``group`` worth trying: the earliest of each that counts alike."""
    seen: set[object] = set()
    kept = []
    for index, screened in enumerate(group):
        shape = _shape(screened)
        if shape not in seen:
            seen.add(shape)
            kept.append(index)
    return kept


def _shape(screened: Screened) -> object:
    """What of a completion the allocation can tell apart from another's."""
    activity: Activity = screened.activity
    entries = tuple(
        (e.amount, e.options, e.paths, e.day, e.source, e.share, e.carry) for e in screened.entries
    )
    read = tuple(
        (name, getattr(activity, name))
        for name in type(activity).model_fields
        if name not in _READ_ALIKE
    )
    return entries, repr(read)


def _best(
    own: Sequence[Screened],
    groups: Sequence[Sequence[Screened]],
    choices: Sequence[Sequence[int]],
    solve: Solve,
) -> list[int]:
    """The choice of each group's completion that serves the holder best (module doc)."""
    members = {id(screened) for group in groups for screened in group}
    best: tuple[Fraction, Fraction, Fraction] | None = None
    chosen: list[int] = []
    for combination in product(*choices):
        kept = {id(group[keep]) for group, keep in zip(groups, combination, strict=True)}
        # In the cycle's own order: the allocation breaks ties by date, then id.
        allocation = solve(
            [e for s in own if id(s) not in members or id(s) in kept for e in s.entries]
        )
        carried = sum((sum(c, Fraction(0)) for c in allocation.carried), Fraction(0))
        counted = sum((sum(c, Fraction(0)) for c in allocation.counted), Fraction(0))
        # The allocation's counted credit includes what it carries out: the cycle keeps
        # the rest.
        score = (sum(allocation.shortfall, Fraction(0)), carried - counted, -carried)
        if best is None or score < best:  # the first best: earliest completions first
            best, chosen = score, list(combination)
    return chosen


def _mark(screened: Screened, chosen: Screened, rule: RepeatExclusion) -> None:
    """Take ``screened``'s entries away: ``chosen``, a completion of the same course, counts."""
    screened.entries.clear()
    later = (chosen.activity.completed, chosen.activity.id) > (
        screened.activity.completed,
        screened.activity.id,
    )
    note = (
        f"the same course counts once in this period, and its completion of "
        f"{chosen.activity.completed} ({chosen.activity.id}) serves the cycle better"
        if later
        else "the same course was already counted in this period"
    )
    screened.parts.append(
        Part(reason="repeat", credits=to_decimal(screened.value), rule=rule.id, note=note)
    )
