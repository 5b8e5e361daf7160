import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from cperules.citations import SourceRef
from cperules.errors import PolicyError
from cperules.periods import AnniversaryCycle
from cperules.policy import CategoryNode, Certification, Citation, PolicyVersion
from cperules.rules import Cap, Carryover, Minimum, RenewalPath, RepeatExclusion
from cperules.selectors import category

CITATION = Citation(url="https://example.org/handbook", title="Handbook")


def version(**changes: Any) -> PolicyVersion:
    base: dict[str, Any] = {
        "effective_from": dt.date(2020, 1, 1),
        "citations": (CITATION,),
        "cycle": AnniversaryCycle(years=3),
        "categories": (
            CategoryNode(
                code="education",
                children=(CategoryNode(code="ways-of-working"), CategoryNode(code="power-skills")),
            ),
            CategoryNode(code="giving-back", children=(CategoryNode(code="practitioner"),)),
        ),
        "rules": (
            Minimum(id="total", credits=Decimal(60)),
            Minimum(id="education", credits=Decimal(35), selector=category("education")),
            Cap(id="giving-back", selector=category("giving-back"), credits=Decimal(25)),
            RepeatExclusion(id="repeats"),
        ),
    }
    return PolicyVersion.model_validate({**base, **changes})


def certification(*versions: PolicyVersion) -> Certification:
    return Certification(id="pmi/pmp", name="PMP", body="PMI", unit="PDU", versions=versions)


def test_category_paths_and_codes() -> None:
    v = version()
    assert v.category_path("power-skills") == ("power-skills", "education")
    assert v.category_path("education") == ("education",)
    assert v.category_codes == {
        "education",
        "ways-of-working",
        "power-skills",
        "giving-back",
        "practitioner",
    }
    with pytest.raises(KeyError, match="did you mean 'practitioner'"):
        v.category_path("practioner")


def test_version_round_trips_through_json() -> None:
    v = version(carryover=Carryover(selector=category("education"), window_months=12))
    assert PolicyVersion.model_validate_json(v.model_dump_json()) == v


