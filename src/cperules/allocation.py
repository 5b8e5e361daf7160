"""Deprecated: the allocation engine is private now (:mod:`cperules._engine.allocation`).

``from cperules.allocation import allocate`` keeps working for one release, with a
:class:`DeprecationWarning`. The allocation's choices are explained on the documentation's
"How allocation decides what counts" page; results (:mod:`cperules.results`) say what
each credit did.
"""

import warnings
from typing import Any

from cperules._engine import allocation as _allocation

__all__ = list(_allocation.__all__)


def __getattr__(name: str) -> Any:
    """Each old name, from the private engine, with a :class:`DeprecationWarning`."""
    if name not in _allocation.__all__:
        raise AttributeError(f"module 'cperules.allocation' has no attribute {name!r}")
    warnings.warn(
        f"cperules.allocation is deprecated and will be removed: {name} is the engine's "
        "own (results explain what each credit did)",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(_allocation, name)
