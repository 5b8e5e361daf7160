"""Audit readiness: counted credit without accepted proof, the "if audited" view, retention."""

import datetime as dt
import warnings
from decimal import Decimal

import pytest
from pydantic import ValidationError

from cperules import (
    Activity,
    AnniversaryCycle,
    ArgumentError,
    CategoryNode,
    Certification,
    Evidence,
    Holding,
    Ledger,
    LedgerError,
    PolicyVersion,
    evaluate,
    ready_for_audit,
)
from cperules.audit import Audit, EvidenceRule, Retention
from cperules.audit_readiness import AuditReadiness
from cperules.evidence import evidence_from_text
from cperules.results import Evaluation
from cperules.rules import Cap, Minimum, Prerequisite
from cperules.rules.carryover import Carryover
from cperules.selectors import activity_kind, approved, category

EARNED = dt.date(2024, 1, 1)
AFTER = dt.date(2025, 1, 15)  # the one-year cycle 2024 has ended


def certification(audit: Audit | None, *rules: object) -> Certification:
    version = PolicyVersion(
        effective_from=dt.date(2000, 1, 1),
        cycle=AnniversaryCycle(years=1),
        categories=(CategoryNode(code="A"), CategoryNode(code="B")),
        rules=rules or (Minimum(id="total", credits=Decimal(20)),),  # type: ignore[arg-type]
        audit=audit,
    )
    return Certification(id="demo/cert", name="Demo", body="Demo", unit="CPE", versions=(version,))


AUDIT = Audit(
    retention=Retention(years=3),
    evidence=(EvidenceRule(selector=category("B"), accepts=("certificate", "transcript")),),
)


def course(
    activity_id: str,
    credits: int,
    *,
    category_code: str = "A",
    evidence: str = "",
    completed: dt.date = dt.date(2024, 3, 1),
) -> Activity:
    return Activity(
        id=activity_id,
        title=f"Course {activity_id}",
        completed=completed,
        credits=Decimal(credits),
        category=category_code,
        evidence=evidence_from_text(evidence),
    )


def readiness(
    audit: Audit | None,
    *activities: Activity,
    as_of: dt.date = AFTER,
    rules: tuple[object, ...] = (),
) -> tuple[Evaluation, AuditReadiness]:
    result = evaluate(
        Holding(certification=certification(audit, *rules), earned=EARNED),
        Ledger(activities),
        as_of=as_of,
    )
    return result, ready_for_audit(result)


def test_a_policy_without_audit_rules_is_never_called_ready() -> None:
    _, view = readiness(None, course("a1", 20, evidence="certificate"))
    assert view.status == "no-evidence-rules"
    assert view.cycles[0].status == "no-evidence-rules"
    assert view.summary[0].startswith("no evidence rules published")
    assert not any("ready" in line for line in view.summary)


def test_every_counted_credit_with_accepted_proof_is_ready() -> None:
    result, view = readiness(
        AUDIT,
        course("a1", 12, evidence="log"),
        course("b1", 8, category_code="B", evidence="transcript:uni"),
    )
    assert view.status == "ready"
    assert view.status_if_audited == result.status
    assert view.cycles[0].cycle_status_if_audited == view.cycles[0].cycle_status == "compliant"
    assert view.summary[0] == "ready for an audit: every counted credit has accepted proof"
    assert "keep b1's transcript until 2027-12-31" in view.summary


def test_credit_without_accepted_proof_is_at_risk_and_re_evaluated() -> None:
    result, view = readiness(
        AUDIT,
        course("a1", 12, evidence="certificate"),
        course("b1", 5, category_code="B", evidence="log"),
        course("b2", 3, category_code="B"),
    )
    cycle = view.cycles[0]
    assert result.cycles[0].status == "compliant"
    assert view.status == "at-risk"
    assert cycle.record("b1").code == "proof-not-accepted"
    assert cycle.record("b1").wants == "certificate or transcript"
    assert cycle.record("b2").code == "no-proof"
    assert cycle.at_risk == Decimal(8)
    assert (cycle.counted, cycle.counted_if_audited) == (Decimal(20), Decimal(12))
    assert cycle.shortfall_if_audited == Decimal(8)
    assert cycle.cycle_status_if_audited == "non_compliant"
    assert cycle.requirements_if_audited[0].shortfall == Decimal(8)
    assert "at risk: 8 CPE without certificate or transcript" in view.summary
    assert "if audited, cycle 2024-01-01..2024-12-31 would be NOT compliant: 8 CPE short" in (
        view.summary
    )


