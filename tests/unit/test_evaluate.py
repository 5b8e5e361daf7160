"""Each screening path, result method and error of evaluate(), one at a time."""

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from cperules import (
    Activity,
    AnniversaryCycle,
    ArgumentError,
    CalendarCycle,
    Certification,
    CperulesError,
    Grace,
    Holding,
    Ledger,
    PolicyError,
    PolicyVersion,
    RollingCycle,
    evaluate,
    verdict,
)
from cperules.citations import Citation, SourceRef
from cperules.policy import CategoryNode
from cperules.results import Need
from cperules.rules import (
    Cap,
    Carryover,
    CreditValue,
    Exclusion,
    Minimum,
    Prerequisite,
    Recurrence,
    RepeatExclusion,
    Rule,
)
from cperules.selectors import activity_kind, approved, category, topic

EARNED = dt.date(2024, 1, 1)


def cert(*rules: Rule, categories: tuple[str, ...] = (), **version: Any) -> Certification:
    policy = PolicyVersion(
        effective_from=dt.date(2000, 1, 1),
        cycle=version.pop("cycle", AnniversaryCycle(years=1)),
        categories=tuple(CategoryNode(code=c) for c in categories),
        rules=rules,
        **version,
    )
    return Certification(id="test/unit", name="Unit", body="Test", unit="CPE", versions=(policy,))


def act(activity_id: str, completed: str = "2024-03-01", **fields: Any) -> Activity:
    fields.setdefault("credits", Decimal(5))
    return Activity.model_validate(
        {"id": activity_id, "title": f"Course {activity_id}", "completed": completed, **fields}
    )


def run(certification: Certification, *activities: Activity, as_of: str = "2025-01-15") -> Any:
    holding = Holding(certification=certification, earned=EARNED)
    return evaluate(holding, Ledger(activities), as_of=dt.date.fromisoformat(as_of))


TOTAL = Minimum(id="total", credits=Decimal(10))
ORIENTATION = Minimum(
    id="orientation",
    credits=Decimal(1),
    selector=topic("orientation"),
    recurrence=Recurrence(applies_to="once-per-career"),
)


def test_certifications_named_by_id_resolve_through_the_catalog() -> None:
    by_id = evaluate(Holding(certification="isc2/cissp", earned=EARNED), Ledger(), as_of=EARNED)
    by_alias = evaluate(Holding(certification="CISSP", earned=EARNED), Ledger(), as_of=EARNED)
    assert by_id.certification == by_alias.certification == "isc2/cissp"
    assert by_id.governing.requirement("total").required == 120
    with pytest.raises(CperulesError, match="did you mean 'isc2/cissp'") as info:
        evaluate(Holding(certification="isc2/cisp", earned=EARNED), Ledger(), as_of=EARNED)
    assert info.value.code == "unknown-certification"


def test_versions_govern_the_cycles_that_start_in_them() -> None:
    old = PolicyVersion(
        effective_from=dt.date(2000, 1, 1),
        effective_until=dt.date(2024, 12, 31),
        cycle=AnniversaryCycle(years=1),
        rules=(Minimum(id="total", credits=Decimal(10)),),
    )
    new = old.model_copy(
        update={
            "effective_from": dt.date(2025, 1, 1),
            "effective_until": None,
            "rules": (Minimum(id="total", credits=Decimal(20)),),
        }
    )
    certification = Certification(
        id="test/versions", name="V", body="T", unit="CPE", versions=(old, new)
    )
    result = run(certification, act("a", credits=Decimal(12)), as_of="2025-06-01")
    first, second = result.cycles
    assert (first.version_from, first.requirement("total").required) == (
        dt.date(2000, 1, 1),
        Decimal(10),
    )
    assert (second.version_from, second.requirement("total").required) == (
        dt.date(2025, 1, 1),
        Decimal(20),
    )
    changed = new.model_copy(update={"cycle": AnniversaryCycle(years=2)})
    moved = Certification(
        id="test/versions", name="V", body="T", unit="CPE", versions=(old, changed)
    )
    with pytest.raises(PolicyError, match="changes the cycle spec") as info:
        run(moved, act("a", credits=Decimal(12)), as_of="2025-06-01")
    assert info.value.code == "cycle-spec-changed"
    # Citing the same layout by another clause is not a change of cycle.
    recited = new.model_copy(
        update={
            "citations": (Citation(id="h", url="https://example.org/h", title="Handbook"),),
            "cycle": new.cycle.model_copy(update={"source": SourceRef(citation="h")}),
        }
    )
    same = Certification(
        id="test/versions", name="V", body="T", unit="CPE", versions=(old, recited)
    )
    assert run(same, act("a", credits=Decimal(12)), as_of="2025-06-01").cycles == result.cycles


