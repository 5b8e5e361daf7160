"""The exact assignment's branch and bound against every assignment, on integer problems.

``cperules._engine.assignment.solve`` must return the first least-score assignment in
product order: here the oracle enumerates the product of the contests' choices directly
on the integer model (no engine), so problems can be larger and tighter than the
portfolio's oracle allows: few holdings short by little, whole activities that overshoot,
caps that waste credit, activities that serve two holdings.
"""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from cperules._engine.assignment import Contest, HoldingModel, _Solver, core_score, solve


@st.composite
def problems(draw: st.DrawFn) -> tuple[list[HoldingModel], list[Contest]]:
    holdings = draw(st.integers(2, 4), label="holdings")
    groups = draw(st.integers(1, 3), label="groups")
    models = []
    for _ in range(holdings):
        base = tuple(draw(st.integers(0, 3)) for _ in range(groups))
        # Some holdings carry their surplus out (part of their credit may carry).
        carry = draw(st.booleans(), label="carry")
        models.append(
            HoldingModel(
                caps=tuple(draw(st.none() | st.integers(1, 9)) for _ in range(groups)),
                base=base,
                required=draw(st.none() | st.integers(1, 16)),
                carry=carry,
                carry_base=tuple(draw(st.integers(0, b)) for b in base) if carry else (),
                carry_cap=draw(st.none() | st.integers(0, 8)) if carry else None,
            )
        )
    contests = []
    # Total choices kept small enough to enumerate: at most about 4,000 assignments.
    size = draw(st.integers(1, 7), label="contests")
    for _ in range(size):
        eligible = sorted(
            draw(st.sets(st.integers(0, holdings - 1), min_size=2, max_size=holdings))
        )
        allowance = draw(st.integers(1, len(eligible) - 1))
        same = draw(st.booleans())
        group = draw(st.integers(0, groups - 1))
        amount = draw(st.integers(1, 6))
        lands = {
            h: (group, amount)
            if same
            else (draw(st.integers(0, groups - 1)), draw(st.integers(1, 6)))
            for h in eligible
        }
        carries = frozenset(h for h in eligible if models[h].carry and draw(st.booleans()))
        contests.append(
            Contest(
                choices=tuple(itertools.combinations(eligible, allowance)),
                lands=lands,
                allowance=allowance,
                carries=carries,
            )
        )
    ways = 1
    for contest in contests:
        ways *= len(contest.choices)
    if ways > 4096:
        contests = contests[:3]
    return models, contests


def _brute_force(
    models: list[HoldingModel], contests: list[Contest]
) -> tuple[list[int], tuple[int, int, int, int]]:
    best: tuple[tuple[int, int, int, int], list[int]] | None = None
    for picks in itertools.product(*(range(len(c.choices)) for c in contests)):
        sums = [list(m.base) for m in models]
        carriable = [list(m.carry_base or [0] * len(m.caps)) for m in models]
        for contest, pick in zip(contests, picks, strict=True):
            for holding in contest.choices[pick]:
                group, amount = contest.lands[holding]
                sums[holding][group] += amount
                if holding in contest.carries:
                    carriable[holding][group] += amount
        scores = [core_score(m, s, c) for m, s, c in zip(models, sums, carriable, strict=True)]
        score = (
            sum(s[0] for s in scores),
            sum(s[1] for s in scores),
            sum(s[2] for s in scores),
            sum(s[3] for s in scores),
        )
        if best is None or (score, list(picks)) < best:
            best = (score, list(picks))
    assert best is not None
    return best[1], best[0]


@settings(max_examples=300 if settings().max_examples >= 400 else 150, deadline=None)
@given(problems())
def test_solve_is_the_first_least_assignment(
    problem: tuple[list[HoldingModel], list[Contest]],
) -> None:
    models, contests = problem
    assert solve(models, contests, budget=10**9) == _brute_force(models, contests)


@settings(max_examples=300 if settings().max_examples >= 400 else 150, deadline=None)
@given(problems())
def test_a_tight_budget_gives_up_or_is_exact(
    problem: tuple[list[HoldingModel], list[Contest]],
) -> None:
    models, contests = problem
    found = solve(models, contests, budget=8)
    assert found is None or found == _brute_force(models, contests)


@settings(max_examples=300 if settings().max_examples >= 400 else 150, deadline=None)
@given(problems())
def test_the_dive_finds_the_answer_exactly_when_it_scores_the_root_bound(
    problem: tuple[list[HoldingModel], list[Contest]],
) -> None:
    """With budget to spare, the dive finds the brute force's answer or says none scores
    the root's bound; the state it leaves lets the search find the same answer."""
    models, contests = problem
    expected = _brute_force(models, contests)
    solver = _Solver(models, contests, 10**9)
    floor = solver.bound(0)
    picks = solver.dive(floor, 10**9)
    if picks is None:
        assert expected[1] > floor
    else:
        assert (picks, floor) == expected
    solver.greedy()
    assert solver.search(0)
    assert (solver.best_picks, solver.best) == expected
