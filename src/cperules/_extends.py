"""Policy files that extend a base: the merge behind ``extends = "<name>"``.

A policy file (or a base) may name one base it extends. The base's data is merged under
the file's own, by key:

- tables merge key by key, recursively; a table whose ``kind`` differs from the base's
  replaces it whole (a cap does not inherit from a minimum);
- ``versions``: each version extends the base version in force on its
  ``effective_from`` (usually the one starting the same day); every base version that
  starts after the file's first version must be extended too, so none is dropped;
- ``rules`` merge by ``id``, ``categories`` (and their ``children``) by ``code``,
  ``citations`` by ``url``; items the base lacks are added after the base's own;
- ``uncertain`` notes accumulate: the base's first, then the file's new ones;
- a ``source`` (a rule's citation and clause) is replaced whole, never merged key by key,
  so a file that names another citation does not inherit the base's clause; so is a
  version's ``audit`` (its evidence entries, retention and audit facts go together);
- every other value (numbers, strings, other arrays) is replaced.

The merge works on plain data (from TOML or JSON) before validation, and records where
each merged value came from, so a validation error names the file and the key path that
holds the bad value. Problems with the ``extends`` chain itself (a base that cannot be
found, a cycle, a version that matches no base version) are collected as
:class:`Problem` values; :mod:`cperules.policy_format` turns them into located errors.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from cperules.errors import did_you_mean

__all__ = [
    "BY_KEY",
    "MAX_CHAIN",
    "ExtendsError",
    "Origin",
    "Path",
    "Problem",
    "Resolved",
    "lookup",
    "resolve",
]

Path = tuple[str | int, ...]
"""A key path in policy data: keys of tables and indexes of arrays."""

Origin = tuple[str | None, Path]
"""Which file a value came from (``None``: the file being loaded) and its path there."""

BY_KEY: dict[str, tuple[str, str | None]] = {
    "rules": ("id", "kind"),
    "categories": ("code", None),
    "children": ("code", None),
    "citations": ("url", "title"),
}
"""Arrays of tables merged item by item: the identifying key, and the key only a complete
item has (an item without it that matches nothing in the base is an error)."""

MAX_CHAIN = 16
"""How many bases one file may stand on (a file, its base, that base's base, ...).

Real families use one or two; the bound keeps a hostile chain from exhausting the
interpreter's stack."""

_ACCUMULATED = frozenset({"uncertain"})
_WHOLE = frozenset({"source", "audit"})
"""Tables that are replaced whole: their keys only make sense together (a version's
``audit`` restated by a file replaces the base's, evidence entries and all)."""
_EXTENDS = "extends"


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem with an ``extends`` chain, located in the file that has it."""

    source: str | None
    path: Path
    value: object
    expected: str
    code: Literal["unknown-base", "invalid-extends"] = "invalid-extends"


class ExtendsError(Exception):
    """Problems found while resolving ``extends``; they are reported together."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) resolving extends")
        self.problems = tuple(problems)


MISSING = object()
"""The value of a problem that has no value to show (a key that is absent)."""


@dataclass(frozen=True, slots=True)
class Resolved:
    """Policy data with its bases merged in, and where each value came from."""

    data: dict[str, Any]
    origins: dict[Path, Origin] = field(default_factory=dict)
    chain: tuple[str, ...] = ()

    def origin(self, path: Path) -> Origin:
        """Where the value at ``path`` (in the merged data) came from."""
        return lookup(self.origins, path)


def lookup(origins: Mapping[Path, Origin], path: Path) -> Origin:
    """The origin of ``path``: its longest recorded prefix, extended by the rest."""
    for length in range(len(path), -1, -1):
        found = origins.get(path[:length])
        if found is not None:
            source, where = found
            return source, where + path[length:]
    return None, path


Fetch = Callable[[str], Mapping[str, Any] | None]
"""Returns a base's data by its full name, or ``None`` when no base has that name."""


