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
from cperules.results import CycleResult, Evaluation


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
# Each expected number is derived from the clause the entry cites.
# ---------------------------------------------------------------------------------------


def cycle_ending(view: Evaluation, end: dt.date) -> CycleResult:
    """The cycle of an evaluation that ends on ``end``."""
    return next(cycle for cycle in view.cycles if cycle.period.end == end)


def year_shortfall(cycle: CycleResult, rule_id: str, year_start: dt.date) -> Decimal:
    """The shortfall of the yearly requirement ``rule_id`` in the year starting ``year_start``."""
    return next(
        req.shortfall
        for req in cycle.requirements
        if req.id == rule_id and req.period.start == year_start
    )


# Alabama (cpa/alabama): certificates of completion, attendance records, examination
# results, transcripts or other independently verifiable evidence, kept five years after
# each activity (r. 30-X-5-.05(2)); a receipt is none of them.
def test_cpa_alabama_a_receipt_is_not_evidence_of_completion_and_records_keep_five_years() -> None:
    # Active licence elected 2020-10-01: the fiscal year 2020-10-01..2021-09-30, 40 hours,
    # 8 of accounting and auditing, 2 of ethics (r. 30-X-5-.02(1)).
    holding = Holding(certification="cpa/alabama", earned=dt.date(2020, 10, 1))
    ledger = [
        activity("aa", dt.date(2020, 11, 2), 20, "accounting-auditing", "certificate"),
        activity("tax", dt.date(2021, 2, 1), 18, "taxation", "other"),
        activity("eth", dt.date(2021, 5, 3), 2, "non-technical", "receipt", topics=("ethics",)),
    ]
    view = audit_view(holding, ledger, dt.date(2021, 10, 15))
    held = cycle_ending(view.as_held, dt.date(2021, 9, 30))
    assert held.status in ("compliant", "in_grace")
    assert held.requirement("total").shortfall == 0  # 20 + 18 + 2 = 40
    # As audited: the ethics course has only its receipt: 38 of 40, no ethics hours.
    assert view.disallowed == ("eth",)
    audited = cycle_ending(view.as_audited, dt.date(2021, 9, 30))
    assert audited.requirement("total").shortfall == Decimal(2)
    assert audited.requirement("ethics").shortfall == Decimal(2)
    # Five years following completion of each learning activity: 2020-11-02 -> 2025-11-02.
    assert keep_until("cpa/alabama", ledger[0], held.period.end) == dt.date(2025, 11, 2)


# California (cpa/california): a self-study course needs the purchase or enrollment
# receipt and the certificate of completion; an attended course the certificate or its
# equivalent; kept four years after renewal (16 CCR 89(c)-(e)).
def test_cpa_california_self_study_needs_its_receipt_and_certificate_kept_four_years() -> None:
    # Born 1980-05-10, licensed 2015-06-01: the licence expires on 31 May of even years;
    # the first short period to 2016-05-31 is exempt, the next runs 2016-06-01..2018-05-31:
    # 80 hours, 20 a year (12 technical) and 4 of ethics (16 CCR 87).
    holding = Holding(
        certification="cpa/california",
        earned=dt.date(2015, 6, 1),
        holder=Holder(birth_date=dt.date(1980, 5, 10)),
    )
    ledger = [
        activity("c1", dt.date(2016, 9, 12), 36, "accounting-auditing", "certificate"),
        activity("c2", dt.date(2017, 2, 10), 4, "non-technical", "certificate", topics=("ethics",)),
        activity("c3", dt.date(2017, 10, 5), 24, "taxation", "certificate", kind="self-study"),
        activity("c4", dt.date(2018, 3, 1), 16, "accounting-auditing", "transcript"),
    ]
    end = dt.date(2018, 5, 31)
    view = audit_view(holding, ledger, dt.date(2018, 6, 30))
    held = cycle_ending(view.as_held, end)
    assert held.status == "compliant"  # 36 + 4 in the first year, 24 + 16 in the second
    # As audited: the self-study course has no receipt: 56 of 80, and the second year
    # has 16 of its 20.
    assert view.disallowed == ("c3",)
    audited = cycle_ending(view.as_audited, end)
    assert audited.requirement("total").shortfall == Decimal(24)
    assert year_shortfall(audited, "yearly", dt.date(2017, 6, 1)) == Decimal(4)
    # With the enrollment receipt beside the certificate it stands.
    ledger[2] = ledger[2].model_copy(update={"evidence": proof("receipt", "certificate")})
    assert audit_view(holding, ledger, dt.date(2018, 6, 30)).disallowed == ()
    # Four years after renewal (read as the expiry, 2018-05-31): 2022-05-31.
    assert keep_until("cpa/california", ledger[0], end) == dt.date(2022, 5, 31)


