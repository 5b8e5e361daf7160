"""The engine (private): evaluation in stages, the allocation and its exact solver.

- :mod:`~cperules._engine.screening`: what one activity claims in one cycle;
- :mod:`~cperules._engine.cycle`: one cycle's evaluation (screen, allocate, read);
- :mod:`~cperules._engine.history`: every cycle in order, with carried credit, renewal
  events, grace cures and the lifecycle;
- :mod:`~cperules._engine.planning`: the least credit still needed;
- :mod:`~cperules._engine.allocation`: which credit counts where, holder-optimally;
- :mod:`~cperules._engine.lp`: the exact linear programs behind it.

The public entry is :func:`cperules.evaluate` (:mod:`cperules.evaluation`).
"""
