"""Policy files that extend a base: the merge rules and the located errors of a chain."""

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from cperules import catalog
from cperules._extends import MISSING
from cperules.citations import SourceRef
from cperules.policy_format import (
    PolicyFormatError,
    PolicyProblem,
    _walk,
    certification_from_data,
    load_certification,
    parse_toml,
)
from cperules.rules import Cap, Exclusion, Minimum
from cperules.selectors import category

FAMILY = """
body = "Example body"
unit = "CPE"
aliases = ["FAMILY"]

[[versions]]
effective_from = 2020-01-01
effective_until = 2023-12-31
uncertain = ["Shared note."]
cycle = { kind = "anniversary", years = 3, grace = { days = 90, earning = "allowed" } }
measure = { minutes_per_credit = 60, step = 0.25 }

[[versions.citations]]
url = "https://example.org/policy"
title = "Policy"
clause = "4.1"

[[versions.categories]]
code = "A"
name = "Group A"
children = [{ code = "A1", name = "First part" }]

[[versions.categories]]
code = "B"
name = "Group B"

[[versions.rules]]
kind = "minimum"
id = "total"

[[versions.rules]]
kind = "cap"
id = "group-b"
selector = { kind = "category", codes = ["B"] }

[versions.carryover]
selector = { kind = "category", codes = ["A"] }
window_months = 6

[[versions]]
effective_from = 2024-01-01
cycle = { kind = "anniversary", years = 3, grace = { days = 90, earning = "allowed" } }

[[versions.rules]]
kind = "minimum"
id = "total"
"""

CHILD = """
extends = "example/family"
id = "example/pro"
name = "Example Pro"
aliases = ["PRO"]

[[versions]]
effective_from = 2020-01-01
uncertain = ["Own note.", "Shared note."]

[[versions.citations]]
url = "https://example.org/policy"
clause = "4.1, row Pro"

[[versions.citations]]
url = "https://example.org/faq"
title = "FAQ"

[[versions.categories]]
code = "A"
children = [{ code = "A2", name = "Second part" }]

[[versions.rules]]
id = "total"
credits = 90

[[versions.rules]]
id = "group-b"
credits = 30

[[versions.rules]]
kind = "minimum"
id = "group-a"
credits = 60
selector = { kind = "category", codes = ["A"] }

[versions.carryover]
cap = 30

[[versions]]
effective_from = 2024-01-01

[[versions.rules]]
id = "total"
credits = 100
"""

BASES = {"example/family": FAMILY}


def load(text: str, **bases: str) -> Any:
    return load_certification(
        text, bases={**BASES, **{k.replace("_", "/"): v for k, v in bases.items()}}
    )


def problems(error: pytest.ExceptionInfo[PolicyFormatError]) -> list[str]:
    return [str(problem) for problem in error.value.problems]


def test_the_child_merges_onto_its_base_key_by_key() -> None:
    cert = load(CHILD)
    first, second = cert.versions
    assert (cert.body, cert.unit, cert.aliases) == ("Example body", "CPE", ("PRO",))
    assert first.effective_until == dt.date(2023, 12, 31)  # tables merge: kept from the base
    assert first.measure.step == Decimal("0.25")
    assert first.uncertain == ("Shared note.", "Own note.")  # notes accumulate, once each
    assert [(c.url, c.clause) for c in first.citations] == [
        ("https://example.org/policy", "4.1, row Pro"),  # merged by url
        ("https://example.org/faq", None),  # added after the base's own
    ]
    group_a = first.categories[0]
    assert [child.code for child in group_a.children] == ["A1", "A2"]  # children by code
    assert group_a.name == "Group A"
    assert first.rules == (
        Minimum(id="total", credits=Decimal(90)),
        Cap(id="group-b", selector=category("B"), credits=Decimal(30)),
        Minimum(id="group-a", credits=Decimal(60), selector=category("A")),
    )
    assert first.carryover is not None
    assert (first.carryover.cap, first.carryover.window_months) == (Decimal(30), 6)
    assert second.rules == (Minimum(id="total", credits=Decimal(100)),)


def test_a_rule_of_another_kind_replaces_the_base_rule_whole() -> None:
    text = CHILD.replace(
        'id = "group-b"\ncredits = 30',
        'kind = "exclusion"\nid = "group-b"\nselector = { kind = "category", codes = ["B"] }',
    )
    rule = load(text).versions[0].rules[1]
    assert rule == Exclusion(id="group-b", selector=category("B"))