def resolve(
    data: Mapping[str, Any],
    *,
    fetch: Fetch,
    known: Callable[[], Sequence[str]],
    source: str | None = None,
    seen: tuple[str, ...] = (),
) -> Resolved:
    """Merge ``data`` onto the chain of bases its ``extends`` names.

    ``source`` names the file ``data`` came from (``None`` for the file being loaded);
    ``known`` lists base names for suggestions when a name is unknown.

    Raises:
        ExtendsError: a base is unknown, the chain has a cycle, or the merge finds keys
            that match nothing in the base.
    """
    if _EXTENDS not in data:
        return Resolved(dict(data), {(): (source, ())})
    name = data[_EXTENDS]
    if not isinstance(name, str) or not name.strip():
        raise ExtendsError(
            [Problem(source, (_EXTENDS,), name, "the name of a base, such as 'isc2/family'")]
        )
    full = qualify(name, referrer=source)
    here = source if source is not None else "(this file)"
    if full in seen or full == source:
        loop = " -> ".join((*seen, here, full))
        raise ExtendsError(
            [Problem(source, (_EXTENDS,), name, f"a base that does not extend itself ({loop})")]
        )
    if len(seen) >= MAX_CHAIN:
        raise ExtendsError(
            [
                Problem(
                    source,
                    (_EXTENDS,),
                    name,
                    f"a chain of at most {MAX_CHAIN} bases (this file is base number "
                    f"{len(seen) + 1} of the chain that starts at {seen[0]})",
                )
            ]
        )
    base_data = fetch(full)
    if base_data is None:
        hint = did_you_mean(full, known())
        where = (
            "a file path, relative to the file that names it, found through the bases "
            "passed to the loader"
            if full.endswith(".toml")
            else "the name of a base passed to the loader or bundled in the catalog"
        )
        raise ExtendsError(
            [Problem(source, (_EXTENDS,), name, f"{where}{hint}", code="unknown-base")]
        )
    base = resolve(base_data, fetch=fetch, known=known, source=full, seen=(*seen, here))
    child = {key: value for key, value in data.items() if key != _EXTENDS}
    merger = _Merger(base, full, source)
    merged = merger.table(base.data, child, at=(), bp=(), cp=())
    if merger.problems:
        raise ExtendsError(merger.problems)
    merger.origins[()] = (source, ())
    return Resolved(merged, merger.origins, (*base.chain, full))


def qualify(name: str, *, referrer: str | None) -> str:
    """A base's full name: a ``.toml`` path named by a ``.toml`` base is relative to it.

    >>> qualify("_isc2.toml", referrer="../shared/_security.toml")
    '../shared/_isc2.toml'
    >>> qualify("isc2/family", referrer="../shared/_security.toml")
    'isc2/family'
    """
    if name.endswith(".toml") and referrer is not None and referrer.endswith(".toml"):
        return posixpath.normpath(posixpath.join(posixpath.dirname(referrer), name))
    return name


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


