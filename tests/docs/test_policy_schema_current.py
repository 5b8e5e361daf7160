"""The JSON Schemas in the package are current (`make schema`), and have their $id."""

import json

from cperules.cases import cases_json_schema
from cperules.policy_format import json_schema, schema_file


def test_the_shipped_policy_schema_is_current() -> None:
    shipped = json.loads(schema_file("policy").read_text(encoding="utf-8"))
    assert shipped == json.loads(json.dumps(json_schema())), (
        "the policy format changed: run `make schema` and commit src/cperules/schemas/"
    )
    assert shipped["$id"].endswith("/policy.schema.json")


def test_the_shipped_cases_schema_is_current() -> None:
    shipped = json.loads(schema_file("cases").read_text(encoding="utf-8"))
    assert shipped == json.loads(json.dumps(cases_json_schema())), (
        "the cases format changed: run `make schema` and commit src/cperules/schemas/"
    )
    assert shipped["$id"].endswith("/cases.schema.json")
