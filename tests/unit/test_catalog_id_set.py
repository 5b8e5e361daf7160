"""The catalog answers ``get`` by id from a set that follows :func:`cperules.catalog.ids`.

``catalog.get`` is asked once per evaluation; it finds an id in a set made from ``ids()``.
The set must be the ids' own: made again whenever ``ids()`` gives another tuple (its
cache cleared, the bundled files read again), never an earlier catalog's.
"""

from __future__ import annotations

import pytest

from cperules import catalog
from cperules.errors import CperulesError


def test_an_id_added_after_a_lookup_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    assert catalog.get("isc2/cissp").id == "isc2/cissp"  # the set made for the real catalog
    real = catalog._texts()
    text = real["isc2/cissp.toml"].replace('id = "isc2/cissp"', 'id = "other/name"', 1)
    text = text.replace('aliases = ["CISSP"]', "aliases = []", 1)
    added = {**real, "other/name.toml": text}
    caches = (catalog._texts, catalog.ids, catalog.base_names, catalog._load, catalog._aliases)
    for cached in caches:
        cached.cache_clear()
    monkeypatch.setattr(catalog, "_texts", lambda: added)
    try:
        assert catalog.get("other/name").id == "other/name"
    finally:
        monkeypatch.undo()
        for cached in caches:
            cached.cache_clear()
    with pytest.raises(CperulesError, match="no certification 'other/name'"):
        catalog.get("other/name")  # gone again with the real catalog
    assert catalog.get("isc2/cissp").id == "isc2/cissp"
    assert catalog.get("CISSP").id == "isc2/cissp"
