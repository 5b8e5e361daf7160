"""Internal: the parts :mod:`cperules.testing.strategies` is made of, one concept a module.

Import strategies from :mod:`cperules.testing.strategies`, the public module; what lives
here, and under which name, may change in any release.

- ``building``: argument checks and small building blocks the others share.
- ``activities``: activities and ledgers.
- ``cycle_specs``: cycle specs.
- ``selectors_rules``: selectors and rules.
- ``policies``: policy versions and certifications (on cycle specs, selectors and rules).
- ``holders``: holders, holdings and ledgers for a holding (on activities).

A module imports only modules listed before it (an import-linter contract in pyproject.toml).
"""
