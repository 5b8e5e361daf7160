"""Generic checks for any certification policy, and assertions with readable failures.

:func:`check_policy` runs the invariants every sound policy keeps over generated
holdings and ledgers, and raises :class:`AssertionError` with a shrunk counter-example
when one breaks. It needs Hypothesis (``pip install 'cperules[testing]'``), which it
imports only when called.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from cperules.cycles import Period
from cperules.evaluation import evaluate
from cperules.holders import Holding
from cperules.ledger import Activity, Ledger
from cperules.linter import lint
from cperules.policy import Certification
from cperules.policy_format import dump_certification, load_certification
from cperules.results import CycleResult, Evaluation, Status
from cperules.rules import Cap

if TYPE_CHECKING:
    from hypothesis.strategies import DrawFn, SearchStrategy

__all__ = ["assert_requirement", "assert_status", "check_policy"]


def check_policy(
    certification: Certification, *, max_examples: int = 100, seed: int | None = None
) -> None:
    """Check the generic invariants of ``certification``; raise AssertionError if one breaks.

    Statically: the linter reports no errors, and the policy round-trips through its
    file format. Then, over generated holdings and ledgers (:func:`~cperules.testing.
    strategies.ledgers_for`): evaluation never raises; ledger order never changes the
    result; counted credit never exceeds what was claimed; caps hold; carryover never
    creates credit; results round-trip through :meth:`~cperules.results.Evaluation.to_dict`;
    and adding an activity never raises a shortfall, lowers counted credit or turns a
    compliant cycle non-compliant.

    The error message names the broken invariant and shows Hypothesis's shrunk example.
    """
    __tracebackhide__ = True  # pytest shows the failure, not these frames
    errors = [finding for finding in lint(certification) if finding.severity == "error"]
    if errors:
        lines = "\n".join(f"  - {f.code}: {f.message}" for f in errors)
        raise AssertionError(f"{certification.id}: the linter reports errors:\n{lines}")
    if load_certification(dump_certification(certification)) != certification:
        raise AssertionError(f"{certification.id}: the policy does not round-trip as TOML")
    _check_generated(certification, max_examples=max_examples, seed=seed)


def _check_generated(certification: Certification, *, max_examples: int, seed: int | None) -> None:
    __tracebackhide__ = True  # pytest shows the failure, not these frames
    from hypothesis import HealthCheck, given, settings  # noqa: PLC0415 - optional extra
    from hypothesis import seed as fix_seed  # noqa: PLC0415
    from hypothesis import strategies as st  # noqa: PLC0415

    from cperules.testing.strategies import holdings, ledgers_for  # noqa: PLC0415

    # Strategies are built once, and once per holding drawn (Hypothesis draws the same
    # holding again and again while it explores and shrinks): building and validating
    # them anew for every example cost more than the checks themselves.
    holding_strategy = holdings(certification=certification)
    per_holding: dict[tuple[object, ...], _HoldingStrategies] = {}

    def strategies_for(holding: Holding) -> _HoldingStrategies:
        __tracebackhide__ = True  # pytest shows the failure, not these frames
        key = (holding.earned, holding.holder)
        if key not in per_holding:
            horizon = _second_cycle_end(certification, holding)
            per_holding[key] = _HoldingStrategies(
                horizon,
                ledgers_for(certification, holding, as_of=horizon),
                st.dates(min_value=holding.earned, max_value=horizon),
                ledgers_for(
                    certification,
                    holding,
                    min_size=1,
                    max_size=1,
                    as_of=horizon,
                    fill_first_cycle=False,
                ),
            )
        return per_holding[key]

    @st.composite
    def scenarios(draw: DrawFn) -> _Scenario:
        __tracebackhide__ = True  # pytest shows the failure, not these frames
        holding = draw(holding_strategy)
        drawn = strategies_for(holding)
        ledger = draw(drawn.ledger)
        as_of = draw(drawn.as_of)
        (extra,) = draw(drawn.added)
        return _Scenario(holding, ledger, as_of, extra.model_copy(update={"id": "added"}))

    @settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(scenario=scenarios())
    def invariants(scenario: _Scenario) -> None:
        __tracebackhide__ = True  # pytest shows the failure, not these frames
        holding, ledger, as_of, extra = (
            scenario.holding,
            scenario.ledger,
            scenario.as_of,
            scenario.added,
        )
        result = _evaluated(holding, ledger, as_of)
        reordered = _evaluated(holding, Ledger(reversed(list(ledger))), as_of)
        _require(reordered == result, "the order of the ledger changed the result")
        _counted_within_claimed(result)
        _caps_hold(certification, ledger, result)
        _carryover_conserves(result)
        _round_trips(result)
        if extra.completed <= as_of:
            _adding_never_hurts(result, _evaluated(holding, ledger.add(extra), as_of))

    runner = invariants if seed is None else fix_seed(seed)(invariants)
    try:
        runner()
    except AssertionError as error:
        notes = "\n".join(getattr(error, "__notes__", ()))
        raise AssertionError(f"{certification.id}: {error}\n{notes}".rstrip()) from None


class _HoldingStrategies(NamedTuple):
    """What is drawn for one holding: its ledger, its as_of and an added activity."""

    horizon: dt.date
    ledger: SearchStrategy[Ledger]
    as_of: SearchStrategy[dt.date]
    added: SearchStrategy[Ledger]


class _Scenario:
    """A generated case; its repr shows what a reader needs, not the whole certification."""

    __slots__ = ("added", "as_of", "holding", "ledger")

    def __init__(self, holding: Holding, ledger: Ledger, as_of: dt.date, added: Activity) -> None:
        self.holding = holding
        self.ledger = ledger
        self.as_of = as_of
        self.added = added

    def __repr__(self) -> str:
        return (
            f"Scenario(earned={self.holding.earned.isoformat()}, holder={self.holding.holder!r}, "
            f"as_of={self.as_of.isoformat()}, ledger={self.ledger!r}, added={self.added!r})"
        )


def _second_cycle_end(certification: Certification, holding: Holding) -> dt.date:
    __tracebackhide__ = True  # pytest shows the failure, not these frames
    spec = certification.version_on(holding.earned).cycle
    first = spec.cycle_on(holding, holding.earned)
    return spec.cycle_on(holding, first.due + dt.timedelta(days=1)).due


def _require(condition: bool, message: str) -> None:
    __tracebackhide__ = True  # pytest shows the failure, not these frames
    if not condition:
        raise AssertionError(message)


def _evaluated(holding: Holding, ledger: Ledger, as_of: dt.date) -> Evaluation:
    __tracebackhide__ = True  # pytest shows the failure, not these frames
    try:
        return evaluate(holding, ledger, as_of=as_of)
    except Exception as error:  # any failure on a valid ledger is a broken invariant
        raise AssertionError(f"evaluation raised {type(error).__name__}: {error}") from error


def _own_counted(cycle: CycleResult) -> Decimal:
    __tracebackhide__ = True  # pytest shows the failure, not these frames
    return sum(
        (o.total("counted", "carried-out", "carried-in") for o in cycle.activities), Decimal(0)
    )


def _counted_within_claimed(result: Evaluation) -> None:
    __tracebackhide__ = True  # pytest shows the failure, not these frames
    for cycle in result.cycles:
        for outcome in cycle.activities:
            used = outcome.total("counted", "carried-out", "cured-previous-cycle", "capped")
            _require(
                used <= outcome.claimed,
                f"activity {outcome.activity_id!r} counted or set aside {used} of "
                f"{outcome.claimed} claimed in cycle {cycle.period}",
            )


def _caps_hold(certification: Certification, ledger: Ledger, result: Evaluation) -> None:
    __tracebackhide__ = True  # pytest shows the failure, not these frames
    for cycle in result.cycles:
        version = certification.version_on(cycle.version_from)
        paths = version.category_paths()
        years = result.cycle_years(cycle.index)
        for rule in version.rules:
            if not isinstance(rule, Cap):
                continue
            for scope in (cycle.period,) if rule.scope == "cycle" else years:
                used, total = _cap_use(
                    rule, ledger, cycle, paths, scope, yearly=rule.scope == "year"
                )
                limit = rule.credits if rule.credits is not None else (rule.share or 0) * total
                _require(
                    used <= limit, f"cap {rule.id!r} lets {used} count in {scope} (at most {limit})"
                )


def _cap_use(
    rule: Cap,
    ledger: Ledger,
    cycle: CycleResult,
    paths: dict[str, tuple[str, ...]],
    scope: Period,
    *,
    yearly: bool,
) -> tuple[Decimal, Decimal]:
    """Credit a cap's selector covers in ``scope``, and all counted credit there.

    Credit counts on the day the activity was completed (grace-window credit, completed
    after the cycle, so only under cycle-wide caps), carried-in credit on the day it lands.
    """
    __tracebackhide__ = True  # pytest shows the failure, not these frames
    landing = {credit.activity_id: credit.lands_in.start for credit in cycle.carried_in}
    used = total = Decimal(0)
    for outcome in cycle.activities:
        activity = ledger[outcome.activity_id]
        for part in outcome.parts:
            if part.reason not in {"counted", "carried-out", "carried-in"}:
                continue
            day = (
                landing.get(outcome.activity_id)
                if part.reason == "carried-in"
                else activity.completed
            )
            if yearly and (day is None or day not in scope):
                continue
            total += part.credits
            path = paths.get(part.category, ()) if part.category else ()
            if rule.selector.matches(activity, categories=path):
                used += part.credits
    return used, total


def _carryover_conserves(result: Evaluation) -> None:
    __tracebackhide__ = True  # pytest shows the failure, not these frames
    for before, after in zip(result.cycles, result.cycles[1:], strict=False):
        out = sum((c.credits for c in before.carried_out), Decimal(0))
        into = sum((c.credits for c in after.carried_in), Decimal(0))
        _require(
            into == out,
            f"carryover created credit: {out} carried out of {before.period}, {into} carried "
            f"into {after.period}",
        )
        counted = sum((o.total("counted", "carried-out") for o in before.activities), Decimal(0))
        _require(
            out <= counted, f"{out} carried out of {before.period}, more than {counted} counted"
        )


def _round_trips(result: Evaluation) -> None:
    __tracebackhide__ = True  # pytest shows the failure, not these frames
    _require(
        Evaluation.model_validate(result.to_dict()) == result,
        "the evaluation does not round-trip through to_dict()",
    )


def _adding_never_hurts(before: Evaluation, after: Evaluation) -> None:
    __tracebackhide__ = True  # pytest shows the failure, not these frames
    for old, new in zip(before.cycles, after.cycles, strict=False):
        _require(
            new.shortfall <= old.shortfall,
            f"adding an activity raised the shortfall of {old.period} from {old.shortfall} to "
            f"{new.shortfall}",
        )
        _require(
            _own_counted(new) >= _own_counted(old),
            f"adding an activity lowered the credit counted in {old.period} from "
            f"{_own_counted(old)} to {_own_counted(new)}",
        )
        _require(
            old.status != "compliant" or new.status == "compliant",
            f"adding an activity turned {old.period} from compliant to {new.status}",
        )


def assert_status(evaluation: Evaluation, expected: Status, *, cycle: int | None = None) -> None:
    """Assert the overall status (or cycle ``cycle``'s); on failure, show the whole result.

    >>> import datetime as dt
    >>> from cperules import Holding, Ledger, evaluate
    >>> result = evaluate(Holding(certification="CISSP", earned=dt.date(2024, 1, 1)), Ledger(),
    ...                   as_of=dt.date(2024, 6, 1))
    >>> assert_status(result, "in_progress")
    """
    __tracebackhide__ = True  # pytest shows the failure, not these frames
    actual = evaluation.status if cycle is None else evaluation.cycles[cycle].status
    where = "overall" if cycle is None else f"cycle {cycle}"
    if actual != expected:
        raise AssertionError(
            f"{where} status: expected {expected!r}, got {actual!r}\n\n{_indented(evaluation)}"
        )


def assert_requirement(
    evaluation: Evaluation,
    rule_id: str,
    *,
    shortfall: Decimal | int | None = None,
    counted: Decimal | int | None = None,
    cycle: int = -1,
) -> None:
    """Assert a requirement's shortfall and/or counted credit in a cycle (the last by default).

    A yearly requirement's amounts are summed over its years.
    """
    __tracebackhide__ = True  # pytest shows the failure, not these frames
    result = evaluation.cycles[cycle]
    found = [req for req in result.requirements if req.id == rule_id]
    if not found:
        known = ", ".join(dict.fromkeys(req.id for req in result.requirements)) or "none"
        raise AssertionError(
            f"no requirement {rule_id!r} in cycle {result.period} (known: {known})"
        )
    problems = []
    for name, expected in (("shortfall", shortfall), ("counted", counted)):
        actual = sum((getattr(req, name) for req in found), Decimal(0))
        if expected is not None and actual != Decimal(expected):
            problems.append(f"{rule_id} {name}: expected {expected}, got {actual}")
    if problems:
        raise AssertionError("\n".join(problems) + f"\n\n{_indented(evaluation)}")


def _indented(evaluation: Evaluation) -> str:
    __tracebackhide__ = True  # pytest shows the failure, not these frames
    return "\n".join(f"    {line}" for line in str(evaluation).splitlines())
