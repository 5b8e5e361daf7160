"""Conditions that are not credit: prerequisites and exclusions.

>>> from cperules.selectors import activity_kind, topic
>>> Prerequisite(id="cpr", selector=activity_kind("credential") & topic("cpr"))
Prerequisite(id='cpr', selector=activity_kind('credential') & topic('cpr'))
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from cperules._model import FrozenModel
from cperules.citations import SourceRef
from cperules.rules.requirements import RuleId, Scope
from cperules.selectors import Selector

__all__ = ["Exclusion", "Prerequisite", "RepeatExclusion"]


class Prerequisite(FrozenModel):
    """A non-credit condition that must hold on the cycle's end date.

    An activity the selector matches (typically a credential such as a CPR card) must be
    completed by, and valid on, the cycle's end date.

    >>> from cperules.selectors import topic
    >>> Prerequisite(id="cpr", selector=topic("cpr")).valid_on
    'cycle-end'
    """

    kind: Literal["prerequisite"] = "prerequisite"
    id: RuleId = Field(min_length=1)
    selector: Selector
    valid_on: Literal["cycle-end"] = "cycle-end"
    description: str | None = None
    source: SourceRef | None = None


class Exclusion(FrozenModel):
    """The selected activities earn no credit (reason code ``excluded``).

    For example activities from unapproved providers, or normal job duties.

    >>> from cperules.selectors import approved
    >>> Exclusion(id="unapproved", selector=~approved(), description="Provider not approved")
    Exclusion(id='unapproved', selector=~approved(), description='Provider not approved')
    """

    kind: Literal["exclusion"] = "exclusion"
    id: RuleId = Field(min_length=1)
    selector: Selector
    description: str | None = None
    source: SourceRef | None = None


class RepeatExclusion(FrozenModel):
    """The same course taken again in one scope counts once (reason code ``repeat``).

    Two activities are the same course when their titles and providers match, ignoring
    case and surrounding spaces. The completion that counts is the one that serves the
    cycle best (least shortfall, then most credit counted in the cycle, then most carried
    out), the earliest among equals.

    >>> RepeatExclusion(id="repeats")
    RepeatExclusion(id='repeats')
    """

    kind: Literal["repeat-exclusion"] = "repeat-exclusion"
    id: RuleId = Field(min_length=1)
    scope: Scope = "cycle"
    description: str | None = None
    source: SourceRef | None = None
