"""Audit rules in a policy: ``[versions.audit]`` loads strictly, merges and round-trips."""

import datetime as dt
from decimal import Decimal

import pytest
from pydantic import ValidationError

from cperules.audit import Audit, EvidenceRule, Retention
from cperules.citations import SourceRef
from cperules.evidence import Evidence
from cperules.ledger import Activity
from cperules.policy_format import PolicyFormatError, dump_certification, load_certification
from cperules.selectors import category

HEAD = """
id = "example/cert"
name = "Example"
body = "Example body"
unit = "CPE"

[[versions]]
effective_from = 2024-01-01
cycle = { kind = "anniversary", years = 3 }
categories = [{ code = "A" }, { code = "B" }]

[[versions.citations]]
id = "h"
url = "https://example.org/handbook"
title = "Handbook"
"""

AUDIT = """
[versions.audit]
source = { citation = "h", clause = "Audit" }
selected = "random"
share = 0.05
respond_days = 90
retention = { years = 3, after = "cycle-end", source = { citation = "h", clause = "Records" } }

[[versions.audit.evidence]]
selector = { kind = "category", codes = ["B"] }
accepts = ["certificate", "transcript"]
source = { citation = "h", clause = "Group B" }

[[versions.audit.evidence]]
all_of = ["agenda", "attendance-record"]
source = { citation = "h", clause = "Other" }
"""


def problems(text: str) -> list[str]:
    with pytest.raises(PolicyFormatError) as caught:
        load_certification(text)
    return [str(problem) for problem in caught.value.problems]


def test_an_audit_table_loads_with_every_key() -> None:
    audit = load_certification(HEAD + AUDIT).versions[0].audit
    assert audit is not None
    assert audit.selected == "random"
    assert audit.share == Decimal("0.05")
    assert audit.respond_days == 90
    assert audit.retention == Retention(
        years=3, after="cycle-end", source=SourceRef(citation="h", clause="Records")
    )
    assert audit.evidence[0].selector == category("B")
    assert audit.evidence[0].accepts == ("certificate", "transcript")
    assert audit.evidence[1].all_of == ("agenda", "attendance-record")


def test_a_version_without_audit_says_nothing() -> None:
    assert load_certification(HEAD).versions[0].audit is None


def test_audit_round_trips_through_the_writer() -> None:
    certification = load_certification(HEAD + AUDIT)
    text = dump_certification(certification)
    assert "[versions.audit]" in text
    assert "[[versions.audit.evidence]]" in text
    assert load_certification(text) == certification


def test_a_misspelt_evidence_kind_is_located_with_a_suggestion() -> None:
    found = problems(HEAD + AUDIT.replace('"transcript"', '"transcrip"'))
    assert len(found) == 1
    assert "versions[0].audit.evidence[0].accepts[1]" in found[0]
    assert "did you mean 'transcript'?" in found[0]


def test_an_unknown_audit_key_is_located_with_a_suggestion() -> None:
    found = problems(HEAD + AUDIT.replace("respond_days", "respond_dayz"))
    assert "versions[0].audit.respond_dayz" in found[0]
    assert "did you mean 'respond_days'?" in found[0]


def test_an_unknown_retention_start_lists_the_choices() -> None:
    found = problems(HEAD + AUDIT.replace('after = "cycle-end"', 'after = "cycle-ends"'))
    assert "versions[0].audit.retention.after" in found[0]
    assert "did you mean 'cycle-end'?" in found[0]


def test_an_entry_needs_exactly_one_of_accepts_and_all_of() -> None:
    both = AUDIT.replace('all_of = ["agenda"', 'accepts = ["log"]\nall_of = ["agenda"')
    assert "not both" in problems(HEAD + both)[0]
    neither = AUDIT.replace('all_of = ["agenda", "attendance-record"]', "")
    assert "one of them" in problems(HEAD + neither)[0]


def test_a_share_beyond_one_is_refused() -> None:
    found = problems(HEAD + AUDIT.replace("share = 0.05", "share = 1.5"))
    assert "versions[0].audit.share" in found[0]
    assert "<= 1" in found[0]


def test_a_share_as_a_float_is_refused_in_python() -> None:
    with pytest.raises(ValidationError, match="exact amount"):
        Audit(share=0.05)  # type: ignore[arg-type]


