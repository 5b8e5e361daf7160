"""Example budgets of the slowest properties under the ``ci`` profile (tests/conftest.py).

The ``ci`` profile runs 400 examples per property; the properties below cost a whole
evaluation (or several) per example, and 400 of each made CI's unit job the longest. Each
budget is the profile's count capped at a number chosen for the space its generator spans,
so the ``dev`` (60) and ``mutation`` (15) profiles run exactly as many examples as before.
No property is dropped and no assertion weakened; only how many examples each draws.
"""

from hypothesis import settings


def budget(examples: int) -> int:
    """The profile's example count, at most ``examples``.

    >>> budget(10**9) == settings().max_examples
    True
    """
    return min(settings().max_examples, examples)


GENERATED = budget(200)
"""A property over whole generated policies (``certifications()``, a holding, a ledger, a
date), each example evaluating every cycle of the history at least twice. Five properties
span that same space (verdict against explained, the kernel against the full evaluation,
trusted against validated results, grace cures, results' round trip), so 200 each still
draws a thousand generated policies per CI run, besides the catalog's invariants."""

AUDITED = budget(200)
"""The three audit-readiness properties draw the same cases (a one-version generated
policy, a ledger and one activity whose proof changes): 200 each, 600 cases in all."""

BATCH_STREAM = budget(150)
"""A stream of one to four holdings of a generated policy, evaluated twice (verdict rows
and explained rows): 150 streams are some 375 holdings, with every trouble kind drawn."""

BATCH_CATALOG = budget(200)
"""Two holders of a bundled entry (about 160 entries): 200 draws reach most entries at
least once; the kernel's property over bundled entries covers each entry 15 times."""

MID_CAREER = budget(200)
"""Tracking from a cycle k of a generated history with its carried credit: every example
evaluates the whole history and the tracked one again, as many times as it has cycles."""
