"""Cycle layouts kept per spec and dates are the layouts the spec lays out."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st
from layout_inputs import layout_inputs

from cperules import Holder, Holding, PolicyVersion
from cperules._engine.compiled import HOLDER_FREE_KINDS, compiled, layout
from cperules.cycles import CycleSpec
from cperules.errors import CperulesError
from cperules.rules import Cap, CreditValue, Exclusion, Minimum, RepeatExclusion
from cperules.testing.strategies import cycle_specs, holders, policies


@given(
    cycle_specs(kinds=tuple(sorted(HOLDER_FREE_KINDS))),
    holders(),
    holders(),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)),
    st.integers(min_value=0, max_value=4000),
)
def test_holder_free_layouts_do_not_depend_on_the_holder(
    spec: CycleSpec, first: Holder, second: Holder, earned: dt.date, days: int
) -> None:
    as_of = earned + dt.timedelta(days=days)
    one = Holding(certification="demo/cert", earned=earned, holder=first)
    other = Holding(certification="demo/cert", earned=earned, holder=second)
    try:
        laid_out = spec.cycles(one, as_of=as_of)
    except CperulesError:
        return
    assert spec.cycles(other, as_of=as_of) == laid_out


@given(layout_inputs())
def test_a_kept_layout_is_the_spec_layout(inputs: tuple[CycleSpec, Holding, dt.date]) -> None:
    spec, holding, as_of = inputs
    try:
        expected = spec.cycles(holding, as_of=as_of)
    except CperulesError:
        return
    assert layout(spec, holding, as_of) == expected
    assert layout(spec, holding, as_of) is layout(spec, holding, as_of)


@given(policies())
def test_a_compiled_version_is_built_once_and_reads_the_version(version: PolicyVersion) -> None:
    policy = compiled(version)
    assert compiled(version) is policy
    assert dict(policy.paths) == version.category_paths()
    assert policy.minimums == tuple(r for r in version.rules if isinstance(r, Minimum))
    assert policy.caps == tuple(r for r in version.rules if isinstance(r, Cap))
    assert policy.credit_values == tuple(r for r in version.rules if isinstance(r, CreditValue))
    assert policy.exclusions == tuple(r for r in version.rules if isinstance(r, Exclusion))
    assert policy.repeats == any(isinstance(r, RepeatExclusion) for r in version.rules)
    assert policy.credit_counts == version.credit_counts
