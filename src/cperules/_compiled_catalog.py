"""The bundled catalog precompiled: each entry's validated certification, ready to rebuild.

Reading TOML (the standard library's parser is pure Python), merging ``extends`` chains
and validating the merged data with the models cost most of the time it takes to load
every bundled certification. The catalog's own files do not change between releases, so
``make catalog-table`` writes the certification each entry's file loads to (every model
with its field values, the fields its text set and its private state) to
``catalogs/_compiled.json`` (shipped in the wheel), and :mod:`cperules.catalog` rebuilds
those objects instead of parsing, merging and validating the text again.

The file is a table of nodes (a model, a tuple, a mapping, a decimal, a date or an int),
each part given once for the whole catalog: parts that are equal (the same citation, the
same ``everything()`` selector, the same measure in many entries) are one node and, once
rebuilt, one object, as immutable values may be. A node names the nodes it is made of by
their place in the table, which always comes first. A node is a JSON array whose first
item says what it is: a model's shape (a number from 0: ``[shape, value, ...]``, its
field values in order), or a negative tag: ``[-1, shape, private, value, ...]`` (a model
with private state), ``[-2, item, ...]`` (a tuple), ``[-3, {key: value}]`` (a mapping),
``[-4, int]``, ``[-5, "decimal"]``, ``[-6, "date"]``. Arrays rather than tagged objects:
the file is read at every start-up of a program that loads the catalog, and arrays are
the faster to parse and to rebuild.

Nothing is trusted blindly:

- an entry is compiled only when the objects rebuilt from its nodes equal, field for
  field and type for type (the fields its text set and private state included), what
  :func:`~cperules.policy_format.load_certification` makes of its text: every check of
  the format and every validator of the models ran on that;
- each compiled entry records a digest of its own text and of every base it extends; an
  entry whose files no longer match (a catalog file edited since, a test that swaps the
  texts) is loaded from its text as before;
- the file records each model's fields: when a model's fields are not those any more (the
  file was written by another version of cperules), no entry is rebuilt from it;
- ``tests/catalog`` checks that the committed file is what the current code makes of the
  current texts, so a change to a validator cannot leave stale objects behind.

A policy file of the user's own never comes here: it is always parsed and checked in full.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from typing import Any

from cperules import _bundled
from cperules._model import FrozenDict, FrozenModel
from cperules.policy import Certification

__all__ = ["FILE", "FORMAT", "certification", "compile_catalog", "entry_aliases"]

FILE = "_compiled.json"
"""The compiled catalog's file name, beside the catalog's folders."""

FORMAT = 3
"""The layout of the compiled file; a file of another layout is ignored."""

# A node's first item: a model's shape (from 0), or one of these tags (module docstring).
_PRIVATE_MODEL = -1
_TUPLE_NODE = -2
_FROZEN_NODE = -3
_INT_NODE = -4
_DECIMAL_NODE = -5
_DATE_NODE = -6

_DATE = "$date"
_DECIMAL = "$decimal"

_Shape = tuple[type[FrozenModel], tuple[str, ...], frozenset[str]]
"""A model, its field names in order, and the fields a node of this shape had set."""

_set_attribute = object.__setattr__


class _Unreadable(Exception):
    """The file's nodes do not describe the current models (or are not nodes at all)."""


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
        hasher.update(_file_digest(path, text))
        hasher.update(b"\0")
    return hasher.hexdigest()


_FILE_DIGESTS: dict[str, tuple[str, bytes]] = {}
"""Each file's text when last digested and its digest: a base that many entries extend
is digested once, not once for each of them."""


def _file_digest(path: str, text: str) -> bytes:
    """The SHA-256 digest of ``text`` (the file ``path``'s), kept while the text is the same."""
    known = _FILE_DIGESTS.get(path)
    if known is not None and known[0] == text:
        return known[1]
    found = hashlib.sha256(text.encode()).digest()
    _FILE_DIGESTS[path] = (text, found)
    return found


def _base_path(name: str) -> str:
    folder, _, short = name.rpartition("/")
    return f"{folder}/{_bundled.BASE}{short}.toml" if folder else f"{_bundled.BASE}{short}.toml"


