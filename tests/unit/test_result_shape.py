"""Issue 15, items 10 to 15: the shape of results (one regression test per behaviour)."""

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from sample_ledger import sample_result

from cperules import Activity, Holding, Ledger, catalog, evaluate, evaluate_portfolio
from cperules.credits import format_credits
from cperules.describe import describe_rule, describe_selector
from cperules.holders import RenewalEvent
from cperules.render import RecordsBy, evaluation_records
from cperules.results import CreditTotals, Need, Verdict
from cperules.selectors import category


def cissp(earned: dt.date, as_of: dt.date, *activities: Activity) -> Any:
    return evaluate(
        Holding(certification="isc2/cissp", earned=earned), Ledger(activities), as_of=as_of
    )


def act(activity_id: str, day: dt.date, credits: str, where: str = "A") -> Activity:
    return Activity(
        id=activity_id, title=activity_id, completed=day, credits=Decimal(credits), category=where
    )


# --- 10: one answer to "is it in good standing today, and why" ----------------------------


def test_the_verdict_says_in_good_standing_while_a_cycle_is_in_progress_and_why() -> None:
    result = sample_result()
    verdict = result.verdict
    assert isinstance(verdict, Verdict)
    assert (verdict.good, verdict.certified, verdict.standing) == (True, True, "active")
    assert (verdict.cycle, verdict.status, verdict.as_of) == (1, "in_progress", result.as_of)
    assert verdict.reason == (
        "cycle 1 (2026-03-01..2029-02-28) is in progress: 27.5 CPE counted, "
        "total short 92.5 CPE; group-a short 62.5 CPE, due 2029-02-28"
    )
    assert str(verdict).startswith("in good standing on 2026-11-24: cycle 1")
    # The three old places still answer their own questions.
    assert (result.status, result.governing.status) == ("in_progress", "in_progress")
    assert result.standing.standing == "active"


def test_the_verdict_rests_on_the_cycle_that_ended_unmet_in_grace_suspension_and_after() -> None:
    earned = dt.date(2021, 1, 1)
    grace = cissp(earned, dt.date(2024, 2, 1)).verdict
    assert (grace.good, grace.certified, grace.standing, grace.cycle) == (False, True, "grace", 0)
    assert grace.until == dt.date(2024, 3, 30)
    assert "cycle 0 (2021-01-01..2023-12-31) ended unmet; it can be cured until 2024-03-30" in (
        grace.reason
    )
    suspended = cissp(earned, dt.date(2024, 6, 1)).verdict
    assert (suspended.certified, suspended.standing, suspended.status) == (
        False,
        "suspended",
        "non_compliant",
    )
    assert str(suspended).startswith("NOT in good standing on 2024-06-01: suspended since")
    ended = cissp(earned, dt.date(2026, 6, 1)).verdict
    assert (ended.standing, ended.since, ended.until) == ("terminated", dt.date(2026, 3, 31), None)


def test_the_verdict_of_a_cycle_renewed_by_an_event_names_the_event() -> None:
    holding = Holding(
        certification="comptia/security-plus",
        earned=dt.date(2023, 11, 30),
        events=(
            RenewalEvent(kind="designated-course", date=dt.date(2026, 6, 1), tag="certmaster-ce"),
        ),
    )
    verdict = evaluate(holding, Ledger(), as_of=dt.date(2026, 7, 1)).verdict
    assert verdict.good
    assert "renewed" in verdict.reason or "compliant" in verdict.reason


def test_the_verdict_shows_in_text_html_and_markdown() -> None:
    result = cissp(dt.date(2021, 1, 1), dt.date(2024, 2, 1))
    assert "NOT in good standing on 2024-02-01: grace since 2024-01-01" in str(result)
    assert "<strong>Not in good standing</strong>: grace since 2024-01-01" in result._repr_html_()
    assert "NOT in good standing on 2024-02-01" in result._repr_markdown_()


# --- 11: earned, counted and carried out side by side -------------------------------------