def test_activities_outside_every_cycle() -> None:
    result = run(
        cert(TOTAL), act("early", "2023-12-31"), act("late", "2025-02-01"), as_of="2025-01-15"
    )
    reasons = {o.activity_id: o.reasons for o in result.outside}
    assert reasons == {"early": ("before-cycle",), "late": ("after-as-of",)}
    assert "before the first cycle began on 2024-01-01" in result.explain("early")


@pytest.mark.parametrize(
    ("rules", "categories", "fields", "reason", "words"),
    [
        ((), (), {"claimed_for": ["other/cert"]}, "not-claimed-for", "claimed only for other/cert"),
        ((), (), {"credits": None, "minutes": 20}, "below-minimum-duration", "20 minutes"),
        (
            (),
            (),
            {"credits": None, "kind": "credential", "valid_until": "2026-01-01"},
            "no-credit",
            "no credit",
        ),
        ((), ("A",), {"category": "a"}, "unrecognised-category", "did you mean 'A'"),
        ((), ("A",), {}, "uncategorised", "names none"),
        (
            (
                Exclusion(
                    id="unapproved", selector=~approved(), description="provider not approved"
                ),
            ),
            (),
            {},
            "excluded",
            "provider not approved",
        ),
    ],
)
def test_screening_reasons(
    rules: tuple[Rule, ...],
    categories: tuple[str, ...],
    fields: dict[str, Any],
    reason: str,
    words: str,
) -> None:
    result = run(cert(TOTAL, *rules, categories=categories), act("x", **fields))
    outcome = result.cycles[0].outcome("x")
    assert outcome.reasons == (reason,)
    assert outcome.counted == 0
    assert words in result.explain("x")


def test_split_with_an_undeclared_share_counts_the_rest() -> None:
    result = run(
        cert(TOTAL, categories=("A", "B")),
        act("s", category=None, credits=Decimal(5), split={"A": Decimal(3), "Q": Decimal(2)}),
    )
    outcome = result.cycles[0].outcome("s")
    assert outcome.total("counted") == 3
    assert outcome.total("unrecognised-category") == 2


def test_repeats_count_once_per_scope() -> None:
    rules = (TOTAL, RepeatExclusion(id="repeats", scope="year"))
    two_years = cert(*rules, cycle=AnniversaryCycle(years=2))
    same = {"title": "Ethics refresher", "provider": "Board"}
    result = run(
        two_years,
        act("r1", "2024-02-01", **same),
        act("r2", "2024-09-01", **same),
        act("r3", "2025-02-01", **{**same, "title": " ethics REFRESHER "}),
        as_of="2026-01-15",
    )
    cycle = result.cycles[0]
    assert [cycle.outcome(i).reasons for i in ("r1", "r2", "r3")] == [
        ("counted",),
        ("repeat",),
        ("counted",),
    ]
    assert "already counted" in result.explain("r2")


def test_the_repeat_that_serves_the_cycle_best_counts() -> None:
    # The course was taken twice; the earlier completion would count nothing (self-study,
    # capped at nothing), the later one counts. Which completion counts is the holder's
    # choice, as every amount is: the later one, and the earlier is the repeat.
    rules = (
        TOTAL,
        RepeatExclusion(id="repeats"),
        Cap(id="self-study", selector=activity_kind("self-study"), credits=Decimal(0)),
    )
    same = {"title": "Ethics refresher", "credits": Decimal(4)}
    result = run(
        cert(*rules),
        act("r1", "2024-02-01", kind="self-study", **same),
        act("r2", "2024-09-01", **same),
        act("r3", "2024-10-01", **same),
    )
    cycle = result.cycles[0]
    assert [cycle.outcome(i).reasons for i in ("r1", "r2", "r3")] == [
        ("repeat",),
        ("counted",),
        ("repeat",),
    ]
    assert cycle.counted == 4
    assert "its completion of 2024-09-01 (r2) serves the cycle better" in result.explain("r1")
    assert "already counted" in result.explain("r3")


