"""Carryover: excess credit that moves into the next cycle.

>>> from decimal import Decimal
>>> from cperules.selectors import category
>>> Carryover(selector=category("A"), window_months=6, cap=Decimal(40))
Carryover(selector=category('A'), window_months=6, cap=Decimal('40'))
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from cperules._model import FrozenModel, class_default
from cperules.citations import SourceRef
from cperules.credits import Credits
from cperules.days import MAX_CYCLE_MONTHS
from cperules.selectors import Everything, Selector

__all__ = ["Carryover"]


class Carryover(FrozenModel):
    """Which excess credits a cycle passes to the next one.

    Only credit in excess of what the cycle needs ever moves (the engine first meets
    every requirement it can). Of that excess, credit from the selected activities,
    completed in the cycle's last ``window_months`` months (any time if ``None``), up to
    ``cap`` in all, moves. It enters the next cycle as its own entry linked to the
    original activity, keeps its category, and lands in that cycle's first year
    (``lands="first-year"``) or anywhere in it (``"next-cycle"``).

    >>> Carryover().lands
    'first-year'
    """

    kind: Literal["carryover"] = "carryover"
    selector: Selector = class_default(Everything)
    window_months: int | None = Field(default=None, ge=1, le=MAX_CYCLE_MONTHS)
    cap: Credits | None = None
    lands: Literal["first-year", "next-cycle"] = "first-year"
    description: str | None = None
    source: SourceRef | None = None
