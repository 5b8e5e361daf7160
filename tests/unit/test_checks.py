"""check_policy passes sound policies and fails broken ones with a followable example."""

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from cperules import (
    Activity,
    Certification,
    Holding,
    Ledger,
    PolicyVersion,
    catalog,
    evaluate,
    load_certification,
)
from cperules.cycles import CalendarCycle
from cperules.results import CarriedCredit, Evaluation
from cperules.rules import Cap, Carryover, Minimum
from cperules.selectors import approved, everything
from cperules.testing import checks
from cperules.testing.checks import assert_requirement, assert_status, check_policy

CISSP = catalog.get("isc2/cissp")
EXAMPLE = (
    Path(__file__).parents[2] / "examples" / "policy-project" / "policies" / "acme-secure.toml"
)
needs_example = pytest.mark.skipif(
    not EXAMPLE.is_file(), reason="needs the source tree's examples/"
)


# The checks that must fail run on a small policy that exercises the same defects: a
# two-credit total keeps generated ledgers (and Hypothesis's shrinking) short, where the
# bundled CISSP's 120 credits made each of them take a minute or more.
TINY = load_certification(
    """
id = "test/tiny"
name = "Tiny"
body = "Test"
unit = "CPE"

[[versions]]
effective_from = 2024-01-01
last_verified = 2026-01-01
cycle = { kind = "anniversary", years = 2 }

[[versions.citations]]
url = "https://example.org/tiny"
title = "Tiny handbook"

[[versions.categories]]
code = "A"

[[versions.rules]]
kind = "minimum"
id = "total"
credits = 2
"""
)


def example_policy() -> Certification:
    return load_certification(EXAMPLE.read_text(encoding="utf-8"))


def test_the_bundled_cissp_policy_passes() -> None:
    check_policy(CISSP, max_examples=25, seed=1)


@needs_example
def test_the_example_projects_policy_passes() -> None:
    check_policy(example_policy(), max_examples=25, seed=1)


def with_version_changes(policy: Certification, **changes: Any) -> Certification:
    return policy.model_copy(update={"versions": (policy.versions[0].model_copy(update=changes),)})


@needs_example
def test_a_cap_that_makes_the_total_unreachable_fails_with_the_finding() -> None:
    policy = example_policy()
    too_tight = Cap(id="everything", selector=everything(), credits=Decimal(30))
    broken = with_version_changes(policy, rules=(*policy.versions[0].rules, too_tight))
    with pytest.raises(AssertionError) as info:
        check_policy(broken, max_examples=5)
    message = str(info.value)
    assert message.startswith("acme/secure: the linter reports errors:")
    assert "cap-below-minimum: cap 'everything' allows at most 30" in message
    assert "less than the 40 that minimum 'total' requires" in message


def _with_invented_carryover(result: Evaluation) -> Evaluation:
    """What a carryover that creates credit would look like: more carried in than out."""
    if len(result.cycles) < 2:
        return result
    second = result.cycles[1]
    invented = CarriedCredit(
        activity_id="invented", category="A", credits=Decimal(5), lands_in=second.period
    )
    cycles = (
        result.cycles[0],
        second.model_copy(update={"carried_in": (*second.carried_in, invented)}),
        *result.cycles[2:],
    )
    return result.model_copy(update={"cycles": cycles})


def test_the_small_policy_passes() -> None:
    check_policy(TINY, max_examples=25, seed=1)


