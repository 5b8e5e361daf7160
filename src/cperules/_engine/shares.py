"""Activities split across categories or eligible for several, as the kernel reads them.

The verdict kernel (:mod:`cperules._engine.kernel`) reads credit by category, one
category per activity. Two other common claims are read there too, by *shares*:

- an activity split across declared categories gives each of them one share of its
  credit, in the order of their codes, as screening makes its entries
  (:func:`cperules._engine.screening.screen_all`);
- an activity eligible for several declared categories is read in its first option.
  That is where the allocation counts it unless a minimum that tells its options apart
  (an *area*: PMP's Talent Triangle areas) needs it elsewhere
  (:func:`cperules._engine.allocation_flow.allocate_by_areas`): the kernel reads such a
  cycle where every area is met with each such activity in its first option and what
  carries out is what would carry if the areas required nothing, or where the
  allocation moves eligible credit straight to a short area (``_placed_in_areas`` in
  :mod:`cperules._engine.kernel`); :func:`areas_of` tells the areas.

A :class:`Share` stands for one share: it has the fields the kernel reads of an activity
(in its ``__dict__``, as pydantic keeps an activity's), under the share's category and
amount, with the activity it belongs to, its place among the activity's shares and the
category options and paths of its allocation entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from cperules._engine.compiled import Single
from cperules.ledger import Activity

__all__ = ["Areas", "ByShare", "Share", "areas_of", "owner", "shares_of"]

_ZERO = Decimal(0)


class Share:
    """One share of an activity's credit, read by the kernel as an activity of its own.

    ``id``, ``title``, ``completed`` and ``hypothetical`` are the activity's; ``category``
    and ``credits`` the share's; ``activity`` the activity itself, ``share`` the share's
    place among its shares (an entry's :attr:`~cperules._engine.allocation.Entry.share`),
    ``options`` and ``paths`` the category options and paths of the share's entry (an
    eligible activity's every option; its first is ``category``).

    >>> import datetime as dt
    >>> activity = Activity(id="w1", title="Workshop", completed=dt.date(2024, 5, 1),
    ...                     credits=Decimal(3), split={"B": Decimal(1), "A": Decimal(2)})
    >>> single = {"A": (("A",), (("A",),)), "B": (("B",), (("B",),))}
    >>> read = shares_of([activity], [0], single)
    >>> [(s.id, s.share, s.category, s.credits) for s in read.items], read.split[0][:2]
    ([('w1', 0, 'A', Decimal('2')), ('w1', 1, 'B', Decimal('1'))], (0, 2))
    """

    def __init__(  # noqa: PLR0917 - a share's fields, in order
        self,
        activity: Activity,
        share: int,
        category: str,
        credits: Decimal,
        options: tuple[str, ...],
        paths: tuple[tuple[str, ...], ...],
    ) -> None:
        # The activity's fields as pydantic keeps them (cheaper than its attributes).
        fields = activity.__dict__
        self.id = fields["id"]
        self.title = fields["title"]
        self.completed = fields["completed"]
        self.hypothetical = False
        self.category = category
        self.credits = credits
        self.activity = activity
        self.share = share
        self.options = options
        self.paths = paths

    def __repr__(self) -> str:
        return f"Share({self.id!r}, {self.share}, {self.category!r}, {self.credits})"


class ByShare(NamedTuple):
    """A cycle's activities read by share (:func:`shares_of`).

    ``items`` are the activities as the kernel reads them (simple ones as they are,
    others by share, in order), ``eligible`` the shares of activities eligible for more
    than one category (in order), ``options`` their distinct options (each with the first
    such activity), ``split`` each split activity with where its shares begin and end
    among ``items``.
    """

    items: list[Activity | Share]
    eligible: list[Share]
    options: dict[tuple[str, ...], Activity]
    split: list[tuple[int, int, Activity]]


@dataclass(slots=True, eq=False)
class Areas:
    """The areas of a cycle's eligible activities, with those activities' shares.

    ``areas`` are the minimums that tell an eligible activity's options apart
    (:func:`areas_of`), ``order`` the same ascending (an area's place there is its bit in
    a mask of areas), ``shares`` the eligible activities' shares (:attr:`ByShare.eligible`).
    ``unsettled`` is what the kernel found, where it leaves the cycle to the full path:
    that the allocation's direct path over the first options
    (``allocate_by_areas``) cannot settle the caps either, so the flow decides.
    """

    areas: frozenset[int]
    order: tuple[int, ...]
    shares: Sequence[Share]
    unsettled: bool = False


def shares_of(
    activities: Sequence[Activity], irregular: Sequence[int], single: Single
) -> ByShare | None:
    """``activities`` as the kernel reads them: simple ones as they are, others by share.

    ``irregular`` are where the activities that are not simple
    (:func:`cperules.ledger.is_simple`) are among them, in order. None where one of those
    is not one the kernel reads by share either: credit given (not nothing), claimed for
    no certification in particular, not hypothetical, and split across declared
    categories (``single``'s codes) in amounts adding up to its credit, or eligible for
    declared categories only.

    >>> import datetime as dt
    >>> day = dt.date(2024, 5, 1)
    >>> single = {"A": (("A",), (("A",),)), "B": (("B",), (("B",),))}
    >>> either = Activity(id="e1", title="Course", completed=day, credits=Decimal(2),
    ...                   eligible=("A", "B"))
    >>> read = shares_of([either], [0], single)
    >>> read.items[0].category, read.items[0].options, list(read.options), read.split
    ('A', ('A', 'B'), [('A', 'B')], [])
    >>> other = Activity(id="e2", title="Course", completed=day, credits=Decimal(2),
    ...                  eligible=("A", "C"))
    >>> shares_of([other], [0], single) is None
    True
    """
    read = ByShare([], [], {}, [])
    items = read.items
    routes_of: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}  # by options
    simple_from = 0  # where the simple activities not yet read begin
    for position in irregular:
        items += activities[simple_from:position]
        simple_from = position + 1
        activity = activities[position]
        # The fields as pydantic keeps them.
        fields = activity.__dict__
        split, choices, credits = fields["split"], fields["eligible"], fields["credits"]
        if fields["hypothetical"] or not credits or fields["claimed_for"]:
            return None
        if split is not None:
            if not split.keys() <= single.keys() or sum(split.values(), _ZERO) != credits:
                return None
            start = len(items)
            for share, code in enumerate(sorted(split)):
                options, paths = single[code]
                items.append(Share(activity, share, code, split[code], options, paths))
            read.split.append((start, len(items), activity))
            continue
        routes = routes_of.get(choices)
        if routes is None:  # options not met before in this cycle
            if not choices or not all(map(single.__contains__, choices)):
                return None
            routes = routes_of[choices] = tuple([single[code][1][0] for code in choices])
            if len(choices) > 1:
                read.options[choices] = activity
        item = Share(activity, 0, choices[0], credits, choices, routes)
        items.append(item)
        if len(routes) > 1:
            read.eligible.append(item)
    items += activities[simple_from:]
    return read


def areas_of(
    eligible: Iterable[tuple[str, ...]],
    slots: Mapping[object, tuple[int, int | None]],
    signatures: Sequence[tuple[tuple[int, ...], tuple[int, ...], bool]],
) -> frozenset[int] | None:
    """The minimums that tell the options of an eligible activity apart (its *areas*).

    ``eligible`` are the distinct options of the activities eligible for several
    categories, ``slots`` each category's slots (plain, carrying) and ``signatures``
    each slot's (minimums, caps, may carry), where the rules read categories alone.
    As the allocation finds them (``_distinguishing`` in
    :mod:`cperules._engine.allocation_flow`): None where a cap tells options apart, or
    the carryover does (here: one option may carry and another not, wherever the credit
    was earned), or an option's slots are not known.

    >>> signatures = [((0, 1), (), False), ((0, 2), (), False), ((0, 2), (0,), False)]
    >>> sorted(areas_of([("A", "B")], {"A": (0, None), "B": (1, None)}, signatures))
    [1, 2]
    >>> areas_of([("A", "C")], {"A": (0, None), "C": (2, None)}, signatures) is None
    True
    """
    areas: set[int] = set()
    for options in eligible:
        found = [slots.get(code) for code in options]
        first = found[0]
        if first is None:
            return None
        reqs, caps, _ = signatures[first[0]]
        every = set(reqs)
        for other in found[1:]:
            if other is None:
                return None
            other_reqs, other_caps, _ = signatures[other[0]]
            if other_caps != caps or (other[1] is None) != (first[1] is None):
                return None
            areas.update(every.symmetric_difference(other_reqs))
            every.intersection_update(other_reqs)
    return frozenset(areas)


def owner(item: Activity | Share) -> tuple[Activity, int | None]:
    """The activity ``item`` stands for, and its share's place (None: it is the activity).

    >>> import datetime as dt
    >>> activity = Activity(id="c1", title="Course", completed=dt.date(2024, 5, 1),
    ...                     credits=Decimal(1), category="A")
    >>> owner(activity) == (activity, None)
    True
    >>> owner(Share(activity, 1, "B", Decimal(1), ("B",), (("B",),))) == (activity, 1)
    True
    """
    if isinstance(item, Share):
        return item.activity, item.share
    return item, None
