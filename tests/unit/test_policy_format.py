"""Loading and writing policy files: located errors for broken texts, exact round trips."""

import datetime as dt
from decimal import Decimal

import pytest

from cperules.policy_format import (
    PolicyFormatError,
    PolicyProblem,
    certification_from_data,
    dump_certification,
    load_certification,
)
from cperules.policy_writer import _value

GOOD = """
id = "example/cert"
name = "Example"
body = "Example body"
unit = "CPE"
aliases = ["EX"]

[[versions]]
effective_from = 2024-01-01
last_verified = 2026-11-01
cycle = { kind = "anniversary", years = 3, grace = { days = 90, earning = "allowed" } }
measure = { minutes_per_credit = 50, step = 0.25 }

[[versions.citations]]
url = "https://example.org/handbook.pdf"
title = "Handbook"
clause = "3.1"

[[versions.categories]]
code = "A"

[[versions.categories]]
code = "B"

[[versions.rules]]
kind = "minimum"
id = "total"
credits = 120

[[versions.rules]]
kind = "cap"
id = "group-b"
credits = 30
selector = { kind = "category", codes = ["B"] }

[versions.carryover]
selector = { kind = "category", codes = ["A"] }
window_months = 6
cap = 40
"""


def broken(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


def test_the_good_text_loads_exactly() -> None:
    cert = load_certification(GOOD)
    version = cert.versions[0]
    assert version.measure.step == Decimal("0.25")
    assert isinstance(version.measure.step, Decimal)
    assert version.carryover is not None
    assert version.carryover.cap == 40
    assert version.last_verified == dt.date(2026, 11, 1)


def test_round_trip_through_text() -> None:
    cert = load_certification(GOOD)
    text = dump_certification(cert)
    assert load_certification(text) == cert
    assert 'kind = "minimum"' in text
    assert "step = 0.25" in text


BROKEN: list[tuple[str, str, str | None, list[str]]] = [
    # (description, text, path named, words that must appear)
    (
        "typo in a key",
        broken("credits = 120", "credts = 120"),
        "versions[0].rules[0].credts",
        ["did you mean 'credits'?"],
    ),
    (
        "unknown rule kind",
        broken('kind = "minimum"', 'kind = "minimun"'),
        "versions[0].rules[0].kind",
        ["did you mean 'minimum'?", "got 'minimun'"],
    ),
    (
        "undeclared category",
        broken('codes = ["B"] }\n\n[versions', 'codes = ["C"] }\n\n[versions'),
        "versions[0]",
        ["category 'C'", "does not declare"],
    ),
    (
        "misspelt category",
        broken('codes = ["B"] }\n\n[versions', 'codes = ["b"] }\n\n[versions'),
        "versions[0]",
        ["did you mean 'B'?"],
    ),
    (
        "negative credits",
        broken("credits = 120", "credits = -120"),
        "versions[0].rules[0].credits",
        ["got -120; expected a number >= 0"],
    ),
    (
        "missing citation url",
        broken('url = "https://example.org/handbook.pdf"\n', ""),
        "versions[0].citations[0].url",
        ["required"],
    ),
    (
        "citation url without scheme",
        broken("https://example.org/handbook.pdf", "example.org/handbook.pdf"),
        "versions[0].citations[0].url",
        ["https://"],
    ),
    (
        "bad date",
        broken("effective_from = 2024-01-01", 'effective_from = "2024-02-30"'),
        "versions[0].effective_from",
        ["an ISO date"],
    ),
    (
        "unknown cycle kind",
        broken('kind = "anniversary"', 'kind = "aniversary"'),
        "versions[0].cycle.kind",
        ["did you mean 'anniversary'?"],
    ),
    (
        "bad literal",
        broken('earning = "allowed"', 'earning = "alowed"'),
        "versions[0].cycle.grace.earning",
        ["did you mean 'allowed'?"],
    ),
    (
        "duplicate rule id",
        broken('id = "group-b"', 'id = "total"'),
        "versions[0]",
        ["rule id 'total' is used twice"],
    ),
    ("missing body", broken('body = "Example body"\n', ""), "body", ["required"]),
    (
        "unknown top-level key",
        broken('unit = "CPE"', 'unit = "CPE"\nunits = "CPE"'),
        "units",
        ["did you mean 'unit'?"],
    ),
    (
        "overlapping versions",
        GOOD.replace(
            "[[versions]]\neffective_from = 2024-01-01",
            "[[versions]]\neffective_from = 2024-01-01\neffective_until = 2025-06-30",
        )
        + "\n[[versions]]\neffective_from = 2025-06-01\n"
        + 'cycle = { kind = "anniversary", years = 3 }\n',
        "",
        ["versions[0] ends 2025-06-30, on or after versions[1] starts on 2025-06-01"],
    ),
]


@pytest.mark.parametrize(
    ("description", "text", "path", "words"), BROKEN, ids=[b[0] for b in BROKEN]
)
def test_broken_policies_raise_located_errors(
    description: str, text: str, path: str | None, words: list[str]
) -> None:
    with pytest.raises(PolicyFormatError) as info:
        load_certification(text)
    error = info.value
    assert error.code == "invalid-policy", description
    message = str(error)
    assert "example/cert: " in message
    assert all(problem.certification == "example/cert" for problem in error.problems)
    if path:
        assert path in [problem.path for problem in error.problems]
        assert f"{path}: " in message
    for word in words:
        assert word in message, (word, message)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("id = 'x'\nid = 'y'\n", "Cannot overwrite a value"),
        ("id = \n", "Invalid value"),
    ],
)
def test_syntax_errors_and_duplicate_keys(text: str, words: str) -> None:
    with pytest.raises(PolicyFormatError, match=words) as info:
        load_certification(text)
    assert info.value.code == "policy-syntax"
    assert "line 1" in str(info.value) or "line 2" in str(info.value)


def test_problems_know_their_version_and_print() -> None:
    problem = PolicyProblem("a/b", "versions[2].rules[0].id", "", "a non-empty string")
    assert problem.version == 2
    assert PolicyProblem(None, "id", 1, "x").version is None
    assert (
        repr(problem) == "PolicyProblem('a/b', 'versions[2].rules[0].id', '', 'a non-empty string')"
    )


def test_data_without_an_id_is_located_without_one() -> None:
    with pytest.raises(PolicyFormatError) as info:
        certification_from_data({"name": "x"})
    assert info.value.problems[0].certification is None
    assert str(info.value.problems[0]).startswith("id: expected a value")


def test_values_the_writer_cannot_write_are_refused() -> None:
    with pytest.raises(TypeError, match="cannot write"):
        _value(object())
    assert _value({}) == "{}"
    assert _value(True) == "true"
    assert _value({"odd key": 1}) == '{ "odd key" = 1 }'
