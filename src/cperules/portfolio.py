"""Several certifications at once: one ledger, several holdings, one combined view.

:func:`evaluate_portfolio` evaluates a ledger for every holding. By default an activity is
claimable by every holding whose rules accept it (an activity's ``claimed_for`` narrows
that). Where holdings' policies name the same sharing pool with a ``limited`` or
``consumed`` mode (:mod:`cperules.sharing`), an activity may serve only so many of them;
then the engine chooses which holdings each contested activity serves, holder-optimally
by the same ordering as within one cycle: as many holdings in good standing as possible,
then as few unmet requirements, then the least total shortfall, then the most credit
counted and carried; among equal ones, earlier holdings for earlier activities. Holdings
with a simple score are assigned exactly by branch and bound
(``cperules._engine.assignment``); see :data:`SEARCH_LIMIT` for the rest. Each
holding's result says where the activity went instead (reason ``assigned-elsewhere``).

>>> import datetime as dt
>>> from decimal import Decimal
>>> from cperules import Activity, AnniversaryCycle, Certification, Holding, Ledger, PolicyVersion
>>> from cperules.rules import Minimum
>>> from cperules.sharing import Sharing
>>> def cert(name, total):
...     version = PolicyVersion(effective_from=dt.date(2000, 1, 1),
...         cycle=AnniversaryCycle(years=1), rules=(Minimum(id="total", credits=Decimal(total)),),
...         sharing=Sharing(pool="demo", mode="consumed"))
...     return Certification(id=f"demo/{name}", name=name, body="Demo", unit="CE",
...                          versions=(version,))
>>> ledger = Ledger([Activity(id=f"c{i}", title="Course", completed=dt.date(2024, 3, i + 1),
...                           credits=Decimal(10)) for i in range(3)])
>>> holdings = [Holding(certification=cert("low", 10), earned=dt.date(2024, 1, 1)),
...             Holding(certification=cert("high", 20), earned=dt.date(2024, 1, 1))]
>>> result = evaluate_portfolio(holdings, ledger, as_of=dt.date(2024, 12, 31))
>>> [(e.certification, e.status) for e in result.evaluations]
[('demo/low', 'compliant'), ('demo/high', 'compliant')]
>>> {use.activity_id: use.certifications for use in result.uses()}
{'c0': ('demo/low',), 'c1': ('demo/high',), 'c2': ('demo/high',)}
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pydantic import Field, PrivateAttr

from cperules._engine import assignment as exact_assignment
from cperules._engine.allocation import Matcher, memberships
from cperules._engine.history import History, resolve
from cperules._model import FrozenModel, ResultModel, render
from cperules.days import check_day
from cperules.errors import ArgumentError, PolicyError, did_you_mean
from cperules.holders import Holding, require_holding
from cperules.ledger import Activity, Ledger, require_ledger
from cperules.policy import Certification
from cperules.results import STATUS_WORDS, Deadline, Evaluation, Need, Status
from cperules.rules import Prerequisite, RepeatExclusion
from cperules.sharing import Sharing
from cperules.verdicts import Verdict

__all__ = [
    "ActivityUse",
    "Assignment",
    "HoldingNeed",
    "Plan",
    "PortfolioEvaluation",
    "SharedNeed",
    "evaluate_portfolio",
]

SEARCH_LIMIT = 4096
"""The most complete assignments tried one by one where the exact method does not apply.

Holdings with a simple score (see :doc:`/explanation/sharing-and-renewal`) are assigned
exactly by branch and bound whatever their number of assignments; for the others, beyond
this many assignments the search settles for improving one activity at a time, and
says so in :attr:`PortfolioEvaluation.notes`."""


class Assignment(FrozenModel):
    """Which holdings a contested activity serves, chosen across a limited or consumed pool.

    >>> Assignment(activity_id="c1", pool="giac", allowance=1, eligible=("giac/gsec", "giac/gcih"),
    ...            serves=("giac/gcih",))
    Assignment(activity_id='c1', pool='giac', allowance=1, eligible=('giac/gsec', 'giac/gcih'), serves=('giac/gcih',))
    """  # noqa: E501

    activity_id: str
    pool: str
    allowance: int = Field(ge=1, description="How many holdings of the pool it may serve.")
    eligible: tuple[str, ...] = Field(description="The holdings whose rules accept it.")
    serves: tuple[str, ...] = Field(description="The holdings it was assigned to.")


class ActivityUse(FrozenModel):
    """Where one activity's credit counted across the portfolio."""

    activity_id: str
    title: str
    counted: tuple[tuple[str, Decimal], ...] = Field(
        description="(certification, credits counted) for each holding that counted some."
    )

    @property
    def certifications(self) -> tuple[str, ...]:
        """The certifications that counted some of the activity's credit."""
        return tuple(certification for certification, _ in self.counted)


class HoldingNeed(FrozenModel):
    """Something one holding still needs."""

    certification: str
    need: Need

    def __str__(self) -> str:
        return f"{self.certification}: {self.need}"


