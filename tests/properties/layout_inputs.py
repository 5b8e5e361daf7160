"""What a layout of cycles is made from, drawn together: a cycle spec, a holding, as_of."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from cperules import Holding
from cperules.cycles import CycleSpec
from cperules.testing.strategies import cycle_specs, holders


@st.composite
def layout_inputs(draw: st.DrawFn) -> tuple[CycleSpec, Holding, dt.date]:
    """A spec, a holding earned 2000-2030 by a drawn holder, and as_of up to 4,000 days on."""
    spec = draw(cycle_specs())
    holder = draw(holders())
    earned = draw(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)))
    as_of = earned + dt.timedelta(days=draw(st.integers(min_value=0, max_value=4000)))
    return spec, Holding(certification="demo/cert", earned=earned, holder=holder), as_of
