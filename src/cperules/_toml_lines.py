"""Where a key of a TOML text is: the line that holds a key path, for located errors.

The standard library's ``tomllib`` gives values without positions, so a problem found
after parsing (an unknown key, a value of the wrong kind) is located here by reading the
text once more: table headers (``[a]``, ``[[a.b]]``), keys (``a.b = ...``) and the items of
arrays that span several lines (one item per line, as the catalog writes its
``activities``). A path that cannot be found exactly is located at its nearest
enclosing key or table.

>>> text = '''id = "x/y"
... [[versions]]
... effective_from = 2024-01-01
... [[versions.rules]]
... kind = "minimum"
... credit = 40
... '''
>>> line_of(text, ("versions", 0, "rules", 0, "credit"))
6
>>> line_of(text, ("versions", 0, "rules", 0, "selector", "kind"))
4
>>> line_of(text, ("nowhere",)) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["KeyPath", "key_lines", "line_of"]

KeyPath = tuple[str | int, ...]
"""A path of keys and list indices into parsed TOML (``("versions", 0, "rules", 2)``)."""

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_NAME = r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'"""
_KEY = re.compile(rf"^\s*((?:{_NAME})(?:\s*\.\s*(?:{_NAME}))*)\s*=")
_PART = re.compile(_NAME)


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in _PART.findall(dotted))


def key_lines(text: str) -> dict[KeyPath, int]:  # noqa: PLR0912 - one pass over the lines
    r"""Every key path the text spells out, mapped to its (1-based) line.

    >>> lines = key_lines('[[a]]\nb = 1\n[[a]]\nb = [\n  1,\n  2,\n]\n')
    >>> lines[("a", 1, "b")], lines[("a", 1, "b", 1)]
    (4, 6)
    """
    found: dict[KeyPath, int] = {}
    counts: dict[KeyPath, int] = {}  # array-of-tables path (concrete) -> items seen
    latest: dict[tuple[str, ...], int] = {}  # array-of-tables name path -> current index
    table: KeyPath = ()
    array: KeyPath | None = None  # the multi-line array being read, and its state
    depth = 0
    item = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if array is not None:
            stripped = line.strip()
            if depth == 1 and stripped and not stripped.startswith(("#", "]")):
                found.setdefault((*array, item), number)
            depth, item = _scan(line, depth, item)
            if depth <= 0:
                array = None
            continue
        header = _HEADER.match(line)
        if header is not None:
            names = _parts(header.group(2))
            concrete: list[str | int] = []
            for length in range(1, len(names)):
                concrete.append(names[length - 1])
                if names[:length] in latest:
                    concrete.append(latest[names[:length]])
            concrete.append(names[-1])
            if header.group(1) == "[[":
                array_path = tuple(concrete)
                index = counts.get(array_path, 0)
                counts[array_path] = index + 1
                latest[names] = index
                # a new item starts afresh: forget the indices of arrays nested in the old one
                for name in [n for n in latest if n[: len(names)] == names and n != names]:
                    del latest[name]
                table = (*array_path, index)
            else:
                table = tuple(concrete)
            found.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key is None:
            continue
        path = (*table, *_parts(key.group(1)))
        found.setdefault(path, number)
        rest = line[key.end() :]
        if rest.lstrip().startswith("["):
            depth, item = _scan(rest, 0, 0)
            if depth > 0:
                array = path
    return found


def _scan(text: str, depth: int, item: int) -> tuple[int, int]:
    """Bracket depth and top-level item count after ``text`` (strings and comments skipped)."""
    quote = ""
    index = 0
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == "," and depth == 1:
            item += 1
        index += 1
    return depth, item


def line_of(
    text: str, path: Sequence[str | int], *, lines: dict[KeyPath, int] | None = None
) -> int | None:
    """The line of ``path`` in ``text``, or of its nearest enclosing key; None if none is found.

    ``lines`` may pass :func:`key_lines` of the same text, worked out once for many paths.
    """
    known = key_lines(text) if lines is None else lines
    keys = tuple(path)
    for length in range(len(keys), 0, -1):
        number = known.get(keys[:length])
        if number is not None:
            return number
    return None
