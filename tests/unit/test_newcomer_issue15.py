"""Issue 15: silent zeroes become findings, a policy lists its words, natural mistakes
get clear errors (each test is named after the behaviour it keeps)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cperules import (
    Activity,
    ArgumentError,
    Holding,
    Ledger,
    LedgerError,
    RenewalEvent,
    catalog,
    check_ledger,
    evaluate,
)
from cperules.policy import Vocabulary

EARNED = dt.date(2023, 1, 1)
AS_OF = dt.date(2024, 6, 1)


def course(activity_id: str = "c1", **fields: object) -> Activity:
    values: dict[str, object] = {
        "id": activity_id,
        "title": "Course",
        "completed": dt.date(2024, 3, 1),
        "credits": Decimal(5),
    }
    values.update(fields)
    return Activity.model_validate(values)


def cissp(*events: RenewalEvent) -> Holding:
    return Holding(certification="isc2/cissp", earned=EARNED, events=events)


# --- item 7: silent zeroes -------------------------------------------------------------


def test_unknown_category_is_a_finding_with_did_you_mean() -> None:
    result = evaluate(cissp(), Ledger([course(category="a")]), as_of=AS_OF)
    (finding,) = result.findings
    assert finding.code == "unknown-category"
    assert finding.activity == "c1"
    assert "did you mean 'A'?" in finding.message
    assert "unknown-category" in str(result)
    assert "unknown-category" in result._repr_html_()


def test_split_and_eligible_activities_are_found_out_by_each_category_they_name() -> None:
    # Categories all declared: nothing to say; one not declared among declared ones: it
    # is ignored among them (eligible) or its share counts nowhere (split).
    fine = [
        course("s1", split={"A": Decimal(2), "B": Decimal(3)}),
        course("e1", eligible=("A", "B")),
    ]
    assert check_ledger("isc2/cissp", Ledger(fine)) == ()
    odd = [
        course("s2", split={"A": Decimal(2), "C": Decimal(3)}),
        course("e2", eligible=("B", "Z")),
    ]
    found = check_ledger("isc2/cissp", Ledger([*fine, *odd]))
    assert [(f.code, f.activity) for f in found] == [
        ("unknown-category", "e2"),
        ("unknown-category", "s2"),
    ]
    assert "ignored among the eligible categories" in found[0].message
    assert "its credit counts nowhere" in found[1].message


def test_missing_category_where_the_policy_files_by_category_is_a_finding() -> None:
    result = evaluate(cissp(), Ledger([course()]), as_of=AS_OF)
    assert [f.code for f in result.findings] == ["missing-category"]
    assert "(A, B)" in result.findings[0].message


def test_known_categories_give_no_finding() -> None:
    assert evaluate(cissp(), Ledger([course(category="A")]), as_of=AS_OF).findings == ()


def test_policy_without_categories_asks_for_none() -> None:
    holding = Holding(certification="comptia/security-plus", earned=EARNED)
    ledger = Ledger([course(category="training")])
    assert check_ledger(holding, ledger) == ()
    assert [f.code for f in check_ledger(holding, Ledger([course(category="trainig")]))] == [
        "unknown-category"
    ]


def test_alias_claimed_for_counts_for_the_certification() -> None:
    ledger = Ledger.from_records(
        [
            {
                "id": "c1",
                "title": "Course",
                "completed": "2024-03-01",
                "credits": "5",
                "category": "A",
                "claimed_for": "CISSP, CCSP",
            }
        ]
    )
    result = evaluate(cissp(), ledger, as_of=AS_OF)
    assert result.cycles[-1].outcome("c1").counted == Decimal(5)
    assert result.findings == ()


def test_misspelt_claimed_for_is_a_finding_with_did_you_mean() -> None:
    ledger = Ledger([course(category="A", claimed_for=("CISP",))])
    result = evaluate(cissp(), ledger, as_of=AS_OF)
    (finding,) = result.findings
    assert finding.code == "unknown-claimed-for"
    assert "did you mean 'CISSP'?" in finding.message
    assert result.cycles[-1].outcome("c1").reasons == ("not-claimed-for",)


def test_renewal_event_of_a_kind_without_a_path_is_a_finding() -> None:
    event = RenewalEvent(kind="reinstatement", date=dt.date(2024, 2, 1))
    result = evaluate(cissp(event), Ledger(), as_of=AS_OF)
    assert [f.code for f in result.findings] == ["no-renewal-path"]
    assert "reinstatement" in result.findings[0].message


def test_renewal_event_with_a_tag_no_path_accepts_is_a_finding() -> None:
    holding = Holding(
        certification="comptia/security-plus",
        earned=EARNED,
        events=(RenewalEvent(kind="designated-course", date=dt.date(2024, 2, 1), tag="certmstr"),),
    )
    (finding,) = check_ledger(holding, Ledger())
    assert finding.code == "no-renewal-path"
    assert "did you mean 'certmaster-ce'?" in finding.message


def test_accepted_renewal_event_gives_no_finding() -> None:
    holding = Holding(
        certification="comptia/security-plus",
        earned=EARNED,
        events=(
            RenewalEvent(kind="designated-course", date=dt.date(2024, 2, 1), tag="certmaster-ce"),
        ),
    )
    assert check_ledger(holding, Ledger()) == ()


def test_check_ledger_before_evaluating_gives_the_evaluations_findings() -> None:
    event = RenewalEvent(kind="reinstatement", date=dt.date(2024, 2, 1))
    ledger = Ledger([course("a", category="a"), course("b"), course("c", claimed_for=("X",))])
    result = evaluate(cissp(event), ledger, as_of=AS_OF)
    assert check_ledger(cissp(event), ledger) == result.findings
    assert check_ledger("CISSP", ledger, events=[event]) == result.findings
    assert check_ledger(catalog.get("isc2/cissp"), ledger, events=[event]) == result.findings


def test_check_ledger_refuses_what_is_not_a_certification() -> None:
    with pytest.raises(ArgumentError, match="certification: expected a Certification"):
        check_ledger(42, Ledger())  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="ledger: expected a Ledger"):
        check_ledger("CISSP", [])  # type: ignore[arg-type]


# --- item 8: a certification's words -----------------------------------------------------


def test_vocabulary_lists_categories_in_tree_order() -> None:
    words = catalog.get("pmi/pmp").vocabulary()
    assert words.categories[:2] == ("education", "ways-of-working")
    assert "giving-back" in words.categories


def test_vocabulary_lists_renewal_events_and_tags() -> None:
    words = catalog.get("comptia/security-plus").vocabulary()
    assert "designated-course" in words.renewal_events
    assert "certmaster-ce" in words.event_tags


def test_vocabulary_on_a_day_reads_that_version() -> None:
    certification = catalog.get("isc2/cissp")
    assert certification.vocabulary(on=AS_OF) == certification.version_on(AS_OF).vocabulary()
    with pytest.raises(ArgumentError):
        certification.vocabulary(on="2024-01-01")  # type: ignore[arg-type]


def test_vocabularies_join_without_repeats() -> None:
    joined = Vocabulary(categories=("A",), topics=("x",)) | Vocabulary(categories=("A", "B"))
    assert joined == Vocabulary(categories=("A", "B"), topics=("x",))


def test_policy_html_lists_the_vocabulary() -> None:
    html = catalog.get("pmi/pmp")._repr_html_()
    assert "Categories" in html
    assert "ways-of-working" in html


# --- item 16: natural mistakes -----------------------------------------------------------


def test_what_if_accepts_records() -> None:
    result = evaluate(cissp(), Ledger(), as_of=AS_OF)
    planned = result.what_if(
        [{"id": "p1", "title": "Plan", "completed": "2024-07-01", "credits": "3", "category": "A"}]
    )
    outcome = planned.cycles[-1].outcome("p1")
    assert outcome.hypothetical
    assert outcome.counted == Decimal(3)


def test_what_if_with_one_record_says_to_pass_a_list() -> None:
    result = evaluate(cissp(), Ledger(), as_of=AS_OF)
    with pytest.raises(ArgumentError, match=r"extra: expected a list .* wrap it in a list"):
        result.what_if({"id": "p1"})  # type: ignore[dict-item]
    with pytest.raises(ArgumentError, match=r"extra\[0\]: expected an Activity or a record"):
        result.what_if([42])  # type: ignore[list-item]


def test_what_if_with_a_bad_record_raises_a_located_ledger_error() -> None:
    result = evaluate(cissp(), Ledger(), as_of=AS_OF)
    with pytest.raises(LedgerError, match="field 'credts'"):
        result.what_if([{"id": "p1", "title": "T", "completed": "2024-07-01", "credts": "1"}])


def test_ledger_error_puts_the_problem_on_the_first_line() -> None:
    with pytest.raises(LedgerError) as info:
        Ledger.from_records([{"id": "a", "title": "T", "completed": "2024-01-05", "credts": "1"}])
    first = str(info.value).splitlines()[0]
    assert first.startswith("record 0 (id 'a'), field 'credts': got '1'; expected a known field")


def test_evaluating_before_earned_names_the_id_and_dates_only() -> None:
    holding = Holding(certification=catalog.get("isc2/cissp"), earned=dt.date(2024, 1, 1))
    with pytest.raises(Exception, match="isc2/cissp") as info:
        evaluate(holding, Ledger(), as_of=dt.date(2023, 1, 1))
    assert len(str(info.value)) < 200
    assert "2023-01-01" in str(info.value)
    assert "2024-01-01" in str(info.value)


# --- item 17: DataFrames -----------------------------------------------------------------


class _FakeFrame:
    """Duck-typed like a DataFrame: columns and to_dict("records"); iterates its columns."""

    columns = ("id", "title", "completed", "credits")

    def __iter__(self) -> object:
        return iter(self.columns)

    def to_dict(self, orient: str) -> list[dict[str, object]]:
        assert orient == "records"
        return [{"id": "a", "title": "T", "completed": "2024-01-05", "credits": 1.5}]


def test_from_records_reads_a_dataframe_by_its_records() -> None:
    ledger = Ledger.from_records(_FakeFrame())
    assert ledger["a"].credits == Decimal("1.5")


def test_from_records_reads_a_real_dataframe() -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(
        [
            {"id": "a", "title": "T", "completed": "2024-01-05", "credits": 1.5},
            {"id": "b", "title": "U", "completed": "2024-01-06", "credits": None, "minutes": 60},
        ]
    )
    ledger = Ledger.from_records(frame)
    assert ledger.ids == ("a", "b")
    assert ledger["b"].minutes == 60


def test_from_records_with_one_record_says_what_to_pass() -> None:
    with pytest.raises(ArgumentError, match=r"records: expected a list .* pass \[record\]"):
        Ledger.from_records({"id": "a"})  # type: ignore[dict-item]
