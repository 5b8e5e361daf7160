"""The bundled catalog's reader (cperules._bundled): a folder on disk and a package read
through importlib.resources (an archive) give the same files and texts."""

from importlib.resources import files

import pytest

from cperules import _bundled, _compiled_catalog


def test_the_folder_and_the_resources_list_the_same_files_with_the_same_texts() -> None:
    on_disk = _bundled.files_by_path()
    assert all(isinstance(source, str) for source in on_disk.values())
    disk_texts = _bundled.Texts(on_disk)
    resource_texts = _bundled.Texts(_bundled._resources_by_path())
    assert list(disk_texts) == list(resource_texts)
    assert all(disk_texts[path] == resource_texts[path] for path in disk_texts)
    assert "isc2/cissp.toml" in disk_texts
    assert "isc2/_family.cases.toml" in disk_texts
    assert not [path for path in disk_texts if "__pycache__" in path]


def test_a_package_that_is_not_a_folder_is_read_through_importlib_resources(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_bundled, "_folder", lambda: None)
    found = _bundled.files_by_path()
    assert "isc2/cissp.toml" in found
    assert not [source for source in found.values() if isinstance(source, str)]
    shipped = files(_bundled.PACKAGE).joinpath(_compiled_catalog.FILE)
    assert _bundled.package_text(_compiled_catalog.FILE) == shipped.read_text(encoding="utf-8")
    assert _bundled.package_text("no-such-file.json") is None
    assert _bundled.Texts(found)["isc2/cissp.toml"].startswith("#")
