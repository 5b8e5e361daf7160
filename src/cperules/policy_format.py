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

A file may extend a base with ``extends = "<name>"``: the rules a family of
certifications shares are written once in the base, and each certification's file gives
only what differs (see :func:`load_certification` and the how-to guide).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import cache
from typing import Any, cast, get_args, get_origin

from pydantic import BaseModel, ValidationError

from cperules import _bundled, _extends
from cperules._toml_lines import KeyPath, key_lines, line_of
from cperules.errors import (
    ArgumentError,
    CperulesError,
    ErrorCode,
    did_you_mean,
    expected_in_words,
)
from cperules.policy import Certification

# Also importable, for the library's own modules (not in the documented API):
# located.
__all__ = [
    "BaseSource",
    "Bases",
    "PolicyFormatError",
    "PolicyProblem",
    "certification_from_data",
    "dump_certification",
    "json_schema",
    "load_certification",
    "parse_toml",
    "schema_file",
    "schema_id",
]


class PolicyProblem:
    """One located problem in a policy file.

    ``path`` is the key path in the file that holds the problem: the policy file itself,
    or, when ``base`` names one, a base that the file extends.

    >>> str(PolicyProblem("isc2/cissp", "versions[0].rules[2].credts", 120, "a known key (did you mean 'credits'?)"))
    "isc2/cissp: versions[0].rules[2].credts: got 120; expected a known key (did you mean 'credits'?)"
    >>> str(PolicyProblem("isc2/cc", "versions[0].rules[1].credts", 30, "a known key", base="isc2/family"))
    'isc2/cc: versions[0].rules[1].credts in base isc2/family: got 30; expected a known key'
    """  # noqa: E501

    __slots__ = ("base", "certification", "expected", "keys", "line", "path", "value")

    def __init__(
        self,
        certification: str | None,
        path: str,
        value: object,
        expected: str,
        *,
        base: str | None = None,
        keys: KeyPath = (),
        line: int | None = None,
    ) -> None:
        self.certification = certification
        self.path = path
        self.value = value
        self.expected = expected
        self.base = base
        self.keys = keys
        """The key path as keys and list indices (empty when unknown)."""
        self.line = line
        """The line of the file (or of the base named by ``base``) that holds the key, when
        the problem was found in a text."""

    def at_line(self, line: int | None) -> PolicyProblem:
        """A copy of this problem located at ``line`` of its file."""
        return PolicyProblem(
            self.certification,
            self.path,
            self.value,
            self.expected,
            base=self.base,
            keys=self.keys,
            line=line,
        )

    @property
    def version(self) -> int | None:
        """The index of the policy version the problem is in (in its own file), if any."""
        match = re.match(r"versions\[(\d+)\]", self.path)
        return int(match.group(1)) if match else None

    def __str__(self) -> str:
        where = f"{self.certification}: " if self.certification else ""
        return where + self.detail

    @property
    def detail(self) -> str:
        """The problem without the certification or file it is in.

        Key path, value and expectation; the pytest plugin puts ``file:line`` before it.

        >>> PolicyProblem("x/y", "version", [], "a known key", keys=("version",), line=5).detail
        'version: got []; expected a known key'
        """
        where = ""
        if self.base is not None:
            where = f"{self.path or '(top level)'} in base {self.base}: "
        elif self.path:
            where = f"{self.path}: "
        shown = "" if self.value is _MISSING else f"got {_short(self.value)}; "
        return f"{where}{shown}expected {self.expected}"

    def __repr__(self) -> str:
        fields = [repr(field) for field in (self.certification, self.path, self.value)]
        fields.append(repr(self.expected))
        if self.base is not None:
            fields.append(f"base={self.base!r}")
        if self.line is not None:
            fields.append(f"line={self.line!r}")
        return f"PolicyProblem({', '.join(fields)})"


