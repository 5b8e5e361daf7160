"""Small pieces of wording that every rendering of a result shares."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from cperules.credits import format_credits
from cperules.results import STATUS_WORDS

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
    return format_credits(value, unit)


def _status_words(status: str) -> str:
    """A status in words (its code, for a status this version does not know)."""
    words: dict[str, str] = {str(code): text for code, text in STATUS_WORDS.items()}
    return words.get(status, status.replace("_", " "))


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
    """A need in words, in the policy's unit (the need's own ``str``, one wording)."""
    if unit and need.unit != unit:
        need = need.model_copy(update={"unit": unit})
    return str(need)


def _remaining(evaluation: Evaluation) -> tuple[Need, ...] | None:
    """What is still needed, or None for an evaluation rebuilt from data (no history)."""
    try:
        return evaluation.remaining()
    except RuntimeError:
        return None
