"""The engine scenarios S1 to S8 of the engine issue, numbers as stated there."""

import itertools
from decimal import Decimal

from scenario_helpers import Row, cert, d, flat, holding, ledger

from cperules import (
    AnniversaryCycle,
    BirthMonthCycle,
    CalendarCycle,
    Grace,
    RollingCycle,
    evaluate,
)
from cperules.policy import CategoryNode
from cperules.results import Need
from cperules.rules import Cap, Carryover, CreditValue, Minimum, Prerequisite, Recurrence
from cperules.selectors import activity_kind, category, topic

S1 = cert(
    AnniversaryCycle(years=3, years_by="anniversary"),
    categories=flat("A", "B"),
    rules=(
        Minimum(id="total", credits=Decimal(120)),
        Minimum(id="group-a", credits=Decimal(90), selector=category("A")),
        Cap(id="group-b", selector=category("B"), credits=Decimal(30)),
    ),
    carryover=Carryover(selector=category("A"), window_months=6, cap=Decimal(40)),
)
S1_LEDGER = ledger(
    ("a1", "2023-05-01", "A", 50),
    ("b1", "2024-01-10", "B", 45),
    ("a2", "2025-06-01", "A", 30),
    ("a3", "2025-10-01", "A", 20),
    ("a4", "2026-01-15", "A", 15),
)


def test_s1_cap_nested_minimum_and_carryover() -> None:
    result = evaluate(holding(S1, "2023-03-01"), S1_LEDGER, as_of=d("2026-03-15"))
    first, second = result.cycles
    assert (first.period.start, first.period.end) == (d("2023-03-01"), d("2026-02-28"))
    assert first.status == "compliant"
    b1 = first.outcome("b1")
    assert b1.total("counted") == 30
    assert b1.total("capped") == 15
    assert b1.parts[-1].rule == "group-b"
    assert sum(o.total("counted", "carried-out") for o in first.activities) == 145
    carried = sum(c.credits for c in first.carried_out)
    assert carried == 25
    assert {c.activity_id for c in first.carried_out} <= {"a3", "a4"}
    assert first.counted == 120
    assert first.requirement("total").counted == 120
    assert (second.period.start, second.period.end) == (d("2026-03-01"), d("2029-02-28"))
    assert sum(c.credits for c in second.carried_in) == 25
    assert all(
        c.lands_in.start == d("2026-03-01") and c.lands_in.end == d("2027-02-28")
        for c in first.carried_out
    )
    assert second.requirement("total").counted == 25


def test_s2_annual_floors_and_a_per_year_cap() -> None:
    certification = cert(
        CalendarCycle(years=3),
        categories=flat("general", "vendor"),
        rules=(
            Minimum(id="year", credits=Decimal(20), scope="year"),
            Minimum(id="total", credits=Decimal(120)),
            Cap(id="vendor", selector=category("vendor"), credits=Decimal(10), scope="year"),
        ),
    )
    entries = ledger(
        ("g23", "2023-04-01", "general", 30),
        ("g24", "2024-04-01", "general", 12),
        ("v24", "2024-06-01", "vendor", 14),
        ("g25", "2025-04-01", "general", 50),
        ("v25", "2025-06-01", "vendor", 10),
    )
    result = evaluate(holding(certification, "2022-05-10"), entries, as_of=d("2026-01-15"))
    # The cycle ended unmet and the policy has no grace: the certification lapsed, so no
    # later cycle exists.
    stub, cycle = result.cycles
    assert (result.standing.standing, result.standing.start) == ("lapsed", d("2026-01-01"))
    assert stub.status == "exempt"
    assert (cycle.period.start, cycle.period.end) == (d("2023-01-01"), d("2025-12-31"))
    assert cycle.status == "non_compliant"
    assert result.status == "non_compliant"
    years = [req for req in cycle.requirements if req.id == "year"]
    assert [req.counted for req in years] == [Decimal(30), Decimal(22), Decimal(60)]
    assert all(req.met for req in years)
    total = cycle.requirement("total")
    assert (total.counted, total.shortfall) == (Decimal(112), Decimal(8))
    v24 = cycle.outcome("v24")
    assert (v24.total("counted"), v24.total("capped")) == (Decimal(10), Decimal(4))


