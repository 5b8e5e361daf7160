"""Test tooling for code that uses cperules (install ``cperules[testing]``).

:mod:`cperules.testing.strategies` holds Hypothesis strategies that generate valid
activities, ledgers, holders, holdings, selectors, cycle specs, rules, policies and
certifications. This package itself imports nothing from Hypothesis, so importing it
never needs the ``testing`` extra.
"""

__all__: list[str] = []
