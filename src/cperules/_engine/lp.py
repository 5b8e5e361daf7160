"""An exact, lexicographic linear-programming solver for the allocation engine.

Credits come in 0.2- and 0.25-credit steps, so the allocation program is solved with
exact rational arithmetic: coefficients become :class:`~fractions.Fraction` at the
boundary and floats are refused.

One concept, kept in one module over 600 lines: the simplex tableau, its pivoting and the
lexicographic objectives share one representation that splitting would only expose.

The method is the bounded-variable primal simplex on a dense tableau. Each tableau row
is held as a list of integer numerators over one positive row denominator, so that a
pivot costs integer multiplications (much cheaper than :class:`~fractions.Fraction`
arithmetic), only the pivot row's nonzero columns change when no rescaling is needed,
and rows whose pivot-column entry is zero are not touched at all. Rows are reduced to
lowest terms lazily, once their denominator grows large. Basic values are kept as
fractions. Upper bounds are handled by the bounded-variable ratio test (a variable may
sit at either bound) rather than by extra rows.

* Phase 1 maximises minus the sum of artificial variables, one per row whose slack
  cannot start in the basis; a negative optimum means :class:`Infeasible`. Afterwards
  the artificials are pinned to zero (they have no column, so they never re-enter).
* Objectives are optimised in order on the same tableau. After objective ``k`` is
  optimal, every nonbasic column whose reduced cost is nonzero is frozen at its bound:
  the optimal face of objective ``k`` is exactly the feasible region with those columns
  fixed, so later objectives only choose among objective ``k``'s optima.
* Entering columns are priced by Devex (reduced cost squared over a reference weight,
  kept in integer fixed point: it steers the choice, never the arithmetic), which needs
  far fewer pivots than Dantzig's rule. After a run of degenerate pivots the solver
  falls back to Bland's rule (smallest improving index; ratio-test ties go to the
  smallest basic index) until the objective strictly improves again, so it cannot
  cycle.
* The answer is checked against every constraint and bound before it is returned, and
  the objective values are computed from it directly.

Everything iterates by index, so the same problem always gives the same solution.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Literal, get_args

from cperules._model import FrozenDict

__all__ = [
    "Constraint",
    "Infeasible",
    "Problem",
    "Row",
    "Sense",
    "Solution",
    "Unbounded",
    "maximise",
]

Row = Mapping[int, Fraction]
"""A sparse row: variable index -> coefficient."""

Sense = Literal["<=", ">=", "=="]
"""How a constraint's left-hand side compares with its bound."""

_SENSES: tuple[Sense, ...] = get_args(Sense)

_DEGENERATE_LIMIT = 32
"""Consecutive degenerate pivots under Dantzig's rule before Bland's rule takes over."""

_DEVEX_ONE = 1 << 16
"""A Devex weight of one, in the integer fixed point the weights are kept in."""

_LAZY_BITS = 60
"""Rows are reduced to lowest terms only once their denominator reaches this many bits."""

_ZERO = Fraction(0)

_FLIP = -1
"""Ratio-test outcome: the entering variable reaches its own bound (no pivot)."""


class Infeasible(Exception):
    """The constraints admit no solution."""


class Unbounded(Exception):
    """An objective is unbounded above on the region left by the earlier objectives."""


def _exact(value: object, what: str) -> Fraction:
    """Return ``value`` as a :class:`~fractions.Fraction`, refusing floats.

    Args:
        value: An ``int``, :class:`~fractions.Fraction` or :class:`~decimal.Decimal`.
        what: Names the value in error messages.

    Returns:
        The exact rational value.

    Raises:
        TypeError: ``value`` is a float or not a number.
        ValueError: ``value`` is a non-finite Decimal.

    >>> _exact(Decimal("0.2"), "a bound")
    Fraction(1, 5)
    """
    if isinstance(value, float):
        raise TypeError(f"{what} must be exact: pass a Fraction, Decimal or int, not {value!r}")
    if not isinstance(value, Fraction | Decimal | int):
        raise TypeError(f"{what} must be a Fraction, Decimal or int, got {value!r}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{what} must be finite, got {value}")
    return Fraction(value)


