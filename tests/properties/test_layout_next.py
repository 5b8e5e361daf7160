"""A layout's next cycle, laid out in the same pass, is the one laid out on its own.

The verdict plan and the history read where credit carried out of the governing cycle
lands from the cycle :func:`~cperules._engine.compiled.layout_next` gives with the
layout; it must be the last cycle of a layout up to the day after the governing one, as
it was found before. Cycles are built without validation: the same values as validated.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from layout_inputs import layout_inputs

from cperules import Holding
from cperules._engine.compiled import layout, layout_next
from cperules._model import validating
from cperules.cycles import CycleSpec
from cperules.errors import CperulesError

_ONE_DAY = dt.timedelta(days=1)


@given(layout_inputs())
def test_the_next_cycle_is_the_last_of_a_layout_up_to_the_day_after(
    inputs: tuple[CycleSpec, Holding, dt.date],
) -> None:
    spec, holding, as_of = inputs
    try:
        expected = spec.cycles(holding, as_of=as_of)
    except CperulesError:
        return
    cycles, following = spec.cycles_and_next(holding, as_of=as_of)
    assert cycles == expected
    assert layout_next(spec, holding, as_of) == (cycles, following)
    assert layout(spec, holding, as_of) is layout_next(spec, holding, as_of)[0]
    try:
        after = spec.cycles(holding, as_of=cycles[-1].due + _ONE_DAY)[-1]
    except CperulesError:
        assert following is None  # the next cycle cannot be laid out: none is given
        return
    assert following == after
    assert following.index == cycles[-1].index + 1


@given(layout_inputs())
def test_cycles_built_unvalidated_are_the_validated_ones(
    inputs: tuple[CycleSpec, Holding, dt.date],
) -> None:
    spec, holding, as_of = inputs
    try:
        fast = spec.cycles_and_next(holding, as_of=as_of)
    except CperulesError:
        return
    validating.on = True
    try:
        checked = spec.cycles_and_next(holding, as_of=as_of)
    finally:
        validating.on = False
    assert fast == checked
    for cycle, other in zip(fast[0], checked[0], strict=True):
        assert cycle.model_fields_set == other.model_fields_set
        assert cycle.model_dump() == other.model_dump()
