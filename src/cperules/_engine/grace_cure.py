"""Grace-window credit that cures a cycle whose shortfalls nest, chosen directly.

When a cycle ends short and credit earned in its grace window may complete it, the
allocation counts the least grace-window credit that lessens the shortfall most, earlier
credit first (objectives 1-3 and the date tie-break of :mod:`cperules._engine.allocation`).
Where the cycle's own credit leaves no choice and the minimums still short *nest* as the
grace-window credit serves them (each kind of it serves an upper part of one chain of
them: CISSP's Group A serves both minimums, Group B only the total), that choice is made
directly by :func:`chain_cure`, with no program: the allocation calls it on integer units,
the verdict kernel (:mod:`cperules._engine.kernel`) its numbered form on decimals, written
out once per shape of cure (:func:`cure_by_shape`).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from operator import itemgetter
from typing import Any, Generic, NamedTuple, TypeVar, cast

from cperules._model import new_tuple

__all__ = [
    "Cure",
    "Graced",
    "Shape",
    "ShapedCure",
    "carry_after_cure",
    "chain_cure",
    "cure_by_kind",
    "cure_by_shape",
]

N = TypeVar("N", int, Decimal, Fraction)
"""The amounts' type: decimals (the verdict kernel), integer units or fractions (the allocation)."""

K = TypeVar("K", bound=Hashable)
"""What names a grace-window credit (an activity id, an entry's index)."""

Signature = tuple[tuple[int, ...], tuple[int, ...], bool]
"""The minimums (indices) a kind of credit serves, the caps over it, whether it may carry."""


class Graced(NamedTuple, Generic[K, N]):
    """Credit earned in the cycle's grace window: its name, amount, day and signature."""

    key: K
    amount: N
    day: dt.date
    signature: Signature


class Cure(NamedTuple, Generic[K, N]):
    """The grace-window credit counted toward the ended cycle.

    Attributes:
        used: The credit used, by name (only credit used a positive amount).
        total: All of it.
        remaining: Each minimum's shortfall left.
        cured_on: The first day by which the grace-window credit earned cures the cycle
            (None: it does not cure it).
    """

    used: dict[K, N]
    total: N
    remaining: list[N]
    cured_on: dt.date | None


def chain_cure(
    graced: Sequence[Graced[K, N]],
    allowed: Mapping[Signature, N],
    short: Sequence[N],
    *,
    bounds: Sequence[N],
    carried_kinds: set[tuple[int, ...]],
    zero: N,
) -> Cure[K, N] | None:
    """The grace-window credit that counts toward the ended cycle, chosen directly.

    ``graced`` is the grace-window credit in date order (then id); ``allowed`` what the
    cycle's own credit of each kind counts (no choice left in it); ``short`` each
    minimum's shortfall from that credit; ``bounds`` each cap's credits; ``carried_kinds``
    the minimums served by credit that may carry.

    Direct (else None) when the minimums still short nest as the grace-window credit
    serves them, and a cap over it covers no other kind, does not bind, or covers only
    kinds serving the same minimums (a room they share: which of them fills it changes no
    minimum's credit; such caps must nest). Then, with
    ``E_r`` the credit minimum ``r`` may draw on (nested sets) and ``t_r`` the least of its
    shortfall and all ``E_r`` can give, the allocations with the least shortfall are those
    giving each ``r`` at least ``t_r``; the least grace-window credit among them is the
    largest ``t_r``; and the allocation's tie-break (a weight falling with the date) over
    those is met by taking, in date order, the most of each credit that still lets the
    rest reach every ``t_r`` within that total: nested lower bounds and caps per kind make
    a g-polymatroid, on whose bases the greedy choice is optimal for any weights falling
    with the date. Credit short of a minimum the carry kind serves carries nothing
    (carrying would add to that shortfall or break the cure), so a cycle with credit that
    may carry is direct only when every short minimum is in the carry kind.

    The kinds are numbered here and the choice made by :func:`cure_by_kind`, which the
    verdict kernel calls with its own numbering (its slots) worked out once.

    >>> A, B = ((0, 1), (), False), ((0,), (0,), False)  # total 0, group-a 1; B capped
    >>> import datetime as dt
    >>> graced = [Graced("g1", 4, dt.date(2026, 3, 2), B), Graced("g2", 15, dt.date(2026, 3, 9), A)]
    >>> cure = chain_cure(graced, {A: 80, B: 30}, [10, 10], bounds=[30], carried_kinds=set(),
    ...                   zero=0)
    >>> cure.used, cure.total, cure.remaining, cure.cured_on
    ({'g2': 10}, 10, [0, 0], datetime.date(2026, 3, 9))
    """
    number: dict[Signature, int] = {}
    kinds: list[Signature] = []
    for signature in (*allowed, *(g.signature for g in graced)):
        if signature not in number:
            number[signature] = len(kinds)
            kinds.append(signature)
    held: list[N | None] = [None] * len(kinds)
    for signature, amount in allowed.items():
        held[number[signature]] = amount
    under: list[list[int]] = [[] for _ in bounds]
    for k, signature in enumerate(kinds):
        for c in signature[1]:
            under[c].append(k)
    return cure_by_kind(
        [(g.key, g.amount, g.day, number[g.signature]) for g in graced],
        held,
        short,
        reqs=[signature[0] for signature in kinds],
        caps=[signature[1] for signature in kinds],
        under=under,
        bounds=bounds,
        carried_kinds=carried_kinds,
        zero=zero,
    )


