"""Selectors: composable predicates over activity attributes.

Rules attach to selectors ("at most 30 credits of category B", "2 hours of ethics taken
live"). Build them with the small functions below and combine them with ``&`` (and),
``|`` (or) and ``~`` (not). Each is a frozen, ``kind``-tagged model, so selectors
serialise to plain data and load back to equal values.

>>> s = category("A") & ~topic("ethics")
>>> s
category('A') & ~topic('ethics')
>>> s.model_dump()["kind"]
'all'
>>> from pydantic import TypeAdapter
>>> TypeAdapter(Selector).validate_python(s.model_dump()) == s
True
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Annotated, Literal, Self, cast

from pydantic import BeforeValidator, Field, PrivateAttr, model_validator
from pydantic_core import PydanticCustomError

from cperules._model import FrozenModel
from cperules.ledger import Activity, ActivityKind, Delivery

__all__ = [
    "MAX_SELECTOR_DEPTH",
    "AllOf",
    "AnyOf",
    "ClaimedFor",
    "Everything",
    "HasCategory",
    "HasDelivery",
    "HasKind",
    "HasTopic",
    "IsApproved",
    "Not",
    "Selector",
    "activity_kind",
    "all_of",
    "any_of",
    "approved",
    "categories_named",
    "category",
    "claimed_for",
    "deliveries_named",
    "delivery",
    "everything",
    "kinds_named",
    "leaves",
    "not_",
    "topic",
    "topics_named",
]


def _sorted_unique(value: object) -> object:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(sorted(set(value), key=str))
    return value


def _call(name: str, values: tuple[str, ...]) -> str:
    return f"{name}({', '.join(repr(v) for v in values)})"


MAX_SELECTOR_DEPTH = 32
"""How deep selectors may nest (``~(a & (b | ~c))`` is 4 deep). Real policies use two or
three levels; the bound keeps matching from exhausting the interpreter's stack."""


class _Selector(FrozenModel):
    """What every selector can do: match an activity and combine with others."""

    @property
    def depth(self) -> int:
        """How deep the selector nests: 1 for a plain test, 1 + its deepest part otherwise.

        >>> (~(category("A") & topic("ethics"))).depth
        3
        """
        return 1

    def matches(self, activity: Activity, *, categories: Collection[str] | None = None) -> bool:
        """Whether ``activity`` is selected.

        ``categories`` replaces the activity's own categories for this test; the engine
        passes the path of the category-tree bucket a credit sits in (the bucket and its
        ancestors), so that a rule on a parent category covers its children.
        """
        raise NotImplementedError

    def __and__(self, other: _Selector) -> AllOf:
        return AllOf(selectors=(*_parts(self, AllOf), *_parts(other, AllOf)))

    def __or__(self, other: _Selector) -> AnyOf:
        return AnyOf(selectors=(*_parts(self, AnyOf), *_parts(other, AnyOf)))

    def __invert__(self) -> Not:
        return Not(selector=_concrete(self))


def _parts(selector: _Selector, kind: type[AllOf] | type[AnyOf]) -> tuple[Selector, ...]:
    """Flatten ``a & (b & c)`` into one AllOf (likewise for AnyOf)."""
    if isinstance(selector, kind):
        return selector.selectors
    return (_concrete(selector),)


def _concrete(selector: _Selector) -> Selector:
    """Every instance of the private base is one of the concrete kinds in ``Selector``."""
    return cast("Selector", selector)


class HasCategory(_Selector):
    """Activities in any of ``codes`` (a split activity matches if any share does).

    >>> category("A", "B")
    category('A', 'B')
    """

    kind: Literal["category"] = "category"
    codes: Annotated[
        tuple[Annotated[str, Field(min_length=1)], ...], BeforeValidator(_sorted_unique)
    ] = Field(min_length=1)

    def matches(self, activity: Activity, *, categories: Collection[str] | None = None) -> bool:
        """Whether the activity claims one of ``codes``."""
        own = activity.categories if categories is None else categories
        return any(code in self.codes for code in own)

    def __repr__(self) -> str:
        return _call("category", self.codes)


class HasTopic(_Selector):
    """Activities tagged with any of ``topics``.

    >>> topic("ethics").matches(Activity(id="a", title="T", completed="2024-01-01",
    ...                                  credits=1, topics=["ethics"]))
    True
    """

    kind: Literal["topic"] = "topic"
    topics: Annotated[
        tuple[Annotated[str, Field(min_length=1)], ...], BeforeValidator(_sorted_unique)
    ] = Field(min_length=1)

    def matches(self, activity: Activity, *, categories: Collection[str] | None = None) -> bool:
        """Whether the activity carries one of ``topics``."""
        return any(name in self.topics for name in activity.topics)

    def __repr__(self) -> str:
        return _call("topic", self.topics)


