"""Rule kinds that compose into a policy; each is a frozen, ``kind``-tagged model.

One module per family: :mod:`~cperules.rules.requirements` (minimums, caps, recurrence),
:mod:`~cperules.rules.valuation` (credit values), :mod:`~cperules.rules.conditions`
(prerequisites, exclusions), :mod:`~cperules.rules.carryover` and
:mod:`~cperules.rules.renewal` (renewal paths other than credit).

>>> from pydantic import TypeAdapter
>>> TypeAdapter(Rule).validate_python({"kind": "minimum", "id": "total", "credits": "120"})
Minimum(id='total', credits=Decimal('120'))
"""

from typing import Annotated, get_args

from pydantic import Field

from cperules.rules.carryover import Carryover
from cperules.rules.conditions import Exclusion, Prerequisite, RepeatExclusion
from cperules.rules.renewal import RenewalEventKind, RenewalPath
from cperules.rules.requirements import Cap, Minimum, Recurrence, RuleId, Scope
from cperules.rules.valuation import CreditValue

__all__ = [
    "RULE_KINDS",
    "Cap",
    "Carryover",
    "CreditValue",
    "Exclusion",
    "Minimum",
    "Prerequisite",
    "Recurrence",
    "RenewalEventKind",
    "RenewalPath",
    "RepeatExclusion",
    "Rule",
    "RuleId",
    "Scope",
]

Rule = Annotated[
    Minimum | Cap | CreditValue | Prerequisite | Exclusion | RepeatExclusion,
    Field(discriminator="kind"),
]
"""Any rule kind except carryover (a policy has at most one carryover, held apart)."""

RULE_KINDS: tuple[str, ...] = tuple(
    kind.model_fields["kind"].default for kind in get_args(get_args(Rule)[0])
)
"""Every rule kind's tag, in the order of :data:`Rule` (derived from it, never by hand)."""
