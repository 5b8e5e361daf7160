"""The exact lexicographic LP solver behind the allocation engine."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from cperules._engine import lp as _lp
from cperules._engine.lp import (
    Constraint,
    Infeasible,
    Problem,
    Row,
    Solution,
    Unbounded,
    maximise,
)

F = Fraction


def row(**coefficients: int | Fraction) -> dict[int, Fraction]:
    """``row(x0=1, x2=3)`` -> ``{0: Fraction(1), 2: Fraction(3)}``."""
    return {int(name[1:]): F(value) for name, value in coefficients.items()}


def satisfies(problem: Problem, values: tuple[Fraction, ...]) -> bool:
    try:
        _lp._verify(problem, values)
    except AssertionError:
        return False
    return True


# --- textbook problems -----------------------------------------------------------------


def test_textbook_maximisation() -> None:
    # Hillier & Lieberman's Wyndor Glass: max 3x + 5y, x <= 4, 2y <= 12, 3x + 2y <= 18.
    problem = Problem(
        2,
        (
            Constraint(row(x0=1), "<=", F(4)),
            Constraint(row(x1=2), "<=", F(12)),
            Constraint(row(x0=3, x1=2), "<=", F(18)),
        ),
    )
    solution = maximise(problem, [row(x0=3, x1=5)])
    assert solution == Solution(values=(F(2), F(6)), objectives=(F(36),))


def test_minimisation_by_negation_needs_phase_one() -> None:
    # min 2x + 3y with x + y >= 4, x + 3y >= 6: optimum 9 at (3, 1).
    problem = Problem(
        2,
        (
            Constraint(row(x0=1, x1=1), ">=", F(4)),
            Constraint(row(x0=1, x1=3), ">=", F(6)),
        ),
    )
    solution = maximise(problem, [row(x0=-2, x1=-3)])
    assert solution.values == (F(3), F(1))
    assert solution.objectives == (F(-9),)


def test_klee_minty_cube_is_solved_exactly() -> None:
    # max sum 2^(n-j) x_j  s.t.  2 * sum_{i<j} 2^(j-i) x_i + x_j <= 5^j: optimum 5^n.
    n = 6
    constraints = tuple(
        Constraint({**{i: F(2 ** (j - i + 1)) for i in range(j)}, j: F(1)}, "<=", F(5 ** (j + 1)))
        for j in range(n)
    )
    solution = maximise(Problem(n, constraints), [{j: F(2 ** (n - 1 - j)) for j in range(n)}])
    assert solution.objectives == (F(5**n),)
    assert solution.values == (0,) * (n - 1) + (F(5**n),)


# --- infeasible and unbounded ----------------------------------------------------------


@pytest.mark.parametrize(
    ("constraints", "upper"),
    [
        pytest.param(
            (
                Constraint(row(x0=1, x1=1), "<=", F(1)),
                Constraint(row(x0=1, x1=1), ">=", F(2)),
            ),
            {},
            id="contradictory-rows",
        ),
        pytest.param((Constraint(row(x0=1), ">=", F(2)),), {0: F(1)}, id="upper-bound"),
        pytest.param((Constraint(row(x0=1), "<=", F(-1)),), {}, id="nonnegativity"),
        pytest.param((Constraint(row(x0=-1), ">=", F(1)),), {}, id="negative-coefficient"),
        pytest.param((Constraint({}, "==", F(1)),), {}, id="empty-equality"),
        pytest.param((Constraint(row(x0=1, x1=1), "==", F(-3)),), {}, id="negative-equality"),
    ],
)
def test_infeasible(constraints: tuple[Constraint, ...], upper: dict[int, Fraction]) -> None:
    problem = Problem(2, constraints, upper)
    with pytest.raises(Infeasible, match="phase 1 found no feasible point"):
        maximise(problem, [row(x0=1)])
    with pytest.raises(Infeasible):
        maximise(problem, [])


def test_unbounded_names_the_objective() -> None:
    problem = Problem(2, (Constraint(row(x0=1, x1=-1), "<=", F(1)),))
    with pytest.raises(Unbounded, match="objective 0 is unbounded above"):
        maximise(problem, [row(x0=1)])


def test_unbounded_second_objective_is_named() -> None:
    problem = Problem(2, (Constraint(row(x0=1), "<=", F(3)),))
    with pytest.raises(Unbounded, match="objective 1 is unbounded above"):
        maximise(problem, [row(x0=1), row(x0=1, x1=1)])


def test_unbounded_direction_that_worsens_an_earlier_objective_is_not_taken() -> None:
    # y is unbounded on its own, but every unit of y costs a unit of objective 0.
    problem = Problem(2, (Constraint(row(x0=1), "<=", F(3)),))
    solution = maximise(problem, [row(x0=1, x1=-1), row(x1=1)])
    assert solution == Solution(values=(F(3), F(0)), objectives=(F(3), F(0)))


def test_objectives_pushing_towards_zero_are_bounded_without_rows() -> None:
    problem = Problem(2, ())
    solution = maximise(problem, [row(x0=-1), {}])
    assert solution.values == (F(0), F(0))


# --- equality constraints and upper bounds ---------------------------------------------


def test_equalities() -> None:
    problem = Problem(
        3,
        (
            Constraint(row(x0=1, x1=1), "==", F(5)),
            Constraint(row(x0=1, x1=-1), "==", F(1)),
        ),
    )
    solution = maximise(problem, [row(x2=-1)])
    assert solution.values == (F(3), F(2), F(0))


def test_equality_with_negative_bound() -> None:
    problem = Problem(2, (Constraint(row(x0=1, x1=-1), "==", F(-1)),), upper={0: F(3)})
    solution = maximise(problem, [row(x0=1)])
    assert solution.values == (F(3), F(4))


def test_redundant_equalities_leave_an_artificial_at_zero() -> None:
    problem = Problem(
        2,
        (
            Constraint(row(x0=1, x1=1), "==", F(2)),
            Constraint(row(x0=2, x1=2), "==", F(4)),
            Constraint({}, "==", F(0)),
        ),
    )
    assert maximise(problem, [row(x0=1)]).values == (F(2), F(0))
    assert maximise(problem, [row(x1=1)]).values == (F(0), F(2))


def test_ge_row_with_nonpositive_bound_starts_feasible() -> None:
    problem = Problem(2, (Constraint(row(x0=-1, x1=1), ">=", F(-2)),), upper={1: F(1)})
    solution = maximise(problem, [row(x0=1, x1=1)])
    assert solution == Solution(values=(F(3), F(1)), objectives=(F(4),))


def test_upper_bounds_without_rows() -> None:
    problem = Problem(2, (), upper={0: F(2), 1: F(5, 2)})
    solution = maximise(problem, [row(x0=1, x1=1)])
    assert solution == Solution(values=(F(2), F(5, 2)), objectives=(F(9, 2),))


def test_upper_bounds_with_a_binding_row() -> None:
    problem = Problem(2, (Constraint(row(x0=1, x1=1), "<=", F(3)),), upper={0: F(2), 1: F(2)})
    solution = maximise(problem, [row(x0=1, x1=2)])
    assert solution == Solution(values=(F(1), F(2)), objectives=(F(5),))


def test_a_variable_can_come_back_down_from_its_upper_bound() -> None:
    # x first jumps to its upper bound (cheapest improvement), then must come back down.
    problem = Problem(
        2,
        (Constraint(row(x0=1, x1=1), "<=", F(4)),),
        upper={0: F(3), 1: F(4)},
    )
    solution = maximise(problem, [row(x0=1, x1=1), row(x1=1)])
    assert solution == Solution(values=(F(0), F(4)), objectives=(F(4), F(4)))


def test_a_basic_variable_can_leave_at_its_upper_bound() -> None:
    # x0 becomes basic in the row x0 <= x1, then rises with x1 until x0 hits its own bound.
    problem = Problem(2, (Constraint(row(x0=1, x1=-1), "<=", F(0)),), upper={0: F(1), 1: F(2)})
    solution = maximise(problem, [row(x0=1, x1=1)])
    assert solution == Solution(values=(F(1), F(2)), objectives=(F(3),))


def test_zero_upper_bound_fixes_a_variable() -> None:
    problem = Problem(2, (Constraint(row(x0=1, x1=1), "<=", F(4)),), upper={0: F(0)})
    solution = maximise(problem, [row(x0=5, x1=1)])
    assert solution.values == (F(0), F(4))


# --- degeneracy: cycling is impossible -------------------------------------------------

BEALE = Problem(
    4,
    (
        Constraint({0: F(1, 4), 1: F(-8), 2: F(-1), 3: F(9)}, "<=", F(0)),
        Constraint({0: F(1, 2), 1: F(-12), 2: F(-1, 2), 3: F(3)}, "<=", F(0)),
        Constraint({2: F(1)}, "<=", F(1)),
    ),
)
BEALE_OBJECTIVE: Row = {0: F(3, 4), 1: F(-20), 2: F(1, 2), 3: F(-6)}
BEALE_OPTIMUM = Solution(values=(F(1), F(0), F(1), F(0)), objectives=(F(5, 4),))


class TooManyPivots(Exception):
    pass


@pytest.fixture
def plain_dantzig(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Price by plain Dantzig (uniform Devex weights) and count pivots, failing after 500."""
    pivots = [0]
    pivot = _lp._Tableau._pivot

    def counted(self: Any, *args: Any) -> int:
        pivots[0] += 1
        if pivots[0] > 500:
            raise TooManyPivots
        return pivot(self, *args)

    monkeypatch.setattr(_lp._Tableau, "_pivot", counted)
    monkeypatch.setattr(_lp._Tableau, "_reweigh", lambda *args: None)
    return pivots


