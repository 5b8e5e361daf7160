"""Where the no-choice fast path answers, its allocation is exactly the linear program's."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cperules import Activity, Period
from cperules._engine.allocation import Entry, Limit, Matcher, Requirement, _solve, _without_choice
from cperules.rules import Cap, Carryover, Minimum
from cperules.selectors import Selector, category, everything

PERIOD = Period(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
HALVES = (
    Period(start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 30)),
    Period(start=dt.date(2024, 7, 1), end=dt.date(2024, 12, 31)),
)
targets = st.sampled_from([None, "X", "Y", "Z"])


def _selector(target: str | None) -> Selector:
    return everything() if target is None else category(target)


@st.composite
def problems(
    draw: st.DrawFn,
) -> tuple[list[Entry], list[Requirement], list[Limit], Carryover | None]:
    entries = []
    for index in range(draw(st.integers(0, 6))):
        code = draw(st.sampled_from(["X", "Y", "Z"]))
        day = dt.date(2024, draw(st.integers(1, 12)), 1)
        activity = Activity(
            id=f"a{index}", title="t", completed=day, credits=Decimal(1), category=code
        )
        amount = Fraction(draw(st.integers(1, 8)), 2)
        entries.append(
            Entry(activity, amount, (code,), ((code,),), day, "own", 0, draw(st.booleans()))
        )
    requirements = [
        Requirement(
            Minimum(id=f"m{i}", credits=Decimal(n), selector=_selector(t)),
            period,
            scoped,
            Fraction(n),
        )
        for i, (t, n, (period, scoped)) in enumerate(
            draw(
                st.lists(
                    st.tuples(
                        targets,
                        st.integers(1, 10),
                        st.sampled_from([(PERIOD, False), (HALVES[0], True)]),
                    ),
                    max_size=3,
                )
            )
        )
    ]
    limits = [
        Limit(Cap(id=f"c{i}", credits=Decimal(n), selector=_selector(t)), period, scoped)
        for i, (t, n, (period, scoped)) in enumerate(
            draw(
                st.lists(
                    st.tuples(
                        targets,
                        st.integers(0, 8),
                        st.sampled_from([(PERIOD, False), (HALVES[1], True)]),
                    ),
                    max_size=3,
                )
            )
        )
    ]
    carryover = draw(
        st.none()
        | st.builds(
            Carryover,
            selector=targets.map(_selector),
            cap=st.none() | st.integers(0, 6).map(Decimal),
        )
    )
    return entries, requirements, limits, carryover


@given(problems())
def test_fast_path_equals_the_linear_program(
    problem: tuple[list[Entry], list[Requirement], list[Limit], Carryover | None],
) -> None:
    entries, requirements, limits, carryover = problem
    fast = _without_choice(entries, requirements, limits, carryover, Matcher())
    if fast is None:
        return
    solved = _solve(entries, requirements, limits, carryover=carryover, needs=(), match=Matcher())
    assert fast.counted == solved.counted
    assert fast.carried == solved.carried
    assert fast.shortfall == solved.shortfall
    assert fast.binding == solved.binding


def test_the_old_allocation_module_still_works_and_warns() -> None:
    import cperules._engine.allocation as new  # noqa: PLC0415
    import cperules.allocation as old  # noqa: PLC0415

    with pytest.warns(DeprecationWarning, match="cperules.allocation is deprecated"):
        assert old.allocate is new.allocate
    with pytest.raises(AttributeError):
        _ = old.no_such_name
