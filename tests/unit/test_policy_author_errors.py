"""Issue 15, item 18: a policy author's mistakes are reported where they are.

A typo in a policy or cases file is one failing item naming the file, the line and the
key (the rest of the run goes on); a typo in a case's category fails that case; a case
looking for an activity in the wrong cycle says where it landed; ``check_policy`` shows
the failure, not the library's source.
"""

import pytest

from cperules import catalog, load_certification
from cperules._toml_lines import key_lines, line_of
from cperules.cases import load_cases, run_cases
from cperules.policy_format import PolicyFormatError, PolicyProblem

POLICY = """\
id = "acme/secure"
name = "ACME Secure"
body = "ACME (fictional)"
unit = "CPE"

[[versions]]
effective_from = 2024-01-01
cycle = { kind = "anniversary", years = 2 }

[[versions.categories]]
code = "technical"

[[versions.rules]]
kind = "minimum"
id = "total"
credits = 40
"""

CASES = """\
[[cases]]
name = "compliant"
earned = 2024-03-01
as_of = 2026-03-15
activities = [
    { id = "t1", title = "Secure coding", completed = 2024-06-01, credits = 40, category = "technical" },
]
expect = { status = "in_progress", cycles = [{ index = 0, status = "compliant" }] }
"""


def test_toml_lines_locate_keys_tables_and_array_items() -> None:
    text = POLICY + '\n[[versions]]\neffective_from = 2025-01-01\n[[versions.rules]]\nid = "x"\n'
    lines = key_lines(text)
    assert lines[("versions", 0, "rules", 0, "credits")] == 16
    assert lines[("versions", 1, "rules", 0, "id")] == 21
    assert line_of(text, ("versions", 0, "cycle", "grace", "days")) == 8
    assert line_of(CASES, ("cases", 0, "activities", 0, "category")) == 6
    assert line_of(text, ("nothing", "here")) is None


def test_toml_lines_skip_brackets_in_strings_and_comments() -> None:
    text = 'a = [\n  "[not a header]", # ] also not\n  "b",\n]\n[t]\nk = 1\n'
    assert key_lines(text)[("a", 1)] == 3
    assert key_lines(text)[("t", "k")] == 6


def test_a_policy_typo_names_the_line_and_suggests_the_key() -> None:
    text = POLICY.replace("credits = 40", "credit = 40")
    with pytest.raises(PolicyFormatError) as caught:
        load_certification(text)
    first = caught.value.problems[0]
    assert (first.path, first.line) == ("versions[0].rules[0].credit", 16)
    assert str(caught.value).splitlines()[1] == (
        "  - acme/secure: versions[0].rules[0].credit: got 40; expected a known key "
        "(did you mean 'credits'?)"
    )


def test_a_problem_knows_its_line() -> None:
    text = POLICY.replace('unit = "CPE"', 'unit = "CPE"\nunits = "CPE"')
    with pytest.raises(PolicyFormatError) as caught:
        load_certification(text)
    assert str(caught.value) == (
        "1 problem in the policy:\n"
        "  - acme/secure: units: got 'CPE'; expected a known key (did you mean 'unit'?)"
    )
    assert caught.value.problems[0].line == 5


def test_a_syntax_error_carries_its_line() -> None:
    with pytest.raises(PolicyFormatError) as caught:
        load_certification(POLICY + "oops =\n")
    assert caught.value.problems[0].line == 17


def test_problem_detail_leaves_out_where_it_is() -> None:
    problem = PolicyProblem("x/y", "rules[0].credit", 40, "a known key", keys=("rules", 0), line=3)
    assert problem.detail == "rules[0].credit: got 40; expected a known key"
    assert str(problem) == "x/y: rules[0].credit: got 40; expected a known key"
    assert repr(problem).endswith("line=3)")


def test_a_cases_file_typo_says_cases_file_and_line() -> None:
    with pytest.raises(PolicyFormatError) as caught:
        load_cases(CASES.replace("as_of", "as_off"), source="acme.cases.toml")
    message = str(caught.value)
    assert message.splitlines()[:2] == [
        "2 problems in the cases file:",
        "  - acme.cases.toml: cases[0].as_off: got datetime.date(2026, 3, 15); "
        "expected a known key (did you mean 'as_of'?)",
    ]
    assert caught.value.problems[0].line == 4


