"""A policy version compiled once: what every ledger evaluated under it reads alike.

Compiling a :class:`~cperules.policy.PolicyVersion` works out, once, what the engine
would otherwise redo for every ledger and every cycle: the category paths (each declared
code with its ancestors) and which rules are minimums and caps (the templates each
cycle's requirement and limit instances are made from).

Compiled versions are kept per version object (a version is immutable), and cycle
layouts per cycle spec, holding and ``as_of``: a batch of ledgers under one policy
builds neither again. Both caches are bounded.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from cperules.cycles import Cycle, CycleSpec
from cperules.holders import Holding
from cperules.policy import PolicyVersion
from cperules.results import Finding
from cperules.rules import Cap, CreditValue, Exclusion, Minimum, Prerequisite, RepeatExclusion

__all__ = [
    "Bounded",
    "CompiledPolicy",
    "LayoutKey",
    "Single",
    "compiled",
    "layout",
    "layout_key",
    "layout_next",
]

_K = TypeVar("_K")
_V = TypeVar("_V")

COMPILED_KEPT = 256
"""Compiled policy versions kept (the whole bundled catalog has fewer versions in use)."""

LAYOUTS_KEPT = 2048
"""Cycle layouts kept: one per (spec, holding's dates and holder, as_of) seen recently.

A layout is laid out again when a holder's dates come back after it was let go, and
that costs about half a holder's verdict: 20,000 PMP holders earned on some 2,200
different days took 1.37 ms a holder in one process with 1,024 kept, 1.16 ms with
2,048 (216 MB and 244 MB resident). What a layout's plans keep is small since the
verdict kernel's slot tables belong to the rules (:mod:`cperules._engine.kernel`), so
a Dask worker of the scale benchmark peaks near 270 MB with 2,048."""


class Bounded(OrderedDict[_K, _V]):
    """A least-recently-used mapping of at most ``size`` items."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def get_fresh(self, key: _K) -> _V | None:
        """The value kept for ``key`` (now the most recently used), or None."""
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def keep(self, key: _K, value: _V) -> _V:
        """Keep ``value`` for ``key``, forgetting the least recently used beyond the size."""
        self[key] = value
        if len(self) > self.size:
            self.popitem(last=False)
        return value


Single = Mapping[str, tuple[tuple[str], tuple[tuple[str, ...]]]]
"""Each declared category's options and paths as an entry of that one category has them
(:attr:`CompiledPolicy.single`)."""


@dataclass(frozen=True, slots=True, eq=False)
class CompiledPolicy:
    """One policy version, compiled (see the module doc).

    Attributes:
        version: The version compiled.
        paths: Each declared category code with its ancestors, nearest first.
        minimums: The version's minimum rules, in policy order.
        once: The ids of its minimums that apply until met once (``once-per-career``):
            the only ones whose applying reads what was met before.
        caps: The version's cap rules, in policy order.
        credit_values: Its credit-value rules, in policy order (the first to select an
            activity values it).
        exclusions: Its exclusion rules, in policy order.
        repeats: Whether it has repeat-exclusion rules.
        prerequisites: Its prerequisite rules, in policy order.
        credit_counts: Whether credit serves anything under it.
        uncertain: Its uncertain readings, each as the finding every cycle under it
            reports.
        single: For each declared code, the category options and paths of an entry of
            that one category, made once (shared by every such entry).
    """

    version: PolicyVersion
    paths: Mapping[str, tuple[str, ...]]
    minimums: tuple[Minimum, ...]
    once: frozenset[str]
    caps: tuple[Cap, ...]
    credit_values: tuple[CreditValue, ...]
    exclusions: tuple[Exclusion, ...]
    repeats: bool
    prerequisites: tuple[Prerequisite, ...]
    credit_counts: bool
    uncertain: tuple[Finding, ...]
    single: Single = field(default_factory=dict)


_compiled: Bounded[int, CompiledPolicy] = Bounded(COMPILED_KEPT)


_recent: CompiledPolicy | None = None
"""The version compiled last asked for (asked again for each activity of a cycle)."""


def compiled(version: PolicyVersion) -> CompiledPolicy:
    """``version`` compiled, built on first use and then reused (keyed by the object)."""
    global _recent  # noqa: PLW0603 - a one-item cache in front of the bounded one
    recent = _recent
    if recent is not None and recent.version is version:
        return recent
    found = _compiled.get_fresh(id(version))
    if found is not None and found.version is version:
        _recent = found
        return found
    minimums = tuple(rule for rule in version.rules if isinstance(rule, Minimum))
    caps = tuple(rule for rule in version.rules if isinstance(rule, Cap))
    paths = version.category_paths()
    return _compiled.keep(
        id(version),
        CompiledPolicy(
            version=version,
            paths=paths,
            minimums=minimums,
            once=frozenset(
                rule.id for rule in minimums if rule.recurrence.applies_to == "once-per-career"
            ),
            caps=caps,
            credit_values=tuple(r for r in version.rules if isinstance(r, CreditValue)),
            exclusions=tuple(r for r in version.rules if isinstance(r, Exclusion)),
            repeats=any(isinstance(r, RepeatExclusion) for r in version.rules),
            prerequisites=tuple(r for r in version.rules if isinstance(r, Prerequisite)),
            credit_counts=version.credit_counts,
            uncertain=tuple(
                Finding(code="uncertain-reading", message=note) for note in version.uncertain
            ),
            single={code: ((code,), (path,)) for code, path in paths.items()},
        ),
    )


LayoutKey = tuple[int, dt.date, object, str, dt.date]
"""What a layout is kept by: the spec (by identity), the holding's dates and holder, the day."""

HOLDER_FREE_KINDS = frozenset({"anniversary", "rolling"})
"""Cycle spec kinds whose layout reads nothing of the holder (only the dates): holders of
such a certification earned the same day share one layout."""
_layouts: Bounded[LayoutKey, tuple[CycleSpec, tuple[Cycle, ...], Cycle | None]] = Bounded(
    LAYOUTS_KEPT
)


def layout_key(spec: CycleSpec, holding: Holding, as_of: dt.date) -> LayoutKey:
    """The key :func:`layout` keeps ``spec``'s cycles of ``holding`` on ``as_of`` by.

    Two holdings with the same key have the same cycles (the spec is compared by identity:
    check it on a hit).
    """
    holder = None if spec.kind in HOLDER_FREE_KINDS else holding.holder
    return (id(spec), holding.earned, holder, holding.certification_id, as_of)


def layout(spec: CycleSpec, holding: Holding, as_of: dt.date) -> tuple[Cycle, ...]:
    """``spec.cycles(holding, as_of=as_of)``, laid out once per spec, holding and day.

    A layout reads the holding's earned date, certification id (for its messages) and,
    but for :data:`HOLDER_FREE_KINDS`, the holder; cycles are immutable values, so one
    layout serves every ledger.
    """
    return layout_next(spec, holding, as_of)[0]


def layout_next(
    spec: CycleSpec, holding: Holding, as_of: dt.date
) -> tuple[tuple[Cycle, ...], Cycle | None]:
    """:func:`layout` and the cycle after its last (``spec.cycles_and_next``), kept together.

    The next cycle is where credit carried out of the governing cycle lands: laid out in
    the same pass, not by laying every cycle out again up to it.
    """
    key = layout_key(spec, holding, as_of)
    found = _layouts.get_fresh(key)
    if found is not None and found[0] is spec:
        return found[1], found[2]
    cycles, following = spec.cycles_and_next(holding, as_of=as_of)
    _layouts.keep(key, (spec, cycles, following))
    return cycles, following
