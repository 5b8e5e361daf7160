"""Check a ledger (and a holding's renewal events) against a certification's policy.

Input the policy cannot read would otherwise count for nothing without a word: an
activity in a category the policy does not declare, or with no category where the policy
files credit by category; a ``claimed_for`` name that is neither this certification (its
id, an alias, its short name) nor any certification of the bundled catalog; a renewal
event of a kind, or with a tag, that no renewal path of the policy accepts. Each becomes a
:class:`~cperules.results.Finding` with a "did you mean". :func:`check_ledger` gives them
before evaluating (a tool can show them when an activity is entered);
:func:`cperules.evaluate` puts the same findings on the evaluation.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache

from cperules import catalog
from cperules.credits import _keep
from cperules.errors import ArgumentError, CperulesError, did_you_mean
from cperules.holders import Holding, RenewalEvent
from cperules.ledger import (
    AMOUNTLESS_KINDS,
    Activity,
    Ledger,
    chronology,
    irregular_between,
    require_ledger,
)
from cperules.policy import Certification, PolicyVersion
from cperules.results import Finding

# Also importable, for the library's own modules (not in the documented API):
# ledger_findings, names_of.
__all__ = [
    "check_ledger",
]


def check_ledger(
    certification: Certification | Holding | str,
    ledger: Ledger,
    *,
    events: Iterable[RenewalEvent] = (),
) -> tuple[Finding, ...]:
    """What ``certification``'s policy cannot read in ``ledger`` and ``events``.

    Activities' findings come first, by completion date then id, then the events'.

    ``certification`` is a :class:`~cperules.policy.Certification`, a catalog id or alias,
    or a :class:`~cperules.holders.Holding` (whose renewal events are checked too). The
    findings are those :func:`cperules.evaluate` puts on ``Evaluation.findings``.

    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> from cperules import Activity, Ledger
    >>> ledger = Ledger([Activity(id="c1", title="Course", completed=dt.date(2024, 5, 1),
    ...                           credits=Decimal(2), category="a",
    ...                           claimed_for=("CISSP", "CISP"))])
    >>> for finding in check_ledger("CISSP", ledger):
    ...     print(finding)
    unknown-category: activity 'c1': category 'a' is not a category of isc2/cissp (did you mean 'A'?); its credit counts nowhere
    unknown-claimed-for: activity 'c1': claimed_for 'CISP' names no known certification (did you mean 'CISSP'?)

    Raises:
        ArgumentError: ``certification`` or ``ledger`` is of the wrong type.
    """  # noqa: E501
    ledger = require_ledger(ledger)
    if isinstance(certification, Holding):
        events = (*certification.events, *events)
        certification = certification.certification
    if isinstance(certification, str):
        certification = catalog.get(certification)
    if not isinstance(certification, Certification):
        raise ArgumentError(
            "certification: expected a Certification, a catalog id such as 'isc2/cissp' or "
            f"a Holding, got the {type(certification).__name__} {certification!r}"
        )
    return ledger_findings(certification, ledger, tuple(events))


def ledger_findings(
    certification: Certification, ledger: Iterable[Activity], events: Iterable[RenewalEvent]
) -> tuple[Finding, ...]:
    """The findings of :func:`check_ledger`, for inputs already validated."""
    names: frozenset[str] | None = None  # worked out for the first claim, if any
    findings: list[Finding] = []
    # In date order, then by id, as the evaluation reads them: independent of ledger order
    # (a Ledger keeps that order once worked out).
    irregular: Sequence[int] | None = None  # where the activities not simple are (None: unknown)
    categories: Sequence[str | None] = ()  # theirs in the same order, where that is known
    if isinstance(ledger, Ledger):
        order = chronology(ledger)
        activities: Sequence[Activity] = order.activities
        days: Sequence[dt.date] = order.days
        irregular, categories = order.irregular, order.codes
    else:
        activities = sorted(ledger, key=lambda a: (a.completed, a.id))
        days = [activity.completed for activity in activities]
    # Activities in date order share the version of their days: it is worked out once per
    # run of them (the activities up to the last day it is in force for, found by
    # bisection), with its declared categories (None: credit counts nowhere).
    low, size = 0, len(activities)
    while low < size:
        version = _version_near(certification, days[low])
        high = bisect_right(days, _in_force(version, days[low])[1], lo=low)
        codes = _declared(version)
        run: Sequence[Activity] = activities[low:high]
        if irregular is not None:
            odd = irregular_between(irregular, low, high)
            if not codes or _simple_categories(categories, low, high, odd) <= codes.keys():
                # Its simple activities (no split, eligible or claimed one) each name one
                # declared category: nothing to report of them.
                if not odd:
                    low = high
                    continue
                run = [activities[position] for position in odd]
        for activity in run:
            if codes and not _names_declared(activity, codes):
                findings.extend(_category_findings(certification.id, activity, codes))
            if activity.claimed_for:
                if names is None:
                    names = names_of(certification)
                findings.extend(_claim_findings(activity, names))
        low = high
    for event in sorted(events, key=lambda e: (e.date, e.kind)):
        finding = _event_finding(certification, event)
        if finding is not None:
            findings.append(finding)
    return tuple(findings)


def _names_declared(activity: Activity, declared: Mapping[str, tuple[str, ...]]) -> bool:
    """Whether the activity names a category and every one it names is ``declared``.

    Then :func:`_category_findings` has nothing to report of it (the common claim:
    checked here without building its categories).

    >>> day = dt.date(2024, 5, 1)
    >>> declared = {"A": ("A",), "B": ("B",)}
    >>> split = Activity(id="s", title="T", completed=day, credits=2,
    ...                  split={"A": 1, "C": 1})
    >>> _names_declared(split, declared), _names_declared(split, {**declared, "C": ("C",)})
    (False, True)
    """
    split = activity.split
    if split is not None:
        return bool(split) and declared.keys() >= split.keys()
    eligible = activity.eligible
    if eligible:
        return all(map(declared.__contains__, eligible))
    return activity.category in declared


def _simple_categories(
    codes: Sequence[str | None], low: int, high: int, odd: Sequence[int]
) -> set[str | None]:
    """The categories ``codes[low:high]`` but those at ``odd`` (ascending).

    ``codes`` are a ledger's categories in date order (its chronology's column, read
    without touching the activities).

    >>> sorted(_simple_categories(("A", "B", "C", "D"), 0, 4, [1, 3]))
    ['A', 'C']
    """
    found: set[str | None] = set()
    start = low
    for position in (*odd, high):
        found.update(codes[start:position])
        start = position + 1
    return found


def names_of(certification: Certification) -> frozenset[str]:
    """The names, case-folded, by which an activity may claim ``certification``.

    Its id, its aliases and its short name (the id after the body: ``cissp``). Kept per
    certification (immutable): every evaluation of it asks.

    >>> from cperules import catalog
    >>> sorted(names_of(catalog.get("isc2/cissp")))[:2]
    ['cissp', 'isc2/cissp']
    """
    known = _NAMES.get(id(certification))
    if known is None or known[0] is not certification:
        names = frozenset(
            name.casefold()
            for name in (
                certification.id,
                *certification.aliases,
                certification.id.split("/", 1)[-1],
            )
        )
        known = _keep(_NAMES, id(certification), (certification, names), _NAMES_KEPT)
    return known[1]


_NAMES: dict[int, tuple[Certification, frozenset[str]]] = {}
"""Per certification (by id, the certification kept so that its id is not reused): its
names (:func:`names_of`)."""
_NAMES_KEPT = 1024


def _version_near(certification: Certification, day: dt.date) -> PolicyVersion:
    """The version in force on ``day``, else the first (before it) or the last (after)."""
    for version in certification.versions:
        if version.covers(day):
            return version
    first = certification.versions[0]
    return first if day < first.effective_from else certification.versions[-1]


_DECLARED: dict[int, tuple[PolicyVersion, Mapping[str, tuple[str, ...]] | None]] = {}
"""Per version (by id, the version kept so that its id is not reused): its declared
categories with their paths, or None where credit counts nowhere (:func:`_declared`)."""
_DECLARED_KEPT = 256


def _declared(version: PolicyVersion) -> Mapping[str, tuple[str, ...]] | None:
    """``version``'s declared categories with their paths (None: its credit counts nowhere).

    Kept per version (immutable): the tree is walked once, not once per ledger checked.
    """
    known = _DECLARED.get(id(version))
    if known is None or known[0] is not version:
        paths = version.category_paths() if version.credit_counts else None
        known = _keep(_DECLARED, id(version), (version, paths), _DECLARED_KEPT)
    return known[1]


def _in_force(version: PolicyVersion, day: dt.date) -> tuple[dt.date, dt.date]:
    """Days on which :func:`_version_near` gives ``version``, as it gave it for ``day``.

    The version's own days where it covers ``day``; else (a day before the first version
    or between versions) that day alone.
    """
    if version.covers(day):
        return version.effective_from, version.effective_until or dt.date.max
    return day, day


def _category_findings(
    certification_id: str, activity: Activity, declared: Mapping[str, tuple[str, ...]]
) -> Iterator[Finding]:
    """What the version declaring ``declared`` categories cannot read of the activity's.

    For an activity that does not name declared categories only (:func:`_names_declared`).
    """
    codes = activity.categories
    where = f"activity {activity.id!r}"
    if not codes:
        amountless = activity.credits is None and activity.minutes is None
        if activity.kind in AMOUNTLESS_KINDS and activity.units is None and amountless:
            return
        yield Finding(
            code="missing-category",
            activity=activity.id,
            message=f"{where} names no category, and {certification_id} files credit by "
            f"category ({', '.join(declared)}); its credit counts nowhere",
        )
        return
    for code in codes:
        if code in declared:
            continue
        hint = did_you_mean(code, declared)
        if activity.eligible and any(other in declared for other in codes):
            fate = "it is ignored among the eligible categories"
        else:
            fate = "its credit counts nowhere"
        yield Finding(
            code="unknown-category",
            activity=activity.id,
            message=f"{where}: category {code!r} is not a category of {certification_id}"
            f"{hint}; {fate}",
        )


def _claim_findings(activity: Activity, names: frozenset[str]) -> Iterator[Finding]:
    for name in activity.claimed_for:
        if name.casefold() in names:
            continue
        hint = _unknown_claim(name)
        if hint is None:
            continue
        yield Finding(
            code="unknown-claimed-for",
            activity=activity.id,
            message=f"activity {activity.id!r}: claimed_for {name!r} names no known "
            f"certification{hint}",
        )


@cache
def _unknown_claim(name: str) -> str | None:
    """``None`` if ``name`` is a bundled certification's id, alias or short name; else a hint.

    Cached: a ledger names the same few certifications over and over.
    """
    if name in catalog.ids():
        return None
    try:
        catalog.get(name)
    except CperulesError:
        pass
    else:
        return None
    aliases = [alias for i in catalog.ids() for alias in catalog.get(i).aliases]
    return did_you_mean(name, [*catalog.ids(), *aliases])


def _event_finding(certification: Certification, event: RenewalEvent) -> Finding | None:
    paths = [path for version in certification.versions for path in version.renewal_paths]
    if not paths:
        return Finding(
            code="no-renewal-path",
            message=f"renewal event {event.kind!r} on {event.date}: {certification.id} has "
            "no renewal path other than credit, so the event renews nothing",
        )
    kinds = dict.fromkeys(path.kind for path in paths)
    if event.kind not in kinds:
        return Finding(
            code="no-renewal-path",
            message=f"renewal event {event.kind!r} on {event.date}: {certification.id} has no "
            f"renewal path of that kind (its paths: {', '.join(kinds)})"
            f"{did_you_mean(event.kind, kinds)}",
        )
    same = [path for path in paths if path.kind == event.kind]
    if all(path.tags for path in same) and event.tag not in {t for p in same for t in p.tags}:
        tags = dict.fromkeys(tag for path in same for tag in path.tags)
        return Finding(
            code="no-renewal-path",
            message=f"renewal event {event.kind!r} on {event.date}: its tag {event.tag!r} is "
            f"not one that {certification.id} accepts ({', '.join(tags)})"
            f"{did_you_mean(event.tag or '', tags)}",
        )
    if all(path.certifications for path in same) and event.certification not in {
        c for p in same for c in p.certifications
    }:
        accepted = dict.fromkeys(c for path in same for c in path.certifications)
        return Finding(
            code="no-renewal-path",
            message=f"renewal event {event.kind!r} on {event.date}: certification "
            f"{event.certification!r} is not one that renews {certification.id} "
            f"({', '.join(accepted)}){did_you_mean(event.certification or '', accepted)}",
        )
    return None