class SharedNeed(FrozenModel):
    """One activity that would serve several holdings' needs at once.

    >>> print(SharedNeed(need=Need(credits=Decimal(3), category="A", due=dt.date(2026, 2, 28)),
    ...                  certifications=("isc2/cissp", "isc2/ccsp")))
    3 credits of category A by 2026-02-28 would serve both isc2/cissp and isc2/ccsp
    """

    need: Need = Field(description="The largest amount asked, by the earliest date.")
    certifications: tuple[str, ...] = Field(min_length=2)

    def __str__(self) -> str:
        whom = (
            f"both {self.certifications[0]} and {self.certifications[1]}"
            if len(self.certifications) == 2
            else "all of " + ", ".join(self.certifications)
        )
        return f"{self.need} would serve {whom}"


class Plan(FrozenModel):
    """What the portfolio still needs: per holding, and where one activity serves several.

    ``needs`` are each holding's least additional credit
    (:meth:`~cperules.results.Evaluation.remaining`); ``shared`` points out the needs of
    the same category and topic that one activity could meet for several holdings at once
    (holdings that share credit freely), with the largest amount and the earliest date.
    """

    needs: tuple[HoldingNeed, ...] = ()
    shared: tuple[SharedNeed, ...] = ()

    def __str__(self) -> str:
        if not self.needs:
            return "Nothing more is needed."
        lines = [str(need) for need in self.needs]
        lines.extend(str(shared) for shared in self.shared)
        return "\n".join(lines)


class PortfolioEvaluation(ResultModel):
    """One evaluation per holding (in the order given), and the combined view.

    ``assignments`` lists, for pools that limit or consume shared credit, which holdings
    each contested activity serves; ``notes`` says when the assignment search was cut
    short.
    """

    as_of: dt.date
    evaluations: tuple[Evaluation, ...]
    assignments: tuple[Assignment, ...] = ()
    notes: tuple[str, ...] = ()
    _inputs: _Inputs | None = PrivateAttr(default=None)

    def __getitem__(self, certification: str) -> Evaluation:
        """The evaluation of the holding of ``certification`` (an id).

        Raises:
            KeyError: no holding of that certification (the message suggests one).
        """
        for evaluation in self.evaluations:
            if evaluation.certification == certification:
                return evaluation
        known = [e.certification for e in self.evaluations]
        raise KeyError(
            f"no holding of {certification!r} in this portfolio{did_you_mean(certification, known)}"
        )

    @property
    def status(self) -> Status:
        """The worst status among the holdings (non-compliant, in grace, in progress...)."""
        order: tuple[Status, ...] = (
            "non_compliant",
            "in_grace",
            "in_progress",
            "compliant",
            "exempt",
        )
        statuses = {evaluation.status for evaluation in self.evaluations}
        return next(status for status in order if status in statuses)

    def uses(self) -> tuple[ActivityUse, ...]:
        """Per activity, the certifications that counted its credit and how much each."""
        counted: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        titles: dict[str, str] = {}
        for evaluation in self.evaluations:
            for cycle in evaluation.cycles:
                for outcome in cycle.activities:
                    titles.setdefault(outcome.activity_id, outcome.title)
                    amount = outcome.total("counted", "carried-out")
                    if amount:
                        counted[outcome.activity_id][evaluation.certification] += amount
        return tuple(
            ActivityUse(
                activity_id=activity_id,
                title=titles[activity_id],
                counted=tuple(counted[activity_id].items()),
            )
            for activity_id in sorted(titles, key=lambda i: (i not in counted, i))
            if activity_id in counted
        )

    def next_deadlines(self) -> tuple[Deadline, ...]:
        """Every holding's deadlines still ahead, earliest first."""
        deadlines = [d for evaluation in self.evaluations for d in evaluation.next_deadlines()]
        return tuple(sorted(deadlines, key=lambda d: (d.date, d.kind, d.certification)))

    def remaining(self) -> Plan:
        """The least additional credit per holding, and where one activity serves several.

        Each holding's needs are minimal on their own (adding them makes it compliant;
        taking any one credit away does not). A shared suggestion is given only where the
        holdings would each count the same activity in full: different pools, or a pool
        that shares freely.
        """
        needs = tuple(
            HoldingNeed(certification=evaluation.certification, need=need)
            for evaluation in self.evaluations
            for need in evaluation.remaining()
        )
        pools = {
            evaluation.certification: sharing
            for evaluation, sharing in zip(
                self.evaluations, self._require_inputs().sharing, strict=True
            )
        }
        grouped: dict[str, list[HoldingNeed]] = defaultdict(list)
        for holding_need in needs:
            grouped[holding_need.need.described].append(holding_need)
        shared = []
        for group in grouped.values():
            free = [n for n in group if _shares_freely(pools[n.certification], pools, group)]
            if len(free) >= 2:
                need = free[0].need.model_copy(
                    update={
                        "credits": max(n.need.credits for n in free),
                        "due": min(n.need.due for n in free),
                    }
                )
                shared.append(
                    SharedNeed(need=need, certifications=tuple(n.certification for n in free))
                )
        return Plan(needs=needs, shared=tuple(shared))

    def what_if(self, extra: Iterable[Activity]) -> PortfolioEvaluation:
        """A new portfolio evaluation with hypothetical ``extra`` activities added.

        The activities are marked ``hypothetical`` in the new results; this evaluation
        and the activities passed in are left unchanged.
        """
        inputs = self._require_inputs()
        return evaluate_portfolio(
            inputs.holdings,
            inputs.ledger.plan(extra),
            as_of=self.as_of,
            search_limit=inputs.search_limit,
        )

    def _require_inputs(self) -> _Inputs:
        if self._inputs is None:  # pragma: no cover - made by evaluate_portfolio()
            raise RuntimeError("this portfolio was not made by cperules.evaluate_portfolio()")
        return self._inputs

    def _repr_html_(self) -> str:
        """Self-contained HTML for Jupyter (see :mod:`cperules.render`)."""
        return str(render("portfolio_html", self))

    def to_dict(self) -> dict[str, Any]:
        """JSON-compatible data: dates as ISO strings, credits as decimal strings."""
        return self.model_dump(mode="json")

    def __str__(self) -> str:
        lines = [f"Portfolio as of {self.as_of}: {STATUS_WORDS[self.status]}"]
        for evaluation in self.evaluations:
            standing = f", {evaluation.standing}" if evaluation.lifecycle else ""
            lines.append(
                f"  {evaluation.certification}: {STATUS_WORDS[evaluation.status]}{standing}"
            )
        for assignment in self.assignments:
            lines.append(
                f"  {assignment.activity_id} serves {', '.join(assignment.serves)} "
                f"(at most {assignment.allowance} of {', '.join(assignment.eligible)})"
            )
        lines.extend(f"  note: {note}" for note in self.notes)
        deadlines = self.next_deadlines()
        if deadlines:
            lines.append("Next deadlines:")
            lines.extend(f"  {deadline}" for deadline in deadlines)
        return "\n".join(lines)


