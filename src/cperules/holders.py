"""Holders (the person) and holdings (one certification held by one holder).

>>> from datetime import date
>>> holder = Holder(birth_date=date(1985, 7, 14), family_name="Okafor")
>>> Holding(certification="isc2/cissp", earned=date(2023, 3, 1), holder=holder)
Holding(certification='isc2/cissp', earned=datetime.date(2023, 3, 1), holder=Holder(birth_date=datetime.date(1985, 7, 14), family_name='Okafor'))
"""  # noqa: E501

from __future__ import annotations

import datetime as dt
from typing import Annotated, Self

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from cperules._model import FrozenModel, class_default
from cperules.activity import Activity
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

    A holder who starts tracking in the middle of a career, without the ledger of earlier
    cycles, says where tracking starts, in one of two ways (not both):

    - ``tracked_from``: the first day of the first cycle to evaluate (the start of the
      cycle you are in when you start tracking, as the body's portal shows it);
    - ``renewed_through``: the last day of the last cycle known to be renewed (the
      expiry date your previous renewal covered, or a rolling policy's last checkpoint
      you met); tracking starts with the cycle after it.

    Either must be a cycle boundary the policy produces for this holding (the evaluation
    says which dates are, "did you mean 2023-04-16?"). Cycles before tracking are not
    evaluated: they are taken as renewed and shown with the status ``before_tracking``.
    ``carried_in`` gives the credit carried from the last cycle before tracking into the
    first tracked one, when you know it: one activity per category carried, whose
    ``credits`` are what carried (not what the activity earned). See the how-to guide
    "Start tracking in the middle of a career".

    >>> Holding(certification="isc2/cissp", earned=dt.date(2017, 4, 16),
    ...         renewed_through=dt.date(2023, 4, 15)).renewed_through
    datetime.date(2023, 4, 15)
    """

    certification: Certification | Annotated[str, Field(min_length=1)] = Field(
        union_mode="left_to_right"
    )
    earned: Day
    holder: Holder = class_default(Holder)
    events: tuple[RenewalEvent, ...] = Field(
        default=(), description="Renewal events in the holding's history, in any order."
    )
    tracked_from: Day | None = Field(
        default=None,
        description="The first day of the first cycle to evaluate: earlier cycles are taken "
        "as renewed and not evaluated (not with renewed_through).",
    )
    renewed_through: Day | None = Field(
        default=None,
        description="The last day of the last cycle known to be renewed: evaluation starts "
        "with the cycle after it (not with tracked_from).",
    )
    carried_in: tuple[Activity, ...] = Field(
        default=(),
        description="Credit carried into the first tracked cycle from the one before: one "
        "activity per category carried, with the credits that carried.",
    )

    @model_validator(mode="after")
    def _tracking(self) -> Self:
        if self.tracked_from is not None and self.renewed_through is not None:
            raise _holding_problem(
                "renewed_through",
                "either tracked_from or renewed_through, not both (each says where "
                "tracking starts)",
                self.renewed_through,
            )
        if self.renewed_through is not None and self.renewed_through < self.earned:
            raise _holding_problem(
                "renewed_through",
                f"a cycle's last day, on or after earned ({self.earned})",
                self.renewed_through,
            )
        if self.carried_in and self.tracking_boundary is None:
            raise _holding_problem(
                "carried_in",
                "tracked_from or renewed_through as well: credit is carried into the "
                "first tracked cycle",
                tuple(activity.id for activity in self.carried_in),
            )
        seen: set[tuple[str, str | None]] = set()
        for index, activity in enumerate(self.carried_in):
            where = f"carried_in[{index}] (id {activity.id!r})"
            if activity.credits is None or activity.credits <= 0:
                raise _holding_problem(
                    where,
                    "credits > 0: the credit that carried in (not minutes or units)",
                    activity.credits,
                )
            if len(activity.categories) > 1:
                raise _holding_problem(
                    where,
                    "one category (carried credit keeps the one category it counted in); "
                    "give one activity per category carried",
                    activity.categories,
                )
            key = (activity.id, activity.category)
            if key in seen:
                raise _holding_problem(
                    where, "each activity and category carried in once", activity.id
                )
            seen.add(key)
        return self

    @property
    def tracking_boundary(self) -> tuple[str, dt.date] | None:
        """Where tracking starts, as given: the field's name and its date (None: from earned).

        >>> Holding(certification="isc2/cissp", earned=dt.date(2017, 4, 16),
        ...         tracked_from=dt.date(2023, 4, 16)).tracking_boundary
        ('tracked_from', datetime.date(2023, 4, 16))
        """
        if self.tracked_from is not None:
            return ("tracked_from", self.tracked_from)
        if self.renewed_through is not None:
            return ("renewed_through", self.renewed_through)
        return None

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


def _holding_problem(field: str, expected: str, value: object) -> PydanticCustomError:
    """A model-level validation error that still names its field."""
    return PydanticCustomError(
        "invalid-argument",
        "{field}: expected {expected}",
        {"field": field, "expected": expected, "value": value},
    )


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