def cure_by_kind(  # noqa: PLR0912 - one pass per step of the choice, written out
    graced: Sequence[tuple[K, N, dt.date, int]],
    allowed: Sequence[N | None],
    short: Sequence[N],
    *,
    reqs: Sequence[tuple[int, ...]],
    caps: Sequence[tuple[int, ...]],
    under: Sequence[Sequence[int]],
    bounds: Sequence[N],
    carried_kinds: Collection[tuple[int, ...]],
    zero: N,
) -> Cure[K, N] | None:
    """:func:`chain_cure` with the kinds of credit numbered.

    ``graced`` is the grace-window credit in date order (then name), each as its name,
    amount, day and kind (a number); ``allowed`` what the cycle's own credit of each kind
    counts (None: the cycle has none of that kind); ``reqs`` and ``caps`` the minimums each
    kind serves and the caps over it, ``under`` the kinds each cap covers (what a
    signature says, read by number: the verdict kernel keeps them per slot). The same
    choice as :func:`chain_cure` makes on the signatures.

    >>> import datetime as dt
    >>> graced = [("g1", 4, dt.date(2026, 3, 2), 1), ("g2", 15, dt.date(2026, 3, 9), 0)]
    >>> cure = cure_by_kind(graced, [80, 30], [10, 10], reqs=[(0, 1), (0,)], caps=[(), (0,)],
    ...                     under=[[1]], bounds=[30], carried_kinds=(), zero=0)
    >>> cure.used, cure.total, cure.remaining, cure.cured_on
    ({'g2': 10}, 10, [0, 0], datetime.date(2026, 3, 9))
    """
    gaps: dict[int, N] = {}
    for r, gap in enumerate(short):
        if gap:
            gaps[r] = gap
    for kind in carried_kinds:
        for r in gaps:
            if r not in kind:
                return None
    earned: dict[int, N] = {}  # each kind's grace-window credit, in order first met
    so_far = earned.get
    for _, amount, _, k in graced:
        earned[k] = so_far(k, zero) + amount
    # What each kind of it may still add under its caps (None: no cap). A cap over
    # several kinds that binds is a room they share (``shared``) where every kind under
    # it serves the same minimums: which of them fills it changes no minimum's credit,
    # and grace-window credit displacing the cycle's own lessens no shortfall. Else it
    # makes the kind it admits a choice.
    room: dict[int, N | None] = {}
    shared: dict[int, tuple[frozenset[int], N]] = {}
    for k in earned:
        bound: N | None = None
        for c in caps[k]:
            others = False
            total = zero
            held_total = zero
            for other in under[c]:
                held = allowed[other]
                if held is not None:
                    total += held
                    held_total += held
                    others = others or other != k
            for other in under[c]:
                if other in earned:
                    total += earned[other]
                    others = others or other != k
            if others:
                if total > bounds[c]:
                    present = _present(under[c], earned, allowed)
                    if not _serve_alike(present, reqs, reqs[k]):
                        return None
                    shared[c] = (present, bounds[c] - held_total)
                continue
            held = allowed[k]
            left = bounds[c] - held if held is not None else bounds[c] - zero
            bound = left if bound is None or left < bound else bound
        room[k] = bound
    rooms = _Rooms(room, shared) if shared else None
    if rooms is not None and not rooms.nest():
        return None
    serves: dict[int, tuple[int, ...]] = {}
    for k in earned:
        serves[k] = _short_ones(reqs[k], gaps)
    supply = _capped(earned, room) if rooms is None else rooms.capped(earned)
    needs: dict[int, N] = {}
    target: dict[int, N] = {}
    for r, gap in gaps.items():
        can = _drawn(r, supply, serves, zero)
        target[r] = reached = gap if gap <= can else can
        if reached:
            needs[r] = reached
    if len(serves) > 1 and not _nested(serves.values(), needs):
        return None  # the shortfalls do not nest
    total = max(needs.values()) if needs else zero
    used = _greedy(graced, serves, needs, room, total=total, zero=zero, rooms=rooms)
    if used is None:
        return None
    remaining = list(short)
    for r, reached in target.items():
        remaining[r] -= reached
    cured_on = (
        _cure_day(graced, gaps, serves, room, zero, rooms=rooms)
        if used and not any(remaining)
        else None
    )
    # Made as a tuple of its fields, without the frame of the class's generated constructor.
    return new_tuple(Cure, (used, total, remaining, cured_on))