def evaluate_portfolio(
    holdings: Sequence[Holding],
    ledger: Ledger,
    *,
    as_of: dt.date,
    search_limit: int = SEARCH_LIMIT,
) -> PortfolioEvaluation:
    """Evaluate one ledger against several holdings, sharing credit as their policies allow.

    ``search_limit`` bounds the search, one assignment at a time, for the best
    assignment of contested activities where the exact method does not apply (see
    :data:`SEARCH_LIMIT`).

    Raises:
        PolicyError: ``duplicate-holding`` when two holdings are of the same certification;
            ``unknown-certification`` for an id the catalog does not know.
    """
    if not isinstance(holdings, list | tuple):  # callers may pass anything at run time
        raise ArgumentError(
            f"holdings: expected a sequence of Holding values, got a {type(holdings).__name__}"
            " (pass a list or tuple, even for one holding)"
        )
    holdings = tuple(
        require_holding(holding, f"holdings[{index}]") for index, holding in enumerate(holdings)
    )
    if not holdings:
        raise ValueError("a portfolio needs at least one holding")
    ledger = require_ledger(ledger)
    as_of = check_day(as_of, "as_of")
    resolved = [(holding, resolve(holding)) for holding in holdings]
    seen: dict[str, int] = {}
    for index, (_, certification) in enumerate(resolved):
        if certification.id in seen:
            raise PolicyError(
                f"holdings[{index}] and holdings[{seen[certification.id]}] are both of "
                f"{certification.id!r}; a portfolio holds each certification once",
                code="duplicate-holding",
            )
        seen[certification.id] = index
    sharing = tuple(_sharing(certification, holding, as_of) for holding, certification in resolved)
    search = _Search(resolved, sharing, ledger, as_of, search_limit)
    evaluations, assignments, notes = search.run()
    result = PortfolioEvaluation(
        as_of=as_of, evaluations=evaluations, assignments=assignments, notes=notes
    )
    result._inputs = _Inputs(holdings, ledger, search_limit, sharing)
    return result


@dataclass(frozen=True, slots=True)
class _Inputs:
    """What a portfolio result keeps for ``remaining()`` and ``what_if()``."""

    holdings: tuple[Holding, ...]
    ledger: Ledger
    search_limit: int
    sharing: tuple[Sharing | None, ...]  # per holding, the rule in force on as_of


def _sharing(certification: Certification, holding: Holding, as_of: dt.date) -> Sharing | None:
    """The sharing rule in force for ``holding`` on ``as_of`` (or when it was earned)."""
    day = as_of if any(v.covers(as_of) for v in certification.versions) else holding.earned
    return certification.version_on(day).sharing


