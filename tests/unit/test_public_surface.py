"""The public surface is curated: one list, no private module behind a public name."""

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path
from types import ModuleType

import pytest

import cperules

INIT = Path(cperules.__file__)


def public_modules() -> list[ModuleType]:
    """cperules and every module of it whose dotted path has no private part."""
    found = [cperules]
    for info in pkgutil.walk_packages(cperules.__path__, "cperules."):
        parts = info.name.split(".")
        if any(part.startswith("_") for part in parts) or parts[1] in {
            "allocation",
            "catalogs",
            "display",
        }:
            continue
        found.append(importlib.import_module(info.name))
    return found


@pytest.mark.parametrize("module", public_modules(), ids=lambda m: m.__name__)
def test_no_public_name_is_defined_in_a_private_module(module: ModuleType) -> None:
    for name in getattr(module, "__all__", ()):
        assert not name.startswith("_") or name == "__version__", f"{module.__name__}.{name}"
        value = getattr(module, name)
        if not (inspect.isclass(value) or inspect.isfunction(value)):
            continue
        home = value.__module__
        private = [part for part in home.split(".") if part.startswith("_")]
        assert not private, f"{module.__name__}.{name} is defined in private {home}"


def test_one_list_makes_all_and_the_lazy_loader() -> None:
    assert list(cperules._PUBLIC) == sorted(cperules._PUBLIC)
    assert len(set(cperules.__all__)) == len(cperules.__all__)
    assert set(cperules.__all__) == {*cperules._PUBLIC, "__version__"}
    for name in cperules.__all__:
        assert getattr(cperules, name) is not None, name


def test_the_type_checking_imports_match_the_list() -> None:
    """What type checkers see (the TYPE_CHECKING imports) is what the lazy loader gives."""
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    seen: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("cperules"):
            for alias in node.names:
                target = node.module if node.module != "cperules" else f"cperules.{alias.name}"
                seen[alias.asname or alias.name] = target
    assert seen == cperules._PUBLIC


def test_dir_lists_only_public_names() -> None:
    listed = dir(cperules)
    for helper in ("TYPE_CHECKING", "Any", "importlib", "annotations"):
        assert helper not in listed
    assert set(listed) == set(cperules.__all__)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = cperules.nothing