Shape = tuple[tuple[int, ...], int, int, int]
"""A cure's shape (:func:`cure_by_shape`): the kinds of grace-window credit in the order
first met, the minimums short (bits), the kinds with no credit of the cycle's own (bits),
and how many kinds there are."""

ShapedCure = Callable[
    [Sequence[tuple[K, N, dt.date, int]], Sequence[N | None], Sequence[N]], "Cure[K, N] | None"
]
"""A cure compiled for one shape (:func:`_cure_source`): a :class:`Cure`, None where the
shortfalls do not nest or the pass fails (as :func:`cure_by_kind`), or :data:`_GENERAL`."""

_GENERAL: Cure[Any, Any] = Cure({}, 0, [], None)
"""What a compiled cure returns where a minimum short draws on no credit (this one object,
never a cure chosen): its shape reads every short minimum as wanted, so
:func:`cure_by_kind` chooses."""

SHAPES_KEPT = 256
"""At most this many shapes compiled per numbering of kinds (beyond, :func:`cure_by_kind`)."""


def cure_by_shape(
    kept: dict[Shape, ShapedCure[K, N] | None],
    graced: Sequence[tuple[K, N, dt.date, int]],
    allowed: Sequence[N | None],
    short: Sequence[N],
    *,
    reqs: Sequence[tuple[int, ...]],
    caps: Sequence[tuple[int, ...]],
    under: Sequence[Sequence[int]],
    bounds: Sequence[N],
    zero: N,
) -> Cure[K, N] | None:
    """:func:`cure_by_kind`'s choice (nothing carried), compiled once per shape of cure.

    The shape is what the choice reads but the amounts: which kinds of credit the grace
    window holds (in the order first met), which minimums are short, and which kinds the
    cycle's own credit lacks. Where no cap over a kind of grace-window credit covers
    another kind present, each kind's room, what each minimum may draw on, the chain
    check and which minimums bound each kind's take read the shape alone: the cure is
    written out for it (:func:`_cure_source`), its amounts in locals, and ``kept`` (the
    caller's, for one numbering of kinds and one ``zero``, never shared) keeps it. The
    same additions, comparisons and choices, in the same order, as :func:`cure_by_kind`,
    which decides any other shape.

    >>> import datetime as dt
    >>> graced = [("g1", 4, dt.date(2026, 3, 2), 1), ("g2", 15, dt.date(2026, 3, 9), 0)]
    >>> kept = {}
    >>> cure = cure_by_shape(kept, graced, [80, 30], [10, 10], reqs=[(0, 1), (0,)],
    ...                      caps=[(), (0,)], under=[[1]], bounds=[30], zero=0)
    >>> cure.used, cure.total, cure.remaining, cure.cured_on
    ({'g2': 10}, 10, [0, 0], datetime.date(2026, 3, 9))
    >>> list(kept)  # kinds 1 then 0; both minimums short; both kinds held by the cycle
    [((1, 0), 3, 0, 2)]
    """
    order: list[int] = []
    for item in graced:
        if item[3] not in order:
            order.append(item[3])
    gap_bits = none_bits = 0
    bit = 1
    for gap in short:
        if gap:
            gap_bits |= bit
        bit <<= 1
    bit = 1
    for held in allowed:
        if held is None:
            none_bits |= bit
        bit <<= 1
    key = (tuple(order), gap_bits, none_bits, len(allowed))
    found = kept.get(key)
    if found is None and key not in kept:
        source = _cure_source(key, reqs, caps, under, len(short))
        found = None if source is None else _cure_of(source, bounds, zero)
        if len(kept) < SHAPES_KEPT:
            kept[key] = found
    if found is not None:
        cure = found(graced, allowed, short)
        if cure is not _GENERAL:
            return cure
    return cure_by_kind(
        graced,
        allowed,
        short,
        reqs=reqs,
        caps=caps,
        under=under,
        bounds=bounds,
        carried_kinds=(),
        zero=zero,
    )


