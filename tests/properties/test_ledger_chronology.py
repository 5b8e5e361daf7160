"""A ledger's date order and flags (``chronology``) agree with their definitions.

:func:`cperules.ledger.chronology` works them out once per ledger, in one pass or, where
every activity is simple, in a shorter one; either way they must be the activities by
date then id, their days, :func:`~cperules.ledger.ledger_size`, whether any activity is
hypothetical, whether every one is simple (:func:`~cperules.ledger.is_simple`) and where
those that are not are.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cperules import Ledger
from cperules.ledger import chronology, is_simple, ledger_size
from cperules.testing.strategies import ledgers


@st.composite
def mixed_ledgers(draw: st.DrawFn) -> Ledger:
    """Ledgers of every shape: split, eligible, claimed, without credits, hypothetical."""
    ledger = draw(ledgers(max_size=12, claimed_for=("isc2/cissp",)))
    activities = list(ledger)
    for index in draw(st.sets(st.integers(0, max(len(activities) - 1, 0)), max_size=2)):
        if index < len(activities):
            activities[index] = activities[index].model_copy(update={"hypothetical": True})
    return Ledger(activities)


@given(ledger=st.one_of(ledgers(max_size=12), mixed_ledgers()))
def test_the_chronology_of_a_ledger_is_its_definition(ledger: Ledger) -> None:
    found = chronology(ledger)
    ordered = sorted(ledger, key=lambda activity: (activity.completed, activity.id))
    assert list(found.activities) == ordered
    assert list(found.days) == [activity.completed for activity in ordered]
    assert found.size == ledger_size(ledger)
    assert found.hypothetical == any(activity.hypothetical for activity in ledger)
    assert found.simple == all(is_simple(activity) for activity in ledger)
    assert found.irregular == tuple(
        position for position, activity in enumerate(ordered) if not is_simple(activity)
    )
    assert chronology(ledger) is found  # worked out once
