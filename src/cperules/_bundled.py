"""The bundled catalog's files, read through ``importlib.resources`` and nothing else.

The lowest layer of policy data: :mod:`cperules.policy_format` finds the bases that a
file ``extends`` here, and :mod:`cperules.catalog` builds its certifications from the
same texts, so the format loader never reaches up into the catalog.

When the catalog package is a folder on disk (an ordinary install, an editable one, the
source tree) its files are listed with :func:`os.scandir` and read with :func:`open`:
the same files and texts as through ``importlib.resources``, without importing it and
the archive readers behind it (part of the start-up of every program that reads the
catalog). A package inside an archive is read through ``importlib.resources``.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = [
    "BASE",
    "CASES",
    "PACKAGE",
    "Texts",
    "base_names",
    "base_text",
    "is_base",
    "package_text",
    "texts",
]

PACKAGE = "cperules.catalogs"
CASES = ".cases.toml"
BASE = "_"


def _folder() -> str | None:
    """The catalog package's folder on disk, or ``None`` when it is not one (an archive)."""
    locations = getattr(importlib.import_module(PACKAGE), "__path__", None)
    if locations is None:  # pragma: no cover - the catalog is always a package
        return None
    found = list(locations)
    return found[0] if len(found) == 1 and os.path.isdir(found[0]) else None


def files_by_path() -> dict[str, Traversable | str]:
    """Every bundled policy file and cases file, by its path relative to the catalog.

    Each is a path on disk when the catalog is a folder, else a resource.

    >>> found = files_by_path()
    >>> "isc2/cissp.toml" in found, "isc2/_family.cases.toml" in found
    (True, True)
    """
    folder = _folder()
    return _resources_by_path() if folder is None else _paths_by_path(folder)


def _paths_by_path(root: str) -> dict[str, Traversable | str]:
    found: dict[str, Traversable | str] = {}

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir() and not entry.name.startswith(("_", ".")):
                    walk(entry.path, f"{prefix}{entry.name}/")
                elif entry.name.endswith(".toml"):
                    found[prefix + entry.name] = entry.path

    walk(root, "")
    return found


def _resources_by_path() -> dict[str, Traversable | str]:
    # Imported here: a catalog on disk is read without importlib.resources (module doc).
    from importlib.resources import files  # noqa: PLC0415

    found: dict[str, Traversable | str] = {}

    def walk(folder: Traversable, prefix: str) -> None:
        for entry in folder.iterdir():
            if entry.is_dir() and not entry.name.startswith(("_", ".")):
                walk(entry, f"{prefix}{entry.name}/")
            elif entry.name.endswith(".toml"):
                found[prefix + entry.name] = entry

    walk(files(PACKAGE), "")
    return found


def _read(source: Traversable | str) -> str:
    if isinstance(source, str):
        with open(source, encoding="utf-8") as file:
            return file.read()
    return source.read_text(encoding="utf-8")


def package_text(name: str) -> str | None:
    """The text of the file ``name`` at the catalog's top level, or ``None`` if there is none.

    >>> package_text("README.md").startswith("#"), package_text("no-such-file") is None
    (True, True)
    """
    folder = _folder()
    if folder is not None:
        path = os.path.join(folder, name)
        return _read(path) if os.path.isfile(path) else None
    from importlib.resources import files  # noqa: PLC0415

    resource = files(PACKAGE).joinpath(name)
    return _read(resource) if resource.is_file() else None


class Texts(Mapping[str, str]):
    """The bundled files' texts by path, in path order, each read when first asked for.

    Loading a certification reads its file and its bases, not the cases files beside them
    (the start-up of a program that reads the catalog); a text once read is kept.

    >>> bundled = texts()
    >>> "isc2/cissp.toml" in bundled, bundled["isc2/cissp.toml"].startswith("#")
    (True, True)
    """

    def __init__(self, entries: Mapping[str, Traversable | str]) -> None:
        self._entries = dict(sorted(entries.items()))
        self._read: dict[str, str] = {}

    def __getitem__(self, path: str) -> str:
        text = self._read.get(path)
        if text is None:
            text = self._read[path] = _read(self._entries[path])
        return text

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


@cache
def texts() -> Texts:
    """The text of every bundled file, by its path relative to the catalog, read once."""
    return Texts(files_by_path())


def is_base(path: str) -> bool:
    """A base's policy file (``isc2/_family.toml``), not the cases file beside it."""
    return path.rsplit("/", 1)[-1].startswith(BASE) and not path.endswith(CASES)


@cache
def base_names() -> tuple[str, ...]:
    """The name of every bundled base (``isc2/family`` for ``isc2/_family.toml``), sorted."""
    names = []
    for path in texts():
        if is_base(path):
            folder, _, file = path.rpartition("/")
            names.append(f"{folder}/{file.removeprefix(BASE).removesuffix('.toml')}")
    return tuple(sorted(names))


def base_text(name: str) -> str | None:
    """The TOML text of the bundled base ``name`` (``"isc2/family"``), or ``None``.

    Policy files extend bases by name; :func:`~cperules.policy_format.load_certification`
    finds the bundled ones here.

    >>> base_text("isc2/family").startswith("#")
    True
    >>> base_text("isc2/no-such-family") is None
    True
    >>> base_text("isc2/family.cases") is None  # a base's cases file is not a base
    True
    """
    folder, _, short = name.rpartition("/")
    path = f"{folder}/{BASE}{short}.toml" if folder else f"{BASE}{short}.toml"
    return texts().get(path) if is_base(path) else None
