"""Small pieces of wording that every rendering of a result shares."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cperules.results import (
        Evaluation,
        Need,
        Part,
        ReasonCode,
    )

_NOT_COUNTED_EXCEPT: frozenset[ReasonCode] = frozenset(
    {"counted", "carried-in", "carried-out", "cured-previous-cycle"}
)


def _not_counted(part: Part) -> bool:
    return part.reason not in _NOT_COUNTED_EXCEPT


def _amount(value: Decimal, unit: str | None) -> str:
    return f"{value} {unit}" if unit else str(value)


def _days(day: dt.date, as_of: dt.date | None) -> str:
    if as_of is None:
        return ""
    delta = (day - as_of).days
    if delta == 0:
        return " (today)"
    if delta > 0:
        return f" (in {delta} day{'s' * (delta != 1)})"
    return f" ({-delta} day{'s' * (delta != -1)} ago)"


def _need_words(need: Need, unit: str | None) -> str:
    """The need in words (its required and free parts, the categories that serve)."""
    return f"{need.parts_in_words(unit or 'credits')} by {need.due}"


def _remaining(evaluation: Evaluation) -> tuple[Need, ...] | None:
    """What is still needed, or None for an evaluation rebuilt from data (no history)."""
    try:
        return evaluation.remaining()
    except RuntimeError:
        return None
