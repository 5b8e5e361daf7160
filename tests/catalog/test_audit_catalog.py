"""The bundled families' audit rules (issue 19): proof each body accepts, records' keep-until.

For every family whose base states evidence or retention rules, a ledger is evaluated as
the holder has it and again "as audited": without the counted activities whose proof the
body does not accept (a re-evaluation, not an estimate). The two show the difference in
standing a holder risks; where the body publishes a retention period, the day until which
a record must be kept is pinned against the cited clause. Every expected number is
derived by hand in a comment from the clause the policy cites.

The families whose own documents are silent on audits carry no audit part, and say so in
their `uncertain` notes (which documents were checked).
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import pytest

from cperules import Activity, Holder, Holding, Ledger, catalog, evaluate
from cperules.evidence import Evidence
from cperules.results import Evaluation


@dataclass(frozen=True)
class AuditView:
    """A ledger's evaluation, the activities an audit would disallow, and the re-evaluation."""

    as_held: Evaluation
    disallowed: tuple[str, ...]
    as_audited: Evaluation


def audit_view(holding: Holding, activities: Sequence[Activity], as_of: dt.date) -> AuditView:
    """Evaluate, then evaluate again without each counted activity whose proof fails."""
    certification = catalog.get(str(holding.certification))
    by_id = {activity.id: activity for activity in activities}
    as_held = evaluate(holding, Ledger(list(activities)), as_of=as_of)
    disallowed: list[str] = []
    for cycle in as_held.cycles:
        audit = certification.version_on(cycle.version_from).audit
        assert audit is not None, f"{certification.id}: no audit part from {cycle.version_from}"
        for outcome in cycle.activities:
            if outcome.counted > 0 and not audit.supported(by_id[outcome.activity_id]):
                disallowed.append(outcome.activity_id)
    kept = [activity for activity in activities if activity.id not in disallowed]
    as_audited = evaluate(holding, Ledger(kept), as_of=as_of)
    return AuditView(as_held, tuple(disallowed), as_audited)


def keep_until(certification_id: str, activity: Activity, cycle_end: dt.date) -> dt.date:
    """The day the records of ``activity``, counted in a cycle ending ``cycle_end``, are kept to."""
    version = catalog.get(certification_id).version_on(cycle_end)
    assert version.audit is not None
    assert version.audit.retention is not None
    return version.audit.retention.keep_until(cycle_end=cycle_end, completed=activity.completed)


def proof(*kinds: str) -> tuple[Evidence, ...]:
    return tuple(Evidence(kind=kind) for kind in kinds)  # type: ignore[arg-type]


def activity(
    activity_id: str, completed: dt.date, credits: int, category: str, *kinds: str, **more: object
) -> Activity:
    return Activity(
        id=activity_id,
        title=f"Activity {activity_id}",
        completed=completed,
        credits=Decimal(credits),
        category=category,
        evidence=proof(*kinds),
        **more,  # type: ignore[arg-type]
    )


# ISACA (isaca/family): every activity needs a Verification of Attendance Form, a
# certificate, a verified confirmation letter or an independent proof of completion
# (Annual CPE Audit, 2018 edition, Submitting Documentation); a registration receipt is
# named as non-compliant. No retention period is encoded (see the base's uncertain notes).
def test_isaca_a_registration_receipt_alone_fails_the_audit_and_leaves_the_cycle_short() -> None:
    # CISA earned 2019-06-01: the three-year period is 2020-01-01..2022-12-31, 20 a year
    # and 120 in all (Certification Status Options).
    holding = Holding(certification="isaca/cisa", earned=dt.date(2019, 6, 1))
    ledger = [
        activity("y1", dt.date(2020, 5, 4), 40, "non-isaca-education", "certificate"),
        activity("y2", dt.date(2021, 5, 3), 40, "non-isaca-education", "attendance-record"),
        activity("y3", dt.date(2022, 5, 2), 25, "non-isaca-education", "transcript"),
        activity("y3-receipt", dt.date(2022, 9, 5), 15, "non-isaca-education", "receipt"),
    ]
    view = audit_view(holding, ledger, dt.date(2023, 6, 1))
    held = view.as_held.cycles[0]
    assert (held.period.start, held.period.end) == (dt.date(2020, 1, 1), dt.date(2022, 12, 31))
    # As held: 40 + 40 + 25 + 15 = 120, at least 20 in each year.
    assert held.status == "compliant"
    assert held.counted == Decimal(120)
    # As audited: the receipt is not accepted, so its 15 go: 105, short 15 of the 120
    # (2022 still has 25 of its 20).
    assert view.disallowed == ("y3-receipt",)
    audited = view.as_audited.cycles[0]
    assert audited.status == "non_compliant"
    assert audited.requirement("total").shortfall == Decimal(15)
    # With a verified confirmation letter beside the receipt, it stands.
    ledger[3] = ledger[3].model_copy(update={"evidence": proof("receipt", "employer-letter")})
    assert audit_view(holding, ledger, dt.date(2023, 6, 1)).disallowed == ()


