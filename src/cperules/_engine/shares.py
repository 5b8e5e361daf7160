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
  cycle only where every area is met with each such activity in its first option and
  what carries out is what would carry if the areas required nothing
  (:func:`areas_of` tells the areas).

A :class:`Share` stands for one share: it has the fields the kernel reads of an activity
(in its ``__dict__``, as pydantic keeps an activity's), under the share's category and
amount, with the activity it belongs to, its place among the activity's shares and the
category options and paths of its allocation entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from cperules.ledger import Activity

__all__ = ["Share", "areas_of", "eligible_share", "owner", "shares_of", "split_activities"]

_Single = Mapping[str, tuple[tuple[str], tuple[tuple[str, ...]]]]
"""Each declared category's options and paths as an entry of it alone has them."""


class Share:
    """One share of an activity's credit, read by the kernel as an activity of its own.

    ``id``, ``title``, ``completed`` and ``hypothetical`` are the activity's; ``category``
    and ``credits`` the share's; ``activity`` the activity itself, ``share`` the share's
    place among its shares (an entry's :attr:`~cperules._engine.allocation.Entry.share`),
    ``options`` and ``paths`` the category options and paths of the share's entry (an
    eligible activity's every option; its first is ``category``), ``split`` whether the
    activity is split (its outcome then tells every share's parts).

    >>> import datetime as dt
    >>> activity = Activity(id="w1", title="Workshop", completed=dt.date(2024, 5, 1),
    ...                     credits=Decimal(3), split={"B": Decimal(1), "A": Decimal(2)})
    >>> shares, eligible, split = shares_of([activity], {"A": (("A",), (("A",),)),
    ...                                                  "B": (("B",), (("B",),))})
    >>> [(s.id, s.share, s.category, s.credits) for s in shares], eligible, split
    ([('w1', 0, 'A', Decimal('2')), ('w1', 1, 'B', Decimal('1'))], {}, True)
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
        self.id = activity.id
        self.title = activity.title
        self.completed = activity.completed
        self.hypothetical = False
        self.category = category
        self.credits = credits
        self.activity = activity
        self.share = share
        self.options = options
        self.paths = paths
        self.split = activity.split is not None

    def __repr__(self) -> str:
        return f"Share({self.id!r}, {self.share}, {self.category!r}, {self.credits})"


def shares_of(
    activities: Sequence[Activity], single: _Single
) -> tuple[list[Activity | Share], dict[tuple[str, ...], Activity], bool] | None:
    """``activities`` as the kernel reads them: simple ones as they are, others by share.

    With the distinct options of the activities eligible for more than one category
    (each with the first such activity) and whether one is split. None where an activity
    is neither simple (:func:`cperules.ledger.is_simple`) nor one the kernel reads by
    share: credit given (not nothing), claimed for no certification in particular, not
    hypothetical, and split across declared categories (``single``'s codes) in amounts
    adding up to its credit, or eligible for declared categories only.

    >>> import datetime as dt
    >>> day = dt.date(2024, 5, 1)
    >>> single = {"A": (("A",), (("A",),)), "B": (("B",), (("B",),))}
    >>> either = Activity(id="e1", title="Course", completed=day, credits=Decimal(2),
    ...                   eligible=("A", "B"))
    >>> shares, eligible, split = shares_of([either], single)
    >>> shares[0].category, shares[0].options, list(eligible), split
    ('A', ('A', 'B'), [('A', 'B')], False)
    >>> other = Activity(id="e2", title="Course", completed=day, credits=Decimal(2),
    ...                  eligible=("A", "C"))
    >>> shares_of([other], single) is None
    True
    """
    read: list[Activity | Share] = []
    eligible: dict[tuple[str, ...], Activity] = {}
    split_any = False
    for activity in activities:
        # The fields as pydantic keeps them (is_simple's reading, without its calls).
        fields = activity.__dict__
        split, choices, credits = fields["split"], fields["eligible"], fields["credits"]
        if fields["hypothetical"] or credits is None or fields["claimed_for"]:
            return None
        if split is None and not choices:
            read.append(activity)  # simple
            continue
        if not credits:
            return None
        if split is not None:
            if sum(split.values(), Decimal(0)) != credits or any(c not in single for c in split):
                return None
            for share, code in enumerate(sorted(split)):
                options, paths = single[code]
                read.append(Share(activity, share, code, split[code], options, paths))
            split_any = True
            continue
        choices = tuple(choices)
        if any(code not in single for code in choices):
            return None
        routes = tuple(single[code][1][0] for code in choices)
        read.append(Share(activity, 0, choices[0], credits, choices, routes))
        if len(choices) > 1:
            eligible.setdefault(choices, activity)
    return read, eligible, split_any


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


def split_activities(items: Iterable[Activity | Share]) -> dict[str, Activity]:
    """The split activities whose shares are among ``items``, by id."""
    return {item.id: item.activity for item in items if isinstance(item, Share) and item.split}


def eligible_share(item: Activity | Share) -> Share | None:
    """``item`` if it is an activity eligible for several categories, read by share."""
    if isinstance(item, Share) and len(item.options) > 1:
        return item
    return None