def test_beale_cycles_under_plain_dantzig(
    plain_dantzig: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The example is a real trap: without the fallback, Dantzig's rule cycles for ever.
    monkeypatch.setattr(_lp, "_DEGENERATE_LIMIT", 10**9)
    with pytest.raises(TooManyPivots):
        maximise(BEALE, [BEALE_OBJECTIVE])


def test_bland_fallback_breaks_dantzig_cycling_on_beale(plain_dantzig: list[int]) -> None:
    assert maximise(BEALE, [BEALE_OBJECTIVE]) == BEALE_OPTIMUM
    assert plain_dantzig[0] <= 2 * _lp._DEGENERATE_LIMIT


def test_beale_with_default_pricing() -> None:
    assert maximise(BEALE, [BEALE_OBJECTIVE]) == BEALE_OPTIMUM


def test_beale_with_pure_bland(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_lp, "_DEGENERATE_LIMIT", 0)
    assert maximise(BEALE, [BEALE_OBJECTIVE]) == BEALE_OPTIMUM


def test_highly_degenerate_vertex() -> None:
    # Many constraints meet at the origin and at the optimum.
    n = 4
    constraints = [Constraint({i: F(1), j: F(-1)}, "<=", F(0)) for i in range(n) for j in range(n)]
    constraints += [Constraint({i: F(1) for i in range(n)}, "<=", F(2))] * 3
    solution = maximise(Problem(n, tuple(constraints)), [{i: F(i + 1) for i in range(n)}])
    assert solution.values == (F(1, 2),) * n
    assert solution.objectives == (F(5),)


# --- lexicographic objectives ----------------------------------------------------------


@pytest.mark.parametrize(
    ("second", "values"),
    [
        pytest.param(row(x0=1), (F(3), F(1)), id="prefer-x"),
        pytest.param(row(x1=1), (F(1), F(3)), id="prefer-y"),
        pytest.param(row(x0=-1, x1=-1), (F(3), F(1)), id="indifferent"),
    ],
)
def test_second_objective_picks_among_first_optima(
    second: Row, values: tuple[Fraction, ...]
) -> None:
    problem = Problem(2, (Constraint(row(x0=1, x1=1), "<=", F(4)),), upper={0: F(3), 1: F(3)})
    solution = maximise(problem, [row(x0=1, x1=1), second])
    assert solution.objectives[0] == F(4)
    if second != row(x0=-1, x1=-1):
        assert solution.values == values
    assert solution.objectives[1] == sum(c * solution.values[j] for j, c in second.items())


def test_second_objective_never_costs_the_first() -> None:
    problem = Problem(2, (Constraint(row(x0=1, x1=1), "<=", F(2)),))
    solution = maximise(problem, [row(x0=1), row(x1=1)])
    assert solution == Solution(values=(F(2), F(0)), objectives=(F(2), F(0)))


def test_three_objectives() -> None:
    # Shortfall first, then total counted, then carryover (a miniature allocation).
    # x0, x1: credit counted in buckets A and B; x2: carried over; x3: shortfall in B.
    problem = Problem(
        4,
        (
            Constraint(row(x0=1, x1=1, x2=1), "<=", F(5)),  # the activity's 5 credits
            Constraint(row(x1=1, x3=1), ">=", F(2)),  # bucket B needs 2
            Constraint(row(x0=1), "<=", F(2)),  # bucket A holds at most 2
            Constraint(row(x0=1, x1=1), "<=", F(3)),  # at most 3 count in total
        ),
    )
    solution = maximise(problem, [row(x3=-1), row(x0=1, x1=1), row(x2=1)])
    assert solution.objectives == (F(0), F(3), F(2))
    assert solution.values[2:] == (F(2), F(0))
    assert solution.values[1] >= 2


def test_no_objectives_returns_a_feasible_point() -> None:
    problem = Problem(2, (Constraint(row(x0=1, x1=1), ">=", F(3)),))
    solution = maximise(problem, [])
    assert solution.objectives == ()
    assert satisfies(problem, solution.values)


def test_empty_problem() -> None:
    assert maximise(Problem(0, ()), []) == Solution(values=(), objectives=())
    assert maximise(Problem(0, ()), [{}]) == Solution(values=(), objectives=(F(0),))


# --- exactness -------------------------------------------------------------------------


def test_fifths_and_quarters_are_exact() -> None:
    problem = Problem(
        2,
        (Constraint({0: F("0.2"), 1: F("0.25")}, "<=", F(1)),),
        upper={0: F(3)},
    )
    solution = maximise(problem, [{0: F(1), 1: F(1)}])
    assert solution.values == (F(3), F("1.6"))
    assert solution.objectives == (F("4.6"),)
    assert all(type(value) is Fraction for value in solution.values + solution.objectives)


def test_decimal_and_int_inputs_convert_exactly() -> None:
    decimal = Problem(
        2,
        (Constraint({0: Decimal("0.2"), 1: Decimal("0.25")}, "<=", Decimal(1)),),  # type: ignore[dict-item, arg-type]
        upper={0: 3},  # type: ignore[dict-item]
    )
    fraction = Problem(2, (Constraint({0: F(1, 5), 1: F(1, 4)}, "<=", F(1)),), upper={0: F(3)})
    assert decimal == fraction
    assert hash(decimal) == hash(fraction)
    objective = {0: Decimal(1), 1: 1}
    assert maximise(decimal, [objective]) == maximise(fraction, [{0: F(1), 1: F(1)}])  # type: ignore[list-item]


def test_credit_steps_sum_exactly() -> None:
    # Ten 0.1-credit pieces exactly fill one credit; floats would not.
    problem = Problem(10, (Constraint({i: F("0.1") for i in range(10)}, "<=", F(1)),))
    solution = maximise(problem, [{i: F("0.1") for i in range(10)}])
    assert solution.objectives == (F(1),)


def test_same_input_same_solution() -> None:
    problem, objectives = benchmark_problem(7)
    assert maximise(problem, objectives) == maximise(problem, objectives)


# --- the benchmark shape ---------------------------------------------------------------


def benchmark_problem(seed: int, n: int = 200, m_le: int = 60, m_ge: int = 20) -> Any:
    """200 variables, 60 ``<=`` and 20 ``>=`` rows of random 0/1 coefficients (10%)."""
    rng = random.Random(seed)
    rows = [{j: F(1) for j in range(n) if rng.random() < 0.1} for _ in range(m_le + m_ge)]
    for j in range(n):  # every variable is capped by some <= row, so nothing is unbounded
        if not any(j in rows[k] for k in range(m_le)):
            rows[rng.randrange(m_le)][j] = F(1)
    constraints = [Constraint(r, "<=", F(rng.randint(10, 100))) for r in rows[:m_le]]
    constraints += [Constraint(r, ">=", F(rng.randint(1, 5))) for r in rows[m_le:]]
    objectives = [
        {j: F(1) for j in range(n) if rng.random() < 0.5},
        {j: F(rng.randint(-2, 3), 5) for j in range(n)},
        {j: F(1) for j in range(n)},
    ]
    return Problem(n, tuple(constraints)), objectives


def test_benchmark_shaped_problem_is_solved_and_feasible() -> None:
    problem, objectives = benchmark_problem(0)
    solution = maximise(problem, objectives)
    assert satisfies(problem, solution.values)
    assert len(solution.objectives) == 3


# --- the final check -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "message"),
    [
        pytest.param((F(1),), "expected 2 values", id="length"),
        pytest.param((F(-1), F(0)), "variable 0 = -1 is outside its bounds", id="negative"),
        pytest.param((F(0), F(3)), "variable 1 = 3 is outside its bounds", id="upper"),
        pytest.param((F(2), F(2)), "constraint 0 fails: 4 <= 3", id="le"),
        pytest.param((F(0), F(0)), "constraint 1 fails: 0 >= 1", id="ge"),
        pytest.param((F(1), F(1)), "constraint 2 fails: 1 == 0", id="eq"),
    ],
)
def test_verify_rejects_points_that_break_the_problem(
    values: tuple[Fraction, ...], message: str
) -> None:
    problem = Problem(
        2,
        (
            Constraint(row(x0=1, x1=1), "<=", F(3)),
            Constraint(row(x0=1, x1=1), ">=", F(1)),
            Constraint(row(x0=1), "==", F(0)),
        ),
        upper={1: F(2)},
    )
    with pytest.raises(AssertionError, match=message):
        _lp._verify(problem, values)
    _lp._verify(problem, (F(0), F(1)))