# Illinois (cpa/illinois): no kinds of proof are named, so any proof supports a credit
# and none does not; CPE records are kept at least six years (1420.70(a)(1)), counted from
# the end of the renewal period.
def test_cpa_illinois_an_unproved_hour_is_lost_and_records_keep_six_years() -> None:
    # Licensed 2019-01-01: the period to 2021-09-30 is the exempt first renewal; the next
    # runs 2021-10-01..2024-09-30: 120 hours, 4 of ethics, 1 of sexual harassment
    # prevention.
    holding = Holding(certification="cpa/illinois", earned=dt.date(2019, 1, 1))
    ledger = [
        activity("i1", dt.date(2022, 1, 10), 115, "accounting-auditing", "certificate"),
        activity("i2", dt.date(2023, 1, 10), 4, "non-technical", "log", topics=("ethics",)),
        activity(
            "i3", dt.date(2024, 3, 1), 1, "non-technical", topics=("sexual-harassment-prevention",)
        ),
    ]
    end = dt.date(2024, 9, 30)
    view = audit_view(holding, ledger, dt.date(2024, 10, 15))
    assert cycle_ending(view.as_held, end).status == "compliant"  # 115 + 4 + 1 = 120
    assert view.disallowed == ("i3",)
    audited = cycle_ending(view.as_audited, end)
    assert audited.requirement("sexual-harassment-prevention").shortfall == Decimal(1)
    # Six years after 2024-09-30: 2030-09-30.
    assert keep_until("cpa/illinois", ledger[0], end) == dt.date(2030, 9, 30)


# Maryland (cpa/maryland): a group programme needs a certificate of completion or of
# attendance (COMAR 09.24.02.04B(3)); 30 days to answer an audit notice (the Board's CPE
# Audit page). Self-study has no evidence entry. No retention period is published.
def test_cpa_maryland_a_group_webinar_needs_a_certificate_and_audits_allow_30_days() -> None:
    # Licensed 2017-03-01: the first term to 2018-12-31 needs no CPE; the next term
    # 2019-01-01..2020-12-31 needs 80 hours with 4 of ethics.
    holding = Holding(certification="cpa/maryland", earned=dt.date(2017, 3, 1))
    ledger = [
        activity(
            "m1",
            dt.date(2019, 5, 1),
            40,
            "accounting-auditing",
            "certificate",
            kind="seminar",
            delivery="in-person",
        ),
        activity(
            "m2",
            dt.date(2020, 2, 1),
            36,
            "taxation",
            "receipt",
            kind="webinar",
            delivery="live-online",
        ),
        activity(
            "m3",
            dt.date(2020, 6, 1),
            4,
            "non-technical",
            "log",
            kind="self-study",
            delivery="self-study",
            topics=("ethics",),
        ),
    ]
    end = dt.date(2020, 12, 31)
    view = audit_view(holding, ledger, dt.date(2021, 1, 15))
    assert cycle_ending(view.as_held, end).requirement("total").shortfall == 0  # 40 + 36 + 4
    # As audited: the webinar's receipt is no certificate: 44 of 80. The self-study
    # course's log stands (no entry selects self-study).
    assert view.disallowed == ("m2",)
    assert cycle_ending(view.as_audited, end).requirement("total").shortfall == Decimal(36)
    audit = catalog.get("cpa/maryland").version_on(end).audit
    assert audit is not None
    assert (audit.respond_days, audit.retention) == (30, None)


# Mississippi (cpa/mississippi): records kept at least five years after the end of the
# one-year compliance period (Rule 4.2.2, as the Board's CPE page cites it); no proof kinds.
def test_cpa_mississippi_records_keep_five_years_after_the_compliance_period() -> None:
    # Licensed 2022-08-01: exempt in the compliance period of licensure (to 2023-06-30);
    # the next runs 2023-07-01..2024-06-30 with 40 hours (Rule 4.1.2, 4.1.5).
    holding = Holding(certification="cpa/mississippi", earned=dt.date(2022, 8, 1))
    ledger = [
        activity("s1", dt.date(2023, 9, 1), 30, "accounting-auditing", "certificate"),
        activity("s2", dt.date(2024, 2, 1), 10, "taxation"),
    ]
    end = dt.date(2024, 6, 30)
    view = audit_view(holding, ledger, dt.date(2024, 7, 2))
    assert cycle_ending(view.as_held, end).requirement("total").shortfall == 0
    assert view.disallowed == ("s2",)
    assert cycle_ending(view.as_audited, end).requirement("total").shortfall == Decimal(10)
    # Five years after 2024-06-30: 2029-06-30.
    assert keep_until("cpa/mississippi", ledger[0], end) == dt.date(2029, 6, 30)


