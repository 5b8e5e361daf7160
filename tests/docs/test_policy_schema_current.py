"""docs/reference/policy.schema.json is the format's current JSON Schema (`make schema`)."""

import json
from pathlib import Path

from cperules.policy_format import json_schema

SCHEMA = Path(__file__).parents[2] / "docs" / "reference" / "policy.schema.json"


def test_the_exported_schema_is_current() -> None:
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == json.loads(
        json.dumps(json_schema())
    ), "the policy format changed: run `make schema` and commit docs/reference/policy.schema.json"