def _cure_of(source: str, bounds: Sequence[N], zero: N) -> ShapedCure[K, N]:
    """The cure written in ``source`` (:func:`_cure_source`), with the caps' ``bounds``."""
    scope: dict[str, object] = {
        "Z": zero,
        "Cure": Cure,
        "GENERAL": _GENERAL,
        "cure_day": _cure_day,
        "new_tuple": new_tuple,
    }
    scope.update((f"B{c}", bound) for c, bound in enumerate(bounds))
    code = compile(source, "<cperules: grace cure>", "exec")  # named for tracebacks
    exec(code, scope)  # written by _cure_source from integers and fixed names only
    return cast("ShapedCure[K, N]", scope["cure"])


def _cure_source(  # noqa: PLR0912 - the steps of cure_by_kind, each written out
    shape: Shape,
    reqs: Sequence[tuple[int, ...]],
    caps: Sequence[tuple[int, ...]],
    under: Sequence[Sequence[int]],
    minimums: int,
) -> str | None:
    """The source of :func:`cure_by_kind`'s steps for ``shape`` (None: it reads amounts).

    None where a cap over a kind of grace-window credit also covers another kind present
    (whether it binds, and whether those kinds share its room, reads amounts), where no
    minimum is short, or where a minimum short draws on no kind present. Each kind's
    credit ``e``, room ``r`` and supply are locals; so are each short minimum's target
    ``t`` and what it still needs in the greedy pass ``n``, and each kind's room left
    ``l``.
    """
    order, gap_bits, none_bits, size = shape
    gaps = [r for r in range(minimums) if gap_bits >> r & 1]
    held_none = [bool(none_bits >> k & 1) for k in range(size)]
    if not gaps:
        return None
    for k in order:
        for c in caps[k]:
            for other in under[c]:
                if other != k and (other in order or not held_none[other]):
                    return None  # a room others may share: cure_by_kind reads it
    drawers = {r: [k for k in order if r in reqs[k]] for r in gaps}
    if not all(drawers.values()):
        return None  # a minimum no kind present serves: its target is nothing
    serves = {k: _short_ones(reqs[k], set(gaps)) for k in order}
    nested = len(order) < 2 or _nested(serves.values(), set(gaps))
    supply = {k: f"e{k}" for k in order}  # a capped kind's: its ``s`` below
    room = {k: f"r{k}" if caps[k] else "None" for k in order}
    lines = [
        "def cure(graced, allowed, short):",
        f"    {' = '.join(f'e{k}' for k in order)} = Z",
        "    for key, amount, day, k in graced:",
    ]
    for n, k in enumerate(order):
        lines += [f"        {'if' if n == 0 else 'elif'} k == {k}:", f"            e{k} += amount"]
    for k in order:
        held = "Z" if held_none[k] else f"allowed[{k}]"
        for n, c in enumerate(caps[k]):
            if n == 0:
                lines.append(f"    r{k} = B{c} - {held}")
            else:
                lines += [f"    x = B{c} - {held}", f"    if x < r{k}:", f"        r{k} = x"]
        if caps[k]:  # its supply: min(earned, room), as _capped takes it
            lines.append(f"    s{k} = r{k} if r{k} < e{k} else e{k}")
            supply[k] = f"s{k}"
    for r in gaps:
        lines += [f"    g{r} = short[{r}]", "    c = Z"]
        lines += [f"    c += {supply[k]}" for k in drawers[r]]
        lines.append(f"    t{r} = g{r} if g{r} <= c else c")
    lines += [
        f"    if {' or '.join(f'not t{r}' for r in gaps)}:",
        "        return GENERAL",
    ]
    if not nested:
        lines.append("    return None")
        return "\n".join(lines) + "\n"
    lines.append(f"    total = t{gaps[0]}")
    for r in gaps[1:]:
        lines += [f"    if t{r} > total:", f"        total = t{r}"]
    lines += ["    budget = total", *(f"    n{r} = t{r}" for r in gaps)]
    lines += [f"    l{k} = r{k}" for k in order if caps[k]]
    lines += [
        "    used = {}",
        "    for key, amount, day, k in graced:",
        "        if not budget:",
        "            break",
    ]
    first = True
    for k in order:
        mine = [r for r in gaps if r in serves[k]]
        if not mine:
            continue  # serves no minimum wanted: takes nothing
        lines += [
            f"        {'if' if first else 'elif'} k == {k}:",
            "            take = budget if budget < amount else amount",
        ]
        first = False
        if caps[k]:
            lines += [f"            if l{k} < take:", f"                take = l{k}"]
        for r in gaps:
            if r not in serves[k]:
                lines += [
                    f"            most = budget - n{r} if n{r} > Z else budget",
                    "            if most < take:",
                    "                take = most",
                ]
        lines += [
            "            if take <= 0:",
            "                continue",
            "            used[key] = take",
            "            budget -= take",
        ]
        if caps[k]:
            lines.append(f"            l{k} = l{k} - take")
        lines += [f"            n{r} -= take" for r in mine]
    lines += [
        "    if budget:",
        "        return None",
        f"    if {' or '.join(f'n{r} > 0' for r in gaps)}:",
        "        return None",
        "    remaining = list(short)",
        *(f"    remaining[{r}] -= t{r}" for r in gaps),
        "    if used and not any(remaining):",
        "        day = cure_day(",
        f"            graced, {{{', '.join(f'{r}: g{r}' for r in gaps)}}},",
        f"            {serves!r},",
        f"            {{{', '.join(f'{k}: {room[k]}' for k in order)}}}, Z,",
        "        )",
        "        return new_tuple(Cure, (used, total, remaining, day))",
        "    return new_tuple(Cure, (used, total, remaining, None))",
    ]
    return "\n".join(lines) + "\n"


