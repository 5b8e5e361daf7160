"""The precompiled catalog shipped with the package is current and loads every entry exactly."""

from importlib.resources import files

from cperules import _compiled_catalog, catalog
from cperules.policy_format import load_certification


def test_the_committed_compiled_catalog_is_current() -> None:
    shipped = files("cperules.catalogs").joinpath(_compiled_catalog.FILE)
    assert shipped.read_text(encoding="utf-8") == catalog._compiled_json(), (
        "the bundled catalog changed: run `make catalog-table` and commit catalogs/_compiled.json"
    )


def test_every_entry_is_compiled_and_loads_to_what_its_text_loads_to() -> None:
    texts = catalog._texts()
    for certification_id in catalog.ids():
        compiled = _compiled_catalog.certification(certification_id, texts)
        assert compiled is not None, f"{certification_id} is not compiled"
        from_text = load_certification(texts[f"{certification_id}.toml"])
        assert repr(compiled) == repr(from_text), certification_id
        assert compiled == from_text, certification_id


def test_every_rebuilt_entry_is_the_validated_one_down_to_types_fields_set_and_private() -> None:
    # The compiled entries are rebuilt without validation: each must be, object for
    # object, what validating its text makes (types, the fields its text set, the private
    # state validators keep), not only equal to it.
    texts = catalog._texts()
    for certification_id in catalog.ids():
        rebuilt = _compiled_catalog.certification(certification_id, texts)
        from_text = load_certification(texts[f"{certification_id}.toml"])
        assert _compiled_catalog._same(rebuilt, from_text), certification_id
        assert rebuilt is not None
        assert rebuilt.model_dump(mode="json") == from_text.model_dump(mode="json")
