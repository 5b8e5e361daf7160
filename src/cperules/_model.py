"""The base of every cperules value: frozen, strict about keys, with a sparse repr.

Each model builds its validator when it is first used, not when its module is imported
(pydantic's ``defer_build``): importing cperules and reading the bundled catalog, which is
rebuilt from precompiled objects (see :mod:`cperules._compiled_catalog`), then builds none,
and a program pays for the validators of the models it validates only. A class default
that is itself a model is made with :func:`class_default`, which builds no validator
either.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Any, NoReturn, TypeVar

from pydantic import BaseModel, ConfigDict

__all__ = [
    "FrozenDict",
    "FrozenModel",
    "ResultModel",
    "class_default",
    "freeze_mapping",
    "maker",
    "new_tuple",
    "render",
    "trusted",
    "validating",
]

_K = TypeVar("_K")
_V = TypeVar("_V")
_M = TypeVar("_M", bound=BaseModel)


class FrozenModel(BaseModel):
    """An immutable pydantic model that forbids unknown keys.

    Its repr shows only the fields that differ from their defaults, so that it reads like
    the call that made the value.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        validate_default=False,
        allow_inf_nan=False,
        # Validators are built on first use (module docstring): start-up builds none.
        defer_build=True,
    )

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        fields = type(self).model_fields
        for name, value in super().__repr_args__():
            field = fields.get(name) if name is not None else None
            if field is not None and not field.is_required():
                default = field.get_default(call_default_factory=True, validated_data={})
                if value == default:
                    continue
            yield name, value


class ResultModel(FrozenModel):
    """A result that keeps its inputs privately (for ``remaining()``, ``what_if()``).

    Equality and hashing look at the public fields only, so that two results of the same
    evaluation are equal however they were made.
    """

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash(tuple(self.__dict__.values()))


def class_default(model: type[_M]) -> _M:
    """``model()``, every field at its default, made without running the model's validator.

    For a field's class-level default (``selector: Selector = class_default(Everything)``):
    validating would build the model's validator when the module is imported, which is
    what deferring the build avoids. Defaults are not validated anyway
    (``validate_default=False``), so the value is the one ``model()`` gives (a test checks
    every such default against ``model()``).

    >>> class Point(FrozenModel):
    ...     x: int = 0
    >>> class_default(Point) == Point(), class_default(Point).model_fields_set
    (True, set())
    """
    return model.model_construct()