def test_a_source_is_replaced_whole_and_may_cite_the_bases_citation() -> None:
    family = FAMILY.replace(
        'url = "https://example.org/policy"\ntitle = "Policy"',
        'id = "policy"\nurl = "https://example.org/policy"\ntitle = "Policy"',
    ).replace(
        'kind = "minimum"\nid = "total"\n',
        'kind = "minimum"\nid = "total"\nsource = { citation = "policy", clause = "4.1" }\n',
        1,
    )
    child = CHILD.replace(
        'url = "https://example.org/faq"\ntitle = "FAQ"',
        'id = "faq"\nurl = "https://example.org/faq"\ntitle = "FAQ"',
    ).replace(
        'id = "total"\ncredits = 90', 'id = "total"\ncredits = 90\nsource = { citation = "faq" }'
    )
    first = load(child, example_family=family).versions[0]
    assert first.rules[0].source == SourceRef(citation="faq")  # not the base's clause 4.1
    kept = load(CHILD, example_family=family).versions[0]
    assert kept.rules[0].source == SourceRef(citation="policy", clause="4.1")


def test_a_file_without_versions_takes_the_base_versions() -> None:
    family = FAMILY.replace('id = "total"\n', 'id = "total"\ncredits = 5\n').replace(
        'codes = ["B"] }\n', 'codes = ["B"] }\ncredits = 1\n', 1
    )
    cert = load(
        'extends = "example/family"\nid = "example/lite"\nname = "Lite"\n', example_family=family
    )
    assert [v.effective_from for v in cert.versions] == [dt.date(2020, 1, 1), dt.date(2024, 1, 1)]


def test_a_version_extends_the_base_version_in_force_on_its_first_day() -> None:
    text = CHILD.replace("effective_from = 2020-01-01", "effective_from = 2022-08-29")
    cert = load(text)
    assert cert.versions[0].effective_from == dt.date(2022, 8, 29)
    assert cert.versions[0].measure.step == Decimal("0.25")  # from the 2020 base version


def test_a_version_before_every_base_version_matches_nothing() -> None:
    text = CHILD.replace("effective_from = 2020-01-01", "effective_from = 2019-06-01")
    with pytest.raises(PolicyFormatError) as error:
        load(text)
    assert error.value.code == "invalid-extends"
    assert problems(error) == [
        "example/pro: versions[0].effective_from: got datetime.date(2019, 6, 1); expected a "
        "date on which a version of example/family is in force (2020-01-01..2023-12-31, "
        "from 2024-01-01)"
    ]


def test_a_later_base_version_may_not_be_dropped() -> None:
    text = CHILD[: CHILD.index("[[versions]]\neffective_from = 2024-01-01")]
    with pytest.raises(
        PolicyFormatError, match="a version with effective_from = 2024-01-01"
    ) as error:
        load(text)
    assert error.value.code == "invalid-extends"
    ended = text.replace(
        "effective_from = 2020-01-01", "effective_from = 2020-01-01\neffective_until = 2022-12-31"
    )
    assert load(ended).versions[0].effective_until == dt.date(2022, 12, 31)


def test_versions_need_dates_to_be_matched() -> None:
    with pytest.raises(PolicyFormatError) as error:
        load(CHILD.replace("effective_from = 2020-01-01", 'effective_from = "soon"'))
    assert (
        "versions[0].effective_from: got 'soon'; expected an effective_from date"
        in problems(error)[0]
    )
    family = FAMILY.replace("effective_from = 2024-01-01", "effective_frm = 2024-01-01")
    with pytest.raises(PolicyFormatError) as error:
        load(CHILD, example_family=family)
    assert problems(error) == [
        "example/pro: versions[1].effective_from in base example/family: expected a version "
        "of a base with an effective_from date"
    ]


def test_json_style_dates_match_too() -> None:
    data = parse_toml(CHILD)
    data["versions"][0]["effective_from"] = "2020-01-01"
    family = parse_toml(FAMILY)
    family["versions"][1]["effective_from"] = "2024-01-01"
    cert = certification_from_data(data, bases={"example/family": family})
    assert cert.versions[0].effective_from == dt.date(2020, 1, 1)


