"""The precompiled catalog (cperules._compiled_catalog): used only while current, exact."""

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from cperules import _compiled_catalog, catalog
from cperules.policy_format import load_certification

_CACHES = (catalog._texts, catalog.ids, catalog._load, catalog._aliases)


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    for cached in _CACHES:
        cached.cache_clear()
    yield
    for cached in _CACHES:
        cached.cache_clear()


def test_a_compiled_entry_loads_to_what_its_text_loads_to() -> None:
    texts = catalog._texts()
    for certification_id in ("isc2/cissp", "pmi/pmp", "comptia/security-plus"):
        compiled = _compiled_catalog.certification(certification_id, texts)
        assert compiled is not None, certification_id
        from_text = load_certification(texts[f"{certification_id}.toml"])
        assert compiled == from_text
        assert repr(compiled) == repr(from_text)


def test_an_entry_edited_since_it_was_compiled_is_read_from_its_text(
    monkeypatch: pytest.MonkeyPatch, fresh_caches: None
) -> None:
    real = dict(catalog._texts())
    edited = real["isc2/cissp.toml"].replace('name = "', 'name = "Edited ', 1)
    assert edited != real["isc2/cissp.toml"]
    monkeypatch.setattr(catalog, "_texts", lambda: {**real, "isc2/cissp.toml": edited})
    assert _compiled_catalog.certification("isc2/cissp", catalog._texts()) is None
    assert catalog.get("isc2/cissp").name.startswith("Edited ")
    # Entries whose files did not change still come from the compiled data.
    assert _compiled_catalog.certification("pmi/pmp", catalog._texts()) is not None


def test_an_edited_base_makes_every_entry_that_extends_it_stale() -> None:
    texts = dict(catalog._texts())
    texts["isc2/_family.toml"] += "\n# edited\n"
    assert _compiled_catalog.certification("isc2/cissp", texts) is None
    assert _compiled_catalog.entry_aliases("isc2/cissp", texts) is None
    assert _compiled_catalog.certification("pmi/pmp", texts) is not None


def test_a_lookup_by_alias_validates_only_that_entry(fresh_caches: None) -> None:
    assert catalog.get("CISSP").id == "isc2/cissp"
    assert catalog._load.cache_info().currsize == 1


def test_without_the_compiled_file_every_entry_is_read_from_its_text(
    monkeypatch: pytest.MonkeyPatch, fresh_caches: None
) -> None:
    _compiled_catalog._entries.cache_clear()
    monkeypatch.setattr(_compiled_catalog, "FILE", "no-such-file.json")
    try:
        assert _compiled_catalog._entries() == {}
        assert catalog.get("isc2/cissp").id == "isc2/cissp"
    finally:
        monkeypatch.undo()
        _compiled_catalog._entries.cache_clear()
    assert _compiled_catalog._entries()


def test_data_that_json_cannot_carry_exactly_is_not_compiled() -> None:
    encode = _compiled_catalog._encode
    assert encode({"a": [Decimal("0.25"), dt.date(2024, 1, 2), 3, True]}) == {
        "a": [{"$decimal": "0.25"}, {"$date": "2024-01-02"}, 3, True]
    }
    assert encode({"a": Decimal("Infinity")}) is None
    assert encode({"a": dt.datetime(2024, 1, 2, 3, 4)}) is None
    assert encode({"a": dt.time(3, 4)}) is None
    assert encode({"$decimal": "1"}) is None  # a key that would read back as a tag


def test_a_compiled_file_of_another_layout_is_ignored(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "old.json").write_text(json.dumps({"format": 0, "entries": {"x": {}}}))
    monkeypatch.setattr(_compiled_catalog, "files", lambda package: tmp_path)
    monkeypatch.setattr(_compiled_catalog, "FILE", "old.json")
    _compiled_catalog._entries.cache_clear()
    try:
        assert _compiled_catalog._entries() == {}
    finally:
        monkeypatch.undo()
        _compiled_catalog._entries.cache_clear()


def test_compiling_records_each_entry_with_its_bases_digest_and_aliases() -> None:
    texts = catalog._texts()
    some = {
        path: texts[path]
        for path in ("isc2/_family.toml", "isc2/cissp.toml", "pmi/_family.toml", "pmi/pmp.toml")
    }
    compiled = json.loads(_compiled_catalog.compile_catalog(some, ("isc2/cissp", "pmi/pmp")))
    assert compiled["format"] == _compiled_catalog.FORMAT
    cissp = compiled["entries"]["isc2/cissp"]
    assert cissp["chain"] == ["isc2/family"]
    assert "CISSP" in cissp["aliases"]
    assert cissp["digest"] == _compiled_catalog.digest("isc2/cissp", ("isc2/family",), texts)
    # What was compiled from these texts is what the shipped file holds for them.
    shipped = _compiled_catalog._entries()["isc2/cissp"]
    assert cissp["digest"] == shipped["digest"]


def test_an_entry_that_would_not_load_exactly_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = catalog._texts()
    some = {path: texts[path] for path in ("pmi/_family.toml", "pmi/pmp.toml")}
    monkeypatch.setattr(_compiled_catalog, "_encode", lambda data: None)
    assert json.loads(_compiled_catalog.compile_catalog(some, ("pmi/pmp",)))["entries"] == {}
    monkeypatch.undo()
    monkeypatch.setattr(_compiled_catalog, "_same", lambda one, other: False)
    assert json.loads(_compiled_catalog.compile_catalog(some, ("pmi/pmp",)))["entries"] == {}
    monkeypatch.undo()
    monkeypatch.setattr(_compiled_catalog, "_same_certification", lambda one, other: False)
    assert json.loads(_compiled_catalog.compile_catalog(some, ("pmi/pmp",)))["entries"] == {}


def test_plain_data_compares_by_type_as_well_as_value() -> None:
    same = _compiled_catalog._same
    assert same({"a": [1, Decimal("1.0")]}, {"a": [1, Decimal("1.0")]})
    assert not same({"a": 1}, {"a": Decimal(1)})
    assert not same({"a": Decimal("1.0")}, {"a": Decimal("1")})
    assert not same([1, 2], [1])
    assert not same({"a": 1}, {"b": 1})