@needs_example
def test_a_carryover_that_creates_credit_fails_with_a_shrunk_example(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The policy format cannot express a carryover that creates credit (carried credit is
    # taken only from what a cycle can spare), so the defect is put into the evaluation.
    policy = with_version_changes(example_policy(), carryover=Carryover(cap=Decimal(10)))

    def broken_evaluate(holding: Holding, ledger: Ledger, *, as_of: dt.date) -> Evaluation:
        return _with_invented_carryover(evaluate(holding, ledger, as_of=as_of))

    monkeypatch.setattr(checks, "evaluate", broken_evaluate)
    with pytest.raises(AssertionError) as info:
        check_policy(policy, max_examples=50, seed=2)
    message = str(info.value)
    assert "carryover created credit: 0 carried out of" in message
    assert "5 carried into" in message
    assert "Failing test case" in message or "Falsifying example" in message
    # Shrunk to the simplest case: an empty ledger, the policy's first day, no certification dump.
    assert "Scenario(earned=2024-01-01, holder=" in message
    assert "ledger=Ledger([])" in message
    assert "Certification(" not in message


def test_an_order_dependent_engine_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    def order_dependent(holding: Holding, ledger: Ledger, *, as_of: dt.date) -> Evaluation:
        result = evaluate(holding, ledger, as_of=as_of)
        first = next(iter(ledger), None)
        return (
            result.model_copy(update={"status": "exempt"})
            if first is not None and first.id != "a0"
            else result
        )

    monkeypatch.setattr(checks, "evaluate", order_dependent)
    with pytest.raises(AssertionError, match="the order of the ledger changed the result"):
        check_policy(TINY, max_examples=50, seed=3)


def test_an_engine_that_raises_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    def raising(*args: Any, **kwargs: Any) -> Evaluation:
        raise ValueError("boom")

    monkeypatch.setattr(checks, "evaluate", raising)
    with pytest.raises(AssertionError, match="evaluation raised ValueError: boom"):
        check_policy(TINY, max_examples=5, seed=4)


def test_assertions_print_the_result_on_failure() -> None:
    result = evaluate(
        Holding(certification=CISSP, earned=dt.date(2024, 1, 1)),
        Ledger(),
        as_of=dt.date(2024, 6, 1),
    )
    assert_status(result, "in_progress")
    assert_status(result, "in_progress", cycle=0)
    assert_requirement(result, "total", shortfall=120, counted=0)
    with pytest.raises(
        AssertionError,
        match=r"overall status: expected 'compliant', got 'in_progress'\n\n    isc2/cissp: in progress",
    ):
        assert_status(result, "compliant")
    with pytest.raises(AssertionError, match=r"total shortfall: expected 100, got 120"):
        assert_requirement(result, "total", shortfall=100)
    with pytest.raises(AssertionError, match=r"no requirement 'totl' .* \(known: total, group-a\)"):
        assert_requirement(result, "totl", shortfall=1)


def test_year_caps_are_checked_in_the_years_the_engine_uses() -> None:
    """Issue 18, defect 1: a calendar stub joined to its first year is one year to the checker.

    The engine counts the stub (2023-08-23..2023-12-31) as part of 2024: 10 unapproved and
    36 approved credits make 46 in that year, of which the cap lets 10 approved count (half
    of the 20 counted). The checker once cut 2024 on its own and reported a breach.
    """
    version = PolicyVersion(
        effective_from=dt.date(2000, 1, 1),
        cycle=CalendarCycle(years=3, stub="first-year"),
        rules=(
            Minimum(id="total", credits=Decimal(120)),
            Cap(id="half", selector=approved(), share=Decimal("0.5"), scope="year"),
        ),
    )
    policy = Certification(
        id="test/stub", name="Stub", body="Test", unit="CPE", versions=(version,)
    )
    ledger = Ledger(
        [
            Activity(
                id="u",
                title="U",
                completed=dt.date(2023, 9, 1),
                credits=Decimal(10),
                approved=False,
            ),
            Activity(
                id="a",
                title="A",
                completed=dt.date(2024, 2, 25),
                credits=Decimal(36),
                approved=True,
            ),
        ]
    )
    result = evaluate(
        Holding(certification=policy, earned=dt.date(2023, 8, 23)),
        ledger,
        as_of=dt.date(2024, 6, 1),
    )
    outcome = result.governing.outcome("a")
    assert (outcome.total("counted"), outcome.total("capped")) == (Decimal(10), Decimal(26))
    assert [str(year) for year in result.cycle_years(0)] == [
        "2023-08-23..2024-12-31",
        "2025-01-01..2025-12-31",
        "2026-01-01..2026-12-31",
    ]
    checks._caps_hold(policy, ledger, result)  # no false alarm
    checks._check_generated(policy, max_examples=10, seed=5)


def test_cycle_years_names_the_cycles_it_has() -> None:
    result = evaluate(
        Holding(certification=CISSP, earned=dt.date(2024, 1, 1)),
        Ledger(),
        as_of=dt.date(2024, 6, 1),
    )
    with pytest.raises(IndexError, match=r"no cycle 1: this evaluation has cycles 0\.\.0"):
        result.cycle_years(1)
    with pytest.raises(IndexError, match="no cycle -1"):
        result.cycle_years(-1)
