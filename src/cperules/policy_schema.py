"""The JSON Schema of policy files, for editors that validate TOML or JSON.

:func:`json_schema` makes it from the same models the loader validates with; the package
ships it (and the cases files' schema) as files, found with :func:`schema_file`.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any, Literal, get_args

from cperules.errors import ArgumentError
from cperules.policy import Certification

__all__ = ["SchemaName", "json_schema", "schema_file", "schema_id"]

SchemaName = Literal["policy", "cases"]
"""The JSON Schemas that ship with the package: policy files and cases files."""


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a policy file, for editors that validate TOML or JSON.

    ``make schema`` writes it to ``the package (:func:`schema_file`)``; a test keeps that
    file current.

    A complete policy file must match ``Certification``. A file with ``extends``, or a
    base (a file with no ``id``), holds only part of a certification: it must match
    ``PartialCertification``, which has the same keys and ``extends``, none required.

    >>> schema = json_schema()
    >>> schema["title"], schema["then"], "required" in schema["$defs"]["PartialCertification"]
    ('Certification', {'$ref': '#/$defs/PartialCertification'}, False)
    """
    full = Certification.model_json_schema(mode="validation")
    defs: dict[str, Any] = full.pop("$defs")
    title = full["title"]
    defs[title] = full
    partial = {f"Partial{name}": _partial(body) for name, body in defs.items()}
    top = partial[f"Partial{title}"]
    top["title"] = f"Partial{title}"
    top["properties"] = {
        "extends": {
            "description": "The base this file extends: a base bundled in the catalog "
            "(such as 'isc2/family'), a name passed to the loader, or a .toml path "
            "relative to this file.",
            "minLength": 1,
            "title": "Extends",
            "type": "string",
        },
        **top["properties"],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id("policy"),
        "title": title,
        "description": "A cperules policy file: a certification, a file that extends a "
        "base, or a base.",
        "$defs": {**defs, **partial},
        "if": {"anyOf": [{"required": ["extends"]}, {"not": {"required": ["id"]}}]},
        "then": {"$ref": f"#/$defs/Partial{title}"},
        "else": {"$ref": f"#/$defs/{title}"},
    }


def schema_id(name: SchemaName) -> str:
    """The ``$id`` of a shipped JSON Schema: where the docs publish it.

    >>> schema_id("policy")
    'https://cperules.readthedocs.io/en/latest/policy.schema.json'
    """
    return f"https://cperules.readthedocs.io/en/latest/{name}.schema.json"


def schema_file(name: SchemaName = "policy") -> Traversable:
    """The JSON Schema file ``name`` as installed with the package, to point an editor at.

    ``"policy"`` is :func:`json_schema`; ``"cases"`` is
    :func:`cperules.cases.cases_json_schema`. ``make schema`` writes both; a test keeps
    them current.

    >>> import json
    >>> json.loads(schema_file("policy").read_text(encoding="utf-8"))["$id"]
    'https://cperules.readthedocs.io/en/latest/policy.schema.json'

    Raises:
        ArgumentError: ``name`` is neither ``"policy"`` nor ``"cases"``.
    """
    if name not in get_args(SchemaName):
        raise ArgumentError(f"name: expected 'policy' or 'cases', got {name!r}")
    return files("cperules").joinpath("schemas", f"{name}.schema.json")


def _partial(schema: Any) -> Any:
    """A copy of a schema fragment with nothing required and every reference partial.

    Tagged unions become plain ``anyOf`` so that an item without its ``kind`` (one that
    extends a base's item) still matches.
    """
    if isinstance(schema, dict):
        out: dict[str, Any] = {}
        for key, value in schema.items():
            if key in {"required", "discriminator"}:
                continue
            if key == "$ref" and isinstance(value, str):
                out[key] = value.replace("#/$defs/", "#/$defs/Partial")
            elif key == "oneOf":
                out["anyOf"] = _partial(value)
            else:
                out[key] = _partial(value)
        return out
    if isinstance(schema, list):
        return [_partial(item) for item in schema]
    return schema
