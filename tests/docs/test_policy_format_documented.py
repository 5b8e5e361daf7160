"""docs/reference/policy-format.md gives every model and key of the policy format its place."""

import re
from pathlib import Path

from cperules.policy_format import json_schema

PAGE = Path(__file__).parents[2] / "docs" / "reference" / "policy-format.md"


def sections() -> dict[str, str]:
    """Each heading's first word, with the text up to the next heading."""
    text = PAGE.read_text(encoding="utf-8")
    parts = re.split(r"^#{2,3} (\S+).*$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_model_has_a_section_naming_each_of_its_keys() -> None:
    schema = json_schema()
    models = {"Certification": schema, **schema["$defs"]}
    found = sections()
    # A family base's models (Partial...) are documented with the model they complete.
    missing = {name for name in models if name.removeprefix("Partial") not in found}
    assert not missing, f"add a heading for each of these models: {sorted(missing)}"
    for full_name, model in models.items():
        name = full_name.removeprefix("Partial")
        keys = set(model.get("properties", {})) - {"kind"}  # checked with its value below
        unnamed = sorted(key for key in keys if f"`{key}`" not in found[name])
        assert not unnamed, f"section {name!r} of {PAGE.name} does not name {unnamed}"
        kind = model.get("properties", {}).get("kind", {}).get("const")
        if kind is not None:
            assert f'`kind = "{kind}"`' in found[name], f"section {name!r} should give its kind"


def test_every_heading_is_a_model_or_a_group_of_them() -> None:
    known = {"Certification", *json_schema()["$defs"]}
    known = {name.removeprefix("Partial") for name in known}
    groups = {"Cycle", "Rule", "Selector"}  # "Cycle kinds", "Rule kinds", "Selector kinds"
    assert set(sections()) - known == groups