# PMI (pmi/family): no kinds of proof are named, so any proof supports a PDU and none at
# all does not; documentation is kept "at least 18 months after your CCR cycle has ended"
# (Maintain Certification FAQ, "When reporting PDU activities, is any supporting
# documentation required?").
def test_pmi_a_pdu_without_documentation_is_lost_and_records_are_kept_18_months() -> None:
    # PMP earned 2021-03-01: the cycle ends the day before the third anniversary,
    # 2024-02-29; 60 PDUs, at least 8 in each Talent Triangle area.
    holding = Holding(certification="pmi/pmp", earned=dt.date(2021, 3, 1))
    ledger = [
        activity("ww", dt.date(2022, 1, 10), 20, "ways-of-working", "certificate"),
        activity("ps", dt.date(2022, 6, 10), 20, "power-skills", "log"),
        activity("ba", dt.date(2023, 2, 10), 20, "business-acumen"),
    ]
    view = audit_view(holding, ledger, dt.date(2024, 6, 1))
    held = view.as_held.cycles[0]
    assert held.period.end == dt.date(2024, 2, 29)
    assert held.requirement("total").shortfall == 0
    # As audited: the Business Acumen course has no documentation at all: 40 of 60.
    assert view.disallowed == ("ba",)
    audited = view.as_audited.cycles[0]
    assert audited.requirement("total").shortfall == Decimal(20)
    assert audited.requirement("business-acumen").shortfall == Decimal(8)
    # Keep records until 18 months after 2024-02-29: 2025-08-29 (FAQ, as cited).
    assert keep_until("pmi/pmp", ledger[0], held.period.end) == dt.date(2025, 8, 29)
    audit = catalog.get("pmi/pmp").version_on(held.period.end).audit
    assert audit is not None
    assert audit.retention is not None
    assert audit.retention.source is not None
    assert audit.retention.source.citation == "faq"


# SHRM (shrm/family): records are kept "for up to six months after the end of your
# three-year recertification period" (Recertification Q&A: Audit Documentation, 2018);
# no evidence entries, so any proof supports a PDC and none at all does not.
def test_shrm_records_are_kept_six_months_after_the_cycle_and_unproved_pdcs_are_lost() -> None:
    # Passed 2021-05-03, born in July: the cycle ends 2024-07-31 (At-a-Glance), 60 PDCs.
    holding = Holding(
        certification="shrm/shrm-cp",
        earned=dt.date(2021, 5, 3),
        holder=Holder(birth_date=dt.date(1980, 7, 15)),
    )
    ledger = [
        activity("e1", dt.date(2022, 2, 1), 50, "education", "certificate"),
        activity("e2", dt.date(2023, 9, 1), 10, "education"),
    ]
    view = audit_view(holding, ledger, dt.date(2024, 10, 15))
    held = view.as_held.cycles[0]
    assert held.period.end == dt.date(2024, 7, 31)
    assert held.status == "compliant"
    # As audited: e2 has no documentation: 50 of 60.
    assert view.disallowed == ("e2",)
    assert view.as_audited.cycles[0].requirement("total").shortfall == Decimal(10)
    # Six months after 2024-07-31: 2025-01-31.
    assert keep_until("shrm/shrm-cp", ledger[0], held.period.end) == dt.date(2025, 1, 31)


