from pathlib import Path

from cperules import load_certification
from cperules.testing import check_policy


def test_policy_keeps_the_generic_invariants() -> None:
    text = (Path(__file__).parents[1] / "policies" / "acme-secure.toml").read_text(encoding="utf-8")
    check_policy(load_certification(text), max_examples=50)