class FrozenDict(dict[_K, _V]):
    """A dict that refuses mutation and hashes by content, for mappings inside values.

    >>> d = FrozenDict({"A": 1})
    >>> d["B"] = 2
    Traceback (most recent call last):
    ...
    TypeError: FrozenDict is immutable
    """

    __slots__ = ()

    def _immutable(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("FrozenDict is immutable")

    __setitem__ = _immutable
    __delitem__ = _immutable
    __ior__ = _immutable
    clear = _immutable
    pop = _immutable
    popitem = _immutable
    setdefault = _immutable
    update = _immutable

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def __reduce__(self) -> tuple[type[FrozenDict[_K, _V]], tuple[dict[_K, _V]]]:
        # Copying and pickling rebuild the mapping whole, never item by item.
        return (type(self), (dict(self),))

    def __repr__(self) -> str:
        return f"{dict(self)!r}"


def freeze_mapping(value: dict[_K, _V]) -> FrozenDict[_K, _V]:
    """Return ``value`` as a :class:`FrozenDict` (a pydantic after-validator helper).

    >>> freeze_mapping({"a": 1})
    {'a': 1}
    """
    return value if isinstance(value, FrozenDict) else FrozenDict(value)


def render(view: str, value: object, /, *args: object, **options: object) -> Any:
    """Draw ``value`` with the function ``view`` of :mod:`cperules.render`.

    Rendering is the layer above every value it draws, so no value module imports it:
    ``str()``, ``_repr_html_``, ``to_records()`` and ``plot()`` name the view they need
    and the rendering package is found by name when one is first asked for (start-up
    cost: a program that never shows a result never loads it).
    """
    module = importlib.import_module("cperules.render")
    return getattr(module, view)(value, *args, **options)


_TEMPLATES: dict[type[BaseModel], dict[str, Any]] = {}
"""Per model class, its fields in order with their defaults (required ones: None)."""

_new = object.__new__
_set = object.__setattr__

new_tuple = tuple.__new__
"""``new_tuple(Named, fields)`` is ``Named(*fields)`` for a named tuple class given every
field in order, without the Python frame of the class's generated constructor (defaults
are not filled in): for the tuples the engine's hot paths make per cycle."""

_SLOTS: dict[str, Any] = {
    name: BaseModel.__dict__[name]
    for name in (
        "__dict__",
        "__pydantic_fields_set__",
        "__pydantic_extra__",
        "__pydantic_private__",
    )
}
"""BaseModel's descriptors of the instance state a model made without validating sets."""


class _Validating:
    """Whether :func:`trusted` validates after all (a switch for tests; off by default)."""

    on = False


validating = _Validating()
"""Set ``validating.on = True`` to make :func:`trusted` validate like the constructor."""


def trusted(cls: type[_M], /, **values: Any) -> _M:
    """An instance of ``cls`` from ``values`` already valid, built without validating them.

    For the engine's results, whose every field it produces itself with the right type:
    the instance is the one ``cls(**values)`` would give (the same fields in the same
    order, the same fields set, defaults for the others; no default factory, no private
    attributes, no validator that changes a value), made faster. With
    :data:`validating` on, it is ``cls(**values)``, so tests can compare the two.

    >>> from decimal import Decimal
    >>> from cperules.results import Part
    >>> made = trusted(Part, reason="counted", credits=Decimal("2.5"))
    >>> made == Part(reason="counted", credits=Decimal("2.5")), sorted(made.model_fields_set)
    (True, ['credits', 'reason'])
    """
    if validating.on:
        return cls(**values)
    template = _TEMPLATES.get(cls)
    if template is None:
        template = _TEMPLATES[cls] = {
            name: None if field.is_required() else field.get_default(call_default_factory=True)
            for name, field in cls.model_fields.items()
        }
    model = _new(cls)
    data = template.copy()
    data.update(values)
    _set(model, "__dict__", data)
    _set(model, "__pydantic_fields_set__", set(values))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", None)
    return model


def maker(cls: type[_M], /) -> Callable[..., _M]:
    """A fast :func:`trusted` for ``cls`` given every field, positionally in field order.

    The instance ``maker(cls)(*values)`` is ``trusted(cls, **dict(zip(fields, values)))``
    (every field set), made without merging defaults: for the results the engine builds
    once per activity. With :data:`validating` on, it is the validated constructor. The
    instances it makes share one set of the fields given (it names every field, so
    pydantic never changes it in place; a copy gets its own).

    >>> from decimal import Decimal
    >>> from cperules.results import Part
    >>> part = maker(Part)("counted", Decimal("2.5"), "A", None, None)
    >>> part == Part(reason="counted", credits=Decimal("2.5"), category="A", rule=None,
    ...              note=None)
    True
    >>> sorted(part.model_fields_set)
    ['category', 'credits', 'note', 'reason', 'rule']
    """
    names = tuple(cls.model_fields)
    if not all(name.isidentifier() for name in names):  # pragma: no cover - never so
        raise TypeError(f"{cls.__name__}: a field name that is not an identifier")
    # The function is written out, as dataclasses write their __init__: a dict display
    # of the arguments is several times faster than building it from pairs.
    arguments = ", ".join(f"_{name}" for name in names)
    display = ", ".join(f"{name!r}: _{name}" for name in names)
    source = (
        f"def make({arguments}):\n"
        f"    data = {{{display}}}\n"
        "    if validating.on:\n"
        "        return cls(**data)\n"
        "    model = new(cls)\n"
        "    put_dict(model, data)\n"
        "    put_set(model, given)\n"
        "    put_extra(model, None)\n"
        "    put_private(model, None)\n"
        "    return model\n"
    )
    # The slots are set through their descriptors, found once (BaseModel's own: no
    # model class overrides them), rather than looked up on each instance's class.
    scope: dict[str, Any] = {
        "cls": cls,
        # One set of the fields given, shared by every instance made here (as laid-out
        # periods and cycles share theirs): it names every field, so pydantic's own
        # paths never change it (setting a field adds a name already in it; a copy
        # gets a set of its own), and each instance is some 200 bytes smaller.
        "given": set(names),
        "new": _new,
        "put_dict": _SLOTS["__dict__"].__set__,
        "put_set": _SLOTS["__pydantic_fields_set__"].__set__,
        "put_extra": _SLOTS["__pydantic_extra__"].__set__,
        "put_private": _SLOTS["__pydantic_private__"].__set__,
        "validating": validating,
    }
    # Named for tracebacks and profiles (each maker's code apart from the others').
    code = compile(source, f"<cperules: make {cls.__name__}>", "exec")
    exec(code, scope)  # the source is made above from the model's field names
    make: Callable[..., _M] = scope["make"]
    make.__doc__ = f"A trusted {cls.__name__} from every field, in field order."
    return make
