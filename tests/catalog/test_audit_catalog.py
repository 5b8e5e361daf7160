"""The bundled families' audit rules (issue 19): proof each body accepts, records' keep-until.

Each family whose base states evidence or retention rules has a worked audit in its
entries' cases files (`expect.audit`): a ledger evaluated as the holder has it and "as
audited", without the counted activities whose proof the body does not accept (a
re-evaluation, not an estimate), with the credit at risk, what an audit leaves and the
day until which each record must be kept, every number derived in the case's description
from the clause the policy cites. This file holds what a case cannot state: the published
audit facts (how holders are picked, days to answer) and the families whose own documents
are silent on audits, which carry no audit part and say in their `uncertain` notes which
documents were checked.
"""

import datetime as dt

import pytest

from cperules import catalog

# The IT families' worked audits (ISACA, PMI, SHRM, HRCI, CompTIA, GIAC) are cases in their
# entries' cases files (`expect.audit`: credit at risk, what an audit leaves, keep-until
# days), each deriving its numbers from the cited clause in its description.


SILENT = ["isc2", "iiba", "iapp", "eccouncil", "asq", "atd", "scrum-alliance", "cisco"]


@pytest.mark.parametrize("family", SILENT)
def test_a_family_silent_on_audits_has_no_audit_part_and_says_what_was_checked(
    family: str,
) -> None:
    members = [i for i in catalog.ids() if i.startswith(f"{family}/")]
    assert members
    for certification_id in members:
        for version in catalog.get(certification_id).versions:
            assert version.audit is None
            assert any(note.startswith("Audit, proof and records:") for note in version.uncertain)


# ---------------------------------------------------------------------------------------
# Issue 19, accountancy and finance bodies: state boards of accountancy (cpa/*), IMA,
# ACFE, the IRS (enrolled agents), and the bodies found silent (IIA, FINRA, two boards).
# The worked audits are cases in the entries' cases files (`expect.audit`); here, the
# published facts a case does not state.
# ---------------------------------------------------------------------------------------


# (id, how holders are selected, days to answer, retention years, evidence entries):
# Maryland's Board allows 30 days to answer and publishes no retention (its CPE Audit
# page); ACFE selects randomly, allows 60 days and keeps proof three years (Maintaining
# CPE Records; CPE FAQs); North Carolina and Oregon may audit (21 NCAC 08G .0406(a);
# OAR 801-040-0070) but name no proof and no retention.
@pytest.mark.parametrize(
    ("certification_id", "selected", "respond_days", "retention_years", "evidence_entries"),
    [
        ("cpa/maryland", None, 30, None, 1),
        ("acfe/cfe", "random", 60, 3, 1),
        ("cpa/north-carolina", None, None, None, 0),
        ("cpa/oregon", None, None, None, 0),
    ],
)
def test_accountancy_bodies_published_audit_facts_are_as_read(
    certification_id: str,
    selected: str | None,
    respond_days: int | None,
    retention_years: int | None,
    evidence_entries: int,
) -> None:
    audit = catalog.get(certification_id).version_on(dt.date(2023, 4, 1)).audit
    assert audit is not None
    assert (audit.selected, audit.respond_days) == (selected, respond_days)
    years = audit.retention.years if audit.retention is not None else None
    assert years == retention_years
    assert len(audit.evidence) == evidence_entries


# Bodies whose documents read are silent on audits: no audit part, and a note naming the
# documents checked (in every version they cover).
@pytest.mark.parametrize(
    ("certification_id", "on"),
    [
        ("cpa/district-of-columbia", dt.date(2024, 6, 1)),
        ("cpa/massachusetts", dt.date(2024, 6, 1)),
        ("cpa/pennsylvania", dt.date(2016, 6, 1)),
        ("iia/cia", dt.date(2024, 6, 1)),
        ("iia/crma", dt.date(2024, 6, 1)),
        ("finra/regulatory-element", dt.date(2024, 6, 1)),
    ],
)
def test_accountancy_and_finance_bodies_silent_on_audits_say_what_was_checked(
    certification_id: str, on: dt.date
) -> None:
    version = catalog.get(certification_id).version_on(on)
    assert version.audit is None
    assert any(note.startswith("Audit, proof and records:") for note in version.uncertain)


# CLE (catalogs/cle): the worked audits of Arizona, Nevada, New Jersey and Virginia are cases
# in their entries' cases files (`expect.audit`). The other states' own documents read are
# silent on audits; each version says which were checked.
CLE_SILENT = [
    "alabama", "alaska", "arkansas", "colorado", "connecticut", "delaware", "georgia",
    "illinois", "iowa", "kentucky", "mississippi", "missouri", "montana", "nebraska",
    "new-mexico", "new-york", "ohio", "oklahoma", "pennsylvania", "rhode-island",
    "south-carolina", "tennessee", "texas", "west-virginia", "wisconsin",
]  # fmt: skip


@pytest.mark.parametrize("state", CLE_SILENT)
def test_cle_a_state_silent_on_audits_has_no_audit_part_and_says_what_was_checked(
    state: str,
) -> None:
    for version in catalog.get(f"cle/{state}").versions:
        assert version.audit is None
        assert any(note.startswith("Audit, proof and records:") for note in version.uncertain)


# --- State boards of nursing (rn/) and medical boards (md/), issue 19 -------------------
# Their audit checks are cases beside each entry (expect.audit: rn/ohio, md/alabama,
# md/california, md/michigan, md/pennsylvania, md/virginia, md/wisconsin, md/tennessee,
# md/illinois; also nccpa/pa-c and bcen/cen). Boards whose documents read are silent, or
# that require no continuing education for renewal, carry no audit part and say so in
# every version.
STATE_BOARDS_WITHOUT_AUDIT = [
    "rn/illinois",
    "rn/michigan",
    "rn/new-jersey",
    "rn/indiana",
    "rn/mississippi",
    "rn/missouri",
    "rn/wisconsin",
    "md/georgia",
    "md/new-jersey",
    "md/texas",
]


@pytest.mark.parametrize("certification_id", STATE_BOARDS_WITHOUT_AUDIT)
def test_state_boards_without_audit_rules_say_what_was_checked(certification_id: str) -> None:
    for version in catalog.get(certification_id).versions:
        assert version.audit is None
        assert any(note.startswith("Audit, proof and records:") for note in version.uncertain)