def test_the_repeat_that_counts_in_the_cycle_comes_before_the_one_that_would_carry() -> None:
    # Either completion meets the minimum. The conference counts 12 here; the course
    # would count 10 here and carry 10 out. Credit the cycle counts comes first.
    rules = (TOTAL, RepeatExclusion(id="repeats"))
    certification = cert(*rules, carryover=Carryover(selector=activity_kind("course")))
    same = {"title": "Ethics refresher"}
    result = run(
        certification,
        act("r1", "2024-02-01", kind="conference", credits=Decimal(12), **same),
        act("r2", "2024-11-01", credits=Decimal(20), **same),
    )
    cycle = result.cycles[0]
    assert [cycle.outcome(i).reasons for i in ("r1", "r2")] == [("counted",), ("repeat",)]
    assert (cycle.counted, cycle.carried_out) == (Decimal(12), ())


def test_too_many_ways_to_choose_repeats_is_refused_with_the_limit() -> None:
    # Thirteen courses each taken twice, once as self-study (capped): 2**13 choices.
    rules = (
        TOTAL,
        RepeatExclusion(id="repeats"),
        Cap(id="self-study", selector=activity_kind("self-study"), credits=Decimal(1)),
    )
    activities = [
        act(f"{kind}{n}", f"2024-{month}-{n + 1:02d}", title=f"Course {n}", kind=kind)
        for n in range(13)
        for kind, month in (("self-study", "02"), ("course", "03"))
    ]
    with pytest.raises(ArgumentError, match=r"8,192 ways to choose") as raised:
        run(cert(*rules), *activities)
    assert raised.value.code == "beyond-limits"


def test_a_plan_in_grace_counts_the_grace_window_credit_already_earned() -> None:
    # 2024 ended short (2 of 20 CPE); the B course earned in the grace window meets the
    # B minimum and counts toward the total. The plan asks for the 17 CPE still short,
    # of any category, and no more B: the holder's own credit comes before new credit.
    rules = (
        TOTAL.model_copy(update={"credits": Decimal(20)}),
        Minimum(id="b", credits=Decimal(1), selector=category("B")),
    )
    certification = cert(
        *rules,
        categories=("A", "B"),
        cycle=AnniversaryCycle(years=1, grace=Grace(days=30, earning="allowed")),
    )
    result = run(
        certification,
        act("a1", "2024-03-01", credits=Decimal(1), category="A"),
        act("a2", "2024-04-01", credits=Decimal(1), category="A"),
        act("b1", "2025-01-05", credits=Decimal(1), category="B"),
        as_of="2025-01-10",
    )
    assert result.cycles[0].status == "in_grace"
    (need,) = result.remaining()
    assert (need.credits, need.free, need.due) == (Decimal(17), Decimal(17), dt.date(2025, 1, 30))
    planned = Activity(
        id="p",
        title="Plan",
        completed=dt.date(2025, 1, 10),
        credits=Decimal(17),
        category=need.category,
    )
    assert result.what_if([planned]).cycles[0].status == "compliant"


def test_share_caps_limit_a_kind_to_a_share_of_the_total() -> None:
    rules = (
        TOTAL,
        Cap(id="self-study", selector=activity_kind("self-study"), share=Decimal("0.5")),
    )
    result = run(
        cert(*rules),
        act("course", credits=Decimal(4)),
        act("self", kind="self-study", credits=Decimal(10)),
    )
    cycle = result.cycles[0]
    assert cycle.outcome("self").counted == 4
    assert cycle.outcome("self").total("capped") == 6
    assert cycle.outcome("self").parts[-1].rule == "self-study"


def test_credit_values_scale_split_shares() -> None:
    rules = (TOTAL, CreditValue(id="double", selector=topic("x"), multiplier=Decimal(2)))
    result = run(
        cert(*rules, categories=("A", "B")),
        act(
            "s",
            category=None,
            topics=["x"],
            credits=Decimal(3),
            split={"A": Decimal(1), "B": Decimal(2)},
        ),
    )
    outcome = result.cycles[0].outcome("s")
    assert outcome.valued_by == "double"
    assert {(p.category, p.credits) for p in outcome.parts} == {
        ("A", Decimal(2)),
        ("B", Decimal(4)),
    }
    assert "valued by rule 'double'" in result.explain("s")