def _shares_freely(
    sharing: Sharing | None, pools: Mapping[str, Sharing | None], group: Sequence[HoldingNeed]
) -> bool:
    """Whether a holding would count an activity in full alongside the others in ``group``."""
    if sharing is None or sharing.mode == "shared":
        return True
    same_pool = [n for n in group if (p := pools[n.certification]) and p.pool == sharing.pool]
    return len(same_pool) <= 1


# --- the assignment search ----------------------------------------------------------------

_Score = tuple[int, int, Decimal, Decimal, Decimal]
_Choice = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class _Contest:
    """A contested activity: the holdings (indices) that accept it and its choices."""

    activity: Activity
    pool: str
    allowance: int
    eligible: tuple[int, ...]
    choices: tuple[_Choice, ...]


@dataclass(frozen=True, slots=True)
class _Component:
    """Contests that touch the same holdings, apart from every other contest.

    ``classes`` groups its contests (positions in the whole contest list) into twins:
    activities equal but for their id, next to each other in the ledger's order and
    contested in one pool only, whose assignments can be exchanged without changing any
    holding's score.
    """

    holdings: tuple[int, ...]
    classes: tuple[tuple[int, ...], ...]

    def ways(self, contests: Sequence[_Contest]) -> int:
        """The number of assignments that differ other than by exchanging twins."""
        total = 1
        for members in self.classes:
            total *= math.comb(len(members) + len(contests[members[0]].choices) - 1, len(members))
        return total


