"""A generated policy's case: a holding of it, a ledger and a day to evaluate on.

Several properties compare two ways of evaluating the same case (the kernel and the
full path, trusted and validated results, the grace cure direct and by the program,
the verdict and the explanation); they draw it here, alike.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from cperules import Holding, Ledger
from cperules.testing.strategies import certifications, holdings, ledgers_for

Case = tuple[Holding, Ledger, dt.date]
"""A holding, its ledger and the day it is evaluated on."""


@st.composite
def generated_cases(draw: st.DrawFn, *, years: int = 9) -> Case:
    """A generated certification's holding, a ledger for it, and a day up to ``years`` on.

    The day is counted from the holding's earned date, in days of up to ``years`` leap
    years (so that several cycles, their grace windows and the certification's end come
    into play).
    """
    certification = draw(certifications())
    holding = draw(holdings(certification=certification))
    ledger = draw(ledgers_for(certification, holding))
    as_of = holding.earned + dt.timedelta(days=draw(st.integers(0, years * 366)))
    return holding, ledger, as_of
