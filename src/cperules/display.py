"""Deprecated: the rendering functions moved to :mod:`cperules.render`.

``from cperules.display import evaluation_html`` keeps working for one release, with a
:class:`DeprecationWarning`; import from :mod:`cperules.render` instead.
"""

import warnings
from typing import Any

from cperules import render as _render

__all__ = list(_render.__all__)


def __getattr__(name: str) -> Any:
    """Each old name, from :mod:`cperules.render`, with a :class:`DeprecationWarning`."""
    if name not in _render.__all__:
        raise AttributeError(f"module 'cperules.display' has no attribute {name!r}")
    warnings.warn(
        f"cperules.display is deprecated; import {name} from cperules.render instead",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(_render, name)