# Missouri (cpa/missouri): a registered sponsor's certificate suffices; any other course
# needs the programme materials, agenda and attendance records together; documentation is
# kept five calendar years from the end of the year of completion (20 CSR 2010-4.031).
def test_cpa_missouri_a_non_registered_course_needs_materials_agenda_and_attendance() -> None:
    # Licensed 2020-06-01: 2020 is not a full calendar year with the licence (exempt);
    # 2021 needs 40 hours with 2 of ethics (4.010(1)(B)).
    holding = Holding(certification="cpa/missouri", earned=dt.date(2020, 6, 1))
    ledger = [
        activity(
            "r1", dt.date(2021, 3, 1), 30, "accounting-auditing", "certificate", approved=True
        ),
        activity("r2", dt.date(2021, 6, 1), 8, "taxation", "certificate", approved=False),
        activity(
            "r3",
            dt.date(2021, 9, 1),
            2,
            "non-technical",
            "syllabus",
            "agenda",
            "attendance-record",
            approved=False,
            topics=("ethics",),
        ),
    ]
    end = dt.date(2021, 12, 31)
    view = audit_view(holding, ledger, dt.date(2022, 1, 15))
    assert cycle_ending(view.as_held, end).status == "compliant"  # 30 + 8 + 2 = 40
    # As audited: the non-registered course has only a certificate: 32 of 40.
    assert view.disallowed == ("r2",)
    assert cycle_ending(view.as_audited, end).requirement("total").shortfall == Decimal(8)
    # Five calendar years from the end of 2021: 2026-12-31.
    assert keep_until("cpa/missouri", ledger[0], end) == dt.date(2026, 12, 31)


# Nebraska (cpa/nebraska): instructors keep the agenda or syllabus, authors a copy of the
# publication, others a certificate, sign-in sheet, transcript or the instructor's
# statement; six years after completion (the Board's CPE page).
def test_cpa_nebraska_an_instructor_needs_the_agenda_or_syllabus_not_a_certificate() -> None:
    # Born in an odd year, permit issued 2019-03-01 (first expiry 30 June 2021): the first
    # period runs to 2020-12-31 and needs 80 hours with 4 of ethics.
    holding = Holding(
        certification="cpa/nebraska", earned=dt.date(2019, 3, 1), holder=Holder(group="odd")
    )
    ledger = [
        activity("n1", dt.date(2019, 5, 1), 40, "accounting-auditing", "certificate"),
        activity(
            "n2", dt.date(2019, 10, 1), 10, "accounting-auditing", "certificate", kind="teaching"
        ),
        activity("n3", dt.date(2020, 2, 1), 26, "taxation", "attendance-record"),
        activity("n4", dt.date(2020, 6, 1), 4, "non-technical", "transcript", topics=("ethics",)),
    ]
    end = dt.date(2020, 12, 31)
    view = audit_view(holding, ledger, dt.date(2021, 1, 15))
    assert cycle_ending(view.as_held, end).requirement("total").shortfall == 0  # 40+10+26+4
    assert view.disallowed == ("n2",)
    assert cycle_ending(view.as_audited, end).requirement("total").shortfall == Decimal(10)
    ledger[1] = ledger[1].model_copy(update={"evidence": proof("syllabus")})
    assert audit_view(holding, ledger, dt.date(2021, 1, 15)).disallowed == ()
    # Six years after the completion of the course of 2019-05-01: 2025-05-01.
    assert keep_until("cpa/nebraska", ledger[0], end) == dt.date(2025, 5, 1)