# --- bad inputs ------------------------------------------------------------------------


def test_constraint_index_out_of_range() -> None:
    with pytest.raises(ValueError, match="constraint 1 refers to variable 2, but the problem"):
        Problem(2, (Constraint(row(x0=1), "<=", F(1)), Constraint(row(x2=1), "<=", F(1))))


def test_negative_index() -> None:
    with pytest.raises(ValueError, match="refers to variable -1"):
        Problem(2, (Constraint({-1: F(1)}, "<=", F(1)),))


def test_upper_bound_index_out_of_range() -> None:
    with pytest.raises(ValueError, match="an upper bound refers to variable 5"):
        Problem(2, (), upper={5: F(1)})


def test_negative_upper_bound() -> None:
    with pytest.raises(ValueError, match="the upper bound of variable 1 is negative: -1/4"):
        Problem(2, (), upper={1: F(-1, 4)})


def test_objective_index_out_of_range() -> None:
    with pytest.raises(ValueError, match="objective 1 refers to variable 3"):
        maximise(Problem(2, ()), [row(x0=-1), row(x3=1)])


def test_negative_variable_count() -> None:
    with pytest.raises(ValueError, match="number of variables must be >= 0"):
        Problem(-1, ())


def test_bad_sense() -> None:
    with pytest.raises(ValueError, match="sense must be one of"):
        Constraint(row(x0=1), "<", F(1))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        pytest.param(
            lambda: Constraint({0: 0.2}, "<=", F(1)),  # type: ignore[dict-item]
            "must be exact: pass a Fraction, Decimal or int, not 0.2",
            id="float-coefficient",
        ),
        pytest.param(
            lambda: Constraint({0: F(1)}, "<=", 1.5),  # type: ignore[arg-type]
            "must be exact",
            id="float-bound",
        ),
        pytest.param(
            lambda: Constraint({0: "1"}, "<=", F(1)),  # type: ignore[dict-item]
            "must be a Fraction, Decimal or int",
            id="string",
        ),
        pytest.param(
            lambda: Constraint({"x": F(1)}, "<=", F(1)),  # type: ignore[dict-item]
            "variable indices must be ints",
            id="index-type",
        ),
        pytest.param(
            lambda: Problem(2, ("x <= 1",)),  # type: ignore[arg-type]
            "constraint 0 is not a Constraint",
            id="not-a-constraint",
        ),
        pytest.param(
            lambda: Problem(2.0, ()),  # type: ignore[arg-type]
            "number of variables must be an int",
            id="float-count",
        ),
    ],
)
def test_type_errors(build: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        build()


def test_non_finite_decimal() -> None:
    with pytest.raises(ValueError, match="must be finite"):
        Constraint({0: F(1)}, "<=", Decimal("Infinity"))  # type: ignore[arg-type]


def test_constraints_may_be_given_as_a_list() -> None:
    problem = Problem(1, [Constraint(row(x0=1), "<=", F(1))])  # type: ignore[arg-type]
    assert isinstance(problem.constraints, tuple)