def _exact_row(row: Mapping[int, object], what: str) -> FrozenDict[int, Fraction]:
    """Return ``row`` with exact coefficients and its indices in ascending order.

    Args:
        row: Variable index -> coefficient.
        what: Names the row in error messages.

    Returns:
        An immutable copy of the row.

    Raises:
        TypeError: An index is not an ``int`` or a coefficient is not exact.
    """
    for index in row:
        if not isinstance(index, int) or isinstance(index, bool):
            raise TypeError(f"{what}: variable indices must be ints, got {index!r}")
    return FrozenDict(
        {index: _exact(row[index], f"{what}, variable {index}") for index in sorted(row)}
    )


def _check_indices(row: Mapping[int, object], variables: int, what: str) -> None:
    """Raise :class:`ValueError` if ``row`` names a variable outside ``0..variables-1``.

    Args:
        row: Variable index -> coefficient.
        variables: The number of variables in the problem.
        what: Names the row in error messages.
    """
    for index in row:
        if not 0 <= index < variables:
            raise ValueError(
                f"{what} refers to variable {index}, but the problem has {variables} "
                f"variable(s), numbered 0 to {variables - 1}"
            )


@dataclass(frozen=True, slots=True)
class Constraint:
    """One linear constraint ``sum(coefficients[i] * x[i]) <sense> bound``.

    Coefficients and bound may be given as ``int``, :class:`~fractions.Fraction` or
    :class:`~decimal.Decimal`; they are stored as fractions, indices in ascending order.

    >>> Constraint({1: Decimal("0.25"), 0: 1}, ">=", 2)
    Constraint(coefficients={0: Fraction(1, 1), 1: Fraction(1, 4)}, sense='>=',
               bound=Fraction(2, 1))
    """

    coefficients: Row
    sense: Sense
    bound: Fraction

    def __post_init__(self) -> None:
        """Validate the sense and make the coefficients and bound exact."""
        if self.sense not in _SENSES:
            raise ValueError(f"a constraint's sense must be one of {_SENSES}, got {self.sense!r}")
        object.__setattr__(self, "coefficients", _exact_row(self.coefficients, "a constraint"))
        object.__setattr__(self, "bound", _exact(self.bound, "a constraint's bound"))


@dataclass(frozen=True, slots=True)
class Problem:
    """A linear program's feasible region: ``variables`` unknowns, all ``>= 0``.

    ``upper`` gives optional upper bounds (variable index -> bound). A constraint or bound
    that names a variable outside ``0..variables-1``, or a negative upper bound, raises
    :class:`ValueError`.

    >>> Problem(variables=1, constraints=(), upper={0: 3}).upper
    {0: Fraction(3, 1)}
    """

    variables: int
    constraints: tuple[Constraint, ...]
    upper: Mapping[int, Fraction] = field(default_factory=FrozenDict[int, Fraction])

    def __post_init__(self) -> None:
        """Validate indices and bounds, and make the upper bounds exact."""
        if not isinstance(self.variables, int) or isinstance(self.variables, bool):
            raise TypeError(f"the number of variables must be an int, got {self.variables!r}")
        if self.variables < 0:
            raise ValueError(f"the number of variables must be >= 0, got {self.variables}")
        constraints = tuple(self.constraints)
        for position, constraint in enumerate(constraints):
            if not isinstance(constraint, Constraint):
                raise TypeError(f"constraint {position} is not a Constraint: {constraint!r}")
            _check_indices(constraint.coefficients, self.variables, f"constraint {position}")
        upper = _exact_row(self.upper, "an upper bound")
        _check_indices(upper, self.variables, "an upper bound")
        for index, bound in upper.items():
            if bound < 0:
                raise ValueError(f"the upper bound of variable {index} is negative: {bound}")
        object.__setattr__(self, "constraints", constraints)
        object.__setattr__(self, "upper", upper)


@dataclass(frozen=True, slots=True)
class Solution:
    """An optimal point and the optimum of each objective, in order."""

    values: tuple[Fraction, ...]
    objectives: tuple[Fraction, ...]


