"""Hypothesis strategies for cperules values.

Every strategy here is sound: it only ever generates values that pass validation, so a
test never sees a :class:`pydantic.ValidationError` from the generated data itself. The
strategies follow Hypothesis's own conventions: plural names, keyword-only arguments
with sensible defaults, and arguments checked lazily, so that a bad argument raises
:class:`hypothesis.errors.InvalidArgument` when the strategy is first used (drawn from
in a test, or validated), not when it is created. Each docstring says what examples
shrink towards; the aim is small, readable failing examples: few activities, whole
credits, one cycle.

>>> from hypothesis import Phase, find, settings
>>> quiet = settings(database=None, phases=[Phase.generate, Phase.shrink])
>>> find(activities(), lambda activity: True, settings=quiet)
Activity(id='a0', title='Training', completed=datetime.date(2020, 1, 1), credits=Decimal('1'), category='A')

The most useful combination draws a certification, a holding of it and a ledger dated
around the holding's cycles, then evaluates::

    from hypothesis import given, strategies as st
    from cperules import evaluate
    from cperules.testing.strategies import certifications, holdings, ledgers_for

    @given(st.data())
    def test_evaluation_never_fails(data):
        certification = data.draw(certifications())
        holding = data.draw(holdings(certification=certification))
        ledger = data.draw(ledgers_for(certification, holding))
        evaluate(holding, ledger, as_of=holding.earned)
"""  # noqa: E501

# The strategies live in cperules.testing.strategy_parts, one concept a module (internal);
# this module is their public face: import them from here.

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from cperules.testing.strategy_parts import building
from cperules.testing.strategy_parts.activities import ActivityOptions, activities, ledgers
from cperules.testing.strategy_parts.cycle_specs import cycle_specs
from cperules.testing.strategy_parts.holders import holders, holdings, ledgers_for
from cperules.testing.strategy_parts.policies import certifications, policies
from cperules.testing.strategy_parts.selectors_rules import rule_lists, rules, selectors

if TYPE_CHECKING:
    # For type checkers only: the API docs then show ACTIVITY_KINDS's type with the name
    # ActivityKind, as before the split, rather than with its fifteen literals.
    from cperules.ledger import ActivityKind

__all__ = [
    "ACTIVITY_KINDS",
    "CYCLE_KINDS",
    "RULE_KINDS",
    "ActivityOptions",
    "activities",
    "certifications",
    "cycle_specs",
    "holders",
    "holdings",
    "ledgers",
    "ledgers_for",
    "policies",
    "rule_lists",
    "rules",
    "selectors",
]

# The same tuples the parts use, bound here so that their documentation stays with the
# public names.
ACTIVITY_KINDS: Final[tuple[ActivityKind, ...]] = building.ACTIVITY_KINDS
"""Every activity kind, ``"course"`` first (what :func:`activities` shrinks towards)."""

CYCLE_KINDS: Final[tuple[str, ...]] = building.CYCLE_KINDS
"""Every cycle spec kind the strategies can build, simplest first."""

RULE_KINDS: Final[tuple[str, ...]] = building.RULE_KINDS
"""Every rule kind :func:`rules` can build, simplest first."""
