"""Packaging facts a wheel user relies on."""

import importlib.resources
import tomllib
from pathlib import Path

import pytest

import cperules

ROOT = Path(__file__).parents[2]


def test_public_names_are_curated_and_importable() -> None:
    assert sorted(cperules.__all__) == cperules.__all__ or len(set(cperules.__all__)) == len(
        cperules.__all__
    )
    for name in cperules.__all__:
        assert hasattr(cperules, name), name


def test_version_comes_from_package_metadata() -> None:
    assert cperules.__version__ != "0+unknown"


def test_bundled_catalog_is_reachable_as_package_data() -> None:
    catalog = importlib.resources.files("cperules.catalogs")
    assert catalog.is_dir()


@pytest.mark.skipif(not (ROOT / "pyproject.toml").is_file(), reason="needs the source tree")
def test_every_source_package_is_listed_for_setuptools() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT / "src").parts)
        for init in (ROOT / "src").rglob("__init__.py")
    }
    bodies = {
        f"cperules.catalogs.{folder.name}"
        for folder in (ROOT / "catalogs").iterdir()
        if folder.is_dir() and any(folder.glob("*.toml"))
    }
    assert found | {"cperules.catalogs"} | bodies == listed, (
        "list every package and every catalogs/<body> folder in [tool.setuptools] packages"
    )