# HRCI (hrci/family, from 2021): research and publishing needs proof of authorship;
# on-the-job experience project documents; any other activity a certificate or letter of
# attendance/completion, or a registration form, receipt or email confirmation
# (Recertification Audit Process). No retention period is published.
def test_hrci_a_publication_needs_proof_of_authorship_not_a_certificate() -> None:
    # PHR passed 2021-06-15: the cycle ends on the last day of the month of the third
    # anniversary, 2024-06-30; 60 credits including one ethics credit, at most 40 of
    # Professional Achievement.
    holding = Holding(certification="hrci/phr", earned=dt.date(2021, 6, 15))
    ledger = [
        activity("course", dt.date(2022, 3, 1), 40, "instructor-led", "certificate"),
        activity("ethics", dt.date(2022, 4, 1), 1, "instructor-led", "receipt", topics=("ethics",)),
        activity("article", dt.date(2023, 1, 10), 10, "research", "certificate"),
        activity("project", dt.date(2023, 6, 1), 9, "on-the-job", "other"),
    ]
    view = audit_view(holding, ledger, dt.date(2024, 7, 15))
    held = view.as_held.cycles[0]
    assert held.period.end == dt.date(2024, 6, 30)
    assert held.status == "compliant"  # 40 + 1 + 10 + 9 = 60, with the ethics credit
    # As audited: a certificate does not verify authorship: 50 of 60.
    assert view.disallowed == ("article",)
    assert view.as_audited.cycles[0].requirement("total").shortfall == Decimal(10)
    # With a copy of the publication it stands.
    ledger[2] = ledger[2].model_copy(update={"evidence": proof("publication")})
    assert audit_view(holding, ledger, dt.date(2024, 7, 15)).disallowed == ()


# CompTIA (comptia/family): a training course needs both a description/outline of its
# content and a completion certificate (Training and Higher Education, Documentation);
# other activities have no evidence entry, so any proof supports them.
def test_comptia_a_training_course_needs_its_outline_and_its_certificate() -> None:
    # Security+ earned 2021-03-10: the cycle ends on the third anniversary, 2024-03-10;
    # 50 CEUs, webinars at most 10.
    holding = Holding(certification="comptia/security-plus", earned=dt.date(2021, 3, 10))
    ledger = [
        activity("t1", dt.date(2022, 1, 20), 30, "training", "syllabus", "certificate"),
        activity("t2", dt.date(2023, 1, 20), 10, "training", "certificate"),
        activity("w1", dt.date(2023, 5, 2), 10, "webinar", "receipt"),
    ]
    view = audit_view(holding, ledger, dt.date(2024, 6, 1))
    held = view.as_held.cycles[0]
    assert held.period.end == dt.date(2024, 3, 10)
    assert held.status == "compliant"  # 30 + 10 + 10 = 50
    # As audited: t2 has a certificate but no outline: 40 of 50. The webinar's receipt
    # stands (no evidence entry selects webinars).
    assert view.disallowed == ("t2",)
    assert view.as_audited.cycles[0].requirement("total").shortfall == Decimal(10)