def maximise(problem: Problem, objectives: Sequence[Row]) -> Solution:
    """Maximise ``objectives`` lexicographically over ``problem``'s feasible region.

    ``objectives[0]`` is maximised first; among its optima ``objectives[1]`` is maximised,
    and so on. With no objectives, any feasible point is returned. Coefficients may be
    ``int``, :class:`~fractions.Fraction` or :class:`~decimal.Decimal`.

    Args:
        problem: The variables, constraints and upper bounds.
        objectives: Sparse objective rows (variable index -> coefficient), most important
            first.

    Returns:
        A point that attains every objective's lexicographic optimum, with those optima.

    Raises:
        Infeasible: The constraints admit no solution.
        Unbounded: An objective is unbounded above (the message names it by index).
        ValueError: An objective names a variable outside the problem.
        AssertionError: The point found breaks a constraint; this would be a bug, and
            the final check is there so that it can never pass silently.

    Maximise ``x + y`` with ``x + y <= 3/2`` and ``x <= 1``; among those optima prefer
    more ``y``:

    >>> half = Fraction(1, 2)
    >>> problem = Problem(
    ...     variables=2,
    ...     constraints=(Constraint({0: 1, 1: 1}, "<=", 1 + half),),
    ...     upper={0: 1},
    ... )
    >>> solution = maximise(problem, [{0: 1, 1: 1}, {1: 1}])
    >>> solution.values
    (Fraction(0, 1), Fraction(3, 2))
    >>> solution.objectives
    (Fraction(3, 2), Fraction(3, 2))
    """
    rows: list[FrozenDict[int, Fraction]] = []
    for position, objective in enumerate(objectives):
        row = _exact_row(objective, f"objective {position}")
        _check_indices(row, problem.variables, f"objective {position}")
        rows.append(row)
    tableau = _Tableau(problem)
    if not tableau.phase_one():
        raise Infeasible("phase 1 found no feasible point: the constraints admit no solution")
    for position, row in enumerate(rows):
        if not tableau.optimise(row):
            raise Unbounded(f"objective {position} is unbounded above")
    values = tableau.values()
    _verify(problem, values)
    return Solution(
        values=values,
        objectives=tuple(
            sum((coefficient * values[index] for index, coefficient in row.items()), Fraction(0))
            for row in rows
        ),
    )


def _verify(problem: Problem, values: tuple[Fraction, ...]) -> None:
    """Raise :class:`AssertionError` unless ``values`` satisfies ``problem`` exactly.

    Args:
        problem: The problem that was solved.
        values: One value per variable.
    """
    if len(values) != problem.variables:
        raise AssertionError(f"expected {problem.variables} values, got {len(values)}")
    for index, value in enumerate(values):
        bound = problem.upper.get(index)
        if value < 0 or (bound is not None and value > bound):
            raise AssertionError(f"variable {index} = {value} is outside its bounds")
    for position, constraint in enumerate(problem.constraints):
        lhs = sum(
            (coefficient * values[index] for index, coefficient in constraint.coefficients.items()),
            Fraction(0),
        )
        holds = {
            "<=": lhs <= constraint.bound,
            ">=": lhs >= constraint.bound,
            "==": lhs == constraint.bound,
        }[constraint.sense]
        if not holds:
            raise AssertionError(
                f"constraint {position} fails: {lhs} {constraint.sense} {constraint.bound}"
            )