class HasDelivery(_Selector):
    """Activities delivered in any of ``formats``.

    >>> delivery("in-person", "live-online")
    delivery('in-person', 'live-online')
    """

    kind: Literal["delivery"] = "delivery"
    formats: Annotated[tuple[Delivery, ...], BeforeValidator(_sorted_unique)] = Field(min_length=1)

    def matches(self, activity: Activity, *, categories: Collection[str] | None = None) -> bool:
        """Whether the activity's delivery is one of ``formats``."""
        return activity.delivery in self.formats

    def __repr__(self) -> str:
        return _call("delivery", self.formats)


class HasKind(_Selector):
    """Activities of any of ``kinds`` (course, book, credential, ...).

    >>> activity_kind("book")
    activity_kind('book')
    """

    kind: Literal["activity-kind"] = "activity-kind"
    kinds: Annotated[tuple[ActivityKind, ...], BeforeValidator(_sorted_unique)] = Field(
        min_length=1
    )

    def matches(self, activity: Activity, *, categories: Collection[str] | None = None) -> bool:
        """Whether the activity's kind is one of ``kinds``."""
        return activity.kind in self.kinds

    def __repr__(self) -> str:
        return _call("activity_kind", self.kinds)


class IsApproved(_Selector):
    """Activities whose provider is marked approved (unknown approval does not match).

    >>> approved()
    approved()
    """

    kind: Literal["approved"] = "approved"

    def matches(self, activity: Activity, *, categories: Collection[str] | None = None) -> bool:
        """Whether the activity's ``approved`` flag is true."""
        return activity.approved is True

    def __repr__(self) -> str:
        return "approved()"


class ClaimedFor(_Selector):
    """Activities claimed for ``certification``.

    An activity that names no certification is claimed for every one.

    >>> claimed_for("isc2/cissp")
    claimed_for('isc2/cissp')
    """

    kind: Literal["claimed-for"] = "claimed-for"
    certification: str = Field(min_length=1)

    def matches(self, activity: Activity, *, categories: Collection[str] | None = None) -> bool:
        """Whether the activity may be claimed for ``certification``."""
        return not activity.claimed_for or self.certification in activity.claimed_for

    def __repr__(self) -> str:
        return _call("claimed_for", (self.certification,))


class Everything(_Selector):
    """Every activity.

    >>> everything()
    everything()
    """

    kind: Literal["everything"] = "everything"

    def matches(self, activity: Activity, *, categories: Collection[str] | None = None) -> bool:
        """Always true."""
        return True

    def __repr__(self) -> str:
        return "everything()"


class _Compound(_Selector):
    """A selector made of others (and, or, not): its depth is checked when it is built."""

    _depth: int = PrivateAttr(default=1)

    def parts(self) -> tuple[Selector, ...]:
        """The selectors this one is made of."""
        raise NotImplementedError

    @model_validator(mode="after")
    def _not_too_deep(self) -> Self:
        depth = 1 + max(part.depth for part in self.parts())
        if depth > MAX_SELECTOR_DEPTH:
            raise PydanticCustomError(
                "invalid-rule",
                "selectors nest at most {limit} deep; this one nests {depth} deep",
                {"limit": MAX_SELECTOR_DEPTH, "depth": depth},
            )
        self._depth = depth
        return self

    @property
    def depth(self) -> int:
        """1 + the depth of its deepest part (checked against the bound when built)."""
        return self._depth


class AllOf(_Compound):
    """Activities every one of ``selectors`` matches (``a & b``).

    >>> all_of(category("A"), delivery("in-person"))
    category('A') & delivery('in-person')
    """

    kind: Literal["all"] = "all"
    selectors: tuple[Selector, ...] = Field(min_length=1)

    def parts(self) -> tuple[Selector, ...]:
        """The selectors every one of which must match."""
        return self.selectors

    def matches(self, activity: Activity, *, categories: Collection[str] | None = None) -> bool:
        """Whether every part matches."""
        return all(part.matches(activity, categories=categories) for part in self.selectors)

    def __repr__(self) -> str:
        if len(self.selectors) == 1:
            return f"all_of({self.selectors[0]!r})"
        return " & ".join(_grouped(part) for part in self.selectors)


class AnyOf(_Compound):
    """Activities at least one of ``selectors`` matches (``a | b``).

    >>> topic("ethics") | topic("law")
    topic('ethics') | topic('law')
    """

    kind: Literal["any"] = "any"
    selectors: tuple[Selector, ...] = Field(min_length=1)

    def parts(self) -> tuple[Selector, ...]:
        """The selectors one of which must match."""
        return self.selectors

    def matches(self, activity: Activity, *, categories: Collection[str] | None = None) -> bool:
        """Whether any part matches."""
        return any(part.matches(activity, categories=categories) for part in self.selectors)

    def __repr__(self) -> str:
        if len(self.selectors) == 1:
            return f"any_of({self.selectors[0]!r})"
        return " | ".join(_grouped(part) for part in self.selectors)