def test_prorated_first_cycle_scales_cycle_minimums() -> None:
    certification = cert(
        Minimum(id="total", credits=Decimal(36)),
        cycle=CalendarCycle(years=3, stub="merged", first_cycle="prorated"),
    )
    holding = Holding(certification=certification, earned=dt.date(2024, 7, 1))
    result = evaluate(holding, Ledger(), as_of=dt.date(2024, 8, 1))
    assert result.cycles[0].requirement("total").required == 36


def test_once_per_career_requirements_stop_once_met() -> None:
    result = run(
        cert(TOTAL, ORIENTATION),
        act("o", topics=["orientation"], credits=Decimal(10)),
        act("b", "2025-03-01", credits=Decimal(10)),
        as_of="2026-01-15",
    )
    first, second, _ = result.cycles
    assert first.requirement("orientation").met
    assert [r.id for r in second.requirements] == ["total"]


def test_once_per_career_minimums_met_before_tell_apart_cycles_laid_out_alike() -> None:
    # Both holders' cycles are laid out alike (same dates): the second cycle asks for the
    # orientation again only of the one who did not meet it in the first (now in grace).
    # Evaluated one after the other, in both orders, by both paths.
    certification = cert(TOTAL, ORIENTATION, cycle=AnniversaryCycle(years=1, grace=Grace(days=90)))
    holding = Holding(certification=certification, earned=EARNED)
    met = Ledger((act("o", topics=["orientation"], credits=Decimal(10)),))
    unmet = Ledger((act("a", credits=Decimal(10)),))
    as_of = dt.date(2025, 2, 1)
    expected = {id(met): ["total"], id(unmet): ["total", "orientation"]}
    for ledger in (met, unmet, met, unmet):
        second = evaluate(holding, ledger, as_of=as_of).cycles[1]
        judged = verdict(holding, ledger, as_of=as_of).cycles[1]
        assert [r.id for r in second.requirements] == expected[id(ledger)]
        assert [r.id for r in judged.requirements] == expected[id(ledger)]


def test_carryover_to_the_next_cycle_as_a_whole() -> None:
    rules = (TOTAL,)
    certification = cert(*rules, carryover=Carryover(lands="next-cycle"))
    result = run(certification, act("big", credits=Decimal(15)), as_of="2025-01-15")
    first, second = result.cycles
    assert [c.lands_in for c in first.carried_out] == [second.period]
    assert second.requirement("total").counted == 5


def test_pace_and_remaining_while_in_progress() -> None:
    result = run(cert(TOTAL), act("a", credits=Decimal(4)), as_of="2024-07-01")
    requirement = result.governing.requirement("total")
    assert result.status == "in_progress"
    assert requirement.expected_to_date is not None
    assert Decimal(4) < requirement.expected_to_date < Decimal(6)
    assert result.remaining() == (Need(credits=Decimal(6), due=dt.date(2024, 12, 31), unit="CPE"),)
    assert str(result.remaining()[0]) == "6 CPE by 2024-12-31"


def test_remaining_is_empty_when_compliant() -> None:
    assert run(cert(TOTAL), act("a", credits=Decimal(10)), as_of="2024-07-01").remaining() == ()


def test_remaining_names_topics_and_respects_caps() -> None:
    rules = (
        TOTAL,
        Minimum(id="ethics", credits=Decimal(2), selector=topic("ethics")),
        Cap(id="b", selector=category("B"), credits=Decimal(3)),
    )
    result = run(
        cert(*rules, categories=("A", "B")),
        act("b", category="B", credits=Decimal(3)),
        as_of="2024-07-01",
    )
    needs = result.remaining()
    assert sum(n.credits for n in needs) == 7
    assert all(n.category != "B" for n in needs)
    assert any(n.topic == "ethics" and n.credits == 2 for n in needs)
    assert "topic ethics" in " ".join(str(n) for n in needs)


