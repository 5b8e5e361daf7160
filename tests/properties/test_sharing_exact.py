"""Limited and consumed pools: the portfolio's assignment is the brute force's, exactly.

The oracle tries every assignment of the contested activities (the product of each one's
choices, in date order), scores each by evaluating every holding with the explained
engine, and keeps the first of the least score: earlier holdings for earlier activities
among equal scores. The portfolio must give the same assignment and the same evaluations
on every generated problem small enough to enumerate.
"""

import datetime as dt
import itertools
from decimal import Decimal

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from cperules import (
    Activity,
    AnniversaryCycle,
    Certification,
    Evaluation,
    Holding,
    Ledger,
    PolicyVersion,
    evaluate_portfolio,
)
from cperules._engine.history import History
from cperules.policy import CategoryNode
from cperules.portfolio import _Model, _Search, _sharing
from cperules.rules import Cap, Carryover, Minimum, Prerequisite, RepeatExclusion
from cperules.selectors import category, topic
from cperules.sharing import Sharing, SharingLimit
from cperules.testing.strategies import certifications, holdings, ledgers_for

POLICIES = certifications(max_versions=1, max_rules=3, cycle_kinds=("anniversary", "calendar"))
SHARINGS = st.one_of(
    st.just(Sharing(pool="p", mode="consumed")),
    st.builds(
        lambda default, limited: Sharing(
            pool="p",
            mode="limited",
            default=default,
            limits=(SharingLimit(selector=category("B"), holdings=limited),),
        ),
        st.integers(1, 2),
        st.integers(1, 2),
    ),
)
MOST_ASSIGNMENTS = 64
QUARTERS = [Decimal("0.25"), Decimal("2.5"), Decimal("7.75")]


def _score(evaluation: Evaluation) -> tuple[int, int, Decimal, Decimal, Decimal]:
    """The holder's ordering, read from the explained evaluation (the original scoring)."""
    bad = evaluation.standing.standing in {"expired", "lapsed"} or evaluation.status in {
        "non_compliant",
        "in_grace",
    }
    unmet = sum(1 for c in evaluation.cycles for r in c.requirements if not r.met)
    shortfall = sum((c.shortfall for c in evaluation.cycles), Decimal(0))
    counted = sum((c.counted for c in evaluation.cycles), Decimal(0))
    carried = sum((cc.credits for c in evaluation.cycles for cc in c.carried_out), Decimal(0))
    return (int(bad), unmet, shortfall, -counted, -carried)


def _brute_force(
    holdings: list[Holding], certifications: list[Certification], ledger: Ledger, as_of: dt.date
) -> tuple[list[tuple[str, tuple[str, ...]]], tuple[Evaluation, ...]] | None:
    """Every assignment in product order; the first of the least score (None: too many)."""
    resolved = list(zip(holdings, certifications, strict=True))
    sharing = [_sharing(c, h, as_of) for h, c in resolved]
    search = _Search(resolved, sharing, ledger, as_of, limit=0)
    for index in range(len(resolved)):
        search._score(index, {})  # finds which activities each holding could count
    contests = search._contests()
    ways = 1
    for contest in contests:
        ways *= len(contest.choices)
    if ways > MOST_ASSIGNMENTS:
        return None

    def evaluations(choice: tuple[tuple[int, ...], ...]) -> tuple[Evaluation, ...]:
        withheld = search._withheld(contests, choice)
        return tuple(
            History(c, h, ledger, as_of, withheld[i]).run() for i, (h, c) in enumerate(resolved)
        )

    best = None
    for choice in itertools.product(*(c.choices for c in contests)):
        found = evaluations(choice)
        scores = [_score(e) for e in found]
        total = tuple(sum(s[n] for s in scores) for n in range(5))
        if best is None or total < best[0]:
            best = (total, choice, found)
    assert best is not None
    served = [
        (contest.activity.id, tuple(search.ids[i] for i in choice))
        for contest, choice in zip(contests, best[1], strict=True)
    ]
    return served, best[2]