def test_earned_counted_and_carried_out_are_shown_side_by_side() -> None:
    result = sample_result()
    first = result.cycles[0]
    assert first.counted == 120  # unchanged: what counts toward the cycle
    assert first.totals == CreditTotals(
        earned=Decimal(145), counted=Decimal(120), carried_out=Decimal(25)
    )
    total = first.requirement("total")
    assert (total.counted, total.carried_out, total.totals.earned) == (
        Decimal(120),
        Decimal(25),
        Decimal(145),
    )
    second = result.cycles[1].requirement("total")
    assert (second.carried_in, second.totals.earned, second.counted) == (
        Decimal(25),
        Decimal("2.5"),
        Decimal("27.5"),
    )
    text = str(result)
    assert "  credit: 145 CPE earned, 120 CPE counted, 25 CPE carried out" in text
    assert "total: 120 of 120 CPE (met; 145 earned, 120 counted, 25 carried out)" in text
    html = result._repr_html_()
    assert "Credit: 145 CPE earned, 120 CPE counted, 25 CPE carried out." in html
    assert re.search(
        r"<th[^>]*>earned</th><th[^>]*>carried in</th><th[^>]*>counted</th>"
        r"<th[^>]*>carried out</th>",
        html,
    )
    markdown = result._repr_markdown_()
    assert "| earned | carried in | carried out |" in markdown
    assert "| total | 120 | 120 | 0 | 145 | 0 | 25 |" in markdown
    (row, *_) = result.to_records(by="requirement")
    assert (row["requirement"], row["earned"], row["counted"], row["carried_out"]) == (
        "total",
        Decimal(145),
        Decimal(120),
        Decimal(25),
    )
    a3 = next(r for r in result.to_records(by="activity") if r["activity_id"] == "a3")
    assert (a3["earned"], a3["counted"], a3["carried_out"]) == (20, 10, 10)


def test_tables_without_carried_credit_keep_their_columns() -> None:
    result = cissp(dt.date(2024, 1, 1), dt.date(2024, 6, 1), act("a", dt.date(2024, 2, 1), "10"))
    assert "carried out" not in result._repr_markdown_()
    assert ">carried out</th>" not in result._repr_html_()


# --- 12: one numbering of cycles ------------------------------------------------------------


def test_cycles_are_numbered_from_zero_on_screen_as_in_the_api() -> None:
    result = sample_result()
    assert [c.index for c in result.cycles] == [0, 1]
    assert "Cycle 0, 2023-03-01..2026-02-28" in str(result)
    assert "Cycle 1, 2026-03-01..2029-02-28" in str(result)
    html = result._repr_html_()
    assert "As of 2026-11-24: cycle 1 (2026-03-01..2029-02-28)" in html
    assert "<h4>Cycle 0, 2023-03-01..2026-02-28" in html
    assert "| 0: 2023-03-01..2026-02-28 |" in result._repr_markdown_()
    assert result.governing._repr_markdown_().startswith("**Cycle 1, ")
    assert [d.cycle for d in result.next_deadlines()] == [1]
    ended = cissp(dt.date(2021, 1, 1), dt.date(2026, 6, 1))
    assert ended.lifecycle[-1].note is not None
    assert ended.lifecycle[-1].note.startswith("cycle 0 ended unmet")


def test_a_cycle_is_named_by_its_index_or_a_day_in_its_period() -> None:
    result = sample_result()
    assert result.cycle(0) is result.cycles[0]
    assert result.cycle(dt.date(2026, 3, 1)) is result.cycles[1]
    assert result.cycle(dt.date(2026, 2, 28)) is result.cycles[0]
    with pytest.raises(
        IndexError, match=r"no cycle 2 was evaluated \(cycles: 0, 1\); 0 is the first"
    ):
        result.cycle(2)
    with pytest.raises(IndexError, match="no evaluated cycle holds 2020-01-01"):
        result.cycle(dt.date(2020, 1, 1))
    with pytest.raises(TypeError, match="by its index"):
        result.cycle("0")  # type: ignore[arg-type]


def test_the_plot_takes_a_cycle_by_index_or_day_and_titles_it_from_zero() -> None:
    pytest.importorskip("matplotlib")
    import matplotlib  # noqa: PLC0415 - optional

    matplotlib.use("Agg")
    result = sample_result()
    assert result.plot(cycle=0).get_title().startswith("isc2/cissp: cycle 0, 2023-03-01")
    assert result.plot(cycle=dt.date(2026, 5, 1)).get_title().startswith("isc2/cissp: cycle 1,")


# --- 13: typed records ----------------------------------------------------------------------


def test_records_are_typed_decimal_date_and_none() -> None:
    result = sample_result()
    kinds: tuple[RecordsBy, ...] = ("part", "activity", "requirement")
    for by in kinds:
        for record in evaluation_records(result, by):
            for key in ("cycle_start", "cycle_end", "completed", "period_start"):
                assert record.get(key) is None or isinstance(record[key], dt.date), (by, key)
            for key in ("claimed", "credits", "counted", "earned", "required", "not_counted"):
                if key in record:
                    assert isinstance(record[key], Decimal), (by, key)
    activities = result.to_records(by="activity")
    assert sum(r["counted"] for r in activities if r["cycle"] == 0) == Decimal(120)
    outside = [r for r in activities if r["cycle"] is None]
    assert all(r["cycle_start"] is None for r in outside)


