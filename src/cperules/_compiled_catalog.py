"""The bundled catalog precompiled: each entry's data already parsed and merged onto its bases.

Reading TOML (the standard library's parser is pure Python) and merging ``extends``
chains cost most of the time it takes to load every bundled certification. The catalog's
own files do not change between releases, so ``make catalog-table`` writes, for each
entry, the data its file gives once parsed and merged onto its bases, to
``catalogs/_compiled.json`` (shipped in the wheel); :mod:`cperules.catalog` validates that
data with the same models instead of parsing the text again.

Nothing is trusted blindly:

- an entry is compiled only when the data it validates to equals, field for field, what
  :func:`~cperules.policy_format.load_certification` makes of its text (every check of
  the format ran, strict typing included);
- each compiled entry records a digest of its own text and of every base it extends; an
  entry whose files no longer match (a catalog file edited since, a test that swaps the
  texts) is loaded from its text as before;
- the data is still validated by the models (``Certification.model_validate``) when
  loaded; only the text's parsing, merging and format checks are not repeated.

A policy file of the user's own never comes here: it is always parsed and checked in full.
``tests/catalog`` checks that the committed file is current.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any

from cperules import _bundled
from cperules.policy import Certification

__all__ = ["FILE", "FORMAT", "certification", "compile_catalog", "entry_aliases"]

FILE = "_compiled.json"
"""The compiled catalog's file name, beside the catalog's folders."""

FORMAT = 1
"""The layout of the compiled file; a file of another layout is ignored."""

_DATE = "$date"
_DECIMAL = "$decimal"


def digest(certification_id: str, chain: tuple[str, ...], texts: Mapping[str, str]) -> str | None:
    """A digest of an entry's own text and of the bases it extends, or ``None`` if one is gone.

    >>> texts = {"a/b.toml": "x", "a/_f.toml": "y"}
    >>> digest("a/b", ("a/f",), texts) == digest("a/b", ("a/f",), dict(texts))
    True
    >>> digest("a/b", ("a/g",), texts) is None
    True
    """
    hasher = hashlib.sha256()
    for path in (f"{certification_id}.toml", *(_base_path(name) for name in chain)):
        text = texts.get(path)
        if text is None:
            return None
        hasher.update(path.encode())
        hasher.update(b"\0")
        hasher.update(text.encode())
        hasher.update(b"\0")
    return hasher.hexdigest()


def _base_path(name: str) -> str:
    folder, _, short = name.rpartition("/")
    return f"{folder}/{_bundled.BASE}{short}.toml" if folder else f"{_bundled.BASE}{short}.toml"


@cache
def _entries() -> dict[str, dict[str, Any]]:
    """The compiled entries by id; empty when the file is absent or of another layout."""
    resource = files(_bundled.PACKAGE).joinpath(FILE)
    if not resource.is_file():
        return {}
    compiled = json.loads(resource.read_text(encoding="utf-8"), object_hook=_decode)
    if not isinstance(compiled, dict) or compiled.get("format") != FORMAT:
        return {}
    entries = compiled.get("entries")
    return entries if isinstance(entries, dict) else {}


def _fresh(certification_id: str, texts: Mapping[str, str]) -> dict[str, Any] | None:
    entry = _entries().get(certification_id)
    if entry is None:
        return None
    chain = tuple(entry["chain"])
    return entry if digest(certification_id, chain, texts) == entry["digest"] else None


def certification(certification_id: str, texts: Mapping[str, str]) -> Certification | None:
    """The entry validated from its compiled data, or ``None`` when it is not current.

    ``texts`` are the catalog's files as they are now: an entry compiled from other texts
    is not used (the caller loads it from its text).
    """
    entry = _fresh(certification_id, texts)
    if entry is None:
        return None
    return Certification.model_validate(entry["data"])


def entry_aliases(certification_id: str, texts: Mapping[str, str]) -> tuple[str, ...] | None:
    """The aliases the entry's certification has, without validating it; ``None`` if stale."""
    entry = _fresh(certification_id, texts)
    return None if entry is None else tuple(entry["aliases"])


def compile_catalog(texts: Mapping[str, str], ids: tuple[str, ...]) -> str:
    """The compiled file's text for the catalog ``texts`` (as ``make catalog-table`` writes it).

    An entry whose compiled data would not validate to exactly what its text loads to is
    left out (it is then always loaded from its text).
    """
    # Imported here: only compiling needs the format's parser and merge.
    from cperules.policy_format import _resolve, load_certification, parse_toml  # noqa: PLC0415

    entries: dict[str, Any] = {}
    for certification_id in ids:
        text = texts[f"{certification_id}.toml"]
        resolved = _resolve(parse_toml(text), None, where=certification_id)
        loaded = load_certification(text)
        encoded = _encode(resolved.data)
        if encoded is None:
            continue
        decoded = json.loads(json.dumps(encoded, ensure_ascii=False), object_hook=_decode)
        if not _same(decoded, resolved.data):
            continue
        validated = Certification.model_validate(decoded)
        if not _same_certification(validated, loaded):
            continue
        entries[certification_id] = {
            "digest": digest(certification_id, resolved.chain, texts),
            "chain": list(resolved.chain),
            "aliases": list(loaded.aliases),
            "data": encoded,
        }
    lines = [f'{{"format": {FORMAT}, "entries": {{']
    items = [
        f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}"
        for key, value in entries.items()
    ]
    lines.append(",\n".join(items))
    lines.append("}}")
    return "\n".join(lines) + "\n"


def _same_certification(one: Certification, other: Certification) -> bool:
    """Equal values of the same types throughout (``Decimal(3) == 3``, so repr too)."""
    return one == other and repr(one) == repr(other) and one.model_dump() == other.model_dump()


def _same(one: object, other: object) -> bool:
    """Equal plain data of the same types throughout."""
    if type(one) is not type(other):
        return False
    if isinstance(one, dict) and isinstance(other, dict):
        return one.keys() == other.keys() and all(_same(one[k], other[k]) for k in one)
    if isinstance(one, list) and isinstance(other, list):
        return len(one) == len(other) and all(map(_same, one, other))
    return one == other and str(one) == str(other)


def _encode(value: object) -> object:
    """TOML data as JSON data, dates and decimals tagged; ``None`` if it cannot be exact."""
    encoded: object = None
    if isinstance(value, bool | int | str):
        encoded = value
    elif isinstance(value, Decimal):
        encoded = {_DECIMAL: str(value)} if value.is_finite() else None
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        encoded = {_DATE: value.isoformat()}
    elif isinstance(value, list):
        items = [_encode(item) for item in value]
        encoded = None if any(item is None for item in items) else items
    elif isinstance(value, dict) and all(
        isinstance(key, str) and not key.startswith("$") for key in value
    ):
        table = {key: _encode(item) for key, item in value.items()}
        encoded = None if any(item is None for item in table.values()) else table
    return encoded


def _decode(table: dict[str, Any]) -> object:
    if len(table) == 1:
        if _DECIMAL in table:
            return Decimal(table[_DECIMAL])
        if _DATE in table:
            return dt.date.fromisoformat(table[_DATE])
    return table