# GIAC (giac/family): SANS & GIAC activities need a certificate of completion; community
# participation any of a certificate, receipt, publication, log or other proof (each
# renewal page's Required Supporting Documentation). No retention period is published.
def test_giac_sans_training_needs_its_certificate_of_completion() -> None:
    # GSEC earned 2020-01-15: the cycle ends the day before the fourth anniversary,
    # 2024-01-14; 36 CPE, community participation at most 12.
    holding = Holding(certification="giac/gsec", earned=dt.date(2020, 1, 15))
    ledger = [
        activity("sans", dt.date(2022, 9, 12), 30, "sans-giac", "receipt"),
        activity("webcast", dt.date(2023, 3, 1), 6, "community", "log"),
    ]
    view = audit_view(holding, ledger, dt.date(2024, 3, 1))
    held = view.as_held.cycles[0]
    assert held.period.end == dt.date(2024, 1, 14)
    assert held.status == "compliant"  # 30 + 6 = 36
    # As audited: a receipt is not a certificate of completion: 6 of 36.
    assert view.disallowed == ("sans",)
    assert view.as_audited.cycles[0].requirement("total").shortfall == Decimal(30)
    # The webcast's short summary (a log) is accepted for community participation.
    ledger[0] = ledger[0].model_copy(update={"evidence": proof("certificate")})
    assert audit_view(holding, ledger, dt.date(2024, 3, 1)).disallowed == ()


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


# --- State boards of nursing (rn/) and state medical boards (md/), issue 19 ---------------


def state_activity(
    activity_id: str, completed: dt.date, credits: int, *kinds: str, **more: object
) -> Activity:
    """An activity without a category (the state files name none), with its proof."""
    return Activity(
        id=activity_id,
        title=f"Activity {activity_id}",
        completed=completed,
        credits=Decimal(credits),
        evidence=proof(*kinds),
        **more,  # type: ignore[arg-type]
    )


# Ohio (rn/ohio): proof is a copy of the provider's certificate, a school transcript or
# grade report, or other documentation meeting the rule (OAC 4723-14-06(B)(1)-(3)); it is
# kept "for six years" (4723-14-06(A)), read as six years from the activity's completion;
# an audited nurse answers within sixty days of the notice (4723-14-07(A)(3)).
def test_rn_ohio_a_receipt_is_not_proof_of_completion_and_proof_is_kept_six_years() -> None:
    # Licensed by examination 2018-03-01: period 0 (to 2019-10-31) is exempt
    # (4723-14-03(A)(1)); period 1 is 2019-11-01..2021-10-31, 24 contact hours with at
    # least 1 of category A (4723-14-03(A)).
    holding = Holding(certification="rn/ohio", earned=dt.date(2018, 3, 1))
    ledger = [
        state_activity("conference", dt.date(2020, 5, 1), 20, "certificate"),
        state_activity("law", dt.date(2021, 2, 1), 1, "transcript", topics=("ohio-category-a",)),
        state_activity("webinar", dt.date(2021, 3, 1), 3, "receipt"),
    ]
    view = audit_view(holding, ledger, dt.date(2021, 11, 15))
    held = view.as_held.cycles[1]
    assert (held.period.start, held.period.end) == (dt.date(2019, 11, 1), dt.date(2021, 10, 31))
    assert held.status == "compliant"  # 20 + 1 + 3 = 24, 1 of category A
    # As audited: a payment receipt is none of the three proofs: 21 of 24.
    assert view.disallowed == ("webinar",)
    audited = view.as_audited.cycles[1]
    assert audited.requirement("total").shortfall == Decimal(3)
    assert audited.requirement("category-a").shortfall == 0
    # "Other documentation that meets the requirements" (B)(3) stands.
    ledger[2] = ledger[2].model_copy(update={"evidence": proof("other")})
    assert audit_view(holding, ledger, dt.date(2021, 11, 15)).disallowed == ()
    # Six years from completion on 2021-02-01: 2027-02-01 (4723-14-06(A)).
    assert keep_until("rn/ohio", ledger[1], held.period.end) == dt.date(2027, 2, 1)
    audit = catalog.get("rn/ohio").version_on(held.period.end).audit
    assert audit is not None
    assert audit.respond_days == 60  # 4723-14-07(A)(3): within sixty days of the notice


STATE_SILENT = [
    "rn/illinois",
    "rn/michigan",
    "rn/new-jersey",
    "rn/indiana",
    "rn/mississippi",
    "rn/missouri",
    "rn/wisconsin",
]


@pytest.mark.parametrize("certification_id", STATE_SILENT)
def test_a_state_board_silent_on_audits_has_no_audit_part_and_says_what_was_checked(
    certification_id: str,
) -> None:
    for version in catalog.get(certification_id).versions:
        assert version.audit is None
        assert any(note.startswith("Audit, proof and records:") for note in version.uncertain)


