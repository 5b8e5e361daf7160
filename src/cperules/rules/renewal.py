"""Renewal paths other than credit: the events in a holding's history that renew it.

A policy lists the :class:`RenewalPath` values it accepts. A holding's
:class:`~cperules.holders.RenewalEvent` renews the cycle in which it happens when a path of
the same kind accepts it; a path with ``realign`` starts the holding's cycles anew from the
event's date (CompTIA: a higher certification renews a lower one and its next cycle runs
three years from the higher one's date).

>>> RenewalPath(kind="higher-certification", certifications=("comptia/cysa-plus",))
RenewalPath(kind='higher-certification', certifications=('comptia/cysa-plus',))
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from cperules._model import FrozenModel
from cperules.citations import SourceRef
from cperules.credits import Credits
from cperules.days import MAX_CYCLE_MONTHS

__all__ = ["RenewalEventKind", "RenewalPath"]

RenewalEventKind = Literal[
    "exam",
    "higher-certification",
    "designated-course",
    "reinstatement",
]
"""What happened: passed the current exam, earned a higher certification that renews this
one, completed a course the body designates for renewal, or was reinstated."""


class RenewalPath(FrozenModel):
    """An event that renews a cycle, alone or together with some credit.

    - ``certifications``: for ``higher-certification`` (or any kind that names one), the
      certification ids whose earning renews this one; empty accepts any.
    - ``tags``: the event tags accepted (``"professional-exam"``, ``"certmaster-ce"``);
      empty accepts any tag.
    - ``count``: how many accepted events the cycle needs (CCIE: two professional exams).
    - ``credits``: credit the cycle must also have counted for the path to renew it
      (Cisco: 40 CE plus one professional exam); ``None`` when the events suffice.
    - ``realign``: whether cycles start anew from the (last needed) event's date.
    - ``window_months``: events count only in the cycle's last so many months (Microsoft's
      renewal assessment opens six months before expiry); ``None``: any time in it.

    >>> from decimal import Decimal
    >>> RenewalPath(kind="exam", tags=("professional",), credits=Decimal(40), realign=False)
    RenewalPath(kind='exam', tags=('professional',), credits=Decimal('40'), realign=False)
    """

    kind: RenewalEventKind
    certifications: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    count: int = Field(default=1, ge=1)
    credits: Credits | None = Field(default=None, gt=0)
    realign: bool = True
    window_months: int | None = Field(default=None, ge=1, le=MAX_CYCLE_MONTHS)
    description: str | None = None
    source: SourceRef | None = None
