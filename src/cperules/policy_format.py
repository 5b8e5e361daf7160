"""The policy file format: TOML text in, a validated Certification out, and back.

A policy file is TOML read with the standard library's :mod:`tomllib` (numbers with a
fraction become exact decimals, never floats) and validated by the same models users
build in Python, so a policy written in Python and one loaded from text are equal
values. Every problem is reported with the certification id, the key path
(``versions[0].rules[2].credts``), the bad value, what was expected and, where a close
name exists, a suggestion.

>>> text = '''
... id = "example/cert"
... name = "Example"
... body = "Example body"
... unit = "CPE"
...
... [[versions]]
... effective_from = 2024-01-01
... cycle = { kind = "anniversary", years = 3 }
...
... [[versions.rules]]
... kind = "minimum"
... id = "total"
... credits = 120
... '''
>>> cert = load_certification(text)
>>> cert.versions[0].rules[0]
Minimum(id='total', credits=Decimal('120'))
>>> load_certification(dump_certification(cert)) == cert
True
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections.abc import Iterator, Mapping
from decimal import Decimal
from functools import cache
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from cperules.errors import CperulesError, did_you_mean, expected_in_words
from cperules.policy import Certification

__all__ = [
    "PolicyFormatError",
    "PolicyProblem",
    "certification_from_data",
    "dump_certification",
    "json_schema",
    "load_certification",
    "located",
    "parse_toml",
]


class PolicyProblem:
    """One located problem in a policy file.

    >>> str(PolicyProblem("isc2/cissp", "versions[0].rules[2].credts", 120, "a known key (did you mean 'credits'?)"))
    "isc2/cissp: versions[0].rules[2].credts: got 120; expected a known key (did you mean 'credits'?)"
    """  # noqa: E501

    __slots__ = ("certification", "expected", "path", "value")

    def __init__(self, certification: str | None, path: str, value: object, expected: str) -> None:
        self.certification = certification
        self.path = path
        self.value = value
        self.expected = expected

    @property
    def version(self) -> int | None:
        """The index of the policy version the problem is in, if it is in one."""
        match = re.match(r"versions\[(\d+)\]", self.path)
        return int(match.group(1)) if match else None

    def __str__(self) -> str:
        where = f"{self.certification}: " if self.certification else ""
        path = f"{self.path}: " if self.path else ""
        shown = "" if self.value is _MISSING else f"got {_short(self.value)}; "
        return f"{where}{path}{shown}expected {self.expected}"

    def __repr__(self) -> str:
        fields = (self.certification, self.path, self.value, self.expected)
        return f"PolicyProblem({', '.join(repr(field) for field in fields)})"


def _short(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class PolicyFormatError(CperulesError, ValueError):
    """A policy text is not valid TOML, or not a valid certification; ``problems`` locates each.

    ``code`` is ``policy-syntax`` for TOML syntax errors (including a key given twice) and
    ``invalid-policy`` otherwise.
    """

    problems: tuple[PolicyProblem, ...]

    def __init__(self, problems: list[PolicyProblem], *, syntax: bool = False) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the policy:\n{lines}",
            code="policy-syntax" if syntax else "invalid-policy",
        )


_MISSING = object()


def load_certification(text: str) -> Certification:
    """Parse and validate a policy file's TOML text (no file access).

    Raises:
        PolicyFormatError: the text is not TOML, or not a valid certification. Every
            problem is listed with its key path, value, expectation and a suggestion.
    """
    return certification_from_data(parse_toml(text))


def parse_toml(text: str) -> dict[str, Any]:
    """TOML text as data, with numbers that have a fraction read as exact decimals.

    Raises:
        PolicyFormatError: ``policy-syntax``, with the line and column (a key given twice
            is a syntax error in TOML).
    """
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        problem = PolicyProblem(None, "", _MISSING, f"valid TOML ({error})")
        raise PolicyFormatError([problem], syntax=True) from None


def certification_from_data(data: Mapping[str, Any]) -> Certification:
    """Validate plain data (from TOML or JSON) into a certification, with located errors."""
    try:
        return Certification.model_validate(data)
    except ValidationError as error:
        certification = data.get("id") if isinstance(data.get("id"), str) else None
        raise PolicyFormatError(located(error, data, where=certification)) from None


def located(
    error: ValidationError,
    data: Mapping[str, Any],
    *,
    where: str | None,
    model: type[BaseModel] = Certification,
) -> list[PolicyProblem]:
    """Pydantic's errors for ``data`` (validated as ``model``) as located problems.

    Each names ``where`` (a certification id or a file), the key path as the file spells
    it, the value, what was expected in words, and the closest known key or kind.
    """
    details = error.errors(include_url=False)
    # A list whose items failed is also reported as too short; the items say why.
    failed = {detail["loc"][:1] for detail in details if len(detail["loc"]) > 1}
    return [
        _locate(where, data, detail, model)
        for detail in details
        if not (detail["type"] == "too_short" and detail["loc"][:1] in failed)
    ]


def _locate(
    certification: str | None, data: Mapping[str, Any], detail: Any, model: type[BaseModel]
) -> PolicyProblem:
    path, value = _walk(data, detail["loc"])
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    if kind == "extra_forbidden":
        key = path.rsplit(".", 1)[-1]
        return PolicyProblem(
            certification, path, value, f"a known key{did_you_mean(key, _field_names(model))}"
        )
    if kind == "union_tag_invalid":
        tags = re.findall(r"'([^']*)'", str(ctx.get("expected_tags", "")))
        tag = ctx.get("tag")
        expected = f"a kind among {', '.join(tags)}{did_you_mean(str(tag), tags)}"
        return PolicyProblem(certification, f"{path}.kind" if path else "kind", tag, expected)
    if kind == "missing":
        value = _MISSING
    return PolicyProblem(
        certification, path, value, expected_in_words(kind, ctx, detail["msg"], value)
    )


def _walk(data: Any, loc: tuple[int | str, ...]) -> tuple[str, Any]:
    """A readable key path for pydantic's location, skipping union tags; and the value there."""
    path = ""
    node: Any = data
    for part in loc:
        if isinstance(node, Mapping) and part not in node and node.get("kind") == part:
            continue  # pydantic names the union member by its tag; the file does not
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
        if isinstance(node, Mapping):
            node = node.get(part, _MISSING)
        elif isinstance(node, list | tuple) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            node = _MISSING
    return path, node


