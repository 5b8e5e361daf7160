"""Test tooling for code that uses cperules (install ``cperules[testing]``).

- :func:`check_policy` runs the generic invariants on any certification and fails with a
  shrunk counter-example; :func:`assert_status` and :func:`assert_requirement` fail with
  the whole result printed.
- :mod:`cperules.testing.strategies` holds Hypothesis strategies that generate valid
  activities, ledgers, holders, holdings, selectors, cycle specs, rules, policies and
  certifications.
- :mod:`cperules.testing.plugin` is the pytest plugin (fixtures, case-file collection).

Names load on first use: importing this package (as pytest does for the plugin) imports
neither Hypothesis nor the engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cperules.testing.checks import assert_requirement, assert_status, check_policy

__all__ = ["assert_requirement", "assert_status", "check_policy"]


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562)."""
    if name not in __all__:
        raise AttributeError(f"module 'cperules.testing' has no attribute {name!r}")
    value = getattr(importlib.import_module("cperules.testing.checks"), name)
    globals()[name] = value
    return value
