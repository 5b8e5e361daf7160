import pytest

from cperules import CperulesError, catalog


def test_lookups_by_id_alias_and_short_name() -> None:
    assert catalog.get("isc2/cissp") is catalog.get("cissp") is catalog.get("CISSP")
    assert catalog.bodies() == tuple(sorted(catalog.bodies()))
    assert "ISC2" in catalog.bodies()
    assert catalog.search("ISC2")
    assert catalog.search("no such words anywhere") == ()


def test_unknown_ids_suggest_a_close_one() -> None:
    with pytest.raises(CperulesError, match="did you mean 'isc2/cissp'") as info:
        catalog.get("isc2/cisssp")
    assert info.value.code == "unknown-certification"
    with pytest.raises(CperulesError, match="no cases for 'isc2/cisp'"):
        catalog.cases_text("isc2/cisp")


def test_a_bases_cases_file_is_neither_a_base_nor_a_certification() -> None:
    assert "isc2/_family.cases.toml" in catalog._texts()
    assert "isc2/family" in catalog.base_names()
    assert not [name for name in catalog.base_names() if name.endswith(".cases")]
    assert not [i for i in catalog.ids() if i.rsplit("/", 1)[-1].startswith("_")]
    assert catalog.base_text("isc2/family.cases") is None


def test_a_file_whose_id_differs_from_its_path_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    real = catalog._texts()
    moved = {
        "isc2/_family.toml": real["isc2/_family.toml"],
        "other/name.toml": real["isc2/cissp.toml"],
        "other/name.cases.toml": real["isc2/cissp.cases.toml"],
    }
    caches = (catalog._texts, catalog.ids, catalog.base_names, catalog._load, catalog._aliases)
    for cached in caches:
        cached.cache_clear()
    monkeypatch.setattr(catalog, "_texts", lambda: moved)
    try:
        with pytest.raises(CperulesError, match="declares id 'isc2/cissp'"):
            catalog.get("other/name")
    finally:
        monkeypatch.undo()
        for cached in caches:
            cached.cache_clear()
    assert catalog.get("isc2/cissp").id == "isc2/cissp"