# Alabama (md/alabama): certificates of attendance, completion certificates, proof of
# registration or similar documentation issued by the sponsor, kept "three (3) years
# following the year in which the continuing medical education credits were earned"
# (540-X-14-.10); the year is the calendar-year cycle.
def test_md_alabama_a_self_kept_log_fails_and_records_are_kept_three_years_after_the_year() -> None:
    # Licensed 2016-05-10: 2016 is exempt, 2017 owes 25 Category 1 credits (540-X-14-.02(1)).
    holding = Holding(certification="md/alabama", earned=dt.date(2016, 5, 10))
    ledger = [
        activity("update", dt.date(2017, 6, 1), 20, "cat1", "receipt"),
        activity("grand-rounds", dt.date(2017, 9, 1), 5, "cat1", "log"),
    ]
    view = audit_view(holding, ledger, dt.date(2018, 1, 15))
    held = view.as_held.cycles[1]
    assert held.period.end == dt.date(2017, 12, 31)
    assert held.status == "compliant"  # 20 + 5 = 25
    # As audited: proof of registration stands; the physician's own log does not: 20 of 25.
    assert view.disallowed == ("grand-rounds",)
    assert view.as_audited.cycles[1].requirement("category-1").shortfall == Decimal(5)
    # Three years following 2017: 2020-12-31.
    assert keep_until("md/alabama", ledger[0], held.period.end) == dt.date(2020, 12, 31)


# California (md/california): an annual audit; documentation kept "for a minimum of four
# years" (MBC, Audit and Waiver Information), read from the activity; no kinds of proof.
def test_md_california_unproved_hours_are_lost_and_records_are_kept_four_years() -> None:
    # Licensed 2023-07-31, born in July: the second term is 2025-08-01..2027-07-31, 50
    # hours (16 CCR 1336(a)); the 12 pain-management hours were owed by the first.
    holding = Holding(
        certification="md/california",
        earned=dt.date(2023, 7, 31),
        holder=Holder(birth_date=dt.date(1985, 7, 14)),
    )
    ledger = [
        state_activity("pain", dt.date(2024, 3, 1), 12, "certificate", topics=("pain-management",)),
        state_activity("rest", dt.date(2024, 9, 1), 38, "certificate"),
        state_activity("cardiology", dt.date(2026, 9, 1), 40, "transcript"),
        state_activity("reading", dt.date(2027, 1, 10), 10),
    ]
    view = audit_view(holding, ledger, dt.date(2027, 8, 15))
    second = view.as_held.cycles[1]
    assert (second.period.start, second.period.end) == (dt.date(2025, 8, 1), dt.date(2027, 7, 31))
    assert second.status == "compliant"  # 40 + 10 = 50
    # As audited: the reading has no documentation at all: 40 of 50.
    assert view.disallowed == ("reading",)
    assert view.as_audited.cycles[1].requirement("total").shortfall == Decimal(10)
    # Four years from completion on 2026-09-01: 2030-09-01.
    assert keep_until("md/california", ledger[2], second.period.end) == dt.date(2030, 9, 1)