S3 = cert(
    AnniversaryCycle(years=3),
    categories=(
        CategoryNode(
            code="education",
            children=(CategoryNode(code="WoW"), CategoryNode(code="PS"), CategoryNode(code="BA")),
        ),
        CategoryNode(code="GB", children=(CategoryNode(code="practitioner"),)),
    ),
    rules=(
        Minimum(id="total", credits=Decimal(60)),
        Minimum(id="education", credits=Decimal(35), selector=category("education")),
        Minimum(id="ways-of-working", credits=Decimal(8), selector=category("WoW")),
        Minimum(id="power-skills", credits=Decimal(8), selector=category("PS")),
        Minimum(id="business-acumen", credits=Decimal(8), selector=category("BA")),
        Cap(id="giving-back", selector=category("GB"), credits=Decimal(25)),
        Cap(id="practitioner", selector=category("practitioner"), credits=Decimal(8)),
    ),
)
S3_LEDGER = ledger(
    ("course-wow", "2024-01-10", {"WoW": 20}, 20),
    ("course-ps", "2024-02-10", "PS", 10),
    ("webinar-ba", "2024-03-10", "BA", 5),
    ("volunteering", "2024-04-10", "GB", 20),
    ("practitioner", "2024-05-10", "practitioner", 12),
    ("content", "2024-06-10", "GB", 10),
)


def test_s3_split_categories_and_nested_caps() -> None:
    result = evaluate(holding(S3, "2023-06-01"), S3_LEDGER, as_of=d("2026-06-15"))
    cycle = result.cycles[0]
    assert cycle.counted == 60
    assert cycle.status == "non_compliant"
    assert cycle.requirement("business-acumen").shortfall == 3
    assert [req.id for req in cycle.requirements if not req.met] == ["business-acumen"]
    giving_back = sum(cycle.outcome(a).counted for a in ("volunteering", "practitioner", "content"))
    assert giving_back == 25
    assert cycle.outcome("practitioner").counted <= 8


def test_s3_remaining_asks_for_exactly_three_business_acumen_credits() -> None:
    result = evaluate(holding(S3, "2023-06-01"), S3_LEDGER, as_of=d("2026-05-01"))
    assert result.status == "in_progress"
    assert result.remaining() == (
        Need(credits=Decimal(3), category="BA", due=d("2026-05-31"), unit="CPE"),
    )


S4 = cert(
    AnniversaryCycle(years=1),
    categories=flat("X", "Y", "general"),
    rules=(
        Minimum(id="total", credits=Decimal(10)),
        Minimum(id="x", credits=Decimal(4), selector=category("X")),
        Minimum(id="y", credits=Decimal(1), selector=category("Y")),
    ),
)
S4_ROWS: tuple[Row, ...] = (
    ("x", "2024-02-01", "X", 3),
    ("either", "2024-03-01", ("X", "Y"), 2),
    ("general", "2024-04-01", "general", 5),
)


def test_s4_a_choice_only_optimisation_gets_right() -> None:
    results = []
    for rows in itertools.permutations(S4_ROWS):
        result = evaluate(holding(S4, "2024-01-01"), ledger(*rows), as_of=d("2024-12-31"))
        results.append(result)
        either = result.cycles[0].outcome("either")
        assert result.status == "compliant"
        assert {(p.category, p.credits) for p in either.parts} == {
            ("X", Decimal(1)),
            ("Y", Decimal(1)),
        }
    assert all(result == results[0] for result in results)


def test_s5_rolling_window() -> None:
    certification = cert(
        RollingCycle(every_months=12, window_months=36, checkpoint_month=12),
        rules=(
            Minimum(id="window", credits=Decimal(120)),
            Minimum(id="year", credits=Decimal(20), scope="year"),
        ),
    )
    entries = ledger(
        ("y22", "2022-06-01", None, 60),
        ("y23", "2023-06-01", None, 20),
        ("y24", "2024-06-01", None, 45),
        ("y25", "2025-06-01", None, 30),
    )
    result = evaluate(holding(certification, "2024-01-01"), entries, as_of=d("2026-01-10"))
    by_due = {cycle.due: cycle for cycle in result.cycles}
    assert list(by_due) == [d("2024-12-31"), d("2025-12-31")]  # lapsed: no later window
    c24, c25 = by_due[d("2024-12-31")], by_due[d("2025-12-31")]
    assert c24.status == "compliant"
    assert c24.requirement("window").counted == 125
    assert c25.status == "non_compliant"
    window = c25.requirement("window")
    assert (window.counted, window.shortfall) == (Decimal(95), Decimal(25))
    assert c24.outcome("y23").counted == c25.outcome("y23").counted == 20