def test_the_if_audited_view_is_an_evaluation_without_the_unproven_activities() -> None:
    activities = (
        course("a1", 12, evidence="certificate"),
        course("b1", 5, category_code="B", evidence="log"),
    )
    _, view = readiness(AUDIT, *activities)
    alone = evaluate(
        Holding(certification=certification(AUDIT), earned=EARNED),
        Ledger(activities[:1]),
        as_of=AFTER,
    )
    assert view.cycles[0].counted_if_audited == alone.cycles[0].counted
    assert view.cycles[0].requirements_if_audited == alone.cycles[0].requirements


def test_a_capped_activity_with_proof_takes_the_place_of_one_without() -> None:
    rules = (
        Minimum(id="total", credits=Decimal(20)),
        Cap(id="b-cap", selector=category("B"), credits=Decimal(10)),
    )
    _, view = readiness(
        AUDIT,
        course("a1", 10, evidence="certificate"),
        course("b1", 10, category_code="B", completed=dt.date(2024, 2, 1)),
        course("b2", 10, category_code="B", evidence="certificate"),
        rules=rules,
    )
    cycle = view.cycles[0]
    assert cycle.counted_if_audited == cycle.counted == Decimal(20)
    assert cycle.cycle_status_if_audited == cycle.cycle_status == "compliant"


def test_an_activity_no_entry_selects_needs_proof_of_any_kind() -> None:
    _, view = readiness(AUDIT, course("a1", 12, evidence="other:photo"), course("a2", 8))
    assert view.cycles[0].record("a1").code is None
    assert view.cycles[0].record("a1").wants is None
    assert view.cycles[0].record("a2").code == "no-proof"
    assert "at risk: 8 CPE without any proof" in view.summary


def test_all_of_needs_every_kind_together() -> None:
    audit = Audit(evidence=(EvidenceRule(all_of=("agenda", "attendance-record")),))
    _, view = readiness(
        audit,
        course("a1", 12, evidence="agenda"),
        course("a2", 8, evidence="agenda; attendance-record"),
    )
    assert view.cycles[0].record("a1").code == "proof-not-accepted"
    assert view.cycles[0].record("a2").code is None


@pytest.mark.parametrize(
    ("retention", "keep"),
    [
        (Retention(years=3), dt.date(2027, 12, 31)),
        (Retention(years=3, after="activity"), dt.date(2027, 3, 1)),
        (Retention(months=6, after="renewal"), dt.date(2025, 6, 30)),
    ],
)
def test_each_record_is_kept_as_the_retention_rule_says(
    retention: Retention, keep: dt.date
) -> None:
    _, view = readiness(Audit(retention=retention), course("a1", 20, evidence="certificate"))
    assert view.cycles[0].record("a1").keep_until == keep
    assert view.cycles[0].keep_until == keep


def test_a_cycle_past_its_retention_is_no_longer_open_to_an_audit() -> None:
    _, view = readiness(
        Audit(retention=Retention(months=1)), course("a1", 20), as_of=dt.date(2025, 6, 1)
    )
    assert view.cycles[0].open_on_as_of is False
    assert view.cycles[0].status == "at-risk"


def test_an_unproven_credential_that_meets_a_prerequisite_puts_the_cycle_at_risk() -> None:
    rules = (
        Minimum(id="total", credits=Decimal(20)),
        Prerequisite(id="cpr", selector=activity_kind("credential")),
    )
    card = Activity(
        id="cpr",
        title="CPR card",
        completed=dt.date(2024, 2, 1),
        kind="credential",
        valid_until=dt.date(2026, 1, 1),
    )
    result, view = readiness(Audit(), course("a1", 20, evidence="certificate"), card, rules=rules)
    assert result.cycles[0].status == "compliant"
    assert view.cycles[0].cycle_status_if_audited == "non_compliant"
    assert view.status == "at-risk"