class _Nodes:
    """A compiled file's node table, rebuilt into objects when an entry is first asked for."""

    def __init__(self, compiled: Mapping[str, Any]) -> None:
        self._compiled = compiled
        self._objects: list[object] | None = None

    def get(self, index: object) -> object:
        """The object node ``index`` stands for; ``None`` when the file cannot be read."""
        if self._objects is None:
            try:
                shapes = _shapes(self._compiled.get("models"), self._compiled.get("shapes"))
                self._objects = _rebuild(self._compiled.get("nodes"), shapes)
            except (_Unreadable, LookupError, TypeError, ValueError, ArithmeticError):
                self._objects = []
        if type(index) is not int or not 0 <= index < len(self._objects):
            return None
        return self._objects[index]


@cache
def _entries() -> dict[str, dict[str, Any]]:
    """The compiled entries by id; empty when the file is absent or of another layout.

    Each entry's ``"nodes"`` is the file's node table, which its ``"value"`` indexes.
    """
    text = _bundled.package_text(FILE)
    if text is None:
        return {}
    compiled = json.loads(text)
    if not isinstance(compiled, dict) or compiled.get("format") != FORMAT:
        return {}
    entries = compiled.get("entries")
    if not isinstance(entries, dict):
        return {}
    nodes = _Nodes(compiled)
    for entry in entries.values():
        entry["nodes"] = nodes
    return entries


def _fresh(certification_id: str, texts: Mapping[str, str]) -> dict[str, Any] | None:
    entry = _entries().get(certification_id)
    if entry is None:
        return None
    chain = tuple(entry["chain"])
    return entry if digest(certification_id, chain, texts) == entry["digest"] else None


def certification(certification_id: str, texts: Mapping[str, str]) -> Certification | None:
    """The entry rebuilt from its compiled nodes, or ``None`` when it is not current.

    ``texts`` are the catalog's files as they are now: an entry compiled from other texts
    (or by a cperules whose models had other fields) is not used; the caller loads it from
    its text.
    """
    entry = _fresh(certification_id, texts)
    if entry is None:
        return None
    value = entry["nodes"].get(entry["value"])
    return value if type(value) is Certification else None


def entry_aliases(certification_id: str, texts: Mapping[str, str]) -> tuple[str, ...] | None:
    """The aliases the entry's certification has, without rebuilding it; ``None`` if stale."""
    entry = _fresh(certification_id, texts)
    return None if entry is None else tuple(entry["aliases"])


def _model_class(key: str) -> type[FrozenModel] | None:
    """The cperules model named ``module:Qualname``, or ``None`` when there is none."""
    module_name, _, qualname = key.partition(":")
    if not module_name.startswith("cperules.") or not qualname:
        return None
    try:
        found: object = importlib.import_module(module_name)
        for part in qualname.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError):
        return None
    return found if isinstance(found, type) and issubclass(found, FrozenModel) else None


def _model_key(model: type[FrozenModel]) -> str:
    return f"{model.__module__}:{model.__qualname__}"


def _shapes(models: object, shapes: object) -> list[_Shape]:
    """Each recorded shape with its model, checked against the model as it is now."""
    if not isinstance(models, list) or not isinstance(shapes, list):
        raise _Unreadable("no models")
    classes: list[tuple[type[FrozenModel], tuple[str, ...]]] = []
    for key, names in models:
        model = _model_class(key)
        if model is None or tuple(model.__pydantic_fields__) != tuple(names):
            raise _Unreadable(key)
        classes.append((model, tuple(names)))
    found: list[_Shape] = []
    for model_index, unset in shapes:
        model, names = classes[model_index]
        found.append((model, names, frozenset(names).difference(unset)))
    return found


def _rebuild(nodes: object, shapes: list[_Shape], before: tuple[object, ...] = ()) -> list[object]:
    """The object each node stands for (in the table's order: parts come first).

    In a node's fields, items and values an int is the index of another node (counting
    the objects ``before`` the first); a string, a bool or null is itself.
    """
    if not isinstance(nodes, list):
        raise _Unreadable("no nodes")
    objects: list[object] = list(before)
    add = objects.append
    new = object.__new__
    for node in nodes:
        tag = node[0]
        if type(tag) is not int:
            raise _Unreadable("not a node")
        if tag >= 0 or tag == _PRIVATE_MODEL:
            if tag >= 0:
                model, names, fields_set = shapes[tag]
                private, values = None, node[1:]
            else:
                model, names, fields_set = shapes[node[1]]
                private, values = node[2], node[3:]
                if type(private) is not dict:
                    raise _Unreadable(model.__name__)
            if len(values) != len(names):
                raise _Unreadable(model.__name__)
            instance = new(model)
            # What BaseModel.model_construct does, every field being recorded.
            fields = {
                name: objects[v] if type(v) is int else v
                for name, v in zip(names, values, strict=True)
            }
            _set_attribute(instance, "__dict__", fields)
            _set_attribute(instance, "__pydantic_fields_set__", set(fields_set))
            _set_attribute(instance, "__pydantic_extra__", None)
            _set_attribute(instance, "__pydantic_private__", private)
            add(instance)
        elif tag == _TUPLE_NODE:
            add(tuple([objects[v] if type(v) is int else v for v in node[1:]]))
        else:
            add(_single(node, objects))
    return objects[len(before) :]