def carry_after_cure(
    short: Sequence[N],
    cure: Cure[K, N],
    carry_kinds: Collection[tuple[int, ...]],
    curing: Collection[tuple[int, ...]],
) -> frozenset[int] | None:
    """The minimums credit may carry from once ``cure`` counts (None: a choice remains).

    ``cure`` was chosen as if no credit carried (``carried_kinds`` empty); ``short`` is
    each minimum's shortfall before it, ``carry_kinds`` the minimums served by each kind
    of the cycle's own credit that may carry, ``curing`` those served by each kind of
    grace-window credit serving a minimum short. Credit that may carry, of a kind that
    serves a minimum every least cure leaves short or just met (still short, or cured by
    the whole grace-window credit used), carries nothing: carrying any would ask for more
    of it or leave a larger shortfall. Credit of a kind that serves no minimum short
    before the cure carries what the minimums it serves spare once the grace-window
    credit counts: the same for every least cure only if each kind of grace-window credit
    that may cure adds alike to each of those minimums (all it counts, or nothing). Those
    minimums are returned (empty: nothing carries); any other credit that may carry makes
    the cure a choice, the program's. Shared by the allocation's direct path and the
    verdict kernel, so the two decide alike.
    """
    gaps = {r for r, gap in enumerate(short) if gap}
    stuck = {r for r in gaps if cure.remaining[r] or short[r] - cure.remaining[r] == cure.total}
    if any(gaps.intersection(kind) and not stuck.intersection(kind) for kind in carry_kinds):
        return None
    free = frozenset(r for kind in carry_kinds if not gaps.intersection(kind) for r in kind)
    if any(len({r in reqs for reqs in curing}) > 1 for r in free):
        return None
    return free