def test_a_partial_rule_must_extend_a_base_rule() -> None:
    with pytest.raises(PolicyFormatError) as error:
        load(CHILD.replace('id = "group-b"\ncredits = 30', 'id = "group_b"\ncredits = 30'))
    assert error.value.code == "invalid-extends"
    assert problems(error) == [
        "example/pro: versions[0].rules[1].id: got 'group_b'; expected the id of an item of "
        "rules in example/family to extend (did you mean 'group-b'?), or a complete item with "
        "a kind"
    ]


def test_an_id_given_twice_is_refused() -> None:
    text = CHILD.replace('[[versions.rules]]\nid = "group-b"', '[[versions.rules]]\nid = "total"')
    with pytest.raises(
        PolicyFormatError,
        match=r"rules\[1\].id: got 'total'; expected an? id used once in rules \(it is also rules\[0\]\)",
    ):
        load(text)


def test_an_unknown_base_is_named_with_a_suggestion() -> None:
    with pytest.raises(PolicyFormatError) as error:
        load(CHILD.replace('"example/family"', '"example/familly"'))
    assert error.value.code == "unknown-base"
    assert problems(error) == [
        "example/pro: extends: got 'example/familly'; expected the name of a base passed to "
        "the loader or bundled in the catalog (did you mean 'example/family'?)"
    ]
    with pytest.raises(PolicyFormatError, match="did you mean 'isc2/family'"):
        load_certification(CHILD.replace('"example/family"', '"isc2/famly"'))


def test_a_file_path_needs_a_reader() -> None:
    with pytest.raises(PolicyFormatError, match="a file path, relative to the file that names it"):
        load_certification(CHILD.replace('"example/family"', '"_family.toml"'))


def test_extends_must_be_a_name() -> None:
    with pytest.raises(PolicyFormatError) as error:
        load(CHILD.replace('extends = "example/family"', "extends = 3"))
    assert error.value.code == "invalid-extends"
    assert problems(error) == [
        "example/pro: extends: got 3; expected the name of a base, such as 'isc2/family'"
    ]


def test_a_cycle_of_bases_is_refused_with_the_loop() -> None:
    looping = {"a/one": 'extends = "a/two"\n', "a/two": 'extends = "a/one"\n'}
    with pytest.raises(PolicyFormatError) as error:
        load_certification('extends = "a/one"\nid = "a/cert"\n', bases=looping)
    assert error.value.code == "invalid-extends"
    assert problems(error) == [
        "a/cert: extends in base a/two: got 'a/one'; expected a base that does not extend "
        "itself ((this file) -> a/one -> a/two -> a/one)"
    ]
    with pytest.raises(PolicyFormatError, match="does not extend itself"):
        load_certification('extends = "a/self"\n', bases={"a/self": 'extends = "a/self"\n'})


def test_a_bad_key_in_a_base_is_located_in_the_base() -> None:
    family = FAMILY.replace("window_months = 6", "window_month = 6")
    with pytest.raises(PolicyFormatError) as error:
        load(CHILD, example_family=family)
    assert error.value.code == "invalid-policy"
    assert problems(error) == [
        "example/pro: versions[0].carryover.window_month in base example/family: got 6; "
        "expected a known key (did you mean 'window_months'?)"
    ]


def test_a_value_the_base_leaves_out_is_asked_of_the_extending_file() -> None:
    family = FAMILY.replace(
        'kind = "minimum"\nid = "total"\n',
        'kind = "minimum"\nid = "total"\ndescription = "Total"\n',
        1,
    )
    with pytest.raises(PolicyFormatError) as error:
        load(CHILD.replace('id = "total"\ncredits = 90\n', 'id = "total"\n'), example_family=family)
    assert problems(error) == [
        "example/pro: versions[0].rules[0].credits: expected a value (this key is required)"
    ]
    with pytest.raises(PolicyFormatError) as error:
        load(CHILD.replace('[[versions.rules]]\nid = "group-b"\ncredits = 30\n', ""))
    (problem,) = problems(error)
    assert problem.startswith("example/pro: versions[0].rules[1] in base example/family: got {")
    assert problem.endswith(
        "expected cap 'group-b' needs exactly one of credits or share (an item of "
        "example/family: a file that extends it may complete it)"
    )
    text = 'extends = "example/family"\nid = "example/min"\nname = "Min"\n'
    with pytest.raises(PolicyFormatError) as error:
        load(text)
    assert any(
        "versions[0].rules[0].credits in base example/family: expected a value (this key is "
        "required); neither example/family nor the file that extends it sets it" in p
        for p in problems(error)
    )