class _Search:
    """Find the holder-optimal assignment of contested activities.

    The score of an assignment is the sum over holdings of :func:`_score`; the best is the
    least, and among equal scores the first in the order of :func:`itertools.product` over
    the contests in date order (earlier holdings for earlier activities). Two reductions
    keep that answer while trying far fewer assignments:

    - contests that share no holding are independent (each holding's score depends only
      on the contests it takes part in), so each connected component of holdings is
      solved on its own and the answers combine;
    - twin activities (equal but for their id) are interchangeable: only assignments
      where twins take non-decreasing choices are tried, the first of its orbit in
      product order.
    """

    def __init__(
        self,
        resolved: Sequence[tuple[Holding, Certification]],
        sharing: Sequence[Sharing | None],
        ledger: Ledger,
        as_of: dt.date,
        limit: int,
    ) -> None:
        self.resolved = resolved
        self.sharing = sharing
        self.ledger = ledger
        self.as_of = as_of
        self.limit = limit
        self.ids = [certification.id for _, certification in resolved]
        self._memo: dict[tuple[int, frozenset[str]], _Score] = {}
        self._eligible: dict[int, set[str]] = {}
        self._reference: dict[int, History] = {}  # each holding's run with nothing withheld
        self._models: dict[int, _Model | str] = {}

    def _evaluate(self, index: int, withheld: Mapping[str, str]) -> Evaluation:
        holding, certification = self.resolved[index]
        return History(certification, holding, self.ledger, self.as_of, withheld).run()

    def _score(self, index: int, withheld: Mapping[str, str]) -> _Score:
        """The score of holding ``index`` without ``withheld`` (from its verdict, memoised)."""
        key = (index, frozenset(withheld))
        if key not in self._memo:
            holding, certification = self.resolved[index]
            # The run with nothing withheld keeps its allocation problems: the exact
            # assignment models the holding on them.
            history = History(
                certification,
                holding,
                self.ledger,
                self.as_of,
                withheld,
                explain=False,
                keep_problems=not withheld,
            )
            self._memo[key] = _score(history.verdict())
            if not withheld:
                self._eligible[index] = set(history.eligible)
                self._reference[index] = history
        return self._memo[key]

    def run(
        self, *, exact: bool = True
    ) -> tuple[tuple[Evaluation, ...], tuple[Assignment, ...], tuple[str, ...]]:
        self.exact = exact
        for index in range(len(self.resolved)):
            self._score(index, {})
        contests = self._contests()
        if not contests:
            return tuple(self._evaluate(i, {}) for i in range(len(self.ids))), (), ()
        notes: list[str] = []
        best: list[_Choice | None] = [None] * len(contests)
        modelled: list[_Component] = []
        for component in self._components(contests):
            ways = component.ways(contests)
            found = self._exact(contests, component)
            if isinstance(found, dict):
                modelled.append(component)
            elif ways <= self.limit:
                found = self._exhaustive(contests, component)
            else:
                positions = [p for members in component.classes for p in members]
                notes.append(
                    f"{ways} ways to assign the {len(positions)} contested activities "
                    f"exceed the search limit of {self.limit} and {found}; the assignment "
                    "was improved one activity at a time and may not be the best possible"
                )
                found = self._local(contests, component)
            for position, choice in found.items():
                best[position] = choice
        chosen = [choice for choice in best if choice is not None]
        assert len(chosen) == len(contests)
        withheld = self._withheld(contests, chosen)
        evaluations = tuple(self._evaluate(i, withheld[i]) for i in range(len(self.ids)))
        if not self._as_modelled(modelled, evaluations, withheld):  # pragma: no cover - a guard
            return _Search(self.resolved, self.sharing, self.ledger, self.as_of, self.limit).run(
                exact=False
            )
        assignments = tuple(
            Assignment(
                activity_id=contest.activity.id,
                pool=contest.pool,
                allowance=contest.allowance,
                eligible=tuple(self.ids[i] for i in contest.eligible),
                serves=tuple(self.ids[i] for i in choice),
            )
            for contest, choice in zip(contests, chosen, strict=True)
        )
        return evaluations, assignments, tuple(notes)

    def _contests(self) -> list[_Contest]:
        pools: dict[str, list[tuple[int, Sharing]]] = defaultdict(list)
        for index, sharing in enumerate(self.sharing):
            if sharing is not None and sharing.mode != "shared":
                pools[sharing.pool].append((index, sharing))
        contests = []
        for activity in sorted(self.ledger, key=lambda a: (a.completed, a.id)):
            for pool, members in pools.items():
                eligible = tuple(i for i, _ in members if activity.id in self._eligible[i])
                allowances = [a for _, s in members if (a := s.allowance(activity)) is not None]
                if not allowances or len(eligible) <= min(allowances):
                    continue
                allowance = min(allowances)
                contests.append(
                    _Contest(
                        activity=activity,
                        pool=pool,
                        allowance=allowance,
                        eligible=eligible,
                        choices=tuple(itertools.combinations(eligible, allowance)),
                    )
                )
        return contests

    def _components(self, contests: Sequence[_Contest]) -> list[_Component]:
        """Split the contests into independent components, and each into twin classes."""
        parent = list(range(len(self.ids)))

        def root(index: int) -> int:
            while parent[index] != index:
                parent[index] = parent[parent[index]]
                index = parent[index]
            return index

        for contest in contests:
            first = root(contest.eligible[0])
            for other in contest.eligible[1:]:
                parent[root(other)] = first
        order = {
            a.id: n for n, a in enumerate(sorted(self.ledger, key=lambda a: (a.completed, a.id)))
        }
        pools_of: dict[str, int] = defaultdict(int)
        for contest in contests:
            pools_of[contest.activity.id] += 1
        grouped: dict[int, list[list[int]]] = defaultdict(list)
        for position, contest in enumerate(contests):
            classes = grouped[root(contest.eligible[0])]
            if classes and _twins(contests[classes[-1][-1]], contest, order, pools_of):
                classes[-1].append(position)
            else:
                classes.append([position])
        components = []
        for key, classes in grouped.items():
            members = sorted({i for i in range(len(self.ids)) if root(i) == key})
            components.append(_Component(tuple(members), tuple(tuple(c) for c in classes)))
        return components

    def _withheld(
        self, contests: Sequence[_Contest], choices: Sequence[_Choice | None]
    ) -> list[dict[str, str]]:
        """Per holding, the decided activities it does not serve (undecided ones it may)."""
        withheld: list[dict[str, str]] = [{} for _ in self.ids]
        for contest, choice in zip(contests, choices, strict=False):
            if choice is None:
                continue
            note = (
                f"assigned to {', '.join(self.ids[i] for i in choice)}: it may serve at most "
                f"{contest.allowance} certification{'s' if contest.allowance > 1 else ''} "
                f"of the {contest.pool} pool"
            )
            for index in contest.eligible:
                if index not in choice:
                    withheld[index][contest.activity.id] = note
        return withheld

    def _total(
        self,
        contests: Sequence[_Contest],
        choices: Mapping[int, _Choice],
        holdings: Iterable[int],
    ) -> _Score:
        """The summed score of ``holdings`` when the contests at the keys take the values."""
        withheld: dict[int, dict[str, str]] = {index: {} for index in holdings}
        for position, choice in choices.items():
            contest = contests[position]
            for index in contest.eligible:
                if index not in choice:
                    withheld[index][contest.activity.id] = ""
        return _sum(self._score(index, kept) for index, kept in withheld.items())

    def _exact(
        self, contests: Sequence[_Contest], component: _Component
    ) -> dict[int, _Choice] | str:
        """The exact branch and bound of ``cperules._engine.assignment``, where it applies.

        Otherwise why not: a holding of the component has no simple score (see
        :meth:`_model`), or the search ran out of nodes before proving its best.
        """
        if not self.exact:
            return "the exact method's prediction was not confirmed"
        shapes: list[_Model] = []
        for index in component.holdings:
            model = self._model(index)
            if isinstance(model, str):
                return f"{self.ids[index]} has no simple score: {model}"
            shapes.append(model)
        local = {holding: n for n, holding in enumerate(component.holdings)}
        positions = sorted(p for members in component.classes for p in members)
        for p in positions:
            for h in contests[p].eligible:
                shape = shapes[local[h]]
                activity = contests[p].activity.id
                if activity not in shape.lands:
                    why = shape.loose.get(activity, "it falls outside the governing cycle")
                    return f"{self.ids[h]} has no simple score for {activity}: {why}"
        unit = math.lcm(*(shape.unit for shape in shapes))
        problems = [
            exact_assignment.Contest(
                choices=tuple(tuple(local[h] for h in c) for c in contests[p].choices),
                lands={
                    local[h]: shapes[local[h]].land(contests[p].activity.id, unit)
                    for h in contests[p].eligible
                },
                allowance=contests[p].allowance,
                carries=frozenset(
                    local[h]
                    for h in contests[p].eligible
                    if contests[p].activity.id in shapes[local[h]].carries
                ),
            )
            for p in positions
        ]
        contested: list[set[str]] = [set() for _ in shapes]
        for p in positions:
            for h in contests[p].eligible:
                contested[local[h]].add(contests[p].activity.id)
        solved = exact_assignment.solve(
            [shape.model(unit, mine) for shape, mine in zip(shapes, contested, strict=True)],
            problems,
        )
        if solved is None:
            return (
                f"the exact search gave up after {exact_assignment.NODE_BUDGET} steps "
                "without proving its best"
            )
        picks, _ = solved
        return {p: contests[p].choices[pick] for p, pick in zip(positions, picks, strict=True)}

    def _model(self, index: int) -> _Model | str:
        """Holding ``index``'s simple score, or why it has none (memoised).

        It has one when the contested credit it could receive can only change its
        governing cycle, and there only its counted credit: no renewal events, the
        governing cycle not ended on ``as_of`` and in good standing, no carryover out of
        it, at most one minimum that every entry of the cycle counts toward, caps of
        fixed credits with each entry under at most one, each contested activity one
        entry of one category in that cycle and in no other, that can meet no
        prerequisite and shares its course with no other activity where a repeat rule
        applies, and amounts in millionths at most (so no rounding).
        """
        if index not in self._models:
            self._models[index] = _Model.of(self.resolved[index], self._reference[index])
        return self._models[index]

    def _as_modelled(
        self,
        components: Sequence[_Component],
        evaluations: Sequence[Evaluation],
        withheld: Sequence[Mapping[str, str]],
    ) -> bool:
        """Whether the modelled holdings' final scores are the ones their models predict."""
        for component in components:
            for index in component.holdings:
                model = self._models[index]
                assert isinstance(model, _Model)
                expected = model.predict(self._memo[(index, frozenset())], withheld[index])
                if _score(evaluations[index]) != expected:
                    return False
        return True

    def _exhaustive(
        self, contests: Sequence[_Contest], component: _Component
    ) -> dict[int, _Choice]:
        """Every assignment up to exchanging twins; the least score, then the first in order."""
        per_class = [
            itertools.combinations_with_replacement(contests[members[0]].choices, len(members))
            for members in component.classes
        ]
        best: tuple[_Score, list[int], dict[int, _Choice]] | None = None
        for picked in itertools.product(*per_class):
            choices = {
                position: choice
                for members, values in zip(component.classes, picked, strict=True)
                for position, choice in zip(members, values, strict=True)
            }
            score = self._total(contests, choices, component.holdings)
            ranks = [contests[p].choices.index(choices[p]) for p in sorted(choices)]
            if best is None or (score, ranks) < best[:2]:
                best = (score, ranks, choices)
        assert best is not None
        return best[2]

    def _local(self, contests: Sequence[_Contest], component: _Component) -> dict[int, _Choice]:
        """Choose in date order, then change one activity at a time while that helps."""
        positions = sorted(p for members in component.classes for p in members)
        chosen: dict[int, _Choice] = {}
        for at, position in enumerate(positions):
            options = []
            for choice in contests[position].choices:
                trial = {
                    **chosen,
                    position: choice,
                    **{p: contests[p].choices[0] for p in positions[at + 1 :]},
                }
                options.append((self._total(contests, trial, component.holdings), choice))
            chosen[position] = min(options, key=lambda option: option[0])[1]
        score = self._total(contests, chosen, component.holdings)
        improved = True
        while improved:
            improved = False
            for position in positions:
                for choice in contests[position].choices:
                    trial = {**chosen, position: choice}
                    trial_score = self._total(contests, trial, component.holdings)
                    if trial_score < score:
                        chosen, score, improved = trial, trial_score, True
        return chosen