def test_a_retention_of_no_time_is_refused() -> None:
    found = problems(HEAD + AUDIT.replace("years = 3, ", "years = 0, "))
    assert "at least one month" in found[0]


def test_an_audit_source_must_cite_a_known_citation() -> None:
    found = problems(
        HEAD
        + AUDIT.replace('clause = "Group B"', 'clause = "B"').replace(
            'source = { citation = "h", clause = "B" }', 'source = { citation = "hb" }'
        )
    )
    assert "audit.evidence[0]: source cites 'hb'" in found[0]


def test_an_audit_selector_must_name_declared_categories() -> None:
    found = problems(HEAD + AUDIT.replace('codes = ["B"]', 'codes = ["C"]'))
    assert "audit.evidence[0] selects category 'C'" in found[0]


def test_audit_selectors_add_to_the_vocabulary() -> None:
    text = HEAD + AUDIT.replace(
        'selector = { kind = "category", codes = ["B"] }',
        'selector = { kind = "activity-kind", kinds = ["publication"] }',
    )
    assert "publication" in load_certification(text).vocabulary().kinds


def test_a_family_base_audit_is_inherited_and_replaced_whole() -> None:
    base = HEAD.replace('id = "example/cert"\nname = "Example"\n', "") + AUDIT
    member = """
extends = "example/family"
id = "example/member"
name = "Member"
[[versions]]
effective_from = 2024-01-01
"""
    inherited = load_certification(member, bases={"example/family": base})
    assert inherited.versions[0].audit == load_certification(HEAD + AUDIT).versions[0].audit
    restated = (
        member
        + """
[versions.audit]
retention = { years = 6, source = { citation = "h" } }
"""
    )
    replaced = load_certification(restated, bases={"example/family": base}).versions[0].audit
    assert replaced == Audit(retention=Retention(years=6, source=SourceRef(citation="h")))


def test_a_family_base_audit_problem_names_the_base() -> None:
    base = HEAD.replace('id = "example/cert"\nname = "Example"\n', "") + AUDIT.replace(
        '"transcript"', '"transcrpt"'
    )
    member = 'extends = "example/family"\nid = "example/m"\nname = "M"\n'
    with pytest.raises(PolicyFormatError) as caught:
        load_certification(member, bases={"example/family": base})
    assert "in base example/family" in str(caught.value)


@pytest.mark.parametrize(
    ("retention", "expected"),
    [
        (Retention(years=3), dt.date(2029, 3, 31)),
        (Retention(years=3, after="activity"), dt.date(2027, 2, 28)),
        (Retention(years=1, months=6, after="renewal"), dt.date(2027, 10, 30)),
        (Retention(months=1), dt.date(2026, 4, 30)),
    ],
)
def test_retention_counts_from_its_start(retention: Retention, expected: dt.date) -> None:
    # The cycle ends 2026-03-31, credit is due (report-by) 2026-04-30; the activity is of
    # 2024-02-29, so three years after it clamps to 28 February.
    until = retention.keep_until(
        cycle_end=dt.date(2026, 3, 31), completed=dt.date(2024, 2, 29), due=dt.date(2026, 4, 30)
    )
    assert until == expected


def activity(category_code: str, *evidence: Evidence) -> Activity:
    return Activity(
        id="a",
        title="T",
        completed=dt.date(2024, 5, 1),
        credits=Decimal(1),
        category=category_code,
        evidence=evidence,
    )


def test_the_first_matching_entry_decides_and_others_take_any_proof() -> None:
    audit = Audit(
        evidence=(
            EvidenceRule(selector=category("B"), accepts=("certificate",)),
            EvidenceRule(selector=category("B"), accepts=("log",)),
        )
    )
    assert not audit.supported(activity("B", Evidence(kind="log")))
    assert audit.supported(activity("B", Evidence(kind="certificate")))
    assert audit.rule_for(activity("A")) is None
    assert audit.supported(activity("A", Evidence(kind="log")))
    assert not audit.supported(activity("A")), "no proof at all is never supported"


def test_all_of_needs_every_kind() -> None:
    rule = EvidenceRule(all_of=("agenda", "attendance-record"))
    assert not rule.accepted((Evidence(kind="agenda"),))
    assert rule.accepted((Evidence(kind="agenda"), Evidence(kind="attendance-record")))
