"""The precompiled catalog (cperules._compiled_catalog): used only while current, exact."""

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from importlib.resources import files
from pathlib import Path

import pytest

from cperules import _bundled, _compiled_catalog, catalog
from cperules.policy_format import load_certification
from cperules.selectors import all_of, category

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
    monkeypatch.setattr(_bundled, "_folder", lambda: str(tmp_path))
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


# --- the compiled nodes: objects rebuilt without validating them -------------------------


def _shipped() -> dict[str, object]:
    text = files("cperules.catalogs").joinpath(_compiled_catalog.FILE)
    loaded: dict[str, object] = json.loads(text.read_text(encoding="utf-8"))
    return loaded


def _use_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, content: object) -> None:
    (tmp_path / "changed.json").write_text(json.dumps(content), encoding="utf-8")
    monkeypatch.setattr(_bundled, "_folder", lambda: str(tmp_path))
    monkeypatch.setattr(_compiled_catalog, "FILE", "changed.json")
    _compiled_catalog._entries.cache_clear()


@pytest.fixture
def restore_entries() -> Iterator[None]:
    yield
    _compiled_catalog._entries.cache_clear()


def test_a_rebuilt_entry_is_the_validated_one_down_to_types_fields_set_and_private_state() -> None:
    texts = catalog._texts()
    # A compound selector keeps its depth privately; a version leaves most fields unset.
    for certification_id in ("isc2/cissp", "pmi/pmp", "comptia/security-plus"):
        rebuilt = _compiled_catalog.certification(certification_id, texts)
        from_text = load_certification(texts[f"{certification_id}.toml"])
        assert _compiled_catalog._same(rebuilt, from_text), certification_id
        assert rebuilt is not None
        assert rebuilt.model_dump() == from_text.model_dump()
        assert rebuilt.versions[0].model_fields_set == from_text.versions[0].model_fields_set
        assert hash(rebuilt) == hash(from_text)


def test_the_same_part_of_two_entries_is_one_object() -> None:
    texts = catalog._texts()
    cissp = _compiled_catalog.certification("isc2/cissp", texts)
    issap = _compiled_catalog.certification("isc2/issap", texts)
    assert cissp is not None
    assert issap is not None
    assert cissp.versions[-1].measure == issap.versions[-1].measure
    assert cissp.versions[-1].measure is issap.versions[-1].measure


def test_model_comparison_sees_the_fields_set_and_private_state() -> None:
    same = _compiled_catalog._same
    text = catalog._texts()["isc2/cissp.toml"]
    one, other = load_certification(text), load_certification(text)
    assert same(one, other)
    measure = one.versions[0].measure
    unset = measure.model_copy()
    object.__setattr__(unset, "__pydantic_fields_set__", set())
    assert unset == measure
    assert not same(unset, measure)
    compound = all_of(category("A"), ~category("B"))
    assert compound.depth == 3
    assert same(compound, all_of(category("A"), ~category("B")))
    deeper = compound.model_copy()
    object.__setattr__(deeper, "__pydantic_private__", {"_depth": 9})
    assert not same(deeper, compound)


def test_a_file_whose_models_had_other_fields_is_not_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, restore_entries: None
) -> None:
    shipped = _shipped()
    models = shipped["models"]
    assert isinstance(models, list)
    key, names = models[0]
    _use_file(monkeypatch, tmp_path, {**shipped, "models": [[key, [*names, "added"]], *models[1:]]})
    texts = catalog._texts()
    assert _compiled_catalog.entry_aliases("isc2/cissp", texts) is not None  # still current
    assert _compiled_catalog.certification("isc2/cissp", texts) is None  # but not rebuilt


def test_a_file_naming_a_model_that_is_gone_or_not_a_cperules_model_is_not_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, restore_entries: None
) -> None:
    shipped = _shipped()
    models = shipped["models"]
    assert isinstance(models, list)
    names = models[0][1]
    texts = catalog._texts()
    for key in ("cperules.policy:Gone", "pydantic.main:BaseModel", "cperules.catalog:get"):
        _use_file(monkeypatch, tmp_path, {**shipped, "models": [[key, names], *models[1:]]})
        assert _compiled_catalog.certification("isc2/cissp", texts) is None, key


def test_nodes_that_are_not_nodes_are_not_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fresh_caches: None, restore_entries: None
) -> None:
    shipped = _shipped()
    nodes, shapes = shipped["nodes"], shipped["shapes"]
    assert isinstance(nodes, list)
    assert isinstance(shapes, list)
    texts = catalog._texts()
    ahead = [-2, len(nodes)]  # a tuple made of a node that does not come before it
    not_nodes = (
        [{"$tuple": [1]}],  # another layout's node
        [[-9, 1]],  # no such tag
        [ahead],
        [[-4, "1"]],  # an int that is not one
        [[-5, 1]],  # a decimal that is not a string
        [[-4, 1, 2]],  # a tag with two values
        [["0"]],  # no tag
        [[len(shapes)]],  # no such shape
        [[-1, 0, ["not", "a", "mapping"]]],  # private state that is not a mapping
        [[0]],  # a model without its fields' values
    )
    for broken in (*([*start, *nodes] for start in not_nodes), None):
        _use_file(monkeypatch, tmp_path, {**shipped, "nodes": broken})
        assert _compiled_catalog.certification("isc2/cissp", texts) is None
    # The catalog then reads each entry from its text.
    assert catalog.get("isc2/cissp") == load_certification(texts["isc2/cissp.toml"])


def test_an_entry_left_out_leaves_no_nodes_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = catalog._texts()
    some = {path: texts[path] for path in ("pmi/_family.toml", "pmi/pmp.toml")}
    monkeypatch.setattr(_compiled_catalog, "_same_certification", lambda one, other: False)
    compiled = json.loads(_compiled_catalog.compile_catalog(some, ("pmi/pmp",)))
    assert compiled["entries"] == {}
    assert compiled["nodes"] == compiled["shapes"] == compiled["models"] == []


def test_values_no_node_holds_exactly_are_not_compiled() -> None:
    table = _compiled_catalog._Table()
    assert table.add(Decimal("NaN")) is None
    assert table.add(dt.datetime(2024, 1, 2, 3, 4)) is None
    assert table.add([1, 2]) is None  # validated models hold tuples, never lists
    assert table.add(1.5) is None
    assert table.add((1, "a", None, Decimal("0.25"))) is not None
    table.commit()
    assert table.objects[-1] == (1, "a", None, Decimal("0.25"))