def _cure_day(
    graced: Sequence[tuple[K, N, dt.date, int]],
    gaps: Mapping[int, N],
    serves: Mapping[int, tuple[int, ...]],
    room: Mapping[int, N | None],
    zero: N,
    *,
    rooms: _Rooms[N] | None = None,
) -> dt.date | None:
    """The first day by which the credit earned closes every gap, in one pass by date.

    Each kind's credit earned by a day is added up as the days go, and capped by its
    room (:func:`_capped`) when the day's credit is all in.
    """
    earned: dict[int, N] = {}
    ordered = sorted(graced, key=_day)
    last = len(ordered) - 1
    for index, (_, amount, day, k) in enumerate(ordered):
        earned[k] = earned[k] + amount if k in earned else zero + amount
        if index < last and ordered[index + 1][2] == day:
            continue  # the day's credit is not all in
        supply = _capped(earned, room) if rooms is None else rooms.capped(earned)
        if _reaches(gaps, serves, supply, zero):
            return day
    return None


_day = itemgetter(2)
"""A grace-window credit's day."""


def _greedy(  # noqa: PLR0912 - one pass over the credit, each bound on it written out
    graced: Sequence[tuple[K, N, dt.date, int]],
    serves: Mapping[int, tuple[int, ...]],
    needs: Mapping[int, N],
    room: Mapping[int, N | None],
    *,
    total: N,
    zero: N,
    rooms: _Rooms[N] | None = None,
) -> dict[K, N] | None:
    """In date order, the most of each credit that still lets the rest reach ``needs``.

    Within ``total`` in all, and the rooms caps over several kinds share (``rooms``);
    None if the pass does not reach them (not expected).
    """
    budget = total
    wanted = needs.keys()
    need = dict(needs)
    left = dict(room)
    left_shared = {} if rooms is None else {c: bound for c, (_, bound) in rooms.shared.items()}
    used: dict[K, N] = {}
    # Each kind's minimums wanted, those it serves and those it does not (whose gaps
    # bound its take), worked out when the kind is first met.
    parts: dict[int, tuple[list[int], list[int]]] = {}
    for key, amount, _, k in graced:  # in date order (then name)
        if not budget:
            break  # the budget never grows: nothing more is taken
        found = parts.get(k)
        if found is None:
            found = parts[k] = ([], [])
            served = serves[k]
            for r in wanted:
                found[0 if r in served else 1].append(r)
        mine, others = found
        if not mine:
            continue  # serves no minimum wanted
        take = budget if budget < amount else amount  # min(amount, budget), the same object
        bound = left[k]
        if bound is not None and bound < take:
            take = bound
        for r in others:
            gap = need[r]
            most = budget - gap if gap > zero else budget
            take = most if most < take else take
        over = rooms.over(k) if rooms else ()
        for c in over:
            take = min(take, left_shared[c])
        if take <= 0:
            continue
        used[key] = take
        budget -= take
        if bound is not None:
            left[k] = bound - take
        for c in over:
            left_shared[c] -= take
        for r in mine:
            need[r] -= take
    if budget:
        return None
    for gap in need.values():
        if gap > 0:
            return None
    return used


