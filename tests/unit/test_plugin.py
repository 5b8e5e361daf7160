"""The pytest plugin: opt-in case collection, readable failures, light import."""

import subprocess
import sys

import pytest

from cperules import catalog

PASSING = """
[[cases]]
name = "on the effective date"
earned = 2015-01-01
as_of = 2016-01-01
expect = { status = "in_progress" }

[[cases]]
name = "short by twenty"
earned = 2020-01-15
as_of = 2023-06-01
activities = [{ id = "a1", title = "Course", completed = 2021-05-01, credits = 100, category = "A" }]
expect = { status = "non_compliant", cycles = [{ index = 0, shortfall = { total = 20 } }] }
"""


def write_policy(pytester: pytest.Pytester, cases: str, *, beside: bool = True) -> None:
    pytester.mkdir("policies")
    if beside:
        (pytester.path / "policies" / "cissp.toml").write_text(
            catalog._texts()["isc2/cissp.toml"], encoding="utf-8"
        )
        (pytester.path / "policies" / "cissp.cases.toml").write_text(cases, encoding="utf-8")
    else:
        (pytester.path / "policies" / "cissp.cases.toml").write_text(
            'certification = "CISSP"\n' + cases, encoding="utf-8"
        )


def test_without_the_ini_option_no_case_file_is_collected(pytester: pytest.Pytester) -> None:
    write_policy(pytester, PASSING)
    result = pytester.runpytest("--collect-only", "-q", "policies")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    assert "cases.toml" not in result.stdout.str()


def test_each_case_is_an_item_and_passes(pytester: pytest.Pytester) -> None:
    write_policy(pytester, PASSING)
    pytester.makeini("[pytest]\ncperules_cases = policies/*.cases.toml\n")
    result = pytester.runpytest("-v", "policies")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        ["*cissp.cases.toml::on the effective date PASSED*", "*short by twenty PASSED*"]
    )


def test_a_cases_file_may_name_a_catalog_certification(pytester: pytest.Pytester) -> None:
    write_policy(pytester, PASSING, beside=False)
    pytester.makeini("[pytest]\ncperules_cases = policies/*.cases.toml\n")
    pytester.runpytest("policies").assert_outcomes(passed=2)


def test_a_policy_extends_a_base_beside_it(pytester: pytest.Pytester) -> None:
    pytester.mkdir("policies")
    pytester.mkdir("shared")
    (pytester.path / "shared" / "_family.toml").write_text(
        catalog.base_text("isc2/family") or "", encoding="utf-8"
    )
    policy = catalog._texts()["isc2/cissp.toml"].replace(
        'extends = "isc2/family"', 'extends = "../shared/_family.toml"'
    )
    assert "../shared/_family.toml" in policy
    (pytester.path / "policies" / "cissp.toml").write_text(policy, encoding="utf-8")
    (pytester.path / "policies" / "cissp.cases.toml").write_text(PASSING, encoding="utf-8")
    pytester.makeini("[pytest]\ncperules_cases = policies/*.cases.toml\n")
    pytester.runpytest("policies").assert_outcomes(passed=2)
    (pytester.path / "shared" / "_family.toml").unlink()
    result = pytester.runpytest("policies")
    result.stdout.fnmatch_lines(["*extends: got '../shared/_family.toml'; expected a file path*"])


FAMILY_CASE = """
[[cases]]
name = "a year in, an empty ledger is in progress"
earned = 2020-01-15
as_of = 2021-01-15
expect = { status = "in_progress", standing = "active" }
"""


def test_a_family_cases_file_runs_against_every_member(pytester: pytest.Pytester) -> None:
    pytester.mkdir("policies")
    folder = pytester.path / "policies"
    (folder / "_family.toml").write_text(catalog.base_text("isc2/family") or "", "utf-8")
    for name in ("cissp", "ccsp"):
        policy = catalog._texts()[f"isc2/{name}.toml"].replace(
            'extends = "isc2/family"', 'extends = "_family.toml"'
        )
        (folder / f"{name}.toml").write_text(policy, encoding="utf-8")
    (folder / "other.toml").write_text(
        catalog._texts()["isaca/cisa.toml"], encoding="utf-8"
    )  # extends another base: not a member
    (folder / "_family.cases.toml").write_text(FAMILY_CASE, encoding="utf-8")
    pytester.makeini("[pytest]\ncperules_cases = policies/_family.cases.toml\n")
    result = pytester.runpytest("-v", "policies")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "*_family.cases.toml::a year in, an empty ledger is in progress ?isc2/ccsp? PASSED*",
            "*?isc2/cissp? PASSED*",
        ]
    )
    for name in ("cissp", "ccsp"):
        (folder / f"{name}.toml").unlink()
    result = pytester.runpytest("policies")
    assert "no policy file beside _family.toml extends it" in (
        result.stdout.str() + result.stderr.str()
    )


def test_a_failing_case_shows_the_difference(pytester: pytest.Pytester) -> None:
    write_policy(pytester, PASSING.replace("total = 20", "total = 25"))
    pytester.makeini("[pytest]\ncperules_cases = policies/*.cases.toml\n")
    result = pytester.runpytest("policies")
    result.assert_outcomes(passed=1, failed=1)
    output = result.stdout.str()
    assert "policies/cissp.cases.toml :: short by twenty: FAILED\n" in output
    assert (
        "    cycles[0] (2020-01-15..2023-01-14).shortfall[total]: expected Decimal('25'), got Decimal('20')\n"
        in output
    )
    assert "Traceback" not in output


def test_a_cases_file_without_a_policy_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.mkdir("policies")
    (pytester.path / "policies" / "lonely.cases.toml").write_text(PASSING, encoding="utf-8")
    pytester.makeini("[pytest]\ncperules_cases = policies/*.cases.toml\n")
    result = pytester.runpytest("policies")
    assert "neither was found" in result.stdout.str() + result.stderr.str()


def test_fixtures(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import datetime as dt
        from cperules import Holding, Ledger

        def test_uses_fixtures(cpe_catalog, cpe_evaluate):
            result = cpe_evaluate(Holding(certification=cpe_catalog.get("CISSP"), earned=dt.date(2024, 1, 1)),
                                  Ledger(), as_of=dt.date(2024, 6, 1))
            assert result.status == "in_progress"
        """
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_importing_the_plugin_loads_neither_hypothesis_nor_the_engine() -> None:
    code = (
        "import sys, cperules.testing.plugin; "
        "heavy = [m for m in ('hypothesis', 'pydantic', 'cperules.evaluation') if m in sys.modules]; "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
