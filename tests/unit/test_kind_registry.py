"""Every rule kind and cycle kind has its place everywhere a kind needs one.

As python-holidays checks its registry against its files: the kind lists are derived from
the unions (``Rule``, ``CycleSpec``), and each kind has a description in words, a
strategy, a linter treatment and a heading in the policy-format reference. The
dispatches themselves end in ``typing.assert_never``, so mypy fails on an unhandled kind.
"""

import re
from pathlib import Path
from typing import Any, get_args

import pytest
from hypothesis import find

from cperules import linter
from cperules.describe import describe_cycle, describe_rule
from cperules.periods import CYCLE_KINDS, CycleSpec
from cperules.rules import RULE_KINDS, Rule
from cperules.testing import strategies

DOC = Path(__file__).parents[2] / "docs" / "reference" / "policy-format.md"
RULE_CLASSES = {cls.model_fields["kind"].default: cls for cls in get_args(get_args(Rule)[0])}
CYCLE_CLASSES = {cls.model_fields["kind"].default: cls for cls in get_args(get_args(CycleSpec)[0])}


def headings() -> set[str]:
    return set(re.findall(r"^#+ (\S+)", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE))


def test_the_kind_lists_come_from_the_unions() -> None:
    assert tuple(RULE_CLASSES) == RULE_KINDS
    assert tuple(CYCLE_CLASSES) == CYCLE_KINDS
    assert set(strategies.RULE_KINDS) == set(RULE_KINDS)
    assert set(strategies.CYCLE_KINDS) == set(CYCLE_KINDS)


@pytest.mark.parametrize("kind", RULE_KINDS)
def test_every_rule_kind_is_generated_described_and_linted(kind: str) -> None:
    rule: Any = find(strategies.rules(kinds=(kind,)), lambda _: True)
    assert isinstance(rule, RULE_CLASSES[kind])
    assert describe_rule(rule, "CPE")
    assert isinstance(linter._decides_credit(rule), bool)


@pytest.mark.parametrize("kind", CYCLE_KINDS)
def test_every_cycle_kind_is_generated_and_described(kind: str) -> None:
    spec: Any = find(strategies.cycle_specs(kinds=(kind,)), lambda _: True)
    assert isinstance(spec, CYCLE_CLASSES[kind])
    assert describe_cycle(spec)


@pytest.mark.skipif(not DOC.is_file(), reason="needs the source tree's docs/")
def test_every_kind_has_a_docs_heading() -> None:
    documented = headings()
    for cls in (*RULE_CLASSES.values(), *CYCLE_CLASSES.values()):
        assert cls.__name__ in documented, f"docs/reference/policy-format.md: ### {cls.__name__}"
