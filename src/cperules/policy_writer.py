"""Writing a certification as policy-file TOML that loads back to an equal value.

The writer is small and kept here rather than taken from a TOML library, because the
package's runtime dependencies are pydantic and python-dateutil only.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from cperules.policy import Certification

__all__ = ["dump_certification"]


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
        lines.extend(
            _scalars(version, exclude={"citations", "categories", "rules", "carryover", "audit"})
        )
        for key in ("citations", "categories", "rules"):
            for item in version.get(key, []):
                lines.append("")
                lines.append(f"[[versions.{key}]]")
                lines.extend(_scalars(item, exclude=set()))
        if "carryover" in version:
            lines.append("")
            lines.append("[versions.carryover]")
            lines.extend(_scalars(version["carryover"], exclude=set()))
        if "audit" in version:
            lines.append("")
            lines.append("[versions.audit]")
            lines.extend(_scalars(version["audit"], exclude={"evidence"}))
            for item in version["audit"].get("evidence", []):
                lines.append("")
                lines.append("[[versions.audit.evidence]]")
                lines.extend(_scalars(item, exclude=set()))
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
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _basic_string(key)


def _basic_string(text: str) -> str:
    r"""``text`` as a TOML basic string.

    JSON's escapes (``\"``, ``\\``, ``\n``, ``\uXXXX`` for the other control
    characters) are TOML's too; DEL (U+007F) is a control character in TOML but not in
    JSON, so it is escaped here as well.

    >>> print(_basic_string('say "hi"\x7f'))
    "say \"hi\"\u007f"
    """
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


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
        return _basic_string(value)
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items())
        return f"{{ {inner} }}" if inner else "{}"
    if isinstance(value, list | tuple | set | frozenset):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to a policy file: {value!r}")
