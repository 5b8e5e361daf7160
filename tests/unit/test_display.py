"""The HTML and Markdown a notebook shows, and the flat records a DataFrame takes."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from sample_ledger import SAMPLE_CSV, sample_result

from cperules import (
    Activity,
    AnniversaryCycle,
    ArgumentError,
    BirthMonthCycle,
    CalendarCycle,
    CategoryNode,
    Certification,
    Citation,
    Evaluation,
    Grace,
    Holding,
    Ledger,
    Period,
    PolicyVersion,
    RollingCycle,
    ScheduledCycle,
    ScheduleGroup,
    catalog,
    evaluate,
    samples,
)
from cperules.citations import SourceRef
from cperules.credits import Measure
from cperules.render import (
    activity_table,
    banner,
    deadlines,
    describe_cycle,
    describe_rule,
    describe_total,
    evaluation_html,
    evaluation_records,
    progress_bar,
    requirement_table,
)
from cperules.results import STATUS_WORDS, ActivityOutcome, CycleResult, Part, RequirementResult
from cperules.rules import (
    Cap,
    Carryover,
    CreditValue,
    Exclusion,
    Minimum,
    Prerequisite,
    Recurrence,
    RepeatExclusion,
)
from cperules.selectors import activity_kind, category, topic

HOSTILE = "<script>alert('x')</script> & \"quoted\""
HOSTILE_HTML = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;"
ASSETS = re.compile(r"src\s*=|<link|@import|url\(|<script|<iframe|<img|@font-face", re.IGNORECASE)


def hostile_certification() -> Certification:
    version = PolicyVersion(
        effective_from=dt.date(2020, 1, 1),
        cycle=AnniversaryCycle(years=1),
        categories=(CategoryNode(code="A", name=HOSTILE),),
        rules=(
            Minimum(id="total", credits=Decimal(10), description=HOSTILE),
            Minimum(id="<b>ethics</b>", credits=Decimal(2), selector=topic("ethics")),
        ),
        citations=(Citation(url="https://example.org/?a=1&b=<2>", title=HOSTILE, clause=HOSTILE),),
        uncertain=(HOSTILE,),
    )
    return Certification(
        id="test/html",
        name=HOSTILE,
        body=HOSTILE,
        unit="<u>CPE</u>",
        aliases=(HOSTILE,),
        versions=(version,),
    )


def hostile_result() -> Evaluation:
    ledger = Ledger(
        [
            Activity(
                id="x<1>",
                title=HOSTILE,
                completed=dt.date(2024, 3, 1),
                credits=Decimal(4),
                claimed_for=("other/cert",),
            ),
            Activity(id="&y", title=HOSTILE, completed=dt.date(2023, 3, 1), credits=Decimal(1)),
        ]
    )
    return evaluate(
        Holding(certification=hostile_certification(), earned=dt.date(2024, 1, 1)),
        ledger,
        as_of=dt.date(2025, 2, 1),
    )


def cissp_result(as_of: dt.date, *activities: Activity) -> Evaluation:
    return evaluate(
        Holding(certification=catalog.get("isc2/cissp"), earned=dt.date(2023, 3, 1)),
        Ledger(activities),
        as_of=as_of,
    )


def workshop(credits: int = 45) -> Activity:
    return Activity(
        id="b1",
        title="Workshop",
        completed=dt.date(2024, 1, 10),
        credits=Decimal(credits),
        category="B",
    )


def test_the_sample_is_the_packaged_sample_ledger() -> None:
    assert samples.text("sample-ledger.csv") == SAMPLE_CSV


def test_an_unknown_sample_name_suggests_the_closest() -> None:
    with pytest.raises(ArgumentError, match=r"did you mean 'sample-ledger\.csv'"):
        samples.text("sample-ledger")


# --- escaping -----------------------------------------------------------------------------


def test_every_user_string_is_escaped_in_the_evaluation_html() -> None:
    html = hostile_result()._repr_html_()
    assert "<script>" not in html
    assert HOSTILE_HTML in html
    assert "<b>ethics</b>" not in html
    assert "&lt;b&gt;ethics&lt;/b&gt;" in html
    assert "<u>CPE</u>" not in html
    assert "&lt;u&gt;CPE&lt;/u&gt;" in html
    assert "x&lt;1&gt;" in html
    assert "&amp;y" in html
    assert ">NOT compliant</span>" in html
    assert not ASSETS.search(html)


def test_every_user_string_is_escaped_in_markdown() -> None:
    result = hostile_result()
    for text in (result._repr_markdown_(), result.cycles[0]._repr_markdown_()):
        assert "<" not in text
        assert "x&lt;1&gt;" in text
    markdown = result._repr_markdown_()
    assert "\\<b\\>" not in markdown  # HTML-escaped, then Markdown punctuation backslashed
    assert "&lt;b&gt;ethics&lt;/b&gt;" in markdown
    assert "x&lt;1&gt; 4 &lt;u&gt;CPE&lt;/u&gt; (not-claimed-for)" in markdown


def test_every_user_string_is_escaped_in_ledger_and_certification_html() -> None:
    certification = hostile_certification()
    html = certification._repr_html_()
    assert "<script>" not in html
    assert html.count(HOSTILE_HTML) >= 6  # name, body, alias, category, rule, citation, note
    assert '<a href="https://example.org/?a=1&amp;b=&lt;2&gt;">' in html
    assert not ASSETS.search(html)
    ledger = Ledger(
        [
            Activity(
                id="<i>",
                title=HOSTILE,
                completed=dt.date(2024, 1, 1),
                credits=Decimal(1),
                provider=HOSTILE,
                topics=(HOSTILE,),
            )
        ]
    )
    html = ledger._repr_html_()
    assert "<script>" not in html
    assert "<i>" not in html
    assert html.count(HOSTILE_HTML) == 3
    assert not ASSETS.search(html)


def test_building_blocks_escape_what_they_are_given() -> None:
    assert "<x>" not in banner("<x>", "exempt")
    outcome = ActivityOutcome(
        activity_id="<a>",
        title="<t>",
        completed=dt.date(2024, 1, 1),
        claimed=Decimal(1),
        basis="credits",
        parts=(Part(reason="excluded", credits=Decimal(1), rule="<r>", note="<n>"),),
    )
    html = activity_table([outcome], unit="<u>", label="<l>")
    assert not re.search(r"<(a|t|u|l|r|n)>", html)


# --- content ------------------------------------------------------------------------------


def test_every_requirement_and_status_is_stated_in_words() -> None:
    result = cissp_result(dt.date(2026, 3, 10), workshop())
    html = result._repr_html_()
    assert [c.status for c in result.cycles] == ["in_grace", "in_progress"]
    for cycle in result.cycles:
        for requirement in cycle.requirements:
            assert f'<td style="text-align:left">{requirement.id}<br>' in html
            assert requirement.description is not None
            assert requirement.description in html
    # Status in words, not colour alone: the label's text is the status.
    assert html.count(">in its grace period</span>") == 2  # overall and cycle 1
    assert ">in progress</span>" in html
    assert '<td style="text-align:left">short by 90</td>' in html
    assert (
        '<td style="text-align:left">short by 120, behind pace (1.09 expected by now)</td>' in html
    )
    assert "grace window 2026-03-01 to <strong>2026-05-29</strong> (in 80 days)" in html
    assert "Due <strong>2026-02-28</strong> (10 days ago)" in html
    assert "Still needed: 90 CPE of category A by 2026-05-29" in html
    assert not ASSETS.search(html)


def test_activity_table_explains_every_credit_not_counted() -> None:
    html = sample_result()._repr_html_()
    assert "<code>capped</code> 15 CPE not counted because the cap &#x27;group-b&#x27;" in html
    assert "<code>unrecognised-category</code> 3 CPE not counted: category &#x27;Z&#x27;" in html
    assert "<code>carried-out</code> 15 CPE carried out in category A" in html
    assert "Activities (4): 27.5 CPE counted; 3 CPE not counted (1 activity)" in html
    assert "Earlier cycles (1)" in html
    assert "Carried in: 10 CPE from a3 (category A), landing in 2026-03-01..2027-02-28" in html
    assert "Carried out: 15 CPE from a4 (category A) into 2026-03-01..2027-02-28" in html
    assert "behind pace (29.45 expected by now)" in html
    assert "on pace" in html  # group-a: 27.5 counted, 22.09 expected
    notes = len(catalog.get("isc2/cissp").versions[-1].uncertain)  # the catalog's own count
    assert f"Readings chosen where the policy's sources conflict ({notes})" in html
    assert "<details open>" not in html
    assert "<details open>" in sample_result().governing._repr_html_().replace(
        "<details>", "<details open>"
    )


def test_expanded_views_open_the_activity_tables() -> None:
    html = evaluation_html(sample_result(), expanded=True)
    assert html.count("<details open>") == 1  # the governing cycle; earlier ones stay closed


def test_compliant_exempt_and_outside_activities() -> None:
    certification = catalog.get("isc2/cissp")
    early = Activity(
        id="early", title="Early", completed=dt.date(2022, 6, 1), credits=Decimal(1), category="A"
    )
    enough = Activity(
        id="a1", title="Course", completed=dt.date(2023, 6, 1), credits=Decimal(120), category="A"
    )
    result = evaluate(
        Holding(certification=certification, earned=dt.date(2023, 3, 1)),
        Ledger([early, enough]),
        as_of=dt.date(2023, 7, 1),
    )
    html = result._repr_html_()
    assert result.status == "compliant"
    assert "Nothing more is needed for this cycle." in html
    assert "Activities outside every evaluated cycle (1)" in html
    assert "1 activity outside every cycle." in result._repr_markdown_()
    exempt = Certification(
        id="test/exempt",
        name="Exempt",
        body="Test",
        unit="CEU",
        versions=(
            PolicyVersion(
                effective_from=dt.date(2000, 1, 1),
                cycle=CalendarCycle(years=2),
                rules=(Minimum(id="total", credits=Decimal(10)),),
            ),
        ),
    )
    stub = evaluate(
        Holding(certification=exempt, earned=dt.date(2024, 5, 1)),
        Ledger(),
        as_of=dt.date(2024, 6, 1),
    )
    html = stub._repr_html_()
    assert stub.status == "exempt"
    assert ">exempt</span>" in html
    assert "No requirement applies to this cycle." in html
    assert "| none | | | |" in stub._repr_markdown_()


def test_a_rebuilt_evaluation_renders_without_its_history() -> None:
    result = sample_result()
    rebuilt = Evaluation.model_validate(result.to_dict())
    html = rebuilt._repr_html_()
    assert "Still needed" not in html
    assert "Nothing more is needed" not in html
    assert "Still needed" in result._repr_html_()
    assert "Still needed" not in rebuilt._repr_markdown_()


def test_markdown_is_compact_and_complete() -> None:
    text = sample_result()._repr_markdown_()
    assert text.splitlines()[0] == ("**isc2/cissp**: in progress as of 2026-11-24")
    assert (
        "| 1: 2026-03-01..2029-02-28 | in progress | 2029-02-28 | total | 27.5 | 120 | 92.5 "
        "| 2.5 | 25 | 0 |" in (text)
    )
    assert "Still needed: 92.5 CPE of category A by 2029-02-28." in text
    assert "Not counted: b1 15 CPE (capped); x1 3 CPE (unrecognised-category)." in text
    cycle_text = sample_result().governing._repr_markdown_()
    assert cycle_text.startswith("**Cycle 1, 2026-03-01..2029-02-28**: in progress, due 2029-02-28")
    assert "Not counted: x1 3 (unrecognised-category)." in cycle_text


def test_building_blocks_on_their_own() -> None:
    whole = Period(start=dt.date(2024, 1, 1), end=dt.date(2026, 12, 31))
    year = Period(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    floor = RequirementResult(
        id="yearly", period=year, required=Decimal(20), counted=Decimal(25), shortfall=Decimal(0)
    )
    html = requirement_table([floor], status="in_progress", unit="PDU", period=whole)
    assert "yearly <span" in html
    assert "in 2024-01-01..2024-12-31" in html
    assert "required (PDU)" in html
    assert ">met<" in html
    assert "100%" in html
    assert "in 2024-01-01..2024-12-31" in requirement_table([floor], status="in_progress")
    assert "0%" in progress_bar(Decimal(0), Decimal(10), status="non_compliant")
    assert "100%" in progress_bar(Decimal(0), Decimal(0), status="compliant")
    assert "expected" not in progress_bar(
        Decimal(1), Decimal(0), status="compliant", expected=Decimal(0)
    )
    assert "expected" not in progress_bar(
        Decimal(12), Decimal(10), status="in_progress", expected=Decimal(5)
    )
    cycle = CycleResult(
        index=0, period=whole, due=whole.end, status="in_progress", version_from=whole.start
    )
    assert deadlines(cycle) == "<p>Due <strong>2026-12-31</strong>.</p>"
    assert "(today)" in deadlines(cycle, whole.end)
    assert "(1 day ago)" in deadlines(cycle, dt.date(2027, 1, 1))
    assert "(in 1 day)" in deadlines(cycle, dt.date(2026, 12, 30))
    assert activity_table([]) == ""
    assert all(word in STATUS_WORDS.values() for word in ("compliant", "NOT compliant"))


# --- policies in words ----------------------------------------------------------------------


def test_cycle_specs_in_words() -> None:
    group = ScheduleGroup(
        name="1",
        letters="A-Z",
        periods=(Period(start=dt.date(2020, 2, 1), end=dt.date(2023, 1, 31)),),
    )
    assert [
        describe_cycle(spec)
        for spec in (
            AnniversaryCycle(years=1, end="anniversary", first_cycle="exempt"),
            AnniversaryCycle(years=2, end="end-of-month", grace=Grace(days=30)),
            CalendarCycle(years=3, stub="merged", first_cycle="prorated"),
            CalendarCycle(years=3),
            BirthMonthCycle(years=2),
            BirthMonthCycle(years=2, parity="odd"),
            BirthMonthCycle(years=2, parity="even"),
            BirthMonthCycle(years=2, parity="birth-year"),
            ScheduledCycle(groups=(group,)),
            ScheduledCycle(groups=(group,), repeat_years=3),
            RollingCycle(every_months=12, window_months=36, checkpoint_month=12),
        )
    ] == [
        "1 year from the date earned, ending on each anniversary; first cycle exempt",
        "2 years from the date earned, ending at the end of each anniversary's month; "
        "30-day grace (reporting only)",
        "3 years from 1 January after the date earned (the months before join it); "
        "first cycle prorated",
        "3 years from 1 January after the date earned (the months before are exempt)",
        "2 years ending with the birth month",
        "2 years ending with the birth month, in odd years",
        "2 years ending with the birth month, in even years",
        "2 years ending with the birth month, in years of the birth year's parity",
        "scheduled by family-name group (1 groups)",
        "scheduled by family-name group (1 groups), repeating every 3 years",
        "a check every 12 months over the previous 36 months, first at the end of December",
    ]


def test_rules_and_totals_in_words() -> None:
    rules = (
        Minimum(id="total", credits=Decimal(40), scope="year"),
        Minimum(
            id="ethics",
            credits=Decimal(2),
            selector=topic("ethics"),
            recurrence=Recurrence(every=3),
        ),
        Minimum(id="intro", credits=Decimal(4), recurrence=Recurrence(applies_to="first-renewal")),
        Cap(id="self", selector=activity_kind("self-study"), share=Decimal("0.5")),
        CreditValue(id="book", selector=activity_kind("book"), fixed=Decimal(40)),
        CreditValue(
            id="teach",
            selector=activity_kind("teaching"),
            multiplier=Decimal(3),
            max_per_entry=Decimal(10),
        ),
        Prerequisite(id="cpr", selector=activity_kind("credential")),
        Exclusion(id="job", selector=topic("job-duties")),
        RepeatExclusion(id="repeat", scope="year"),
    )
    assert [describe_rule(rule, "PDH") for rule in rules] == [
        "at least 40 PDH per year",
        "at least 2 PDH of topic ethics per cycle, every 3 renewals",
        "at least 4 PDH per cycle, at the first renewal only",
        "at most 50% of the total of kind self-study count per cycle",
        "kind book: worth 40 PDH each",
        "kind teaching: counted 3 times, at most 10 PDH per entry",
        "needed, valid at the end of the cycle: kind credential",
        "never counts: topic job-duties",
        "the same activity counts once per year",
    ]
    version = PolicyVersion(
        effective_from=dt.date(2020, 1, 1), cycle=AnniversaryCycle(years=1), rules=rules
    )
    assert describe_total(version, "PDH") == "40 PDH per year"
    bare = PolicyVersion(effective_from=dt.date(2020, 1, 1), cycle=AnniversaryCycle(years=1))
    assert describe_total(bare) == "no overall minimum"


def test_certification_html_shows_every_version_newest_first() -> None:
    first = PolicyVersion(
        effective_from=dt.date(2015, 1, 1),
        effective_until=dt.date(2019, 12, 31),
        cycle=AnniversaryCycle(years=3),
        rules=(Minimum(id="total", credits=Decimal(90)),),
    )
    second = PolicyVersion(
        effective_from=dt.date(2020, 1, 1),
        last_verified=dt.date(2026, 11, 24),
        cycle=AnniversaryCycle(years=3),
        measure=Measure(minutes_per_credit=50, minimum=Decimal(1), rounding="nearest"),
        categories=(CategoryNode(code="E", children=(CategoryNode(code="E1"),)),),
        rules=(Minimum(id="total", credits=Decimal(120)),),
        carryover=Carryover(
            selector=category("E"), window_months=6, cap=Decimal(10), lands="next-cycle"
        ),
    )
    certification = Certification(
        id="test/two", name="Two", body="Test", unit="CPE", versions=(first, second)
    )
    html = certification._repr_html_()
    assert html.index("In force from 2020-01-01") < html.index("Version in force from 2015-01-01")
    assert "In force from 2015-01-01 until 2019-12-31" in html
    assert "last verified 2026-11-24" in html
    assert "1 CPE per 50 minutes, rounded to nearest, at least 1 to count; 1 ceu = 10 CPE" in html
    assert (
        "Carryover: credit beyond the requirement of category E earned in the last "
        "6 months, up to 10 CPE, into the next cycle</li>"
    ) in html
    assert "<li><code>E</code><ul><li><code>E1</code></li></ul></li>" in html
    cissp = catalog.get("isc2/cissp")._repr_html_()
    assert "into the next cycle&#x27;s first year" in cissp
    notes = len(catalog.get("isc2/cissp").versions[-1].uncertain)
    assert f"Readings chosen where sources conflict ({notes})" in cissp


def test_certification_html_shows_each_rules_source_and_marks_copies_and_third_parties() -> None:
    version = PolicyVersion(
        effective_from=dt.date(2020, 1, 1),
        citations=(
            Citation(
                id="regs",
                url="https://rules.example.org/87",
                title="Regulation 87",
                copy_url="https://law.example.net/87",
            ),
            Citation(url="https://blog.example.com/x", title="A summary", third_party=True),
        ),
        uncertain=("Only a summary states the cycle's end day.",),
        cycle=AnniversaryCycle(years=2, source=SourceRef(citation="regs", clause="§ 87(b)")),
        rules=(
            Minimum(
                id="total", credits=Decimal(80), source=SourceRef(citation="regs", clause="§ 87(a)")
            ),
            Minimum(id="ethics", credits=Decimal(4), selector=topic("ethics")),
        ),
    )
    html = Certification(
        id="test/src", name="Src", body="Test", unit="CPE", versions=(version,)
    )._repr_html_()
    regs = '<a href="https://rules.example.org/87">Regulation 87</a>'
    assert f'<td style="text-align:left">{regs}, § 87(a)</td>' in html
    assert f"ending the day before each anniversary ({regs}, § 87(b))</li>" in html
    assert '(<a href="https://law.example.net/87">read from a copy</a>)' in html
    assert "A summary</a> <em>(third party, not the body's own document)</em>" in html
    # A rule without a source has an empty source cell.
    assert '<td style="text-align:left"></td></tr>' in html


# --- records ------------------------------------------------------------------------------


def test_records_are_flat_and_json_ready() -> None:
    records = hostile_result().to_records(as_strings=True)
    assert records == json.loads(json.dumps(records))
    assert [(r["activity_id"], r["reason"], r["credits"], r["cycle"]) for r in records] == [
        ("x<1>", "not-claimed-for", "4", 0),
        ("&y", "before-cycle", "1", None),
    ]
    assert set(records[0]) == {
        "certification",
        "cycle",
        "cycle_start",
        "cycle_end",
        "activity_id",
        "title",
        "completed",
        "claimed",
        "hypothetical",
        "reason",
        "credits",
        "category",
        "rule",
        "note",
    }


def test_records_by_activity_put_every_fate_side_by_side() -> None:
    records = sample_result().to_records(by="activity", as_strings=True)
    assert records == json.loads(json.dumps(records))
    by_id = {(r["cycle"], r["activity_id"]): r for r in records}
    assert len(by_id) == len(records) == 9
    b1 = by_id[0, "b1"]
    assert (b1["claimed"], b1["counted"], b1["not_counted"], b1["reasons"]) == (
        "45",
        "30",
        "15",
        "capped",
    )
    assert b1["why"] == "15 CPE not counted because the cap 'group-b' was reached in category B"
    a3 = by_id[0, "a3"]
    assert (a3["counted"], a3["carried_out"], a3["not_counted"], a3["why"]) == (
        "10",
        "10",
        "0",
        None,
    )
    assert by_id[1, "a3"]["carried_in"] == "10"
    assert (by_id[0, "a3"]["basis"], by_id[1, "a3"]["claimed"]) == ("minutes", "0")
    assert all(len(r) == len(records[0]) for r in records)


def test_records_by_anything_else_is_an_error() -> None:
    with pytest.raises(ValueError, match="by must be 'part' or 'activity', got 'row'"):
        evaluation_records(sample_result(), "row")  # type: ignore[arg-type]


def test_records_include_activities_outside_every_cycle() -> None:
    result = evaluate(
        Holding(certification="CISSP", earned=dt.date(2024, 1, 1)),
        Ledger(
            [
                Activity(
                    id="early",
                    title="Early",
                    completed=dt.date(2023, 6, 1),
                    credits=Decimal(1),
                    category="A",
                )
            ]
        ),
        as_of=dt.date(2024, 6, 1),
    )
    (record,) = result.to_records()
    assert (record["cycle"], record["reason"]) == (None, "before-cycle")
    (row,) = result.to_records(by="activity", as_strings=True)
    assert (row["cycle"], row["not_counted"], row["reasons"]) == (None, "1", "before-cycle")


def test_ledger_html_states_every_kind_of_amount_and_category() -> None:
    ledger = Ledger(
        [
            Activity(
                id="s",
                title="Split",
                completed=dt.date(2024, 3, 1),
                started=dt.date(2024, 2, 1),
                credits=Decimal(5),
                split={"ways-of-working": Decimal(3), "business-acumen": Decimal(2)},
                claimed_for=("pmi/pmp",),
            ),
            Activity(
                id="e",
                title="Either",
                completed=dt.date(2024, 4, 1),
                minutes=90,
                eligible=("A", "B"),
                delivery="live-online",
            ),
            Activity(
                id="u",
                title="Units",
                completed=dt.date(2024, 5, 1),
                units=Decimal("1.5"),
                unit="ceu",
            ),
            Activity(
                id="c",
                title="CPR card",
                completed=dt.date(2024, 6, 1),
                kind="credential",
                valid_until=dt.date(2026, 6, 1),
            ),
        ]
    )
    html = ledger._repr_html_()
    assert "4 activities from 2024-02-01 to 2024-06-01; 5 credits given and 90 minutes" in html
    assert '<td style="text-align:left">2024-02-01 to 2024-03-01</td>' in html
    assert "split: ways-of-working 3, business-acumen 2" in html
    assert "any of: A, B" in html
    assert "1.5 ceu" in html
    assert (
        '<td class="n" style="text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap">none</td>'
        in html
    )
    assert '<td style="text-align:left">pmi/pmp</td>' in html
    single = Ledger(
        [Activity(id="a", title="A", completed=dt.date(2024, 1, 1), credits=Decimal(1))]
    )
    assert "1 activity from 2024-01-01 to 2024-01-01; 1 credits given." in single._repr_html_()
    assert "no activities" in Ledger()._repr_html_()


def test_a_plain_carryover_in_words() -> None:
    version = PolicyVersion(
        effective_from=dt.date(2020, 1, 1),
        cycle=AnniversaryCycle(years=1),
        carryover=Carryover(),
    )
    html = Certification(
        id="test/carry", name="Carry", body="Test", unit="CPE", versions=(version,)
    )._repr_html_()
    assert "Carryover: credit beyond the requirement, into the next cycle&#x27;s first year" in html
    assert "Categories:" not in html
    assert "<table>" not in html
    assert "Sources:" not in html


def test_the_old_display_module_still_works_and_warns() -> None:
    import cperules.display as old  # noqa: PLC0415
    import cperules.render as new  # noqa: PLC0415

    with pytest.warns(DeprecationWarning, match="import evaluation_html from cperules.render"):
        assert old.evaluation_html is new.evaluation_html
    with pytest.raises(AttributeError):
        _ = old.no_such_name