# New Jersey (cpa/new-jersey): certificate or comparable sponsor documentation,
# transcript or school statement, or the instructor's signed statement of hours; five
# years after completion (N.J.A.C. 13:29-6.8(a)).
def test_cpa_new_jersey_a_holders_own_log_is_not_evidence_and_records_keep_five_years() -> None:
    # Licensed 2021-03-01: the triennium to 2023-12-31 is the initial one (exempt); the
    # next runs 2024-01-01..2026-12-31: 120 credits, 20 a year, 60 technical, 4 in the
    # New Jersey law and ethics course (13:29-6.2(a)).
    holding = Holding(certification="cpa/new-jersey", earned=dt.date(2021, 3, 1))
    ledger = [
        activity("j1", dt.date(2024, 3, 1), 40, "accounting-auditing", "certificate"),
        activity("j2", dt.date(2025, 3, 1), 40, "taxation", "transcript"),
        activity("j3", dt.date(2026, 3, 1), 36, "non-technical", "attendance-record"),
        activity(
            "j4",
            dt.date(2026, 5, 1),
            4,
            "non-technical",
            "log",
            topics=("new-jersey-law-and-ethics",),
        ),
    ]
    end = dt.date(2026, 12, 31)
    view = audit_view(holding, ledger, dt.date(2027, 1, 15))
    assert cycle_ending(view.as_held, end).status == "compliant"  # 40 + 40 + 36 + 4 = 120
    assert view.disallowed == ("j4",)
    audited = cycle_ending(view.as_audited, end)
    assert audited.requirement("total").shortfall == Decimal(4)
    assert audited.requirement("nj-law-and-ethics").shortfall == Decimal(4)
    # Five years after the completion of 2024-03-01: 2029-03-01.
    assert keep_until("cpa/new-jersey", ledger[0], end) == dt.date(2029, 3, 1)


# Pennsylvania (cpa/pennsylvania, from 2018): an instructor's proof is the sponsor's signed
# statement, an author's a copy of the publication, a course's the certificate or a
# certified transcript; five years after completion or publication (49 Pa. Code 11.68).
def test_cpa_pennsylvania_an_instructor_needs_the_sponsors_statement() -> None:
    # Licensed 2018-01-02: the first period runs to 2019-12-31 with 80 hours, 20 in each
    # calendar year, 4 of ethics (11.62(b), 11.63(a)(7)).
    holding = Holding(certification="cpa/pennsylvania", earned=dt.date(2018, 1, 2))
    ledger = [
        activity("p1", dt.date(2018, 4, 2), 36, "accounting-auditing", "certificate"),
        activity("p2", dt.date(2018, 9, 4), 4, "non-technical", "certificate", topics=("ethics",)),
        activity("p3", dt.date(2019, 3, 1), 30, "taxation", "certificate", kind="teaching"),
        activity(
            "p4", dt.date(2019, 6, 3), 10, "accounting-auditing", "publication", kind="publication"
        ),
    ]
    end = dt.date(2019, 12, 31)
    view = audit_view(holding, ledger, dt.date(2020, 1, 15))
    assert cycle_ending(view.as_held, end).status == "compliant"  # 40 in 2018, 40 in 2019
    # As audited: the teaching credit has a certificate, not the sponsor's statement: 50
    # of 80, and 2019 has 10 of its 20.
    assert view.disallowed == ("p3",)
    audited = cycle_ending(view.as_audited, end)
    assert audited.requirement("total").shortfall == Decimal(30)
    assert year_shortfall(audited, "yearly", dt.date(2019, 1, 1)) == Decimal(10)
    # Five years after the date of publication, 2019-06-03: 2024-06-03.
    assert keep_until("cpa/pennsylvania", ledger[3], end) == dt.date(2024, 6, 3)
    # The 2012-2017 version carries no audit part (11.68's text then was not read).
    assert catalog.get("cpa/pennsylvania").version_on(dt.date(2016, 6, 1)).audit is None


# North Carolina and Oregon (cpa/north-carolina, cpa/oregon): the boards may audit CPE
# reports (21 NCAC 08G .0406(a); OAR 801-040-0070) but name no kinds of proof and no
# retention period: any proof supports a credit, none does not.
@pytest.mark.parametrize("certification_id", ["cpa/north-carolina", "cpa/oregon"])
def test_cpa_boards_that_may_audit_need_some_proof_of_any_kind(certification_id: str) -> None:
    on = dt.date(2023, 4, 1)
    audit = catalog.get(certification_id).version_on(on).audit
    assert audit is not None
    assert (audit.evidence, audit.retention) == ((), None)
    assert audit.supported(activity("any", on, 1, "taxation", "log"))
    assert not audit.supported(activity("none", on, 1, "taxation"))


