"""Policies: a certification's effective-dated versions of cycle, measure, categories and rules.

>>> import datetime as dt
>>> from cperules.periods import AnniversaryCycle
>>> from cperules.rules import Cap, Minimum
>>> from cperules.selectors import category
>>> version = PolicyVersion(
...     effective_from=dt.date(2020, 1, 1),
...     cycle=AnniversaryCycle(years=3),
...     categories=(CategoryNode(code="A"), CategoryNode(code="B")),
...     rules=(Minimum(id="total", credits=120),
...            Minimum(id="group-a", credits=90, selector=category("A")),
...            Cap(id="group-b", selector=category("B"), credits=30)),
... )
>>> cert = Certification(id="example/cert", name="Example", body="Example body", unit="CPE",
...                      versions=(version,))
>>> cert.version_on(dt.date(2025, 6, 1)) is version
True
>>> version.category_path("A")
('A',)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import pairwise
from typing import Annotated, Self

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from cperules._model import FrozenModel, class_default, render
from cperules.audit import Audit
from cperules.citations import Citation, SourceRef, on_domains
from cperules.credits import Measure
from cperules.cycles import CycleSpec
from cperules.days import check_day
from cperules.errors import PolicyError, did_you_mean
from cperules.ledger import Activity
from cperules.rules import (
    Carryover,
    CreditValue,
    Exclusion,
    Minimum,
    RenewalPath,
    RepeatExclusion,
    Rule,
)
from cperules.selectors import (
    Selector,
    categories_named,
    deliveries_named,
    kinds_named,
    topics_named,
)
from cperules.sharing import Sharing

__all__ = [
    "MAX_CATEGORIES",
    "MAX_RULES",
    "CategoryNode",
    "Certification",
    "Citation",
    "Domain",
    "PolicyVersion",
    "Vocabulary",
]


Domain = Annotated[
    str,
    Field(
        min_length=3,
        pattern=r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$",
    ),
]
"""A lower-case domain name without scheme or path (``"isc2.org"``, ``"dca.ca.gov"``)."""


MAX_RULES = 100
"""The most rules one policy version may have (the bundled catalog's largest has 8)."""

MAX_CATEGORIES = 200
"""The most categories one policy version's tree may declare, children included."""


class CategoryNode(FrozenModel):
    """A category in a policy's category tree, with its sub-categories.

    Credit filed under a category also counts for every ancestor, so a rule on a parent
    covers its children (Education covers its three skill areas).

    >>> CategoryNode(code="education", children=(CategoryNode(code="ways-of-working"),))
    CategoryNode(code='education', children=(CategoryNode(code='ways-of-working'),))
    """

    code: str = Field(min_length=1)
    name: str | None = None
    children: tuple[CategoryNode, ...] = ()

    def walk(
        self, ancestors: tuple[str, ...] = ()
    ) -> Iterator[tuple[CategoryNode, tuple[str, ...]]]:
        """Yield each node of this subtree with its path (itself first, then ancestors)."""
        path = (self.code, *ancestors)
        yield self, path
        for child in self.children:
            yield from child.walk(path)


class Vocabulary(FrozenModel):
    """The words a policy understands: what an activity's fields may say to count.

    ``categories`` are the declared category codes, in the tree's order (a parent before
    its children); ``topics``, ``kinds`` and ``deliveries`` are those the policy's rules,
    carryover and sharing limits select on (other values are accepted but no rule singles
    them out); ``renewal_events`` are the renewal event kinds a renewal path accepts, and
    ``event_tags`` the tags those paths name.

    >>> from cperules.periods import AnniversaryCycle
    >>> from cperules.rules import Cap
    >>> from cperules.selectors import category, topic
    >>> v = PolicyVersion(effective_from=dt.date(2020, 1, 1), cycle=AnniversaryCycle(years=1),
    ...     categories=(CategoryNode(code="A"), CategoryNode(code="B")),
    ...     rules=(Cap(id="b-cap", selector=category("B") | topic("ethics"), credits=10),))
    >>> v.vocabulary()
    Vocabulary(categories=('A', 'B'), topics=('ethics',))
    """

    categories: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    deliveries: tuple[str, ...] = ()
    renewal_events: tuple[str, ...] = ()
    event_tags: tuple[str, ...] = ()

    def __or__(self, other: Vocabulary) -> Vocabulary:
        """The words of both, each once, in order of first appearance."""
        return Vocabulary(
            **{
                name: tuple(dict.fromkeys((*getattr(self, name), *getattr(other, name))))
                for name in type(self).model_fields
            }
        )


class PolicyVersion(FrozenModel):
    """One version of a certification's renewal policy, in force from ``effective_from``.

    It combines the cycle spec (with its grace), the measure, the category tree, the rules
    and the carryover, the renewal paths other than credit, the sharing rule for
    several certifications of one body and the audit rules (accepted proof, retention),
    with the citations that ground them.
    ``uncertain`` records, in words, each reading chosen where sources conflict; results
    surface these notes.
    Every category a rule names must be declared in ``categories``.
    """

    effective_from: dt.date
    effective_until: dt.date | None = None
    last_verified: dt.date | None = None
    citations: tuple[Citation, ...] = ()
    uncertain: tuple[str, ...] = ()
    cycle: CycleSpec
    measure: Measure = class_default(Measure)
    categories: tuple[CategoryNode, ...] = ()
    rules: tuple[Rule, ...] = ()
    carryover: Carryover | None = None
    renewal_paths: tuple[RenewalPath, ...] = Field(
        default=(), description="Events that renew a cycle, alone or with some credit."
    )
    renews_by_credit: bool = Field(
        default=True,
        description="Whether meeting the rules alone renews a cycle; false for exam-only "
        "certifications, which only a renewal path renews.",
    )
    sharing: Sharing | None = Field(
        default=None,
        description="How an activity may serve several certifications of the same pool.",
    )
    audit: Audit | None = Field(
        default=None,
        description="What the body says about audits: the proof it accepts, how long "
        "records are kept, how holders are picked. None: the version says nothing.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.effective_until is not None and self.effective_until < self.effective_from:
            raise PydanticCustomError(
                "version-overlap",
                "effective_until {until} is before effective_from {start}",
                {"until": str(self.effective_until), "start": str(self.effective_from)},
            )
        if len(self.rules) > MAX_RULES:
            raise PydanticCustomError(
                "beyond-limits",
                "a policy version has at most {limit} rules, got {count}",
                {"limit": MAX_RULES, "count": len(self.rules)},
            )
        paths = self._paths()
        if len(paths) > MAX_CATEGORIES:
            raise PydanticCustomError(
                "beyond-limits",
                "a policy version's category tree has at most {limit} categories, got {count}",
                {"limit": MAX_CATEGORIES, "count": len(paths)},
            )
        ids: set[str] = set()
        for index, rule in enumerate(self.rules):
            if rule.id in ids:
                raise PydanticCustomError(
                    "duplicate-rule-id",
                    "rules[{index}]: rule id '{id}' is used twice",
                    {"index": index, "id": rule.id},
                )
            ids.add(rule.id)
            if not isinstance(rule, RepeatExclusion):  # the one kind with no selector
                _check_declared(rule.selector, paths, f"rules[{index}] ({rule.id!r})")
        if self.carryover is not None:
            _check_declared(self.carryover.selector, paths, "carryover")
        if not self.renews_by_credit and not self.renewal_paths:
            raise PydanticCustomError(
                "invalid-policy",
                "renews_by_credit is false but no renewal_paths are given: nothing could "
                "renew this certification",
                {},
            )
        if self.sharing is not None:
            for index, limit in enumerate(self.sharing.limits):
                _check_declared(limit.selector, paths, f"sharing.limits[{index}]")
        if self.audit is not None:
            for index, entry in enumerate(self.audit.evidence):
                _check_declared(entry.selector, paths, f"audit.evidence[{index}]")
        self._check_sources()
        return self

    def _check_sources(self) -> None:
        """Citation ids are unique, and every rule's ``source`` names one of them."""
        ids: set[str] = set()
        for index, citation in enumerate(self.citations):
            if citation.id is None:
                continue
            if citation.id in ids:
                raise PydanticCustomError(
                    "duplicate-citation-id",
                    "citations[{index}]: citation id '{id}' is used twice",
                    {"index": index, "id": citation.id},
                )
            ids.add(citation.id)
        for where, source in self.sources():
            if source.citation not in ids:
                known = ", ".join(sorted(ids)) or "none has an id"
                raise PydanticCustomError(
                    "unknown-citation",
                    "{where}: source cites '{citation}', which is not the id of one of this "
                    "version's citations ({known}){hint}",
                    {
                        "where": where,
                        "citation": source.citation,
                        "known": known,
                        "hint": did_you_mean(source.citation, ids),
                    },
                )

    def sources(self) -> Iterator[tuple[str, SourceRef]]:
        """Each part of the version that names its source: where it is, and the source.

        >>> from cperules.citations import SourceRef
        >>> from cperules.periods import AnniversaryCycle
        >>> v = PolicyVersion(effective_from=dt.date(2020, 1, 1),
        ...     citations=(Citation(id="h", url="https://example.org/h", title="Handbook"),),
        ...     cycle=AnniversaryCycle(years=3, source=SourceRef(citation="h", clause="2.1")),
        ...     rules=(Minimum(id="total", credits=120, source=SourceRef(citation="h")),))
        >>> [where for where, _ in v.sources()]
        ['cycle', "rules[0] ('total')"]
        """
        if self.cycle.source is not None:
            yield "cycle", self.cycle.source
        after = self.cycle.grace.after if self.cycle.grace is not None else None
        if after is not None and after.source is not None:
            yield "cycle.grace.after", after.source
        for index, rule in enumerate(self.rules):
            if rule.source is not None:
                yield f"rules[{index}] ({rule.id!r})", rule.source
        if self.carryover is not None and self.carryover.source is not None:
            yield "carryover", self.carryover.source
        for index, path in enumerate(self.renewal_paths):
            if path.source is not None:
                yield f"renewal_paths[{index}]", path.source
        if self.audit is not None:
            yield from self.audit.sources()

    def citation(self, citation_id: str) -> Citation:
        """The version's citation whose ``id`` is ``citation_id``.

        Raises:
            KeyError: no citation has that id (the message suggests a close one).
        """
        for citation in self.citations:
            if citation.id == citation_id:
                return citation
        ids = {c.id for c in self.citations if c.id is not None}
        raise KeyError(f"no citation has id {citation_id!r}{did_you_mean(citation_id, ids)}")

    def _paths(self) -> dict[str, tuple[str, ...]]:
        paths: dict[str, tuple[str, ...]] = {}
        for root in self.categories:
            for node, path in root.walk():
                if node.code in paths:
                    raise PydanticCustomError(
                        "duplicate-category",
                        "category code '{code}' is declared twice",
                        {"code": node.code},
                    )
                paths[node.code] = path
        return paths

    @property
    def category_codes(self) -> frozenset[str]:
        """Every category code the tree declares."""
        return frozenset(self._paths())

    def category_paths(self) -> dict[str, tuple[str, ...]]:
        """Every declared category with its ancestors, nearest first (a fresh dict).

        >>> from cperules.periods import AnniversaryCycle
        >>> v = PolicyVersion(effective_from=dt.date(2020, 1, 1), cycle=AnniversaryCycle(years=1),
        ...     categories=(CategoryNode(code="E", children=(CategoryNode(code="E1"),)),))
        >>> v.category_paths()
        {'E': ('E',), 'E1': ('E1', 'E')}
        """
        return self._paths()

    def category_path(self, code: str) -> tuple[str, ...]:
        """A declared category and its ancestors, nearest first.

        Raises:
            KeyError: ``code`` is not declared (the message suggests a close code).
        """
        paths = self._paths()
        if code not in paths:
            raise KeyError(f"category {code!r} is not declared{did_you_mean(code, paths)}")
        return paths[code]

    @property
    def credit_counts(self) -> bool:
        """Whether credit serves anything (not for a certification only events renew).

        False when the version renews only by an event, has no minimum and no renewal path
        that asks for credit.
        """
        return (
            self.renews_by_credit
            or any(isinstance(rule, Minimum) for rule in self.rules)
            or any(path.credits is not None for path in self.renewal_paths)
        )

    def credit_value_for(self, activity: Activity) -> CreditValue | None:
        """The rule that values ``activity``: the first credit-value rule to select it."""
        return next(
            (r for r in self.rules if isinstance(r, CreditValue) and r.selector.matches(activity)),
            None,
        )

    def exclusion_for(self, activity: Activity) -> Exclusion | None:
        """The first exclusion rule that selects ``activity``, if any."""
        return next(
            (r for r in self.rules if isinstance(r, Exclusion) and r.selector.matches(activity)),
            None,
        )

    def covers(self, day: dt.date) -> bool:
        """Whether this version is in force on ``day``."""
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until
        )

    def selectors(self) -> Iterator[Selector]:
        """Every selector of the version: its rules', carryover's, sharing limits', audit's."""
        for rule in self.rules:
            if not isinstance(rule, RepeatExclusion):  # the one kind with no selector
                yield rule.selector
        if self.carryover is not None:
            yield self.carryover.selector
        if self.sharing is not None:
            for limit in self.sharing.limits:
                yield limit.selector
        if self.audit is not None:
            yield from self.audit.selectors()

    def vocabulary(self) -> Vocabulary:
        """The categories, topics, kinds, deliveries and renewal events this version knows.

        See :class:`Vocabulary`; a tool can offer these words when an activity is entered.
        """
        selectors = tuple(self.selectors())
        return Vocabulary(
            categories=tuple(self._paths()),
            topics=tuple(sorted(set().union(*map(topics_named, selectors)))),
            kinds=tuple(sorted(set().union(*map(kinds_named, selectors)))),
            deliveries=tuple(sorted(set().union(*map(deliveries_named, selectors)))),
            renewal_events=tuple(dict.fromkeys(path.kind for path in self.renewal_paths)),
            event_tags=tuple(
                dict.fromkeys(tag for path in self.renewal_paths for tag in path.tags)
            ),
        )


def _check_declared(selector: Selector, paths: dict[str, tuple[str, ...]], where: str) -> None:
    for code in sorted(categories_named(selector)):
        if code not in paths:
            raise PydanticCustomError(
                "undeclared-category",
                "{where} selects category '{code}', which the category tree does not declare{hint}",
                {"where": where, "code": code, "hint": did_you_mean(code, paths)},
            )


class Certification(FrozenModel):
    """A certification and its policy versions, contiguous and non-overlapping.

    The version that governs a cycle is the one in force on the cycle's first day.
    """

    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9.-]*/[a-z0-9][a-z0-9.+-]*$")
    name: str = Field(min_length=1)
    body: str = Field(min_length=1)
    unit: str = Field(min_length=1, description="The body's name for a credit: CPE, PDU, CEU.")
    aliases: tuple[str, ...] = ()
    domains: tuple[Domain, ...] = Field(
        default=(),
        description="The web domains of the body's own documents: its site and the official "
        "publishers of the statutes, regulations or court rules that govern it. A citation "
        "not marked third_party should point at one of them (subdomains count).",
    )
    versions: tuple[PolicyVersion, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _contiguous_versions(self) -> Self:
        for index, (before, after) in enumerate(pairwise(self.versions)):
            until = before.effective_until
            where = {"index": index, "next": index + 1, "next_start": str(after.effective_from)}
            if until is None:
                raise PydanticCustomError(
                    "version-gap",
                    "versions[{index}] has no effective_until, but versions[{next}] starts "
                    "on {next_start}",
                    where,
                )
            if until >= after.effective_from:
                raise PydanticCustomError(
                    "version-overlap",
                    "versions[{index}] ends {until}, on or after versions[{next}] starts on "
                    "{next_start}",
                    {**where, "until": str(until)},
                )
            if until + dt.timedelta(days=1) != after.effective_from:
                raise PydanticCustomError(
                    "version-gap",
                    "versions[{index}] ends {until} but versions[{next}] starts on {next_start}",
                    {**where, "until": str(until)},
                )
        return self

    def off_domain_citations(self) -> tuple[tuple[int, Citation], ...]:
        """Citations presented as the body's own whose URL is on none of ``domains``.

        Each comes with the index of its version. Empty when ``domains`` is not declared.

        >>> from cperules.periods import AnniversaryCycle
        >>> v = PolicyVersion(effective_from=dt.date(2020, 1, 1),
        ...     cycle=AnniversaryCycle(years=1), citations=(
        ...         Citation(url="https://www.example.org/h", title="Handbook"),
        ...         Citation(url="https://blog.example.net/x", title="A summary"),
        ...         Citation(url="https://forum.example.com/x", title="A post", third_party=True)))
        >>> cert = Certification(id="example/cert", name="E", body="E", unit="CPE",
        ...     domains=("example.org",), versions=(v,))
        >>> [(i, c.url) for i, c in cert.off_domain_citations()]
        [(0, 'https://blog.example.net/x')]
        """
        if not self.domains:
            return ()
        return tuple(
            (index, citation)
            for index, version in enumerate(self.versions)
            for citation in version.citations
            if not citation.third_party and not on_domains(citation.url, self.domains)
        )

    def version_on(self, day: dt.date) -> PolicyVersion:
        """The policy version in force on ``day``.

        Raises:
            PolicyError: ``no-policy-version`` when no version covers ``day``.
        """
        for version in self.versions:
            if version.covers(day):
                return version
        first, last = self.versions[0], self.versions[-1]
        span = f"{first.effective_from} to {last.effective_until or 'open'}"
        raise PolicyError(
            f"{self.id!r} has no policy version in force on {day} (versions cover {span})",
            code="no-policy-version",
        )

    def vocabulary(self, on: dt.date | None = None) -> Vocabulary:
        """The words the policy knows: of the version in force ``on`` a day, or of them all.

        >>> from cperules import catalog
        >>> catalog.get("isc2/cissp").vocabulary().categories
        ('A', 'B')

        Raises:
            PolicyError: ``no-policy-version`` when no version covers ``on``.
        """
        if on is not None:
            return self.version_on(check_day(on, "on")).vocabulary()
        vocabulary = Vocabulary()
        for version in self.versions:
            vocabulary |= version.vocabulary()
        return vocabulary

    def _repr_html_(self) -> str:
        """Self-contained HTML for Jupyter (see :mod:`cperules.render`)."""
        return str(render("certification_html", self))
