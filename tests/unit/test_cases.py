import datetime as dt
from decimal import Decimal

import pytest

from cperules import AnniversaryCycle, Certification, PolicyVersion
from cperules.cases import load_cases, run_cases
from cperules.policy import CategoryNode
from cperules.policy_format import PolicyFormatError
from cperules.rules import Cap, Minimum
from cperules.selectors import category

CERT = Certification(
    id="example/cert",
    name="Example",
    body="Example",
    unit="CPE",
    versions=(
        PolicyVersion(
            effective_from=dt.date(2020, 1, 1),
            cycle=AnniversaryCycle(years=1),
            categories=(CategoryNode(code="A"), CategoryNode(code="B")),
            rules=(
                Minimum(id="total", credits=Decimal(10)),
                Cap(id="b", selector=category("B"), credits=Decimal(2)),
            ),
        ),
    ),
)

CASE = """
[[cases]]
name = "{name}"
earned = 2024-01-01
as_of = 2025-01-15
activities = [
    {{ id = "a", title = "Course", completed = 2024-05-01, credits = 6, category = "A" }},
    {{ id = "b", title = "Course", completed = 2024-06-01, credits = 3, category = "B" }},
    {{ id = "late", title = "Course", completed = 2025-02-01, credits = 1, category = "A" }},
]
{extra}
"""


def run(extra: str, name: str = "case") -> list[str]:
    (result,) = run_cases(CERT, CASE.format(name=name, extra=extra), source="example.cases.toml")
    return list(result.differences)


def test_a_case_that_holds_passes() -> None:
    extra = """
[cases.expect]
status = "non_compliant"
cycles = [{ index = 0, status = "non_compliant", shortfall = { total = 2 }, counted = { total = 8 }, carried_out = 0, carried_in = 0, findings = [] }]
activities = [
    { id = "b", cycle = 0, reasons = ["counted", "capped"], counted = 2, capped = 1, carried_out = 0 },
    { id = "late", reasons = ["after-as-of"] },
]
"""
    assert run(extra) == []


def test_every_difference_is_reported_readably() -> None:
    extra = """
[cases.expect]
status = "compliant"
cycles = [{ index = 0, shortfall = { total = 1 } }, { index = 5 }]
activities = [{ id = "b", cycle = 0, counted = 3 }, { id = "zz", cycle = 0 }, { id = "b", cycle = 9 }]
remaining = [{ credits = 9, due = 2020-01-01 }]
"""
    differences = run(extra)
    assert differences == [
        "status: expected 'compliant', got 'non_compliant'",
        "cycles[0] (2024-01-01..2024-12-31).shortfall[total]: expected Decimal('1'), got Decimal('2')",
        "cycles[5]: expected a cycle, got 1 cycles",
        "activities[b] in cycles[0].counted: expected Decimal('3'), got Decimal('2')",
        # issue 15 item 18: a case looking in the wrong place is told where the activity is
        "activities[zz] in cycles[0]: expected an outcome, got none; the case's ledger has "
        "no activity 'zz'",
        "activities[b] in cycles[9]: expected an outcome, got none; it landed in cycles[0] "
        "(2024-01-01..2024-12-31)",
        "remaining: expected ((Decimal('9'), None, None),), got ()",  # lapsed: nothing to do
    ]
    (result,) = run_cases(CERT, CASE.format(name="bad", extra=extra), source="example.cases.toml")
    assert str(result).startswith("example.cases.toml :: bad: FAILED\n    status: expected")
    assert not result.passed


def test_a_wrong_due_date_of_what_remains_is_reported() -> None:
    extra = """
[cases.expect]
remaining = [{ credits = 2, category = "A", due = 2020-01-01 }]
"""
    case = CASE.format(name="due", extra=extra).replace("as_of = 2025-01-15", "as_of = 2024-07-01")
    (result,) = run_cases(CERT, case)
    assert result.differences == (
        "remaining.due: expected datetime.date(2020, 1, 1), got datetime.date(2024, 12, 31)",
    )


def test_expected_errors() -> None:
    early = CASE.format(name="early", extra='error = "no-policy-version"').replace(
        "2024-01-01", "2019-06-01"
    )
    assert [r.differences for r in run_cases(CERT, early)] == [()]
    assert run('error = "no-policy-version"') == [
        "error: expected no-policy-version, got none (status non_compliant)"
    ]
    unexpected = run_cases(
        CERT, CASE.format(name="x", extra="").replace("2024-01-01", "2019-06-01")
    )
    assert unexpected[0].differences[0].startswith("error: expected none, got no-policy-version")


def test_bad_ledger_records_in_a_case_are_reported_as_errors() -> None:
    text = CASE.format(name="bad record", extra="").replace(
        'credits = 6, category = "A"', 'credits = -6, category = "A"'
    )
    (result,) = run_cases(CERT, text)
    assert "error: expected none, got invalid-record" in result.differences[0]


def test_cases_text_is_validated_with_locations() -> None:
    with pytest.raises(PolicyFormatError) as info:
        load_cases(
            '[[cases]]\nname = "x"\nearned = 2024-01-01\nas_of = 2024-02-01\nexpect = { stauts = "compliant" }\n',
            source="f.cases.toml",
        )
    assert "f.cases.toml: cases[0].expect.stauts" in str(info.value)
    assert "did you mean 'status'?" in str(info.value)
    with pytest.raises(PolicyFormatError):
        load_cases("cases = []")
    with pytest.raises(PolicyFormatError) as syntax:
        load_cases("[[cases]\n")
    assert syntax.value.code == "policy-syntax"


def test_run_cases_accepts_plain_policy_data() -> None:
    results = run_cases(CERT.model_dump(), CASE.format(name="plain", extra=""))
    assert results[0].passed


def test_a_case_may_hold_other_certifications_as_a_portfolio() -> None:
    text = """
[[cases]]
name = "portfolio"
earned = 2024-01-01
as_of = 2024-06-01
activities = [{ id = "a", title = "Course", completed = 2024-05-01, credits = 6, category = "A" }]
also_held = [{ certification = "isc2/cissp", earned = 2024-01-01, expect = { status = "in_progress", cycles = [{ index = 0, counted = { total = 6 } }] } }]
[cases.expect]
status = "in_progress"
uses = { a = ["example/cert", "isc2/cissp"] }
"""
    assert [r.differences for r in run_cases(CERT, text)] == [()]
    wrong = text.replace("counted = { total = 6 }", "counted = { total = 7 }").replace(
        '"example/cert", "isc2/cissp"', '"isc2/cissp"'
    )
    assert [r.differences for r in run_cases(CERT, wrong)] == [
        (
            "uses[a]: expected ('isc2/cissp',), got ('example/cert', 'isc2/cissp')",
            "also_held[isc2/cissp].cycles[0] (2024-01-01..2026-12-31).counted[total]: "
            "expected Decimal('7'), got Decimal('6')",
        )
    ]


def test_an_expectation_on_a_requirement_the_cycle_lacks_is_reported() -> None:
    extra = """
[cases.expect]
cycles = [{ index = 0, shortfall = { totl = 0 }, counted = { b = 2 } }]
"""
    assert run(extra) == [
        "cycles[0] (2024-01-01..2024-12-31).shortfall[totl]: no requirement 'totl' in this "
        "cycle (requirements: total) (did you mean 'total'?)",
        "cycles[0] (2024-01-01..2024-12-31).counted[b]: no requirement 'b' in this cycle "
        "(requirements: total)",
    ]