def _short(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class PolicyFormatError(CperulesError, ValueError):
    r"""A policy text is not valid TOML, or not a valid certification; ``problems`` locates each.

    ``code`` is ``policy-syntax`` for TOML syntax errors (including a key given twice),
    ``unknown-base`` when an ``extends`` names no known base, ``invalid-extends`` when a
    chain of bases is broken (a cycle, a key that matches nothing in the base), and
    ``invalid-policy`` otherwise.

    The message lists every problem, a line each; a problem read from a text carries the
    line that holds its key in ``line`` (the pytest plugin shows it as ``file:line``).

    >>> try:
    ...     load_certification('id = "x/y"\nname = "X"\nbody = "X"\nunit = "CPE"\nversion = []')
    ... except PolicyFormatError as error:
    ...     print(error.problems[0].line, error.problems[0])
    5 x/y: version: got []; expected a known key (did you mean 'versions'?)
    """

    problems: tuple[PolicyProblem, ...]

    def __init__(
        self,
        problems: list[PolicyProblem],
        *,
        syntax: bool = False,
        code: ErrorCode | None = None,
        subject: str = "the policy",
    ) -> None:
        self.problems = tuple(problems)
        self.subject = subject
        count = len(self.problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in {subject}:\n{lines}",
            code=code or ("policy-syntax" if syntax else "invalid-policy"),
        )

    def located_in(self, text: str) -> PolicyFormatError:
        """The same error with each problem of the file itself given its line in ``text``.

        Problems in a base keep no line (the base's text is another file).
        """
        lines = key_lines(text)
        problems = [
            problem
            if problem.line is not None or problem.base is not None or not problem.keys
            else problem.at_line(line_of(text, problem.keys, lines=lines))
            for problem in self.problems
        ]
        return PolicyFormatError(problems, code=self.code, subject=self.subject)


_MISSING = _extends.MISSING

BaseSource = str | Mapping[str, Any]
"""A base's TOML text, or its data already parsed (from JSON, say)."""

Bases = Mapping[str, BaseSource] | Callable[[str], BaseSource | None]
"""Where the loader finds the bases that ``extends`` names: a mapping from name to text or
data, or a function that returns them (``None`` for a name it does not know). A name it
does not know falls back to the bases bundled in the catalog (``"isc2/family"``)."""


def load_certification(text: str, *, bases: Bases | None = None) -> Certification:
    """Parse and validate a policy file's TOML text (no file access).

    A file that starts with ``extends = "<name>"`` is first merged onto that base (the
    how-to guide lists the merge rules). ``bases`` supplies bases by name, as a mapping or
    a function; a name it does not know is looked up among the bases bundled in the
    catalog, so a file of your own may extend ``"isc2/family"``. A name ending in
    ``.toml`` is a path relative to the file that names it: the loader reads no files, so
    pass a function that reads them, such as
    ``bases=lambda name: (folder / name).read_text(encoding="utf-8")``.

    >>> family = '''
    ... body = "Example body"
    ... unit = "CPE"
    ... [[versions]]
    ... effective_from = 2024-01-01
    ... cycle = { kind = "anniversary", years = 3 }
    ... [[versions.rules]]
    ... kind = "minimum"
    ... id = "total"
    ... '''
    >>> text = '''
    ... extends = "example/family"
    ... id = "example/pro"
    ... name = "Example Pro"
    ... [[versions]]
    ... effective_from = 2024-01-01
    ... [[versions.rules]]
    ... id = "total"
    ... credits = 90
    ... '''
    >>> cert = load_certification(text, bases={"example/family": family})
    >>> cert.body, cert.versions[0].rules
    ('Example body', (Minimum(id='total', credits=Decimal('90')),))

    Raises:
        PolicyFormatError: the text is not TOML, not a valid certification, or its
            ``extends`` chain is broken (``unknown-base``, ``invalid-extends``). Every
            problem names its file, key path, value and expectation, with a suggestion
            where a close name exists.
    """
    data = parse_toml(text)
    try:
        return _validated(data, bases, from_text=True)
    except PolicyFormatError as error:
        raise error.located_in(text) from None


def parse_toml(text: str, *, source: str | None = None) -> dict[str, Any]:
    """TOML text as data, with numbers that have a fraction read as exact decimals.

    ``source`` names the text in error messages.

    Raises:
        PolicyFormatError: ``policy-syntax``, with the line and column (a key given twice
            is a syntax error in TOML).
    """
    given: object = text  # callers may pass anything at run time
    if not isinstance(given, str):
        hint = " (decode it first: data.decode('utf-8'))" if isinstance(given, bytes) else ""
        raise ArgumentError(
            f"text: expected the policy file's TOML as a str, got the "
            f"{type(given).__name__} {_short(given)}{hint}"
        )
    # Imported here: loading the bundled catalog (precompiled) parses no TOML.
    import tomllib  # noqa: PLC0415

    try:
        data: dict[str, Any] = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        at = re.search(r"at line (\d+)", str(error))
        problem = PolicyProblem(
            source, "", _MISSING, f"valid TOML ({error})", line=int(at.group(1)) if at else None
        )
        raise PolicyFormatError([problem], syntax=True) from None
    except RecursionError:
        # The standard library's parser reads nested tables and arrays recursively.
        problem = PolicyProblem(
            source, "", _MISSING, f"tables and arrays nested at most {MAX_NESTING} deep"
        )
        raise PolicyFormatError([problem], syntax=True) from None
    _check_nesting(data, source)
    return data


MAX_NESTING = 48
"""How deep tables and arrays may nest in a policy or cases file. Real policies nest a
handful of levels (a selector inside a rule inside a version); the bound keeps a
hostile file from exhausting the interpreter's stack in validation."""


def _check_nesting(data: object, source: str | None) -> None:
    """Refuse data nested deeper than :data:`MAX_NESTING`, naming where."""
    too_deep = _too_deep(data)
    if too_deep is not None:
        problem = PolicyProblem(
            source,
            _render(too_deep),
            _MISSING,
            f"tables and arrays nested at most {MAX_NESTING} deep",
            keys=too_deep,
        )
        raise PolicyFormatError([problem])


def _too_deep(data: object) -> _extends.Path | None:
    """The path of the first value nested deeper than :data:`MAX_NESTING`, if any.

    Walks the data without recursion, so any depth is safe to check.
    """
    stack: list[tuple[object, _extends.Path]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_NESTING:
            return path
        if isinstance(value, Mapping):
            stack.extend((item, (*path, str(key))) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, (*path, index)) for index, item in enumerate(value))
    return None


def certification_from_data(
    data: Mapping[str, Any], *, bases: Bases | None = None
) -> Certification:
    """Validate plain data (from TOML or JSON) into a certification, with located errors.

    ``extends`` and ``bases`` work as for :func:`load_certification`; ``data`` itself is
    never changed.
    """
    if not isinstance(cast("object", data), Mapping):  # callers may pass anything at run time
        raise ArgumentError(
            f"data: expected a mapping of a policy file's keys, got the "
            f"{type(data).__name__} {_short(data)}"
        )
    return _validated(data, bases, from_text=False)


def _validated(data: Mapping[str, Any], bases: Bases | None, *, from_text: bool) -> Certification:
    """``data`` merged onto its bases and validated; from TOML text, strictly typed.

    TOML has dates and numbers of its own, so in a file a date or a number written as a
    string (``years = "3"``, ``effective_from = "2020-01-01"``) is refused rather than
    read; plain data (from JSON, which has no dates) may give them as text.
    """
    certification = data.get("id") if isinstance(data.get("id"), str) else None
    _check_nesting(data, certification)
    resolved = _resolve(data, bases, where=certification)
    try:
        validated = Certification.model_validate(resolved.data)
    except ValidationError as error:
        problems = located(error, resolved.data, where=certification, origins=resolved.origins)
        raise PolicyFormatError(problems) from None
    if from_text:
        quoted = _quoted_values(resolved.data, validated.model_dump(mode="python"))
        if quoted:
            raise PolicyFormatError(
                [
                    _quoted_problem(certification, path, value, resolved.origins)
                    for path, value in quoted
                ]
            )
    return validated


def _quoted_values(data: object, dumped: object) -> list[tuple[_extends.Path, str]]:
    """Where ``data`` holds text that validation read as a date, a number or a flag."""
    found: list[tuple[_extends.Path, str]] = []
    stack: list[tuple[object, object, _extends.Path]] = [(data, dumped, ())]
    while stack:
        given, read, path = stack.pop()
        if isinstance(given, str):
            if isinstance(read, dt.date | int | Decimal):  # bool is an int
                found.append((path, given))
        elif isinstance(given, Mapping) and isinstance(read, Mapping):
            stack.extend(
                (value, read[key], (*path, str(key))) for key, value in given.items() if key in read
            )
        elif isinstance(given, list) and isinstance(read, list | tuple):
            stack.extend(
                (value, read[index], (*path, index))
                for index, value in enumerate(given)
                if index < len(read)
            )
    return sorted(found, key=lambda item: [str(part) for part in item[0]])


def _quoted_problem(
    certification: str | None,
    keys: _extends.Path,
    value: str,
    origins: Mapping[_extends.Path, _extends.Origin],
) -> PolicyProblem:
    base, keys = _extends.lookup(origins, keys)
    expected = "a TOML date or number, written without quotes (strict: text is not read as one)"
    return PolicyProblem(certification, _render(keys), value, expected, base=base, keys=keys)


def _resolve(
    data: Mapping[str, Any], bases: Bases | None, *, where: str | None
) -> _extends.Resolved:
    """``data`` merged onto its chain of bases (itself, when it extends nothing)."""

    def fetch(name: str) -> Mapping[str, Any] | None:
        found: BaseSource | None = None
        if isinstance(bases, Mapping):
            found = bases.get(name)
        elif bases is not None:
            found = bases(name)
        if found is None and not name.endswith(".toml"):
            found = _bundled.base_text(name)
        if isinstance(found, str):
            return parse_toml(found, source=name)
        if found is not None and not isinstance(found, Mapping):
            raise ArgumentError(
                f"bases: the base {name!r} came back as the {type(found).__name__} "
                f"{_short(found)}; bases give each base as TOML text, parsed data (a "
                "mapping) or None for a name they do not know"
            )
        if found is not None:
            _check_nesting(found, name)
        return found

    def known() -> list[str]:
        return [*(bases if isinstance(bases, Mapping) else ()), *_bundled.base_names()]

    try:
        return _extends.resolve(data, fetch=fetch, known=known)
    except _extends.ExtendsError as error:
        problems = [
            PolicyProblem(
                where,
                _render(problem.path),
                problem.value,
                problem.expected,
                base=problem.source,
                keys=problem.path,
            )
            for problem in error.problems
        ]
        unknown = all(problem.code == "unknown-base" for problem in error.problems)
        raise PolicyFormatError(
            problems, code="unknown-base" if unknown else "invalid-extends"
        ) from None


def located(
    error: ValidationError,
    data: Mapping[str, Any],
    *,
    where: str | None,
    model: type[BaseModel] = Certification,
    origins: Mapping[_extends.Path, _extends.Origin] | None = None,
) -> list[PolicyProblem]:
    """Pydantic's errors for ``data`` (validated as ``model``) as located problems.

    Each names ``where`` (a certification id or a file), the key path as the file spells
    it, the value, what was expected in words, and the closest known key or kind. When
    ``data`` was merged from bases, ``origins`` (recorded by the merge) points each
    problem at the file and the key path that hold the value.
    """
    # A missing key is often the misspelt one beside it: the misspelling, with its
    # "did you mean", comes first.
    details = sorted(error.errors(include_url=False), key=lambda d: d["type"] == "missing")
    # A list whose items failed is also reported as too short; the items say why.
    failed = {detail["loc"][:1] for detail in details if len(detail["loc"]) > 1}
    return [
        _locate(where, data, detail, model, origins or {})
        for detail in details
        if not (detail["type"] == "too_short" and detail["loc"][:1] in failed)
    ]


def _locate(
    certification: str | None,
    data: Mapping[str, Any],
    detail: Any,
    model: type[BaseModel],
    origins: Mapping[_extends.Path, _extends.Origin],
) -> PolicyProblem:
    keys, value = _walk(data, detail["loc"])
    base, keys = _extends.lookup(origins, keys)
    path = _render(keys)
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    if kind == "extra_forbidden":
        key = str(keys[-1]) if keys else ""
        # a key known elsewhere in the format but not here suggests another one
        expected = f"a known key{did_you_mean(key, _field_names(model) - {key})}"
        return PolicyProblem(certification, path, value, expected, base=base, keys=keys)
    if kind == "union_tag_invalid":
        tags = re.findall(r"'([^']*)'", str(ctx.get("expected_tags", "")))
        tag = ctx.get("tag")
        expected = f"a kind among {', '.join(tags)}{did_you_mean(str(tag), tags)}"
        kind_path = f"{path}.kind" if path else "kind"
        return PolicyProblem(
            certification, kind_path, tag, expected, base=base, keys=(*keys, "kind")
        )
    if kind == "missing":
        value = _MISSING
    expected = expected_in_words(kind, ctx, detail["msg"], value)
    if base is not None and kind == "missing":
        expected += f"; neither {base} nor the file that extends it sets it"
    elif base is not None and isinstance(value, Mapping):
        expected += f" (an item of {base}: a file that extends it may complete it)"
    return PolicyProblem(certification, path, value, expected, base=base, keys=keys)


def _walk(data: Any, loc: tuple[int | str, ...]) -> tuple[_extends.Path, Any]:
    """The key path of pydantic's location, skipping union tags; and the value there."""
    keys: list[str | int] = []
    node: Any = data
    for part in loc:
        if isinstance(node, Mapping) and part not in node and node.get("kind") == part:
            continue  # pydantic names the union member by its tag; the file does not
        keys.append(part)
        if isinstance(node, Mapping):
            node = node.get(part, _MISSING)
        elif isinstance(node, list | tuple) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            node = _MISSING
    return tuple(keys), node


def _render(keys: _extends.Path) -> str:
    """A key path as a file spells it.

    >>> _render(("versions", 0, "rules", 2, "credits"))
    'versions[0].rules[2].credits'
    """
    path = ""
    for part in keys:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


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


# The writer and the JSON Schema live in their own modules; their public names stay here.
from cperules.policy_schema import json_schema, schema_file, schema_id  # noqa: E402
from cperules.policy_writer import dump_certification  # noqa: E402
