"""How far one activity's credit may serve several certifications of the same body.

Certifications whose policies name the same sharing ``pool`` are evaluated together in a
portfolio (:func:`cperules.evaluate_portfolio`):

- ``shared``: each holding counts the activity independently (ISC2, ISACA, PMI);
- ``limited``: the activity serves at most N holdings of the pool, N depending on its kind
  (a SANS course up to three GIAC certifications, community participation one);
- ``consumed``: the activity serves one holding of the pool only (Cisco).

Holdings in different pools, or whose policies state no sharing, never compete: each
counts the activity on its own.

>>> from cperules.selectors import category
>>> giac = Sharing(pool="giac", mode="limited", default=1,
...                limits=(SharingLimit(selector=category("sans-training"), holdings=3),))
>>> from cperules.ledger import Activity
>>> import datetime as dt
>>> course = Activity(id="s1", title="SEC504", completed=dt.date(2025, 3, 1), credits=36,
...                   category="sans-training")
>>> giac.allowance(course)
3
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from cperules._model import FrozenModel
from cperules.ledger import Activity
from cperules.selectors import Selector

__all__ = ["Sharing", "SharingLimit", "SharingMode"]

SharingMode = Literal["shared", "limited", "consumed"]
"""Whether an activity serves every holding of a pool, a limited number, or one."""


class SharingLimit(FrozenModel):
    """Activities the selector matches serve at most ``holdings`` certifications of the pool.

    >>> from cperules.selectors import category
    >>> SharingLimit(selector=category("graduate-course"), holdings=2)
    SharingLimit(selector=category('graduate-course'), holdings=2)
    """

    selector: Selector
    holdings: int = Field(ge=1)
    description: str | None = None


class Sharing(FrozenModel):
    """A policy's sharing rule: its pool, its mode, and for ``limited`` the limits by kind.

    For ``limited``, the first limit whose selector matches an activity gives its
    allowance; ``default`` covers the rest (``None``: no limit for them).

    >>> Sharing(pool="cisco", mode="consumed").allowance(None)
    1
    """

    pool: str = Field(min_length=1)
    mode: SharingMode
    limits: tuple[SharingLimit, ...] = ()
    default: int | None = Field(default=None, ge=1)
    description: str | None = None

    @model_validator(mode="after")
    def _limits_only_when_limited(self) -> Self:
        if self.mode != "limited" and (self.limits or self.default is not None):
            raise PydanticCustomError(
                "invalid-rule",
                "sharing mode '{mode}' takes no limits or default; they belong to 'limited'",
                {"mode": self.mode},
            )
        if self.mode == "limited" and not self.limits and self.default is None:
            raise PydanticCustomError(
                "invalid-rule",
                "sharing mode 'limited' needs limits, a default, or both",
                {},
            )
        return self

    def allowance(self, activity: Activity | None) -> int | None:
        """How many holdings of the pool ``activity`` may serve (``None``: no limit)."""
        if self.mode == "shared":
            return None
        if self.mode == "consumed":
            return 1
        assert activity is not None  # limited allowances depend on the activity
        for limit in self.limits:
            if limit.selector.matches(activity):
                return limit.holdings
        return self.default