def test_s6_recurrence_and_first_renewal_exemption() -> None:
    certification = cert(
        BirthMonthCycle(years=2, first_cycle="exempt"),
        rules=(
            Minimum(id="total", credits=Decimal(24)),
            Minimum(
                id="dv", credits=Decimal(2), selector=topic("dv"), recurrence=Recurrence(every=3)
            ),
        ),
    )
    entries = ledger(
        ("c21", "2021-03-01", None, 24),
        ("c23", "2023-03-01", None, 24),
        ("c25", "2025-03-01", None, 24),
    )
    licence = holding(certification, "2019-04-10", birth_date=d("1980-07-02"))
    in_2023 = evaluate(licence, entries, as_of=d("2023-07-31"))
    assert [c.due for c in in_2023.cycles] == [d("2021-07-31"), d("2023-07-31")]
    assert [c.status for c in in_2023.cycles] == ["exempt", "compliant"]
    assert [r.id for r in in_2023.cycles[1].requirements] == ["total"]
    in_2025 = evaluate(licence, entries, as_of=d("2025-08-01"))
    cycle_2025 = in_2025.cycles[2]
    assert cycle_2025.due == d("2025-07-31")
    assert cycle_2025.status == "non_compliant"
    assert cycle_2025.requirement("dv").shortfall == 2
    assert in_2025.status == "non_compliant"


S7 = cert(
    AnniversaryCycle(years=3, grace=Grace(days=90, earning="allowed")),
    rules=(Minimum(id="total", credits=Decimal(120)),),
)
S7_LEDGER = ledger(("in-cycle", "2023-05-01", None, 92), ("late", "2024-10-01", None, 30))


def test_s7_grace_that_cures() -> None:
    licence = holding(S7, "2021-09-01")
    during = evaluate(licence, S7_LEDGER, as_of=d("2024-09-15"))
    old = during.cycles[0]
    assert (old.period.start, old.period.end) == (d("2021-09-01"), d("2024-08-31"))
    assert old.status == "in_grace"
    assert during.status == "in_grace"
    assert old.requirement("total").shortfall == 28
    assert during.remaining() == (Need(credits=Decimal(28), due=d("2024-11-29"), unit="CPE"),)
    after = evaluate(licence, S7_LEDGER, as_of=d("2024-12-31"))
    old, new = after.cycles
    assert old.status == "compliant"
    assert old.outcome("late").counted == 28
    assert new.period.start == d("2024-09-01")
    late = new.outcome("late")
    assert late.total("cured-previous-cycle") == 28
    assert late.counted == 2
    assert new.requirement("total").counted == 2


def test_s8_prerequisite_and_item_values() -> None:
    certification = cert(
        AnniversaryCycle(years=2),
        rules=(
            Minimum(id="total", credits=Decimal(20)),
            Prerequisite(id="cpr", selector=activity_kind("credential") & topic("cpr")),
            CreditValue(
                id="book",
                selector=activity_kind("book"),
                fixed=Decimal(40),
                max_per_entry=Decimal(40),
            ),
            CreditValue(
                id="presentation", selector=activity_kind("presentation"), multiplier=Decimal(3)
            ),
            Cap(
                id="presentations",
                selector=activity_kind("presentation"),
                credits=Decimal(20),
                scope="year",
            ),
        ),
    )
    entries = ledger(
        ("book", "2024-03-01", None, 2),
        ("talk", "2024-05-01", None, 10),
        extra={"book": {"kind": "book"}, "talk": {"kind": "presentation"}},
    ).add(
        *ledger(
            ("cpr", "2023-01-15", None, 0),
            extra={"cpr": {"kind": "credential", "topics": ["cpr"], "valid_until": "2025-12-01"}},
        )
    )
    result = evaluate(holding(certification, "2024-01-01"), entries, as_of=d("2026-01-15"))
    cycle = result.cycles[0]
    assert cycle.due == d("2025-12-31")
    assert cycle.outcome("book").claimed == 40
    talk = cycle.outcome("talk")
    assert (talk.claimed, talk.counted, talk.total("capped")) == (
        Decimal(30),
        Decimal(20),
        Decimal(10),
    )
    assert cycle.requirement("total").met
    assert [f.code for f in cycle.findings] == ["prerequisite-unmet"]
    assert cycle.status == "non_compliant"
    assert result.status == "non_compliant"
    renewed = entries.add(
        *ledger(
            ("cpr2", "2025-11-20", None, 0),
            extra={"cpr2": {"kind": "credential", "topics": ["cpr"], "valid_until": "2027-11-20"}},
        )
    )
    assert (
        evaluate(holding(certification, "2024-01-01"), renewed, as_of=d("2026-01-15"))
        .cycles[0]
        .status
        == "compliant"
    )