def _single(node: list[Any], objects: list[object]) -> object:
    """What a node of a tag and one value stands for: a mapping, an int, a decimal, a date."""
    tag, value = node  # a node of another length is no such node: ValueError
    if tag == _FROZEN_NODE and type(value) is dict:
        return FrozenDict({k: objects[v] if type(v) is int else v for k, v in value.items()})
    if tag == _INT_NODE and type(value) is int:
        return value
    if tag == _DECIMAL_NODE and type(value) is str:
        return _decode({_DECIMAL: value})
    if tag == _DATE_NODE and type(value) is str:
        return _decode({_DATE: value})
    raise _Unreadable("not a node")


def compile_catalog(texts: Mapping[str, str], ids: tuple[str, ...]) -> str:
    """The compiled file's text for the catalog ``texts`` (as ``make catalog-table`` writes it).

    An entry whose nodes would not rebuild to exactly what its text loads to is left out
    (it is then always loaded from its text).
    """
    # Imported here: only compiling needs the format's parser and merge.
    from cperules.policy_format import _resolve, load_certification, parse_toml  # noqa: PLC0415

    table = _Table()
    entries: dict[str, Any] = {}
    for certification_id in ids:
        text = texts[f"{certification_id}.toml"]
        resolved = _resolve(parse_toml(text), None, where=certification_id)
        loaded = load_certification(text)
        index = table.add(loaded)
        if index is None:
            continue
        rebuilt = table.objects[index]
        if not _same(rebuilt, loaded) or not isinstance(rebuilt, Certification):
            table.rollback()
            continue
        if not _same_certification(rebuilt, loaded):
            table.rollback()
            continue
        table.commit()
        entries[certification_id] = {
            "digest": digest(certification_id, resolved.chain, texts),
            "chain": list(resolved.chain),
            "aliases": list(loaded.aliases),
            "value": index,
        }

    def dumps(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    lines = [f'{{"format": {FORMAT},', f'"models": {dumps(table.models)},']
    lines.append(f'"shapes": {dumps(table.shapes)},')
    lines.append('"nodes": [')
    lines.append(",\n".join(dumps(node) for node in table.nodes))
    lines.append("],")
    lines.append('"entries": {')
    lines.append(",\n".join(f"{dumps(key)}: {dumps(value)}" for key, value in entries.items()))
    lines.append("}}")
    return "\n".join(lines) + "\n"


class _Table:
    """The node table being compiled: each distinct part once, parts before what holds them.

    An entry's nodes are added, rebuilt (through JSON, as the file will be read) and
    checked, then committed, or rolled back when the entry is left out.
    """

    def __init__(self) -> None:
        self.models: list[list[object]] = []
        self.shapes: list[list[object]] = []
        self.nodes: list[list[Any]] = []
        self.objects: list[object] = []
        self._model_index: dict[type[FrozenModel], int] = {}
        self._shape_index: dict[tuple[int, tuple[int, ...]], int] = {}
        self._node_index: dict[str, int] = {}
        self._committed = (0, 0, 0)

    def add(self, value: object) -> int | None:
        """The index of the node ``value`` is (added with its parts), ``None`` if it cannot be.

        The new nodes are rebuilt at once; :meth:`commit` keeps them.
        """
        index = self._node(value)
        if index is None:
            self.rollback()
            return None
        first = len(self.objects)
        try:
            shapes = _shapes(self.models, self.shapes)
            fresh = json.loads(json.dumps(self.nodes[first:], ensure_ascii=False))
            self.objects += _rebuild(fresh, shapes, tuple(self.objects))
        except (_Unreadable, LookupError, TypeError, ValueError, ArithmeticError):
            self.rollback()
            return None
        return index

    def commit(self) -> None:
        self._committed = (len(self.models), len(self.shapes), len(self.nodes))

    def rollback(self) -> None:
        models, shapes, nodes = self._committed
        for model in [m for m, i in self._model_index.items() if i >= models]:
            del self._model_index[model]
        for shape in [s for s, i in self._shape_index.items() if i >= shapes]:
            del self._shape_index[shape]
        for key in [k for k, i in self._node_index.items() if i >= nodes]:
            del self._node_index[key]
        del self.models[models:], self.shapes[shapes:], self.nodes[nodes:], self.objects[nodes:]

    def _node(self, value: object) -> int | None:
        node: list[Any] | None = None
        if type(value) is int:
            node = [_INT_NODE, value]
        elif type(value) in (Decimal, dt.date):
            encoded = _encode(value)
            if isinstance(encoded, dict):
                tag = _DECIMAL_NODE if _DECIMAL in encoded else _DATE_NODE
                node = [tag, *encoded.values()]
        elif type(value) is tuple:
            items = [self._item(item) for item in value]
            node = None if _CANNOT in items else [_TUPLE_NODE, *items]
        elif type(value) is FrozenDict and all(type(key) is str for key in value):
            table = {key: self._item(item) for key, item in value.items()}
            node = None if _CANNOT in table.values() else [_FROZEN_NODE, table]
        elif isinstance(value, FrozenModel):
            node = self._model_node(value)
        if node is None:
            return None
        key = json.dumps(node, ensure_ascii=False, sort_keys=True)
        index = self._node_index.get(key)
        if index is None:
            index = self._node_index[key] = len(self.nodes)
            self.nodes.append(node)
        return index

    def _item(self, value: object) -> object:
        """A field's, item's or value's place in a node: itself, or its node's index."""
        if value is None or type(value) in (str, bool):
            return value
        index = self._node(value)
        return _CANNOT if index is None else index

    def _model_node(self, value: FrozenModel) -> list[Any] | None:
        model = type(value)
        names = tuple(model.__pydantic_fields__)
        private = value.__pydantic_private__
        if (
            tuple(value.__dict__) != names
            or value.__pydantic_extra__ is not None
            or _model_class(_model_key(model)) is not model
            or not value.__pydantic_fields_set__ <= set(names)
            or (private is not None and not _plain(private))
        ):
            return None
        items = [self._item(value.__dict__[name]) for name in names]
        if _CANNOT in items:
            return None
        model_index = self._model_index.get(model)
        if model_index is None:
            model_index = self._model_index[model] = len(self.models)
            self.models.append([_model_key(model), list(names)])
        unset = tuple(
            i for i, name in enumerate(names) if name not in value.__pydantic_fields_set__
        )
        shape = self._shape_index.get((model_index, unset))
        if shape is None:
            shape = self._shape_index[(model_index, unset)] = len(self.shapes)
            self.shapes.append([model_index, [names[i] for i in unset]])
        if private is not None:
            return [_PRIVATE_MODEL, shape, dict(private), *items]
        return [shape, *items]


_CANNOT = object()
"""What :meth:`_Table._item` gives for a value that no node can hold exactly."""


def _plain(mapping: Mapping[str, object]) -> bool:
    """A mapping of names to strings, ints, bools and nulls (JSON keeps those as they are)."""
    return all(
        type(key) is str and (item is None or type(item) in (str, int, bool))
        for key, item in mapping.items()
    )


def _same_certification(one: Certification, other: Certification) -> bool:
    """Equal values of the same types throughout (``Decimal(3) == 3``, so repr too)."""
    return one == other and repr(one) == repr(other) and one.model_dump() == other.model_dump()


def _same(one: object, other: object) -> bool:
    """Equal data of the same types throughout, models' fields set and private state included."""
    if type(one) is not type(other):
        return False
    if isinstance(one, FrozenModel) and isinstance(other, FrozenModel):
        return (
            one.__pydantic_fields_set__ == other.__pydantic_fields_set__
            and _same(one.__pydantic_extra__, other.__pydantic_extra__)
            and _same(one.__pydantic_private__, other.__pydantic_private__)
            and _same(one.__dict__, other.__dict__)
        )
    if isinstance(one, dict) and isinstance(other, dict):
        return one.keys() == other.keys() and all(_same(one[k], other[k]) for k in one)
    if isinstance(one, list | tuple) and isinstance(other, list | tuple):
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