@dataclass(frozen=True, slots=True)
class _Model:
    """A holding's simple score, read from its run with nothing withheld.

    ``caps`` are the caps (fixed credits) of its governing cycle, and one more group,
    uncapped, last; ``base`` the credit of all its entries in each group; ``lands`` where
    each activity with a single entry there (and none in another cycle) falls, and its
    credit; ``loose`` why each other activity it could count is not in ``lands``.

    With a carryover (``carry``), ``carry_base`` is the credit of the entries that may
    carry, in each group, ``carries`` the activities of ``lands`` among them, and
    ``carry_cap`` the carryover's cap.
    """

    caps: tuple[Fraction | None, ...]
    base: tuple[Fraction, ...]
    required: Fraction | None
    lands: Mapping[str, tuple[int, Fraction]]
    unit: int
    loose: Mapping[str, str]
    carry: bool = False
    carry_base: tuple[Fraction, ...] = ()
    carries: frozenset[str] = frozenset()
    carry_cap: Fraction | None = None

    @classmethod
    def of(cls, resolved: tuple[Holding, Certification], history: History) -> _Model | str:
        """The holding's simple score, or why it has none (see :meth:`_Search._model`)."""
        holding, certification = resolved
        refused = _refusal(holding, history)
        if refused is not None:
            return refused
        last = max(history.problems)
        problem = history.problems[last]
        carryover = problem.version.carryover
        placed = memberships(
            problem.entries, problem.requirements, problem.limits, carryover, Matcher()
        )
        everyone = tuple(range(len(problem.requirements)))
        caps: list[Fraction | None] = [
            Fraction(lim.rule.credits) for lim in problem.limits if lim.rule.credits is not None
        ]
        caps.append(None)
        base = [Fraction(0)] * len(caps)
        carry_base = [Fraction(0)] * len(caps)
        carries: set[str] = set()
        lands: dict[str, tuple[int, Fraction]] = {}
        loose: dict[str, str] = {}
        seen: set[str] = set()
        for entry, options in zip(problem.entries, placed, strict=True):
            if len(options) != 1 or options[0][0] != everyone or len(options[0][1]) > 1:
                return f"the credit of {entry.activity.id} may count under several caps or minimums"
            group = options[0][1][0] if options[0][1] else len(caps) - 1
            base[group] += entry.amount
            key = entry.activity.id
            if options[0][2]:  # its credit may carry over
                carry_base[group] += entry.amount
                carries.add(key)
            if entry.source == "own" and entry.share == 0 and key not in seen:
                lands[key] = (group, entry.amount)
            else:
                lands.pop(key, None)
                loose[key] = "it has more than one entry"
            seen.add(key)
        for other, earlier in history.problems.items():
            if other != last:
                for entry in earlier.entries:
                    if lands.pop(entry.activity.id, None) is not None:
                        loose[entry.activity.id] = "it counts in another cycle"
        _loosen_conditioned(certification, history.ledger, lands, loose)
        required = problem.requirements[0].required if problem.requirements else None
        carry_cap = None
        if carryover is not None and carryover.cap is not None:
            carry_cap = Fraction(carryover.cap)
        amounts = [*base, *(a for _, a in lands.values()), *(c for c in caps if c is not None)]
        amounts.extend(a for a in (required, carry_cap) if a is not None)
        unit = math.lcm(*(a.denominator for a in amounts))
        if 10**6 % unit:
            return "its amounts are finer than millionths of a credit"
        return cls(
            tuple(caps),
            tuple(base),
            required,
            lands,
            unit,
            loose,
            carry=carryover is not None,
            carry_base=tuple(carry_base),
            carries=frozenset(carries & lands.keys()),
            carry_cap=carry_cap,
        )

    def land(self, activity_id: str, unit: int) -> tuple[int, int]:
        """Where ``activity_id``'s credit falls, in ``unit`` parts of a credit.

        ``unit`` is a multiple of :attr:`unit`, so every amount is a whole number of parts.
        """
        group, amount = self.lands[activity_id]
        return group, _parts(amount, unit)

    def model(self, unit: int, contested: Iterable[str]) -> exact_assignment.HoldingModel:
        """The integer model of ``cperules._engine.assignment``, in ``unit`` parts.

        Its base is the credit of the entries not ``contested``.
        """
        base = [_parts(b, unit) for b in self.base]
        carry_base = [_parts(b, unit) for b in self.carry_base]
        for activity_id in contested:
            group, amount = self.land(activity_id, unit)
            base[group] -= amount
            if activity_id in self.carries:
                carry_base[group] -= amount
        return exact_assignment.HoldingModel(
            caps=tuple(None if c is None else _parts(c, unit) for c in self.caps),
            base=tuple(base),
            required=None if self.required is None else _parts(self.required, unit),
            carry=self.carry,
            carry_base=tuple(carry_base),
            carry_cap=None if self.carry_cap is None else _parts(self.carry_cap, unit),
        )

    def _core(self, withheld: Iterable[str]) -> tuple[int, Fraction, Fraction, Fraction]:
        """Unmet, shortfall, counted and carried without ``withheld`` (as the model says)."""
        model = self.model(self.unit, withheld)
        unmet, short, counted, carried = exact_assignment.core_score(
            model, model.base, model.carry_base
        )
        return (
            unmet,
            Fraction(short, self.unit),
            Fraction(-counted, self.unit),
            Fraction(-carried, self.unit),
        )

    def predict(self, reference: _Score, withheld: Mapping[str, str]) -> _Score:
        """The holding's score without ``withheld``, from its score with nothing withheld."""
        unmet_all, short_all, counted_all, carried_all = self._core(())
        unmet, short, counted, carried = self._core(withheld)
        bad, unmet_ref, short_ref, counted_ref, carried_ref = reference
        return (
            bad,
            unmet_ref - unmet_all + unmet,
            _decimal(Fraction(short_ref) - short_all + short),
            _decimal(Fraction(counted_ref) - counted + counted_all),
            _decimal(Fraction(carried_ref) - carried + carried_all),
        )


