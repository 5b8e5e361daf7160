"""The exact LP solver agrees with a vertex-enumeration oracle on small bounded problems.

Every variable has an upper bound, so a nonempty feasible region is a polytope: it has a
vertex, and the lexicographic optimum is attained at one. The oracle solves every
``n x n`` system of active constraints (constraint hyperplanes, ``x_i = 0``,
``x_i = upper_i``) exactly, keeps the feasible solutions and takes the lexicographic
maximum of the objective tuples.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from itertools import combinations
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cperules._engine import lp as _lp
from cperules._engine.lp import Constraint, Infeasible, Problem, Row, Solution, maximise

Hyperplane = tuple[tuple[Fraction, ...], Fraction]


def solve_square(planes: Sequence[Hyperplane]) -> tuple[Fraction, ...] | None:
    """Solve the square system exactly; ``None`` if it is singular."""
    n = len(planes)
    matrix = [[*coefficients, bound] for coefficients, bound in planes]
    for col in range(n):
        pivot = next((r for r in range(col, n) if matrix[r][col]), None)
        if pivot is None:
            return None
        matrix[col], matrix[pivot] = matrix[pivot], matrix[col]
        lead = matrix[col][col]
        matrix[col] = [entry / lead for entry in matrix[col]]
        for r in range(n):
            factor = matrix[r][col]
            if r != col and factor:
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[col], strict=True)]
    return tuple(matrix[r][n] for r in range(n))


def dense(row: Row, n: int) -> tuple[Fraction, ...]:
    return tuple(row.get(j, Fraction(0)) for j in range(n))


def feasible(problem: Problem, point: Sequence[Fraction]) -> bool:
    for j, value in enumerate(point):
        if value < 0 or value > problem.upper[j]:
            return False
    for constraint in problem.constraints:
        lhs = sum(
            (a * point[j] for j, a in constraint.coefficients.items()),
            Fraction(0),
        )
        if constraint.sense == "<=" and lhs > constraint.bound:
            return False
        if constraint.sense == ">=" and lhs < constraint.bound:
            return False
        if constraint.sense == "==" and lhs != constraint.bound:
            return False
    return True


def value_of(row: Row, point: Sequence[Fraction]) -> Fraction:
    return sum((a * point[j] for j, a in row.items()), Fraction(0))


def oracle(problem: Problem, objectives: Sequence[Row]) -> tuple[Fraction, ...] | None:
    """The lexicographic maximum of the objectives over all vertices, or ``None``."""
    n = problem.variables
    planes: set[Hyperplane] = set()
    for constraint in problem.constraints:
        planes.add((dense(constraint.coefficients, n), constraint.bound))
    for j in range(n):
        unit = tuple(Fraction(int(i == j)) for i in range(n))
        planes.add((unit, Fraction(0)))
        planes.add((unit, problem.upper[j]))
    best: tuple[Fraction, ...] | None = None
    for chosen in combinations(sorted(planes), n):
        point = solve_square(chosen)
        if point is None or not feasible(problem, point):
            continue
        score = tuple(value_of(row, point) for row in objectives)
        if best is None or score > best:
            best = score
    return best


def problems(
    coefficients: st.SearchStrategy[Fraction], bounds: st.SearchStrategy[Fraction]
) -> st.SearchStrategy[tuple[Problem, list[Row]]]:
    @st.composite
    def build(draw: st.DrawFn) -> tuple[Problem, list[Row]]:
        n = draw(st.integers(min_value=1, max_value=4))
        rows = st.dictionaries(st.integers(min_value=0, max_value=n - 1), coefficients)
        constraints = draw(
            st.lists(
                st.builds(Constraint, rows, st.sampled_from(["<=", ">=", "=="]), bounds),
                max_size=4,
            )
        )
        upper = draw(
            st.lists(st.integers(min_value=0, max_value=5).map(Fraction), min_size=n, max_size=n)
        )
        objective_rows = st.dictionaries(
            st.integers(min_value=0, max_value=n - 1),
            st.integers(min_value=-3, max_value=3).map(Fraction),
        )
        objectives: list[Row] = draw(st.lists(objective_rows, min_size=1, max_size=3))
        return Problem(n, tuple(constraints), dict(enumerate(upper))), objectives

    return build()


small = problems(
    st.integers(min_value=0, max_value=3).map(Fraction),
    st.integers(min_value=0, max_value=6).map(Fraction),
)
signed = problems(
    st.integers(min_value=-3, max_value=3).map(Fraction)
    | st.integers(min_value=-15, max_value=15).map(lambda k: Fraction(k, 5))
    | st.integers(min_value=-12, max_value=12).map(lambda k: Fraction(k, 4)),
    st.integers(min_value=-6, max_value=6).map(Fraction)
    | st.integers(min_value=-30, max_value=30).map(lambda k: Fraction(k, 5)),
)


def check_against_oracle(problem: Problem, objectives: list[Row]) -> None:
    expected = oracle(problem, objectives)
    if expected is None:
        with pytest.raises(Infeasible):
            maximise(problem, objectives)
        return
    solution = maximise(problem, objectives)
    assert solution.objectives == expected
    assert feasible(problem, solution.values)
    assert all(type(value) is Fraction for value in solution.values)
    assert solution.objectives == tuple(value_of(row, solution.values) for row in objectives)
    assert maximise(problem, objectives) == solution  # deterministic


@given(small)
def test_matches_vertex_oracle(case: tuple[Problem, list[Row]]) -> None:
    check_against_oracle(*case)


@given(signed)
def test_matches_vertex_oracle_with_signed_and_fractional_data(
    case: tuple[Problem, list[Row]],
) -> None:
    check_against_oracle(*case)


@given(signed)
def test_pure_bland_rule_matches_vertex_oracle(case: tuple[Problem, list[Row]]) -> None:
    with mock.patch.object(_lp, "_DEGENERATE_LIMIT", 0):
        check_against_oracle(*case)


@given(small)
def test_no_objectives_returns_a_feasible_point(case: tuple[Problem, list[Row]]) -> None:
    problem, _ = case
    try:
        solution = maximise(problem, [])
    except Infeasible:
        assert oracle(problem, []) is None
    else:
        assert solution == Solution(values=solution.values, objectives=())
        assert feasible(problem, solution.values)
