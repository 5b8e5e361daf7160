"""Holders (the person) and holdings (one certification held by one holder).

>>> from datetime import date
>>> holder = Holder(birth_date=date(1985, 7, 14), family_name="Okafor")
>>> Holding(certification="isc2/cissp", earned=date(2023, 3, 1), holder=holder)
Holding(certification='isc2/cissp', earned=datetime.date(2023, 3, 1), holder=Holder(birth_date=datetime.date(1985, 7, 14), family_name='Okafor'))
"""  # noqa: E501

from __future__ import annotations

import datetime as dt  # noqa: F401 - the examples in the docstrings use dt
from typing import Annotated

from pydantic import Field

from cperules._model import FrozenModel
from cperules.days import Day
from cperules.errors import ArgumentError
from cperules.policy import Certification
from cperules.rules.renewal import RenewalEventKind

# Also importable, for the library's own modules (not in the documented API):
# require_holding.
__all__ = [
    "Holder",
    "Holding",
    "RenewalEvent",
]


class Holder(FrozenModel):
    """The attributes of a person that renewal policies key on; every one is optional.

    Birth dates drive birth-month cycles (and schedules grouped by birth month), family
    names drive schedules grouped by letter (some bars), ``group`` names the group a body
    assigned the holder (a compliance group, a reporting month, a licence number's parity,
    an ID's last digit: whatever the body's schedule calls it), and admission or licence
    dates anchor cycles of boards that use them.

    >>> Holder(family_name="Nguyen")
    Holder(family_name='Nguyen')
    >>> Holder(group="Group 2")
    Holder(group='Group 2')
    """

    birth_date: Day | None = None
    family_name: str | None = Field(default=None, min_length=1)
    admitted: Day | None = None
    licensed: Day | None = None
    group: str | None = Field(
        default=None,
        min_length=1,
        description="The group a body assigned the holder ('Group 1', 'odd', '7').",
    )


class RenewalEvent(FrozenModel):
    """Something in a holding's history, other than credit, that may renew it.

    ``certification`` names the other certification involved (the higher one earned);
    ``tag`` says what kind of exam or course it was, in the policy's words
    (``"professional-exam"``), for policies that accept only some.

    >>> RenewalEvent(kind="exam", date=dt.date(2025, 6, 30))
    RenewalEvent(kind='exam', date=datetime.date(2025, 6, 30))
    """

    kind: RenewalEventKind
    date: Day
    certification: str | None = Field(
        default=None, min_length=1, description="The other certification involved, if any."
    )
    tag: str | None = Field(default=None, min_length=1)
    note: str | None = None

    def __str__(self) -> str:
        what = {
            "exam": "passed the exam",
            "higher-certification": "earned a higher certification",
            "designated-course": "completed a designated course",
            "reinstatement": "reinstated",
        }[self.kind]
        detail = ", ".join(filter(None, (self.certification, self.tag)))
        return f"{what}{f' ({detail})' if detail else ''} on {self.date}"


class Holding(FrozenModel):
    """One certification held by one holder, from the date it was earned.

    ``certification`` is a :class:`~cperules.policy.Certification` or a catalog id such as
    ``"isc2/cissp"``.

    >>> Holding(certification="comptia/security-plus", earned=dt.date(2024, 2, 29))
    Holding(certification='comptia/security-plus', earned=datetime.date(2024, 2, 29))
    """

    certification: Certification | Annotated[str, Field(min_length=1)] = Field(
        union_mode="left_to_right"
    )
    earned: Day
    holder: Holder = Holder()
    events: tuple[RenewalEvent, ...] = Field(
        default=(), description="Renewal events in the holding's history, in any order."
    )

    @property
    def certification_id(self) -> str:
        """The certification's id, whether it was given as an id or as a certification.

        >>> Holding(certification="isc2/cissp", earned=dt.date(2023, 3, 1)).certification_id
        'isc2/cissp'
        """
        if isinstance(self.certification, str):
            return self.certification
        return self.certification.id


def require_holding(value: object, argument: str = "holding") -> Holding:
    """Return ``value`` if it is a :class:`Holding`, else raise a located error.

    >>> require_holding({"certification": "isc2/cissp"})
    Traceback (most recent call last):
    ...
    cperules.errors.ArgumentError: holding: expected a Holding, got the dict {'certification': 'isc2/cissp'}; build one with Holding(certification=..., earned=datetime.date(...)) or Holding.model_validate(data)
    """  # noqa: E501
    if isinstance(value, Holding):
        return value
    raise ArgumentError(
        f"{argument}: expected a Holding, got the {type(value).__name__} {_short(value)}; "
        "build one with Holding(certification=..., earned=datetime.date(...)) or "
        "Holding.model_validate(data)"
    )


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