class _Rooms(Generic[N]):
    """Each kind's room under caps over it alone, and the rooms caps over several share.

    ``shared`` maps such a cap to the kinds under it (all serving the same minimums) and
    what it still admits of them. Upper bounds on a laminar family of kinds: the greedy
    choice stays the program's (:func:`chain_cure`).
    """

    __slots__ = ("room", "shared")

    room: Mapping[int, N | None]
    shared: Mapping[int, tuple[frozenset[int], N]]

    def __init__(
        self, room: Mapping[int, N | None], shared: Mapping[int, tuple[frozenset[int], N]]
    ) -> None:
        self.room = room
        self.shared = shared

    def nest(self) -> bool:
        """Whether the shared rooms' kinds nest (any two disjoint or one inside the other)."""
        groups = [kinds for kinds, _ in self.shared.values()]
        return all(a <= b or b <= a or not a & b for a, b in itertools.combinations(groups, 2))

    def over(self, kind: int) -> list[int]:
        """The caps whose shared rooms ``kind`` is in."""
        return [c for c, (kinds, _) in self.shared.items() if kind in kinds]

    def capped(self, earned: Mapping[int, N]) -> dict[int, N]:
        """Each kind's credit ``earned``, up to its room, then its shared rooms' (inner first).

        Where a shared room is short of its kinds' credit, credit is taken off them in
        turn: they serve the same minimums, so only their sum tells.
        """
        supply = _capped(earned, self.room)
        for kinds, bound in sorted(self.shared.values(), key=lambda group: len(group[0])):
            members = [k for k in supply if k in kinds]
            excess = sum((supply[k] for k in members), bound - bound) - bound
            for k in members:
                if excess <= 0:
                    break
                cut = min(supply[k], excess)
                supply[k] -= cut
                excess -= cut
        return supply


def _short_ones(served: tuple[int, ...], gaps: Collection[int]) -> tuple[int, ...]:
    """The minimums of ``served`` still short (in ``gaps``): ``served`` itself where all are."""
    for r in served:
        if r not in gaps:
            short = []
            for other in served:
                if other in gaps:
                    short.append(other)
            return tuple(short)
    return served


def _present(
    kinds: Sequence[int], earned: Mapping[int, N], allowed: Sequence[N | None]
) -> frozenset[int]:
    """Those of ``kinds`` with grace-window credit (``earned``) or credit of the cycle's own."""
    return frozenset(k for k in kinds if k in earned or allowed[k] is not None)


def _serve_alike(
    kinds: Iterable[int], reqs: Sequence[tuple[int, ...]], served: tuple[int, ...]
) -> bool:
    """Whether each of ``kinds`` serves the minimums ``served`` (``reqs``: by kind)."""
    return all(reqs[k] == served for k in kinds)


def _capped(earned: Mapping[int, N], room: Mapping[int, N | None]) -> dict[int, N]:
    """Each kind's grace-window credit ``earned``, up to its room under the caps."""
    supply: dict[int, N] = {}
    for k, amount in earned.items():
        bound = room[k]
        supply[k] = amount if bound is None else min(amount, bound)
    return supply


def _nested(served: Iterable[tuple[int, ...]], needs: Collection[int]) -> bool:
    """Whether the minimums in ``needs`` each kind serves form a chain (each set in the next).

    Read as bit masks: two sets nest where the smaller (fewer minimums) has no minimum
    the larger lacks.

    >>> _nested([(0, 1), (0,)], {0: 1, 1: 2}), _nested([(0,), (1,)], {0: 1, 1: 2})
    (True, False)
    """
    masks = set()
    for reqs in served:
        mask = 0
        for r in reqs:
            if r in needs:
                mask |= 1 << r
        if mask:
            masks.add(mask)
    if len(masks) < 2:  # one set (or none) is a chain
        return True
    if len(masks) == 2:  # two sets (as most cures meet): one holds the other
        first, second = masks
        return not first & ~second or not second & ~first
    chain = sorted(masks, key=int.bit_count)
    return all(not small & ~large for small, large in itertools.pairwise(chain))


def _reaches(
    gaps: Mapping[int, N],
    serves: Mapping[int, tuple[int, ...]],
    supply: Mapping[int, N],
    zero: N,
) -> bool:
    """Whether ``supply`` can close every gap (each minimum draws on the kinds serving it)."""
    return all(_drawn(r, supply, serves, zero) >= gap for r, gap in gaps.items())


def _drawn(r: int, supply: Mapping[int, N], serves: Mapping[int, tuple[int, ...]], zero: N) -> N:
    """What minimum ``r`` can draw on: ``supply`` of the kinds serving it, added in order."""
    can = zero
    for k, amount in supply.items():
        if r in serves[k]:
            can += amount
    return can
