"""Argument checks and small building blocks the other strategy parts share.

Internal: users import from :mod:`cperules.testing.strategies`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, Final, TypeVar, get_args

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from cperules import cycles
from cperules import rules as rules_module
from cperules.days import FIRST_DAY, LAST_DAY
from cperules.ledger import ActivityKind, Delivery

_T = TypeVar("_T")

# The kinds below are public (and documented) in cperules.testing.strategies.
ACTIVITY_KINDS: Final[tuple[ActivityKind, ...]] = get_args(ActivityKind)

# Derived from the unions, so that a new kind is generated (or a test fails) without a
# list to update by hand. Scheduled cycles go last: they need a family name, the hardest
# case to shrink.
CYCLE_KINDS: Final[tuple[str, ...]] = (
    *(kind for kind in cycles.CYCLE_KINDS if kind != "scheduled"),
    "scheduled",
)

RULE_KINDS: Final[tuple[str, ...]] = rules_module.RULE_KINDS

_DELIVERIES: Final[tuple[Delivery, ...]] = get_args(Delivery)
_ASSIGNED_GROUPS: Final[tuple[str, ...]] = ("1", "2")
_MIN_DATE: Final = dt.date(2020, 1, 1)
_MAX_DATE: Final = dt.date(2029, 12, 31)
_ONE_DAY: Final = dt.timedelta(days=1)


# --- argument checks (run lazily, inside st.deferred) ------------------------------------


def _names(argument: str, value: object, *, allow_empty: bool = True) -> tuple[str, ...]:
    """A sequence of distinct, non-empty, unpadded names, as a tuple."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidArgument(f"{argument}={value!r} must be a sequence of names")
    names = tuple(value)
    for name in names:
        if not isinstance(name, str) or not name or name != name.strip():
            raise InvalidArgument(
                f"{argument}={value!r}: every name must be a non-empty string without "
                f"surrounding spaces, got {name!r}"
            )
    if len(set(names)) != len(names):
        raise InvalidArgument(f"{argument}={value!r} names something twice")
    if not allow_empty and not names:
        raise InvalidArgument(f"{argument} must name at least one value")
    return names


def _choices(argument: str, value: object, allowed: Sequence[_T]) -> tuple[_T, ...]:
    """A non-empty selection from ``allowed``, in the order given."""
    known = {str(option): option for option in allowed}
    names = _names(argument, value, allow_empty=False)
    for name in names:
        if name not in known:
            raise InvalidArgument(f"{argument}: {name!r} is not one of {', '.join(known)}")
    return tuple(known[name] for name in names)


def _date(argument: str, value: object) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidArgument(f"{argument}={value!r} must be a datetime.date")
    return value


def _date_range(low: str, start: object, high: str, end: object) -> tuple[dt.date, dt.date]:
    first, last = _date(low, start), _date(high, end)
    if first > last:
        raise InvalidArgument(f"{low}={first} is after {high}={last}")
    for argument, day in ((low, first), (high, last)):
        if not FIRST_DAY <= day <= LAST_DAY:
            raise InvalidArgument(
                f"{argument}={day} is outside the dates cperules accepts "
                f"({FIRST_DAY} to {LAST_DAY})"
            )
    return first, last


def _decimal(argument: str, value: object, *, positive: bool) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise InvalidArgument(f"{argument}={value!r} must be a Decimal or an int (not a float)")
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0 or (positive and amount == 0):
        bound = "> 0" if positive else ">= 0"
        raise InvalidArgument(f"{argument}={value!r} must be finite and {bound}")
    return amount


def _integer(argument: str, value: object, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidArgument(f"{argument}={value!r} must be an int >= {minimum}")
    return value


def _sizes(min_size: object, max_size: object) -> tuple[int, int]:
    low = _integer("min_size", min_size, minimum=0)
    high = _integer("max_size", max_size, minimum=0)
    if low > high:
        raise InvalidArgument(f"min_size={low} is larger than max_size={high}")
    return low, high


def _strategy(argument: str, value: object) -> st.SearchStrategy[Any]:
    if not isinstance(value, st.SearchStrategy):
        raise InvalidArgument(f"{argument}={value!r} must be a Hypothesis strategy")
    return value


# --- small building blocks ---------------------------------------------------------------


def _plus_days(day: dt.date, days: int) -> dt.date:
    """``day + days`` clamped to the dates cperules accepts (:mod:`cperules.days`)."""
    try:
        moved = day + dt.timedelta(days=days)
    except OverflowError:
        moved = LAST_DAY if days > 0 else FIRST_DAY
    return min(max(moved, FIRST_DAY), LAST_DAY)


def _dates(first: dt.date, last: dt.date) -> st.SearchStrategy[dt.date]:
    """Dates in ``first..last``, shrinking towards ``first``."""
    return st.integers(0, (last - first).days).map(lambda offset: first + dt.timedelta(offset))


def _towards(low: int, high: int, target: int) -> st.SearchStrategy[int]:
    """Integers in ``low..high`` that shrink towards ``target`` (then upwards, wrapping)."""
    count = high - low + 1
    return st.integers(0, count - 1).map(lambda d: low + (target - low + d) % count)


def _tidy(amount: Decimal) -> Decimal:
    """``Decimal('1.00')`` as ``Decimal('1')`` and ``Decimal('2.50')`` as ``Decimal('2.5')``."""
    if amount == amount.to_integral_value():
        return Decimal(int(amount))
    return amount.normalize()


def _whole_target(step: Decimal, top: int) -> int:
    """How many steps make the amount nearest one credit (at least one step, at most top)."""
    return min(top, max(1, round(Decimal(1) / step)))


def _amounts(step: Decimal, maximum: Decimal) -> st.SearchStrategy[Decimal]:
    """Positive multiples of ``step`` up to ``maximum``, shrinking towards about 1."""
    top = max(1, int(maximum // step))
    return _towards(1, top, _whole_target(step, top)).map(lambda n: _tidy(step * n))


def _optional(strategy: st.SearchStrategy[_T]) -> st.SearchStrategy[_T | None]:
    """``None`` (what it shrinks towards) or a value of ``strategy``."""
    return st.none() | strategy


def _ids(prefix: str, ids: object) -> st.SearchStrategy[str]:
    """Ids ``prefix0`` .. ``prefix999``, or the non-blank strings a given strategy makes."""
    if ids is None:
        return st.integers(0, 999).map(lambda n: f"{prefix}{n}")
    return _strategy("ids", ids).filter(_is_id)


def _is_id(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""
