"""The policy linter: each lint code, a clean policy, ordering, staleness and the repr."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from cperules.linter import LINT_CODES, LintFinding, lint
from cperules.periods import (
    AnniversaryCycle,
    BirthMonthCycle,
    CalendarCycle,
    CycleSpec,
    Period,
    RollingCycle,
    ScheduledCycle,
    ScheduleGroup,
)
from cperules.policy import CategoryNode, Certification, Citation, PolicyVersion
from cperules.rules import (
    Cap,
    Carryover,
    CreditValue,
    Exclusion,
    Minimum,
    Prerequisite,
    RepeatExclusion,
    Rule,
)
from cperules.selectors import (
    activity_kind,
    approved,
    category,
    delivery,
    everything,
    topic,
)

START = dt.date(2020, 1, 1)
CITED = (Citation(url="https://example.org/handbook.pdf", title="Handbook"),)
VERIFIED = dt.date(2024, 1, 1)


def node(code: str, *children: str) -> CategoryNode:
    return CategoryNode(code=code, children=tuple(CategoryNode(code=c) for c in children))


def version(
    *rules: Rule,
    categories: tuple[CategoryNode, ...] = (),
    cycle: CycleSpec | None = None,
    **fields: Any,
) -> PolicyVersion:
    fields.setdefault("effective_from", START)
    fields.setdefault("citations", CITED)
    fields.setdefault("last_verified", VERIFIED)
    return PolicyVersion(
        cycle=cycle or AnniversaryCycle(years=3), categories=categories, rules=rules, **fields
    )


def cert(*versions: PolicyVersion) -> Certification:
    return Certification(id="test/lint", name="Lint", body="Test", unit="CPE", versions=versions)


def codes(*versions: PolicyVersion, **options: Any) -> list[str]:
    return [finding.code for finding in lint(cert(*versions), **options)]


def only(*versions: PolicyVersion, **options: Any) -> LintFinding:
    (finding,) = lint(cert(*versions), **options)
    return finding


AB = (node("A"), node("B"))


# --- the codes and the finding ----------------------------------------------------------


def test_lint_codes_are_the_documented_nine_in_check_order() -> None:
    assert LINT_CODES == (
        "cap-below-minimum",
        "unreachable-minimum",
        "unreachable-category",
        "carryover-above-total",
        "missing-citation",
        "off-domain-citation",
        "unexplained-third-party",
        "missing-last-verified",
        "stale-verification",
    )


def test_finding_repr_is_sparse() -> None:
    finding = LintFinding(code="missing-citation", severity="error", version=0, message="m")
    assert repr(finding) == (
        "LintFinding(code='missing-citation', severity='error', version=0, message='m')"
    )
    capped = LintFinding(
        code="unreachable-category", severity="warning", version=1, message="m", category="B"
    )
    assert repr(capped) == (
        "LintFinding(code='unreachable-category', severity='warning', version=1, "
        "message='m', category='B')"
    )


def test_finding_is_frozen() -> None:
    finding = LintFinding(code="missing-citation", severity="error", version=0, message="m")
    with pytest.raises(ValueError, match="frozen"):
        finding.version = 1  # type: ignore[misc]


# --- a clean certification --------------------------------------------------------------


def test_clean_certification_has_no_findings() -> None:
    clean = version(
        Minimum(id="total", credits=Decimal(120)),
        Minimum(id="group-a", credits=Decimal(90), selector=category("A")),
        Minimum(id="ethics", credits=Decimal(2), selector=topic("ethics"), scope="year"),
        Minimum(
            id="live",
            credits=Decimal(10),
            selector=delivery("in-person", "live-online") & topic("ethics", "law"),
        ),
        Minimum(id="both", credits=Decimal(1), selector=topic("ethics") & topic("law")),
        Minimum(id="books", credits=Decimal(5), selector=activity_kind("book") & approved()),
        Cap(id="group-b", selector=category("B"), credits=Decimal(30)),
        Cap(id="self-study", selector=activity_kind("self-study"), share=Decimal("0.5")),
        Cap(id="b1-yearly", selector=category("B1"), credits=Decimal(5), scope="year"),
        Cap(id="b2-not-live", selector=category("B2") & ~delivery("in-person"), credits=Decimal(0)),
        Exclusion(id="unapproved", selector=~approved()),
        CreditValue(id="book-value", selector=activity_kind("book"), fixed=Decimal(10)),
        Prerequisite(id="cpr", selector=activity_kind("credential") & topic("cpr")),
        RepeatExclusion(id="repeats"),
        categories=(node("A"), node("B", "B1", "B2")),
        carryover=Carryover(cap=Decimal(40)),
    )
    assert lint(cert(clean), as_of=dt.date(2024, 6, 1)) == ()


def test_a_version_without_rules_or_categories_is_clean() -> None:
    assert lint(cert(version()), as_of=VERIFIED) == ()


# --- cap-below-minimum ------------------------------------------------------------------


def test_cap_below_minimum_names_the_cap_and_the_minimum() -> None:
    finding = only(
        version(
            Minimum(id="b-min", credits=Decimal(40), selector=category("B")),
            Cap(id="b-cap", selector=category("B"), credits=Decimal(30)),
            categories=AB,
        )
    )
    assert finding.code == "cap-below-minimum"
    assert finding.severity == "error"
    assert (finding.version, finding.rule, finding.category) == (0, "b-cap", None)
    assert finding.message == (
        "cap 'b-cap' allows at most 30 credits per cycle of category('B'), less than the "
        "40 that minimum 'b-min' requires of the same selector"
    )


@pytest.mark.parametrize(
    "cap",
    [
        Cap(id="equal", selector=category("B"), credits=Decimal(40)),
        Cap(id="other-selector", selector=category("A"), credits=Decimal(30)),
        Cap(id="share", selector=category("B"), share=Decimal("0.1")),
    ],
    ids=["equal", "other-selector", "share"],
)
def test_cap_not_below_minimum_is_clean(cap: Cap) -> None:
    minimum = Minimum(id="b-min", credits=Decimal(40), selector=category("B"))
    assert codes(version(minimum, cap, categories=AB)) == []


def test_cap_of_another_scope_is_left_to_the_unreachable_check() -> None:
    finding = only(
        version(
            Minimum(id="b-min", credits=Decimal(40), selector=category("B")),
            Cap(id="b-cap", selector=category("B"), credits=Decimal(10), scope="year"),
            categories=AB,
            cycle=CalendarCycle(years=3),
        )
    )
    assert (finding.code, finding.rule) == ("unreachable-minimum", "b-min")
    assert finding.message.endswith("falls short by 10 credits")


# --- unreachable-minimum ----------------------------------------------------------------


def test_yearly_minimum_above_a_cycle_cap_is_unreachable() -> None:
    finding = only(
        version(
            Minimum(id="yearly", credits=Decimal(20), selector=category("A"), scope="year"),
            Cap(id="a-cap", selector=category("A"), credits=Decimal(40)),
            categories=AB,
        )
    )
    assert finding.code == "unreachable-minimum"
    assert finding.severity == "error"
    assert (finding.rule, finding.category) == ("yearly", None)
    assert finding.message == (
        "minimum 'yearly' (20 credits per year of category('A')) cannot be met even with "
        "unlimited credit: under the caps and exclusions it falls short by 20 credits in "
        "1 of 3 years"
    )


def test_minimum_under_an_ancestor_cap_is_unreachable_without_categories_too() -> None:
    child = only(
        version(
            Minimum(id="p1", credits=Decimal(10), selector=category("P1")),
            Cap(id="p", selector=category("P"), credits=Decimal(4)),
            categories=(node("P", "P1"), node("Q")),
        )
    )
    assert (child.code, child.rule) == ("unreachable-minimum", "p1")
    assert "falls short by 6 credits" in child.message
    uncategorised = only(
        version(
            Minimum(id="yearly", credits=Decimal(20), scope="year"),
            Cap(id="all", selector=everything(), credits=Decimal(50)),
        )
    )
    assert uncategorised.code == "unreachable-minimum"
    assert "falls short by 10 credits in 1 of 3 years" in uncategorised.message


def test_competing_minimums_say_they_can_be_met_alone() -> None:
    finding = only(
        version(
            Minimum(id="a", credits=Decimal(20), selector=category("A")),
            Minimum(id="b", credits=Decimal(10), selector=category("B")),
            Cap(id="a-or-b", selector=category("A", "B"), credits=Decimal(25)),
            categories=AB,
        )
    )
    assert finding.code == "unreachable-minimum"
    assert "falls short by 5 credits" in finding.message
    assert finding.message.endswith(
        "(on its own it can be met: minimums compete for capped credit)"
    )


def test_minimum_on_excluded_or_worthless_credit_is_unreachable() -> None:
    excluded = lint(
        cert(
            version(
                Minimum(id="live", credits=Decimal(2), selector=delivery("in-person")),
                Exclusion(id="no-live", selector=delivery("in-person")),
            )
        )
    )
    assert [(f.code, f.rule) for f in excluded] == [("unreachable-minimum", "live")]
    worthless = lint(
        cert(
            version(
                Minimum(id="talks", credits=Decimal(2), selector=activity_kind("presentation")),
                CreditValue(id="free", selector=activity_kind("presentation"), fixed=Decimal(0)),
            )
        )
    )
    assert [(f.code, f.rule) for f in worthless] == [("unreachable-minimum", "talks")]


def test_minimum_below_a_cap_is_reported_once() -> None:
    findings = lint(
        cert(
            version(
                Minimum(id="b-min", credits=Decimal(40), selector=category("B")),
                Minimum(id="total", credits=Decimal(50)),
                Cap(id="b-cap", selector=category("B"), credits=Decimal(30)),
                Cap(id="a-or-b", selector=category("A", "B"), credits=Decimal(45)),
                categories=AB,
            )
        )
    )
    assert [(f.code, f.rule) for f in findings] == [
        ("cap-below-minimum", "b-cap"),
        ("unreachable-minimum", "total"),
    ]


@pytest.mark.parametrize(
    ("cycle", "years"),
    [
        (CalendarCycle(years=3), "1 of 3 years"),  # the exempt stub is not the one checked
        (BirthMonthCycle(years=3), "2 of 4 years"),
        (RollingCycle(every_months=12, window_months=36, checkpoint_month=6), "2 of 4 years"),
    ],
    ids=["calendar", "birth-month", "rolling"],
)
def test_every_cycle_spec_gives_a_representative_cycle(cycle: CycleSpec, years: str) -> None:
    finding = only(
        version(
            Minimum(id="yearly", credits=Decimal(20), scope="year"),
            Cap(id="all", selector=everything(), credits=Decimal(50)),
            cycle=cycle,
        )
    )
    assert finding.code == "unreachable-minimum"
    assert finding.message.endswith(years)


def three_years(start: int) -> Period:
    return Period(start=dt.date(start, 2, 1), end=dt.date(start + 3, 1, 31))


def scheduled(*periods: Period, repeat_years: int | None = None) -> ScheduledCycle:
    return ScheduledCycle(
        groups=(ScheduleGroup(name="all", letters="A-Z", periods=periods),),
        repeat_years=repeat_years,
    )


@pytest.mark.parametrize(
    "cycle",
    [
        scheduled(three_years(2021), repeat_years=3),  # starts after effective_from
        scheduled(three_years(2018)),  # one period only: its first cycle is the one
        scheduled(three_years(2018), three_years(2021)),
    ],
    ids=["repeating", "single-period", "two-periods"],
)
def test_scheduled_specs_give_a_representative_cycle(cycle: ScheduledCycle) -> None:
    finding = only(
        version(
            Minimum(id="total", credits=Decimal(60)),
            Cap(id="yearly", selector=everything(), credits=Decimal(10), scope="year"),
            cycle=cycle,
        )
    )
    assert finding.code == "unreachable-minimum"


def test_spec_without_a_cycle_skips_the_minimum_check() -> None:
    exhausted = scheduled(three_years(2010))  # ends 2013, before effective_from 2020
    findings = lint(
        cert(
            version(
                Minimum(id="total", credits=Decimal(60)),
                Cap(id="yearly", selector=everything(), credits=Decimal(10), scope="year"),
                cycle=exhausted,
            )
        )
    )
    assert findings == ()


# --- unreachable-category ---------------------------------------------------------------


def test_category_capped_at_zero_through_an_ancestor_is_unreachable() -> None:
    findings = lint(
        cert(
            version(
                Minimum(id="total", credits=Decimal(120)),
                Cap(id="no-p", selector=category("P"), credits=Decimal(0)),
                categories=(node("P", "P1"), node("Q")),
            )
        )
    )
    assert [(f.code, f.severity, f.category, f.rule) for f in findings] == [
        ("unreachable-category", "warning", "P", None),
        ("unreachable-category", "warning", "P1", None),
    ]
    assert findings[0].message == (
        "no credit in category 'P' can count: capped by 'no-p' (0 credits per cycle)"
    )
    assert findings[1].message == (
        "no credit in category 'P1' (in 'P') can count: capped by 'no-p' (0 credits per cycle)"
    )


def test_yearly_zero_cap_makes_a_category_unreachable() -> None:
    finding = only(
        version(
            Cap(id="no-b", selector=category("B"), credits=Decimal(0), scope="year"), categories=AB
        )
    )
    assert (finding.code, finding.category) == ("unreachable-category", "B")
    assert finding.message.endswith("capped by 'no-b' (0 credits per year)")


def test_excluded_or_worthless_category_is_unreachable() -> None:
    findings = lint(
        cert(
            version(
                Exclusion(id="no-a", selector=category("A")),
                CreditValue(id="free-b", selector=category("B"), fixed=Decimal(0)),
                CreditValue(id="books", selector=activity_kind("book"), fixed=Decimal(5)),
                categories=AB,
            )
        )
    )
    assert [(f.code, f.category, f.message) for f in findings] == [
        (
            "unreachable-category",
            "A",
            "no credit in category 'A' can count: it is excluded or valued at 0 by 'no-a'",
        ),
        (
            "unreachable-category",
            "B",
            "no credit in category 'B' can count: it is excluded or valued at 0 by 'free-b'",
        ),
    ]


@pytest.mark.parametrize(
    "cap",
    [
        Cap(id="share", selector=category("B"), share=Decimal("0.1")),
        Cap(id="some", selector=category("B"), credits=Decimal("0.5")),
        Cap(id="not-online", selector=category("B") & ~delivery("on-demand"), credits=Decimal(0)),
        Cap(id="unapproved", selector=category("B") & ~approved(), credits=Decimal(0)),
    ],
    ids=["share", "positive", "only-some-deliveries", "only-unapproved"],
)
def test_category_where_some_credit_counts_is_reachable(cap: Cap) -> None:
    assert codes(version(cap, categories=AB)) == []


# --- carryover-above-total --------------------------------------------------------------


def test_carryover_above_the_total_is_reported() -> None:
    finding = only(
        version(
            Minimum(id="total", credits=Decimal(60)),
            Minimum(id="bigger", credits=Decimal(100)),
            Minimum(id="yearly", credits=Decimal(1000), scope="year"),
            Minimum(id="a", credits=Decimal(1000), selector=category("A")),
            categories=AB,
            carryover=Carryover(cap=Decimal(120)),
            cycle=AnniversaryCycle(years=3),
        ),
        as_of=VERIFIED,
    )
    assert finding.code == "carryover-above-total"
    assert (finding.severity, finding.rule) == ("warning", "bigger")
    assert finding.message == (
        "the carryover may move up to 120 credits, more than the 100 that minimum 'bigger' "
        "requires of everything in a cycle"
    )


@pytest.mark.parametrize(
    ("carryover", "rules"),
    [
        (Carryover(cap=Decimal(60)), (Minimum(id="total", credits=Decimal(60)),)),
        (Carryover(), (Minimum(id="total", credits=Decimal(60)),)),
        (Carryover(cap=Decimal(60)), (Minimum(id="yearly", credits=Decimal(20), scope="year"),)),
        (Carryover(cap=Decimal(60)), (Minimum(id="a", credits=Decimal(20), selector=topic("a")),)),
        (Carryover(cap=Decimal(60)), ()),
    ],
    ids=["equal", "no-cap", "yearly-total", "not-everything", "no-minimum"],
)
def test_carryover_within_the_total_is_clean(carryover: Carryover, rules: tuple[Rule, ...]) -> None:
    assert codes(version(*rules, carryover=carryover)) == []


# --- provenance -------------------------------------------------------------------------


def test_missing_citation_and_last_verified() -> None:
    findings = lint(cert(version(citations=(), last_verified=None)))
    assert [(f.code, f.severity, f.message) for f in findings] == [
        ("missing-citation", "error", "the version from 2020-01-01 cites no source for its rules"),
        (
            "missing-last-verified",
            "warning",
            "the version from 2020-01-01 has no last_verified date",
        ),
    ]


def test_stale_verification() -> None:
    finding = only(version(last_verified=dt.date(2022, 12, 31)), as_of=dt.date(2024, 7, 1))
    assert (finding.code, finding.severity) == ("stale-verification", "warning")
    assert finding.message == (
        "last verified 2022-12-31, more than 18 months before 2024-07-01 (anything verified "
        "before 2023-01-01 is stale)"
    )


def test_verification_exactly_at_the_limit_is_not_stale() -> None:
    assert codes(version(last_verified=dt.date(2023, 1, 1)), as_of=dt.date(2024, 7, 1)) == []


def test_stale_after_months_is_configurable() -> None:
    fresh = version(last_verified=dt.date(2024, 1, 1))
    assert codes(fresh, as_of=dt.date(2024, 7, 1), stale_after_months=6) == []
    assert codes(fresh, as_of=dt.date(2024, 7, 2), stale_after_months=6) == ["stale-verification"]
    assert codes(fresh, as_of=dt.date(2024, 1, 2), stale_after_months=0) == ["stale-verification"]


def test_without_as_of_staleness_is_never_reported() -> None:
    ancient = version(last_verified=dt.date(1990, 1, 1))
    assert codes(ancient) == []
    assert codes(ancient, stale_after_months=0) == []


def test_missing_last_verified_is_not_also_stale() -> None:
    assert codes(version(last_verified=None), as_of=dt.date(2030, 1, 1)) == [
        "missing-last-verified"
    ]


def test_negative_stale_after_months_is_refused() -> None:
    with pytest.raises(ValueError, match="stale_after_months must be 0 or more, got -1"):
        lint(cert(version()), stale_after_months=-1)


# --- ordering ---------------------------------------------------------------------------


def test_findings_come_by_version_then_check_then_rule() -> None:
    first = version(
        Minimum(id="b-min", credits=Decimal(40), selector=category("B")),
        Minimum(id="a-min", credits=Decimal(40), selector=category("A")),
        Minimum(id="total", credits=Decimal(50)),
        Cap(id="b-cap", selector=category("B"), credits=Decimal(30)),
        Cap(id="a-cap", selector=category("A"), credits=Decimal(20)),
        Cap(id="no-c", selector=category("C"), credits=Decimal(0)),
        Minimum(id="c-min", credits=Decimal(1), selector=category("C")),
        Minimum(id="d-min", credits=Decimal(1), selector=category("D")),
        Cap(id="no-d", selector=category("D"), credits=Decimal(0)),
        categories=(node("A"), node("B"), node("D"), node("C")),
        carryover=Carryover(cap=Decimal(100)),
        citations=(),
        last_verified=None,
        effective_until=dt.date(2020, 12, 31),
    )
    second = version(
        effective_from=dt.date(2021, 1, 1),
        last_verified=dt.date(2021, 1, 1),
        citations=(),
    )
    findings = lint(cert(first, second), as_of=dt.date(2024, 1, 1))
    assert [(f.version, f.code, f.rule or f.category) for f in findings] == [
        (0, "cap-below-minimum", "b-cap"),
        (0, "cap-below-minimum", "a-cap"),
        (0, "cap-below-minimum", "no-c"),
        (0, "cap-below-minimum", "no-d"),
        (0, "unreachable-category", "D"),
        (0, "unreachable-category", "C"),
        (0, "carryover-above-total", "total"),
        (0, "missing-citation", None),
        (0, "missing-last-verified", None),
        (1, "missing-citation", None),
        (1, "stale-verification", None),
    ]


def test_unreachable_minimums_come_in_rule_order() -> None:
    findings = lint(
        cert(
            version(
                Minimum(id="z", credits=Decimal(20), selector=category("B"), scope="year"),
                Minimum(id="y", credits=Decimal(20), selector=category("A"), scope="year"),
                Cap(id="a", selector=category("A"), credits=Decimal(10)),
                Cap(id="b", selector=category("B"), credits=Decimal(10)),
                categories=AB,
            )
        )
    )
    assert [(f.code, f.rule) for f in findings] == [
        ("unreachable-minimum", "z"),
        ("unreachable-minimum", "y"),
    ]


def test_rules_on_credentials_lint_without_error() -> None:
    exclusion = Exclusion(id="cards", selector=activity_kind("credential"))
    assert codes(version(Minimum(id="total", credits=Decimal(10)), exclusion, categories=AB)) == []


# --- where citations point ----------------------------------------------------------------


def test_a_citation_off_the_bodys_domains_is_an_error_unless_marked_third_party() -> None:
    cited = (
        Citation(url="https://www.example.org/handbook.pdf", title="Handbook"),
        Citation(url="https://examdumps.example.net/cissp", title="A dump site"),
        Citation(url="https://blog.example.com/post", title="A post", third_party=True),
    )
    body_version = version(citations=cited, uncertain=("Rule X only has a third party's word.",))
    body = Certification(
        id="test/lint",
        name="Lint",
        body="Test",
        unit="CPE",
        domains=("example.org",),
        versions=(body_version,),
    )
    (finding,) = lint(body)
    assert finding.code == "off-domain-citation"
    assert finding.severity == "error"
    assert "https://examdumps.example.net/cissp" in finding.message
    assert "example.org" in finding.message


def test_no_domain_check_without_declared_domains() -> None:
    cited = (Citation(url="https://examdumps.example.net/cissp", title="A dump site"),)
    assert codes(version(citations=cited)) == []


def test_a_copy_on_another_host_is_fine_when_the_url_is_the_bodys() -> None:
    cited = (
        Citation(
            url="https://rules.example.org/87",
            title="Regulation 87",
            copy_url="https://law.example.net/87",
        ),
    )
    body = Certification(
        id="test/lint",
        name="Lint",
        body="Test",
        unit="CPE",
        domains=("example.org",),
        versions=(version(citations=cited),),
    )
    assert lint(body) == ()


def test_a_third_party_citation_needs_an_uncertain_note() -> None:
    cited = (Citation(url="https://blog.example.com/post", title="A post", third_party=True),)
    (finding,) = lint(cert(version(citations=cited)))
    assert (finding.code, finding.severity) == ("unexplained-third-party", "warning")
    assert codes(version(citations=cited, uncertain=("Only a third party says so.",))) == []
