"""The bundled catalog's files, read through ``importlib.resources`` and nothing else.

The lowest layer of policy data: :mod:`cperules.policy_format` finds the bases that a
file ``extends`` here, and :mod:`cperules.catalog` builds its certifications from the
same texts, so the format loader never reaches up into the catalog.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

__all__ = ["BASE", "CASES", "PACKAGE", "Texts", "base_names", "base_text", "is_base", "texts"]

PACKAGE = "cperules.catalogs"
CASES = ".cases.toml"
BASE = "_"


def files_by_path() -> dict[str, Traversable]:
    """Every bundled policy file and cases file, by its path relative to the catalog."""
    found: dict[str, Traversable] = {}

    def walk(folder: Traversable, prefix: str) -> None:
        for entry in folder.iterdir():
            if entry.is_dir() and not entry.name.startswith(("_", ".")):
                walk(entry, f"{prefix}{entry.name}/")
            elif entry.name.endswith(".toml"):
                found[prefix + entry.name] = entry

    walk(files(PACKAGE), "")
    return found


class Texts(Mapping[str, str]):
    """The bundled files' texts by path, in path order, each read when first asked for.

    Loading a certification reads its file and its bases, not the cases files beside them
    (the start-up of a program that reads the catalog); a text once read is kept.

    >>> bundled = texts()
    >>> "isc2/cissp.toml" in bundled, bundled["isc2/cissp.toml"].startswith("#")
    (True, True)
    """

    def __init__(self, entries: Mapping[str, Traversable]) -> None:
        self._entries = dict(sorted(entries.items()))
        self._read: dict[str, str] = {}

    def __getitem__(self, path: str) -> str:
        text = self._read.get(path)
        if text is None:
            text = self._read[path] = self._entries[path].read_text(encoding="utf-8")
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