def _parts(amount: Fraction, unit: int) -> int:
    """``amount`` in ``unit`` parts of a credit, ``unit`` a multiple of its denominator.

    >>> _parts(Fraction(3, 4), 100)
    75
    """
    return amount.numerator * (unit // amount.denominator)


def _refusal(holding: Holding, history: History) -> str | None:
    """Why ``holding``'s score is not simple whatever it is contested (None: it may be)."""
    if holding.events:
        return "it has renewal events"
    if not history.problems:
        return "no cycle of it allocates credit"
    if history.ended is not None:
        return f"it ended on {history.ended}"
    problem = history.problems[max(history.problems)]
    end = problem.cycle.period.end
    checks = (
        (history.as_of > end, f"its cycle ended on {end}, before {history.as_of}"),
        (len(problem.requirements) > 1, f"its cycle has {len(problem.requirements)} minimums"),
        (
            any(lim.rule.share is not None or lim.rule.credits is None for lim in problem.limits),
            "a cap of its cycle is a share of the total",
        ),
    )
    return next((why for failed, why in checks if failed), None)


def _loosen_conditioned(
    certification: Certification,
    ledger: Ledger,
    lands: dict[str, tuple[int, Fraction]],
    loose: dict[str, str],
) -> None:
    """Take out of ``lands`` the activities a prerequisite or repeat rule reads.

    Such a rule changes the score only through those activities: one that could meet a
    prerequisite (it has a validity and the rule's selector matches it), or one that shares
    its course with another activity (withholding the first would let the repeat count).
    Whether any other activity is withheld leaves both rules' outcomes as they are.
    """
    rules = [rule for version in certification.versions for rule in version.rules]
    prerequisites = [rule for rule in rules if isinstance(rule, Prerequisite)]
    courses: dict[tuple[str, str], int] = defaultdict(int)
    if any(isinstance(rule, RepeatExclusion) for rule in rules):
        for activity in ledger:
            courses[_course(activity)] += 1
    for activity in ledger:
        if activity.id not in lands:
            continue
        if activity.valid_until is not None and any(
            rule.selector.matches(activity) for rule in prerequisites
        ):
            del lands[activity.id]
            loose[activity.id] = "it could meet a prerequisite"
        elif courses.get(_course(activity), 0) > 1:
            del lands[activity.id]
            loose[activity.id] = "another activity is the same course (a repeat rule)"


def _course(activity: Activity) -> tuple[str, str]:
    """What makes two activities the same course for a repeat rule (title and provider)."""
    return (activity.title.strip().casefold(), (activity.provider or "").strip().casefold())


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _twins(
    before: _Contest, after: _Contest, order: Mapping[str, int], pools_of: Mapping[str, int]
) -> bool:
    """Whether two contests' activities can exchange their assignments at no change in score.

    They must be equal but for the id, contested in one pool each, with the same choices,
    and next to each other in the ledger's (date, id) order, so that every holding sees
    the same activities in the same order either way.
    """
    first, second = before.activity, after.activity
    return (
        before.pool == after.pool
        and before.eligible == after.eligible
        and before.allowance == after.allowance
        and pools_of[first.id] == pools_of[second.id] == 1
        and order[second.id] == order[first.id] + 1
        and first.model_copy(update={"id": second.id}) == second
    )


def _sum(scores: Iterable[_Score]) -> _Score:
    totals: list[Any] = [0, 0, Decimal(0), Decimal(0), Decimal(0)]
    for score in scores:
        for n, value in enumerate(score):
            totals[n] += value
    return (totals[0], totals[1], totals[2], totals[3], totals[4])


def _score(result: Verdict | Evaluation) -> _Score:
    """Lower is better: out of good standing, unmet requirements, shortfall, -counted, -carried.

    Read from a holding's verdict or its explained evaluation (the same figures).
    """
    bad = result.standing.standing in {"expired", "lapsed"} or result.status in {
        "non_compliant",
        "in_grace",
    }
    unmet = sum(1 for c in result.cycles for r in c.requirements if not r.met)
    shortfall = sum((c.shortfall for c in result.cycles), Decimal(0))
    counted = sum((c.counted for c in result.cycles), Decimal(0))
    carried = sum(
        (
            c.carried_out
            if isinstance(c.carried_out, Decimal)
            else sum((credit.credits for credit in c.carried_out), Decimal(0))
            for c in result.cycles
        ),
        Decimal(0),
    )
    return (int(bad), unmet, shortfall, -counted, -carried)