# Michigan (md/michigan): a sample of renewed licensees is audited (R 338.2441(4));
# documentation is kept "for 4 years after the date of applying for license renewal"
# (R 338.2441(3)), read from the cycle's due date.
def test_md_michigan_records_are_kept_four_years_after_renewal() -> None:
    # Licensed 2024-03-19: the cycle ends 2027-03-18; 150 hours, 75 Category 1, 1 ethics,
    # 3 pain with 1 on controlled substances (R 338.2441(2), R 338.2443(1)).
    holding = Holding(certification="md/michigan", earned=dt.date(2024, 3, 19))
    ledger = [
        activity("eth", dt.date(2024, 9, 1), 1, "cat1", "certificate", topics=("medical-ethics",)),
        activity(
            "cs",
            dt.date(2025, 1, 15),
            1,
            "cat1",
            "certificate",
            topics=("pain-symptom-management", "controlled-substance-prescribing"),
        ),
        activity(
            "pain",
            dt.date(2025, 2, 15),
            2,
            "cat1",
            "certificate",
            topics=("pain-symptom-management",),
        ),
        activity("c1", dt.date(2025, 6, 1), 71, "cat1", "certificate"),
        activity("c2", dt.date(2027, 3, 18), 75, "cat2"),
    ]
    view = audit_view(holding, ledger, dt.date(2027, 4, 1))
    held = view.as_held.cycles[0]
    assert held.period.end == dt.date(2027, 3, 18)
    assert held.status == "compliant"
    # As audited: the Category 2 reading has no documentation: 75 of 150.
    assert view.disallowed == ("c2",)
    assert view.as_audited.cycles[0].requirement("total").shortfall == Decimal(75)
    # 4 years after 2027-03-18: 2031-03-18.
    assert keep_until("md/michigan", ledger[0], held.period.end) == dt.date(2031, 3, 18)


# Pennsylvania (md/pennsylvania): "official documentation of attendance" kept "for 2 years
# after renewal" and produced under random audits (49 Pa. Code § 16.19(b)(2)).
def test_md_pennsylvania_a_personal_log_is_not_official_documentation() -> None:
    # Licensed 2005-06-01: exempt to 2006-12-31; 2007-01-01..2008-12-31 owes 100 hours,
    # 20 Category 1, 12 in patient safety (§ 16.19(b), (b)(1)).
    holding = Holding(certification="md/pennsylvania", earned=dt.date(2005, 6, 1))
    ledger = [
        activity("cat1", dt.date(2007, 4, 1), 20, "cat1", "certificate"),
        activity(
            "safety",
            dt.date(2007, 9, 1),
            12,
            "cat2",
            "attendance-record",
            topics=("patient-safety",),
        ),
        activity("journals", dt.date(2008, 6, 1), 68, "cat2", "log"),
    ]
    view = audit_view(holding, ledger, dt.date(2009, 1, 15))
    held = view.as_held.cycles[1]
    assert held.period.end == dt.date(2008, 12, 31)
    assert held.status == "compliant"  # 20 + 12 + 68 = 100
    # As audited: the journal log is not official documentation: 32 of 100.
    assert view.disallowed == ("journals",)
    assert view.as_audited.cycles[1].requirement("total").shortfall == Decimal(68)
    # 2 years after the renewal due 2008-12-31: 2010-12-31.
    assert keep_until("md/pennsylvania", ledger[0], held.period.end) == dt.date(2010, 12, 31)


# Virginia (md/virginia): Type 1 hours need a dated certificate or a letter on the
# organization's letterhead; Type 2 hours are recorded on the Board's form; records kept
# "for six years following renewal" (Board FAQ).
def test_md_virginia_type_1_hours_need_a_certificate_type_2_a_log() -> None:
    # Licensed 2016-01-01, born in October: the first period ends 2018-10-31; 60 hours,
    # 30 Type 1 (18VAC85-20-235 A, A.1).
    holding = Holding(
        certification="md/virginia",
        earned=dt.date(2016, 1, 1),
        holder=Holder(birth_date=dt.date(1970, 10, 5)),
    )
    ledger = [
        activity("meeting", dt.date(2017, 4, 1), 30, "type1", "log"),
        activity("self-study", dt.date(2018, 10, 31), 30, "type2", "log"),
    ]
    view = audit_view(holding, ledger, dt.date(2018, 11, 15))
    held = view.as_held.cycles[0]
    assert held.period.end == dt.date(2018, 10, 31)
    assert held.status == "compliant"
    # As audited: Type 1 hours on the physician's own form only: 30 of 60, no Type 1.
    assert view.disallowed == ("meeting",)
    audited = view.as_audited.cycles[0]
    assert audited.requirement("total").shortfall == Decimal(30)
    assert audited.requirement("type-1").shortfall == Decimal(30)
    # A letter on the sponsor's letterhead (an attendance record) stands.
    ledger[0] = ledger[0].model_copy(update={"evidence": proof("attendance-record")})
    assert audit_view(holding, ledger, dt.date(2018, 11, 15)).disallowed == ()
    # Six years following the renewal due 2018-10-31: 2024-10-31.
    assert keep_until("md/virginia", ledger[1], held.period.end) == dt.date(2024, 10, 31)