@settings(
    max_examples=150 if settings().max_examples >= 400 else 40,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(st.data())
def test_the_assignment_is_the_brute_force_optimum(data: st.DataObject) -> None:
    count = data.draw(st.integers(2, 3), label="holdings")
    # Half the time the holdings are of one policy under other ids, earned the same day:
    # every activity then fits them all and the contests are many.
    alike = data.draw(st.booleans(), label="alike")
    made: list[Certification] = []
    for n in range(count):
        certification = made[0] if alike and made else data.draw(POLICIES, label=f"policy {n}")
        sharing = data.draw(SHARINGS, label=f"sharing {n}")
        versions = tuple(v.model_copy(update={"sharing": sharing}) for v in certification.versions)
        made.append(certification.model_copy(update={"id": f"test/c{n}", "versions": versions}))
    pair = [data.draw(holdings(certification=c), label=f"holding {c.id}") for c in made]
    if alike:
        pair = [
            h.model_copy(update={"certification": c})
            for h, c in zip(pair[:1] * count, made, strict=True)
        ]
    start = max(h.earned for h in pair)
    as_of = data.draw(st.dates(min_value=start, max_value=start + dt.timedelta(days=900)))
    # Half the time the generic ledger strategy (boundaries, conversions, exclusions);
    # otherwise plain activities open to every holding, where contests are many.
    if data.draw(st.booleans(), label="generic ledger"):
        ledger = data.draw(
            ledgers_for(made[0], pair[0], max_size=4, as_of=as_of, fill_first_cycle=False),
            label="ledger",
        )
        ledger = Ledger([a.model_copy(update={"claimed_for": ()}) for a in ledger])
    else:
        earliest = min(h.earned for h in pair)
        ledger = Ledger(
            Activity(
                id=f"x{n}",
                title="Course",
                completed=data.draw(st.dates(min_value=earliest, max_value=as_of)),
                credits=data.draw(st.integers(1, 40).map(Decimal) | st.sampled_from(QUARTERS)),
                category=data.draw(st.sampled_from(["A", "B"])),
            )
            for n in range(data.draw(st.integers(1, 5), label="activities"))
        )
    if ledger and data.draw(st.booleans(), label="twins"):
        # A twin of some activity (equal but for its id), the case the search reduces.
        original = data.draw(st.sampled_from(list(ledger)), label="twin of")
        ledger = Ledger([*ledger, original.model_copy(update={"id": original.id + "~"})])
    expected = _brute_force(pair, made, ledger, as_of)
    assume(expected is not None)
    assert expected is not None
    served, evaluations = expected
    result = evaluate_portfolio(pair, ledger, as_of=as_of)
    assert [(a.activity_id, a.serves) for a in result.assignments] == served
    assert result.evaluations == evaluations
    assert result.notes == ()
    event(f"contests: {len(result.assignments)}")


# Holdings whose score the exact method models (one minimum, caps by category, the cycle
# in progress, a carryover out of it, prerequisites and repeat rules that the contested
# activities do not touch): the method, not the brute-force fallback, decides them.
CATEGORIES = ("A", "B", "C")


@st.composite
def simple_certifications(draw: st.DrawFn, n: int) -> Certification:
    caps = tuple(
        Cap(
            id=f"cap-{code}",
            selector=category(code),
            credits=Decimal(draw(st.integers(1, 12))),
            scope=draw(st.sampled_from(["cycle", "year"])),
        )
        for code in draw(st.lists(st.sampled_from(CATEGORIES[:2]), unique=True, max_size=2))
    )
    minimum = draw(st.one_of(st.none(), st.integers(1, 30)))
    rules = (*(() if minimum is None else (Minimum(id="total", credits=Decimal(minimum)),)), *caps)
    # Conditions that read activities the ledger below never contests for them: a
    # prerequisite no activity meets (none has a validity) and a repeat rule (titles are
    # distinct, and no twin is drawn with it).
    if draw(st.booleans(), label="prerequisite"):
        rules = (*rules, Prerequisite(id="cpr", selector=topic("cpr")))
    if draw(st.booleans(), label="repeats"):
        rules = (*rules, RepeatExclusion(id="repeats"))
    carryover = draw(
        st.none()
        | st.builds(
            Carryover,
            selector=st.sampled_from([category("A", "B", "C"), category("A")]),
            window_months=st.none() | st.integers(3, 9),
            cap=st.none() | st.integers(0, 12).map(Decimal) | st.just(Decimal("2.5")),
        ),
        label="carryover",
    )
    version = PolicyVersion(
        effective_from=dt.date(2000, 1, 1),
        cycle=AnniversaryCycle(years=draw(st.integers(1, 3))),
        categories=tuple(CategoryNode(code=code) for code in CATEGORIES),
        rules=rules,
        carryover=carryover,
        sharing=draw(SHARINGS),
    )
    return Certification(id=f"test/s{n}", name="S", body="Test", unit="CE", versions=(version,))


@settings(
    max_examples=200 if settings().max_examples >= 400 else 50,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(st.data())
def test_simple_holdings_are_assigned_exactly_as_the_brute_force_does(
    data: st.DataObject,
) -> None:
    made = [data.draw(simple_certifications(n), label=f"policy {n}") for n in range(3)][
        : data.draw(st.integers(2, 3), label="holdings")
    ]
    earned = dt.date(2021, 1, 1)
    pair = [Holding(certification=c, earned=earned) for c in made]
    as_of = data.draw(st.dates(min_value=earned, max_value=dt.date(2021, 12, 31)), label="as_of")
    drafts = data.draw(
        st.lists(
            st.tuples(
                st.dates(min_value=earned, max_value=as_of),
                st.integers(1, 12).map(Decimal) | st.sampled_from(QUARTERS),
                st.sampled_from(CATEGORIES),
            ),
            min_size=1,
            max_size=6,
        ),
        label="activities",
    )
    activities = [
        Activity(id=f"x{n}", title=f"Course {n}", completed=day, credits=credits, category=code)
        for n, (day, credits, code) in enumerate(drafts)
    ]
    repeats = any(isinstance(r, RepeatExclusion) for c in made for r in c.versions[0].rules)
    if not repeats and data.draw(st.booleans(), label="twin"):
        activities.append(activities[0].model_copy(update={"id": "x0~"}))
    ledger = Ledger(activities)
    expected = _brute_force(pair, made, ledger, as_of)
    assume(expected is not None)
    assert expected is not None
    served, evaluations = expected
    resolved = list(zip(pair, made, strict=True))
    search = _Search(resolved, [_sharing(c, h, as_of) for h, c in resolved], ledger, as_of, 0)
    found, assignments, notes = search.run()
    assert [(a.activity_id, a.serves) for a in assignments] == served
    assert found == evaluations
    assert notes == ()
    if assignments:
        # The exact method decided it (a search limit of 0 leaves nothing else exact).
        assert all(isinstance(model, _Model) for model in search._models.values())
    event(f"contests: {len(assignments)}")
