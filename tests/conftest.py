"""Shared test configuration: Hypothesis profiles.

``dev`` (the default) is quick; ``ci`` is thorough and is what ``make test`` uses in CI
(it also runs the catalog's invariants with 100 examples per certification, see
``catalog_examples``). Pick one with ``pytest --hypothesis-profile=ci``.
"""

import pytest
from hypothesis import HealthCheck, settings

pytest_plugins = ["pytester"]

# No test is timed (speed is measured by benchmarks/, in one run, as ratios): neither an
# example's run (deadline) nor its generation (the too_slow health check), which on a
# shared two-core machine depends on whatever else runs beside the tests.
UNTIMED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", UNTIMED, max_examples=60)
settings.register_profile("ci", UNTIMED, max_examples=400, print_blob=True)
# `make mutation` runs each mutant against the tests that reach it: few examples, the same
# ones every run, so that a mutant's verdict does not depend on luck.
settings.register_profile("mutation", UNTIMED, max_examples=15, derandomize=True, database=None)
settings.load_profile("dev")

# Generated examples per certification in the catalog's invariants (check_policy over
# every bundled entry): a handful at the desk, at least 100 in CI.
CATALOG_EXAMPLES = {"dev": 12, "ci": 100, "mutation": 5}


@pytest.fixture(scope="session")
def catalog_examples(request: pytest.FixtureRequest) -> int:
    """How many examples check_policy runs per catalog entry under the chosen profile."""
    profile = request.config.getoption("hypothesis_profile", None) or "dev"
    return CATALOG_EXAMPLES.get(str(profile), CATALOG_EXAMPLES["dev"])