def test_an_unknown_category_in_a_case_fails_the_case() -> None:
    cert = load_certification(POLICY)
    [result] = run_cases(cert, CASES.replace('category = "technical"', 'category = "tecnical"'))
    assert not result.passed
    [finding] = [line for line in result.differences if "unknown-category" in line]
    assert "did you mean 'technical'?" in finding


def test_a_case_may_mean_an_unknown_category() -> None:
    cert = load_certification(POLICY)
    cases = CASES.replace('category = "technical"', 'category = "tecnical"').replace(
        'status = "in_progress", cycles = [{ index = 0, status = "compliant" }]',
        'findings = ["unknown-category"]',
    )
    [result] = run_cases(cert, cases)
    assert result.passed, result
    [wrong] = run_cases(cert, cases.replace('["unknown-category"]', "[]"))
    assert "findings: expected (), got ('unknown-category',)" in wrong.differences[0]


def test_a_case_looking_in_the_wrong_cycle_says_where_the_activity_landed() -> None:
    cert = load_certification(POLICY)
    cases = CASES.replace(
        'expect = { status = "in_progress", cycles = [{ index = 0, status = "compliant" }] }',
        'expect = { activities = [{ id = "t1", cycle = 1 }, { id = "t1x", cycle = 0 }] }',
    )
    [result] = run_cases(cert, cases)
    assert result.differences == (
        "activities[t1] in cycles[1]: expected an outcome, got none; it landed in cycles[0] "
        "(2024-03-01..2026-02-28)",
        "activities[t1x] in cycles[0]: expected an outcome, got none; the case's ledger has no "
        "activity 't1x' (did you mean 't1'?)",
    )


def _project(pytester: pytest.Pytester, policy: str, cases: str) -> None:
    pytester.mkdir("policies")
    (pytester.path / "policies" / "acme.toml").write_text(policy, encoding="utf-8")
    (pytester.path / "policies" / "acme.cases.toml").write_text(cases, encoding="utf-8")
    (pytester.path / "policies" / "good.toml").write_text(POLICY, encoding="utf-8")
    (pytester.path / "policies" / "good.cases.toml").write_text(CASES, encoding="utf-8")
    pytester.makeini("[pytest]\ncperules_cases = policies/*.cases.toml\n")


def test_a_policy_file_typo_is_one_failing_item_naming_file_line_and_key(
    pytester: pytest.Pytester,
) -> None:
    _project(pytester, POLICY.replace("credits = 40", "credit = 40"), CASES)
    result = pytester.runpytest("policies")
    result.assert_outcomes(passed=1, failed=1)
    out = result.stdout.str()
    assert (
        "policies/acme.toml:16: versions[0].rules[0].credit: got 40; expected a known key "
        "(did you mean 'credits'?)\n"
        "policies/acme.toml:13: versions[0].rules[0].credits: expected a value" in out
    )
    assert "Traceback" not in out
    assert "policy_format.py" not in result.stdout.str()


def test_a_cases_file_typo_is_one_failing_item(pytester: pytest.Pytester) -> None:
    _project(pytester, POLICY, CASES.replace("as_of", "as_off"))
    result = pytester.runpytest("policies")
    result.assert_outcomes(passed=1, failed=1)
    assert (
        "policies/acme.cases.toml:4: cases[0].as_off: got datetime.date(2026, 3, 15); "
        "expected a known key (did you mean 'as_of'?)" in result.stdout.str()
    )


BELOW_MINIMUM = (
    POLICY
    + """
[[versions.rules]]
kind = "cap"
id = "small"
credits = 1
selector = { kind = "category", codes = ["technical"] }
"""
)


def test_check_policy_failures_hide_the_librarys_frames(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_acme_invariants=(
            "from cperules import load_certification\n"
            "from cperules.testing import check_policy\n\n"
            f"POLICY = {BELOW_MINIMUM!r}\n\n"
            "def test_invariants():\n"
            "    check_policy(load_certification(POLICY), max_examples=5)\n"
        )
    )
    result = pytester.runpytest("test_acme_invariants.py")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*AssertionError: acme/secure: the linter reports errors:*"])
    assert "checks.py" not in result.stdout.str()


def test_the_catalog_still_loads_with_located_problems_off() -> None:
    assert catalog.get("isc2/cissp").id == "isc2/cissp"
