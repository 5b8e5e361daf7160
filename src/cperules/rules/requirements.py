"""Requirements and limits: minimums (with recurrence) and caps, each over a scope.

>>> from cperules.selectors import category
>>> Minimum(id="total", credits=120)
Minimum(id='total', credits=Decimal('120'))
>>> Cap(id="group-b", selector=category("B"), credits=30)
Cap(id='group-b', selector=category('B'), credits=Decimal('30'))
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, Self

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from cperules._model import FrozenModel, class_default
from cperules.citations import SourceRef
from cperules.credits import Credits
from cperules.selectors import Everything, Selector

__all__ = ["Cap", "Minimum", "Recurrence", "RuleId", "Scope"]

Scope = Literal["cycle", "year"]
"""What a requirement or cap is measured over: the whole cycle (or rolling window), or each
of its years (``Cycle.years``) separately."""

RuleId = str
"""A rule's name, unique within its policy version (``"total"``, ``"ethics"``)."""


class Recurrence(FrozenModel):
    """Which renewals a requirement applies to.

    Renewals are numbered from 1 (the first renewal after the certification was earned).

    - ``every-renewal`` with ``every=N``: renewals N, 2N, 3N, ... (``every=1``: all);
    - ``first-renewal``: renewal 1 only;
    - ``once-per-career``: every renewal until it has been met once.

    >>> Recurrence(every=3).applies(renewal=3, met_before=False)
    True
    >>> Recurrence(every=3).applies(renewal=2, met_before=False)
    False
    >>> Recurrence(applies_to="once-per-career").applies(renewal=5, met_before=True)
    False
    """

    applies_to: Literal["every-renewal", "first-renewal", "once-per-career"] = "every-renewal"
    every: int = Field(default=1, ge=1)

    @model_validator(mode="after")
    def _every_only_for_every_renewal(self) -> Self:
        if self.every != 1 and self.applies_to != "every-renewal":
            raise PydanticCustomError(
                "invalid-rule",
                "every={every} only makes sense with applies_to='every-renewal'",
                {"every": self.every},
            )
        return self

    def applies(self, *, renewal: int, met_before: bool) -> bool:
        """Whether the requirement applies at renewal number ``renewal`` (1-based)."""
        if self.applies_to == "first-renewal":
            return renewal == 1
        if self.applies_to == "once-per-career":
            return not met_before
        return renewal % self.every == 0


class Minimum(FrozenModel):
    """At least ``credits`` of the selected activities, per ``scope``.

    Minimums nest: an ethics minimum inside the total counts the same credit toward both.
    Minimums on disjoint parts of the category tree compete for credit, and the engine
    assigns it so that as many minimums as possible are met.

    >>> from cperules.selectors import topic
    >>> Minimum(id="ethics", credits=2, selector=topic("ethics"), recurrence=Recurrence(every=3))
    Minimum(id='ethics', credits=Decimal('2'), selector=topic('ethics'), recurrence=Recurrence(every=3))
    """  # noqa: E501

    kind: Literal["minimum"] = "minimum"
    id: RuleId = Field(min_length=1)
    credits: Credits = Field(gt=0)
    selector: Selector = class_default(Everything)
    scope: Scope = "cycle"
    recurrence: Recurrence = class_default(Recurrence)
    description: str | None = None
    source: SourceRef | None = None


class Cap(FrozenModel):
    """At most ``credits`` of the selected activities count, per ``scope``.

    Instead of ``credits``, ``share`` limits them to a share of the counted total. What a
    cap stops from counting is reported as capped.

    >>> from decimal import Decimal
    >>> from cperules.selectors import activity_kind
    >>> Cap(id="self-study", selector=activity_kind("self-study"), share=Decimal("0.5"))
    Cap(id='self-study', selector=activity_kind('self-study'), share=Decimal('0.5'))
    """

    kind: Literal["cap"] = "cap"
    id: RuleId = Field(min_length=1)
    selector: Selector
    credits: Credits | None = None
    share: Decimal | None = Field(default=None, gt=0, le=1, allow_inf_nan=False)
    scope: Scope = "cycle"
    description: str | None = None
    source: SourceRef | None = None

    @model_validator(mode="after")
    def _one_limit(self) -> Self:
        if (self.credits is None) == (self.share is None):
            raise PydanticCustomError(
                "invalid-rule",
                "cap '{id}' needs exactly one of credits or share",
                {"id": self.id},
            )
        return self