def test_a_bad_value_in_the_extending_file_is_located_by_its_own_path() -> None:
    with pytest.raises(PolicyFormatError) as error:
        load(CHILD.replace("credits = 60", "credits = -60"))
    assert problems(error) == [
        "example/pro: versions[0].rules[2].credits: got -60; expected a number >= 0"
    ]


def test_a_base_may_extend_another_and_files_resolve_relative_to_the_base() -> None:
    grand = FAMILY.replace("window_months = 6", "window_months = 6\nbogus = 1")
    files = {
        "../shared/_middle.toml": 'extends = "_grand.toml"\nunit = "PDU"\n',
        "../shared/_grand.toml": grand,
    }
    asked: list[str] = []

    def read(name: str) -> str | None:
        asked.append(name)
        return files.get(name)

    text = CHILD.replace('"example/family"', '"../shared/_middle.toml"')
    with pytest.raises(PolicyFormatError) as error:
        load_certification(text, bases=read)
    assert asked == ["../shared/_middle.toml", "../shared/_grand.toml"]
    assert problems(error) == [
        "example/pro: versions[0].carryover.bogus in base ../shared/_grand.toml: got 1; "
        "expected a known key"
    ]
    files["../shared/_grand.toml"] = FAMILY
    assert load_certification(text, bases=read).unit == "PDU"


def test_a_syntax_error_in_a_base_names_the_base() -> None:
    with pytest.raises(PolicyFormatError, match="example/family: expected valid TOML") as error:
        load(CHILD, example_family="body = ")
    assert error.value.code == "policy-syntax"


def test_nothing_passed_in_is_changed() -> None:
    data = parse_toml(CHILD)
    family = parse_toml(FAMILY)
    before = (copy.deepcopy(data), copy.deepcopy(family))
    certification_from_data(data, bases={"example/family": family})
    assert (data, family) == before


def test_a_file_of_your_own_may_extend_a_bundled_base() -> None:
    text = """
extends = "isc2/family"
id = "acme/isc2-like"
name = "An ISC2-like credential"

[[versions]]
effective_from = 2015-01-01
rules = [
    { id = "total", credits = 30 },
    { id = "group-a", credits = 20 },
    { id = "group-b", credits = 10 },
]
carryover = { cap = 10 }
"""
    cert = load_certification(text)
    assert cert.body == "ISC2"
    assert cert.versions[0].cycle == catalog.get("isc2/cissp").versions[0].cycle


def test_a_problem_deep_in_a_grand_base_is_located_there() -> None:
    grand = FAMILY.replace("years = 3, grace", "yeers = 3, grace", 1)
    middle = """
extends = "example/grand"
[[versions]]
effective_from = 2020-01-01
measure = { minutes_per_credit = 50 }
[[versions]]
effective_from = 2024-01-01
"""
    bases = {"example/grand": grand, "example/family": middle}
    text = 'extends = "example/family"\nid = "example/lite"\nname = "Lite"\n'
    with pytest.raises(PolicyFormatError) as error:
        load_certification(text, bases=bases)
    assert (
        "example/lite: versions[0].cycle.yeers in base example/grand: got 3; expected a known "
        "key (did you mean 'years'?)"
    ) in problems(error)
    assert (
        "example/lite: versions[0].measure.step in base example/family: got 1; expected a known key"
    ) not in problems(error)


def test_an_item_without_its_id_is_added_and_then_refused_where_it_is() -> None:
    text = CHILD.replace(
        '[[versions.rules]]\nid = "group-b"\ncredits = 30', "[[versions.rules]]\ncredits = 30"
    )
    with pytest.raises(PolicyFormatError) as error:
        load(text)
    assert error.value.code == "invalid-policy"
    assert problems(error)[1] == (
        "example/pro: versions[0].rules[1]: got {'credits': 30}; expected unable to extract "
        "tag using discriminator 'kind'"
    )


def test_problems_in_bases_show_the_base_in_their_repr() -> None:
    problem = PolicyProblem("a/b", "versions[0].cycle", 3, "a table", base="a/family")
    assert (
        repr(problem) == "PolicyProblem('a/b', 'versions[0].cycle', 3, 'a table', base='a/family')"
    )
    assert _walk({"a": 1}, ("a", "b", 0)) == (("a", "b", 0), MISSING)
