"""Shared test configuration: Hypothesis profiles.

``dev`` (the default) is quick; ``ci`` is thorough and is what ``make test`` uses in CI.
Pick one with ``pytest --hypothesis-profile=ci``.
"""

from hypothesis import settings

pytest_plugins = ["pytester"]

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("ci", max_examples=400, deadline=None, print_blob=True)
settings.load_profile("dev")