class _Merger:
    """One merge of a file (the child) onto its resolved base, recording origins."""

    def __init__(self, base: Resolved, base_name: str, source: str | None) -> None:
        self.base = base
        self.base_name = base_name
        self.source = source
        self.origins: dict[Path, Origin] = {}
        self.problems: list[Problem] = []

    def carry(self, at: Path, base_path: Path) -> None:
        """The base's value at ``base_path`` lands at ``at`` unchanged."""
        self.origins[at] = self.base.origin(base_path)
        depth = len(base_path)
        for path, origin in self.base.origins.items():
            if len(path) > depth and path[:depth] == base_path:
                self.origins[at + path[depth:]] = origin

    def own(self, at: Path, child_path: Path) -> None:
        """The child's value at ``child_path`` lands at ``at``."""
        self.origins[at] = (self.source, child_path)

    def table(
        self, base: Mapping[str, Any], child: Mapping[str, Any], *, at: Path, bp: Path, cp: Path
    ) -> dict[str, Any]:
        """Merge two tables key by key; a different ``kind`` replaces the base's table."""
        self.own(at, cp)
        if "kind" in base and "kind" in child and base["kind"] != child["kind"]:
            return dict(child)
        merged: dict[str, Any] = {}
        for key, value in base.items():
            if key in child:
                merged[key] = self.value(
                    key, value, child[key], at=(*at, key), bp=(*bp, key), cp=cp
                )
            else:
                self.carry((*at, key), (*bp, key))
                merged[key] = value
        for key, value in child.items():
            if key not in base:
                self.own((*at, key), (*cp, key))
                merged[key] = value
        return merged

    def value(self, key: str, base: Any, child: Any, *, at: Path, bp: Path, cp: Path) -> Any:
        """Merge one key's values as the key's merge rule says."""
        cp = (*cp, key)
        both_lists = isinstance(base, list) and isinstance(child, list)
        if key == "versions" and both_lists and at == ("versions",):
            return self.versions(base, child, at=at, bp=bp, cp=cp)
        if key in BY_KEY and both_lists:
            return self.keyed(key, base, child, at=at, bp=bp, cp=cp)
        if key in _ACCUMULATED and both_lists:
            self.own(at, cp)
            merged = list(base)
            for index in range(len(base)):
                self.carry((*at, index), (*bp, index))
            for index, item in enumerate(child):
                if item not in merged:
                    self.own((*at, len(merged)), (*cp, index))
                    merged.append(item)
            return merged
        if isinstance(base, Mapping) and isinstance(child, Mapping) and key not in _WHOLE:
            return self.table(base, child, at=at, bp=bp, cp=cp)
        self.own(at, cp)
        return child

    def keyed(
        self, key: str, base: list[Any], child: list[Any], *, at: Path, bp: Path, cp: Path
    ) -> list[Any]:
        """Merge arrays of tables item by item, matched by their identifying key."""
        ident, complete = BY_KEY[key]
        self.own(at, cp)
        wanted: dict[object, int] = {}
        for index, item in enumerate(child):
            if isinstance(item, Mapping) and isinstance(item.get(ident), str):
                if item[ident] in wanted:
                    self.problems.append(
                        Problem(
                            self.source,
                            (*cp, index, ident),
                            item[ident],
                            f"a {ident} used once in {key} (it is also "
                            f"{key}[{wanted[item[ident]]}])",
                        )
                    )
                    continue
                wanted[item[ident]] = index
        merged: list[Any] = []
        matched: set[int] = set()
        for index, item in enumerate(base):
            name = item.get(ident) if isinstance(item, Mapping) else None
            found = wanted.get(name) if isinstance(name, str) else None
            if found is None:
                self.carry((*at, len(merged)), (*bp, index))
                merged.append(item)
            else:
                matched.add(found)
                merged.append(
                    self.table(
                        item,
                        child[found],
                        at=(*at, len(merged)),
                        bp=(*bp, index),
                        cp=(*cp, found),
                    )
                )
        names = [i[ident] for i in base if isinstance(i, Mapping) and isinstance(i.get(ident), str)]
        for index, item in enumerate(child):
            if index in matched:
                continue
            if (
                complete is not None
                and isinstance(item, Mapping)
                and isinstance(item.get(ident), str)
                and complete not in item
            ):
                self.problems.append(
                    Problem(
                        self.source,
                        (*cp, index, ident),
                        item[ident],
                        f"the {ident} of an item of {key} in {self.base_name} to extend"
                        f"{did_you_mean(item[ident], names)}, or a complete item "
                        f"with a {complete}",
                    )
                )
                continue
            self.own((*at, len(merged)), (*cp, index))
            merged.append(item)
        return merged

    def versions(
        self, base: list[Any], child: list[Any], *, at: Path, bp: Path, cp: Path
    ) -> list[Any]:
        """Each version extends the base version in force on its ``effective_from``."""
        self.own(at, cp)
        spans: list[tuple[dt.date, dt.date | None]] = []
        for index, item in enumerate(base):
            start = _date(item.get("effective_from")) if isinstance(item, Mapping) else None
            if start is None:
                self.problems.append(
                    Problem(
                        self.base_name,
                        (*bp, index, "effective_from"),
                        item.get("effective_from", MISSING) if isinstance(item, Mapping) else item,
                        "a version of a base with an effective_from date",
                    )
                )
                return list(child)
            spans.append((start, _date(item.get("effective_until"))))
        starts: list[dt.date] = []
        for index, item in enumerate(child):
            start = _date(item.get("effective_from")) if isinstance(item, Mapping) else None
            if start is None:
                value = item.get("effective_from", MISSING) if isinstance(item, Mapping) else item
                self.problems.append(
                    Problem(
                        self.source,
                        (*cp, index, "effective_from"),
                        value,
                        "an effective_from date: it chooses the version of "
                        f"{self.base_name} this version extends",
                    )
                )
                return list(child)
            starts.append(start)
        merged: list[Any] = []
        first: dt.date | None = None
        for index, (item, start) in enumerate(zip(child, starts, strict=True)):
            extended = _in_force(spans, start)
            if extended is None:
                listed = ", ".join(f"{s}..{u}" if u is not None else f"from {s}" for s, u in spans)
                self.problems.append(
                    Problem(
                        self.source,
                        (*cp, index, "effective_from"),
                        start,
                        f"a date on which a version of {self.base_name} is in force ({listed})",
                    )
                )
                continue
            first = start if first is None else min(first, start)
            merged.append(
                self.table(
                    base[extended], item, at=(*at, index), bp=(*bp, extended), cp=(*cp, index)
                )
            )
        last_until = _date(child[-1].get("effective_until")) if child else None
        for start, _ in spans:
            later = first is not None and start > first
            covered = last_until is None or start <= last_until
            if later and covered and start not in starts:
                self.problems.append(
                    Problem(
                        self.source,
                        cp,
                        MISSING,
                        f"a version with effective_from = {start}: {self.base_name} has a "
                        "version from that day, and a file must extend each version of its "
                        "base from its own first version on (or end before it with "
                        "effective_until)",
                    )
                )
        return merged


def _in_force(spans: Sequence[tuple[dt.date, dt.date | None]], day: dt.date) -> int | None:
    """The index of the last span in force on ``day``."""
    found = None
    for index, (start, until) in enumerate(spans):
        if start <= day and (until is None or day <= until):
            found = index
    return found