def test_unproven_credit_carried_out_puts_the_cycle_at_risk() -> None:
    # The unproven course's 30 all carry out (latest first), so it counts nothing here;
    # left out, 10 of the proven course's 20 carry instead and the cycle counts 10.
    version = PolicyVersion(
        effective_from=dt.date(2000, 1, 1),
        cycle=AnniversaryCycle(years=1),
        categories=(CategoryNode(code="A"),),
        rules=(Minimum(id="total", credits=Decimal(10)),),
        carryover=Carryover(cap=Decimal(30)),
        audit=Audit(),
    )
    cert = Certification(id="demo/cert", name="Demo", body="Demo", unit="CPE", versions=(version,))
    ledger = Ledger(
        [
            course("proven", 20, evidence="certificate"),
            course("unproven", 30, completed=dt.date(2024, 12, 1)),
        ]
    )
    result = evaluate(Holding(certification=cert, earned=EARNED), ledger, as_of=AFTER)
    view = ready_for_audit(result)
    first = view.cycles[0]
    assert first.record("unproven").counted == 0
    assert (first.counted, first.counted_if_audited) == (Decimal(20), Decimal(10))
    assert first.cycle_status == first.cycle_status_if_audited == "compliant"
    assert first.status == "at-risk"
    assert f"if audited, cycle {first.period} would count 10 CPE instead of 20" in view.summary


def test_a_cycle_the_audited_history_never_reaches_is_at_risk() -> None:
    # 2024 is met only with the unproven CPR card (the prerequisite); without it the
    # certification ends with 2024, so 2025, whose credit is all proven, is never reached.
    rules = (
        Minimum(id="total", credits=Decimal(10)),
        Prerequisite(id="cpr", selector=activity_kind("credential")),
    )
    card = Activity(
        id="cpr-card",
        title="CPR card",
        completed=dt.date(2024, 2, 1),
        kind="credential",
        valid_until=dt.date(2026, 12, 31),
    )
    ledger = Ledger(
        [
            course("y1", 10, evidence="certificate"),
            course("y2", 10, evidence="certificate", completed=dt.date(2025, 3, 1)),
            card,
        ]
    )
    cert = certification(Audit(), *rules)
    result = evaluate(Holding(certification=cert, earned=EARNED), ledger, as_of=dt.date(2025, 6, 1))
    view = ready_for_audit(result)
    second = view.cycles[1]
    assert [r.at_risk for r in second.records] == [False]
    assert not second.reached_if_audited
    assert second.status == view.status == "at-risk"
    assert (second.counted, second.counted_if_audited) == (Decimal(10), Decimal(0))
    first = view.cycles[0]
    assert first.reached_if_audited
    assert f"if audited, cycle {first.period} would be NOT compliant" in view.summary
    assert (
        f"if audited, cycle {second.period} would not be reached (the certification would "
        "end unmet before it), and its 10 CPE would be lost" in view.summary
    )


def test_the_evaluation_is_left_unchanged() -> None:
    result, _ = readiness(AUDIT, course("b1", 20, category_code="B"))
    again = evaluate(
        Holding(certification=certification(AUDIT), earned=EARNED),
        Ledger([course("b1", 20, category_code="B")]),
        as_of=AFTER,
    )
    assert result == again
    assert ready_for_audit(result) == ready_for_audit(result)


def test_something_else_than_an_evaluation_is_refused() -> None:
    with pytest.raises(ArgumentError, match="expected the Evaluation"):
        ready_for_audit("isc2/cissp")  # type: ignore[arg-type]