class Not(_Compound):
    """Activities ``selector`` does not match (``~s``).

    >>> ~activity_kind("work-experience")
    ~activity_kind('work-experience')
    """

    kind: Literal["not"] = "not"
    selector: Selector

    def parts(self) -> tuple[Selector, ...]:
        """The one selector that must not match."""
        return (self.selector,)

    def matches(self, activity: Activity, *, categories: Collection[str] | None = None) -> bool:
        """Whether the inner selector does not match."""
        return not self.selector.matches(activity, categories=categories)

    def __repr__(self) -> str:
        return f"~{_grouped(self.selector)}"


def _grouped(selector: Selector) -> str:
    text = repr(selector)
    return (
        f"({text})" if isinstance(selector, AllOf | AnyOf) and len(selector.selectors) > 1 else text
    )


Selector = Annotated[
    HasCategory
    | HasTopic
    | HasDelivery
    | HasKind
    | IsApproved
    | ClaimedFor
    | Everything
    | AllOf
    | AnyOf
    | Not,
    Field(discriminator="kind"),
]
"""Any selector; a pydantic discriminated union on the ``kind`` tag."""

# AllOf, AnyOf and Not name Selector before it is defined: their validators, built on
# first use (cperules._model), find it in this module by then.


def leaves(selector: Selector) -> Iterator[Selector]:
    """The selector's leaves (everything but and/or/not), however deeply nested.

    >>> list(leaves(category("A") & ~(topic("x") | approved())))
    [category('A'), topic('x'), approved()]
    """
    if isinstance(selector, AllOf | AnyOf):
        for part in selector.selectors:
            yield from leaves(part)
    elif isinstance(selector, Not):
        yield from leaves(selector.selector)
    else:
        yield selector


def categories_named(selector: Selector) -> frozenset[str]:
    """Every category code a selector names, however deeply nested.

    >>> sorted(categories_named(category("A") & ~(category("B") | topic("x"))))
    ['A', 'B']
    """
    return frozenset(
        code for leaf in leaves(selector) if isinstance(leaf, HasCategory) for code in leaf.codes
    )


def topics_named(selector: Selector) -> frozenset[str]:
    """Every topic a selector names, however deeply nested.

    >>> sorted(topics_named(topic("ethics") | (category("A") & topic("law"))))
    ['ethics', 'law']
    """
    return frozenset(
        name for leaf in leaves(selector) if isinstance(leaf, HasTopic) for name in leaf.topics
    )


def kinds_named(selector: Selector) -> frozenset[ActivityKind]:
    """Every activity kind a selector names, however deeply nested.

    >>> sorted(kinds_named(activity_kind("book") | ~activity_kind("webinar")))
    ['book', 'webinar']
    """
    return frozenset(
        kind for leaf in leaves(selector) if isinstance(leaf, HasKind) for kind in leaf.kinds
    )


def deliveries_named(selector: Selector) -> frozenset[Delivery]:
    """Every delivery format a selector names, however deeply nested.

    >>> sorted(deliveries_named(delivery("on-demand") & category("A")))
    ['on-demand']
    """
    return frozenset(
        form for leaf in leaves(selector) if isinstance(leaf, HasDelivery) for form in leaf.formats
    )


def category(*codes: str) -> HasCategory:
    """Select activities in any of the given categories.

    >>> category("B").model_dump()
    {'kind': 'category', 'codes': ('B',)}
    """
    return HasCategory(codes=codes)


def topic(*names: str) -> HasTopic:
    """Select activities carrying any of the given topics."""
    return HasTopic(topics=names)


def delivery(*formats: Delivery) -> HasDelivery:
    """Select activities delivered in any of the given formats."""
    return HasDelivery(formats=formats)


def activity_kind(*kinds: ActivityKind) -> HasKind:
    """Select activities of any of the given kinds."""
    return HasKind(kinds=kinds)


def approved() -> IsApproved:
    """Select activities whose provider is marked approved."""
    return IsApproved()


def claimed_for(certification: str) -> ClaimedFor:
    """Select activities that may be claimed for ``certification``."""
    return ClaimedFor(certification=certification)


def everything() -> Everything:
    """Select every activity."""
    return Everything()


def all_of(*selectors: Selector) -> AllOf:
    """Select activities every one of ``selectors`` matches."""
    return AllOf(selectors=selectors)


def any_of(*selectors: Selector) -> AnyOf:
    """Select activities any of ``selectors`` matches."""
    return AnyOf(selectors=selectors)


def not_(selector: Selector) -> Not:
    """Select activities ``selector`` does not match."""
    return Not(selector=selector)