@pytest.mark.parametrize(
    ("changes", "code", "words"),
    [
        (
            {"rules": (Minimum(id="x", credits=Decimal(1), selector=category("educaton")),)},
            "undeclared-category",
            "did you mean 'education'",
        ),
        (
            {"carryover": Carryover(selector=category("nope"))},
            "undeclared-category",
            "carryover selects category 'nope'",
        ),
        (
            {"rules": (Minimum(id="x", credits=Decimal(1)), Minimum(id="x", credits=Decimal(2)))},
            "duplicate-rule-id",
            "rules[1]",
        ),
        (
            {
                "categories": (
                    CategoryNode(code="a"),
                    CategoryNode(code="b", children=(CategoryNode(code="a"),)),
                )
            },
            "duplicate-category",
            "'a' is declared twice",
        ),
        (
            {"effective_until": dt.date(2019, 1, 1), "rules": ()},
            "version-overlap",
            "before effective_from",
        ),
        ({"citations": ({"url": "example.org", "title": "t"},)}, "url_scheme", "https://"),
    ],
)
def test_bad_versions_are_located(changes: dict[str, Any], code: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        version(**changes)
    error = info.value.errors()[0]
    assert error["type"] == code
    assert words in error["msg"]


def test_version_on_picks_the_version_in_force() -> None:
    old = version(effective_until=dt.date(2022, 12, 31))
    new = version(effective_from=dt.date(2023, 1, 1))
    cert = certification(old, new)
    assert cert.version_on(dt.date(2022, 12, 31)) is old
    assert cert.version_on(dt.date(2023, 1, 1)) is new
    with pytest.raises(PolicyError, match="no policy version in force on 2019-12-31") as info:
        cert.version_on(dt.date(2019, 12, 31))
    assert info.value.code == "no-policy-version"
    ended = certification(version(effective_until=dt.date(2021, 1, 1)))
    with pytest.raises(PolicyError, match=r"versions cover 2020-01-01 to 2021-01-01"):
        ended.version_on(dt.date(2021, 1, 2))


@pytest.mark.parametrize(
    ("versions", "code", "words"),
    [
        (
            (
                version(effective_until=dt.date(2023, 1, 1)),
                version(effective_from=dt.date(2023, 1, 1)),
            ),
            "version-overlap",
            "versions[0] ends 2023-01-01, on or after versions[1] starts on 2023-01-01",
        ),
        (
            (
                version(effective_until=dt.date(2022, 12, 30)),
                version(effective_from=dt.date(2023, 1, 1)),
            ),
            "version-gap",
            "versions[0] ends 2022-12-30 but versions[1] starts on 2023-01-01",
        ),
        (
            (version(), version(effective_from=dt.date(2023, 1, 1))),
            "version-gap",
            "versions[0] has no effective_until",
        ),
    ],
)
def test_versions_must_be_contiguous(
    versions: tuple[PolicyVersion, ...], code: str, words: str
) -> None:
    with pytest.raises(ValidationError) as info:
        certification(*versions)
    error = info.value.errors()[0]
    assert error["type"] == code
    assert words in error["msg"]


@pytest.mark.parametrize("bad_id", ["PMI/PMP", "pmp", "pmi/", "/pmp", "pmi/pmp/x"])
def test_certification_ids_are_body_slash_name(bad_id: str) -> None:
    with pytest.raises(ValidationError):
        Certification(id=bad_id, name="n", body="b", unit="PDU", versions=(version(),))


# --- rule sources -------------------------------------------------------------------------


def _sourced_version(**fields: object) -> PolicyVersion:
    data: dict[str, object] = {
        "effective_from": dt.date(2020, 1, 1),
        "citations": (
            Citation(id="handbook", url="https://example.org/handbook.pdf", title="Handbook"),
            Citation(url="https://example.org/faq", title="FAQ"),
        ),
        "cycle": AnniversaryCycle(years=3, source=SourceRef(citation="handbook", clause="2")),
        "rules": (
            Minimum(
                id="total", credits=Decimal(120), source=SourceRef(citation="handbook", clause="3")
            ),
        ),
    }
    data.update(fields)
    return PolicyVersion.model_validate(data)


def test_rules_cycle_carryover_and_paths_name_their_source() -> None:
    v = _sourced_version(
        carryover=Carryover(source=SourceRef(citation="handbook", clause="4")),
        renewal_paths=(RenewalPath(kind="exam", source=SourceRef(citation="handbook")),),
    )
    assert [(where, s.clause) for where, s in v.sources()] == [
        ("cycle", "2"),
        ("rules[0] ('total')", "3"),
        ("carryover", "4"),
        ("renewal_paths[0]", None),
    ]
    assert v.citation("handbook").title == "Handbook"
    with pytest.raises(KeyError, match="did you mean 'handbook'"):
        v.citation("handbok")


def test_a_source_naming_no_citation_is_a_located_error() -> None:
    with pytest.raises(ValidationError) as raised:
        _sourced_version(
            rules=(Minimum(id="total", credits=Decimal(120), source=SourceRef(citation="handbok")),)
        )
    (error,) = raised.value.errors()
    assert error["type"] == "unknown-citation"
    assert "rules[0] ('total')" in error["msg"]
    assert "did you mean 'handbook'" in error["msg"]


def test_citation_ids_are_unique_within_a_version() -> None:
    twice = (
        Citation(id="h", url="https://example.org/a", title="A"),
        Citation(id="h", url="https://example.org/b", title="B"),
    )
    with pytest.raises(ValidationError) as raised:
        _sourced_version(citations=twice, rules=(), cycle=AnniversaryCycle(years=3))
    assert raised.value.errors()[0]["type"] == "duplicate-citation-id"


def test_domains_are_bare_lower_case_host_names() -> None:
    version = _sourced_version()
    for bad in ("https://example.org", "Example.org", "example", "example.org/path"):
        with pytest.raises(ValidationError):
            Certification(
                id="example/cert",
                name="E",
                body="E",
                unit="CPE",
                domains=(bad,),
                versions=(version,),
            )