def test_the_view_shows_in_text_html_markdown_and_records() -> None:
    _, view = readiness(
        AUDIT,
        course("a1", 12, evidence="certificate"),
        Activity(
            id="b<1>",
            title="<b>Talk</b>",
            completed=dt.date(2024, 3, 1),
            credits=Decimal(8),
            category="B",
        ),
    )
    text = str(view)
    assert text.startswith("demo/cert: at risk as of 2025-01-15")
    assert "b<1> '<b>Talk</b>': 8 CPE counted; proof none (no proof recorded)" in text
    html = view._repr_html_()
    assert "&lt;b&gt;Talk&lt;/b&gt;" in html
    assert "<b>Talk" not in html
    assert "at risk: 8 CPE without certificate or transcript" in html
    markdown = view._repr_markdown_()
    assert "| cycle | activity | counted | proof | needs | judged | keep until |" in markdown
    records = {row["activity_id"]: row for row in view.to_records()}
    assert records["b<1>"]["code"] == "no-proof"
    assert records["b<1>"]["at_risk"] is True
    assert records["a1"]["evidence"] == "certificate"
    assert records["a1"]["keep_until"] == "2027-12-31"


# --- the ledger side ----------------------------------------------------------------------


def test_evidence_reads_kind_and_reference_items_from_records() -> None:
    ledger = Ledger.from_records(
        [
            {
                "id": "a",
                "title": "T",
                "completed": "2024-01-01",
                "credits": "1",
                "evidence": "certificate:#12; agenda",
            }
        ]
    )
    (activity,) = ledger
    assert activity.evidence == (
        Evidence(kind="certificate", reference="#12"),
        Evidence(kind="agenda"),
    )
    assert ledger.to_records()[0]["evidence"] == "certificate:#12; agenda"
    assert Ledger.from_records(ledger.to_records()) == ledger


def test_evidence_with_a_date_round_trips_through_records() -> None:
    proof = Evidence(kind="receipt", dated=dt.date(2024, 1, 2), reference="a; b")
    ledger = Ledger(
        [
            Activity(
                id="a",
                title="T",
                completed=dt.date(2024, 1, 1),
                credits=Decimal(1),
                evidence=(proof,),
            )
        ]
    )
    assert Ledger.from_records(ledger.to_records()) == ledger


def test_a_misspelt_evidence_kind_in_records_is_located_with_a_suggestion() -> None:
    with pytest.raises(LedgerError) as caught:
        Ledger.from_records(
            [
                {
                    "id": "a",
                    "title": "T",
                    "completed": "2024-01-01",
                    "credits": "1",
                    "evidence": "transcrpt",
                }
            ]
        )
    assert "field 'evidence'" in str(caught.value)
    assert "did you mean 'transcript'?" in str(caught.value)


def test_old_free_text_evidence_is_kept_with_a_deprecation_warning() -> None:
    with pytest.warns(DeprecationWarning, match="free text is deprecated"):
        activity = Activity(
            id="a",
            title="T",
            completed=dt.date(2024, 1, 1),
            credits=Decimal(1),
            evidence="scan in the blue folder",  # type: ignore[arg-type]  # read at run time
        )
    assert activity.evidence == (Evidence(kind="other", reference="scan in the blue folder"),)


def test_evidence_in_records_form_gives_no_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        activity = Activity(
            id="a",
            title="T",
            completed=dt.date(2024, 1, 1),
            credits=Decimal(1),
            evidence="Certificate: #4",  # type: ignore[arg-type]  # read at run time
        )
    assert activity.evidence == (Evidence(kind="certificate", reference="#4"),)
    assert (
        Activity(
            id="a",
            title="T",
            completed=dt.date(2024, 1, 1),
            credits=Decimal(1),
            evidence=None,  # type: ignore[arg-type]
        ).evidence
        == ()
    )


def test_activities_whose_record_the_body_keeps_need_no_proof() -> None:
    """A body that records its own (or its approved providers') credit asks no proof of it."""

    audit = Audit(
        evidence=(
            EvidenceRule(selector=approved(), kept_by_body=True),
            EvidenceRule(accepts=("certificate",)),
        )
    )
    own = Activity(
        id="own",
        title="Body's course",
        completed=dt.date(2024, 1, 1),
        credits=Decimal(1),
        approved=True,
    )
    other = own.model_copy(update={"id": "other", "approved": False})
    assert audit.supported(own)
    assert not audit.supported(other)
    rule = audit.rule_for(own)
    assert rule is not None
    assert rule.wants() == "none (the body keeps the record)"
    with pytest.raises(ValidationError, match="kept_by_body: expected no accepts"):
        EvidenceRule(kept_by_body=True, accepts=("certificate",))