# Wisconsin (md/wisconsin): a provider's certification of attendance and completion, a
# PRA or AAFP certificate, or a training director's certification (Med 13.05(1)(a)-(c));
# evidence is kept only through the biennium (Med 13.05(2)), so no keep-until day.
def test_md_wisconsin_a_receipt_is_not_evidence_of_compliance() -> None:
    # Licensed 2016-04-01: the first period (to 2017-10-31) is exempt; 2017-11-01 to
    # 2019-10-31 owes 30 Category I hours (Med 13.02(1), 13.03(1)(b)).
    holding = Holding(certification="md/wisconsin", earned=dt.date(2016, 4, 1))
    ledger = [
        activity("annual-meeting", dt.date(2018, 4, 20), 18, "cat1", "certificate"),
        activity("cme-series", dt.date(2019, 10, 31), 12, "cat1", "receipt"),
    ]
    view = audit_view(holding, ledger, dt.date(2019, 11, 15))
    held = view.as_held.cycles[1]
    assert held.period.end == dt.date(2019, 10, 31)
    assert held.status == "compliant"
    assert view.disallowed == ("cme-series",)
    assert view.as_audited.cycles[1].requirement("total").shortfall == Decimal(12)
    # A chief of service's certification (employer letter) is evidence under (1)(c).
    ledger[1] = ledger[1].model_copy(update={"evidence": proof("employer-letter")})
    assert audit_view(holding, ledger, dt.date(2019, 11, 15)).disallowed == ()
    audit = catalog.get("md/wisconsin").version_on(held.period.end).audit
    assert audit is not None
    assert audit.retention is None


# Tennessee (md/tennessee): "independent documentation of completion" of all CME hours
# (0880-02-.19(2)); no period is encoded.
def test_md_tennessee_the_physicians_own_log_is_not_independent_documentation() -> None:
    # Licensed 2014-07-01, born in May: the period ends 2017-05-31; 40 hours, 2 on
    # controlled substance prescribing (0880-02-.19(1)(a)-(b)).
    holding = Holding(
        certification="md/tennessee",
        earned=dt.date(2014, 7, 1),
        holder=Holder(birth_date=dt.date(1980, 5, 10)),
    )
    ledger = [
        state_activity(
            "cs",
            dt.date(2016, 2, 1),
            2,
            "certificate",
            topics=("controlled-substance-prescribing",),
        ),
        state_activity("review", dt.date(2016, 9, 1), 38, "log"),
    ]
    view = audit_view(holding, ledger, dt.date(2017, 7, 15))
    held = view.as_held.cycles[0]
    assert held.period.end == dt.date(2017, 5, 31)
    assert held.status == "compliant"
    assert view.disallowed == ("review",)
    audited = view.as_audited.cycles[0]
    assert audited.requirement("total").shortfall == Decimal(38)
    assert audited.requirement("controlled-substances").shortfall == 0


# Illinois (md/illinois): records of completion are kept and produced on request (Section
# 20 of the Act, in 1285.110); no kinds of proof, so only an activity without any fails.
def test_md_illinois_any_record_of_completion_supports_an_hour_none_does_not() -> None:
    # Licensed 2012-03-01: the first renewal (to 2014-07-31) is exempt; 2014-08-01 to
    # 2017-07-31 owes 150 hours, 60 formal (1285.110(a)(1)-(4)).
    holding = Holding(certification="md/illinois", earned=dt.date(2012, 3, 1))
    ledger = [
        activity("formal", dt.date(2015, 5, 1), 60, "formal", "certificate"),
        activity("informal", dt.date(2017, 7, 31), 80, "informal", "log"),
        activity("rounds", dt.date(2017, 5, 1), 10, "informal"),
    ]
    view = audit_view(holding, ledger, dt.date(2017, 9, 1))
    held = view.as_held.cycles[1]
    assert held.period.end == dt.date(2017, 7, 31)
    assert held.status == "compliant"  # 60 + 80 + 10 = 150
    assert view.disallowed == ("rounds",)
    assert view.as_audited.cycles[1].requirement("total").shortfall == Decimal(10)