@cache
def _field_names(root: type[BaseModel]) -> frozenset[str]:
    """Every key the models under ``root`` know, for suggestions."""
    names: set[str] = set()
    seen: set[type] = set()

    def visit(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation in seen:
                return
            seen.add(annotation)
            for name, field in annotation.model_fields.items():
                names.add(name)
                visit(field.annotation)
        for argument in get_args(annotation):
            visit(argument)
        origin = get_origin(annotation)
        if origin is not None and origin is not annotation:
            visit(origin)

    visit(root)
    return frozenset(names)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a policy file, for editors that validate TOML or JSON.

    ``make schema`` writes it to ``docs/reference/policy.schema.json``; a test keeps that
    file current.

    >>> json_schema()["title"]
    'Certification'
    """
    schema = Certification.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


# --- writing -------------------------------------------------------------------------


def dump_certification(certification: Certification) -> str:
    """Write a certification as policy-file TOML that loads back to an equal value.

    Keys equal to their defaults are left out; ``kind`` tags are always written.
    """
    data = _compact(certification)
    lines: list[str] = []
    lines.extend(_scalars(data, exclude={"versions"}))
    for version in data.get("versions", []):
        lines.append("")
        lines.append("[[versions]]")
        lines.extend(_scalars(version, exclude={"citations", "categories", "rules", "carryover"}))
        for key in ("citations", "categories", "rules"):
            for item in version.get(key, []):
                lines.append("")
                lines.append(f"[[versions.{key}]]")
                lines.extend(_scalars(item, exclude=set()))
        if "carryover" in version:
            lines.append("")
            lines.append("[versions.carryover]")
            lines.extend(_scalars(version["carryover"], exclude=set()))
    return "\n".join(lines).lstrip("\n") + "\n"


def _compact(model: BaseModel) -> dict[str, Any]:
    """The model's data without defaults, but with every ``kind`` tag kept."""
    full = model.model_dump(mode="python")
    lean = model.model_dump(mode="python", exclude_defaults=True)
    return _with_kinds(full, lean)  # type: ignore[no-any-return]


def _with_kinds(full: Any, lean: Any) -> Any:
    if isinstance(full, dict) and isinstance(lean, dict):
        merged = {key: _with_kinds(full[key], value) for key, value in lean.items()}
        if "kind" in full and "kind" not in merged:
            merged = {"kind": full["kind"], **merged}
        return merged
    if isinstance(full, list | tuple) and isinstance(lean, list | tuple):
        return [_with_kinds(f, l) for f, l in zip(full, lean, strict=True)]  # noqa: E741
    return lean


def _scalars(data: Mapping[str, Any], *, exclude: set[str]) -> Iterator[str]:
    for key, value in data.items():
        if key not in exclude:
            yield f"{_key(key)} = {_value(value)}"


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def _value(value: Any) -> str:  # noqa: PLR0911 - one branch per TOML type
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")  # read back exactly: whole numbers as ints, others as decimals
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items())
        return f"{{ {inner} }}" if inner else "{}"
    if isinstance(value, list | tuple | set | frozenset):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to a policy file: {value!r}")