def test_text_explain_and_dict() -> None:
    result = run(
        cert(TOTAL, Cap(id="b", selector=category("B"), credits=Decimal(2)), categories=("A", "B")),
        act("a", category="A"),
        act("b", category="B"),
        as_of="2025-01-15",
    )
    text = str(result)
    assert text.startswith("test/unit: NOT compliant as of 2025-01-15")
    assert "Cycle 0, 2024-01-01..2024-12-31 (due 2024-12-31): NOT compliant" in text
    assert "Standing: lapsed from 2025-01-01" in text
    assert "Cycle 1" not in text  # a lapsed certification has no later cycle
    assert "total: 7 of 10 CPE (short 3)" in text
    assert "not counted because the cap 'b' was reached" in text
    with pytest.raises(KeyError, match="did you mean 'a'"):
        result.explain("aa")
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["cycles"][0]["requirements"][0]["shortfall"] == "3"


def test_results_compare_by_value() -> None:
    certification = cert(TOTAL)
    one = run(certification, act("a"))
    assert one == run(certification, act("a"))
    assert one != run(certification, act("a", credits=Decimal(6)))
    assert one != "evaluation"
    assert hash(one) == hash(run(certification, act("a")))


def test_lookups_name_what_exists() -> None:
    cycle = run(cert(TOTAL), act("a")).cycles[0]
    with pytest.raises(KeyError, match="known: total"):
        cycle.requirement("totl")
    with pytest.raises(KeyError, match="no outcome"):
        cycle.outcome("zz")


def test_text_shows_uncertain_readings_once_and_findings_per_cycle() -> None:
    rules = (
        TOTAL,
        Prerequisite(id="cpr", selector=topic("cpr"), description="CPR card valid at renewal"),
    )
    # A grace window keeps the unmet first cycle curable, so the second cycle is evaluated.
    certification = cert(
        *rules,
        uncertain=("End day assumed.",),
        carryover=Carryover(),
        cycle=AnniversaryCycle(years=1, grace=Grace(days=90)),
    )
    result = run(certification, act("a", credits=Decimal(15)), as_of="2025-03-01")
    text = str(result)
    assert text.count("End day assumed.") == 1
    assert text.count("prerequisite-unmet: CPR card valid at renewal") == 2
    assert "carried out: 5 CPE from a into 2025-01-01..2025-12-31" in text
    assert "carried in: 5 CPE from a" in text
    assert [f.code for f in result.cycles[0].findings] == [
        "uncertain-reading",
        "prerequisite-unmet",
    ]


def test_a_fixed_value_on_an_empty_split_is_shared_equally() -> None:
    rules = (TOTAL, CreditValue(id="flat", selector=topic("x"), fixed=Decimal(5)))
    result = run(
        cert(*rules, categories=("A", "B")),
        act(
            "s",
            category=None,
            topics=["x"],
            credits=Decimal(0),
            split={"A": Decimal(0), "B": Decimal(0)},
        ),
    )
    outcome = result.cycles[0].outcome("s")
    assert {(p.category, p.credits) for p in outcome.parts} == {
        ("A", Decimal("2.5")),
        ("B", Decimal("2.5")),
    }


def test_activities_between_rolling_windows_are_reported() -> None:
    certification = cert(
        TOTAL, cycle=RollingCycle(every_months=12, window_months=6, checkpoint_month=12)
    )
    holding = Holding(certification=certification, earned=dt.date(2021, 1, 1))
    ledger = Ledger([act("first", "2021-09-01", credits=Decimal(10)), act("gap", "2022-03-01")])
    result = evaluate(holding, ledger, as_of=dt.date(2022, 12, 31))
    assert [(o.activity_id, o.reasons) for o in result.outside] == [("gap", ("between-windows",))]
    assert "completed in no renewal window" in result.explain("gap")


def test_remaining_never_asks_more_than_rounding_needs() -> None:
    # The exact optimum may split the need as 0.25 of capped A and 0.75 of B; rounded onto
    # the whole-credit grid that would ask for 1 A and 1 B, but 1 B alone completes it.
    rules = (
        Minimum(id="total", credits=Decimal(1)),
        Cap(id="a", selector=category("A"), credits=Decimal("0.25")),
    )
    result = run(cert(*rules, categories=("A", "B")), as_of="2024-03-01")
    assert [(n.credits, n.category) for n in result.remaining()] == [(Decimal(1), "B")]