MD_SILENT = ["md/georgia", "md/new-jersey", "md/texas"]


@pytest.mark.parametrize("certification_id", MD_SILENT)
def test_a_state_medical_board_silent_on_audits_has_no_audit_part(certification_id: str) -> None:
    for version in catalog.get(certification_id).versions:
        assert version.audit is None
        assert any(note.startswith("Audit, proof and records:") for note in version.uncertain)


# NCCPA (nccpa/pa-c): audits review logged Category 1 credit, which needs certificates of
# completion or transcripts with accreditation statements (About CME Audits); no period
# for keeping records is published.
def test_nccpa_category_1_credit_needs_a_certificate_or_transcript() -> None:
    # Certified 2016-08-11: the first cycle runs to 2018-12-31; 100 credits, 50 Category 1
    # (About CME Requirements).
    holding = Holding(certification="nccpa/pa-c", earned=dt.date(2016, 8, 11))
    ledger = [
        activity("review", dt.date(2017, 3, 1), 40, "1", "certificate"),
        activity("workshop", dt.date(2018, 3, 1), 10, "1", "attendance-record"),
        activity("journals", dt.date(2018, 2, 1), 50, "2", "log"),
    ]
    view = audit_view(holding, ledger, dt.date(2019, 1, 15))
    held = view.as_held.cycles[0]
    assert held.period.end == dt.date(2018, 12, 31)
    assert held.status == "compliant"  # 40 + 10 + 50 = 100, 50 Category 1
    # As audited: an attendance record is neither a certificate nor a transcript: 90 of
    # 100, 40 of 50 Category 1; the Category 2 log stands.
    assert view.disallowed == ("workshop",)
    audited = view.as_audited.cycles[0]
    assert audited.requirement("total").shortfall == Decimal(10)
    assert audited.requirement("category-1").shortfall == Decimal(10)
    audit = catalog.get("nccpa/pa-c").version_on(held.period.end).audit
    assert audit is not None
    assert audit.retention is None


# BCEN (bcen/family): at least 10% of CE attestation applications are randomly audited and
# documentation is due within 30 days of the audit e-mail (FAQs About Audits); no kinds
# of proof or retention period are named, so only a contact hour without any proof fails.
def test_bcen_an_unrecorded_in_service_is_lost_at_a_random_audit() -> None:
    # CEN certified 2019-05-20: the period ends 2023-05-31 (last day of the month of the
    # fourth anniversary); 100 contact hours, 75 clinical, 50 accredited.
    holding = Holding(certification="bcen/cen", earned=dt.date(2019, 5, 20))
    ledger = [
        activity("conf", dt.date(2020, 10, 1), 60, "clinical", "certificate", approved=True),
        activity("unit", dt.date(2021, 3, 1), 20, "clinical"),
        activity("lead", dt.date(2022, 2, 1), 20, "non-clinical", "certificate"),
    ]
    view = audit_view(holding, ledger, dt.date(2023, 6, 1))
    held = view.as_held.cycles[0]
    assert held.period.end == dt.date(2023, 5, 31)
    assert held.status == "compliant"
    # As audited: the in-service has no record at all: 80 of 100, 60 of 75 clinical.
    assert view.disallowed == ("unit",)
    audited = view.as_audited.cycles[0]
    assert audited.requirement("total").shortfall == Decimal(20)
    assert audited.requirement("clinical").shortfall == Decimal(15)
    audit = catalog.get("bcen/cen").version_on(held.period.end).audit
    assert audit is not None
    assert (audit.selected, audit.share, audit.respond_days) == ("random", Decimal("0.10"), 30)