def _reduce(row: list[int], denominator: int) -> int:
    """Divide ``row`` (in place) and ``denominator`` by their common factor.

    Args:
        row: Integer numerators, changed in place.
        denominator: The row's positive denominator.

    Returns:
        The reduced denominator.
    """
    if denominator == 1:
        return 1
    common = math.gcd(denominator, *row)
    if common > 1:
        row[:] = [entry // common for entry in row]
        denominator //= common
    return denominator


def _eliminate(
    row: list[int],
    denominator: int,
    column: int,
    *,
    pivot_row: list[int],
    nonzero: list[tuple[int, int]],
    scale: int,
) -> int:
    """Subtract a multiple of the normalised pivot row from ``row`` to clear ``column``.

    Args:
        row: The numerators to update in place.
        denominator: Their denominator.
        column: The pivot column.
        pivot_row: The pivot row's numerators, whose ``column`` entry is ``scale``.
        nonzero: The pivot row's nonzero ``(column, numerator)`` pairs.
        scale: The pivot row's denominator.

    Returns:
        The row's new denominator.
    """
    factor = row[column]
    common = math.gcd(factor, scale)
    factor //= common
    scale //= common
    if scale == 1:
        # Only the pivot row's nonzero columns change.
        for j, a in nonzero:
            row[j] -= factor * a
        return denominator
    row[:] = [x * scale - factor * a for x, a in zip(row, pivot_row, strict=True)]
    denominator *= scale
    if denominator >> _LAZY_BITS:
        return _reduce(row, denominator)
    return denominator


class _Tableau:
    """A bounded-variable simplex tableau with exact integer rows.

    Variables are numbered: the problem's own ``0..n-1``, then one slack per inequality
    (``n..columns-1``), then one artificial per row that needs one. Artificials never
    enter the basis once they leave, so they have no tableau column. Row ``i`` expresses
    ``basis[i]`` (current value ``basic_values[i]``) through the nonbasic columns: it
    stands for ``sum(rows[i][j] / denominators[i] * x[j])`` (plus its artificial, if it
    has one) ``= constant``. Nonbasic variables sit at zero, or at their upper bound when
    ``at_upper`` says so.
    """

    __slots__ = (
        "artificials",
        "at_upper",
        "basic_values",
        "basis",
        "columns",
        "denominators",
        "eligible",
        "rows",
        "upper",
        "variables",
    )

    def __init__(self, problem: Problem) -> None:
        """Set up the tableau with slacks (or artificials) as the starting basis."""
        n = problem.variables
        columns = n + sum(1 for c in problem.constraints if c.sense != "==")
        self.variables = n
        self.columns = columns
        self.rows: list[list[int]] = []
        self.denominators: list[int] = []
        self.basis: list[int] = []
        self.basic_values: list[Fraction] = []
        self.upper: list[Fraction | None] = [problem.upper.get(j) for j in range(n)]
        self.upper += [None] * (columns - n)
        self.artificials: list[int] = []
        slack = n
        for constraint in problem.constraints:
            coefficients = {j: a for j, a in constraint.coefficients.items() if a}
            rhs = constraint.bound
            basic = -1
            # Multiply the row by ``flip`` so that its basic variable starts at a value >= 0.
            flip = -1 if rhs < 0 else 1
            if constraint.sense != "==":
                sign = 1 if constraint.sense == "<=" else -1
                coefficients[slack] = Fraction(sign)
                if sign * rhs >= 0:
                    # The slack's coefficient becomes +1 and it starts in the basis.
                    flip, basic = sign, slack
                slack += 1
            if basic < 0:
                basic = columns + len(self.artificials)
                self.artificials.append(basic)
                self.upper.append(None)
            denominator = math.lcm(*(a.denominator for a in coefficients.values()))
            row = [0] * columns
            for j, a in coefficients.items():
                row[j] = flip * a.numerator * (denominator // a.denominator)
            self.rows.append(row)
            self.denominators.append(_reduce(row, denominator))
            self.basis.append(basic)
            self.basic_values.append(flip * rhs)
        self.at_upper = [False] * len(self.upper)
        self.eligible = [self.upper[j] != 0 for j in range(columns)]

    def phase_one(self) -> bool:
        """Drive the artificials to zero; return ``False`` if that is impossible.

        Returns:
            Whether the constraints are feasible.
        """
        if self.artificials:
            bounded = self.optimise(dict.fromkeys(self.artificials, Fraction(-1)))
            if not bounded:  # pragma: no cover - minus a sum of nonnegatives is bounded
                raise AssertionError("phase 1 cannot be unbounded")
            for var, value in zip(self.basis, self.basic_values, strict=True):
                if var >= self.columns and value:
                    return False
            # Artificials are pinned at zero: a pivot may move them out, never up.
            for var in self.artificials:
                self.upper[var] = Fraction(0)
        return True

    def values(self) -> tuple[Fraction, ...]:
        """Return the current value of each of the problem's own variables."""
        values: list[Fraction] = []
        for j in range(self.variables):
            bound = self.upper[j]
            values.append(bound if self.at_upper[j] and bound is not None else Fraction(0))
        for var, value in zip(self.basis, self.basic_values, strict=True):
            if var < self.variables:
                values[var] = value
        return tuple(values)

    def _reduced_costs(self, cost: Mapping[int, Fraction]) -> tuple[list[int], int]:
        """Price out the basis: return the reduced-cost row for ``cost``.

        Args:
            cost: Variable number -> objective coefficient (absent means zero).

        Returns:
            Integer numerators (one per column) and their positive denominator.
        """
        costs = [cost.get(j, _ZERO) for j in range(self.columns)]
        denominator = math.lcm(*(c.denominator for c in costs))
        reduced = [c.numerator * (denominator // c.denominator) for c in costs]
        for i, var in enumerate(self.basis):
            basic_cost = cost.get(var)
            if not basic_cost:
                continue
            # reduced/denominator - basic_cost * row/row_denominator, over a common base.
            row, row_denominator = self.rows[i], self.denominators[i]
            scale = basic_cost.denominator * row_denominator
            factor = basic_cost.numerator * denominator
            reduced = [r * scale - factor * a for r, a in zip(reduced, row, strict=True)]
            denominator = _reduce(reduced, denominator * scale)
        return reduced, denominator

    def optimise(self, cost: Mapping[int, Fraction]) -> bool:
        """Maximise ``cost`` over the current face, then freeze its non-optimal columns.

        Args:
            cost: Variable number -> objective coefficient (absent means zero).

        Returns:
            ``False`` if the objective is unbounded above, else ``True``.
        """
        reduced, denominator = self._reduced_costs(cost)
        weights = [_DEVEX_ONE] * self.columns
        degenerate = 0
        while True:
            bland = degenerate >= _DEGENERATE_LIMIT
            entering = self._entering(reduced, weights, bland=bland)
            if entering < 0:
                break
            increasing = reduced[entering] > 0
            step = self._ratio_test(entering, increasing=increasing)
            if step is None:
                return False
            leaving, amount, to_upper = step
            degenerate = 0 if amount else degenerate + 1
            if leaving == _FLIP:
                self._move(entering, leaving, amount, to_upper, increasing=increasing)
                continue
            departing = self.basis[leaving]
            self._move(entering, leaving, amount, to_upper, increasing=increasing)
            denominator = self._pivot(leaving, entering, reduced, denominator)
            self._reweigh(weights, leaving, entering, departing)
        for j in range(self.columns):
            r = reduced[j]
            if r and self.eligible[j] and (r > 0) == self.at_upper[j]:
                self.eligible[j] = False
        return True

    def _entering(self, reduced: list[int], weights: list[int], *, bland: bool) -> int:
        """Choose the entering column, or return ``-1`` if the current basis is optimal.

        Args:
            reduced: The objective's reduced-cost numerators.
            weights: Devex reference weights, one per column.
            bland: Take the smallest improving index (Bland's rule) rather than the one
                with the largest ``reduced[j] ** 2 / weights[j]`` (Devex pricing).

        Returns:
            A column index, or ``-1``.
        """
        best, best_square, best_weight = -1, 0, 1
        for j, (r, eligible, at_upper) in enumerate(
            zip(reduced, self.eligible, self.at_upper, strict=False)
        ):
            if not r or not eligible or (r > 0) == at_upper:
                continue
            if bland:
                return j
            square, weight = r * r, weights[j]
            if square * best_weight > best_square * weight:
                best, best_square, best_weight = j, square, weight
        return best

    def _reweigh(self, weights: list[int], r: int, c: int, departing: int) -> None:
        """Update the Devex weights after a pivot on row ``r``, column ``c``.

        With ``alpha`` the pivot row before the pivot, column ``j`` gets
        ``max(w[j], (alpha[j] / alpha[c]) ** 2 * w[c])`` and the departing variable gets
        ``max(w[c] / alpha[c] ** 2, 1)``. The normalised pivot row holds exactly these
        ratios, so integer fixed point (``_DEVEX_ONE`` is 1) suffices: the weights only
        steer the choice of column, never the arithmetic of the solution.

        Args:
            weights: The weights, updated in place.
            r: The pivot row (already normalised).
            c: The entering column.
            departing: The variable that left the basis.
        """
        row, square = self.rows[r], self.denominators[r] ** 2
        entering = weights[c]
        for j, a in enumerate(row):
            if a and j != c:
                weight = a * a * entering // square
                weights[j] = max(weights[j], weight)
        if departing < self.columns:
            weights[departing] = max(row[departing] ** 2 * entering // square, _DEVEX_ONE)

    def _ratio_test(self, entering: int, *, increasing: bool) -> tuple[int, Fraction, bool] | None:
        """Find how far ``entering`` can move and which variable blocks it.

        Ties go to the entering variable's own bound, then to the smallest basic variable.

        Args:
            entering: The entering column.
            increasing: Whether it moves up from zero (else down from its upper bound).

        Returns:
            ``(row or _FLIP, step, leaves_at_upper)``, or ``None`` if nothing blocks it.
        """
        best_row, best_num, best_den, best_var, to_upper = _FLIP, 0, 0, -1, False
        bound = self.upper[entering]
        if bound is not None:
            best_num, best_den = bound.numerator, bound.denominator
        for i, row in enumerate(self.rows):
            rate = row[entering]
            if not rate:
                continue
            if not increasing:
                rate = -rate
            var = self.basis[i]
            if rate > 0:
                # The basic variable falls towards zero.
                room = self.basic_values[i]
                hits_upper = False
            else:
                var_bound = self.upper[var]
                if var_bound is None:
                    continue
                room = var_bound - self.basic_values[i]
                hits_upper = True
                rate = -rate
            num, den = room.numerator * self.denominators[i], room.denominator * rate
            if best_den:
                left, right = num * best_den, best_num * den
                if left > right or (left == right and (best_row == _FLIP or var > best_var)):
                    continue
            best_row, best_num, best_den, best_var, to_upper = i, num, den, var, hits_upper
        if not best_den:
            return None
        return best_row, Fraction(best_num, best_den), to_upper

    def _move(
        self, entering: int, leaving: int, amount: Fraction, to_upper: bool, *, increasing: bool
    ) -> None:
        """Move ``entering`` by ``amount`` and update the basic values and bound flags.

        Args:
            entering: The entering column.
            leaving: The row whose basic variable leaves, or ``_FLIP``.
            amount: How far ``entering`` moves (``>= 0``).
            to_upper: Whether the leaving variable ends at its upper bound.
            increasing: The direction ``entering`` moves in.
        """
        delta = amount if increasing else -amount
        if delta:
            for i, row in enumerate(self.rows):
                rate = row[entering]
                if rate:
                    self.basic_values[i] -= Fraction(rate, self.denominators[i]) * delta
        if leaving == _FLIP:
            self.at_upper[entering] = not self.at_upper[entering]
            return
        start = self.upper[entering] if self.at_upper[entering] else None
        self.at_upper[entering] = False
        self.at_upper[self.basis[leaving]] = to_upper
        self.basis[leaving] = entering
        self.basic_values[leaving] = (start or Fraction(0)) + delta

    def _pivot(self, r: int, c: int, reduced: list[int], denominator: int) -> int:
        """Pivot on row ``r``, column ``c``, updating every row and ``reduced`` in place.

        Args:
            r: The pivot row.
            c: The pivot column.
            reduced: The current objective's reduced-cost numerators.
            denominator: Their denominator.

        Returns:
            The new denominator of ``reduced``.
        """
        pivot_row = self.rows[r]
        pivot = pivot_row[c]
        if pivot < 0:
            pivot_row[:] = [-a for a in pivot_row]
            pivot = -pivot
        scale = _reduce(pivot_row, pivot)
        self.denominators[r] = scale
        nonzero = [(j, a) for j, a in enumerate(pivot_row) if a]
        for i, row in enumerate(self.rows):
            if i != r and row[c]:
                self.denominators[i] = _eliminate(
                    row, self.denominators[i], c, pivot_row=pivot_row, nonzero=nonzero, scale=scale
                )
        # The entering column's reduced cost is nonzero, so the objective row always changes.
        return _eliminate(
            reduced, denominator, c, pivot_row=pivot_row, nonzero=nonzero, scale=scale
        )
