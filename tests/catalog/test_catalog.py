"""Checks every bundled certification gets, whatever its body: run over catalog.ids().

The cases themselves run through the pytest plugin's collector (the ``cperules_cases``
ini option), as they would in a user's project.
"""

from pathlib import Path

import pytest

from cperules import catalog, lint
from cperules.cases import load_cases
from cperules.policy_format import dump_certification, load_certification, parse_toml
from cperules.testing.checks import check_policy

IDS = catalog.ids()
SOURCE = Path(__file__).parents[2] / "catalogs"


def test_the_catalog_is_not_empty() -> None:
    assert IDS


@pytest.mark.skipif(not SOURCE.is_dir(), reason="needs the source tree's catalogs/ folder")
def test_ids_match_the_files_and_every_policy_and_base_has_cases() -> None:
    files = {
        p.relative_to(SOURCE).as_posix().removesuffix(".toml")
        for p in SOURCE.rglob("*.toml")
        if not p.name.endswith(".cases.toml")
    }
    policies = {f for f in files if not f.rsplit("/", 1)[-1].startswith("_")}
    cases = {
        p.relative_to(SOURCE).as_posix().removesuffix(".cases.toml")
        for p in SOURCE.rglob("*.cases.toml")
    }
    assert set(IDS) == policies
    # A family base's cases run against every certification that extends it.
    assert cases == files


def test_every_base_is_extended_by_a_certification() -> None:
    extended = {
        parse_toml(catalog._texts()[f"{certification_id}.toml"]).get("extends")
        for certification_id in IDS
    }
    assert set(catalog.base_names()) <= extended


@pytest.mark.parametrize("certification_id", IDS)
def test_loads_and_round_trips(certification_id: str) -> None:
    certification = catalog.get(certification_id)
    assert certification.id == certification_id
    assert load_certification(dump_certification(certification)) == certification
    for alias in certification.aliases:
        assert catalog.get(alias) is certification


# Lint warnings an entry has on purpose, each with the reason it is right: (id, code,
# category or rule) -> reason.
EXPECTED_WARNINGS = {
    ("isc2/cc", "unreachable-category", "B"): (
        "CC's requirements table allows no Group B credit; see the entry's uncertain notes"
    ),
}


@pytest.mark.parametrize("certification_id", IDS)
def test_lints_without_errors(certification_id: str) -> None:
    findings = lint(catalog.get(certification_id))
    assert [str(f) for f in findings if f.severity == "error"] == []
    # Warnings are allowed only with a recorded reason.
    warnings = {
        (certification_id, f.code, f.category or f.rule)
        for f in findings
        if f.severity == "warning"
    }
    assert warnings == {key for key in EXPECTED_WARNINGS if key[0] == certification_id}


@pytest.mark.parametrize("certification_id", IDS)
def test_every_version_is_cited_and_verified(certification_id: str) -> None:
    for version in catalog.get(certification_id).versions:
        assert version.citations, f"{certification_id} from {version.effective_from} cites nothing"
        assert all(c.url.startswith(("https://", "http://")) for c in version.citations)
        assert version.last_verified is not None


@pytest.mark.parametrize("certification_id", IDS)
def test_cases_stand_on_each_side_of_every_effective_date(certification_id: str) -> None:
    cases = load_cases(catalog.cases_text(certification_id))
    assert len(cases) >= 5
    for version in catalog.get(certification_id).versions:
        start = version.effective_from
        assert any(case.earned < start or case.as_of < start for case in cases), (
            f"no case before {start}"
        )
        assert any(case.earned >= start for case in cases), f"no case from {start}"


@pytest.mark.parametrize("certification_id", IDS)
def test_every_citation_presented_as_the_bodys_is_on_the_bodys_own_domains(
    certification_id: str,
) -> None:
    certification = catalog.get(certification_id)
    assert certification.domains, f"{certification_id} declares no domains of its own"
    off = [(index, c.url) for index, c in certification.off_domain_citations()]
    assert off == [], "cite the body's URL (the copy in copy_url) or mark it third_party"
    for version in certification.versions:
        if any(c.third_party for c in version.citations):
            assert version.uncertain, "a third-party citation needs an uncertain note"


@pytest.mark.parametrize("certification_id", IDS)
def test_every_rule_names_its_source(certification_id: str) -> None:
    for version in catalog.get(certification_id).versions:
        unsourced = [rule.id for rule in version.rules if rule.source is None]
        assert unsourced == [], f"rules without a source from {version.effective_from}"
        assert version.cycle.source is not None, "the cycle (its end day) names no source"
        if version.audit is not None:
            audit = version.audit
            unsourced_audit = [
                f"evidence[{i}]" for i, e in enumerate(audit.evidence) if not e.source
            ]
            if audit.retention is not None and audit.retention.source is None:
                unsourced_audit.append("retention")
            facts = (audit.selected, audit.share, audit.respond_days)
            if any(fact is not None for fact in facts) and audit.source is None:
                unsourced_audit.append("audit (selected, share, respond_days)")
            assert unsourced_audit == [], (
                f"audit parts without a source from {version.effective_from}"
            )


def _asserts_an_end_day(cases_text: str) -> bool:
    """Whether some case states the day a cycle ends (the body's expiry or due date)."""
    return any(
        cycle.end is not None for case in load_cases(cases_text) for cycle in case.expect.cycles
    )


@pytest.mark.parametrize("certification_id", IDS)
def test_a_case_states_the_day_the_cycle_ends(certification_id: str) -> None:
    # One case per family (in the base's cases file, run against every member) or, where
    # members' cycles differ, one in the member's own cases: the day the cited clause says
    # a holding earned on a given date expires.
    extends = parse_toml(catalog._texts()[f"{certification_id}.toml"]).get("extends")
    family_cases = (
        catalog._texts().get(f"{extends.replace('/', '/_')}.cases.toml") if extends else None
    )
    assert (family_cases is not None and _asserts_an_end_day(family_cases)) or _asserts_an_end_day(
        catalog.cases_text(certification_id)
    ), "no case states the day a cycle ends"


def test_data_version_is_stable_and_short() -> None:
    assert catalog.data_version() == catalog.data_version()
    assert len(catalog.data_version()) == 16


@pytest.mark.parametrize("certification_id", IDS)
def test_the_generic_invariants_hold(certification_id: str, catalog_examples: int) -> None:
    # A few generated ledgers per entry at the desk, 100 in CI (tests/conftest.py); the
    # seed keeps each run's examples the same.
    known = KNOWN_BREACHES.get(certification_id)
    if known is not None and catalog_examples >= 100:
        # Pinned until the engine is fixed: then this fails, and the entry goes.
        with pytest.raises(AssertionError, match=known):
            check_policy(catalog.get(certification_id), max_examples=catalog_examples, seed=0)
        return
    check_policy(catalog.get(certification_id), max_examples=catalog_examples, seed=0)


# Invariants that 100 examples (the CI profile) find broken, pinned by the message until
# fixed (issue 18's CI profile found them): id -> the start of check_policy's message.
KNOWN_BREACHES: dict[str, str] = {
    # Empty. pe/new-jersey was pinned here (adding an activity raised a later cycle's
    # shortfall from 13 to 13.25). After issue 16's allocation changes (and with the
    # generators' new draws) the examples no longer find it: seed 0 at 100 examples,
    # seeds 1 and 2 at 150. Not shown fixed, only not found, so the entry went as its pin
    # said it would, and the invariant runs as for every entry.
}