# ACFE (acfe/cfe): participant credit needs CPE certificates or letters of attendance or
# completion; registration forms and invoices are not accepted; random audits, 60 days to
# answer, proof kept three years (Maintaining CPE Records; CPE FAQs).
def test_acfe_a_paid_invoice_is_not_cpe_documentation() -> None:
    # Earned 2021-04-15: the compliance year ends with the anniversary month, 2022-04-30;
    # 20 credits, 10 fraud-related, 2 ethics.
    holding = Holding(certification="acfe/cfe", earned=dt.date(2021, 4, 15))
    ledger = [
        activity("f1", dt.date(2021, 6, 1), 12, "participant", "certificate", topics=("fraud",)),
        activity("f2", dt.date(2021, 9, 1), 6, "participant", "attendance-record"),
        activity("f3", dt.date(2022, 1, 10), 2, "participant", "receipt", topics=("ethics",)),
    ]
    end = dt.date(2022, 4, 30)
    view = audit_view(holding, ledger, dt.date(2022, 5, 2))
    assert cycle_ending(view.as_held, end).requirement("total").shortfall == 0  # 12 + 6 + 2
    assert view.disallowed == ("f3",)
    audited = cycle_ending(view.as_audited, end)
    assert audited.requirement("total").shortfall == Decimal(2)
    assert audited.requirement("ethics").shortfall == Decimal(2)
    audit = catalog.get("acfe/cfe").version_on(end).audit
    assert audit is not None
    assert (audit.selected, audit.respond_days) == ("random", 60)
    # Three years, counted from the end of the compliance year: 2025-04-30.
    assert keep_until("acfe/cfe", ledger[0], end) == dt.date(2025, 4, 30)


# IMA (ima/cma): IMA randomly verifies; records kept three years (IMA FAQ); no closed list
# of proof, so any proof supports a credit and none does not.
def test_ima_an_unproved_ethics_hour_is_lost_and_records_keep_three_years() -> None:
    # Exams completed 2020-06-01: the requirement starts on 1 January 2021; 30 hours with
    # 2 of ethics in 2021.
    holding = Holding(certification="ima/cma", earned=dt.date(2020, 6, 1))
    ledger = [
        activity("k1", dt.date(2021, 3, 1), 28, "general", "certificate"),
        activity("k2", dt.date(2021, 10, 1), 2, "general", topics=("ethics",)),
    ]
    end = dt.date(2021, 12, 31)
    view = audit_view(holding, ledger, dt.date(2022, 1, 15))
    assert cycle_ending(view.as_held, end).status == "compliant"
    assert view.disallowed == ("k2",)
    assert cycle_ending(view.as_audited, end).requirement("ethics").shortfall == Decimal(2)
    # Three years from the end of 2021: 2024-12-31.
    assert keep_until("ima/cma", ledger[0], end) == dt.date(2024, 12, 31)


# IRS enrolled agents (irs/enrolled-agent): records hold a copy of the programme content
# and the provider's certificate, kept four years (EA renewal reminders list).
def test_irs_enrolled_agent_needs_the_programme_outline_with_the_certificate() -> None:
    # SSN ending in 7, enrolled 2017-05-01: cycle 0 to 2017-12-31 is a new enrollee's
    # (exempt here); 2018-2020 needs 72 hours, 16 each year with 2 of ethics.
    holding = Holding(
        certification="irs/enrolled-agent", earned=dt.date(2017, 5, 1), holder=Holder(group="7")
    )
    full = ("syllabus", "certificate")

    def course(
        activity_id: str, completed: dt.date, hours: int, *kinds: str, **more: object
    ) -> Activity:
        return Activity(
            id=activity_id,
            title=f"Course {activity_id}",
            completed=completed,
            credits=Decimal(hours),
            evidence=proof(*kinds),
            **more,  # type: ignore[arg-type]
        )

    ledger = [
        course("t18", dt.date(2018, 3, 1), 14, *full),
        course("e18", dt.date(2018, 4, 1), 2, *full, topics=("ethics",)),
        course("t19", dt.date(2019, 3, 1), 22, *full),
        course("e19", dt.date(2019, 4, 1), 2, *full, topics=("ethics",)),
        course("t20", dt.date(2020, 3, 2), 30, "certificate"),
        course("e20", dt.date(2020, 4, 1), 2, *full, topics=("ethics",)),
    ]
    end = dt.date(2020, 12, 31)
    view = audit_view(holding, ledger, dt.date(2021, 1, 15))
    assert cycle_ending(view.as_held, end).status == "compliant"  # 16 + 24 + 32 = 72
    # As audited: the 2020 course kept no outline: 42 of 72, and 2020 has 2 of its 16.
    assert view.disallowed == ("t20",)
    audited = cycle_ending(view.as_audited, end)
    assert audited.requirement("total").shortfall == Decimal(30)
    assert year_shortfall(audited, "yearly", dt.date(2020, 1, 1)) == Decimal(14)
    # Four years from the renewal, read as the end of the cycle: 2024-12-31.
    assert keep_until("irs/enrolled-agent", ledger[0], end) == dt.date(2024, 12, 31)


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
