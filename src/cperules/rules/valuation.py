"""Credit valuation: what an activity is worth before caps and minimums apply.

>>> from decimal import Decimal
>>> from cperules.selectors import activity_kind
>>> CreditValue(id="books", selector=activity_kind("book"), fixed=Decimal(40), max_per_entry=Decimal(40))
CreditValue(id='books', selector=activity_kind('book'), fixed=Decimal('40'), max_per_entry=Decimal('40'))
"""  # noqa: E501

from __future__ import annotations

from decimal import Decimal
from typing import Literal, Self

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from cperules._model import FrozenModel
from cperules.citations import SourceRef
from cperules.credits import Credits
from cperules.rules.requirements import RuleId
from cperules.selectors import Selector

__all__ = ["CreditValue"]


class CreditValue(FrozenModel):
    """Re-value the selected activities before caps and minimums apply.

    A ``fixed`` amount per item, or a ``multiplier`` on the claimed credits, then at most
    ``max_per_entry`` per activity.

    The first credit-value rule (in policy order) that selects an activity applies to it.

    >>> from cperules.selectors import activity_kind
    >>> talks = activity_kind("presentation")
    >>> rule = CreditValue(id="talks", selector=talks, multiplier=Decimal(3))
    >>> rule.value(Decimal(2))
    Decimal('6')
    """

    kind: Literal["credit-value"] = "credit-value"
    id: RuleId = Field(min_length=1)
    selector: Selector
    fixed: Credits | None = None
    multiplier: Decimal | None = Field(default=None, gt=0, allow_inf_nan=False)
    max_per_entry: Credits | None = None
    description: str | None = None
    source: SourceRef | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.fixed is not None and self.multiplier is not None:
            raise PydanticCustomError(
                "invalid-rule",
                "credit-value rule '{id}' takes fixed or multiplier, not both",
                {"id": self.id},
            )
        if self.fixed is None and self.multiplier is None and self.max_per_entry is None:
            raise PydanticCustomError(
                "invalid-rule",
                "credit-value rule '{id}' needs fixed, multiplier or max_per_entry",
                {"id": self.id},
            )
        return self

    def value(self, claimed: Decimal) -> Decimal:
        """The credits an activity that claimed ``claimed`` is worth under this rule."""
        worth = self.fixed if self.fixed is not None else claimed * (self.multiplier or 1)
        if self.max_per_entry is not None:
            worth = min(worth, self.max_per_entry)
        return worth