def test_records_as_strings_give_the_old_text_form() -> None:
    result = sample_result()
    typed = result.to_records(by="activity")
    text = result.to_records(by="activity", as_strings=True)
    assert [set(r) for r in typed] == [set(r) for r in text]
    b1 = next(r for r in text if r["activity_id"] == "b1")
    assert (b1["claimed"], b1["counted"], b1["completed"], b1["cycle_start"]) == (
        "45",
        "30",
        "2024-01-10",
        "2023-03-01",
    )


def test_a_dataframe_of_typed_records_adds_credits() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(sample_result().to_records(by="activity"))
    assert frame.groupby("cycle")["counted"].sum().to_dict() == {0: Decimal(120), 1: Decimal("2.5")}


# --- 14: what-if marks, the portfolio's plan, one formatter, the unit, selectors in words ---


def test_a_what_if_result_marks_its_planned_activities_everywhere() -> None:
    base = cissp(dt.date(2024, 1, 1), dt.date(2024, 6, 1))
    plan = base.what_if([act("p1", dt.date(2024, 9, 1), "30")])
    assert (base.planned, plan.planned) == ((), ("p1",))
    assert "What if: with planned activities p1" in str(plan)
    assert "hypothetical, claimed 30 CPE" in str(plan)
    html = plan._repr_html_()
    assert "<strong>What if</strong>: with planned activities p1" in html
    assert "p1 <em>(planned)</em>" in html
    assert "What if: with planned activities p1." in plan._repr_markdown_()
    (record,) = plan.to_records()
    assert record["hypothetical"] is True
    assert "What if" not in str(base)


def test_the_portfolio_html_shows_the_plan_and_where_each_activity_counted() -> None:
    ledger = Ledger([act("c1", dt.date(2024, 2, 1), "10")])
    portfolio = evaluate_portfolio(
        [
            Holding(certification="isc2/cissp", earned=dt.date(2024, 1, 1)),
            Holding(certification="isc2/ccsp", earned=dt.date(2024, 1, 1)),
        ],
        ledger,
        as_of=dt.date(2024, 6, 1),
    )
    html = portfolio._repr_html_()
    assert "<h4>Still needed</h4>" in html
    assert "isc2/cissp: 110 CPE" in html
    assert "Where each activity counted (1 activity)" in html
    assert "isc2/cissp 10 CPE; isc2/ccsp 10 CPE" in html


def test_one_number_formatter_everywhere() -> None:
    assert format_credits(Decimal("4.50"), "PDU") == "4.5 PDU"
    assert format_credits(Decimal("0E-6")) == "0"
    result = cissp(dt.date(2024, 1, 1), dt.date(2024, 6, 1), act("a", dt.date(2024, 2, 1), "4.50"))
    for shown in (str(result), result._repr_html_(), result._repr_markdown_()):
        assert "4.50" not in shown
    assert "4.5 CPE earned" in str(result)
    assert re.search(r">4\.5</td>", result._repr_html_())
    assert "115.5" in result._repr_markdown_()


def test_a_need_speaks_the_policys_unit() -> None:
    result = cissp(dt.date(2024, 1, 1), dt.date(2024, 6, 1))
    (need,) = result.remaining()
    assert need.unit == "CPE"
    assert str(need) == "120 CPE of category A by 2026-12-31"
    assert "Still needed: 120 CPE of category A by 2026-12-31" in result._repr_html_()
    # A need built by hand, with no policy behind it, still reads in credits.
    assert str(Need(credits=Decimal(2), due=dt.date(2026, 1, 1))) == "2 credits by 2026-01-01"


def test_selectors_are_described_in_words_in_the_policy_view() -> None:
    assert describe_selector(~category("working-as-a-practitioner")) == (
        "not category working-as-a-practitioner"
    )
    html = catalog.get("pmi/pmp")._repr_html_()
    assert "~category(" not in html
    assert "category(&#x27;" not in html
    words = [describe_rule(rule, "PDU") for rule in catalog.get("pmi/pmp").versions[-1].rules]
    assert not any("(" in w and "')" in w for w in words), words


# --- 15: explicit alignment ------------------------------------------------------------------


def test_html_cells_state_their_alignment_text_left_numbers_right() -> None:
    html = sample_result()._repr_html_()
    cells = re.findall(r"<t[dh]( [^>]*)?>", html)
    assert cells
    assert all(attrs and "text-align:" in attrs for attrs in cells)
    assert '<td style="text-align:left">b1</td>' in html
    assert re.search(r'<td class="n" style="text-align:right;[^"]*">45</td>', html)
    ledger_html = Ledger([act("a", dt.date(2024, 2, 1), "1")])._repr_html_()
    assert '<th style="text-align:left">title</th>' in ledger_html
